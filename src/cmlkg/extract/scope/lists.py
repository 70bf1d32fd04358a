"""Per-arm figures in lists and gapped clauses (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import FIGURE
from cmlkg.extract.scope.arms import Arm
from cmlkg.extract.scope.references import Refs
from cmlkg.extract.times import time_points

I = re.I
I = re.I


# where a gapped clause starts: '; in arm B, ...', ', whereas ...', and a bare 'and in 74 given B'
_GAP_START = re.compile(
    r";|,\s*(?:whereas|while|but|and)\b|\bwhereas\b|\bwhile\b"
    r"|\band\s+(?=(?:in\s+)?\d+\s+(?:\w+\s+){0,3}?(?:given|receiving|treated\s+with|on)\b)",
    re.I,
)

_GAP_END = re.compile(r";|,\s*(?:whereas|while|but)\b|\bwhereas\b|\bwhile\b")

_BARE_ARM_COUNT = re.compile(
    r"\s*(?:in\s+)?(?P<bare>\d+)(?![\d.,%])\s+(?:(?:patients|pts|subjects)\s+)?(?:who\s+were\s+)?"
    r"(?:given|receiving|treated\s+with|on)\b",
    re.I,
)


def gapped_figures(
    doc: Doc,
    arms: list[Arm],
    outcomes: list[r.Outcome],
    refs: Refs,
    sizes: dict[int, int | None] | None = None,
) -> list[r.Outcome]:
    """Figures whose outcome is not repeated, in a clause that names another arm: 'in the 30-mg arm,
    116/148 (78.4%) achieved MCyR; in the 15-mg arm, 122/148 (82.4%)', 'In the bosutinib arm, MCyR was
    obtained by 46% at 12 months and 88% at 24 months; in the IM arm, by 64% and 77%, respectively'.
    Each takes the outcome of the statement before it (and its time points, in order) and the arm its
    clause names; a clause that names no arm, or a new outcome, ends the reading."""
    text = doc.text
    sizes = sizes or {}
    new: list[r.Outcome] = []
    done: set[int] = set()
    for o in sorted((x for x in outcomes if x.cohort is not None), key=lambda x: x.span.start):
        s, e = doc.sentence_of(o.span.start)
        if o.span.end in done:
            continue
        siblings = [
            x for x in outcomes if x.term == o.term and x.cohort == o.cohort and s <= x.span.start < e
        ]
        last_end = max(x.span.end for x in siblings)
        done.update(x.span.end for x in siblings)
        home = next((k for k, a in enumerate(arms) if a.cohort == o.cohort), None)
        pos = last_end
        while pos < e:
            semi = _GAP_START.search(text, pos, e)
            if semi is None:
                break
            cs = semi.end()
            nxt = _GAP_END.search(text, cs, e)
            ce = nxt.start() if nxt else e
            pos = ce
            if any(mm.kind in ("outcome", "adverse_event") for mm in doc.mentions_in(cs, ce)):
                break
            named = {k for _rs, _re, k in refs.between(cs, ce)}
            if (
                not named
            ):  # no arm named, but a denominator that is one arm's size: 'in the 70-mg arm, 344/383'
                dens = {int(f.group("den")) for f in FIGURE.finditer(text, cs, ce) if f.group("den")}
                named = {
                    k
                    for k, a in enumerate(arms)
                    if sizes.get(k) in dens and list(sizes.values()).count(sizes[k]) == 1
                }
            if len(named) != 1:
                break
            k = named.pop()
            if k == home:
                break
            figs = [
                _figure_values(f)
                for f in FIGURE.finditer(text, cs, ce)
                if not any(
                    ps < f.start() < pe and re.search(r"\bn\s*=|\bP\s*[=<]|CI\b", text[ps:pe], re.I)
                    for ps, pe in doc.parens
                )
                and not re.match(
                    r"\s*(?:mg|Gy|months?|years?|weeks?|days?)\b", text[f.end() : f.end() + 8], re.I
                )
            ]
            bare = (
                _BARE_ARM_COUNT.match(text, cs, ce)
                if not figs and o.count is not None and o.percent is None
                else None
            )
            if (
                bare
            ):  # '... in 55 patients given A and in 74 given B': a bare count of the arm the clause names
                figs = [(int(bare.group("bare")), None, None, bare.start("bare"), bare.end("bare"))]
            if not figs:
                continue
            if len(figs) > 1 and len(figs) != len(siblings):
                break
            for (count, den, pct, fs, fe), sib in zip(
                figs, siblings if len(figs) == len(siblings) else [o] * len(figs)
            ):
                if (
                    den is not None
                    and count is not None
                    and (count > den or (pct is not None and abs(100 * count / den - pct) > 1.5))
                ):
                    continue
                new.append(
                    r.Outcome(o.term, r.Span(fs, fe), count, pct, den, sib.time_months, cohort=arms[k].cohort)
                )
            home = k
    return new


_LIST_SEP = re.compile(r"\s*(?:;|,|\bvs\.?|\bversus\b|\bv\.(?=\s))\s*", re.I)


def per_arm_lists(doc: Doc, arms: list[Arm], outcomes: list[r.Outcome], refs: Refs) -> list[r.Outcome]:
    """An outcome, its time points and a colon, then a figure (or a series, one per time point) for
    each arm its item names: 'MMR at 12 and 24 months: 71% and 79% with A vs 31% and 62% with B',
    'CCyR: A 70%, B 60%', 'MMR at month 12: A, 155 (73.5%); B, 32 (30.5%)'. Read only when every
    item names one arm and has as many figures as time points; the figures it reads replace any
    that the outcome's own reading took from the list."""
    text = doc.text
    points = sorted(time_points(doc), key=lambda p: p.start)
    point_starts = [p.start for p in points]
    defined_end = max(a.end for a in arms)
    new: list[r.Outcome] = []
    for m in doc.mentions:
        if m.kind != "outcome" or m.start < defined_end:
            continue
        s, e = doc.sentence_of(m.start)
        pos = m.end
        while opened := doc.parens_starting(
            pos + len(text[pos : pos + 40]) - len(text[pos : pos + 40].lstrip())
        ):
            pos = opened[0][1]  # '(MR4.5)' after the name
        months: list[float | None] = [None]
        at = bisect.bisect_left(point_starts, pos)
        tp = points[at] if at < len(points) and not text[pos : points[at].start].strip() else None
        if tp is not None:
            months, pos = list(tp.months), tp.end
        # 'MMR at 12 and 24 months: ...', 'The rates of CCyR by 24 and 60 months were 29% and 63% for A, and
        # ...'
        colon = re.match(r"\s*(?::|(?:were|was)\b)\s*", text[pos:e])
        if not colon:
            continue
        start = pos + colon.end()
        close = next(
            (pe - 1 for ps, pe in doc.parens_within(s, e) if ps < m.start < pe), e
        )  # inside '(...)': to its end
        end = min(e, close)
        semi_next = [x for x in range(start, end) if text[x] == ";"]
        for x in semi_next:  # '; MR4.5: ...' starts the next list
            if any(mm.kind == "outcome" for mm in doc.mentions_in(x, min(end, x + 40))):
                end = x
                break
        cuts = (
            [start]
            + [
                q
                for sm in _LIST_SEP.finditer(text, start, end)
                if not any(ps < sm.start() < pe for ps, pe in doc.parens)
                for q in (sm.start(), sm.end())
            ]
            + [end]
        )
        items = [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts) - 1, 2)]
        read: list[tuple[int, list[tuple]]] = []
        pending = None  # an arm named before its figures: 'A, 155 (73.5%)'
        ok = True
        for a, b in items:
            named = {k for _rs, _re, k in refs.between(a, b)}
            figs = [
                f
                for f in FIGURE.finditer(text, a, b)
                if not any(
                    rs <= f.start() < re_
                    for rs, re_, _k in refs.between(max(0, f.start() - 200), f.start() + 1)
                )
                and not re.match(
                    r"\s*-?\s*(?:mg|Gy|months?|years?|weeks?|days?)\b", text[f.end() : f.end() + 8], re.I
                )
            ]
            if any(mm.kind in ("outcome", "adverse_event") for mm in doc.mentions_in(a, b)):
                ok = False
                break
            if len(named) > 1:
                ok = False
                break
            if named and not figs:
                pending = named.pop()
                continue
            if figs and not named and pending is not None:
                named, pending = {pending}, None
            if not figs or not named or len(figs) != len(months):
                ok = False
                break
            read.append((named.pop(), [_figure_values(f) for f in figs]))
        if not ok:
            read = _counts_versus(doc, refs, start, end, months)
        if len(read) < 2 or len({k for k, _f in read}) != len(read):
            continue
        for o in [o for o in outcomes if o.term == m.term and start <= o.span.end <= end]:
            outcomes.remove(o)
        for k, values in read:
            for (count, den, pct, fs, fe), month in zip(values, months):
                new.append(r.Outcome(m.term, r.Span(fs, fe), count, pct, den, month, cohort=arms[k].cohort))
    return new


def _figure_values(f: re.Match) -> tuple[int | None, int | None, float | None, int, int]:
    """(count, denominator, percent, start, end) of a FIGURE match."""
    count = f.group("n") or f.group("n2")
    pct = f.group("p1") or f.group("p2") or f.group("p3")
    return (
        int(count) if count else None,
        int(f.group("den")) if f.group("den") else None,
        float(pct) if pct else None,
        f.start(),
        f.end(),
    )


_COUNTS_VERSUS = re.compile(
    r"\s*(?:n\s*=\s*)?(?P<counts>\d+(?:\s*(?:vs\.?|versus|v\.?)\s*\d+)+)\s*\((?P<arms>[^()]*)\)", re.I
)


def _counts_versus(doc: Doc, refs: Refs, start: int, end: int, months: list) -> list[tuple[int, list[tuple]]]:
    """'Progression to blast crisis: n = 5 vs 2 (A vs B)': counts paired in order with the arms the
    parenthesis after them names, one each."""
    m = _COUNTS_VERSUS.match(doc.text, start, end)
    if m is None or len(months) != 1:
        return []
    order: list[int] = []
    for _s, _e, k in refs.between(m.start("arms"), m.end("arms")):
        if k not in order:
            order.append(k)
    counts = list(re.finditer(r"\d+", m.group("counts")))
    if len(order) != len(counts):
        return []
    base = m.start("counts")
    return [
        (k, [(int(c.group()), None, None, base + c.start(), base + c.end())]) for k, c in zip(order, counts)
    ]
