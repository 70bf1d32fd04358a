"""Which arm each figure is for (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, clause_bounds
from cmlkg.extract.scope.arms import Arm
from cmlkg.extract.scope.references import Refs

I = re.I
I = re.I


_COUNT_AT_END = re.compile(r"(?<![\w.])\d+\s+(?:patients?|pts?\.?|cases?|subjects?)$", I)

_P_AFTER = re.compile(r"\s*%?\s*[(;,]\s*(?:two-sided\s+|log-rank\s+)?P\s*(?:value\s*)?[<=≤]\s*0?\.\d", I)

_COMPARE = re.compile(
    r"^\s*%?\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+|or\s+)?|;\s*|(?:,\s*)?(?:v|vs\.?|versus|compared\s+(?:with|to)|and|or|to)\s+)$",
    I,
)


def _value_start(text: str, o: r.Outcome) -> int:
    """Where the figure of an outcome read after its mention starts ('... 46%' -> the 4)."""
    m = re.search(
        r"(?:\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)?|\.\d+)\s*(?:\([^()]*\))?\s*$",
        text[o.span.start : o.span.end],
        I,
    )
    return o.span.start + m.start() if m else o.span.end


def _listed_start(text: str, o: r.Outcome) -> int:
    """Where a figure starts for reading a list of figures: as :func:`_value_start`, or, for a figure
    before its mention ('11.3% vs 3.9% achieved MMR'), where its phrase starts."""
    v = _value_start(text, o)
    if v == o.span.end and re.match(r"\d+(?:\.\d+)?\s*%", text[o.span.start : o.span.end]):
        return o.span.start
    # '... developed in 58 and 72 patients, respectively': a count closed by its noun
    counted = _COUNT_AT_END.search(text, o.span.start, o.span.end) if v == o.span.end else None
    return counted.start() if counted else v


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
    text = doc.text
    sizes = [cohorts[a.cohort].size for a in arms]
    unique_size = {s: k for k, s in enumerate(sizes) if sizes.count(s) == 1}
    respectively = lambda s, e: bool(re.search(r"\brespectively\b", text[s:e], I))  # noqa: E731
    defined_end = max(a.end for a in arms)

    def ref_after(pos: int, limit: int) -> int | None:
        for s, _e, k in refs.between(pos, limit):
            if pos <= s < limit:
                gap = text[pos:s]
                if re.search(
                    r"[;]|\b(?:whereas|while|but|compared|versus|vs|v|than|favou?r|favou?ring)\b", gap, I
                ):
                    return None
                spread = re.sub(
                    r"(?:\+/-|±|\+/−)\s*\d+(?:\.\d+)?\s*%?", " ", gap
                )  # '55% +/- 11%': the same figure
                if re.search(r"\d\s*(?:%|percent\b)|\d+\s*/\s*\d", spread, I):
                    return None  # another figure stands between: the arm is that one's
                if re.search(r"\b(?:for|in|among|with|on|receiving|received|treated|given|of)\b", gap, I):
                    return k
                return None
        return None

    def ref_before(start: int, pos: int, own: int) -> int | None:
        found = [(s, e, k) for s, e, k in refs.between(start, pos) if e <= pos]
        if not found or re.search(r"\b(?:compared|versus|vs)\b", text[found[-1][1] : pos], I):
            return None
        s, _e, k = found[-1]
        # a name claimed by an earlier figure ('19% of interferon-treated patients and in 1% of
        # chemotherapy-treated ...') is that figure's arm, not this one's
        claims = re.search(
            r"\d\s*(?:%|percent)\s*(?:\([^()]*\)\s*)?(?:of|in|with)\s+(?:the\s+)?(?:[\w-]+\s+)?$",
            text[max(start, s - 30) : s],
            I,
        )
        if claims and max(start, s - 30) + claims.start() < own:
            return None
        return k

    def ref_inside(o: r.Outcome) -> int | None:
        """'DFS for patients prepared with regimen A was 55%': the arm named inside the phrase."""
        v = _value_start(text, o)
        found = {
            k
            for s, e, k in refs.between(o.span.start, v)
            if e <= v
            and not re.search(r"\d", text[e:v])
            and not re.search(
                r"\d\s*(?:%|percent\b|per\s+cent\b)|(?<![\w.])\d*\.\d", text[o.span.start : s], I
            )
        }
        return found.pop() if len(found) == 1 else None

    assigned: dict[int, int] = {}
    # comparisons: 'MMR, 46% v 40%', 'were 0.24 and 0.34, respectively', as many figures as arms
    ordered = sorted(range(len(outcomes)), key=lambda i: outcomes[i].span.end)
    groups: list[list[int]] = []
    for i in ordered:
        o = outcomes[i]
        if o.span.start < defined_end:
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
    for g in groups:
        if len(g) != len(arms):
            continue
        first, last = outcomes[g[0]], outcomes[g[-1]]
        sent = doc.sentence_of(first.span.start)
        gap_text = text[first.span.end : _listed_start(text, last)]
        # 'MMR rates were 46% and 28% (P < 0.0001)': a P value right after a pair compares the two arms
        versus = bool(re.search(r"\b(?:v|vs\.?|versus|compared)\b", gap_text, I)) or (
            len(g) == 2 and bool(_P_AFTER.match(text, last.span.end))
        )
        if not (versus or respectively(last.span.end, sent[1])):
            continue
        # '44% and 22% in the nilotinib and imatinib arms, respectively': the arms in the order named
        named: list[int] = []
        for s, _e, k in refs.between(last.span.end, sent[1]):
            if last.span.end <= s < sent[1] and k not in named:
                named.append(k)
        # '84% versus 75% for A and B': the arms named right after a comparison, in order
        in_order = versus and re.match(
            r"\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:for|in|with|among)\b", text[last.span.end : sent[1]], I
        )
        if (respectively(last.span.end, sent[1]) or in_order) and len(named) == len(g):
            for k, i in zip(named, g):
                assigned[i] = k
            continue
        # "MMR at 12 months (nilotinib vs imatinib): 44% vs 22%": the arms named in order before the figures
        cs = clause_bounds(text, sent, first.span.start)[0]
        v0 = _value_start(text, first)
        listed = [k for s, e, k in refs.between(max(cs, first.span.start - 80), v0) if e <= v0]
        if (
            len(listed) == len(g)
            and len(set(listed)) == len(g)
            and re.search(
                r"\b(?:v|vs\.?|versus|and|or|than)\b",
                text[refs.between(max(cs, first.span.start - 80), v0)[0][0] : v0],
                I,
            )
        ):
            for k, i in zip(listed, g):
                assigned[i] = k
            continue
        if any(
            ref_after(outcomes[i].span.end, min(sent[1], outcomes[i].span.end + 100)) is not None for i in g
        ):
            continue
        # 'Response rates were higher at the 600-mg dose: MCyR 28% versus 16%': the contrast names one of two
        # arms first; anything else named before the figures leaves them unpaired
        # (a clause of its own after ';' starts afresh: '... 83% with A and 72% with B; MMR rates were 46% and
        # 28%')
        since = max(sent[0], text.rfind(";", sent[0], first.span.start) + 1)
        before = {k for _s, _e, k in refs.between(since, first.span.start)}
        if before:
            if versus and len(before) == 1 and len(arms) == 2 and len(g) == 2:
                named_first = before.pop()
                assigned[g[0]], assigned[g[1]] = named_first, 1 - named_first
            continue
        # '70% and 60% in patients younger and older than 60 years, respectively': other groups, not the arms
        resp = re.search(r"\brespectively\b", text[last.span.end : sent[1]], I)
        tail = text[last.span.end : last.span.end + resp.start()] if resp else text[last.span.end : sent[1]]
        if re.search(
            r"\b(?:in|for|among|with|of)\s+(?!the\s+(?:two|three|respective)\s+(?:arms|groups))"
            r"(?!(?:the\s+|all\s+)?(?:patients|pts|subjects)\b\s*(?:,|respectively|$))",
            tail,
            I,
        ) and not refs.between(last.span.end, last.span.end + len(tail)):
            continue
        for k, i in enumerate(g):
            assigned[i] = k
    in_group = {i for g in groups if len(g) > 1 for i in g}
    listed_together = in_group.__contains__
    for i, o in enumerate(outcomes):
        if i in assigned or o.span.start < defined_end:
            if i not in assigned and o.denominator in unique_size:
                assigned[i] = unique_size[o.denominator]
            continue
        if o.denominator in unique_size:
            assigned[i] = unique_size[o.denominator]
            continue
        sent = doc.sentence_of(o.span.start)
        if listed_together(i):
            continue  # one of a comparison or a list of figures that did not pair with the arms: unsure
        arm = ref_inside(o)
        if arm is None:
            arm = ref_after(o.span.end, min(sent[1], o.span.end + 100))
        if arm is None:
            cs, _ce = clause_bounds(text, sent, o.span.start)
            v = _value_start(text, o)
            arm = ref_before(cs, v, v if v < o.span.end else o.span.start)  # where this figure's number is
        if arm is not None:
            assigned[i] = arm
    if len(arms) == 2:
        _pairs_in_the_texts_order(doc, outcomes, groups, assigned, refs)
    for i, k in assigned.items():
        outcomes[i].cohort = arms[k].cohort
    # adverse events with a figure for each arm: 'GVHD was 0.33 for the 12.0 Gy group and 0.44 for ...'
    out: list[r.AdverseEvent] = []
    by_term: dict[str, list] = {}
    for m in doc.mentions:
        if m.start >= defined_end:
            by_term.setdefault(m.term, []).append(m)
    for a in adverse:
        ks: list[int] = []
        for m in by_term.get(a.term, ()):
            sent = doc.sentence_of(m.start)
            pos = m.end
            for s, e, k in refs.between(pos, sent[1]):
                if pos <= s < sent[1]:
                    if not re.search(r"\d", text[pos:s]) or ";" in text[pos:s]:
                        break
                    if k not in ks:
                        ks.append(k)
                    pos = e
            # 'more grade 3/4 neutropenia (42% vs 17%) and rash (10% vs 3%)' with two arms: the event in each
            if len(arms) == 2 and not ks and _PAIR_AFTER.match(text, m.end):
                ks = [0, 1]
        if not ks:
            out.append(a)
        for k in ks:
            out.append(r.AdverseEvent(a.term, a.span, a.grade, a.count, cohort=arms[k].cohort))
    return out


def _pairs_in_the_texts_order(
    doc: Doc, outcomes: list[r.Outcome], groups: list[list[int]], assigned: dict[int, int], refs: Refs
) -> None:
    """'MMR was 33% in the 400-mg arm and 41% in the 800-mg arm. CCyR rates were 58% and 64%.': with two
    arms, a bare pair of one outcome (no arm, no other group named in its sentence) that follows a pair
    the text tied to the arms first-then-second is read in that order, as a reader does."""
    text = doc.text
    tied = sorted((outcomes[i].span.start, k) for i, k in assigned.items())
    for g in groups:
        if len(g) != 2 or any(i in assigned for i in g):
            continue
        first, last = outcomes[g[0]], outcomes[g[1]]
        sent = doc.sentence_of(first.span.start)
        if doc.sentence_of(last.span.start) != sent or refs.between(sent[0], sent[1]):
            continue
        before = [k for start, k in tied if start < sent[0]]
        if before[-2:] != [0, 1]:  # the last pair before it went first arm, then second
            continue
        if re.search(
            r"\b(?:in|for|among|with|of|by)\s+(?!(?:the\s+|all\s+)?(?:patients|pts)\b)",
            text[last.span.end : sent[1]],
            I,
        ):
            continue  # '... 58% and 64% in low- and high-risk patients': other groups
        assigned[g[0]], assigned[g[1]] = 0, 1


_PAIR_AFTER = re.compile(
    r"\s*\(\s*\d+(?:\.\d+)?\s*%?\s*(?:vs\.?|versus|v\.?)\s*\d+(?:\.\d+)?\s*%?\s*[,;)]"
    # 'rash was reported in 10% versus 3% of patients'
    r"|\s+(?:was|were)\s+(?:\w+\s+)?(?:reported|seen|observed|noted|found|more\s+frequent)\s+in\s+\d+(?:\.\d+)?\s*%\s*"
    r"(?:vs\.?|versus|v\.?|and)\s*\d+(?:\.\d+)?\s*%",
    re.I,
)
