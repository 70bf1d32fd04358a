"""The arms of a study's design and the groups it states (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import number_pattern, stated_doses
from cmlkg.extract.relations import fronted_group
from cmlkg.extract.relations.grammar import DOSE_RAISED
from cmlkg.textutil import NUM, parse_number

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


# ------------------------------------------------------------------ arms
_ARM_CONTINUED = re.compile(
    rf"(?:\band|,|;|\bwhile|\bwhereas)\s+(?P<n>{NUM})\s+(?:(?:were|was)\s+)?(?:(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+)?"
    r"(?:to|received|receiving|with|on)\b",
    I,
)

# '194 received hydroxyurea and 186 busulfan': the verb elided before the second drug
_ARM_GAPPED = re.compile(rf"(?:\band|,)\s+(?P<n>{NUM})\s+(?=[A-Za-z])", I)

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
        gapped = [
            g
            for g in _ARM_GAPPED.finditer(text, c.span.end, e)
            if any(x.kind == "drug" for x in doc.mentions_starting(g.end(), g.end() + 1))
        ]
        continued = [
            m
            for m in _ARM_CONTINUED.finditer(text, c.span.end, e)
            # ('(and 51 with Ph+ ALL)': with a disease, not a treatment)
            if not m.group(0).endswith("with") or doc.mentions_in(m.end(), m.end() + 30, "drug")
        ]
        for m in [*continued, *gapped]:
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

# ('arm A', 'group 2'; and the arm's role: '(experimental arm, n = 150)', '(control arm, n = 150)')
_ROLES = r"[Ee]xperimental|[Ii]nvestigational|[Cc]ontrol|[Ss]tandard|[Cc]omparator"
_ARM_LABEL = re.compile(
    rf"\b(?:(?:[Aa]rm|[Gg]roup|[Cc]ohort)\s+(?P<l>{_LABEL})|(?P<role>{_ROLES})\s+(?:arm|group))\b"
)


_SAME_ROLE = {"investigational": "experimental", "standard": "control", "comparator": "control"}


def label_of(m: re.Match) -> str:
    """The label an arm-label match names ('A', '2', 'control'; 'the standard arm' is the control arm)."""
    if m.group("l"):
        return m.group("l")
    role = m.group("role").lower()
    return _SAME_ROLE.get(role, role)


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
    # "(flumatinib 600 mg QD, n = 196; imatinib 400 mg QD, n = 198)": each size after what its arm got
    outer = next(((ps, pe) for ps, pe in doc.parens if ps < c.span.start and c.span.end <= pe), None)
    if outer is not None and re.match(r"\s*[,;]\s*n\s*=", doc.text[c.span.start - 1 : c.span.end]):
        start = max(
            [outer[0] + 1, *(p + 1 for p in (doc.text.rfind(";", outer[0], c.span.start),) if p >= 0)]
        )
        # ('(45 mg, n = 94; 30 mg, n = 95)': a dose alone names the arm too)
        if any(x.kind == "drug" for x in doc.mentions_in(start, c.span.start)) or stated_doses(
            doc, start, c.span.start
        ):
            return start, c.span.start
    nxt = next((p for p in same if p > c.span.start), e)
    return c.span.end, min(nxt, c.span.end + 200)


def find_arms(doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment]) -> list[Arm]:
    """The cohorts that the study compares by treatment, with what each received."""
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
        arm = _arm(doc, k, c, start, end, given, radiation, treatments)
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
        # 'X alone (n = 179) or combined with Y (n = 181)': what the arm before got, and more
        elif ADDED_TO_THE_ONE_BEFORE.match(doc.text, a.start, a.end):
            a.terms = [*(t for t in prev.terms if t not in a.terms), *a.terms]
    return arms


# an arm that adds to what it leaves unnamed: '... or combined with cytarabine', 'or plus Y'
ADDED_TO_THE_ONE_BEFORE = re.compile(
    r"\s*(?:,\s*)?(?:or|and|versus|vs\.?|to)?\s*(?:combined\s+with|in\s+combination\s+with|plus|"
    r"with\s+the\s+addition\s+of|together\s+with|\+)\s",
    re.I,
)


_CHANGED_TO = re.compile(rf"\b(?:{DOSE_RAISED}|reduced|decreased|switched|changed)\s+(?:\w+\s+)?to\s", re.I)


def _arm(
    doc: Doc,
    k: int,
    c: r.Cohort,
    start: int,
    end: int,
    given: set[str],
    radiation: str | None,
    treatments: list[r.Treatment],
) -> Arm:
    """The arm of cohort ``k`` defined in text[start:end]: its drugs, label, doses and radiation totals."""
    text = doc.text
    # 'on imatinib 400 mg/day had their dose increased to 600 mg (n = 51)': the arm got what follows
    changed = list(_CHANGED_TO.finditer(text, start, end))
    if changed:
        start = changed[-1].end()
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
        arm.label = label_of(labels[-1])
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
        values = dose.values
        if term is None and not dose.radiation:
            term, values = _dose_of_one_drug(dose.values, treatments)
        if term is None:
            continue
        for value, unit in values:
            arm.doses.append((term, value, unit, r.Span(dose.start, dose.end)))
        if term not in arm.terms:
            arm.terms.append(term)
    if radiation is not None:
        _radiation_totals(doc, arm, radiation)
    return arm


def _dose_of_one_drug(
    values: list[tuple[float, str]], treatments: list[r.Treatment]
) -> tuple[str | None, list[tuple[float, str]]]:
    """'283 patients were randomized (45 mg, n = 94; 30 mg, n = 95; ...)': an amount named without its drug
    is the dose of the one study drug stated at that amount ('ponatinib 45 mg, 30 mg or 15 mg once
    daily'), on that drug's schedule; None when no drug or several are."""
    found = {
        (t.term, d.value, d.unit)
        for t in treatments
        if t.role == "intervention"
        for d in t.doses
        for value, unit in values
        if d.value == value and (d.unit == unit or d.unit == unit + "/d")
    }
    if len({term for term, _v, _u in found}) != 1:
        return None, values
    return next(iter(found))[0], sorted((v, u) for _t, v, u in found)


def _radiation_totals(doc: Doc, arm: Arm, radiation: str) -> None:
    """'6 x 2 Gy': the arm's total radiation dose; a dose of the arm where the text states it ('the
    12.0 Gy group')."""
    text = doc.text
    for fm in _FRACTIONS.finditer(text, arm.start, arm.end):
        v, n = parse_number(fm.group("v")), parse_number(fm.group("n"))
        if v is not None and n is not None:
            total = round(v * n, 4)
            arm.totals.append(total)
            stated = re.search(number_pattern(total) + r"\s*-?\s*Gy\b", text)
            if stated:
                arm.doses.append((radiation, total, "Gy", r.Span(stated.start(), stated.end())))


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


_OF_WHOM_BEFORE = re.compile(r"\b(?:of|among)\s+(?:whom|them|these|those)\b[^.;]*$", re.I)


def assign_denominators(doc: Doc, cohorts: list[r.Cohort], outcomes: list[r.Outcome]) -> None:
    """'Of eight patients ..., partial remission was achieved in three and minor response in five': the
    group a sentence opens with is the denominator of its counts. 'Among evaluable patients, 40 (80%)
    achieved CCyR': the evaluable count the sentence refers to is."""
    for o in outcomes:
        if o.denominator is not None or o.count is None:
            continue
        s, _e = doc.sentence_of(o.span.start)
        # ('Of 80 patients, 70 achieved CCyR, of whom 52 achieved MMR': 52 is out of the 70, not the 80)
        if _OF_WHOM_BEFORE.search(doc.text, max(s, o.span.start - 150), o.span.start):
            continue
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
