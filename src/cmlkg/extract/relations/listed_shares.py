"""Shares listed before their outcomes (part of :mod:`cmlkg.extract.relations`): "At 12 months, 45% and
70% of patients had achieved MMR and CCyR, respectively", "At 3, 6 and 12 months, 20%, 45% and 70% of
patients had achieved MMR"."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import PCT
from cmlkg.textutil import NUM, as_int, parse_number

_PCT = rf"\d+(?:\.\d+)?{PCT}"
# a count, with its share perhaps: '45 (90%)', 'Forty-five'
_COUNT = rf"(?:{NUM})(?:\s*\(\s*\d+(?:\.\d+)?{PCT}\s*\))?"
_VERB = r"(?:had\s+|have\s+)?(?:achieved|attained|reached|obtained|were\s+in|remained\s+in)\s+"
# the shares (or the counts), then the patients they are of, then the verb of reaching the outcomes
_SHARES_THEN_VERB = re.compile(
    rf"(?<![\w.])(?:(?P<figs>{_PCT}(?:\s*(?:,|,?\s*and)\s*{_PCT})+)\s+of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:patients|pts|subjects)\s+{_VERB}"
    rf"|(?P<counts>{_COUNT}(?:\s*(?:,|,?\s*and)\s*{_COUNT})+)\s+(?:patients|pts|subjects)\s+{_VERB})",
    re.I,
)
_PATIENTS_VERB = re.compile(rf"\b(?:patients|pts|subjects)\s+{_VERB}", re.I)
_ONE_PCT = re.compile(rf"(\d+(?:\.\d+)?){PCT}", re.I)
_ONE_COUNT = re.compile(rf"(?<![\w.])(?P<n>{NUM})(?!{PCT})(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?){PCT}\s*\))?", re.I)
_RESPECTIVELY = re.compile(r",?\s*respectively\b", re.I)


def listed_shares(doc: Doc, mentions: list[Mention]) -> list[r.Outcome]:
    """The shares listed before the verb of their outcomes: one per outcome, in order, where 'respectively'
    follows as many outcomes as shares; or all of one outcome (their time points listed before them, as
    many, are dealt in order by the time point stage)."""
    text, out = doc.text, list[r.Outcome]()
    if "%" not in text:
        return out
    # (looked for only before the verbs: the list ends at one, and most texts have few)
    sites = [(max(0, v.start() - 200), v.end()) for v in _PATIENTS_VERB.finditer(text)]
    for m in (m for lo, hi in sites for m in _SHARES_THEN_VERB.finditer(text, lo, hi) if m.end() == hi):
        _s, e = doc.sentence_of(m.start())
        values = _values(m)
        resp = _RESPECTIVELY.search(text, m.end(), e)
        stop = resp.start() if resp else e
        terms = [x for x in mentions if m.end() <= x.start < stop]
        if resp and len(terms) == len(values) and len({x.term for x in terms}) == len(terms):
            pairs = list(zip(values, terms, strict=True))
        elif not resp and len(terms) == 1 and m.group("figs"):
            pairs = [(v, terms[0]) for v in values]
        else:
            continue
        for (count, pct), x in pairs:
            out.append(r.Outcome(x.term, r.Span(m.start(), x.end), count, pct))
    return out


def _values(m: re.Match) -> list[tuple[int | None, float | None]]:
    """The (count, percent) of each item listed."""
    if m.group("figs"):
        return [
            (None, float(f.group(1))) for f in _ONE_PCT.finditer(m.string, m.start("figs"), m.end("figs"))
        ]
    return [
        (as_int(parse_number(c.group("n"))), float(c.group("p")) if c.group("p") else None)
        for c in _ONE_COUNT.finditer(m.string, m.start("counts"), m.end("counts"))
    ]


def without_their_other_readings(
    results: list[r.Outcome], shares: list[r.Outcome], text: str
) -> list[r.Outcome]:
    """The results, less the figures the listed shares read otherwise (a share read as the subject of
    the last outcome, or coordinated with it)."""
    if not shares:
        return results
    found = [(o, f) for o in shares for f in _ONE_PCT.finditer(text, o.span.start, o.span.end)]
    found += [(o, c) for o in shares for c in _ONE_COUNT.finditer(text, o.span.start, o.span.end)]
    starts = {(o.term, f.start()) for o, f in found}
    return [o for o in results if (o.term, o.span.start) not in starts]
