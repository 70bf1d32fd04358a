"""The population of a study that states no enrolment: patients found, measured or stopping treatment
(used by :func:`cmlkg.extract.extract` when :func:`~cmlkg.extract.relations.cohorts.find_cohorts` finds
no population)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN
from cmlkg.extract.relations.cohorts import _COHORT_RE, MAX_PATIENTS
from cmlkg.extract.relations.grammar import CAUSE, LEVEL_SIGN, I
from cmlkg.textutil import NUM, as_int, parse_number

# "Six CML patients were found to carry the fusion": a series whose patients were found, not enrolled
# "...was analyzed in 119 patients": a study of a measurement, whose patients were examined, not enrolled
_FOUND_COHORT = (
    re.compile(
        rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s+(?:were|was)\s+"
        rf"(?:found|shown|confirmed|diagnosed|detected|seen)\b",
        I,
    ),
    re.compile(
        rf"\b(?:was|were)\s+(?:\w+ly\s+)?(?:analy[sz]ed|studied|examined|measured|determined|investigated)\s+"
        # ('were measured at day 29 in 351 patients')
        rf"(?:(?:at|on|by|after)\s+[\w-]+(?:\s+\d+)?\s+)?in\s+(?:a\s+total\s+of\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b",
        I,
    ),
)


def found_population(doc: Doc) -> r.Cohort | None:
    """The population of a study that states no enrolment: the first count of patients 'found',
    'diagnosed' or in whom something 'was analyzed' (used when no enrolled population comes first)."""
    hits = [m for pat in _FOUND_COHORT if (m := pat.search(doc.text))]
    m = min(hits, key=lambda h: h.start()) if hits else None
    n = as_int(parse_number(m.group("n"))) if m else None
    if m is None or not n or n < 2 or n > MAX_PATIENTS:
        return None
    return r.Cohort("population", n, r.Span(m.start(), m.end()))


# "Sixty-eight patients in MR4 for 2 years or more discontinued imatinib": the patients of a stopping study
_STOPPED = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b(?:[^.;:]|(?<=\d)\.(?=\d)){{0,140}}?\b(?:discontinued|stopped|ceased)\s+"
    r"(?:the\s+drug|(?:their\s+)?(?:TKI|TKIs|treatment|therapy)\b|(?=[A-Za-z]))",
    I,
)


# "Dasatinib was discontinued in 63 patients": the same, passive
_STOPPED_IN = re.compile(
    r"\b(?:was|were)\s+(?:discontinued|stopped|ceased|withdrawn)\s+in\s+(?:a\s+total\s+of\s+|all\s+)?"
    rf"(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b",
    I,
)
# a figure before (not a level: 'DMR (BCR-ABL1 <=0.0069%IS)')
_FIGURE_BEFORE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*%|\(\s*\d")
_LEVEL_BEFORE = re.compile(rf"(?:{LEVEL_SIGN}|=)\s*$")


def _figure_before(text: str, end: int) -> bool:
    return any(not _LEVEL_BEFORE.search(text, 0, f.start()) for f in _FIGURE_BEFORE.finditer(text, 0, end))


_CAUSE_AFTER = re.compile(rf"[^.;]{{0,40}}?\b(?:because|{CAUSE}|for\s+(?:toxicity|intolerance|adverse))", I)


def stopping_population(doc: Doc) -> r.Cohort | None:
    """The population of a study of stopping treatment that states no enrolment: the patients who
    stopped, named before any figure (used when no other population is found)."""
    hits = [x for x in (_STOPPED.search(doc.text), _STOPPED_IN.search(doc.text)) if x is not None]
    m = min(hits, key=lambda x: x.start()) if hits else None
    if m is None or doc.outside_study(m.start()):
        return None
    obj = doc.text[m.end() : m.end() + 1]
    if (
        m.re is _STOPPED
        and obj.isalpha()
        and not any(x.kind == "drug" for x in doc.mentions_starting(m.end(), m.end() + 1))
    ):
        return None
    # ('12 patients discontinued imatinib because of toxicity' counts an outcome, not a stopping study)
    if _CAUSE_AFTER.match(doc.text, m.end()):
        return None
    n = as_int(parse_number(m.group("n")))
    if not n or n < 2 or n > MAX_PATIENTS or _figure_before(doc.text, m.start()):
        return None
    named = _COHORT_RE.match(doc.text, m.start())
    return r.Cohort(
        "population", n, r.Span(m.start("n"), m.end("n")), description=named.group(0) if named else ""
    )


# "We compared 98 patients aged >=65 years with 412 patients younger than 65": two groups, of a trait or of
# a treatment ('113 patients treated with dasatinib and 113 matched patients treated with nilotinib')
_COMPARED_GROUPS = re.compile(
    rf"\bcompared\s+(?:the\s+)?(?P<a>(?P<na>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b)[^;.]{{0,100}}?"
    rf"\b(?:with|to|and|versus|vs\.?)\s+(?:the\s+|those\s+)?(?P<b>(?P<nb>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b)"
    r"(?P<rest>[^;.,()]{0,100})",
    I,
)


def compared_groups(doc: Doc, cohorts: list[r.Cohort]) -> list[r.Cohort]:
    """The cohorts of a study that compares two groups it names ('We retrospectively compared 98 patients
    aged >=65 years with 412 younger patients'): each a subgroup, or an arm where its phrase names a drug,
    of a population whose size the text does not state (unless it states their sum). ``cohorts`` as they
    are otherwise."""
    m = _COMPARED_GROUPS.search(doc.text)
    if m is None or doc.outside_study(m.start()):
        return cohorts
    a, b = as_int(parse_number(m.group("na"))), as_int(parse_number(m.group("nb")))
    if not a or not b or any(c.role == "population" and c.size == a + b for c in cohorts):
        return cohorts
    phrases = [(a, m.start("a"), m.end("a"), m.start("b")), (b, m.start("b"), m.end("b"), m.end("rest"))]
    groups = [
        r.Cohort(
            "arm" if doc.mentions_in(end, stop, "drug") else "subgroup",
            n,
            r.Span(start, end),
            description=doc.text[start:stop].strip(),
        )
        for n, start, end, stop in phrases
    ]
    if len({g.role for g in groups}) > 1:
        return cohorts  # a group of a drug and a group of a trait: unsure
    rest = [c for c in cohorts if c.role != "population" and c.size not in (a, b)]
    population = r.Cohort(
        "population", None, r.Span(m.start("a"), m.end("b")), description="the groups compared"
    )
    return [population, *groups, *rest]


# 'Of 856 patients, 214 (25%) were aged >=65 years': the patients a sentence is fronted by
_FRONTED_WHOLE = re.compile(
    rf"(?:^|(?<=[.:]\s)|(?<=\n))(?:Of|Among)\s+(?:the\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b"
    r"(?=[^.;]{0,80},)",
    I,
)


def fronted_population(doc: Doc) -> r.Cohort | None:
    """With no group stated otherwise, the patients the first sentence fronted by a count is of."""
    for m in _FRONTED_WHOLE.finditer(doc.text):
        n = as_int(parse_number(m.group("n")))
        if n and n <= MAX_PATIENTS and not doc.outside_study(m.start()):
            return r.Cohort("population", n, r.Span(m.start("n"), m.end()), description=m.group(0))
    return None
