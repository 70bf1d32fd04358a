"""Latency of a trivial query while each attack of issues 16 and 24 runs against a real server (loopback only).

    .venv/bin/python bench/attacks.py [--build-dir DIR]

Builds the dev corpus if no build is given, starts `cmlkg serve` on a free port, and for each attack
runs it in background threads while 20 trivial queries (ASK { ?s ?p ?o }) are timed one after the
other. Prints the median and the worst latency per attack; target: worst < 100 ms.
"""

from __future__ import annotations

import argparse
import contextlib
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CMLKG, ROOT, free_port  # noqa: E402


def post(url: str, query: str, timeout: float = 60) -> int:
    try:
        return httpx.post(
            url + "/sparql",
            content=query,
            timeout=timeout,
            headers={"Content-Type": "application/sparql-query"},
        ).status_code
    except httpx.HTTPError:
        return 0


def attacks(url: str, port: int) -> dict:
    sink = socket.socket()
    sink.bind(("127.0.0.1", 0))
    sink.listen(8)
    sink.settimeout(0.2)
    target = f"http://127.0.0.1:{sink.getsockname()[1]}/x"
    hits = []

    def count_hits():
        while True:
            with contextlib.suppress(OSError):
                sink.accept()[0].close()
                hits.append(1)

    threading.Thread(target=count_hits, daemon=True).start()

    def ssrf():
        post(
            url,
            f"PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> SELECT * WHERE {{ SERVICE <{target}> {{ ?a ?b ?c }} }}",
        )

    def injection():
        httpx.get(
            url + f"/graph/ontology%3E%20%7B%20%7D%20SERVICE%20%3C{target}%3E%20%7B%7D%20%23", timeout=30
        )

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
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        try:
            for _ in range(4000):
                s.sendall(b"10000\r\n" + b"#" * 0x10000 + b"\r\n")
        except OSError:
            pass
        s.close()

    def group_concat():
        post(
            url,
            "PREFIX cml: <https://w3id.org/cmlkg/ontology#> SELECT (GROUP_CONCAT(?t) AS ?all) "
            "WHERE { ?d cml:sourceText ?t . ?e a cml:Abstract }",
        )

    def nested():
        post(url, "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000)

    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"

    def raw(query: str, http: str = "1.1") -> socket.socket:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(
            f"POST /sparql HTTP/{http}\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {len(query)}\r\n\r\n{query}".encode()
        )
        return s

    def hang_up_mid_stream():  # curl ... | head -c 300000
        for _ in range(3):
            s = raw(endless)
            got = 0
            with contextlib.suppress(OSError):
                while got < 300_000 and (chunk := s.recv(65536)):
                    got += len(chunk)
            s.close()

    def slow_readers():  # read 100 bytes every second, or nothing
        socks = [raw(endless + " LIMIT 20000") for _ in range(2)]
        for _ in range(4):
            time.sleep(1)
            with contextlib.suppress(OSError):
                socks[0].recv(100)
        for s in socks:
            s.close()

    def smuggled_service():
        post(
            url,
            f'SELECT * WHERE {{ BIND("\\u00000022 AS ?x) }} #" AS ?x) SERVICE <{target}> {{ ?s ?p ?o }} }}',
        )
        post(
            url, f"SELECT * WHERE {{ BIND(COALESCE(EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }}) AS ?z) }}"
        )

    def concat_memory():
        chain = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
        post(url, f'SELECT (STRLEN(?a40) AS ?n) WHERE {{ BIND("{"x" * 64}" AS ?a0) {chain} }}')

    def http10():
        s = raw(endless, http="1.0")
        with contextlib.suppress(OSError):
            while s.recv(65536):
                pass
        s.close()

    def flat_10k():
        post(url, "ASK { FILTER(" + " && ".join(["true"] * 10_000) + ") }")
        post(url, "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(10_000)) + " }")

    return {
        "ssrf_service": ssrf,
        "path_injection": injection,
        "1MB_query": big_query,
        "100_half_sent_requests": half_sent,
        "abandoned_slow_query": abandoned,
        "chunked_300MB_body": chunked,
        "group_concat": group_concat,
        "10k_nested_braces": nested,
        "hang_up_mid_stream": hang_up_mid_stream,
        "slow_readers": slow_readers,
        "smuggled_service": smuggled_service,
        "concat_memory": concat_memory,
        "http_1.0_endless": http10,
        "flat_10k_operators": flat_10k,
    }, hits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cmlkg-attacks-"))
    build = args.build_dir
    if build is None:
        build = work / "build"
        subprocess.run(
            [
                *CMLKG,
                "build",
                "--seeds",
                str(ROOT / "tests" / "data" / "corpus" / "dev"),
                "--build-dir",
                str(build),
                "-q",
            ],
            cwd=ROOT,
            check=True,
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            *CMLKG,
            "serve",
            "--build-dir",
            str(build),
            "--port",
            str(port),
            "--quiet",
            "--workers",
            "2",
            "--header-timeout",
            "2",
            "--max-bytes",
            "1000000",
        ],
        cwd=ROOT,
    )
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/sparql", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        results = {}
        client = httpx.Client()  # one keep-alive connection, as a query client holds one
        attack_list, hits = attacks(url, port)
        for name, attack in attack_list.items():
            threads = [threading.Thread(target=attack, daemon=True) for _ in range(2)]
            for t in threads:
                t.start()
            time.sleep(0.2)
            times = []
            for _ in range(20):
                start = time.perf_counter()
                r = client.post(
                    url + "/sparql",
                    content="ASK { ?s ?p ?o }",
                    timeout=30,
                    headers={"Content-Type": "application/sparql-query"},
                )
                times.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, (name, r.status_code, r.text)
            for t in threads:
                t.join(60)
            results[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}
            print(
                f"{name:24} median {results[name]['median_ms']:7.1f} ms   worst {results[name]['max_ms']:7.1f} ms",
                flush=True,
            )
        print(f"outbound connections made by SERVICE attacks: {len(hits)}", flush=True)
        results["outbound_connections"] = len(hits)
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "attacks.json").write_text(
            json.dumps(results, indent=1) + "\n", encoding="utf-8"
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
