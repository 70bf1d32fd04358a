"""Issue 20, batch thirty-nine on: shapes of figure statements found wrong or missing in abstracts written
in the styles of unread reports (later-line dose-ranging trials, Chinese registration trials, paediatric
and pregnancy series, adherence studies), each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract


def figures(text: str) -> set[tuple]:
    x = extract("t", text)
    return {(o.term, o.count, o.percent, o.denominator, o.time_months) for o in x.outcomes}


def per_arm(text: str) -> dict[str, set[tuple]]:
    """Each arm's figures (term, count, percent), keyed by its first drug; figures on no arm under ''."""
    x = extract("t", text)
    out: dict[str, set[tuple]] = {"": set()}
    names = {}
    for k, c in enumerate(x.cohorts):
        if c.role == "arm":
            names[k] = c.treatments[0].term if c.treatments else str(c.size)
            out[names[k]] = set()
    for o in x.outcomes:
        out[names.get(o.cohort, "")].add((o.term, o.count, o.percent))
    return out


TWO_ARMS = (
    "Adults with newly diagnosed chronic phase CML (n = 300) were randomly assigned to bosutinib 400 mg daily "
    "(n = 151) or imatinib 400 mg daily (n = 149). "
)
ONE_ARM = "We treated 140 adults with chronic phase CML with nilotinib 300 mg twice daily. "


def test_survivals_sharing_their_head_noun_are_each_their_own():
    text = ONE_ARM + (
        "Four-year event-free and overall survival rates were 88% and 97%. Progression-free, event-free "
        "and overall survival at 6 years were 91%, 84% and 95%, respectively."
    )
    assert figures(text) == {
        ("EventFreeSurvival", None, 88.0, None, 48.0),
        ("OverallSurvival", None, 97.0, None, 48.0),
        ("ProgressionFreeSurvival", None, 91.0, None, 72.0),
        ("EventFreeSurvival", None, 84.0, None, 72.0),
        ("OverallSurvival", None, 95.0, None, 72.0),
    }


def test_survivals_coordinated_with_one_the_ontology_does_not_name_are_left_out():
    # which figure is whose cannot be told when one of the three is no term
    text = ONE_ARM + "Transformation-free and overall survival rates at 4 years were 93% and 97%."
    assert figures(text) == set()


def test_reasons_for_stopping_with_their_own_figures_are_not_the_discontinuation_rate():
    text = TWO_ARMS + (
        "More patients stopped imatinib (38.2%) than bosutinib (25.1%), chiefly because of disease "
        "progression (12.0% vs 4.4%) and toxicity (9.1% vs 14.0%)."
    )
    got = per_arm(text)
    # (the reasons' pairs name no arm of their own: they stay on the study, unpaired)
    assert got["Bosutinib"] == {("TreatmentDiscontinuation", None, 25.1)}
    everything = set().union(*got.values())
    # the figures of a reason the ontology does not name go nowhere: not to stopping, not to progression
    assert not any(p in (12.0, 4.4) for _t, _c, p in everything)
    assert ("TreatmentDiscontinuation", None, 38.2) in got["Imatinib"]
    assert {
        ("DiscontinuationDueToToxicity", None, 9.1),
        ("DiscontinuationDueToToxicity", None, 14.0),
    } <= everything


def test_a_reason_without_figures_of_its_own_still_names_the_discontinuation():
    text = ONE_ARM + "Nilotinib was discontinued because of cardiac toxicity in 9 patients (6.4%)."
    assert ("DiscontinuationDueToToxicity", 9, 6.4, None, None) in figures(text)


def test_patients_who_went_on_to_a_transplant_are_no_cohort_of_the_design():
    text = (
        "Between 2004 and 2015, 132 children with chronic phase CML received imatinib 340 mg/m2 daily. "
        "The CCyR rate at 12 months was 78%. Nineteen patients subsequently underwent allogeneic stem cell "
        "transplantation, and 2 died of transplant-related causes."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 132)]


def test_a_transplant_study_population_that_underwent_the_transplant_is_still_the_population():
    text = (
        "Forty-one patients with CML in chronic phase underwent allogeneic marrow transplantation from HLA-"
        "identical siblings. Leukemia-free survival at 5 years was 62%."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 41)]


def test_counts_in_treatment_groups_before_an_event_verb_go_to_their_arms():
    text = TWO_ARMS + (
        "By 24 months, 5 patients on imatinib and 1 on bosutinib had transformed to blast phase. "
        "Three patients in the bosutinib arm and none in the imatinib arm died."
    )
    got = per_arm(text)
    assert ("ProgressionToBlastPhase", 5, None) in got["Imatinib"]
    assert ("ProgressionToBlastPhase", 1, None) in got["Bosutinib"]
    assert ("Death", 3, None) in got["Bosutinib"]
    assert ("Death", 0, None) in got["Imatinib"]
    assert got[""] == set()


def test_a_count_in_a_group_that_is_no_treatment_is_not_read_as_the_groups_arm():
    text = (
        TWO_ARMS
        + "Four patients in the high-risk group and 2 in the low-risk group progressed to blast phase."
    )
    got = per_arm(text)
    assert not any(c in (4, 2) for v in got.values() for _t, c, _p in v)
