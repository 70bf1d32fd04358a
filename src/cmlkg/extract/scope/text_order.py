"""Bare pairs read in the arms' order the text set before them (part of
:mod:`cmlkg.extract.scope.attribution`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.scope.references import Refs

I = re.I


def pairs_in_the_texts_order(
    doc: Doc, outcomes: list[r.Outcome], groups: list[list[int]], assigned: dict[int, int], refs: Refs
) -> None:
    """'MMR was 33% in the 400-mg arm and 41% in the 800-mg arm. CCyR rates were 58% and 64%.': with two
    arms, a bare pair of one outcome (no arm, no other group named in its sentence) that follows a pair
    the text tied to the arms first-then-second is read in that order, as a reader does."""
    text = doc.text
    tied = sorted((outcomes[i].span.start, k) for i, k in assigned.items())
    for g in groups:
        if len(g) != 2 or any(i in assigned for i in g):
            continue
        first, last = outcomes[g[0]], outcomes[g[1]]
        sent = doc.sentence_of(first.span.start)
        # (or a clause of its own after ';': '... 29% in arm A and 13% in arm B; MR4.5 in 11% and 3%')
        semi = text.rfind(";", sent[0], first.span.start)
        sent = (semi + 1, sent[1]) if semi >= 0 else sent
        if doc.sentence_of(last.span.start)[1] != sent[1] or refs.between(sent[0], sent[1]):
            continue
        before = [k for start, k in tied if start < sent[0]]
        if before[-2:] != [0, 1]:  # the last pair before it went first arm, then second
            continue
        if re.search(
            r"\b(?:in|for|among|with|of|by)\s+(?!(?:the\s+|all\s+)?(?:patients|pts)\b)",
            text[last.span.end : sent[1]],
            I,
        ):
            continue  # '... 58% and 64% in low- and high-risk patients': other groups
        assigned[g[0]], assigned[g[1]] = 0, 1
