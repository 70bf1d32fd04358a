"""The Starlette app: routes and their handlers, the SPARQL 1.1 Protocol, the deadline-bound streamed
response, CORS on data routes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from pathlib import Path
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from cmlkg import __version__
from cmlkg.namespaces import BASE, CML, ONTOLOGY_GRAPH, PREFIXES
from cmlkg.server.config import CORS_PATHS, GRAPH_TYPES, MAX_REQUEST_BYTES, QueryRefused, ServerConfig
from cmlkg.server.negotiation import _media_type, negotiate
from cmlkg.server.pages import _graph_html, _ontology_html, _resource_html
from cmlkg.server.pool import QueryPool, StreamAborted
from cmlkg.vocabulary import package_dir


def create_app(config: ServerConfig) -> Starlette:
    """The endpoint as an ASGI app (build it in a test without a socket)."""
    pool = QueryPool(config)

    def error(status: int, message: str) -> Response:
        return PlainTextResponse(message + "\n", status_code=status)

    def base_url(request: Request) -> str:
        """Where links, VoID and the service description say this server is: --base-url, else the
        Host the client named when it is in --allow-host, else the address the server is bound to.
        A Host header alone is never trusted (a shared cache would keep a forged one)."""
        if config.base:
            return config.base.rstrip("/") + "/"
        host = request.headers.get("host", "").strip().lower()
        if host and host in config.allowed_hosts:
            return f"{request.url.scheme}://{host}/"
        return (config.bound or str(request.base_url)).rstrip("/") + "/"

    async def read_body(request: Request) -> bytes:
        """The request body, refused as soon as it passes the size limit, within --body-timeout."""
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_REQUEST_BYTES:
            raise QueryRefused(413, f"request larger than {MAX_REQUEST_BYTES} bytes")
        chunks, total = [], 0

        async def collect() -> None:
            nonlocal total
            try:
                async for chunk in request.stream():  # chunked bodies too: never buffered past the limit
                    total += len(chunk)
                    if total > MAX_REQUEST_BYTES:
                        raise QueryRefused(413, f"request larger than {MAX_REQUEST_BYTES} bytes")
                    chunks.append(chunk)
            except ClientDisconnect:  # the client left mid-body: nothing to answer, nothing to log
                raise QueryRefused(499, "the client closed the connection") from None

        try:
            await asyncio.wait_for(collect(), config.body_timeout)
        except TimeoutError:
            raise QueryRefused(
                408, f"the request body was not sent within {config.body_timeout:g} s"
            ) from None
        return b"".join(chunks)

    async def sparql(request: Request) -> Response:
        """The SPARQL 1.1 Protocol: GET, POST (form or direct) and the HTTP QUERY method."""
        params = request.query_params
        default_graphs = params.getlist("default-graph-uri")
        named_graphs = params.getlist("named-graph-uri")
        queries = params.getlist("query")
        if "update" in params:
            return error(403, "this endpoint is read-only: SPARQL Update is refused")
        if request.method in ("GET", "HEAD"):
            if not queries:
                return await service_description(request)
        else:
            try:
                body = await read_body(request)
            except QueryRefused as exc:
                return error(exc.status, str(exc))
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return error(403, "this endpoint is read-only: SPARQL Update is refused")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return error(400, f"the request body is not UTF-8 (byte offset {exc.start})")
            if ctype == "application/sparql-query":
                queries = queries + [text]
            elif ctype == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qs

                try:
                    form = parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
                except UnicodeDecodeError:
                    return error(400, "the form is not UTF-8 once percent-decoded")
                if "update" in form:
                    return error(403, "this endpoint is read-only: SPARQL Update is refused")
                queries = queries + form.get("query", [])
                default_graphs += form.get("default-graph-uri", [])
                named_graphs += form.get("named-graph-uri", [])
            else:
                return error(
                    415, "send a query as application/sparql-query or application/x-www-form-urlencoded"
                )
        if len(queries) != 1 or not queries[0].strip():
            return error(400, "give exactly one query" if queries else "no query given")
        default_graphs, named_graphs = _split_graph_params(default_graphs, named_graphs)
        accept = request.headers.get("accept", "")
        job = ("query", queries[0], accept, default_graphs, named_graphs, base_url(request) + "sparql")
        deadline = time.monotonic() + config.timeout  # for the whole answer, up to its last byte
        try:  # parsing, negotiation and the run all happen in a worker: nothing query-sized on this loop
            kind, fmt, chunks = await pool.stream(job, request, deadline)
            headers = {"Vary": "Accept"}
            if request.scope.get("http_version") == "1.0":  # no chunked encoding: a cut would look complete
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    body = b"".join([chunk async for chunk in chunks])
                return Response(body, media_type=_media_type(fmt, kind), headers=headers)
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        except StreamAborted as exc:
            return error(503, f"the result could not be completed: {exc}")
        except TimeoutError:
            return error(503, f"the result was not complete within {config.timeout:g} s (--timeout)")
        return _DeadlineStream(chunks, deadline, media_type=_media_type(fmt, kind), headers=headers)

    async def service_description(request: Request) -> Response:
        """The service description (SPARQL 1.1 Service Description), in the format asked for, with
        the named graphs of the dataset and a link to its VoID description."""
        import pyoxigraph as ox

        endpoint = base_url(request) + "sparql"
        fmt = negotiate(request.headers.get("accept", ""), GRAPH_TYPES, "text/turtle")
        if fmt is None:
            return error(406, f"the service description is available as {', '.join(GRAPH_TYPES)}")
        try:
            _kind, _fmt, graphs = await pool.run(("graphs",), request)
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        named = "".join(
            f"        sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ] ;\n" for g in json.loads(graphs)
        )
        ttl = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/RDF_XML>, <http://www.w3.org/ns/formats/JSON-LD> ;
    sd:feature sd:UnionDefaultGraph ;
    rdfs:seeAlso <{base_url(request)}.well-known/void> ;
    sd:defaultDataset [ a sd:Dataset ;
        void:vocabulary <{CML[:-1]}> ;
        sd:defaultGraph [ a sd:Graph ; rdfs:comment "the union of all named graphs" ] ;
{named}    ] .
"""
        if fmt == "turtle":
            return Response(ttl, media_type="text/turtle", headers={"Vary": "Accept"})
        from cmlkg.export import FORMATS

        triples = ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE)
        data = ox.serialize(triples, format=FORMATS[fmt][0])
        return Response(
            data, media_type={v: k for k, v in GRAPH_TYPES.items()}[fmt], headers={"Vary": "Accept"}
        )

    async def index(request: Request) -> Response:
        # YASGUI (vendored in static/yasgui) when present, else a plain query form
        name = "yasgui.html" if (config.static_dir / "yasgui" / "yasgui.min.js").exists() else "index.html"
        page = (config.static_dir / name).read_text(encoding="utf-8")
        examples = {p.stem: p.read_text(encoding="utf-8") for p in sorted(_queries_dir().glob("*.rq"))}
        page = page.replace("__EXAMPLES__", json.dumps(examples).replace("</", "<\\/"))
        page = page.replace("__PREFIXES__", json.dumps(PREFIXES)).replace("__VERSION__", __version__)
        return HTMLResponse(page)

    async def void(request: Request) -> Response:
        from cmlkg.store import current_generation

        path = current_generation(config.build_dir) / "void.ttl"
        text = path.read_text(encoding="utf-8").replace(
            "http://127.0.0.1:7878/sparql", base_url(request) + "sparql"
        )
        return Response(text, media_type="text/turtle")

    async def download(request: Request) -> Response:
        from cmlkg.store import STABLE_NAMES, current_generation

        name = request.path_params["name"]
        if name not in STABLE_NAMES:
            return error(404, f"no download named {name}")
        if name == "void.ttl":  # names this endpoint as the client reached it
            return await void(request)
        return FileResponse(current_generation(config.build_dir) / name)

    async def resource(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("utf-8", "surrogateescape")
        if path.rstrip("/") in ("/ontology", f"/ontology/{__version__}"):
            mode, iri = "ontology", ONTOLOGY_GRAPH
        else:
            # the IRI as cmlkg mints it: each segment percent-encoded the one way namespaces.py does,
            # whatever encoding the client chose; the IRI is looked up as a term, never put in a query
            mode = "graph" if path.startswith("/graph/") else "resource"
            segments = path.lstrip("/").split("/")
            try:
                iri = BASE + "/".join(quote(unquote(seg, errors="strict"), safe="-_.~") for seg in segments)
            except UnicodeDecodeError:
                return error(404, f"{path} is not an IRI of this graph")
        accept = request.headers.get("accept", "")
        wants_html = "text/html" in accept and not any(t in accept for t in GRAPH_TYPES)
        fmt = "turtle" if wants_html else negotiate(accept, GRAPH_TYPES, "text/turtle")
        if fmt is None:
            return error(406, f"cannot serve {accept!r}; available: text/html, {', '.join(GRAPH_TYPES)}")
        vary = {"Vary": "Accept"}
        if wants_html and mode == "ontology":
            return HTMLResponse(await ontology_page(), headers=vary)
        try:
            if wants_html:  # one lookup: the rows the page shows (none: not in this graph)
                job = ("graph_rows", iri) if mode == "graph" else ("page", iri)
                _kind, _fmt, rows = await pool.run(job, request)
                rows = json.loads(rows)
                if not rows:
                    return error(404, f"{iri} is not in this graph")
                page = _graph_html(iri, rows) if mode == "graph" else _resource_html(iri, rows)
                return HTMLResponse(page, headers=vary)
            _kind, fmt, payload = await pool.run(("lookup", mode, iri, fmt), request)
        except QueryRefused as exc:
            return error(exc.status, str(exc))
        return Response(payload, media_type={v: k for k, v in GRAPH_TYPES.items()}[fmt], headers=vary)

    page_cache: dict[str, str] = {}
    page_lock = asyncio.Lock()

    async def ontology_page() -> str:
        """The ontology's documentation (pyLODE), made once per server, off the event loop."""
        async with page_lock:
            if "ontology" not in page_cache:
                page_cache["ontology"] = await asyncio.to_thread(_ontology_html)
        return page_cache["ontology"]

    routes = [
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", app=StaticFiles(directory=str(config.static_dir)), name="static"),
        Route("/sparql", sparql, methods=["GET", "POST", "QUERY"]),
        Route("/sparql/", sparql, methods=["GET", "POST", "QUERY"]),
        Route("/.well-known/void", void),
        Route("/dataset", void),
        Route("/dataset/{rest:path}", void),
        Route("/downloads/{name}", download),
        Route("/ontology", resource),
        Route(f"/ontology/{__version__}", resource),  # the version IRI: this server serves this version
        Route("/resource/{rest:path}", resource),
        Route("/graph/{rest:path}", resource),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_DataCORS)], lifespan=_lifespan(pool))
    app.state.pool = pool
    return app


class _DeadlineStream(StreamingResponse):
    """A streamed answer with a deadline for the whole transfer: a client that reads too slowly, or
    not at all, has its connection aborted at the deadline (the driving thread has already freed the
    worker by then). A failure after the first bytes aborts the connection too: the client sees a
    broken transfer, never a clean end to a partial result; neither is logged as a server error."""

    def __init__(self, content, deadline: float, **kwargs):
        super().__init__(content, **kwargs)
        self.deadline = deadline

    async def __call__(self, scope, receive, send) -> None:
        async def client_gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        streaming = asyncio.ensure_future(self.stream_response(send))
        watching = asyncio.ensure_future(client_gone())
        complete, reset = False, True
        try:
            async with asyncio.timeout(max(0.0, self.deadline - time.monotonic())):
                await asyncio.wait({streaming, watching}, return_when=asyncio.FIRST_COMPLETED)
            if streaming.done():
                streaming.result()  # StreamAborted or OSError when the result was cut off
                complete = True
        except (
            StreamAborted
        ):  # the client is reading: what it has is delivered, then the chunked body stops short
            reset = False
        except (TimeoutError, OSError):
            pass
        finally:
            streaming.cancel()  # the body's own finally tells the driving thread to end its worker
            watching.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(streaming, watching, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.body_iterator.aclose()  # type: ignore[attr-defined]  # an async generator
            if not complete:
                _abort(scope.get("cmlkg.transport"), reset)
                await asyncio.sleep(0)  # the connection is marked lost: a cut, not a server error to log


def _abort(transport, reset: bool = True) -> None:
    """Close a connection at once: a reset, with whatever the kernel still holds for the client dropped
    (a plain close would go on feeding a slow reader from the socket buffers); without ``reset``, a
    close after what is buffered (the client sees a chunked body that never ends properly)."""
    import socket
    import struct

    if transport is None:
        return
    if not reset:
        transport.close()
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class _DataCORS:
    """CORS for the query endpoint and the data documents only (not for the query page)."""

    def __init__(self, app):
        self.app = app
        self.cors = CORSMiddleware(
            app, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"]
        )

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if any(path == p.rstrip("/") or path.startswith(p) for p in CORS_PATHS):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _lifespan(pool: QueryPool):
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await asyncio.get_running_loop().run_in_executor(None, pool.prewarm)
        yield
        pool.close()

    return lifespan


def _split_graph_params(default_graphs: list[str], named_graphs: list[str]) -> tuple[list[str], list[str]]:
    """Graph parameters whose '&' separator arrived percent-encoded, as in the W3C protocol test
    ``query_multiple_dataset`` ("...data1.rdf%26named-graph-uri%3D...data2.rdf"): read as the
    parameters they spell. An IRI of a graph holds no "&named-graph-uri=" of its own."""
    out: dict[str, list[str]] = {"default-graph-uri": [], "named-graph-uri": []}
    for name, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for value in values:
            parts = re.split(r"&(default-graph-uri|named-graph-uri)=", value)
            out[name].append(parts[0])
            for k in range(1, len(parts), 2):
                out[parts[k]].append(parts[k + 1])
    return out["default-graph-uri"], out["named-graph-uri"]


def _queries_dir() -> Path:
    return package_dir("queries")
