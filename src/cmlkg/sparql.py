"""What a SPARQL request asks for, read from the parsed query, never from keywords in its text.

The query is parsed with rdflib's SPARQL 1.1 parser (a full grammar, so ``#`` inside an IRI, a
variable named ``?service``, lower-case keywords or ``SERVICE<iri>`` are what the grammar says they
are). From the parse tree come the query form (for content negotiation), every ``SERVICE`` target
(IRIs resolved against the prologue; a variable target is reported as ``None``) and whether the query
names its own dataset (``FROM`` / ``FROM NAMED``). A text that does not parse as a query but parses
as an update is an :class:`UpdateRefused`.

Parsing is recursive; a query nested beyond the recursion limit is refused here, before Oxigraph's
own parser (which would overflow its stack) sees it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cmlkg.errors import QueryError

FORMS = {"SelectQuery": "select", "ConstructQuery": "construct", "DescribeQuery": "describe", "AskQuery": "ask"}


class UpdateRefused(QueryError):
    """A SPARQL Update sent where only queries are run."""


@dataclass(frozen=True)
class QueryInfo:
    form: str  # select, construct, describe or ask
    services: tuple[str | None, ...]  # SERVICE targets; None for a variable
    has_dataset: bool  # FROM or FROM NAMED in the query

    @property
    def is_graph(self) -> bool:
        return self.form in ("construct", "describe")


@functools.lru_cache(maxsize=512)
def inspect_query(query: str) -> QueryInfo:
    """Parse ``query`` and say what it is; raise :class:`UpdateRefused` or :class:`QueryError`."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translatePName
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Prologue
    from rdflib.term import URIRef, Variable

    try:
        parsed = parseQuery(query)
    except RecursionError:
        raise QueryError("malformed SPARQL query: nested too deeply") from None
    except ParseBaseException as exc:
        try:
            update = parseUpdate(query)
            if "request" not in update:  # nothing but a prologue or comments: not an update either
                raise ValueError("empty")
        except (ParseBaseException, RecursionError, ValueError):
            near = query[exc.loc : exc.loc + 30].split("\n")[0]
            raise QueryError(f"malformed SPARQL query at line {exc.lineno}, column {exc.col} ({exc.lineno}:{exc.col}): "
                             f"{exc.msg}, near {near!r}") from None
        raise UpdateRefused("SPARQL Update is refused: this is a read-only query service") from None
    except ValueError as exc:  # an invalid \\u escape
        raise QueryError(f"malformed SPARQL query: {exc}") from None

    prologue_part, body = parsed[0], parsed[1]
    prologue = Prologue()
    for decl in prologue_part:
        if decl.name == "Base":
            prologue.base = decl.iri
        elif decl.name == "PrefixDecl":
            prologue.bind(decl.prefix, prologue.absolutize(decl.iri))

    services: list[str | None] = []

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                if isinstance(term, Variable):
                    services.append(None)
                elif isinstance(term, CompValue) and term.name == "pname":
                    try:
                        services.append(str(translatePName(term, prologue)))
                    except Exception:  # noqa: BLE001 - an unknown prefix: the query will not run anyway
                        services.append(f"{term.get('prefix')}:{term.get('localname')}")
                else:
                    services.append(str(prologue.absolutize(term)) if isinstance(term, URIRef) else str(term))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    try:
        walk(body)
    except RecursionError:
        raise QueryError("malformed SPARQL query: nested too deeply") from None
    return QueryInfo(FORMS.get(body.name, "select"), tuple(services), "datasetClause" in body)


def without_dataset(query: str) -> str:
    """The query without its FROM / FROM NAMED clauses, for a request whose protocol parameters name
    the dataset (SPARQL 1.1 Protocol: those win over the query's own).

    The clauses are found by rdflib's grammar element for them, and the result is checked by parsing:
    it must parse to exactly the original query minus its dataset clauses, or :class:`QueryError`.
    """
    from rdflib.plugins.sparql.parser import DatasetClause, parseQuery

    def parts(text: str):
        try:
            parsed = parseQuery(text)
        except Exception:  # noqa: BLE001 - blanking a clause-like text inside a literal breaks it
            return None
        body = dict(parsed[1])
        clauses = body.pop("datasetClause", [])
        return repr(parsed[0]) + repr(body), len(clauses)

    rest, clauses = parts(query)
    stripped = query
    for _tokens, start, end in DatasetClause.scan_string(query):
        candidate = stripped[:start] + " " * (end - start) + stripped[end:]
        seen = parts(candidate)
        if seen is not None and seen[0] == rest and seen[1] == clauses - 1:  # a real clause, and only it
            stripped, clauses = candidate, clauses - 1
    if clauses:
        raise QueryError("the query names its dataset (FROM / FROM NAMED) and so does the request "
                         "(default-graph-uri / named-graph-uri); give it in one place")
    return stripped
