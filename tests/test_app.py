"""The endpoint's app in process (Starlette's TestClient, no socket): the SPARQL 1.1 Protocol, content
negotiation, graph parameters, refusals and result rows, over a real build and the real query pool.
What needs a socket or a second process (streaming to a slow reader, timeouts, Chromium) is in
test_server.py."""

from __future__ import annotations

import json

import pytest
import rdflib
from starlette.testclient import TestClient

from cmlkg.server import create_app
from cmlkg.server.config import MAX_REQUEST_BYTES, ServerConfig

from conftest import DEV, NEGATIVES, SEED_10

# the dev corpus and the negatives, as conftest.dev_build builds them
N_ABSTRACTS = len(list(DEV.glob("*.txt"))) + len(list(NEGATIVES.glob("*.txt")))
COUNT_ABSTRACTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/cmlkg/ontology#Abstract> }"
RESOURCE = f"/resource/{SEED_10}/population"
SEED_GRAPH = f"https://w3id.org/cmlkg/graph/{SEED_10}"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def client(dev_build):
    with TestClient(create_app(ServerConfig(dev_build, timeout=10)), base_url="http://127.0.0.1:7878") as c:
        yield c


def post(client, query, accept=JSON_RESULTS, **kw):
    return client.post(
        "/sparql",
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
        **kw,
    )


def count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_direct_post(client):
    r1 = client.get("/sparql", params={"query": COUNT_ABSTRACTS})
    r2 = client.post("/sparql", data={"query": COUNT_ABSTRACTS})
    r3 = post(client, COUNT_ABSTRACTS)
    for r in (r1, r2, r3):
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"][0]["n"]["value"] == str(N_ABSTRACTS)
    assert r1.headers["content-type"].startswith("application/sparql-results+json")


def test_select_formats(client):
    assert "<sparql" in post(client, COUNT_ABSTRACTS, "application/sparql-results+xml").text
    assert post(client, COUNT_ABSTRACTS, "text/csv").text.splitlines() == ["n", str(N_ABSTRACTS)]
    assert post(client, COUNT_ABSTRACTS, "text/tab-separated-values").text.splitlines()[0] == "?n"


def test_construct_formats(client):
    q = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ <https://w3id.org/cmlkg{RESOURCE}> ?p ?o BIND(<https://w3id.org/cmlkg{RESOURCE}> AS ?s) }}"
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ):
        r = post(client, q, accept)
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept), (accept, r.text[:200])
        g = rdflib.Graph().parse(data=r.text, format=fmt)
        assert (None, rdflib.URIRef("https://w3id.org/cmlkg/ontology#size"), rdflib.Literal(10)) in g


def test_default_graph_uri_is_honoured(client):
    g = f"https://w3id.org/cmlkg/graph/{SEED_10}"
    r = client.get("/sparql", params={"query": COUNT_ABSTRACTS, "default-graph-uri": g})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_malformed_query_is_400_with_position(client):
    r = post(client, "SELECT ?x WHERE { ?x ?y }")
    assert r.status_code == 400 and "1:" in r.text


def test_unservable_accept_is_406(client):
    r = post(client, COUNT_ABSTRACTS, "image/png")
    assert r.status_code == 406


def test_updates_are_refused(client):
    r = client.post(
        "/sparql",
        content="INSERT DATA { <http://a> <http://b> <http://c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 403
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403
    r = post(client, "DELETE WHERE { ?s ?p ?o }")
    assert r.status_code in (400, 403)
    assert post(client, COUNT_ABSTRACTS).json()["results"]["bindings"][0]["n"]["value"] == str(N_ABSTRACTS)


def test_the_http_query_method_carries_the_query_in_its_body(client):
    r = client.request(
        "QUERY", "/sparql", content=COUNT_ABSTRACTS, headers={"Content-Type": "application/sparql-query"}
    )
    assert count(r) == N_ABSTRACTS


@pytest.mark.parametrize(
    ("content", "ctype", "status", "words"),
    [
        (b"\xff\xfe SELECT", "application/sparql-query", 400, "byte offset 0"),
        (b"query=%FF", "application/x-www-form-urlencoded", 400, "not UTF-8 once percent-decoded"),
        (COUNT_ABSTRACTS.encode(), "text/plain", 415, "application/sparql-query"),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded", 403, "read-only"),
        (b"", "application/sparql-query", 400, "exactly one query"),
        (b"x" * (MAX_REQUEST_BYTES + 1), "application/sparql-query", 413, f"larger than {MAX_REQUEST_BYTES}"),
    ],
)
def test_a_malformed_request_is_refused_with_the_protocols_status(client, content, ctype, status, words):
    r = client.post("/sparql", content=content, headers={"Content-Type": ctype})
    assert r.status_code == status and words in r.text, (r.status_code, r.text)


def test_two_queries_or_none_are_refused(client):
    r = client.get("/sparql", params=[("query", COUNT_ABSTRACTS), ("query", COUNT_ABSTRACTS)])
    assert r.status_code == 400 and "exactly one query" in r.text
    r = client.post("/sparql", data={"default-graph-uri": SEED_GRAPH})
    assert r.status_code == 400 and "no query given" in r.text
    r = client.get("/sparql", params={"update": "DROP ALL"})
    assert r.status_code == 403


def test_graph_parameters_in_the_query_string_and_the_form(client):
    # the form's graph parameters join those of the query string
    r = client.post(f"/sparql?default-graph-uri={SEED_GRAPH}", data={"query": COUNT_ABSTRACTS})
    assert count(r) == 1
    # a '&' that arrived percent-encoded inside a graph parameter separates two parameters
    other = f"https://w3id.org/cmlkg/graph/{sorted(DEV.glob('*.txt'))[0].stem}"
    r = client.get(
        "/sparql",
        params={"query": COUNT_ABSTRACTS, "default-graph-uri": f"{SEED_GRAPH}&default-graph-uri={other}"},
    )
    assert count(r) == 2
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": named, "named-graph-uri": SEED_GRAPH})
    assert count(r) == 1


def test_result_rows_are_the_builds_facts(client):
    # the seed abstract with 10 patients: its population has size 10, in JSON and in CSV
    q = f"SELECT ?size WHERE {{ <https://w3id.org/cmlkg{RESOURCE}> <https://w3id.org/cmlkg/ontology#size> ?size }}"
    rows = post(client, q).json()["results"]["bindings"]
    assert [row["size"]["value"] for row in rows] == ["10"]
    assert rows[0]["size"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert post(client, q, "text/csv").text.splitlines() == ["size", "10"]
    assert post(client, "ASK { ?s a <https://w3id.org/cmlkg/ontology#Abstract> }").json() == {
        "head": {},
        "boolean": True,
    }


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("", JSON_RESULTS),
        ("*/*", JSON_RESULTS),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_results_are_negotiated(client, accept, media_type):
    r = post(client, COUNT_ABSTRACTS, accept)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media_type), r.headers
    assert "Accept" in r.headers["vary"]


def test_the_service_description_names_the_endpoint_as_configured(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef("http://127.0.0.1:7878/sparql"), sd.endpoint, None) in g
    assert (None, sd.name, rdflib.URIRef(SEED_GRAPH)) in g
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json") and json.loads(r.text)
    assert client.get("/sparql", headers={"Accept": "image/png"}).status_code == 406


def test_resource_paths_are_negotiated_and_unknown_ones_are_404(client):
    r = client.get(RESOURCE, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert "<https://w3id.org/cmlkg/ontology#size>" in r.text
    r = client.get(RESOURCE, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert (
        client.get("/resource/no-such-abstract/population", headers={"Accept": "text/html"}).status_code
        == 404
    )
    assert client.get("/resource/%FF", headers={"Accept": "text/html"}).status_code == 404
    assert client.get(RESOURCE, headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/downloads/secret.txt").status_code == 404
