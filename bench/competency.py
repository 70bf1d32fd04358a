"""Every shipped query through `cmlkg serve` against Oxigraph's own server on the same store (issue 22).

    .venv/bin/pip install oxigraph && .venv/bin/python bench/competency.py --build-dir BUILD

For each query of queries/: through `cmlkg serve` (on disk), the time to the first byte and to the last
(median and p95 of --repeat runs, SPARQL JSON), and the rows; through `oxigraph serve-read-only
--union-default-graph` on the build's store, the time to the last byte of the same SPARQL (median of
--reference-repeat runs; a whole-graph query there takes 20-30 s at 50,000 abstracts). The shipped
competency queries are answered by cmlkg from the build's answer files (cmlkg.answers); Oxigraph runs
them on the store. Results in bench/results/competency.json.
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
from run import CMLKG, ROOT, free_port, percentile, queries, wait_http  # noqa: E402


def timed(client: httpx.Client, url: str, query: str) -> tuple[float, float, int]:
    """First byte and last byte (s) and the rows of one query's SPARQL JSON answer."""
    start = time.perf_counter()
    with client.stream(
        "POST",
        url,
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    ) as r:
        first = None
        body = []
        for chunk in r.iter_raw():
            if first is None:
                first = time.perf_counter() - start
            body.append(chunk)
        total = time.perf_counter() - start
        if r.status_code != 200:
            raise SystemExit(f"{url}: {r.status_code} {b''.join(body)[:300]!r}")
    rows = len(json.loads(b"".join(body))["results"]["bindings"])
    return first or total, total, rows


def variants(build: Path) -> dict[str, str]:
    """The shipped queries, and the selective examples as a user edits them (another drug, another
    outcome category, an abstract of this build): those run on the store, not from an answer file."""
    shipped = queries()
    first = next(iter(sorted((build / "current" / "answers" / "sources.tsv").read_text().splitlines()[1:])))
    ident = first.split("\t")[0].strip('"')
    return {
        **shipped,
        "one_study (an abstract of the build)": shipped["one_study"].replace(
            "graph/002_tops-imatinib-400-vs-800", f"graph/{ident}"
        ),
        "outcomes_of_drug (edited: dasatinib)": shipped["outcomes_of_drug"].replace(
            "{ cml:Nilotinib }", "{ cml:Dasatinib }"
        ),
        "outcome_across_studies (edited: CCyR)": shipped["outcome_across_studies"].replace(
            "* cml:MajorMolecularResponse ;", "* cml:CompleteCytogeneticResponse ;"
        ),
    }


def serve(command: list[str], path: str, port: int):
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_http(f"http://127.0.0.1:{port}{path}", proc, limit=300)
    return proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--reference-repeat", type=int, default=1)
    args = ap.parse_args()
    store = (args.build_dir / "current").resolve() / "store"
    todo = variants(args.build_dir)
    assert len(set(todo.values())) == len(todo), "a variant's edit did not apply"
    results: dict[str, dict] = {name: {} for name in todo}

    port = free_port()
    proc = serve(
        [*CMLKG, "serve", "--build-dir", str(args.build_dir), "--port", str(port), "--quiet"], "/sparql", port
    )
    try:
        with httpx.Client(timeout=600) as client:
            for name, query in todo.items():
                runs = [timed(client, f"http://127.0.0.1:{port}/sparql", query) for _ in range(args.repeat)]
                firsts, totals = [r[0] * 1000 for r in runs], [r[1] * 1000 for r in runs]
                results[name]["cmlkg"] = {
                    "rows": runs[0][2],
                    "first_ms": round(statistics.median(firsts), 1),
                    "median_ms": round(statistics.median(totals), 1),
                    "p95_ms": round(percentile(totals, 95), 1),
                }
    finally:
        proc.terminate()
        proc.wait(10)

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if Path(oxigraph).exists():
        port = free_port()
        command = [oxigraph, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
        proc = serve([*command, "--union-default-graph"], "/query", port)
        try:
            with httpx.Client(timeout=600) as client:
                for name, query in todo.items():
                    runs = [
                        timed(client, f"http://127.0.0.1:{port}/query", query)
                        for _ in range(args.reference_repeat)
                    ]
                    results[name]["oxigraph"] = {
                        "rows": runs[0][2],
                        "median_ms": round(statistics.median(r[1] * 1000 for r in runs), 1),
                    }
        finally:
            proc.terminate()
            proc.wait(10)

    print(f"{'query':40} {'rows':>8} {'first':>9} {'median':>10} {'p95':>10} {'oxigraph':>10}  ratio")
    for name, r in results.items():
        c, o = r["cmlkg"], r.get("oxigraph")
        ref = f"{o['median_ms']:8.0f}ms  {c['median_ms'] / o['median_ms']:.3f}" if o else ""
        same = "" if not o or o["rows"] == c["rows"] else f"  (oxigraph rows {o['rows']})"
        print(
            f"{name:40} {c['rows']:8} {c['first_ms']:7.1f}ms {c['median_ms']:8.1f}ms {c['p95_ms']:8.1f}ms "
            f"{ref}{same}"
        )
    out = ROOT / "bench" / "results" / "competency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
