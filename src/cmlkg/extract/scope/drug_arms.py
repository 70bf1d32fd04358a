"""Arms named by their drugs, in reviews and meta-analyses (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc

I = re.I


_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|with\s+or\s+without)\b", re.I)

# (not "patients in MR4 on imatinib, dasatinib or nilotinib": the TKI each was taking, a mixed cohort)
_ALTERNATIVES = re.compile(r"\b(?:treated\s+with|received|receiving)\s+(?:either\s+)?$", re.I)

_AE_LEAD = re.compile(
    r"\b(?:adverse\s+events|AEs|toxicit(?:y|ies)|side\s+effects)\b[^.;:]{0,80}?\b(?:associated\s+with|with|of|in|among)\s+"
    r"[^.;:]{0,60}?\b(?:include[sd]?|were|was)\b|\b(?:adverse\s+events|AEs)\s+(?:of|with)\s+[^.;:]{0,40}?:",
    re.I,
)


def drug_arms(
    doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment], adverse: list[r.AdverseEvent]
) -> tuple[list[r.Cohort], list[r.AdverseEvent]]:
    """Studies that compare drugs without a design sentence to read arms from (reviews, meta-analyses,
    observational series: 'A has been compared with B', 'risk was increased with A, B and C compared with
    D', 'patients treated with A, B or C'): one arm per compared drug, size not stated. Only adverse
    events are put on them, and only where the sentence ties the event to the drug ('adverse events
    associated with A include ...', 'in A-treated patients', 'increased with A ... compared with D',
    'side effects to A, 83% to B'); figures stay on the population."""
    text = doc.text
    given = {t.term for t in treatments if t.role == "intervention"}
    drugs = [
        m for m in doc.mentions if m.kind == "drug" and m.term in given and not doc.outside_study(m.start)
    ]
    compared = _compared_drugs(doc, drugs)
    if len(compared) < 2:
        return cohorts, adverse
    new = []
    for term in compared:
        first = next(m for m in drugs if m.term == term)
        c = r.Cohort(
            "arm",
            None,
            r.Span(first.start, first.end),
            description=f"patients given {text[first.start : first.end]}",
        )
        c.treatments.append(r.Treatment(term, "intervention", r.Span(first.start, first.end)))
        new.append(c)
    if not any(c.role == "population" for c in cohorts):
        cohorts = [r.Cohort("population", None, new[0].span, description="all arms")] + cohorts
    arm_of = {term: len(cohorts) + k for k, term in enumerate(compared)}
    return cohorts + new, _events_per_drug(doc, adverse, arm_of)


def _compared_drugs(doc: Doc, drugs: list) -> list[str]:
    """The drugs a sentence compares ('A versus B', 'treated with A, B or C'), in the order named, and
    the drugs listed with them in a comparing sentence ('with A (...), B (...) and C (...) compared with
    D')."""
    text = doc.text
    compared: list[str] = []
    for s, e in doc.sents:
        here = [m for m in drugs if s <= m.start < e]
        if len({m.term for m in here}) < 2:
            continue
        for a, b in zip(here, here[1:]):
            between = text[a.end : b.start]
            alternatives = re.fullmatch(r"\s*(?:,|,?\s*or|,?\s*and/or)\s*", between) and _ALTERNATIVES.search(
                text[max(s, here[0].start - 40) : here[0].start]
            )
            if a.term != b.term and (_COMPARED.search(between) or alternatives):
                for t in (a.term, b.term):
                    if t not in compared:
                        compared.append(t)
    if len(compared) < 2:
        return compared
    for s, e in doc.sents:
        here = [m for m in drugs if s <= m.start < e]
        if any(m.term in compared for m in here) and _COMPARED.search(text, s, e):
            for m in here:
                if m.term not in compared:
                    compared.append(m.term)
    return compared


def _events_per_drug(doc: Doc, adverse: list[r.AdverseEvent], arm_of: dict[str, int]) -> list[r.AdverseEvent]:
    """The adverse events, one per compared drug its sentence ties it to (else as they were)."""
    title_end = doc.sents[0][1] if doc.sents else 0
    mentions_of: dict[str, list] = {}
    for m in doc.mentions:
        if m.kind == "adverse_event" and m.start >= title_end and not doc.outside_study(m.start):
            mentions_of.setdefault(m.term, []).append(m)
    out: list[r.AdverseEvent] = []
    for event in adverse:
        named: list[str] = []
        for am in mentions_of.get(event.term, ()):
            for term in _tied_drugs(doc, am, arm_of):
                if term not in named:
                    named.append(term)
        if not named:
            out.append(event)
        for term in named:
            out.append(r.AdverseEvent(event.term, event.span, event.grade, event.count, cohort=arm_of[term]))
    return out


def _tied_drugs(doc: Doc, am, arm_of: dict[str, int]) -> list[str]:
    """The compared drugs one adverse-event mention is tied to by its sentence."""
    text = doc.text
    s, e = doc.sentence_of(am.start)
    # 'Common adverse events associated with A include diarrhea, ...', 'Grade 3 and 4 adverse events
    # reported in at least 5% of A-treated patients include ...': every event the lead lists
    lead = None
    for lm in _AE_LEAD.finditer(text, s, am.start):
        lead = lm
    if lead is not None:
        drugs = {m.term for m in doc.mentions_in(lead.start(), lead.end()) if m.term in arm_of}
        return sorted(drugs) if len(drugs) == 1 else []
    # 'risk of X was increased with A (...), B (...) and C (...) compared with D', 'X to A, 83% to B'
    stop = _COMPARED.search(text, am.end, e)
    named: list[str] = []
    for m in doc.mentions_in(am.end, stop.start() if stop else e):
        if m.term not in arm_of or m.term in named:
            continue
        gap = text[max(am.end, m.start - 12) : m.start]
        tie = re.search(r"\b(?:with|to)\s+(?:the\s+)?$", gap, re.I)
        if tie or (named and re.search(r"(?:[,)]\s*(?:and\s+)?|\band\s+|\bto\s+)$", gap, re.I)):
            named.append(m.term)
        elif not named:
            break
    return named
