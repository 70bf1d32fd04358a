"""Issue 20, batch sixty-three on: shapes of figure statements found wrong or missing in abstracts written in
the styles of unread reports (third-generation TKI registration series, low-dose and generic switching
cohorts, pooled omacetaxine trials, transplant registries, TFR after second line), each tested here in
phrasings of our own."""

from __future__ import annotations

from conftest import cohorts_of, figures

ONE_ARM = "We treated 140 adults with chronic phase CML with nilotinib 300 mg twice daily. "


def test_a_count_out_of_the_group_with_its_article_keeps_count_and_denominator_apart():
    text = ONE_ARM + (
        "After two years, 97 of the 120 (80.8%) maintained CCyR. Overall, 61 out of the 88 patients (69%) "
        "achieved MMR."
    )
    assert figures(text) == {
        ("CompleteCytogeneticResponse", 97, 80.8, 120, 24.0),
        ("MajorMolecularResponse", 61, 69.0, 88, None),
    }


def test_groups_sized_side_by_side_with_no_whole_stated_are_subgroups_of_an_unsized_population():
    text = (
        "Adults with CML in chronic phase (CP; n = 57) or in accelerated phase (AP; n = 19) were given ponatinib "
        "45 mg daily. Children were stratified by Sokal risk: low (n = 20), intermediate (n = 31) and high "
        "(n = 12)."
    )
    assert cohorts_of(text) == [
        ("population", None),
        ("subgroup", 57),
        ("subgroup", 19),
        ("subgroup", 20),
        ("subgroup", 31),
        ("subgroup", 12),
    ]
    # the whole is kept when stated, even beside its parts
    whole = "Patients resistant to imatinib (N = 150; in CP, n = 110; in AP, n = 40) received ponatinib 45 mg daily."
    assert cohorts_of(whole)[0] == ("population", 150)


def test_a_pro_verb_repeats_the_outcome_for_another_time_or_another_arm():
    text = ONE_ARM + (
        "By week 24, 88 (62.9%) were still in MMR off therapy, and by week 72, 75 (53.6%) did. Two patients "
        "(1.4%) relapsed at 48 weeks and at 96 weeks 5 (3.6%)."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", 88, 62.9, None, 5.52),
        ("MajorMolecularResponse", 75, 53.6, None, 16.56),
        ("Relapse", 2, 1.4, None, 11.04),
        ("Relapse", 5, 3.6, None, 22.08),
    }
    arms = (
        "Patients were randomised to ponatinib 45 mg daily (n = 153) or imatinib 400 mg daily (n = 154). Nine "
        "patients in the ponatinib group lost MMR, while 17 did in the imatinib group."
    )
    from cmlkg.extract import extract

    x = extract("t", arms)
    assert {(o.term, o.count, x.cohorts[o.cohort].size) for o in x.outcomes} == {
        ("LossOfResponse", 9, 153),
        ("LossOfResponse", 17, 154),
    }


def test_a_bare_degree_of_response_named_as_part_of_a_response_takes_its_kind():
    text = ONE_ARM + (
        "A major cytogenetic response was attained by 52 patients (37%), including complete responses in 30 "
        "(21%). Hematologic responses were seen in 90, of which 71 complete responses. After dose "
        "escalation, 12 more patients had complete responses."
    )
    got = figures(text)
    assert ("CompleteCytogeneticResponse", 30, 21.0, None, None) in got
    assert ("CompleteHematologicResponse", 71, None, None, None) in got
    # a bare degree on its own stays what the ontology calls it
    assert ("CompleteRemission", 12, None, None, None) in got
    assert not any(t == "CompleteRemission" and c in (30, 71) for t, c, *_ in got)


def test_none_of_each_event_listed_after_there_were():
    text = ONE_ARM + "There were no disease progressions and no treatment-related deaths."
    assert figures(text) == {("Progression", 0, None, None, None), ("Death", 0, None, None, None)}


def test_the_arm_of_a_drug_alone_when_other_arms_add_drugs_to_it():
    text = (
        "Patients were randomized to nilotinib 300 mg (n = 101), nilotinib 400 mg (n = 99), nilotinib 300 mg "
        "plus interferon (n = 100) or nilotinib 300 mg plus cytarabine (n = 98). CCyR by 12 months was more "
        "frequent in the interferon arm (81%) than in the nilotinib 300 mg arm (70%)."
    )
    from cmlkg.extract import extract

    x = extract("t", text)
    got = {(o.percent, tuple(t.term for t in x.cohorts[o.cohort].treatments)) for o in x.outcomes}
    assert got == {(81.0, ("Nilotinib", "InterferonAlfa")), (70.0, ("Nilotinib",))}
    assert {x.cohorts[o.cohort].size for o in x.outcomes if o.percent == 70.0} == {101}


def test_arms_of_one_size_by_dose_alone_with_no_whole_stated():
    text = (
        "Patients resistant to two TKIs were randomized to ponatinib 45 mg (n = 60), 30 mg (n = 60) or 15 mg "
        "(n = 60) daily, with a reduction to 15 mg on response."
    )
    from cmlkg.extract import extract

    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", None)] + [("arm", 60)] * 3
    assert [[d.value for t in c.treatments for d in t.doses] for c in x.cohorts[1:]] == [
        [45.0],
        [30.0],
        [15.0],
    ]


def test_a_reason_that_led_to_stopping_is_no_figure_of_its_own():
    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily (n = 118). "
        "Lack of efficacy led to treatment discontinuation in 10.8% vs 21.2%."
    )
    assert figures(text) == set()


def test_conditions_given_with_a_hazard_ratio_are_covariates_not_adverse_events():
    from cmlkg.extract import extract

    text = ONE_ARM + (
        "Arterial occlusive events occurred in 12 patients. In a Cox model, hypertension (HR 2.9) and "
        "hyperglycemia (odds ratio 1.8) were associated with these events."
    )
    assert {(a.term, a.count) for a in extract("t", text).adverse_events} == {("ArterialOcclusiveEvent", 12)}


def test_out_of_a_fronted_group_registered_is_the_population():
    text = (
        "Out of 305 patients registered in the national database, 281 were evaluable. MMR at 12 months "
        "was achieved in 120 of 260 (46.2%)."
    )
    assert cohorts_of(text) == [("population", 305)]


def test_a_count_of_patients_with_a_trait_is_the_figure_of_what_they_reached():
    text = ONE_ARM + (
        "Seven out of 9 patients with T315I achieved MCyR. Five of 8 patients harbouring the F317L mutation "
        "(62.5%) reached MMR."
    )
    assert figures(text) == {
        ("MajorCytogeneticResponse", 7, None, 9, None),
        ("MajorMolecularResponse", 5, 62.5, 8, None),
    }


def test_patients_counted_by_a_response_for_what_happened_next_are_no_figure_of_it():
    text = (
        ONE_ARM
        + "Six patients with MMR at 24 months later lost it. Of the 70 responders, 40 in CCyR stopped therapy."
    )
    assert not any(t in ("MajorMolecularResponse", "CompleteCytogeneticResponse") for t, *_ in figures(text))


def test_a_bare_degree_listed_after_a_degree_of_one_kind_is_of_that_kind():
    text = ONE_ARM + "Complete cytogenetic response was seen in 70 (50%), partial response in 21 (15%)."
    assert figures(text) == {
        ("CompleteCytogeneticResponse", 70, 50.0, None, None),
        ("PartialCytogeneticResponse", 21, 15.0, None, None),
    }


def test_responses_named_by_their_transcript_level_and_the_level_is_never_a_figure():
    text = ONE_ARM + (
        "At 3 months, 120 patients (86%) had BCR-ABL1 transcripts ≤10%. By 24 months, 61% had BCR::ABL1IS "
        "<0.1% and 35% had BCR-ABL1 (IS) ≤0.01%."
    )
    assert figures(text) == {
        ("EarlyMolecularResponse", 120, 86.0, None, 3.0),
        ("MajorMolecularResponse", None, 61.0, None, 24.0),
        ("MR4", None, 35.0, None, 24.0),
    }
    # a level of 10% at another time names no response
    assert figures(ONE_ARM + "At 12 months, 30 patients (21%) had BCR-ABL1 ≤10%.") == set()


def test_an_arm_that_opens_another_events_clause_is_not_the_first_events_arm():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily (n = 118). "
        "Pleural effusion occurred in 22 dasatinib-treated patients (18%), and 9 imatinib-treated patients "
        "experienced muscle cramps."
    )
    x = extract("t", text)
    arms = {a.cohort and x.cohorts[a.cohort].size for a in x.adverse_events if a.term == "PleuralEffusion"}
    assert arms == {120}


def test_a_count_before_the_verb_belongs_to_the_first_reason_when_the_next_has_its_own():
    text = (
        ONE_ARM
        + "Nine patients (6%) stopped nilotinib because of toxicity, and 3 because of disease progression."
    )
    assert figures(text) == {("DiscontinuationDueToToxicity", 9, 6.0, None, None)}


def test_figures_stated_for_each_phase_are_each_read():
    text = ONE_ARM + (
        "The 2-year OS was 94% in CP and 61% in AP. Complete hematologic response rates in chronic, "
        "accelerated and blast phase were 96%, 72% and 28%, respectively."
    )
    assert figures(text) == {
        ("OverallSurvival", None, 94.0, None, 24.0),
        ("OverallSurvival", None, 61.0, None, 24.0),
        ("CompleteHematologicResponse", None, 96.0, None, None),
        ("CompleteHematologicResponse", None, 72.0, None, None),
        ("CompleteHematologicResponse", None, 28.0, None, None),
    }


def test_counts_of_each_phases_patients_coordinated_after_the_verb():
    text = ONE_ARM + "MCyR was attained by 21 of 40 AP patients (52%) and 6 of 31 BP patients (19%)."
    assert figures(text) == {
        ("MajorCytogeneticResponse", 21, 52.0, 40, None),
        ("MajorCytogeneticResponse", 6, 19.0, 31, None),
    }


def test_an_event_counted_in_a_group_named_by_its_arm():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily (n = 118). "
        "Six imatinib-treated patients developed pancreatitis, and 3 patients on dasatinib had pleural "
        "effusion."
    )
    x = extract("t", text)
    assert {(a.term, a.count, x.cohorts[a.cohort].size) for a in x.adverse_events} == {
        ("Pancreatitis", 6, 118),
        ("PleuralEffusion", 3, 120),
    }


def test_a_size_with_a_thousands_separator_and_its_noun_in_the_parenthesis():
    text = "We pooled 11 trials (n = 2,416 patients) of frontline dasatinib. The pooled MMR rate was 61%."
    assert cohorts_of(text) == [("population", 2416)]


def test_an_arm_named_after_a_figure_of_none_is_that_figures_not_the_count_before():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily (n = 118). Three "
        "deaths occurred in the comparator arm and none with dasatinib."
    )
    x = extract("t", text)
    assert [
        (o.term, o.count) for o in x.outcomes if o.cohort is not None and x.cohorts[o.cohort].size == 120
    ] == []


def test_a_share_of_patients_counted_for_an_event_after_a_total_is_no_arm():
    text = ONE_ARM + "A total of 21 patients (15%) progressed, and a total of 9 (6.4%) died."
    assert cohorts_of(text) == [("population", 140)]
    assert ("Progression", 21, 15.0, None, None) in figures(text)


def test_outcomes_joined_by_a_slash_with_their_figures_joined_the_same_way():
    text = ONE_ARM + "CCyR/MMR rates at 24 months were 88%/67%."
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 88.0, None, 24.0),
        ("MajorMolecularResponse", None, 67.0, None, 24.0),
    }


def test_a_clause_of_a_later_time_and_a_count_only_repeats_the_outcome_before():
    text = ONE_ARM + "At 6 months, 70 patients (50%) were in CCyR; at 12 months, 98 (70%)."
    assert figures(text) == {
        ("CompleteCytogeneticResponse", 70, 50.0, None, 6.0),
        ("CompleteCytogeneticResponse", 98, 70.0, None, 12.0),
    }


def test_outcomes_listed_before_a_time_and_a_colon_then_their_figures():
    text = ONE_ARM + "CCyR and MMR by 18 months: 84% and 61%."
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 84.0, None, 18.0),
        ("MajorMolecularResponse", None, 61.0, None, 18.0),
    }


def test_a_rate_that_rose_from_one_time_to_another_gives_both_figures_with_their_times():
    text = ONE_ARM + "The cumulative MR4 rate rose from 22% at 12 months to 48% at 36 months."
    assert figures(text) == {("MR4", None, 22.0, None, 12.0), ("MR4", None, 48.0, None, 36.0)}


def test_patients_counted_for_a_later_switch_are_no_group_and_side_effects_that_stopped_a_drug():
    text = ONE_ARM + (
        "By 5 years, 19 patients had switched to dasatinib. Side effects led to nilotinib discontinuation in "
        "11%."
    )
    assert cohorts_of(text) == [("population", 140)]
    assert figures(text) == {("DiscontinuationDueToToxicity", None, 11.0, None, None)}


def test_figures_of_the_literature_or_an_earlier_report_of_ours_are_not_this_studys():
    text = ONE_ARM + (
        "MMR rates reported in the literature range from 45% to 70%. In our earlier report, the CCyR rate was "
        "62%. In this study, MMR was achieved by 88 patients (63%)."
    )
    assert figures(text) == {("MajorMolecularResponse", 88, 63.0, None, None)}


def test_a_failure_to_reach_a_response_or_its_definition_is_no_figure_of_it():
    text = ONE_ARM + (
        "Failure to achieve CCyR at 12 months occurred in 9% of patients. MR4 was defined as BCR-ABL1 of "
        "0.01% or lower."
    )
    assert figures(text) == set()


def test_a_whole_sized_before_its_phase_groups_and_its_verb():
    text = (
        "In this phase 2 trial, 214 patients with accelerated (n = 120) or myeloid (n = 60) or lymphoid "
        "(n = 34) blast phase CML (and 18 with Ph+ ALL) were randomized to nilotinib 400 mg twice daily or "
        "600 mg once daily."
    )
    # (and the two arms the allocation names, unsized)
    assert cohorts_of(text) == [
        ("population", 214),
        ("subgroup", 120),
        ("subgroup", 60),
        ("subgroup", 34),
        ("arm", None),
        ("arm", None),
    ]


def test_a_prior_resistance_or_intolerance_with_its_count_and_share_is_a_trait():
    text = "Patients: 120 enrolled; prior dasatinib resistant 84 (70%), intolerant 36 (30%). MMR 40%."
    assert figures(text) == {("MajorMolecularResponse", None, 40.0, None, None)}


def test_a_sentences_one_list_of_times_dealt_to_its_figures_respectively():
    text = (
        ONE_ARM + "The 3-, 12- and 24-month rates of EMR, CCyR and MMR were 90%, 78% and 61%, respectively."
    )
    assert figures(text) == {
        ("EarlyMolecularResponse", None, 90.0, None, 3.0),
        ("CompleteCytogeneticResponse", None, 78.0, None, 12.0),
        ("MajorMolecularResponse", None, 61.0, None, 24.0),
    }


def test_a_survival_named_first_shares_the_head_of_the_hyphenated_one_after_it():
    text = ONE_ARM + "Eight-year overall and event-free survival were 93% and 81%."
    assert figures(text) == {
        ("OverallSurvival", None, 93.0, None, 96.0),
        ("EventFreeSurvival", None, 81.0, None, 96.0),
    }


def test_items_counted_after_mainly_are_no_groups_and_events_reported_by_patients():
    from cmlkg.extract import extract

    text = ONE_ARM + (
        "Twelve patients stopped nilotinib for adverse events, mainly vascular events (n = 7). Withdrawal "
        "symptoms were reported by 31 patients; rash was reported by 6 months in most."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 140)]
    assert {(a.term, a.count) for a in x.adverse_events} >= {("TKIWithdrawalSyndrome", 31)}
    assert ("Rash", 6) not in {(a.term, a.count) for a in x.adverse_events}


def test_a_percent_with_its_n_over_n_and_arms_listed_after_the_figures():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 150) or imatinib 400 mg daily (n = 150). The "
        "CCyR rate was 77% (n/N = 116/150) with dasatinib and 66% (99/150) with imatinib. MMR rates were 46% "
        "and 28% in the dasatinib and imatinib arms. Progression occurred in 4 patients on dasatinib (2.7%) vs "
        "9 on imatinib (6.0%)."
    )
    x = extract("t", text)
    got = {
        (o.term, o.count, o.percent, o.denominator, x.cohorts[o.cohort].treatments[0].term)
        for o in x.outcomes
    }
    assert got == {
        ("CompleteCytogeneticResponse", 116, 77.0, 150, "Dasatinib"),
        ("CompleteCytogeneticResponse", 99, 66.0, 150, "Imatinib"),
        ("MajorMolecularResponse", None, 46.0, None, "Dasatinib"),
        ("MajorMolecularResponse", None, 28.0, None, "Imatinib"),
        ("Progression", 4, 2.7, None, "Dasatinib"),
        ("Progression", 9, 6.0, None, "Imatinib"),
    }


def test_a_count_broken_down_by_arm_in_a_parenthesis_that_adds_up():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to nilotinib 300 mg twice daily (n = 282) or imatinib 400 mg daily "
        "(n = 283). Overall, 17 patients progressed to AP/BP (nilotinib 5, imatinib 12). Eleven patients "
        "died (nilotinib 4, imatinib 6)."
    )
    x = extract("t", text)
    got = {(o.term, o.count, x.cohorts[o.cohort].size if o.cohort is not None else None) for o in x.outcomes}
    assert {("Progression", 5, 282), ("Progression", 12, 283), ("Progression", 17, None)} <= got
    # (parts that do not add up to the whole are not read as its parts)
    assert not any(t == "Death" and n in (4, 6) for t, n, _s in got)


def test_a_share_in_words_stated_in_figures_is_the_figure():
    text = ONE_ARM + (
        "Two-thirds of patients (66%) achieved CCyR by 12 months. Most patients (n = 98; 70%) reached MMR. "
        "Nearly half (48%) attained MR4."
    )
    assert cohorts_of(text) == [("population", 140)]
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 66.0, None, 12.0),
        ("MajorMolecularResponse", 98, 70.0, None, None),
        ("MR4", None, 48.0, None, None),
    }


def test_a_survival_the_ontology_does_not_name_is_no_overall_survival_nor_ends_up_in_its_figures():
    text = ONE_ARM + (
        "Five-year overall survival was 88%, whereas CML-specific survival was 97% (95% vs 98%). Relative "
        "survival at 5 years was 99%."
    )
    assert figures(text) == {("OverallSurvival", None, 88.0, None, 60.0)}


def test_patients_resistant_to_two_or_more_tkis_received_a_new_drug():
    from cmlkg.extract import extract

    text = (
        "Forty-two patients with CML resistant or intolerant to ≥2 TKIs received the study drug at 40 to 160 "
        "mg daily. Twelve patients resistant to at least 3 TKIs were also treated."
    )
    x = extract("t", text)
    assert x.cohorts[0].role == "population" and x.cohorts[0].size == 42
    assert {(t.term, t.role) for t in x.treatments} == {("TyrosineKinaseInhibitor", "prior")}


def test_a_semicolon_inside_the_arms_sizing_parenthesis_does_not_name_one_arm_first():
    text = (
        "Patients were randomised to nilotinib 300 mg twice daily or imatinib 400 mg daily. In the "
        "intention-to-treat population (nilotinib n = 102; imatinib n = 104), the MMR rate at 12 months was "
        "55% versus 29% (P < .001)."
    )
    from cmlkg.extract import extract

    x = extract("t", text)
    got = {(o.percent, x.cohorts[o.cohort].treatments[0].term) for o in x.outcomes if o.cohort is not None}
    assert got == {(55.0, "Nilotinib"), (29.0, "Imatinib")}


def test_with_no_group_stated_otherwise_the_patients_a_sentence_is_fronted_by():
    text = (
        "Age and imatinib outcome in a national registry\n\nOf 612 patients, 150 (25%) were aged 65 years or "
        "older. MMR at 24 months was 61% in older and 66% in younger patients."
    )
    assert cohorts_of(text) == [("population", 612)]
    # (a population read otherwise is kept: 'stopped treatment' sizes the study, not 'Of the 86 ...')
    stopped = (
        "Two hundred patients in MR4.5 stopped nilotinib. Of the 80 patients who lost MMR, 78 regained it."
    )
    assert cohorts_of(stopped)[0] == ("population", 200)


def test_a_score_applied_to_patients_sizes_the_population():
    text = "We applied the ELTS score to 1,480 patients treated with frontline imatinib. High risk: 12%."
    assert cohorts_of(text) == [("population", 1480)]


def test_a_clause_of_another_arm_and_its_count_only_repeats_the_outcome_before():
    from cmlkg.extract import extract

    text = (
        "Patients were randomised to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily (n = 118). In "
        "the dasatinib arm, 4 patients progressed; in the imatinib arm, 11."
    )
    x = extract("t", text)
    got = {(o.term, o.count, x.cohorts[o.cohort].size) for o in x.outcomes if o.cohort is not None}
    assert got == {("Progression", 4, 120), ("Progression", 11, 118)}


def test_a_figure_reported_elsewhere_or_a_remission_period_is_not_this_studys_figure():
    text = ONE_ARM + (
        "The MMR rate at 12 months was 57%, similar to the 44% reported with imatinib in IRIS, and CCyR was "
        "reached by 80%, compared with 65% expected from historical data. MR4 was lost by 6 of 50 patients "
        "(12%) in TFR."
    )
    got = figures(text)
    assert ("MajorMolecularResponse", None, 57.0, None, 12.0) in got
    assert not any(p in (44.0, 65.0) for _t, _c, p, _d, _m in got)
    assert not any(t == "TreatmentFreeRemission" for t, *_ in got)


def test_a_grade_between_the_negation_and_the_event_keeps_it_negated():
    from cmlkg.extract import extract

    text = ONE_ARM + (
        "No grade 3 or 4 pleural effusion was observed. No grade 4 non-hematologic toxicities were seen, and "
        "6 patients had grade 2 rash."
    )
    assert {(a.term, a.grade, a.count) for a in extract("t", text).adverse_events} == {("Rash", 2, 6)}
