"""The shipped competency queries answered at build time (cmlkg.answers): the files hold exactly the
answer the query gives on the whole store, and the endpoint and `cmlkg query` serve them only for the
shipped text."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from cmlkg.answers import answered_queries, answers_of, precomputed
from cmlkg.namespaces import ONTOLOGY_GRAPH, graph_iri

from conftest import DEV, NEGATIVES, SEEDS, Server, copy_texts, run_cli

FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}


@pytest.fixture(scope="module")
def varied_build(tmp_path_factory) -> Path:
    """Real abstracts of every kind (trials, case reports, negatives), built with two jobs so that the
    answers are computed in several batches."""
    seeds = tmp_path_factory.mktemp("answers-seeds")
    for src in (DEV, NEGATIVES, SEEDS):
        copy_texts(src, seeds)
    build = tmp_path_factory.mktemp("answers") / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build, "-j", "2", "-q")
    return build


def test_the_competency_queries_are_answered_at_build_time():
    assert {"outcomes", "treatments", "cohorts", "adverse_events", "outcome_evidence"} <= set(
        answered_queries()
    )
    assert "one_study" not in answered_queries()  # not ordered by source: run on the store


def test_each_answer_file_is_the_store_answer_in_every_format(varied_build):
    gen = (varied_build / "current").resolve()
    store = ox.Store.read_only(str(gen / "store"))
    answers = answers_of(gen)
    assert len(answers) == len(answered_queries())
    for name, query in answered_queries().items():
        rows = (gen / "answers" / f"{name}.tsv").read_bytes().count(b"\n") - 1
        assert rows > 0 or name == "outcomes_of_drug", name
        for fmt in FORMATS.values():
            expected = store.query(query, use_default_graph_as_union=True).serialize(format=fmt)
            served = precomputed(answers, query)
            assert served is not None and served.serialize(format=fmt) == expected, (name, fmt)


def _outcome_rows(build: Path) -> int:
    return (build / "current" / "answers" / "outcomes.tsv").read_bytes().count(b"\n") - 1


def _tampered(build: Path, tmp_path: Path) -> Path:
    """A copy of ``build`` whose outcomes answer file holds only its head: what is served from it shows."""
    copy = tmp_path / "tampered"
    shutil.copytree(build, copy, symlinks=True)
    tsv = copy / "current" / "answers" / "outcomes.tsv"
    tsv.write_bytes(tsv.read_bytes().split(b"\n")[0] + b"\n")
    return copy


def test_the_endpoint_serves_the_shipped_text_from_its_file_and_any_other_text_from_the_store(
    varied_build, tmp_path
):
    query = answered_queries()["outcomes"]
    build = _tampered(varied_build, tmp_path)
    server = Server(build)
    try:

        def rows(text: str, **params) -> int:
            r = httpx.post(
                server.url + "/sparql",
                data={"query": text, **params},
                headers={"Accept": "text/csv"},
                timeout=60,
            )
            assert r.status_code == 200, r.text
            return r.text.count("\n") - 1

        # the shipped text, with its comments dropped and CRLF line ends: from the (emptied) file
        shipped = "\r\n".join(line for line in query.splitlines() if not line.startswith("#"))
        assert rows(shipped) == 0
        # the same query written otherwise, or over a dataset the protocol names: the store's answer
        assert rows(query.replace("SELECT ?source", "SELECT  ?source")) == _outcome_rows(varied_build) > 50
        graphs = [ONTOLOGY_GRAPH, *(graph_iri(p.stem) for p in sorted(DEV.glob("*.txt"))[:10])]
        assert 0 < rows(query, **{"default-graph-uri": graphs}) < _outcome_rows(varied_build)
    finally:
        server.stop()


def test_cmlkg_query_reads_the_answer_file_of_a_shipped_query(varied_build, tmp_path):
    build = _tampered(varied_build, tmp_path)
    assert run_cli("query", "outcomes", "--build-dir", build, "--format", "csv").stdout.count("\n") == 1
    other = answered_queries()["outcomes"].replace("SELECT ?source", "SELECT  ?source")
    answer = run_cli("query", other, "--build-dir", build, "--format", "csv").stdout
    assert answer.count("\n") - 1 == _outcome_rows(varied_build) > 50


def test_add_to_a_build_whose_answers_are_another_version_s_asks_for_a_full_build(tmp_path):
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build, "-q")
    rq = build / "current" / "answers" / "outcomes.rq"
    rq.write_text(rq.read_text(encoding="utf-8").replace("?count", "?n"), encoding="utf-8")
    proc = run_cli("add", next(DEV.glob("*.txt")), "--build-dir", build, check=False)
    assert proc.returncode == 1
    assert "answers/outcomes.rq is not this cmlkg's query" in proc.stderr and "cmlkg build" in proc.stderr
    assert proc.stdout == ""
