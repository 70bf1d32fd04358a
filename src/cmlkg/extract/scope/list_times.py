"""A time point that closes a list of figures holds for every figure of the list (part of
:mod:`cmlkg.extract.scope.time_points`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import PCT
from cmlkg.extract.times import TimePoint
from cmlkg.textutil import NUM

I = re.I

# 'P% X, Q% Y and R% Z': the items of a list of figures that share one verb
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|,?\s+and\s+)")
_LIST_ITEM = re.compile(
    rf"(?:{NUM})(?:{PCT})?(?:\s*\([^()]*\))?\s+"
    # an item with its own subject or verb ('..., and 9 patients died') is a clause of its own
    r"(?![^,;%()]*\b(?:patients?|pts|subjects|died|relapsed|progressed|lost|were|was|had|achieved|attained|"
    r"reached|developed|occurred)\b)[^,;%()]{1,60}"
    # ('MMR was achieved in 36 (60%), MR4 in 24 (40%) and MR4.5 in 15 (25%) by 36 months': the term first)
    rf"|[A-Za-z][\w.-]{{0,30}}\s+in\s+(?:{NUM})(?:\s+(?:patients|pts))?(?:\s*\([^()]*\))?"
    # ('MMR 62%, MR4 40%, MR4.5 28% (at 24 months)': the term, then its percent)
    rf"|[A-Za-z][\w.-]{{0,30}}\s*:?\s*\d+(?:\.\d+)?{PCT}",
    I,
)
_TIME_CLOSES = re.compile(r"\s*(?:\(\s*)?(?=(?:by|at|after|within)\s)")


def list_time_points(doc: Doc, outcomes: list[r.Outcome], points: list[TimePoint]) -> None:
    """ "78% attained CCyR, 61% MMR and 22% MR4.5 by 24 months": a time point that closes a list of
    figures sharing one verb holds for every figure of the list (none of which states its own)."""
    text = doc.text
    ordered = sorted(outcomes, key=lambda o: o.span.start)
    starts = {p.start: p for p in points}  # a point starts at its preposition ('by 24 months')
    k = 0
    while k < len(ordered):
        chain = [ordered[k]]
        while k + 1 < len(ordered):
            nxt = ordered[k + 1]
            if not (
                _LIST_JOIN.fullmatch(text, chain[-1].span.end, nxt.span.start)
                and _LIST_ITEM.fullmatch(text, nxt.span.start, nxt.span.end)
            ):
                break
            chain.append(nxt)
            k += 1
        k += 1
        if len(chain) < 2:
            continue
        first, last = chain[0], chain[-1]
        closing = _TIME_CLOSES.match(text, last.span.end)
        point = starts.get(closing.end()) if closing else None
        # (the last figure took it, or it is in a parenthesis that closes the list, which no figure takes:
        # 'MMR 62%, MR4 40%, MR4.5 28% (at 24 months)')
        in_parens = closing is not None and "(" in closing.group()
        if (
            point is not None
            and len(point.months) == 1
            and (last.time_months == point.months[0] or (in_parens and last.time_months is None))
            and all(o.time_months in (None, point.months[0]) for o in chain[:-1])
        ):
            for o in chain:
                o.time_months = point.months[0]
        # 'After 12 months, 26 of 42 (62%) achieved MMR and 11 (26%) MR4.5': a time point before the list
        elif (
            first.time_months is not None
            and all(o.time_months is None for o in chain[1:])
            and point is None
            and any(
                p.end <= first.span.start and p.months == [first.time_months] and p.start >= sent_start
                for p in points
                for sent_start in (doc.sentence_of(first.span.start)[0],)
            )
        ):
            for o in chain[1:]:
                o.time_months = first.time_months


# 'CCyR (77% vs 66%; P = .007) and MMR (46% vs 28%) by 12 months': outcomes each with its figures in a
# parenthesis, listed, then the time point
_PAREN_ITEM_JOIN = re.compile(r"[^()]*\)\s*(?:,\s*(?:and\s+)?|,?\s+and\s+)")
_PAREN_ITEM_CLOSES = re.compile(r"[^()]*\)\s*(?:rates?\s+)?(?=(?:by|at|after|within)\s)", I)


def paired_list_time_points(doc: Doc, outcomes: list[r.Outcome], points: list[TimePoint]) -> None:
    """ "higher rates of CCyR (77% vs 66%) and MMR (46% vs 28%) by 12 months": a time point that closes
    a list of outcomes, each with its figures in a parenthesis, holds for the figures of every item (none
    stating a time point of its own)."""
    text = doc.text
    starts = {p.start: p for p in points}
    items: dict[int, list[r.Outcome]] = {}
    for o in outcomes:  # an item: the figures read from one mention, inside its parenthesis
        if "(" in text[o.span.start : o.span.end]:
            items.setdefault(o.span.start, []).append(o)
    chain: list[list[r.Outcome]] = []
    for start in sorted(items) + [-1]:
        end = max(o.span.end for o in chain[-1]) if chain else 0
        if start >= 0 and chain and _PAREN_ITEM_JOIN.fullmatch(text, end, start):
            chain.append(items[start])
            continue
        if len(chain) > 1 and (closes := _PAREN_ITEM_CLOSES.match(text, end)):
            point = starts.get(closes.end())
            figures = [o for item in chain for o in item]
            if (
                point is not None
                and len(point.months) == 1
                and all(o.time_months in (None, point.months[0]) for o in figures)
            ):
                for o in figures:
                    o.time_months = point.months[0]
        chain = [items[start]] if start >= 0 else []
