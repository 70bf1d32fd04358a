"""The time point of each figure (stage 4 of extraction, part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.figure_starts import figure_start
from cmlkg.extract.mentions import FRONTED_GROUP, Doc, clause_bounds
from cmlkg.extract.quantities import PCT
from cmlkg.extract.relations.grammar import LEVEL, TIME_PHRASE, VERSUS
from cmlkg.extract.scope.list_times import list_time_points, paired_list_time_points
from cmlkg.extract.times import TimePoint, time_points
from cmlkg.textutil import NUM

I = re.I


# ------------------------------------------------------------------ time points
def assign_time_points(doc: Doc, outcomes: list[r.Outcome]) -> None:
    """The time point of each figure: one inside its own phrase ('CCyR at 6 months, 57%'), else one right
    after it ('... after 9 months'), else the nearest one before it in its clause and after the figure
    before it ('4-year probabilities of ... were'), else one fronted at the start of its sentence
    ('At 12 months, ...'). A list
    of time points ('at 3, 6 and 12 months ... respectively') is distributed over as many figures."""
    points = time_points(doc)
    if not points:
        return
    reading = _TimeReading(doc, outcomes, points)
    chosen: dict[int, TimePoint] = {}
    for o in outcomes:
        p = reading.point_of(o)
        if p is None:
            continue
        chosen[id(o)] = p
        if len(p.months) == 1:
            o.time_months = p.months[0]
            continue
        # 'at 12 and 24 months were 40% and 60%': as many figures of the phrase as time points
        phrase = reading.by_phrase[(o.term, o.span.start)]
        if len(phrase) == len(p.months):
            o.time_months = p.months[phrase.index(o)]
    # 'in 26%, 61% and 62% of patients at 3, 6 and 12 months, respectively': the list of time points
    # that the phrase's last figure found is distributed over all of its figures
    for phrase in reading.by_phrase.values():
        last = chosen.get(id(phrase[-1]))
        if len(phrase) > 1 and last is not None and len(last.months) == len(phrase):
            for x, months in zip(phrase, last.months, strict=True):
                x.time_months = months
        # '... at 12 and 24 months were 45% and 60%, versus 30% and 44% with imatinib': a series per arm
        elif last is not None and _series_per_group(doc.text, phrase, len(last.months)):
            for k, x in enumerate(phrase):
                x.time_months = last.months[k % len(last.months)]
    # 'MMR (72% vs 57%) at 12 months', 'an MMR rate of 45% at 12 months vs 30% for B': the time point of
    # one figure of a pair compared holds for both
    for phrase in reading.by_phrase.values():
        _share_in_pairs(doc.text, phrase)
    # a figure listed before another's verb phrase, or compared with it after, has that phrase's time point
    for o in outcomes:
        if o.partner is not None and o.partner.time_months is not None:
            o.time_months = o.partner.time_months
    _gapped_time_points(doc, outcomes)
    list_time_points(doc, outcomes, points)
    paired_list_time_points(doc, outcomes, points)
    _points_respectively(doc, outcomes, points)
    _that_of(doc, outcomes)
    _included(doc, outcomes)


_INCLUDING = re.compile(r",?\s*including\s+(?:an?\s+)?$", I)
_PAREN_ONLY = re.compile(r"\s*(?:\([^()]*\))?\s*")


def _included(doc: Doc, outcomes: list[r.Outcome]) -> None:
    """ "The MCyR rate by 12 months was 65% (50/77), including CCyR in 47% (36/77)": a figure included in
    the one before has its time point."""
    ordered = sorted(outcomes, key=lambda o: o.span.start)
    for prev, o in zip(ordered, ordered[1:], strict=False):
        inc = _INCLUDING.search(doc.text, max(prev.span.end, o.span.start - 20), o.span.start)
        # (right after the figure before, or its parenthesis: '65% (50/77), including ...')
        if (
            o.time_months is None
            and prev.time_months is not None
            and inc is not None
            and _PAREN_ONLY.fullmatch(doc.text, prev.span.end, inc.start())
        ):
            o.time_months = prev.time_months


_THAT_OF = re.compile(r"\b(?:that|those)\s+of\s+(?:the\s+)?$", I)


def _that_of(doc: Doc, outcomes: list[r.Outcome]) -> None:
    """ "The 3-year cumulative incidence of MMR was 66% and that of MR4.5 was 33%": the measure of the
    figure before, in its sentence, and so its time point."""
    ordered = sorted(outcomes, key=lambda o: o.span.start)
    for prev, o in zip(ordered, ordered[1:], strict=False):
        if (
            o.time_months is None
            and prev.time_months is not None
            and doc.sentence_of(prev.span.start) == doc.sentence_of(o.span.start)
            and _THAT_OF.search(doc.text, max(0, o.span.start - 15), o.span.start)
        ):
            o.time_months = prev.time_months


def _points_respectively(doc: Doc, outcomes: list[r.Outcome], points: list[TimePoint]) -> None:
    """'the 3-, 6- and 12-month rates of EMR, CCyR and MMR were 92.1%, 81.7% and 55.6%, respectively': the
    one list of time points of a sentence, dealt in order to as many figures after it (none with its own)."""
    if "respectively" not in doc.text:
        return
    # (by sentence, once: the points and the figures of each)
    points_of: dict[int, list[TimePoint]] = {}
    for q in points:
        points_of.setdefault(doc.sentence_of(q.start)[0], []).append(q)
    figures_of: dict[int, list[r.Outcome]] = {}
    for o in sorted(outcomes, key=lambda o: o.span.start):
        figures_of.setdefault(doc.sentence_of(o.span.start)[0], []).append(o)
    for s, mine_points in points_of.items():
        p, e = mine_points[0], doc.sentence_of(s)[1]
        if len(mine_points) > 1 or len(p.months) < 2 or "respectively" not in doc.text[p.end : e]:
            continue
        mine = figures_of.get(s, [])
        if (
            len(mine) == len(p.months)
            and len({o.term for o in mine}) == len(mine)
            and all(o.time_months is None and o.span.end >= p.end for o in mine)
        ):
            for o, months in zip(mine, p.months, strict=True):
                o.time_months = months


_GAPPED = re.compile(
    # ('... survival at 4 years was 58% and of relapse 20%')
    r"\s*(?:\([^()]*\)\s*)?,?\s*and\s+(?:of\s+)?(?:the\s+)?(?:(?:cumulative|overall|estimated|corresponding|actuarial)\s+)?"
)
_BARE_PERCENT = re.compile(rf"\s*\d+(?:\.\d+)?{PCT}\s*", I)
# '31% with the combination, compared with 65% with nilotinib alone': the same outcome compared
_COMPARED_GAP = re.compile(
    # ('an MMR rate of 45% at 12 months vs 30% for imatinib': the first figure's time point between)
    rf"\s*(?:\([^()]*\)\s*)?(?:{TIME_PHRASE}\s*)?"
    r"(?:(?:with|in|for|among)\s+(?:the\s+)?(?:\d+-\w+\s+)?[^,;()\d]{1,50}?)?\s*,?\s*"
    rf"{VERSUS}\s+(?:(?:with|in|for)\s+[^,;()\d]{{1,40}}?\s+)?",
    I,
)


def _gapped_time_points(doc: Doc, outcomes: list[r.Outcome]) -> None:
    """ "The 5-year overall survival was 89% (95% CI, ...) and event-free survival 71%": a figure read
    after its outcome, joined by 'and' to the figure before it, shares that figure's time point (the
    verb and the time are elided). Not a figure that comes first ('... and 10 patients progressed')."""
    text = doc.text
    ordered = sorted(outcomes, key=lambda o: o.span.start)
    ends = sorted((o.span.end, k) for k, o in enumerate(ordered))
    for o in ordered:
        own = text[o.span.start : o.span.end]
        figure_first = re.match(rf"\s*(?:{NUM})\b", own, re.I)
        at = bisect.bisect_right(ends, (o.span.start, len(ordered))) - 1
        prev = ordered[ends[at][1]] if at >= 0 else None
        # 'MMR was achieved by 60% and MR4 by 40% at 12 months': a time point closing the pair is both's
        if (
            prev is not None
            and prev.time_months is None
            and o.time_months is not None
            and not figure_first
            and _CLOSING_TIME.match(text, o.span.end)
            and doc.sentence_of(prev.span.start) == doc.sentence_of(o.span.start)
            and _GAPPED.fullmatch(text[prev.span.end : o.span.start])
        ):
            prev.time_months = o.time_months
        if o.time_months is not None or (figure_first and not _BARE_PERCENT.fullmatch(own)):
            continue
        if prev is None or prev.time_months is None:
            continue
        gap = text[prev.span.end : o.span.start]
        if doc.sentence_of(prev.span.start) == doc.sentence_of(o.span.start) and (
            (not figure_first and _GAPPED.fullmatch(gap))
            or (prev.term == o.term and _COMPARED_GAP.fullmatch(gap))
        ):
            o.time_months = prev.time_months


_CLOSING_TIME = re.compile(
    rf"\s*(?:of\s+(?:the\s+|all\s+)?(?:patients|pts)\s*)?{TIME_PHRASE}\s*(?=[.;]|$)", I
)
_PAIRED = re.compile(rf"\s*{VERSUS}\s*", I)
_PAIRED_AFTER_TIME = re.compile(rf"\s*(?:{TIME_PHRASE}\s*)?,?\s*{VERSUS}\s*", I)


def _gaps(text: str, phrase: list[r.Outcome]) -> list[str]:
    """The text between each figure of a phrase and the next figure."""
    return [
        text[a.span.end : figure_start(text, b.span.start, b.span.end)] for a, b in zip(phrase, phrase[1:])
    ]


def _series_per_group(text: str, phrase: list[r.Outcome], n: int) -> bool:
    """Whether a phrase's figures are groups of ``n`` (one per time point), the groups compared ('versus',
    'compared with') and the figures of a group not."""
    if n < 2 or len(phrase) <= n or len(phrase) % n:
        return False
    gaps = _gaps(text, phrase)
    return all(bool(_COMPARING.search(g)) == ((k + 1) % n == 0) for k, g in enumerate(gaps))


# (the groups compared: 'versus', or each closed by its arm: '44% and 62% for A and 22% and 38% for B')
_COMPARING = re.compile(
    rf"\b{VERSUS}|\b(?:for|with|in)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s*,?\s*(?:and|vs\.?|versus)\b", I
)


def series_groups(doc: Doc, outcomes: list[r.Outcome]) -> list[list[r.Outcome]]:
    """The groups of figures of a per-arm series ('45% and 60%, versus 30% and 44% with B'): one group per
    arm, for the arm of one of them to hold for all."""
    phrases: dict[tuple[str, int], list[r.Outcome]] = {}
    for o in outcomes:
        phrases.setdefault((o.term, o.span.start), []).append(o)
    out = []
    for phrase in phrases.values():
        months = {x.time_months for x in phrase}
        n = len(months)
        if None not in months and _series_per_group(doc.text, phrase, n):
            out += [phrase[k : k + n] for k in range(0, len(phrase), n)]
    return out


def _share_in_pairs(text: str, phrase: list[r.Outcome]) -> None:
    """The one time point of a compared pair (or list) of one phrase's figures, for all of them: the last
    figure's when it follows the pair, the first's when it stands between."""
    if len(phrase) < 2:
        return
    gaps = _gaps(text, phrase)
    first, final = phrase[0], phrase[-1]
    if final.time_months is not None and all(x.time_months is None for x in phrase[:-1]):
        if all(_PAIRED.fullmatch(g) for g in gaps):
            for x in phrase[:-1]:
                x.time_months = final.time_months
    elif final.time_months is not None and any(x.time_months is not None for x in phrase[:-1]):
        # 'MMR was 44% vs 22% at 12 months and 62% vs 38% at 24 months': pair by pair, right to left
        for k in range(len(phrase) - 2, -1, -1):
            a, b = phrase[k], phrase[k + 1]
            if a.time_months is None and b.time_months is not None and _PAIRED.fullmatch(gaps[k]):
                a.time_months = b.time_months
    elif first.time_months is not None and all(x.time_months is None for x in phrase[1:]):
        if all(_PAIRED_AFTER_TIME.fullmatch(g) for g in gaps):
            for x in phrase[1:]:
                x.time_months = first.time_months


_AFTER_FIGURE = re.compile(
    # '... (43.4%) patients at 96 months': the patient noun of the figure, with 'of' or without
    # ('MMR (72% vs 57%) at 12 months': the parenthesis that holds the figure closes first)
    r"\s*\)?\s*(?:\([^()]*\)\s*|\[[^\[\]]*\]\s*)?(?:(?:of\s+(?:the\s+)?)?(?:[\w-]+\s+)?(?:patients|pts|subjects|cases)\s*)?"
    # ('48 remained in MMR without therapy at 24 months')
    r"(?:(?:without|off)\s+(?:therapy|treatment|TKIs?)\s*)?"
    r"(?:,\s*)?(?:respectively\s*)?",
    re.I,
)
_UNREAD_ITEMS = re.compile(
    # (the figure's own group first: '21% with BP-CML')
    r"(?:\s+(?:with|in|of|among|for)\s+[^,;%()]{1,40}?)?"
    # (and the figures of its list: '47% of patients with AP-CML, 21% with BP-CML, and 34% with Ph+ ALL')
    r"(?:(?:\s*,\s*(?:and\s+)?|,?\s+and\s+)\d+(?:\.\d+)?\s*%[^,;%()]{1,40}?)+\s*",
    re.I,
)
_FRONTED_HEADING = re.compile(
    r"\s*(?:(?:[A-Z]{3,}(?:\s+[A-Z]{2,})*\s*:?|[A-Z][a-z]+(?:\s+[a-z]+){0,3}\s*:)\s*)?"
)


_FRONTED_POINT_ENDS = re.compile(
    # ('At 12 months after randomization,', 'After 12 months at the higher dose,': words, no figure, between)
    r"\s*(?:(?:after|from|since|post|on|at|of|in)\s+(?:the\s+)?[A-Za-z-]+(?:\s+[A-Za-z-]+){0,2}?\s*)?,"
    # ('at 12 months the CCyR rate was 66%; the MMR rate was 40%': no comma, the subject right after it)
    r"|\s+(?=the\s)",
    I,
)
_FRONTED_GROUP = re.compile(FRONTED_GROUP + r"(?:[\w-]+\s+){0,3}?", I)


class _TimeReading:
    """An abstract's time points and figures, indexed by sentence (what one figure's reading looks at
    lies in its sentence) and by phrase (figures read from one phrase share its start)."""

    def __init__(self, doc: Doc, outcomes: list[r.Outcome], points: list[TimePoint]) -> None:
        self.doc = doc
        self.text = doc.text
        self.by_phrase: dict[tuple[str, int], list[r.Outcome]] = {}
        for o in outcomes:
            self.by_phrase.setdefault((o.term, o.span.start), []).append(o)
        self.points = sorted(points, key=lambda p: p.start)
        self.point_starts = [p.start for p in self.points]
        self.parens = sorted(doc.parens)
        self.paren_starts = [s for s, _e in self.parens]
        self.by_sentence: dict[int, list[r.Outcome]] = {}
        for o in outcomes:
            self.by_sentence.setdefault(doc.sentence_of(o.span.start)[0], []).append(o)

    def point_of(self, o: r.Outcome) -> TimePoint | None:
        """The time point of one figure, in the order of the class docstring."""
        text, doc = self.text, self.doc
        sent = doc.sentence_of(o.span.start)
        points = self.points[
            bisect.bisect_left(self.point_starts, sent[0]) : bisect.bisect_left(self.point_starts, sent[1])
        ]
        if not points:
            return None
        cs, ce = clause_bounds(text, sent, o.span.start)
        own, shared = self._inside(o, points, sent)
        # before it, but after the figure before it: "2 CCR after 3 and 12 months and 1 CMR after 9 months"
        floor = max(
            [
                cs,
                *(
                    x.span.end
                    for x in self.by_sentence[sent[0]]
                    if x is not o and cs <= x.span.end <= o.span.start
                ),
            ]
        )
        before = [p for p in points if floor <= p.start and p.end <= o.span.start]
        # ('MR4.5: 32% at 3 years': the clause the figure itself is in, after a colon)
        ce = max(ce, clause_bounds(text, sent, max(o.span.start, o.span.end - 1))[1])
        after = [
            p
            for p in points
            if o.span.end <= p.start < min(ce, o.span.end + 45)
            and not p.leads
            and (_AFTER_FIGURE.fullmatch(text[o.span.end : p.start]) or self._unread_between(o, p.start))
        ]
        # 'At 12 months, ...', also after a section heading ('RESULTS At 12 months, ...')
        fronted = [
            p
            for p in points
            if sent[0] <= p.start
            and (
                _FRONTED_HEADING.fullmatch(text[sent[0] : p.start])
                # 'Of 48 evaluable pts at M12, 41 (85%) were in CCyR and 27 (56%) in MMR'
                or _FRONTED_GROUP.fullmatch(text[sent[0] : p.start])
            )
            # ('At 12 months after randomization, ...': the point's anchor between)
            and _FRONTED_POINT_ENDS.match(text, p.end, min(len(text), p.end + 45))
        ]
        # a time point that heads a parenthesis or a colon list holds for what it heads:
        # 'Responses after 3 years (CCyR: ...; MR4.5: ...)', 'Responses at month 96: MCgR: ...; MR4.5: ...'
        heading = [p for p in points if p.end <= o.span.start and _heads(text, doc, p, sent, o.span.start)]
        point = own[-1:] or after[:1] or shared[-1:] or before[-1:] or fronted[:1] or heading[-1:]
        return point[0] if point else None

    def _unread_between(self, o: r.Outcome, pos: int) -> bool:
        """'47% ... with AP-CML, 21% with BP-CML, and 34% with Ph+ ALL after 1 year': only items of the list
        that no figure read (another disease's) stand between the figure and the point at ``pos``."""
        # (figures of its own list may stand between too: '47% of patients with AP-CML, 21% with BP-CML, ...')
        return bool(_UNREAD_ITEMS.fullmatch(self.text, o.span.end, pos)) and not any(
            o.span.end < x.span.end <= pos and x.span.start != o.span.start
            for x in self.by_sentence[self.doc.sentence_of(o.span.start)[0]]
        )

    def _inside(
        self, o: r.Outcome, points: list[TimePoint], sent: tuple[int, int]
    ) -> tuple[list[TimePoint], list[TimePoint]]:
        """The points inside a figure's own phrase: its own (after the figure before it in the same
        phrase: "CCyR at 6 months was 50%, and 70% at 12 months") and those shared by the phrase's
        figures (before its first figure); none in a parenthesis ("2 patients (1 after 5 months from
        CCR) evolved")."""
        sent_parens = self.parens[
            bisect.bisect_left(self.paren_starts, sent[0]) : bisect.bisect_left(self.paren_starts, sent[1])
        ]
        siblings = [x.span.end for x in self.by_phrase[(o.term, o.span.start)] if x.span.end < o.span.end]
        low = max([o.span.start, *siblings])
        inside = [
            p
            for p in points
            if o.span.start <= p.start
            and p.end <= o.span.end
            and (
                p.leads  # ('MMR (12 mo): 45%': a label in its own parenthesis)
                or not any(
                    o.span.start <= s <= p.start and p.end <= e <= o.span.end and not self._defines(o, s, e)
                    for s, e in sent_parens
                )
            )
        ]
        # a point right after a sibling's figure is that figure's: '46% at 12 months and 88% at 24 months',
        # '61% (95% CI 57-64%) at 6 months and 50% at 24 months'
        own = [
            p
            for p in inside
            if p.start >= low
            # ('MMR was achieved by 31% of patients at 6 months and 40% at 12 months')
            and (p.leads or not any(_AFTER_FIGURE.fullmatch(self.text[x : p.start]) for x in siblings))
        ]
        return own, [p for p in inside if p.start < low]

    def _defines(self, o: r.Outcome, s: int, e: int) -> bool:
        """Whether the parenthesis s..e right after a figure's outcome defines it by a level and a time:
        'Early molecular response (BCR-ABL1 <=10% at 3 months) was achieved in 82%'."""
        return not re.search(r"\d", self.text[o.span.start : s]) and bool(_LEVEL.search(self.text, s, e))


_LEVEL = re.compile(LEVEL)
_HEADER_TAIL = re.compile(r"\s*,[^.;:%\d()]{0,60}?(?:\(\s*%\s*\)[^.;:%\d()]{0,60}?)?:")


def _heads(text: str, doc: Doc, p, sent: tuple[int, int], pos: int) -> bool:
    """Whether time point ``p`` heads a parenthesis or a colon list that holds ``pos``."""
    m = re.match(r"\s*(?:(?:were|was|are|is)\s*)?([(:])", text[p.end : p.end + 10])
    if not sent[0] <= p.start:
        return False
    # 'Responses at 24 months, n (%), A vs B: MMR, ...': a header that ends in a colon
    if not m and (header := _HEADER_TAIL.match(text, p.end, sent[1])) is not None:
        return header.end() <= pos
    if not m:
        return False
    if m.group(1) == ":":
        return True
    opening = p.end + m.start(1)
    # inside the parenthesis, or after it when a colon follows: 'at 12 months (A vs B): MMR, 52% vs 29%'
    return any(
        ps == opening and (ps < pos < pe or (pos > pe and re.match(r"\s*:", text[pe : pe + 3])))
        for ps, pe in doc.parens_starting(opening)
    )
