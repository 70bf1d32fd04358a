"""Shares listed before their outcomes (part of :mod:`cmlkg.extract.relations`): "At 12 months, 45% and
70% of patients had achieved MMR and CCyR, respectively", "At 3, 6 and 12 months, 20%, 45% and 70% of
patients had achieved MMR"."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention

_PCT = r"\d+(?:\.\d+)?\s*%"
# the shares, then the patients they are of, then the verb of reaching the outcomes
_SHARES_THEN_VERB = re.compile(
    rf"(?<![\w.])(?P<figs>{_PCT}(?:\s*(?:,|,?\s*and)\s*{_PCT})+)\s+of\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){{0,2}}?"
    r"(?:patients|pts|subjects)\s+(?:had\s+|have\s+)?(?:achieved|attained|reached|obtained|were\s+in|remained\s+in)\s+",
    re.I,
)
_ONE_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_RESPECTIVELY = re.compile(r",?\s*respectively\b", re.I)


def listed_shares(doc: Doc, mentions: list[Mention]) -> list[r.Outcome]:
    """The shares listed before the verb of their outcomes: one per outcome, in order, where 'respectively'
    follows as many outcomes as shares; or all of one outcome (their time points listed before them, as
    many, are dealt in order by the time point stage)."""
    text, out = doc.text, list[r.Outcome]()
    if "%" not in text:
        return out
    for m in _SHARES_THEN_VERB.finditer(text):
        s, e = doc.sentence_of(m.start())
        figs = list(_ONE_PCT.finditer(text, m.start("figs"), m.end("figs")))
        resp = _RESPECTIVELY.search(text, m.end(), e)
        stop = resp.start() if resp else e
        terms = [x for x in mentions if m.end() <= x.start < stop]
        if resp and len(terms) == len(figs) and len({x.term for x in terms}) == len(terms):
            pairs = list(zip(figs, terms, strict=True))
        elif not resp and terms and all(x.term == terms[0].term for x in terms) and len(terms) == 1:
            pairs = [(f, terms[0]) for f in figs]
        else:
            continue
        for f, x in pairs:
            out.append(r.Outcome(x.term, r.Span(m.start("figs"), x.end), None, float(f.group(1))))
    return out


def without_their_other_readings(
    results: list[r.Outcome], shares: list[r.Outcome], text: str
) -> list[r.Outcome]:
    """The results, less the figures the listed shares read otherwise (a share read as the subject of
    the last outcome, or coordinated with it)."""
    if not shares:
        return results
    starts = {(o.term, f.start()) for o in shares for f in _ONE_PCT.finditer(text, o.span.start, o.span.end)}
    return [o for o in results if (o.term, o.span.start) not in starts]
