"""What a count of patients is out of: its own 'of N', the group a sentence opens with ('Of 80
patients, ...'), the group last named ('Two of them'), or the count before 'of whom' (part of
:mod:`cmlkg.extract.relations.figures`)."""

from __future__ import annotations

import re

from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN
from cmlkg.extract.relations.grammar import COUNTED, I
from cmlkg.textutil import NUM, as_int, parse_number

_COUNT_BEFORE_WHOM = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s*)?"
    r"(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:achieved|attained|reached|obtained|had|were|responded)\b[^;,]*,\s*"
    r"(?:of\s+whom|of\s+these|of\s+them|among\s+them|among\s+these)\s+$",
    I,
)
_GROUP_BEFORE_COLON = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s+)?(?:were|was|had\s+been|have\s+been)\s+"
    r"[a-z]+(?:\s+[a-z]+){0,3}\s*:\s*[^:;]*$",
    I,
)
_OF_WHOM = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:\([^()]*\)\s*)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b[^;]*?,\s*"
    r"(?:of\s+whom|of\s+these|of\s+them|among\s+them|among\s+these)\s+$",
    I,
)


def subject_denominator(doc: Doc, sm: re.Match, start_abs: int, count: int) -> int | None:
    """What a counted subject is out of: its own "of N", the group it names, the group last named
    ("Two of them"), or the group before "of whom"."""
    text = doc.text
    den_text = sm.group("den") or sm.group("den0")
    den = as_int(parse_number(den_text)) if den_text else None
    before = text[doc.sentence_of(start_abs)[0] : start_abs]
    # ('Of 80 patients, 70 (88%) achieved CCyR, of whom 52 ...': 52 is out of the 70 right before, not the 80)
    whom = _COUNT_BEFORE_WHOM.search(before) if den is None else None
    if whom is not None:
        den = as_int(parse_number(whom.group("n")))
    # ('Of 373 patients who lost MMR, 371 were retreated: 302 (81%) regained MR4': the group the colon lists)
    colon = _GROUP_BEFORE_COLON.search(before) if den is None else None
    if colon is not None and (n := as_int(parse_number(colon.group("n")))) is not None and n >= count:
        den = n
    if den is None:
        den = group_denominator(text, start_abs)
    if den is None and sm.group("of_them"):
        # "We describe three cases ... . Two of them achieved MMR": out of the group last named
        den = last_group(doc, start_abs)
        if den is not None and den < count:
            den = None
    if den is None:
        # "Forty patients (67%) achieved CCyR, of whom 30 also achieved MMR": out of the group before
        whom = _OF_WHOM.search(before)
        den = as_int(parse_number(whom.group("n"))) if whom else None
    return den


_OF_GROUP = re.compile(
    rf"\b(?:of|among|in)\s+(?:the\s+|these\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}(?:\s+[\w'+\-]+){{0,5}}?\s*,\s*$",
    I,
)


# the group a sentence opens with: "Of eight patients in blast crisis (BC) with normal expression, ..."
_FRONTED_GROUP = re.compile(
    rf"\s*(?:Of|Among|In)\s+(?:the\s+|these\s+|those\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b"
    r"[^,;.:]{0,90},",
    I,
)


def last_group(doc: Doc, pos: int) -> int | None:
    """The size of the group of patients last named before ``pos``, in its sentence or the one before."""
    start = doc.sentence_of(pos)[0]
    s0 = doc.sentence_of(start - 1)[0] if start > 0 else 0
    named = list(re.finditer(COUNTED + r"\b", doc.text[s0:pos], I))
    return as_int(parse_number(named[-1].group("n"))) if named else None


def fronted_group(text: str, sent_start: int, pos: int) -> int | None:
    """The size of the group the sentence starting at ``sent_start`` opens with, if it does before ``pos``."""
    m = _FRONTED_GROUP.match(text, sent_start, pos)
    return as_int(parse_number(m.group("n"))) if m else None


def group_denominator(text: str, subject_start: int) -> int | None:
    """'Of the 60 evaluable patients, 45 ...': the group a count is out of, right before the subject
    or fronted at the start of its sentence ('Among 267 patients with CP, 56% had MCyR, 46% had CCyR')."""
    m = _OF_GROUP.search(text[max(0, subject_start - 100) : subject_start])
    if m is not None:
        return as_int(parse_number(m.group("n")))
    sent_start = max(text.rfind(". ", 0, subject_start), text.rfind("\n", 0, subject_start)) + 1
    return fronted_group(text, sent_start, subject_start)
