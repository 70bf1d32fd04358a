"""Running SPARQL over a build: the union of all graphs is the default graph."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyoxigraph as ox

from cmlkg.errors import QueryError
from cmlkg.namespaces import PREFIXES

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def read_query(query: str) -> str:
    """A query string, or the text of a ``.rq`` file when ``query`` names one; a bare name or a
    ``queries/NAME.rq`` that is not a file here is the query of that name shipped with cmlkg
    (``cmlkg query outcomes`` works from any folder)."""
    path = Path(query)
    if not path.is_file() and re.fullmatch(r"(?:queries/)?[\w-]+(?:\.rq)?", query):
        from cmlkg.vocabulary import package_dir

        shipped = package_dir("queries") / (Path(query).stem + ".rq")
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8")
    if query.endswith((".rq", ".sparql")) or (len(query) < 4096 and "\n" not in query and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{query}: cannot read the query file: {exc.strerror}") from None
    return query


def run_query(store: ox.Store, query: str, **kwargs):
    """Execute a query; a malformed query raises :class:`QueryError`, an update is refused.

    The default graph is the union of all graphs, unless the query names its dataset (FROM, FROM
    NAMED): then exactly that dataset.
    """
    from cmlkg.sparql import UpdateRefused, check_shape, inspect_query, refuse_services

    check_shape(query)
    try:
        info = inspect_query(query)
    except UpdateRefused:
        raise QueryError(
            "SPARQL Update is refused: cmlkg query only reads a build "
            "(change the graph with cmlkg build, cmlkg add)"
        ) from None
    except QueryError:
        info = None  # Oxigraph's parser says what is wrong, with its line and column
    refuse_services(query)  # a query over a local build makes no outbound requests
    if not kwargs and not (info is not None and info.has_dataset):
        kwargs = {"use_default_graph_as_union": True}
    try:
        return store.query(query, **kwargs)
    except SyntaxError as exc:
        raise QueryError(syntax_message(query, str(exc))) from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def syntax_message(query: str, message: str) -> str:
    """Oxigraph's syntax error, shortened to what a person needs: where, what is there, what to do."""
    import re

    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not m:
        return f"malformed SPARQL query: {message}"
    line, column, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    text = (query.splitlines() or [""])[min(line, max(1, len(query.splitlines()))) - 1]
    near = text[max(0, column - 1) : column + 29].strip() or "the end of the query"
    where = f"malformed SPARQL query at {line}:{column} (line {line}, column {column}, near {near!r})"
    if "Prefix not found" in rest:
        # the column is where Oxigraph gave up, just after the prefixed name: the last one before it
        names = re.findall(r"(?<![\w<\"'?$])([A-Za-z][\w.-]*)?:[\w.%-]*", text[: column - 1])
        prefix = names[-1] if names else ""
        known = ", ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p == prefix)
        return (
            f"malformed SPARQL query at {line}:{column}: the prefix {prefix}: is not declared; "
            "add a PREFIX line" + (f" ({known})" if known else "")
        )
    # a messages-only reading of the text (no decision is taken on it): the first word after the prologue
    head = re.match(r"(?:\s+|#[^\n]*|(?i:PREFIX)\s*[\w.-]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*", query)
    first = re.match(r"[A-Za-z]+", query[head.end() :]) if head else None
    if first and first.group(0).upper() not in (*_FORMS, "PREFIX", "BASE"):
        return (
            f"malformed SPARQL query: {first.group(0)!r} where a query starts with SELECT, CONSTRUCT, ASK or "
            "DESCRIBE (after any PREFIX and BASE lines)"
        )
    expected = [
        e.strip()
        for e in re.split(
            r",\s*(?![^\[]*\])", rest.removeprefix("expected one of ").removeprefix("expected ")
        )
        if e.strip() and not e.strip().startswith("[")
    ]
    return f"{where}: expected {', '.join(expected[:6]) or rest[:120]}"


def format_results(results, fmt: str) -> bytes:
    """SELECT/ASK results in a W3C results format; CONSTRUCT/DESCRIBE triples in the RDF format that
    corresponds (csv, tsv: N-Triples; json: JSON-LD; xml: RDF/XML; table: Turtle). Ends with a newline."""
    out = io.BytesIO()
    if isinstance(results, ox.QueryTriples):
        rdf = GRAPH_FORMATS[fmt]
        if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
            ox.serialize(results, out, format=rdf, prefixes=PREFIXES)
        else:
            ox.serialize(results, out, format=rdf)
    else:
        results.serialize(out, format=RESULT_FORMATS[fmt])
    data = out.getvalue()
    return data if data.endswith(b"\n") or not data else data + b"\n"


GRAPH_FORMATS = {
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "table": ox.RdfFormat.TURTLE,
}


def table(results) -> str:
    """A readable text table of SELECT results (or the boolean of an ASK)."""
    if isinstance(results, ox.QueryBoolean):
        return "true" if bool(results) else "false"
    if isinstance(results, ox.QueryTriples):
        out = io.BytesIO()
        ox.serialize(results, out, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return out.getvalue().decode()
    names = [v.value for v in results.variables]
    rows = [[_short(row[n]) for n in names] for row in results]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return (
        "\n".join([line(names), line(["-" * w for w in widths])] + [line(r) for r in rows])
        + f"\n({len(rows)} rows)"
    )


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return term.value
    return term.value


def _child(conn, build_dir: str, query: str, fmt: str) -> None:
    """The query's process: open the build, run, format, and send the bytes in pieces."""
    from cmlkg.answers import answers_of, precomputed
    from cmlkg.errors import CmlkgError
    from cmlkg.store import current_generation

    try:
        generation = current_generation(Path(build_dir))
        # a shipped competency query: its answer as the build computed it (cmlkg.answers)
        results = precomputed(answers_of(generation), query)
        if results is None:
            results = run_query(ox.Store.read_only(str(generation / "store")), query)
        data = (table(results) + "\n").encode() if fmt == "table" else format_results(results, fmt)
        for k in range(0, len(data), 1 << 16):
            conn.send(("data", data[k : k + (1 << 16)]))
        conn.send(("end",))
    except CmlkgError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", "the query ran out of memory"))


def run_stopping(build_dir: Path, query: str, fmt: str, timeout: float, out) -> None:
    """Run ``query`` in a process of its own, writing its answer to ``out``: a query past ``timeout``
    seconds, or interrupted (Ctrl-C), is stopped at once (pyoxigraph cannot cancel a running query,
    so its process is ended), with :class:`QueryError` or ``KeyboardInterrupt`` raised here."""
    import multiprocessing as mp
    import time

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, str(build_dir), query, fmt), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if not parent.poll(max(0.0, min(0.2, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    raise QueryError(f"the query ran longer than {timeout:g} s and was stopped (--timeout)")
                if not proc.is_alive() and not parent.poll():
                    raise QueryError(f"the query failed (its process ended with status {proc.exitcode})")
                continue
            try:
                message = parent.recv()
            except EOFError:
                raise QueryError(
                    f"the query failed (its process ended with status {proc.exitcode})"
                ) from None
            if message[0] == "data":
                out.write(message[1])
            elif message[0] == "error":
                raise QueryError(message[1])
            else:
                return
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
