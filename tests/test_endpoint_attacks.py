"""Regression tests of the second adversarial round against the endpoint (issue 24), one per finding,
against a real server on a free loopback port with real sockets: clients that hang up at every stage,
clients that read slowly or not at all, SERVICE smuggled past the parser, queries that take all
memory or overflow the engine's stack, HTTP/1.0 clients, forged Host headers."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import socket
import threading
import time

import httpx
import pytest
from test_hardening import TRIVIAL, Listener, answers_promptly, ask

from conftest import Server, run_cli

# a trivial query answers well before the server's --timeout (6 s here), so no slot is held by an
# attack; the latency itself is measured by bench/attacks.py (a bound of 1 s failed with both cores busy)
PROMPT = 4.0

# 8,000 quads squared: tens of millions of rows, streamed for longer than any test waits
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
LARGE = ENDLESS + " LIMIT 20000"  # about 7 MB of CSV, written in half a second


@pytest.fixture(scope="module")
def server(dev_build):
    s = Server(dev_build, "--timeout", "6", "--workers", "2", "--max-memory", "1G")
    yield s
    s.stop()


def raw_request(server, query: str, http: str = "1.1") -> socket.socket:
    """A socket that has sent a SPARQL POST and read nothing yet."""
    body = query.encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        f"POST /sparql HTTP/{http}\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: text/csv\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    return sock


def read_all(sock: socket.socket, limit: float) -> bytes:
    sock.settimeout(limit)
    parts = []
    try:
        while chunk := sock.recv(65536):
            parts.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(parts)


def test_hang_ups_before_the_first_byte_and_mid_stream_never_lose_a_slot(server):
    for _ in range(3):  # before the head: the query is still being computed
        with pytest.raises(httpx.TimeoutException):
            ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.3)
    for _ in range(3):  # mid-stream: read a few hundred kB, then hang up (curl ... | head -c 300000)
        sock = raw_request(server, ENDLESS)
        got = 0
        while got < 300_000:
            got += len(sock.recv(65536))
        sock.close()
    time.sleep(0.5)
    for _ in range(3):
        answers_promptly(server, PROMPT)


@pytest.mark.slow
def test_clients_that_read_slowly_or_never_hold_no_slot(server):
    stalled = [raw_request(server, LARGE) for _ in range(4)]  # twice as many as there are workers
    try:
        time.sleep(2.0)  # the results are computed; their clients have read none of them
        for _ in range(3):
            answers_promptly(server, PROMPT)
        for sock in stalled[:2]:
            sock.recv(100)  # a reader of 100 bytes now and then
        answers_promptly(server, PROMPT)
        # --timeout (6 s) covers the whole transfer: the stalled connections are cut off, not left open
        start = time.monotonic()
        read_all(stalled[2], 15)
        assert time.monotonic() - start < 12
    finally:
        for sock in stalled:
            sock.close()
    answers_promptly(server, PROMPT)


@pytest.mark.slow
def test_a_hundred_random_hang_ups_then_twenty_one_byte_a_second_readers(server):
    rng = random.Random(24)

    def hang_up() -> None:
        sock = raw_request(server, ENDLESS)
        try:
            need = rng.choice([0, 1, 5000, 200_000, 1_000_000])
            got = 0
            sock.settimeout(5)
            while got < need:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                got += len(chunk)
        except OSError:
            pass
        finally:
            sock.close()

    threads = [threading.Thread(target=hang_up) for _ in range(100)]
    for k, t in enumerate(threads):
        t.start()
        if k % 10 == 9:
            time.sleep(0.05)
    for t in threads:
        t.join(30)
    slow = [raw_request(server, LARGE) for _ in range(20)]
    stop = time.monotonic() + 7

    def trickle(sock):
        sock.settimeout(1)
        while time.monotonic() < stop:
            try:
                sock.recv(1)
            except OSError:
                return
            time.sleep(1)

    readers = [threading.Thread(target=trickle, args=(s,)) for s in slow]
    for t in readers:
        t.start()
    try:
        time.sleep(5)  # 20 results written on 2 workers; their clients read a byte a second
        answers_promptly(server, PROMPT)
    finally:
        for t in readers:
            t.join(10)
        for s in slow:
            s.close()
    answers_promptly(server, PROMPT)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { BIND("\\u00000022 AS ?x) } #" AS ?x) SERVICE <{t}> { ?s ?p ?o } }',
        "SELECT * WHERE { BIND(COALESCE(EXISTS { SERVICE <{t}> { ?s ?p ?o } }) AS ?z) }",
        "SELECT * WHERE { BIND(CONCAT(EXISTS { SERVICE <{t}> { ?s ?p ?o } }) AS ?z) }",
        "SELECT * WHERE { FILTER(1 IN (2, EXISTS { SERVICE <{t}> { ?s ?p ?o } })) }",
        "SELECT * WHERE { \\u0053ERVICE <{t}> { ?s ?p ?o } }",
    ],
)
def test_service_smuggled_past_the_parser_is_refused_with_one_message(server, query):
    lst = Listener()
    try:
        messages = set()
        for target in (f"http://127.0.0.1:{lst.port}/x", "http://127.0.0.1:1/x", "https://10.255.255.1/x"):
            r = ask(server, query.replace("{t}", target))
            assert r.status_code == 403, r.text
            messages.add(r.text)
        assert len(messages) == 1  # nothing tells one target from another: no port scanner
        time.sleep(0.3)
        assert lst.hits == 0
    finally:
        lst.close()
    answers_promptly(server, PROMPT)


def _connect_from_an_isolated_worker(port: int, result) -> None:
    from cmlkg.server.worker import _isolate

    isolated = _isolate({"max_memory": 0, "allowed_services": ()})
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        result.put((isolated, "connected"))
    except OSError as exc:
        result.put((isolated, type(exc).__name__))


def test_query_workers_have_no_route_out_whatever_the_parser_says():
    """By construction: the worker's process cannot open a connection at all (its own network namespace)."""
    lst = Listener()
    try:
        ctx = mp.get_context("spawn")
        result = ctx.Queue()
        proc = ctx.Process(target=_connect_from_an_isolated_worker, args=(lst.port, result))
        proc.start()
        isolated, outcome = result.get(timeout=30)
        proc.join(10)
        if isolated:
            assert outcome != "connected" and lst.hits == 0
        else:  # a kernel that refuses namespaces: the worker must say so truthfully (the server then warns)
            assert not _namespaces_available()
    finally:
        lst.close()


def _namespaces_available() -> bool:
    import subprocess
    import sys

    probe = (
        "import ctypes; libc = ctypes.CDLL(None, use_errno=True); "
        "raise SystemExit(0 if libc.unshare(0x40000000) == 0 or libc.unshare(0x50000000) == 0 else 1)"
    )
    return subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def test_a_query_that_takes_all_memory_meets_the_ceiling_and_the_worker_is_replaced(dev_build):
    # a server of its own with a long --timeout: with both cores busy the doubling can pass 6 s before it
    # reaches the ceiling, and then the timeout, not the memory ceiling, stopped it (1 run in 7)
    server = Server(dev_build, "--timeout", "60", "--workers", "2", "--max-memory", "1G")
    try:
        chain = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(40))
        query = f'SELECT (STRLEN(?a40) AS ?n) WHERE {{ BIND("{"x" * 64}" AS ?a0) {chain} }}'
        answer = []
        attack = threading.Thread(target=lambda: answer.append(ask(server, query)))
        attack.start()
        time.sleep(0.5)
        answers_promptly(server, PROMPT)  # during: the other worker answers
        attack.join(90)
        r = answer[0]
        assert r.status_code == 503 and "--max-memory" in r.text
        for _ in range(4):
            answers_promptly(server, PROMPT)
    finally:
        server.stop()


def test_http_1_0_clients_never_get_a_cut_off_200(dev_build):
    quick = Server(dev_build, "--timeout", "2")
    try:
        sock = raw_request(quick, ENDLESS, http="1.0")
        data = read_all(sock, 20)
        sock.close()
        head = data.split(b"\r\n", 1)[0]
        assert b" 200 " not in head and b" 503 " in head, head
        sock = raw_request(quick, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 500", http="1.0")
        data = read_all(sock, 20)
        head, _, body = data.partition(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n")[0] and b"content-length: %d" % len(body) in head.lower()
        assert body.count(b"\n") == 501
    finally:
        quick.stop()


@pytest.mark.parametrize("shape", ["&&", "UNION", "OPTIONAL", "MINUS", "BIND", "path"])
def test_flat_long_queries_are_refused_before_the_engine(server, shape, tmp_path):
    n = 10_000
    query = {
        "&&": "ASK { FILTER(" + " && ".join(["true"] * n) + ") }",
        "UNION": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
        "OPTIONAL": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * n + "}",
        "MINUS": "SELECT * WHERE { ?s ?p ?o " + "MINUS { ?s ?p ?o } " * n + "}",
        "BIND": "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(n)) + " }",
        "path": "SELECT * WHERE { ?s " + "/".join(["<http://x>"] * n) + " ?o }",
    }[shape]
    r = ask(server, query)
    assert r.status_code == 400 and "too large" in r.text
    answers_promptly(server, PROMPT)
    path = tmp_path / "long.rq"
    path.write_text(query)
    proc = run_cli("query", path, "--build-dir", server_build(server), check=False)
    assert proc.returncode == 1 and "too large" in proc.stderr


def server_build(server) -> str:
    args = server.proc.args
    return args[args.index("--build-dir") + 1]


def test_cli_refuses_service_too(dev_build):
    proc = run_cli(
        "query",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
        "--build-dir",
        dev_build,
        check=False,
    )
    assert proc.returncode == 1 and "SERVICE is refused" in proc.stderr and "Traceback" not in proc.stderr


def test_head_mirrors_get_and_negotiated_pages_vary_by_accept(server):
    get = httpx.get(server.url + "/sparql", params={"query": TRIVIAL}, timeout=30)
    head = httpx.head(server.url + "/sparql", params={"query": TRIVIAL}, timeout=30)
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"] and head.content == b""
    page = httpx.get(server.url + "/ontology", headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 200 and "accept" in page.headers.get("vary", "").lower()


def test_cli_query_has_a_timeout_and_stops_on_interrupt(dev_build):
    import signal
    import subprocess
    import sys

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    proc = run_cli("query", slow, "--build-dir", dev_build, "--timeout", "1", check=False)
    assert proc.returncode == 1 and "--timeout" in proc.stderr and time.monotonic() - start < 10
    running = subprocess.Popen(
        [sys.executable, "-m", "cmlkg", "query", slow, "--build-dir", str(dev_build)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(1.5)
    os.killpg(running.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    start = time.monotonic()
    _out, err = running.communicate(timeout=10)
    assert time.monotonic() - start < 1.5 and running.returncode == 130
    assert err.decode().strip().count("\n") == 0 and "interrupted" in err.decode()
