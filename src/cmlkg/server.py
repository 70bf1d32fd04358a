"""The SPARQL endpoint: a Starlette app over the current build, read-only and safe by default.

Queries run in worker processes that hold the store open read-only. A query that passes its time
limit is stopped by ending its worker (pyoxigraph cannot cancel a query), and the client gets HTTP
503 with a message, never a truncated 200. Results stream as Oxigraph writes them (the first 256 kB
held back, so that a small result that breaks a limit still gets its clean status); --timeout covers
the whole answer, to its last byte. Workers run with a memory ceiling and, unless SERVICE targets
are allowed, in a network namespace of their own with no route out.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import html
import json
import multiprocessing as mp
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
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
from cmlkg.vocabulary import package_dir
from cmlkg.namespaces import BASE, CML, DCTERMS, FOAF, OA, ONTOLOGY_GRAPH, PREFIXES, PRISM, RDFS

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
CORS_PATHS = ("/sparql", "/downloads/", "/resource/", "/graph/", "/ontology", "/.well-known/void", "/dataset")


@dataclass
class ServerConfig:
    build_dir: Path
    timeout: float = 30.0
    max_rows: int = 100_000
    max_bytes: int = 200_000_000  # of one serialised result
    header_timeout: float = 10.0  # to send a request's line and headers
    body_timeout: float = 30.0  # to send its body
    allowed_services: tuple[str, ...] = ()
    base: str | None = None
    allowed_hosts: tuple[str, ...] = ()  # Host headers taken as this server's name (--allow-host)
    bound: str | None = None  # the address served, set when the socket is bound
    workers: int = 2
    memory: bool = False  # each worker loads the build into memory: several times faster, costs RAM
    queue_limit: int = 64
    max_memory: int = 0  # address-space ceiling of one query worker, bytes (0: none); see default_max_memory
    static_dir: Path = field(default_factory=lambda: package_dir("static"))


def default_max_memory(workers: int, memory: bool = False) -> int:
    """A worker's memory ceiling sized to the machine: all workers together, at their ceilings, leave
    a share as large as one of them to the server and the rest of the host; at most 4 GiB unless the
    workers hold the graph in memory (--memory)."""
    import os

    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    share = total // (max(1, workers) + 1)
    return max(1 << 30, share if memory else min(share, 4 << 30))  # on disk a query needs far less


def parse_size(text: str) -> int:
    """'4G', '512M', '1.5GiB', '2000000' -> bytes (the suffixes are powers of 1024)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
    if not m:
        raise ValueError(f"not a size: {text!r} (examples: 4G, 512M, 2000000)")
    power = " kmgt".index(m.group(2) or " ")
    return int(float(m.group(1)) * 1024**power)


class QueryRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ------------------------------------------------------------------ worker processes
class _TooLarge(Exception):
    pass


class _Limited:
    """A file object for Oxigraph's writers that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        import io

        self.limit, self.size, self.buffer = limit, 0, io.BytesIO()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        return self.buffer.write(data)

    def flush(self) -> None:
        pass


class _Streamed:
    """A file object for Oxigraph's writers that streams the result: the first ``hold`` bytes are
    kept back (so a small result that breaks a limit still gets its clean 4xx status), then the head
    and everything written are sent on at once. It refuses to pass ``limit`` bytes, and keeps the
    bytes for the exact row count at the end (memory bounded by ``limit``, as without streaming)."""

    def __init__(self, limit: int, emit, head: tuple, hold: int = 256 * 1024):
        # held back: 256 kB, or all of it when --max-bytes is lower (a byte-limit breach is then a 413)
        self.limit, self.size, self.emit, self.head, self.hold = limit, 0, emit, head, min(hold, limit + 1)
        self.parts: list[bytes] = []
        self.sent = 0  # how many of parts are out
        self.waiting = 0  # bytes written and not out yet

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(data)
        self.waiting += len(data)
        if self.size >= self.hold and self.waiting >= 65536:  # pieces of 64 kB: fewer messages, same latency
            self.release()
        return len(data)

    def release(self) -> None:
        """Send the head (once) and whatever is not out yet, as one piece."""
        if self.head is not None:
            self.emit(("head", *self.head))
            self.head = None
        if self.sent < len(self.parts):
            self.emit(("chunk", b"".join(self.parts[self.sent :])))
        self.sent = len(self.parts)
        self.waiting = 0

    def flush(self) -> None:
        pass


def _isolate(limits: dict) -> bool:
    """Confine this worker process before it opens anything: an address-space ceiling
    (``--max-memory``, enforced by the kernel: an allocation past it fails and the query ends), and,
    unless SERVICE targets are allowed, a network namespace of its own with no interface up, so that
    no query can make an outbound connection whatever the parser thinks of it. True when the network
    is cut off."""
    import ctypes
    import resource

    if limits["max_memory"]:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limits["max_memory"], limits["max_memory"]))
    if limits["allowed_services"]:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    for flags in (clone_newnet, clone_newnet | clone_newuser):  # as root, or as a user in a user namespace
        if libc.unshare(flags) == 0:
            return True
    return False


def _worker_main(conn, store_dir: str, limits: dict) -> None:
    """A query worker: holds the store, and answers jobs sent over ``conn`` until the pipe closes.

    Everything user-sized happens here (parsing the query, running it, serialising the result), in a
    process the server can end when it overruns --timeout or its client hangs up.
    """
    isolated = _isolate(limits)
    import pyoxigraph as ox

    try:
        if limits["memory"]:  # the build's TriG holds exactly what its store holds
            store = ox.Store()
            store.bulk_load(path=str(Path(store_dir).parent / "cmlkg.trig"), format=ox.RdfFormat.TRIG)
        else:
            store = ox.Store.read_only(store_dir)
    except (OSError, SyntaxError) as exc:
        conn.send(("error", 500, f"cannot open the build: {exc}"))
        return
    try:
        conn.send(("ready", isolated))
    except (BrokenPipeError, OSError):  # the server ended this worker while it started: nothing to do
        return
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        started = []  # a streamed answer's head is out: a later failure can only abort it

        def emit(message) -> None:
            if message[0] == "head":
                started.append(True)
            conn.send(message)

        try:
            if job[0] == "query":
                reply = _answer_query(store, limits, *job[1:], emit=emit)
            elif job[0] == "lookup":
                reply = _answer_lookup(store, limits, *job[1:])
            elif job[0] == "graph_rows":
                rows = [[t.subject.value, t.predicate.value,
                         {"type": "uri" if isinstance(t.object, ox.NamedNode) else "literal", "value": t.object.value}]
                        for t in _lookup_triples(store, "graph", job[1])[:20_000]]
                reply = ("ok", "rows", "json", json.dumps(rows).encode())
            elif job[0] == "graphs":
                graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
                reply = ("ok", "rows", "json", json.dumps(graphs).encode())
            else:
                reply = ("ok", "rows", "json", json.dumps(_page_rows(store, job[1])).encode())
        except QueryRefused as exc:
            reply = ("error", exc.status, str(exc))
        except _TooLarge:
            reply = ("error", 413, f"the result is larger than {limits['max_bytes']:,} bytes (--max-bytes); add a LIMIT")
        except SyntaxError as exc:
            reply = ("error", 400, f"malformed SPARQL query: {exc}")
        except MemoryError:
            reply = _worker_death(-6, limits["max_memory"])
        except Exception as exc:  # noqa: BLE001 - anything else is the query's failure, reported as such
            reply = ("error", 500, f"the query failed: {exc}")
        if started and reply[0] == "error":
            reply = ("abort", reply[2])
        conn.send(reply)


def _write_graph(triples: list, fmt: str, out) -> None:
    """Triples in an RDF format; JSON-LD as one document with an @context of the prefixes and one
    node per subject (the triples are ordered by subject, which Oxigraph's writer groups)."""
    import pyoxigraph as ox

    from cmlkg.export import FORMATS

    if fmt == "jsonld":
        triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        out.write(b'{"@context": ' + json.dumps(PREFIXES, sort_keys=True).encode() + b', "@graph": ')
        ox.serialize(triples, out, format=FORMATS[fmt][0])
        out.write(b"}\n")
    else:
        ox.serialize(triples, out, format=FORMATS[fmt][0], prefixes=PREFIXES)


def _answer_query(store, limits: dict, query: str, accept: str, default_graphs: list[str], named_graphs: list[str],
                  base: str | None = None, emit=None):
    """Answer a query, streamed through ``emit``: ("head", kind, format), ("chunk", bytes)..., and the
    returned ("end",). Anything refused before the head is a plain error with its HTTP status."""
    import pyoxigraph as ox

    from cmlkg.errors import QueryError
    from cmlkg.query import RESULT_FORMATS
    from cmlkg.sparql import ServiceRefused, UpdateRefused, check_shape, inspect_query, refuse_services

    try:
        check_shape(query)
        info = inspect_query(query)
        refuse_services(query, limits["allowed_services"])
    except (UpdateRefused, ServiceRefused) as exc:
        raise QueryRefused(403, str(exc)) from None
    except QueryError as exc:
        raise QueryRefused(400, str(exc)) from None
    kinds = GRAPH_TYPES if info.is_graph else SELECT_TYPES
    fmt = negotiate(accept, kinds, "text/turtle" if info.is_graph else "application/sparql-results+json")
    if fmt is None:
        raise QueryRefused(406, f"cannot serve {accept!r} for this query; available: {', '.join(kinds)}")
    kwargs: dict = {"base_iri": base} if base else {}  # relative IRIs resolve against the endpoint
    if default_graphs or named_graphs:  # the protocol names the dataset: exactly that one, even over FROM
        if info.has_dataset:
            from cmlkg.sparql import without_dataset

            try:
                query = without_dataset(query)
            except QueryError as exc:
                raise QueryRefused(400, str(exc)) from None
        try:
            [ox.NamedNode(g) for g in (*default_graphs, *named_graphs)]
        except ValueError as exc:
            raise QueryRefused(400, f"default-graph-uri / named-graph-uri: not an IRI: {exc}") from None
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif not info.has_dataset:  # no dataset named anywhere: every graph, as the default graph
        kwargs["use_default_graph_as_union"] = True
    results = store.query(query, **kwargs)
    max_rows = limits["max_rows"]
    if isinstance(results, ox.QueryTriples):
        triples = []
        for k, t in enumerate(results):
            if k >= max_rows:
                raise QueryRefused(413, f"the result has more than {max_rows} triples (--max-rows)")
            triples.append(t)
        out = _Streamed(limits["max_bytes"], emit, ("graph", fmt))
        _write_graph(triples, fmt, out)
    elif isinstance(results, ox.QueryBoolean):
        out = _Streamed(limits["max_bytes"], emit, ("boolean", fmt))
        results.serialize(out, format=RESULT_FORMATS[fmt])
    else:
        # the first rows leave while the rest are computed; Oxigraph's own writer: no Python per row
        out = _Streamed(limits["max_bytes"], emit, ("select", fmt))
        results.serialize(out, format=RESULT_FORMATS[fmt])
        data = b"".join(out.parts)
        if result_rows(data, fmt) > max_rows and exact_rows(data, fmt) > max_rows:
            raise QueryRefused(413, f"the result has more than {max_rows} rows (--max-rows); add a LIMIT")
    out.release()
    return ("end",)


def _lookup_triples(store, mode: str, iri: str) -> list:
    """The triples a dereferenced IRI stands for, found by term lookup (no query text is built)."""
    import pyoxigraph as ox

    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    if mode in ("graph", "ontology"):
        if not store.contains_named_graph(node):
            return []
        return [q.triple for q in store.quads_for_pattern(None, None, None, node)]
    seen, out = set(), []
    frontier = [node]
    for _depth in range(3):  # the resource, and the nodes minted under it, two levels down
        nxt = []
        for subject in frontier:
            for q in store.quads_for_pattern(subject, None, None, None):
                t = q.triple
                if t in seen:
                    continue
                seen.add(t)
                out.append(t)
                if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(iri + "/"):
                    nxt.append(t.object)
        frontier = nxt
    return out


def _answer_lookup(store, limits: dict, mode: str, iri: str, fmt: str):
    triples = _lookup_triples(store, mode, iri)
    if not triples:
        raise QueryRefused(404, f"{iri} is not in this graph")
    out = _Limited(limits["max_bytes"])
    _write_graph(triples, fmt, out)
    return ("ok", "graph", fmt, out.buffer.getvalue())


def _page_rows(store, iri: str) -> list[dict]:
    """What the HTML page of a resource lists: its properties, and the text its evidence quotes."""
    import pyoxigraph as ox

    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    rows, seen = [], set()
    for q in store.quads_for_pattern(node, None, None, None):
        key = (q.predicate.value, q.object.value)
        if key in seen:
            continue
        seen.add(key)
        o = q.object
        rows.append({"p": q.predicate.value, "o": {"type": "uri" if isinstance(o, ox.NamedNode) else "literal",
                                                   "value": o.value}})
        if q.predicate.value == CML + "evidence" and isinstance(o, ox.NamedNode):
            for sel in store.quads_for_pattern(o, ox.NamedNode(OA + "hasSelector"), None, None):
                for exact in store.quads_for_pattern(sel.object, ox.NamedNode(OA + "exact"), None, None):
                    rows.append({"quote": exact.object.value})
        if q.predicate.value in _SUMMARISED and isinstance(o, ox.NamedNode):
            # an arm's (or population's) facts readable on its page: "major molecular response: 46%, at 12
            # months", "study treatment: imatinib (800 mg/d imatinib)"
            rows[-1]["label"] = _first_value(store, o, RDFS + "label")
            details = [f"at {t} months" for t in _values(store, o, CML + "timePointMonths")]
            for dose in _values(store, o, CML + "hasDose", iri=True):
                details += _values(store, ox.NamedNode(dose), RDFS + "label")
            rows[-1]["detail"] = ", ".join(details)
    return sorted(rows, key=lambda r: (r.get("p", ""), r["o"]["value"] if "o" in r else r["quote"]))


_SUMMARISED = {CML + "reportsOutcome", CML + "reportsAdverseEvent", CML + "receivedTreatment", CML + "hasArm",
               CML + "hasSubgroup"}


def _values(store, node, predicate: str, iri: bool = False) -> list[str]:
    import pyoxigraph as ox

    return sorted(q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
                  if iri == isinstance(q.object, ox.NamedNode))


def _first_value(store, node, predicate: str) -> str | None:
    values = _values(store, node, predicate)
    return values[0] if values else None


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
    def __init__(self, store_dir: str, limits: dict):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_dir, limits), daemon=True)
        self.proc.start()
        child.close()  # the parent keeps one end: a dead worker is an EOF here, not a silent wait
        self.store_dir = store_dir
        try:  # wait until the store is open (with --memory: loaded); not counted in any query's time
            ready = self.conn.recv()
        except EOFError:
            ready = ("error", 500, "the query worker exited while opening the build")
        if ready[0] != "ready":
            self.kill()
            raise QueryRefused(ready[1], ready[2])
        self.isolated = ready[1] if len(ready) > 1 else False

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class _Channel:
    """Messages from a pool thread to the event loop. The thread never waits for the client: past
    ``memory`` bytes, result chunks go to a temporary file that the client drains at its own pace
    (bounded by --max-bytes, within the response's deadline), so a client that reads slowly, or not at
    all, holds neither a worker nor the server's memory."""

    def __init__(self, loop: asyncio.AbstractEventLoop, memory: int = 1 << 20):
        self.loop, self.memory, self.ready = loop, memory, asyncio.Event()
        self.lock = threading.Lock()
        self.messages: collections.deque = collections.deque()
        self.held = 0  # bytes of chunks in memory
        self.file = None  # the spill file, once needed
        self.written = 0
        self.closed = False

    def put(self, message) -> None:
        """Thread side: hand ``message`` over at once (dropped once the reader has closed)."""
        with self.lock:
            if self.closed:
                return
            if message[0] == "chunk" and (self.file is not None or self.held + len(message[1]) > self.memory):
                if self.file is None:
                    self.file = tempfile.TemporaryFile(prefix="cmlkg-result-")
                self.file.seek(self.written)
                self.file.write(message[1])
                message = ("spilled", self.written, len(message[1]))
                self.written += message[2]
            elif message[0] == "chunk":
                self.held += len(message[1])
            self.messages.append(message)
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server is stopping
            self.loop.call_soon_threadsafe(self.ready.set)

    async def get(self):
        while True:
            with self.lock:
                if self.messages:
                    message = self.messages.popleft()
                    if message[0] == "chunk":
                        self.held -= len(message[1])
                    elif message[0] == "spilled":
                        self.file.seek(message[1])
                        message = ("chunk", self.file.read(message[2]))
                    return message
                self.ready.clear()
            await self.ready.wait()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.messages.clear()
            if self.file is not None:
                self.file.close()
                self.file = None


class QueryPool:
    """Worker processes holding the current build's store; a worker that overruns its time, or whose
    client hangs up or stops reading, is ended and replaced (pyoxigraph cannot cancel a query).

    A worker slot is taken on the event loop and given back by the thread that drives the worker,
    in its ``finally``, when the worker is done or ended: nothing a client does (hanging up, reading
    slowly, never reading) can cancel the release, and the thread ends by the job's deadline."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.limits = {"max_rows": config.max_rows, "max_bytes": config.max_bytes, "memory": config.memory,
                       "allowed_services": tuple(config.allowed_services), "max_memory": config.max_memory}
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.waiting = 0
        self.slots = asyncio.Semaphore(config.workers)
        self.warned = False
        # one spare process beyond the slots (on disk, where it costs little): a worker ended for a
        # hang-up or a deadline is replaced by one already running, not by a process that must start
        self.kept = config.workers + (0 if config.memory else 1)

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
                w.kill()  # a new build was swapped in (or the worker died): workers move on
        w = _Worker(store_dir, self.limits)
        if not w.isolated and not self.limits["allowed_services"] and not self.warned:
            self.warned = True
            print("cmlkg serve: warning: query workers could not be cut off from the network (no network "
                  "namespace here); SERVICE is refused by the query check alone", file=sys.stderr, flush=True)
        return w

    def prewarm(self) -> None:
        """Start every worker now (with --memory, each loads the build before the port opens)."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.kept) as ex:
            workers = list(ex.map(lambda _i: self._take(), range(self.kept)))
        for w in workers:
            self._give_back(w)

    def _give_back(self, w: _Worker) -> None:
        with self.lock:
            if len(self.idle) < self.kept:
                self.idle.append(w)
                return
        w.kill()

    def _replace(self, w: _Worker) -> None:
        """End a worker and start its successor at once, in the background, so the next query finds
        it ready instead of waiting for a process to start."""
        w.kill()

        def start() -> None:
            with contextlib.suppress(Exception):
                self._give_back(_Worker(self._store_dir(), self.limits))

        threading.Thread(target=start, daemon=True).start()

    async def _start(self, job: tuple, request: Request | None, deadline: float):
        """Take a slot and start ``job`` on a worker: (channel, cancel event). The slot is released by
        the driving thread alone, whatever happens to this coroutine or its client afterwards."""
        if self.waiting >= self.config.queue_limit:
            raise QueryRefused(503, "the server is overloaded; try again shortly")
        self.waiting += 1
        try:
            while True:  # wait for a slot, but not for a client that has gone or past the deadline
                try:
                    await asyncio.wait_for(self.slots.acquire(), 0.25)
                    break
                except asyncio.TimeoutError:
                    if request is not None and await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
                    if time.monotonic() >= deadline:
                        raise QueryRefused(503, "the server is busy: no query worker became free within "
                                                f"{self.config.timeout:g} s (--timeout)") from None
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        channel, cancel = _Channel(loop), threading.Event()

        def release() -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.slots.release)

        try:
            threading.Thread(target=self._drive, args=(job, cancel, channel, deadline, release), daemon=True).start()
        except BaseException:
            self.slots.release()
            raise
        return channel, cancel

    async def run(self, job: tuple, request: Request | None = None):
        """Run a job answered by one message ("ok", kind, format, bytes); give up (and end the worker)
        when the client of ``request`` goes away."""
        deadline = time.monotonic() + self.config.timeout
        channel, cancel = await self._start(job, request, deadline)
        try:
            while True:
                try:
                    reply = await asyncio.wait_for(channel.get(), 0.1)
                    break
                except asyncio.TimeoutError:
                    if request is not None and await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
        finally:
            cancel.set()  # no await here: a cancelled handler still stops its worker
            channel.close()
        if reply[0] == "error":
            raise QueryRefused(reply[1], reply[2])
        if reply[0] != "ok":
            raise QueryRefused(500, f"the query worker failed: {reply[-1]}")
        return reply[1:]

    async def stream(self, job: tuple, request: Request, deadline: float):
        """Run a query job whose answer streams: (kind, format, async iterator of bytes).

        Errors before the head are raised as :class:`QueryRefused` (a clean HTTP status); after it, the
        iterator raises :class:`StreamAborted`, and the response is cut off (the client sees a broken
        transfer, never a silently truncated result). The worker is free as soon as its result is
        written, however slowly the client reads it."""
        channel, cancel = await self._start(job, request, deadline)
        try:
            while True:  # until the head: watch for a client that hangs up
                try:
                    first = await asyncio.wait_for(channel.get(), 0.1)
                    break
                except asyncio.TimeoutError:
                    if await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
            if first[0] == "error":
                raise QueryRefused(first[1], first[2])
            if first[0] != "head":
                raise QueryRefused(500, f"the query worker failed: {first[-1]}")
        except BaseException:
            cancel.set()
            channel.close()
            raise

        async def body():
            try:
                while True:
                    message = await channel.get()
                    if message[0] == "chunk":
                        yield message[1]
                    elif message[0] == "end":
                        return
                    else:  # an abort or failure after the head: cut the response off
                        raise StreamAborted(message[-1])
            finally:
                cancel.set()  # synchronous: runs even when the generator is closed by a cancellation
                channel.close()

        return first[1], first[2], body()

    def _drive(self, job: tuple, cancel: threading.Event, channel: _Channel, deadline: float, release) -> None:
        """Thread: send ``job`` to a worker and pass its messages on, until it ends, the client goes
        (``cancel``) or the deadline passes. Frees the slot on the way out."""
        w = None
        try:
            try:
                w = self._take()
            except QueryRefused as exc:
                channel.put(("error", exc.status, str(exc)))
                return
            w.conn.send(job)
            while True:
                if cancel.is_set():  # the client went away
                    self._replace(w)
                    return
                if not w.conn.poll(min(0.1, max(0.0, deadline - time.monotonic()))):
                    if time.monotonic() >= deadline:
                        self._replace(w)
                        channel.put(("error", 503, f"the query ran longer than {self.config.timeout:g} s and was "
                                                   "stopped (--timeout)"))
                        return
                    continue
                message = w.conn.recv()
                if message[0] in ("ok", "end", "error", "abort"):
                    if message[0] == "error" and message[1] == 503:  # out of memory: a fresh process
                        self._replace(w)
                    else:
                        self._give_back(w)
                    w = None
                    channel.put(message)
                    return
                channel.put(message)
        except (EOFError, BrokenPipeError, OSError):
            code = None
            if w is not None:
                w.proc.join(1)
                code = w.proc.exitcode
                self._replace(w)
            channel.put(_worker_death(code, self.config.max_memory))
        except Exception as exc:  # noqa: BLE001 - a failure of this thread is the query's, reported as such
            if w is not None:
                self._replace(w)
            channel.put(("error", 500, f"the query worker failed: {exc}"))
        finally:
            release()

    def close(self) -> None:
        with self.lock:
            for w in self.idle:
                w.kill()
            self.idle.clear()


class StreamAborted(Exception):
    """A streamed result that failed after its first bytes were sent."""


def _worker_death(code: int | None, max_memory: int) -> tuple:
    """The error a client gets when its worker process died (the kernel or Rust's allocator ended it)."""
    if code is not None and code in (-6, -9) and max_memory:
        return ("error", 503, f"the query needed more memory than this endpoint allows a query "
                              f"({max_memory / 2**30:.1f} GiB, --max-memory) and was stopped")
    return ("error", 500, "the query worker failed" + (f" (exit status {code})" if code is not None else ""))


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
        except asyncio.TimeoutError:
            raise QueryRefused(408, f"the request body was not sent within {config.body_timeout:g} s") from None
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
                return error(415, "send a query as application/sparql-query or application/x-www-form-urlencoded")
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
        named = "".join(f'        sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ] ;\n'
                        for g in json.loads(graphs))
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
        return Response(data, media_type={v: k for k, v in GRAPH_TYPES.items()}[fmt], headers={"Vary": "Accept"})

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
        text = path.read_text(encoding="utf-8").replace("http://127.0.0.1:7878/sparql", base_url(request) + "sparql")
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
        except StreamAborted:  # the client is reading: what it has is delivered, then the chunked body stops short
            reset = False
        except (TimeoutError, OSError):
            pass
        finally:
            streaming.cancel()  # the body's own finally tells the driving thread to end its worker
            watching.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(streaming, watching, return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.body_iterator.aclose()
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
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])

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


def _resource_html(iri: str, page_rows: list[dict]) -> str:
    quotes = sorted({r["quote"] for r in page_rows if "quote" in r})
    rows = [r for r in page_rows if "p" in r]
    items = []
    for r in rows:
        o = r["o"]
        value = html.escape(o["value"])
        if o["type"] == "uri":
            href = o["value"].replace(BASE, "/") if o["value"].startswith(BASE) else o["value"]
            value = f'<a href="{html.escape(href)}">{html.escape(r["label"]) if r.get("label") else value}</a>'
            if r.get("detail"):
                value += f' <span class="detail">({html.escape(r["detail"])})</span>'
        items.append(f"<tr><td>{html.escape(_curie(r['p']))}</td><td>{value}</td></tr>")
    quote_html = "".join(f"<blockquote>{html.escape(q)}</blockquote>" for q in quotes)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(iri)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td{{padding:.2em .6em;vertical-align:top}}
blockquote{{background:#f4f4f4;padding:.5em;border-left:4px solid #888}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1>
{_citation_html(rows)}
{('<h2>Source text</h2>' + quote_html) if quotes else ''}
<h2>Facts</h2><table>{''.join(items)}</table></body></html>"""


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


def _link(value: str) -> str:
    href = value.replace(BASE, "/") if value.startswith(BASE) else value
    return f'<a href="{html.escape(href)}">{html.escape(_curie(value))}</a>'


def _graph_html(iri: str, rows: list) -> str:
    """An abstract's named graph as a page: every subject with its properties."""
    parts, last = [], None
    for s, p, o in rows:
        if s != last:
            parts.append(f"<tr><th colspan=2>{_link(s)}</th></tr>")
            last = s
        value = _link(o["value"]) if o["type"] == "uri" else html.escape(o["value"])
        parts.append(f"<tr><td>{html.escape(_curie(p))}</td><td>{value}</td></tr>")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(iri)}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}td,th{{padding:.2em .6em;vertical-align:top;text-align:left}}
th{{padding-top:1em}}h1{{overflow-wrap:anywhere}}</style></head><body>
<p><a href="/">cmlkg</a></p><h1>{html.escape(iri)}</h1><p>{len(rows)} triples in this named graph.</p>
<table>{''.join(parts)}</table></body></html>"""


def _ontology_html() -> str:
    """HTML documentation of the ontology by pyLODE: every class and property with its label,
    definition, hierarchy, domain and range, and mappings; links into this graph stay on this server."""
    import logging

    from pylode import OntPub

    from cmlkg.vocabulary import ontology_path

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE configures the root logger at INFO
    html_text = OntPub(ontology=str(ontology_path())).make_html()
    return html_text.replace('href="' + BASE, 'href="/')


def _citation_html(rows: list[dict]) -> str:
    """The paper an abstract belongs to (title, journal, year, PubMed and DOI links), if the graph knows it."""
    values: dict[str, list[str]] = {}
    for r in rows:
        values.setdefault(r["p"], []).append(r["o"]["value"])
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
    return package_dir("queries")


def _protocol(header_timeout: float):
    import socket

    """uvicorn's h11 protocol with a deadline for each request's line and headers.

    uvicorn has a keep-alive timeout but none for a request that is being sent: a client that opens a
    connection and sends half a header would hold it for ever. Here the connection is closed when the
    headers are not complete ``header_timeout`` seconds after the connection (or the last response).
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11(H11Protocol):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None:  # headers and body leave in two writes: Nagle would hold the second 40 ms
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

        def _arm(self) -> None:
            self._armed_cycle = self.cycle
            self._header_timer = self.loop.call_later(header_timeout, self._header_expired)

        def _disarm(self) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def _header_expired(self) -> None:
            self._header_timer = None
            if self.cycle is self._armed_cycle and not self.transport.is_closing():
                self.transport.close()  # no request started since: a slow or stalled client

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None:  # a response that must be cut off can abort its connection
                self.cycle.scope["cmlkg.transport"] = self.transport
            if self.cycle is not getattr(self, "_armed_cycle", None):
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._disarm()
                self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutH11


def run_server(config: ServerConfig, host: str, port: int, quiet: bool = False) -> None:
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        from cmlkg.errors import CmlkgError

        why = "is in use" if exc.errno == 98 else f"cannot be used ({exc.strerror})"
        raise CmlkgError(f"port {port} on {host} {why}: choose another with --port, or --port 0 for a free one") from None
    actual = sock.getsockname()[1]
    config.bound = f"http://{'[' + host + ']' if ':' in host else host}:{actual}"
    if not quiet:
        print(f"cmlkg {__version__}: SPARQL endpoint at http://{host}:{actual}/sparql (query page at /)",
              file=sys.stderr, flush=True)
    # no connection limit (uvicorn's counts stalled connections and answers everyone else 503): the
    # query queue is bounded by --max-queue, stalled connections by the header and body timeouts
    server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning" if quiet else "info",
                                           http=_protocol(config.header_timeout), backlog=2048))
    server.run(sockets=[sock])
