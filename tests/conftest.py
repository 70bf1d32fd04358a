"""Shared fixtures: real builds in temporary folders and a real server on a free loopback port."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
DEV = DATA / "corpus" / "dev"
NEGATIVES = DATA / "corpus" / "negatives"
SEEDS = ROOT / "seeds"
CMLKG = [sys.executable, "-m", "cmlkg"]

SEED_10 = "000_20c505e386172948"  # the seed abstract with 10 patients
SEED_21 = "001_01d9b08bec5a4339"


def run_cli(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("cwd", ROOT)
    proc = subprocess.run([*CMLKG, *map(str, args)], capture_output=True, text=True, **kwargs)
    if check:
        assert proc.returncode == 0, (
            f"exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
        )
    return proc


def copy_texts(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in src.glob("*.txt"):
        shutil.copy(p, dst / p.name)
    return dst


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("seeds") / "build"
    run_cli("build", "--seeds", SEEDS, "--build-dir", build)
    return build


@pytest.fixture(scope="session")
def dev_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dev")
    seeds = copy_texts(DEV, root / "seeds")
    copy_texts(NEGATIVES, seeds)
    build = root / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    return build


class Server:
    """``cmlkg serve`` on a port the system picks (``--port 0``: no race for a free port), ready when
    it answers."""

    def __init__(self, build: Path, *extra: str):
        self.proc = subprocess.Popen(
            [*CMLKG, "serve", "--build-dir", str(build), "--port", "0", "--quiet", *extra],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        line = self.proc.stderr.readline().decode()
        found = re.search(r"SPARQL endpoint at http://127\.0\.0\.1:(\d+)/sparql", line)
        if not found:
            self.proc.wait(timeout=30)
            raise RuntimeError(f"server did not start: {line}{self.proc.stderr.read().decode()[-2000:]}")
        self.port = int(found.group(1))
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/sparql", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not answer within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def server(dev_build):
    s = Server(dev_build, "--timeout", "3")
    yield s
    s.stop()


os.environ.setdefault("PYTHONUNBUFFERED", "1")


def figures(text: str) -> set[tuple]:
    """Every outcome figure extracted from ``text``: (term, count, percent, denominator, months)."""
    from cmlkg.extract import extract

    x = extract("t", text)
    return {(o.term, o.count, o.percent, o.denominator, o.time_months) for o in x.outcomes}


def cohorts_of(text: str) -> list[tuple]:
    """Every cohort extracted from ``text``, in order: (role, size)."""
    from cmlkg.extract import extract

    return [(c.role, c.size) for c in extract("t", text).cohorts]
