"""Stage 3, relations: which quantity measures which term, within a clause. Cohorts and demographics,
treatments and doses, outcomes, adverse events, treatment reasons and risk groups."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc, Mention, clause_bounds, in_any, resolve_overlaps
from cmlkg.extract.quantities import (
    ADJ,
    PATIENT_NOUN,
    UNIT_AFTER,
    Value,
    skip_parens,
    stated_doses,
    values_after,
)
from cmlkg.textutil import NUM, as_int, parse_number

I = re.IGNORECASE

ENROL_VERB = (
    r"(?:(?:were|was|have\s+been|had\s+been|are|being)\s+)?(?:(?:randomly|prospectively|retrospectively|consecutively)\s+)?"
    r"(?:randomi[sz]ed|assigned|allocated|enrolled|included|treated|studied|recruited|entered|registered|"
    r"analy[sz]ed|evaluated|reviewed|received|receiving|given|underwent|undergoing|transplanted|autografted|"
    r"grafted|to\s+be\s+treated|participated|identified|accrued|eligible|surveyed|interviewed|"
    r"(?:replied|responded)\s+to\s+(?:the\s+|a\s+|our\s+)?(?:questionnaire|survey)|"
    r"completed\s+(?:the\s+|a\s+|our\s+)?(?:questionnaire|survey))\b"
)
ENROL_BEFORE = re.compile(
    r"(?:\bwe\s+(?:have\s+)?(?:\w+ly\s+)?(?:treated|enrolled|studied|included|analy[sz]ed|reviewed|report(?:ed)?|describe|present|assigned|allocated|"
    r"evaluated|identified|investigated|followed|randomi[sz]ed)\s+(?:\w+\s+){0,2}|\btotal\s+of\s+|\bin\s+total,?\s+|\bpatients:\s*|"
    r"\bfrom\s+|\bdata\s+(?:of|on|from)\s+|\bseries\s+of\s+|\bcohort\s+of\s+|\bincluded\s+|\benrolled\s+|"
    r"\b(?:given|administered|assigned|allocated|randomi[sz]ed|offered)\b[^.;]{0,50}\bto\s+(?:the\s+|all\s+)?|"
    r"\b(?:trial|study|review|survey|analysis|experience)\b[^.;]{0,90}\b(?:in|of|on|involving|including|among)\s+(?:the\s+|a\s+total\s+of\s+)?)$",
    I,
)
OUTCOME_VERB = (
    r"(?:(?:are|were|is|was|remain(?:ed|s)?)\s+alive\s+(?:and\s+)?in|achieved|attained|obtained|reached|got|gained|regained|re-?achieved|recovered|had|has|have|showed|shown|developed|experienced|were\s+in|are\s+in|"
    r"was\s+in|remain(?:ed|s)?\s+in|maintained|lost|were|was|are|is|became|died|relapsed|progressed|evolved|"
    r"transformed|responded|achieving|having|with|in)"
)
PROGRESSION_VERB = re.compile(
    r"(?:evolved|evolving|evolution|progressed|progressing|progression|transformed|transformation|transition|"
    r"went|going|moved)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$",
    I,
)


# ------------------------------------------------------------------ cohorts and demographics
_COHORT_RE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?P<adj>{ADJ}{{0,4}}){PATIENT_NOUN}\b", I)
_N_EQUALS = re.compile(r"[(\[,;]\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*[)\],;]")
# "178 pts were screened, 170 enrolled and 169 treated": the later steps of a list, their verb without 'were'
_LISTED_ENROL = re.compile(rf"(?:,|\band)\s+(?P<n>{NUM})\s+(?:were\s+)?(?P<verb>enrolled|included|randomi[sz]ed|treated|"
                           r"registered|allocated)\b(?!\s+(?:with|by|in|for)\s+\d)", I)
_BARE_ENROL = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:were|was)\s+(?:randomly\s+)?(?P<verb>randomi[sz]ed|assigned|allocated|enrolled|treated|included)\b", I)
_SCREENED = re.compile(r"\s*(?:were\s+|had\s+been\s+)?(?:screened|assessed\s+for\s+eligibility|evaluated\s+for\s+eligibility|referred|considered)\b", I)
_DEMOGRAPHIC = re.compile(r"\b(?:male|female|men|women|median|mean|aged?|years?|range|M/F|F/M)\b", I)



_NEXT_COHORT = re.compile(rf";|(?<![\w.]){NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}", I)


_PARTICIPATED = re.compile(
    r"\s*(?:(?:invited|contacted|approached|asked|surveyed)\s+)?(?:(?:have|had)\s+)?(?:replied|responded\s+to|returned|completed|participated|took\s+part|agreed|consented)\b", I)
_ENROLLED_AFTER = re.compile(rf"(?:[\w'+\-,()]+\s+){{0,14}}?{ENROL_VERB}", I)
_SEX_NOUN = re.compile(r"\b(?:men|women|males?|females?|boys|girls)\s*$", I)


_FRONTED_ENROLLED = re.compile(
    r"\s*(?:[\w'+\-]+\s+){0,4}?(?:who\s+were\s+|were\s+)?(?:(?:randomly|consecutively)\s+)?"
    r"(?:enrolled|treated|included|randomi[sz]ed|entered|registered|accrued|studied|recruited)\b", I)


def find_cohorts(doc: Doc) -> list[r.Cohort]:
    text = doc.text
    cands: list[tuple[str, int, r.Span, str]] = []  # (role hint, size, span, description)
    for sent in doc.sents:
        s, e = sent
        for m in _COHORT_RE.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            if not n or re.search(r"\bevaluable\b", m.group("adj"), I):
                continue
            if _SEX_NOUN.search(m.group(0)):  # "There were 77 men and 26 women": who the patients were, not a group
                continue
            before = text[max(s, m.start() - 60) : m.start()]
            enrol_before = ENROL_BEFORE.search(text[max(s, m.start() - 130) : m.start()])
            if re.search(r"\b(?:occurred|observed|seen|reported|noted|found|documented|detected|achieved|experienced|developed)\s+in\s*$", before, I):
                continue
            # "Of 40 patients enrolled, 36 were evaluable": a fronted group that the study enrolled
            fronted = bool(re.fullmatch(r"\s*(?:[A-Z]{3,}:?\s+)?(?:Of|Among)\s+(?:the\s+|all\s+)?", text[s : m.start()])
                           and _FRONTED_ENROLLED.match(text, m.end()))
            # "34 out of 70 patients (49%) replied to the questionnaire": those who took part are the cohort
            part = re.search(rf"(?<![\w.])(?P<k>{NUM})\s+(?:out\s+)?of\s+(?:the\s+)?$", before, I)
            if part and _PARTICIPATED.match(text[skip_parens(doc, m.end(), e) : e]):
                k = as_int(parse_number(part.group("k")))
                if k and k < n:
                    start = m.start() - (len(before) - part.start())
                    cands.append(("enrolled", k, r.Span(start, m.end()), text[start : m.end()]))
                    continue
            if not fronted and not enrol_before and re.search(
                r"(?:\bof|%|\bto|\bthan|\bremaining|\bother|\bfirst|\blast|\bthese|-)\s*$", before, I
            ):
                continue
            after_start = skip_parens(doc, m.end(), e)
            after = text[after_start : min(e, after_start + 160)]
            after = _NEXT_COHORT.split(after, maxsplit=1)[0]
            paren_after = text[m.end() : after_start]
            hint = None
            em = _ENROLLED_AFTER.match(after)
            # "... occurred in 9 patients receiving imatinib": a count of events, not a cohort
            bare = em is not None and not re.search(r"\b(?:were|was|been|whose|have|had|are)\b", em.group(0), I)
            in_outcome_sentence = any(o.kind in ("outcome", "adverse_event") for o in doc.mentions_in(s, m.start()))
            # "Progression occurred in 5 patients receiving X (1.9%) and in 9 patients who were receiving Y":
            # patients counted for an event, never a group of the design
            if in_outcome_sentence and re.search(r"\b(?:in|among)\s*$", before, I):
                continue
            if em and not (bare and (re.search(r"\b(?:in|and|among)\s*$", before, I) or in_outcome_sentence)):
                hint = "enrolled"
            if enrol_before or fronted:
                hint = "enrolled"
            # "10 patients in chronic phase (6 male and 4 female, median age ...)"
            window = text[m.end() : min(e, m.end() + 90)]
            first_paren = re.search(r"\(([^()]*)", window)
            if first_paren and _DEMOGRAPHIC.search(first_paren.group(1)) and re.search(r"\d", first_paren.group(1)):
                if not re.search(r"year[- ]old", first_paren.group(1), I):
                    hint = "enrolled"
            if hint is None and paren_after.strip() and re.search(r"\b(?:female|male|women|men)\b", paren_after, I):
                hint = "enrolled"
            # "(51 patients)" right after a dose or a drug: an arm
            if hint is None and text[max(s, m.start() - 1) : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
                prev = text[max(s, m.start() - 40) : m.start()]
                if re.search(r"(?:/d|daily|/day|mg|Gy|U)\s*\($", prev) or any(
                    mm.kind in ("drug", "procedure") and mm.end >= m.start() - 25 for mm in doc.mentions_in(s, m.start())
                ):
                    hint = "arm"
            # "Among 200 patients screened, 150 were enrolled": the screened are not the population
            if hint and _SCREENED.match(text, after_start):
                hint = "screened"
            if hint:
                cands.append((hint, n, r.Span(m.start(), m.end()), text[m.start() : m.end()]))
        for m in _N_EQUALS.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            if n:
                prev = text[max(s, m.start() - 30) : m.start()]
                if re.search(r"%\s*$", prev):
                    continue  # "53% (n = 16)": how many had it, not a group
                role = "subgroup" if re.search(r"(?:resistant|intolerant|refractory|risk|aged?|years|male|female|positive|negative|mutation|[+-])\s*$", prev, I) else "arm"
                cands.append((role, n, r.Span(m.start() + 1, m.end() - 1), text[max(s, m.start() - 30) : m.end()].strip()))
        if _SCREENED.search(text, s, e):  # the first step after screening is the population; later ones are its parts
            m = _LISTED_ENROL.search(text, s, e)
            n = as_int(parse_number(m.group("n"))) if m else None
            if n and not any(c[2].start == m.start("n") for c in cands):
                cands.append(("enrolled", n, r.Span(m.start("n"), m.end()), text[m.start("n") : m.end()]))
        for m in _BARE_ENROL.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            # "DR 100 was assigned", "grade 3 was assigned": a score or level named before it, not patients
            if n and not re.search(r"(?:\b[A-Z]{1,6}|\b(?:grade|score|level|stage|class|category|dose|arm|group))\s*$",
                                   text[max(s, m.start() - 12) : m.start()]):
                role = "enrolled" if m.group("verb").lower() in ("enrolled", "included", "treated") else "arm"
                cands.append((role, n, r.Span(m.start(), m.end()), text[m.start() : m.end()]))
    cands = [c for c in cands if c[0] != "screened"] or cands
    if not cands:
        return []
    enrolled = [c for c in cands if c[0] == "enrolled"] or cands
    main = max(enrolled, key=lambda c: (c[1], -c[2].start))
    cohorts = [r.Cohort("population", main[1], main[2], description=main[3])]
    seen = {main[1]}
    for hint, n, span, desc in sorted(cands, key=lambda c: c[2].start):
        # two arms of one size ('50 mg (n = 150) or 100 mg (n = 150)') are two cohorts
        twin = hint == "arm" and any(
            c.role == "arm" and c.size == n and doc.sentence_of(c.span.start) == doc.sentence_of(span.start) for c in cohorts[1:]
        )
        if n in seen and not twin:
            continue
        seen.add(n)
        cohorts.append(r.Cohort("subgroup" if hint == "subgroup" else "arm", n, span, description=desc))
    return cohorts


# "Six CML patients were found to carry the fusion": a series whose patients were found, not enrolled
# "...was analyzed in 119 patients": a study of a measurement, whose patients were examined, not enrolled
_FOUND_COHORT = (
    re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s+(?:were|was)\s+"
               rf"(?:found|shown|confirmed|diagnosed|detected|seen)\b", I),
    re.compile(rf"\b(?:was|were)\s+(?:\w+ly\s+)?(?:analy[sz]ed|studied|examined|measured|determined|investigated)\s+"
               rf"in\s+(?:a\s+total\s+of\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b", I),
)


def found_population(doc: Doc) -> r.Cohort | None:
    """The population of a study that states no enrolment: the first count of patients 'found',
    'diagnosed' or in whom something 'was analyzed' (used when no enrolled population comes first)."""
    hits = [m for pat in _FOUND_COHORT if (m := pat.search(doc.text))]
    m = min(hits, key=lambda h: h.start()) if hits else None
    n = as_int(parse_number(m.group("n"))) if m else None
    if not n or n < 2:
        return None
    return r.Cohort("population", n, r.Span(m.start(), m.end()))


_EVALUABLE = [
    re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,2}}?(?:{PATIENT_NOUN}\s+)?(?:are|were|was|being)\s+(?:\w+\s+)?(?:evaluable|assessable)", I),
    re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:evaluable|assessable)\b", I),
    re.compile(r"\b(?:evaluable|assessable)(?:\s+for\s+\w+)?\s*[(\[,]\s*n\s*=\s*(?P<n>\d+)", I),
    re.compile(rf"\b(?:evaluable|assessable)\s+(?:for\s+(?:\w+\s+){{0,2}})?in\s+(?P<n>{NUM})\s+{PATIENT_NOUN}", I),
    re.compile(rf"\b(?:response|responses|efficacy)\s+(?:was|were|could\s+be)\s+(?:evaluated|assessed|evaluable)\s+in\s+(?P<n>{NUM})\b", I),
]
_SEX = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?"
    rf"(?:(?:(?:of\s+(?:them|these|the\s+{PATIENT_NOUN})|{PATIENT_NOUN})\s+)?(?:were|are|was|is)\s+)?"
    rf"(?P<sex>females?|women|males?|men|girls|boys)\b",
    I,
)
_SEX_RATIO = re.compile(r"\b(?P<a>M|F|male|female)\s*/\s*(?P<b>M|F|male|female)(?:\s+ratio)?\s*(?:[:=]|was|of)?\s*(?P<x>\d+)\s*/\s*(?P<y>\d+)", I)
_AGE_STAT = re.compile(
    rf"\b(?P<stat>median|mean|average)\s+(?:\(?(?:±|\+/-|\+)?\s*(?:SD|s\.d\.|standard\s+deviation)\)?\s+)?age"
    rf"(?:\s+at\s+(?:diagnosis|entry|enrolment|enrollment|inclusion|study\s+entry|transplant(?:ation)?|start))?"
    rf"(?:\s*(?:was|of|:|,|=|is|were))?\s*(?P<v>{NUM})\s*(?:years|yrs|y|years\s+old)?"
    rf"(?:\s*(?:±|\+/-|\+|\(\s*SD\s*)\s*(?P<sd>\d+(?:\.\d+)?)\s*\)?(?:\s*(?:years|yrs|y))?)?"
    rf"(?:\.?\s*[,;(\[]?\s*(?:range|range:|ranging\s+from|from)?\s*,?\s*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?))?",
    I,
)
_AGE_RANGE_FIRST = re.compile(
    r"\baged?\s+(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?:years|yrs|y)?\s*[(,]\s*(?P<stat>median|mean)\s*,?\s*(?P<v>\d+(?:\.\d+)?)",
    I,
)
_PATIENT = re.compile(
    rf"(?<![\w.])(?P<age>\d{{1,3}}|{NUM})[- ](?:year|yr)s?[- ]old\s+(?:(?:\w+)\s+){{0,2}}?(?P<sex>female|male|woman|man|girl|boy|lady|gentleman)\b",
    I,
)


def add_demographics(doc: Doc, cohorts: list[r.Cohort]) -> None:
    """Evaluable count, sex and age of the population (or of the arm named just before them). A text
    that states them without a population size gets a population of unstated size."""
    text = doc.text
    added = not cohorts
    if added:
        cohorts.append(r.Cohort("population", None, r.Span(0, 0), description="size not stated"))
    pop = cohorts[0]

    def owner(pos: int) -> r.Cohort:
        # the cohort mentioned last before pos in the same sentence, else the population
        s, _ = doc.sentence_of(pos)
        best = None
        for c in cohorts:
            if s <= c.span.start <= pos and c.role != "subgroup":
                best = c if best is None or c.span.start > best.span.start else best
        return best or pop

    for pat in _EVALUABLE if doc.has("evaluable", "assessable", "assessed", "evaluated") else ():
        for m in pat.finditer(text):
            if re.search(r"\bnot\s+(?:\w+\s+)?evaluable|\bnon-?evaluable|\bun-?evaluable", text[m.start() : m.end() + 3], I):
                continue
            if re.search(r"\b(?:not|non)\s*$", text[max(0, m.start() - 6) : m.start()], I):
                continue
            n = as_int(parse_number(m.group("n")))
            if n is not None and pop.evaluable is None:
                pop.evaluable = n
                pop.extra_spans.append(r.Span(m.start(), m.end()))
    for m in _SEX.finditer(text) if doc.has("male", "men", "girls", "boys") else ():
        n = as_int(parse_number(m.group("n")))
        if n is None:
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:year[- ]old|aged?)\s*$", before, I):
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
    for m in _SEX_RATIO.finditer(text) if "/" in text else ():
        a_f = m.group("a").lower().startswith("f")
        x, y = int(m.group("x")), int(m.group("y"))
        c = owner(m.start())
        if c.female is None and c.male is None:
            c.female, c.male = (x, y) if a_f else (y, x)
            c.extra_spans.append(r.Span(m.start(), m.end()))
    for c in cohorts:
        if c.size is not None:
            if c.female is not None and c.male is None and c.female <= c.size:
                c.male = c.size - c.female
            elif c.male is not None and c.female is None and c.male <= c.size:
                c.female = c.size - c.male
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
    if added:
        if not cohorts[0].extra_spans:
            cohorts.clear()
        else:
            cohorts[0].span = cohorts[0].extra_spans.pop(0)


# "(sex/age: F/39, M/54)", "(age/sex: 39/F, 54/M)": each patient of a small series, compactly
_SEX_AGE_LIST = re.compile(r"\b(?P<order>sex/age|age/sex|gender/age|age/gender)\s*[:=]?\s*"
                           r"(?P<items>(?:[MF]\s*/\s*\d{1,3}|\d{1,3}\s*/\s*[MF])(?:\s*(?:,|;|and)\s*(?:[MF]\s*/\s*\d{1,3}|\d{1,3}\s*/\s*[MF]))*)",
                           I)


def find_patients(doc: Doc) -> list[r.Patient]:
    out = []
    for m in _PATIENT.finditer(doc.text) if doc.has("old") else ():
        age = parse_number(m.group("age"))
        if age is None or age > 120:
            continue
        sex = "female" if m.group("sex").lower() in ("female", "woman", "girl", "lady") else "male"
        out.append(r.Patient(age, sex, r.Span(m.start(), m.end())))
    for m in _SEX_AGE_LIST.finditer(doc.text) if doc.has("sex", "gender") else ():
        for item in re.finditer(r"(?:(?P<s1>[MF])\s*/\s*(?P<a1>\d{1,3})|(?P<a2>\d{1,3})\s*/\s*(?P<s2>[MF]))", m.group("items"), I):
            age = int(item.group("a1") or item.group("a2"))
            sex = "female" if (item.group("s1") or item.group("s2")).upper() == "F" else "male"
            if age <= 120:
                start = m.start("items") + item.start()
                out.append(r.Patient(age, sex, r.Span(start, m.start("items") + item.end())))
    return out


# ------------------------------------------------------------------ phases
def find_phases(doc: Doc) -> list[r.Phase]:
    out: dict[str, r.Phase] = {}
    for m in doc.mentions:
        if m.kind != "phase" or doc.negated(m):
            continue
        out.setdefault(m.term, r.Phase(m.term, r.Span(m.start, m.end)))
    return list(out.values())


# ------------------------------------------------------------------ treatments and doses
_PRIOR_BEFORE = re.compile(
    r"(?:pre-?treated|previously\s+treated|previous(?:ly)?|prior|pretreatment\s+with|failure\s+of|failed|failing|"
    r"resistant|resistance|intolerant|intolerance|refractory|relapsed\s+(?:on|after)|after\s+failure\s+of|"
    r"progressed\s+on|history\s+of|after|following|post|"
    r"had\s+(?:previously\s+|already\s+|earlier\s+)?(?:received|been\s+(?:treated|given|exposed))|"
    r"(?:prior|previous|earlier)\s+(?:therapy|therapies|treatments?|agents?|regimens?|drugs?)\s+(?:included|including|were|was|with|"
    r"consisted\s+of|comprised)|"
    r"(?:prior|previous|earlier)\s+(?:therapy|therapies|treatments?|agents?|regimens?|drugs?)\s*[:(])\s+(?:(?:to|with|on|of|the|prior|previous|first-line|frontline|front-line|"
    r"initial|standard|dose|doses|\w+-dose)\s+){0,3}$",
    I,
)
_PRIOR_AFTER = re.compile(
    r"^(?:[-\s]+(?:resistant|resistance|intolerant|intolerance|refractory|failure|pretreated|pre-treated|experienced)|"
    r"\s+(?:with|after)\s+(?:relapse|progression|failure|resistance|intolerance)|\s+failure|"
    r"(?:\s+(?:therapy|treatment))?\s+(?:before|previously|beforehand)\b(?!\s+(?:transplant|BMT|SCT|HSCT|allo)))",
    I,
)



# a general term (TKI, transplantation) counts as treatment only in a sentence that says patients got it
_GIVEN = re.compile(r"\b(?:treated|received|receiving|underwent|undergone|undergoing|given|administered|transplanted|"
                    r"grafted|on\s+(?:therapy|treatment))\b", I)
_BACKGROUND = re.compile(r"\b(?:options?|alternatives?|such\s+as|should|may|might|can|could|recommend\w*|standard\s+of\s+care|"
                         r"guidelines?|future|candidates?)\b", I)


def other_disease_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentences about patients with another disease only ('11 AML patients were treated with
    idarubicin'): in a study of several diseases, what they state is not CML evidence."""
    out = []
    for s, e in doc.sents:
        named = doc.mentions_in(s, e)
        diseases = {m.term for m in named if m.kind == "disease"}
        if diseases and "ChronicMyeloidLeukemia" not in diseases and not any(m.kind == "phase" for m in named):
            out.append((s, e))
    return out


def find_treatments(doc: Doc) -> list[r.Treatment]:
    text = doc.text
    roles: dict[str, set[str]] = {}
    first: dict[str, Mention] = {}
    prev: tuple[Mention, bool] | None = None
    named = {m.term for m in doc.mentions if m.kind in ("drug", "procedure")}
    specific = {a for t in named for a in term_of(doc.vocab, t).ancestors}
    for m in doc.mentions:
        if m.kind not in ("drug", "procedure") or doc.outside_study(m.start):
            continue
        vterm = term_of(doc.vocab, m.term)
        # "transplant" beside "allogeneic transplant", "TKI" beside "imatinib": the specific term says it;
        # a general term stands when the text names nothing more specific ("treated with TKIs", "HSCT")
        if vterm.has_children and m.term != "TotalBodyIrradiation":
            if m.term in specific or vterm.grouping:
                continue
            sent = text[slice(*doc.sentence_of(m.start))]
            if _BACKGROUND.search(sent) or not _GIVEN.search(sent):
                continue
        if doc.negated(m):
            continue
        s, _ = doc.sentence_of(m.start)
        before = text[max(s, m.start - 60) : m.start]
        after = text[m.end : m.end + 30]
        cue = _PRIOR_BEFORE.search(before)
        # "after BMT" dates an event, it does not make the transplant a prior therapy
        if cue and m.kind == "procedure" and re.match(r"(?:after|following|post)\b", cue.group(0), I):
            cue = None
        # "partial remission in three after prednisone/vindesine therapy": the treatment that gave a response
        if cue and re.match(r"(?:after|following|post)\b", cue.group(0), I) and any(
                o.kind == "outcome" and s <= o.start and o.end <= m.start - len(cue.group(0)) for o in doc.mentions
        ) and not re.search(r"\b(?:failure|resistan|intoleran|relapse|progression)", before, I):
            cue = None
        prior = bool(cue or _PRIOR_AFTER.match(after))
        # "resistant or intolerant to dasatinib or nilotinib": a coordinated drug shares the role
        if not prior and prev is not None and prev[1] and re.fullmatch(r"\s*(?:\([^()]*\)\s*)?(?:,|or|and|/|,\s*or|,\s*and)\s*", text[prev[0].end : m.start]):
            prior = True
        prev = (m, prior)
        roles.setdefault(m.term, set()).add("prior" if prior else "intervention")
        first.setdefault(m.term, m)
    out: dict[tuple[str, str], r.Treatment] = {}
    for term, rs in roles.items():
        m = first[term]
        for role in sorted(rs):
            out[(term, role)] = r.Treatment(term, role, r.Span(m.start, m.end))
    # doses: the nearest drug in the sentence (Gy goes to the radiation procedure)
    radiation = [m for m in doc.mentions if m.kind == "procedure" and term_of(doc.vocab, m.term).is_a("RadiationTherapy")]
    for sent in doc.sents:
        s, e = sent
        drugs = [m for m in doc.mentions_in(s, e) if m.kind in ("drug", "procedure") and (m.term, "intervention") in out]
        for dose in stated_doses(doc, s, e):
            if dose.radiation:
                target = radiation[0].term if radiation else None
            else:
                target = _nearest_drug(drugs, dose.start, dose.end)
            if target is None or (target, "intervention") not in out:
                continue
            treat = out[(target, "intervention")]
            for value, unit in dose.values:
                if not any(d.value == value and d.unit == unit for d in treat.doses):
                    treat.doses.append(r.Dose(value, unit, r.Span(dose.start, dose.end)))
    return sorted(out.values(), key=lambda t: (t.span.start, t.role))


def _nearest_drug(drugs: list[Mention], start: int, end: int) -> str | None:
    before = [m for m in drugs if m.end <= start and m.kind == "drug"]
    after = [m for m in drugs if m.start >= end and m.kind == "drug"]
    if before and start - before[-1].end <= 60:
        return before[-1].term
    if after and after[0].start - end <= 60:
        return after[0].term
    if before:
        return before[-1].term
    return after[0].term if after else None


# ------------------------------------------------------------------ outcomes

_PCT_WORD = r"\s*(?:%|percent\b|per\s+cent\b)"
# who reached a figure, in the forms a count is written: 'n', 'n/N', 'n of N', 'n out of N', 'n over N',
# 'n evaluable pts/N', 'n pts over N assessable', each with an optional '(P%)' before or after the noun
_SUBJECT = re.compile(
    rf"(?<![\w])(?:(?P<all_but>\ball\s+but\s+)|(?P<all>\ball\s+(?:the\s+)?)|(?P<none>\b(?:no|none\s+of\s+the)\s+))?"
    rf"(?:(?P<n>{NUM})(?:\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN})?"
    rf"(?:\s*(?:/|\bout\s+of\b|\bover\b|\bof\b)\s*(?P<den0>{NUM})(?![\w.])(?:\s+(?:evaluable|assessable|eligible|evaluated|treated))?)?)?"
    rf"\s*(?:\(\s*(?P<pct0>\d+(?:\.\d+)?){_PCT_WORD}\s*\)\s*)?"
    rf"(?:of\s+(?:(?:the|these|those)\s+)?(?:(?P<den>{NUM})\s+)?(?:\w+\s+)?{PATIENT_NOUN}|(?:{ADJ}{{0,3}}){PATIENT_NOUN}|(?:evaluable\s+)?{PATIENT_NOUN}"
    rf"|(?P<of_them>of\s+(?:them|these|those)))?"
    rf"\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?){_PCT_WORD}\s*\))?\s*$",
    I,
)


_COUNT_BEFORE = re.compile(rf"(?<![\w./])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:{PATIENT_NOUN}\s+(?:with|in|achieving|had)\s+)?(?:a\s+|an\s+)?$", I)


# "two of them died", "3 of these relapsed": the group is the one just named
_N_OF_THEM_BEFORE_VERB = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?of\s+(?:them|these|those)\s+"
    rf"(?:have\s+|had\s+|subsequently\s+|later\s+|eventually\s+|also\s+)?$", I)
# a clause whose subject is the one of the clause before: "Case 4 achieved CCyR but relapsed and died"
_ELIDED_SUBJECT = re.compile(
    r"(?:^|,|\b)\s*(?:but|and|then|yet|and\s+then|and\s+later|but\s+later)\s+(?:(?:\w+ly|later|then|soon)\s+)?"
    r"(?:(?:\w+ed|died)\s+(?:and|or)\s+(?:(?:\w+ly|later|then|soon)\s+)?)?$", I)
# patients named by their numbers: "case 4", "cases 2 and 3", "patients 1-5"
_CASE_NUMBERS = r"(?:cases?|patients?|pts?\.?)\s+(?:no\.?\s*|#\s*)?(?P<ids>\d{1,3}(?:\s*(?:,|and|&|,\s*and|-|–)\s*\d{1,3})*)"
_CASES_OPEN = re.compile(r"\s*(?:in\s+)?" + _CASE_NUMBERS + r"\b", I)


def _count_cases(ids: str) -> int:
    """How many patients 'cases 2 and 3' (2) or 'cases 1-5' (5) names."""
    span = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", ids.strip())
    return int(span.group(2)) - int(span.group(1)) + 1 if span else len(re.findall(r"\d+", ids))



# an outcome stated by a verb ("relapsed", "died", "did not respond"): its subject comes before it
_EVENT_VERB = re.compile(r"(?:\w+ed|died|did\s+not|didn't|failed|could\s+not)\b", I)
_NO_RESPONSE = re.compile(
    r"\b(?:did\s+not|didn't|failed\s+to|could\s+not)\s+(?:\w+ly\s+)?respond\b"
    r"|\b(?:were|was)\s+(?:primarily\s+|completely\s+)?(?:refractory|non-?responders?|unresponsive)\b", I)
_CASES_BEFORE = re.compile(r"\b" + _CASE_NUMBERS + r"\s+(?:\w+ly\s+|later\s+|then\s+)?$", I)
_PATIENTS_BEFORE_VERB = re.compile(
    # "four of the 12 patients ... did not respond": four, of 12
    rf"(?:(?<![\w.])(?P<part>{NUM})\s+of\s+(?:the\s+|these\s+|those\s+)?)?"
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s*"
    rf"(?:\(\s*(?P<pct2>\d+(?:\.\d+)?)\s*%\s*\)\s*)?"
    # "four patients with P-gp overexpression did not respond": a short qualifier of the patients
    rf"(?:(?:with|without|in|on|receiving|treated\s+with)\s+(?:[\w/+-]+\s+){{1,4}}?)?"
    rf"(?:have\s+|had\s+|subsequently\s+|later\s+|eventually\s+)?$", I)


_CASE_IDS = re.compile(
    r"\b" + _CASE_NUMBERS + r"\b"
    r"(?P<rest>(?:\s*\([^()]*\))?\s+(?:\w+\s+){0,3}?)"
    rf"(?:{OUTCOME_VERB})\s+(?:(?:a|an|the|their|his|her|sustained|durable|stable|complete|major|partial|\w+ly)\s+){{0,3}}$",
    I,
)


# a case report's one patient: "he", "she", "the patient"
_THE_PATIENT = r"\b(?:he|she|the\s+patient|this\s+patient|our\s+patient)\s+"
_ONE_PATIENT = re.compile(
    r"(?<!of\s)(?<!in\s)" + _THE_PATIENT +
    r"(?:(?:\w+ly|then|later|subsequently|also|again|had|has)\s+)*"
    rf"(?:{OUTCOME_VERB})\s+(?:(?:a|an|the|sustained|durable|stable|complete|major|partial|\w+ly)\s+){{0,3}}$",
    I,
)


_ONE_PATIENT_BEFORE = re.compile(
    _THE_PATIENT + r"(?:\w+\s+){0,2}?"
    r"(?:achieved|attained|obtained|reached|regained|developed|had|experienced|was\s+in|remained\s+in)\b", re.I)
def _case_report(doc: Doc) -> bool:
    """Whether the text never counts more than one patient (a case report, not a series)."""
    return not any((parse_number(m.group("n")) or 0) > 1 for m in _COHORT_RE.finditer(doc.text))


def _outcome_subject(doc: Doc, m: Mention, clause_start: int, case_report: bool) -> Value | None:
    """'Seventy of the patients (73%) achieved <m>', '2 <m>', 'no patient progressed to <m>',
    'Cases 2 and 3 achieved <m>' (two patients named by their numbers)."""
    text = doc.text
    pre = text[clause_start : m.start]
    # "he achieved CHR": one patient, in a case report (a series counts its patients itself)
    one = _ONE_PATIENT.search(pre) if case_report else None
    if one:
        return Value(1, None, None, clause_start + one.start(), m.end)
    cases = _CASE_IDS.search(pre)
    if cases:
        return Value(_count_cases(cases.group("ids")), None, None, clause_start + cases.start(), m.end)
    elided = _ELIDED_SUBJECT.search(pre)
    if elided and _EVENT_VERB.match(text, m.start, m.end):
        # an event verb whose subject is the clause's or the sentence's case numbers:
        # "Case 4 attained CCyR but relapsed and died soon", "Patient 3 ... and then relapsed"
        s, _e = doc.sentence_of(m.start)
        opening = _CASES_OPEN.match(text, clause_start) or _CASES_OPEN.match(text, s)
        upto = clause_start + elided.start()
        if opening and not re.search(rf"(?<![\w.]){NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}", text[opening.end() : upto], I):
            return Value(_count_cases(opening.group("ids")), None, None, opening.start(), m.end)
    # "case 5 relapsed": patients named by number right before an event verb
    named = _CASES_BEFORE.search(pre)
    if named and _EVENT_VERB.match(text, m.start, m.end):
        return Value(_count_cases(named.group("ids")), None, None, clause_start + named.start(), m.end)
    # "2 CCR", "1 molecular complete response": a number right before the mention
    direct = _COUNT_BEFORE.search(pre)
    if direct and not re.search(r"(?:[<>≤≥=]|\bat|\bafter|\bgrade|\bwithin|-|\bcases?|\bpatients?|\bpts?\.?|\bno\.?|#)\s*$",
                                pre[: direct.start()], I):
        if not UNIT_AFTER.match(pre[direct.end("n") :]):
            # "45 CCyR (75%)": the percent may follow the mention
            pct = direct.group("pct") or (pm.group(1) if (pm := re.match(r"\s*\(\s*(\d+(?:\.\d+)?)\s*%\s*\)", text[m.end : m.end + 12])) else None)
            return Value(as_int(parse_number(direct.group("n"))), float(pct) if pct else None,
                          None, clause_start + direct.start(), clause_start + direct.end())
    if PROGRESSION_VERB.match(text, m.start) or re.match(r"(?:evolved|progressed|transformed|evolution|progression)\b", text[m.start:], I):
        verb = re.search(r"\s*$", pre)
        subj_end = clause_start + verb.start()
        return _subject_before(doc, m, clause_start, subj_end)
    if _EVENT_VERB.match(text, m.start, m.end):
        sm = _PATIENTS_BEFORE_VERB.search(pre) or _N_OF_THEM_BEFORE_VERB.search(pre)
        if sm:
            pct = sm.group("pct") or sm.groupdict().get("pct2")
            if sm.groupdict().get("part"):
                return Value(as_int(parse_number(sm.group("part"))), float(pct) if pct else None,
                             as_int(parse_number(sm.group("n"))), clause_start + sm.start(), m.end)
            return Value(as_int(parse_number(sm.group("n"))), float(pct) if pct else None, _group_denominator(text, clause_start + sm.start()),
                          clause_start + sm.start(), m.end)
        if _PERCENT_SUBJECT.search(pre.rstrip()):
            return _subject_before(doc, m, clause_start, clause_start + len(pre.rstrip()))
    verb = re.search(
        rf"\s(?P<verb>{OUTCOME_VERB})\s+(?:(?:a|an|the|their|his|her|sustained|durable|ongoing|stable|complete|major|partial|"
        rf"further|subsequent|new|second|2nd|first|1st|transient|late|early|confirmed|\w+ly)\s+){{0,3}}$",
        pre,
        I,
    )
    if not verb:
        verb = PROGRESSION_VERB.search(pre) and re.search(r"\s(?P<verb>\w+)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$", pre, I)
    if not verb:
        return None
    subj_end = clause_start + verb.start()
    return _subject_before(doc, m, clause_start, subj_end)


_PERCENT_SUBJECT = re.compile(
    rf"(?<![\w.])(?P<pct>\d+(?:\.\d+)?\s*(?=%)|{NUM}(?=\s*(?:percent|per\s+cent)\b))\s*(?:%|percent|per\s+cent)\s*"
    r"(?:of\s+[^,;:()%]{0,60}?)?\s*$", I)


def _subject_before(doc: Doc, m: Mention, clause_start: int, subj_end: int) -> Value | None:
    text = doc.text
    # skip back over parenthetical groups attached to the subject: "2 patients (1 resistant ...) evolved"
    pos = subj_end
    while True:
        q = pos
        while q > 0 and text[q - 1].isspace():
            q -= 1
        closing = doc.parens_ending(q)
        grp = closing[0] if closing else None
        if grp is None or re.fullmatch(r"\(\s*\d+(?:\.\d+)?" + _PCT_WORD + r"\s*\)", text[grp[0]:grp[1]], I):
            break
        pos = grp[0]
    # "of whom 30 also achieved": adverbs between the subject and its verb
    subject_text = re.sub(r"(?:\s+(?:also|subsequently|later|eventually|further|then|still|finally|ultimately|had|have|has|"
                          r"had\s+been|have\s+been|already))+\s*$", " ", text[clause_start:pos], flags=I)
    pct_only = _PERCENT_SUBJECT.search(subject_text)
    # "The MCyR rate was 80% with a CCyR rate of 75%": a figure before another outcome is not this one's
    if pct_only and any(o.kind == "outcome" and clause_start + pct_only.start() < o.start < m.start for o in doc.mentions):
        pct_only = None
    if pct_only:
        before = [o for o in doc.mentions if o.kind == "outcome" and clause_start <= o.start and o.end <= clause_start + pct_only.start()]
        gap = text[before[-1].end : clause_start + pct_only.start()] if before else ""
        if before and len(gap) < 40 and re.search(r"\b(?:was|were|is|of|rates?)\b|:", gap, I) and not re.search(r"\d", gap):
            pct_only = None
    if pct_only and not re.search(r"[<>≤≥=]\s*$", subject_text[: pct_only.start()]):
        start_abs = clause_start + pct_only.start()
        return Value(None, parse_number(pct_only.group("pct")), _group_denominator(text, start_abs), start_abs, m.end)
    sm = _SUBJECT.search(subject_text[-120:])
    if not sm:
        return None
    if sm.group("none") or re.search(r"\b(?:no|none)\s+(?:\w+\s+){0,3}$", subject_text, I):
        if re.search(r"\b(?:no|none)\b", subject_text[-60:], I) and not sm.group("n"):
            return Value(count=0, start=m.start, end=m.end)
    n = sm.group("n")
    if not n:
        return None
    if re.search(r"[\d.]\s*$", subject_text[: len(subject_text) - len(sm.group(0))]):
        return None
    count = as_int(parse_number(n))
    if count is None:
        return None
    den_text = sm.group("den") or sm.group("den0")
    den = as_int(parse_number(den_text)) if den_text else None
    start_abs = clause_start + len(subject_text) - len(subject_text[-120:]) + sm.start()
    if den is None:
        den = _group_denominator(text, start_abs)
    if den is None and sm.group("of_them"):
        # "We describe three cases ... . Two of them achieved MMR": out of the group last named
        s0 = doc.sentence_of(doc.sentence_of(start_abs)[0] - 1)[0] if doc.sentence_of(start_abs)[0] > 0 else 0
        named = list(re.finditer(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b", text[s0:start_abs], I))
        den = as_int(parse_number(named[-1].group("n"))) if named else None
        if den is not None and den < count:
            den = None
    if den is None:
        # "Forty patients (67%) achieved CCyR, of whom 30 also achieved MMR": out of the group before
        whom = re.search(rf"(?<![\w.])(?P<n>{NUM})\s+(?:\([^()]*\)\s*)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b[^;]*?,\s*"
                         r"(?:of\s+whom|of\s+these|of\s+them|among\s+them|among\s+these)\s+$",
                         text[doc.sentence_of(start_abs)[0] : start_abs], I)
        den = as_int(parse_number(whom.group("n"))) if whom else None
    pct_text = sm.group("pct") or sm.group("pct0")
    if pct_text is None:  # '115 in CCyR (70.5%)': the percent after the mention
        pm = re.match(r"\s*\(\s*(\d+(?:\.\d+)?)" + _PCT_WORD + r"\s*\)", text[m.end : m.end + 20], I)
        pct_text = pm.group(1) if pm else None
    pct = float(pct_text) if pct_text else None
    if den is not None and (den < count or (pct is not None and den and abs(100 * count / den - pct) > 1.5)):
        den = None  # not a group the count is out of
    if sm.group("all_but"):
        return None
    start = clause_start + len(subject_text) - len(subject_text[-120:]) + sm.start()
    return Value(count, pct, den, start, m.end)


_OF_GROUP = re.compile(
    rf"\b(?:of|among|in)\s+(?:the\s+|these\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}(?:\s+[\w'+\-]+){{0,5}}?\s*,\s*$", I
)


# the group a sentence opens with: "Of eight patients in blast crisis (BC) with normal expression, ..."
_FRONTED_GROUP = re.compile(
    rf"\s*(?:Of|Among|In)\s+(?:the\s+|these\s+|those\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b"
    r"[^,;.:]{0,90},", I
)


def fronted_group(text: str, sent_start: int, pos: int) -> int | None:
    """The size of the group the sentence starting at ``sent_start`` opens with, if it does before ``pos``."""
    m = _FRONTED_GROUP.match(text, sent_start, pos)
    return as_int(parse_number(m.group("n"))) if m else None


def _group_denominator(text: str, subject_start: int) -> int | None:
    """'Of the 60 evaluable patients, 45 ...': the group a count is out of, right before the subject
    or fronted at the start of its sentence ('Among 267 patients with CP, 56% had MCyR, 46% had CCyR')."""
    m = _OF_GROUP.search(text[max(0, subject_start - 100) : subject_start])
    if m is not None:
        return as_int(parse_number(m.group("n")))
    sent_start = max(text.rfind(". ", 0, subject_start), text.rfind("\n", 0, subject_start)) + 1
    return fronted_group(text, sent_start, subject_start)


_DISCONTINUED = re.compile(
    r"\b(?:(?P<verb>discontinued|stopped|ceased|interrupted\s+permanently|permanently\s+discontinued)\s+(?:the\s+|their\s+)?"
    r"(?:study\s+)?(?P<obj>treatment|therapy|drug|medication)?"
    r"|(?P<subj>treatment|therapy|the\s+drug)\s+(?:was|were|had\s+to\s+be|has\s+been)\s+(?:permanently\s+)?(?:discontinued|stopped)\b)",
    I,
)


_REASON_AFTER = re.compile(r"\s*(?:\w+\s+){0,3}?(?:due\s+to|because\s+of|for)\s+(?P<why>[^.;()]{0,60})", I)
_TOXIC = re.compile(r"\b(?:toxicit|adverse|side\s+effects?|intoleran)", I)
_NOT_TOXIC = re.compile(r"\b(?:response|resistan|progression|relapse|failure|efficacy|pregnan|transplant|choice|cost|remission)", I)


def _discontinuation_mentions(doc: Doc) -> list[Mention]:
    """'30% of patients discontinued imatinib', 'treatment was discontinued in 6 patients': stopping the
    treatment, for toxicity where the text says so ('... due to adverse events')."""
    out = []
    if "TreatmentDiscontinuation" not in doc.vocab.terms or not doc.has("discontinu", "stopped", "ceased", "interrupt"):
        return out
    drugs = {m.start: m for m in doc.mentions if m.kind == "drug"}
    for m in _DISCONTINUED.finditer(doc.text):
        end = m.end()
        if m.group("verb"):
            if not m.group("obj"):
                # the object is a drug named right after the verb
                drug = next((d for s, d in drugs.items() if m.end() <= s <= m.end() + 5), None)
                if drug is None:
                    continue
                end = drug.end
        reason = _REASON_AFTER.match(doc.text, end)
        # for toxicity only when that is the whole stated reason ("due to intolerance and lack of response" is not)
        toxic = reason and _TOXIC.search(reason.group("why")) and not _NOT_TOXIC.search(reason.group("why"))
        term = "DiscontinuationDueToToxicity" if toxic else "TreatmentDiscontinuation"
        start = m.start("verb") if m.group("verb") else m.start()
        out.append(Mention(term, "outcome", start, end if m.group("verb") else m.end()))
    return out


def _no_response_mentions(doc: Doc) -> list[Mention]:
    """'Five patients did not respond', 'three failed to respond to imatinib', 'were refractory'."""
    if "NoResponse" not in doc.vocab.terms or not doc.has("respond", "refractory", "unresponsive"):
        return []
    return [Mention("NoResponse", "outcome", m.start(), m.end()) for m in _NO_RESPONSE.finditer(doc.text)]


def _progression_mentions(doc: Doc) -> list[Mention]:
    """'evolved in blastic phase', 'progression to BC' -> progression-to-phase outcome mentions."""
    out = []
    for m in doc.mentions:
        if m.kind != "phase":
            continue
        pre = doc.text[max(0, m.start - 45) : m.start]
        pv = PROGRESSION_VERB.search(pre)
        if not pv:
            # "Blast crisis developed in 126 patients"
            if m.term in ("AcceleratedPhase", "BlastPhase") and re.match(r"\s+(?:developed|occurred|supervened|ensued)\b", doc.text[m.end : m.end + 20], I):
                target = "ProgressionToAcceleratedPhase" if m.term == "AcceleratedPhase" else "ProgressionToBlastPhase"
                out.append(Mention(target, "outcome", m.start, m.end))
            continue
        target = {"AcceleratedPhase": "ProgressionToAcceleratedPhase", "BlastPhase": "ProgressionToBlastPhase"}.get(m.term)
        if target is None:
            for anc in term_of(doc.vocab, m.term).ancestors:
                target = {"BlastPhase": "ProgressionToBlastPhase"}.get(anc) or target
        end = m.end
        # "progressed to accelerated or blast phase": progression, phase not singled out
        phases = [p for p in doc.mentions if p.kind == "phase" and p.start >= m.end]
        while phases and re.fullmatch(r"\s*(?:,|or|and|/|,\s*or)\s*(?:the\s+)?", doc.text[end : phases[0].start], I):
            if phases[0].term != m.term:
                target = "Progression"
            end = phases[0].end
            phases = phases[1:]
        if target and target in doc.vocab.terms:
            out.append(Mention(target, "outcome", m.start - (len(pre) - pv.start()), end))
    return out


_PATIENT_NOUN_END = re.compile(rf"{PATIENT_NOUN}\s*$", I)


_NEW_SUBJECT = re.compile(rf"(?<![\w.]){NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s+(?!with\b|treated\b|receiving\b|given\b|on\b|in\s+the\b)", I)


_COMPARED_WITH = re.compile(
    r"[^;]{0,40}?\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?P<p>\d+(?:\.\d+)?)\s*%(?!\s*(?:CI|confidence))", I)
_FIGURE_FOR = re.compile(r"(?<![\w.])(?P<p>\d+(?:\.\d+)?\s*(?=%)|0?\.\d+)\s*%?\s*(?:\([^()]*\)\s*)?for\s+(?:the\s+|a\s+)?$", I)


def find_outcomes(doc: Doc, start_at: int) -> list[r.Outcome]:
    text = doc.text
    mentions = ([m for m in doc.mentions if m.kind == "outcome"] + _progression_mentions(doc)
                + _discontinuation_mentions(doc) + _no_response_mentions(doc))
    mentions = resolve_overlaps(mentions)
    mentions = [_qualified(doc, m) for m in mentions if m.start >= start_at]
    # mentions inside a subject's parenthetical ("2 patients (1 resistant and 1 ...) evolved") are not outcomes
    subject_parens = []
    for s, e in doc.parens:
        if _PATIENT_NOUN_END.search(text[max(0, s - 15) : s]):
            subject_parens.append((s, e))
    results: list[r.Outcome] = []
    by_mention: dict[int, list[int]] = {}
    case_report = _case_report(doc)
    # "response rates were 70% for CHR and 30% for MCyR": a figure named for the outcome after it
    claimed: set[int] = set()
    for m in mentions:
        s, _e = doc.sentence_of(m.start)
        fm = _FIGURE_FOR.search(text, max(s, m.start - 40), m.start)
        if fm and not in_any(m.start, subject_parens):
            pct = parse_number(fm.group("p"))
            pct = pct * 100 if fm.group("p").startswith(("0.", ".")) and "%" not in fm.group(0) else pct
            results.append(r.Outcome(m.term, r.Span(fm.start(), m.end), None, pct))
            claimed.add(fm.start())
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if in_any(m.start, subject_parens):
            i += 1
            continue
        sent = doc.sentence_of(m.start)
        cs, ce = clause_bounds(text, sent, m.start)
        # "MMR: 30/60 (50%)": a mention that heads a colon reads its figures after it
        if re.match(r"\s*(?:(?:at|by|after)\s+\w+\s+\w+\s*)?(?:\([^()]*\)\s*)?(?:rates?\s*)?:", text[m.end : m.end + 60], I):
            ce = clause_bounds(text, sent, text.index(":", m.end) + 1)[1]
        # baseline traits, not outcomes: "resistant to imatinib", "resistant (n=13) or intolerant"
        after = text[m.end : m.end + 40]
        if m.term in ("NoResponse",) and not _EVENT_VERB.match(text, m.start, m.end) and re.match(r"^\s*(?:\([^()]*\)\s*)?(?:to\b|or\s+intolerant|and\s+intolerant|/)", after, I):
            i += 1
            continue
        # coordinated group: "survival and relapse-free survival at 4 years were ..."
        group = [m]
        j = i + 1
        while j < len(mentions) and mentions[j].start < ce:
            gap = text[group[-1].end : mentions[j].start]
            if re.fullmatch(r"\s*(?:\([A-Za-z]{2,6}\)\s*)?(?:,|and|or|,\s*and)\s*(?:the\s+)?", gap, I):
                group.append(mentions[j])
                j += 1
            else:
                break
        nxt = mentions[j].start if j < len(mentions) and mentions[j].start < ce else ce
        # stop at the next thing counted: another outcome, an adverse event, a phase, a new subject
        for other in doc.mentions_starting(group[-1].end + 1, nxt):
            if other.kind in ("adverse_event", "phase", "outcome"):
                nxt = other.start
                break
        new_subject = _NEW_SUBJECT.search(text, group[-1].end, nxt)
        if new_subject and not re.search(r"\b(?:in|of|by|for|among|and)\s*$", text[max(0, new_subject.start() - 8) : new_subject.start()], I):
            nxt = new_subject.start()
        if re.search(r"\b(?:difference|differences|increase|reduction|improvement|higher|lower|odds|hazard)\b[^.;]*$", text[cs : m.start], I) and not re.search(r"\bnot\s+statistically", text[cs:nxt], I):
            i = j if len(group) > 1 else i + 1
            continue
        negated = False
        subj = _outcome_subject(doc, m, cs, case_report) if len(group) == 1 else None
        if len(group) > 1 and all(_EVENT_VERB.match(text, g.start, g.end) for g in group):
            # "Case 4 ... but relapsed and died": the events share their subject
            shared = _outcome_subject(doc, m, cs, case_report)
            if shared is not None and shared.count is not None and shared.start < m.start:
                for g in group:
                    results.append(r.Outcome(g.term, r.Span(g.start, g.end), shared.count, shared.percent, shared.denominator))
                    by_mention[g.start] = [len(results) - 1]
                i = j
                continue
        if subj is None and len(group) == 1 and doc.negated(m) and re.search(
            r"\b(?:no|none)\s+(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:patients?|cases?|one)\b", text[cs : m.start], I
        ):
            subj = Value(count=0, start=m.start, end=m.end)
            negated = True
        if subj is not None and m.term == "Death" and "TransplantRelatedMortality" in doc.vocab.terms and re.match(
            r"\s+(?:of|from|due\s+to)\s+(?:\w+\s+)?(?:transplant|treatment|procedure)[- ]related", text[m.end : m.end + 50], I
        ):
            m = Mention("TransplantRelatedMortality", "outcome", m.start, m.end)
        if subj is not None:
            if re.search(r"\b(?:lost|loss\s+of|losing|lose)\b", text[subj.start : m.start], I) and "LossOfResponse" in doc.vocab.terms:
                m = Mention("LossOfResponse", "outcome", m.start, m.end)
            out = r.Outcome(m.term, r.Span(min(subj.start, m.start), m.end), subj.count, subj.percent, subj.denominator, negated=negated or subj.count == 0)
            results.append(out)
            by_mention[m.start] = [len(results) - 1]
            # "44% achieved MMR by 12 months, compared with 22% in the imatinib arm": the figure compared
            if subj.percent is not None and subj.count is None and (cm := _COMPARED_WITH.match(text, m.end, ce)):
                results.append(r.Outcome(m.term, r.Span(cm.start("p"), cm.end()), None, float(cm.group("p"))))
            i += 1
            continue
        if doc.negated(m):
            i += 1
            continue
        probability = bool(re.search(r"probabilit|likelihood|proportion|actuarial|estimated|rates?\b|cumulative", text[sent[0] : sent[1]], I))
        vals = [v for v in values_after(doc, group[-1].end, nxt, probability) if v.start not in claimed]
        if any(group[-1].end <= c < nxt for c in claimed):
            vals = [v for v in vals if v.start < min(c for c in claimed if c >= group[-1].end)]
        # a figure must come soon after the mention, not at the far end of the clause
        if vals and vals[0].start - group[-1].end > 120:
            vals = []
        if vals:
            for k, v in enumerate(vals):
                target = group[k % len(group)]
                results.append(r.Outcome(target.term, r.Span(target.start, v.end), v.count, v.percent, v.denominator))
                by_mention.setdefault(target.start, []).append(len(results) - 1)
        elif case_report and _ONE_PATIENT_BEFORE.search(text, cs, m.start):
            # a case report: "she achieved MMR at 6 months and MR4.5 at 18 months"
            for g in group:
                results.append(r.Outcome(g.term, r.Span(g.start, g.end), 1))
        i = j if len(group) > 1 else i + 1
    results.extend(_distributed_parts(doc, mentions, results))
    # aggregates: "Three patients achieved a complete response (2 CCR ... and 1 molecular complete response)"
    parens = sorted(doc.parens)
    paren_starts = [s for s, _e in parens]
    order = sorted(range(len(results)), key=lambda idx: results[idx].span.start)
    starts = [results[idx].span.start for idx in order]
    for k, o in enumerate(results):
        if o.count is None:
            continue
        # the parenthesis right after the figure (only the first one after it can be)
        at = bisect.bisect_left(paren_starts, o.span.end)
        paren = parens[at] if at < len(parens) and not text[o.span.end : paren_starts[at]].strip() else None
        if paren is None:
            # "... a cytogenetic response in 12 patients: complete in 4, partial in 5 and minor in 3"
            s_end = doc.sentence_of(o.span.start)[1]
            paren = (o.span.end, s_end) if re.match(r"\s*[:;,(]", text[o.span.end : o.span.end + 3]) else None
            if paren is None:
                continue
        inside = order[bisect.bisect_left(starts, paren[0]) : bisect.bisect_left(starts, paren[1])]
        parts = sorted(idx for idx in inside if idx != k and results[idx].count is not None)
        if len(parts) >= 2 and sum(results[p].count for p in parts) == o.count:
            o.aggregate_of = parts
    # PCR and other test results stated as bare 'positive' / 'negative'
    results.extend(_test_results(doc, start_at))
    results.extend(_response_phrases(doc, start_at))
    return results


def _qualified(doc: Doc, m: Mention) -> Mention:
    """'partial CR (Ph+ < 33%)', 'partial CCyR': a partial cytogenetic response."""
    if m.term in ("CompleteRemission", "CompleteCytogeneticResponse") and re.search(r"\bpartial\s+$", doc.text[max(0, m.start - 10) : m.start], I):
        s, e = doc.sentence_of(m.start)
        if m.term == "CompleteCytogeneticResponse" or re.search(r"\bPh\b|Ph\+|cytogenetic|metaphase", doc.text[s:e], I):
            return Mention("PartialCytogeneticResponse", "outcome", m.start - len("partial "), m.end)
    # "minor CyR", "complete HR": a kind of a response family named by its modifier
    table = _PARTS.get(m.term)
    mod = re.search(r"\b(complete|partial|major|minor|minimal|deep)\s+$", doc.text[max(0, m.start - 10) : m.start], I) if table else None
    if mod and table.get(mod.group(1).lower()) in doc.vocab.terms:
        return Mention(table[mod.group(1).lower()], "outcome", m.start - len(mod.group(0)), m.end)
    return m


_ALL_BUT = re.compile(
    rf"\ball\s+but\s+(?P<n>{NUM})\s+(?:{ADJ}){{0,2}}?(?:{PATIENT_NOUN}\s+)?(?:\w+\s+){{0,2}}?"
    r"(?:responded|achieved|attained|reached|reported\s+(?:a\s+)?(?:disappearance|resolution|response|remission|clearance)|"
    r"had\s+(?:a\s+)?(?:response|remission|disappearance|resolution))",
    I,
)
_LASTING = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:[\w'+\-]+\s+)?(?:remissions|responses)\s+(?:have\s+|had\s+)?"
    r"(?:lasted|persisted|been\s+maintained|been\s+sustained)\b[^.;()]*(?:\(\s*(?P<m>\d+)\s*(?:>|≥|over|more\s+than)\s*\d+(?:\.\d+)?\s*(?:years?|months?)\s*\))?",
    I,
)


def _response_phrases(doc: Doc, start_at: int) -> list[r.Outcome]:
    """'All but six patients responded' (6 without response); '36 remissions have lasted 2-11 years (15 > 4 years)'."""
    text = doc.text
    out = []
    for m in _ALL_BUT.finditer(text, start_at):
        n = as_int(parse_number(m.group("n")))
        if n is not None and "NoResponse" in doc.vocab.terms:
            out.append(r.Outcome("NoResponse", r.Span(m.start(), m.end()), n))
    if "DurableRemission" in doc.vocab.terms:
        for m in _LASTING.finditer(text, start_at):
            n = as_int(parse_number(m.group("n")))
            if n is not None:
                out.append(r.Outcome("DurableRemission", r.Span(m.start(), m.end()), n))
            if m.group("m"):
                out.append(r.Outcome("DurableRemission", r.Span(m.start("m"), m.end()), int(m.group("m"))))
    return out


_PARTS = {
    "CytogeneticResponse": {"complete": "CompleteCytogeneticResponse", "partial": "PartialCytogeneticResponse",
                            "major": "MajorCytogeneticResponse", "minor": "MinorCytogeneticResponse",
                            "minimal": "MinimalCytogeneticResponse"},
    "MajorCytogeneticResponse": {"complete": "CompleteCytogeneticResponse", "partial": "PartialCytogeneticResponse"},
    "HematologicResponse": {"complete": "CompleteHematologicResponse", "major": "MajorHematologicResponse"},
    "MolecularResponse": {"major": "MajorMolecularResponse", "complete": "CompleteMolecularResponse",
                          "deep": "DeepMolecularResponse"},
}
_PART_AFTER = re.compile(
    rf"(?P<mod>complete|partial|major|minor|minimal|deep)\s*(?:responses?|remissions?)?\s*(?:in|:|=|,)?\s*"
    rf"(?:(?P<n>{NUM})(?!\s*%)(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?|(?P<pp>\d+(?:\.\d+)?)\s*%)",
    I,
)
_PART_BEFORE = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s+(?P<mod>complete|partial|major|minor|minimal|deep)\b"
    r"(?!\s+(?:cytogenetic|molecular|hematologic|haematologic|hematological|response|remission))",
    I,
)


def _family(local: str) -> dict[str, str] | None:
    """The kinds of the response family a kind belongs to: 'CCyR 75%, PCyR 10%, minor 5%'."""
    for parts in _PARTS.values():
        if local in parts.values():
            return parts
    return None


def _distributed_parts(doc: Doc, mentions: list[Mention], results: list[r.Outcome]) -> list[r.Outcome]:
    """'cytogenetic responses in 12 patients (complete in 4, partial in 5, minor in 3)' or '(4 complete, 5 partial)'."""
    text = doc.text
    out = []
    taken = [(o.span.start, o.span.end) for o in results]
    mentions = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    for m in mentions:
        table = _PARTS.get(m.term) or _family(m.term)
        if not table:
            continue
        _s, e = doc.sentence_of(m.start)
        window_end = min(e, m.end + 220)
        k = bisect.bisect_right(starts, m.end)
        nxt = next((o.start for o in mentions[k:] if o.start >= window_end or o.term not in table.values()), window_end)
        nxt = min(nxt, window_end)
        for pattern in (_PART_AFTER, _PART_BEFORE):
            items = []
            for pm in pattern.finditer(text, m.end, nxt):
                local = table.get(pm.group("mod").lower())
                n = as_int(parse_number(pm.group("n"))) if pm.group("n") else None
                pct = pm.group("p") or pm.groupdict().get("pp")
                if local is None or local not in doc.vocab.terms or (n is None and pct is None):
                    continue
                if any(a < pm.end() and pm.start() < b for a, b in taken):
                    continue
                items.append(r.Outcome(local, r.Span(pm.start(), pm.end()), n, float(pct) if pct else None))
            if len(items) >= (1 if pattern is _PART_AFTER else 2):
                out.extend(items)
                taken.extend((o.span.start, o.span.end) for o in items)
                break
    return out


def dedupe_outcomes(results: list[r.Outcome]) -> list[r.Outcome]:
    seen, out, remap = set(), [], {}
    with_den = {(o.term, o.count, o.percent, o.cohort) for o in results if o.denominator is not None}
    for idx, o in enumerate(results):
        key = (o.term, o.count, o.percent, o.denominator, o.time_months, o.cohort)
        if key in seen or (o.denominator is None and o.count is not None and (o.term, o.count, o.percent, o.cohort) in with_den):
            continue
        seen.add(key)
        remap[idx] = len(out)
        out.append(o)
    for o in out:
        o.aggregate_of = [remap[p] for p in o.aggregate_of if p in remap]
    return out


_RESULT_WORD = re.compile(
    rf"(?:(?P<all>\ball\s+(?:(?P<alln>{NUM})\s+)?)|(?P<n>{NUM})\s+)(?:(?:were|was|are|is|remained|became|turned)\s+)?(?:all\s+)?"
    r"(?:(?P<test>PCR|RT-PCR|FISH|BCR-ABL1?)[- ])?(?P<res>positive|negative)\b",
    I,
)


_TESTED_GROUP = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:of\s+(?:these|the|those)\s+)?(?:{ADJ}{{0,3}}){PATIENT_NOUN}", I)


def _test_results(doc: Doc, start_at: int) -> list[r.Outcome]:
    """'six were PCR positive', '(two positive and seven negative)', 'were all PCR negative', in a PCR abstract."""
    text = doc.text
    if not re.search(r"\bPCR\b|polymerase chain reaction", text):
        return []
    out = []
    last_group: int | None = None
    for sent in doc.sents:
        s, e = sent
        if e <= start_at:
            continue
        # the group of patients this sentence is about
        groups = list(_TESTED_GROUP.finditer(text[s:e]))
        for m in _RESULT_WORD.finditer(text, s, e):
            pre = text[max(s, m.start() - 25) : m.start()]
            if re.search(r"(?:Ph|Ph1|Ph')\s*$|[+-]\s*$", pre):
                continue
            term = "PCRPositive" if m.group("res").lower() == "positive" else "PCRNegative"
            own = [g for g in groups if s + g.end() <= m.start()]
            group_n = as_int(parse_number(own[-1].group("n"))) if own else last_group
            if m.group("all"):
                n = as_int(parse_number(m.group("alln"))) if m.group("alln") else group_n
                if n is None:
                    continue
                count, den = n, n
            else:
                count = as_int(parse_number(m.group("n")))
                if count is None:
                    continue
                same_clause = clause_bounds(text, sent, m.start())
                den = group_n if (own and s + own[-1].start() >= same_clause[0]) or not own else None
                if den is not None and count > den:
                    den = None
            out.append(r.Outcome(term, r.Span(m.start(), m.end()), count, None, den))
        if groups:
            last_group = as_int(parse_number(groups[-1].group("n")))
    return out


# ------------------------------------------------------------------ adverse events
_AE_COUNT_BEFORE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN}\b[^.;]*$", I)


_AE_COUNT_AFTER = re.compile(
    rf"\s*(?:\([^()]*\)\s*)?(?:grades?\s*(?:[1-5]|I{{1,3}}|IV|V)(?:\s*(?:-|–|to|/|or|and)\s*(?:[1-5]|I{{1,3}}|IV|V))?\s+)?"
    rf"(?:(?:was|were|has\s+been|have\s+been|had)\s+)?(?:\w+ly\s+)?"
    rf"(?:(?:occurred|observed|seen|reported|noted|developed|documented|recorded|found|experienced)\s+)?in\s+(?P<n>{NUM})\b"
    rf"(?![.,]\d)(?!\s*(?:%|percent\b|per\s+cent\b))",  # a percent is never a count: 'in 14.3% of patients'
    I,
)


def find_adverse_events(doc: Doc) -> list[r.AdverseEvent]:
    text = doc.text
    out: list[r.AdverseEvent] = []
    seen = set()
    prev_ae = None
    for m in doc.mentions:
        if m.kind != "adverse_event" or doc.negated(m):
            continue
        s, _ = doc.sentence_of(m.start)
        before = text[max(s, m.start - 40) : m.start]
        grades: list[int | None] = [None]
        g = re.search(r"\bgrades?\s*(?P<a>[1-5]|I{1,3}|IV|V)(?:\s*(?:-|–|to|/|or|and|,)\s*(?P<b>[1-5]|I{1,3}|IV|V))?\s*(?:\w+\s+){0,2}$", before, I)
        g_after = re.match(r"^\s*\(?\s*(?:of\s+)?grades?\s*(?P<a>[1-5]|IV|V|I{1,3})(?![\w])(?:\s*(?:-|–|to|/|or|and)\s*(?P<b>[1-5]|IV|V|I{1,3})(?![\w]))?", text[m.end : m.end + 24], I)
        g = g or g_after
        # "grade 3 or 4 hematologic and nonhematologic toxicities": coordinated events share the grades
        if not g and prev_ae is not None and prev_ae[1] is not None and re.fullmatch(
                r"\s*(?:,|and|or|,\s*and|,\s*or)\s*", text[prev_ae[0].end : m.start]):
            g = prev_ae[1]
        if not g:
            cs0, _ = clause_bounds(text, doc.sentence_of(m.start), m.start)
            lead = re.search(
                r"\bgrades?\s*(?P<a>[1-5]|I{1,3}|IV|V)(?:\s*(?:-|–|to|/|or|and|,)\s*(?P<b>[1-5]|I{1,3}|IV|V))?\s+"
                r"(?:\w+\s+){0,2}?(?:adverse\s+events|AEs|toxicit(?:y|ies)|side\s+effects|events|abnormalities)\s*"
                # "Grade 3 and 4 adverse events reported in at least 5% of X-treated patients include ..."
                r"(?:(?:reported|observed|seen|occurring|that\s+occurred)\b[^.;:]{0,70}?\s)?"
                r"(?:include[sd]?|were|was|:|comprised|consisted\s+of|such\s+as|\()",
                text[cs0 : m.start], I)
            g = lead
        prev_ae = (m, g)
        if g:
            roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
            a = int(g.group("a")) if g.group("a").isdigit() else roman[g.group("a").upper()]
            b = g.group("b")
            b = (int(b) if b.isdigit() else roman[b.upper()]) if b else a
            grades = list(range(min(a, b), max(a, b) + 1)) if abs(b - a) <= 4 else [a, b]
        count = None
        cs, _ = clause_bounds(text, doc.sentence_of(m.start), m.start)
        cm = _AE_COUNT_BEFORE.search(text[cs : m.start])
        # "fatigue in 12 patients and weight gain in 5": a count before another event is that one's
        if cm and any(o.kind == "adverse_event" and o is not m and (
                cs + cm.end("n") <= o.start < m.start
                or (o.end <= cs + cm.start() and re.fullmatch(r"[^.;,]{0,40}?\bin\s+", text[o.end : cs + cm.start()])))
                for o in doc.mentions_in(max(0, cs - 200), m.start)):
            cm = None
        if cm:
            count = as_int(parse_number(cm.group("n")))
        else:
            # "pleural effusion occurred in 6 patients (10%)", "neutropenia was seen in 12"
            am = _AE_COUNT_AFTER.match(text, m.end)
            if am:
                count = as_int(parse_number(am.group("n")))
        for grade in grades:
            key = (m.term, grade)
            if key in seen:
                continue
            seen.add(key)
            out.append(r.AdverseEvent(m.term, r.Span(m.start, m.end), grade, count))
    # an event with a grade makes the same event without a grade redundant
    graded = {a.term for a in out if a.grade is not None}
    return [a for a in out if a.grade is not None or a.term not in graded]


# ------------------------------------------------------------------ reasons, notes, study
_REASON = re.compile(r"\b(?P<kind>resistant|resistance|intolerant|intolerance|refractory)\b(?:\s*\(\s*n\s*=\s*(?P<n>\d+)\s*\))?", I)


def find_reasons(doc: Doc) -> list[r.TreatmentReason]:
    text = doc.text
    out = []
    for m in _REASON.finditer(text) if doc.has("resist", "intoler", "refractory") else ():
        window_end = min(len(text), m.end() + 60)
        drug = next((d for d in doc.mentions if d.kind == "drug" and m.end() <= d.start < window_end
                     and re.search(r"\bto\s+(?:\w+\s+){0,2}$", text[m.end() : d.start], I)), None)
        if drug is None:
            continue
        kind = "intolerance" if m.group("kind").lower().startswith("intoler") else "resistance"
        out.append(r.TreatmentReason(kind, drug.term, r.Span(m.start(), drug.end), int(m.group("n")) if m.group("n") else None))
    uniq = {}
    for x in out:
        uniq.setdefault((x.kind, x.therapy, x.count), x)
    return list(uniq.values())


_RISK_GROUP = re.compile(r"\b(?P<g>low|intermediate|high)[- ]risk\b", I)


def find_risks(doc: Doc) -> list[r.RiskMeasurement]:
    """'16 (79%) were classified as high risk according to the EUTOS score', 'Sokal high risk in 12 (20%)'."""
    text = doc.text
    out = []
    for sent in doc.sents:
        s, e = sent
        scores = [m for m in doc.mentions_in(s, e, "risk_score")]
        if not scores:
            continue
        for g in _RISK_GROUP.finditer(text, s, e):
            score = min(scores, key=lambda m: abs(m.start - g.start()))
            before = text[max(s, g.start() - 70) : g.start()]
            after = text[g.end() : min(e, g.end() + 40)]
            count = pct = None
            bm = re.search(rf"(?<![\w.])(?P<n>{NUM})\s*(?:{PATIENT_NOUN}\s*)?(?:\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s*"
                           r"(?:were|was|had|with|being|are)?\s*(?:classified\s+as\s+|considered\s+|at\s+)?(?:a\s+)?"
                           r"(?:(?:Sokal|Hasford|EUTOS|ELTS|Euro)\s+)?$", before, I)
            am = re.match(rf"\s*(?:(?:Sokal|Hasford|EUTOS|ELTS)\s+)?(?:score\s+)?(?:in\s+|:\s*|\(\s*)(?P<n>{NUM})(?:\s*{PATIENT_NOUN})?\s*(?:[,(]\s*(?P<p>\d+(?:\.\d+)?)\s*%)?", after, I)
            m = bm or am
            if m:
                count = as_int(parse_number(m.group("n")))
                pct = float(m.group("p")) if m.group("p") else None
            if count is None and pct is None:
                pm = re.search(r"(?P<p>\d+(?:\.\d+)?)\s*%\s*(?:of\s+\w+\s+)?(?:were|was|had)?\s*$", before, I)
                pct = float(pm.group("p")) if pm else None
            if count is None and pct is None:
                continue
            start = min(g.start(), score.start, max(s, g.start() - 70) + bm.start() if bm else g.start())
            end = max(g.end(), score.end, g.end() + am.end() if (am and not bm) else g.end())
            out.append(r.RiskMeasurement(score.term, g.group("g").lower() + "Risk", r.Span(start, end), count, pct))
    return out


