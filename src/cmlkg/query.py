"""Running SPARQL over a build: the union of all graphs is the default graph."""

from __future__ import annotations

import io
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
    """A query string, or the text of a ``.rq`` file when ``query`` names one."""
    path = Path(query)
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
    from cmlkg.sparql import UpdateRefused, inspect_query

    try:
        info = inspect_query(query)
    except UpdateRefused:
        raise QueryError("SPARQL Update is refused: cmlkg query only reads a build "
                         "(change the graph with cmlkg build, cmlkg add)") from None
    except QueryError:
        info = None  # Oxigraph's parser says what is wrong, with its line and column
    if not kwargs and not (info is not None and info.has_dataset):
        kwargs = {"use_default_graph_as_union": True}
    try:
        return store.query(query, **kwargs)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL query: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the query failed: {exc}") from None


def format_results(results, fmt: str) -> bytes:
    """SELECT/ASK results in a W3C results format, CONSTRUCT/DESCRIBE as Turtle or N-Triples."""
    out = io.BytesIO()
    if isinstance(results, ox.QueryTriples):
        rdf = ox.RdfFormat.N_TRIPLES if fmt in ("csv", "tsv") else ox.RdfFormat.TURTLE
        ox.serialize(results, out, format=rdf, **({"prefixes": PREFIXES} if rdf == ox.RdfFormat.TURTLE else {}))
        return out.getvalue()
    results.serialize(out, format=RESULT_FORMATS[fmt])
    return out.getvalue()


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
    return "\n".join([line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]) + f"\n({len(rows)} rows)"


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    return term.value
