"""The jobs the server hands a query worker (one per request), typed: what each carries is checked
where it is made, and the worker dispatches on the type, not on a string tag. Each is pickled over
the worker's pipe; the worker answers with messages ("head", "chunk", "end", "ok", "error", "abort")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query to answer in the format ``accept`` asks for, over the dataset the request names
    (empty lists: the server's default), relative IRIs resolved against ``base``; streamed."""

    query: str
    accept: str
    default_graphs: list[str]
    named_graphs: list[str]
    base: str | None = None


@dataclass(frozen=True)
class LookupJob:
    """The triples a dereferenced IRI stands for (``mode``: "resource", "graph" or "ontology"), in
    the RDF format ``fmt``."""

    mode: str
    iri: str
    fmt: str


@dataclass(frozen=True)
class GraphRowsJob:
    """The triples of one named graph, as rows for its HTML page."""

    iri: str


@dataclass(frozen=True)
class PageJob:
    """What a resource's HTML page shows: its triples and the labels of what they link to."""

    iri: str


@dataclass(frozen=True)
class GraphsJob:
    """The named graphs of the dataset (for the service description)."""


Job = QueryJob | LookupJob | GraphRowsJob | PageJob | GraphsJob
