"""The SPARQL endpoint: a Starlette app over the current build, read-only and safe by default.

Queries run in worker processes that hold the store open read-only. A query that passes its time
limit is stopped by ending its worker (pyoxigraph cannot cancel a query), and the client gets HTTP
503 with a message, never a truncated 200. Results stream as Oxigraph writes them (the first 256 kB
held back, so that a small result that breaks a limit still gets its clean status); --timeout covers
the whole answer, to its last byte. Workers run with a memory ceiling and, unless SERVICE targets
are allowed, in a network namespace of their own with no route out.

One module per responsibility: ``config``, ``worker``, ``pool``, ``negotiation``, ``pages``, ``app``,
``http``."""

from __future__ import annotations

from cmlkg.server.app import create_app
from cmlkg.server.config import (
    GRAPH_TYPES,
    SELECT_TYPES,
    QueryRefused,
    ServerConfig,
    default_max_memory,
    parse_size,
)
from cmlkg.server.http import run_server
from cmlkg.server.negotiation import negotiate
from cmlkg.server.pool import QueryPool, StreamAborted
from cmlkg.server.rows import exact_rows, result_rows

__all__ = [
    "GRAPH_TYPES",
    "SELECT_TYPES",
    "QueryPool",
    "QueryRefused",
    "ServerConfig",
    "StreamAborted",
    "create_app",
    "default_max_memory",
    "exact_rows",
    "negotiate",
    "parse_size",
    "result_rows",
    "run_server",
]
