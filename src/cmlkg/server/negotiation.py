"""Content negotiation: the format an Accept header asks for."""

from __future__ import annotations

from cmlkg.server.config import GRAPH_TYPES


def negotiate(accept: str, kinds: dict[str, str], default: str) -> str | None:
    """The format for an Accept header, or None when nothing acceptable can be served."""
    if not accept.strip():
        return kinds[default]
    prefs = []
    for part in accept.split(","):
        bits = [b.strip() for b in part.split(";")]
        mime, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        prefs.append((q, mime))
    for q, mime in sorted(prefs, key=lambda x: -x[0]):
        if q <= 0:
            continue
        if mime in kinds:
            return kinds[mime]
        if mime in ("*/*", "application/*", "text/*"):
            return kinds[default]
    return None


def _media_type(fmt: str, kind: str) -> str:
    if kind == "graph":
        return {v: k for k, v in GRAPH_TYPES.items()}[fmt]
    return {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv; charset=utf-8",
        "tsv": "text/tab-separated-values; charset=utf-8",
    }[fmt]
