"""A figure's subject that is a share: a percent ('73% of patients achieved', '31% (19/61) achieved MMR',
'62.5% (25 of 40) patients attained CCyR'), a share in words ('Half of the patients (n = 30)'), 'both'
(part of :mod:`cmlkg.extract.relations`)."""

from __future__ import annotations

import re

from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, Value
from cmlkg.extract.relations.denominators import group_denominator
from cmlkg.extract.relations.grammar import SHARE_LEAD, I
from cmlkg.extract.thresholds import a_threshold
from cmlkg.textutil import NUM, parse_number

# '31% (19/61) achieved MMR': the count and its denominator after the percent
_N_OF_D_PARENS = r"\(\s*(?P<k>\d+)\s*(?:/|of|out\s+of)\s*(?P<kd>\d+)\s*\)"
_N_OF_D_AFTER = re.compile(rf"\s*(?:%|percent|per\s+cent)\s*{_N_OF_D_PARENS}", I)
PERCENT_SUBJECT = re.compile(
    rf"(?<![\w.])(?P<pct>\d+(?:\.\d+)?\s*(?=%)|{NUM}(?=\s*(?:percent|per\s+cent)\b))\s*(?:%|percent|per\s+cent)\s*"
    # ('62.5% (25 of 40) patients attained CCyR': the count and its denominator in parentheses)
    rf"(?:{_N_OF_D_PARENS}\s*(?:(?:{ADJ}){{0,2}}{PATIENT_NOUN}\s*)?)?"
    r"(?:of\s+(?:(?!percent\b|per\s+cent\b)[^,;:()%]){0,100}?)?\s*$",
    I,
)
_COPULA_GAP = re.compile(r"\b(?:was|were|is|of|rates?)\b|:", I)


def percent_subject(doc: Doc, m: Mention, clause_start: int, subject_text: str) -> Value | None:
    """The percent that is the subject text's figure, with the count and denominator in parentheses after
    it when they agree with it, else the denominator of the group it is a share of."""
    pct_only = _percent_only(doc, m, clause_start, subject_text)
    if pct_only is None:
        return None
    text = doc.text
    start_abs = clause_start + pct_only.start()
    pct = parse_number(pct_only.group("pct"))
    counted = _N_OF_D_AFTER.match(text, clause_start + pct_only.end("pct"))
    if pct is not None and counted is not None:
        k, kd = int(counted.group("k")), int(counted.group("kd"))
        if kd > 0 and k <= kd and abs(100 * k / kd - pct) <= 1.5:
            return Value(k, pct, kd, start_abs, m.end)
    return Value(None, pct, group_denominator(text, start_abs), start_abs, m.end)


def _percent_only(doc: Doc, m: Mention, clause_start: int, subject_text: str) -> re.Match | None:
    """A subject that is a percent alone ('73% of patients achieved'), unless it is another outcome's."""
    text = doc.text
    pct_only = PERCENT_SUBJECT.search(subject_text)
    if not pct_only:
        return None
    at = clause_start + pct_only.start()
    # "The MCyR rate was 80% with a CCyR rate of 75%": a figure before another outcome is not this one's
    in_clause = doc.mentions_in(clause_start, m.start)
    if any(o.kind == "outcome" and at < o.start < m.start for o in in_clause):
        return None
    before = [o for o in in_clause if o.kind == "outcome" and o.end <= at]
    gap = text[before[-1].end : at] if before else ""
    if before and len(gap) < 40 and _COPULA_GAP.search(gap) and not re.search(r"\d", gap):
        return None
    if re.search(r"[<>≤≥=]\s*$", subject_text[: pct_only.start()]):
        return None
    # 'No patient with adherence above 90% lost CCyR': a bound of a measure, no share of patients
    if a_threshold(text, max(clause_start, at - 20), at, clause_start + pct_only.end("pct")):
        return None
    return pct_only


_SHARE_IN_WORDS = re.compile(
    rf"(?:^|\b){SHARE_LEAD}\s*\(\s*(?:n\s*=\s*(?P<n>\d+)\s*(?:[;,]\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*)?"
    r"|(?P<p_only>\d+(?:\.\d+)?)\s*%\s*)\)\s*$",
    I,
)
_BOTH = re.compile(rf"\bboth(?:\s+of\s+(?:them|these|those)|\s+(?:the\s+|these\s+)?{PATIENT_NOUN})?\s*$", I)


def share_in_words(doc: Doc, m: Mention, clause_start: int, subject_text: str) -> Value | None:
    """'One-third of patients (33%)', 'Most patients (n = 101; 72%)', 'Half of the patients (n = 30)': a
    share in words, stated in figures (the words give no percent of their own); 'Both patients': two of
    two."""
    if (qm := _SHARE_IN_WORDS.search(subject_text)) is not None:
        count = int(qm.group("n")) if qm.group("n") else None
        pct = qm.group("p") or qm.group("p_only")
        start_abs = clause_start + qm.start()
        den = group_denominator(doc.text, start_abs)
        return Value(count, float(pct) if pct else None, den, start_abs, m.end)
    if (both := _BOTH.search(subject_text)) is not None:
        return Value(2, None, 2, clause_start + both.start(), m.end)
    return None
