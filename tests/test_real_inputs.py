"""Issue 25, in part: real PubMed data never breaks a build, and the shipped queries run by name."""

from __future__ import annotations

import csv
import io

from conftest import run_cli

SICI = "10.1002/(SICI)1097-0142(19990101)85:1&lt;1::AID-CNCR1&gt;3.0.CO;2-8"
RECORD = f"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>90001</PMID><Article><Journal><Title>J</Title>
<JournalIssue><PubDate><Year>1999</Year></PubDate></JournalIssue></Journal><ArticleTitle>T</ArticleTitle>
<Abstract><AbstractText>We treated 20 patients in chronic phase with imatinib 400 mg daily; 15 (75%) achieved CCyR.
</AbstractText></Abstract></Article></MedlineCitation><PubmedData><ArticleIdList>
<ArticleId IdType="doi">{SICI}</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
"""


def test_a_sici_doi_with_angle_brackets_builds_percent_encoded(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "cancer.xml").write_text(RECORD, encoding="utf-8")
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "build")
    rows = list(
        csv.DictReader(
            io.StringIO(
                run_cli("query", "sources", "--build-dir", tmp_path / "build", "--format", "csv").stdout
            )
        )
    )
    assert rows[0]["doi"] == "10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-8"
    ttl = (tmp_path / "build" / "current" / "cmlkg.ttl").read_text(encoding="utf-8")
    assert "85:1%3C1::AID-CNCR1%3E3.0.CO;2-8" in ttl


def test_shipped_queries_run_by_name_from_any_folder(seeds_build, tmp_path):
    for name in ("outcomes", "queries/cohorts.rq", "arm_comparison"):
        proc = run_cli("query", name, "--build-dir", seeds_build, "--format", "csv", cwd=tmp_path)
        assert proc.stdout.startswith("source,"), (name, proc.stdout[:200])


def test_json_lines_refuse_non_text_ids_and_surrogates_and_titles_lose_control_characters(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.jsonl").write_text('{"id": true, "abstract": "We treated 10 patients with imatinib."}\n')
    proc = run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b1", check=False)
    assert proc.returncode == 1 and "a.jsonl: line 1" in proc.stderr and "Traceback" not in proc.stderr
    (seeds / "a.jsonl").write_text('{"id": "x1", "abstract": "10 patients \\udc00 with imatinib."}\n')
    proc = run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b2", check=False)
    assert proc.returncode == 1 and "surrogate" in proc.stderr and "Traceback" not in proc.stderr
    (seeds / "a.jsonl").write_text(
        '{"id": "x1", "abstract": "We treated 10 patients with imatinib.", '
        '"title": "T\\u001b[31mred\\u200b\\u202e"}\n'
    )
    run_cli("build", "--seeds", seeds, "--build-dir", tmp_path / "b3")
    out = run_cli("query", "sources", "--build-dir", tmp_path / "b3", "--format", "csv").stdout
    assert "T[31mred," in out and "\x1b" not in out and "\u200b" not in out and "\u202e" not in out
