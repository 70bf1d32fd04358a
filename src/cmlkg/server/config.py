"""What the endpoint is configured with (ServerConfig, the machine-sized memory ceiling), the media types
it serves, and the error it refuses a request with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cmlkg.vocabulary import package_dir

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
    max_rows: int = 1_000_000
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
