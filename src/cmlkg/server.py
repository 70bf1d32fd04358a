"""The SPARQL endpoint: a Starlette app over the current build, read-only and safe by default.

Queries run in worker processes that hold the store open read-only. A query that passes its time
limit is stopped by ending its worker (pyoxigraph cannot cancel a query), and the client gets HTTP
503 with a message, never a truncated 200. Results are serialised in full before the response starts.
"""

from __future__ import annotations

import asyncio
import html
import json
import multiprocessing as mp
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from cmlkg import __version__
from cmlkg.namespaces import BASE, CML, DCTERMS, FOAF, ONTOLOGY_GRAPH, PREFIXES, PRISM

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}
MAX_REQUEST_BYTES = 1_000_000


@dataclass
class ServerConfig:
    build_dir: Path
    timeout: float = 30.0
    max_rows: int = 100_000
    allowed_services: tuple[str, ...] = ()
    base: str | None = None
    workers: int = 2
    memory: bool = False  # each worker loads the build into memory: several times faster, costs RAM
    queue_limit: int = 64
    static_dir: Path = field(default_factory=lambda: Path(__file__).parent / "static")


class QueryRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ worker processes
def _worker_main(conn, store_dir: str, max_rows: int, memory: bool) -> None:
    import io

    import pyoxigraph as ox

    from cmlkg.export import FORMATS, NAMED_GRAPHS_EXPORT
    from cmlkg.query import RESULT_FORMATS

    try:
        if memory:  # the build's TriG holds exactly what its store holds
            store = ox.Store()
            store.bulk_load(path=str(Path(store_dir).parent / NAMED_GRAPHS_EXPORT), format=ox.RdfFormat.TRIG)
        else:
            store = ox.Store.read_only(store_dir)
    except (OSError, SyntaxError) as exc:
        conn.send(("error", 500, f"cannot open the build: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        query, fmt, default_graphs, named_graphs = job
        try:
            kwargs = {}
            if default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
            else:
                kwargs["use_default_graph_as_union"] = True
            if named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
            results = store.query(query, **kwargs)
            out = io.BytesIO()
            if isinstance(results, ox.QueryTriples):
                kind = "graph"
                rdf_format = FORMATS[fmt if fmt in FORMATS else "turtle"][0]
                triples = []
                for k, t in enumerate(results):
                    if k >= max_rows:
                        raise QueryRefused(413, f"the result has more than {max_rows} triples (--max-rows)")
                    triples.append(t)
                ox.serialize(triples, out, format=rdf_format)
            elif isinstance(results, ox.QueryBoolean):
                kind = "boolean"
                results.serialize(out, format=RESULT_FORMATS[fmt if fmt in RESULT_FORMATS else "json"])
            else:
                kind = "select"
                fmt = fmt if fmt in RESULT_FORMATS else "json"
                results.serialize(out, format=RESULT_FORMATS[fmt])  # Oxigraph's own writer: no Python per row
                data = out.getvalue()
                if result_rows(data, fmt) > max_rows and exact_rows(data, fmt) > max_rows:
                    raise QueryRefused(413, f"the result has more than {max_rows} rows (--max-rows); add a LIMIT")
            conn.send(("ok", kind, out.getvalue()))
        except SyntaxError as exc:
            conn.send(("error", 400, f"malformed SPARQL query: {exc}"))
        except QueryRefused as exc:
            conn.send(("error", exc.status, str(exc)))
        except Exception as exc:  # noqa: BLE001 - anything else is the query's failure, reported as such
            conn.send(("error", 500, f"the query failed: {exc}"))


def result_rows(data: bytes, fmt: str) -> int:
    """The number of solutions in a serialised SELECT result.

    Exact for TSV (one line per solution; newlines in literals are escaped) and XML (``<result>``
    cannot occur inside escaped text). For JSON and CSV a byte count gives an upper bound (``},{``
    between solutions, or a newline per row, may also occur inside a literal); only when that bound is
    above the limit is the result parsed to count exactly.
    """
    if fmt == "xml":
        return data.count(b"<result>")
    if fmt == "json":
        return 0 if b'"bindings":[]' in data else data.count(b"},{") + 1
    return max(0, data.count(b"\n") - 1)  # TSV, and CSV's upper bound


def exact_rows(data: bytes, fmt: str) -> int:
    if fmt == "json":
        return len(json.loads(data)["results"]["bindings"])
    if fmt == "csv":
        import csv
        import io

        return max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1)
    return result_rows(data, fmt)


class _Worker:
    def __init__(self, store_dir: str, max_rows: int, memory: bool):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_dir, max_rows, memory), daemon=True)
        self.proc.start()
        self.store_dir = store_dir
        try:  # wait until the store is open (with --memory: loaded); not counted in any query's time
            ready = self.conn.recv()
        except EOFError:
            ready = ("error", 500, "the query worker exited while opening the build")
        if ready[0] != "ready":
            self.kill()
            raise QueryRefused(ready[1], ready[2])

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(timeout=5)


class QueryPool:
    """Worker processes holding the current build's store; a worker that overruns its time is replaced."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.busy = 0
        self.waiting = 0
        self.sem = asyncio.Semaphore(config.workers)

    def _store_dir(self) -> str:
        from cmlkg.store import current_generation

        return str(current_generation(self.config.build_dir) / "store")

    def _take(self) -> _Worker:
        store_dir = self._store_dir()
        with self.lock:
            while self.idle:
                w = self.idle.pop()
                if w.store_dir == store_dir and w.proc.is_alive():
                    return w
                w.kill()  # a new build was swapped in: workers move to it
        return _Worker(store_dir, self.config.max_rows, self.config.memory)

    def prewarm(self) -> None:
        """Start every worker now (with --memory, each loads the build before the port opens)."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.config.workers) as ex:
            workers = list(ex.map(lambda _i: self._take(), range(self.config.workers)))
        for w in workers:
            self._give_back(w)

    def _give_back(self, w: _Worker) -> None:
        with self.lock:
            self.idle.append(w)

    async def run(self, query: str, fmt: str, default_graphs: list[str], named_graphs: list[str]):
        if self.waiting >= self.config.queue_limit:
            raise QueryRefused(503, "the server is overloaded; try again shortly")
        self.waiting += 1
        try:
            async with self.sem:
                return await asyncio.get_running_loop().run_in_executor(
                    None, self._run_blocking, query, fmt, default_graphs, named_graphs
                )
        finally:
            self.waiting -= 1

    def _run_blocking(self, query, fmt, default_graphs, named_graphs):
        w = self._take()
        try:
            w.conn.send((query, fmt, default_graphs, named_graphs))
            if not w.conn.poll(self.config.timeout):
                w.kill()
                raise QueryRefused(503, f"the query ran longer than {self.config.timeout:g} s and was stopped (--timeout)")
            reply = w.conn.recv()
        except (EOFError, BrokenPipeError, OSError):
            w.kill()
            raise QueryRefused(500, "the query worker failed") from None
        self._give_back(w)
        if reply[0] == "error":
            raise QueryRefused(reply[1], reply[2])
        return reply[1], reply[2]

    def close(self) -> None:
        with self.lock:
            for w in self.idle:
                w.kill()
            self.idle.clear()


# ------------------------------------------------------------------ safety checks on the query text
_STRIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", re.I)


def check_query(query: str, allowed_services: tuple[str, ...]) -> None:
    """Refuse SPARQL Update and SERVICE calls to endpoints the operator did not allow."""
    for m in re.finditer(r"\bSERVICE\s+(?:SILENT\s+)?(<[^>]*>|\S+)", _without_literals_keep_iris(query), re.I):
        target = m.group(1).strip("<>")
        if target not in allowed_services:
            raise QueryRefused(
                403, f"SERVICE {target} is refused: this endpoint makes no outbound requests unless started with --allow-service"
            )
    bare = _STRIP.sub(" ", query)
    if _UPDATE.search(bare) and not re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", bare, re.I):
        raise QueryRefused(403, "this endpoint is read-only: SPARQL Update is refused")


def _without_literals_keep_iris(query: str) -> str:
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', " ", query)


# ------------------------------------------------------------------ content negotiation
def negotiate(accept: str, kinds: dict[str, str], default: str) -> str | None:
    """The format for an Accept header, or None when nothing acceptable can be served."""
    if not accept.strip():
        return kinds[default]
    prefs = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        mime, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        prefs.append((q, mime))
    for q, mime in sorted(prefs, key=lambda x: -x[0]):
        if q <= 0:
            continue
        if mime in kinds:
            return kinds[mime]
        if mime in ("*/*", "application/*", "text/*"):
            return kinds[default]
    return None


def _media_type(fmt: str, kind: str) -> str:
    if kind == "graph":
        return {v: k for k, v in GRAPH_TYPES.items()}[fmt]
    return {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
            "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8"}[fmt]


# ------------------------------------------------------------------ the app
def create_app(config: ServerConfig) -> Starlette:
    """The endpoint as an ASGI app (build it in a test without a socket)."""
    pool = QueryPool(config)

    def error(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    def base_url(request: Request) -> str:
        return (config.base or str(request.base_url)).rstrip("/") + "/"

    async def sparql(request: Request) -> Response:
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            query = params.get("query")
            default_graphs = params.getlist("default-graph-uri")
            named_graphs = params.getlist("named-graph-uri")
            if query is None:
                return service_description(request)
        else:
            size = int(request.headers.get("content-length") or 0)
            if size > MAX_REQUEST_BYTES:
                return error(413, f"request larger than {MAX_REQUEST_BYTES} bytes")
            body = await request.body()
            if len(body) > MAX_REQUEST_BYTES:
                return error(413, f"request larger than {MAX_REQUEST_BYTES} bytes")
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            params = request.query_params
            default_graphs = params.getlist("default-graph-uri")
            named_graphs = params.getlist("named-graph-uri")
            if ctype == "application/sparql-update":
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qs

                form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
                if "update" in form:
                    return error(403, "this endpoint is read-only: SPARQL Update is refused")
                query = (form.get("query") or [None])[0]
                default_graphs += form.get("default-graph-uri", [])
                named_graphs += form.get("named-graph-uri", [])
            else:
                return error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
            if not query:
                return error(400, "no query given")
        try:
            check_query(query, config.allowed_services)
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        accept = request.headers.get("accept", "")
        head = re.sub(r"(?s)#[^\n]*|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>", " ", query).lstrip().upper()
        is_graph = head.startswith(("CONSTRUCT", "DESCRIBE"))
        fmt = negotiate(accept, GRAPH_TYPES if is_graph else SELECT_TYPES,
                        "text/turtle" if is_graph else "application/sparql-results+json")
        if fmt is None:
            offered = ", ".join(GRAPH_TYPES if is_graph else SELECT_TYPES)
            return error(406, f"cannot serve {accept!r} for this query; available: {offered}")
        try:
            kind, payload = await pool.run(query, fmt, default_graphs, named_graphs)
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        return Response(payload, media_type=_media_type(fmt, kind))

    def service_description(request: Request) -> Response:
        endpoint = base_url(request) + "sparql"
        ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/RDF_XML>, <http://www.w3.org/ns/formats/JSON-LD> ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:vocabulary <{CML[:-1]}> ] ] .
"""
        return Response(ttl, media_type="text/turtle")

    async def index(request: Request) -> Response:
        # YASGUI (installed from npm by scripts/install.sh) when present, else a plain query form
        name = "yasgui.html" if (config.static_dir / "yasgui" / "yasgui.min.js").exists() else "index.html"
        page = (config.static_dir / name).read_text(encoding="utf-8")
        examples = {p.stem: p.read_text(encoding="utf-8") for p in sorted(_queries_dir().glob("*.rq"))}
        page = page.replace("__EXAMPLES__", json.dumps(examples).replace("</", "<\\/"))
        page = page.replace("__PREFIXES__", json.dumps(PREFIXES)).replace("__VERSION__", __version__)
        return HTMLResponse(page)

    async def void(request: Request) -> Response:
        from cmlkg.store import current_generation

        path = current_generation(config.build_dir) / "void.ttl"
        text = path.read_text(encoding="utf-8").replace("http://127.0.0.1:7878/sparql", base_url(request) + "sparql")
        return Response(text, media_type="text/turtle")

    async def download(request: Request) -> Response:
        from cmlkg.store import STABLE_NAMES, current_generation

        name = request.path_params["name"]
        if name not in STABLE_NAMES:
            return error(404, f"no download named {name}")
        return FileResponse(current_generation(config.build_dir) / name)

    async def resource(request: Request) -> Response:
        path = request.url.path
        iri = BASE + path.lstrip("/")
        if path.rstrip("/") == "/ontology":
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
        elif path.startswith("/graph/"):
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        else:
            query = (
                f"CONSTRUCT {{ <{iri}> ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }} WHERE {{ <{iri}> ?p ?o . "
                f"OPTIONAL {{ ?o ?p2 ?o2 FILTER(STRSTARTS(STR(?o), \"{iri}/\")) "
                f"OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(STRSTARTS(STR(?o2), \"{iri}/\")) }} }} }}"
            )
        accept = request.headers.get("accept", "")
        wants_html = "text/html" in accept and not any(t in accept for t in GRAPH_TYPES)
        fmt = "turtle" if wants_html else negotiate(accept, GRAPH_TYPES, "text/turtle")
        if fmt is None:
            return error(406, f"cannot serve {accept!r}; available: text/html, {', '.join(GRAPH_TYPES)}")
        try:
            _kind, payload = await pool.run(query, fmt, [], [])
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        if not payload.strip():
            return error(404, f"{iri} is not in this graph")
        if wants_html:
            return HTMLResponse(await _resource_html(pool, iri))
        return Response(payload, media_type={v: k for k, v in GRAPH_TYPES.items()}[fmt])

    routes = [
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", app=StaticFiles(directory=str(config.static_dir)), name="static"),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", void),
        Route("/dataset", void),
        Route("/dataset/{rest:path}", void),
        Route("/downloads/{name}", download),
        Route("/ontology", resource),
        Route("/resource/{rest:path}", resource),
        Route("/graph/{rest:path}", resource),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                               allow_headers=["*"])],
        lifespan=_lifespan(pool),
    )
    app.state.pool = pool
    return app


def _lifespan(pool: QueryPool):
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await asyncio.get_running_loop().run_in_executor(None, pool.prewarm)
        yield
        pool.close()

    return lifespan


async def _resource_html(pool: QueryPool, iri: str) -> str:
    query = f"""SELECT ?p ?o ?quote WHERE {{ <{iri}> ?p ?o .
      OPTIONAL {{ <{iri}> <{CML}evidence>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?quote }}
    }} ORDER BY ?p ?o"""
    _kind, payload = await pool.run(query, "json", [], [])
    rows = json.loads(payload)["results"]["bindings"]
    quotes = sorted({r["quote"]["value"] for r in rows if "quote" in r})
    seen, items = set(), []
    for r in rows:
        key = (r["p"]["value"], r["o"]["value"])
        if key in seen:
            continue
        seen.add(key)
        o = r["o"]
        value = html.escape(o["value"])
        if o["type"] == "uri":
            href = o["value"].replace(BASE, "/") if o["value"].startswith(BASE) else o["value"]
            value = f'<a href="{html.escape(href)}">{value}</a>'
        items.append(f"<tr><td>{html.escape(_curie(r['p']['value']))}</td><td>{value}</td></tr>")
    quote_html = "".join(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(iri)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:.2em .6em;vertical-align:top}}
blockquote{{background:#f4f4f4;padding:.5em;border-left:4px solid #888}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1>
{_citation_html(rows)}
{('<h2>Source text</h2>' + quote_html) if quotes else ''}
<h2>Facts</h2><table>{''.join(items)}</table></body></html>"""


def _citation_html(rows: list[dict]) -> str:
    """The paper an abstract belongs to (title, journal, year, PubMed and DOI links), if the graph knows it."""
    values: dict[str, list[str]] = {}
    for r in rows:
        values.setdefault(r["p"]["value"], []).append(r["o"]["value"])
    title = values.get(DCTERMS + "title", [None])[0]
    journal = values.get(PRISM + "publicationName", [None])[0]
    year = values.get(DCTERMS + "issued", [None])[0]
    links = [(page, "PubMed") for page in values.get(FOAF + "page", []) if page.startswith("https://pubmed.")]
    links += [(src, "DOI " + src.removeprefix("https://doi.org/")) for src in values.get(DCTERMS + "source", [])
              if src.startswith("https://doi.org/")]
    if not (title or journal or links):
        return ""
    parts = [f"<p class=\"citation\"><cite>{html.escape(title)}</cite></p>" if title else ""]
    where = ", ".join(html.escape(x) for x in (journal, year) if x)
    if where:
        parts.append(f"<p class=\"journal\">{where}</p>")
    if links:
        parts.append("<p>" + " · ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for href, text in links)
                     + "</p>")
    return "".join(parts)


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _queries_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "queries"


def run_server(config: ServerConfig, host: str, port: int, quiet: bool = False) -> None:
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    actual = sock.getsockname()[1]
    if not quiet:
        print(f"cmlkg {__version__}: SPARQL endpoint at http://{host}:{actual}/sparql (query page at /)",
              file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning" if quiet else "info",
                                           limit_concurrency=config.queue_limit + 32))
    server.run(sockets=[sock])


