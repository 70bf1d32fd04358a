"""The end-to-end path through the real CLI: build, query, export, help."""

from __future__ import annotations

import csv
import io
import json

import rdflib

from conftest import SEED_10, SEED_21, run_cli


def query_csv(build, query: str) -> list[dict]:
    proc = run_cli("query", query, "--build-dir", build, "--format", "csv")
    return list(csv.DictReader(io.StringIO(proc.stdout)))


def test_build_writes_store_exports_and_report(seeds_build):
    current = seeds_build / "current"
    assert (current / "store").is_dir()
    for name in ("cmlkg.ttl", "cmlkg.trig", "cmlkg.rdf", "void.ttl", "report.json"):
        assert (seeds_build / name).stat().st_size > 0, name
    report = json.loads((seeds_build / "report.json").read_text())
    assert report["abstracts"] == 2 and report["cml_treatment_studies"] == 2


def test_query_cohort_size_of_the_ten_patient_seed(seeds_build):
    rows = query_csv(seeds_build, "queries/cohorts.rq")
    sizes = {(r["source"], r["size"]) for r in rows}
    assert (SEED_10, "10") in sizes
    assert (SEED_21, "21") in sizes
    seed10 = next(r for r in rows if r["source"] == SEED_10)
    assert (seed10["female"], seed10["male"], seed10["age_statistic"], seed10["age_value"]) == (
        "4",
        "6",
        "median",
        "52.5",
    )


def test_query_string_json_and_table(seeds_build):
    proc = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cmlkg/ontology#Abstract> }",
        "--build-dir",
        seeds_build,
        "--format",
        "json",
    )
    data = json.loads(proc.stdout)
    assert data["results"]["bindings"][0]["n"]["value"] == "2"
    table = run_cli("query", "queries/phases.rq", "--build-dir", seeds_build, "--format", "table").stdout
    assert "chronic phase" in table and "(3 rows)" in table


def test_malformed_query_reports_line_and_column(seeds_build):
    proc = run_cli("query", "SELECT ?x WHERE { ?x ?y }", "--build-dir", seeds_build, check=False)
    assert proc.returncode == 1
    assert "1:" in proc.stderr and "malformed SPARQL query" in proc.stderr
    assert proc.stdout == ""


def test_query_without_build_says_what_to_do(tmp_path):
    proc = run_cli("query", "queries/cohorts.rq", "--build-dir", tmp_path / "nothing", check=False)
    assert proc.returncode == 1
    assert "cmlkg build" in proc.stderr


def test_export_turtle_parses_back_to_the_same_triples(seeds_build, tmp_path):
    out = tmp_path / "all.ttl"
    run_cli("export", "--build-dir", seeds_build, "--format", "turtle", "-o", out)
    graph = rdflib.Graph().parse(out, format="turtle")
    count = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "--build-dir",
        seeds_build,
        "--format",
        "csv",
    ).stdout.splitlines()[1]
    assert len(graph) == int(count)


def test_export_formats_to_stdout(seeds_build):
    for fmt, parse_as in (
        ("nquads", "nquads"),
        ("trig", "trig"),
        ("rdfxml", "xml"),
        ("jsonld", "json-ld"),
        ("ntriples", "nt"),
    ):
        proc = run_cli("export", "--build-dir", seeds_build, "--format", fmt)
        ds = rdflib.Dataset()
        ds.parse(data=proc.stdout, format=parse_as)
        assert len(ds) > 1000 or sum(1 for _ in ds.quads()) > 1000, fmt


def test_every_command_has_help_with_an_example():
    for cmd in ("build", "query", "serve", "export", "validate", "evaluate"):
        proc = run_cli(cmd, "--help")
        assert "Example:" in proc.stdout, cmd
    assert "cmlkg, version" in run_cli("--version").stdout
