"""Arms listed by name in the order of the figures they are for (part of
:mod:`cmlkg.extract.scope.attribution`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.figure_starts import figure_start
from cmlkg.extract.mentions import clause_bounds
from cmlkg.extract.quantities import PCT, STATISTIC_PAREN
from cmlkg.extract.scope.event_arms import ARMS_NOUN, ARMS_WORD, LISTED_ARMS_JOIN
from cmlkg.extract.scope.references import Refs

I = re.I

# a figure that opens its outcome's phrase: '73% of patients receiving A achieved MCyR'
LEADING_FIGURE = re.compile(rf"\d+(?:\.\d+)?{PCT}(?:\s*\([^()]*\))?", I)
_CLAUSE_ENDS = re.compile(r"\s*(?:[.;]|,\s*(?:and\s+)?(?:the|P|p)\b|\(\s*[Pp]\b|$)")
_LISTED_ARMS_OPEN = re.compile(
    rf"\s*(?:of\s+(?:the\s+)?(?:patients|pts)\s+)?(?:in|with|for|among|on)\s+(?:the\s+)?(?P<noun>{ARMS_WORD}\s+)?",
    I,
)


_LISTED_ARMS = re.compile(r"\b(?:v|vs\.?|versus|and|or|than)\b", I)
# 'For dasatinib and imatinib, respectively, the 5-year PFS was 85% and 86%': the arms fronted in order
_FRONTED_RESPECTIVELY = re.compile(r"\s*(?:For|In|With|Among|On)\s+[^.;:]{3,80}?,\s*respectively\s*,", I)


_COMPARED_FRONTED = re.compile(
    r"\s*(?:Compared\s+(?:with|to)|Relative\s+to|In\s+comparison\s+with|Versus)\s+[^,;()]{1,40},", I
)


# 'MMR (92% vs 86%) and MR4.5 (75% vs 62%) were higher with A': a predicate that names the higher arm
_HIGHER_WITH = re.compile(
    r"[^.;]*?\b(?:were|was)\s+(?:significantly\s+)?(?:higher|greater|better|superior)\s+(?:with|for|in|on)\s+"
    r"(?:the\s+)?",
    I,
)


def _joined(text: str, named: list[tuple[int, int, int]]) -> bool:
    return all(LISTED_ARMS_JOIN.fullmatch(text, a[1], b[0]) for a, b in zip(named, named[1:], strict=False))


def arms_closed(text: str, refs: Refs, n_arms: int, pos: int, end: int) -> bool:
    """'46% and 28% in the dasatinib and imatinib arms': the arms listed right after the figures (which
    end at ``pos``), in their order, closed by the arms' noun (or opened by it: 'in cohorts A, B and C'),
    or every arm by name closing the clause ('... with dasatinib and imatinib.')."""
    named = [(s, e, k) for s, e, k in refs.between(pos, end) if pos <= s < end]
    # ('46% (95% CI, 39-53) and 28% (95% CI, 22-35) with A and B': a statistic of the last figure between)
    opening = STATISTIC_PAREN.sub("", text[pos : named[0][0]]) if named else ""
    if len(named) < 2 or not (opened := _LISTED_ARMS_OPEN.fullmatch(opening)) or not _joined(text, named):
        return False
    every_arm = len({k for _s, _e, k in named}) == len(named) == n_arms
    closes = every_arm and bool(_CLAUSE_ENDS.match(text, named[-1][1]))
    return bool(ARMS_NOUN.match(text, named[-1][1]) or opened.group("noun") or closes)


def arms_in_the_subject(text: str, refs: Refs, last: r.Outcome) -> list[int] | None:
    """'77% and 66% of patients on dasatinib and imatinib had CCyR', '... of patients in the A and B arms
    had ...': figures before their outcome, whose subject names the arms in their order."""
    lead = LEADING_FIGURE.match(text, last.span.start, last.span.end)
    if lead is None:
        return None
    named = [(s, e, k) for s, e, k in refs.between(lead.end(), last.span.end) if e <= last.span.end]
    if len(named) < 2 or len({k for _s, _e, k in named}) != len(named):
        return None
    if not _LISTED_ARMS_OPEN.fullmatch(text, lead.end(), named[0][0]) or not _joined(text, named):
        return None
    return [k for _s, _e, k in named]


def arms_of_the_heading(
    text: str, refs: Refs, first: r.Outcome, sent: tuple[int, int], n: int
) -> list[int] | None:
    """'Responses at 24 months (imatinib vs nilotinib): MMR, 44% vs 67%; MR4, 21% vs 38%': the arms
    in the order the heading of a colon list names them, for every item of the list."""
    colon = text.rfind(":", sent[0], first.span.start)
    if colon < 0:
        return None
    start = max(sent[0], colon - 120)
    found = [(s, e, k) for s, e, k in refs.between(start, colon) if e <= colon]
    order = [k for _s, _e, k in found]
    if len(order) == n and len(set(order)) == n and _LISTED_ARMS.search(text[found[0][0] : colon]):
        return order
    return None


def arms_named_before(
    text: str, refs: Refs, first: r.Outcome, sent: tuple[int, int], n: int
) -> list[int] | None:
    """ "MMR at 12 months (nilotinib vs imatinib): 44% vs 22%": the arms named in order before the
    figures."""
    cs = clause_bounds(text, sent, first.span.start)[0]
    # the clause, or what precedes a heading's colon: '... at 12 months (A vs B): MMR, 52% vs 29%'
    if text[cs - 2 : cs].strip() == ":" or text[cs - 1 : cs] == ":":
        cs = max(sent[0], text.rfind(";", sent[0], cs) + 1)
    v0 = figure_start(text, first.span.start, first.span.end)
    start = max(cs, first.span.start - 80)
    listed = [k for s, e, k in refs.between(start, v0) if e <= v0]
    if (
        len(listed) == n
        and len(set(listed)) == n
        and _LISTED_ARMS.search(text[refs.between(start, v0)[0][0] : v0])
    ):
        return listed
    return None


def arms_fronted_respectively(
    text: str, refs: Refs, first: r.Outcome, sent: tuple[int, int], n: int
) -> list[int] | None:
    """ "For dasatinib and imatinib, respectively, the 5-year PFS was 85% and 86%": the arms fronted in order,
    'respectively' said before the figures."""
    v0 = figure_start(text, first.span.start, first.span.end)
    fronted = _FRONTED_RESPECTIVELY.match(text, sent[0], v0)
    if fronted is None:
        return None
    listed = [k for s, e, k in refs.between(sent[0], fronted.end()) if e <= fronted.end()]
    return listed if len(listed) == n and len(set(listed)) == n else None


def comparator_fronted(
    text: str, refs: Refs, first: r.Outcome, sent: tuple[int, int], n_arms: int
) -> int | None:
    """'Compared with the B group, the A group had a higher MMR rate (46% vs 28%)': the one arm (of two) a
    fronted comparison names; the subject's figure comes first."""
    fronted = _COMPARED_FRONTED.match(text, sent[0], first.span.start)
    if fronted is None or n_arms != 2:
        return None
    named = {k for _s, e, k in refs.between(sent[0], fronted.end()) if e <= fronted.end()}
    return named.pop() if len(named) == 1 else None


def higher_with(
    text: str, refs: Refs, pair: list[float | None], last: r.Outcome, sent: tuple[int, int], n_arms: int
) -> list[int] | None:
    """'MMR (92% vs 86%) and MR4.5 (75% vs 62%) were higher with A': of a pair of percents of two arms, the
    higher is the arm the predicate after them names."""
    if len(pair) != 2 or n_arms != 2 or pair[0] is None or pair[1] is None or pair[0] == pair[1]:
        return None
    pred = _HIGHER_WITH.match(text, last.span.end, sent[1])
    if pred is None or refs.between(last.span.end, pred.end()):
        return None
    named = [k for _s, _e, k in refs.between(pred.end(), pred.end() + 1)]
    if not named:
        return None
    k = named[0]
    return [k, 1 - k] if pair[0] > pair[1] else [1 - k, k]
