"""Every IRI cmlkg mints comes from here, so the scheme lives in one place."""

from __future__ import annotations

import functools
from urllib.parse import quote

BASE = "https://w3id.org/cmlkg/"
CML = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
RESOURCE = BASE + "resource/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = ONTOLOGY_IRI  # named by the ontology IRI: graph/ holds only abstracts, whatever their ids
DATASET = BASE + "dataset"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
BIBO = "http://purl.org/ontology/bibo/"
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
FOAF = "http://xmlns.com/foaf/0.1/"
MESH = "http://id.nlm.nih.gov/mesh/"
SD = "http://www.w3.org/ns/sparql-service-description#"

PREFIXES = {
    "cml": CML,
    "cmlr": RESOURCE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "dcterms": DCTERMS,
    "obo": "http://purl.obolibrary.org/obo/",
    "bibo": BIBO,
    "prism": PRISM,
    "foaf": FOAF,
}


def pubmed_links(pmid: str) -> tuple[str, str]:
    """The PubMed page of a PMID and its identifiers.org IRI."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", f"http://identifiers.org/pubmed:{pmid}"


def doi_iri(doi: str) -> str:
    """The doi.org IRI of a DOI (characters an IRI cannot hold percent-encoded, as doi.org expects)."""
    # '<', '>', '[', ']' and the like are legal in DOIs
    # ('10.1002/(SICI)1097-0142(19990101)85:1<1::AID-CNCR1>3.0.CO;2-8')
    # but not in IRIs: encoded, with anything else an IRI cannot hold
    return "https://doi.org/" + quote(doi, safe="/:;()._-~@!$&'*+,=")


def cml(local: str) -> str:
    """The IRI of an ontology term: ``cml('Imatinib')``."""
    return CML + local


@functools.lru_cache(maxsize=256)
def abstract_iri(abstract_id: str) -> str:
    """The IRI of an abstract (the source document)."""
    return RESOURCE + quote(abstract_id, safe="-_.~")


def graph_iri(abstract_id: str) -> str:
    """The named graph holding the facts of one abstract."""
    return GRAPH + quote(abstract_id, safe="-_.~")


def fact_iri(abstract_id: str, *parts: object) -> str:
    """The IRI of a fact of one abstract: ``fact_iri('001', 'outcome', 3)``."""
    return abstract_iri(abstract_id) + "".join("/" + _segment(str(p)) for p in parts)


@functools.lru_cache(maxsize=4096)
def _segment(part: str) -> str:
    """A percent-encoded path segment (the same few segments recur in every abstract: cached)."""
    return quote(part, safe="-_.~")
