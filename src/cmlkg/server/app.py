"""The Starlette app: routes and their handlers, the SPARQL 1.1 Protocol, the deadline-bound streamed
response, CORS on data routes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from urllib.parse import quote, unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from cmlkg import __version__
from cmlkg.namespaces import BASE, CML, ONTOLOGY_GRAPH, PREFIXES
from cmlkg.server.config import CORS_PATHS, GRAPH_TYPES, QueryRefused, ServerConfig
from cmlkg.server.jobs import GraphRowsJob, GraphsJob, LookupJob, PageJob, QueryJob
from cmlkg.server.negotiation import _media_type, negotiate
from cmlkg.server.pages import _graph_html, _ontology_html, _resource_html
from cmlkg.server.pool import QueryPool, StreamAborted
from cmlkg.server.protocol import base_url, sparql_request
from cmlkg.vocabulary import package_dir


def create_app(config: ServerConfig) -> Starlette:
    """The endpoint as an ASGI app (build it in a test without a socket)."""
    pool = QueryPool(config)
    endpoint = _Endpoint(config, pool)
    data_methods = ["GET", "POST", "QUERY"]
    routes = [
        Route("/", endpoint.index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Mount("/static", app=StaticFiles(directory=str(config.static_dir)), name="static"),
        Route("/sparql", endpoint.sparql, methods=data_methods),
        Route("/sparql/", endpoint.sparql, methods=data_methods),
        Route("/.well-known/void", endpoint.void),
        Route("/dataset", endpoint.void),
        Route("/dataset/{rest:path}", endpoint.void),
        Route("/downloads/{name}", endpoint.download),
        Route("/ontology", endpoint.resource),
        Route(
            f"/ontology/{__version__}", endpoint.resource
        ),  # the version IRI: this server serves this version
        Route("/resource/{rest:path}", endpoint.resource),
        Route("/graph/{rest:path}", endpoint.resource),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_DataCORS)], lifespan=_lifespan(pool))
    app.state.pool = pool
    return app


def _error(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


class _Endpoint:
    """The route handlers: each reads its request, hands the work to the query pool, and answers."""

    def __init__(self, config: ServerConfig, pool: QueryPool) -> None:
        self.config = config
        self.pool = pool
        self._ontology_page: str | None = None
        self._page_lock = asyncio.Lock()

    def base_url(self, request: Request) -> str:
        return base_url(request, self.config)

    async def sparql(self, request: Request) -> Response:
        """The SPARQL 1.1 Protocol: GET, POST (form or direct) and the HTTP QUERY method."""
        config = self.config
        try:
            asked = await sparql_request(request, config.body_timeout)
        except QueryRefused as exc:
            return _error(exc.status, str(exc))
        if asked is None:
            return await self.service_description(request)
        job = QueryJob(
            asked.query,
            request.headers.get("accept", ""),
            asked.default_graphs,
            asked.named_graphs,
            self.base_url(request) + "sparql",
        )
        deadline = time.monotonic() + config.timeout  # for the whole answer, up to its last byte
        try:  # parsing, negotiation and the run all happen in a worker: nothing query-sized on this loop
            kind, fmt, chunks = await self.pool.stream(job, request, deadline)
            headers = {"Vary": "Accept"}
            if request.scope.get("http_version") == "1.0":  # no chunked encoding: a cut would look complete
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    body = b"".join([chunk async for chunk in chunks])
                return Response(body, media_type=_media_type(fmt, kind), headers=headers)
        except QueryRefused as exc:
            return _error(exc.status, str(exc))
        except StreamAborted as exc:
            return _error(503, f"the result could not be completed: {exc}")
        except TimeoutError:
            return _error(503, f"the result was not complete within {config.timeout:g} s (--timeout)")
        return _DeadlineStream(chunks, deadline, media_type=_media_type(fmt, kind), headers=headers)

    async def service_description(self, request: Request) -> Response:
        """The service description (SPARQL 1.1 Service Description), in the format asked for, with
        the named graphs of the dataset and a link to its VoID description."""
        import pyoxigraph as ox

        fmt = negotiate(request.headers.get("accept", ""), GRAPH_TYPES, "text/turtle")
        if fmt is None:
            return _error(406, f"the service description is available as {', '.join(GRAPH_TYPES)}")
        try:
            _kind, _fmt, graphs = await self.pool.run(GraphsJob(), request)
        except QueryRefused as exc:
            return _error(exc.status, str(exc))
        ttl = _service_description(self.base_url(request), json.loads(graphs))
        if fmt == "turtle":
            return Response(ttl, media_type="text/turtle", headers={"Vary": "Accept"})
        from cmlkg.export import FORMATS

        triples = ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE)
        data = ox.serialize(triples, format=FORMATS[fmt][0])
        return Response(data, media_type=_GRAPH_MEDIA_TYPES[fmt], headers={"Vary": "Accept"})

    async def index(self, request: Request) -> Response:
        # YASGUI (vendored in static/yasgui) when present, else a plain query form
        static_dir = self.config.static_dir
        name = "yasgui.html" if (static_dir / "yasgui" / "yasgui.min.js").exists() else "index.html"
        page = (static_dir / name).read_text(encoding="utf-8")
        examples = {p.stem: p.read_text(encoding="utf-8") for p in sorted(_queries_dir().glob("*.rq"))}
        page = page.replace("__EXAMPLES__", json.dumps(examples).replace("</", "<\\/"))
        page = page.replace("__PREFIXES__", json.dumps(PREFIXES)).replace("__VERSION__", __version__)
        return HTMLResponse(page)

    async def void(self, request: Request) -> Response:
        from cmlkg.store import current_generation

        path = current_generation(self.config.build_dir) / "void.ttl"
        text = path.read_text(encoding="utf-8").replace(
            "http://127.0.0.1:7878/sparql", self.base_url(request) + "sparql"
        )
        return Response(text, media_type="text/turtle")

    async def download(self, request: Request) -> Response:
        from cmlkg.store import STABLE_NAMES, current_generation

        name = request.path_params["name"]
        if name not in STABLE_NAMES:
            return _error(404, f"no download named {name}")
        if name == "void.ttl":  # names this endpoint as the client reached it
            return await self.void(request)
        return FileResponse(current_generation(self.config.build_dir) / name)

    async def resource(self, request: Request) -> Response:
        """A resource, a named graph or the ontology: an HTML page for a browser, else RDF."""
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("utf-8", "surrogateescape")
        mode, iri = _addressed(path)
        if iri is None:
            return _error(404, f"{path} is not an IRI of this graph")
        accept = request.headers.get("accept", "")
        wants_html = "text/html" in accept and not any(t in accept for t in GRAPH_TYPES)
        fmt = "turtle" if wants_html else negotiate(accept, GRAPH_TYPES, "text/turtle")
        if fmt is None:
            return _error(406, f"cannot serve {accept!r}; available: text/html, {', '.join(GRAPH_TYPES)}")
        vary = {"Vary": "Accept"}
        if wants_html and mode == "ontology":
            return HTMLResponse(await self.ontology_page(), headers=vary)
        try:
            if wants_html:
                return await self._resource_page(request, mode, iri)
            _kind, fmt, payload = await self.pool.run(LookupJob(mode, iri, fmt), request)
        except QueryRefused as exc:
            return _error(exc.status, str(exc))
        return Response(payload, media_type=_GRAPH_MEDIA_TYPES[fmt], headers=vary)

    async def _resource_page(self, request: Request, mode: str, iri: str) -> Response:
        """One lookup: the rows the page shows (none: not in this graph)."""
        job = GraphRowsJob(iri) if mode == "graph" else PageJob(iri)
        _kind, _fmt, rows = await self.pool.run(job, request)
        rows = json.loads(rows)
        if not rows:
            return _error(404, f"{iri} is not in this graph")
        page = _graph_html(iri, rows) if mode == "graph" else _resource_html(iri, rows)
        return HTMLResponse(page, headers={"Vary": "Accept"})

    async def ontology_page(self) -> str:
        """The ontology's documentation (pyLODE), made once per server, off the event loop."""
        async with self._page_lock:
            if self._ontology_page is None:
                self._ontology_page = await asyncio.to_thread(_ontology_html)
        return self._ontology_page


_GRAPH_MEDIA_TYPES = {v: k for k, v in GRAPH_TYPES.items()}


def _addressed(path: str) -> tuple[str, str | None]:
    """What a request path names: ("ontology" | "graph" | "resource", its IRI); None for a path that
    is no IRI of this graph. The IRI is minted the way cmlkg mints it: each segment percent-encoded
    the one way namespaces.py does, whatever encoding the client chose; it is looked up as a term,
    never put in a query."""
    if path.rstrip("/") in ("/ontology", f"/ontology/{__version__}"):
        return "ontology", ONTOLOGY_GRAPH
    mode = "graph" if path.startswith("/graph/") else "resource"
    segments = path.lstrip("/").split("/")
    try:
        return mode, BASE + "/".join(quote(unquote(seg, errors="strict"), safe="-_.~") for seg in segments)
    except UnicodeDecodeError:
        return mode, None


def _service_description(base: str, graphs: list[str]) -> str:
    """The service description in Turtle, for the server at ``base`` with these named graphs."""
    endpoint = base + "sparql"
    named = "".join(f"        sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ] ;\n" for g in graphs)
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
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
    rdfs:seeAlso <{base}.well-known/void> ;
    sd:defaultDataset [ a sd:Dataset ;
        void:vocabulary <{CML[:-1]}> ;
        sd:defaultGraph [ a sd:Graph ; rdfs:comment "the union of all named graphs" ] ;
{named}    ] .
"""


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


def _queries_dir() -> Path:
    return package_dir("queries")
