"""Per-arm figures in lists and gapped clauses (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import FIGURE
from cmlkg.extract.scope.arms import Arm
from cmlkg.extract.scope.references import Refs
from cmlkg.extract.times import points_between, time_points

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
        done.update(x.span.end for x in siblings)
        new += _gapped_after(doc, arms, refs, sizes, o, siblings)
    return new


def _gapped_after(
    doc: Doc,
    arms: list[Arm],
    refs: Refs,
    sizes: dict[int, int | None],
    o: r.Outcome,
    siblings: list[r.Outcome],
) -> list[r.Outcome]:
    """The figures of the gapped clauses after the statement of ``o`` (and its ``siblings``)."""
    text = doc.text
    e = doc.sentence_of(o.span.start)[1]
    new: list[r.Outcome] = []
    home = next((k for k, a in enumerate(arms) if a.cohort == o.cohort), None)
    pos = max(x.span.end for x in siblings)
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
        k = _clause_arm(doc, arms, refs, sizes, cs, ce)
        if k is None or k == home:
            break
        figs = _clause_figures(doc, o, cs, ce)
        if not figs:
            continue
        # ('...; in the imatinib arm, 31% at 18 months': the clause's own time point, not the statement's)
        own_time = bool(points_between(doc, cs, ce))
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
                r.Outcome(
                    o.term,
                    r.Span(fs, fe),
                    count,
                    pct,
                    den,
                    None if own_time else sib.time_months,
                    cohort=arms[k].cohort,
                )
            )
        home = k
    return new


def _clause_arm(
    doc: Doc, arms: list[Arm], refs: Refs, sizes: dict[int, int | None], cs: int, ce: int
) -> int | None:
    """The one arm a clause names; or, naming none, the arm whose size is a denominator in it ('in the
    70-mg arm, 344/383')."""
    named = {k for _rs, _re, k in refs.between(cs, ce)}
    if not named:
        dens = {int(f.group("den")) for f in FIGURE.finditer(doc.text, cs, ce) if f.group("den")}
        named = {
            k
            for k, a in enumerate(arms)
            if sizes.get(k) in dens and list(sizes.values()).count(sizes[k]) == 1
        }
    return named.pop() if len(named) == 1 else None


def _clause_figures(doc: Doc, o: r.Outcome, cs: int, ce: int) -> list[tuple]:
    """The figures of a gapped clause (not a size, P value or CI in parentheses, not a dose or time)."""
    text = doc.text
    figs = [
        _figure_values(f)
        for f in FIGURE.finditer(text, cs, ce)
        if not any(ps < f.start() < pe and _STAT_PAREN.search(text[ps:pe]) for ps, pe in doc.parens)
        and not _UNIT_AFTER.match(text[f.end() : f.end() + 8])
    ]
    # '... in 55 patients given A and in 74 given B': a bare count of the arm the clause names
    bare = (
        _BARE_ARM_COUNT.match(text, cs, ce)
        if not figs and o.count is not None and o.percent is None
        else None
    )
    if bare:
        figs = [(int(bare.group("bare")), None, None, bare.start("bare"), bare.end("bare"))]
    return figs


_STAT_PAREN = re.compile(r"\bn\s*=|\bP\s*[=<]|CI\b", re.I)
_UNIT_AFTER = re.compile(r"\s*(?:mg|Gy|months?|years?|weeks?|days?)\b", re.I)
_LIST_UNIT_AFTER = re.compile(r"\s*-?\s*(?:mg|Gy|months?|years?|weeks?|days?)\b", re.I)
_LIST_SEP = re.compile(r"\s*(?:;|,|\bvs\.?|\bversus\b|\bv\.(?=\s))\s*", re.I)


def per_arm_lists(doc: Doc, arms: list[Arm], outcomes: list[r.Outcome], refs: Refs) -> list[r.Outcome]:
    """An outcome, its time points and a colon, then a figure (or a series, one per time point) for
    each arm its item names: 'MMR at 12 and 24 months: 71% and 79% with A vs 31% and 62% with B',
    'CCyR: A 70%, B 60%', 'MMR at month 12: A, 155 (73.5%); B, 32 (30.5%)'. Read only when every
    item names one arm and has as many figures as time points; the figures it reads replace any
    that the outcome's own reading took from the list."""
    points = sorted(time_points(doc), key=lambda p: p.start)
    point_starts = [p.start for p in points]
    defined_end = max(a.end for a in arms)
    new: list[r.Outcome] = []
    for m in doc.mentions:
        if m.kind != "outcome" or m.start < defined_end:
            continue
        opened = _list_opening(doc, m, points, point_starts)
        if opened is None:
            continue
        start, months = opened
        end = _list_end(doc, m, start)
        read = _read_items(doc, refs, _list_items(doc, start, end), months)
        if read is None:
            read = _counts_versus(doc, refs, start, end, months)
        if len(read) < 2 or len({k for k, _f in read}) != len(read):
            continue
        for o in [o for o in outcomes if o.term == m.term and start <= o.span.end <= end]:
            outcomes.remove(o)
        for k, values in read:
            for (count, den, pct, fs, fe), month in zip(values, months):
                new.append(r.Outcome(m.term, r.Span(fs, fe), count, pct, den, month, cohort=arms[k].cohort))
    return new


def _list_opening(
    doc: Doc, m, points: list, point_starts: list[int]
) -> tuple[int, list[float | None]] | None:
    """Where the list after an outcome's name starts, and its time points: 'MMR (MR3) at 12 and 24
    months: ...', 'The rates of CCyR by 24 and 60 months were 29% and 63% for A, and ...'."""
    text = doc.text
    e = doc.sentence_of(m.start)[1]
    pos = m.end
    while opened := doc.parens_starting(pos + len(text[pos : pos + 40]) - len(text[pos : pos + 40].lstrip())):
        pos = opened[0][1]  # '(MR4.5)' after the name
    months: list[float | None] = [None]
    at = bisect.bisect_left(point_starts, pos)
    tp = points[at] if at < len(points) and not text[pos : points[at].start].strip() else None
    if tp is not None:
        months, pos = list(tp.months), tp.end
    elif (before := bisect.bisect_left(point_starts, m.start) - 1) >= 0 and not text[
        points[before].end : m.start
    ].strip():
        months = list(points[before].months)  # '5-year OS: A 91%, B 90%': the time point before the name
    colon = re.match(r"\s*(?::|(?:were|was)\b)\s*", text[pos:e])
    return (pos + colon.end(), months) if colon else None


def _list_end(doc: Doc, m, start: int) -> int:
    """Where a list ends: its sentence's end, its parenthesis's end, or a '; MR4.5: ...' that starts
    the next list."""
    text = doc.text
    s, e = doc.sentence_of(m.start)
    close = next((pe - 1 for ps, pe in doc.parens_within(s, e) if ps < m.start < pe), e)  # inside '(...)'
    end = min(e, close)
    for x in (x for x in range(start, end) if text[x] == ";"):
        if any(mm.kind == "outcome" for mm in doc.mentions_in(x, min(end, x + 40))):
            return x
    return end


def _list_items(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a list, cut at its separators outside parentheses."""
    cuts = (
        [start]
        + [
            q
            for sm in _LIST_SEP.finditer(doc.text, start, end)
            if not any(ps < sm.start() < pe for ps, pe in doc.parens)
            for q in (sm.start(), sm.end())
        ]
        + [end]
    )
    return [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts) - 1, 2)]


def _read_items(
    doc: Doc, refs: Refs, items: list[tuple[int, int]], months: list
) -> list[tuple[int, list[tuple]]] | None:
    """(arm, figures) of each item, when every item names one arm (or the item before it did: 'A, 155
    (73.5%)') and has as many figures as time points; None otherwise."""
    text = doc.text
    read: list[tuple[int, list[tuple]]] = []
    pending = None  # an arm named before its figures: 'A, 155 (73.5%)'
    for a, b in items:
        named = {k for _rs, _re, k in refs.between(a, b)}
        figs = [
            f
            for f in FIGURE.finditer(text, a, b)
            if not any(
                rs <= f.start() < re_ for rs, re_, _k in refs.between(max(0, f.start() - 200), f.start() + 1)
            )
            and not _LIST_UNIT_AFTER.match(text[f.end() : f.end() + 8])
        ]
        if any(mm.kind in ("outcome", "adverse_event") for mm in doc.mentions_in(a, b)) or len(named) > 1:
            return None
        if named and not figs:
            pending = named.pop()
            continue
        if figs and not named and pending is not None:
            named, pending = {pending}, None
        if not figs or not named or len(figs) != len(months):
            return None
        read.append((named.pop(), [_figure_values(f) for f in figs]))
    return read


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


# 'for dasatinib', 'with the imatinib arm': the arm a block of figures closes with
_BLOCK_ARM = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:for|with|in|on)\s+(?:the\s+)?$", re.I)


def blocks_per_arm(doc: Doc, outcomes: list[r.Outcome], refs: Refs, arm_cohort: list[int]) -> None:
    """'The 3-year PFS and OS were 95% and 97% for A and 93% and 96% for B': a sentence's figures that
    cycle through the same outcomes in blocks, each block closed by the arm it is for, are that arm's
    (in place; only when every block names one arm, and different arms)."""
    by_sentence: dict[int, list[r.Outcome]] = {}
    for o in outcomes:
        by_sentence.setdefault(doc.sentence_of(o.span.start)[0], []).append(o)
    for figs in by_sentence.values():
        figs.sort(key=lambda o: o.span.end)
        terms = [o.term for o in figs]
        k = next((n for n in range(2, len(figs) // 2 + 1) if terms[n] == terms[0]), 0)
        if k < 2 or len(figs) % k or any(terms[i] != terms[i % k] for i in range(len(figs))):
            continue
        if len(set(terms[:k])) != k:
            continue
        blocks = [figs[i : i + k] for i in range(0, len(figs), k)]
        named = [_closing_ref(doc, refs, block[-1].span.end) for block in blocks]
        if None in named or len(set(named)) != len(named):
            continue
        for block, arm in zip(blocks, named, strict=True):
            for o in block:
                o.cohort = arm_cohort[arm]  # type: ignore[index]


def _closing_ref(doc: Doc, refs: Refs, end: int) -> int | None:
    """The arm named right after a figure that ends at ``end`` ('... 97% for dasatinib')."""
    for s, _e, k in refs.between(end, end + 40):
        return k if s >= end and _BLOCK_ARM.fullmatch(doc.text, end, s) else None
    return None


# 'Overall, 14 deaths occurred (dasatinib 5, imatinib 9)': a count, then its part in each arm
_PART_ITEM = re.compile(
    r"\s*:?\s*(?P<n>\d+)(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?\s*(?P<sep>[,;]\s*(?:and\s+)?|\s+and\s+|\))"
)


def counts_per_arm(doc: Doc, arms: list[Arm], outcomes: list[r.Outcome], refs: Refs) -> list[r.Outcome]:
    """The counts of each arm in a parenthesis after a figure's count, naming every arm once and adding
    up to it: one figure per arm."""
    text, out = doc.text, []
    arm_cohorts = {a.cohort for a in arms}
    for o in outcomes:
        if o.count is None or o.cohort in arm_cohorts or len(arms) < 2:
            continue
        opens = re.match(r"\s*(?:patients\s*)?(?:[\w-]+\s+){0,2}?\(", text[o.span.end : o.span.end + 40])
        parts = _parts_named_first(text, refs, o.span.end + opens.end()) if opens else []
        if len(parts) != len(arms):  # 'Ten patients died: 4 on dasatinib and 6 on imatinib'
            parts = _parts_counted_first(text, refs, o.span.end)
        if len({k for k, _n in parts}) == len(parts) == len(arms) and sum(n for _k, n in parts) == o.count:
            for k, n in parts:
                out.append(
                    r.Outcome(o.term, o.span, n, time_months=o.time_months, cohort=arms[k].cohort, partner=o)
                )
    return out


def _parts_named_first(text: str, refs: Refs, pos: int) -> list[tuple[int, int]]:
    """'(dasatinib 5, imatinib 9)' from ``pos``: (arm, count) of each item, the arm first."""
    parts = []
    for s, e, k in refs.between(pos, pos + 120):
        item = _PART_ITEM.match(text, e)
        if s != pos or item is None:
            break
        parts.append((k, int(item.group("n"))))
        pos = item.end()
        if item.group("sep") == ")":
            break
    return parts


# ': 4 on dasatinib and 6 on imatinib', '(4 in arm A, 6 in arm B)': each count, then its arm
_COUNT_OPENS = re.compile(r"\s*(?:[:(]|,(?=\s*\d))\s*")
_COUNT_ON = re.compile(
    r"(?P<n>\d+)\s+(?:(?:patients?|pts)\s+)?(?:on|in|with|receiving)\s+(?:the\s+)?(?:arm\s+)?"
)
_ITEM_ENDS = re.compile(r"(?:\s+(?:arm|group)s?)?\s*(?P<sep>,\s*(?:and\s+)?|\s+and\s+|[).;]|$)")


def _parts_counted_first(text: str, refs: Refs, end: int) -> list[tuple[int, int]]:
    """The (arm, count) items listed right after a figure ending at ``end``, each count before its arm."""
    opens = _COUNT_OPENS.match(text, end)
    if opens is None:
        return []
    pos, parts = opens.end(), []
    while (count := _COUNT_ON.match(text, pos)) is not None:
        named = next(
            ((s, e, k) for s, e, k in refs.between(count.end(), count.end() + 40) if s == count.end()), None
        )
        closes = _ITEM_ENDS.match(text, named[1]) if named else None
        if named is None or closes is None:
            return []
        parts.append((named[2], int(count.group("n"))))
        if closes.group("sep").strip() in (")", ".", ";", ""):
            break
        pos = closes.end()
    return parts
