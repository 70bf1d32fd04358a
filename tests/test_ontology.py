"""The ontology itself: parses, documented, mapped, DL-clean in the OWL API, sound under HermiT."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from conftest import DATA, ROOT, run_cli

ONTOLOGY = ROOT / "ontology" / "cmlkg.ttl"
CML = rdflib.Namespace("https://w3id.org/cmlkg/ontology#")
CCYR, MCYR, CYR = CML.CompleteCytogeneticResponse, CML.MajorCytogeneticResponse, CML.CytogeneticResponse
MMR, MR4, MR4_5 = CML.MajorMolecularResponse, CML.MR4, CML.MR4_5


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def test_ontology_header(graph):
    onto = rdflib.URIRef("https://w3id.org/cmlkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionIRI) == rdflib.URIRef("https://w3id.org/cmlkg/ontology/0.1.0")
    for p in (
        rdflib.DCTERMS.title,
        rdflib.DCTERMS.description,
        rdflib.DCTERMS.license,
        rdflib.DCTERMS.creator,
    ):
        assert graph.value(onto, p) is not None, p


def test_every_class_and_property_is_labelled_and_defined(graph):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    entities = {s for k in kinds for s in graph.subjects(RDF.type, k) if isinstance(s, rdflib.URIRef)}
    assert len(entities) > 150
    unlabelled = [e for e in entities if graph.value(e, RDFS.label) is None]
    undefined = [
        e for e in entities if str(e).startswith(str(CML)) and graph.value(e, SKOS.definition) is None
    ]
    assert unlabelled == [] and undefined == []


def test_mappings_use_the_reference_identifiers(graph):
    reference = set()
    with (DATA / "reference_terms.tsv").open() as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            reference.add(row["iri"])
    # the scorer's vocabulary (shared/tools/vocabulary.tsv) names a few more, e.g. NCIT:C4870 complete remission
    with (DATA / "scorer" / "vocabulary.tsv").open() as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for ident in filter(None, row["ids"].split("|")):
                prefix, local = ident.split(":", 1)
                reference.add(f"http://purl.obolibrary.org/obo/{prefix}_{local}")
    mapped = {
        str(o)
        for p in (SKOS.exactMatch, SKOS.closeMatch, CML.preferredMapping)
        for o in graph.objects(None, p)
    }
    obo = {m for m in mapped if "purl.obolibrary.org" in m or "id.nlm.nih.gov" in m or "semanticscience" in m}
    assert obo, "no mappings"
    unknown = sorted(m for m in obo if m not in reference)
    assert unknown == [], f"mapped to identifiers not in the checked reference table: {unknown}"
    # the key anchors
    assert graph.value(CML.Imatinib, CML.preferredMapping) == rdflib.URIRef(
        "http://purl.obolibrary.org/obo/CHEBI_45783"
    )
    assert graph.value(CCYR, CML.preferredMapping) == rdflib.URIRef(
        "http://purl.obolibrary.org/obo/NCIT_C123578"
    )
    assert graph.value(CML.ChronicPhase, CML.preferredMapping) == rdflib.URIRef(
        "http://purl.obolibrary.org/obo/NCIT_C3175"
    )


def test_abbreviations_are_synonyms_for_the_extractor(graph):
    alts = lambda c: {str(a) for a in graph.objects(c, SKOS.altLabel)}  # noqa: E731
    assert {"CCyR", "CCgR", "CCR"} <= alts(CCYR)
    assert {"MMR", "MR3"} <= alts(MMR)
    assert (
        {"IM"} <= alts(CML.Imatinib)
        and {"HU"} <= alts(CML.Hydroxyurea)
        and {"IFN"} <= alts(CML.InterferonAlfa)
    )


@pytest.mark.java
def test_response_hierarchy_holds_under_hermit():
    world = owlready2.World()
    # owlready2 reads RDF/XML or N-Triples: hand it the Turtle through rdflib
    g = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    data = g.serialize(format="xml").encode()
    import io

    onto = world.get_ontology("https://w3id.org/cmlkg/ontology").load(fileobj=io.BytesIO(data))
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    c = lambda name: world[str(CML) + name]  # noqa: E731
    ancestors = lambda name: set(c(name).ancestors())  # noqa: E731
    assert c("MajorCytogeneticResponse") in ancestors("CompleteCytogeneticResponse")
    assert c("CytogeneticResponse") in ancestors("MajorCytogeneticResponse")
    assert c("MR4") in ancestors("MR4_5") and c("MajorMolecularResponse") in ancestors("MR4")
    assert c("MajorMolecularResponse") in ancestors("MR4_5")
    assert c("Drug") not in ancestors("CompleteCytogeneticResponse")


def owl_api_check(path: Path, tmp_path: Path) -> str:
    jars = ":".join(str(p) for p in sorted(Path("/usr/share/java").glob("*.jar")))
    out = tmp_path / "classes"
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["javac", "-cp", jars, "-d", str(out), str(ROOT / "tests" / "java" / "OwlCheck.java")], check=True
    )
    proc = subprocess.run(
        ["java", "-cp", f"{out}:{jars}", "OwlCheck", str(path)], capture_output=True, text=True, check=True
    )
    return proc.stdout


@pytest.mark.skipif(not shutil.which("javac"), reason="needs a JDK (installed by scripts/install.sh --test)")
@pytest.mark.java
def test_owl_api_loads_source_and_export_with_no_dl_violations(dev_build, tmp_path):
    assert Path("/usr/share/java/owlapi-distribution.jar").exists(), "libowlapi-java is not installed"
    for path in (*sorted((ROOT / "ontology").glob("*.ttl")), dev_build / "cmlkg.rdf"):
        report = owl_api_check(path, tmp_path)
        last = report.strip().splitlines()[-1]
        assert "violations=0 unparsed=0" in last, report


@pytest.mark.java
def test_dev_build_is_consistent_and_conforms(dev_build):
    proc = run_cli("validate", "--build-dir", dev_build)
    assert "consistent, no unsatisfiable classes" in proc.stdout
    assert "SHACL shapes: conforms" in proc.stdout


def test_owlready2_loads_the_rdfxml_export(dev_build):
    world = owlready2.World()
    onto = world.get_ontology((dev_build / "cmlkg.rdf").resolve().as_uri()).load()
    assert world[str(CML) + "Imatinib"] is not None
    assert len(list(onto.individuals())) > 100


def _broken_build(dev_build: Path, tmp_path: Path, extra: str) -> Path:
    """A copy of the dev build with some triples added to its exports."""
    broken = tmp_path / "broken"
    src = dev_build / "current"
    gen = broken / "generations" / "g-broken"
    shutil.copytree(src, gen, symlinks=True)
    (broken / "current").symlink_to(Path("generations") / "g-broken")
    for name, fmt in (("cmlkg.ttl", "turtle"), ("cmlkg.rdf", "xml")):
        g = rdflib.Graph().parse(gen / name, format=fmt)
        changes = list(rdflib.Graph().parse(data=extra, format="nt"))
        for s, p, o in changes:  # removals first
            if o == rdflib.Literal("remove"):
                g.remove((s, p, None))
        for s, p, o in changes:
            if o != rdflib.Literal("remove"):
                g.add((s, p, o))
        (gen / name).unlink()  # a copy, not the hard link into the dev build
        g.serialize(gen / name, format=fmt)
    return broken


@pytest.mark.java
def test_count_above_denominator_fails_validation(dev_build, tmp_path):
    m = "https://w3id.org/cmlkg/resource/014_pcr-residual-after-bmt/outcome/1"
    extra = f'<{m}> <https://w3id.org/cmlkg/ontology#patientCount> "50"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    # remove the true count first, so the node has one count, above its denominator 9
    remove = f'<{m}> <https://w3id.org/cmlkg/ontology#patientCount> "remove" .\n'
    build = _broken_build(dev_build, tmp_path / "b1", remove + extra)
    proc = run_cli("validate", "--build-dir", build, "--no-reasoner", check=False)
    assert proc.returncode == 1, proc.stdout
    assert "not above its denominator" in proc.stdout and m in proc.stdout


@pytest.mark.java
def test_drug_typed_as_response_is_inconsistent(dev_build, tmp_path):
    agent = "https://w3id.org/cmlkg/resource/002_tops-imatinib-400-vs-800/treatment/Imatinib/agent"
    extra = f"<{agent}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/cmlkg/ontology#CompleteCytogeneticResponse> .\n"
    build = _broken_build(dev_build, tmp_path / "b2", extra)
    proc = run_cli("validate", "--build-dir", build, check=False)
    assert proc.returncode == 1, proc.stdout
    assert "INCONSISTENT" in proc.stdout and "DOES NOT CONFORM" in proc.stdout


def test_no_two_terms_share_a_label_and_every_definition_is_also_iao(graph):
    """What ROBOT's report flags as ERROR (duplicate labels) and what OBO tools read (IAO:0000115)."""
    from collections import defaultdict

    by_label = defaultdict(set)
    for term, label in graph.subject_objects(RDFS.label):
        by_label[str(label).lower()].add(term)
    assert not {k: v for k, v in by_label.items() if len(v) > 1}
    iao = rdflib.URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
    for term, definition in graph.subject_objects(SKOS.definition):
        assert (term, iao, definition) in graph, term
