"""Issue 20, batch sixteen: shapes of figure statements found wrong or missing in abstracts written in the
styles of unread reports (confidence intervals after figures, gapped lists, responders as a group,
adverse events in colon lists), each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import figures


def per_arm(text: str) -> dict[str, set[tuple]]:
    """Each arm's figures, keyed by its first drug and dose; figures on no arm under ''."""
    x = extract("t", text)
    out: dict[str, set[tuple]] = {"": set()}
    names = {}
    for k, c in enumerate(x.cohorts):
        if c.role == "arm":
            names[k] = " ".join(f"{t.term} {d.value:g}" for t in c.treatments for d in t.doses)
            out[names[k]] = set()
    for o in x.outcomes:
        out[names.get(o.cohort, "")].add((o.term, o.percent, o.time_months))
    return out


def events_per_arm(text: str) -> set[tuple]:
    x = extract("t", text)
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    return {(a.term, a.grade, sizes.get(a.cohort)) for a in x.adverse_events}


TWO_ARMS = (
    "Adults with chronic phase CML (n = 300) were randomly assigned to bosutinib 400 mg daily (n = 151) or "
    "imatinib 400 mg daily (n = 149). "
)


def test_a_confidence_interval_after_each_figure_keeps_the_figures_on_their_arms():
    text = (
        TWO_ARMS
        + "The 12-month MR4 rate was 21% (95% CI, 15%-28%) with bosutinib and 11% (95% CI 7-17) with "
        "imatinib (P = .02). CCyR by 12 months was 78% (95% confidence interval [CI] 70-84) and 68% "
        "(95% CI 60-75), respectively."
    )
    got = per_arm(text)
    assert got["Bosutinib 400"] == {("MR4", 21.0, 12.0), ("CompleteCytogeneticResponse", 78.0, 12.0)}
    assert got["Imatinib 400"] == {("MR4", 11.0, 12.0), ("CompleteCytogeneticResponse", 68.0, 12.0)}
    assert got[""] == set()


def test_a_list_of_percents_sharing_one_verb_and_its_closing_time_point():
    text = (
        "Ninety adults with chronic phase CML received dasatinib 100 mg daily. Overall, 84% attained a "
        "CCyR, 66% an MMR and 35% MR4.5 by 36 months."
    )
    assert figures(text) >= {
        ("CompleteCytogeneticResponse", None, 84.0, None, 36.0),
        ("MajorMolecularResponse", None, 66.0, None, 36.0),
        ("MR4_5", None, 35.0, None, 36.0),
    }
    counted = (
        "We treated 70 patients with nilotinib. In total 51 (73%) reached CCyR, 40 (57%) MMR and 12 (17%) "
        "MR4 by 24 months."
    )
    assert {(t, c, m) for t, c, _p, _d, m in figures(counted)} >= {
        ("CompleteCytogeneticResponse", 51, 24.0),
        ("MajorMolecularResponse", 40, 24.0),
        ("MR4", 12, 24.0),
    }


def test_a_time_point_after_the_last_item_stays_its_own_when_another_item_states_one():
    text = (
        "Eighty patients with CML-CP received imatinib 400 mg daily. At 6 months, 40% had an MMR and 25% "
        "MR4 at 12 months."
    )
    got = figures(text)
    assert ("MajorMolecularResponse", None, 40.0, None, 6.0) in got
    assert ("MR4", None, 25.0, None, 12.0) in got


def test_resistant_and_intolerant_labels_before_subgroup_figures_are_no_outcome():
    text = (
        "Patients with chronic phase CML pretreated with imatinib (N = 140) received bosutinib 500 mg daily. "
        "MCyR by 24 months was 51% (resistant 56%; intolerant 40%)."
    )
    terms = {f[0] for f in figures(text)}
    assert "NoResponse" not in terms
    assert ("MajorCytogeneticResponse", None, 51.0, None, 24.0) in figures(text)


def test_a_fronted_group_without_a_response_neither_negates_nor_takes_the_figure():
    text = (
        "A total of 160 patients with CML-CP received nilotinib. Among patients without MMR at baseline, "
        "MR4 was reached by 30 of 120 evaluable patients (25%)."
    )
    got = figures(text)
    assert ("MR4", 30, 25.0, 120, None) in got
    assert not any(f[0] == "MajorMolecularResponse" for f in got)


def test_responders_named_as_a_group_are_not_a_figure_of_their_response():
    for sentence in (
        "In all, 88% of those with CCyR at 12 months kept it at 3 years.",
        "Of patients in MMR at 24 months, 90% maintained it.",
        "Among patients who attained MR4, 12 (30%) lost it after stopping.",
    ):
        text = "One hundred patients with chronic phase CML received imatinib 400 mg daily. " + sentence
        got = figures(text)
        assert not any(f[2] in (88.0, 90.0, 30.0) or f[1] == 12 for f in got), (sentence, got)


def test_n_over_n_with_its_patient_noun_keeps_its_percent():
    text = "Sixty patients received ponatinib. MMR was reached in 22/58 assessable patients (38%)."
    assert ("MajorMolecularResponse", 22, 38.0, 58, None) in figures(text)


def test_adverse_events_in_colon_lists_and_with_an_elided_verb_are_per_arm():
    colon = TWO_ARMS + "Grade 3/4 diarrhea: 9% vs 1%; pleural effusion: 3% vs 1%."
    assert events_per_arm(colon) == {
        ("Diarrhea", 3, 151),
        ("Diarrhea", 3, 149),
        ("Diarrhea", 4, 151),
        ("Diarrhea", 4, 149),
        ("PleuralEffusion", None, 151),
        ("PleuralEffusion", None, 149),
    }
    elided = TWO_ARMS + "Rash occurred in 12% vs 4% and grade 3 thrombocytopenia in 14% vs 20%."
    assert events_per_arm(elided) == {
        ("Rash", None, 151),
        ("Rash", None, 149),
        ("Thrombocytopenia", 3, 151),
        ("Thrombocytopenia", 3, 149),
    }


THREE_ARMS = (
    "In all, 600 patients with chronic phase CML were randomized to dasatinib 50 mg daily (n = 200), "
    "dasatinib 100 mg daily (n = 200) or imatinib 400 mg daily (n = 200). "
)


def test_counts_with_their_noun_and_percent_listed_respectively_are_per_arm():
    text = THREE_ARMS + (
        "Transformation to AP/BP during therapy occurred in 1 patient (0.5%), 2 patients (1.0%) and 7 patients "
        "(3.5%), respectively."
    )
    got = per_arm(text)
    assert got["Dasatinib 50"] == {("Progression", 0.5, None)}
    assert got["Dasatinib 100"] == {("Progression", 1.0, None)}
    assert got["Imatinib 400"] == {("Progression", 3.5, None)}


def test_a_parenthesis_that_defines_an_outcome_is_no_outcome_of_its_own():
    text = (
        "We followed 180 patients with CML-CP who stopped nilotinib. Treatment-free survival, RFS (loss of "
        "MMR), was not reported; relapse-free survival (loss of MR4) was 55% (95% CI 47-62%) at 12 months and "
        "48% (40-56%) at 36 months."
    )
    got = figures(text)
    assert ("RelapseFreeSurvival", None, 55.0, None, 12.0) in got
    assert ("RelapseFreeSurvival", None, 48.0, None, 36.0) in got
    assert not any(f[0] in ("LossOfResponse", "MR4") for f in got)
    threshold = (
        "Sixty patients with CML-CP received bosutinib. Major molecular response (MMR; BCR-ABL1 ≤0.1% IS) was "
        "achieved by 27 patients (45%)."
    )
    assert ("MajorMolecularResponse", 27, 45.0, None, None) in figures(threshold)


def test_a_study_population_that_stops_treatment_is_the_design_not_a_discontinuation():
    text = (
        "A total of 120 patients with CML-CP stopped dasatinib after two years in MR4.5. Twenty-two patients "
        "lost MMR."
    )
    got = figures(text)
    assert not any(f[0] == "TreatmentDiscontinuation" and f[1] == 120 for f in got)


def test_a_reason_after_compared_figures_names_the_discontinuation():
    text = TWO_ARMS + "More patients stopped imatinib (14%) than bosutinib (6%) because of adverse events."
    assert {f[0] for f in figures(text)} == {"DiscontinuationDueToToxicity"}


def test_coordinated_events_share_the_grades_after_the_figures_of_the_first():
    text = (
        "Fifty patients with CML in blast phase received ponatinib 45 mg daily. Grade 3 or 4 neutropenia (48% "
        "myeloid, 30% lymphoid), thrombocytopenia (52%, 41%) and febrile neutropenia (20%, 12%) were frequent."
    )
    x = extract("t", text)
    graded = {(a.term, a.grade) for a in x.adverse_events}
    assert {("Thrombocytopenia", 3), ("Thrombocytopenia", 4)} <= graded
    assert not any(a.grade is None for a in x.adverse_events if a.term == "Thrombocytopenia")


def test_a_share_after_the_event_verb_is_the_events_percent():
    text = "We treated 310 patients with CML-CP with nilotinib. Nine patients died (2.9%) during follow-up."
    assert ("Death", 9, 2.9) in {(f[0], f[1], f[2]) for f in figures(text)}


def test_complete_or_major_molecular_response_is_one_category():
    text = (
        "Ninety-two patients received imatinib 400 mg daily. The rate of C/MMR (BCR-ABL1 ≤0.1% or undetectable) "
        "was 61% at 12 months."
    )
    got = figures(text)
    assert got == {("MajorMolecularResponse", None, 61.0, None, 12.0)}


def test_kinds_of_a_response_family_listed_after_its_name_with_their_definitions():
    text = (
        "Seventy patients in chronic phase received interferon alfa 3 MU daily. Cytogenetic responses were "
        "major (<35% Ph+ metaphases) in 19 (27%) and minor (35-95%) in 9 (13%)."
    )
    got = {(f[0], f[1]) for f in figures(text)}
    assert {("MajorCytogeneticResponse", 19), ("MinorCytogeneticResponse", 9)} <= got
    assert not any(term == "CytogeneticResponse" for term, _n in got)


def test_a_figure_stated_for_the_responders_is_not_a_figure_of_the_response():
    text = (
        "We treated 150 patients with nilotinib. Five-year event-free survival was 91% among patients with "
        "an MMR at 12 months and 70% among the others."
    )
    assert not any(f[0] == "MajorMolecularResponse" for f in figures(text))


def test_conditioning_agents_named_after_the_transplant_are_interventions():
    text = (
        "Thirty patients with CML in accelerated phase received an allogeneic transplant following "
        "treosulfan and fludarabine conditioning. Two-year overall survival was 58%."
    )
    x = extract("t", text)
    roles = {(t.term, t.role) for t in x.treatments}
    assert ("Fludarabine", "intervention") in roles
    assert ("Fludarabine", "prior") not in roles


def test_a_time_point_in_a_fronted_group_holds_for_every_figure_of_the_sentence():
    text = (
        "Sixty patients with CML-CP received bosutinib 400 mg daily. Among 55 assessable patients at 24 months, "
        "47 (85%) had CCyR, 33 (60%) MMR and 12 (22%) MR4.5."
    )
    got = {(f[0], f[1], f[4]) for f in figures(text)}
    assert {
        ("CompleteCytogeneticResponse", 47, 24.0),
        ("MajorMolecularResponse", 33, 24.0),
        ("MR4_5", 12, 24.0),
    } <= got


def test_a_share_of_samples_is_not_a_share_of_patients():
    text = (
        "Transcripts were measured in 300 paired specimens from 70 patients with CML on imatinib. MMR by blood "
        "matched CCyR by marrow in 93% of the paired specimens."
    )
    assert figures(text) == set()


def test_sexes_written_as_counts_with_letters():
    x = extract("t", "We enrolled 47 patients (26 M/21 F; median age 51 years) with CML-CP on nilotinib.")
    assert (x.cohorts[0].male, x.cohorts[0].female) == (26, 21)


def test_the_groups_of_a_registry_by_the_drug_each_received_are_arms():
    text = (
        "Of 640 patients with chronic phase CML in the registry, 301 received imatinib, 190 nilotinib and 96 "
        "dasatinib as first-line therapy. The MMR rate at 12 months was 38% with imatinib, 55% with nilotinib "
        "and 57% with dasatinib."
    )
    x = extract("t", text)
    assert [c.size for c in x.cohorts] == [640, 301, 190, 96]
    arms = {c.treatments[0].term: k for k, c in enumerate(x.cohorts) if c.role == "arm"}
    on_arm = {(o.cohort, o.percent) for o in x.outcomes}
    assert {(arms["Imatinib"], 38.0), (arms["Nilotinib"], 55.0), (arms["Dasatinib"], 57.0)} <= on_arm


def test_figures_listed_after_a_comma_are_not_parts_of_the_figure_before():
    text = (
        "We analysed 20 patients with CML-CP on bosutinib. At 48 months, responses were CHR in 19 (95%), MCyR "
        "in 9 (45%), MMR in 5 (25%) and MR4 in 4 (20%)."
    )
    x = extract("t", text)
    assert not any(o.aggregate_of for o in x.outcomes)


def test_a_sentence_subject_sized_in_parentheses_before_its_enrolment_verb_is_the_population():
    text = (
        "Methods: Adults with chronic phase CML resistant to imatinib (n = 84) were treated with ponatinib 45 mg "
        "daily. Results: 44 (52.4 percent) were female."
    )
    x = extract("t", text)
    assert [(c.role, c.size, c.female) for c in x.cohorts] == [("population", 84, 44)]


def test_a_count_of_patients_described_in_parentheses_with_slashes():
    text = (
        "Two patients with CML in blast phase (CML-BP) (sex/age: M/23, F/70) received ponatinib 45 mg/d. Both "
        "achieved CHR."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 2)]


def test_a_bare_count_with_its_disease_before_the_enrolment_verb():
    text = (
        "Patients: 96 with CML-CP intolerant to imatinib were treated with dasatinib 100 mg daily. CCyR was "
        "achieved by 61 (64%)."
    )
    assert [c.size for c in extract("t", text).cohorts] == [96]


def test_grades_are_shared_by_events_listed_after_a_bare_percent():
    text = "Seventy patients received bosutinib. Grade 3/4 diarrhea 11%, rash 8%, transaminase elevation 7%."
    x = extract("t", text)
    assert {(a.term, a.grade) for a in x.adverse_events if a.term == "Rash"} == {("Rash", 3), ("Rash", 4)}


def test_prior_therapy_named_by_a_response_to_it_and_the_study_drug_stopped():
    switched = "Thirty patients with an inadequate response to imatinib were treated with nilotinib 400 mg twice daily."
    roles = {(t.term, t.role) for t in extract("t", switched).treatments}
    assert ("Imatinib", "prior") in roles and ("Imatinib", "intervention") not in roles
    stopped = (
        "We describe four patients on dasatinib 100 mg daily with pleural effusion. All improved after "
        "dasatinib was stopped."
    )
    roles = {(t.term, t.role) for t in extract("t", stopped).treatments}
    assert ("Dasatinib", "prior") not in roles


def test_a_drug_as_the_subject_of_its_discontinuation():
    text = (
        "Fifty patients with CML-CP received nilotinib 300 mg twice daily. Nilotinib was stopped for "
        "toxicity in 6 patients (12%)."
    )
    assert ("DiscontinuationDueToToxicity", 6, 12.0) in {(f[0], f[1], f[2]) for f in figures(text)}


def test_the_design_of_a_stopping_study_is_no_figure():
    text = (
        "Twenty-five patients in MR4.5 for at least 2 years were enrolled. Imatinib was discontinued in all 25 "
        "patients. Molecular relapse occurred in 10 (40%)."
    )
    got = figures(text)
    assert not any(f[0] in ("TreatmentDiscontinuation", "MR4_5") for f in got)
    assert ("Relapse", 10, 40.0, None, None) in got


def test_a_time_point_before_a_gapped_list_holds_for_its_items_but_not_for_a_clause_of_its_own():
    gapped = (
        "Forty patients received bosutinib. After 24 months of therapy, 30 of 40 (75%) achieved CCyR and 21 "
        "(53%) MMR."
    )
    assert ("MajorMolecularResponse", 21, 24.0) in {(f[0], f[1], f[4]) for f in figures(gapped)}
    clause = "Forty patients received bosutinib. The 2-year overall survival was 95%, and 2 patients died."
    assert ("Death", 2, None) in {(f[0], f[1], f[4]) for f in figures(clause)}


def test_a_fronted_allocation_keeps_each_option_an_arm():
    text = (
        "Of 330 patients randomized to ponatinib 45 mg (n = 110), ponatinib 30 mg (n = 110) or ponatinib 15 mg "
        "(n = 110), 302 were evaluable at 12 months."
    )
    x = extract("t", text)
    arms = sorted(
        (c.size, [(t.term, [d.value for d in t.doses]) for t in c.treatments])
        for c in x.cohorts
        if c.role == "arm"
    )
    assert arms == [
        (110, [("Ponatinib", [15.0])]),
        (110, [("Ponatinib", [30.0])]),
        (110, [("Ponatinib", [45.0])]),
    ]


def test_arm_sizes_named_with_their_drug_after_an_allocation_without_them():
    text = (
        "In all, 440 patients were randomly assigned 1:1 to nilotinib 300 mg twice daily or imatinib 400 mg "
        "daily. Among the 221 patients randomized to nilotinib, 80% reached CCyR by 12 months, compared with "
        "65% of the 219 patients on imatinib."
    )
    x = extract("t", text)
    assert sorted((c.role, c.size) for c in x.cohorts) == [("arm", 219), ("arm", 221), ("population", 440)]
    event_count = (
        "In all, 440 patients were randomly assigned 1:1 to nilotinib 300 mg twice daily or imatinib 400 mg "
        "daily. Rash occurred in 12 patients on nilotinib."
    )
    assert sorted((c.role, c.size) for c in extract("t", event_count).cohorts) == [
        ("arm", None),
        ("arm", None),
        ("population", 440),
    ]


def test_a_response_that_qualified_the_patients_does_not_keep_them_from_being_the_population():
    text = (
        "Ninety-one patients who had achieved MR4 for two years on imatinib entered the discontinuation "
        "phase. Molecular relapse occurred in 38 (42%)."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 91)]


def test_n_of_n_with_a_group_word_before_its_percent():
    text = (
        "Forty patients with CML in blast phase received ponatinib with chemotherapy. Complete remission was "
        "reached in 8 of 15 lymphoid (53%) and 7 of 25 myeloid (28%) patients."
    )
    got = {(f[0], f[1], f[2], f[3]) for f in figures(text)}
    assert got == {("CompleteRemission", 8, 53.0, 15), ("CompleteRemission", 7, 28.0, 25)}


def test_the_first_of_a_list_of_counts_with_percents_is_not_the_events_count():
    text = (
        "Patients were randomized to dasatinib 50 mg (n = 80), 70 mg (n = 80) or 100 mg (n = 80) daily. "
        "Pleural effusion occurred in 4 (5%), 9 (11%) and 14 (18%) patients."
    )
    x = extract("t", text)
    # (one count per arm, in order, as many as the arms: never the first one as the whole study's)
    effusions = [a for a in x.adverse_events if a.term == "PleuralEffusion"]
    assert all(a.cohort is not None for a in effusions)
    assert sorted((x.cohorts[a.cohort].treatments[0].doses[0].value, a.count) for a in effusions) == [
        (50.0, 4),
        (70.0, 9),
        (100.0, 14),
    ]


def test_the_patients_of_a_stopping_study_without_an_enrolment_verb():
    text = (
        "Stopping nilotinib in deep response\n\nForty-four patients with MR4.5 sustained for at least 1.5 years "
        "stopped nilotinib. Molecular relapse-free survival at 12 months was 60%."
    )
    x = extract("t", text)
    assert [(c.role, c.size) for c in x.cohorts] == [("population", 44)]
    assert not any(o.term == "TreatmentDiscontinuation" for o in x.outcomes)
    toxic = "Nine patients stopped nilotinib because of rash. Molecular response was not assessed."
    assert extract("t", toxic).cohorts == []


def test_a_group_named_by_exactly_the_drugs_of_one_arm():
    text = (
        "Patients with CML-CP were randomized to interferon-α 5 MU/m2 daily plus araC 20 mg/m2 daily (n = 150) "
        "or interferon-α alone (n = 148). CCyR at 24 months was 21% in the IFN+araC group and 12% in the IFN "
        "group."
    )
    x = extract("t", text)
    arm_of = {frozenset(t.term for t in c.treatments): k for k, c in enumerate(x.cohorts) if c.role == "arm"}
    on_arm = {(o.cohort, o.percent) for o in x.outcomes}
    assert (arm_of[frozenset({"InterferonAlfa", "Cytarabine"})], 21.0) in on_arm
    assert (arm_of[frozenset({"InterferonAlfa"})], 12.0) in on_arm


def test_conditioning_dosed_per_kilogram_after_the_transplant_is_an_intervention():
    text = (
        "Thirty-five patients with CML in first chronic phase received marrow grafts from HLA-matched "
        "unrelated donors after busulfan (16 mg/kg) and cyclophosphamide (120 mg/kg). Survival at 3 years "
        "was 57%."
    )
    roles = {(t.term, t.role) for t in extract("t", text).treatments}
    assert {("AllogeneicTransplant", "intervention"), ("Busulfan", "intervention")} <= roles
    assert ("Busulfan", "prior") not in roles and ("Cyclophosphamide", "prior") not in roles


def test_a_gapped_figure_joined_by_and_of_shares_the_time_point():
    text = (
        "We transplanted 80 patients in chronic phase. The probability of survival at 5 years was 61% and of "
        "relapse 17%."
    )
    assert ("Relapse", None, 17.0, None, 60.0) in figures(text)


def test_counts_of_two_groups_sharing_one_patient_noun():
    text = (
        "Patients were randomized to busulfan (n = 150) or hydroxyurea (n = 151). Blast crisis developed in 61 "
        "busulfan-treated and 48 hydroxyurea-treated patients."
    )
    x = extract("t", text)
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    got = {(o.count, sizes.get(o.cohort)) for o in x.outcomes if o.term == "ProgressionToBlastPhase"}
    assert got == {(61, 150), (48, 151)}


def test_within_a_time_of_diagnosis_is_no_time_point_of_the_figure():
    text = (
        "We transplanted 120 patients with CML. Those transplanted within 1 year of diagnosis had a better "
        "survival (66%) than those transplanted later (40%)."
    )
    assert all(f[4] is None for f in figures(text))


def test_patients_in_whom_something_was_measured_after_a_day_are_the_population():
    text = (
        "Imatinib trough levels were measured on day 28 in 120 patients with newly diagnosed CML-CP. Levels "
        "above 1000 ng/mL were found in 52 patients."
    )
    assert [c.size for c in extract("t", text).cohorts] == [120]


def test_a_time_point_after_a_pair_compared_holds_for_both_and_ties_them_to_the_arms():
    text = TWO_ARMS + "CCyR rates were 77% vs 66% at 12 months."
    got = per_arm(text)
    assert got["Bosutinib 400"] == {("CompleteCytogeneticResponse", 77.0, 12.0)}
    assert got["Imatinib 400"] == {("CompleteCytogeneticResponse", 66.0, 12.0)}


def test_a_table_of_counts_with_bare_percents_under_an_n_percent_header():
    text = (
        "Results: 300 patients were randomized (nilotinib 300 mg BID, n = 151; imatinib 400 mg QD, n = 149). "
        "Responses at 24 months, n (%), nilotinib vs imatinib: MMR, 98 (64.9) vs 66 (44.3); MR4.5, 38 (25.2) "
        "vs 16 (10.7)."
    )
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("MajorMolecularResponse", 64.9, 24.0), ("MR4_5", 25.2, 24.0)}
    assert got["Imatinib 400"] == {("MajorMolecularResponse", 44.3, 24.0), ("MR4_5", 10.7, 24.0)}


def test_decimal_commas_in_percents():
    text = (
        "Fifty patients received imatinib. A complete cytogenetic response was reached by 31 of 48 (64,6%)."
    )
    assert ("CompleteCytogeneticResponse", 31, 64.6, 48, None) in figures(text)
    assert not any(f[2] == 6.0 for f in figures(text))


def test_a_complete_one_names_the_kind_and_is_no_count():
    text = (
        "Forty patients in accelerated phase received dasatinib. Half attained a major cytogenetic response, "
        "and 30% a complete one."
    )
    got = figures(text)
    assert ("CompleteCytogeneticResponse", None, 30.0, None, None) in got
    assert not any(f[1] == 1 for f in got)


def test_the_group_events_are_counted_in_is_not_their_count_and_own_grades_stay_own():
    text = (
        "Among 180 patients treated with bosutinib, diarrhea (any grade 80%, grade 3/4 9%), rash (20%) and "
        "nausea (35%) were the most common events."
    )
    x = extract("t", text)
    assert not any(a.count == 180 for a in x.adverse_events)
    assert {(a.term, a.grade) for a in x.adverse_events} == {
        ("Diarrhea", 3),
        ("Diarrhea", 4),
        ("Rash", None),
        ("Nausea", None),
    }


def test_a_reason_after_the_count_and_its_share_names_the_discontinuation():
    text = (
        "Sixty patients received nilotinib plus peginterferon. Peginterferon was discontinued in 21 patients "
        "(35%), mainly for fatigue."
    )
    assert ("DiscontinuationDueToToxicity", 21, 35.0) in {(f[0], f[1], f[2]) for f in figures(text)}


def test_events_with_a_pair_of_figures_and_no_verb_are_per_arm():
    text = TWO_ARMS + "Adverse events of any grade: diarrhea 70% vs 19%; rash 22% vs 14%."
    assert events_per_arm(text) == {
        ("Diarrhea", None, 151),
        ("Diarrhea", None, 149),
        ("Rash", None, 151),
        ("Rash", None, 149),
    }


def test_n_over_n_with_percents_compared_are_per_arm():
    text = (
        "In all, 300 patients were randomized to bosutinib 400 mg daily (n = 150) or imatinib 400 mg daily "
        "(n = 150). MMR at 12 months was reached by 71/150 (47.3%) vs 55/150 (36.7%) patients."
    )
    got = per_arm(text)
    assert got["Bosutinib 400"] == {("MajorMolecularResponse", 47.3, 12.0)}
    assert got["Imatinib 400"] == {("MajorMolecularResponse", 36.7, 12.0)}


def test_discontinuation_as_a_noun_with_its_reason():
    text = (
        "Eighty patients received imatinib plus peginterferon alfa. Discontinuation of peginterferon because of "
        "adverse events occurred in 22 patients (27.5%)."
    )
    assert ("DiscontinuationDueToToxicity", 22, 27.5) in {(f[0], f[1], f[2]) for f in figures(text)}
    plain = "Eighty patients received imatinib. Discontinuation of imatinib was followed by relapse in 30%."
    assert not any(f[0].startswith(("Discontinuation", "Treatment")) for f in figures(plain))


def test_patients_surveyed_are_the_population():
    text = "We surveyed 212 patients with CML-CP on nilotinib about adherence; 31% reported missed doses."
    assert [c.size for c in extract("t", text).cohorts] == [212]


EQUAL_ARMS = (
    "A total of 300 patients were randomized to nilotinib 300 mg twice daily (n = 150) or imatinib 400 mg "
    "daily (n = 150). "
)


def test_time_points_by_the_end_of_an_ordinal_year_and_in_short_adjectives():
    text = "Ninety patients received bosutinib. By the end of the second year, 61% had an MMR; the 12-mo CCyR rate was 77%."
    got = {(f[0], f[2], f[4]) for f in figures(text)}
    assert {("MajorMolecularResponse", 61.0, 24.0), ("CompleteCytogeneticResponse", 77.0, 12.0)} <= got


def test_the_proportion_of_patients_with_a_response_is_its_figure():
    text = "Ninety patients received bosutinib. The proportion of patients with MR4 at month 24 was 33%."
    assert ("MR4", None, 33.0, None, 24.0) in figures(text)


def test_a_higher_rate_with_a_time_point_before_the_figures_compared_with_than():
    text = EQUAL_ARMS + "Nilotinib gave a higher MR4.5 rate at 24 months (25%) than imatinib (9%)."
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("MR4_5", 25.0, 24.0)}
    assert got["Imatinib 400"] == {("MR4_5", 9.0, 24.0)}


def test_the_first_figures_time_point_between_the_pair_holds_for_both():
    text = EQUAL_ARMS + "The nilotinib arm had a CCyR rate of 80% by 12 months vs 65% for imatinib."
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("CompleteCytogeneticResponse", 80.0, 12.0)}
    assert got["Imatinib 400"] == {("CompleteCytogeneticResponse", 65.0, 12.0)}


def test_a_series_of_time_points_per_arm_compared():
    text = EQUAL_ARMS + (
        "With nilotinib, MR4 rates at 24 and 48 months were 39% and 50%, versus 21% and 33% with imatinib."
    )
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("MR4", 39.0, 24.0), ("MR4", 50.0, 48.0)}
    assert got["Imatinib 400"] == {("MR4", 21.0, 24.0), ("MR4", 33.0, 48.0)}


def test_drugs_listed_for_prior_therapies_and_previously_exposed():
    listed = (
        "Eligible patients had CML-CP resistant to at least 2 prior TKIs (imatinib, dasatinib or nilotinib) "
        "and received asciminib 40 mg twice daily."
    )
    roles = {(t.term, t.role) for t in extract("t", listed).treatments}
    assert roles == {
        ("Imatinib", "prior"),
        ("Dasatinib", "prior"),
        ("Nilotinib", "prior"),
        ("Asciminib", "intervention"),
    }
    exposed = "Thirty patients previously exposed to imatinib and nilotinib received ponatinib."
    roles = {(t.term, t.role) for t in extract("t", exposed).treatments}
    assert roles == {("Imatinib", "prior"), ("Nilotinib", "prior"), ("Ponatinib", "intervention")}


def test_phases_listed_with_their_sizes():
    text = "Patients in chronic (n = 30), accelerated (n = 9) or blast (n = 6) phase received bosutinib."
    assert {p.term for p in extract("t", text).phases} == {"ChronicPhase", "AcceleratedPhase", "BlastPhase"}


def test_patients_named_by_their_resistance_and_sized_are_a_subgroup_not_an_arm():
    text = (
        "We treated 150 patients with CML-CP with imatinib 400 mg daily. Imatinib-resistant patients (n = 35) "
        "were switched to dasatinib."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 150), ("subgroup", 35)]


def test_a_group_named_by_a_treatment_of_no_arm_does_not_take_the_arm_named_before():
    text = (
        "A total of 300 patients were randomized to interferon alfa (n = 200) or chemotherapy (n = 100; busulfan "
        "or hydroxyurea). MCyR was obtained in 38 interferon-treated patients (19%) and in 3 chemotherapy-treated "
        "patients (3%)."
    )
    x = extract("t", text)
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    got = {(o.count, sizes.get(o.cohort)) for o in x.outcomes}
    assert (38, 200) in got
    assert (3, 200) not in got


def test_adverse_events_leading_to_discontinuation():
    text = (
        EQUAL_ARMS
        + "Adverse events led to discontinuation in 7.3% of nilotinib and 12.0% of imatinib patients."
    )
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("DiscontinuationDueToToxicity", 7.3, None)}
    assert got["Imatinib 400"] == {("DiscontinuationDueToToxicity", 12.0, None)}


def test_a_response_that_names_a_group_is_no_figure_of_it():
    text = (
        "Ninety patients stopped imatinib. Two years later, 64% of the MR4.5 group and 41% of the MR4 group "
        "remained in MMR."
    )
    assert not any(f[0] in ("MR4", "MR4_5") for f in figures(text))


def test_a_whole_split_into_sized_groups_is_the_population_when_nothing_is_enrolled():
    text = (
        "One hundred patients in MMR (n = 38) or MR4 (n = 62) on imatinib, dasatinib or nilotinib halved their "
        "dose for a year. Twelve patients lost MMR."
    )
    x = extract("t", text)
    assert sorted((c.role, c.size) for c in x.cohorts) == [
        ("population", 100),
        ("subgroup", 38),
        ("subgroup", 62),
    ]
    assert not any(o.count == 100 for o in x.outcomes)


def test_a_subject_sized_alone_with_its_prior_therapy_is_the_population():
    text = (
        "Background: An earlier trial of 570 patients reported MMR in 40%. Methods: Patients with CML-CP "
        "previously treated with imatinib (n = 64) received bosutinib 500 mg daily."
    )
    assert [(c.role, c.size) for c in extract("t", text).cohorts] == [("population", 64)]


def test_none_of_the_n_patients_is_the_denominator_of_a_count_of_none():
    text = (
        "Thirty patients received nilotinib. No progression to blast phase was observed; none of the 30 "
        "patients had events."
    )
    assert ("ProgressionToBlastPhase", 0, None, 30, None) in figures(text)


def test_arms_labelled_by_their_role_in_the_allocation():
    text = (
        "In all, 280 patients were randomized to dasatinib 100 mg daily (experimental arm, n = 140) or imatinib "
        "400 mg daily (standard arm, n = 140). MR4 at 24 months was 29% in the investigational arm and 18% in "
        "the control arm."
    )
    got = per_arm(text)
    assert got["Dasatinib 100"] == {("MR4", 29.0, 24.0)}
    assert got["Imatinib 400"] == {("MR4", 18.0, 24.0)}


def test_responses_named_by_their_threshold():
    text = (
        "Sixty patients received nilotinib. BCR-ABL1 ≤0.1% was reached by 55% and BCR-ABL1 ≤0.01% by 31% at "
        "24 months; a 3-log reduction at 12 months was seen in 40%."
    )
    got = {(f[0], f[2]) for f in figures(text)}
    assert {("MajorMolecularResponse", 55.0), ("MR4", 31.0), ("MajorMolecularResponse", 40.0)} <= got


def test_vascular_events_by_their_names_and_no_comorbidity_as_an_event():
    text = (
        "We followed 150 patients on nilotinib. Patients with a history of coronary artery disease or with "
        "hypertension at baseline were included. Peripheral arterial occlusive disease occurred in 6 patients, "
        "ischaemic heart disease in 5 and cerebrovascular events in 2."
    )
    events = {(a.term, a.count) for a in extract("t", text).adverse_events}
    assert events == {
        ("PeripheralArterialOcclusiveDisease", 6),
        ("IschemicHeartDisease", 5),
        ("CerebrovascularEvent", 2),
    }


def test_ages_as_a_range_with_the_median_after_and_a_mean_with_its_sd_named_first():
    ranged = extract("t", "We enrolled 64 patients whose ages ranged from 21 to 80 years (median 57).")
    c = ranged.cohorts[0]
    assert (c.age_statistic, c.age_value, c.age_min, c.age_max) == ("median", 57.0, 21.0, 80.0)
    mean = extract("t", "We enrolled 64 patients (mean age ± SD, 48 ± 13 years).").cohorts[0]
    assert (mean.age_statistic, mean.age_value, mean.age_sd) == ("mean", 48.0, 13.0)


def test_a_negation_before_a_list_of_events_covers_the_list():
    text = (
        "Forty children received dasatinib. No pleural or pericardial effusion, pulmonary arterial hypertension "
        "or pulmonary edema was reported; rash occurred in 3."
    )
    assert {a.term for a in extract("t", text).adverse_events} == {"Rash"}


def test_patients_who_started_a_drug_are_the_population():
    text = "Between 2005 and 2010, 240 patients with CML-CP started imatinib 400 mg daily at our centre."
    assert [c.size for c in extract("t", text).cohorts] == [240]


def test_resistance_as_the_reason_of_a_discontinuation_is_no_outcome_of_its_own():
    text = (
        "Two hundred patients received imatinib. Imatinib was stopped because of intolerance in 14 patients "
        "(7%) and because of resistance in 30 (15%)."
    )
    got = {(f[0], f[1]) for f in figures(text)}
    assert ("NoResponse", 30) not in got
    assert {("DiscontinuationDueToToxicity", 14), ("TreatmentDiscontinuation", 30)} <= got


def test_drugs_abbreviated_in_conference_style_and_a_prior_drug_names_no_arm():
    text = (
        "Pts (N=300) received IM (n=100), NIL (n=100) or DAS (n=100) first line. MMR at 12 mo: IM 40%, NIL "
        "57%, DAS 53%. Pts switched to BOS after NIL failure (n=12) had MMR 25% at 12 mo."
    )
    x = extract("t", text)
    arms = {c.treatments[0].term: k for k, c in enumerate(x.cohorts) if c.role == "arm" and c.treatments}
    assert set(arms) == {"Imatinib", "Nilotinib", "Dasatinib"}
    on_arm = {(o.cohort, o.percent) for o in x.outcomes}
    assert {(arms["Imatinib"], 40.0), (arms["Nilotinib"], 57.0), (arms["Dasatinib"], 53.0)} <= on_arm
    assert (None, 25.0) in on_arm


def test_freedom_from_progression_to_named_phases_reads_its_figure():
    text = "We treated 200 patients with CML-CP with nilotinib. Freedom from progression to AP/BP at 5 years was 96%."
    assert ("ProgressionFreeSurvival", None, 96.0, None, 60.0) in figures(text)


def test_daily_doses_written_q_d_and_o_d():
    text = "Sixty patients with CML-CP received imatinib 600 mg q.d.; twenty received imatinib 400 mg o.d. earlier."
    assert {(t.term, d.value, d.unit) for t in extract("t", text).treatments for d in t.doses} == {
        ("Imatinib", 600.0, "mg/d"),
        ("Imatinib", 400.0, "mg/d"),
    }


def test_a_count_compared_after_the_figure_of_a_subject():
    text = (
        "A total of 322 patients were randomized to interferon alfa (n = 218) or busulfan (n = 104). Of the 218 "
        "interferon-treated patients, 48 (22%) achieved MCyR, compared with 3 of 104 (3%) busulfan-treated "
        "patients."
    )
    x = extract("t", text)
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert {(o.count, o.denominator, sizes.get(o.cohort)) for o in x.outcomes} == {
        (48, 218, 218),
        (3, 104, 104),
    }


def test_event_counts_after_a_colon_and_not_the_first_of_a_compared_pair():
    listed = "Sixty patients received dasatinib. Neutropenia: 12 (20%); anemia: 6 (10%)."
    assert {(a.term, a.count) for a in extract("t", listed).adverse_events} == {
        ("Neutropenia", 12),
        ("Anemia", 6),
    }
    paired = "Sixty patients received dasatinib. Neutropenia: 12 (20%) vs 5 (8%)."
    assert {(a.term, a.count) for a in extract("t", paired).adverse_events} == {("Neutropenia", None)}


def test_figures_of_another_study_in_a_clause_are_not_this_studys():
    text = (
        "We treated 120 patients with CML-CP with nilotinib. In a previous study, the MMR rate with imatinib "
        "was 38%; in ours, MMR at 12 months was 57%. The CCyR rate in historical controls was 61%."
    )
    assert {(f[0], f[2]) for f in figures(text)} == {("MajorMolecularResponse", 57.0)}


def test_events_per_arm_by_counts_respectively_by_label_first_lists_and_never_on_a_nil_arm():
    counts = TWO_ARMS + "Pleural effusion occurred in 18 and 3 patients, respectively."
    assert events_per_arm(counts) == {("PleuralEffusion", None, 151), ("PleuralEffusion", None, 149)}
    listed_after = TWO_ARMS + (
        "Diarrhea occurred in 120 (79%) and 20 (13%) patients in the bosutinib and imatinib arms, respectively."
    )
    assert events_per_arm(listed_after) == {("Diarrhea", None, 151), ("Diarrhea", None, 149)}
    label_first = TWO_ARMS + "Rash: bosutinib 20%, imatinib 0%."
    assert events_per_arm(label_first) == {("Rash", None, 151)}
    nil_after = (
        TWO_ARMS + "Rash developed in 30 patients treated with bosutinib and in 0 treated with imatinib."
    )
    assert events_per_arm(nil_after) == {("Rash", None, 151)}


def test_a_series_per_arm_each_closed_by_its_arm():
    text = EQUAL_ARMS + (
        "By 12 and 36 months, MR4 rates were 26% and 50% for nilotinib and 10% and 26% for imatinib, respectively."
    )
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("MR4", 26.0, 12.0), ("MR4", 50.0, 36.0)}
    assert got["Imatinib 400"] == {("MR4", 10.0, 12.0), ("MR4", 26.0, 36.0)}


def test_pairs_compared_each_with_its_time_point_after_it():
    text = EQUAL_ARMS + "CCyR was 80% vs 65% at 12 months and 87% vs 77% at 24 months."
    got = per_arm(text)
    assert got["Nilotinib 600"] == {
        ("CompleteCytogeneticResponse", 80.0, 12.0),
        ("CompleteCytogeneticResponse", 87.0, 24.0),
    }
    assert got["Imatinib 400"] == {
        ("CompleteCytogeneticResponse", 65.0, 12.0),
        ("CompleteCytogeneticResponse", 77.0, 24.0),
    }


def test_a_clause_of_a_time_point_and_figures_only_is_of_the_outcome_before():
    text = EQUAL_ARMS + "MR4.5 at 24 months (nilotinib vs imatinib): 25% vs 9%; at 48 months: 40% vs 23%."
    got = per_arm(text)
    assert got["Nilotinib 600"] == {("MR4_5", 25.0, 24.0), ("MR4_5", 40.0, 48.0)}
    assert got["Imatinib 400"] == {("MR4_5", 9.0, 24.0), ("MR4_5", 23.0, 48.0)}
