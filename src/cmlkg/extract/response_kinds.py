"""A bare 'complete response' or 'partial response' named as part of a response of one kind ('a major
cytogenetic response, including complete responses in 6 (7%)' is a complete cytogenetic response), or
listed after a degree of one kind ('complete cytogenetic remission in 62 (78%), partial remission in 9')."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# the kind of a response, by the term of the response named first
_KIND = {
    "CytogeneticResponse": "Cytogenetic",
    "MajorCytogeneticResponse": "Cytogenetic",
    "HematologicResponse": "Hematologic",
    "MajorHematologicResponse": "Hematologic",
    "MolecularResponse": "Molecular",
    "MajorMolecularResponse": "Molecular",
}
# a degree of a kind, after which the next bare degree in a list is of that kind too: 'complete
# cytogenetic remission in 62 of 79 patients (78%), partial remission in 9 (11%)'
_LISTED_KIND = {
    "CompleteCytogeneticResponse": "Cytogenetic",
    "PartialCytogeneticResponse": "Cytogenetic",
    "MinorCytogeneticResponse": "Cytogenetic",
    "CompleteHematologicResponse": "Hematologic",
}
# the bare degree, and the term it is of each kind (where the ontology has one)
_DEGREE = {"CompleteRemission": "Complete", "PartialRemission": "Partial", "MinorResponse": "Minor"}

_LISTED_NEXT = re.compile(r"[^.;]{0,60}?,\s*(?:and\s+)?(?:an?\s+)?")
# what makes the second response a part of the first: 'including', 'of which', 'of whom', 'among them'
_PART_OF = re.compile(
    r"[^.;]{0,40}?\b(?:including|of\s+which|of\s+whom|among\s+(?:them|these|whom))\s+"
    r"(?:(?:\d+(?:\.\d+)?\s*%?|an?)\s+)?(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?",
    re.I,
)


def responses_of_a_kind(text: str, found: list[Any], terms: Any) -> list[Any]:
    """The mentions, a bare degree of response retermed to the kind of the response it is part of."""
    out = list(found)
    for k, m in enumerate(out):
        degree = _DEGREE.get(m.term)
        prev = out[k - 1] if k else None
        if degree is None or prev is None or prev.kind != "outcome":
            continue
        if prev.term in _KIND and _PART_OF.fullmatch(text, prev.end, m.start):
            kind = _KIND[prev.term]
        elif prev.term in _LISTED_KIND and _LISTED_NEXT.fullmatch(text, prev.end, m.start):
            kind = _LISTED_KIND[prev.term]
        else:
            continue
        if f"{degree}{kind}Response" in terms:
            out[k] = dataclasses.replace(m, term=f"{degree}{kind}Response")
    return out


# 'BCR::ABL1IS ≤0.01%', 'BCR-ABL1 (IS) transcripts <0.1%', 'BCR-ABL1 ≤10% at 3 months': a response
# named by the transcript level that defines it
_LEVEL_NAMED = re.compile(
    # ('BCR-ABL/ABL ratio <0.1%': the ratio to its control gene)
    r"\bBCR[-:]{1,2}ABL1?(?:\s*/\s*ABL1?)?(?:\s*\(\s*IS\s*\)|\s*IS\b|(?<=1)IS\b)?(?:\s+(?:transcripts?|levels?|ratio))?"
    r"(?:\s+(?:of|at))?\s*(?:≤|<|<=|=<)\s*(?P<v>\d+(?:\.\d+)?)\s*%",
    re.I,
)
_AT_THREE_MONTHS = re.compile(r"\b(?:3|three)[- ]?(?:months?|mos?)\b|\bmonth\s*3\b|\bM3\b", re.I)
_LEVELS: dict[int, tuple[Any, dict[float, str]]] = {}


def _levels(vocab: Any) -> dict[float, str]:
    """The responses the ontology names by a level ('BCR-ABL1 ≤0.1%' of major molecular response), by level;
    read once per vocabulary."""
    cached = _LEVELS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        levels = {
            float(m.group("v")): t.local
            for t in vocab.terms.values()
            for label in t.synonyms
            if (m := _LEVEL_NAMED.fullmatch(label)) is not None
        }
        cached = _LEVELS[id(vocab)] = (vocab, levels)
    return cached[1]


def level_responses(text: str, vocab: Any) -> list[tuple[str, int, int]]:
    """The responses named by a BCR::ABL1 level, in any of the ways it is written: (term, start, end); a
    level of 10% only at 3 months (the early molecular response's definition)."""
    out: list[tuple[str, int, int]] = []
    if "ABL" not in text:
        return out
    levels = _levels(vocab)
    for m in _LEVEL_NAMED.finditer(text):
        v = float(m.group("v"))
        local = levels.get(v)
        if v == 10 and _AT_THREE_MONTHS.search(text, max(0, m.start() - 80), m.end() + 40):
            local = "EarlyMolecularResponse"
        if local is not None and local in vocab.terms:
            out.append((local, m.start(), m.end()))
    return out
