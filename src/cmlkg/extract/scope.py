"""Stage 4, scope: which arm, which time point and which denominator each figure is for.

Arms are the cohorts that a study compares by treatment. Each is defined where the text gives its
size next to its treatment ("imatinib 800 mg (n = 319) or 400 mg (n = 157)", "57 patients were
randomized to receive 2.0 Gy ... and 59 to receive 2.25 Gy", "IFN 3 MU/d (51 patients) or ...
5 MU/m2 daily (45 patients)"); the text then names an arm by what sets it apart: a dose only it
received ("the 800-mg/d arm", "for the 12.0 Gy group"), a drug only it received ("patients treated
with BU/CY"), or its size as a denominator ("7 of 51"). A figure goes to the arm that its sentence
ties it to; figures of the whole study stay on the population.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc, clause_bounds
from cmlkg.extract.quantities import FIGURE, TimePoint, number_pattern, stated_doses, time_points
from cmlkg.extract.relations import fronted_group
from cmlkg.textutil import NUM, as_int, parse_number

I = re.I


@dataclass
class Arm:
    cohort: int  # index of the arm's cohort in the extraction's cohorts
    start: int  # the text that defines the arm
    end: int
    terms: list[str] = field(default_factory=list)
    doses: list[tuple[str, float, str, r.Span]] = field(default_factory=list)  # (term, value, unit, span)
    totals: list[float] = field(default_factory=list)  # fractionated radiation: fraction x number, in Gy
    label: str | None = None  # "A" of "(arm A, n = 110)"


# ------------------------------------------------------------------ time points
def assign_time_points(doc: Doc, outcomes: list[r.Outcome]) -> None:
    """The time point of each figure: one inside its own phrase ('CCyR at 6 months, 57%'), else one right
    after it ('... after 9 months'), else the nearest one before it in its clause and after the figure
    before it ('4-year probabilities of ... were'), else one fronted at the start of its sentence
    ('At 12 months, ...'). A list
    of time points ('at 3, 6 and 12 months ... respectively') is distributed over as many figures."""
    text = doc.text
    points = time_points(doc)
    if not points:
        return
    # figures read from one phrase: several values after one mention share its start
    by_phrase: dict[tuple[str, int], list[r.Outcome]] = {}
    for o in outcomes:
        by_phrase.setdefault((o.term, o.span.start), []).append(o)
    chosen: dict[int, TimePoint] = {}
    # what one figure's reading looks at lies in its sentence: points, figures and parentheses by sentence
    points = sorted(points, key=lambda p: p.start)
    point_starts = [p.start for p in points]
    parens_sorted = sorted(doc.parens)
    paren_starts = [s for s, _e in parens_sorted]
    by_sentence: dict[int, list[r.Outcome]] = {}
    for o in outcomes:
        by_sentence.setdefault(doc.sentence_of(o.span.start)[0], []).append(o)
    all_points = points
    for o in outcomes:
        sent = doc.sentence_of(o.span.start)
        points = all_points[
            bisect.bisect_left(point_starts, sent[0]) : bisect.bisect_left(point_starts, sent[1])
        ]
        if not points:
            continue
        sent_parens = parens_sorted[
            bisect.bisect_left(paren_starts, sent[0]) : bisect.bisect_left(paren_starts, sent[1])
        ]
        cs, ce = clause_bounds(text, sent, o.span.start)
        # inside its own phrase, after the figure before it in the same phrase ("CCyR at 6 months was 50%,
        # and 70% at 12 months"), not in a parenthesis ("2 patients (1 after 5 months from CCR) evolved")
        siblings = [x.span.end for x in by_phrase[(o.term, o.span.start)] if x.span.end < o.span.end]
        low = max([o.span.start, *siblings])
        inside = [
            p
            for p in points
            if o.span.start <= p.start
            and p.end <= o.span.end
            and not any(o.span.start <= s <= p.start and p.end <= e <= o.span.end for s, e in sent_parens)
        ]
        # a point right after a sibling's figure is that figure's: '46% at 12 months and 88% at 24 months'
        own = [
            p
            for p in inside
            if p.start >= low and not any(re.fullmatch(r"\s*,?\s*", text[x : p.start]) for x in siblings)
        ]
        shared = [p for p in inside if p.start < low]  # before the phrase's first figure: all of them
        # before it, but after the figure before it: "2 CCR after 3 and 12 months and 1 CMR after 9 months"
        floor = max(
            [
                cs,
                *(
                    x.span.end
                    for x in by_sentence[sent[0]]
                    if x is not o and cs <= x.span.end <= o.span.start
                ),
            ]
        )
        before = [p for p in points if floor <= p.start and p.end <= o.span.start]
        after = [
            p
            for p in points
            if o.span.end <= p.start < min(ce, o.span.end + 45)
            and re.fullmatch(
                r"\s*(?:\([^()]*\)\s*)?(?:of\s+(?:the\s+)?(?:[\w-]+\s+)?(?:patients|pts|subjects|cases)\s*)?"
                r"(?:,\s*)?(?:respectively\s*)?",
                text[o.span.end : p.start],
                re.I,
            )
        ]
        # 'At 12 months, ...', also after a section heading ('RESULTS At 12 months, ...')
        fronted = [
            p
            for p in points
            if sent[0] <= p.start
            and re.fullmatch(
                r"\s*(?:(?:[A-Z]{3,}(?:\s+[A-Z]{2,})*\s*:?|[A-Z][a-z]+(?:\s+[a-z]+){0,3}\s*:)\s*)?",
                text[sent[0] : p.start],
            )
            and re.match(r"\s*,", text[p.end : p.end + 2])
        ]
        # a time point that heads a parenthesis or a colon list holds for what it heads:
        # 'Responses after 3 years (CCyR: ...; MR4.5: ...)', 'Responses at month 96: MCgR: ...; MR4.5: ...'
        heading = [p for p in points if p.end <= o.span.start and _heads(text, doc, p, sent, o.span.start)]
        point = own[-1:] or after[:1] or shared[-1:] or before[-1:] or fronted[:1] or heading[-1:]
        if not point:
            continue
        p = point[0]
        chosen[id(o)] = p
        if len(p.months) == 1:
            o.time_months = p.months[0]
            continue
        # 'at 12 and 24 months were 40% and 60%': as many figures of the phrase as time points
        phrase = by_phrase[(o.term, o.span.start)]
        if len(phrase) == len(p.months):
            o.time_months = p.months[phrase.index(o)]
    # 'in 26%, 61% and 62% of patients at 3, 6 and 12 months, respectively': the list of time points
    # that the phrase's last figure found is distributed over all of its figures
    for phrase in by_phrase.values():
        last = chosen.get(id(phrase[-1]))
        if len(phrase) > 1 and last is not None and len(last.months) == len(phrase):
            for x, months in zip(phrase, last.months):
                x.time_months = months
    # a figure listed before another's verb phrase has that phrase's time point
    for o in outcomes:
        if o.partner is not None and o.partner.time_months is not None:
            o.time_months = o.partner.time_months


def _heads(text: str, doc: Doc, p, sent: tuple[int, int], pos: int) -> bool:
    """Whether time point ``p`` heads a parenthesis or a colon list that holds ``pos``."""
    m = re.match(r"\s*(?:(?:were|was|are|is)\s*)?([(:])", text[p.end : p.end + 10])
    if not m or not sent[0] <= p.start:
        return False
    if m.group(1) == ":":
        return True
    opening = p.end + m.start(1)
    return any(ps == opening and ps < pos < pe for ps, pe in doc.parens_starting(opening))


# ------------------------------------------------------------------ arms
_ARM_CONTINUED = re.compile(
    rf"(?:\band|,|;|\bwhile|\bwhereas)\s+(?P<n>{NUM})\s+(?:(?:were|was)\s+)?(?:(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+)?"
    r"(?:to|received|receiving|with|on)\b",
    I,
)
_RANDOMISED = re.compile(r"\brandomi[sz]|\bassigned\b|\ballocated\b", I)
_FRACTIONS = re.compile(
    rf"(?P<v>{NUM})\s*Gy\s+(?:fractions?\s+)?(?:\w+\s+){{0,3}}?(?:daily|per\s+day|once\s+a\s+day|twice\s+(?:daily|a\s+day))?\s*"
    rf"(?:for|x|×|in)\s+(?P<n>{NUM})\s+(?:days|fractions|consecutive\s+days)",
    I,
)


def arm_continuations(doc: Doc, cohorts: list[r.Cohort]) -> list[r.Cohort]:
    """'61 patients were randomized to A and 61 to B': the second arm, stated without its noun."""
    text = doc.text
    out = []
    for c in cohorts:
        if c.role == "subgroup" or c.size is None:
            continue
        s, e = doc.sentence_of(c.span.start)
        if not _RANDOMISED.search(text, s, e):
            continue
        for m in _ARM_CONTINUED.finditer(text, c.span.end, e):
            n = parse_number(m.group("n"))
            if n is None or n != int(n) or any(x.span.start == m.start("n") for x in cohorts):
                continue
            if any(x.span.start <= m.start("n") < x.span.end for x in cohorts):
                continue
            out.append(
                r.Cohort(
                    "arm", int(n), r.Span(m.start("n"), m.end("n")), description=text[m.start("n") : m.end()]
                )
            )
    return out


_LABEL = r"(?:[A-Z]|\d{1,2}|I{1,3}|IV)"
_ARM_LABEL = re.compile(rf"\b(?:arm|group|cohort)\s+(?P<l>{_LABEL})\b")
_LABEL_REF = re.compile(
    rf"\b(?:[Aa]rms?|[Gg]roups?|[Cc]ohorts?)\s+(?P<ls>{_LABEL}(?:\s*(?:,|and|or|vs\.?|versus|,\s*and)\s*{_LABEL})*)\b"
)


_RECEIVED_AFTER = re.compile(
    r"\s*(?:(?:were|was)\s+)?(?:received|receive|given|treated\s+with|got|took|underwent|assigned\s+to|randomi[sz]ed\s+to)\b",
    re.I,
)


def _arm_window(doc: Doc, c: r.Cohort, others: list[r.Cohort]) -> tuple[int, int]:
    """The text that says what an arm received: before its size when the size is in parentheses
    ('800 mg (n = 319)'), after it otherwise ('57 patients were randomized to receive 2.0 Gy ...')."""
    s, e = doc.sentence_of(c.span.start)
    same = sorted(o.span.start for o in others if o is not c and s <= o.span.start < e)
    # the size inside a parenthesis: "(n = 319)", "(51 patients)", "(arm A, n = 110)"
    group = next(
        ((ps, pe) for ps, pe in doc.parens if ps < c.span.start and c.span.end <= pe and pe - ps < 40), None
    )
    if group is not None:
        # "patients in arm A (n = 244) received X; those in arm B (n = 160) received Y": what follows
        follows = _RECEIVED_AFTER.match(doc.text, group[1], e)
        if follows:
            stop = min([p for p in same if p > c.span.start] + [e])
            semi = doc.text.find(";", group[1], stop)
            return group[1], semi if semi >= 0 else stop
        prev_end = max(
            [
                pe
                for ps, pe in doc.parens
                if s <= ps and pe <= group[0] and any(ps <= o.span.start < pe for o in others if o is not c)
            ]
            + [s]
        )
        start = max(prev_end, group[0] - 160)
        return start, group[0]
    nxt = next((p for p in same if p > c.span.start), e)
    return c.span.end, min(nxt, c.span.end + 200)


# the allocation of a design sentence: "randomized (1:1) to (receive) X ... or Y ...", "assigned to either X
# or Y"
_ALLOCATION = re.compile(
    r"\b(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+(?:(?!or\b|to\b)[\w'+\-,()]+\s+){0,12}?"
    r"(?:\(?\d:\d\)?\s+|in\s+a\s+\d:\d\s+ratio\s+)?"
    r"(?:to\s+(?:receive\s+|be\s+treated\s+with\s+|either\s+|one\s+of\s+)?|between\s+)",
    re.I,
)
_OPTION_SPLIT = re.compile(r"\s*(?:,\s*or|\bor\b|\bversus\b|\bvs\.?|\bv\.?(?=\s))\s*", re.I)
_SIZES_RESPECTIVELY = re.compile(
    rf"(?<![\w.])(?P<nums>{NUM}(?:\s*(?:,|and|,\s*and)\s*{NUM})+)\s+(?:(?:\w+\s+){{0,2}}?(?:patients|pts|subjects|cases))?"
    r"[^.;]{0,40}?\brespectively\b",
    re.I,
)


def _options(doc: Doc, start: int, stop: int, given: set[str]) -> list[tuple[int, int]]:
    """The options of an allocation, split at 'or' / 'versus' outside parentheses, and at commas too
    when every part then names a drug or a dose ('A (n = 164), B (n = 414), or C (n = 95)')."""
    text = doc.text

    def split(pattern: re.Pattern) -> list[tuple[int, int]]:
        parts, pos = [], start
        for sm in pattern.finditer(text, start, stop):
            if any(ps < sm.start() < pe for ps, pe in doc.parens):
                continue
            parts.append((pos, sm.start()))
            pos = sm.end()
        parts.append((pos, stop))
        return [(s, e) for s, e in parts if text[s:e].strip()]

    def names_treatment(s: int, e: int) -> bool:
        return any(
            mm.kind in ("drug", "procedure") and mm.term in given for mm in doc.mentions_in(s, e)
        ) or bool(stated_doses(doc, s, e))

    with_commas = split(_OPTION_SPLIT_COMMA)
    if len(with_commas) > 2 and all(names_treatment(s, e) for s, e in with_commas):
        return with_commas
    return split(_OPTION_SPLIT)


_OPTION_SPLIT_COMMA = re.compile(
    r"\s*(?:,\s*(?:or\s+|and\s+)?|\bor\b|\bversus\b|\bvs\.?|\bv\.?(?=\s))\s*", re.I
)


def design_arms(doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment]) -> list[r.Cohort]:
    """Arms read from the allocation of a randomised design ('randomized 2:1 to A 50 mg twice daily or B
    45 mg once daily; 211 and 105 patients, respectively, were treated'): one arm per option, with
    what it received and, where the text gives them, its size ('(n = a)', 'a and b patients,
    respectively'). Options that do not differ by drug or dose make no arms."""
    text = doc.text
    given = {t.term for t in treatments if t.role == "intervention"}
    for sent in doc.sents:
        s, e = sent
        m = _ALLOCATION.search(text, s, e)
        if not m or doc.outside_study(m.start()):
            continue
        stop = next(
            (
                k
                for k in range(m.end(), e)
                if text[k] == ";" and not any(ps < k < pe for ps, pe in doc.parens)
            ),
            e,
        )
        parts = _options(doc, m.end(), stop, given)
        if len(parts) < 2:
            continue
        options = []
        for ps, pe in parts:
            terms = []
            for mm in doc.mentions_in(ps, pe):
                if mm.kind in ("drug", "procedure") and mm.term in given and mm.term not in terms:
                    terms.append(mm.term)
            doses = []
            for dose in stated_doses(doc, ps, pe):
                near = [mm for mm in doc.mentions_in(s, dose.start) if mm.kind == "drug" and mm.term in given]
                term = near[-1].term if near else None
                if term is not None and not dose.radiation:
                    doses += [(term, v, u, r.Span(dose.start, dose.end)) for v, u in dose.values]
                    if term not in terms:
                        terms.append(term)
            size = None
            nm = re.search(
                r"[(\[,;]\s*n\s*=\s*(\d+)|\(\s*(\d+)\s+(?:patients|pts|subjects)\s*\)", text[ps:pe], re.I
            )
            if nm:
                size = int(nm.group(1) or nm.group(2))
            options.append((ps, pe, terms, doses, size))
        if any(not o[2] for o in options):
            continue
        signature = {(tuple(sorted(o[2])), tuple(sorted((d[1], d[2]) for d in o[3]))) for o in options}
        if len(signature) < len(options):
            continue
        sizes = [o[4] for o in options]
        if any(x is None for x in sizes):
            nxt = doc.sentence_of(e)[1] if e < len(text) else e
            rm = _SIZES_RESPECTIVELY.search(text, stop, nxt)
            if rm:
                nums = [
                    as_int(parse_number(x)) for x in re.split(r"\s*(?:,\s*and|,|and)\s*", rm.group("nums"))
                ]
                if len(nums) == len(options) and all(nums):
                    sizes = nums
        arms = []
        for (ps, pe, terms, doses, _), size in zip(options, sizes):
            c = r.Cohort("arm", size, r.Span(ps, pe), description=text[ps:pe].strip())
            for term in terms:
                here = next((mm for mm in doc.mentions_in(ps, pe) if mm.term == term), None)
                t = r.Treatment(
                    term, "intervention", r.Span(here.start, here.end) if here else r.Span(ps, pe)
                )
                for dterm, value, unit, dspan in doses:
                    if dterm == term and not any(d.value == value and d.unit == unit for d in t.doses):
                        t.doses.append(r.Dose(value, unit, dspan))
                c.treatments.append(t)
            arms.append(c)
        return arms
    return []


def find_arms(doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment]) -> list[Arm]:
    """The cohorts that the study compares by treatment, with what each received."""
    text = doc.text
    given = {t.term for t in treatments if t.role == "intervention"}
    candidates = [k for k, c in enumerate(cohorts) if c.role in ("arm", "population") and c.size]
    radiation = next(
        (
            m.term
            for m in doc.mentions
            if m.kind == "procedure" and term_of(doc.vocab, m.term).is_a("RadiationTherapy")
        ),
        None,
    )
    arms: list[Arm] = []
    windows = {k: _arm_window(doc, cohorts[k], [cohorts[j] for j in candidates]) for k in candidates}
    for k in candidates:
        c = cohorts[k]
        start, end = windows[k]
        if end <= start:
            continue
        # 'A total of 476 patients were randomly assigned to imatinib 800 mg (n = 319) or ...': the
        # treatment after the population's size is the first arm's
        if c.role == "population" and any(j != k and s < end and start < e for j, (s, e) in windows.items()):
            continue
        # '73 patients underwent allo-SCT; group 1 (n = 36) received ...; group 2 (n = 37) ...': the whole
        if (
            c.role == "population"
            and c.size == sum(cohorts[j].size or 0 for j in candidates if j != k)
            and len(candidates) > 2
        ):
            continue
        terms = []
        for m in doc.mentions_in(start, end):
            if m.kind in ("drug", "procedure") and m.term in given and m.term not in terms:
                terms.append(m.term)
        arm = Arm(k, start, end, terms)
        # the label named with the arm's size: "arm A (n = 244)", "(arm A, n = 110)"
        labels = list(
            _ARM_LABEL.finditer(
                text,
                max(doc.sentence_of(c.span.start)[0], min(start, c.span.start) - 40),
                min(len(text), c.span.end + 2),
            )
        )
        if labels:
            arm.label = labels[-1].group("l")
        for dose in stated_doses(doc, start, end):
            if dose.radiation:
                term = radiation
            else:
                near = [
                    m
                    for m in doc.mentions_in(doc.sentence_of(dose.start)[0], dose.start)
                    if m.kind == "drug" and m.term in given
                ]
                term = near[-1].term if near else None
            if term is None:
                continue
            for value, unit in dose.values:
                arm.doses.append((term, value, unit, r.Span(dose.start, dose.end)))
            if term not in arm.terms:
                arm.terms.append(term)
        for fm in _FRACTIONS.finditer(text, start, end):
            v, n = parse_number(fm.group("v")), parse_number(fm.group("n"))
            if v is not None and n is not None and radiation is not None:
                total = round(v * n, 4)
                arm.totals.append(total)
                # the total is a dose of the arm where the text states it ('the 12.0 Gy group')
                stated = re.search(number_pattern(total) + r"\s*-?\s*Gy\b", text)
                if stated:
                    arm.doses.append((radiation, total, "Gy", r.Span(stated.start(), stated.end())))
        if arm.terms or arm.doses:
            arms.append(arm)
    # two or more groups that differ by what they received (a population that is one of them is an arm)
    if len(arms) < 2:
        return []
    signature = {(tuple(sorted(a.terms)), tuple(sorted((d[1], d[2]) for d in a.doses))) for a in arms}
    if len(signature) < len(arms):
        return []
    # an arm without its own drug named (the second dose of '800 mg (n=319) or 400 mg (n=157)') got
    # the drug of the dose; a dose-only arm takes the drugs of the arm before it
    arms.sort(key=lambda a: a.start)
    for prev, a in zip(arms, arms[1:]):
        if not a.terms:
            a.terms = list(prev.terms)
    return arms


_UNIT_WORD = {
    "mg/d": r"mg",
    "mg": r"mg",
    "g/d": r"g",
    "mg/m2/d": r"mg",
    "mg/m2": r"mg",
    "mg/kg/d": r"mg",
    "mg/kg": r"mg",
    "MU/d": r"(?:MU|MIU|million)",
    "MU/m2/d": r"(?:MU|MIU|million)",
    "MU": r"(?:MU|MIU|million)",
    "MU/m2": r"(?:MU|MIU|million)",
    "Gy": r"(?:Gy|cGy)",
}


class Refs(list):
    """Arm references (start, end, arm index) in text order, with a range lookup."""

    def __init__(self, refs):
        super().__init__(sorted(refs))
        self.starts = [s for s, _e, _k in self]

    def between(self, a: int, b: int) -> list[tuple[int, int, int]]:
        """The references that start in [a, b)."""
        return self[bisect.bisect_left(self.starts, a) : bisect.bisect_left(self.starts, b)]


def arm_references(doc: Doc, arms: list[Arm]) -> Refs:
    """Places after the arms' definitions that name one arm: a dose or a drug only it received.
    (start, end, index of the arm in ``arms``)."""
    text = doc.text
    defined_end = max(a.end for a in arms)
    windows = [(a.start, a.end) for a in arms]
    refs: list[tuple[int, int, int]] = []
    # a dose phrase names the arm whose dose it states once read ('50 mg twice daily' is 100 mg/d, not
    # the 50-mg/d arm); a bare amount ('the 800-mg arm') names the arm of that amount per day, else the
    # one arm that takes it twice a day ('the 300-mg dose' of '300 mg twice daily'); never two arms
    keys = []
    for k, a in enumerate(arms):
        other_doses = {(d[1], d[2]) for j, b in enumerate(arms) if j != k for d in b.doses}
        other_totals = {t for j, b in enumerate(arms) if j != k for t in b.totals}
        keys.append(
            {(d[1], d[2]) for d in a.doses if (d[1], d[2]) not in other_doses}
            | {(t, "Gy") for t in a.totals if t not in other_totals}
        )
    drugs_of = [{d[0] for d in a.doses} | set(a.terms) for a in arms]
    arm_drugs = set().union(*drugs_of) if drugs_of else set()
    for dose in stated_doses(doc, defined_end, len(text)):
        bare = not re.match(
            r"\s*(?:twice|three|/|per|a\s+day|daily|qd|bid|b\.i\.d|once)", text[dose.end : dose.end + 12], I
        )
        said = {(v, u) for v, u in dose.values} | {
            (v, u + "/d") for v, u in dose.values if bare and not u.endswith("/d")
        }
        # the drug the sentence names before the dose, if any: '... for nilotinib (80% for the 300-mg dose
        # ...'
        before = [
            mm.term
            for mm in doc.mentions_in(doc.sentence_of(dose.start)[0], dose.start)
            if mm.term in arm_drugs
        ]
        candidates = [k for k in range(len(arms)) if not before or before[-1] in drugs_of[k]]
        named = [k for k in candidates if said & keys[k]]
        if not named and bare:
            twice = {(2 * v, u + "/d") for v, u in dose.values if not u.endswith("/d")}
            named = [k for k in candidates if twice & keys[k]]
        if len(named) == 1:
            refs.append((dose.start, dose.end, named[0]))
    for k, a in enumerate(arms):
        other_terms = {t for j, b in enumerate(arms) if j != k for t in b.terms}
        own = [t for t in a.terms if t not in other_terms]
        for m in doc.mentions:
            if m.term in own and m.start >= defined_end and not any(s <= m.start < e for s, e in windows):
                refs.append((m.start, m.end, k))
    # 'the combination-therapy group' when one arm alone combines drugs ('imatinib ... or interferon plus
    # cytarabine'); the subset case ('X alone' / 'X plus Y') follows
    combined = [k for k, a in enumerate(arms) if len(a.terms) > 1]
    if len(combined) == 1 and not any(set(a.terms) < set(arms[combined[0]].terms) for a in arms if a.terms):
        for hit in _COMBINATION_GROUP.finditer(text, defined_end):
            refs.append((hit.start(), hit.end(), combined[0]))
    # an arm whose drugs are all given in another, larger one: 'X alone' / 'X monotherapy' names the
    # smaller, 'X plus Y' / 'the combination' the larger ('higher with X plus Y (40%) than with X alone
    # (21%)')
    for k, a in enumerate(arms):
        for j, b in enumerate(arms):
            if j != k and a.terms and set(a.terms) < set(b.terms):
                for hit in re.finditer(
                    r"\b(?:alone|monotherapy|only|single[- ]agent)\b", text[defined_end:], I
                ):
                    at = defined_end + hit.start()
                    near = [x for x in doc.mentions_in(max(defined_end, at - 40), at) if x.term in a.terms]
                    if near and not re.search(r"[;,()]|\d", text[near[-1].end : at]):
                        refs.append((near[-1].start, defined_end + hit.end(), k))
                # 'the combination group / arm' with no drug named: the larger arm
                for hit in re.finditer(_COMBINATION_GROUP, text[defined_end:]):
                    refs.append((defined_end + hit.start(), defined_end + hit.end(), j))
                for hit in re.finditer(r"\b(?:plus|combination|combined|\+|and)\b", text[defined_end:], I):
                    at = defined_end + hit.start()
                    left = [x for x in doc.mentions_in(max(defined_end, at - 30), at) if x.term in b.terms]
                    right = [
                        x for x in doc.mentions_in(at, at + 40) if x.term in b.terms and x.term not in a.terms
                    ]
                    if left and right and not re.search(r"[;,()]|\d", text[left[-1].end : right[0].start]):
                        refs.append((left[-1].start, right[0].end, j))
    # a drug of both arms named inside a longer reference is not a reference of its own
    kept: list[tuple[int, int, int]] = []
    reach, reach_span = -1, None
    for s, e, k in sorted(refs, key=lambda x: (x[0], -x[1])):
        if e <= reach and (s, e) != reach_span:
            continue
        kept.append((s, e, k))
        if e > reach:
            reach, reach_span = e, (s, e)
    refs = kept
    # arms of one drug at two doses: 'the high-dose arm' is the higher, 'the standard-dose arm' the lower
    per_arm = [{(d[1], d[2]) for d in a.doses} for a in arms]
    if (
        len(arms) == 2
        and len({tuple(sorted(a.terms)) for a in arms}) == 1
        and all(len(p) == 1 for p in per_arm)
    ):
        (v0, u0), (v1, u1) = next(iter(per_arm[0])), next(iter(per_arm[1]))
        if u0 == u1 and v0 != v1:
            high, low = (0, 1) if v0 > v1 else (1, 0)
            for hit in re.finditer(
                r"\b(?P<w>high(?:er)?|increased|escalated|low(?:er)?|standard|conventional|usual)[- ]dose\b",
                text[defined_end:],
                I,
            ):
                k = high if hit.group("w").lower() in ("high", "higher", "increased", "escalated") else low
                refs.append((defined_end + hit.start(), defined_end + hit.end(), k))
    # labels: "in arms A, B and C, respectively", "arm B"
    labels = {a.label: k for k, a in enumerate(arms) if a.label}
    if len(labels) == len(arms):
        for hit in _LABEL_REF.finditer(text, defined_end):
            for lm in re.finditer(_LABEL, hit.group("ls")):
                if lm.group() in labels:
                    refs.append(
                        (hit.start("ls") + lm.start(), hit.start("ls") + lm.end(), labels[lm.group()])
                    )
    return Refs(refs)


_COMBINATION_GROUP = re.compile(
    r"\b(?:the\s+)?combination(?:[- ](?:therapy|treatment|regimen))?\s+(?:group|arm|cohort)\b"
    # 'in 24 patients with the combination': the arm, where no 'of' or 'with' follows
    r"|(?<=\bwith\s)the\s+combination\b(?!\s+(?:of|with)\b)",
    I,
)
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


def apply_arms(doc: Doc, cohorts: list[r.Cohort], arms: list[Arm], treatments: list[r.Treatment]) -> None:
    """Give each arm its treatments and doses; a population that turned out to be an arm hands its
    role over to a population without a stated size."""
    by_term = {t.term: t for t in treatments if t.role == "intervention"}
    for a in arms:
        c = cohorts[a.cohort]
        for term in a.terms:
            # the evidence: where the arm's definition names the drug, else the first mention of it
            here = next((m for m in doc.mentions_in(a.start, a.end) if m.term == term), None)
            base = by_term.get(term)
            span = r.Span(here.start, here.end) if here else base.span if base else r.Span(a.start, a.end)
            t = r.Treatment(term, "intervention", span)
            for dterm, value, unit, dspan in a.doses:
                if dterm == term and not any(d.value == value and d.unit == unit for d in t.doses):
                    t.doses.append(r.Dose(value, unit, dspan))
            c.treatments.append(t)
    if any(cohorts[a.cohort].role == "population" for a in arms):
        pop = 0  # find_cohorts and add_demographics put the population first
        old = cohorts[pop]
        cohorts[pop] = r.Cohort(
            "arm", old.size, old.span, old.evaluable, description=old.description, treatments=old.treatments
        )
        new = r.Cohort(
            "population",
            None,
            old.span,
            None,
            old.female,
            old.male,
            old.age_statistic,
            old.age_value,
            old.age_sd,
            old.age_min,
            old.age_max,
            "all arms",
            list(old.extra_spans),
        )
        cohorts.insert(0, new)
        # every cohort moves one place down
        for a in arms:
            a.cohort += 1


_EVALUABLE_GROUP = re.compile(
    r"\b(?:of|among|in)\s+(?:the\s+|all\s+|these\s+)?(?:evaluable|assessable)\s+(?:patients|cases|subjects)\b",
    re.I,
)


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


def assign_denominators(doc: Doc, cohorts: list[r.Cohort], outcomes: list[r.Outcome]) -> None:
    """'Of eight patients ..., partial remission was achieved in three and minor response in five': the
    group a sentence opens with is the denominator of its counts. 'Among evaluable patients, 40 (80%)
    achieved CCyR': the evaluable count the sentence refers to is."""
    for o in outcomes:
        if o.denominator is not None or o.count is None:
            continue
        s, _e = doc.sentence_of(o.span.start)
        n = fronted_group(doc.text, s, o.span.start)
        if n and o.count <= n and (o.percent is None or abs(100 * o.count / n - o.percent) <= 1.0):
            o.denominator = int(n)
    evaluable = next((c.evaluable for c in cohorts if c.role == "population" and c.evaluable), None)
    if evaluable is None:
        return
    for o in outcomes:
        if o.denominator is not None or o.count is None or o.count > evaluable:
            continue
        s, _e = doc.sentence_of(o.span.start)
        if _EVALUABLE_GROUP.search(doc.text, s, o.span.start):
            o.denominator = evaluable


_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|with\s+or\s+without)\b", re.I)
_ALTERNATIVES = re.compile(r"\b(?:treated\s+with|received|receiving|on)\s+(?:either\s+)?$", re.I)
_AE_LEAD = re.compile(
    r"\b(?:adverse\s+events|AEs|toxicit(?:y|ies)|side\s+effects)\b[^.;:]{0,80}?\b(?:associated\s+with|with|of|in|among)\s+"
    r"[^.;:]{0,60}?\b(?:include[sd]?|were|was)\b|\b(?:adverse\s+events|AEs)\s+(?:of|with)\s+[^.;:]{0,40}?:",
    re.I,
)


def drug_arms(
    doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment], adverse: list[r.AdverseEvent]
) -> tuple[list[r.Cohort], list[r.AdverseEvent]]:
    """Studies that compare drugs without a design sentence to read arms from (reviews, meta-analyses,
    observational series: 'A has been compared with B', 'risk was increased with A, B and C compared with
    D', 'patients treated with A, B or C'): one arm per compared drug, size not stated. Only adverse
    events are put on them, and only where the sentence ties the event to the drug ('adverse events
    associated with A include ...', 'in A-treated patients', 'increased with A ... compared with D',
    'side effects to A, 83% to B'); figures stay on the population."""
    text = doc.text
    given = {t.term for t in treatments if t.role == "intervention"}
    drugs = [
        m for m in doc.mentions if m.kind == "drug" and m.term in given and not doc.outside_study(m.start)
    ]
    compared: list[str] = []
    for s, e in doc.sents:
        here = [m for m in drugs if s <= m.start < e]
        if len({m.term for m in here}) < 2:
            continue
        for a, b in zip(here, here[1:]):
            between = text[a.end : b.start]
            alternatives = re.fullmatch(r"\s*(?:,|,?\s*or|,?\s*and/or)\s*", between) and _ALTERNATIVES.search(
                text[max(s, here[0].start - 40) : here[0].start]
            )
            if a.term != b.term and (_COMPARED.search(between) or alternatives):
                for t in (a.term, b.term):
                    if t not in compared:
                        compared.append(t)
    if len(compared) < 2:
        return cohorts, adverse
    # the drugs listed with the compared ones in the same sentence ('with A (...), B (...) and C (...)
    # compared with D')
    for s, e in doc.sents:
        here = [m for m in drugs if s <= m.start < e]
        if any(m.term in compared for m in here) and _COMPARED.search(text, s, e):
            for m in here:
                if m.term not in compared:
                    compared.append(m.term)
    arm_of = {}
    new = []
    for term in compared:
        first = next(m for m in drugs if m.term == term)
        c = r.Cohort(
            "arm",
            None,
            r.Span(first.start, first.end),
            description=f"patients given {text[first.start : first.end]}",
        )
        c.treatments.append(r.Treatment(term, "intervention", r.Span(first.start, first.end)))
        new.append(c)
    if not any(c.role == "population" for c in cohorts):
        cohorts = [r.Cohort("population", None, new[0].span, description="all arms")] + cohorts
    base = len(cohorts)
    cohorts = cohorts + new
    for k, term in enumerate(compared):
        arm_of[term] = base + k
    title_end = doc.sents[0][1] if doc.sents else 0
    mentions_of: dict[str, list] = {}
    for m in doc.mentions:
        if m.kind == "adverse_event" and m.start >= title_end and not doc.outside_study(m.start):
            mentions_of.setdefault(m.term, []).append(m)
    out: list[r.AdverseEvent] = []
    for event in adverse:
        named: list[str] = []
        for am in mentions_of.get(event.term, ()):
            for term in _tied_drugs(doc, am, arm_of):
                if term not in named:
                    named.append(term)
        if not named:
            out.append(event)
        for term in named:
            out.append(r.AdverseEvent(event.term, event.span, event.grade, event.count, cohort=arm_of[term]))
    return cohorts, out


def _tied_drugs(doc: Doc, am, arm_of: dict[str, int]) -> list[str]:
    """The compared drugs one adverse-event mention is tied to by its sentence."""
    text = doc.text
    s, e = doc.sentence_of(am.start)
    # 'Common adverse events associated with A include diarrhea, ...', 'Grade 3 and 4 adverse events
    # reported in at least 5% of A-treated patients include ...': every event the lead lists
    lead = None
    for lm in _AE_LEAD.finditer(text, s, am.start):
        lead = lm
    if lead is not None:
        drugs = {m.term for m in doc.mentions_in(lead.start(), lead.end()) if m.term in arm_of}
        return sorted(drugs) if len(drugs) == 1 else []
    # 'risk of X was increased with A (...), B (...) and C (...) compared with D', 'X to A, 83% to B'
    stop = _COMPARED.search(text, am.end, e)
    named: list[str] = []
    for m in doc.mentions_in(am.end, stop.start() if stop else e):
        if m.term not in arm_of or m.term in named:
            continue
        gap = text[max(am.end, m.start - 12) : m.start]
        tie = re.search(r"\b(?:with|to)\s+(?:the\s+)?$", gap, re.I)
        if tie or (named and re.search(r"(?:[,)]\s*(?:and\s+)?|\band\s+|\bto\s+)$", gap, re.I)):
            named.append(m.term)
        elif not named:
            break
    return named


def settle_population(doc: Doc, cohorts: list[r.Cohort]) -> list[r.Cohort]:
    """The whole and its parts: a group whose size is the sum of the arms stated after it in the same
    or the next sentence ('532 pts ... with either A (n = 266) or B (n = 266)') is the population,
    not one more arm; arms without any population get one (size not stated), so that every arm
    hangs from its study."""
    pops = [c for c in cohorts if c.role == "population"]
    arms = [c for c in cohorts if c.role == "arm" and c.size]
    for c in arms:
        s = doc.sentence_of(c.span.start)[0]
        e = doc.sentence_of(doc.sentence_of(c.span.start)[1])[1]
        parts = [x.size for x in arms if x is not c and c.span.end <= x.span.start < e]
        if (
            len(parts) >= 2
            and sum(p or 0 for p in parts) == c.size
            and s <= c.span.start
            and (not pops or all(p.size in (None, c.size) for p in pops))
        ):
            c.role = "population"
            cohorts = [c] + [x for x in cohorts if x is not c and x.role != "population"]
            return cohorts
    if len(arms) == 1 and not pops:  # one group is the study's population, not an arm of it
        arms[0].role = "population"
        cohorts = [arms[0]] + [x for x in cohorts if x is not arms[0]]
    elif arms and not pops:
        first = arms[0]
        cohorts = [r.Cohort("population", None, first.span, description="all arms")] + cohorts
    return cohorts


def scope(
    doc: Doc,
    cohorts: list[r.Cohort],
    treatments: list[r.Treatment],
    outcomes: list[r.Outcome],
    adverse: list[r.AdverseEvent],
) -> tuple[list[r.Cohort], list[r.AdverseEvent]]:
    """Arms, time points and denominators of one abstract's figures (in place where it can)."""
    assign_time_points(doc, outcomes)
    assign_denominators(doc, cohorts, outcomes)
    cohorts = settle_population(doc, cohorts + arm_continuations(doc, cohorts))
    # the allocation of a randomised design names the arms best; else the groups sized next to a treatment
    extra = design_arms(doc, cohorts, treatments)
    arms = [] if extra else find_arms(doc, cohorts, treatments)
    if arms:
        apply_arms(doc, cohorts, arms, treatments)
    else:
        if not extra:
            return drug_arms(doc, cohorts, treatments, adverse)
        sizes = {c.size for c in extra if c.size}
        inside = lambda c: any(x.span.start <= c.span.start < x.span.end for x in extra)  # noqa: E731
        for c in cohorts:  # a 'population' that is the size of one option is that arm, not the whole
            if c.role == "population" and c.size in sizes and inside(c):
                c.size, c.description = None, "all arms"
        cohorts = settle_population(
            doc, [c for c in cohorts if not (c.role == "arm" and (c.size in sizes or inside(c)))] + extra
        )
        arms = [
            Arm(
                cohorts.index(c),
                c.span.start,
                c.span.end,
                [t.term for t in c.treatments],
                [(t.term, d.value, d.unit, d.span) for t in c.treatments for d in t.doses],
            )
            for c in extra
        ]
    refs = arm_references(doc, arms)
    adverse = attribute(doc, cohorts, arms, outcomes, adverse, refs)
    added = per_arm_lists(doc, arms, outcomes, refs)
    added += gapped_figures(
        doc, arms, outcomes + added, refs, {k: cohorts[a.cohort].size for k, a in enumerate(arms)}
    )
    # figures read here after the time points were: those without their own take the one that heads them
    assign_time_points(doc, [o for o in added if o.time_months is None])
    outcomes.extend(added)
    return cohorts, adverse
