"""Issue 20, session 13: shapes of figure statements found missing or wrong in probe sentences written in
the styles of unread reports, each tested here in phrasings of our own."""

from __future__ import annotations

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
