"""A VoID description of the built dataset (also served at /.well-known/void)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from cmlkg import __version__
from cmlkg.namespaces import BASE, CML, DATASET, RESOURCE, SKOS

_LINKSETS = {  # the ontology's skos:exactMatch links
    "chebi": "http://purl.obolibrary.org/obo/CHEBI_",
    "ncit": "http://purl.obolibrary.org/obo/NCIT_",
    "mondo": "http://purl.obolibrary.org/obo/MONDO_",
    "hp": "http://purl.obolibrary.org/obo/HP_",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "drugbank": "https://go.drugbank.com/drugs/",
}
DATA_LINKSETS = {  # the abstracts' bibliographic links: name -> (objects' IRI prefix, link predicate)
    "pubmed": ("http://identifiers.org/pubmed:", "dcterms:source"),
    "doi": ("https://doi.org/", "dcterms:source"),
    "mesh-subjects": ("http://id.nlm.nih.gov/mesh/", "dcterms:subject"),
}


@dataclass
class DatasetStats:
    """The counts VoID states, summed over the build's fragments (no query over the whole store)."""

    triples: int
    classes: int
    properties: int
    subjects: int
    examples: list[str]

    @classmethod
    def of(cls, entries: list[dict], studies: list[str]) -> DatasetStats:
        # each abstract's subjects are IRIs under its own identifier (and the ontology's are not under
        # resource/ at all), so the graphs' subject sets are disjoint and their sizes add up
        return cls(
            triples=sum(e["quads"] for e in entries),
            classes=len({c for e in entries for c in e["classes"]}),
            properties=len({p for e in entries for p in e["properties"]}),
            subjects=sum(e["subjects"] for e in entries),
            examples=sorted(studies)[:3],
        )


def linkset_counts(ontology) -> dict[str, int]:
    """skos:exactMatch links of the ontology (its triples or quads) to each external vocabulary."""
    counts = dict.fromkeys([*_LINKSETS, *DATA_LINKSETS], 0)
    for t in ontology:
        if t.predicate.value == SKOS + "exactMatch" and isinstance(t.object, ox.NamedNode):
            for name, prefix in _LINKSETS.items():
                if t.object.value.startswith(prefix):
                    counts[name] += 1
    return counts


def void_turtle(
    stats: DatasetStats, abstracts: int, links: dict[str, int], endpoint: str = "http://127.0.0.1:7878/sparql"
) -> str:
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{DATASET}> a void:Dataset ;",
        '    dcterms:title "cmlkg: chronic myeloid leukemia treatment evidence" ;',
        '    dcterms:description "Facts extracted from CML clinical abstracts, '
        'with provenance to the text." ;',
        "    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;",
        f'    dcterms:hasVersion "{__version__}" ;',
        f"    void:sparqlEndpoint <{endpoint}> ;",
        f'    void:uriSpace "{RESOURCE}" ;',
        f"    void:vocabulary <{CML[:-1]}> ;",
        f"    void:dataDump <{BASE}downloads/cmlkg.ttl>, <{BASE}downloads/cmlkg.trig>, "
        f"<{BASE}downloads/cmlkg.rdf> ;",
        f"    void:triples {stats.triples} ;",
        f"    void:classes {stats.classes} ;",
        f"    void:properties {stats.properties} ;",
        f"    void:distinctSubjects {stats.subjects} ;",
        f"    void:documents {abstracts} ;",
    ]
    if stats.examples:
        lines.append("    void:exampleResource " + ", ".join(f"<{e}>" for e in stats.examples) + " ;")
    lines[-1] = lines[-1].rstrip(" ;") + " ."
    for name, prefix in _LINKSETS.items():
        n = links[name]
        lines += [
            "",
            f"<{DATASET}/linkset/{name}> a void:Linkset ;",
            f"    void:subjectsTarget <{DATASET}> ;",
            f"    void:objectsTarget <{prefix}> ;",
            "    void:linkPredicate skos:exactMatch ;",
            f"    void:triples {n} .",
        ]
    for name, (prefix, predicate) in DATA_LINKSETS.items():
        lines += [
            "",
            f"<{DATASET}/linkset/{name}> a void:Linkset ;",
            f"    void:subjectsTarget <{DATASET}> ;",
            f"    void:objectsTarget <{prefix}> ;",
            f"    void:linkPredicate {predicate} ;",
            f"    void:triples {links.get(name, 0)} .",
        ]
    return "\n".join(lines) + "\n"
