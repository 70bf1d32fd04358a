"""Every user mistake ends in one clear message on stderr, the right exit code, and no traceback:
through click's CliRunner (in process) and through a real subprocess."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from cmlkg.cli import main

from conftest import CMLKG, DEV, ROOT, SEED_10, SEEDS, copy_texts, run_cli
from test_reliability import digest


def both(args: list, env: dict | None = None) -> list[tuple[int, str]]:
    """(exit code, stderr) from CliRunner and from a subprocess."""
    runner = CliRunner()
    res = runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    proc = subprocess.run(
        [*CMLKG, *map(str, args)], capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}
    )
    for err in (res.stderr, proc.stderr):
        assert "Traceback" not in err, err
    return [(res.exit_code, res.stderr), (proc.returncode, proc.stderr)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("errors") / "build"
    run_cli("build", "--seeds", SEEDS, "--build-dir", build)
    return build


def test_validate_without_java_says_how_to_install_it_or_skip_the_reasoner(built):
    for code, err in both(["validate", "--build-dir", built], env={"PATH": "/nonexistent"}):
        assert code == 1  # a failure the user can fix, as the README's table says
        assert (
            "needs Java" in err and "apt-get install default-jre-headless" in err and "--no-reasoner" in err
        )


def test_every_command_without_a_build_says_so_with_exit_1(tmp_path):
    for command in (
        ["validate"],
        ["query", "outcomes"],
        ["export"],
        ["remove", "x"],
        ["serve", "--port", "0"],
    ):
        for code, err in both([*command, "--build-dir", tmp_path / "none"]):
            assert code == 1, (command, err)
            assert err.count("\n") == 1 and "no finished build here" in err, (command, err)


def test_serve_on_a_busy_port(built):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        proc = subprocess.run(
            [*CMLKG, "serve", "--build-dir", str(built), "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        busy.close()
    assert (
        proc.returncode == 1
        and f"port {port} on 127.0.0.1 is in use" in proc.stderr
        and "--port 0" in proc.stderr
    )
    assert "Traceback" not in proc.stderr


def test_export_into_a_missing_folder(built, tmp_path):
    target = tmp_path / "no" / "such" / "x.ttl"
    for code, err in both(["export", "--build-dir", built, "-o", target]):
        assert code == 1 and f"{target}: cannot write" in err and "the folder does not exist" in err


def test_add_refuses_what_is_not_an_abstract(built, tmp_path):
    gold = next(DEV.glob("*.gold.json"))
    before = digest(built)
    for code, err in both(["add", gold, "--build-dir", built]):
        assert code == 1 and "not an abstract file" in err and gold.name in err
    for code, err in both(["add", tmp_path / "missing.txt", "--build-dir", built]):
        assert code == 1 and "missing.txt: no such file" in err
    assert digest(built) == before


def test_add_says_added_or_replaced(tmp_path):
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    new = tmp_path / "new.txt"
    new.write_text("Twelve patients in chronic phase received imatinib 400 mg daily.", encoding="utf-8")
    proc = run_cli("add", new, next(seeds.glob("*.txt")), "--build-dir", build)
    assert "added 1 abstract(s), replaced 1" in proc.stderr


def test_remove_equals_a_full_rebuild_without_them(tmp_path):
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    for p in sorted(DEV.glob("*.txt"))[2:4]:
        shutil.copy(p, seeds / p.name)
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    gone = sorted(p.stem for p in DEV.glob("*.txt"))[2:4]
    proc = run_cli("remove", *gone, "--build-dir", build)
    assert "removed 2 abstract(s); the build now holds 2 abstracts" in proc.stderr
    for name in gone:
        (seeds / f"{name}.txt").unlink()
    fresh = tmp_path / "fresh"
    run_cli("build", "--seeds", seeds, "--build-dir", fresh)
    assert digest(build) == digest(fresh)
    out = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "--build-dir",
        build,
        "--format",
        "csv",
    ).stdout
    assert (
        out
        == run_cli(
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--build-dir",
            fresh,
            "--format",
            "csv",
        ).stdout
    )


def test_remove_of_an_unknown_abstract_changes_nothing(built):
    before = digest(built)
    for code, err in both(["remove", "no-such-abstract", "--build-dir", built]):
        assert code == 1 and "no abstract 'no-such-abstract' in this build" in err and "sources.rq" in err
    assert digest(built) == before


def test_query_update_typo_and_missing_prefix_have_their_own_messages(built):
    cases = [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "SPARQL Update is refused"),
        (
            "SELEC * WHERE { ?s ?p ?o }",
            "'SELEC' where a query starts with SELECT, CONSTRUCT, ASK or DESCRIBE",
        ),
        (
            "SELECT * WHERE { ?s cml:size ?o }",
            "the prefix cml: is not declared; add a PREFIX line "
            "(PREFIX cml: <https://w3id.org/cmlkg/ontology#>)",
        ),
    ]
    for query, message in cases:
        for code, err in both(["query", query, "--build-dir", built]):
            assert code == 1 and message in err, err
            assert "\\u{" not in err and len(err) < 400  # no list of Unicode ranges


def test_construct_honours_format_and_every_output_ends_with_a_newline(built):
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<https://w3id.org/cmlkg/resource/{SEED_10}> AS ?s) ?s ?p ?o }}"
    parsed = {}
    for fmt, rdf_format in (("json", "json-ld"), ("xml", "xml"), ("csv", "nt"), ("table", "turtle")):
        out = run_cli("query", q, "--build-dir", built, "--format", fmt).stdout
        assert out.endswith("\n"), fmt
        parsed[fmt] = len(rdflib.Graph().parse(data=out, format=rdf_format))
    assert len(set(parsed.values())) == 1 and parsed["json"] > 5, parsed
    for fmt in ("json", "xml", "csv", "tsv"):
        assert run_cli("query", "ASK { ?s ?p ?o }", "--build-dir", built, "--format", fmt).stdout.endswith(
            "\n"
        )
    assert json.loads(run_cli("query", "ASK { ?s ?p ?o }", "--build-dir", built, "--format", "json").stdout)[
        "boolean"
    ]


def test_jsonld_export_is_the_merged_graph_with_a_context(built, tmp_path):
    target = tmp_path / "all.jsonld"
    run_cli("export", "--build-dir", built, "--format", "jsonld", "-o", target)
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["@context"]["cml"] == "https://w3id.org/cmlkg/ontology#"
    g = rdflib.Graph().parse(target, format="json-ld")
    count = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "--build-dir",
        built,
        "--format",
        "csv",
    ).stdout.split()[1]
    assert len(g) == int(count)


def test_help_examples_keep_their_lines():
    for command in ("query", "serve", "build", "add", "remove", "export"):
        out = CliRunner().invoke(main, [command, "--help"]).output
        lines = [
            line.strip()
            for line in out.split("Example:", 1)[1].split("Options:", 1)[0].splitlines()
            if line.strip()
        ]
        assert lines[0].startswith("cmlkg " + command), (command, lines)  # not re-wrapped into the prose
        if command == "serve":
            assert lines[1].startswith("curl ") and lines[2].startswith("http://"), lines


def test_help_points_only_at_files_of_the_repository():
    for command in ("evaluate", "build", "query"):
        out = CliRunner().invoke(main, [command, "--help"]).output
        assert "../shared" not in out and "shared/" not in out, command
