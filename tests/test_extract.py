"""Extraction, fact type by fact type, on short sentences written for these tests (not from the corpus)."""

from __future__ import annotations

import pytest

from cmlkg.extract import extract


def x(text: str):
    return extract("t", text)


def outcomes(text: str) -> set[tuple]:
    return {(o.term, o.count, o.percent, o.denominator) for o in x(text).outcomes if not o.aggregate_of}


# ------------------------------------------------------------------ cohorts and demographics
@pytest.mark.parametrize(
    "text,size",
    [
        ("We treated 34 patients with chronic phase CML with nilotinib.", 34),
        ("A total of 812 patients were randomly assigned to dasatinib or imatinib.", 812),
        ("Forty-two patients with CML in accelerated phase were enrolled and received bosutinib.", 42),
        ("Seven hundred eighty-four patients were included in the registry.", 784),
        (
            "Between 2001 and 2010, 57 consecutive CML patients (30 male and 27 female, median age 61 years) received imatinib.",
            57,
        ),
    ],
)
def test_cohort_size(text, size):
    assert x(text).cohorts[0].size == size


def test_arms_of_a_randomised_trial():
    ext = x(
        "In all, 519 patients were randomized to dasatinib 100 mg daily (n = 259) or imatinib 400 mg daily (n = 260)."
    )
    assert sorted(c.size for c in ext.cohorts) == [259, 260, 519]
    assert ext.cohorts[0].role == "population"


def test_counts_of_responders_are_not_cohorts():
    ext = x("We treated 40 patients with ponatinib. Twelve patients achieved MMR and 3 patients died.")
    assert [c.size for c in ext.cohorts] == [40]


def test_sex_counts_and_subtraction():
    ext = x("We studied 30 patients (12 female) treated with imatinib.")
    c = ext.cohorts[0]
    assert (c.female, c.male) == (12, 18)
    c = x("Nineteen patients (8 men and 11 women) received dasatinib.").cohorts[0]
    assert (c.size, c.male, c.female) == (19, 8, 11)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "We treated 25 patients with nilotinib; median age was 47 years (range, 22-79).",
            ("median", 47, None, 22, 79),
        ),
        ("Twenty patients received imatinib, mean ± SD age 51 ± 9 years.", ("mean", 51, 9, None, None)),
        ("Twenty patients received imatinib, mean + SD age was 39 + 14 years.", ("mean", 39, 14, None, None)),
    ],
)
def test_age_statistics(text, expected):
    c = x(text).cohorts[0]
    assert (c.age_statistic, c.age_value, c.age_sd, c.age_min, c.age_max) == expected


def test_evaluable_but_not_the_non_evaluable():
    c = x(
        "We enrolled 30 patients on bosutinib; 26 patients were evaluable for response and 4 patients are not evaluable."
    ).cohorts[0]
    assert c.evaluable == 26


def test_individual_patients_of_a_case_series():
    ext = x(
        "We report two cases. A 61-year-old man in chronic phase received asciminib. "
        "The second was a 35 year old woman on dasatinib."
    )
    assert sorted((p.age, p.sex) for p in ext.patients) == [(35, "female"), (61, "male")]


# ------------------------------------------------------------------ phases
def test_phases_and_abbreviations():
    ext = x("We treated 20 patients in accelerated phase (AP) and 5 in blast crisis with ponatinib.")
    assert {p.term for p in ext.phases} == {"AcceleratedPhase", "BlastPhase"}


def test_negated_progression_is_no_phase_and_a_zero_count():
    ext = x("We treated 15 patients in chronic phase with dasatinib. No patient progressed to blast crisis.")
    assert {p.term for p in ext.phases} == {"ChronicPhase"}
    assert ("ProgressionToBlastPhase", 0) in {(o.term, o.count) for o in ext.outcomes}


# ------------------------------------------------------------------ drugs, roles and doses
def test_study_treatment_versus_prior_therapy():
    ext = x(
        "We treated 22 patients previously treated with interferon alpha with nilotinib 400 mg twice daily."
    )
    roles = {(t.term, t.role) for t in ext.treatments}
    assert ("InterferonAlfa", "prior") in roles and ("Nilotinib", "intervention") in roles
    nilo = next(t for t in ext.treatments if t.term == "Nilotinib")
    assert [(d.value, d.unit) for d in nilo.doses] == [(800, "mg/d")]


@pytest.mark.parametrize(
    "text,drug,doses",
    [
        ("We treated 10 patients with dasatinib 140 mg/day.", "Dasatinib", {(140, "mg/d")}),
        ("We treated 10 patients with hydroxyurea at 2 g/day.", "Hydroxyurea", {(2, "g/d")}),
        ("We treated 10 patients with bosutinib 500mg daily.", "Bosutinib", {(500, "mg/d")}),
        ("We treated 10 patients with interferon alfa 3 MU/m2/d.", "InterferonAlfa", {(3, "MU/m2/d")}),
        (
            "Twelve patients received peginterferon alfa-2a at 90 mg weekly and imatinib 300 mg/d.",
            "Imatinib",
            {(300, "mg/d")},
        ),
        (
            "Conditioning was busulfan 16 mg/kg and cyclophosphamide 120 mg/kg in 14 patients.",
            "Busulfan",
            {(16, "mg/kg")},
        ),
    ],
)
def test_doses(text, drug, doses):
    t = next(t for t in x(text).treatments if t.term == drug and t.role == "intervention")
    assert {(d.value, d.unit) for d in t.doses} == doses


def test_radiation_dose_in_gray():
    ext = x(
        "Thirty patients received total body irradiation (TBI) of 12 Gy before allogeneic stem cell transplantation."
    )
    tbi = next(t for t in ext.treatments if t.term == "TotalBodyIrradiation")
    assert [(d.value, d.unit) for d in tbi.doses] == [(12, "Gy")]
    assert "AllogeneicTransplant" in {t.term for t in ext.treatments}


def test_a_drug_class_stands_only_when_nothing_more_specific_is_named():
    assert [t.term for t in x("We treated 12 patients with second-generation TKIs.").treatments] == [
        "TyrosineKinaseInhibitor"
    ]
    assert [
        t.term for t in x("We treated 12 patients with TKIs: 8 received imatinib and 4 dasatinib.").treatments
    ] == ["Imatinib", "Dasatinib"]
    # background, not what these patients got
    assert [
        t.term
        for t in x(
            "Transplantation and TKIs are options for such patients. "
            "We treated 12 patients with interferon alfa."
        ).treatments
    ] == ["InterferonAlfa"]


# ------------------------------------------------------------------ outcomes
def test_count_and_percent_of_a_response():
    assert ("CompleteCytogeneticResponse", 31, 74, None) in outcomes(
        "We treated 42 patients with nilotinib. Thirty-one patients (74%) achieved a complete cytogenetic response."
    )


def test_count_of_denominator():
    assert ("MajorMolecularResponse", 132, None, 283) in outcomes(
        "We treated 300 patients with dasatinib. MMR was reached by 132 of 283 evaluable patients."
    )


def test_per_arm_percentages():
    got = outcomes(
        "A total of 600 patients were randomized to nilotinib or imatinib. "
        "At 24 months, the rates of MMR were 71% v 44% and the rates of CCyR were 87% v 77%."
    )
    assert {
        ("MajorMolecularResponse", None, 71, None),
        ("MajorMolecularResponse", None, 44, None),
        ("CompleteCytogeneticResponse", None, 87, None),
        ("CompleteCytogeneticResponse", None, 77, None),
    } <= got


def test_abbreviation_defined_in_the_text():
    got = outcomes(
        "We treated 50 patients with bosutinib. A major cytogenetic response (MCyR) was seen in 28 patients; "
        "11 patients had an MCyR at 6 months."
    )
    assert ("MajorCytogeneticResponse", 11, None, None) in got


def test_aggregate_and_parts():
    ext = x(
        "We treated 12 patients with imatinib. Five patients achieved a complete response "
        "(3 CCyR and 2 complete molecular responses)."
    )
    parts = {(o.term, o.count) for o in ext.outcomes if not o.aggregate_of}
    assert {("CompleteCytogeneticResponse", 3), ("CompleteMolecularResponse", 2)} <= parts
    aggregate = [o for o in ext.outcomes if o.aggregate_of]
    assert aggregate and aggregate[0].count == 5


def test_mr45_is_recognised():
    got = outcomes("We treated 80 patients with asciminib. At 48 weeks, 19 patients (24%) had MR4.5.")
    assert ("MR4_5", 19, 24, None) in got


def test_survival_probabilities_as_percent():
    got = outcomes(
        "We treated 90 patients with omacetaxine. The probability of overall survival at 2 years was 0.83."
    )
    assert ("OverallSurvival", None, 83, None) in got


def test_p_values_and_confidence_intervals_are_not_rates():
    got = outcomes("We treated 100 patients with ponatinib. MMR was 56% (95% CI, 45% to 66%; P = .03).")
    assert got == {("MajorMolecularResponse", None, 56, None)}


def test_background_before_the_cohort_is_not_an_outcome():
    got = outcomes(
        "Imatinib induces CCyR in 80% of patients. We treated 14 patients with dasatinib; 9 patients achieved CCyR."
    )
    assert got == {("CompleteCytogeneticResponse", 9, None, None)}


# ------------------------------------------------------------------ adverse events
def test_adverse_events_with_grades():
    ext = x(
        "We treated 44 patients with dasatinib. Grade 3-4 neutropenia occurred in 9 patients; "
        "pleural effusion was seen in 6 patients. No hepatotoxicity was recorded."
    )
    got = {(a.term, a.grade) for a in ext.adverse_events}
    assert {("Neutropenia", 3), ("Neutropenia", 4), ("PleuralEffusion", None)} <= got
    assert not any(a.term == "Hepatotoxicity" for a in ext.adverse_events)


# ------------------------------------------------------------------ what an abstract is about
def test_gist_abstract_is_not_cml_treatment_evidence():
    ext = x(
        "Imatinib 400 mg/day was given to 120 patients with gastrointestinal stromal tumors (GIST); "
        "objective responses were seen in 60 patients."
    )
    assert ext.condition == "GastrointestinalStromalTumor" and not ext.is_cml_treatment


def test_laboratory_study_is_not_treatment_evidence():
    ext = x("BCR-ABL1 transcripts were measured in K562 cells from a CML cell line exposed to radiation.")
    assert not ext.is_cml_treatment


# ------------------------------------------------------------------ data quality
def test_inverted_range_and_mismatched_percent_are_noted():
    ext = x(
        "We treated 20 patients with imatinib; follow-up 14 months (range 20-10). CCyR was achieved in 8 of 20 (60%)."
    )
    notes = " ".join(n.text for n in ext.notes)
    assert "range" in notes and "does not match" in notes


# ------------------------------------------------------------------ regressions found on unseen abstracts
def test_per_arm_rates_inside_a_parenthesis_with_a_p_value():
    got = outcomes(
        "A total of 300 patients were randomized. The rate of CCyR by 12 months was higher with "
        "nilotinib than with imatinib (81% vs. 65%, P<0.001)."
    )
    assert got == {
        ("CompleteCytogeneticResponse", None, 81, None),
        ("CompleteCytogeneticResponse", None, 65, None),
    }


def test_percent_subjects_share_a_fronted_denominator():
    got = outcomes(
        "We enrolled 200 patients on ponatinib. Among 150 patients with CP-CML, 60% had a major cytogenetic "
        "response, 50% had a complete cytogenetic response, and 40% had a major molecular response."
    )
    assert got == {
        ("MajorCytogeneticResponse", None, 60, 150),
        ("CompleteCytogeneticResponse", None, 50, 150),
        ("MajorMolecularResponse", None, 40, 150),
    }


def test_loss_of_a_response_is_not_the_response():
    got = outcomes(
        "Fifteen patients in chronic phase stopped imatinib. Five patients lost MMR and all 5 regained MMR."
    )
    # "all 5 regained MMR": 5 of the 5 who lost it
    assert ("LossOfResponse", 5, None, None) in got and ("MajorMolecularResponse", 5, None, 5) in got


def test_coordinated_drugs_share_the_prior_role():
    ext = x(
        "We enrolled 80 patients resistant or intolerant to dasatinib or nilotinib; all received asciminib 40 mg twice daily."
    )
    roles = {(t.term, t.role) for t in ext.treatments}
    assert roles == {("Dasatinib", "prior"), ("Nilotinib", "prior"), ("Asciminib", "intervention")}


def test_progression_to_either_advanced_phase_per_arm():
    ext = x(
        "In this trial, 400 patients were randomly assigned to drug A or imatinib. Progression to the accelerated "
        "or blastic phase occurred in 4 patients (2.0%) receiving drug A and in 10 patients (5.0%) receiving imatinib."
    )
    got = {(o.term, o.count, o.percent) for o in ext.outcomes}
    assert got == {("Progression", 4, 2.0), ("Progression", 10, 5.0)}
    assert sorted(c.size for c in ext.cohorts) == [400]
    assert {p.term for p in ext.phases} == {"AcceleratedPhase", "BlastPhase"}


def test_risk_scores():
    ext = x(
        "We treated 50 patients with nilotinib. At diagnosis 20 (40%) were classified as high risk according to "
        "the Sokal score, and 15 patients (30%) had low risk by ELTS."
    )
    got = {(k.score, k.group, k.count, k.percent) for k in ext.risks}
    assert got == {("SokalScore", "highRisk", 20, 40), ("ELTSScore", "lowRisk", 15, 30)}


def test_percent_matching_no_cohort_is_noted():
    ext = x(
        "We treated 21 patients with imatinib. At diagnosis 16 (79%) were classified as high risk by the EUTOS score."
    )
    assert any("79% does not match 16" in n.text for n in ext.notes)
    ok = x(
        "We treated 20 patients with imatinib. At diagnosis 16 (80%) were classified as high risk by the EUTOS score."
    )
    assert ok.notes == []


def test_phase_as_subject_of_developed_is_progression_and_arm_counts():
    ext = x(
        "A total of 300 patients were randomly assigned to busulfan (n = 150) or hydroxyurea (n = 150). "
        "Blast crisis developed in 80 patients treated with busulfan and 70 patients treated with hydroxyurea."
    )
    assert sorted(c.size for c in ext.cohorts) == [150, 150, 300]  # two arms of one size
    arm = {k: c.treatments[0].term for k, c in enumerate(ext.cohorts) if c.treatments}
    assert {(o.term, o.count, arm.get(o.cohort)) for o in ext.outcomes} == {
        ("ProgressionToBlastPhase", 80, "Busulfan"),
        ("ProgressionToBlastPhase", 70, "Hydroxyurea"),
    }


def test_alive_in_remission_deaths_by_cause_and_roman_grades():
    ext = x(
        "Twelve patients received a second allogeneic transplant. Five patients (42%) are alive in complete "
        "cytogenetic remission. Four patients died of transplant-related causes. Acute GVHD grade II-III occurred in 6 patients."
    )
    got = {(o.term, o.count, o.percent) for o in ext.outcomes}
    assert {("CompleteCytogeneticResponse", 5, 42), ("TransplantRelatedMortality", 4, None)} <= got
    assert {(a.term, a.grade) for a in ext.adverse_events} == {
        ("AcuteGraftVersusHostDisease", 2),
        ("AcuteGraftVersusHostDisease", 3),
    }


def test_all_but_n_and_lasting_remissions():
    got = outcomes(
        "We reviewed 90 patients given bosutinib. All but four patients responded to treatment. "
        "To date, 40 cytogenetic remissions have lasted 3-8 years (12 > 5 years)."
    )
    assert {
        ("NoResponse", 4, None, None),
        ("DurableRemission", 40, None, None),
        ("DurableRemission", 12, None, None),
    } <= got


def test_response_distributed_over_its_kinds():
    ext = x(
        "Forty patients received interferon alfa. Cytogenetic responses were obtained in 12 patients "
        "(complete in 4, partial in 5 and minor in 3)."
    )
    parts = {(o.term, o.count) for o in ext.outcomes if not o.aggregate_of}
    assert {
        ("CompleteCytogeneticResponse", 4),
        ("PartialCytogeneticResponse", 5),
        ("MinorCytogeneticResponse", 3),
    } <= parts
    assert [o.count for o in ext.outcomes if o.aggregate_of] == [12]
    ext = x(
        "We treated 30 patients with homoharringtonine. Eleven patients had a cytogenetic response: 3 complete and 8 partial."
    )
    assert {("CompleteCytogeneticResponse", 3), ("PartialCytogeneticResponse", 8)} <= {
        (o.term, o.count) for o in ext.outcomes
    }


def test_interferon_units_written_as_powers_of_ten_and_a_single_named_part():
    ext = x(
        "Forty patients received interferon alfa 3 x 10(6) U/m2 daily. Major cytogenetic responses occurred "
        "in 14 patients (35%), complete in 6 (15%)."
    )
    ifn = next(t for t in ext.treatments if t.term == "InterferonAlfa")
    assert [(d.value, d.unit) for d in ifn.doses] == [(3, "MU/m2/d")]
    got = {(o.term, o.count, o.percent) for o in ext.outcomes}
    assert got == {("MajorCytogeneticResponse", 14, 35), ("CompleteCytogeneticResponse", 6, 15)}
