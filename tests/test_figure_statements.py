"""Issue 20, batch thirty-nine on: shapes of figure statements found wrong or missing in abstracts written
in the styles of unread reports (later-line dose-ranging trials, Chinese registration trials, paediatric
and pregnancy series, adherence studies), each tested here in phrasings of our own."""

from __future__ import annotations

from cmlkg.extract import extract

from conftest import cohorts_of, figures


def per_arm(text: str) -> dict[str, set[tuple]]:
    """Each arm's figures (term, count, percent), keyed by its first drug; figures on no arm under ''."""
    x = extract("t", text)
    out: dict[str, set[tuple]] = {"": set()}
    names = {}
    for k, c in enumerate(x.cohorts):
        if c.role == "arm":
            names[k] = c.treatments[0].term if c.treatments else str(c.size)
            out[names[k]] = set()
    for o in x.outcomes:
        out[names.get(o.cohort, "")].add((o.term, o.count, o.percent))
    return out


TWO_ARMS = (
    "Adults with newly diagnosed chronic phase CML (n = 300) were randomly assigned to bosutinib 400 mg daily "
    "(n = 151) or imatinib 400 mg daily (n = 149). "
)
ONE_ARM = "We treated 140 adults with chronic phase CML with nilotinib 300 mg twice daily. "


def test_survivals_sharing_their_head_noun_are_each_their_own():
    text = ONE_ARM + (
        "Four-year event-free and overall survival rates were 88% and 97%. Progression-free, event-free "
        "and overall survival at 6 years were 91%, 84% and 95%, respectively."
    )
    assert figures(text) == {
        ("EventFreeSurvival", None, 88.0, None, 48.0),
        ("OverallSurvival", None, 97.0, None, 48.0),
        ("ProgressionFreeSurvival", None, 91.0, None, 72.0),
        ("EventFreeSurvival", None, 84.0, None, 72.0),
        ("OverallSurvival", None, 95.0, None, 72.0),
    }


def test_survivals_coordinated_with_one_the_ontology_does_not_name_are_left_out():
    # which figure is whose cannot be told when one of the three is no term
    text = ONE_ARM + "Transformation-free and overall survival rates at 4 years were 93% and 97%."
    assert figures(text) == set()


def test_reasons_for_stopping_with_their_own_figures_are_not_the_discontinuation_rate():
    text = TWO_ARMS + (
        "More patients stopped imatinib (38.2%) than bosutinib (25.1%), chiefly because of disease "
        "progression (12.0% vs 4.4%) and toxicity (9.1% vs 14.0%)."
    )
    got = per_arm(text)
    # (the reasons' pairs name no arm of their own: they stay on the study, unpaired)
    assert got["Bosutinib"] == {("TreatmentDiscontinuation", None, 25.1)}
    everything = set().union(*got.values())
    # the figures of a reason the ontology does not name go nowhere: not to stopping, not to progression
    assert not any(p in (12.0, 4.4) for _t, _c, p in everything)
    assert ("TreatmentDiscontinuation", None, 38.2) in got["Imatinib"]
    assert {
        ("DiscontinuationDueToToxicity", None, 9.1),
        ("DiscontinuationDueToToxicity", None, 14.0),
    } <= everything


def test_a_reason_without_figures_of_its_own_still_names_the_discontinuation():
    text = ONE_ARM + "Nilotinib was discontinued because of cardiac toxicity in 9 patients (6.4%)."
    assert ("DiscontinuationDueToToxicity", 9, 6.4, None, None) in figures(text)


def test_patients_who_went_on_to_a_transplant_are_no_cohort_of_the_design():
    text = (
        "Between 2004 and 2015, 132 children with chronic phase CML received imatinib 340 mg/m2 daily. "
        "The CCyR rate at 12 months was 78%. Nineteen patients subsequently underwent allogeneic stem cell "
        "transplantation, and 2 died of transplant-related causes."
    )
    assert cohorts_of(text) == [("population", 132)]


def test_a_transplant_study_population_that_underwent_the_transplant_is_still_the_population():
    text = (
        "Forty-one patients with CML in chronic phase underwent allogeneic marrow transplantation from HLA-"
        "identical siblings. Leukemia-free survival at 5 years was 62%."
    )
    assert cohorts_of(text) == [("population", 41)]


def test_counts_in_treatment_groups_before_an_event_verb_go_to_their_arms():
    text = TWO_ARMS + (
        "By 24 months, 5 patients on imatinib and 1 on bosutinib had transformed to blast phase. "
        "Three patients in the bosutinib arm and none in the imatinib arm died."
    )
    got = per_arm(text)
    assert ("ProgressionToBlastPhase", 5, None) in got["Imatinib"]
    assert ("ProgressionToBlastPhase", 1, None) in got["Bosutinib"]
    assert ("Death", 3, None) in got["Bosutinib"]
    assert ("Death", 0, None) in got["Imatinib"]
    assert got[""] == set()


def test_a_count_in_a_group_that_is_no_treatment_is_not_read_as_the_groups_arm():
    text = (
        TWO_ARMS
        + "Four patients in the high-risk group and 2 in the low-risk group progressed to blast phase."
    )
    got = per_arm(text)
    assert not any(c in (4, 2) for v in got.values() for _t, c, _p in v)


def doses(text: str) -> dict[str, set[tuple]]:
    x = extract("t", text)
    return {t.term: {(d.value, d.unit) for d in t.doses} for t in x.treatments}


def test_amounts_listed_before_one_schedule_share_it():
    assert doses(
        "Patients were randomly assigned 1:1:1 to bosutinib 300 mg, 400 mg or 500 mg once daily."
    ) == {"Bosutinib": {(300.0, "mg/d"), (400.0, "mg/d"), (500.0, "mg/d")}}
    assert doses("Eligible patients received dasatinib 50 or 100 mg daily.") == {
        "Dasatinib": {(50.0, "mg/d"), (100.0, "mg/d")}
    }
    # 'twice daily' after the last of two amounts is not shared: it would double the other
    assert (140.0, "mg/d") in doses("Dasatinib 70 mg versus 70 mg twice daily in CML.")["Dasatinib"]
    assert (70.0, "mg/d") not in doses("Dasatinib 70 mg versus 70 mg twice daily in CML.")["Dasatinib"]


DOSE_ARMS = (
    "Methods: Patients with chronic phase CML were randomized 1:1:1 to bosutinib 300 mg, 400 mg or 500 mg "
    "once daily. Results: In all, 210 patients were randomized (300 mg, n = 70; 400 mg, n = 71; 500 mg, "
    "n = 69). "
)


def test_arms_named_by_their_dose_alone_take_the_study_drug_and_its_schedule():
    x = extract("t", DOSE_ARMS + "CCyR rates at 12 months were 61%, 70% and 74%.")
    arms = [
        (c.size, [(t.term, [(d.value, d.unit) for d in t.doses]) for t in c.treatments])
        for c in x.cohorts
        if c.role == "arm"
    ]
    assert arms == [
        (70, [("Bosutinib", [(300.0, "mg/d")])]),
        (71, [("Bosutinib", [(400.0, "mg/d")])]),
        (69, [("Bosutinib", [(500.0, "mg/d")])]),
    ]
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert {(sizes.get(o.cohort), o.percent) for o in x.outcomes} == {(70, 61.0), (71, 70.0), (69, 74.0)}


def test_an_event_counted_for_each_of_three_arms_respectively_is_in_each():
    x = extract(
        "t",
        DOSE_ARMS + "Pleural effusion occurred in 4 (5.7%), 7 (9.9%) and 11 (15.9%) patients, respectively.",
    )
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert sorted(sizes[a.cohort] for a in x.adverse_events if a.term == "PleuralEffusion") == [69, 70, 71]
    # one of them nil: unsure which arms had it, so on none
    x = extract("t", DOSE_ARMS + "Pleural effusion occurred in 4%, 0% and 11% of patients, respectively.")
    assert [a.cohort for a in x.adverse_events if a.term == "PleuralEffusion"] == [None]


def test_an_event_named_in_the_background_is_still_the_studys_when_its_results_report_it():
    text = (
        "Background: Pleural effusion is a known toxicity of dasatinib. Methods: We treated 90 patients with "
        "chronic phase CML with dasatinib 100 mg daily. Results: CCyR was reached by 80%. Pleural effusion "
        "developed in several patients and resolved with diuretics."
    )
    assert [(a.term, a.count) for a in extract("t", text).adverse_events] == [("PleuralEffusion", None)]


def test_a_count_under_a_patients_heading_is_the_population_and_groups_by_prior_therapies_are_no_arms():
    text = (
        "Nilotinib 300 mg BID in CP-CML pts after prior TKIs: interim analysis. Patients: 212 enrolled "
        "(resistant 80, intolerant 132); median age 61 yrs; number of prior TKIs 1 (n=70), 2 (n=101), "
        "3 or more (n=41). Efficacy: at M12, MMR 48%."
    )
    assert cohorts_of(text) == [("population", 212), ("subgroup", 70), ("subgroup", 101), ("subgroup", 41)]


def test_discontinuations_for_a_reason_counted_without_naming_the_drug():
    text = ONE_ARM + "Dose reductions in 40 pts (28.6%); discontinuations due to AEs in 17 pts (12.1%)."
    assert ("DiscontinuationDueToToxicity", 17, 12.1, None, None) in figures(text)


def test_the_patients_a_treatment_was_stopped_in_are_a_stopping_studys_population():
    text = (
        "Patients with chronic phase CML who had sustained MR4 (BCR-ABL1 <=0.01%) for 2 years on nilotinib "
        "were eligible. Nilotinib was stopped in 74 patients. Molecular relapse-free survival at 12 months "
        "was 56%."
    )
    assert cohorts_of(text) == [("population", 74)]
    # the design, not a figure
    assert not any(o.term == "TreatmentDiscontinuation" for o in extract("t", text).outcomes)


def test_what_happened_on_a_prior_therapy_is_the_patients_history_not_a_figure():
    text = (
        "Nine patients with myeloid blast crisis were treated with decitabine and ponatinib 30 mg daily. "
        "Seven had progressed on nilotinib and two on dasatinib. Four patients (44%) achieved a complete "
        "hematologic response; three progressed on study."
    )
    got = figures(text)
    assert ("CompleteHematologicResponse", 4, 44.0, None, None) in got
    assert not any(c in (7, 2) for _t, c, _p, _d, _m in got)


def test_an_allocation_to_a_shared_drug_plus_either_another_or_none():
    text = (
        "We randomly assigned 540 patients with chronic phase CML to peginterferon alfa-2a (90 ug weekly) "
        "plus either imatinib (400 mg daily; 271 patients) or no imatinib (269 patients). The 2-year "
        "survival rate was 93 percent in the combination group and 88 percent in the peginterferon-alone "
        "group."
    )
    x = extract("t", text)
    arms = {c.size: sorted(t.term for t in c.treatments) for c in x.cohorts if c.role == "arm"}
    assert arms == {271: ["Imatinib", "PeginterferonAlfa"], 269: ["PeginterferonAlfa"]}
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert {(sizes.get(o.cohort), o.percent) for o in x.outcomes} == {(271, 93.0), (269, 88.0)}


def test_reasons_for_stopping_each_counted_after_the_whole():
    text = ONE_ARM + "Nilotinib was stopped in 9 patients, because of toxicity in 6 and relapse in 3."
    got = figures(text)
    assert ("TreatmentDiscontinuation", 9, None, None, None) in got
    assert ("DiscontinuationDueToToxicity", 6, None, None, None) in got
    # the part stopped for relapse is no figure of relapse, nor a second discontinuation rate
    assert not any(c == 3 for _t, c, _p, _d, _m in got)


def test_british_spellings_name_the_same_terms():
    text = (
        "We treated 60 patients with chronic phase CML with hydroxyurea. Complete haematological remission "
        "was achieved in 70% of patients. Anaemia developed in 12 patients and oedema in 4."
    )
    x = extract("t", text)
    assert [(o.term, o.percent) for o in x.outcomes] == [("CompleteHematologicResponse", 70.0)]
    assert {(a.term, a.count) for a in x.adverse_events} == {("Anemia", 12), ("Edema", 4)}


def test_an_event_before_a_colon_and_a_negated_one_is_no_heading():
    text = ONE_ARM + (
        "Toxicity was mild: one patient interrupted treatment because of thrombocytopenia: no "
        "non-hematologic toxicity was recorded."
    )
    assert [a.term for a in extract("t", text).adverse_events] == ["Thrombocytopenia"]


def test_a_time_point_in_the_parenthesis_that_defines_an_outcome_is_its_figures():
    text = ONE_ARM + "Early molecular response (BCR-ABL1 <=10% at 3 months) was achieved in 88% of patients."
    assert figures(text) == {("EarlyMolecularResponse", None, 88.0, None, 3.0)}


def test_counts_of_other_treatment_groups_compared_after_an_outcome_go_to_their_arms():
    text = (
        "Overall, 300 patients were randomized to bosutinib 400 mg daily (n = 100), bosutinib 500 mg daily "
        "(n = 100) or imatinib 400 mg daily (n = 100). No patient on bosutinib 400 mg died, compared with 2 "
        "on bosutinib 500 mg and 3 on imatinib."
    )
    x = extract("t", text)
    doses = {k: c.treatments[0].doses[0].value for k, c in enumerate(x.cohorts) if c.role == "arm"}
    drugs = {k: c.treatments[0].term for k, c in enumerate(x.cohorts) if c.role == "arm"}
    got = {(drugs[o.cohort], doses[o.cohort], o.count) for o in x.outcomes if o.term == "Death"}
    assert got == {("Bosutinib", 400.0, 0), ("Bosutinib", 500.0, 2), ("Imatinib", 400.0, 3)}


def test_a_schedule_before_a_list_of_amounts_holds_for_each():
    got = doses(
        "Olverembatinib was given orally once daily at doses of 10, 20, 30 and 40 mg in a 3+3 design."
    )
    assert got == {"Olverembatinib": {(10.0, "mg/d"), (20.0, "mg/d"), (30.0, "mg/d"), (40.0, "mg/d")}}


def test_laboratory_events_named_by_the_enzyme():
    text = ONE_ARM + "Adverse events included ALT increased (n = 21, 15%) and lipase increase (n = 9, 6%)."
    assert {(a.term, a.count) for a in extract("t", text).adverse_events} == {
        ("TransaminaseIncreased", 21),
        ("LipaseIncreased", 9),
    }


def test_two_groups_compared_by_a_trait_are_subgroups_of_an_unsized_population():
    text = (
        "We compared 120 patients with e13a2 transcripts with 95 patients with e14a2 transcripts, all treated "
        "with imatinib 400 mg daily. MMR rates at 12 months were 38% and 51%."
    )
    assert cohorts_of(text) == [("population", None), ("subgroup", 120), ("subgroup", 95)]


def test_two_groups_compared_by_their_treatment_are_arms():
    text = (
        "We compared 90 patients treated with frontline nilotinib and 150 patients treated with frontline "
        "imatinib. MMR at 12 months was 61% with nilotinib and 40% with imatinib."
    )
    x = extract("t", text)
    assert [(c.role, c.size, [t.term for t in c.treatments]) for c in x.cohorts] == [
        ("population", None, []),
        ("arm", 90, ["Nilotinib"]),
        ("arm", 150, ["Imatinib"]),
    ]
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert {(sizes.get(o.cohort), o.percent) for o in x.outcomes} == {(90, 61.0), (150, 40.0)}


def test_an_elided_pair_after_a_semicolon_keeps_the_arms_and_the_time_of_the_pair_before():
    text = TWO_ARMS + (
        "At 24 months after randomization, MMR was reached in 47% in the bosutinib arm and 37% in the "
        "imatinib arm; MR4 in 21% and 12%."
    )
    got = per_arm(text)
    assert got["Bosutinib"] == {("MajorMolecularResponse", None, 47.0), ("MR4", None, 21.0)}
    assert got["Imatinib"] == {("MajorMolecularResponse", None, 37.0), ("MR4", None, 12.0)}
    assert {o.time_months for o in extract("t", text).outcomes} == {24.0}


def test_groups_by_drug_listed_after_a_colon_are_arms_and_a_count_of_responders_is_none():
    text = (
        "We reviewed 250 patients with chronic phase CML treated between 1990 and 2000: 120 received "
        "busulfan, 80 hydroxyurea and 50 interferon alfa. Complete hematologic response rates were 60%, 75% "
        "and 80%, respectively; cytogenetic responses occurred only with interferon (11 patients)."
    )
    x = extract("t", text)
    arms = {c.size: [t.term for t in c.treatments] for c in x.cohorts if c.role == "arm"}
    assert arms == {120: ["Busulfan"], 80: ["Hydroxyurea"], 50: ["InterferonAlfa"]}
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    chr_ = {(sizes.get(o.cohort), o.percent) for o in x.outcomes if o.term == "CompleteHematologicResponse"}
    assert chr_ == {(120, 60.0), (80, 75.0), (50, 80.0)}


def test_a_drug_joined_by_plus_to_a_prior_one_is_prior_too():
    roles = {
        (t.term, t.role)
        for t in extract(
            "t",
            "Adults with chronic phase CML previously treated with imatinib plus nilotinib (n = 60) received "
            "ponatinib 30 mg daily.",
        ).treatments
    }
    assert roles == {("Imatinib", "prior"), ("Nilotinib", "prior"), ("Ponatinib", "intervention")}


def test_an_event_more_frequent_with_one_arm_by_a_pair_of_figures_is_in_both():
    text = TWO_ARMS + "Grade 3/4 thrombocytopenia was more frequent with bosutinib (14% vs 6%)."
    sizes = {k: c.size for k, c in enumerate(extract("t", text).cohorts)}
    got = {(a.grade, sizes.get(a.cohort)) for a in extract("t", text).adverse_events}
    assert got == {(3, 151), (3, 149), (4, 151), (4, 149)}


def test_the_same_outcome_at_a_later_time_with_its_verb_elided():
    text = ONE_ARM + "At 6 months, 52 patients (37%) were in MR4, and at 12 months 70 (50%)."
    assert figures(text) == {("MR4", 52, 37.0, None, 6.0), ("MR4", 70, 50.0, None, 12.0)}


def test_arms_sized_in_a_parenthesis_by_their_drugs_and_a_pair_of_the_patients_themselves():
    text = (
        "Patients with newly diagnosed CP-CML were randomized 1:1 to nilotinib 300 mg BID or imatinib 400 mg "
        "QD. Overall, 280 pts were randomized (nilotinib 141; imatinib 139). By 12 mo, MMR was reached by "
        "55.3% vs 28.1% of pts (P < 0.001)."
    )
    got = per_arm(text)
    assert {c.size for c in extract("t", text).cohorts if c.role == "arm"} == {141, 139}
    assert got["Nilotinib"] == {("MajorMolecularResponse", None, 55.3)}
    assert got["Imatinib"] == {("MajorMolecularResponse", None, 28.1)}


def test_the_share_of_responders_who_kept_a_response_is_no_figure_of_it():
    text = ONE_ARM + (
        "Major cytogenetic response was attained by 45%. At 24 months, 80% of responders had maintained "
        "their cytogenetic response."
    )
    assert figures(text) == {("MajorCytogeneticResponse", None, 45.0, None, None)}


def test_women_diagnosed_with_cml_are_the_population_and_no_count_of_men_is_made_up():
    x = extract(
        "t",
        "We describe 6 women diagnosed with CML during pregnancy. Imatinib was started after delivery; five "
        "achieved MMR.",
    )
    assert [(c.role, c.size, c.female, c.male) for c in x.cohorts] == [("population", 6, 6, None)]


THREE_ARMS = (
    "Pts. (n = 600) were randomized to dasatinib 100 mg q.d. (n = 200), dasatinib 70 mg b.i.d. (n = 200) or "
    "imatinib 400 mg q.d. (n = 200). "
)


def test_headed_lists_of_three_figures_one_per_arm():
    text = (
        THREE_ARMS
        + "Transformation to AP/BP on treatment: 4 vs. 6 vs. 11 pts. Discontinuation due to AEs: 7% vs. 10% vs. 5%."
    )
    x = extract("t", text)
    doses = {
        k: sum(d.value for t in c.treatments for d in t.doses)
        for k, c in enumerate(x.cohorts)
        if c.role == "arm"
    }
    drugs = {k: c.treatments[0].term for k, c in enumerate(x.cohorts) if c.role == "arm"}
    got = {(o.term, o.count, o.percent, drugs[o.cohort], doses[o.cohort]) for o in x.outcomes}
    assert got == {
        ("Progression", 4, None, "Dasatinib", 100.0),
        ("Progression", 6, None, "Dasatinib", 140.0),
        ("Progression", 11, None, "Imatinib", 400.0),
        ("DiscontinuationDueToToxicity", None, 7.0, "Dasatinib", 100.0),
        ("DiscontinuationDueToToxicity", None, 10.0, "Dasatinib", 140.0),
        ("DiscontinuationDueToToxicity", None, 5.0, "Imatinib", 400.0),
    }


def test_progression_to_either_of_two_phases_is_progression():
    text = ONE_ARM + "Progression to AP or BP occurred in 6 patients (4%)."
    assert figures(text) == {("Progression", 6, 4.0, None, None)}


def test_a_fronted_group_with_its_share_is_no_figure_of_its_response():
    text = ONE_ARM + "Of the 98 patients (70%) with MMR, 85% maintained it at 5 years."
    assert not any(p == 85.0 for _t, _c, p, _d, _m in figures(text))


def test_rates_compared_for_an_arm_named_as_the_subject_but_not_for_a_trait():
    text = (
        "Patients in AP (n = 150) received nilotinib 400 mg/day (n = 70) or 800 mg/day (n = 80). Patients on "
        "800 mg had higher rates of MCyR (30% vs 18%). Patients with a low Sokal score had higher rates of CCyR "
        "(40% vs 22%)."
    )
    x = extract("t", text)
    sizes = {k: c.size for k, c in enumerate(x.cohorts)}
    assert {(o.term, sizes.get(o.cohort), o.percent) for o in x.outcomes} == {
        ("MajorCytogeneticResponse", 80, 30.0),
        ("MajorCytogeneticResponse", 70, 18.0),
    }


def test_registry_groups_by_drug_with_their_shares_and_a_second_reason_for_switching():
    text = (
        "Of 900 patients, 700 (78%) received imatinib first line, 150 (17%) dasatinib and 50 (5%) nilotinib. "
        "By 12 months, 75% of imatinib-treated patients were in CCyR. Overall, 30% switched TKI, mainly because "
        "of intolerance (55% of switches) or resistance (40%)."
    )
    assert cohorts_of(text) == [
        ("population", 900),
        ("arm", 700),
        ("arm", 150),
        ("arm", 50),
    ]
    assert not any(o.term == "NoResponse" for o in extract("t", text).outcomes)


def test_a_time_point_fronted_with_the_dose_it_was_measured_on():
    text = (
        "Forty patients on imatinib 400 mg daily had the dose increased to 600 mg daily (n = 24) or 800 mg daily "
        "(n = 16). After 12 months at the higher dose, 15 of 24 (63%) and 11 of 16 (69%) had achieved a CCyR, "
        "respectively."
    )
    assert figures(text) == {
        ("CompleteCytogeneticResponse", 15, 63.0, 24, 12.0),
        ("CompleteCytogeneticResponse", 11, 69.0, 16, 12.0),
    }


def test_an_event_counted_with_its_share_before_it_and_the_nearest_count_only():
    text = (
        "Among 310 patients treated with dasatinib for CML, 8 (2.6%) developed pulmonary arterial hypertension. "
        "Eleven patients (3.5%) developed pleural effusion. Twenty patients (6.5%) reported new side effects, "
        "mostly fatigue and nausea."
    )
    got = {(a.term, a.count) for a in extract("t", text).adverse_events}
    assert got == {
        ("PulmonaryArterialHypertension", 8),
        ("PleuralEffusion", 11),
        ("Fatigue", None),
        ("Nausea", None),
    }


def test_the_corresponding_rates_are_the_outcomes_just_stated_with_their_time():
    text = (
        "We treated 160 patients with chronic phase CML with bosutinib 500 mg daily. In newly diagnosed "
        "patients (n = 60), CCyR and MMR rates by 3 years were 80% and 64%. In previously treated patients "
        "(n = 100), the corresponding rates were 48% and 35%."
    )
    assert figures(text) == {
        ("CompleteCytogeneticResponse", None, 80.0, None, 36.0),
        ("MajorMolecularResponse", None, 64.0, None, 36.0),
        ("CompleteCytogeneticResponse", None, 48.0, None, 36.0),
        ("MajorMolecularResponse", None, 35.0, None, 36.0),
    }


def test_blocks_of_the_same_outcomes_each_closed_by_its_arm():
    text = TWO_ARMS + (
        "The 4-year EFS and OS were 91% and 96% for bosutinib and 88% and 95% for imatinib. Rates of CCyR and "
        "MMR were 77% and 60% with bosutinib and 66% and 47% with imatinib."
    )
    got = per_arm(text)
    assert got["Bosutinib"] == {
        ("EventFreeSurvival", None, 91.0),
        ("OverallSurvival", None, 96.0),
        ("CompleteCytogeneticResponse", None, 77.0),
        ("MajorMolecularResponse", None, 60.0),
    }
    assert got["Imatinib"] == {
        ("EventFreeSurvival", None, 88.0),
        ("OverallSurvival", None, 95.0),
        ("CompleteCytogeneticResponse", None, 66.0),
        ("MajorMolecularResponse", None, 47.0),
    }


def test_a_figure_compared_with_another_studys_is_not_ours():
    text = (
        ONE_ARM + "MR4.5 at 24 months was reached by 33%, compared with 19% in a historical imatinib cohort."
    )
    assert figures(text) == {("MR4_5", None, 33.0, None, 24.0)}


def test_discontinuations_counted_by_their_reasons_after_the_whole():
    text = ONE_ARM + (
        "Overall, 14 patients (18%) discontinued nilotinib, 8 for adverse events and 6 for resistance. "
        "Nilotinib was stopped in 5 further patients: 3 because of hepatotoxicity and 2 because of pregnancy."
    )
    got = figures(text)
    assert ("DiscontinuationDueToToxicity", 8, None, None, None) in got
    assert ("DiscontinuationDueToToxicity", 3, None, None, None) in got
    assert not any(c in (6, 2) for _t, c, _p, _d, _m in got)


def test_counts_out_of_the_responders_before_them():
    text = ONE_ARM + (
        "Of 80 patients, 66 (83%) achieved CCyR, of whom 50 achieved MMR. Sixty patients achieved MMR, "
        "including 31 (39%) who achieved MR4.5."
    )
    got = figures(text)
    assert ("MajorMolecularResponse", 50, None, 66, None) in got
    assert ("MR4_5", 31, 39.0, None, None) in got


def test_a_response_named_in_a_parenthesis_after_response_rates():
    text = TWO_ARMS + "Response rates (CCyR) at 12 months: 79% (bosutinib) and 68% (imatinib)."
    got = per_arm(text)
    assert got["Bosutinib"] == {("CompleteCytogeneticResponse", None, 79.0)}
    assert got["Imatinib"] == {("CompleteCytogeneticResponse", None, 68.0)}


def test_rates_compared_between_two_drugs_by_a_pair_after_than():
    text = TWO_ARMS + (
        "Bosutinib resulted in higher rates of MMR than imatinib (47% vs 37%). Patients with a high Sokal "
        "score had lower rates of MMR than low-risk patients (30% vs 60%)."
    )
    got = per_arm(text)
    assert got["Bosutinib"] == {("MajorMolecularResponse", None, 47.0)}
    assert got["Imatinib"] == {("MajorMolecularResponse", None, 37.0)}
    assert got[""] == set()


def test_a_count_of_another_studys_patients_in_the_background_is_not_the_population():
    text = (
        "Background: In an earlier phase III study of 300 patients, the CCyR rate with imatinib was 65%. "
        "Methods: A total of 300 patients with chronic phase CML were randomly assigned to bosutinib 400 mg daily "
        "(n = 150) or imatinib 400 mg daily (n = 150)."
    )
    assert cohorts_of(text)[0] == ("population", 300)


def test_a_grade_and_those_above_it_are_each_a_grade_and_the_count_is_of_none():
    text = ONE_ARM + (
        "Grade >=3 neutropenia occurred in 12 patients (15%). Grade 3 or higher thrombocytopenia was seen in 9 "
        "patients, and grade 3+ rash in 2."
    )
    got = {(a.term, a.grade, a.count) for a in extract("t", text).adverse_events}
    assert got == {
        ("Neutropenia", 3, None),
        ("Neutropenia", 4, None),
        ("Thrombocytopenia", 3, None),
        ("Thrombocytopenia", 4, None),
        ("Rash", 3, None),
        ("Rash", 4, None),
    }


def test_secondary_resistance_is_a_response_lost():
    text = ONE_ARM + "Primary resistance was seen in 5 patients and secondary resistance in 8."
    assert figures(text) == {("NoResponse", 5, None, None, None), ("LossOfResponse", 8, None, None, None)}


def test_the_outcomes_that_define_another_are_not_its_figure():
    text = ONE_ARM + (
        "Event-free survival, defined as freedom from loss of response, progression or death, was 84% at 5 "
        "years. Failure-free survival (defined as loss of CCyR, progression or death) was 79% at 5 years."
    )
    assert figures(text) == {("EventFreeSurvival", None, 84.0, None, 60.0)}


def test_the_first_of_a_list_of_time_points_is_no_probability():
    text = ONE_ARM + "MR4.5 rates at 1, 2 and 3 years were 12%, 27% and 40%."
    assert figures(text) == {
        ("MR4_5", None, 12.0, None, 12.0),
        ("MR4_5", None, 27.0, None, 24.0),
        ("MR4_5", None, 40.0, None, 36.0),
    }


def test_a_bare_one_or_zero_is_never_a_probability():
    text = ONE_ARM + (
        "The rates of MMR in year 1 and year 2 were 41% and 57%. MR4 rates by Sokal score (1 vs 2 vs 3) were "
        "50%, 35% and 20%. The probability of CCyR was 0.85 (range 0 to 1)."
    )
    got = figures(text)
    assert not any(p in (100.0, 0.0) for _t, _c, p, _d, _m in got)
    assert ("CompleteCytogeneticResponse", None, 85.0, None, None) in got


def test_the_patients_whose_outcome_a_study_analysed_are_its_population():
    text = "We retrospectively analyzed the outcome of 1,035 CML patients treated with imatinib. MMR was achieved by 71%."
    assert cohorts_of(text) == [("population", 1035)]


def test_figures_of_the_patients_of_a_phase_named_between_the_outcomes_and_their_verb():
    text = (
        "The clinical data of 150 cases of CML treated with imatinib were retrospectively analyzed. The rates of "
        "CHR, CCyR and MMR in CP cases were 96.0%, 81.5% and 66.0%, respectively."
    )
    assert figures(text) == {
        ("CompleteHematologicResponse", None, 96.0, None, None),
        ("CompleteCytogeneticResponse", None, 81.5, None, None),
        ("MajorMolecularResponse", None, 66.0, None, None),
    }


def test_a_flattened_table_of_counts():
    text = (
        "Nilotinib 300 mg BID in newly diagnosed CML-CP (ASH abstract). Results: N=96. Best response, n (%): "
        "CCyR 80 (83); MMR 70 (73). Progression to AP/BP, n (%): 3 (3)."
    )
    assert cohorts_of(text) == [("population", 96)]
    assert {(o.term, o.count, o.percent) for o in extract("t", text).outcomes} == {
        ("CompleteCytogeneticResponse", 80, 83.0),
        ("MajorMolecularResponse", 70, 73.0),
        ("Progression", 3, 3.0),
    }


def test_an_arm_that_experienced_an_event_is_no_prior_therapy_and_sizes_in_a_parenthesis_name_no_contrast():
    text = TWO_ARMS + (
        "In the modified intention-to-treat population (bosutinib n = 140, imatinib n = 139), MMR at 12 months "
        "was higher with bosutinib (47% vs 37%). Four patients on bosutinib and 6 on imatinib experienced "
        "disease progression."
    )
    x = extract("t", text)
    assert {(t.term, t.role) for t in x.treatments} == {
        ("Bosutinib", "intervention"),
        ("Imatinib", "intervention"),
    }
    got = per_arm(text)
    assert ("MajorMolecularResponse", None, 47.0) in got["Bosutinib"]
    assert ("MajorMolecularResponse", None, 37.0) in got["Imatinib"]


def test_a_pair_in_a_parenthesis_after_both_arms_and_an_event_of_a_group_fronted_by_its_arm():
    text = TWO_ARMS + (
        "Overall survival at 4 years was similar in both arms (92% and 91%). Among 151 bosutinib-treated "
        "patients, 12 (8%) developed pleural effusion. Among patients with T315I treated with imatinib, 2 "
        "developed edema."
    )
    got = per_arm(text)
    assert ("OverallSurvival", None, 92.0) in got["Bosutinib"]
    assert ("OverallSurvival", None, 91.0) in got["Imatinib"]
    sizes = {k: c.size for k, c in enumerate(extract("t", text).cohorts)}
    events = {(a.term, sizes.get(a.cohort)) for a in extract("t", text).adverse_events}
    assert events == {("PleuralEffusion", 151), ("Edema", None)}


def test_groups_by_line_of_therapy_are_subgroups_even_after_a_dose():
    text = (
        "In 268 patients aged 65 years or older, bosutinib was started at 500 mg/day (first line, n = 58; "
        "second or later line, n = 210). Cumulative MMR was 58.6% in first-line and 36.2% in later-line patients."
    )
    assert cohorts_of(text) == [("population", 268), ("subgroup", 58), ("subgroup", 210)]


def test_a_relative_described_with_age_is_a_patient():
    x = extract(
        "t",
        "We describe two siblings, a 38-year-old woman and her 41-year-old brother, with CML in chronic phase "
        "treated with nilotinib; both achieved MMR.",
    )
    assert sorted((p.age, p.sex) for p in x.patients) == [(38.0, "female"), (41.0, "male")]


def test_events_counted_after_their_names_in_a_list_and_an_ontology_outside_term():
    text = ONE_ARM + (
        "Serious adverse events occurred in 18 patients (23%), most commonly pneumonia (n = 4). Cardiovascular "
        "events (ischemic heart disease, n = 5; peripheral arterial occlusive disease, n = 3) occurred in 8 "
        "patients."
    )
    got = {(a.term, a.count) for a in extract("t", text).adverse_events}
    assert ("IschemicHeartDisease", 5) in got and ("PeripheralArterialOcclusiveDisease", 3) in got
    assert ("CardiovascularEvent", 8) in got
    assert any(t.startswith("hp:") and c == 4 for t, c in got)  # pneumonia, from the packaged phenotypes


def test_molecular_response_levels_in_any_notation():
    text = (
        ONE_ARM + "MR^4.5 was reached by 31% by 5 years. Rates of MR4 and MR4,5 were 40% and 28%. MR⁴·⁵: 25%."
    )
    got = figures(text)
    assert ("MR4_5", None, 31.0, None, 60.0) in got
    assert ("MR4", None, 40.0, None, None) in got and ("MR4_5", None, 28.0, None, None) in got
    assert not any(t in ("MolecularResponse",) for t, *_ in got)


def test_a_time_point_closing_a_gapped_pair_is_both_figures():
    text = (
        ONE_ARM
        + "MMR was achieved by 62% and MR4 by 41% at 24 months. CCyR at 6 months was 70% and MMR 55% at 12 months."
    )
    got = figures(text)
    assert ("MajorMolecularResponse", None, 62.0, None, 24.0) in got and (
        "MR4",
        None,
        41.0,
        None,
        24.0,
    ) in got
    # (a figure with its own time point keeps it)
    assert ("CompleteCytogeneticResponse", None, 70.0, None, 6.0) in got


def test_lists_of_time_points_written_with_the_unit_first():
    text = ONE_ARM + (
        "MMR rates at M3, M6 and M12 were 12%, 36% and 60%, respectively. CCyR rates at months 6 and 12 were "
        "52% and 71%. At M18, 50 pts (63%) were in MR4."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", None, 12.0, None, 3.0),
        ("MajorMolecularResponse", None, 36.0, None, 6.0),
        ("MajorMolecularResponse", None, 60.0, None, 12.0),
        ("CompleteCytogeneticResponse", None, 52.0, None, 6.0),
        ("CompleteCytogeneticResponse", None, 71.0, None, 12.0),
        ("MR4", 50, 63.0, None, 18.0),
    }


def test_time_points_listed_with_a_shared_hyphenated_unit_or_the_unit_repeated():
    text = ONE_ARM + (
        "The 12-, 24- and 36-month MMR rates were 48%, 63% and 70%. MR4.5 at week 48 and week 96 was 21% and 33%."
    )
    assert figures(text) == {
        ("MajorMolecularResponse", None, 48.0, None, 12.0),
        ("MajorMolecularResponse", None, 63.0, None, 24.0),
        ("MajorMolecularResponse", None, 70.0, None, 36.0),
        ("MR4_5", None, 21.0, None, 11.04),
        ("MR4_5", None, 33.0, None, 22.08),
    }


def test_figures_under_an_arm_heading_and_a_pair_whose_first_arm_is_the_subject():
    text = TWO_ARMS + (
        "Bosutinib: CCyR 77%, MMR 47%; imatinib: CCyR 66%, MMR 37%. Patients receiving bosutinib had a 5-year "
        "PFS of 90% compared with 88% for imatinib."
    )
    got = per_arm(text)
    assert got["Bosutinib"] == {
        ("CompleteCytogeneticResponse", None, 77.0),
        ("MajorMolecularResponse", None, 47.0),
        ("ProgressionFreeSurvival", None, 90.0),
    }
    assert got["Imatinib"] == {
        ("CompleteCytogeneticResponse", None, 66.0),
        ("MajorMolecularResponse", None, 37.0),
        ("ProgressionFreeSurvival", None, 88.0),
    }


def test_a_response_that_was_lost_is_a_loss_of_response():
    text = ONE_ARM + "MMR was lost in 4 patients (5%), 3 of whom regained it after dose escalation."
    assert ("LossOfResponse", 4, 5.0, None, None) in figures(text)
    assert not any(t == "MajorMolecularResponse" and c == 4 for t, c, *_ in figures(text))


def test_an_event_counted_after_a_fronted_group_and_listed_arms_closed_by_their_noun():
    text = TWO_ARMS + (
        "Among bosutinib-treated patients, 21 developed diarrhea. Rates of rash were 11% and 17% in the bosutinib "
        "and imatinib arms."
    )
    sizes = {k: c.size for k, c in enumerate(extract("t", text).cohorts)}
    got = {(a.term, a.count, sizes.get(a.cohort)) for a in extract("t", text).adverse_events}
    assert got == {("Diarrhea", 21, 151), ("Rash", None, 151), ("Rash", None, 149)}
