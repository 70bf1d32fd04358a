"""Latency of a trivial query while each attack of issue 16 runs against a real server (loopback only).

    .venv/bin/python bench/attacks.py [--build-dir DIR]

Builds the dev corpus if no build is given, starts `cmlkg serve` on a free port, and for each attack
runs it in background threads while 20 trivial queries (ASK { ?s ?p ?o }) are timed one after the
other. Prints the median and the worst latency per attack; target: worst < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CMLKG = [sys.executable, "-m", "cmlkg"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, query: str, timeout: float = 60) -> int:
    try:
        return httpx.post(url + "/sparql", content=query, timeout=timeout,
                          headers={"Content-Type": "application/sparql-query"}).status_code
    except httpx.HTTPError:
        return 0


def attacks(url: str, port: int) -> dict:
    sink = socket.socket()
    sink.bind(("127.0.0.1", 0))
    sink.listen(8)
    target = f"http://127.0.0.1:{sink.getsockname()[1]}/x"

    def ssrf():
        post(url, f"PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * WHERE {{ SERVICE <{target}> {{ ?a ?b ?c }} }}")

    def injection():
        httpx.get(url + f"/graph/ontology%3E%20%7B%20%7D%20SERVICE%20%3C{target}%3E%20%7B%7D%20%23", timeout=30)

    def big_query():
        post(url, "PREFIX " * 130_000)

    def half_sent():
        socks = []
        for _ in range(100):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        time.sleep(3)
        for s in socks:
            s.close()

    def abandoned():
        post(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)

    def chunked():
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(4000):
                s.sendall(b"10000\r\n" + b"#" * 0x10000 + b"\r\n")
        except OSError:
            pass
        s.close()

    def group_concat():
        post(url, "PREFIX cml: <https://w3id.org/cmlkg/ontology#> SELECT (GROUP_CONCAT(?t) AS ?all) "
                  "WHERE { ?d cml:sourceText ?t . ?e a cml:Abstract }")

    def nested():
        post(url, "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000)

    return {"ssrf_service": ssrf, "path_injection": injection, "1MB_query": big_query,
            "100_half_sent_requests": half_sent, "abandoned_slow_query": abandoned,
            "chunked_300MB_body": chunked, "group_concat": group_concat, "10k_nested_braces": nested}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cmlkg-attacks-"))
    build = args.build_dir
    if build is None:
        build = work / "build"
        subprocess.run([*CMLKG, "build", "--seeds", str(ROOT / "tests" / "data" / "corpus" / "dev"),
                        "--build-dir", str(build), "-q"], cwd=ROOT, check=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([*CMLKG, "serve", "--build-dir", str(build), "--port", str(port), "--quiet",
                               "--workers", "2", "--header-timeout", "2", "--max-bytes", "1000000"], cwd=ROOT)
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/sparql", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        results = {}
        client = httpx.Client()  # one keep-alive connection, as a query client holds one
        for name, attack in attacks(url, port).items():
            threads = [threading.Thread(target=attack, daemon=True) for _ in range(2)]
            for t in threads:
                t.start()
            time.sleep(0.2)
            times = []
            for _ in range(20):
                start = time.perf_counter()
                r = client.post(url + "/sparql", content="ASK { ?s ?p ?o }", timeout=30,
                                headers={"Content-Type": "application/sparql-query"})
                times.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (name, r.status_code, r.text)
            for t in threads:
                t.join(60)
            results[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
            print(f"{name:24} median {results[name]['median_ms']:7.1f} ms   worst {results[name]['max_ms']:7.1f} ms",
                  flush=True)
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "attacks.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
