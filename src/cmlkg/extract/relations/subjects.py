"""The people studied: sex and age of the population, and individual patients of case reports and series."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, PCT
from cmlkg.extract.relations.grammar import I
from cmlkg.textutil import NUM, as_int, parse_number

_EVALUABLE = [
    re.compile(
        rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,2}}?(?:{PATIENT_NOUN}\s+)?(?:are|were|was|being)\s+(?:\w+\s+)?(?:evaluable|assessable)",
        I,
    ),
    # "Efficacy (41 evaluable pts/44)": 41 evaluable of 44; but not "147 evaluable pts/158 (93%) were in
    # CHR": 147 of the 158 evaluable reached it
    re.compile(
        rf"(?<![\w.])(?P<n>{NUM})\s+(?:evaluable|assessable)\b"
        rf"(?!\s*(?:{PATIENT_NOUN}\s*)?(?:/|over\b|of\b|out\s+of\b)\s*\d+\s*"
        r"(?:\(\s*\d+(?:\.\d+)?\s*%|(?:were|was|achieved|attained|had|in)\b))",
        I,
    ),
    re.compile(r"\b(?:evaluable|assessable)(?:\s+for\s+\w+)?\s*[(\[,]\s*n\s*=\s*(?P<n>\d+)", I),
    re.compile(
        rf"\b(?:evaluable|assessable)\s+(?:for\s+(?:\w+\s+){{0,2}})?in\s+(?P<n>{NUM})\s+{PATIENT_NOUN}", I
    ),
    re.compile(
        rf"\b(?:response|responses|efficacy)\s+(?:(?:assessment|evaluation)\s+was\s+(?:available|possible|performed)\s+(?:for|in)"
        rf"|(?:was|were|could\s+be)\s+(?:evaluated|assessed|evaluable)\s+in)\s+(?P<n>{NUM})\b",
        I,
    ),
]
_SEX = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*\d+(?:\.\d+)?{PCT}\s*\)\s*)?"
    rf"(?:(?:(?:of\s+(?:them|these|the\s+{PATIENT_NOUN})|{PATIENT_NOUN})\s+)?(?:were|are|was|is)\s+)?"
    rf"(?P<sex>females?|women|males?|men|girls|boys)\b",
    I,
)
_SEX_RATIO = re.compile(
    r"\b(?P<a>M|F|male|female)\s*(?P<sep>[/:])\s*(?P<b>M|F|male|female)(?:\s+ratio)?\s*(?:[:=]|was|of)?\s*"
    r"(?P<x>\d+)\s*(?P=sep)\s*(?P<y>\d+)(?![.\d])",
    I,
)
# '29 M/23 F', '29M/23F': each count with its sex letter
_SEX_PAIR = re.compile(r"(?<![\w.])(?P<x>\d+)\s*(?P<a>[MF])\s*[/,;]\s*(?P<y>\d+)\s*(?P<b>[MF])(?![\w])")
_AGE_STAT = re.compile(
    rf"\b(?P<stat>median|mean|average)\s+(?:\(?(?:±|\+/-|\+)?\s*(?:SD|s\.d\.|standard\s+deviation)\)?\s+)?(?:of\s+)?age"
    # ('mean age ± SD, 45 ± 12 years')
    rf"(?:\s*\(?(?:±|\+/-)\s*(?:SD|s\.d\.)\)?)?"
    rf"(?:\s+at\s+(?:diagnosis|entry|enrolment|enrollment|inclusion|study\s+entry|transplant(?:ation)?|start))?"
    rf"(?:\s*(?:was|of|:|,|=|is|were))?\s*(?P<v>{NUM})\s*(?:years|yrs|y|years\s+old)?"
    rf"(?:\s*(?:±|\+/-|\+|\(\s*SD\s*)\s*(?P<sd>\d+(?:\.\d+)?)\s*\)?(?:\s*(?:years|yrs|y))?)?"
    rf"(?:\.?\s*[,;(\[]?\s*(?:range|range:|rank|ranging\s+from|from)?\s*,?\s*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?))?",
    I,
)
_AGE_RANGE_FIRST = re.compile(
    # ('aged 20-69 (median 45)', 'whose ages ranged from 18 to 82 years (median 55)')
    r"\b(?:aged?|ages?\s+(?:ranged|ranging)\s+from|age\s+range\s*[:,]?)\s*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)\s*"
    r"(?:years|yrs|y)?\s*[(,;]\s*(?:with\s+a\s+)?(?P<stat>median|mean)\s*(?:age\s*)?,?\s*(?:of\s+)?(?P<v>\d+(?:\.\d+)?)",
    I,
)
_SEX_WORD = r"(?:female|male|woman|man|girl|boy|lady|gentleman|brother|sister|son|daughter|mother|father)"
_PATIENT = re.compile(
    rf"(?<![\w.])(?P<age>\d{{1,3}}|{NUM})(?:[- ](?:year|yr)s?[- ]old|\s*(?:y/o|y\.o\.|yo)\b)"
    r"\s+(?:(?:\w+)\s+){0,2}?"
    # ('her 50-year-old brother': a relative of a patient described is a patient too)
    rf"(?P<sex>{_SEX_WORD})\b"
    # ('a woman aged 34 years', 'a man, aged 60,')
    rf"|\b(?:an?|the)\s+(?:\w+\s+)?(?P<sex2>{_SEX_WORD}),?\s+aged\s+(?P<age2>\d{{1,3}})\b",
    I,
)


_FEMALE_WORDS = ("female", "woman", "girl", "lady", "sister", "daughter", "mother")


def add_demographics(doc: Doc, cohorts: list[r.Cohort]) -> None:
    """Evaluable count, sex and age of the population (or of the arm named just before them). A text
    that states them without a population size gets a population of unstated size."""
    added = not cohorts
    if added:
        cohorts.append(r.Cohort("population", None, r.Span(0, 0), description="size not stated"))

    def owner(pos: int) -> r.Cohort:
        """The cohort mentioned last before pos in the same sentence, else the population."""
        s, _ = doc.sentence_of(pos)
        best = None
        for c in cohorts:
            if s <= c.span.start <= pos and c.role != "subgroup":
                best = c if best is None or c.span.start > best.span.start else best
        return best or cohorts[0]

    _add_evaluable(doc, cohorts[0])
    _add_sexes(doc, owner)
    for c in cohorts:
        if c.size is not None:
            # (the other sex by subtraction; none when all are of one: '4 women' states no count of men)
            if c.female is not None and c.male is None and c.female < c.size:
                c.male = c.size - c.female
            elif c.male is not None and c.female is None and c.male < c.size:
                c.female = c.size - c.male
    _add_ages(doc, owner)
    if added:
        if not cohorts[0].extra_spans:
            cohorts.clear()
        else:
            cohorts[0].span = cohorts[0].extra_spans.pop(0)


_NOT_EVALUABLE = re.compile(r"\bnot\s+(?:\w+\s+)?evaluable|\bnon-?evaluable|\bun-?evaluable", I)
# not "not evaluable"; not a denominator ("47 pts over 157 assessable", "21 of 30 evaluable patients")
_NOT_BEFORE = re.compile(r"\b(?:not|non|over|of)\s*$|/\s*$", I)
_AGE_BEFORE = re.compile(r"(?:year[- ]old|aged?)\s*$", I)


def _add_evaluable(doc: Doc, pop: r.Cohort) -> None:
    """'36 were evaluable', 'evaluable (n = 36)': the population's evaluable count, the first stated."""
    text = doc.text
    for pat in (
        _EVALUABLE
        if doc.has("evaluable", "assessable", "assessed", "evaluated", "assessment", "evaluation")
        else ()
    ):
        for m in pat.finditer(text):
            if _NOT_EVALUABLE.search(text[m.start() : m.end() + 3]) or _NOT_BEFORE.search(
                text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            n = as_int(parse_number(m.group("n")))
            if n is not None and pop.evaluable is None:
                pop.evaluable = n
                pop.extra_spans.append(r.Span(m.start(), m.end()))


def _add_sexes(doc: Doc, owner) -> None:
    """'21 women and 19 men', 'M/F 21/19': the counts of each sex, on the cohort named before them."""
    text = doc.text
    for m in _SEX.finditer(text) if doc.has("male", "men", "girls", "boys") else ():
        n = as_int(parse_number(m.group("n")))
        if n is None or _AGE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        c = owner(m.start())
        female = m.group("sex").lower().startswith(("f", "w", "g"))
        if female and c.female is None:
            c.female = n
        elif not female and c.male is None:
            c.male = n
        else:
            continue
        c.extra_spans.append(r.Span(m.start(), m.end()))
    for m in _SEX_RATIO.finditer(text) if "/" in text or ":" in text else ():
        a_f = m.group("a").lower().startswith("f")
        x, y = int(m.group("x")), int(m.group("y"))
        c = owner(m.start())
        # 'M:F 48:32' counts the patients; 'M:F ratio 3:1' does not
        if m.group("sep") == ":" and (c.size is None or x + y != c.size):
            continue
        if c.female is None and c.male is None:
            c.female, c.male = (x, y) if a_f else (y, x)
            c.extra_spans.append(r.Span(m.start(), m.end()))
    for m in _SEX_PAIR.finditer(text) if "/" in text else ():
        if m.group("a") == m.group("b"):
            continue
        x, y = int(m.group("x")), int(m.group("y"))
        c = owner(m.start())
        if c.female is None and c.male is None:
            c.female, c.male = (x, y) if m.group("a") == "F" else (y, x)
            c.extra_spans.append(r.Span(m.start(), m.end()))


def _add_ages(doc: Doc, owner) -> None:
    """'median age 54 years (range, 18-80)': the age statistic of the cohort named before it."""
    text = doc.text
    for m in [*_AGE_STAT.finditer(text), *_AGE_RANGE_FIRST.finditer(text)] if doc.has("age") else ():
        c = owner(m.start())
        if c.age_statistic is not None:
            continue
        value = parse_number(m.group("v"))
        if value is None or value > 120:
            continue
        c.age_statistic = "mean" if m.group("stat").lower() in ("mean", "average") else "median"
        c.age_value = value
        if m.groupdict().get("sd"):
            c.age_sd = float(m.group("sd"))
        if m.group("lo") and m.group("hi"):
            c.age_min, c.age_max = float(m.group("lo")), float(m.group("hi"))
        c.extra_spans.append(r.Span(m.start(), m.end()))


# "(sex/age: F/39, M/54)", "(age/sex: 39/F, 54/M)": each patient of a small series, compactly
_SEX_AGE_LIST = re.compile(
    r"\b(?P<order>sex/age|age/sex|gender/age|age/gender)\s*[:=]?\s*"
    r"(?P<items>(?:[MF]\s*/\s*\d{1,3}|\d{1,3}\s*/\s*[MF])(?:\s*(?:,|;|and)\s*(?:[MF]\s*/\s*\d{1,3}|\d{1,3}\s*/\s*[MF]))*)",
    I,
)


def find_patients(doc: Doc) -> list[r.Patient]:
    out = []
    for m in _PATIENT.finditer(doc.text) if doc.has("old", "aged", "y/o", "yo", "y.o") else ():
        age = parse_number(m.group("age") or m.group("age2"))
        if age is None or age > 120:
            continue
        sex = "female" if (m.group("sex") or m.group("sex2")).lower() in _FEMALE_WORDS else "male"
        out.append(r.Patient(age, sex, r.Span(m.start(), m.end())))
    for m in _SEX_AGE_LIST.finditer(doc.text) if doc.has("sex", "gender") else ():
        for item in re.finditer(
            r"(?:(?P<s1>[MF])\s*/\s*(?P<a1>\d{1,3})|(?P<a2>\d{1,3})\s*/\s*(?P<s2>[MF]))", m.group("items"), I
        ):
            age = int(item.group("a1") or item.group("a2"))
            sex = "female" if (item.group("s1") or item.group("s2")).upper() == "F" else "male"
            if age <= 120:
                start = m.start("items") + item.start()
                out.append(r.Patient(age, sex, r.Span(start, m.start("items") + item.end())))
    return out
