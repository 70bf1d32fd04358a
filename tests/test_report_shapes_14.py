"""Issue 20, session 14: shapes of figure statements found missing or wrong in probe sentences written in
the styles of unread reports, each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import figures

ONE_ARM = "We treated 48 adults with chronic phase CML with bosutinib 400 mg daily. "
TWO_ARMS = "Patients were randomized to bosutinib 400 mg daily (n = 60) or imatinib 400 mg daily (n = 60). "


def _by_arm(text: str) -> set[tuple]:
    x = extract("t", text)
    return {
        (
            o.term,
            o.percent,
            o.time_months,
            x.cohorts[o.cohort].treatments[0].term if o.cohort is not None else None,
        )
        for o in x.outcomes
    }


def test_a_response_in_all_of_a_counted_group_is_that_count_out_of_itself():
    assert figures(ONE_ARM + "A complete hematologic response was obtained in all 48 patients.") == {
        ("CompleteHematologicResponse", 48, None, 48, None)
    }
    assert figures(ONE_ARM + "MMR was reached in all 9 evaluable patients (100%) by 18 months.") == {
        ("MajorMolecularResponse", 9, 100.0, 9, 18.0)
    }
    # without 'all' the count says nothing of a denominator
    assert figures(ONE_ARM + "MMR was reached in 9 evaluable patients.") == {
        ("MajorMolecularResponse", 9, None, None, None)
    }


def test_all_but_n_is_no_response_only_when_no_particular_response_is_named():
    assert figures(ONE_ARM + "All but four patients responded to therapy.") == {
        ("NoResponse", 4, None, None, None)
    }
    # the four did not reach CCyR; they may well have responded otherwise
    assert figures(ONE_ARM + "All but four patients achieved a CCyR.") == set()
    assert figures(ONE_ARM + "All but 4 patients attained MMR by 12 months.") == set()


def test_an_event_its_clause_says_did_not_happen_is_no_event():
    for sentence in (
        "QTc prolongation above 500 ms was not observed.",
        "Pleural effusion was not seen in any patient.",
        "Pancreatitis has never been reported with this schedule.",
        "Grade 4 neutropenia was not documented.",
    ):
        assert extract("t", ONE_ARM + sentence).adverse_events == [], sentence
    # an event denied on one arm and counted on the other is the other arm's event
    x = extract(
        "t", TWO_ARMS + "Diarrhea was not observed with imatinib but occurred in 12 patients on bosutinib."
    )
    assert [a.term for a in x.adverse_events] == ["Diarrhea"]
    # an event denied in a later clause of its own stays denied, the first one counted
    x = extract("t", ONE_ARM + "Rash occurred in 6 patients; nausea was not observed.")
    assert [(a.term, a.count) for a in x.adverse_events] == [("Rash", 6)]


def test_a_treatment_group_or_its_drug_as_subject_of_higher_rates_takes_the_pair_compared():
    for subject in ("Bosutinib-treated patients had", "Bosutinib produced", "Patients on bosutinib had"):
        assert _by_arm(TWO_ARMS + subject + " higher rates of MMR (47% vs 37%).") == {
            ("MajorMolecularResponse", 47.0, None, "Bosutinib"),
            ("MajorMolecularResponse", 37.0, None, "Imatinib"),
        }, subject
    # no group named: whose rates are higher is not said
    assert _by_arm(TWO_ARMS + "Patients had higher rates of MMR (47% vs 37%).") == set()
    # a group of a trait is no arm
    assert _by_arm(TWO_ARMS + "Sokal low-risk patients had higher rates of MMR (47% vs 37%).") == set()


def test_a_time_point_closing_a_list_of_outcomes_with_paired_figures_holds_for_every_pair():
    found = _by_arm(
        TWO_ARMS + "Bosutinib yielded higher rates of CCyR (77% vs 66%; P = .02) and MMR (47% vs 37%; "
        "P = .01) by 12 months."
    )
    assert found == {
        ("CompleteCytogeneticResponse", 77.0, 12.0, "Bosutinib"),
        ("CompleteCytogeneticResponse", 66.0, 12.0, "Imatinib"),
        ("MajorMolecularResponse", 47.0, 12.0, "Bosutinib"),
        ("MajorMolecularResponse", 37.0, 12.0, "Imatinib"),
    }
    # an item with its own time point keeps it
    found = _by_arm(
        TWO_ARMS + "Bosutinib yielded higher rates of CCyR at 6 months (57% vs 46%) and MMR (47% vs 37%) by "
        "12 months."
    )
    assert ("CompleteCytogeneticResponse", 57.0, 6.0, "Bosutinib") in found
    assert ("MajorMolecularResponse", 37.0, 12.0, "Imatinib") in found


LABELLED_ARMS = (
    "Patients were randomized to imatinib 400 mg/day (arm A, n = 55) or imatinib 800 mg/day (arm B, n = 55). "
)


def _counts_by_cohort(text: str) -> set[tuple]:
    x = extract("t", text)
    return {
        (o.term, o.count, x.cohorts[o.cohort].size if o.cohort is not None else None, o.cohort)
        for o in x.outcomes
    }


def test_counts_after_a_colon_each_with_its_arm_in_parentheses_are_each_arm_s():
    for sep in (" and ", ", "):
        x = extract("t", LABELLED_ARMS + f"Progression to AP/BP: 4 pts (arm A){sep}1 pt (arm B).")
        arms = {o.count: x.cohorts[o.cohort].description for o in x.outcomes}
        assert {n: "arm A" in d for n, d in arms.items()} == {4: True, 1: False}, sep
        assert "arm B" in arms[1]
    x = extract(
        "t", TWO_ARMS + "Transformation to blast phase: 4 patients (bosutinib) and 1 patient (imatinib)."
    )
    assert {(o.count, x.cohorts[o.cohort].treatments[0].term) for o in x.outcomes} == {
        (4, "Bosutinib"),
        (1, "Imatinib"),
    }


def test_a_time_point_fronted_without_its_comma_holds_across_the_sentence_s_clauses():
    found = figures(ONE_ARM + "At 12 months the CCyR rate was 66%; the MMR rate was 41%.")
    assert found == {
        ("CompleteCytogeneticResponse", None, 66.0, None, 12.0),
        ("MajorMolecularResponse", None, 41.0, None, 12.0),
    }
    # a later clause with its own time point keeps its own
    found = figures(ONE_ARM + "At 12 months the CCyR rate was 66%; at 24 months the MMR rate was 58%.")
    assert ("MajorMolecularResponse", None, 58.0, None, 24.0) in found


def test_events_listed_name_first_with_their_counts_after_take_their_own_never_the_one_before():
    for listed in (
        "Non-hematologic toxicities: rash 12 pts, headache 9 pts, myalgia 7 pts.",
        "Non-hematologic toxicities: rash 12 patients (25%), headache 9 patients (19%) and myalgia 7 patients (15%).",
        "Toxicities included rash in 12 pts, headache in 9 pts and myalgia in 7 pts.",
    ):
        x = extract("t", ONE_ARM + listed)
        assert {(a.term, a.count) for a in x.adverse_events} == {
            ("Rash", 12),
            ("Headache", 9),
            ("Myalgia", 7),
        }, listed


def test_reasons_counted_for_what_patients_did_are_no_subgroups():
    for sentence in (
        "Nine patients (19%) switched to nilotinib because of resistance (n = 7) or intolerance (n = 2).",
        "Nine patients stopped bosutinib due to progression (n = 7) or toxicity (n = 2).",
    ):
        assert [(c.role, c.size) for c in extract("t", ONE_ARM + sentence).cohorts] == [("population", 48)]
    # a baseline trait sized in the design stays a subgroup
    sizes = [
        c.size
        for c in extract(
            "t",
            "We treated 48 patients with bosutinib after imatinib resistance "
            "(n = 30) or intolerance (n = 18).",
        ).cohorts
    ]
    assert sizes == [48, 30, 18]


def test_figures_followed_by_every_arm_by_name_closing_the_clause_are_in_that_order():
    for tail in (
        "with bosutinib and imatinib.",
        "with bosutinib and imatinib (P = .02).",
    ):
        found = _by_arm(TWO_ARMS + "Rates of MMR were 47% (95% CI, 40-54) and 37% (95% CI, 30-44) " + tail)
        assert found == {
            ("MajorMolecularResponse", 47.0, None, "Bosutinib"),
            ("MajorMolecularResponse", 37.0, None, "Imatinib"),
        }, tail
    # other groups, named by what they had before, are no arms
    found = _by_arm(
        TWO_ARMS + "Rates of MMR were 47% and 37% in patients pretreated with bosutinib and imatinib."
    )
    assert {arm for *_, arm in found} == {None}


def test_another_arm_s_clause_of_figures_only_takes_the_time_points_of_the_figures_it_stands_for():
    found = _by_arm(
        TWO_ARMS + "In the bosutinib arm, the 5-year PFS and OS rates were 88% and 94%; in the imatinib arm, "
        "87% and 92%."
    )
    assert found == {
        ("ProgressionFreeSurvival", 88.0, 60.0, "Bosutinib"),
        ("OverallSurvival", 94.0, 60.0, "Bosutinib"),
        ("ProgressionFreeSurvival", 87.0, 60.0, "Imatinib"),
        ("OverallSurvival", 92.0, 60.0, "Imatinib"),
    }
    # a clause with its own time point keeps it, and only it
    found = _by_arm(
        TWO_ARMS + "In the bosutinib arm, MMR at 12 months was 47%; in the imatinib arm, 31% at 18 months."
    )
    assert found == {
        ("MajorMolecularResponse", 47.0, 12.0, "Bosutinib"),
        ("MajorMolecularResponse", 31.0, 18.0, "Imatinib"),
    }


def test_a_figure_after_a_colon_takes_the_time_point_right_after_it():
    assert figures(ONE_ARM + "Cumulative incidence of MR4.5: 29% at 3 years, 44% at 5 years.") == {
        ("MR4_5", None, 29.0, None, 36.0),
        ("MR4_5", None, 44.0, None, 60.0),
    }


def test_a_rate_defined_in_parentheses_by_the_responses_it_sums_is_the_rate_of_the_one_defined():
    assert figures(ONE_ARM + "The MCyR rate (CCyR + PCyR) was 81% at 6 months.") == {
        ("MajorCytogeneticResponse", None, 81.0, None, 6.0)
    }


def test_a_trial_as_subject_of_its_allocation_verb_sizes_the_population():
    text = (
        "This phase 3 trial randomly assigned 487 patients with newly diagnosed CP-CML to bosutinib 400 mg "
        "once daily (n = 244) or imatinib 400 mg once daily (n = 243)."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [
        ("population", 487),
        ("arm", 244),
        ("arm", 243),
    ]


def test_a_size_stated_per_arm_sizes_every_arm():
    for text in (
        "Of 300 patients screened, 250 were randomized (125 per arm) to receive bosutinib or imatinib.",
        "In all, 250 patients were randomized to bosutinib or imatinib, 125 in each arm.",
    ):
        assert [(c.role, c.size) for c in extract("t", text).cohorts] == [
            ("population", 250),
            ("arm", 125),
            ("arm", 125),
        ], text


def _grades(text: str) -> set[tuple]:
    return {(a.term, a.grade) for a in extract("t", ONE_ARM + text).adverse_events}


def test_grades_are_shared_by_events_listed_with_the_verb_elided():
    assert _grades(
        "Grade 3/4 anemia occurred in 11.2% of patients, neutropenia in 6.1% and rash in 2.0%."
    ) == {
        ("Anemia", 3),
        ("Anemia", 4),
        ("Neutropenia", 3),
        ("Neutropenia", 4),
        ("Rash", 3),
        ("Rash", 4),
    }
    # a new clause with its own verb has its own grades (none said)
    assert ("Rash", None) in _grades(
        "Grade 3/4 anemia occurred in 11.2% of patients, and rash was reported in 4%."
    )


def test_grades_after_a_heading_s_noun_hold_for_the_events_it_lists():
    assert _grades("Hematologic toxicity grade ≥3: neutropenia 17%, thrombocytopenia 11%.") >= {
        ("Neutropenia", 3),
        ("Neutropenia", 4),
        ("Thrombocytopenia", 3),
        ("Thrombocytopenia", 4),
    }


def test_a_figure_headed_by_a_label_we_do_not_know_is_not_the_figure_before_s_outcome():
    assert figures(ONE_ARM + "The hematologic response rate was 63% (CHR 42%, PHR 21%).") == {
        ("HematologicResponse", None, 63.0, None, None),
        ("CompleteHematologicResponse", None, 42.0, None, None),
    }


def test_results_in_n_patients_in_a_title_sizes_the_population():
    text = (
        "Allogeneic transplantation for CML in chronic phase: results in 131 patients conditioned with "
        "busulfan and cyclophosphamide. The 5-year survival was 70%."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts][:1] == [("population", 131)]


def test_a_count_out_of_a_group_in_a_phase_is_the_count_of_the_outcome_after():
    for subject in ("Seven of the 11 patients (64%) in AP", "Seven of 11 patients in accelerated phase"):
        found = figures(ONE_ARM + subject + " achieved MaHR.")
        assert {(t, n, den) for t, n, _p, den, _m in found} == {("MajorHematologicResponse", 7, 11)}, subject
    # a group of the design in a phase, 'with' its trait, counts no outcome
    text = (
        "Eighty-four patients in chronic phase with a suboptimal response on imatinib had the dose increased. "
        "After dose escalation, 36 of 84 (43%) attained CCyR."
    )
    assert {t for t, *_ in figures(text)} == {"CompleteCytogeneticResponse"}


THREE_ARMS = (
    "Patients (n = 600) were randomized to nilotinib 300 mg twice daily (n = 200), nilotinib 400 mg twice daily "
    "(n = 200) or imatinib 400 mg once daily (n = 200). "
)


def test_an_event_s_bare_list_of_as_many_figures_as_three_or_more_arms_is_one_per_arm_in_order():
    x = extract(
        "t", THREE_ARMS + "Rash occurred in 31%, 36% and 11% of patients; headache in 14%, 21% and 10%."
    )
    by_arm = {
        (a.term, x.cohorts[a.cohort].size, x.cohorts.index(x.cohorts[a.cohort])) for a in x.adverse_events
    }
    assert by_arm == {(t, 200, k) for t in ("Rash", "Headache") for k in (1, 2, 3)}
    x = extract(
        "t", THREE_ARMS + "Arterial occlusive events occurred in 9 (4.5%), 6 (3.0%) and 2 (1.0%) patients."
    )
    assert sorted((a.cohort, a.count) for a in x.adverse_events) == [(1, 9), (2, 6), (3, 2)]
    # as many figures as some of the arms only: no arm
    x = extract("t", THREE_ARMS + "Rash occurred in 31% and 11% of patients.")
    assert [a.cohort for a in x.adverse_events] == [None]


def test_counts_listed_each_with_its_group_the_noun_left_out_are_each_group_s():
    x = extract(
        "t",
        THREE_ARMS
        + "Progression to AP/BC occurred in 2 patients on nilotinib 300 mg, 4 on nilotinib 400 mg and "
        "11 on imatinib.",
    )
    assert sorted((o.cohort, o.count) for o in x.outcomes) == [(1, 2), (2, 4), (3, 11)]


def test_the_first_or_second_year_as_a_span_is_its_end_as_a_time_point():
    assert figures(ONE_ARM + "During the first year, 25 patients (52%) achieved CCyR.") == {
        ("CompleteCytogeneticResponse", 25, 52.0, None, 12.0)
    }
    assert figures(ONE_ARM + "Within the second year, 60% of patients had MMR.") == {
        ("MajorMolecularResponse", None, 60.0, None, 24.0)
    }


def test_a_raised_laboratory_value_is_read_in_each_way_of_writing_it():
    for sentence in (
        "Increased ALT occurred in 9 patients.",
        "ALT increase occurred in 9 patients.",
        "Raised AST occurred in 9 patients.",
        "AST elevations occurred in 9 patients.",
    ):
        x = extract("t", ONE_ARM + sentence)
        assert [(a.term, a.count) for a in x.adverse_events] == [("TransaminaseIncreased", 9)], sentence


def test_figures_before_their_outcome_whose_subject_names_the_arms_in_order_are_theirs():
    for subject, order in (
        ("of patients on bosutinib and imatinib", ("Bosutinib", "Imatinib")),
        ("of patients in the imatinib and bosutinib arms", ("Imatinib", "Bosutinib")),
    ):
        found = _by_arm(TWO_ARMS + f"At 12 months, 74% and 63% {subject} had CCyR.")
        assert found == {
            ("CompleteCytogeneticResponse", 74.0, 12.0, order[0]),
            ("CompleteCytogeneticResponse", 63.0, 12.0, order[1]),
        }, subject
    # groups of a trait named there are no arms
    found = _by_arm(
        TWO_ARMS + "At 12 months, 74% and 63% of patients with low and high Sokal scores had CCyR."
    )
    assert {arm for *_, arm in found} == {None}


def test_a_count_out_of_patients_without_the_response_at_baseline_is_the_response_s():
    text = ONE_ARM + "By 12 months, 21 of 38 patients without CCyR at baseline (55%) achieved CCyR."
    assert figures(text) == {("CompleteCytogeneticResponse", 21, 55.0, 38, 12.0)}


def test_historical_data_and_a_results_heading_are_not_this_study_s_figures_or_groups():
    text = (
        "METHODS: Sixty patients with CP-CML and suboptimal response to imatinib were switched to nilotinib. "
        "RESULTS: By 12 months, 21 of 38 patients without CCyR at baseline (55%) achieved CCyR. Historical data "
        "showed MMR in 20% of patients continuing imatinib."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 60)]
    assert [o.term for o in x.outcomes] == ["CompleteCytogeneticResponse"]


def test_stopping_the_second_tki_is_a_discontinuation():
    text = "We treated 120 patients with dasatinib. Thirty-one patients (26%) discontinued the second TKI."
    assert figures(text) == {("TreatmentDiscontinuation", 31, 26.0, None, None)}


def test_a_level_written_as_the_ratio_to_the_control_gene_names_its_response():
    assert figures(ONE_ARM + "BCR-ABL/ABL ratio <0.1% was reached by 24 patients (50%).") == {
        ("MajorMolecularResponse", 24, 50.0, None, None)
    }
    assert figures(ONE_ARM + "BCR-ABL1/ABL1 ≤10% at M3 was obtained in 40/46 evaluable pts (87%).") == {
        ("EarlyMolecularResponse", 40, 87.0, 46, 3.0)
    }


def test_counts_listed_after_a_colon_are_out_of_the_group_the_colon_lists():
    text = ONE_ARM + (
        "Of 40 patients who lost MMR, 38 were retreated: 35 (92%) regained MMR and 30 (79%) regained MR4."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", 35, 92.0, 38, None),
        ("MR4", 30, 79.0, 38, None),
    }


def test_patients_later_moved_to_another_drug_for_what_happened_are_no_arm():
    for verb in ("were switched to", "were treated with"):
        text = (
            f"We treated 120 patients with imatinib 400 mg daily. After 12 months, 12 patients {verb} nilotinib "
            "because of intolerance."
        )
        assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 120)], verb
    # a switching study's own patients are its population
    text = "Sixty-two patients were switched to nilotinib because of resistance to imatinib. MMR was achieved by 20."
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 62)]


def test_drugs_named_as_what_the_prior_therapies_included_are_prior():
    x = extract(
        "t", "Twenty patients pretreated with two or more TKIs, including nilotinib, received asciminib."
    )
    assert {(t.term, t.role) for t in x.treatments} == {("Nilotinib", "prior"), ("Asciminib", "intervention")}


def test_an_abstract_translated_from_spanish_keeps_its_abbreviations_and_articles():
    text = (
        "Retrospective study of 48 patients with LMC in chronic phase treated with imatinib 400mg/day. Median of "
        "age was 56 years (rank 22-84). The 89,6% of patients reached RCyC at 12 months and the 68,7% RMM at 18 "
        "months."
    )
    x = extract("t", text)
    assert x.condition == "ChronicMyeloidLeukemia"
    assert (x.cohorts[0].age_value, x.cohorts[0].age_min, x.cohorts[0].age_max) == (56.0, 22.0, 84.0)
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 89.6, None, 12.0),
        ("MajorMolecularResponse", None, 68.7, None, 18.0),
    }


def test_figures_of_another_phase_are_read_in_their_own_clause_and_beside_their_counts():
    assert figures(ONE_ARM + "In CP, CHR and CCyR rates were 91% and 48%; in AP, 44% and 21%.") == {
        ("CompleteHematologicResponse", None, 91.0, None, None),
        ("CompleteCytogeneticResponse", None, 48.0, None, None),
        ("CompleteHematologicResponse", None, 44.0, None, None),
        ("CompleteCytogeneticResponse", None, 21.0, None, None),
    }
    for listed in (
        "in 33 of 40 (83%) CP patients and 9 of 20 (45%) AP patients",
        "in 33/40 (83%) CP and 9/20 (45%) AP patients",
    ):
        found = figures(ONE_ARM + f"Hematologic responses were observed {listed}.")
        assert found == {
            ("HematologicResponse", 33, 83.0, 40, None),
            ("HematologicResponse", 9, 45.0, 20, None),
        }, listed


def test_an_event_with_each_arm_s_figure_after_its_name_in_parentheses_is_each_arm_s():
    x = extract("t", TWO_ARMS + "Grade 3/4 neutropenia (bosutinib 7% vs imatinib 12%) was uncommon.")
    arms = {
        (a.grade, x.cohorts[a.cohort].treatments[0].term) for a in x.adverse_events if a.cohort is not None
    }
    assert arms == {(g, d) for g in (3, 4) for d in ("Bosutinib", "Imatinib")}


def test_a_kind_of_response_the_ontology_does_not_name_takes_its_own_figures():
    text = ONE_ARM + (
        "Complete hematologic remission was achieved in 30 patients (63%) and partial hematologic remission in "
        "11 (23%)."
    )
    assert figures(text) == {("CompleteHematologicResponse", 30, 63.0, None, None)}


def test_the_evaluable_patients_treated_are_the_population_where_no_other_is_enrolled():
    text = (
        "Between 1986 and 1990, 102 evaluable patients with CML in chronic phase were treated with interferon "
        "alfa-2a. Complete hematologic remission was achieved in 61 patients (60%)."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 102)]
    text = "We enrolled 120 patients with CML in chronic phase; 102 evaluable patients were treated with imatinib."
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 120)]


def test_a_count_broken_down_by_arm_after_it_is_the_whole_s_and_each_arm_s_never_a_group():
    for tail in (
        ": 4 on bosutinib and 7 on imatinib.",
        " (4 on bosutinib and 7 on imatinib).",
        ", 4 on bosutinib and 7 on imatinib.",
    ):
        x = extract("t", TWO_ARMS + "Eleven patients died" + tail)
        arms = {o.cohort: o.count for o in x.outcomes}
        assert arms[None] == 11, tail
        assert {x.cohorts[k].treatments[0].term: n for k, n in arms.items() if k is not None} == {
            "Bosutinib": 4,
            "Imatinib": 7,
        }, tail
        assert [c.size for c in x.cohorts if c.role != "arm"] in ([None], [120]), tail
    # the figure's own denominator before its arm is no other figure
    found = _by_arm(
        TWO_ARMS + "Of the 60 pts on bosutinib, 77% achieved CCyR, vs 66% of the 60 pts on imatinib."
    )
    assert ("CompleteCytogeneticResponse", 66.0, None, "Imatinib") in found


def test_a_time_point_in_a_parenthesis_closing_a_list_of_figures_holds_for_each():
    assert figures(ONE_ARM + "Molecular responses: MMR 64%, MR4 41%, MR4.5 27% (at 24 months).") == {
        ("MajorMolecularResponse", None, 64.0, None, 24.0),
        ("MR4", None, 41.0, None, 24.0),
        ("MR4_5", None, 27.0, None, 24.0),
    }


def test_a_time_point_before_the_name_heading_a_colon_list_of_arms_holds_for_each():
    assert _by_arm(TWO_ARMS + "5-year OS: bosutinib 94%, imatinib 92%.") == {
        ("OverallSurvival", 94.0, 60.0, "Bosutinib"),
        ("OverallSurvival", 92.0, 60.0, "Imatinib"),
    }


def test_a_case_report_s_patient_is_counted_when_the_response_is_a_later_verb_of_the_clause():
    text = (
        "A 52-year-old man presented with CML in blast crisis. He received ponatinib 45 mg daily with "
        "chemotherapy and achieved CHR after 1 month and CCyR after 3 months."
    )
    assert figures(text) == {
        ("CompleteHematologicResponse", 1, None, None, 1.0),
        ("CompleteCytogeneticResponse", 1, None, None, 3.0),
    }
    text = "A 61-year-old woman with CML-CP was treated with nilotinib and achieved MMR at 12 months."
    assert figures(text) == {("MajorMolecularResponse", 1, None, None, 12.0)}
    # a series counts its patients itself: no patient of one is counted as one
    assert figures("We treated 40 patients with imatinib. He received nilotinib and achieved MMR.") == set()


def test_a_discontinuation_for_toxicity_sized_after_its_reason_is_counted():
    text = (
        "We treated 120 patients with dasatinib. Thirty-one patients (26%) discontinued dasatinib because of "
        "failure (n = 21) or toxicity (n = 10)."
    )
    assert figures(text) == {
        ("TreatmentDiscontinuation", 31, 26.0, None, None),
        ("DiscontinuationDueToToxicity", 10, None, None, None),
    }


def test_an_event_counted_overall_then_per_arm_after_a_colon_gives_each_arm_its_part_and_no_groups():
    text = (
        "We retrospectively analyzed 254 patients treated with frontline imatinib (n = 158) or nilotinib "
        "(n = 96). Arterial occlusive events occurred in 28 patients: 8 (5.1%) on imatinib and 20 (20.8%) on "
        "nilotinib."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 254), ("arm", 158), ("arm", 96)]
    assert {(x.cohorts[a.cohort].treatments[0].term, a.count) for a in x.adverse_events} == {
        ("Imatinib", 8),
        ("Nilotinib", 20),
    }


def test_an_age_range_stated_before_its_median():
    c = extract("t", "Eighty patients (age range 18-79, median 52) received imatinib.").cohorts[0]
    assert (c.age_statistic, c.age_value, c.age_min, c.age_max) == ("median", 52.0, 18.0, 79.0)


def test_grades_heading_the_events_seen_with_a_treatment_hold_for_them():
    for heading in (
        "The most frequent grade ≥3 AEs with bosutinib were",
        "The most common grade 3/4 AEs of bosutinib were",
    ):
        assert _grades(f"{heading} diarrhea (8%) and rash (4%).") == {
            ("Diarrhea", 3),
            ("Diarrhea", 4),
            ("Rash", 3),
            ("Rash", 4),
        }, heading


def test_recurrence_free_survival_and_a_time_point_after_off_therapy():
    assert figures(ONE_ARM + "Molecular recurrence-free survival at 24 months was 54% (95% CI, 45-63).") == {
        ("RelapseFreeSurvival", None, 54.0, None, 24.0)
    }
    text = ONE_ARM + "Of 40 patients who stopped bosutinib, 22 remained in MMR without therapy at 24 months."
    assert figures(text) == {("MajorMolecularResponse", 22, None, 40, 24.0)}


def test_a_transformation_named_after_its_phases_is_a_progression():
    assert figures(ONE_ARM + "AP/BP transformation occurred in 4 patients.") == {
        ("Progression", 4, None, None, None)
    }
    x = extract("t", TWO_ARMS + "AP/BP transformation: bosutinib, 2 (3%); imatinib, 5 (8%).")
    assert {(x.cohorts[o.cohort].treatments[0].term, o.count) for o in x.outcomes} == {
        ("Bosutinib", 2),
        ("Imatinib", 5),
    }


def test_figures_of_a_subgroup_by_a_trait_within_each_arm_are_no_arm_s_figures():
    found = _by_arm(
        TWO_ARMS + "Among high-risk patients, MMR at 12 months was 40% with bosutinib and 22% with imatinib."
    )
    assert {arm for *_, arm in found} == {None}
    # the arms themselves keep their figures
    found = _by_arm(
        TWO_ARMS + "Among all patients, MMR at 12 months was 47% with bosutinib and 37% with imatinib."
    )
    assert {arm for *_, arm in found} == {"Bosutinib", "Imatinib"}


def test_figures_of_a_trial_named_by_its_name_or_of_results_compared_to_are_not_this_study_s():
    text = (
        "Nilotinib in early chronic phase CML: a phase 2 study. We treated 60 patients with nilotinib. MMR at "
        "12 months was 62%, compared with 40% in the IRIS trial. These results are similar to those of ENESTnd, "
        "where MMR at 12 months was 44%."
    )
    assert figures(text) == {("MajorMolecularResponse", None, 62.0, None, 12.0)}
    # the trial the title names is this one
    text = (
        "The ENESTxyz trial: nilotinib in early chronic phase CML. We treated 60 patients with nilotinib. In the "
        "ENESTxyz trial, MMR at 12 months was 62%."
    )
    assert figures(text) == {("MajorMolecularResponse", None, 62.0, None, 12.0)}


def test_an_event_s_count_behind_its_percent_is_its_count():
    x = extract("t", ONE_ARM + "Pleural effusion occurred in 10% of patients (n = 5).")
    assert [(a.term, a.count) for a in x.adverse_events] == [("PleuralEffusion", 5)]


def test_grades_are_shared_by_a_list_of_events_counted_with_their_percents():
    text = "Grade 3-4 anemia was seen in 8 (6.7%), neutropenia in 6 (5%), and thrombocytopenia in 5 (4.2%) patients."
    found = {(a.term, a.grade, a.count) for a in extract("t", ONE_ARM + text).adverse_events}
    # (a count of two grades is on neither: a sum over grades would count it twice)
    assert found == {(t, g, None) for t in ("Anemia", "Neutropenia", "Thrombocytopenia") for g in (3, 4)}


def test_responses_the_patients_had_at_baseline_are_no_results():
    assert (
        figures(ONE_ARM + "A total of 30% of patients had a major molecular response at baseline.") == set()
    )
    assert figures(ONE_ARM + "At baseline, 16 patients (33%) were in CCyR.") == set()
    assert figures(ONE_ARM + "At 12 months, 16 patients (33%) were in CCyR.") == {
        ("CompleteCytogeneticResponse", 16, 33.0, None, 12.0)
    }


def test_a_one_word_term_in_the_plural_is_read():
    assert figures(ONE_ARM + "There were 4 progressions and 2 deaths.") == {
        ("Progression", 4, None, None, None),
        ("Death", 2, None, None, None),
    }
    assert figures(ONE_ARM + "There were no progressions.") == {("Progression", 0, None, None, None)}


def test_a_bare_count_compared_with_its_group_after_a_counted_subject_is_the_other_arm_s():
    x = extract("t", TWO_ARMS + "There were 2 progressions with bosutinib versus 5 with imatinib.")
    assert {(x.cohorts[o.cohort].treatments[0].term, o.count) for o in x.outcomes} == {
        ("Bosutinib", 2),
        ("Imatinib", 5),
    }
