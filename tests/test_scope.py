"""Scope: which arm and which time point a figure is for, on sentences written for these tests (several
phrasings of each construction, none taken from the corpus)."""

from __future__ import annotations

import pytest

from cmlkg.extract import extract


def arms_and_figures(text: str) -> tuple[dict[int, tuple], set[tuple]]:
    """{arm cohort index: (size, drugs, doses)} and {(outcome, count, percent, arm size or None, months)}."""
    x = extract("t", text)
    arms = {
        k: (
            c.size,
            tuple(sorted(t.term for t in c.treatments)),
            tuple(sorted((t.term, d.value, d.unit) for t in c.treatments for d in t.doses)),
        )
        for k, c in enumerate(x.cohorts)
        if c.treatments
    }
    figures = {
        (
            o.term,
            o.count,
            o.percent,
            x.cohorts[o.cohort].size if o.cohort is not None else None,
            o.time_months,
        )
        for o in x.outcomes
        if not o.aggregate_of
    }
    return arms, figures


# ------------------------------------------------------------------ arms and what they received
@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Patients were randomized to nilotinib 300 mg twice daily (n = 282) or imatinib 400 mg once daily (n = 283).",
            {
                (282, ("Nilotinib",), (("Nilotinib", 600.0, "mg/d"),)),
                (283, ("Imatinib",), (("Imatinib", 400.0, "mg/d"),)),
            },
        ),
        (
            "A total of 300 patients were allocated to dasatinib 50 mg (n = 150) or 100 mg (n = 150) daily.",
            {
                (150, ("Dasatinib",), (("Dasatinib", 50.0, "mg/d"),)),
                (150, ("Dasatinib",), (("Dasatinib", 100.0, "mg/d"),)),
            },
        ),
        (
            "Forty patients were randomly assigned to receive bosutinib 500 mg daily and 38 were assigned to receive imatinib 400 mg daily.",
            {
                (40, ("Bosutinib",), (("Bosutinib", 500.0, "mg/d"),)),
                (38, ("Imatinib",), (("Imatinib", 400.0, "mg/d"),)),
            },
        ),
        (
            "Patients received hydroxyurea 1.5 g/day (64 patients) or interferon alfa 5 MU/m2 daily (58 patients).",
            {
                (64, ("Hydroxyurea",), (("Hydroxyurea", 1.5, "g/d"),)),
                (58, ("InterferonAlfa",), (("InterferonAlfa", 5.0, "MU/m2/d"),)),
            },
        ),
    ],
)
def test_arms_carry_size_treatment_and_dose(text, expected):
    arms, _ = arms_and_figures(text)
    assert set(arms.values()) == expected


def test_a_single_arm_study_has_no_arms():
    arms, figures = arms_and_figures(
        "We treated 45 patients with nilotinib 400 mg twice daily. At 12 months, 30 patients (67%) achieved MMR."
    )
    assert arms == {}
    assert ("MajorMolecularResponse", 30, 67.0, None, 12.0) in figures


def test_groups_that_differ_only_by_a_baseline_trait_are_not_arms():
    arms, _ = arms_and_figures(
        "We treated 60 patients with dasatinib 100 mg daily: 35 patients (n = 35) were resistant and 25 (n = 25) intolerant to imatinib."
    )
    assert arms == {}


# ------------------------------------------------------------------ figures tied to arms
TRIAL = "Patients were randomized to nilotinib 300 mg twice daily (n = 282) or imatinib 400 mg once daily (n = 283). "


@pytest.mark.parametrize(
    "sentence",
    [
        "By 12 months, the rates of MMR were 44% vs 22%.",
        "At 12 months, MMR, 44% v 22% (P < .001).",
        "The MMR rate at 12 months was 44% versus 22%.",
        "MMR rates at 12 months were 44% and 22%, respectively.",
        "At 12 months the MMR rate was 44% for the 600 mg/d arm and 22% for the 400 mg/d arm.",
        "MMR at 12 months was reached by 44% of patients receiving nilotinib compared with 22% of those given imatinib.",
        "MMR rates at 12 months were 44% and 22% in the nilotinib and imatinib arms, respectively.",
        "MMR rates at 12 months were 22% and 44% in the imatinib and nilotinib arms, respectively.",
        "MMR at 12 months: nilotinib 44% vs imatinib 22% (p < 0.001).",
        "Rates of MMR by 12 months were higher with nilotinib (44%) than with imatinib (22%).",
        "MMR at 12 months (imatinib vs nilotinib): 22% vs 44%.",
        "In the nilotinib arm, 44% achieved MMR by 12 months, compared with 22% in the imatinib arm.",
    ],
)
def test_two_arm_comparison(sentence):
    _, figures = arms_and_figures(TRIAL + sentence)
    assert ("MajorMolecularResponse", None, 44.0, 282, 12.0) in figures
    assert ("MajorMolecularResponse", None, 22.0, 283, 12.0) in figures


def test_an_arm_named_by_its_size_as_denominator():
    _, figures = arms_and_figures(
        "Patients received hydroxyurea 1.5 g/day (64 patients) or interferon alfa 5 MU/m2 daily (58 patients). "
        "A complete cytogenetic response was seen in 2 of 64 patients given hydroxyurea and in 15 of 58 given interferon."
    )
    assert {f[:4] for f in figures} >= {
        ("CompleteCytogeneticResponse", 2, None, 64),
        ("CompleteCytogeneticResponse", 15, None, 58),
    }


def test_whole_study_figures_stay_on_the_population():
    _, figures = arms_and_figures(
        TRIAL + "Overall, 310 of 565 patients (55%) achieved a complete cytogenetic response. "
        "MMR rates were 44% vs 22%."
    )
    assert ("CompleteCytogeneticResponse", 310, 55.0, None, None) in figures
    assert ("MajorMolecularResponse", None, 44.0, 282, None) in figures


def test_adverse_events_with_a_figure_per_arm():
    x = extract(
        "t",
        TRIAL
        + "Grade 3 or 4 neutropenia occurred in 12% of patients in the 600 mg/d arm and 20% in the 400 mg/d arm.",
    )
    arms = sorted(
        x.cohorts[a.cohort].size for a in x.adverse_events if a.term == "Neutropenia" and a.cohort is not None
    )
    assert arms[:2] == [282, 282] or set(arms) == {282, 283}
    assert {x.cohorts[a.cohort].size for a in x.adverse_events if a.cohort is not None} == {282, 283}


def test_adverse_events_only_said_to_be_more_common_in_one_arm_stay_on_the_population():
    x = extract("t", TRIAL + "Rash and headache were more common with nilotinib.")
    assert x.adverse_events and all(a.cohort is None for a in x.adverse_events)


# ------------------------------------------------------------------ time points
@pytest.mark.parametrize(
    "text,months",
    [
        ("We treated 50 patients with imatinib. The cumulative rate of CCyR at 18 months was 82%.", 18),
        ("We treated 50 patients with imatinib. At 2 years, 41 patients (82%) were in CCyR.", 24),
        ("We treated 50 patients with imatinib. The 5-year overall survival was 89%.", 60),
        (
            "We treated 50 patients with imatinib. CCyR was achieved by 41 patients (82%) after 6 months of therapy.",
            6,
        ),
        (
            "We treated 50 patients with imatinib. After 12 weeks, 41 patients (82%) had a complete hematologic response.",
            2.76,
        ),
    ],
)
def test_time_point(text, months):
    x = extract("t", text)
    assert [o.time_months for o in x.outcomes] == [pytest.approx(months, abs=0.01)]


@pytest.mark.parametrize(
    "text",
    [
        "We treated 50 patients with imatinib. After a median follow-up of 24 months, 41 patients (82%) were in CCyR.",
        "We treated 50 patients with imatinib. With a median observation time of 30 months, CCyR was 82%.",
        "We treated 50 patients with imatinib. CCyR was achieved by 41 patients (82%) within 6 to 12 months.",
        "We treated 50 patients with imatinib for 24 months. Forty-one patients (82%) achieved CCyR.",
    ],
)
def test_follow_up_and_durations_are_not_time_points(text):
    x = extract("t", text)
    assert [o.time_months for o in x.outcomes] == [None]


def test_time_points_distributed_over_figures():
    x = extract(
        "t",
        "We treated 50 patients with imatinib. MMR rates at 6, 12 and 24 months were 20%, 45% and 60%, respectively.",
    )
    assert sorted((o.percent, o.time_months) for o in x.outcomes) == [(20.0, 6.0), (45.0, 12.0), (60.0, 24.0)]


def test_the_evaluable_count_a_sentence_refers_to_is_the_denominator():
    x = extract(
        "t",
        "We enrolled 60 patients; 50 were evaluable for response. Among evaluable patients, 40 achieved CCyR "
        "and 12 patients died.",
    )
    assert {(o.term, o.count, o.denominator) for o in x.outcomes} >= {("CompleteCytogeneticResponse", 40, 50)}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The CCyR rate at 6 months was 50%, and 70% at 12 months.", [(None, 50.0, 6.0), (None, 70.0, 12.0)]),
        # a list of time points for one count of two patients is not a time point; the next figure's own is
        (
            "Responses were 2 CCyR after 6 and 18 months and 1 MMR after 12 months.",
            [(2, None, None), (1, None, 12.0)],
        ),
        # a time in a parenthesis about some of the patients is not the figure's
        (
            "Three patients (1 resistant and 1 after 8 months of therapy) progressed to blast crisis.",
            [(3, None, None)],
        ),
    ],
)
def test_time_point_of_each_figure(text, expected):
    x = extract("t", "We treated 50 patients with imatinib. " + text)
    assert [(o.count, o.percent, o.time_months) for o in x.outcomes if not o.aggregate_of] == expected


def test_three_labelled_arms_and_figures_named_by_label():
    x = extract(
        "t",
        "Patients were randomized to three arms: imatinib 400 mg/day (arm A, n = 110), imatinib 800 mg/day "
        "(arm B, n = 105) and imatinib plus interferon alfa (arm C, n = 108). At 12 months, MMR rates were "
        "35%, 45% and 40% in arms A, B and C, respectively.",
    )
    arms = {c.size: c for c in x.cohorts if c.treatments}
    assert {(t.term, d.value) for t in arms[110].treatments for d in t.doses} == {("Imatinib", 400.0)}
    assert {t.term for t in arms[108].treatments} == {"Imatinib", "InterferonAlfa"}
    assert {(o.percent, x.cohorts[o.cohort].size, o.time_months) for o in x.outcomes} == {
        (35.0, 110, 12.0),
        (45.0, 105, 12.0),
        (40.0, 108, 12.0),
    }


def test_figures_named_by_group_after_each():
    x = extract(
        "t",
        "Two hundred patients with CML were randomly assigned to interferon alfa (n = 100) or hydroxyurea "
        "(n = 100). Complete hematologic remission was achieved in 60 patients in the interferon group and "
        "in 45 patients in the hydroxyurea group.",
    )
    drug = {k: c.treatments[0].term for k, c in enumerate(x.cohorts) if c.treatments}
    assert {(o.count, drug.get(o.cohort)) for o in x.outcomes} == {
        (60, "InterferonAlfa"),
        (45, "Hydroxyurea"),
    }
