"""Cohorts: the study population and the groups sized in the text (enrolled, randomised, screened,
evaluable)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, skip_parens, stated_doses
from cmlkg.extract.relations.drug_groups import fronted_drug_groups
from cmlkg.extract.relations.grammar import COUNTED, ENROL_BEFORE, ENROL_VERB, I
from cmlkg.extract.relations.sized_groups import RANDOMISED, sized_groups
from cmlkg.textutil import NUM, as_int, parse_number

# ------------------------------------------------------------------ cohorts and demographics
_COHORT_RE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?P<adj>{ADJ}{{0,4}}){PATIENT_NOUN}\b", I)
# "178 pts were screened, 170 enrolled and 169 treated": the later steps of a list, their verb without 'were'
_LISTED_ENROL = re.compile(
    rf"(?:,\s*of\s+whom|,|\band)\s+(?P<n>{NUM})\s+(?:(?:with|in|had|having)\s+[^,;.]{{0,80}}?\s)?"
    r"(?:were\s+)?(?P<verb>enrolled|included|randomi[sz]ed|treated|registered|allocated|eligible)\b"
    r"(?!\s+(?:with|by|in|for)\s+\d)",
    I,
)
# 'Pts: 163 enrolled (resistant 47, intolerant 116); median age ...': the count after a heading of patients
_HEADED_ENROL = re.compile(
    rf"\b(?:patients|pts|subjects)\s*:\s*(?P<n>{NUM})\s+(?P<verb>enrolled|included|treated)\b", I
)
# 'Results: N=120. Median age ...': the number of patients as a table states it
_TABLE_N = re.compile(r"(?:(?<=^)|(?<=[.:;]\s)|(?<=[.:;]))\s*N\s*=\s*(?P<n>\d+)\s*(?=[.;,]|$)")
_CLOSES_A_SCHEDULE = re.compile(r"\((?P<inside>[^()]*)[;,]\s*$")
MAX_PATIENTS = 1_000_000  # more than any registry of CML patients holds
_SHARE = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*")
_BARE_ENROL = re.compile(
    # 'Patients: 321 with CML-CP resistant or intolerant to imatinib were treated': the disease between
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:with\s+(?:CML|chronic|Ph|BCR)[^,;.()]{{0,80}}?\s+)?(?:were|was)\s+(?:randomly\s+)?"
    r"(?P<verb>randomi[sz]ed|assigned|allocated|enrolled|treated|included)\b",
    I,
)
_SCREENED = re.compile(
    r"\s*(?:were\s+|had\s+been\s+)?(?:screened|assessed\s+for\s+eligibility|evaluated\s+for\s+eligibility|referred|considered)\b",
    I,
)
_DEMOGRAPHIC = re.compile(r"\b(?:male|female|men|women|median|mean|aged?|years?|range|M/F|F/M)\b", I)


_NEXT_COHORT = re.compile(rf";|{COUNTED}", I)


_PARTICIPATED = re.compile(
    r"\s*(?:(?:invited|contacted|approached|asked|surveyed)\s+)?(?:(?:have|had)\s+)?(?:replied|responded\s+to|returned|completed|participated|took\s+part|agreed|consented)\b",
    I,
)
# '(n = 72)' inside; 'MR4.5' a word too
# (the words may hold '/' and ':': 'Three patients ... (sex/age: F/61, M/60, M/69) received')
_ENROLLED_AFTER = re.compile(rf"(?:(?:[\w'+\-,()=/:≥≤<>%]|(?<=\d)\.(?=\d))+\s+){{0,20}}?{ENROL_VERB}", I)
_WITH_THE_DISEASE = re.compile(
    # ('125 women with CML', '50 women with chronic phase CML', '40 men with early CML-CP')
    r"\s+(?:with|(?:(?:who\s+were\s+)?(?:newly\s+)?diagnosed\s+with))\s+(?:[\w-]+\s+){0,2}?"
    r"(?:CML|chronic\s+myeloid|chronic\s+myelogenous|Ph\+)",
    I,
)
_SEX_NOUN = re.compile(r"\b(?:men|women|males?|females?|boys|girls)\s*$", I)


_FRONTED_ENROLLED = re.compile(
    r"(?=\s*(?:(?:[\w-]+\s+){0,2}?(?:patients|pts)\s*)?:)|\s*(?:[\w'+\-]+\s+){0,4}?(?:who\s+were\s+|were\s+)?(?:(?:randomly|consecutively)\s+)?"
    r"(?:enrolled|treated|included|randomi[sz]ed|entered|registered|accrued|studied|recruited)\b"
    # "Of 203 patients starting dasatinib, 87 (43%) reduced the dose": the group the study follows
    r"|\s*(?:who\s+(?:were\s+)?)?(?:starting|started|initiating|initiated|beginning|began)\s+(?:on\s+)?(?:[\w-]+\s+)?"
    r"(?:therapy|treatment)?",
    I,
)


_OBSERVED_IN = re.compile(
    r"\b(?:occurred|observed|seen|reported|noted|found|documented|detected|achieved|experienced|developed)\s+in\s*$",
    I,
)
# after a section heading: 'RESULTS Of ...', 'Results: Among ...'
_FRONTED = re.compile(
    r"\s*(?:[A-Z]{3,}:?\s+|[A-Z][a-z]{2,}(?:\s+[a-z]+){0,2}:\s+)?(?:Of|Among|Out\s+of"
    # ('Responses (n, %) in 174 patients: MaHR 109 (63), ...': a heading of the patients the figures are of)
    r"|(?:Responses?|Results|Outcomes?|Efficacy)\s+(?:\([^()]*\)\s*)?(?:in|among))\s+(?:the\s+|all\s+)?"
)
_PART_BEFORE = re.compile(rf"(?<![\w.])(?P<k>{NUM})\s+(?:out\s+)?of\s+(?:the\s+)?$", I)
_PART_OF = re.compile(r"(?:\bof|%|\bto|\bthan|\bremaining|\bother|\bfirst|\blast|\bthese|-)\s*$", I)
_HAD_RECEIVED = re.compile(
    r"\s*had\s+(?:also\s+|previously\s+|already\s+|all\s+)?(?:received|been\s+(?:treated|exposed))", I
)
# what happened to patients counted: never a group of the design, counted for it
_HAPPENED_VERB = (
    r"(?:progressed|relapsed|died|achieved|attained|responded|lost|developed|transformed|evolved|entered\s+(?:the\s+)?"
    r"(?:blast|accelerated|BC|BP|AP))"
)
# (the verb right after the count: 'three patients who developed PAH' may be a case series' patients)
_HAPPENED_TO_THEM = re.compile(rf"\s*(?:[\w-]+ly\s+)?(?:had\s+)?(?:{_HAPPENED_VERB}|switched)\b", I)
_HAPPENED = re.compile(
    # (not a response that qualified the group: '126 patients who had achieved MR4.5 ... entered'; but
    # '9 patients who progressed were treated' is a group made by what happened)
    r"\s*(?!(?:who|that)\s+(?:had\s+)?(?:achieved|attained|reached|maintained)\b)(?:[\w-]+\s+){0,2}?"
    rf"{_HAPPENED_VERB}\b",
    I,
)
_AUXILIARY = re.compile(r"\b(?:were|was|been|whose|have|had|are)\b", I)
_IN_BEFORE = re.compile(r"\b(?:in|among)\s*$", I)
_SHARE_OF_TREATED = re.compile(
    r"\s+(?:who\s+(?:were|was|had\s+been)\s+)?(?:receiving|treated\s+with|on|taking)\s+[^,;.()]{1,40}?"
    r"\(\s*\d+(?:\.\d+)?\s*%\s*\)",
    I,
)
_IN_AND_BEFORE = re.compile(r"\b(?:in|and|among)\s*$", I)
_DOSE_PAREN = re.compile(r"(?:/d|daily|/day|mg|Gy|U)\s*\($")
_WERE_SCREENED = re.compile(r"\b(?:were|was|had\s+been)\s+screened\b", I)
_PARTS_THEN_ENROLLED = re.compile(
    rf"\s*with\s+(?:(?!{NUM}\s+{PATIENT_NOUN})[^.;])*?\(\s*n\s*=\s*\d+\s*\)"
    rf"(?:(?!{NUM}\s+{PATIENT_NOUN})[^.;])*?\b(?:were|was)\s+{ENROL_VERB}",
    I,
)
_NAMED_SCORE = re.compile(r"(?:\b[A-Z]{1,6}|\b(?:grade|score|level|stage|class|category|dose|arm|group))\s*$")

_Candidate = tuple[str, int, r.Span, str]  # (role hint, size, span, description)


def find_cohorts(doc: Doc) -> list[r.Cohort]:
    """The study population (the largest group enrolled) and the arms and subgroups sized in the text."""
    cands: list[_Candidate] = []
    for sent in doc.sents:
        s, e = sent
        for m in _COHORT_RE.finditer(doc.text, s, e):
            if found := _counted_patients(doc, sent, m):
                cands.append(found)
        cands.extend(sized_groups(doc, sent))
        if listed := _listed_after_screening(doc, sent, cands):
            cands.append(listed)
        cands.extend(_bare_enrolments(doc, sent))
        cands.extend(fronted_drug_groups(doc, sent))
    if not any(c[0] == "enrolled" for c in cands):  # (a whole split into groups, when nothing is enrolled)
        cands += [w for sent in doc.sents for w in _split_whole(doc, sent, cands)]
    # a number no study of patients reaches is not a count of them ('99999999999999999999 patients')
    # (nor one of another study: 'In an earlier study of 580 patients, ...' in the background)
    cands = [
        c
        for c in cands
        if c[1] <= MAX_PATIENTS
        and not _later_event_group(doc, c, cands)
        and not doc.outside_study(c[2].start)
    ]
    cands = [c for c in cands if c[0] != "screened"] or cands
    # (the evaluable patients enrolled stand for the population only where no other group is enrolled)
    if any(c[0] == "enrolled" for c in cands):
        cands = [c for c in cands if c[0] != "evaluable"]
    else:
        cands = [("enrolled", *c[1:]) if c[0] == "evaluable" else c for c in cands]
    return _cohorts(doc, cands) if cands else []


# 'Overall, 24 patients underwent HSCT', after the population and its results: patients counted for what
# they went on to have, not a group of the design
_WENT_ON_TO = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:(?:subsequently|later|eventually|then|also|ultimately)\s+)?"
    r"(?:underwent|proceeded\s+to|went\s+on\s+to|were\s+(?:subsequently\s+|later\s+)?transplanted)\b",
    I,
)


# 'After 12 months, 12 patients were switched to nilotinib because of intolerance': a later change of
# treatment for what happened, counted after the population
_CHANGED_FOR = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:were|was|had\s+to\s+be)\s+(?:subsequently\s+|later\s+|then\s+)?"
    r"(?:(?:switched|changed|treated|given|transferred)\b[^.;]{0,60}?\b(?:because\s+of|due\s+to|owing\s+to|"
    r"for\s+(?:\w+\s+){0,2}?(?:failure|intolerance|resistance|toxicity|progression|adverse))\b"
    # ('Eight patients were switched to dasatinib and achieved CCyR', after the population: a later change)
    r"|switched\s+to\b)",
    I,
)


def _later_event_group(doc: Doc, c: _Candidate, cands: list[_Candidate]) -> bool:
    hint, n, span, _desc = c
    changed = bool(_CHANGED_FOR.match(doc.text, span.end))
    if hint != "enrolled" or not (changed or _WENT_ON_TO.match(doc.text, span.end)):
        return False
    s = doc.sentence_of(span.start)[0]
    return any(
        o[0] == "enrolled"
        and o[1] > n
        and o[2].end <= s
        and (changed or any(m.kind == "outcome" for m in doc.mentions_in(o[2].end, s)))
        for o in cands
    )


def _cohorts(doc: Doc, cands: list[_Candidate]) -> list[r.Cohort]:
    """The population (the largest group enrolled, else the largest) and one cohort per other size."""
    enrolled = [c for c in cands if c[0] == "enrolled"] or cands
    main = max(enrolled, key=lambda c: (c[1], -c[2].start))
    if _parts_of_an_unsized_whole(doc, main, cands):
        # "Patients in CP (n = 41) or AP (n = 23) received ...", "ponatinib 45 mg (n = 94), 30 mg (n = 94)
        # or 15 mg (n = 94)": the whole is not stated, each is a subgroup (an arm)
        cohorts = [r.Cohort("population", None, main[2], description="the groups sized")]
        seen: set[int] = set()
    else:
        cohorts = [r.Cohort("population", main[1], main[2], description=main[3])]
        seen = {main[1]}
    for hint, n, span, desc in sorted(cands, key=lambda c: c[2].start):
        # two arms of one size ('50 mg (n = 150) or 100 mg (n = 150)') are two cohorts
        twin = hint == "arm" and any(
            c.role == "arm" and c.size == n and doc.sentence_of(c.span.start) == doc.sentence_of(span.start)
            for c in cohorts[1:]
        )
        if (n in seen and not twin) or any(c.span.start == span.start and c.size for c in cohorts):
            continue
        seen.add(n)
        cohorts.append(r.Cohort("subgroup" if hint == "subgroup" else "arm", n, span, description=desc))
    return cohorts


def _parts_of_an_unsized_whole(doc: Doc, main: _Candidate, cands: list[_Candidate]) -> bool:
    """The largest group is a subgroup (or an arm) sized beside others of its kind in its sentence (not
    their sum), and nothing is enrolled."""
    if main[0] not in ("subgroup", "arm") or any(c[0] == "enrolled" for c in cands):
        return False
    sent = doc.sentence_of(main[2].start)
    others = [
        c[1] for c in cands if c is not main and c[0] == main[0] and doc.sentence_of(c[2].start) == sent
    ]
    # ('previously treated (N = 288; resistant, n = 195; intolerant, n = 93)': the largest is their whole)
    return bool(others) and sum(others) != main[1]


def _counted_patients(doc: Doc, sent: tuple[int, int], m: re.Match) -> _Candidate | None:
    """ "40 patients were enrolled", "Of 40 patients enrolled", "(51 patients)" after a dose: a count of
    patients that sizes a group of the design; None for patients counted for what happened to them."""
    text = doc.text
    s, e = sent
    n = as_int(parse_number(m.group("n")))
    # "There were 77 men and 26 women": who the patients were, not a group (but "125 women with CML ...")
    sexes = _SEX_NOUN.search(m.group(0)) and not _WITH_THE_DISEASE.match(text, m.end())
    if not n or sexes:
        return None
    if re.search(r"\bevaluable\b", m.group("adj"), I):
        return _evaluable_enrolled(doc, sent, m, n)
    before = text[max(s, m.start() - 60) : m.start()]
    if _OBSERVED_IN.search(before):
        return None
    enrol_before = bool(ENROL_BEFORE.search(text[max(s, m.start() - 130) : m.start()]))
    # "Of 40 patients enrolled, 36 were evaluable": a fronted group that the study enrolled
    fronted = bool(_FRONTED.fullmatch(text[s : m.start()]) and _FRONTED_ENROLLED.match(text, m.end()))
    # "34 out of 70 patients (49%) replied to the questionnaire": those who took part are the cohort
    part = _PART_BEFORE.search(before)
    if part and _PARTICIPATED.match(text[skip_parens(doc, m.end(), e) : e]):
        k = as_int(parse_number(part.group("k")))
        if k and k < n:
            start = m.start() - (len(before) - part.start())
            return ("enrolled", k, r.Span(start, m.end()), text[start : m.end()])
    if not fronted and not enrol_before and _PART_OF.search(before):
        return None
    after_start = skip_parens(doc, m.end(), e)
    # "193 subjects had also received IFN before enrolment": patients described by prior therapy
    if _HAD_RECEIVED.match(text[after_start : after_start + 60]):
        return None
    after = _NEXT_COHORT.split(text[after_start : min(e, after_start + 160)], maxsplit=1)[0]
    paren_after = text[m.end() : after_start]
    # '317 patients with accelerated (n = 159) or myeloid (n = 74) ... blast phase were randomized': the
    # whole, its parts sized before its verb
    enrol_before = enrol_before or bool(_PARTS_THEN_ENROLLED.match(text, after_start, e))
    # "Thirty-six patients (10%) underwent transplantation": a share of the patients, counted for
    # what they did, not a group of the design
    if _SHARE.fullmatch(paren_after) and not (enrol_before or fronted):
        return None
    # 'A total of 17 patients (12%) progressed': counted for what happened to them, however introduced
    if not fronted and _HAPPENED_TO_THEM.match(text, after_start):
        return None
    em = _ENROLLED_AFTER.match(after)
    # "Three patients progressed to blast crisis and two underwent SCT": patients counted for what
    # happened to them, before the verb that would have made them a group of the design
    if em and _HAPPENED.match(after):
        return None
    in_outcome_sentence = any(o.kind in ("outcome", "adverse_event") for o in doc.mentions_in(s, m.start()))
    # "Progression occurred in 5 patients receiving X (1.9%)", "In 9 patients who were receiving X (3.5%),
    # the drug was switched": counted for an event or what was done (with their share), not the design's
    counted_in = not enrol_before and _IN_BEFORE.search(before)
    if counted_in and (in_outcome_sentence or _SHARE_OF_TREATED.match(text, m.end())):
        return None
    hint = "enrolled" if enrol_before or fronted else _role_hint(doc, sent, m, em, in_outcome_sentence)
    if hint and _screened(text, before, after, after_start, em):
        hint = "screened"
    return (hint, n, r.Span(m.start(), m.end()), text[m.start() : m.end()]) if hint else None


def _screened(text: str, before: str, after: str, after_start: int, em: re.Match | None) -> bool:
    """ "Among 200 patients screened, 150 were enrolled", "315 pts with CML in AP were screened, of whom 243
    were eligible", "We screened 200 patients for eligibility": screened for the study, not its patients
    (but 'We screened 297 patients with imatinib failure for mutations': the patients studied)."""
    return bool(
        _SCREENED.match(text, after_start)
        or (em and _WERE_SCREENED.search(after[: em.end()]))
        or (_WE_SCREENED.search(before) and _FOR_ENTRY.match(after))
    )


_WE_SCREENED = re.compile(r"\bwe\s+(?:\w+ly\s+)?screened\s+(?:\w+\s+){0,3}$", I)
_FOR_ENTRY = re.compile(
    r"[^.;]{0,60}?(?:\bfor\s+(?:eligibility|inclusion|entry|enrol?ment|the\s+(?:study|trial))"
    r"|\b(?:of\s+whom|and)\s+\d+\s+(?:were\s+)?(?:enrolled|eligible|included|randomi[sz]ed))",
    I,
)


def _evaluable_enrolled(doc: Doc, sent: tuple[int, int], m: re.Match, n: int) -> _Candidate | None:
    """'102 evaluable patients ... were treated with X': the population where no other is enrolled."""
    after = doc.text[skip_parens(doc, m.end(), sent[1]) : sent[1]]
    enrolled = _ENROLLED_AFTER.match(after[:160])
    return ("evaluable", n, r.Span(m.start(), m.end()), m.group(0)) if enrolled else None


def _role_hint(
    doc: Doc, sent: tuple[int, int], m: re.Match, em: re.Match | None, in_outcome_sentence: bool
) -> str | None:
    """What a count of patients sizes by the words after it: "enrolled" (an enrolment verb, a
    demographic parenthesis), "arm" ("(51 patients)" after a dose or a drug), or None."""
    text = doc.text
    s, e = sent
    before = text[max(s, m.start() - 60) : m.start()]
    paren_after = text[m.end() : skip_parens(doc, m.end(), e)]
    hint = None
    # "... occurred in 9 patients receiving imatinib": a count of events, not a cohort
    bare = em is not None and not _AUXILIARY.search(em.group(0))
    if em and not (bare and (_IN_AND_BEFORE.search(before) or in_outcome_sentence)):
        hint = "enrolled"
    # "10 patients in chronic phase (6 male and 4 female, median age ...)"
    first_paren = re.search(r"\(([^()]*)", text[m.end() : min(e, m.end() + 90)])
    if (
        first_paren
        and _DEMOGRAPHIC.search(first_paren.group(1))
        and re.search(r"\d", first_paren.group(1))
        and not re.search(r"year[- ]old", first_paren.group(1), I)
    ):
        hint = "enrolled"
    if hint is None and paren_after.strip() and re.search(r"\b(?:female|male|women|men)\b", paren_after, I):
        hint = "enrolled"
    # "(51 patients)" right after a dose or a drug: an arm; "(20 mg/m2 daily for 10 days; 360 patients)":
    # the count that closes the parenthesis of its arm's schedule
    if hint is None and text[m.end() : m.end() + 1] == ")":
        opening = _CLOSES_A_SCHEDULE.search(text, max(s, m.start() - 80), m.start())
        # ('complete cytogenetic responses were seen only with interferon (9 patients)': those counted
        # for an outcome, in a sentence that allocates no one)
        if in_outcome_sentence and not RANDOMISED.search(text, s, e):
            pass
        elif text[max(s, m.start() - 1) : m.start()] == "(":
            if _DOSE_PAREN.search(text[max(s, m.start() - 40) : m.start()]) or any(
                mm.kind in ("drug", "procedure") and mm.end >= m.start() - 25
                for mm in doc.mentions_in(s, m.start())
            ):
                hint = "arm"
        elif opening is not None and stated_doses(doc, opening.start(), m.start()):
            hint = "arm"
    return hint


def _listed_after_screening(doc: Doc, sent: tuple[int, int], cands: list[_Candidate]) -> _Candidate | None:
    """ "178 pts were screened, 170 enrolled and 169 treated": the first step after screening is the
    population; later ones are its parts."""
    text = doc.text
    s, e = sent
    if not _SCREENED.search(text, s, e):
        return None
    listed = _LISTED_ENROL.search(text, s, e)
    n = as_int(parse_number(listed.group("n"))) if listed else None
    if not listed or not n or any(c[2].start == listed.start("n") for c in cands):
        return None
    return ("enrolled", n, r.Span(listed.start("n"), listed.end()), text[listed.start("n") : listed.end()])


def _bare_enrolments(doc: Doc, sent: tuple[int, int]) -> list[_Candidate]:
    """ "150 were randomised": a count with an enrolment verb and no noun."""
    text = doc.text
    s, e = sent
    found = []
    headed = [m for m in _HEADED_ENROL.finditer(text, s, e)]
    for m in [*_BARE_ENROL.finditer(text, s, e), *headed]:
        n = as_int(parse_number(m.group("n")))
        # "DR 100 was assigned", "grade 3 was assigned": a score or level named before it, not patients
        if n and not _NAMED_SCORE.search(text[max(s, m.start() - 12) : m.start()]):
            role = "enrolled" if m.group("verb").lower() in ("enrolled", "included", "treated") else "arm"
            found.append((role, n, r.Span(m.start(), m.end()), text[m.start() : m.end()]))
    for m in _TABLE_N.finditer(text, s, e):
        found.append(("enrolled", int(m.group("n")), r.Span(m.start("n"), m.end("n")), m.group(0).strip()))
    return found


def _split_whole(doc: Doc, sent: tuple[int, int], cands: list[_Candidate]) -> list[_Candidate]:
    """ "174 patients in stable MMR (n = 49) or MR4 (n = 125) ...": a count that the groups sized after it
    in its sentence add up to is the whole they split (the population, when nothing else is enrolled)."""
    s, e = sent
    parts = [c for c in cands if c[0] == "subgroup" and s <= c[2].start < e]
    if len(parts) < 2:
        return []
    for m in _COHORT_RE.finditer(doc.text, s, e):
        n = as_int(parse_number(m.group("n")))
        after = [c[1] for c in parts if c[2].start > m.end()]
        if n and len(after) >= 2 and sum(after) == n and not any(c[2].start == m.start() for c in cands):
            return [("enrolled", n, r.Span(m.start(), m.end()), m.group(0))]
    return []


# 'Of 512 registry patients with CP-CML, 215 received dasatinib and 180 nilotinib': the patients, then the
# groups by the drug each received
