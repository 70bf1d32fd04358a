"""Issues 20 and 21 in phrasings written for these tests (none is a corpus sentence): figures in the
forms unread abstracts use, the mistakes that made wrong facts, and per-arm figures tied to the arm
their text names (and left on the population when the text does not tie them)."""

from __future__ import annotations

import pytest

from cmlkg.extract import extract


def arms_of(text: str):
    x = extract("t", text)
    arms = {k: c for k, c in enumerate(x.cohorts) if c.role == "arm"}
    pops = [c for c in x.cohorts if c.role == "population"]
    return x, arms, pops


def on_arm(x, arms, drug: str | None = None, dose: float | None = None) -> set[tuple]:
    """The figures on the arm that received ``drug`` (or ``dose``, in mg/d)."""
    for k, c in arms.items():
        drugs = {t.term for t in c.treatments}
        doses = {d.value for t in c.treatments for d in t.doses}
        if (drug is None or drug in drugs) and (dose is None or dose in doses):
            return {
                (o.term, o.count, o.percent, o.denominator, o.time_months)
                for o in x.outcomes
                if o.cohort == k
            }
    raise AssertionError(
        f"no arm with {drug} {dose}: {[(c.size, [t.term for t in c.treatments]) for c in arms.values()]}"
    )


# ------------------------------------------------------------------ precision: wrong facts that were made
@pytest.mark.parametrize(
    "text",
    [
        "Forty patients with chronic-phase CML received dasatinib 100 mg daily. Grade 3-4 thrombocytopenia was seen in 22.5% "
        "of patients and neutropenia in 12.5%.",
        "We enrolled 80 patients in chronic phase on bosutinib 500 mg/day. Diarrhea occurred in 8.75 percent of them.",
    ],
)
def test_a_percent_is_never_an_adverse_event_count(text):
    assert all(a.count is None for a in extract("t", text).adverse_events)


@pytest.mark.parametrize(
    "text,sizes",
    [
        (
            "Sixty patients with CML in chronic phase were treated with imatinib 400 mg daily. There were 34 men and 26 women "
            "(median age 51 years).",
            {60},
        ),
        (
            "A total of 95 subjects in chronic phase received nilotinib 300 mg twice daily; 50 males and 45 females.",
            {95},
        ),
    ],
)
def test_counts_of_men_and_women_are_never_cohorts(text, sizes):
    x = extract("t", text)
    assert {c.size for c in x.cohorts} == sizes
    assert (x.cohorts[0].male, x.cohorts[0].female) in ((34, 26), (50, 45), (None, None))


@pytest.mark.parametrize(
    "text",
    [
        "In all, 402 patients with CML in chronic phase were randomized to dasatinib or imatinib. Transformation to blast "
        "phase occurred in 6 patients receiving dasatinib (3.0%) and in 10 patients who were receiving imatinib (5.0%).",
        "Overall, 300 chronic-phase patients were randomly assigned to bosutinib or imatinib. Death occurred in 4 patients "
        "who were given bosutinib and in 7 patients treated with imatinib.",
    ],
)
def test_patients_counted_for_an_event_are_never_an_arm(text):
    x = extract("t", text)
    assert all(c.size is None or c.size >= 300 for c in x.cohorts)
    assert not any(c.size in (6, 10, 4, 7) for c in x.cohorts)


def test_a_count_is_never_the_denominator_of_its_own_figure():
    x = extract(
        "t",
        "Seventy patients with CML were treated with imatinib 400 mg daily. Among patients in chronic phase, "
        "19 of 25 (76.0 percent) achieved a complete hematologic response.",
    )
    assert {(o.count, o.percent, o.denominator) for o in x.outcomes} == {(19, 76.0, 25)}


# ------------------------------------------------------------------ figures in the forms unread text uses
@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "112 evaluable pts/130 (86%) were in CCyR at M12.",
            ("CompleteCytogeneticResponse", 112, 86.0, 130, 12.0),
        ),
        (
            "Thirty-three pts over 150 assessable (22%) were in deep molecular response at M18.",
            ("DeepMolecularResponse", 33, 22.0, 150, 18.0),
        ),
        (
            "By week 24, 40/60 subjects (66.7%) had reached a major molecular response.",
            ("MajorMolecularResponse", 40, 66.7, 60, 5.52),
        ),
        (
            "At month 6, 41 out of 60 patients (68.3%) achieved CCyR.",
            ("CompleteCytogeneticResponse", 41, 68.3, 60, 6.0),
        ),
    ],
)
def test_count_over_denominator_in_every_written_form(text, expected):
    x = extract("t", "We treated 160 patients with chronic-phase CML with dasatinib 100 mg daily. " + text)
    assert expected in {(o.term, o.count, o.percent, o.denominator, o.time_months) for o in x.outcomes}


@pytest.mark.parametrize(
    "text,size",
    [
        (
            "Two hundred and ten pts were screened, 190 enrolled and 185 treated with ponatinib 45 mg daily.",
            190,
        ),
        (
            "In total 75 patients were screened for eligibility, 61 were enrolled and 60 received nilotinib.",
            61,
        ),
    ],
)
def test_screened_enrolled_treated_the_population_is_the_enrolled(text, size):
    x = extract("t", text)
    assert x.cohorts[0].role == "population" and x.cohorts[0].size == size


def test_a_background_heading_with_nothing_after_it_is_one_sentence():
    x = extract(
        "t",
        "Background: An earlier study of 800 patients reported CCyR in 70%. 120 patients with CML in chronic "
        "phase received imatinib 400 mg daily, and 90 (75%) achieved CCyR.",
    )
    assert x.cohorts[0].size == 120
    assert ("CompleteCytogeneticResponse", 90, 75.0) in {(o.term, o.count, o.percent) for o in x.outcomes}


def test_a_bare_amount_is_not_a_dose_when_the_schedule_is_stated():
    x = extract(
        "t",
        "Nilotinib 300 mg versus 400 mg\n\n180 patients in chronic phase were randomized to nilotinib "
        "300 mg twice daily (n = 90) or 400 mg twice daily (n = 90).",
    )
    assert {(d.value, d.unit) for t in x.treatments for d in t.doses} == {(600.0, "mg/d"), (800.0, "mg/d")}


# ------------------------------------------------------------------ arms and their figures
def test_allocation_with_sizes_in_words_and_per_arm_groups():
    x, arms, pops = arms_of(
        "We randomly assigned 840 patients with untreated chronic-phase CML to receive dasatinib (420 patients) at a dose "
        "of 100 mg daily or imatinib (420 patients) at 400 mg daily. The rate of complete cytogenetic response at 12 "
        "months was 83.0% in the dasatinib group and 72.0% in the group given imatinib. Rates of major molecular response "
        "were 46.0% and 28.0%, respectively."
    )
    assert pops[0].size == 840 and sorted(c.size for c in arms.values()) == [420, 420]
    assert ("CompleteCytogeneticResponse", None, 83.0, None, 12.0) in on_arm(x, arms, "Dasatinib")
    assert ("CompleteCytogeneticResponse", None, 72.0, None, 12.0) in on_arm(x, arms, "Imatinib")
    assert ("MajorMolecularResponse", None, 46.0, None, None) in on_arm(x, arms, "Dasatinib")
    assert ("MajorMolecularResponse", None, 28.0, None, None) in on_arm(x, arms, "Imatinib")


def test_arm_labels_before_their_treatment_and_a_gapped_second_figure():
    x, arms, _ = arms_of(
        "Methods: 300 patients in chronic phase were randomized: patients in group 1 (n = 150) received dasatinib 50 mg "
        "daily; those in group 2 (n = 150) received 100 mg once a day. Results: At M24, in group 1, 120/150 (80%) "
        "achieved MMR; in group 2, 111/150 (74%)."
    )
    assert on_arm(x, arms, dose=50.0) == {("MajorMolecularResponse", 120, 80.0, 150, 24.0)}
    assert on_arm(x, arms, dose=100.0) == {("MajorMolecularResponse", 111, 74.0, 150, 24.0)}


def test_respectively_sizes_after_the_allocation_and_label_colon_figures():
    x, arms, _ = arms_of(
        "A total of 360 patients with CML in chronic phase were randomized 2:1 to nilotinib 300 mg twice daily or "
        "imatinib 400 mg once daily; 240 and 120 patients, respectively, were treated. CCyR at month 12: nilotinib, "
        "190 (79.2%); imatinib, 78 (65.0%)."
    )
    assert sorted(c.size for c in arms.values()) == [120, 240]
    assert ("CompleteCytogeneticResponse", 190, 79.2, None, 12.0) in on_arm(x, arms, "Nilotinib")
    assert ("CompleteCytogeneticResponse", 78, 65.0, None, 12.0) in on_arm(x, arms, "Imatinib")


def test_time_series_per_arm_with_the_second_arm_gapped():
    x, arms, _ = arms_of(
        "In this trial, 250 subjects with chronic-phase CML received ponatinib 30 mg per day (n = 125) or nilotinib "
        "300 mg twice daily (n = 125). In the ponatinib arm, MMR was obtained by 38% at 6 months and 61% at 12 months; in "
        "the nilotinib arm, by 25% and 47%, respectively."
    )
    assert on_arm(x, arms, "Ponatinib") == {
        ("MajorMolecularResponse", None, 38.0, None, 6.0),
        ("MajorMolecularResponse", None, 61.0, None, 12.0),
    }
    assert on_arm(x, arms, "Nilotinib") == {
        ("MajorMolecularResponse", None, 25.0, None, 6.0),
        ("MajorMolecularResponse", None, 47.0, None, 12.0),
    }


def test_three_dose_arms_and_a_dose_phrase_names_the_arm_it_states():
    x, arms, _ = arms_of(
        "A total of 300 patients with CML in chronic phase were randomly assigned to dasatinib 70 mg BID (n = 100), "
        "60 mg/day (n = 100), or 50 mg twice daily (n = 100). At 24 months, MMR rates were 51%, 58% and 46 percent with "
        "dasatinib 70 mg twice daily, dasatinib 60 mg and dasatinib 50 mg twice daily, respectively."
    )
    assert on_arm(x, arms, dose=140.0) == {("MajorMolecularResponse", None, 51.0, None, 24.0)}
    assert on_arm(x, arms, dose=60.0) == {("MajorMolecularResponse", None, 58.0, None, 24.0)}
    assert on_arm(x, arms, dose=100.0) == {("MajorMolecularResponse", None, 46.0, None, 24.0)}


def test_a_list_that_does_not_pair_with_the_arms_stays_on_the_population():
    x, arms, _ = arms_of(
        "A total of 200 patients in chronic phase were randomized to imatinib 400 mg daily (n = 100) or imatinib 800 mg "
        "daily (n = 100). CCyR, MMR and MR4.5 rates were 70%, 50% and 20%, respectively."
    )
    assert all(o.cohort is None for o in x.outcomes)


def test_arm_comparison_query_returns_both_dose_arms_of_the_400_vs_800_trial(dev_build):
    import csv
    import io

    from conftest import run_cli

    rows = list(
        csv.DictReader(
            io.StringIO(
                run_cli(
                    "query", "queries/arm_comparison.rq", "--build-dir", dev_build, "--format", "csv"
                ).stdout
            )
        )
    )
    mmr = {
        (r["arm_size"], r["dose"], r["percent"])
        for r in rows
        if r["source"].startswith("002_")
        and r["outcome"] == "major molecular response"
        and r["time_months"] == "12"
    }
    assert mmr == {("319", "imatinib 800 mg/d", "46"), ("157", "imatinib 400 mg/d", "40")}
    assert set(rows[0]) >= {
        "source",
        "outcome",
        "time_months",
        "arm",
        "arm_size",
        "treatment",
        "dose",
        "count",
        "percent",
        "denominator",
    }


# ------------------------------------------------------------------ later rules of this session
def test_none_of_the_group_is_zero_of_the_group_never_the_group():
    x = extract(
        "t",
        "Eighty patients in chronic phase received dasatinib 100 mg daily. None of the 80 patients had "
        "transformation to blast phase by 36 months.",
    )
    assert {(o.count, o.denominator) for o in x.outcomes} == {(0, 80)}


def test_passive_out_of_and_screened_of_whom():
    x = extract(
        "t",
        "In all, 410 pts with CML in chronic phase were screened, of whom 388 were eligible and started "
        "nilotinib 300 mg twice daily. Major molecular response was attained by 250 out of 388 patients "
        "at 24 mo.",
    )
    assert x.cohorts[0].size == 388
    assert ("MajorMolecularResponse", 250, 388, 24.0) in {
        (o.term, o.count, o.denominator, o.time_months) for o in x.outcomes
    }


def test_per_arm_colon_lists_with_a_time_point_heading_them():
    x, arms, _ = arms_of(
        "A total of 180 patients in chronic phase were randomly assigned to bosutinib 400 mg once daily (n = 90) or "
        "imatinib 400 mg daily (n = 90). Results: Responses at 18 months: CCyR: bosutinib 71%, imatinib 62%; MMR: "
        "bosutinib 55%, imatinib 41%."
    )
    assert on_arm(x, arms, "Bosutinib") == {
        ("CompleteCytogeneticResponse", None, 71.0, None, 18.0),
        ("MajorMolecularResponse", None, 55.0, None, 18.0),
    }
    assert on_arm(x, arms, "Imatinib") == {
        ("CompleteCytogeneticResponse", None, 62.0, None, 18.0),
        ("MajorMolecularResponse", None, 41.0, None, 18.0),
    }


def test_coordinated_subjects_each_on_the_arm_it_names():
    x, arms, _ = arms_of(
        "Methods: 300 patients in chronic phase were randomized to nilotinib 300 mg twice daily or imatinib 400 mg "
        "daily; 150 and 150 patients, respectively, were treated. Results: At 24 months, 71% of nilotinib-treated "
        "patients and 53% of imatinib-treated patients had reached MMR."
    )
    assert on_arm(x, arms, "Nilotinib") == {("MajorMolecularResponse", None, 71.0, None, 24.0)}
    assert on_arm(x, arms, "Imatinib") == {("MajorMolecularResponse", None, 53.0, None, 24.0)}


def test_counts_versus_with_the_arms_in_a_parenthesis():
    x, arms, _ = arms_of(
        "500 patients in chronic phase were randomized: those in arm A (n = 250) received dasatinib 100 mg daily; "
        "those in arm B (n = 250) received imatinib 400 mg daily. Deaths: n = 9 vs 14 (dasatinib vs imatinib)."
    )
    assert on_arm(x, arms, "Dasatinib") == {("Death", 9, None, None, None)}
    assert on_arm(x, arms, "Imatinib") == {("Death", 14, None, None, None)}


def test_the_number_of_a_group_is_not_a_figure_and_the_whole_is_not_an_arm():
    x, arms, pops = arms_of(
        "Ninety patients underwent allogeneic transplantation; group 1 (n = 45) received busulfan and "
        "cyclophosphamide; group 2 (n = 45) received cyclophosphamide and total body irradiation. The relapse rate "
        "was 20% in group 1 and 35% in group 2."
    )
    assert pops[0].size == 90 and sorted(c.size for c in arms.values()) == [45, 45]
    assert all(o.percent != 100.0 for o in x.outcomes)
    assert on_arm(x, arms, "Busulfan") == {("Relapse", None, 20.0, None, None)}
    assert on_arm(x, arms, "TotalBodyIrradiation") == {("Relapse", None, 35.0, None, None)}


def test_an_sd_after_a_figure_does_not_hide_the_arm_it_names():
    x, arms, _ = arms_of(
        "Eighty patients were randomized to imatinib 400 mg daily (n = 40) or imatinib 800 mg daily (n = 40). The "
        "event-free survival rates at 36 months were 61% +/- 7% (for 400 mg) and 72% +/- 6% (for 800 mg), "
        "respectively."
    )
    assert {
        o.percent
        for o in x.outcomes
        if o.cohort is not None
        and any(d.value == 400.0 for t in x.cohorts[o.cohort].treatments for d in t.doses)
    } <= {61.0}


def test_cardiac_and_cardiovascular_events_are_adverse_events():
    x = extract(
        "t",
        "We enrolled 90 patients in chronic phase on ponatinib 45 mg daily. Cardiac events occurred in 6 "
        "patients and cardiovascular events in 9.",
    )
    assert {(a.term, a.count) for a in x.adverse_events} == {("CardiacEvent", 6), ("CardiovascularEvent", 9)}


def test_high_dose_and_standard_dose_arms_and_paired_adverse_events():
    x, arms, _ = arms_of(
        "Overall, 300 patients with newly diagnosed CML in chronic phase were randomly assigned to receive nilotinib "
        "800 mg/day (n = 150) or 600 mg/day (n = 150). At 24 months the MMR rate was 61% in the high-dose arm and 55% "
        "in the standard-dose arm. Patients in the 800-mg arm had more rash (21% vs 12%)."
    )
    assert on_arm(x, arms, dose=800.0) == {("MajorMolecularResponse", None, 61.0, None, 24.0)}
    assert on_arm(x, arms, dose=600.0) == {("MajorMolecularResponse", None, 55.0, None, 24.0)}
    assert {a.cohort for a in x.adverse_events if a.term == "Rash"} == set(arms)


def test_a_respectively_list_about_other_groups_is_not_paired_with_the_arms():
    x, arms, _ = arms_of(
        "A total of 200 patients were randomized to nilotinib 300 mg twice daily (n = 100) or imatinib 400 mg daily "
        "(n = 100). CCyR rates were 70% and 60% in patients younger and older than 60 years, respectively."
    )
    assert all(o.cohort is None for o in x.outcomes)


def test_doses_per_square_meter_written_out_and_the_combination_group():
    x, arms, _ = arms_of(
        "Four hundred patients in early chronic phase were randomly assigned to receive interferon alfa (3 million "
        "units per square meter daily) plus cytarabine (10 mg per square meter daily) (200 patients) or interferon "
        "alfa alone (200 patients). The 5-year survival rate was 70 percent in the combination group and 62 percent "
        "in the interferon-alone group."
    )
    doses = {(t.term, d.value, d.unit) for t in x.treatments for d in t.doses}
    assert doses == {("InterferonAlfa", 3.0, "MU/m2/d"), ("Cytarabine", 10.0, "mg/m2/d")}
    assert on_arm(x, arms, "Cytarabine") == {("OverallSurvival", None, 70.0, None, 60.0)}
    assert {
        o.percent for o in x.outcomes if o.cohort is not None and len(x.cohorts[o.cohort].treatments) == 1
    } == {62.0}


def test_evaluable_for_a_response_is_not_the_response_and_and_or_prior_therapy():
    x = extract(
        "t",
        "In this phase 2 study, 90 patients with CP CML previously treated with imatinib and dasatinib and/or "
        "nilotinib received ponatinib 45 mg/day. Among patients evaluable for molecular response (n = 80), "
        "30% achieved MMR.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {
        ("Imatinib", "prior"),
        ("Dasatinib", "prior"),
        ("Nilotinib", "prior"),
        ("Ponatinib", "intervention"),
    }
    assert {o.term for o in x.outcomes} == {"MajorMolecularResponse"}
    assert not any(c.role == "arm" for c in x.cohorts)


def test_a_grade_is_not_shared_into_a_new_clause():
    x = extract(
        "t",
        "A 61-year-old man with CML in chronic phase received nilotinib 300 mg twice daily. After 2 months he "
        "developed grade 3 rash and pruritus, and acute pancreatitis was diagnosed.",
    )
    assert {a.grade for a in x.adverse_events if a.term == "Pancreatitis"} == {None}


def test_drugs_compared_without_a_design_sentence_carry_only_the_events_tied_to_them():
    x = extract(
        "t",
        "Nilotinib: a review. Nilotinib has been compared with imatinib in 846 patients with newly diagnosed "
        "chronic phase CML in a phase 3 trial. The MMR rate at 12 months was 44%. Common adverse events "
        "associated with nilotinib include rash, headache and pruritus. The risk of hyperglycemia was "
        "increased with nilotinib compared with imatinib.",
    )
    arms = {k: c for k, c in enumerate(x.cohorts) if c.role == "arm"}
    assert sorted(t.term for c in arms.values() for t in c.treatments) == ["Imatinib", "Nilotinib"]
    nilotinib = next(k for k, c in arms.items() if c.treatments[0].term == "Nilotinib")
    assert {a.term for a in x.adverse_events if a.cohort == nilotinib} >= {"Rash", "Headache", "Pruritus"}
    assert all(o.cohort is None for o in x.outcomes)  # figures stay on the population


@pytest.mark.parametrize(
    "text",
    [
        "Forty patients in chronic phase received bosutinib 500 mg daily. CCyR was reached in 9.0 %, 13% and 28% of "
        "patients at 12, 24 and 48 months, respectively.",
        "Forty patients in chronic phase received bosutinib 500 mg daily. MMR was attained by 12 months by 45.5 % of them.",
    ],
)
def test_a_percent_with_a_decimal_and_a_space_is_one_percent_never_a_count_and_a_zero(text):
    x = extract("t", text)
    assert all(o.count is None and o.percent not in (0.0, None) for o in x.outcomes), [
        (o.count, o.percent) for o in x.outcomes
    ]


def test_codes_heads_labels_and_units_that_made_wrong_facts():
    x, arms, _ = arms_of(
        "A total of 300 patients in chronic phase were randomly assigned to AMN107 400 mg BID (n = 150) or STI571 "
        "400 mg daily (n = 150). CCyR at 12 months: AMN107 (80%) and STI571 (65%). Hematologic toxicity consisted of "
        "grade 3 or 4 neutropenia in 20 (13%). Sokal risk was high in arm B. Sokal risk was low in 90, intermediate "
        "in 150 and high in 60 patients."
    )
    assert {(o.count, o.percent) for o in x.outcomes} == {(None, 80.0), (None, 65.0)}  # never 107 or 571
    assert {a.term for a in x.adverse_events} == {"Neutropenia"}  # the heading is not an event
    y = extract(
        "t",
        "We treated 50 patients in chronic phase with imatinib 400 mg daily plus interferon alfa 3 MU QD.",
    )
    assert ("InterferonAlfa", 3.0, "MU/d") in {
        (t.term, d.value, d.unit) for t in y.treatments for d in t.doses
    }


def test_versus_pair_for_the_arms_named_after_it_and_prior_therapy_groups_are_not_cohorts():
    x, arms, _ = arms_of(
        "A total of 220 patients were randomly assigned to dasatinib 100 mg daily plus interferon alfa (n = 110) or "
        "dasatinib alone (n = 110). By 12 months, MMR rates were 70% versus 58% for dasatinib plus interferon alfa and "
        "dasatinib alone. 90 patients had also received hydroxyurea before enrolment."
    )
    assert on_arm(x, arms, "InterferonAlfa") == {("MajorMolecularResponse", None, 70.0, None, 12.0)}
    assert {c.size for c in x.cohorts} == {220, 110}


def test_all_of_them_time_series_after_a_colon_and_the_phase_a_progression_names():
    x = extract(
        "t",
        "We describe three patients with CML in chronic phase treated with dasatinib 100 mg daily: a 40-year-old "
        "man, a 52-year-old woman and a 67-year-old man. All of them achieved MMR at 6 months.",
    )
    assert ("MajorMolecularResponse", 3, 3) in {(o.term, o.count, o.denominator) for o in x.outcomes}
    y = extract(
        "t",
        "We treated 90 patients in chronic phase with nilotinib 300 mg twice daily. The CCyR rate at 6, 12 and "
        "24 months: 55%, 72 percent and 81%. Transformation to blast phase occurred in 2 patients.",
    )
    assert {(o.percent, o.time_months) for o in y.outcomes if o.term == "CompleteCytogeneticResponse"} == {
        (55.0, 6.0),
        (72.0, 12.0),
        (81.0, 24.0),
    }
    assert "BlastPhase" in {p.term for p in y.phases}


def test_an_outcome_in_a_relative_clause_defines_the_group_it_is_not_the_figure():
    x = extract(
        "t",
        "We treated 100 patients in chronic phase with ponatinib 45 mg daily. MCyR was achieved by 56% of "
        "patients. Responses were durable: 91% of pts who achieved MCyR were estimated to remain in MCyR at "
        "12 months.",
    )
    assert {o.percent for o in x.outcomes if o.term == "MajorCytogeneticResponse"} == {56.0}


def test_a_drug_era_is_not_a_treatment():
    x = extract(
        "t",
        "Transplantation for CML in the imatinib era. We transplanted 40 patients in chronic phase after "
        "busulfan and cyclophosphamide conditioning.",
    )
    assert "Imatinib" not in {t.term for t in x.treatments}


def test_the_contrast_names_the_first_arm_and_participles_and_parts_read_right():
    x, arms, _ = arms_of(
        "One hundred fifty patients in accelerated phase were treated with imatinib at 400 mg (n = 70) or 600 mg "
        "(n = 80) daily. Hematologic response was achieved in 80% of patients, with 50% achieving complete "
        "hematologic response. Major cytogenetic responses were seen in 25% (complete in 15%). Response rates were "
        "higher at the 600-mg dose: MCyR 30% versus 18%."
    )
    assert on_arm(x, arms, dose=600.0) == {("MajorCytogeneticResponse", None, 30.0, None, None)}
    assert on_arm(x, arms, dose=400.0) == {("MajorCytogeneticResponse", None, 18.0, None, None)}
    assert {(o.term, o.percent) for o in x.outcomes if o.cohort is None} >= {
        ("HematologicResponse", 80.0),
        ("CompleteHematologicResponse", 50.0),
        ("CompleteCytogeneticResponse", 15.0),
    }
    assert ("HematologicResponse", 50.0) not in {(o.term, o.percent) for o in x.outcomes}
    assert all(o.count != 1 for o in x.outcomes)


def test_higher_with_x_than_with_y_pairs_in_the_order_named():
    x, arms, _ = arms_of(
        "In total, 600 patients were randomly assigned to receive bosutinib 400 mg once daily (300 patients) or "
        "imatinib 400 mg once daily (300 patients). The rate of major molecular response at 12 months was higher with "
        "bosutinib than with imatinib (47% vs. 37%, P=0.02), as was the rate of complete cytogenetic response (77% vs. "
        "66%)."
    )
    assert ("MajorMolecularResponse", None, 47.0, None, 12.0) in on_arm(x, arms, "Bosutinib")
    assert ("MajorMolecularResponse", None, 37.0, None, 12.0) in on_arm(x, arms, "Imatinib")
    assert all(o.cohort is not None for o in x.outcomes if o.term == "CompleteCytogeneticResponse")
    assert {
        o.percent
        for o in x.outcomes
        if o.cohort is not None
        and o.term == "CompleteCytogeneticResponse"
        and x.cohorts[o.cohort].treatments[0].term == "Bosutinib"
    } == {77.0}


def test_a_bare_count_for_the_other_arm_after_and():
    x, arms, _ = arms_of(
        "In a randomized trial, 400 patients in chronic phase received either hydroxyurea (n = 200) or busulfan "
        "(n = 200). Blast crisis developed in 40 patients given hydroxyurea and in 61 given busulfan."
    )
    assert on_arm(x, arms, "Hydroxyurea") == {("ProgressionToBlastPhase", 40, None, None, None)}
    assert on_arm(x, arms, "Busulfan") == {("ProgressionToBlastPhase", 61, None, None, None)}


def test_patients_counted_by_what_happened_to_them_are_not_an_arm():
    x = extract(
        "t",
        "Forty children with CML in chronic phase received imatinib 340 mg/m2/day. Three patients progressed to "
        "blast crisis and two underwent allogeneic stem cell transplantation.",
    )
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 40)]


def test_a_count_caused_by_toxicity_is_not_the_event_count_and_hepatotoxicity_is_toxicity():
    x = extract(
        "t",
        "We treated 40 patients in chronic phase with imatinib 600 mg daily. Dose reductions were necessary in "
        "12 patients (30%) because of toxicity, mostly grade 2 fatigue. Two patients discontinued imatinib "
        "due to grade 3 hepatotoxicity.",
    )
    assert {(a.term, a.count) for a in x.adverse_events if a.term == "Fatigue"} == {("Fatigue", None)}
    assert ("DiscontinuationDueToToxicity", 2) in {(o.term, o.count) for o in x.outcomes}


def test_sizes_by_phase_abbreviation_are_subgroups_not_arms():
    x = extract(
        "t",
        "Thirty patients (CP, n = 20; AP, n = 6; BC, n = 4) resistant to imatinib were treated with dasatinib "
        "70 mg twice daily.",
    )
    assert [(c.role, c.size) for c in x.cohorts] == [
        ("population", 30),
        ("subgroup", 20),
        ("subgroup", 6),
        ("subgroup", 4),
    ]


def test_a_difference_between_arms_is_not_a_figure():
    x, arms, _ = arms_of(
        "Patients were randomized 2:1 to asciminib 40 mg twice daily (n = 150) or bosutinib 500 mg once daily "
        "(n = 75). The MMR rate at week 24 was 25% with asciminib and 13% with bosutinib (difference 12%; 95% CI, "
        "2-22; P = .03)."
    )
    assert {o.percent for o in x.outcomes} == {25.0, 13.0}


def test_an_arm_claimed_by_an_earlier_figure_is_not_a_later_figures_arm():
    x, arms, _ = arms_of(
        "A total of 300 patients were randomized to interferon alfa (n = 200) or conventional chemotherapy "
        "(busulfan or hydroxyurea; n = 100). A major cytogenetic response was obtained in 20% of interferon-treated "
        "patients and in 2% of chemotherapy-treated patients."
    )
    assert on_arm(x, arms, "InterferonAlfa") == {("MajorCytogeneticResponse", None, 20.0, None, None)}


# ------------------------------------------------------------------ one figure, one outcome
def outcomes_of(text: str) -> set[tuple]:
    return {(o.term, o.count, o.percent, o.denominator) for o in extract("t", text).outcomes}


def test_a_figure_that_is_a_later_outcomes_subject_is_not_an_earlier_ones():
    """'... who relapsed restarted nilotinib, and 18 of 20 (90%) regained MMR': the 18 of 20 regained
    MMR; they did not relapse. Written for this test, in two shapes."""
    got = outcomes_of(
        "Sixty patients with CML in chronic phase stopped nilotinib. Those who relapsed restarted nilotinib, "
        "and 18 of 20 (90%) regained MMR."
    )
    assert ("MajorMolecularResponse", 18, 90.0, 20) in got
    assert not any(t[0] == "Relapse" and t[1] == 18 for t in got), got
    got = outcomes_of(
        "Fifty patients with chronic-phase CML received bosutinib. Among them, 30 of 41 evaluable (73%) attained or "
        "retained CCyR and 25 (61%) achieved MMR."
    )
    assert ("CompleteCytogeneticResponse", 30, 73.0, 41) in got
    assert not any(t[0] == "CompleteCytogeneticResponse" and t[1] == 25 for t in got), got


def test_an_attempt_is_not_an_outcome_and_of_whom_counts_out_of_the_group():
    got = outcomes_of(
        "Eighty patients with chronic-phase CML were treated with imatinib. Discontinuation was attempted in 40 "
        "patients, 24 of whom (60%) remained in MMR at 12 months."
    )
    assert ("MajorMolecularResponse", 24, 60.0, 40) in got
    assert not any(t[1] == 40 for t in got), got


def test_a_pair_followed_by_a_p_value_in_a_two_arm_trial_is_one_figure_per_arm():
    text = (
        "A total of 200 patients with chronic-phase CML were randomized to nilotinib 300 mg twice daily (n=100) or "
        "imatinib 400 mg daily (n=100). By 12 months, CCyR was reached by 80% with nilotinib and 65% with imatinib "
        "(P=0.02); MMR rates were 44% and 22% (P<0.001). Rates of progression were 1% and 4%."
    )
    x, arms, _pops = arms_of(text)
    assert ("MajorMolecularResponse", None, 44.0, None, 12) in on_arm(x, arms, "Nilotinib")
    assert ("MajorMolecularResponse", None, 22.0, None, 12) in on_arm(x, arms, "Imatinib")
    # no P value, no 'respectively', no 'versus', but the pairs before it went nilotinib-then-imatinib: so
    # does this one (test_a_bare_pair_after_a_pair_tied_in_design_order_follows_it)
    assert ("Progression", None, 1.0, None, None) in on_arm(x, arms, "Nilotinib")


def test_a_count_that_opens_the_next_clause_is_not_the_survivals():
    got = outcomes_of(
        "We followed 120 patients with chronic-phase CML on imatinib. The 5-year event-free survival was 81%, and 7 "
        "patients died (3 of progression)."
    )
    assert ("EventFreeSurvival", None, 81.0, None) in got and ("Death", 7, None, None) in got
    assert not any(t[0] == "EventFreeSurvival" and t[1] == 7 for t in got), got


def test_n_of_n_with_words_before_the_noun_is_one_figure():
    got = outcomes_of(
        "Ninety patients with chronic-phase CML received nilotinib. MMR was reached in 41 of 77 assessable "
        "adult patients (53%) at 18 months."
    )
    assert ("MajorMolecularResponse", 41, 53.0, 77) in got
    assert not any(t[1] is None and t[2] == 53.0 for t in got), got


def test_a_share_counted_for_what_it_did_is_no_cohort():
    x = extract(
        "t",
        "We analysed 210 adults with CML in chronic phase treated with dasatinib. CCyR was reached by 80%. "
        "Twenty-one patients (10%) switched to ponatinib and 12 (6%) underwent allogeneic transplantation.",
    )
    assert [c.size for c in x.cohorts] == [210], [(c.role, c.size) for c in x.cohorts]


def test_a_percent_pair_before_its_verb_is_one_figure_per_arm_at_the_phrases_time():
    text = (
        "Patients were randomized to nilotinib 300 mg twice daily (n = 140) or imatinib 400 mg daily (n = 140). "
        "Among patients without CCyR at 6 months, 42% vs 18% achieved CCyR by 24 months."
    )
    x, arms, _pops = arms_of(text)
    assert ("CompleteCytogeneticResponse", None, 42.0, None, 24) in on_arm(x, arms, "Nilotinib")
    assert ("CompleteCytogeneticResponse", None, 18.0, None, 24) in on_arm(x, arms, "Imatinib")


def test_events_counted_with_n_equals_are_the_events_counts_not_groups():
    x = extract(
        "t",
        "A total of 180 patients with CML in chronic phase received nilotinib. Adverse events led to a dose change "
        "in 40 patients (22%), mainly headache (n=15), pruritus (n=11) and elevated lipase (n=8).",
    )
    assert [c.size for c in x.cohorts] == [180], [(c.role, c.size) for c in x.cohorts]
    counts = {(a.term, a.count) for a in x.adverse_events}
    assert ("Headache", 15) in counts and ("Pruritus", 11) in counts, counts
    assert not any(count == 40 for _term, count in counts), counts


def test_respectively_over_of_patients_pairs_with_the_arms():
    """'... by 80% and 55% of patients, respectively': 'of patients' names no other groups."""
    text = (
        "Patients were randomized to radotinib 400 mg twice daily (n = 79) or imatinib 400 mg daily (n = 81). "
        "CCyR by 12 months was achieved by 80% and 55% of patients, respectively."
    )
    x, arms, _pops = arms_of(text)
    assert ("CompleteCytogeneticResponse", None, 80.0, None, 12) in on_arm(x, arms, "Radotinib") or (
        "CompleteCytogeneticResponse",
        None,
        80.0,
        None,
        12,
    ) in on_arm(x, arms, dose=800.0)


def test_the_combination_therapy_group_is_the_arm_that_combines_drugs():
    text = (
        "We randomly assigned 400 patients with chronic-phase CML to dasatinib 100 mg daily (200 patients) or "
        "interferon alfa plus cytarabine (200 patients). At 12 months, CCyR was 70% in the dasatinib group and 20% "
        "in the combination-therapy group."
    )
    x, arms, _pops = arms_of(text)
    assert ("CompleteCytogeneticResponse", None, 20.0, None, 12) in on_arm(x, arms, "Cytarabine")
    assert ("CompleteCytogeneticResponse", None, 70.0, None, 12) in on_arm(x, arms, "Dasatinib")


def test_a_population_split_by_phase_with_n_equals_keeps_its_total():
    x = extract(
        "t",
        "Between 2010 and 2015, 64 patients with CML-CP (n = 50) or AP (n = 14) resistant to dasatinib were "
        "treated with ponatinib 45 mg daily. CCyR was reached by 30 of 50 CP patients (60%).",
    )
    pops = [c.size for c in x.cohorts if c.role == "population"]
    assert pops == [64], [(c.role, c.size) for c in x.cohorts]
    assert {c.size for c in x.cohorts if c.role == "subgroup"} == {50, 14}


def test_groups_by_prior_therapy_are_subgroups_and_their_drugs_prior():
    x = extract(
        "t",
        "Ninety patients previously treated with imatinib followed by dasatinib (n = 40) or nilotinib (n = 50) "
        "received asciminib 40 mg twice daily. MMR at 12 months was 30%.",
    )
    assert {(c.role, c.size) for c in x.cohorts} == {("population", 90), ("subgroup", 40), ("subgroup", 50)}
    roles = {(t.term, t.role) for t in x.treatments}
    assert ("Dasatinib", "prior") in roles and ("Dasatinib", "intervention") not in roles, roles


def test_with_the_combination_and_counts_respectively_tie_to_the_arms():
    text = (
        "In this randomized trial, 200 patients were allocated to interferon-alpha plus cytarabine (n = 100) or "
        "interferon-alpha alone (n = 100). CCyR was observed in 30 patients (30%) with the combination and in 15 "
        "patients (15%) with interferon-alpha alone. Blast crisis developed in 9 and 14 patients, respectively."
    )
    x, arms, _pops = arms_of(text)
    combined = on_arm(x, arms, "Cytarabine")
    assert ("CompleteCytogeneticResponse", 30, 30.0, None, None) in combined
    assert ("ProgressionToBlastPhase", 9, None, None, None) in combined


def test_a_number_word_joined_to_its_unit_is_a_time_point():
    x = extract(
        "t",
        "Sixty patients received imatinib. Three-year overall survival was 88%; the long-term EFS was 70%.",
    )
    got = {(o.term, o.percent, o.time_months) for o in x.outcomes}
    assert ("OverallSurvival", 88.0, 36.0) in got and ("EventFreeSurvival", 70.0, None) in got


def test_n_equals_without_a_treatment_is_a_subgroup_not_an_arm():
    x = extract(
        "t",
        "Thirty-six patients with myeloid (n = 24) or lymphoid (n = 12) blast phase received chemotherapy with "
        "dasatinib. Complete remission was achieved in 20 patients (56%).",
    )
    assert {(c.role, c.size) for c in x.cohorts} == {("population", 36), ("subgroup", 24), ("subgroup", 12)}


def test_a_bare_pair_after_a_pair_tied_in_design_order_follows_it():
    text = (
        "Patients were randomly assigned to nilotinib 300 mg twice daily (n = 90) or imatinib 400 mg daily "
        "(n = 90). At 24 months, MMR was 70% in the nilotinib arm and 50% in the imatinib arm. CCyR rates at "
        "24 months were 85% and 75%. MR4.5 rates were 30% and 20% in patients with low and high Sokal risk."
    )
    x, arms, _pops = arms_of(text)
    assert ("CompleteCytogeneticResponse", None, 85.0, None, 24) in on_arm(x, arms, "Nilotinib")
    assert ("CompleteCytogeneticResponse", None, 75.0, None, 24) in on_arm(x, arms, "Imatinib")
    # other groups named after the pair: not the arms
    assert all(o.cohort is None for o in x.outcomes if o.term == "MR4_5")


def test_a_count_that_spans_several_grades_is_on_none_of_them():
    x = extract(
        "t",
        "Fifty patients with chronic-phase CML received bosutinib. Grade 3/4 thrombocytopenia occurred in 12 "
        "patients and grade 3 diarrhea in 5.",
    )
    got = {(a.term, a.grade, a.count) for a in x.adverse_events}
    assert ("Thrombocytopenia", 3, None) in got and ("Thrombocytopenia", 4, None) in got
    assert ("Diarrhea", 3, 5) in got


def test_an_event_count_listed_per_arm_is_not_the_populations_and_a_named_event_is_toxicity():
    x = extract(
        "t",
        "A total of 300 patients with CML in chronic phase were randomized to ponatinib 45 mg (n = 100), 30 mg "
        "(n = 100) or 15 mg (n = 100). Arterial occlusive events occurred in 6, 4 and 2 patients, respectively. "
        "Twelve patients discontinued ponatinib because of pleural effusion.",
    )
    assert not any(
        a.term == "ArterialOcclusiveEvent" and a.count == 6 and a.cohort is None for a in x.adverse_events
    )
    assert ("DiscontinuationDueToToxicity", 12) in {(o.term, o.count) for o in x.outcomes}


def test_a_bare_list_of_as_many_counts_as_arms_follows_the_arms_order():
    design = (
        "In this phase 3 trial, 450 patients were randomized to dasatinib 100 mg daily (n = 150), nilotinib "
        "300 mg twice daily (n = 150) or imatinib 400 mg daily (n = 150). "
    )
    x, arms, _pops = arms_of(design + "Deaths on study occurred in 4, 6 and 9 patients.")
    assert ("Death", 4, None, None, None) in on_arm(x, arms, "Dasatinib")
    assert ("Death", 6, None, None, None) in on_arm(x, arms, "Nilotinib")
    assert ("Death", 9, None, None, None) in on_arm(x, arms, "Imatinib")
    # the same list for other groups named after it: not the arms, and none of it on an arm
    x, arms, _pops = arms_of(
        design + "Deaths on study occurred in 4, 6 and 9 patients with low, intermediate and high Sokal risk."
    )
    assert {o.count for o in x.outcomes if o.term == "Death"} == {4, 6, 9}
    assert all(o.cohort is None for o in x.outcomes if o.term == "Death")


def test_a_drug_given_after_failure_is_the_intervention_not_prior_therapy():
    x = extract(
        "t",
        "We treated 37 patients with chronic-phase CML with bosutinib after failure of imatinib and "
        "nilotinib. Twenty-one (57%) achieved a major cytogenetic response.",
    )
    roles = {(t.term, t.role) for t in x.treatments}
    assert ("Bosutinib", "intervention") in roles and ("Bosutinib", "prior") not in roles
    assert ("Imatinib", "prior") in roles


def test_resistant_and_intolerant_counts_are_the_populations_traits_not_outcomes():
    x = extract(
        "t",
        "Ninety patients with CML-CP received dasatinib. Of these, 52 (58%) were resistant and 38 (42%) "
        "intolerant to imatinib. After 24 months, 61 of 90 patients (68%) were in complete cytogenetic "
        "response.",
    )
    assert not [o for o in x.outcomes if o.term == "NoResponse"]
    assert ("CompleteCytogeneticResponse", 61, 90) in {(o.term, o.count, o.denominator) for o in x.outcomes}
    assert {r.kind for r in x.reasons} == {"resistance", "intolerance"}


def test_a_percent_of_patients_with_its_count_in_parentheses_is_one_figure():
    x = extract(
        "t",
        "Eighty patients stopped imatinib in deep molecular response. At 24 months, molecular relapse-free "
        "survival was seen in 61.3% of patients (49 of 80).",
    )
    got = [(o.count, o.percent, o.denominator) for o in x.outcomes if o.term == "RelapseFreeSurvival"]
    assert got == [(49, 61.3, 80)]
    # 'molecular relapse' does not take 'relapse-free survival' apart, nor is '-free survival' overall
    assert not [o for o in x.outcomes if o.term in ("Relapse", "OverallSurvival")]


def test_a_survival_that_a_free_or_specific_qualifies_is_not_overall_survival():
    x = extract(
        "t",
        "We studied 120 patients on imatinib. Failure-free survival at 5 years was 81% and CML-specific "
        "survival 96%; overall survival was 90%.",
    )
    assert [(o.term, o.percent) for o in x.outcomes] == [("OverallSurvival", 90.0)]


def test_an_event_of_any_grade_keeps_its_count():
    x = extract(
        "t",
        "We treated 52 patients with bosutinib. Diarrhea of any grade occurred in 41 patients; rash of all "
        "grades was observed in 9% of patients.",
    )
    got = {(a.term, a.count) for a in x.adverse_events}
    assert ("Diarrhea", 41) in got and ("Rash", None) in got


def test_a_gapped_figure_shares_the_time_point_of_the_figure_before_it():
    x = extract(
        "t",
        "Ninety-five patients received nilotinib as first-line therapy. The 4-year progression-free survival "
        "was 92% and overall survival 95%. Event-free survival at 2 years was 88%, and 7 patients died.",
    )
    got = {(o.term, o.percent, o.count, o.time_months) for o in x.outcomes}
    assert ("ProgressionFreeSurvival", 92.0, None, 48.0) in got
    assert ("OverallSurvival", 95.0, None, 48.0) in got
    assert ("Death", None, 7, None) in got  # a figure that comes first: its own time, not the gapped one


def test_figures_in_the_two_treatment_groups_are_the_arms_in_order_but_not_two_age_groups():
    x, arms, _pops = arms_of(
        "In all, 180 patients were randomized to dasatinib 100 mg daily (n = 90) or imatinib 400 mg daily "
        "(n = 90). Major molecular response rates by 12 months were 46% and 28% in both study arms. Complete "
        "cytogenetic response rates were 77% and 66% in the two dasatinib groups. MR4 rates were 22% and "
        "12% in the two Sokal risk groups."
    )
    assert ("MajorMolecularResponse", None, 46.0, None, 12.0) in on_arm(x, arms, "Dasatinib")
    assert ("MajorMolecularResponse", None, 28.0, None, 12.0) in on_arm(x, arms, "Imatinib")
    assert all(o.cohort is None for o in x.outcomes if o.term in ("CompleteCytogeneticResponse", "MR4"))


def test_evaluable_counts_that_are_a_figures_numerator_or_denominator_are_not_the_cohorts():
    x = extract(
        "t",
        "A total of 120 patients were enrolled and treated with nilotinib. 101 evaluable pts/110 (92%) were "
        "in CCyR at M12, and 40 pts over 98 assessable (41%) were in MR4.5 at M24.",
    )
    assert x.cohorts[0].evaluable is None
    assert ("CompleteCytogeneticResponse", 101, 110) in {(o.term, o.count, o.denominator) for o in x.outcomes}
    x = extract("t", "Sixty patients received bosutinib. Efficacy (57 evaluable pts/60): CCyR at 1 year 70%.")
    assert x.cohorts[0].evaluable == 57


def test_a_group_fronted_by_the_treatment_it_started_is_the_population():
    x = extract(
        "t",
        "Of 150 patients starting nilotinib 300 mg twice daily, 41 (27%) reduced the dose to 400 mg daily. "
        "MMR at 12 months was 66%.",
    )
    assert x.cohorts and x.cohorts[0].role == "population" and x.cohorts[0].size == 150


def test_an_event_count_of_the_patients_on_one_dose_is_not_the_populations():
    x = extract(
        "t",
        "We followed 240 patients on dasatinib. Pleural effusion occurred in 17 patients receiving 140 mg "
        "daily and in 4 on 100 mg. Rash occurred in 12 patients.",
    )
    got = {(a.term, a.count) for a in x.adverse_events}
    assert ("PleuralEffusion", 17) not in got and ("Rash", 12) in got


def test_risk_groups_of_a_list_that_names_risk_once():
    x = extract(
        "t",
        "We analyzed 640 patients treated with nilotinib: 310 were low, 205 intermediate and 125 high ELTS "
        "risk. In a second cohort, Sokal risk was low in 90, intermediate in 60 and high in 30 patients.",
    )
    got = [(r.score, r.group, r.count) for r in x.risks]
    assert got[:3] == [
        ("ELTSScore", "lowRisk", 310),
        ("ELTSScore", "intermediateRisk", 205),
        ("ELTSScore", "highRisk", 125),
    ]
    assert ("SokalScore", "highRisk", 30) in got


def test_an_event_named_first_without_a_count_takes_the_count_stated_later():
    x = extract(
        "t",
        "Pleural effusion on dasatinib: a retrospective study.\nWe reviewed 210 patients treated with "
        "dasatinib. Pleural effusions (PE) were diagnosed in 38 patients (18%), grade 3 in 7.",
    )
    assert ("PleuralEffusion", None, 38) in {(a.term, a.grade, a.count) for a in x.adverse_events}


def test_an_outcome_after_which_a_group_is_defined_is_not_a_figure_of_it():
    x = extract(
        "t",
        "Ninety patients on nilotinib were switched to dasatinib. CCyR rates were higher following loss of "
        "response (61%) than following intolerance (48%). Five patients died after progression.",
    )
    assert not [o for o in x.outcomes if o.term in ("LossOfResponse", "Progression")]
    assert ("Death", 5) in {(o.term, o.count) for o in x.outcomes}


def test_a_discontinuation_with_its_cause_and_no_object_and_a_gapped_percent():
    x = extract(
        "t",
        "We treated 64 patients with nilotinib after imatinib failure. By 12 months, 41% achieved MMR and "
        "17% MR4.5. Nine patients (14%) discontinued owing to adverse events; 5 stopped for 3 months.",
    )
    got = {(o.term, o.count, o.percent) for o in x.outcomes}
    assert ("MR4_5", None, 17.0) in got and ("MajorMolecularResponse", None, 41.0) in got
    assert ("DiscontinuationDueToToxicity", 9, 14.0) in got
    assert not [o for o in x.outcomes if o.count == 5]


def test_a_heading_with_its_time_point_and_arms_in_parentheses_before_a_colon_list():
    x, arms, _pops = arms_of(
        "Overall, 240 patients were randomized to nilotinib 300 mg twice daily (n = 120) or imatinib 400 mg "
        "daily (n = 120). Responses at 24 months (imatinib vs nilotinib): MMR, 44% vs 67%; MR4, 21% vs 38%."
    )
    assert ("MajorMolecularResponse", None, 67.0, None, 24.0) in on_arm(x, arms, "Nilotinib")
    assert ("MajorMolecularResponse", None, 44.0, None, 24.0) in on_arm(x, arms, "Imatinib")
    assert ("MR4", None, 38.0, None, 24.0) in on_arm(x, arms, "Nilotinib")
