"""Stage 5, study-level facts: the sections of a structured abstract, the condition the study is about,
its design, and the inconsistencies of the text as quality notes. (The records these facts fill are
:mod:`cmlkg.records`.)"""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc

I = re.IGNORECASE

# headings of structured abstracts, by NLM category (NLM's own categories; the labels authors use)
_HEADINGS = {
    "BACKGROUND": ("background", "introduction", "context", "rationale"),
    "OBJECTIVE": ("objectives?", "aims?", "purpose", "aims? of the study", "goals?"),
    "METHODS": (
        "methods",
        "patients and methods",
        "materials and methods",
        "study design",
        "design",
        "design and methods",
        "experimental design",
        "methodology",
    ),
    "RESULTS": ("results", "findings"),
    "CONCLUSIONS": ("conclusions?", "interpretation", "summary", "discussion", "conclusions? and relevance"),
}
_HEADING_CATEGORY = {label: cat for cat, labels in _HEADINGS.items() for label in labels}
_HEADING = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))"  # a heading starts the text, a line or a sentence
    r"(?:(?P<colon>(?i:" + "|".join(sorted(_HEADING_CATEGORY, key=len, reverse=True)) + r"))\s*:"
    r"|(?P<caps>"
    + "|".join(sorted((x.upper() for x in _HEADING_CATEGORY), key=len, reverse=True))
    + r")\b(?=\s+[A-Z0-9]))"
)


def text_sections(text: str) -> list[tuple[str, int, int]]:
    """The sections of a structured abstract whose headings are in the text ("RESULTS: ...",
    "Background: ...", "PATIENTS AND METHODS We ..."): ``(NLM category, start, end)``."""
    marks = []
    for m in _HEADING.finditer(text):
        label = (m.group("colon") or m.group("caps")).lower()
        category = next(cat for pattern, cat in _HEADING_CATEGORY.items() if re.fullmatch(pattern, label))
        marks.append((category, m.start()))
    out = [
        (cat, start, marks[k + 1][1] if k + 1 < len(marks) else len(text))
        for k, (cat, start) in enumerate(marks)
    ]
    if out and out[-1][0] == "BACKGROUND":
        # "Background: In an earlier study ... . 532 patients were randomized ...": a background with no
        # heading after it is its first sentence, not the whole abstract
        cat, start, end = out[-1]
        stop = re.search(r"[.!?](?=\s+[A-Z0-9])", text[start:end])
        out[-1] = (cat, start, start + stop.end() if stop else end)
    return out


def quality_notes(
    doc: Doc,
    outcomes: list[r.Outcome],
    cohorts: list[r.Cohort] | None = None,
    risks: list[r.RiskMeasurement] | None = None,
) -> list[r.QualityNote]:
    text = doc.text
    notes = []
    items: list[r.Outcome | r.RiskMeasurement] = [
        *(o for o in outcomes if o.denominator is None),
        *(risks or []),
    ]
    # "16 (79%)" with no stated denominator: it should match one of the cohorts the abstract names
    sizes = sorted({n for c in (cohorts or []) for n in (c.size, c.evaluable) if n})
    for item in items:
        if item.count is None or item.percent is None or not sizes or item.count == 0:
            continue
        if not any(item.count <= n and abs(100 * item.count / n - item.percent) <= 1.0 for n in sizes):
            quote = text[item.span.start : item.span.end]
            notes.append(
                r.QualityNote(
                    f"percent {item.percent:g}% does not match {item.count} of any stated cohort size "
                    f"({', '.join(map(str, sizes))}): {quote!r}",
                    item.span,
                )
            )
    for m in (
        ()
        if not doc.has("range")
        else re.finditer(
            r"\brange[:\s,]*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)", text, I
        )
    ):
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if lo > hi:
            notes.append(
                r.QualityNote(
                    f"range with its minimum above its maximum: {m.group(0)!r}", r.Span(m.start(), m.end())
                )
            )
    for o in outcomes:
        if o.count is not None and o.denominator and o.percent is not None:
            expected = 100 * o.count / o.denominator
            if abs(expected - o.percent) > 1.0:
                notes.append(
                    r.QualityNote(
                        f"percent {o.percent:g}% does not match {o.count} of {o.denominator} "
                        f"({expected:.1f}%)",
                        o.span,
                    )
                )
        if o.count is not None and o.denominator is not None and o.count > o.denominator:
            notes.append(r.QualityNote(f"count {o.count} is above its denominator {o.denominator}", o.span))
    return notes


def condition_of(doc: Doc) -> str | None:
    counts: dict[str, int] = {}
    for m in doc.mentions:
        if m.kind in ("disease", "phase"):
            key = (
                "ChronicMyeloidLeukemia"
                if m.kind == "phase" or m.term == "ChronicMyeloidLeukemia"
                else m.term
            )
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        # no disease named: BCR-ABL1 / Philadelphia-positive leukemia treated with a BCR-ABL1 drug is CML
        # evidence
        if re.search(r"BCR[-:]*ABL|\bPh['1]?\s*\+|Philadelphia", doc.text) and any(
            m.kind == "drug" and term_of(doc.vocab, m.term).is_a("TyrosineKinaseInhibitor")
            for m in doc.mentions
        ):
            return "ChronicMyeloidLeukemia"
        return None
    return max(sorted(counts), key=lambda k: (counts[k], k == "ChronicMyeloidLeukemia"))


def design_of(doc: Doc, cohorts: list[r.Cohort], patients: list[r.Patient], treatment: bool) -> str:
    text = doc.text
    if (
        doc.has("case", "we")
        and re.search(
            r"\bcase\s+reports?\b|\bwe\s+(?:report|describe|present)\s+(?:a|an|the\s+case|one)\b", text, I
        )
        and (not cohorts or (cohorts[0].size or 0) <= 1)
    ):
        return "CaseReport"
    if (
        treatment
        and doc.has("retrospective", "observational", "registry")
        and re.search(r"\bretrospective\b|\bobservational\b|\bregistry\b", text, I)
    ):
        return "CohortStudy"
    if treatment and doc.has("random") and re.search(r"\brandomi[sz]ed\b|\brandomly\s+assigned\b", text, I):
        return "RandomizedControlledTrial"
    if (
        re.search(
            r"\bphase\s+(?:I|II|III|IV|1|2|3|4)(?:/(?:I|II|III|1|2|3))?\b(?!\s*\))|\btrials?\b|\bprospective\b|\bmulticent(?:er|re)\b|\bopen-label\b",
            text,
            I,
        )
        and treatment
    ):
        return "ClinicalTrial"
    if (doc.has("case") and re.search(r"\bcase\s+series\b|\bcases\b", text, I)) or (
        cohorts and (cohorts[0].size or 0) <= 10 and treatment
    ):
        return "CaseSeries" if cohorts or len(patients) > 1 else "CaseReport"
    if treatment:
        return "CohortStudy"
    return "LaboratoryStudy" if not cohorts else "ObservationalStudy"
