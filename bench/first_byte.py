"""Time to the first byte and to the last of a 100,000-row SELECT, through `cmlkg serve` and through
Oxigraph's own server (`oxigraph serve-read-only`, from the `oxigraph` wheel) on the same store.

    .venv/bin/pip install oxigraph && .venv/bin/python bench/first_byte.py --build-dir BUILD

BUILD: any cmlkg build with more than 100,000 triples (e.g. bench/run.py's 1,000-abstract build).
Target: first byte in under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CMLKG, ROOT, free_port, wait_http  # noqa: E402

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100000"


def timings(url: str, repeat: int) -> tuple[float, float, int]:
    firsts, totals, size = [], [], 0
    with httpx.Client(timeout=120) as client:
        for _ in range(repeat):
            start = time.perf_counter()
            with client.stream(
                "POST",
                url,
                content=QUERY,
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
            ) as r:
                assert r.status_code == 200, r.read()[:300]
                first = None
                size = 0
                for chunk in r.iter_raw():
                    if first is None:
                        first = time.perf_counter() - start
                    size += len(chunk)
            totals.append(time.perf_counter() - start)
            firsts.append(first)
    return statistics.median(firsts) * 1000, statistics.median(totals) * 1000, size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    store = (args.build_dir / "current").resolve() / "store"
    rows = {}

    def measure(name: str, command: list[str], path: str, port: int) -> None:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}{path}", proc)
            rows[name] = timings(f"http://127.0.0.1:{port}{path}", args.repeat)
        finally:
            proc.terminate()
            proc.wait(10)

    port = free_port()
    measure(
        "cmlkg serve",
        [*CMLKG, "serve", "--build-dir", str(args.build_dir), "--port", str(port), "--quiet"],
        "/sparql",
        port,
    )
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if Path(oxigraph).exists():
        port = free_port()
        measure(
            "oxigraph serve-read-only",
            [
                oxigraph,
                "serve-read-only",
                "--location",
                str(store),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            "/query",
            port,
        )
    for name, (first, total, size) in rows.items():
        print(f"{name:26} first byte {first:7.1f} ms   last byte {total:7.1f} ms   {size / 1e6:.1f} MB")
    out = ROOT / "bench" / "results" / "first_byte.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                k: {"first_ms": round(v[0], 1), "total_ms": round(v[1], 1), "bytes": v[2]}
                for k, v in rows.items()
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
