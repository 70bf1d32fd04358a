"""Which arm each figure is for (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.figure_starts import figure_start
from cmlkg.extract.mentions import Doc, clause_bounds
from cmlkg.extract.quantities import PATIENT_NOUN, STATISTIC_PAREN, TREATED_WITH
from cmlkg.extract.scope.arms import Arm
from cmlkg.extract.scope.event_arms import adverse_per_arm
from cmlkg.extract.scope.listed_arms import (
    LEADING_FIGURE,
    arms_closed,
    arms_fronted_respectively,
    arms_in_the_subject,
    arms_named_before,
    arms_of_the_heading,
    comparator_fronted,
    higher_with,
)
from cmlkg.extract.scope.references import Refs
from cmlkg.extract.scope.text_order import pairs_in_the_texts_order

I = re.I


_COUNT_AT_END = re.compile(r"(?<![\w.])\d+\s+(?:patients?|pts?\.?|cases?|subjects?)$", I)

_P_AFTER = re.compile(r"\s*%?\s*[(;,]\s*(?:two-sided\s+|log-rank\s+)?P\s*(?:value\s*)?[<=≤]\s*0?\.\d", I)

_COMPARE = re.compile(
    r"^\s*%?\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+|or\s+)?|;\s*|(?:,\s*)?(?:v|vs\.?|versus|compared\s+(?:with|to)|and|or|to)\s+)$",
    I,
)


def _value_start(text: str, o: r.Outcome) -> int:
    """Where the figure of an outcome read after its mention starts ('... 46%' -> the 4)."""
    return figure_start(text, o.span.start, o.span.end)


def _listed_start(text: str, o: r.Outcome) -> int:
    """Where a figure starts for reading a list of figures: as :func:`_value_start`, or, for a figure
    before its mention ('11.3% vs 3.9% achieved MMR'), where its phrase starts."""
    v = _value_start(text, o)
    if v == o.span.end and LEADING_FIGURE.match(text, o.span.start, o.span.end):
        return o.span.start
    # '... developed in 58 and 72 patients, respectively': a count closed by its noun
    counted = _COUNT_AT_END.search(text, o.span.start, o.span.end) if v == o.span.end else None
    return counted.start() if counted else v


_BREAKS_A_REF = re.compile(
    r"[;]|\b(?:whereas|while|but|compared|versus|vs|v|than|favou?r|favou?ring)\b"
    # ('Two deaths occurred in the control arm and none with A': the arm of a figure of none between)
    r"|\b(?:none|no\s+(?:one|patients?|cases?|deaths?|events?))\b",
    I,
)
_PLUS_MINUS = re.compile(r"(?:\+/-|±|\+/−)\s*\d+(?:\.\d+)?\s*%?")  # '55% +/- 11%': the same figure
_FIGURE = re.compile(r"\d\s*(?:%|percent\b)|\d+\s*/\s*\d", I)
_FOR_A_GROUP = re.compile(r"\b(?:for|in|among|with|on|receiving|received|treated|given|of)\b", I)
_OWN_GROUP = re.compile(r"\b\d+\s+(?:[\w]+-(?:treated|receiving)|treated\s+with\s+[\w-]+)\b", I)
_COMPARED = re.compile(r"\b(?:compared|versus|vs)\b", I)
# the gap between a count and the arm alone in a parenthesis after it: '3 pts (arm A)', '77% (dasatinib)'
_OWN_PAREN_TEXT = r"\s*(?:(?:patients?|pts?\.?)\s*)?\(\s*(?:(?:arm|group|cohort)\s+)?"
# a count right before the name of its group: '3 pts (arm A), 2 ...', '2 patients on A 300 mg, 4 ...'
_COUNT_OF_GROUP = (
    r"(?<![\w.])(?P<n>\d+)(?:"
    + _OWN_PAREN_TEXT
    + r"|\s+(?:(?:patients?|pts?)\s+)?(?:on|receiving)\s+(?:[\w-]+\s+){0,2})$"
)
# a name claimed by an earlier figure ('19% of interferon-treated patients and in 1% of chemotherapy-treated
# ...') is that figure's arm, not this one's
_CLAIMED_NAME = re.compile(
    r"\d\s*(?:%|percent)\s*(?:\([^()]*\)\s*)?(?:of|in|with)\s+(?:the\s+)?(?:[\w-]+\s+)?$"
    # '55 patients treated with interferon (25%) and 2 patients treated with chemotherapy'
    rf"|(?<![\w.])\d+\s+{PATIENT_NOUN}\s+{TREATED_WITH}\s+$"
    # 'Progression: 3 pts (arm A), 2 pts (arm B)'
    rf"|{_COUNT_OF_GROUP}",
    I,
)
_PCT_OR_DECIMAL = re.compile(r"\d\s*(?:%|percent\b|per\s+cent\b)|(?<![\w.])\d*\.\d", I)
_RESPECTIVELY = re.compile(r"\brespectively\b", I)

_VERSUS = re.compile(r"\b(?:v|vs\.?|versus|compared)\b", I)
_ARMS_FOLLOW = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:for|in|with|among)\b", I)
# "in the two TKI groups", "in both treatment arms": the arms themselves
_ARMS_NAMED = (
    r"(?:in|for|among|with|between|across)\s+(?:the\s+)?(?:two|three|four|both|respective)\s+"
    r"(?P<words>(?:[\w-]+\s+){0,2}?)(?:arms|groups|cohorts)\b"
)
_THE_ARMS = re.compile(r"\s*(?:\([^()]*\)\s*)?,?\s*" + _ARMS_NAMED, I)
# ('similar in both arms (90% and 89%)': before the figures' parenthesis)
_THE_ARMS_BEFORE = re.compile(r"\b" + _ARMS_NAMED + r"\s*\(\s*$", I)
_TREATMENT_WORDS = {"treatment", "study", "randomized", "randomised", "dose", "drug", "therapy", "trial"}
_SIZES = re.compile(r"\bn\s*=\s*\d", I)
_OTHER_GROUPS = re.compile(
    r"\b(?:in|for|among|with|of)\s+(?!(?:the\s+)?(?:two|three|four|both|respective)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:arms|groups|cohorts)\b)"
    # ('52.1% vs 33.5% of pts (P < 0.001).': the patients themselves)
    r"(?!(?:the\s+|all\s+)?(?:patients|pts|subjects)\b\s*(?:,|;|\.|\(\s*[Pp]\b|respectively|$))",
    I,
)


def attribute(
    doc: Doc,
    cohorts: list[r.Cohort],
    arms: list[Arm],
    outcomes: list[r.Outcome],
    adverse: list[r.AdverseEvent],
    refs: Refs,
) -> list[r.AdverseEvent]:
    """Tie each figure to the arm its sentence names; return the adverse events, one per arm they are
    reported for."""
    reading = _Attribution(doc, arms, refs, outcomes)
    groups = reading.comparison_groups()
    assigned: dict[int, int] = {}
    for g in groups:
        if len(g) == len(arms) and (ks := reading.group_arms(g)) is not None:
            assigned.update(zip(g, ks, strict=True))
    reading.assign_singles(cohorts, groups, assigned)
    if len(arms) == 2:
        pairs_in_the_texts_order(doc, outcomes, groups, assigned, refs)
    for i, k in assigned.items():
        outcomes[i].cohort = arms[k].cohort
    return adverse_per_arm(doc, arms, refs, reading.defined_end, adverse)


# the gap between a figure and the arm alone in a parenthesis after it: '77% (dasatinib)', '3 pts (arm A)'
_OWN_PAREN = re.compile(_OWN_PAREN_TEXT, re.I)
_ATTRIBUTIVE_AFTER = re.compile(r"\s*(?:(?:patients|pts|subjects|cases)\b|(?:,|and|or)\s+\d)", re.I)
_DRUG_OPENS = re.compile(r"\s*\(\s*([A-Za-z][\w-]+)\s+")
_OF_BEFORE = re.compile(r"\bof\s+(?:the\s+|all\s+)?$", re.I)
_COUNTS_OWN_GROUP = re.compile(_COUNT_OF_GROUP, re.I)


class _Attribution:
    """The arms of one abstract, the names that refer to them, and its outcome figures to tie to them."""

    def __init__(self, doc: Doc, arms: list[Arm], refs: Refs, outcomes: list[r.Outcome]) -> None:
        self.doc = doc
        self.text = doc.text
        self.arms = arms
        self.refs = refs
        self.outcomes = outcomes
        self.defined_end = max(a.end for a in arms)

    def respectively(self, s: int, e: int) -> bool:
        return bool(_RESPECTIVELY.search(self.text[s:e]))

    def ref_after(self, pos: int, limit: int) -> int | None:
        """The arm named right after a figure ('46% in the imatinib arm'), unless another figure or a
        contrast stands between."""
        text = self.text
        for s, _e, k in self.refs.between(pos, limit):
            if pos <= s < limit:
                # '73% (95% CI, 67-78) with A': a statistic of the figure stands between, not another figure
                gap = STATISTIC_PAREN.sub(" ", text[pos:s])
                if _BREAKS_A_REF.search(gap):
                    return None
                # another figure stands between: the arm is that one's ('102 died: 48 on A and 54 on B'; not
                # the figure's own denominator: '66% of the 260 pts on imatinib')
                claim = _COUNTS_OWN_GROUP.search(gap)
                if _FIGURE.search(_PLUS_MINUS.sub(" ", gap)) or (
                    claim and not _OF_BEFORE.search(gap, 0, claim.start())
                ):
                    return None
                # '77% (dasatinib) and 66% (imatinib)': the arm alone in a parenthesis after the figure
                # ('77% (nilotinib 300 mg), 70% (nilotinib 400 mg)': the dose naming the arm, after its drug)
                if (_OWN_PAREN.fullmatch(gap) or self._drug_named(pos, s, gap)) and re.match(
                    r"\s*\)", text[_e : _e + 3]
                ):
                    return k
                # ('in 3 (6%) dasatinib and 5 (10%) imatinib patients': the arm's drug as the patients' word)
                if not gap.strip() and _ATTRIBUTIVE_AFTER.match(text, _e):
                    return k
                return k if _FOR_A_GROUP.search(gap) else None
        return None

    def _drug_named(self, pos: int, s: int, gap: str) -> bool:
        """Whether the gap before a reference at ``s`` opens a parenthesis with a drug's name."""
        drug = _DRUG_OPENS.fullmatch(gap)
        return drug is not None and any(
            x.kind == "drug" for x in self.doc.mentions_in(pos + drug.start(1), pos + drug.end(1))
        )

    def ref_before(self, start: int, pos: int, own: int) -> int | None:
        """The last arm named between ``start`` and a figure at ``pos``, unless an earlier figure
        claimed it."""
        text = self.text
        found = [(s, e, k) for s, e, k in self.refs.between(start, pos) if e <= pos]
        if not found or _COMPARED.search(text[found[-1][1] : pos]):
            return None
        s, _e, k = found[-1]
        # '... in 41 interferon-treated patients (19%) and in 2 chemotherapy-treated patients (2%)': a group
        # of its own named between (by a treatment that names no arm) is not the arm named before
        if _OWN_GROUP.search(text, _e, pos):
            return None
        claims = _CLAIMED_NAME.search(text[max(start, s - 30) : s])
        if claims and max(start, s - 30) + claims.start() < own:
            return None
        return k

    def ref_inside(self, o: r.Outcome) -> int | None:
        """'DFS for patients prepared with regimen A was 55%': the arm named inside the phrase."""
        text = self.text
        v = _value_start(text, o)
        found = {
            k
            for s, e, k in self.refs.between(o.span.start, v)
            if e <= v
            and not re.search(r"\d", text[e:v])
            and not self._claimed_by_another_count(o, s)
            and not _PCT_OR_DECIMAL.search(text[o.span.start : s])
        }
        return found.pop() if len(found) == 1 else None

    def _claimed_by_another_count(self, o: r.Outcome, s: int) -> bool:
        """Whether the arm named at ``s`` is the group of a count before it that is not ``o``'s."""
        claim = _COUNTS_OWN_GROUP.search(self.text, max(o.span.start, s - 40), s)
        return claim is not None and int(claim.group("n")) != o.count

    def own_ref(self, i: int, sent_end: int) -> int | None:
        """The arm one figure of a comparison names for itself: in its phrase ('73% of patients receiving
        A achieved MCyR, compared with 46% with B'), or right after it."""
        o = self.outcomes[i]
        lead = LEADING_FIGURE.match(self.text, o.span.start, o.span.end)
        if lead:
            found = {
                k
                for s, e, k in self.refs.between(lead.end(), o.span.end)
                if e <= o.span.end and not _FIGURE.search(self.text[lead.end() : s])
            }
            if len(found) == 1:
                return found.pop()
        inside = self.ref_inside(o)
        return inside if inside is not None else self.ref_after(o.span.end, min(sent_end, o.span.end + 100))

    def ref_in_value(self, o: r.Outcome) -> int | None:
        """'in 55 patients treated with interferon (25%)': the arm named inside the figure itself."""
        v = _value_start(self.text, o)
        found = {k for s, e, k in self.refs.between(v, o.span.end) if e <= o.span.end}
        return found.pop() if len(found) == 1 and v < o.span.end else None

    def comparison_groups(self) -> list[list[int]]:
        """Figures of one outcome and time listed together ('MMR, 46% v 40%', 'were 0.24 and 0.34,
        respectively'), by index, in the text's order (a lone figure is a group of one)."""
        text, outcomes = self.text, self.outcomes
        groups: list[list[int]] = []
        for i in sorted(range(len(outcomes)), key=lambda i: outcomes[i].span.end):
            o = outcomes[i]
            if o.span.start < self.defined_end:
                continue
            if groups:
                last = outcomes[groups[-1][-1]]
                if (
                    last.term == o.term
                    and last.time_months == o.time_months
                    and _COMPARE.match(text[last.span.end : _listed_start(text, o)])
                ):
                    groups[-1].append(i)
                    continue
            groups.append([i])
        return groups

    def _the_arms(self, m: re.Match | None) -> bool:
        """ "in the two TKI groups", "in both treatment arms" (a match of ``_ARMS_NAMED``): the arms
        themselves (the words between are treatments or words of the design, not 'the two age groups')."""
        if m is None:
            return False
        drugs = [
            x
            for x in self.doc.mentions_in(m.start("words"), m.end("words"))
            if x.kind in ("drug", "procedure")
        ]
        start = m.start("words")
        return all(
            w.group().lower() in _TREATMENT_WORDS or any(x.start <= start + w.start() < x.end for x in drugs)
            for w in re.finditer(r"[\w-]+", m.group("words"))
        )

    def _in_the_arms_order(self, first: r.Outcome, last: r.Outcome, sent: tuple[int, int]) -> bool:
        """Whether a group's figures are said to be in the arms' order: 'respectively', 'in the two TKI
        groups' after them, 'similar in both arms (90% and 89%)' before them."""
        text, v0 = self.text, _value_start(self.text, first)
        return (
            self.respectively(last.span.end, sent[1])
            or self._the_arms(_THE_ARMS.match(text, last.span.end, sent[1]))
            or self._the_arms(_THE_ARMS_BEFORE.search(text, max(sent[0], v0 - 40), v0))
        )

    def _subject_and_other(
        self, first: r.Outcome, own: list[int | None], sent: tuple[int, int]
    ) -> list[int] | None:
        """A pair of two arms whose second names its arm, whose first's is the one named before it."""
        if len(own) != 2 or len(self.arms) != 2 or own[0] is not None or own[1] is None:
            return None
        cs = clause_bounds(self.text, sent, first.span.start)[0]
        before = {k for _s, e, k in self.refs.between(cs, first.span.start) if e <= first.span.start}
        return [1 - own[1], own[1]] if before == {1 - own[1]} else None

    def _heading_arm(self, sent: tuple[int, int], o: r.Outcome) -> int | None:
        """'Dasatinib: CCyR 83%, MMR 46%; imatinib: CCyR 72%, MMR 28%': the arm that heads the part of the
        sentence (from its start or a ';') the figure is in, before a colon, the only arm named there."""
        text = self.text
        start = max(sent[0], text.rfind(";", sent[0], o.span.start) + 1)
        named = [(s, e, k) for s, e, k in self.refs.between(start, o.span.end) if e <= o.span.end]
        if len(named) != 1 or text[start : named[0][0]].strip() or not re.match(r"\s*:", text[named[0][1] :]):
            return None
        return named[0][2]

    def _arms_before(self, first: r.Outcome, sent: tuple[int, int]) -> set[int]:
        """The arms named in the clause before a group's first figure (a clause of its own after ';' starts
        afresh: '... 83% with A and 72% with B; MMR rates were 46% and 28%'), not in a ';' inside a
        parenthesis, nor the arms sized in a parenthesis ('In the mITT population (A n = 246; B n = 241),
        MMR was ...')."""
        text = self.text
        semi = text.rfind(";", sent[0], first.span.start)
        while semi >= 0 and any(
            a < semi < b for a, b in self.doc.parens_within(max(0, semi - 200), semi + 200)
        ):
            semi = text.rfind(";", sent[0], semi)
        since = max(sent[0], semi + 1)
        sizing = [
            (a, b) for a, b in self.doc.parens_within(since, first.span.start) if _SIZES.search(text, a, b)
        ]
        return {
            k
            for s, _e, k in self.refs.between(since, first.span.start)
            if not any(a < s < b for a, b in sizing)
        }

    def group_arms(self, g: list[int]) -> list[int] | None:
        """The arm of each figure of a group of as many figures as arms, or None when unsure."""
        text, outcomes, refs = self.text, self.outcomes, self.refs
        first, last = outcomes[g[0]], outcomes[g[-1]]
        sent = self.doc.sentence_of(first.span.start)
        gap_text = text[first.span.end : _listed_start(text, last)]
        # 'MMR rates were 46% and 28% (P < 0.0001)': a P value right after a pair compares the two arms
        versus = bool(_VERSUS.search(gap_text)) or (len(g) == 2 and bool(_P_AFTER.match(text, last.span.end)))
        # "43% and 58% in the two TKI groups": the arms, in their order, as 'respectively' says
        respectively = self._in_the_arms_order(first, last, sent)
        # '17% of A-treated and 11% of B-treated patients': each figure names its own arm
        own = [self.own_ref(i, sent[1]) for i in g]
        if all(k is not None for k in own) and len(set(own)) == len(g):
            return own  # type: ignore[return-value]
        pair = [outcomes[i].percent for i in g]
        if (higher := higher_with(text, refs, pair, last, sent, len(self.arms))) is not None:
            return higher
        # '77% and 66% of patients on A and B had CCyR': the arms named in order in the figures' subject
        if (in_subject := arms_in_the_subject(text, refs, last)) is not None and len(in_subject) == len(g):
            return in_subject
        if (fronted := arms_fronted_respectively(text, refs, first, sent, len(g))) is not None:
            return fronted
        # 'Patients receiving A had a PFS of 85% compared with 86% for B': the other arm, named as the subject
        if (other := self._subject_and_other(first, own, sent)) is not None:
            return other
        # three or more figures for as many arms read in their order even bare ('in 2, 3 and 12 patients')
        closed = arms_closed(text, refs, len(self.arms), last.span.end, sent[1])  # '... in the A and B arms'
        if not (versus or respectively or closed or len(g) >= 3):
            return None
        # '44% and 22% in the nilotinib and imatinib arms, respectively': the arms in the order named
        named: list[int] = []
        for s, _e, k in refs.between(last.span.end, sent[1]):
            if last.span.end <= s < sent[1] and k not in named:
                named.append(k)
        # '84% versus 75% for A and B': the arms named right after a comparison, in order
        in_order = versus and _ARMS_FOLLOW.match(text[last.span.end : sent[1]])
        if (respectively or in_order or closed) and len(named) == len(g):
            return named
        if listed := arms_named_before(text, refs, first, sent, len(g)) or arms_of_the_heading(
            text, refs, first, sent, len(g)
        ):
            return listed
        if any(
            self.ref_after(outcomes[i].span.end, min(sent[1], outcomes[i].span.end + 100)) is not None
            for i in g
        ):
            return None
        return self._unnamed_order(g, first, last, sent, versus)

    def _unnamed_order(
        self, g: list[int], first: r.Outcome, last: r.Outcome, sent: tuple[int, int], versus: bool
    ) -> list[int] | None:
        """The arms of a group of figures no arm reference sits by: the arms' order, unless arms or other
        groups named before or after them say otherwise."""
        text, refs = self.text, self.refs
        # 'Response rates were higher at the 600-mg dose: MCyR 28% versus 16%': the contrast names one of two
        # arms first; anything else named before the figures leaves them unpaired
        before = self._arms_before(first, sent)
        # 'Compared with the B group, the A group had a higher MMR rate (46% vs 28%)': the comparator fronted,
        # the subject's figure first
        if (
            versus
            and len(g) == len(before) == 2
            and (comparator := comparator_fronted(text, refs, first, sent, len(self.arms))) is not None
        ):
            return [1 - comparator, comparator]
        if before:
            if versus and len(before) == 1 and len(self.arms) == 2 and len(g) == 2:
                named_first = before.pop()
                return [named_first, 1 - named_first]
            return None
        # '70% and 60% in patients younger and older than 60 years, respectively': other groups, not the arms
        resp = _RESPECTIVELY.search(text[last.span.end : sent[1]])
        tail = text[last.span.end : last.span.end + resp.start()] if resp else text[last.span.end : sent[1]]
        if _OTHER_GROUPS.search(tail) and not refs.between(last.span.end, last.span.end + len(tail)):
            return None
        return list(range(len(g)))

    def assign_singles(
        self, cohorts: list[r.Cohort], groups: list[list[int]], assigned: dict[int, int]
    ) -> None:
        """Each figure not paired in a group: the arm its denominator sizes, else the arm named in its
        phrase, right after it, or before it in its clause."""
        text = self.text
        sizes = [cohorts[a.cohort].size for a in self.arms]
        unique_size = {s: k for k, s in enumerate(sizes) if sizes.count(s) == 1}
        in_group = {i for g in groups if len(g) > 1 for i in g}
        for i, o in enumerate(self.outcomes):
            if i in assigned:
                continue
            if o.denominator in unique_size:
                assigned[i] = unique_size[o.denominator]
                continue
            if o.span.start < self.defined_end or i in in_group:
                continue  # in_group: one of a comparison or a list that did not pair with the arms: unsure
            sent = self.doc.sentence_of(o.span.start)
            arm = self.ref_inside(o)
            if arm is None:
                arm = self.ref_in_value(o)
            if arm is None:
                arm = self.ref_after(o.span.end, min(sent[1], o.span.end + 100))
            if arm is None:
                cs, _ce = clause_bounds(text, sent, o.span.start)
                v = _value_start(text, o)
                arm = self.ref_before(
                    cs, v, v if v < o.span.end else o.span.start
                )  # where this figure's number is
            if arm is None:
                arm = self._heading_arm(sent, o)
            if arm is not None:
                assigned[i] = arm
