"""Adverse events with their grades and counts."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention, clause_bounds
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN
from cmlkg.extract.relations.grammar import CAUSE, COORDINATED, EVENT_REPORTED, I
from cmlkg.textutil import NUM, as_int, parse_number

# ------------------------------------------------------------------ adverse events
_AE_COUNT_BEFORE = re.compile(
    # ('Nine patients (2.0%) developed X': a decimal point is no sentence's end; '9 (2.0%) developed X': the
    # count with its share, the noun left out)
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:(?:{ADJ}{{0,2}}){PATIENT_NOUN}\b|(?=\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+"
    r"(?:also\s+)?(?:developed|had|experienced|presented\s+with)\b))(?:[^.;]|(?<=\d)\.(?=\d))*$",
    I,
)


# ('Among dasatinib-treated patients, 24 developed pleural effusion': the count after the fronted group)
_AE_BARE_COUNT = re.compile(
    # ('..., and one had grade 3 neutropenia': the patients of the clause before, the noun left out)
    rf"(?:(?<=,\s)|(?<=\band\s))(?P<n>{NUM})\s+(?:also\s+)?(?:developed|experienced|presented\s+with|had)\b"
    r"(?:[^.;]|(?<=\d)\.(?=\d))*$",
    I,
)
# an event its clause says did not happen, the denial after it ('Pleural effusion was not seen'; not 'was not
# seen with imatinib but occurred in 10% on dasatinib', an arm's figure follows)
_DENIED_AFTER = re.compile(
    r"(?:\s*\([^()]*\))?[^.;,()]{0,25}?\s(?:(?:was|were|has\s+been|have\s+been|is|are)\s+(?:not|never)|(?:has|have)\s+(?:not|never)\s+been)\s+"
    r"(?:observed|seen|reported|noted|detected|documented|recorded|found|encountered)\b"
    r"(?![^.;]*\b(?:but|whereas|while|however|except|than|compared)\b)(?![^.;]*\d)",
    I,
)
_GENERIC_EVENTS = re.compile(
    r"\b(?:side\s+effects?|adverse\s+(?:events?|reactions?)|AEs?|toxicit(?:y|ies)|events)\b[^.;]*?"
    r"\b(?:mostly|mainly|chiefly|predominantly|including|especially|primarily)\b",
    I,
)


def _count_starts(seg: str) -> list[int]:
    """Where each number of ``seg`` starts."""
    return [c.start() for c in re.finditer(rf"(?<![\w.]){NUM}\s", seg, I)]


_AE_COUNT_AFTER = re.compile(
    rf"\s*(?:\([^()]*\)\s*)?(?:grades?\s*(?:[1-5]|I{{1,3}}|IV|V)(?:\s*(?:-|–|to|/|or|and)\s*(?:[1-5]|I{{1,3}}|IV|V))?\s+)?"
    rf"(?:(?:of\s+)?(?:any|all)\s+grades?\s+)?"  # 'pleural effusion of any grade developed in 34'
    rf"(?:(?:was|were|has\s+been|have\s+been|had)\s+)?(?:\w+ly\s+)?"
    rf"(?:(?:occurred|observed|seen|reported|noted|developed|documented|recorded|found|experienced|diagnosed|"
    rf"detected|identified|encountered)\s+)?(?:in|(?<=reported\s)by|(?<=experienced\s)by)\s+(?P<n>{NUM})\b"
    rf"(?![.,]\d)(?!\s*(?:%|percent\b|per\s+cent\b))"  # a percent is never a count: 'in 14.3% of patients'
    r"(?![\s-]*(?:months?|weeks?|years?|days?|mo|wk|yr)s?\b)"  # nor a time: 'reported by 12 months'
    # nor is the first of a list the event's count: 'in 5, 5 and 3 patients, respectively'
    # (also 'in 5 (5.3%), 5 (5.3%) and 3 (3.2%) patients')
    rf"(?!\s*(?:\([^()]*\)\s*)?(?:,|and|vs\.?|versus)\s*{NUM}\b)",
    I,
)


_COLON_COUNT = re.compile(
    # ('Toxicities: rash 12 pts, headache 9 pts': the colon left out, the noun said)
    rf"(?:\s*:\s*(?P<n>\d+)\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)|{PATIENT_NOUN}\b)|\s+(?P<n4>\d+)\s+(?:pts|patients)\b)"
    r"(?!\s*(?:vs\.?|versus|v\.|,\s*\d|and\s+\d|or\s+\d))",
    I,
)
_GROUP_BEFORE = re.compile(r"\b(?:among|of|in|for)\s+(?:the\s+|all\s+|a\s+total\s+of\s+)?$", I)
_OWN_COUNT = re.compile(
    rf"\s*\(\s*(?:n\s*=\s*(?P<n>\d+)|(?P<n2>\d+)\s+{PATIENT_NOUN})\s*[,;)]"
    # '(ischemic heart disease, n = 5; peripheral arterial occlusive disease, n = 3; ...)'
    r"|\s*,\s*n\s*=\s*(?P<n3>\d+)\s*(?=[,;)])",
    I,
)


# 'Hematologic toxicity consisted of grade 3 or 4 neutropenia ...': a heading over the events it lists
_HEADS_EVENTS = re.compile(
    # ('Hematologic toxicity grade 3-4: neutropenia 20%, ...': the grades the heading is of)
    r"\s*(?:(?:of\s+)?grades?\s*(?:[≥>]=?\s*)?[1-5IV]+(?:\s*(?:-|–|/|to|or|and)\s*[1-5IV]+)?\s*)?"
    r"(?:consisted\s+of|included|includes|comprised|was|were)?\s*(?::|consisted|included|includes|comprised)"
    # not 'Grade 3/4 neutropenia: 30% vs 12%; ...': the event's own figures after its colon
    r"(?!\s*\d)",
    I,
)
_GRADES = (
    # ('grade >=3', 'grade 3 or higher', 'grade 3+': that grade and those above it, to 4)
    r"\bgrades?\s*(?P<ge>[≥>]\s*=?\s*)?(?P<a>IV|V|I{1,3}|[1-5])(?![A-Za-z\d])"
    r"(?P<up>\+|\s+or\s+(?:higher|greater|more|above|worse)\b|\s+and\s+(?:above|higher)\b)?"
    r"(?:\s*(?:-|–|to|/|or|and|,)\s*(?P<b>IV|V|I{1,3}|[1-5])(?![A-Za-z\d]))?"
)
_GRADE_BEFORE = re.compile(_GRADES + r"\s*(?:\w+\s+){0,2}$", I)
_GRADE_AFTER = re.compile(
    # ('thrombocytopenia (any grade 22%, grade 3/4 14%)': the grades after the figure of any grade)
    r"^\s*\(?\s*(?:any\s+grades?\s*:?\s*\d+(?:\.\d+)?\s*%\s*[,;]\s*)?(?:of\s+)?grades?\s*(?P<a>[1-5]|IV|V|I{1,3})(?![\w])(?:\s*(?:-|–|to|/|or|and)\s*(?P<b>[1-5]|IV|V|I{1,3})(?![\w]))?",
    I,
)
_NEW_CLAUSE = re.compile(
    r"\s+(?:(?:was|were|is|has\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    r"(?:diagnosed|suspected|confirmed|seen|noted|reported|observed|documented|recorded)|occurred|developed)\b",
    I,
)
# ('Hematologic toxicity grade >=3: neutropenia 18%, ...': the grades after the heading's noun)
_GRADE_HEADING = re.compile(
    r"\b(?:toxicit(?:y|ies)|adverse\s+events|AEs|events)\s+(?:of\s+)?" + _GRADES + r"\s*:[^.;:]*$", I
)
_GRADE_LEADS = re.compile(
    _GRADES + r"\s+"
    r"(?:[\w-]+\s+){0,2}?(?:adverse\s+events|AEs|toxicit(?:y|ies)|side\s+effects|events|abnormalities)\s*"
    # "Grade 3 and 4 adverse events reported in at least 5% of X-treated patients include ..."
    r"(?:(?:reported|observed|seen|occurring|that\s+occurred)\b[^.;:]{0,70}?\s"
    # ('The most frequent grade >=3 AEs with asciminib were ...': the treatment they were seen with)
    r"|(?:with|on|in|for|of)\s+(?:the\s+)?[\w-]+(?:\s+(?:arm|group))?\s+)?"
    r"(?:include[sd]?|were|was|:|comprised|consisted\s+of|such\s+as|\()",
    I,
)
_PERCENT_THEN_N = re.compile(
    rf"\s*(?:\([^()]*\)\s*)?(?:{EVENT_REPORTED}\s+)?"
    r"in\s+\d+(?:\.\d+)?\s*%\s*(?:of\s+(?:the\s+)?(?:patients|pts|cases)\s*)?\(\s*n\s*=\s*(?P<n>\d+)\s*\)",
    I,
)
_GROUP_AFTER = re.compile(
    rf"\s+(?:(?:{ADJ}){{0,2}}{PATIENT_NOUN}\s+)?(?:who\s+(?:were|are|had\s+been)\s+)?"
    r"(?:receiving|on|treated\s+with|given|taking)\b",
    I,
)
# 'grade 3/4 thrombocytopenia (67% CP, 51% AP), neutropenia (47%, 22%) ...', 'grade 3/4 neutropenia 31%,
# thrombocytopenia 30%': the figures of the event before
_OWN_FIGURES = re.compile(
    r"^\s*(?:\([^()]*\d[^()]*\)|:?\s*\d+(?:\.\d+)?\s*%"
    # 'Grade 3 or 4 neutropenia occurred in 14% of patients, thrombocytopenia in 8%': the list's verb and
    # the figure of the event before, the later events' verb elided
    rf"|\s*(?:{EVENT_REPORTED}\s+)?in\s+"
    # ('... in 8 (6.7%), neutropenia in 6 (5%)', '... in 8 patients (11%) and neutropenia in 5 (7%)')
    r"(?:\d+(?:\.\d+)?\s*%|\d+\s*(?:(?:patients|pts|cases)\s*)?\(\s*\d+(?:\.\d+)?\s*%\s*\)|\d+\s+(?:patients|pts|cases))"
    r"(?:\s+of\s+(?:the\s+)?(?:patients|pts))?(?=\s*(?:,|and\b)))",
    I,
)
_PREVENTED = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:prophylaxis|prevention)\b", I)
_CAUSED_BY = re.compile(rf"\b(?:{CAUSE}|for)\b", I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def find_adverse_events(doc: Doc) -> list[r.AdverseEvent]:
    """The adverse events stated, one per grade, each with the count of patients it is stated for."""
    out: list[r.AdverseEvent] = []
    seen: dict[tuple[str, int | None], int] = {}  # (term, grade) -> its index in out
    prev_ae: tuple[Mention, re.Match | None] | None = None
    for m in doc.mentions:
        # (not an event of the background: the study's own mention of it, later, is the one kept)
        if m.kind != "adverse_event" or doc.outside_study(m.start) or doc.negated(m) or _heads_events(doc, m):
            continue
        if _PREVENTED.match(doc.text, m.end):  # 'graft-versus-host disease prophylaxis': what was prevented
            continue
        if _DENIED_AFTER.match(doc.text, m.end):  # 'QTc prolongation > 500 ms was not observed'
            continue
        if _comorbidity(doc, m):  # 'a history of coronary artery disease', 'hypertension at baseline'
            continue
        g = _grade_match(doc, m, prev_ae)
        prev_ae = (m, g)
        grades = _grades(g) if g else [None]
        count = _event_count(doc, m)
        # 'grade 3/4 neutropenia in 19 patients': 19 had grade 3 or 4, not 19 each; a count that spans
        # several grades is on none of them (a query summing over grades would count it twice)
        per_grade = count if len(grades) == 1 else None
        for grade in grades:
            key = (m.term, grade)
            event = r.AdverseEvent(m.term, r.Span(m.start, m.end), grade, per_grade)
            if key not in seen:
                seen[key] = len(out)
                out.append(event)
            elif out[seen[key]].count is None and per_grade is not None:
                # named first without a count (a title, 'cardiovascular events (CVEs)'), counted later
                out[seen[key]] = event
    # an event with a grade makes the same event without a grade redundant
    graded = {a.term for a in out if a.grade is not None}
    return [a for a in out if a.grade is not None or a.term not in graded]


_COMORBIDITY_BEFORE = re.compile(
    r"\b(?:history\s+of|risk\s+factors?|comorbidit\w*|pre-?existing|underlying)\b[^.;:]{0,60}$", I
)
_BASELINE_AFTER = re.compile(
    r"\s+(?:at\s+baseline|before\s+(?:treatment|therapy|the\s+study|enrol\w*))\b"
    # 'diabetes (HR 3.1) and hypertension (HR 2.4) were associated with AOE': a covariate with its ratio
    r"|\s*\(\s*(?:a?HR|a?OR|RR|sHR|SHR|hazard\s+ratio|odds\s+ratio)\b",
    I,
)


def _comorbidity(doc: Doc, m: Mention) -> bool:
    """An event named as a condition the patients had before (a comorbidity or a risk factor)."""
    cs, _ = clause_bounds(doc.text, doc.sentence_of(m.start), m.start)
    return bool(_COMORBIDITY_BEFORE.search(doc.text, max(cs, m.start - 80), m.start)) or bool(
        _BASELINE_AFTER.match(doc.text, m.end)
    )


def _heads_events(doc: Doc, m: Mention) -> bool:
    """'Hematologic toxicity consisted of grade 3 or 4 neutropenia ...': a heading over events."""
    # (not '... due to transient thrombocytopenia: no extra-hematological toxicity has been recorded')
    heads = bool(_HEADS_EVENTS.match(doc.text[m.end : m.end + 30]))
    # 'Grade 3/4 hematologic adverse events were thrombocytopenia (76%), ...': the events it is, named
    copula = None if heads else _IS_NAMED.match(doc.text, m.end)
    if not heads and copula is None:
        return False
    later = next(
        (
            o
            for o in doc.mentions_in(m.end, doc.sentence_of(m.start)[1])
            if o.kind == "adverse_event" and o.start > m.end and not doc.negated(o)
        ),
        None,
    )
    return later is not None and (heads or (copula is not None and later.start == copula.end()))


_IS_NAMED = re.compile(r"\s*(?:were|was|are|is)\s+(?:(?:mainly|mostly|chiefly|predominantly)\s+)?", I)


def _grade_match(doc: Doc, m: Mention, prev_ae: tuple[Mention, re.Match | None] | None) -> re.Match | None:
    """The grades stated for an event: before it, after it, shared with the event coordinated before
    it, or leading its clause ('Grade 3 and 4 adverse events were ...')."""
    text = doc.text
    s, _ = doc.sentence_of(m.start)
    g = _GRADE_BEFORE.search(text[max(s, m.start - 40) : m.start]) or _GRADE_AFTER.match(
        text[m.end : m.end + 50]
    )
    if g:
        return g
    # "grade 3 or 4 hematologic and nonhematologic toxicities": coordinated events share the grades, also
    # after the figures of the one before
    # (not '..., and acute pancreatitis was diagnosed': a new clause)
    if (
        prev_ae is not None
        and prev_ae[1] is not None
        and prev_ae[1].re is not _GRADE_AFTER  # its own grades, after it ('rash (grade 3 in 2%), headache')
        and COORDINATED.fullmatch(_OWN_FIGURES.sub("", text[prev_ae[0].end : m.start], count=1))
        and not _NEW_CLAUSE.match(text[m.end : m.end + 40])
        # ('Grade II-IV acute GVHD occurred in 38% and chronic GVHD in 45%': chronic GVHD has no such grades)
        and not (_ACUTE.match(text, prev_ae[0].start) and _CHRONIC.match(text, m.start))
    ):
        return prev_ae[1]
    cs0, _ = clause_bounds(text, doc.sentence_of(m.start), m.start)
    return _GRADE_LEADS.search(text[cs0 : m.start]) or _GRADE_HEADING.search(text, s, m.start)


_ACUTE = re.compile(r"acute\b", I)
_CHRONIC = re.compile(r"chronic\b|\bc(?=GVHD)", I)


def _grades(g: re.Match) -> list[int | None]:
    """'grade 3-4' -> [3, 4], 'grade III' -> [3], 'grade >=3' -> [3, 4]."""
    a = int(g.group("a")) if g.group("a").isdigit() else _ROMAN[g.group("a").upper()]
    if g.groupdict().get("ge") or g.groupdict().get("up"):
        return list(range(a, 5)) if a < 4 else [a]
    b_text = g.group("b")
    b = (int(b_text) if b_text.isdigit() else _ROMAN[b_text.upper()]) if b_text else a
    return list(range(min(a, b), max(a, b) + 1)) if abs(b - a) <= 4 else [a, b]


def _event_count(doc: Doc, m: Mention) -> int | None:
    """The patients an event is stated for: its own "(n=9)", a count before it in its clause, or one
    after it ('occurred in 6 patients')."""
    text = doc.text
    cs, _ = clause_bounds(text, doc.sentence_of(m.start), m.start)
    # (the nearest count: 'Among 452 patients treated with dasatinib, 9 (2.0%) developed X')
    cs = max(cs, m.start - 200)  # (a count states its event within a few words: the reading stays linear)
    seg = text[cs : m.start]
    cm = next(
        (
            c
            for k in reversed(_count_starts(seg))
            if (c := _AE_COUNT_BEFORE.match(seg, k) or _AE_BARE_COUNT.match(seg, k))
        ),
        None,
    )
    # 'Thirty patients reported side effects, mostly fatigue and cramps': the count is of the side effects
    if cm and _GENERIC_EVENTS.search(seg, cm.end("n")):
        cm = None
    # "Among 210 patients treated with dasatinib, pleural effusion ...": the group the events are counted in
    if cm and _GROUP_BEFORE.search(text[cs : cs + cm.start()]):
        cm = None
    # "Dose reductions were needed in 11 patients (31%) because of toxicity, mostly grade 2 fatigue": the
    # count is of what the toxicity caused, not of the event
    if cm and _CAUSED_BY.search(text[cs + cm.end("n") : m.start]):
        cm = None
    # "fatigue in 12 patients and weight gain in 5": a count before another event is that one's
    if cm and any(
        o.kind == "adverse_event"
        and o is not m
        and (
            cs + cm.end("n") <= o.start < m.start
            or (
                o.end <= cs + cm.start()
                and re.fullmatch(r"[^.;,]{0,40}?\bin\s+|\s*:?\s*", text[o.end : cs + cm.start()])
            )
        )
        for o in doc.mentions_in(max(0, cs - 200), m.start)
    ):
        cm = None
    # "mainly muscle cramps (n=9) and rash (n=6)": the event's own count, before any other;
    # "Neutropenia: 12 (20%); anemia: 6 (10%)"
    own = _OWN_COUNT.match(text, m.end) or _COLON_COUNT.match(text, m.end)
    if own:
        groups = own.groupdict()
        return as_int(parse_number(next((v for v in groups.values() if v), "")))
    if cm:
        return as_int(parse_number(cm.group("n")))
    # 'pleural effusion in 3.2% (n = 4)': the count behind the percent
    behind = _PERCENT_THEN_N.match(text, m.end)
    if behind is not None:
        return int(behind.group("n"))
    # "pleural effusion occurred in 6 patients (10%)", "neutropenia was seen in 12"
    am = _AE_COUNT_AFTER.match(text, m.end)
    # "in 9 patients who were receiving 100 mg (4.4%) and in 2 on 50 mg": the count of one group only
    if am is None or _GROUP_AFTER.match(text, am.end()):
        return None
    return as_int(parse_number(am.group("n")))
