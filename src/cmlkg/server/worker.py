"""The query worker process (child side): confinement (memory ceiling, no network), the job loop, answering
a query, a lookup or a page's rows, result streaming and counting. Everything user-sized runs here."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from cmlkg.answers import answers_of, precomputed
from cmlkg.namespaces import CML, OA, PREFIXES, RDFS
from cmlkg.processes import ignore_interrupts
from cmlkg.server.config import GRAPH_TYPES, SELECT_TYPES, QueryRefused
from cmlkg.server.jobs import GraphRowsJob, GraphsJob, Job, LookupJob, QueryJob
from cmlkg.server.negotiation import negotiate
from cmlkg.server.rows import exact_rows, result_rows


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
        self.limit, self.size, self.emit, self.hold = limit, 0, emit, min(hold, limit + 1)
        self.head: tuple | None = head
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

    libc = ctypes.CDLL(None, use_errno=True)
    if limits["max_memory"]:
        # the ceiling counts address space, and glibc reserves 64 MB of it for each thread's own malloc
        # arena (RocksDB's threads, the server's): two arenas at most, so that opening the store never
        # meets a low ceiling (1 GB: 'the query worker exited while opening the build', 1 run in ~20)
        with contextlib.suppress(AttributeError):
            libc.mallopt(-8, 2)  # M_ARENA_MAX
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limits["max_memory"], limits["max_memory"]))
    if limits["allowed_services"]:
        return False
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    # as root, or as a user in a user namespace
    return any(libc.unshare(flags) == 0 for flags in (clone_newnet, clone_newnet | clone_newuser))


def _worker_main(conn, store_dir: str, limits: dict) -> None:
    """A query worker: holds the store, and answers jobs sent over ``conn`` until the pipe closes.

    Everything user-sized happens here (parsing the query, running it, serialising the result), in a
    process the server can end when it overruns --timeout or its client hangs up.
    """
    # Ctrl-C is the server's to handle (it ends its workers); a killed server closes the pipe this
    # worker reads, which ends it too. (No PR_SET_PDEATHSIG here: workers are started from threads that
    # may end before them, and the signal follows the starting thread.)
    ignore_interrupts()
    isolated = _isolate(limits)
    try:
        store = _open_store(store_dir, limits)
        answers = answers_of(Path(store_dir).parent)
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
        started: list[bool] = []  # a streamed answer's head is out: a later failure can only abort it

        def emit(message, started=started) -> None:
            if message[0] == "head":
                started.append(True)
            conn.send(message)

        try:
            reply = _run_job(store, limits, job, emit, answers)
        except Exception as exc:  # noqa: BLE001 - the job's failure, reported with its status
            reply = _failure(exc, limits)
        if started and reply[0] == "error":
            reply = ("abort", reply[2])
        conn.send(reply)


def _open_store(store_dir: str, limits: dict):
    """The build's store: read-only on disk, or (--memory) loaded from the build's TriG, which holds
    exactly what its store holds."""
    import pyoxigraph as ox

    if limits["memory"]:
        store = ox.Store()
        store.bulk_load(path=str(Path(store_dir).parent / "cmlkg.trig"), format=ox.RdfFormat.TRIG)
        return store
    return ox.Store.read_only(store_dir)


def _run_job(store, limits: dict, job: Job, emit, answers: dict[str, Path]) -> tuple:
    """The reply to one job: a query (streamed through ``emit``; a shipped competency query from the
    build's answer file, :mod:`cmlkg.answers`), a lookup, a graph's rows, the named graphs, or a
    resource page's rows."""
    import pyoxigraph as ox

    if isinstance(job, QueryJob):
        return _answer_query(
            store,
            limits,
            job.query,
            job.accept,
            job.default_graphs,
            job.named_graphs,
            job.base,
            emit=emit,
            answers=answers,
        )
    if isinstance(job, LookupJob):
        return _answer_lookup(store, limits, job.mode, job.iri, job.fmt)
    if isinstance(job, GraphRowsJob):
        rows = [
            [
                t.subject.value,
                t.predicate.value,
                {"type": "uri" if isinstance(t.object, ox.NamedNode) else "literal", "value": t.object.value},
            ]
            for t in _lookup_triples(store, "graph", job.iri)[:20_000]
        ]
        return ("ok", "rows", "json", json.dumps(rows).encode())
    if isinstance(job, GraphsJob):
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        return ("ok", "rows", "json", json.dumps(graphs).encode())
    return ("ok", "rows", "json", json.dumps(_page_rows(store, job.iri)).encode())


def _failure(exc: Exception, limits: dict) -> tuple:
    """The error reply for a job that raised ``exc``."""
    if isinstance(exc, QueryRefused):
        return ("error", exc.status, str(exc))
    if isinstance(exc, _TooLarge):
        return (
            "error",
            413,
            f"the result is larger than {limits['max_bytes']:,} bytes (--max-bytes); add a LIMIT",
        )
    if isinstance(exc, SyntaxError):
        return ("error", 400, f"malformed SPARQL query: {exc}")
    if isinstance(exc, MemoryError):
        return _worker_death(-6, limits["max_memory"])
    return ("error", 500, f"the query failed: {exc}")  # anything else is the query's failure


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


def _answer_query(
    store,
    limits: dict,
    query: str,
    accept: str,
    default_graphs: list[str],
    named_graphs: list[str],
    base: str | None = None,
    emit=None,
    answers: dict[str, Path] | None = None,
):
    """Answer a query, streamed through ``emit``: ("head", kind, format), ("chunk", bytes)..., and the
    returned ("end",). Anything refused before the head is a plain error with its HTTP status. A
    shipped query over the whole build is read from the build's answer file (``answers``)."""
    import pyoxigraph as ox

    from cmlkg.query import RESULT_FORMATS

    info = _checked(query, limits)
    kinds = GRAPH_TYPES if info.is_graph else SELECT_TYPES
    fmt = negotiate(accept, kinds, "text/turtle" if info.is_graph else "application/sparql-results+json")
    if fmt is None:
        raise QueryRefused(406, f"cannot serve {accept!r} for this query; available: {', '.join(kinds)}")
    results: Any = None if default_graphs or named_graphs else precomputed(answers or {}, query)
    if results is None:
        query, kwargs = _dataset(query, info, default_graphs, named_graphs)
        if base:
            kwargs["base_iri"] = base  # relative IRIs resolve against the endpoint
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
        results.serialize(out, format=RESULT_FORMATS[fmt])  # type: ignore[arg-type]  # a file-like writer
    else:
        # the first rows leave while the rest are computed; Oxigraph's own writer: no Python per row
        out = _Streamed(limits["max_bytes"], emit, ("select", fmt))
        results.serialize(out, format=RESULT_FORMATS[fmt])
        data = b"".join(out.parts)
        if result_rows(data, fmt) > max_rows and exact_rows(data, fmt) > max_rows:
            raise QueryRefused(413, f"the result has more than {max_rows} rows (--max-rows); add a LIMIT")
    out.release()
    return ("end",)


def _checked(query: str, limits: dict):
    """What the query is, once the safety rules of :mod:`cmlkg.sparql` let it run (403 for an update or
    a SERVICE not allowed, 400 for a malformed query)."""
    from cmlkg.errors import QueryError
    from cmlkg.sparql import ServiceRefused, UpdateRefused, check_shape, inspect_query, refuse_services

    try:
        check_shape(query)
        info = inspect_query(query)
        refuse_services(query, limits["allowed_services"])
    except (UpdateRefused, ServiceRefused) as exc:
        raise QueryRefused(403, str(exc)) from None
    except QueryError as exc:
        raise QueryRefused(400, str(exc)) from None
    return info


def _dataset(query: str, info, default_graphs: list[str], named_graphs: list[str]) -> tuple[str, dict]:
    """The query and the store arguments for its dataset: the one the protocol names (exactly that one,
    even over FROM), else the query's own, else every graph as the default graph."""
    import pyoxigraph as ox

    from cmlkg.errors import QueryError

    if not (default_graphs or named_graphs):
        return query, {} if info.has_dataset else {"use_default_graph_as_union": True}
    if info.has_dataset:
        from cmlkg.sparql import without_dataset

        try:
            query = without_dataset(query)
        except QueryError as exc:
            raise QueryRefused(400, str(exc)) from None
    try:
        return query, {
            "default_graph": [ox.NamedNode(g) for g in default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs],
        }
    except ValueError as exc:
        raise QueryRefused(400, f"default-graph-uri / named-graph-uri: not an IRI: {exc}") from None


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
        rows.append(
            {
                "p": q.predicate.value,
                "o": {"type": "uri" if isinstance(o, ox.NamedNode) else "literal", "value": o.value},
            }
        )
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


_SUMMARISED = {
    CML + "reportsOutcome",
    CML + "reportsAdverseEvent",
    CML + "receivedTreatment",
    CML + "hasArm",
    CML + "hasSubgroup",
}


def _values(store, node, predicate: str, iri: bool = False) -> list[str]:
    import pyoxigraph as ox

    return sorted(
        q.object.value
        for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
        if iri == isinstance(q.object, ox.NamedNode)
    )


def _first_value(store, node, predicate: str) -> str | None:
    values = _values(store, node, predicate)
    return values[0] if values else None


def _worker_death(code: int | None, max_memory: int) -> tuple:
    """The error a client gets when its worker process died (the kernel or Rust's allocator ended it)."""
    if code is not None and code in (-6, -9) and max_memory:
        return (
            "error",
            503,
            f"the query needed more memory than this endpoint allows a query "
            f"({max_memory / 2**30:.1f} GiB, --max-memory) and was stopped",
        )
    return ("error", 500, "the query worker failed" + (f" (exit status {code})" if code is not None else ""))
