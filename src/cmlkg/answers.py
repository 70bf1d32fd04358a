"""The shipped competency queries answered at build time, abstract by abstract.

A shipped query whose rows are ordered by ``?source`` first, and whose rows for one source come from
that source's graph (and the ontology) alone, is run where the abstracts are extracted: a batch of
abstracts' graphs and the ontology in an in-memory store, the answer (SPARQL TSV) split into each
abstract's rows. Those rows are fragments of ``answers/NAME.tsv``, written, ordered and spliced by
`cmlkg add` / `remove` with the exports' fragments (:mod:`cmlkg.export`): in identifier order, which is
the order of ``ORDER BY ?source``. So the file is the answer the query gives on the whole store
(``tests/test_answers.py`` checks it, byte for byte in every results format), and the endpoint and
`cmlkg query` read it instead of joining the whole graph again when they are sent a shipped query's
text: at 50,000 abstracts such a query takes 20-30 s on the on-disk store.

The query a file answers is kept beside it (``answers/NAME.rq``): a query is served from the file
only when its text is that one (line ends, trailing blanks, blank and comment-only lines aside).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pyoxigraph as ox

ANSWERS_DIR = "answers"
_TSV = ox.QueryResultsFormat.TSV


@functools.lru_cache(maxsize=1)
def answered_queries() -> dict[str, str]:
    """name -> text of the shipped queries answered at build time: those ordered by ``?source`` first,
    which project it first."""
    from cmlkg.vocabulary import package_dir

    found = {}
    for path in sorted(package_dir("queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^ORDER BY \?source\b", text, re.M) and re.search(
            r"^SELECT (?:DISTINCT )?\?source\b", text, re.M
        ):
            found[path.stem] = text
    return found


@functools.lru_cache(maxsize=1)
def answer_files() -> tuple[str, ...]:
    """The build files of the answers (paths inside a generation)."""
    return tuple(f"{ANSWERS_DIR}/{name}.tsv" for name in answered_queries())


@functools.lru_cache(maxsize=1)
def _ontology() -> list[ox.Quad]:
    from cmlkg.store import ontology_quads
    from cmlkg.vocabulary import ontology_path

    return list(ontology_quads(ontology_path()))


def _store(graphs: list[list[ox.Quad]]) -> ox.Store:
    store = ox.Store()
    store.extend(_ontology())
    for quads in graphs:
        store.extend(quads)
    return store


def _tsv(store: ox.Store, query: str) -> bytes:
    results = store.query(query, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    data = results.serialize(format=_TSV)
    assert data is not None
    return data


def _sources(data: bytes) -> list[str]:
    """The ?source of each row of a TSV answer."""
    results = ox.parse_query_results(data, format=_TSV)
    assert isinstance(results, ox.QuerySolutions)
    return [solution["source"].value for solution in results]


@functools.lru_cache(maxsize=1)
def headers() -> dict[str, bytes]:
    """Each answer file's head (the TSV line of variables): the ontology's fragment of the files."""
    store = _store([])
    out = {}
    for name, query in answered_queries().items():
        data = _tsv(store, query)
        assert data.count(b"\n") == 1, f"{name}.rq answers the ontology alone"
        out[f"{ANSWERS_DIR}/{name}.tsv"] = data
    return out


def answer_fragments(graphs: list[tuple[str, list[ox.Quad]]]) -> list[dict[str, bytes]]:
    """Each abstract's rows of every answer file, for a batch of (identifier, quads) (one store and
    one run of each query per batch: per abstract, the queries' fixed costs would dominate)."""
    store = _store([quads for _ident, quads in graphs])
    position = {ident: k for k, (ident, _quads) in enumerate(graphs)}
    out: list[dict[str, list[bytes]]] = [{} for _ in graphs]
    for name, query in answered_queries().items():
        file = f"{ANSWERS_DIR}/{name}.tsv"
        data = _tsv(store, query)
        lines = data.split(b"\n")[1:-1]  # the head, and the empty string after the last newline
        for line, source in zip(lines, _sources(data), strict=True):
            out[position[source]].setdefault(file, []).append(line + b"\n")
    return [{file: b"".join(rows.get(file, [])) for file in answer_files()} for rows in out]


def _normal(query: str) -> str:
    """A query's text as compared with a shipped query: line ends, trailing blanks, and lines blank or
    only a comment aside."""
    lines = (line.rstrip() for line in query.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line and not line.lstrip().startswith("#"))


def write_queries(folder: Path) -> None:
    """The queries a generation's answer files answer, beside them (``answers/NAME.rq``)."""
    for name, query in answered_queries().items():
        (folder / ANSWERS_DIR / f"{name}.rq").write_text(query, encoding="utf-8")


def check_same_queries(generation: Path) -> str | None:
    """Why a build's answers cannot be spliced with new ones (an older cmlkg's queries), or None."""
    for name, query in answered_queries().items():
        path = generation / ANSWERS_DIR / f"{name}.rq"
        if not path.is_file() or path.read_text(encoding="utf-8") != query:
            return f"{generation}: its answers/{name}.rq is not this cmlkg's query"
    return None


def answers_of(generation: Path) -> dict[str, Path]:
    """A build's answer files by the (compared) text of the query each answers."""
    folder = generation / ANSWERS_DIR
    if not folder.is_dir():
        return {}
    return {
        _normal(rq.read_text(encoding="utf-8")): rq.with_suffix(".tsv")
        for rq in sorted(folder.glob("*.rq"))
        if rq.with_suffix(".tsv").is_file()
    }


def precomputed(answers: dict[str, Path], query: str) -> ox.QuerySolutions | None:
    """The answer of ``query`` read from its build file (streamed), when it is a query the build
    answered; None otherwise."""
    path = answers.get(_normal(query))
    if path is None:
        return None
    results = ox.parse_query_results(path=str(path), format=_TSV)
    assert isinstance(results, ox.QuerySolutions)
    return results
