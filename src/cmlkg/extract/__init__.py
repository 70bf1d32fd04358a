"""Extraction: the text of one abstract in, typed records out.

Rule- and lexicon-based, offline. The lexicon (drugs, procedures, phases, outcomes, adverse events,
diseases) is the ontology's labels and ``skos:altLabel`` synonyms (see :mod:`cmlkg.vocabulary`); the
rules here describe how clinical abstracts state numbers, not what a particular abstract says.
"""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.external import external
from cmlkg.extract.mentions import Doc, Mention, find_mentions
from cmlkg.extract.normalise import normalised
from cmlkg.extract.relations import (
    add_demographics,
    compared_groups,
    dedupe_outcomes,
    find_adverse_events,
    find_cohorts,
    find_outcomes,
    find_patients,
    find_phases,
    find_reasons,
    find_risks,
    find_treatments,
    found_population,
    fronted_population,
    other_disease_sentences,
    other_study_clauses,
    stopping_population,
)
from cmlkg.extract.scope import scope
from cmlkg.extract.study_facts import condition_of, design_of, quality_notes, text_sections
from cmlkg.vocabulary import Vocabulary, load_vocabulary

__all__ = ["EXTRACTOR_VERSION", "Mention", "extract", "find_mentions"]

EXTRACTOR_VERSION = "0.1.0"


# ------------------------------------------------------------------ the stage
def scheduled_doses(doses: list[r.Dose]) -> list[r.Dose]:
    """A drug's doses without the bare amounts ('ponatinib 30 mg versus 15 mg' in a title, 'the 800-mg
    arm') when the text states its schedule ('30 mg/d'): the bare amount names a scheduled dose, it
    is not a dose of its own."""
    per_day = {d.unit[: -len("/d")] for d in doses if d.unit.endswith("/d")}
    return [d for d in doses if d.unit.endswith("/d") or d.unit not in per_day]


def extract(
    identifier: str,
    text: str,
    vocab: Vocabulary | None = None,
    sections: list[tuple[str, int, int]] | None = None,
) -> r.Extraction:
    """Read one abstract and return its facts as typed records.

    ``sections``: the ``(NLM category, start, end)`` of a structured abstract's sections, when the
    source labels them (PubMed XML); otherwise they are read from headings in the text. Cohorts,
    treatments, outcomes and adverse events stated in a BACKGROUND section are not this study's.

    >>> x = extract("demo", "We treated 12 patients in chronic phase with imatinib 400 mg/day. "
    ...             "Ten patients achieved a complete cytogenetic response (CCyR).")
    >>> x.cohorts[0].size, [t.term for t in x.treatments], [(o.term, o.count) for o in x.outcomes]
    (12, ['Imatinib'], [('CompleteCytogeneticResponse', 10)])
    """
    doc = _document(normalised(text), vocab or load_vocabulary(), sections)
    # (a figure read after its outcome is another study's if the figure is: 'MMR in historical controls: 28%',
    # or if another study is named right after it: '..., compared with 44% in a historical imatinib cohort')
    ours = lambda x: not any(doc.outside_study(p) for p in _ends_of(doc.text, x.span))  # noqa: E731
    cohorts = _cohorts(doc, ours)
    add_demographics(doc, cohorts)
    patients = find_patients(doc)
    phases = find_phases(doc)
    treatments = find_treatments(doc)
    outcomes = _study_outcomes(doc, cohorts, treatments, ours)
    adverse = [a for a in find_adverse_events(doc) if ours(a)]
    risks = find_risks(doc)
    reasons = find_reasons(doc)
    # stage 4: arms, time points, denominators (and the figures an arm's clause states without its outcome)
    cohorts, adverse = scope(doc, cohorts, treatments, outcomes, adverse)
    for t in [*treatments, *(t for c in cohorts for t in c.treatments)]:
        t.doses = scheduled_doses(t.doses)
    outcomes = dedupe_outcomes(outcomes)
    condition = condition_of(doc)
    has_intervention = any(t.role == "intervention" for t in treatments)
    figures = bool(outcomes or adverse or patients)
    is_cml_treatment = _is_cml_treatment(text, condition, has_intervention, figures, bool(cohorts))
    title = text[doc.sents[0][0] : doc.sents[0][1]].strip() if doc.sents else ""
    return r.Extraction(
        identifier=identifier,
        title=title[:500],
        design=design_of(doc, cohorts, patients, has_intervention),
        condition=condition,
        is_cml_treatment=is_cml_treatment,
        cohorts=cohorts,
        phases=phases,
        treatments=treatments,
        outcomes=outcomes,
        adverse_events=adverse,
        patients=patients,
        reasons=reasons,
        risks=risks,
        notes=quality_notes(doc, outcomes, cohorts, risks),
        external_terms=_external_terms(cohorts, treatments, reasons, adverse),
        extractor_version=EXTRACTOR_VERSION,
    )


def _study_outcomes(
    doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment], ours
) -> list[r.Outcome]:
    """The figures this study found: from the sentence that names the population on (the start when none
    is named), not another study's, not the design or the patients' history."""
    start_at = min((c.span.start for c in cohorts if c.role == "population"), default=0)
    start_at = doc.sentence_of(start_at)[0] if cohorts else 0
    return [
        o for o in find_outcomes(doc, start_at) if ours(o) and not _not_a_result(doc, o, cohorts, treatments)
    ]


def _ends_of(text: str, span: r.Span) -> tuple[int, int, int]:
    """A span's first and last characters, and the first one after it that is not a space."""
    after = span.end
    while after < len(text) - 1 and text[after].isspace():
        after += 1
    return span.start, span.end - 1, after


def _not_a_result(doc: Doc, o: r.Outcome, cohorts: list[r.Cohort], treatments: list[r.Treatment]) -> bool:
    """The design or the history of the patients, not a figure the study found."""
    return _designed_stop(o, cohorts) or _on_prior_therapy(doc, o, treatments) or _at_baseline(doc, o)


# 'A total of 30% of patients had an MMR at baseline', 'At baseline, 20 patients (33%) were in CCyR': where
# the patients were when the study began, not what it found
_AT_BASELINE_AFTER = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:at|before)\s+(?:baseline|study\s+entry|entry|enrol?ment|inclusion|screening)\b",
    re.I,
)
_AT_BASELINE_BEFORE = re.compile(
    r"\s*(?:at|before)\s+(?:baseline|study\s+entry|entry|enrol?ment|inclusion),", re.I
)


def _at_baseline(doc: Doc, o: r.Outcome) -> bool:
    return bool(
        _AT_BASELINE_AFTER.match(doc.text, o.span.end)
        or _AT_BASELINE_BEFORE.match(doc.text, doc.sentence_of(o.span.start)[0])
    )


def _designed_stop(o: r.Outcome, cohorts: list[r.Cohort]) -> bool:
    """The study's design, not a figure: the whole population stopping treatment in a discontinuation
    study ("A total of 246 patients in MR4 stopped imatinib", "imatinib was discontinued in all 40
    patients"), or the response the patients were enrolled in ("Forty patients in CMR were included")."""
    return any(
        c.role == "population"
        and c.size is not None
        and c.size == o.count
        and (o.term == "TreatmentDiscontinuation" or c.span.start == o.span.start)
        for c in cohorts
    )


# 'Six patients had progressed on imatinib': what happened on the therapy before the study's
_ON_THERAPY_AFTER = re.compile(
    r"\s+(?:on|under|while\s+(?:on|receiving)|during|despite)\s+(?:(?:treatment|therapy)\s+with\s+|prior\s+)?",
    re.I,
)


def _on_prior_therapy(doc: Doc, o: r.Outcome, treatments: list[r.Treatment]) -> bool:
    """A figure of what happened on a prior therapy only, not on the study's: the history of the patients."""
    on = _ON_THERAPY_AFTER.match(doc.text, o.span.end)
    if on is None:
        return False
    drug = next((m for m in doc.mentions_starting(on.end(), on.end() + 1) if m.kind == "drug"), None)
    roles = {t.role for t in treatments if drug is not None and t.term == drug.term}
    return roles == {"prior"}


def _is_cml_treatment(
    text: str, condition: str | None, has_intervention: bool, figures: bool, cohorts: bool
) -> bool:
    """Whether an abstract reports CML treatment evidence: a CML study with an intervention and patients
    or figures (or a case report); never a decision model's 'hypothetical cohort', nor a drug given to
    cells ('CD34+ cells from 12 patients ... cultured with ponatinib') with no figure of patients."""
    if condition != "ChronicMyeloidLeukemia" or not has_intervention or _MODELLED.search(text):
        return False
    if cohorts and not figures and _IN_VITRO.search(text):
        return False
    return figures or cohorts or bool(_CASE_REPORT.search(text))


_IN_VITRO = re.compile(
    r"\b(?:cultured|incubated)\s+(?:\w+\s+){0,2}?with\b|\bcell\s+lines?\b|\bxenograft|\bmurine\b|\bmice\b",
    re.I,
)
_MODELLED = re.compile(
    r"\b(?:hypothetical\s+cohort|Markov\s+(?:model|cohort)|decision[- ]analytic(?:al)?\s+model"
    r"|microsimulation)",
    re.I,
)
_CASE_REPORT = re.compile(
    r"\bcase\s+(?:report|of\s+an?)\b|\bwe\s+(?:report|describe|present)\s+(?:an?|the|one)\b", re.I
)


def _document(text: str, vocab: Vocabulary, sections: list[tuple[str, int, int]] | None) -> Doc:
    """The text read for mentions, with what is not this study's CML evidence marked: background
    (earlier studies), and sentences about patients with another disease only (in a study of several:
    "11 AML patients ... showed a complete remission")."""
    doc = Doc(text, vocab)
    sections = text_sections(text) if sections is None else sections
    doc.not_this_study = [(start, end) for cat, start, end in sections if cat == "BACKGROUND"]
    doc.not_this_study += other_disease_sentences(doc) + other_study_clauses(doc)
    return doc


def _external_terms(
    cohorts: list[r.Cohort],
    treatments: list[r.Treatment],
    reasons: list[r.TreatmentReason],
    adverse: list[r.AdverseEvent],
) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """The terms used that come from outside the ontology (packaged drug and phenotype vocabularies):
    local name -> (label, IRIs, the ontology class they are individuals of)."""
    used = (
        {t.term for t in treatments}
        | {t.term for c in cohorts for t in c.treatments}
        | {x.therapy for x in reasons}
        | {a.term for a in adverse}
    )
    return {
        local: (d.label, d.identifiers, d.cls) for local in sorted(used) if (d := external(local)) is not None
    }


def _cohorts(doc: Doc, ours) -> list[r.Cohort]:
    """The cohorts of this study; a series 'found' before any larger count of enrolled patients ("Six
    patients were found to carry ...") is the population."""
    cohorts = compared_groups(doc, [c for c in find_cohorts(doc) if ours(c)])
    if not cohorts and (stopped := stopping_population(doc)) is not None:
        return [stopped]
    found = found_population(doc)
    if found is not None and ours(found):
        pops = [c for c in cohorts if c.role == "population"]
        if not cohorts:
            cohorts = [found]
        elif pops and found.span.start < pops[0].span.start and (found.size or 0) > (pops[0].size or 0):
            pops[0].role = "subgroup"
            cohorts.insert(0, found)
    if not cohorts and (fronted := fronted_population(doc)) is not None and ours(fronted):
        cohorts = [fronted]
    return cohorts
