"""cmlkg.sparql in process: the query-safety rules the server and `cmlkg query` share."""

from __future__ import annotations

import pytest

from cmlkg.errors import QueryError
from cmlkg.sparql import (
    MAX_REPEATS,
    ServiceRefused,
    UpdateRefused,
    check_shape,
    inspect_query,
    refuse_services,
    service_calls,
    without_dataset,
)

PREFIX = "PREFIX cml: <https://w3id.org/cmlkg/ontology#>\n"


@pytest.mark.parametrize(
    ("query", "form", "graph"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "select", False),
        ("ASK { ?s ?p ?o }", "ask", False),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct", True),
        ("DESCRIBE <https://w3id.org/cmlkg/resource/x>", "describe", True),
    ],
)
def test_inspect_query_names_the_form(query, form, graph):
    info = inspect_query(query)
    assert (info.form, info.is_graph, info.services, info.has_dataset) == (form, graph, (), False)


def test_inspect_query_refuses_updates_and_names_a_syntax_error():
    with pytest.raises(UpdateRefused):
        inspect_query("INSERT DATA { <a:b> <a:c> <a:d> }")
    with pytest.raises(QueryError) as err:
        inspect_query("SELECT * WHERE { ?s ?p }")
    assert not isinstance(err.value, UpdateRefused)


def test_a_dataset_clause_is_seen_and_can_be_taken_out():
    query = "SELECT * FROM <https://w3id.org/cmlkg/graph/x> WHERE { ?s ?p ?o }"
    assert inspect_query(query).has_dataset
    stripped = without_dataset(query)
    assert "FROM" not in stripped and not inspect_query(stripped).has_dataset


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        # the \\u escape trick: the characters say SERVICE where a parser might see a comment or a string
        "SELECT * WHERE { ?s ?p ?o } # \\u0053ERVICE <http://example.org/x>",
    ],
)
def test_every_service_call_is_refused_with_one_message(query):
    assert service_calls(query) or inspect_query(query).services
    with pytest.raises(ServiceRefused) as err:
        refuse_services(query)
    assert str(err.value) == "SERVICE is refused: queries here make no outbound requests"


def test_an_allowed_endpoint_may_be_called_and_no_other():
    allowed = ("http://example.org/sparql",)
    refuse_services("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", allowed)
    with pytest.raises(ServiceRefused):
        refuse_services("SELECT * WHERE { SERVICE <http://example.org/other> { ?s ?p ?o } }", allowed)


def test_flat_repetition_is_refused_past_the_limit_and_counted_outside_strings():
    check_shape("ASK { " + "FILTER(true) " * MAX_REPEATS + "}")
    with pytest.raises(QueryError, match="appears more than 1000 times"):
        check_shape("ASK { " + "FILTER(true) " * (MAX_REPEATS + 1) + "}")
    check_shape('ASK { FILTER("' + "{" * 5000 + '" != "") }')  # braces inside a string are text
    check_shape("ASK { ?s ?p ?o } # " + "(" * 5000)  # and inside a comment


def test_real_competency_queries_pass_every_check():
    from cmlkg.query import read_query

    for name in ("outcomes", "cohorts", "treatments", "arm_comparison", "sources"):
        query = read_query(name)
        check_shape(query)
        refuse_services(query)
        assert inspect_query(query).form == "select"
