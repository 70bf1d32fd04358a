"""Time points of figures: 'at 12 months', 'after 3 and 12 months', '4-year', 'Two-year', 'by week 48',
'at M3', '6 months later'; not follow-up times, durations, ranges or ages. Read once per document."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from cmlkg.extract.mentions import Doc
from cmlkg.textutil import NUM, parse_number

I = re.IGNORECASE


_UNIT_MONTHS = {"day": 1 / 30.4375, "week": 12 / 52.1775, "month": 1.0, "year": 12.0}


_TIME = re.compile(
    rf"\b(?P<prep>at|after|by|to|within)\s+(?:(?:the\s+)?(?:end\s+of\s+)?)?(?P<nums>{NUM}(?:\s*(?:,|and|or|,\s*and)\s*{NUM})*)\s*"
    r"(?P<unit>days?|weeks?|wks?\b|months?|mos?\b|mths?\b|years?|yrs?\b|y\b(?![-.]?\w|\s+(?:of\s+age|old)))"
    rf"|(?<![\w.])(?P<adj>{NUM})(?:(?:-|\s)(?P<adj_unit>day|week|month|year)(?!s)|-(?P<adj_unit2>mo|yr|y)(?![\w-]))"
    r"(?:[- ]old)?\b"
    # ('at the 12th month', 'by the 24th month': the ordinal in figures)
    r"|\b(?:at|by|after)\s+the\s+(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+(?P<nth_unit>month|week|year)\b"
    # 'by the end of the first year', 'during the first year' (what happened by its end)
    r"|\b(?:(?:by|at)\s+the\s+end\s+of\s+(?:the\s+)?|(?:during|within|in)\s+the\s+)"
    r"(?P<ord>first|second|third|fourth|fifth)\s+(?P<ord_unit>year|month)\b"
    # a number word joined to its unit ('Two-year overall survival'): the word is read by parse_number
    r"|(?<![\w.\-])(?P<adjw>[A-Za-z]{3,9})-(?P<adjw_unit>day|week|month|year)(?!s)(?:[- ]old)?\b"
    rf"|(?<![\w.\-–])(?P<later>{NUM})\s*(?P<later_unit>days?|weeks?|months?|years?)\s+(?:later|after|post|following)\b"
    # a bare time after the figures of the one before, its preposition shared: 'at 6 months (34% vs 18%) and
    # 12 months (53% vs 40%)'
    r"|(?:(?<=\)\sand\s)|(?<=\),\sand\s))(?P<paired>\d{1,3})\s*"
    r"(?P<paired_unit>months?|mos?|weeks?|wks?|years?|yrs?)\b(?=\s*\()"
    # a bare time heading its figure in a list: 'CCyR: 3 mo 40/60 (67%), 6 mo 50/60 (83%)', 'MMR: 12 months,
    # 45%; 24 months, 62%'; or in a parenthesis after an outcome: 'MMR (12 mo): 45%'
    r"|(?:(?<=[:;,]\s)|(?<=\(\s)|(?<=\())(?P<lead>\d{1,3})\s*(?P<lead_unit>mos?|months?|wks?|weeks?|yrs?|years?)\b"
    r"(?=\s*[:,]?\s*\d|\s*\))"
    # a bare time heading a colon: 'CCyR 12 mo: 78% vs 65%'
    r"|(?<=[A-Za-z)]\s)(?P<bare>\d{1,3})\s*(?P<bare_unit>mos?|months?|wks?|weeks?|yrs?|years?)\b(?=\s*:)"
    # the unit first: 'at month 12', 'by week 48', 'at M3', 'at wk 24', 'on day 90'
    # ('The 12-, 24- and 36-month rates', 'Three- and 5-year OS': a list sharing its unit after a hyphen)
    rf"|(?<![\w.\-])(?P<adjlist>{NUM}-(?:\s*,\s*{NUM}-)*\s*,?\s*(?:and|or)\s+{NUM})"
    r"[- ](?P<adjlist_unit>day|week|month|year)(?!s)\b"
    # ('at week 48 and week 96': the unit repeated for each)
    r"|\b(?:at|after|by)\s+(?P<ulist>(?P<uu>week|month|day)s?\s*\d{1,3}"
    r"(?:\s*(?:,|and|or|,\s*and)\s*(?P=uu)s?\s*\d{1,3})+)\b"
    # ('at M3, M6 and M12', 'at months 3, 6 and 12': a list of them)
    r"|\b(?:at|after|by)\s+(?P<mlist>(?-i:M)\d{1,3}(?:\s*(?:,|and|or|,\s*and|/)\s*(?-i:M)\d{1,3})+)\b"
    r"|\b(?P<prep_u>at|after|by|on|in)\s+(?:the\s+)?(?:(?P<unit_first>months?|weeks?|wks?|days?)\s*"
    r"(?P<num_u>\d{1,3}(?:(?:\s*,\s*\d{1,3})*\s*,?\s*(?:and|or)\s*\d{1,3})?)|(?-i:M)\s*(?P<num_m>\d{1,3}))"
    r"\b(?![.,]\d)",
    I,
)


_NOT_A_POINT = re.compile(
    # (words, not the ends of words: 'the imatinib group at 12 months' is a time point)
    r"(?:\b(?:median|mean|follow[- ]?up|followed|observation|duration|period|within|over|for|during|up|"
    r"lasting|range|between|from|of|than|to)|[<>≤≥]|-|–)\s*(?:of\s+|time\s+of\s+|was\s+|is\s+|at\s+)?(?:a\s+|the\s+)?"
    r"(?:median\s+of\s+)?$",
    I,
)


@dataclass
class TimePoint:
    start: int
    end: int
    months: list[float]
    leads: bool = (
        False  # written before its figure, as a label ('6 mo 50/60 (83%)'): never a figure's after it
    )


_UNIT_WORD = re.compile(
    r"\b(?:days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|(?-i:M\d{1,3}))\b|(?<=\d[\s-])y\b", I
)


def _time_matches(text: str) -> list[re.Match]:
    """The matches of _TIME, looked for only around the unit words (a time point ends at most a few
    words after its unit and starts at most a few dozen characters before it)."""
    windows: list[list[int]] = []
    for u in _UNIT_WORD.finditer(text):
        s, e = max(0, u.start() - 80), min(len(text), u.end() + 20)
        if windows and s <= windows[-1][1]:
            windows[-1][1] = e
        else:
            windows.append([s, e])
    out, seen = [], set()
    for s, e in windows:
        for m in _TIME.finditer(text, s, e):
            if m.start() not in seen:
                seen.add(m.start())
                out.append(m)
    return out


def time_points(doc: Doc) -> list[TimePoint]:
    """'at 12 months', 'after 3 and 12 months', '4-year', 'at 1 year'; not follow-up times, durations,
    ranges ('3 to 6 months') or ages ('5-year-old'). Read once per document (several stages ask)."""
    return list(_points(doc)[0])


def _points(doc: Doc) -> tuple[list[TimePoint], list[int]]:
    """The document's time points in text order, and their starts (read once, memoised on the document)."""
    cached = getattr(doc, "_time_points", None)
    if cached is None:
        points = sorted(_read_time_points(doc), key=lambda p: p.start)
        cached = (points, [p.start for p in points])
        setattr(doc, "_time_points", cached)  # noqa: B010 (a memo on the document, not a field of it)
    return cached


def points_between(doc: Doc, start: int, end: int) -> list[TimePoint]:
    """The time points starting in text[start:end] ('...; in arm B, 31% at 18 months': a clause's own)."""
    points, starts = _points(doc)
    return points[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


_ORDINALS = ("first", "second", "third", "fourth", "fifth")
_WITHIN_BEFORE = re.compile(r"\bwithin\s+$", I)
# ('regained MMR within 4 months of resuming therapy': a time from another event, not the study's)
_OF_AN_EVENT = re.compile(r"\s*(?:of|from|after|following)\s+(?!the\s+(?:start|beginning)\b|start)", I)
_OF_DIAGNOSIS = re.compile(r"\s*(?:of|from|after)\s+(?:the\s+|their\s+)?diagnosis\b", I)


def _unit_first(m: re.Match) -> tuple[list[str], str] | None:
    """The numbers and unit of 'at M3, M6 and M12', 'at months 6 and 12', 'by week 48', 'at week 48 and
    week 96' and the hyphenated 'The 12-, 24- and 36-month ...'; None for the other forms."""
    if m.group("mlist") or m.group("num_m"):
        return re.findall(r"\d+", m.group("mlist") or m.group("num_m")), "month"
    if m.group("ulist"):
        return re.findall(r"\d+", m.group("ulist")), m.group("uu")
    if m.group("adjlist"):
        return re.findall(NUM, m.group("adjlist"), I), m.group("adjlist_unit")
    if m.group("num_u"):
        return re.findall(r"\d+", m.group("num_u")), m.group("unit_first")
    return None


def _one_number(m: re.Match) -> tuple[list[str], str] | None:
    """The number and unit of the forms with one number and no preposition of their own to check: 'CCyR
    12 mo:', '... and 12 months (...)', 'at the 12th month'."""
    for name in ("bare", "paired", "nth", "lead"):
        if m.group(name):
            return [m.group(name)], m.group(name + "_unit")
    return None


def _read_time_points(doc: Doc) -> list[TimePoint]:
    text = doc.text
    out = []
    for m in (
        _time_matches(text)
        if doc.has("day", "week", "wk", "month", "year", "mo", "mth", "yr", "y") or re.search(r"\bM\d", text)
        else ()
    ):
        if (listed := _unit_first(m)) is not None:
            nums, unit = listed
        elif (single := _one_number(m)) is not None:
            nums, unit = single
        elif m.group("later"):
            nums, unit = [m.group("later")], m.group("later_unit")
            before = text[max(0, m.start() - 40) : m.start()]
            if _NOT_A_POINT.search(before) or re.search(r"median\s+(?:of\s+)?$", before, I):
                continue
        elif m.group("ord"):
            nums, unit = [str(_ORDINALS.index(m.group("ord").lower()) + 1)], m.group("ord_unit")
        elif m.group("adj") or m.group("adjw"):
            if m.group(0).lower().endswith("old"):
                continue
            nums = [m.group("adj") or m.group("adjw")]
            unit = m.group("adj_unit") or m.group("adj_unit2") or m.group("adjw_unit")
            before = text[max(0, m.start() - 30) : m.start()]
            if re.search(r"(?:-|–|to|and|median|over|for)\s*$", before, I):
                continue
        else:
            nums = re.split(r"\s*(?:,\s*and|,|and|or)\s*", m.group("nums"))
            unit = m.group("unit")
            before = text[max(0, m.start() - 40) : m.start()]
            after = text[m.end() : m.end() + 20]
            if m.group("prep").lower() == "to" or _NOT_A_POINT.search(before):
                continue
            # (a range of times, '3 to 6 months'; not 'from 45% at 12 months to 62% at 24 months')
            if re.match(r"\s*(?:-|–|to)\s*\d", text[m.end("nums") : m.end("nums") + 5]) or re.match(
                r"\s*(?:-|–|to)\s*\d+(?:\.\d+)?(?![\d.]|\s*%)", after
            ):
                continue
            if re.search(r"median\s+(?:follow[- ]?up|time|duration)[^.;]{0,25}$", before, I):
                continue
        # 'transplanted within one year of diagnosis': when something happened, not a figure's time
        within = (m.groupdict().get("prep") or "").lower() == "within" or _WITHIN_BEFORE.search(
            text, max(0, m.start() - 8), m.start()
        )
        if within and (_OF_DIAGNOSIS.match(text, m.end()) or _OF_AN_EVENT.match(text, m.end())):
            continue
        u = unit.lower().rstrip("s")
        u = {"mo": "month", "mth": "month", "yr": "year", "y": "year", "wk": "week"}.get(u, u)
        values = [parse_number(n) for n in nums]
        if any(v is None for v in values):
            continue
        months = [round(v * _UNIT_MONTHS[u], 2) for v in values if v is not None]
        out.append(TimePoint(m.start(), m.end(), months, leads=bool(m.group("lead"))))
    return out
