"""Issue 20, session 13: shapes of figure statements found missing or wrong in probe sentences written in
the styles of unread reports, each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import cohorts_of, figures

ONE_ARM = "We treated 64 adults with chronic phase CML with nilotinib 300 mg twice daily. "


def test_years_written_y_are_time_points_and_ages_or_durations_in_y_are_not():
    text = ONE_ARM + (
        "At 4 y, the cumulative rate of MMR was 81%. The 3-y overall survival was 96%. By 2 y, 47% of patients "
        "had MR4. After a median follow-up of 5.5 y, the CCyR rate was 88%. The median age was 52 y "
        "(range, 19-84 y)."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", None, 81.0, None, 48.0),
        ("OverallSurvival", None, 96.0, None, 36.0),
        ("MR4", None, 47.0, None, 24.0),
        ("CompleteCytogeneticResponse", None, 88.0, None, None),
    }


def test_a_share_in_words_with_its_count_is_a_count_never_a_subgroup():
    text = ONE_ARM + (
        "Half of the patients (n = 32) achieved MMR by 12 months, and two-thirds of patients (n = 43) CCyR. "
        "Most patients (n = 41) had a complete hematologic response."
    )
    found = figures(text)
    assert ("MajorMolecularResponse", 32, None, None, 12.0) in found
    assert ("CompleteHematologicResponse", 41, None, None, None) in found
    assert cohorts_of(text) == [("population", 64)]
    # a share with its count that is no figure of an outcome is no group either
    assert cohorts_of(ONE_ARM + "Most patients (n = 40) were male.") == [("population", 64)]


TWO_ARMS = (
    "Patients were randomized to nilotinib 300 mg twice daily (n = 70) or imatinib 400 mg daily (n = 70). "
)


def test_discontinuation_rates_are_read_with_their_arms_and_for_toxicity_where_said():
    assert figures(ONE_ARM + "The discontinuation rate was 19%.") == {
        ("TreatmentDiscontinuation", None, 19.0, None, None)
    }
    found = figures(
        TWO_ARMS
        + "Discontinuation rates were 21% (nilotinib) and 14% (imatinib). Rates of discontinuation for "
        "toxicity were 9% and 6% in the nilotinib and imatinib arms, respectively."
    )
    assert found == {
        ("TreatmentDiscontinuation", None, 21.0, None, None),
        ("TreatmentDiscontinuation", None, 14.0, None, None),
        ("DiscontinuationDueToToxicity", None, 9.0, None, None),
        ("DiscontinuationDueToToxicity", None, 6.0, None, None),
    }
    x = extract("t", TWO_ARMS + "Discontinuation rates were 21% (nilotinib) and 14% (imatinib).")
    arms = {o.percent: x.cohorts[o.cohort].treatments[0].term for o in x.outcomes}
    assert arms == {21.0: "Nilotinib", 14.0: "Imatinib"}


def test_a_response_named_by_its_kind_in_parentheses_is_that_kind_and_the_kind_keeps_its_name():
    text = ONE_ARM + (
        "Molecular response (MR4) was achieved in 26 patients (41%). Deep molecular response (MR4.5) was "
        "achieved in 13 patients (20%). MR4 at 24 months was 38%."
    )
    assert figures(text) == {
        ("MR4", 26, 41.0, None, None),
        ("MR4_5", 13, 20.0, None, None),
        ("MR4", None, 38.0, None, 24.0),
    }


def test_a_response_followed_by_loss_is_the_loss_of_it_not_the_response():
    text = ONE_ARM + "MMR loss occurred in 11 patients (17%). CCyR losses were seen in 4 patients."
    assert figures(text) == {
        ("LossOfResponse", 11, 17.0, None, None),
        ("LossOfResponse", 4, None, None, None),
    }


def _event_counts(text: str) -> set[tuple]:
    x = extract("t", text)
    return {
        (a.term, a.grade, a.count, x.cohorts[a.cohort].treatments[0].term if a.cohort is not None else None)
        for a in x.adverse_events
    }


def test_an_event_split_over_arms_takes_each_arm_s_own_count_never_the_first_on_both():
    assert _event_counts(
        TWO_ARMS + "Rash was reported in 12 patients (17%) on nilotinib and 3 (4%) on imatinib."
    ) == {
        ("Rash", None, 12, "Nilotinib"),
        ("Rash", None, 3, "Imatinib"),
    }
    assert _event_counts(
        TWO_ARMS
        + "Grade 3 pancreatitis occurred in 4 (6%) and 1 (1%) patients in the nilotinib and imatinib arms."
    ) == {("Pancreatitis", 3, 4, "Nilotinib"), ("Pancreatitis", 3, 1, "Imatinib")}
    # counts that span grades are on none of them
    assert _event_counts(TWO_ARMS + "Grade 3/4 rash occurred in 5 and 2 patients, respectively.") == {
        ("Rash", 3, None, "Nilotinib"),
        ("Rash", 3, None, "Imatinib"),
        ("Rash", 4, None, "Nilotinib"),
        ("Rash", 4, None, "Imatinib"),
    }


THREE_COHORTS = (
    "Patients were randomized to asciminib 80 mg (cohort A, n = 60), 40 mg twice daily (cohort B, n = 60) or "
    "200 mg twice daily (cohort C, n = 60). "
)


def test_arms_listed_after_their_plural_noun_take_the_figures_in_order():
    x = extract(
        "t",
        THREE_COHORTS + "MR4 at 24 months was reached by 31%, 27% and 35% of patients in cohorts A, B and C.",
    )
    assert [(o.percent, o.cohort) for o in x.outcomes] == [(31.0, 1), (27.0, 2), (35.0, 3)]
    x = extract(
        "t",
        THREE_COHORTS + "Headache occurred in 9 (15%), 7 (12%) and 11 (18%) patients in cohorts A, B and C.",
    )
    assert [(a.count, a.cohort) for a in x.adverse_events] == [(9, 1), (7, 2), (11, 3)]


def test_a_dose_reduction_before_a_figure_is_no_comparison_of_rates():
    text = ONE_ARM + (
        "Fourteen patients (22%) required dose reduction and 5 (8%) discontinued treatment owing to intolerance. "
        "After dose reductions, 9 patients (14%) achieved MMR."
    )
    assert figures(text) == {
        ("DiscontinuationDueToToxicity", 5, 8.0, None, None),
        ("MajorMolecularResponse", 9, 14.0, None, None),
    }
    # a reduction of a rate still is one: 'a 12% reduction in the rate of MMR' states no rate
    assert figures(ONE_ARM + "This was a 12% reduction in the rate of MMR.") == set()


def test_a_count_compared_after_a_counted_subject_is_the_other_arm_s():
    text = TWO_ARMS + (
        "In the nilotinib arm, 31 patients (44%) achieved MMR by 12 months versus 16 (23%) in the imatinib arm. "
        "Twenty nilotinib-treated patients (29%) achieved MR4.5 versus 9 imatinib-treated patients (13%)."
    )
    x = extract("t", text)
    assert {
        (o.term, o.count, o.percent, o.time_months, x.cohorts[o.cohort].treatments[0].term)
        for o in x.outcomes
    } == {
        ("MajorMolecularResponse", 31, 44.0, 12.0, "Nilotinib"),
        ("MajorMolecularResponse", 16, 23.0, 12.0, "Imatinib"),
        ("MR4_5", 20, 29.0, None, "Nilotinib"),
        ("MR4_5", 9, 13.0, None, "Imatinib"),
    }
    # a time compared is no count: 'compared with 12 months (30%) in historical controls'
    assert figures(
        ONE_ARM + "Twenty patients (31%) achieved MMR compared with 12 months (30%) in controls."
    ) == {("MajorMolecularResponse", 20, 31.0, None, None)}


def test_a_clause_of_a_time_point_and_figures_only_takes_the_outcomes_of_the_clause_before_in_order():
    text = ONE_ARM + "At 6 months, rates of CCyR and MMR were 61% and 27%; at 12 months, 78% and 47%."
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 61.0, None, 6.0),
        ("MajorMolecularResponse", None, 27.0, None, 6.0),
        ("CompleteCytogeneticResponse", None, 78.0, None, 12.0),
        ("MajorMolecularResponse", None, 47.0, None, 12.0),
    }
    # fewer figures than outcomes: whose they are is not said
    text = ONE_ARM + "At 6 months, rates of CCyR and MMR were 61% and 27%; at 12 months, 78%."
    assert len(figures(text)) == 2


def test_patients_counted_with_their_share_for_what_was_done_are_no_arm():
    text = ONE_ARM + "In 7 patients who were receiving nilotinib (11%), the drug was switched to dasatinib."
    assert cohorts_of(text) == [("population", 64)]


def test_a_list_of_figures_named_term_first_shares_the_time_point_that_closes_it():
    text = (
        ONE_ARM + "MMR was achieved in 38 patients (59%), MR4 in 25 (39%) and MR4.5 in 16 (25%) by 36 months."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", 38, 59.0, None, 36.0),
        ("MR4", 25, 39.0, None, 36.0),
        ("MR4_5", 16, 25.0, None, 36.0),
    }


def test_that_of_another_outcome_is_the_same_measure_at_the_same_time_point():
    text = ONE_ARM + "The estimated 3-year cumulative incidence of MMR was 69% and that of MR4.5 was 31%."
    assert figures(text) == {
        ("MajorMolecularResponse", None, 69.0, None, 36.0),
        ("MR4_5", None, 31.0, None, 36.0),
    }


def test_doses_after_an_event_split_over_arms_are_no_counts():
    text = (
        "Patients were randomized to dasatinib 100 mg daily (n = 102) or 50 mg daily (n = 48). "
        "Pleural effusion occurred in 21% of patients on 100 mg and 5% on 50 mg."
    )
    x = extract("t", text)
    assert sorted((a.count, x.cohorts[a.cohort].size) for a in x.adverse_events) == [(None, 48), (None, 102)]
