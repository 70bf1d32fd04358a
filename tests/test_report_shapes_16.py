"""Issue 20, session 16: shapes of figure statements found missing or wrong in abstracts written in the
styles of unread reports (a pregnancy registry, a pre-imatinib combination trial, an expanded-access
series, ...), each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import cohorts_of, figures

ONE_ARM = "We treated 48 adults with chronic phase CML with bosutinib 400 mg daily. "
TWO_ARMS = "Patients were randomized to bosutinib 400 mg daily (n = 60) or imatinib 400 mg daily (n = 60). "
COMBINED = (
    "Patients in chronic phase were randomized to interferon alfa 5 MU/m2 daily alone (n = 100) or "
    "combined with cytarabine 20 mg/m2/d (n = 102). "
)


def _by_arm(text: str) -> set[tuple]:
    """(term, count, percent, months, the arm's drugs) of every outcome figure."""
    x = extract("t", text)
    return {
        (
            o.term,
            o.count,
            o.percent,
            o.time_months,
            tuple(sorted(t.term for t in x.cohorts[o.cohort].treatments)) if o.cohort is not None else None,
        )
        for o in x.outcomes
    }


def _events(text: str) -> set[tuple]:
    return {(a.term, a.grade, a.count) for a in extract("t", text).adverse_events}


def test_patients_counted_after_events_counted_are_the_figure():
    assert figures(ONE_ARM + "Eleven relapses occurred in 9 patients.") == {("Relapse", 9, None, None, None)}
    assert figures(ONE_ARM + "Seven relapses were seen among 6 of 40 patients.") == {
        ("Relapse", 6, None, 40, None)
    }
    # events counted alone are still their count
    assert figures(ONE_ARM + "There were 3 relapses.") == {("Relapse", 3, None, None, None)}


def test_events_a_clause_opens_with_are_still_counted():
    assert figures(ONE_ARM + "Of the 12 deaths, 8 were due to disease progression.") == {
        ("Death", 12, None, None, None)
    }


def test_the_population_is_the_patients_the_events_were_counted_in():
    text = "We collected data on 61 pregnancies in 50 women with chronic phase CML treated with imatinib. "
    assert cohorts_of(text + "Of the 40 women with MMR at conception, 12 lost MMR.")[0] == ("population", 50)


def test_a_part_counted_with_its_relative_clause_is_no_figure_of_the_outcome_before():
    text = ONE_ARM + (
        "Nine patients lost MMR during pregnancy, and 5 of 7 patients who had no MMR showed rising transcripts."
    )
    assert figures(text) == {("LossOfResponse", 9, None, None, None)}


def test_patients_moved_to_another_drug_for_failure_are_no_cohort():
    text = ONE_ARM + "Twenty-one patients were switched to ponatinib for failure or intolerance."
    assert cohorts_of(text) == [("population", 48)]
    text = ONE_ARM + "Nine patients were later changed to nilotinib for resistance."
    assert cohorts_of(text) == [("population", 48)]


def test_leaving_the_study_is_no_study_of_the_patients_counted():
    text = (
        "Imatinib was given in chronic phase CML. Intolerance led to withdrawal from the study in 6 patients."
    )
    assert not any(size == 6 for _role, size in cohorts_of(text))
    assert figures(text) == {("DiscontinuationDueToToxicity", 6, None, None, None)}


def test_the_combination_named_after_a_preposition_is_the_combined_arm():
    got = _by_arm(
        COMBINED
        + "A major cytogenetic response was seen in 22% of patients in the interferon alone arm and in "
        "38% of those receiving the combination. Survival at 3 years was 80% for the combination and 71% "
        "for interferon alone."
    )
    assert got == {
        ("MajorCytogeneticResponse", None, 22.0, None, ("InterferonAlfa",)),
        ("MajorCytogeneticResponse", None, 38.0, None, ("Cytarabine", "InterferonAlfa")),
        ("OverallSurvival", None, 80.0, 36.0, ("Cytarabine", "InterferonAlfa")),
        ("OverallSurvival", None, 71.0, 36.0, ("InterferonAlfa",)),
    }


def test_side_effects_leading_to_cessation_of_therapy_are_discontinuation_for_toxicity():
    assert figures(ONE_ARM + "Side effects led to cessation of therapy in 7 patients (15%).") == {
        ("DiscontinuationDueToToxicity", 7, 15.0, None, None)
    }
    assert figures(ONE_ARM + "Adverse events led to withdrawal in 4 patients.") == {
        ("DiscontinuationDueToToxicity", 4, None, None, None)
    }


def test_a_grade_range_is_shared_by_the_event_whose_verb_is_elided_after_patients_counted():
    got = _events(ONE_ARM + "Grade 3-4 anemia occurred in 6 patients (12%) and thrombocytopenia in 4 (8%).")
    # a count over two grades is on neither: never a count of thrombocytopenia of any grade
    assert got == {
        ("Anemia", 3, None),
        ("Anemia", 4, None),
        ("Thrombocytopenia", 3, None),
        ("Thrombocytopenia", 4, None),
    }
    got = _events(ONE_ARM + "Grade 3 anemia occurred in 6 patients and thrombocytopenia in 4 patients.")
    assert got == {("Anemia", 3, 6), ("Thrombocytopenia", 3, 4)}


def test_a_percent_subject_with_its_count_and_denominator_in_parentheses():
    assert figures(ONE_ARM + "Overall, 45% (18/40) achieved MMR by 12 months.") == {
        ("MajorMolecularResponse", 18, 45.0, 40, 12.0)
    }
    assert figures(ONE_ARM + "A total of 62.5% (25 of 40) patients attained CCyR.") == {
        ("CompleteCytogeneticResponse", 25, 62.5, 40, None)
    }
    # a count that does not agree with the percent is not taken
    assert figures(ONE_ARM + "Overall, 45% (9/40) achieved MMR.") == {
        ("MajorMolecularResponse", None, 45.0, None, None)
    }


def test_a_figure_with_only_its_own_time_point_after_an_outcome_and_its_time_point():
    assert figures(ONE_ARM + "Overall, 28% reached MMR by 6 months and 47% by 18 months.") == {
        ("MajorMolecularResponse", None, 28.0, None, 6.0),
        ("MajorMolecularResponse", None, 47.0, None, 18.0),
    }
    assert figures(ONE_ARM + "Ten patients reached MR4.5 at 12 months, and 17 at 24 months.") == {
        ("MR4_5", 10, None, None, 12.0),
        ("MR4_5", 17, None, None, 24.0),
    }
    # each figure keeps the time point after it, past the patients' noun
    assert figures(ONE_ARM + "CCyR was attained by 52% of patients at 6 months and 75% at 12 months.") == {
        ("CompleteCytogeneticResponse", None, 52.0, None, 6.0),
        ("CompleteCytogeneticResponse", None, 75.0, None, 12.0),
    }
    # a figure followed by a verb of its own is another clause's subject
    assert figures(ONE_ARM + "Overall, 28% reached MMR by 6 months and 47% by 18 months were alive.") == {
        ("MajorMolecularResponse", None, 28.0, None, 6.0)
    }


def test_response_named_for_assessment_is_no_figure_and_sizes_the_evaluable():
    x = extract("t", ONE_ARM + "Molecular response could be assessed in 40 patients.")
    assert x.outcomes == []
    assert x.cohorts[0].evaluable == 40
    assert figures(ONE_ARM + "MMR assessment was available in 41 patients.") == set()
    x = extract("t", ONE_ARM + "Response assessment was available for 44 patients.")
    assert x.cohorts[0].evaluable == 44


def test_two_figures_of_resistant_and_intolerant_patients_are_no_resistance_figures():
    for sentence in (
        "CCyR was achieved in 38% of resistant and 71% of intolerant patients.",
        "MMR was achieved by 21% of resistant patients and 55% of intolerant patients.",
    ):
        assert not any(t == "NoResponse" for t, *_ in figures(ONE_ARM + sentence)), sentence


def test_the_last_count_of_a_list_is_not_the_figure_of_them_all():
    assert figures(TWO_ARMS + "There were 14 and 9 deaths.") == set()
    assert figures(TWO_ARMS + "In all, 6 and 3 patients progressed.") == set()
    # a count of its own before its outcome still is
    assert figures(TWO_ARMS + "There were 14 deaths and 9 relapses.") == {
        ("Death", 14, None, None, None),
        ("Relapse", 9, None, None, None),
    }


def test_a_reason_names_a_drug_only_in_its_own_phrase():
    x = extract(
        "t",
        "Patients intolerant of two or more TKIs, or with T315I, were randomized to ponatinib 45 mg (n = 40) "
        "or 15 mg (n = 40).",
    )
    assert not any(r.therapy == "Ponatinib" for r in x.reasons)
    x = extract(
        "t", "We treated 21 patients resistant (n=13) or intolerant (n=8) to imatinib with nilotinib."
    )
    assert {(r.kind, r.therapy, r.count) for r in x.reasons} == {
        ("resistance", "Imatinib", 13),
        ("intolerance", "Imatinib", 8),
    }


def test_patients_whose_dose_was_raised_are_the_population_and_each_arm_gets_the_new_dose():
    x = extract(
        "t",
        "Sixty patients in chronic phase with a suboptimal response on imatinib 400 mg daily had their dose "
        "increased to 600 mg (n = 35) or 800 mg (n = 25) daily.",
    )
    assert (x.cohorts[0].role, x.cohorts[0].size) == ("population", 60)
    arms = {c.size: [(t.term, [d.value for d in t.doses]) for t in c.treatments] for c in x.cohorts[1:]}
    assert arms == {35: [("Imatinib", [600.0])], 25: [("Imatinib", [800.0])]}


def test_a_class_of_events_named_by_its_events_is_a_heading():
    x = extract(
        "t",
        ONE_ARM + "Grade 3/4 hematologic adverse events were neutropenia (40%) and thrombocytopenia (30%).",
    )
    assert {a.term for a in x.adverse_events} == {"Neutropenia", "Thrombocytopenia"}


def test_figures_for_groups_of_each_phase_with_words_between():
    got = figures(
        "We analyzed 300 adults who underwent allogeneic transplantation for CML. The 5-year overall "
        "survival was 68% for first CP, 49% for later CP/AP and 21% for BC."
    )
    assert got == {
        ("OverallSurvival", None, 68.0, None, 60.0),
        ("OverallSurvival", None, 49.0, None, 60.0),
        ("OverallSurvival", None, 21.0, None, 60.0),
    }


def test_an_arm_named_in_a_parenthesis_by_its_drug_and_its_amount():
    text = (
        "Patients were randomized to nilotinib 300 mg twice daily (n = 100), nilotinib 400 mg twice daily "
        "(n = 100) or imatinib 400 mg daily (n = 100). "
    )
    for said in ("(nilotinib 300), {b}% (nilotinib 400)", "(nilotinib 300 mg), {b}% (nilotinib 400 mg)"):
        sentence = "By 3 years, MMR rates were 71% " + said.format(b=66) + " and 52% (imatinib)."
        got = {(o.percent, o.cohort) for o in extract("t", text + sentence).outcomes}
        x = extract("t", text + sentence)
        doses = {k: x.cohorts[k].treatments[0].doses[0].value for k in range(1, 4)}
        assert {(p, doses[k]) for p, k in got} == {(71.0, 600.0), (66.0, 800.0), (52.0, 400.0)}, said


def test_rates_a_drug_produced_at_two_time_points_compared_in_pairs():
    got = _by_arm(
        TWO_ARMS + "Bosutinib produced higher MMR rates at 6 months (31.5% vs 19.0%; P = .002) and 12 months "
        "(50.2% vs 37.1%; P = .01)."
    )
    assert got == {
        ("MajorMolecularResponse", None, 31.5, 6.0, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 19.0, 6.0, ("Imatinib",)),
        ("MajorMolecularResponse", None, 50.2, 12.0, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 37.1, 12.0, ("Imatinib",)),
    }
    # the second time point shares the first's preposition: never the first's months
    got = _by_arm(
        TWO_ARMS + "MMR rates at 3 months (20% vs 9%) and 9 months (41% vs 30%) favoured bosutinib."
    )
    assert {(p, t) for _term, _n, p, t, _arm in got} == {(20.0, 3.0), (9.0, 3.0), (41.0, 9.0), (30.0, 9.0)}


def test_a_better_figure_of_a_group_of_responders_is_no_result():
    assert figures(ONE_ARM + "Patients achieving MMR at 12 months had a better EFS (91% vs 52%).") == set()
    assert figures(ONE_ARM + "Patients with an early response had superior survival (95% vs 80%).") == set()
    # a drug's rate compared with a better one is still its arm's
    assert _by_arm(TWO_ARMS + "Bosutinib produced a superior MMR rate (44% vs 30%).") == {
        ("MajorMolecularResponse", None, 44.0, None, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 30.0, None, ("Imatinib",)),
    }


def test_a_drug_the_cue_names_again_after_or_is_a_prior_therapy_too():
    x = extract(
        "t",
        "Forty patients resistant or intolerant to imatinib (n = 30) or to imatinib and dasatinib (n = 10) "
        "received bosutinib 500 mg daily.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {
        ("Imatinib", "prior"),
        ("Dasatinib", "prior"),
        ("Bosutinib", "intervention"),
    }


def test_counts_named_by_the_arm_drug_as_the_patients_word():
    got = _by_arm(TWO_ARMS + "Deaths occurred in 4 (7%) bosutinib and 6 (10%) imatinib patients.")
    assert got == {("Death", 4, 7.0, None, ("Bosutinib",)), ("Death", 6, 10.0, None, ("Imatinib",))}


def test_counts_with_their_share_after_their_treatment_group():
    got = _by_arm(
        TWO_ARMS + "Nine patients on bosutinib (15%) and 14 on imatinib (23%) discontinued treatment."
    )
    assert got == {
        ("TreatmentDiscontinuation", 9, 15.0, None, ("Bosutinib",)),
        ("TreatmentDiscontinuation", 14, 23.0, None, ("Imatinib",)),
    }
    got = _by_arm(TWO_ARMS + "Three patients on bosutinib (5%) and 7 on imatinib (12%) died.")
    assert got == {("Death", 3, 5.0, None, ("Bosutinib",)), ("Death", 7, 12.0, None, ("Imatinib",))}


def test_a_discontinuation_heading_with_its_reason_after_for():
    got = _by_arm(TWO_ARMS + "Discontinuations for drug-related AEs: bosutinib 14%, imatinib 7%.")
    assert got == {
        ("DiscontinuationDueToToxicity", None, 14.0, None, ("Bosutinib",)),
        ("DiscontinuationDueToToxicity", None, 7.0, None, ("Imatinib",)),
    }


def _events_by_arm(text: str) -> set[tuple]:
    x = extract("t", text)
    return {
        (a.term, x.cohorts[a.cohort].treatments[0].term if a.cohort is not None else None)
        for a in x.adverse_events
    }


def test_a_heading_of_events_that_names_their_arm():
    assert _events_by_arm(
        TWO_ARMS + "The most common nonhematologic AEs with bosutinib were diarrhea (70%) and nausea (35%)."
    ) == {("Diarrhea", "Bosutinib"), ("Nausea", "Bosutinib")}
    assert _events_by_arm(
        TWO_ARMS + "Adverse events in the imatinib arm included edema (30%) and rash (12%)."
    ) == {
        ("Edema", "Imatinib"),
        ("Rash", "Imatinib"),
    }


def test_an_arm_that_heads_the_next_event_is_not_the_one_before():
    got = _events_by_arm(
        TWO_ARMS + "The most common AEs with bosutinib were diarrhea (70%), and with imatinib edema (30%)."
    )
    assert ("Diarrhea", "Imatinib") not in got
    assert ("Diarrhea", "Bosutinib") in got


def test_patients_who_entered_or_went_into_an_advanced_phase_progressed():
    assert figures(
        ONE_ARM + "After a median follow-up of 28 months, 6 patients have entered blast crisis."
    ) == {("ProgressionToBlastPhase", 6, None, None, None)}
    assert figures(ONE_ARM + "Four patients went into accelerated phase.") == {
        ("ProgressionToAcceleratedPhase", 4, None, None, None)
    }
    assert cohorts_of(ONE_ARM + "Six patients entered the blast phase.") == [("population", 48)]


def test_acute_graft_versus_host_grades_are_not_chronic_ones():
    got = _events(
        "We studied 80 patients transplanted for CML in chronic phase. Grade II-IV acute GVHD occurred in "
        "30% and chronic GVHD in 41%."
    )
    assert ("ChronicGraftVersusHostDisease", None, None) in got
    assert not any(t == "ChronicGraftVersusHostDisease" and g is not None for t, g, _n in got)


def test_figures_after_versus_are_the_outcomes_listed_before_in_order():
    assert figures(
        ONE_ARM + "CCyR was obtained in 82% and MMR in 64% of younger patients, versus 70% and 47% of older "
        "patients."
    ) == {
        ("CompleteCytogeneticResponse", None, 82.0, None, None),
        ("MajorMolecularResponse", None, 64.0, None, None),
        ("CompleteCytogeneticResponse", None, 70.0, None, None),
        ("MajorMolecularResponse", None, 47.0, None, None),
    }
    # figures compared in turn stay the outcome's own
    assert figures(ONE_ARM + "CCyR was 80%, and MMR 46% vs 28% vs 20% in the three cohorts.") == {
        ("CompleteCytogeneticResponse", None, 80.0, None, None),
        ("MajorMolecularResponse", None, 46.0, None, None),
        ("MajorMolecularResponse", None, 28.0, None, None),
        ("MajorMolecularResponse", None, 20.0, None, None),
    }


def test_a_percent_that_bounds_a_measure_is_no_figure():
    text = ONE_ARM + (
        "The 5-year probability of MMR was 31% for patients with adherence of 85% or less and 92% for those "
        "with adherence above 85%. No patient with adherence above 85% lost CCyR."
    )
    assert {p for _t, _n, p, _d, _m in figures(text)} == {31.0, 92.0}
    assert figures(
        ONE_ARM + "CCyR rates were 78% with adherence over 90% and 41% with adherence below 80%."
    ) == {
        ("CompleteCytogeneticResponse", None, 78.0, None, None),
        ("CompleteCytogeneticResponse", None, 41.0, None, None),
    }
    # a share of the patients, approximately, still is
    assert figures(ONE_ARM + "More than 90% of patients achieved CHR.") == {
        ("CompleteHematologicResponse", None, 90.0, None, None)
    }


def test_a_table_row_after_an_n_comma_percent_header():
    text = (
        "Dasatinib was given to patients in accelerated phase. Responses (n, %) in 120 patients: CHR 50 (42), "
        "MCyR 40 (33), CCyR 30 (25)."
    )
    assert figures(text) == {
        ("CompleteHematologicResponse", 50, 42.0, None, None),
        ("MajorCytogeneticResponse", 40, 33.0, None, None),
        ("CompleteCytogeneticResponse", 30, 25.0, None, None),
    }
    assert cohorts_of(text) == [("population", 120)]


def test_patients_screened_for_a_mutation_are_the_patients_studied():
    text = "We screened 250 patients with imatinib failure for kinase domain mutations by direct sequencing."
    assert cohorts_of(text) == [("population", 250)]
    # screened for the study, they are not
    text = "We screened 200 patients for eligibility, and 150 were enrolled and treated with nilotinib."
    assert cohorts_of(text) == [("population", 150)]


def test_kinds_counted_after_most_frequent_are_no_groups():
    text = (
        "Among 1,200 patients treated with imatinib on trials, 50 developed second cancers. The most frequent "
        "were prostate cancer (n = 11), breast cancer (n = 8) and melanoma (n = 6)."
    )
    assert cohorts_of(text) == [("population", 1200)]


def test_a_drug_given_to_cultured_cells_is_no_treatment_of_the_donors():
    x = extract(
        "t",
        "CD34+ cells were isolated from 12 patients with CML in blast crisis and cultured with ponatinib "
        "(1-100 nM) for 72 hours. Ponatinib reduced colony formation by 85% at 50 nM.",
    )
    assert not x.is_cml_treatment


def test_arms_fronted_with_respectively_before_the_figures():
    got = _by_arm(
        TWO_ARMS
        + "For bosutinib and imatinib, respectively, the 5-year PFS was 88% and 84% and OS 93% and 91%."
    )
    assert got == {
        ("ProgressionFreeSurvival", None, 88.0, 60.0, ("Bosutinib",)),
        ("ProgressionFreeSurvival", None, 84.0, 60.0, ("Imatinib",)),
        ("OverallSurvival", None, 93.0, 60.0, ("Bosutinib",)),
        ("OverallSurvival", None, 91.0, 60.0, ("Imatinib",)),
    }


def test_an_arm_as_the_subject_of_higher_rates_after_a_fronted_time_point():
    got = _by_arm(
        TWO_ARMS
        + "At 12 months, the bosutinib arm had higher rates of CCyR (79% vs 68%) and MMR (47% vs 37%)."
    )
    assert got == {
        ("CompleteCytogeneticResponse", None, 79.0, 12.0, ("Bosutinib",)),
        ("CompleteCytogeneticResponse", None, 68.0, 12.0, ("Imatinib",)),
        ("MajorMolecularResponse", None, 47.0, 12.0, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 37.0, 12.0, ("Imatinib",)),
    }


def test_conditioning_agents_joined_by_a_hyphen_are_the_study_treatment():
    x = extract(
        "t",
        "A total of 75 patients with CML in first chronic phase underwent allogeneic HSCT after "
        "busulfan-cyclophosphamide conditioning.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {
        ("AllogeneicTransplant", "intervention"),
        ("Busulfan", "intervention"),
        ("Cyclophosphamide", "intervention"),
    }


def test_within_a_time_is_a_time_point_unless_counted_from_another_event():
    assert figures(ONE_ARM + "Overall, 80% achieved CCyR within 12 months.") == {
        ("CompleteCytogeneticResponse", None, 80.0, None, 12.0)
    }
    assert figures(ONE_ARM + "Overall, 90% regained MMR within 4 months of resuming therapy.") == {
        ("MajorMolecularResponse", None, 90.0, None, None)
    }


def test_a_time_point_after_list_items_no_figure_read():
    got = figures(
        "Ponatinib was given to patients with CML or Ph+ ALL. Major cytogenetic responses occurred in 40% "
        "of patients with CP-CML, 30% with AP-CML, and 20% with Ph+ ALL after 2 years."
    )
    assert ("MajorCytogeneticResponse", None, 30.0, None, 24.0) in got


def test_with_or_without_negates_nothing_after_it():
    x = extract("t", "Nilotinib with or without peginterferon was given to 60 patients with CML-CP.")
    assert {p.term for p in x.phases} == {"ChronicPhase"}
    assert {t.term for t in x.treatments} >= {"Nilotinib", "PeginterferonAlfa"}


def test_no_difference_denies_the_difference_not_the_drug():
    x = extract(
        "t",
        "A meta-analysis of 12 trials in 4,000 patients with CML treated with TKIs. The risk was higher with "
        "ponatinib; no significant difference was found with bosutinib (OR, 2.1; 95% CI, 0.4-11).",
    )
    assert "Bosutinib" in {t.term for t in x.treatments}


def test_a_time_point_after_a_group_noun_is_a_time_point():
    got = _by_arm(
        TWO_ARMS + "The MMR rates of the bosutinib group and imatinib group at 12 months were 47% and 37%, "
        "respectively."
    )
    assert got == {
        ("MajorMolecularResponse", None, 47.0, 12.0, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 37.0, 12.0, ("Imatinib",)),
    }


def test_a_fronted_comparator_names_the_second_figure():
    got = _by_arm(
        TWO_ARMS + "Compared with the imatinib group, the bosutinib group had a higher MMR rate at 12 months "
        "(47% vs 37%, P < 0.05)."
    )
    assert got == {
        ("MajorMolecularResponse", None, 47.0, 12.0, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 37.0, 12.0, ("Imatinib",)),
    }
    got = _by_arm(TWO_ARMS + "Compared with bosutinib, imatinib produced a lower MMR rate (37% vs 47%).")
    assert got == {
        ("MajorMolecularResponse", None, 37.0, None, ("Imatinib",)),
        ("MajorMolecularResponse", None, 47.0, None, ("Bosutinib",)),
    }


def test_ordinal_months_and_abbreviated_three_months():
    assert figures(ONE_ARM + "At the 18th month, 30 patients (63%) were in MMR.") == {
        ("MajorMolecularResponse", 30, 63.0, None, 18.0)
    }
    assert figures(ONE_ARM + "At 3 mo, 81% had BCR-ABL1 <= 10%.") == {
        ("EarlyMolecularResponse", None, 81.0, None, 3.0)
    }


def test_an_event_heading_with_its_grades_before_the_colon():
    got = _events(ONE_ARM + "Hematologic toxicity grade 3-4: neutropenia 18%, thrombocytopenia 12%.")
    assert {t for t, _g, _n in got} == {"Neutropenia", "Thrombocytopenia"}


def test_a_count_with_its_noun_left_out_after_and():
    got = _events(ONE_ARM + "Three patients had grade 4 thrombocytopenia and one had grade 3 neutropenia.")
    assert got == {("Thrombocytopenia", 4, 3), ("Neutropenia", 3, 1)}


def test_a_predicate_that_names_the_higher_arm_of_each_pair():
    got = _by_arm(
        TWO_ARMS
        + "The cumulative rates of MMR (90% vs 81%) and MR4.5 (70% vs 58%) were higher with bosutinib."
    )
    assert got == {
        ("MajorMolecularResponse", None, 90.0, None, ("Bosutinib",)),
        ("MajorMolecularResponse", None, 81.0, None, ("Imatinib",)),
        ("MR4_5", None, 70.0, None, ("Bosutinib",)),
        ("MR4_5", None, 58.0, None, ("Imatinib",)),
    }


def test_a_figure_included_in_the_one_before_has_its_time_point():
    assert figures(
        ONE_ARM + "The MCyR rate by 12 months was 60% (30/50), including CCyR in 44% (22/50)."
    ) == {
        ("MajorCytogeneticResponse", 30, 60.0, 50, 12.0),
        ("CompleteCytogeneticResponse", 22, 44.0, 50, 12.0),
    }


def test_both_patients_are_two_of_two():
    text = "We describe two women with CML in chronic phase treated with nilotinib. "
    assert figures(text + "Both patients achieved MMR within 6 months.") == {
        ("MajorMolecularResponse", 2, None, 2, 6.0)
    }
    assert figures(text + "Both of them regained MR4.5.") == {("MR4_5", 2, None, 2, None)}


def test_time_points_written_as_labels_before_their_figures():
    assert figures(ONE_ARM + "CCyR: 3 mo 30/48 (63%), 6 mo 38/48 (79%), 12 mo 42/48 (88%).") == {
        ("CompleteCytogeneticResponse", 30, 63.0, 48, 3.0),
        ("CompleteCytogeneticResponse", 38, 79.0, 48, 6.0),
        ("CompleteCytogeneticResponse", 42, 88.0, 48, 12.0),
    }
    assert figures(
        ONE_ARM + "Cumulative incidence of MMR: 12 months, 41%; 24 months, 58%; 36 months, 66%."
    ) == {
        ("MajorMolecularResponse", None, 41.0, None, 12.0),
        ("MajorMolecularResponse", None, 58.0, None, 24.0),
        ("MajorMolecularResponse", None, 66.0, None, 36.0),
    }
    assert figures(ONE_ARM + "MMR (12 mo): 41%; MR4 (24 mo): 28%.") == {
        ("MajorMolecularResponse", None, 41.0, None, 12.0),
        ("MR4", None, 28.0, None, 24.0),
    }


def test_shares_listed_before_the_outcomes_they_are_of():
    assert figures(
        ONE_ARM + "At 12 months, 42% and 75% of patients had achieved MMR and CCyR, respectively."
    ) == {
        ("MajorMolecularResponse", None, 42.0, None, 12.0),
        ("CompleteCytogeneticResponse", None, 75.0, None, 12.0),
    }
    assert figures(ONE_ARM + "At 3, 6 and 12 months, 18%, 40% and 66% of patients had achieved MMR.") == {
        ("MajorMolecularResponse", None, 18.0, None, 3.0),
        ("MajorMolecularResponse", None, 40.0, None, 6.0),
        ("MajorMolecularResponse", None, 66.0, None, 12.0),
    }


def test_counts_listed_before_the_outcomes_they_are_of():
    assert figures(
        ONE_ARM
        + "A total of 44 (92%), 30 (63%) and 20 (42%) patients achieved CHR, CCyR and MMR, respectively."
    ) == {
        ("CompleteHematologicResponse", 44, 92.0, None, None),
        ("CompleteCytogeneticResponse", 30, 63.0, None, None),
        ("MajorMolecularResponse", 20, 42.0, None, None),
    }


def test_plural_proportions_of_patients_with_outcomes_name_their_figures():
    assert figures(ONE_ARM + "The proportions of patients with CCyR and MMR were 61% and 39%.") == {
        ("CompleteCytogeneticResponse", None, 61.0, None, None),
        ("MajorMolecularResponse", None, 39.0, None, None),
    }


def test_an_approximate_share_is_still_a_figure():
    assert figures(ONE_ARM + "CHR was achieved in more than 90% at 3 months.") == {
        ("CompleteHematologicResponse", None, 90.0, None, 3.0)
    }


def test_a_part_counted_with_its_reason_after_the_whole():
    got = figures(ONE_ARM + "Bosutinib was discontinued in 9 patients, in 5 because of adverse events.")
    assert got == {
        ("TreatmentDiscontinuation", 9, None, None, None),
        ("DiscontinuationDueToToxicity", 5, None, None, None),
    }
    # a part not read leaves the whole without its reason, never the reason on the whole
    got = figures(ONE_ARM + "Bosutinib was discontinued in 9 patients, 5 of them because of adverse events.")
    assert got == {("TreatmentDiscontinuation", 9, None, None, None)}


def test_a_level_in_the_subject_of_an_enrolment():
    text = (
        "Forty patients with a BCR-ABL1 ratio >0.1% after 18 months of imatinib were switched to nilotinib."
    )
    assert cohorts_of(text) == [("population", 40)]


def test_patients_described_by_aged_and_y_o():
    x = extract("t", "A woman aged 34 years with CML in chronic phase received nilotinib and achieved MMR.")
    assert [(p.age, p.sex) for p in x.patients] == [(34.0, "female")]
    x = extract("t", "Case: a 52 y/o male with CML in chronic phase on bosutinib developed pleural effusion.")
    assert [(p.age, p.sex) for p in x.patients] == [(52.0, "male")]


def test_a_heading_that_sizes_the_patients_after_its_colon():
    text = "Imatinib was given to patients with CML in chronic phase. Patient characteristics: n=75; median age 55."
    assert cohorts_of(text) == [("population", 75)]


def test_becoming_ph_negative_is_a_complete_cytogenetic_response():
    text = "Forty patients in chronic phase received interferon alfa. "
    assert figures(text + "Nine patients became Ph-negative.") == {
        ("CompleteCytogeneticResponse", 9, None, None, None)
    }
    assert figures(text + "Six of 40 patients (15%) converted to Ph1-negative hematopoiesis.") == {
        ("CompleteCytogeneticResponse", 6, 15.0, 40, None)
    }
    # Ph-negative as the disease's kind is no response
    assert figures(text + "Patients with Ph-negative CML were excluded.") == set()


def test_the_subject_of_a_verb_coordinated_before_the_outcome():
    assert figures(ONE_ARM + "Twelve patients restarted bosutinib and regained MMR.") == {
        ("MajorMolecularResponse", 12, None, None, None)
    }


def test_patients_later_switched_to_another_drug_are_no_arm():
    text = ONE_ARM + "Eight patients were switched to dasatinib and achieved CCyR."
    assert cohorts_of(text) == [("population", 48)]
    assert figures(text) == {("CompleteCytogeneticResponse", 8, None, None, None)}


def test_a_count_written_as_n_with_its_share_in_one_parenthesis():
    got = figures(ONE_ARM + "MMR (n = 21, 44%) and MR4 (n = 14, 29%) were reached.")
    assert got == {("MajorMolecularResponse", 21, 44.0, None, None), ("MR4", 14, 29.0, None, None)}


def test_a_time_point_after_a_bracketed_interval():
    assert figures(ONE_ARM + "MMR was 56% [95% CI, 45-66] at 24 months.") == {
        ("MajorMolecularResponse", None, 56.0, None, 24.0)
    }


def test_figures_after_the_long_names_of_two_combined_arms():
    got = _by_arm(
        "789 patients with CML in chronic phase were randomized to imatinib mesylate 400 mg/day plus "
        "recombinant interferon alfa 5 MU/m2/day (n = 394) or imatinib mesylate alone (n = 395). MR3 at 18 months "
        "was more frequent with imatinib mesylate plus recombinant interferon alfa than with imatinib mesylate "
        "alone (29% vs 22%; p = 0.12)."
    )
    assert got == {
        ("MajorMolecularResponse", None, 29.0, 18.0, ("Imatinib", "InterferonAlfa")),
        ("MajorMolecularResponse", None, 22.0, 18.0, ("Imatinib",)),
    }


def test_a_dose_with_its_route_before_the_schedule():
    x = extract("t", "Forty patients with CML in chronic phase received ponatinib, 45 mg orally once daily.")
    assert [(d.value, d.unit) for t in x.treatments for d in t.doses] == [(45.0, "mg/d")]
    x = extract("t", "Forty patients with CML in chronic phase received nilotinib 400 mg orally twice daily.")
    assert [(d.value, d.unit) for t in x.treatments for d in t.doses] == [(800.0, "mg/d")]


def test_prior_therapy_in_whom_a_drug_had_failed_or_also_received():
    x = extract(
        "t", "Forty patients with CML in chronic phase in whom imatinib had failed received nilotinib."
    )
    assert {(t.term, t.role) for t in x.treatments} == {("Imatinib", "prior"), ("Nilotinib", "intervention")}
    x = extract(
        "t",
        "Forty patients with CML in chronic phase received bosutinib; all had previously received imatinib, and "
        "20 had also received dasatinib.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {
        ("Bosutinib", "intervention"),
        ("Imatinib", "prior"),
        ("Dasatinib", "prior"),
    }


def test_an_event_that_occurred_only_with_one_arm():
    got = _events_by_arm(
        TWO_ARMS
        + "Pleural effusion occurred only with bosutinib (18%), while hyperglycemia (12%) and rash (4%) "
        "occurred only with imatinib."
    )
    assert got == {("PleuralEffusion", "Bosutinib"), ("Hyperglycemia", "Imatinib"), ("Rash", "Imatinib")}
    got = _events_by_arm(TWO_ARMS + "Rash was seen with bosutinib (10%) and imatinib (12%).")
    assert got == {("Rash", "Bosutinib"), ("Rash", "Imatinib")}


def test_counts_of_other_arms_compared_after_the_outcome_and_its_time_point():
    text = (
        "Patients were randomized to arm A (imatinib 400 mg, n = 100), arm B (imatinib 800 mg, n = 100) or arm C "
        "(nilotinib 600 mg, n = 100). In arm C, 58 patients achieved MMR at 12 months, compared with 40 in arm A "
        "and 52 in arm B."
    )
    x = extract("t", text)
    got = {(o.count, o.time_months, x.cohorts[o.cohort].treatments[0].doses[0].value) for o in x.outcomes}
    assert got == {(58, 12.0, 600.0), (40, 12.0, 400.0), (52, 12.0, 800.0)}
