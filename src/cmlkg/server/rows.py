"""Counting the solutions of a serialised SELECT result (the --max-rows check of a streamed answer)."""

from __future__ import annotations

import json


def result_rows(data: bytes, fmt: str) -> int:
    """The number of solutions in a serialised SELECT result.

    Exact for TSV (one line per solution; newlines in literals are escaped) and XML (``<result>``
    cannot occur inside escaped text). For JSON and CSV a byte count gives an upper bound (``},{``
    between solutions, or a newline per row, may also occur inside a literal); only when that bound is
    above the limit is the result parsed to count exactly.
    """
    if fmt == "xml":
        return data.count(b"<result>")
    if fmt == "json":
        return 0 if b'"bindings":[]' in data else data.count(b"},{") + 1
    return max(0, data.count(b"\n") - 1)  # TSV, and CSV's upper bound


def exact_rows(data: bytes, fmt: str) -> int:
    if fmt == "json":
        return len(json.loads(data)["results"]["bindings"])
    if fmt == "csv":
        import csv
        import io

        return max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1)
    return result_rows(data, fmt)
