"""PubMed exports in (XML, MEDLINE, JSON Lines), bibliographic links out.

The fixtures in tests/data/pubmed are synthetic records written by the team in PubMed's formats.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import httpx
import pytest
import rdflib

from cmlkg.corpus import read_corpus, read_inputs
from cmlkg.errors import InputError
from cmlkg.extract import extract
from cmlkg.pubmed_xml import read_pubmed_xml

from conftest import DATA, SEEDS, Server, copy_texts, run_cli
from test_reliability import digest

PUBMED = DATA / "pubmed"
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")


@pytest.fixture(scope="module")
def pubmed_build(tmp_path_factory) -> tuple[Path, object]:
    build = tmp_path_factory.mktemp("pubmed") / "build"
    proc = run_cli("build", "--seeds", PUBMED, "--build-dir", build)
    return build, proc


# ------------------------------------------------------------------ reading
def test_pubmed_xml_record_with_structured_abstract_mesh_and_doi():
    corpus = read_corpus(PUBMED)
    a = next(a for a in corpus.abstracts if a.identifier == "pubmed-90000001")
    assert a.where == "PMID 90000001" and a.path.name == "search.xml"
    bib = a.bib
    assert (bib.pmid, bib.doi, bib.journal, bib.year) == (
        "90000001",
        "10.9999/jsh.2019.0001",
        "Journal of Synthetic Hematology",
        "2019",
    )
    assert (
        bib.title == "Nilotinib after imatinib failure in chronic phase CML: a synthetic cohort."
    )  # inline markup read
    assert ("D015464", "Leukemia, Myelogenous, Chronic, BCR-ABL Positive", True) in bib.mesh
    assert [s.category for s in bib.sections] == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    for s in bib.sections:
        assert a.text[s.start : s.end].startswith(s.label + ": ")
    assert a.text[bib.sections[2].start : bib.sections[2].end].endswith("occurred in 6 patients.")


def test_medline_continuation_lines_doi_and_headings():
    a = {x.identifier: x for x in read_corpus(PUBMED).abstracts}["pubmed-90000003"]
    assert a.text.startswith(
        "Thirty patients in accelerated phase received dasatinib 140 mg daily. A complete"
    )
    assert a.bib.title == "Dasatinib in accelerated phase chronic myeloid leukemia: a synthetic study."
    assert (a.bib.doi, a.bib.journal, a.bib.year) == ("10.9999/so.2007.42", "Synthetic Oncology", "2007")
    # MEDLINE names headings without their descriptor UI: kept as names, major topic from the '*'
    assert ("", "Leukemia, Myelogenous, Chronic, BCR-ABL Positive", True) in a.bib.mesh
    assert ("", "Antineoplastic Agents", False) in a.bib.mesh


def test_jsonl_pmid_wins_over_id_and_id_names_the_rest():
    ids = {a.identifier for a in read_corpus(PUBMED).abstracts}
    assert {"pubmed-90000005", "ash-2016-77"} <= ids


def test_record_without_abstract_is_skipped_and_duplicate_pmid_warned():
    corpus = read_corpus(PUBMED)
    assert corpus.skipped == [{"file": "search.xml", "record": "PMID 90000002", "reason": "no abstract"}]
    ids = [a.identifier for a in corpus.abstracts]
    assert len(ids) == len(set(ids)) == 5
    assert len(corpus.warnings) == 1 and "pubmed-90000001 again" in corpus.warnings[0]
    kept = next(a for a in corpus.abstracts if a.identifier == "pubmed-90000001")
    assert kept.path.name == "search.xml"  # the first by file order; the JSON Lines copy is dropped


def test_format_is_read_from_content_not_extension(tmp_path):
    medline_as_txt = tmp_path / "export.txt"  # PubMed's "Save: PubMed format" gives a .txt
    medline_as_txt.write_text((PUBMED / "search.nbib").read_text(encoding="utf-8"), encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Ten patients in chronic phase received imatinib.", encoding="utf-8")
    corpus = read_inputs([medline_as_txt, plain])
    assert [a.identifier for a in corpus.abstracts] == ["pubmed-90000003", "pubmed-90000004", "plain"]
    assert corpus.abstracts[2].bib is None


def test_xml_is_streamed_record_by_record(tmp_path):
    """The first record is yielded before the parser reaches a broken tail: nothing holds the whole file."""
    text = (
        (PUBMED / "search.xml")
        .read_text(encoding="utf-8")
        .replace("</PubmedArticleSet>", "<PubmedArticle><oops>")
    )
    path = tmp_path / "cut.xml"
    path.write_text(text, encoding="utf-8")
    records = read_pubmed_xml(path)
    first = next(records)
    assert first.identifier == "pubmed-90000001"
    with pytest.raises(
        InputError, match=r"cut\.xml: line \d+, column \d+: malformed XML \(after PMID 90000002\)"
    ):
        list(records)


# ------------------------------------------------------------------ the graph
def test_one_build_from_xml_medline_and_jsonl_lists_every_record_in_sources(pubmed_build):
    build, proc = pubmed_build
    assert "pubmed-90000001 again" in proc.stderr and "skipped 1 record(s) without an abstract" in proc.stderr
    out = run_cli("query", "queries/sources.rq", "--build-dir", build, "--format", "csv").stdout
    rows = {r["source"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {
        "pubmed-90000001",
        "pubmed-90000003",
        "pubmed-90000004",
        "pubmed-90000005",
        "ash-2016-77",
    }
    r = rows["pubmed-90000001"]
    assert (r["pmid"], r["doi"], r["journal"], r["year"]) == (
        "90000001",
        "10.9999/jsh.2019.0001",
        "Journal of Synthetic Hematology",
        "2019",
    )
    assert (
        r["title"].startswith("Nilotinib after imatinib failure")
        and r["pubmed"] == "https://pubmed.ncbi.nlm.nih.gov/90000001/"
    )
    assert (rows["pubmed-90000005"]["doi"], rows["pubmed-90000005"]["year"]) == ("10.9999/x.5", "2015")
    assert rows["ash-2016-77"]["pmid"] == "" and rows["ash-2016-77"]["journal"] == "Blood"
    report = json.loads((build / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"][0]["record"] == "PMID 90000002"


def test_void_counts_the_bibliographic_linksets(pubmed_build):
    build, _ = pubmed_build
    g = rdflib.Graph().parse(build / "void.ttl", format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    counts = {
        str(ls).rsplit("/", 1)[1]: int(g.value(ls, VOID.triples))
        for ls in g.subjects(rdflib.RDF.type, VOID.Linkset)
    }
    assert counts["pubmed"] == 4 and counts["doi"] == 3 and counts["mesh-subjects"] == 2


def test_background_section_is_not_this_study(pubmed_build):
    build, _ = pubmed_build
    out = run_cli("query", "queries/treatments.rq", "--build-dir", build, "--format", "csv").stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["source"] == "pubmed-90000001"]
    assert {(r["drug"], r["role"]) for r in rows} == {("nilotinib", "intervention"), ("imatinib", "prior")}
    out = run_cli("query", "queries/outcomes.rq", "--build-dir", build, "--format", "csv").stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["source"] == "pubmed-90000001"]
    assert [(r["outcome"], r["count"]) for r in rows] == [
        ("major molecular response", "20")
    ]  # not the 85% of earlier trials


@pytest.mark.parametrize(
    "text",
    [
        "BACKGROUND: In the IRIS trial, 87% of patients achieved a complete cytogenetic response on imatinib. "
        "METHODS: We gave dasatinib 100 mg daily to 30 patients in chronic phase. RESULTS: Twelve patients (40%) "
        "reached a major molecular response.",
        "Background: Earlier series reported a complete cytogenetic response in 87% with imatinib.\n"
        "Methods: Thirty patients in chronic phase received dasatinib 100 mg daily.\n"
        "Results: A major molecular response was reached by 12 (40%) patients.",
        "INTRODUCTION Historical data show a complete cytogenetic response rate of 87% with imatinib. "
        "PATIENTS AND METHODS Thirty patients in chronic phase were given dasatinib 100 mg daily. "
        "RESULTS Twelve patients (40%) achieved a major molecular response.",
    ],
)
def test_background_headings_in_plain_text(text):
    x = extract("t", text)
    assert {t.term for t in x.treatments if t.role == "intervention"} == {"Dasatinib"}
    assert [(o.term, o.count) for o in x.outcomes] == [("MajorMolecularResponse", 12)]


def test_without_headings_nothing_is_dropped():
    x = extract(
        "t",
        "Thirty patients in chronic phase received dasatinib 100 mg daily. The background of the study "
        "is imatinib failure. Twelve patients (40%) reached a major molecular response.",
    )
    assert [(o.term, o.count) for o in x.outcomes] == [("MajorMolecularResponse", 12)]


def test_txt_abstracts_keep_their_identifiers(seeds_build):
    out = run_cli("query", "queries/sources.rq", "--build-dir", seeds_build, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["source"] for r in rows] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(r["pmid"] == "" and r["title"] for r in rows)


def test_pubmed_records_build_byte_identically(tmp_path, pubmed_build):
    build, _ = pubmed_build
    again = tmp_path / "again"
    run_cli("build", "--seeds", PUBMED, "--build-dir", again, "--jobs", "2")
    assert digest(again) == digest(build)


def test_abstract_page_and_turtle_show_pubmed_doi_and_mesh(pubmed_build):
    build, _ = pubmed_build
    server = Server(build)
    try:
        url = server.url + "/resource/pubmed-90000001"
        ttl = httpx.get(url, headers={"Accept": "text/turtle"}, timeout=30)
        g = rdflib.Graph().parse(data=ttl.text, format="turtle")
        doc = rdflib.URIRef("https://w3id.org/cmlkg/resource/pubmed-90000001")
        assert rdflib.URIRef("http://identifiers.org/pubmed:90000001") in set(g.objects(doc, DCT.source))
        assert rdflib.URIRef("https://doi.org/10.9999/jsh.2019.0001") in set(g.objects(doc, DCT.source))
        assert rdflib.URIRef("http://id.nlm.nih.gov/mesh/D015464") in set(g.objects(doc, DCT.subject))
        assert g.value(doc, BIBO.pmid) == rdflib.Literal("90000001")
        page = httpx.get(url, headers={"Accept": "text/html"}, timeout=30).text
        assert '<a href="https://pubmed.ncbi.nlm.nih.gov/90000001/">PubMed</a>' in page
        assert '<a href="https://doi.org/10.9999/jsh.2019.0001">' in page
        assert (
            "<cite>Nilotinib after imatinib failure" in page
            and "Journal of Synthetic Hematology, 2019" in page
        )
        assert "http://id.nlm.nih.gov/mesh/D015464" in page
    finally:
        server.stop()


# ------------------------------------------------------------------ bad input
@pytest.fixture()
def good_build(tmp_path) -> tuple[Path, Path, dict]:
    seeds = copy_texts(SEEDS, tmp_path / "seeds")
    shutil.copy(PUBMED / "search.xml", seeds / "search.xml")
    build = tmp_path / "build"
    run_cli("build", "--seeds", seeds, "--build-dir", build)
    return seeds, build, digest(build)


XML_HEAD = '<?xml version="1.0"?>\n<PubmedArticleSet>\n'
ARTICLE = (
    "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>T</ArticleTitle>"
    "<Abstract><AbstractText>Ten patients in chronic phase received imatinib.</AbstractText></Abstract>"
    "</Article></MedlineCitation></PubmedArticle>\n"
)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        (
            "broken.xml",
            XML_HEAD + ARTICLE.format(pmid=91) + "<PubmedArticle><MedlineCitation>\n</PubmedArticleSet>\n",
            "broken.xml: line 5, column 3: malformed XML (after PMID 91)",
        ),
        (
            "long.jsonl",
            '{"pmid": "92", "abstract": "' + "x" * 1_000_100 + '"}\n',
            "long.jsonl: line 1: longer than 1,000,000 characters",
        ),
        (
            "digits.jsonl",
            '{"pmid": "92", "abstract": "Ten patients.", "year": ' + "9" * 5000 + "}\n",
            "digits.jsonl: line 1: not a record: Exceeds the limit",
        ),
        (
            "nested.jsonl",
            '{"pmid": "92", "abstract": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
            "nested.jsonl: line 1: not a record: JSON nested too deeply",
        ),
        (
            "authors.nbib",
            "PMID- 92\nAU  - " + "\n      ".join(["Author A"] * 250_000) + "\nSO  - J. 2001.\n",
            "authors.nbib: line 142858: a MEDLINE record of more than 2,000,000 characters (from line 1)",
        ),
        (
            "comment.xml",
            XML_HEAD + "<!--" + "x" * (17 << 20) + "-->" + ARTICLE.format(pmid=92) + "</PubmedArticleSet>\n",
            "comment.xml: 17 MB of XML from byte offset 0 without an element ending",
        ),
        (
            "garbled.nbib",
            "PMID- 93\nTI  - A title\nthis line is no tag\nSO  - J. 2001.\n",
            "garbled.nbib: line 3: not a MEDLINE line",
        ),
        (
            "bad.jsonl",
            '{"pmid": "94", "abstract": "Ten patients."}\n{"pmid": "95", "abstract": \n',
            "bad.jsonl: line 2, column 28: not JSON",
        ),
        (
            "no-id.jsonl",
            '{"abstract": "Ten patients."}\n',
            "no-id.jsonl: line 1: the record has neither a PMID nor an id",
        ),
        (
            "pubmed.csv",
            "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,"
            "NIHMS ID,DOI\n96,T,A,C,F,J,2001,2001/01/01,,,\n",
            "pubmed.csv: PubMed's CSV export carries no abstracts",
        ),
        ("records.xml", "Just some words in a file named .xml\n", "records.xml: unknown format"),
        (
            "other.xml",
            '<?xml version="1.0"?>\n<eSearchResult><Count>1</Count></eSearchResult>\n',
            "other.xml: an XML file whose root is <eSearchResult>, not <PubmedArticleSet>",
        ),
    ],
)
def test_bad_pubmed_input_is_named_and_the_last_build_stays(good_build, name, content, expected):
    seeds, build, before = good_build
    (seeds / name).write_text(content, encoding="utf-8")
    proc = run_cli("build", "--seeds", seeds, "--build-dir", build, check=False)
    assert proc.returncode == 1, proc.stderr
    assert expected in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert digest(build) == before
    proc = run_cli("add", seeds / name, "--build-dir", build, check=False)
    assert proc.returncode == 1 and expected in proc.stderr and digest(build) == before


def test_a_record_without_abstract_is_skipped_not_a_failure(good_build):
    seeds, build, _ = good_build
    (seeds / "letters.xml").write_text(
        XML_HEAD + ARTICLE.format(pmid=97) + "<PubmedArticle><MedlineCitation><PMID>98</PMID><Article>"
        "<ArticleTitle>A letter</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    proc = run_cli("build", "--seeds", seeds, "--build-dir", build)
    assert "skipped 2 record(s) without an abstract" in proc.stderr  # PMID 90000002 of search.xml, and 98
    report = json.loads((build / "report.json").read_text(encoding="utf-8"))
    assert {s["record"] for s in report["skipped"]} == {"PMID 90000002", "PMID 98"}
    assert "pubmed-97" in {r["id"] for r in report["per_abstract"]}


def test_add_reads_pubmed_exports_and_says_added_or_replaced(good_build):
    seeds, build, _ = good_build
    proc = run_cli("add", PUBMED / "search.nbib", PUBMED / "search.xml", "--build-dir", build)
    assert "added 2 abstract(s), replaced 1" in proc.stderr
    out = run_cli("query", "queries/sources.rq", "--build-dir", build, "--format", "csv").stdout
    assert {"pubmed-90000001", "pubmed-90000003", "pubmed-90000004"} <= {
        r["source"] for r in csv.DictReader(io.StringIO(out))
    }


@pytest.mark.java
def test_pubmed_build_is_dl_clean_consistent_and_conforms(pubmed_build, tmp_path):
    from test_ontology import owl_api_check

    build, _ = pubmed_build
    proc = run_cli("validate", "--build-dir", build)
    assert "consistent, no unsatisfiable classes" in proc.stdout and "SHACL shapes: conforms" in proc.stdout
    last = owl_api_check(build / "cmlkg.rdf", tmp_path).strip().splitlines()[-1]
    assert "violations=0 unparsed=0" in last, last


def test_exports_do_not_depend_on_the_order_of_the_input(tmp_path):
    """Records are extracted in input order and the exports put in identifier order afterwards."""
    import hashlib

    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    shutil.copy(PUBMED / "search.nbib", one / "a.nbib")  # PMIDs 90000003, 90000004 first
    shutil.copy(PUBMED / "search.xml", one / "b.xml")  # then 90000001
    shutil.copy(PUBMED / "search.xml", two / "a.xml")
    shutil.copy(PUBMED / "search.nbib", two / "b.nbib")
    sums = []
    for seeds in (one, two):
        run_cli("build", "--seeds", seeds, "--build-dir", seeds / "build")
        sums.append(
            {
                n: hashlib.sha256((seeds / "build" / "current" / n).read_bytes()).hexdigest()
                for n in ("cmlkg.ttl", "cmlkg.trig", "cmlkg.rdf", "fragments.json")
            }
        )
    assert sums[0] == sums[1]
    trig = (one / "build" / "cmlkg.trig").read_text(encoding="utf-8")
    assert (
        trig.index("graph/pubmed-90000001")
        < trig.index("graph/pubmed-90000003")
        < trig.index("graph/pubmed-90000004")
    )
    # the index of a reordered build is right: replacing records with themselves changes no byte
    run_cli("add", one / "a.nbib", "--build-dir", one / "build")
    assert {
        n: hashlib.sha256((one / "build" / "current" / n).read_bytes()).hexdigest() for n in sums[0]
    } == sums[0]


def test_book_articles_superscripts_and_a_record_without_so_are_read(tmp_path):
    """A PubmedBookArticle is read like an article (not dropped in silence); <sup>/<sub> do not glue words
    ('BCR-ABL1<sup>IS</sup>' is not 'BCR-ABL1IS'); a MEDLINE record without SO is kept, with a warning."""
    (tmp_path / "books.xml").write_text(
        XML_HEAD + '<PubmedBookArticle><BookDocument><PMID>93</PMID><ArticleIdList><ArticleId IdType="doi">'
        "10.1000/book.93</ArticleId></ArticleIdList><Book><BookTitle>StatPearls</BookTitle><PubDate><Year>2023"
        "</Year></PubDate></Book><ArticleTitle>Chronic myeloid leukemia</ArticleTitle><Abstract><AbstractText>"
        "Imatinib gave BCR-ABL1<sup>IS</sup> levels of 0.1% in CD34<sup>+</sup> cells; platelets 100 x 10<sup>9</sup>/L;"
        " IC<sub>50</sub> 25 nM.</AbstractText></Abstract></BookDocument></PubmedBookArticle>\n</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    (tmp_path / "cut.nbib").write_text(
        "PMID- 92\nTI  - A title\nAB  - Ten patients in chronic phase received imatinib.\n", encoding="utf-8"
    )
    corpus = read_corpus(tmp_path)
    book, cut = sorted(corpus.abstracts, key=lambda a: a.identifier, reverse=True)
    assert book.identifier == "pubmed-93" and book.bib.title == "Chronic myeloid leukemia"
    assert (book.bib.journal, book.bib.year, book.bib.doi) == ("StatPearls", "2023", "10.1000/book.93")
    assert "BCR-ABL1 IS levels" in book.text and "CD34+ cells" in book.text and "10^9/L" in book.text
    assert "IC50 25 nM" in book.text
    assert cut.identifier == "pubmed-92" and "imatinib" in cut.text
    assert any("cut.nbib: PMID 92 (line 1): no SO line" in w and "kept" in w for w in corpus.warnings), (
        corpus.warnings
    )


def test_a_symbolic_link_swapped_in_after_listing_is_refused(tmp_path):
    """The folder is listed, then a file is replaced by a link to a secret: the link is not read."""
    from cmlkg.corpus import InputStream, input_paths

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Ten patients in chronic phase received imatinib.", encoding="utf-8")
    (seeds / "z.txt").write_text("Eight patients received nilotinib.", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("the builder's secret", encoding="utf-8")
    paths = input_paths(seeds)
    (seeds / "z.txt").unlink()
    (seeds / "z.txt").symlink_to(secret)
    stream = InputStream(paths, follow_symlinks=False)
    with pytest.raises(InputError, match=r"z\.txt: a symbolic link"):
        texts = [a.text for a in stream]
    assert not any("secret" in p for p in stream.problems[1:])
    texts = [a.text for a in InputStream(paths[:1], follow_symlinks=False)]
    assert texts == ["Ten patients in chronic phase received imatinib."]


def test_a_database_record_has_its_title_not_a_first_sentence(pubmed_build):
    build, _ = pubmed_build
    q = (
        "PREFIX cml: <https://w3id.org/cmlkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?id ?first ?title WHERE { ?d cml:sourceIdentifier ?id OPTIONAL { ?d cml:title ?first } "
        "OPTIONAL { ?d dcterms:title ?title } }"
    )
    rows = {
        r["id"]: r
        for r in csv.DictReader(
            io.StringIO(run_cli("query", q, "--build-dir", build, "--format", "csv").stdout)
        )
    }
    assert rows["pubmed-90000001"]["first"] == "" and rows["pubmed-90000001"]["title"].startswith(
        "Nilotinib after"
    )
    assert all((r["first"] == "") == (r["title"] != "") for r in rows.values()), rows  # one title, never both


def test_an_identifier_with_invisible_characters_is_refused(tmp_path):
    """'abc' and 'a\\u200bbc' (zero-width space) or a bidi override would be two look-alike abstracts."""
    for ident in ("a\u200bbc", "abc\u202e"):
        path = tmp_path / "ids.jsonl"
        path.write_text(
            json.dumps({"id": ident, "abstract": "Ten patients received imatinib."}) + "\n", encoding="utf-8"
        )
        with pytest.raises(InputError, match=r"ids\.jsonl: line 1: .* cannot be an abstract identifier"):
            read_inputs([path])
