"""Where the figures read after an outcome end (part of :mod:`cmlkg.extract.relations`): at the next
thing counted, another endpoint, a label of its own, or a new subject."""

from __future__ import annotations

import re

from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN
from cmlkg.extract.relations.grammar import COUNTED, I
from cmlkg.extract.relations.outcome_guards import (
    defines_the_one_before,
    in_a_definition,
    phase_of_the_outcome,
)
from cmlkg.textutil import NUM

_COUNTED_KINDS = ("adverse_event", "phase", "outcome")
# ('The response rate was 60% (CHR 40%, PHR 20%)': a label we do not know heads the figure after it)
_OTHER_LABEL = re.compile(r"[,;(]\s*([A-Z][A-Za-z]{1,7})\s*:?\s*(?=\d+(?:\.\d+)?\s*%)")
_NEW_SUBJECT = re.compile(rf"{COUNTED}\s+(?!with\b|treated\b|receiving\b|given\b|on\b|in\s+the\b)", I)
# '... during pregnancy, and 8 of 9 women who were not in MMR had a rise': a part counted with its
# relative clause opens a clause of its own
_NEW_PART_SUBJECT = re.compile(
    rf"(?:[,;]\s*|\b(?:and|but|whereas|while)\s+)(?P<s>{NUM}\s+(?:out\s+)?of\s+(?:the\s+)?"
    rf"{NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN})\s+(?:who|that|whose)\b",
    I,
)
_GOVERNED = re.compile(r"(?:\b(?:in|of|by|for|among|and|vs\.?|versus)|:)\s*$", I)
# ('OS was 90%, and relative survival 98%': a survival the ontology does not name ends the figures)
_OTHER_ENDPOINT = re.compile(r"\b(?:survival|mortality)\b", I)


def figures_end(doc: Doc, last: Mention, nxt: int) -> int:
    """Where the figures after mention ``last`` end, at ``nxt`` at the latest: at the next thing counted (an
    outcome, an adverse event, a phase), an endpoint the ontology does not name, a label we do not know,
    or a new subject."""
    text = doc.text
    for other in doc.mentions_starting(last.end + 1, nxt):
        if (
            other.kind in _COUNTED_KINDS
            and not defines_the_one_before(doc, other)
            and not in_a_definition(doc, other)
            and not (other.kind == "phase" and phase_of_the_outcome(text, last.end, other))
        ):
            nxt = other.start
            break
    for word in _OTHER_ENDPOINT.finditer(text, last.end, nxt):
        if not any(x.start <= word.start() < x.end for x in doc.mentions_in(word.start() - 40, word.end())):
            nxt = word.start()
            break
    for label in _OTHER_LABEL.finditer(text, last.end, nxt):
        if not doc.mentions_in(label.start(1), label.end(1)):
            nxt = label.start(1)
            break
    new_subject = _NEW_SUBJECT.search(text, last.end, nxt)
    if new_subject and not _GOVERNED.search(text[max(0, new_subject.start() - 8) : new_subject.start()]):
        nxt = new_subject.start()
    if (part := _NEW_PART_SUBJECT.search(text, last.end, nxt)) is not None:
        nxt = part.start("s")
    return nxt
