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

import contextlib
import functools
import re
from dataclasses import dataclass

from cmlkg.errors import QueryError

FORMS = {
    "SelectQuery": "select",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
    "AskQuery": "ask",
}


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


# How many times one construct may repeat side by side in a query: Oxigraph parses and evaluates
# these recursively, and a flat run of about 5,000 BINDs or MINUSes overflows its stack (the worker
# dies with SIGSEGV); 2,000 run. Real queries use tens.
MAX_REPEATS = 1000
_TOKEN = re.compile(
    "|".join(
        (
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',  # long strings
            r"'(?:[^'\\\n]|\\.)*'",
            r'"(?:[^"\\\n]|\\.)*"',  # strings
            r'<[^<>"{}|^`\\\s]*>',
            r"#[^\n]*",  # IRIs, comments
            r"&&|\|\||[A-Za-z_]+|[{(/|]",
        )
    )
)
_REPEATED = ("&&", "||", "UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "VALUES", "{", "(", "/", "|")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile(r"(?i)(?<![?$\w])SERVICE\s*(?:SILENT\s*)?(<[^>]*>|[?$]|[\w.-]*:)")


def check_shape(query: str) -> None:
    """Refuse a query that repeats one construct more than :data:`MAX_REPEATS` times (flat length,
    which recursion-depth checks do not see), before any engine parses it."""
    counts: dict[str, int] = {}
    for m in _TOKEN.finditer(query):
        token = m.group(0)
        key = token.upper() if token[0].isalpha() else token
        if key in _REPEATED:
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > MAX_REPEATS:
                raise QueryError(
                    f"malformed SPARQL query: too large for this engine: {token!r} appears more than "
                    f"{MAX_REPEATS} times (nested too deeply or chained too long; split the query, "
                    "or use VALUES)"
                )


def service_calls(query: str) -> list[str | None]:
    """Every SERVICE call the text could hold, read from the characters (``\\u`` escapes decoded as
    the SPARQL grammar says, inside strings and comments too), so that no parser can disagree: an
    IRI target, or None for a variable or prefixed name. Stricter than the parse; a literal that
    reads "service <...>" is counted too."""
    decoded = _ESCAPE.sub(
        lambda m: (
            chr(int(m.group(1) or m.group(2), 16)) if int(m.group(1) or m.group(2), 16) < 0x110000 else ""
        ),
        query,
    )
    out: list[str | None] = []
    for text in {query, decoded}:
        for m in _SERVICE.finditer(text):
            target = m.group(1)
            out.append(target[1:-1] if target.startswith("<") else None)
    return out


def refuse_services(query: str, allowed: tuple[str, ...] = ()) -> None:
    """Raise :class:`ServiceRefused` unless every SERVICE call, by the parse and by the characters,
    targets an allowed endpoint. The message is the same whatever the target."""
    targets = [*service_calls(query)]
    with contextlib.suppress(QueryError):
        targets += list(inspect_query(query).services)
    if any(t is None or t not in allowed for t in targets):
        raise ServiceRefused(
            "SERVICE is refused: queries here make no outbound requests"
            + (" except to the endpoints given with --allow-service" if allowed else "")
        )


class ServiceRefused(QueryError):
    """A query that calls another endpoint (SERVICE) where that is not allowed."""


@functools.lru_cache(maxsize=64)
def inspect_query(query: str) -> QueryInfo:
    """Parse ``query`` and say what it is; raise :class:`UpdateRefused` or :class:`QueryError`."""
    from rdflib.plugins.sparql.sparql import Prologue

    parsed = _parsed(query)
    prologue_part, body = parsed[0], parsed[1]
    prologue = Prologue()
    for decl in prologue_part:
        if decl.name == "Base":
            prologue.base = decl.iri
        elif decl.name == "PrefixDecl":
            prologue.bind(decl.prefix, prologue.absolutize(decl.iri))
    services: list[str | None] = []
    try:
        _services(body, prologue, services)
    except RecursionError:
        raise QueryError("malformed SPARQL query: nested too deeply") from None
    return QueryInfo(FORMS.get(body.name, "select"), tuple(services), "datasetClause" in body)


def _parsed(query: str):
    """The query's parse (prologue, body); an update is refused, a malformed query says where."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return parseQuery(query)
    except RecursionError:
        raise QueryError("malformed SPARQL query: nested too deeply") from None
    except ParseBaseException as exc:
        try:
            update = parseUpdate(query)
            if "request" not in update:  # nothing but a prologue or comments: not an update either
                raise ValueError("empty")
        except (ParseBaseException, RecursionError, ValueError):
            near = query[exc.loc : exc.loc + 30].split("\n")[0]
            raise QueryError(
                f"malformed SPARQL query at line {exc.lineno}, column {exc.col} ({exc.lineno}:{exc.col}): "
                f"{exc.msg}, near {near!r}"
            ) from None
        raise UpdateRefused("SPARQL Update is refused: this is a read-only query service") from None
    except ValueError as exc:  # an invalid \\u escape
        raise QueryError(f"malformed SPARQL query: {exc}") from None


def _services(node, prologue, services: list[str | None]) -> None:
    """Add to ``services`` the endpoint of every SERVICE in a parsed query (None for a variable)."""
    from rdflib.plugins.sparql.algebra import translatePName
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

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
            _services(value, prologue, services)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _services(value, prologue, services)


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
        raise QueryError(
            "the query names its dataset (FROM / FROM NAMED) and so does the request "
            "(default-graph-uri / named-graph-uri); give it in one place"
        )
    return stripped
