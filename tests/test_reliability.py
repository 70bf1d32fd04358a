"""Nothing lost, nothing broken: bad input, interrupted builds, reproducibility."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cmlkg.extract import extract

from conftest import CMLKG, DEV, ROOT, SEEDS, Server, copy_texts, run_cli

EXPORTS = ("cmlkg.ttl", "cmlkg.trig", "cmlkg.rdf", "void.ttl", "report.json")


def digest(build: Path) -> dict[str, str]:
    """The exports and the answer files (and the queries they answer) of a build."""
    files = [
        *EXPORTS,
        *(str(p.relative_to(build / "current")) for p in (build / "current" / "answers").iterdir()),
    ]
    return {n: hashlib.sha256((build / "current" / n).read_bytes()).hexdigest() for n in sorted(files)}


@pytest.fixture()
def good_build(tmp_path) -> tuple[Path, Path, dict]:
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    return seeds, build, digest(build)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary data (a NUL byte at byte offset 8)"),
        (
            "latin1.txt",
            "Patients re\u00e7u imatinib \u00e0 400 mg.".encode("latin-1"),
            "not valid utf-8 at byte offset 11",
        ),
        ("huge.txt", b"CML patients. " * 30_000, "far larger than any abstract"),
        ("page.txt", b"<html><body><p>Imatinib in CML</p></body></html>", "line 1: the file holds markup"),
    ],
)
def test_bad_abstract_is_named_and_the_last_build_stays(good_build, name, content, expected):
    seeds, build, before = good_build
    (seeds / name).write_bytes(content)
    proc = run_cli("build", "--seeds", seeds, "--build-dir", build, check=False)
    assert proc.returncode == 1
    assert name in proc.stderr and expected in proc.stderr, proc.stderr
    assert digest(build) == before


def test_latin1_builds_with_a_declared_encoding(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes("We treated 12 patients with imatinib \u00e0 400 mg/day.".encode("latin-1"))
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b", "--encoding", "latin-1")
    text = run_cli(
        "query",
        "PREFIX cml: <https://w3id.org/cmlkg/ontology#> SELECT ?t WHERE { ?d cml:sourceText ?t }",
        "--build-dir",
        tmp_path / "b",
        "--format",
        "tsv",
    ).stdout
    assert "imatinib \u00e0 400 mg/day" in text  # decoded as Latin-1, not mojibake nor replacement characters


def test_missing_or_empty_seeds_folder(tmp_path):
    proc = run_cli("build", "--seeds", tmp_path / "missing", "--build-dir", tmp_path / "b", check=False)
    assert proc.returncode == 1 and "no such seeds folder" in proc.stderr
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("x")
    proc = run_cli("build", "--seeds", tmp_path / "empty", "--build-dir", tmp_path / "b", check=False)
    assert proc.returncode == 1 and "no .txt files" in proc.stderr
    assert not (tmp_path / "b" / "current").exists()


def test_identical_inputs_give_byte_identical_exports(tmp_path):
    seeds = copy_texts(DEV, tmp_path / "seeds")
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "a")
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b", "--jobs", "2")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def _graph_of(build: Path, abstract: str) -> set[str]:
    import pyoxigraph as ox

    graph = f"<https://w3id.org/cmlkg/graph/{abstract}>"
    return {
        str(q)
        for q in ox.parse(path=str(build / "cmlkg.trig"), format=ox.RdfFormat.TRIG)
        if str(q.graph_name) == graph
    }


def test_adding_an_abstract_changes_no_other_abstract(tmp_path):
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "a")
    shutil.copy(next(DEV.glob("002_*.txt")), seeds)
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b")
    for p in SEEDS.glob("*.txt"):
        assert _graph_of(tmp_path / "a", p.stem) == _graph_of(tmp_path / "b", p.stem) != set()


def _descendants(pid: int) -> set[int]:
    """The processes under ``pid`` (from /proc), however deep."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_build_killed_midway_leaves_the_last_good_build_and_no_process(good_build, tmp_path):
    seeds, build, before = good_build
    many = copy_texts(DEV, tmp_path / "many")
    for i in range(3000):  # enough work that the kill lands mid-build
        shutil.copy(next(DEV.glob("002_*.txt")), many / f"copy{i:04d}.txt")
    for delay, jobs in ((0.5, "1"), (1.5, "2"), (3.0, "2"), (5.0, "1")):
        proc = subprocess.Popen(
            [*CMLKG, "build", "--seeds", str(many), "--build-dir", str(build), "-j", jobs],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        assert proc.poll() is None, "the build finished before the kill; give it more work"
        under = _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(_running(p) for p in under) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in under if _running(p)], f"processes of the killed build (-j {jobs}) still run"
        assert digest(build) == before
        assert (
            run_cli("query", "queries/cohorts.rq", "--build-dir", build, "--format", "csv").stdout.count("\n")
            == 5
        )
    assert any(p.name.startswith("tmp-") for p in (build / "generations").iterdir())  # what the kills left
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    assert not any(p.name.startswith("tmp-") for p in (build / "generations").iterdir())


@pytest.mark.slow
def test_ctrl_c_prints_one_line_in_every_mode(tmp_path):
    many = copy_texts(DEV, tmp_path / "many")
    for i in range(2000):
        shutil.copy(next(DEV.glob("002_*.txt")), many / f"copy{i:04d}.txt")
    for jobs in ("1", "2"):
        proc = subprocess.Popen(
            [*CMLKG, "build", "--seeds", str(many), "--build-dir", str(tmp_path / "b"), "-j", jobs],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        time.sleep(3)
        assert proc.poll() is None
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, (jobs, err)
        assert err.strip().splitlines() == ["cmlkg build: interrupted; the last good build is unchanged"], (
            jobs,
            err,
        )


def test_server_keeps_serving_while_a_new_build_is_swapped_in(good_build):
    seeds, build, _ = good_build
    server = Server(build)
    try:
        q = {"query": "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/cmlkg/ontology#Abstract> }"}
        assert (
            httpx.get(server.url + "/sparql", params=q, timeout=30).json()["results"]["bindings"][0]["n"][
                "value"
            ]
            == "2"
        )
        shutil.copy(next(DEV.glob("002_*.txt")), seeds)
        rebuild = subprocess.Popen(
            [*CMLKG, "build", "--seeds", str(seeds), "--build-dir", str(build)], cwd=ROOT
        )
        while rebuild.poll() is None:
            r = httpx.get(server.url + "/sparql", params=q, timeout=30)
            assert r.status_code == 200
        assert rebuild.returncode == 0
        r = httpx.get(server.url + "/sparql", params=q, timeout=30)
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"
    finally:
        server.stop()


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=3000))
def test_extraction_never_crashes_on_arbitrary_text(text):
    result = extract("h", text)
    assert result.identifier == "h"
    for o in result.outcomes:
        assert 0 <= o.span.start <= o.span.end <= len(text)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "We treated",
                "patients",
                "achieved",
                "CCyR",
                "MMR",
                "(",
                ")",
                "%",
                "of",
                "imatinib",
                "400 mg/day",
                "grade 3",
                "neutropenia",
                "no patient",
                "progressed to blast crisis",
                "n =",
                ";",
                ".",
                "0.5",
                "99999999999999999999",
                "1e308",
                "-3",
                "Seven hundred eighty-four",
                "median age",
                "range",
                "–",
                "±",
            ]
        ),
        max_size=60,
    ).map(" ".join)
)
@example("99999999999999999999 % progressed to blast crisis")  # once kept as percent 1e+20
@example("We treated 20 patients ; 10 ( 150 % ) achieved CCyR")
def test_extraction_on_clinical_word_salad(text):
    result = extract("w", text)
    for c in result.cohorts:  # a size is a patient count written in the text, never a huge or float literal
        assert c.size is None or 0 <= c.size <= 1_000_000, c
    for o in result.outcomes:
        assert o.percent is None or 0 <= o.percent <= 100


def test_very_long_sentence_is_handled_quickly():
    text = (
        "We treated 12 patients with imatinib and " + "interferon, " * 4000 + "and 3 patients achieved CCyR."
    )
    start = time.monotonic()
    extract("long", text)
    assert time.monotonic() - start < 30


def test_environment_is_not_leaking_into_the_build(tmp_path):
    env = dict(os.environ, TZ="Pacific/Kiritimati", LC_ALL="C")
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    subprocess.run(
        [*CMLKG, "build", "--seeds", str(seeds), "--build-dir", str(tmp_path / "x"), "-q"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "y", "-q")
    assert digest(tmp_path / "x") == digest(tmp_path / "y")


def test_add_equals_a_full_rebuild_and_replaces_in_place(good_build, tmp_path):
    seeds, build, before = good_build
    new = next(DEV.glob("002_*.txt"))
    run_cli("add", new, "--build-dir", build)
    shutil.copy(new, seeds)
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "full")
    assert digest(build) == digest(tmp_path / "full")
    # adding the same abstract again replaces it: nothing changes
    run_cli("add", new, "--build-dir", build)
    assert digest(build) == digest(tmp_path / "full")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    proc = run_cli("add", bad, "--build-dir", build, check=False)
    assert proc.returncode == 1 and "bad.txt" in proc.stderr
    assert digest(build) == digest(tmp_path / "full")


def test_add_splices_changed_and_new_abstracts_anywhere_in_the_order(tmp_path):
    seeds = copy_texts(DEV, tmp_path / "seeds")
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    names = sorted(p.name for p in seeds.glob("*.txt"))
    # a changed abstract in the middle of the order, and a new one that sorts first
    middle = seeds / names[len(names) // 2]
    changed = tmp_path / "changed" / middle.name
    changed.parent.mkdir()
    changed.write_text(middle.read_text(encoding="utf-8").replace("imatinib", "nilotinib"), encoding="utf-8")
    first = tmp_path / "000-first.txt"
    shutil.copy(seeds / names[-1], first)
    run_cli("add", changed, first, "--build-dir", build)
    shutil.copy(changed, middle)
    shutil.copy(first, seeds)
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "full")
    assert digest(build) == digest(tmp_path / "full")


def test_export_files_hold_exactly_the_store_and_void_counts_match_it(tmp_path):
    import pyoxigraph as ox
    import rdflib

    build = tmp_path / "build"
    run_cli("build", "--seeds", copy_texts(DEV, tmp_path / "seeds"), "--build-dir", build)
    store = ox.Store.read_only(str(build / "current" / "store"))
    # blank nodes (the ontology's axioms) get new labels on loading: compare the rest, and count all
    in_store = {str(q) for q in store if "_:" not in str(q)}
    parsed = list(ox.parse(path=str(build / "cmlkg.trig"), format=ox.RdfFormat.TRIG))
    assert {str(q) for q in parsed if "_:" not in str(q)} == in_store and len(parsed) == len(store)
    triples = {str(q.triple) for q in store}
    for name, fmt in (("cmlkg.ttl", ox.RdfFormat.TURTLE), ("cmlkg.rdf", ox.RdfFormat.RDF_XML)):
        parsed = list(ox.parse(path=str(build / name), format=fmt))
        assert {str(t) for t in parsed if "_:" not in str(t)} == {t for t in triples if "_:" not in t}, name
        assert len(parsed) == len(store), name
    void = rdflib.Graph().parse(build / "void.ttl", format="turtle")
    vd = rdflib.Namespace("http://rdfs.org/ns/void#")
    stated = {
        p: int(o)
        for p, o in void.predicate_objects(rdflib.URIRef("https://w3id.org/cmlkg/dataset"))
        if p in (vd.triples, vd.classes, vd.properties, vd.distinctSubjects)
    }
    count = lambda q: int(next(iter(store.query(q, use_default_graph_as_union=True)))[0].value)  # noqa: E731
    assert stated == {
        vd.triples: count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        vd.classes: count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
        vd.properties: count("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        vd.distinctSubjects: count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
    }


def test_ctrl_c_stops_the_server_with_one_line(dev_build):
    proc = subprocess.Popen(
        [*CMLKG, "serve", "--build-dir", str(dev_build), "--port", "0", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert "SPARQL endpoint at" in proc.stderr.readline()
    time.sleep(2)  # the query workers are up
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the server and its workers
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and err.strip().splitlines() == [
        "cmlkg serve: interrupted; the server stopped"
    ], err


def test_a_number_no_study_reaches_is_no_count():
    """Found by the word-salad property test: '99999999999999999999 patients' was a cohort of 1e20."""
    for text in (
        "We treated 99999999999999999999 patients with imatinib.",
        "Ten patients received imatinib. 99999999999999999999 patients achieved CCyR.",
        "Ten patients received imatinib. Grade 3 rash occurred in 99999999999999999999 patients.",
    ):
        x = extract("t", text)
        counts = (
            [c.size for c in x.cohorts] + [o.count for o in x.outcomes] + [a.count for a in x.adverse_events]
        )
        assert all(n is None or n <= 1_000_000 for n in counts), (text, counts)
