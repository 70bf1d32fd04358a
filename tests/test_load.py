"""A short load test on loopback: 32 concurrent clients, then overload answered with 503."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import Server

QUERY = "PREFIX cml: <https://w3id.org/cmlkg/ontology#> SELECT ?s ?n WHERE { ?s cml:size ?n } ORDER BY ?s"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))


@pytest.mark.slow
def test_32_clients_sustained_without_errors_or_growth(server):
    def client(_):
        codes = []
        with httpx.Client(timeout=30) as c:
            for _ in range(10):
                codes.append(c.post(server.url + "/sparql", data={"query": QUERY}).status_code)
        return codes

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(client, range(32)))  # warm up
        before = rss_kb(server.proc.pid)
        start = time.monotonic()
        codes = [c for batch in pool.map(client, range(32)) for c in batch]
        elapsed = time.monotonic() - start
    after = rss_kb(server.proc.pid)
    assert codes.count(200) == len(codes) == 320
    assert elapsed < 60
    assert after < before * 1.5 + 20_000, (before, after)


@pytest.mark.slow
def test_overload_is_answered_with_503(dev_build):
    server = Server(dev_build, "--workers", "1", "--max-queue", "2", "--timeout", "2")
    try:

        def client(_):
            return httpx.post(server.url + "/sparql", data={"query": SLOW}, timeout=60).status_code

        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(client, range(12)))
        assert 503 in codes
        assert all(c == 503 for c in codes)  # each is refused: overload or the time limit, never a hang
        ok = httpx.post(server.url + "/sparql", data={"query": QUERY}, timeout=30)
        assert ok.status_code == 200
    finally:
        server.stop()
