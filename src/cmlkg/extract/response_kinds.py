"""A bare 'complete response' or 'partial response' named as part of a response of one kind: 'a major
cytogenetic response, including complete responses in 6 (7%)' is a complete cytogenetic response."""

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
# the bare degree, and the term it is of each kind (where the ontology has one)
_DEGREE = {"CompleteRemission": "Complete", "PartialRemission": "Partial", "MinorResponse": "Minor"}

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
        if degree is None or prev is None or prev.kind != "outcome" or prev.term not in _KIND:
            continue
        local = f"{degree}{_KIND[prev.term]}Response"
        part = _PART_OF.fullmatch(text, prev.end, m.start)
        if local in terms and part is not None:
            out[k] = dataclasses.replace(m, term=local)
    return out
