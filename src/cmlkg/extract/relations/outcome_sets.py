"""What the outcome figures read become together: aggregates marked, progressions named by their phase,
duplicates dropped (part of :mod:`cmlkg.extract.relations`)."""

from __future__ import annotations

import bisect
import dataclasses
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import Value, values_after
from cmlkg.extract.relations.grammar import VERSUS
from cmlkg.extract.times import points_between
from cmlkg.textutil import NUM, as_int, parse_number


def mark_aggregates(doc: Doc, results: list[r.Outcome]) -> None:
    """ "Three patients achieved a complete response (2 CCR ... and 1 molecular complete response)": a
    count whose parenthesis (or colon list) holds parts that add up to it is their aggregate."""
    text = doc.text
    parens = sorted(doc.parens)
    paren_starts = [s for s, _e in parens]
    order = sorted(range(len(results)), key=lambda idx: results[idx].span.start)
    starts = [results[idx].span.start for idx in order]
    for k, o in enumerate(results):
        if o.count is None:
            continue
        # the parenthesis right after the figure (only the first one after it can be)
        at = bisect.bisect_left(paren_starts, o.span.end)
        paren = parens[at] if at < len(parens) and not text[o.span.end : paren_starts[at]].strip() else None
        if paren is None:
            # "... a cytogenetic response in 12 patients: complete in 4, partial in 5 and minor in 3"
            s_end = doc.sentence_of(o.span.start)[1]
            # (not after a comma: 'MCgR in 7 (41.2%), MMR in 4 ... and MR4.5 in 3' lists figures of their own)
            paren = (o.span.end, s_end) if re.match(r"\s*[:;(]", text[o.span.end : o.span.end + 3]) else None
            if paren is None:
                continue
        inside = order[bisect.bisect_left(starts, paren[0]) : bisect.bisect_left(starts, paren[1])]
        parts = sorted(idx for idx in inside if idx != k and results[idx].count is not None)
        if len(parts) >= 2 and sum(results[p].count or 0 for p in parts) == o.count:
            o.aggregate_of = parts


def name_progressions(doc: Doc, results: list[r.Outcome]) -> None:
    """ "No transformation to blast phase was observed; none of the 36 patients progressed": the
    progression the sentence has just named."""
    for o in results:
        if o.term == "Progression" and o.count == 0:
            s, _e = doc.sentence_of(o.span.start)
            named = [
                x
                for x in doc.mentions_in(s, o.span.start)
                if x.kind == "outcome" and x.term.startswith("ProgressionTo")
            ]
            if len({x.term for x in named}) == 1:
                o.term = named[0].term


_NONE_OF_N = re.compile(r"\bnone\s+of\s+(?:the\s+|these\s+|our\s+)?(?P<n>\d+)\s+", re.I)


def none_of_denominators(doc: Doc, results: list[r.Outcome]) -> None:
    """ "No transformation to accelerated phase was observed; none of the 19 patients had events": the
    patients a count of none is out of."""
    for o in results:
        if o.count == 0 and o.denominator is None:
            s, e = doc.sentence_of(o.span.start)
            hits = list(_NONE_OF_N.finditer(doc.text, s, e))
            if len(hits) == 1:
                o.denominator = int(hits[0].group("n"))


# a clause's figure ahead: a percent, or a count with its percent
_FIGURE_AHEAD = r"\d+(?:\.\d+)?\s*%|\d+\s*(?:patients\s*)?\(\s*\d+(?:\.\d+)?\s*%\s*\)"
# '; at 24 months: 62% vs 38%': a clause of a time point and figures, its outcome the clause's before
_TIME_CLAUSE = re.compile(
    r";\s*(?:and\s+)?(?:(?:at|by|after)\s+(?:month|week|year)?\s*\d+\s*(?:months?|mo|weeks?|years?)?"
    # ('MMR: 12 months, 45%; 24 months, 62%': the time as the item's label)
    r"|\d+\s*(?:months?|mos?|weeks?|years?))\s*[:,]\s*"
    rf"(?={_FIGURE_AHEAD})",
    re.I,
)
# '; in the imatinib arm, 9': a clause of another arm and its figure (or a bare count closing it)
_ARM_CLAUSE = re.compile(
    r";\s*(?:and\s+)?(?:in|with|on)\s+(?:the\s+)?(?:[^,;.()%\d]{1,30}?\s+(?:arm|group|cohort)"
    # ('In CP, CHR and CCyR rates were 90% and 49%; in AP, 45% and 24%': the patients of another phase)
    r"|(?:patients\s+in\s+)?(?:CP|AP|BP|BC|(?:chronic|accelerated|blast(?:ic)?)\s+(?:phase|crisis)))\s*,\s*"
    rf"(?={_FIGURE_AHEAD}|\d+\s*(?:patients\s*)?(?:[.;]|$))",
    re.I,
)


def elided_outcome_clauses(doc: Doc, results: list[r.Outcome]) -> list[r.Outcome]:
    """ "MMR at 12 months (A vs B): 44% vs 22%; at 24 months: 62% vs 38%": the figures of a clause that
    states a time point and figures only are of the outcome the clause before read figures for."""
    if ";" not in doc.text:
        return []
    out = []
    for m in [*_TIME_CLAUSE.finditer(doc.text), *_ARM_CLAUSE.finditer(doc.text)]:
        s, e = doc.sentence_of(m.start())
        before = sorted(
            (o for o in results if s <= o.span.start < m.start() and o.span.end <= m.start()),
            key=lambda o: o.span.start,
        )
        terms = list(dict.fromkeys(o.term for o in before))
        if not terms or any(x.kind == "outcome" for x in doc.mentions_in(m.end(), e)):
            continue
        stop = doc.text.find(";", m.end(), e)
        values = values_after(doc, m.end(), stop if stop >= 0 else e, False)
        # ('; in the imatinib arm, 9.': a bare count, the figure before one too)
        bare = _BARE_COUNT.match(doc.text, m.end(), e) if not values else None
        if bare and all(o.count is not None for o in before):
            values = [Value(int(bare.group("n")), None, None, bare.start(), bare.end("n"))]
        # ('rates of CCyR and MMR were 65% and 30%; at 12 months, 80% and 50%': one figure of each, in order)
        if len(terms) > 1 and not len(terms) == len(before) == len(values):
            continue
        # ('in arm A, the 5-year PFS and OS were 85% and 91%; in arm B, 86% and 90%': the other arm's figures
        # at the time points of the figures they stand for, where the clause names none)
        clause_end = stop if stop >= 0 else e
        arm_clause = m.re is _ARM_CLAUSE and not points_between(doc, m.end(), clause_end)
        for k, v in enumerate(values):
            term = terms[k] if len(terms) > 1 else terms[0]
            stands_for = before[k] if arm_clause and len(before) == len(values) else None
            out.append(
                r.Outcome(
                    term, r.Span(m.start() + 1, v.end), v.count, v.percent, v.denominator, partner=stands_for
                )
            )
    return out


_VERSUS_BETWEEN = re.compile(rf"\b{VERSUS}\s", re.I)


def versus_lists(doc: Doc, results: list[r.Outcome]) -> None:
    """ "CCyR was obtained in 85% and MMR in 71% of group A, versus 68% and 51% of group B": the figures
    after 'versus' are the outcomes listed before it, in their order (not all the last one's)."""
    by_phrase: dict[tuple[str, int], list[r.Outcome]] = {}
    for o in results:
        by_phrase.setdefault((o.term, o.span.start), []).append(o)
    for (_term, start), phrase in by_phrase.items():
        phrase.sort(key=lambda o: o.span.end)
        extras = phrase[1:]
        if len(extras) < 2 or not _VERSUS_BETWEEN.search(doc.text, phrase[0].span.end, extras[0].span.end):
            continue
        # (the figures after 'versus' listed with 'and', not compared in turn: 'MMR 46% vs 28% vs 20%')
        if any(_VERSUS_BETWEEN.search(doc.text, a.span.end, b.span.end) for a, b in zip(extras, extras[1:])):
            continue
        s = doc.sentence_of(start)[0]
        before = sorted(
            (o for o in results if s <= o.span.start and o.span.end <= start), key=lambda o: o.span.end
        )
        chain = [*before[-(len(extras) - 1) :], phrase[0]]
        terms = [o.term for o in chain]
        if len(chain) == len(extras) and len(set(terms)) == len(terms):
            for o, t in zip(extras, terms, strict=True):
                o.term = t


# ' and 40% by 12 months': a figure and its own time point, the verb and the outcome of the clause elided
_ELIDED_FIGURE = re.compile(
    rf"\s*,?\s*and\s+(?:(?P<p>\d+(?:\.\d+)?)\s*%|(?P<n>{NUM})(?:\s*\(\s*(?P<np>\d+(?:\.\d+)?)\s*%\s*\))?)\s+",
    re.I,
)
_CLAUSE_ENDS = re.compile(r"\s*(?:[.;,)]|$)")
_FIGURE_FIRST = re.compile(rf"(?:{NUM})(?![\w-])", re.I)


def elided_time_figures(doc: Doc, results: list[r.Outcome]) -> list[r.Outcome]:
    """ "31% achieved MMR by 6 months and 40% by 12 months": after a figure that is its outcome's subject and
    the time point right after the outcome, a figure with only a time point of its own is that outcome's
    at that point (a percent after a percent, a count after a count)."""
    text, out = doc.text, []
    read = [(o.span.start, o.span.end) for o in results]
    for o in results:
        if not _FIGURE_FIRST.match(text, o.span.start):
            continue  # the figure comes after the outcome: its own reading takes the figures after it
        point = next(iter(points_between(doc, o.span.end, o.span.end + 4)), None)
        m = _ELIDED_FIGURE.match(text, point.end) if point is not None else None
        if m is None or not (then := points_between(doc, m.end(), m.end() + 1)):
            continue
        # (a percent after a figure with a percent, a count after a count)
        if not _CLAUSE_ENDS.match(text, then[0].end) or (o.percent if m.group("p") else o.count) is None:
            continue
        at = m.start("p") if m.group("p") else m.start("n")
        if any(a <= at < b for a, b in read):
            continue
        pct = m.group("p") or m.group("np")
        count = as_int(parse_number(m.group("n"))) if m.group("n") else None
        out.append(r.Outcome(o.term, r.Span(o.span.start, m.end() - 1), count, float(pct) if pct else None))
    return out


_BARE_COUNT = re.compile(r"(?P<n>\d+)\s*(?:patients\s*)?(?=[.;]|$)", re.I)


def dedupe_outcomes(results: list[r.Outcome]) -> list[r.Outcome]:
    seen: set[tuple] = set()
    out: list[r.Outcome] = []
    remap: dict[int, int] = {}
    with_den = {(o.term, o.count, o.percent, o.cohort) for o in results if o.denominator is not None}
    for idx, o in enumerate(results):
        key = (o.term, o.count, o.percent, o.denominator, o.time_months, o.cohort)
        if key in seen or (
            o.denominator is None
            and o.count is not None
            and (o.term, o.count, o.percent, o.cohort) in with_den
        ):
            continue
        seen.add(key)
        remap[idx] = len(out)
        out.append(o)
    for o in out:
        o.aggregate_of = [remap[p] for p in o.aggregate_of if p in remap]
    return out


# 'In previously treated patients, the corresponding rates were 52% and 42%': the outcomes just stated
_CORRESPONDING = re.compile(
    r"\b(?:the\s+)?(?:corresponding|equivalent)\s+(?:rates?|figures|values|proportions|percentages)"
    r"(?:\s+(?:were|was|are|of))?\s*:?\s*"
    r"(?P<list>\d+(?:\.\d+)?\s*%(?:\s*(?:,|,?\s*and|vs\.?)\s*\d+(?:\.\d+)?\s*%)*)",
    re.I,
)


def corresponding_rates(doc: Doc, results: list[r.Outcome]) -> list[r.Outcome]:
    """'the cumulative CCyR and MMR rates by 5 years were 85% and 69%. In previously treated patients, the
    corresponding rates were 52% and 42%': one figure for each of the outcomes the figures before were
    stated for (as many, each its own, in the sentence before or earlier in its own), with their time."""
    out: list[r.Outcome] = []
    if "correspond" not in doc.text and "equivalent" not in doc.text:
        return out
    for m in _CORRESPONDING.finditer(doc.text):
        figures = re.findall(r"\d+(?:\.\d+)?(?=\s*%)", m.group("list"))
        s = doc.sentence_of(m.start())[0]
        since = doc.sentence_of(s - 1)[0] if s > 0 else 0
        before = sorted(
            (o for o in results if since <= o.span.start and o.span.end <= m.start()),
            key=lambda o: o.span.end,
        )
        named = before[-len(figures) :]
        if len(named) != len(figures) or len({o.term for o in named}) != len(figures):
            continue
        out += [
            r.Outcome(o.term, r.Span(m.start(), m.end()), None, float(f), partner=o)
            for o, f in zip(named, figures, strict=True)
        ]
    return out


def with_abbreviations(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions, each with the abbreviation that follows it in parentheses ('complete cytogenetic
    response (CCyR) and MMR were 60% and 40%': one outcome named twice, then another; 'deep molecular
    response (DMR): 42%')."""
    text, out = doc.text, list[Mention]()
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.term == m.term
            and re.fullmatch(r"\s*\(\s*", text[prev.end : m.start])
            and re.fullmatch(r"[A-Za-z][\w.-]*", text[m.start : m.end])  # not 'C/MMR': two outcomes
        ):
            close = doc.paren_end.get(text.index("(", prev.end))
            if close is not None and not text[m.end : close].strip(" )"):
                out[-1] = dataclasses.replace(prev, end=close)
                continue
        out.append(m)
    return out
