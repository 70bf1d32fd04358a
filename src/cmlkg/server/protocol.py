"""The request side of the SPARQL 1.1 Protocol: an HTTP request (GET, POST as a form or a direct
query, the HTTP QUERY method) made into one query and its dataset, or refused with the status the
protocol gives; and where this server says it is."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from starlette.requests import ClientDisconnect, Request

from cmlkg.server.config import MAX_REQUEST_BYTES, QueryRefused, ServerConfig

_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"
_GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class SparqlRequest:
    """One query and the dataset the request names for it (empty lists: the server's default)."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]


async def sparql_request(request: Request, body_timeout: float) -> SparqlRequest | None:
    """The query of ``request``; None for a GET without one (it asks for the service description).
    Raises :class:`QueryRefused` for an update, a malformed or oversized request."""
    params = request.query_params
    fields = {name: params.getlist(name) for name in ("query", *_GRAPH_PARAMS)}
    if "update" in params:
        raise QueryRefused(403, _READ_ONLY)
    if request.method in ("GET", "HEAD"):
        if not fields["query"]:
            return None
    else:
        for name, values in (await _body_fields(request, body_timeout)).items():
            fields[name] = fields[name] + values
    queries = fields["query"]
    if len(queries) != 1 or not queries[0].strip():
        raise QueryRefused(400, "give exactly one query" if queries else "no query given")
    default_graphs, named_graphs = _split_graph_params(fields["default-graph-uri"], fields["named-graph-uri"])
    return SparqlRequest(queries[0], default_graphs, named_graphs)


async def _body_fields(request: Request, body_timeout: float) -> dict[str, list[str]]:
    """The query and graph parameters a POST or QUERY body carries."""
    body = await read_body(request, body_timeout)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise QueryRefused(403, _READ_ONLY)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"the request body is not UTF-8 (byte offset {exc.start})") from None
    if ctype == "application/sparql-query":
        return {"query": [text]}
    if ctype != "application/x-www-form-urlencoded":
        raise QueryRefused(
            415, "send a query as application/sparql-query or application/x-www-form-urlencoded"
        )
    try:
        form = parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise QueryRefused(400, "the form is not UTF-8 once percent-decoded") from None
    if "update" in form:
        raise QueryRefused(403, _READ_ONLY)
    return {name: form.get(name, []) for name in ("query", *_GRAPH_PARAMS)}


async def read_body(request: Request, body_timeout: float) -> bytes:
    """The request body, refused as soon as it passes the size limit, within ``body_timeout``."""
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
        await asyncio.wait_for(collect(), body_timeout)
    except TimeoutError:
        raise QueryRefused(408, f"the request body was not sent within {body_timeout:g} s") from None
    return b"".join(chunks)


def base_url(request: Request, config: ServerConfig) -> str:
    """Where links, VoID and the service description say this server is: --base-url, else the
    Host the client named when it is in --allow-host, else the address the server is bound to.
    A Host header alone is never trusted (a shared cache would keep a forged one)."""
    if config.base:
        return config.base.rstrip("/") + "/"
    host = request.headers.get("host", "").strip().lower()
    if host and host in config.allowed_hosts:
        return f"{request.url.scheme}://{host}/"
    return (config.bound or str(request.base_url)).rstrip("/") + "/"


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
