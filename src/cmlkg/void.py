"""A VoID description of the built dataset (also served at /.well-known/void)."""

from __future__ import annotations

import pyoxigraph as ox

from cmlkg import __version__
from cmlkg.namespaces import BASE, CML, DATASET, RESOURCE, SKOS

_LINKSETS = {
    "chebi": "http://purl.obolibrary.org/obo/CHEBI_",
    "ncit": "http://purl.obolibrary.org/obo/NCIT_",
    "mondo": "http://purl.obolibrary.org/obo/MONDO_",
    "hp": "http://purl.obolibrary.org/obo/HP_",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "drugbank": "https://go.drugbank.com/drugs/",
}


def _count(store: ox.Store, query: str) -> int:
    for row in store.query(query, use_default_graph_as_union=True):
        return int(row[0].value)
    return 0


def void_turtle(store: ox.Store, abstracts: int, endpoint: str = "http://127.0.0.1:7878/sparql") -> str:
    triples = len(store)
    classes = _count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    props = _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    subjects = _count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{DATASET}> a void:Dataset ;",
        '    dcterms:title "cmlkg: chronic myeloid leukemia treatment evidence" ;',
        '    dcterms:description "Facts extracted from CML clinical abstracts, with provenance to the text." ;',
        "    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;",
        f'    dcterms:hasVersion "{__version__}" ;',
        f"    void:sparqlEndpoint <{endpoint}> ;",
        f"    void:uriSpace \"{RESOURCE}\" ;",
        f"    void:vocabulary <{CML[:-1]}> ;",
        f"    void:dataDump <{BASE}downloads/cmlkg.ttl>, <{BASE}downloads/cmlkg.nq>, <{BASE}downloads/cmlkg.rdf> ;",
        f"    void:triples {triples} ;",
        f"    void:classes {classes} ;",
        f"    void:properties {props} ;",
        f"    void:distinctSubjects {subjects} ;",
        f"    void:documents {abstracts} ;",
    ]
    examples = [r["s"].value for r in store.query(
        f"SELECT ?s WHERE {{ ?s a <{CML}CMLTreatmentStudy> }} ORDER BY ?s LIMIT 3", use_default_graph_as_union=True)]
    if examples:
        lines.append("    void:exampleResource " + ", ".join(f"<{e}>" for e in examples) + " ;")
    lines[-1] = lines[-1].rstrip(" ;") + " ."
    for name, prefix in _LINKSETS.items():
        n = _count(store, f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{SKOS}exactMatch> ?o FILTER STRSTARTS(STR(?o), "{prefix}") }}')
        lines += [
            "",
            f"<{DATASET}/linkset/{name}> a void:Linkset ;",
            f"    void:subjectsTarget <{DATASET}> ;",
            f"    void:objectsTarget <{prefix}> ;",
            "    void:linkPredicate skos:exactMatch ;",
            f"    void:triples {n} .",
        ]
    return "\n".join(lines) + "\n"
