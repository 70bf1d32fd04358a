"""The shapes in which CML abstracts state their figures, each in several phrasings written for these
tests (none is a corpus sentence): stage 3 (relations) and what the later stages make of it."""

from __future__ import annotations

import pytest

from cmlkg.extract import extract
from cmlkg.extract.external import external

PRE = "We treated 60 patients with chronic phase CML with nilotinib 400 mg twice daily. "


def figures(text: str) -> set[tuple]:
    return {
        (o.term, o.count, o.percent, o.denominator)
        for o in extract("t", PRE + text).outcomes
        if not o.aggregate_of
    }


@pytest.mark.parametrize(
    "text,expected",
    [
        # N (P%) patients achieved X
        (
            "Forty-five (75%) patients achieved a complete cytogenetic response.",
            {("CompleteCytogeneticResponse", 45, 75.0, None)},
        ),
        ("45 (75%) patients attained MMR.", {("MajorMolecularResponse", 45, 75.0, None)}),
        ("Forty-five patients (75%) reached CCyR.", {("CompleteCytogeneticResponse", 45, 75.0, None)}),
        # X was achieved in N of M (P%)
        (
            "Complete cytogenetic response was achieved in 45 of 60 (75%) patients.",
            {("CompleteCytogeneticResponse", 45, 75.0, 60)},
        ),
        ("MMR was attained by 30 of the 60 patients (50%).", {("MajorMolecularResponse", 30, 50.0, 60)}),
        # N/M
        ("At 12 months, 30/60 patients had MMR.", {("MajorMolecularResponse", 30, None, 60)}),
        ("MMR: 30/60 (50%).", {("MajorMolecularResponse", 30, 50.0, 60)}),
        # X and Y rates were P% and Q%, respectively
        (
            "CCyR and MMR rates were 75% and 50%, respectively.",
            {("CompleteCytogeneticResponse", None, 75.0, None), ("MajorMolecularResponse", None, 50.0, None)},
        ),
        # the rate of X was P%; a second rate in the same sentence is not the first's
        (
            "The MCyR rate was 80% with a CCyR rate of 75%.",
            {
                ("MajorCytogeneticResponse", None, 80.0, None),
                ("CompleteCytogeneticResponse", None, 75.0, None),
            },
        ),
        # lists
        (
            "Responses were: CCyR 75%, PCyR 10%, minor 5%.",
            {
                ("CompleteCytogeneticResponse", None, 75.0, None),
                ("PartialCytogeneticResponse", None, 10.0, None),
                ("MinorCytogeneticResponse", None, 5.0, None),
            },
        ),
        (
            "Best responses included CCyR in 45 patients, PCyR in 6 and minor CyR in 3.",
            {
                ("CompleteCytogeneticResponse", 45, None, None),
                ("PartialCytogeneticResponse", 6, None, None),
                ("MinorCytogeneticResponse", 3, None, None),
            },
        ),
        (
            "Molecular responses: MMR 50%, MR4 30%, MR4.5 20%.",
            {
                ("MajorMolecularResponse", None, 50.0, None),
                ("MR4", None, 30.0, None),
                ("MR4_5", None, 20.0, None),
            },
        ),
        # X occurred in N patients; figures split across coordinated clauses
        ("Progression to blast phase occurred in 3 patients.", {("ProgressionToBlastPhase", 3, None, None)}),
        (
            "Major molecular response was observed in 30 patients (50%), and MR4 in 18 (30%).",
            {("MajorMolecularResponse", 30, 50.0, None), ("MR4", 18, 30.0, None)},
        ),
        (
            "MMR was achieved in 50% and MR4.5 in 20% of patients.",
            {("MajorMolecularResponse", None, 50.0, None), ("MR4_5", None, 20.0, None)},
        ),
        # all but N; fronted denominators
        # (the five had no CHR, not no response of any kind: no figure; 'All but 5 patients responded' is one)
        ("All but 5 patients achieved a complete hematologic response.", set()),
        ("All but 5 patients responded.", {("NoResponse", 5, None, None)}),
        ("Of the 50 evaluable patients, 40 achieved CCyR.", {("CompleteCytogeneticResponse", 40, None, 50)}),
        (
            "Among 50 evaluable patients, 40 (80%) achieved CCyR and 25 (50%) achieved MMR.",
            {("CompleteCytogeneticResponse", 40, 80.0, 50), ("MajorMolecularResponse", 25, 50.0, 50)},
        ),
        # percent subjects, number words
        (
            "Twenty percent of patients discontinued nilotinib because of toxicity.",
            {("DiscontinuationDueToToxicity", None, 20.0, None)},
        ),
        ("Treatment was discontinued in 6 patients.", {("TreatmentDiscontinuation", 6, None, None)}),
        ("Twelve percent of patients died.", {("Death", None, 12.0, None)}),
        # a percent that is the subject of the next clause is not the previous figure
        (
            "The CCyR rate at 12 months was 83% and at 6 months 100% of the patients achieved CHR.",
            {
                ("CompleteCytogeneticResponse", None, 83.0, None),
                ("CompleteHematologicResponse", None, 100.0, None),
            },
        ),
        # "of whom", a count before its mention with the percent after, "X rate: P% (n/N)"
        (
            "Forty patients (67%) achieved CCyR, of whom 30 also achieved MMR.",
            {("CompleteCytogeneticResponse", 40, 67.0, None), ("MajorMolecularResponse", 30, None, 40)},
        ),
        (
            "Responses included 45 CCyR (75%) and 10 PCyR (17%).",
            {("CompleteCytogeneticResponse", 45, 75.0, None), ("PartialCytogeneticResponse", 10, 17.0, None)},
        ),
        ("CCyR rate: 75% (45/60).", {("CompleteCytogeneticResponse", 45, 75.0, 60)}),
        (
            "CHR and CCyR were achieved in 55 (92%) and 40 (67%) patients, respectively.",
            {
                ("CompleteHematologicResponse", 55, 92.0, None),
                ("CompleteCytogeneticResponse", 40, 67.0, None),
            },
        ),
        # patients named by their case numbers
        ("Cases 2 and 3 achieved CCyR.", {("CompleteCytogeneticResponse", 2, None, None)}),
        (
            "Patient 4 attained a complete cytogenetic response.",
            {("CompleteCytogeneticResponse", 1, None, None)},
        ),
    ],
)
def test_figure_shapes(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The hazard ratio for progression was 0.45 (95% CI, 0.3-0.7; P = .002).",
        "Median time to CCyR was 3 months.",
        "After a median follow-up of 24 months, the study continues.",
    ],
)
def test_p_values_intervals_hazard_ratios_and_follow_up_are_not_counts(text):
    assert all(o.count is None or o.count < 3 for o in extract("t", PRE + text).outcomes)
    assert {o.percent for o in extract("t", PRE + text).outcomes} <= {None}


# ------------------------------------------------------------------ cohorts, evaluable, prior therapy
@pytest.mark.parametrize(
    "text,size,evaluable",
    [
        ("Imatinib was given at 400 mg/day to 25 patients with chronic phase CML.", 25, None),
        (
            "We conducted a phase 2 trial of nilotinib and low-dose cytarabine in 30 previously untreated patients.",
            30,
            None,
        ),
        ("Of 40 patients enrolled, 36 were evaluable for response.", 40, 36),
        ("Forty patients entered the study; 36 are evaluable for response.", 40, 36),
        ("Response could be assessed in 36 patients.", None, 36),
        ("Thirty-six patients were assessable for cytogenetic response.", None, 36),
        ("Among 200 patients screened, 150 were enrolled and treated with dasatinib.", 150, None),
        ("A retrospective analysis of 150 CML patients treated with imatinib was performed.", 150, None),
    ],
)
def test_cohort_and_evaluable(text, size, evaluable):
    pop = extract("t", text).cohorts[0]
    assert (pop.size, pop.evaluable) == (size, evaluable)


def test_counts_of_events_are_not_cohorts():
    x = extract(
        "t", PRE + "Grade 3 or 4 neutropenia and anemia occurred in 20% (n = 12) and 10% (n = 6) of patients."
    )
    assert [c.size for c in x.cohorts] == [60]


@pytest.mark.parametrize(
    "text,prior",
    [
        ("Twenty patients who had received busulfan before were treated with interferon alfa.", {"Busulfan"}),
        (
            "Prior therapy included hydroxyurea (n = 20) and interferon alfa (n = 12); all received imatinib.",
            {"Hydroxyurea", "InterferonAlfa"},
        ),
        ("Patients pretreated with hydroxyurea were given imatinib.", {"Hydroxyurea"}),
        ("All had failed prior interferon therapy and then received imatinib.", {"InterferonAlfa"}),
        ("Twenty patients with imatinib-resistant CML were treated with nilotinib.", {"Imatinib"}),
    ],
)
def test_prior_therapy(text, prior):
    x = extract("t", text)
    assert {t.term for t in x.treatments if t.role == "prior"} == prior
    assert not prior & {t.term for t in x.treatments if t.role == "intervention"}


def test_a_response_after_a_therapy_is_that_therapys():
    x = extract(
        "t",
        "Of eight patients in blast crisis, partial remission was achieved in three after prednisone/vindesine therapy.",
    )
    assert {t.term for t in x.treatments if t.role == "intervention"} >= {"Prednisone"}
    assert any(external(t.term) and external(t.term).label == "Vindesine" for t in x.treatments)


# ------------------------------------------------------------------ drugs beyond the ontology
@pytest.mark.parametrize(
    "text,label",
    [
        ("Conditioning was fractionated total body irradiation and etoposide (VP-16).", "Etoposide"),
        ("Patients received vindesine 3 mg/m2 weekly.", "Vindesine"),
        ("Rifampin was given to healthy volunteers with imatinib.", "Rifampicin"),
    ],
)
def test_drugs_the_ontology_does_not_list(text, label):
    x = extract("t", text)
    ext = [external(t.term) for t in x.treatments if external(t.term)]
    assert ext and ext[0].label.lower() in (label.lower(), "rifampin")
    assert ext[0].identifiers[0].startswith("https://go.drugbank.com/drugs/DB")
    assert x.external_terms[ext[0].local][0] == ext[0].label


def test_an_abbreviation_of_an_unlisted_drug_names_it():
    x = extract(
        "t",
        "Patients received fractionated total body irradiation and etoposide (FTBI/VP-16). FTBI/VP-16 was well tolerated.",
    )
    assert any(external(t.term) and external(t.term).drugbank == "DB00773" for t in x.treatments)


def test_proteins_and_reagents_in_the_drug_dictionary_are_not_drugs():
    x = extract(
        "t",
        "P-glycoprotein and tyrosine kinase activity were measured by monoclonal antibodies in 30 patients treated with imatinib.",
    )
    assert [t.term for t in x.treatments] == ["Imatinib"]


# ------------------------------------------------------------------ adverse events
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Pleural effusion occurred in 6 patients.", {("PleuralEffusion", None, 6)}),
        ("Eight patients developed pleural effusions.", {("PleuralEffusion", None, 8)}),
        (
            "Grade 3 or 4 hematologic and nonhematologic toxicities were seen in 20% and 10%.",
            {
                ("HematologicToxicity", 3, None),
                ("HematologicToxicity", 4, None),
                ("NonHematologicToxicity", 3, None),
                ("NonHematologicToxicity", 4, None),
            },
        ),
    ],
)
def test_adverse_events(text, expected):
    assert {(a.term, a.grade, a.count) for a in extract("t", PRE + text).adverse_events} == expected


@pytest.mark.parametrize(
    "text,label,hp",
    [
        ("Adverse events included gynecomastia in 3 patients.", "gynecomastia", "HP_0000771"),
        ("Grade 3 hypertriglyceridemia developed in 4 patients.", "hypertriglyceridemia", "HP_0002155"),
        ("Two patients experienced palpitations.", "palpitations", "HP_0001962"),
    ],
)
def test_adverse_events_the_ontology_does_not_list_come_from_hpo(text, label, hp):
    x = extract("t", PRE + text)
    ext = {
        external(a.term).label.lower(): external(a.term).identifiers
        for a in x.adverse_events
        if external(a.term)
    }
    assert ext.get(label) == ("http://purl.obolibrary.org/obo/" + hp,)
    assert x.external_terms[next(a.term for a in x.adverse_events if external(a.term))][2] == "AdverseEvent"


@pytest.mark.parametrize(
    "text",
    [
        "Patients presented with splenomegaly and anemia at diagnosis.",  # the disease, not a toxicity
        "Severe and transient toxicities were rare.",  # HPO modifiers are not events
        "The drug was well tolerated; myelodysplasia was diagnosed in one patient before treatment.",
    ],
)
def test_phenotypes_that_are_not_adverse_events(text):
    assert not [a for a in extract("t", PRE + text).adverse_events if external(a.term)]


# ------------------------------------------------------------------ doses
@pytest.mark.parametrize(
    "text,expected",
    [
        ("Omacetaxine 1.25 mg/m2 subcutaneously twice daily for 14 days.", ("Omacetaxine", 2.5, "mg/m2/d")),
        (
            "Low-dose cytarabine (10 mg/m2 twice daily) was combined with imatinib.",
            ("Cytarabine", 20.0, "mg/m2/d"),
        ),
        (
            "Decitabine 15 mg/m2 was given intravenously over 1 hour daily for 10 days.",
            ("Decitabine", 15.0, "mg/m2/d"),
        ),
        (
            "Cyclophosphamide 60 mg/kg on each of 2 days was followed by TBI.",
            ("Cyclophosphamide", 60.0, "mg/kg"),
        ),
        ("Nilotinib 400 mg b.i.d. was started.", ("Nilotinib", 800.0, "mg/d")),
    ],
)
def test_dose_units(text, expected):
    x = extract("t", "We treated 30 patients with CML in chronic phase. " + text)
    assert expected in {(t.term, d.value, d.unit) for t in x.treatments for d in t.doses}


@pytest.mark.parametrize(
    "text",
    [
        "Imatinib doses were escalated from 400 to 600 or 800 mg daily.",
        "Imatinib was given at 400, 600 or 800 mg daily.",
    ],
)
def test_doses_listed_before_one_unit(text):
    x = extract("t", "We treated 30 patients with CML in chronic phase. " + text)
    assert {(d.value, d.unit) for t in x.treatments for d in t.doses} == {
        (400.0, "mg/d"),
        (600.0, "mg/d"),
        (800.0, "mg/d"),
    }


def test_numbers_before_a_dose_that_are_not_doses():
    x = extract("t", "We treated 30 patients aged 45-60, with imatinib 400 mg daily.")
    assert {(d.value, d.unit) for t in x.treatments for d in t.doses} == {(400.0, "mg/d")}


def test_a_case_report_counts_one_patient_for_each_response_and_its_time():
    x = extract(
        "t",
        "A 34-year-old woman with CML in chronic phase was treated with nilotinib 300 mg twice daily. "
        "She achieved MMR at 6 months and MR4.5 at 18 months.",
    )
    assert {(o.term, o.count, o.time_months) for o in x.outcomes} == {
        ("MajorMolecularResponse", 1, 6.0),
        ("MR4_5", 1, 18.0),
    }


def test_graded_events_with_their_counts():
    x = extract(
        "t",
        PRE + "Acute GVHD grade II-IV developed in 18 patients (29%) and chronic GVHD in 25 of 55 patients.",
    )
    # 18 patients had grade II, III or IV: the count spans the grades, so it is on none of them (three
    # observations of 18 each would add up to 54)
    assert {(a.term, a.grade, a.count) for a in x.adverse_events} == {
        ("AcuteGraftVersusHostDisease", 2, None),
        ("AcuteGraftVersusHostDisease", 3, None),
        ("AcuteGraftVersusHostDisease", 4, None),
        ("ChronicGraftVersusHostDisease", None, 25),
    }


@pytest.mark.parametrize(
    "text,term",
    [
        ("Nine patients discontinued nilotinib because of adverse events.", "DiscontinuationDueToToxicity"),
        ("Nine patients discontinued nilotinib due to intolerance.", "DiscontinuationDueToToxicity"),
        (
            "Nine patients discontinued nilotinib due to intolerance or loss of response.",
            "TreatmentDiscontinuation",
        ),
        (
            "Nine patients discontinued nilotinib because of toxicity and disease progression.",
            "TreatmentDiscontinuation",
        ),
    ],
)
def test_discontinuation_is_for_toxicity_only_when_that_is_the_whole_reason(text, term):
    assert figures(text) == {(term, 9, None, None)}


@pytest.mark.parametrize(
    "text,expected",
    [
        # events of patients named by number, the subject shared by coordinated verbs
        (
            "Case 4 attained CCyR but relapsed and died soon.",
            {
                ("CompleteCytogeneticResponse", 1, None, None),
                ("Relapse", 1, None, None),
                ("Death", 1, None, None),
            },
        ),
        (
            "Patient 3 achieved MMR at 12 months and then relapsed.",
            {("MajorMolecularResponse", 1, None, None), ("Relapse", 1, None, None)},
        ),
        (
            "Cases 1 and 2 reached CCyR but later relapsed.",
            {("CompleteCytogeneticResponse", 2, None, None), ("Relapse", 2, None, None)},
        ),
        (
            "Case 2 achieved CCyR and case 5 relapsed.",
            {("CompleteCytogeneticResponse", 1, None, None), ("Relapse", 1, None, None)},
        ),
        (
            "Case 6 got a complete hematologic response after hydroxyurea.",
            {("CompleteHematologicResponse", 1, None, None)},
        ),
        # a count of the group just named
        ("Two of them died of infection.", {("Death", 2, None, None)}),
        ("Four of these relapsed within a year.", {("Relapse", 4, None, None)}),
        ("Three patients relapsed and died.", {("Relapse", 3, None, None), ("Death", 3, None, None)}),
    ],
)
def test_case_numbers_and_shared_subjects(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text,size,male,female",
    [
        (
            "Eight CML patients were found to carry the e19a2 transcript. Five patients were male and three were female.",
            8,
            5,
            3,
        ),
        (
            "Twelve patients were diagnosed with blast crisis. Seven of them were men and five were women.",
            12,
            7,
            5,
        ),
        ("We studied 20 patients; 12 patients were male and 8 were female.", 20, 12, 8),
    ],
)
def test_series_found_rather_than_enrolled_and_sex_counts(text, size, male, female):
    pop = next(c for c in extract("t", text).cohorts if c.role == "population")
    assert (pop.size, pop.male, pop.female) == (size, male, female)


def test_a_count_found_later_does_not_replace_the_enrolled_population():
    x = extract(
        "t", "We enrolled 40 patients in chronic phase. Six patients were found to carry a T315I mutation."
    )
    assert [c.size for c in x.cohorts if c.role == "population"] == [40]


@pytest.mark.parametrize(
    "text,expected",
    [
        # a group the sentence opens with is the denominator of what follows; elided verbs; "in N after ..."
        (
            "Of eight patients in blast crisis, partial remission was achieved in three and minor response in five "
            "after prednisone.",
            {("PartialRemission", 3, None, 8), ("MinorResponse", 5, None, 8)},
        ),
        (
            "Among 12 patients with a T315I mutation, 4 achieved MMR.",
            {("MajorMolecularResponse", 4, None, 12)},
        ),
        (
            "Complete hematologic response was seen in 4 with hydroxyurea.",
            {("CompleteHematologicResponse", 4, None, None)},
        ),
        # not responding, stated by a verb
        ("Five patients did not respond.", {("NoResponse", 5, None, None)}),
        ("Three patients failed to respond to nilotinib.", {("NoResponse", 3, None, None)}),
        (
            "All four of the 12 patients with the mutation did not respond to this therapy.",
            {("NoResponse", 4, None, 12)},
        ),
        ("Three of the 10 patients in blast crisis died.", {("Death", 3, None, 10)}),
    ],
)
def test_fronted_groups_and_responses_stated_by_verbs(text, expected):
    assert figures(text) == expected


def test_a_score_named_before_a_number_is_not_a_group_of_patients():
    x = extract(
        "t",
        "Seventy patients were surveyed about imatinib. DR 100 was assigned to all patients in blast phase; "
        "grade 3 was assigned to two.",
    )
    assert [c.size for c in x.cohorts] == [70]


def test_a_study_of_several_diseases_keeps_only_the_cml_patients_facts():
    x = extract(
        "t",
        "P-gp expression was analyzed in 90 patients, including 50 with CML, 25 with MDS and 15 with AML. "
        "Of ten CML patients in blast crisis, partial remission was achieved in four after prednisone. "
        "Nine AML patients treated with idarubicin and cytarabine showed a complete remission. "
        "Two MDS patients received low-dose ara-C.",
    )
    assert {t.term for t in x.treatments} == {"Prednisone"}
    assert [(o.term, o.count, o.denominator) for o in x.outcomes] == [("PartialRemission", 4, 10)]
    assert 9 not in {c.size for c in x.cohorts} and 2 not in {c.size for c in x.cohorts}


@pytest.mark.parametrize(
    "text,size",
    [
        (
            "A questionnaire went to 70 families. 34 out of 70 patients (49%; median age 11 years) replied to the questionnaire.",
            34,
        ),
        ("Forty-two of the 60 patients invited participated in the survey about imatinib.", 42),
        ("We treated 60 patients with nilotinib. 30 of 60 patients achieved MMR.", 60),
    ],
)
def test_those_who_took_part_are_the_cohort(text, size):
    assert [c.size for c in extract("t", text).cohorts if c.role == "population"] == [size]
