"""cmlkg benchmark suite: build throughput and memory, incremental add, query latency, endpoint
throughput against Oxigraph's own server, and a sustained load test. Prints one table.

    .venv/bin/pip install oxigraph && .venv/bin/python bench/run.py            # 1,000 and 10,000 abstracts
    .venv/bin/python bench/run.py --sizes 1000 --repeat 3                       # quicker

Every figure is the median of --repeat runs (builds: --build-repeat). Loopback traffic only; every
loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "tests" / "data" / "corpus" / "dev",
    ROOT / "tests" / "data" / "corpus" / "negatives",
    ROOT / "seeds",
]
CMLKG = [sys.executable, "-m", "cmlkg"]
TARGETS = {
    "build_1job": ">= 300 abstracts/s",
    "build_2jobs": "~2x one job",
    "peak_rss": "< 1 GiB (10,000)",
    "add_one": "< 1 s",
    "query_median": "< 100 ms",
    "endpoint_ratio": ">= 0.9 of Oxigraph",
}


def make_corpus(n: int, folder: Path) -> Path:
    """n real abstracts, copies of the shared corpus under new identifiers."""
    if folder.exists() and len(list(folder.glob("*.txt"))) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    texts = sorted(p for src in SOURCES for p in src.glob("*.txt"))
    for i in range(n):
        src = texts[i % len(texts)]
        (folder / f"b{i:06d}_{src.stem[:40]}.txt").write_bytes(src.read_bytes())
    return folder


def _children(pid: int) -> list[int]:
    """Child processes, from /proc (spawning pgrep 20 times a second would steal the CPU it measures)."""
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    total = 0
    pids, seen = [pid], set()
    while pids:
        p = pids.pop()
        if p in seen:
            continue
        seen.add(p)
        pids += _children(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            pass
    return total


def timed_run(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (sampled, process tree) of a command."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.1)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return elapsed, peak


def digest(build: Path) -> str:
    h = hashlib.sha256()
    for name in ("cmlkg.trig", "cmlkg.ttl", "cmlkg.rdf", "report.json"):
        h.update((build / name).read_bytes())
    return h.hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-1000:] if proc.stderr else ''}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def queries() -> dict[str, str]:
    return {p.stem: p.read_text() for p in sorted((ROOT / "queries").glob("*.rq"))}


def query_latency_in_process(
    build: Path, repeat: int, memory: bool = False
) -> dict[str, tuple[float, float]]:
    """Query plus serialising the whole result (SPARQL JSON), on the store or on an in-memory copy."""
    import io

    import pyoxigraph as ox

    from cmlkg.query import run_query
    from cmlkg.store import open_store

    if memory:
        store = ox.Store()
        store.bulk_load(path=str(build / "cmlkg.trig"), format=ox.RdfFormat.TRIG)
    else:
        store = open_store(build)
    out = {}
    for name, q in queries().items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run_query(store, q).serialize(io.BytesIO(), format=ox.QueryResultsFormat.JSON)
            times.append((time.perf_counter() - t) * 1000)
        out[name] = (statistics.median(times), percentile(times, 95))
    return out


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def query_latency_http(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    out = {}
    with httpx.Client(timeout=120) as c:
        for name, q in queries().items():
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                r = c.post(url, data={"query": q}, headers={"Accept": "application/sparql-results+json"})
                r.raise_for_status()
                times.append((time.perf_counter() - t) * 1000)
            out[name] = (statistics.median(times), percentile(times, 95))
    return out


def throughput(url: str, clients: int, seconds: float) -> tuple[float, int, int]:
    """Queries per second with `clients` concurrent clients for at least `seconds`.

    The clients share one sequence of the competency queries in turn, and no new query is started
    once the time is up and a whole round of them has been handed out: both servers compared do the
    same mix of work (with queries of 0.1-7 s, stopping mid-round would make the figure depend on
    which queries were cut off).
    """
    qs = list(queries().values())
    stop = time.monotonic() + seconds
    counts, errors = [0] * clients, [0] * clients
    issued = 0
    lock = threading.Lock()

    def next_query() -> str | None:
        nonlocal issued
        with lock:
            if issued % len(qs) == 0 and time.monotonic() >= stop:
                return None
            issued += 1
            return qs[(issued - 1) % len(qs)]

    def worker(k: int) -> None:
        with httpx.Client(timeout=120) as c:
            while (q := next_query()) is not None:
                try:
                    r = c.post(url, data={"query": q}, headers={"Accept": "application/sparql-results+json"})
                    if r.status_code == 200:
                        counts[k] += 1
                    else:
                        errors[k] += 1
                except httpx.HTTPError:
                    errors[k] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    return sum(counts) / elapsed, sum(counts), sum(errors)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=5, help="runs per query / throughput figure")
    ap.add_argument("--build-repeat", type=int, default=1, help="runs per build figure")
    ap.add_argument("--seconds", type=float, default=10, help="duration of each throughput run")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []

    def row(name, size, value, target=""):
        rows.append((name, str(size), value, target))
        print(f"  {name:<44} {size:>7} {value:>22}  {target}", file=sys.stderr, flush=True)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}",
        file=sys.stderr,
    )
    import pyoxigraph

    from cmlkg import __version__

    print(f"versions: cmlkg {__version__}, pyoxigraph {pyoxigraph.__version__}", file=sys.stderr)
    print(f"command: {' '.join([sys.executable, *sys.argv])}", file=sys.stderr)

    largest = None
    for n in args.sizes:
        corpus = make_corpus(n, ROOT / "bench" / f"corpus-{n}")
        build = args.work / f"build-{n}"
        for jobs in (1, 2):
            runs = [
                timed_run(
                    [
                        *CMLKG,
                        "build",
                        "--seeds",
                        str(corpus),
                        "--build-dir",
                        str(build),
                        "--jobs",
                        str(jobs),
                        "-q",
                    ]
                )
                for _ in range(args.build_repeat)
            ]
            secs = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            row(
                f"build --jobs {jobs}: abstracts/s",
                n,
                f"{n / secs:.0f} ({secs:.1f} s)",
                TARGETS["build_1job" if jobs == 1 else "build_2jobs"],
            )
            row(f"build --jobs {jobs}: peak RSS", n, f"{peak / 1024:.0f} MiB", TARGETS["peak_rss"])
        largest = (n, corpus, build)

    n, corpus, build = largest
    # incremental: one new abstract into the largest build, compared with a full rebuild
    new = args.work / "new-abstract"
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir()
    extra = new / "zz_new_abstract.txt"
    extra.write_bytes(next((ROOT / "tests" / "data" / "corpus" / "dev").glob("005_*.txt")).read_bytes())
    # the first run adds it, the others replace it (the same work); right after the builds above the
    # disk is still busy deleting their old generations, which the first run feels
    add_runs = [
        timed_run([*CMLKG, "add", str(extra), "--build-dir", str(build), "-q"])[0] for _ in range(args.repeat)
    ]
    row(
        "add one abstract: median / first run",
        n,
        f"{statistics.median(add_runs):.2f} / {add_runs[0]:.2f} s",
        TARGETS["add_one"],
    )
    full_seeds = args.work / "full-seeds"
    shutil.rmtree(full_seeds, ignore_errors=True)
    shutil.copytree(corpus, full_seeds)
    shutil.copy(extra, full_seeds)
    timed_run(
        [*CMLKG, "build", "--seeds", str(full_seeds), "--build-dir", str(args.work / "build-full"), "-q"]
    )
    same = digest(build) == digest(args.work / "build-full")
    row("add one abstract == full rebuild", n, "yes" if same else "NO", "yes")

    # queries in process: on the on-disk store, and on an in-memory copy (what `serve --memory` does)
    for memory in (False, True):
        where = "in-memory" if memory else "on-disk store"
        for name, (med, p95) in query_latency_in_process(build, args.repeat, memory).items():
            row(
                f"query {name}, in-process ({where}) median / p95",
                n,
                f"{med:.1f} / {p95:.1f} ms",
                TARGETS["query_median"],
            )

    # endpoints: cmlkg serve and oxigraph serve-read-only on the same store
    store_dir = (build / "current" / "store").resolve()
    for memory in (False, True):
        endpoint_rows(row, n, build, store_dir, args, memory)

    print("\n| figure | abstracts | value | target |\n| --- | --- | --- | --- |")
    for name, size, value, target in rows:
        print(f"| {name} | {size} | {value} | {target} |")
    (args.work / "results.json").write_text(json.dumps(rows, indent=1))


def endpoint_rows(row, n: int, build: Path, store_dir: Path, args, memory: bool) -> None:
    """cmlkg serve (on the store, or --memory) against oxigraph serve-read-only on the same store."""
    mode = "--memory" if memory else "on-disk"
    port = free_port()
    ours = subprocess.Popen(
        [
            *CMLKG,
            "serve",
            "--build-dir",
            str(build),
            "--port",
            str(port),
            "--quiet",
            "--timeout",
            "120",
            "--max-queue",
            "256",
            *(["--memory"] if memory else []),
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    ours_url = f"http://127.0.0.1:{port}/sparql"
    oport = free_port()
    oxigraph_bin = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    theirs = None
    if oxigraph_bin:
        theirs = subprocess.Popen(
            [
                oxigraph_bin,
                "serve-read-only",
                "--location",
                str(store_dir),
                "--bind",
                f"127.0.0.1:{oport}",
                "--union-default-graph",
            ],
            stderr=subprocess.PIPE,
        )
    try:
        wait_http(ours_url, ours, limit=600)
        for name, (med, p95) in query_latency_http(ours_url, args.repeat).items():
            row(
                f"query {name} via cmlkg serve ({mode}) median / p95",
                n,
                f"{med:.1f} / {p95:.1f} ms",
                TARGETS["query_median"],
            )
        if theirs:
            wait_http(f"http://127.0.0.1:{oport}/query", theirs)
        for clients in (4, 32):
            q_ours = statistics.median(
                throughput(ours_url, clients, args.seconds)[0] for _ in range(max(1, args.repeat // 2))
            )
            row(f"endpoint q/s, {clients} clients: cmlkg serve ({mode})", n, f"{q_ours:.2f}")
            if theirs:
                url = f"http://127.0.0.1:{oport}/query"
                q_theirs = statistics.median(
                    throughput(url, clients, args.seconds)[0] for _ in range(max(1, args.repeat // 2))
                )
                row(f"endpoint q/s, {clients} clients: oxigraph serve-read-only", n, f"{q_theirs:.2f}")
                row(
                    f"endpoint ratio cmlkg ({mode})/oxigraph, {clients} clients",
                    n,
                    f"{q_ours / q_theirs:.2f}",
                    TARGETS["endpoint_ratio"],
                )
        # sustained load: 32 clients, errors and server memory before / after
        before = tree_rss_kb(ours.pid)
        qps, ok, errors = throughput(ours_url, 32, args.seconds * 3)
        after = tree_rss_kb(ours.pid)
        row(f"load ({mode}): 32 clients sustained, errors", n, f"{errors} of {ok + errors}", "0")
        row(
            f"load ({mode}): server RSS before -> after",
            n,
            f"{before / 1024:.0f} -> {after / 1024:.0f} MiB",
            "no growth",
        )
    finally:
        for p in (ours, theirs):
            if p:
                p.terminate()
                p.wait(timeout=10)


if __name__ == "__main__":
    main()
