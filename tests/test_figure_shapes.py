"""Issue 20, batch ten: shapes of figure statements found missing with a fresh constructions seed and
written here in phrasings of our own (none is a corpus or generated sentence)."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import figures


def per_arm(text: str) -> dict[str, set[tuple]]:
    """Each arm's figures, keyed by the arm's first drug and its first dose."""
    x = extract("t", text)
    out: dict[str, set[tuple]] = {}
    for k, c in enumerate(x.cohorts):
        if c.role != "arm":
            continue
        key = " ".join(f"{t.term} {d.value:g}" for t in c.treatments for d in t.doses) or c.treatments[0].term
        out[key] = {(o.term, o.count, o.percent, o.time_months) for o in x.outcomes if o.cohort == k}
    return out


def doses(text: str) -> set[tuple]:
    x = extract("t", text)
    return {(t.term, d.value, d.unit) for t in x.treatments for d in t.doses}


def test_superscript_units_and_gram_doses_with_qd():
    assert ("InterferonAlfa", 5.0, "MU/m2/d") in doses(
        "Thirty patients with chronic-phase CML received interferon alfa 5 MU/m²/d subcutaneously."
    )
    assert ("Hydroxyurea", 1.5, "g/d") in doses(
        "Twelve patients were given hydroxyurea 1.5 g QD before imatinib was started."
    )
    assert ("Hydroxyurea", 2.0, "g/d") in doses("Hydroxyurea 2 g once daily was given to 14 patients.")


def test_labelled_arms_capitalised_or_named_in_the_allocation():
    capital = (
        "We enrolled 210 patients. Cohort A (n = 110) received nilotinib 300 mg twice daily; cohort B (n = 100) "
        "received dasatinib 100 mg daily. At 12 months, CCyR was 81% in cohort A and 77% in cohort B."
    )
    assert per_arm(capital) == {
        "Nilotinib 600": {("CompleteCytogeneticResponse", None, 81.0, 12.0)},
        "Dasatinib 100": {("CompleteCytogeneticResponse", None, 77.0, 12.0)},
    }
    allocation = (
        "Three hundred patients were randomised to group 1 (n = 150, imatinib 400 mg daily) or group 2 "
        "(n = 150, imatinib 600 mg daily). The 24-month MMR rate was 52% in group 2 and 41% in group 1."
    )
    assert per_arm(allocation) == {
        "Imatinib 400": {("MajorMolecularResponse", None, 41.0, 24.0)},
        "Imatinib 600": {("MajorMolecularResponse", None, 52.0, 24.0)},
    }


def test_counts_compared_with_vs():
    text = (
        "Two hundred patients were randomised 1:1: those in arm A (n = 100) received imatinib 400 mg daily and "
        "those in arm B (n = 100) received nilotinib 300 mg twice daily. Progression to blast phase occurred "
        "in 6 versus 2 patients in arm A and arm B, respectively."
    )
    assert per_arm(text) == {
        "Imatinib 400": {("ProgressionToBlastPhase", 6, None, None)},
        "Nilotinib 600": {("ProgressionToBlastPhase", 2, None, None)},
    }
    # durations compared are not counts
    assert figures("We treated 40 patients with imatinib. Median time to CCyR was 7 vs 11 months.") == set()


def test_a_figure_of_patients_receiving_a_drug_compared_with_the_other_arm():
    text = (
        "In all, 240 patients were randomized to dasatinib 100 mg daily (n = 120) or imatinib 400 mg daily "
        "(n = 120). By 12 months, 66 percent of patients receiving dasatinib had a MMR, compared with 45 "
        "percent with imatinib."
    )
    assert per_arm(text) == {
        "Dasatinib 100": {("MajorMolecularResponse", None, 66.0, 12.0)},
        "Imatinib 400": {("MajorMolecularResponse", None, 45.0, 12.0)},
    }


def test_percent_words_after_another_percent_subject_and_in_a_respectively_pair():
    assert figures(
        "Forty patients were treated with ponatinib. Overall, 60 percent of patients reached CCyR and 35 percent "
        "of patients reached MMR."
    ) == {
        ("CompleteCytogeneticResponse", None, 60.0, None, None),
        ("MajorMolecularResponse", None, 35.0, None, None),
    }
    text = (
        "A total of 300 patients were randomly assigned to imatinib 400 mg daily (n = 150) or imatinib 800 mg "
        "daily (n = 150). At 18 months, 48% and 61 percent of patients in the 400-mg and 800-mg arms had MMR, "
        "respectively."
    )
    assert per_arm(text) == {
        "Imatinib 400": {("MajorMolecularResponse", None, 48.0, 18.0)},
        "Imatinib 800": {("MajorMolecularResponse", None, 61.0, 18.0)},
    }


def test_a_percent_of_another_outcome_is_not_this_ones():
    # '73% achieved MCyR and 46% achieved MMR' once gave MMR 73% as well
    assert figures(
        "We treated 90 patients with bosutinib. At 24 months, 58% of patients achieved CCyR and 33% of patients "
        "achieved MMR."
    ) == {
        ("CompleteCytogeneticResponse", None, 58.0, None, 24.0),
        ("MajorMolecularResponse", None, 33.0, None, 24.0),
    }


def test_the_time_point_of_a_rate_holds_for_the_figure_it_is_compared_with():
    text = (
        "A total of 500 patients were randomized to nilotinib 300 mg twice daily plus interferon (n = 250) or "
        "nilotinib 300 mg twice daily alone (n = 250). The 18-month rate of MR4.5 was 22% with the combination, "
        "compared with 14% with nilotinib alone."
    )
    assert {o[2:] for o in figures(text)} == {(22.0, None, 18.0), (14.0, None, 18.0)}
    # a compared figure that states its own time point keeps it
    assert figures(
        "Eighty patients received dasatinib. 30% achieved MMR at 6 months, compared with 55% at 12 months."
    ) == {
        ("MajorMolecularResponse", None, 30.0, None, 6.0),
        ("MajorMolecularResponse", None, 55.0, None, 12.0),
    }


def test_an_adverse_event_pair_with_the_arms_named_after():
    x = extract(
        "t",
        "A total of 120 patients were randomized to bosutinib 400 mg daily (n = 60) or imatinib 400 mg daily "
        "(n = 60). Diarrhea occurred in 70% vs 20% of patients (bosutinib vs imatinib).",
    )
    arms = {k for k, c in enumerate(x.cohorts) if c.role == "arm"}
    assert {a.cohort for a in x.adverse_events if a.term == "Diarrhea"} == arms


def test_an_outcome_named_with_its_abbreviation():
    assert figures("We treated 38 patients with dasatinib. Major molecular response (MMR): 47%.") == {
        ("MajorMolecularResponse", None, 47.0, None, None)
    }
    assert figures(
        "We treated 50 patients. Rates of complete cytogenetic response (CCyR) and major molecular response (MMR) "
        "were 70% and 50%, respectively."
    ) == {
        ("CompleteCytogeneticResponse", None, 70.0, None, None),
        ("MajorMolecularResponse", None, 50.0, None, None),
    }
    # was MMR 70% and 50%: the abbreviation broke the coordination
    assert figures(
        "We treated 50 patients. Rates of complete cytogenetic response (CCyR) and MMR were 70% and 50%."
    ) == {
        ("CompleteCytogeneticResponse", None, 70.0, None, None),
        ("MajorMolecularResponse", None, 50.0, None, None),
    }
    assert figures(
        "We treated 50 patients. Complete cytogenetic response (CCyR) was attained by 31 patients (62%)."
    ) == {("CompleteCytogeneticResponse", 31, 62.0, None, None)}


def test_each_figure_of_a_pair_names_its_own_arm():
    text = (
        "In total, 300 patients received bosutinib 400 mg daily (n = 150) or imatinib 400 mg daily (n = 150). "
        "At 24 months, 61% of bosutinib-treated patients and 49% of imatinib-treated patients had MR4.5."
    )
    assert per_arm(text) == {
        "Bosutinib 400": {("MR4_5", None, 61.0, 24.0)},
        "Imatinib 400": {("MR4_5", None, 49.0, 24.0)},
    }


def test_a_prefix_negates_only_its_own_word():
    x = extract(
        "t",
        "Fifty patients received nilotinib. Frequent non-haematological AEs included diarrhoea (20%) and "
        "headache (12%). Extra-medullary disease was not seen.",
    )
    assert {"Diarrhea", "Headache"} <= {a.term for a in x.adverse_events}


def test_a_grade_range_heads_a_list_of_events_with_a_hyphenated_word():
    x = extract(
        "t",
        "Sixty patients received ponatinib. Grade 3-4 non-hematologic AEs were rash in 4 (7%) and hypertension in "
        "6 (10%) patients.",
    )
    assert {(a.term, a.grade) for a in x.adverse_events} == {
        ("Rash", 3),
        ("Rash", 4),
        ("Hypertension", 3),
        ("Hypertension", 4),
    }


def test_population_fronted_after_a_results_heading():
    x = extract(
        "t",
        "Methods: Patients with CML in chronic phase received nilotinib 300 mg twice daily. Results: Of 88 patients "
        "enrolled in the trial, 61 (69.3%) achieved MMR by 12 months.",
    )
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 88)]


def test_all_n_patients_and_none_observed():
    assert figures("We treated 41 patients with dasatinib. All 41 patients reached CHR by 3 months.") == {
        ("CompleteHematologicResponse", 41, None, 41, 3.0)
    }
    assert figures(
        "We treated 41 patients with dasatinib. No transformation to blast phase was observed."
    ) == {("ProgressionToBlastPhase", 0, None, None, None)}
    assert figures("We treated 41 patients with dasatinib. There were no deaths.") == {
        ("Death", 0, None, None, None)
    }
    # a group named after it is not 'none of the patients'
    assert (
        figures("We treated 41 patients with dasatinib. No MMR was observed in the 6 patients with T315I.")
        == set()
    )


def test_a_time_point_after_the_patients_of_a_figure():
    assert figures("We treated 80 patients. CCyR was reached in 52/80 (65%) patients at 24 months.") == {
        ("CompleteCytogeneticResponse", 52, 65.0, 80, 24.0)
    }


# ------------------------------------------------------------------ batch eleven: abstracts written in the style
# of unread reports, read fact by fact (wrong facts first)
def test_an_outcome_naming_a_period_takes_no_compared_figure():
    # 'of TFR compared with 14%' once gave TreatmentFreeRemission 14%
    got = figures(
        "Ninety patients stopped imatinib. Arthralgia was reported in 30% of patients during the first six months "
        "of TFR compared with 8% during prior therapy."
    )
    assert not [f for f in got if f[0] == "TreatmentFreeRemission"]


def test_two_events_sharing_a_pair_of_figures_are_not_per_arm():
    x = extract(
        "t",
        "Two hundred patients were randomized to imatinib 400 mg daily (n = 100) or 800 mg daily (n = 100). "
        "Grade 3/4 anemia and neutropenia occurred in 12% and 31% of patients overall.",
    )
    assert {a.cohort for a in x.adverse_events} == {None}


def test_a_group_that_underwent_a_later_treatment_is_not_an_arm():
    x = extract(
        "t",
        "We analysed 64 adults with CML in chronic phase treated with nilotinib 300 mg twice daily. MMR was "
        "reached by 41 (64%) at 12 months. Five patients later underwent allogeneic stem cell transplantation.",
    )
    # (nor a cohort at all: patients counted for what they went on to have)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 64)]


def test_a_drug_the_patients_never_had_and_a_drug_switched_from():
    x = extract(
        "t",
        "Thirty patients received asciminib 80 mg daily after switching from dasatinib. MMR at 24 weeks was 40% "
        "in ponatinib-naive patients.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {("Asciminib", "intervention"), ("Dasatinib", "prior")}


def test_discontinuation_due_to_aes_is_for_toxicity():
    assert figures("Sixty patients received bosutinib. Six patients (10%) discontinued due to AEs.") == {
        ("DiscontinuationDueToToxicity", 6, 10.0, None, None)
    }


def test_a_population_described_with_a_response_name_before_its_verb():
    x = extract(
        "t",
        "Eighty-one patients with CML-CP who had sustained MR4.5 on dasatinib entered the discontinuation phase. "
        "At 12 months, 47 (58%) remained in TFR.",
    )
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 81)]


def test_the_time_point_of_a_compared_group_and_of_a_cumulative_rate():
    text = (
        "In all, 200 patients were assigned to imatinib 400 mg (n = 100) or 600 mg (n = 100) daily. The 4-year "
        "PFS was 80% in the 600-mg group, compared with 70% in the 400-mg group. The cumulative CCyR rate by 2 "
        "years was 85% vs 74%, and the cumulative MMR rate 60% vs 52%."
    )
    assert {(o.term, o.percent, o.time_months) for o in extract("t", text).outcomes} == {
        ("ProgressionFreeSurvival", 80.0, 48.0),
        ("ProgressionFreeSurvival", 70.0, 48.0),
        ("CompleteCytogeneticResponse", 85.0, 24.0),
        ("CompleteCytogeneticResponse", 74.0, 24.0),
        ("MajorMolecularResponse", 60.0, 24.0),
        ("MajorMolecularResponse", 52.0, 24.0),
    }


def test_a_respectively_pair_whose_outcome_name_ends_in_a_number():
    text = (
        "A total of 300 patients were randomly assigned to asciminib 80 mg daily (n = 150) or imatinib 400 mg "
        "daily (n = 150). At 96 weeks, 38% and 20 % of patients in the asciminib arm and imatinib arm had "
        "achieved molecular response 4.5 (MR4.5), respectively. Rash occurred in 12% vs 9 percent of patients "
        "(asciminib vs imatinib). None of the subjects died."
    )
    assert per_arm(text) == {
        "Asciminib 80": {("MR4_5", None, 38.0, 22.08)},
        "Imatinib 400": {("MR4_5", None, 20.0, 22.08)},
    }
    x = extract("t", text)
    assert len({a.cohort for a in x.adverse_events if a.term == "Rash"} - {None}) == 2
    assert ("Death", 0) in {(o.term, o.count) for o in x.outcomes}


# ------------------------------------------------------------------ batch twelve
def test_months_written_mos_and_mths():
    assert figures("We treated 60 pts. Rates of MMR at 6, 12 and 24 mos were 40%, 62% and 62%.") == {
        ("MajorMolecularResponse", None, 40.0, None, 6.0),
        ("MajorMolecularResponse", None, 62.0, None, 12.0),
        ("MajorMolecularResponse", None, 62.0, None, 24.0),
    }
    assert figures("We treated 60 pts. CCyR at 18 mths was 71%. Median follow-up was 30 mos.") == {
        ("CompleteCytogeneticResponse", None, 71.0, None, 18.0)
    }


def test_a_decision_model_is_no_treatment_evidence():
    x = extract(
        "t",
        "A Markov model compared nilotinib 300 mg twice daily with imatinib 400 mg daily in a hypothetical cohort "
        "of 5,000 patients with chronic-phase CML; MMR rates of 44% and 22% at 12 months were taken from ENESTnd.",
    )
    assert x.condition == "ChronicMyeloidLeukemia" and not x.is_cml_treatment


def test_a_drug_named_after_a_prior_response_is_prior():
    x = extract(
        "t",
        "We analysed 90 patients who received bosutinib after imatinib. Patients with a prior MMR on imatinib "
        "had higher MMR rates (80% vs 40%).",
    )
    assert {(t.term, t.role) for t in x.treatments} == {("Bosutinib", "intervention"), ("Imatinib", "prior")}


# ------------------------------------------------------------------ batch thirteen: older and registry styles
def test_an_option_without_a_size_belongs_to_the_sized_option_after_it():
    x = extract(
        "t",
        "Two hundred patients were randomly assigned to interferon alfa (n = 130) or conventional chemotherapy "
        "with hydroxyurea or busulfan (n = 70). Complete hematologic response occurred in 90 patients treated "
        "with interferon (69%).",
    )
    arms = [(c.size, sorted(t.term for t in c.treatments)) for c in x.cohorts if c.role == "arm"]
    assert arms == [(130, ["InterferonAlfa"]), (70, ["Busulfan", "Hydroxyurea"])]
    ifn = next(k for k, c in enumerate(x.cohorts) if c.size == 130)
    assert {(o.term, o.count, o.percent, o.cohort) for o in x.outcomes} == {
        ("CompleteHematologicResponse", 90, 69.0, ifn)
    }


def test_a_second_arm_with_its_verb_elided():
    x = extract(
        "t",
        "In total, 300 patients were randomized; 160 received imatinib and 140 nilotinib. Progression occurred "
        "in 8 of 160 patients in the imatinib arm and in 3 of 140 in the nilotinib arm.",
    )
    arms = {c.size: [t.term for t in c.treatments] for c in x.cohorts if c.role == "arm"}
    assert arms == {160: ["Imatinib"], 140: ["Nilotinib"]}


def test_fewer_figures_than_coordinated_outcomes_after_a_singular_verb():
    assert figures(
        "Forty patients received ponatinib. Of them, 20 achieved MCyR, including 16 with CCyR, and MMR was "
        "achieved by 12 (30%)."
    ) >= {("MajorMolecularResponse", 12, 30.0, None, None)}
    assert ("CompleteCytogeneticResponse", 12, 30.0, None, None) not in figures(
        "Forty patients received ponatinib. Of them, 20 achieved MCyR, including 16 with CCyR, and MMR was "
        "achieved by 12 (30%)."
    )


def test_an_event_prevented_is_not_an_event():
    x = extract(
        "t",
        "Sixty patients underwent allogeneic transplantation; graft-versus-host disease prophylaxis was "
        "cyclosporine and methotrexate. Chronic GVHD developed in 20 patients.",
    )
    assert {a.term for a in x.adverse_events} == {"ChronicGraftVersusHostDisease"}


# ------------------------------------------------------------------ batch fourteen: table-like and comparative shapes
DESIGN = "Overall, 400 patients were randomized to nilotinib 300 mg twice daily (n = 200) or imatinib 400 mg daily (n = 200). "


def test_a_bare_time_heading_a_colon_and_a_definition_before_the_outcome():
    assert per_arm(DESIGN + "CCyR 24 mo: 87% vs 77%; MMR 24 mo: 71% vs 44%.") == {
        "Nilotinib 600": {
            ("CompleteCytogeneticResponse", None, 87.0, 24.0),
            ("MajorMolecularResponse", None, 71.0, 24.0),
        },
        "Imatinib 400": {
            ("CompleteCytogeneticResponse", None, 77.0, 24.0),
            ("MajorMolecularResponse", None, 44.0, 24.0),
        },
    }
    assert per_arm(DESIGN + "BCR-ABL1 ≤0.01% (MR4) at 24 months: 39% vs 18%.") == {
        "Nilotinib 600": {("MR4", None, 39.0, 24.0)},
        "Imatinib 400": {("MR4", None, 18.0, 24.0)},
    }


def test_the_arm_in_parentheses_after_each_figure():
    assert per_arm(DESIGN + "MMR rates by 12 months were 22% (imatinib) and 44% (nilotinib).") == {
        "Nilotinib 600": {("MajorMolecularResponse", None, 44.0, 12.0)},
        "Imatinib 400": {("MajorMolecularResponse", None, 22.0, 12.0)},
    }


def test_a_higher_rate_in_parentheses_than_another():
    assert per_arm(DESIGN + "Nilotinib pts had a higher MR4.5 rate (25%) than imatinib pts (10%).") == {
        "Nilotinib 600": {("MR4_5", None, 25.0, None)},
        "Imatinib 400": {("MR4_5", None, 10.0, None)},
    }
    # a difference is still no rate
    assert figures(DESIGN + "Nilotinib gave a 22% higher MMR rate than imatinib.") == set()


def test_a_count_written_as_n_with_its_percent():
    assert figures("We treated 36 patients with nilotinib. MMR: n=12 (33%); MR4: n=7 (19%).") == {
        ("MajorMolecularResponse", 12, 33.0, None, None),
        ("MR4", 7, 19.0, None, None),
    }
    # a group's size is no figure
    x = extract("t", "We treated 36 patients with nilotinib. In the elderly (n = 12), CCyR was 75%.")
    assert {(o.count, o.percent) for o in x.outcomes} == {(None, 75.0)}


def test_sexes_written_as_a_colon_pair_only_when_they_count_the_patients():
    x = extract("t", "We enrolled 54 patients with CML-CP (M:F 30:24) and treated them with imatinib.")
    assert (x.cohorts[0].male, x.cohorts[0].female) == (30, 24)
    x = extract("t", "We enrolled 54 patients with CML-CP (M:F ratio 2:1) and treated them with imatinib.")
    assert (x.cohorts[0].male, x.cohorts[0].female) == (None, None)


# ------------------------------------------------------------------ batch fifteen
def test_coordinated_counted_subjects_each_on_their_dose_group():
    text = (
        "Ninety patients with suboptimal response were escalated to imatinib 600 mg/d (n = 60) or 800 mg/d (n = 30). "
        "Overall, 24 of 60 patients (40%) on 600 mg and 15 of 30 (50%) on 800 mg achieved MMR."
    )
    assert per_arm(text) == {
        "Imatinib 600": {("MajorMolecularResponse", 24, 40.0, None)},
        "Imatinib 800": {("MajorMolecularResponse", 15, 50.0, None)},
    }


def test_higher_rates_of_groups_that_are_not_arms_are_not_read():
    # 'had higher TFR rates (51%) than those treated second-line (42%)': two subgroups, no drug after 'than'
    got = figures(
        "Eighty patients stopped nilotinib. Patients treated first-line had higher TFR rates (55%) than those "
        "treated second-line (40%)."
    )
    assert not [f for f in got if f[2] in (55.0, 40.0)]


def test_a_prior_cue_before_a_groups_size():
    x = extract(
        "t",
        "Ninety patients with CML-AP resistant (n = 70) or intolerant (n = 20) to imatinib received bosutinib "
        "500 mg daily.",
    )
    assert {(t.term, t.role) for t in x.treatments} == {("Imatinib", "prior"), ("Bosutinib", "intervention")}


def test_progression_to_either_of_two_phases_is_progression():
    assert figures("We treated 70 patients with dasatinib. Progression to AP/BC occurred in 4 patients.") == {
        ("Progression", 4, None, None, None)
    }
    assert figures(
        "We treated 70 patients with dasatinib. Accelerated or blast phase developed in 3 patients."
    ) == {("Progression", 3, None, None, None)}
    assert figures("We treated 70 patients with dasatinib. Blast crisis occurred in 2 patients.") == {
        ("ProgressionToBlastPhase", 2, None, None, None)
    }


def test_a_time_point_at_a_sentences_start_is_no_drug_code():
    # 'At 10 years' once matched the brand 'AT 10' (dihydrotachysterol) and became an intervention
    x = extract(
        "t", "We treated 200 patients with imatinib 400 mg daily. At 10 years, 60% remained on imatinib."
    )
    assert {t.term for t in x.treatments} == {"Imatinib"}
    x = extract("t", "Twenty patients received VP-16 and imatinib.")
    assert len({t.term for t in x.treatments}) == 2
