"""cmlkg as a Python distribution: the built wheel holds the ontology, the shapes, the competency
queries and the query page, and works from any folder, with no npm, no Java and no network."""

from __future__ import annotations

import re
import shutil
import site
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the built wheel installed (its dependencies seen from the test venv, so the
    test needs no network; cmlkg itself comes from the wheel, not from the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a copy: setuptools writes build/ and *.egg-info beside the sources
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "build",
            "bench",
            "tests",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=tmp,
    )
    wheel = next((tmp / "dist").glob("cmlkg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "cmlkg/ontology/cmlkg.ttl",
        "cmlkg/shapes/shapes.ttl",
        "cmlkg/ontology/catalog-v001.xml",
        "cmlkg/queries/outcomes.rq",
        "cmlkg/queries/sources.rq",
        "cmlkg/static/yasgui.html",
        "cmlkg/static/yasgui/yasgui.min.js",
        "cmlkg/static/yasgui/yasgui.min.css",
    ):
        assert needed in names, needed
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = next(venv.glob("lib/python*/site-packages"))
    (purelib / "test-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True
    )
    return venv


def run(venv: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(venv / "bin" / "cmlkg"), *map(str, args)], cwd=cwd, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


@pytest.mark.slow
def test_the_installed_wheel_builds_queries_serves_and_exports_from_any_folder(installed, tmp_path):
    work = tmp_path / "elsewhere"
    seeds = work / "my-abstracts"
    seeds.mkdir(parents=True)
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, seeds / p.name)
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import cmlkg; print(cmlkg.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    ).stdout
    assert where.startswith(str(installed)), where  # the wheel's copy, not the checkout's
    run(installed, "build", "--seeds", seeds, "--build-dir", "graph", cwd=work)
    out = run(
        installed,
        "query",
        "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/cmlkg/ontology#Abstract> }",
        "--build-dir",
        "graph",
        "--format",
        "csv",
        cwd=work,
    ).stdout
    assert out.split() == ["n", str(len(list(SEEDS.glob("*.txt"))))]
    for name in ("outcomes", "cohorts", "sources"):  # the shipped queries, by name, with no checkout around
        rows = run(
            installed, "query", name, "--build-dir", "graph", "--format", "csv", cwd=work
        ).stdout.splitlines()
        assert len(rows) > 1, (name, rows)
    run(installed, "export", "--build-dir", "graph", "--format", "ntriples", "-o", "all.nt", cwd=work)
    assert (work / "all.nt").stat().st_size > 10_000
    server = subprocess.Popen(
        [str(installed / "bin" / "cmlkg"), "serve", "--build-dir", "graph", "--port", "0", "--quiet"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        port = int(re.search(r":(\d+)/sparql", server.stderr.readline().decode()).group(1))
        page = None
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert page is not None, server.stderr.read1(4000) if server.poll() is not None else "no answer"
        assert (
            "yasgui.min.js" in page and '"outcomes"' in page and '"sources"' in page
        )  # YASGUI with example tabs
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/yasgui/yasgui.min.js", timeout=10) as r:
            assert r.status == 200 and len(r.read()) > 100_000
        query = urllib.request.Request(
            f"http://127.0.0.1:{port}/sparql",
            data=b"ASK { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query"},
        )
        with urllib.request.urlopen(query, timeout=30) as r:
            assert b"true" in r.read()
    finally:
        server.terminate()
        server.wait(10)
