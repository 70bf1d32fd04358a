"""cmlkg.rdf in process: one abstract's facts as its named graph, compared by isomorphism with the graph
expected for a tiny abstract (tests/data/rdf/tiny.nt), and what that graph must and must not say."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, to_isomorphic

from cmlkg.corpus import Abstract
from cmlkg.extract import extract
from cmlkg.pubmed import Bibliography
from cmlkg.rdf import extraction_graph
from cmlkg.vocabulary import load_vocabulary

EXPECTED = Path(__file__).parent / "data" / "rdf" / "tiny.nt"
TEXT = (
    "Nilotinib in chronic-phase CML.\n"
    "Forty patients with chronic-phase CML (22 men, 18 women; median age 55 years) received nilotinib 300 mg "
    "twice daily. At 12 months, 30 of 40 patients (75%) achieved MMR. Grade 3 thrombocytopenia occurred in "
    "4 patients. One patient progressed to blast phase."
)
CML = rdflib.Namespace("https://w3id.org/cmlkg/ontology#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def graph_of(abstract: Abstract) -> rdflib.Graph:
    vocab = load_vocabulary()
    x = extract(abstract.identifier, abstract.text, vocab)
    data = ox.serialize(extraction_graph(abstract, x, vocab.labels).triples(), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def test_a_tiny_abstract_gives_the_expected_graph():
    got = graph_of(Abstract("tiny", TEXT, Path("tiny.txt")))
    expected = rdflib.Graph().parse(EXPECTED, format="nt")
    if to_isomorphic(got) != to_isomorphic(expected):
        _both, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        raise AssertionError(
            f"graph drifted:\n+ {sorted(map(str, only_got))[:10]}\n- {sorted(map(str, only_expected))[:10]}"
        )


def test_the_graph_says_what_the_text_says():
    g = graph_of(Abstract("tiny", TEXT, Path("tiny.txt")))
    sizes = {int(o) for o in g.objects(None, CML.size)}
    assert sizes == {40}
    counts = {(int(o)) for o in g.objects(None, CML.patientCount)}
    assert {30, 4, 1} <= counts
    assert (None, CML.title, rdflib.Literal("Nilotinib in chronic-phase CML.")) in g
    assert not list(g.objects(None, DCT.title))  # a plain-text abstract has no bibliographic title


def test_a_database_record_gets_its_bibliography_and_no_first_sentence_title():
    bib = Bibliography(pmid="90000009", doi="10.1000/x<1>", title="The real title", journal="J", year="2020")
    g = graph_of(Abstract("pubmed-90000009", TEXT, Path("x.xml"), bib, "PMID 90000009"))
    assert (None, DCT.title, rdflib.Literal("The real title")) in g
    assert not list(g.objects(None, CML.title))
    assert rdflib.URIRef("https://doi.org/10.1000/x%3C1%3E") in set(g.objects(None, DCT.source))


if __name__ == "__main__":  # after a reviewed change of the graph: python tests/test_rdf.py
    graph = graph_of(Abstract("tiny", TEXT, Path("tiny.txt")))
    EXPECTED.write_text(
        "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True))), encoding="utf-8"
    )
