"""Who reached a figure: the subject of a count or percent ('45 of 60 patients (75%)', 'n pts over N
assessable', 'two of them', 'case 5'), its denominator and the group a sentence opens with."""

from __future__ import annotations

import re

from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, PCT, UNIT_AFTER, Value
from cmlkg.extract.relations.cohorts import _COHORT_RE
from cmlkg.extract.relations.coordinated_subjects import (
    GROUP_OPENS,
    SHARE_AT_END,
    in_treatment_group,
    names_a_treatment_group,
)
from cmlkg.extract.relations.denominators import group_denominator, last_group, subject_denominator
from cmlkg.extract.relations.grammar import (
    COUNTED,
    EVENT_REPORTED,
    OUTCOME_VERB,
    PROGRESSION_VERB,
    SHARE_ENDS,
    TIME_VALUE,
    I,
)
from cmlkg.extract.relations.percent_subjects import PERCENT_SUBJECT, percent_subject, share_in_words
from cmlkg.textutil import NUM, as_int, parse_number

# ------------------------------------------------------------------ outcomes

# who reached a figure, in the forms a count is written: 'n', 'n/N', 'n of N', 'n out of N', 'n over N',
# 'n evaluable pts/N', 'n pts over N assessable', each with an optional '(P%)' before or after the noun
_SUBJECT = re.compile(
    rf"(?<![\w])(?:(?P<all_but>\ball\s+but\s+)|(?P<all>\ball\s+(?:the\s+)?)|(?P<none>\b(?:no|none\s+of\s+the)\s+))?"
    rf"(?:(?P<n>{NUM})(?:\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN})?"
    rf"(?:\s*(?:/|(?:\bout\s+of|\bover|\bof)\b(?:\s+(?:the|these|those|all))?)\s*(?P<den0>{NUM})(?![\w.])(?:\s+(?:evaluable|assessable|eligible|evaluated|treated))?)?)?"
    rf"\s*(?:\(\s*(?P<pct0>\d+(?:\.\d+)?){PCT}\s*\)\s*)?"
    rf"(?:(?<!\btotal\s)of\s+(?:(?:the|these|those)\s+)?(?:(?P<den>{NUM})\s+)?(?:\w+\s+)?{PATIENT_NOUN}|(?:{ADJ}{{0,3}}){PATIENT_NOUN}|(?:evaluable\s+)?{PATIENT_NOUN}"
    rf"|(?P<of_them>of\s+(?:them|these|those|whom)))?"
    # ('Eleven out of 15 patients with T315I': a trait of the patients counted; 'Six of the 9 patients (67%)
    # in AP': their phase)
    rf"(?:\s*\(\s*(?P<pct1>\d+(?:\.\d+)?){PCT}\s*\)(?=\s+in\s))?"
    r"(?:\s+(?:with|without|harbou?ring|carrying)\s+(?:the\s+|an?\s+)?[\w-]+(?:\s+mutations?)?"
    r"(?:\s+at\s+(?:baseline|entry|study\s+entry|switch))?"
    # (only of a group counted out of: 'Eighty-four patients in chronic phase with a suboptimal response' is
    # the design's group, not a count of an outcome)
    r"|(?(den0)\s+in\s+(?:the\s+)?(?:(?:chronic|accelerated|blast(?:ic)?|myeloid|lymphoid)\s+(?:phase|crisis)|"
    r"CP|AP|BP|BC|CML-(?:CP|AP|BP))|(?!)))?"
    rf"\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?){PCT}\s*\))?\s*$",
    I,
)


_COUNT_BEFORE = re.compile(
    rf"(?<![\w./])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?){PCT}\s*\)\s*)?(?:{PATIENT_NOUN}\s+(?:with|in|achieving|had)\s+)?(?:a\s+|an\s+)?$",
    I,
)


# "two of them died", "3 of these relapsed": the group is the one just named
_N_OF_THEM_BEFORE_VERB = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?of\s+(?:them|these|those|whom)\s+"
    rf"(?:have\s+|had\s+|subsequently\s+|later\s+|eventually\s+|also\s+)?$",
    I,
)
# a clause whose subject is the one of the clause before: "Case 4 achieved CCyR but relapsed and died"
_ELIDED_SUBJECT = re.compile(
    r"(?:^|,|\b)\s*(?:but|and|then|yet|and\s+then|and\s+later|but\s+later)\s+(?:(?:\w+ly|later|then|soon)\s+)?"
    r"(?:(?:\w+ed|died)\s+(?:and|or)\s+(?:(?:\w+ly|later|then|soon)\s+)?)?$",
    I,
)
# patients named by their numbers: "case 4", "cases 2 and 3", "patients 1-5"
_CASE_NUMBERS = (
    r"(?:cases?|patients?|pts?\.?)\s+(?:no\.?\s*|#\s*)?"
    r"(?P<ids>\d{1,3}(?:\s*(?:,|and|&|,\s*and|-|–)\s*\d{1,3})*)"
)
_CASES_OPEN = re.compile(r"\s*(?:in\s+)?" + _CASE_NUMBERS + r"\b", I)


def _count_cases(ids: str) -> int:
    """How many patients 'cases 2 and 3' (2) or 'cases 1-5' (5) names."""
    span = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", ids.strip())
    return int(span.group(2)) - int(span.group(1)) + 1 if span else len(re.findall(r"\d+", ids))


# an outcome stated by a verb ("relapsed", "died", "did not respond"): its subject comes before it
_EVENT_VERB = re.compile(r"(?:\w+ed|died|did\s+not|didn't|failed|could\s+not)\b", I)
_NO_RESPONSE = re.compile(
    r"\b(?:did\s+not|didn't|failed\s+to|could\s+not)\s+(?:\w+ly\s+)?respond\b"
    r"|\b(?:were|was)\s+(?:primarily\s+|completely\s+)?(?:refractory|non-?responders?|unresponsive)\b",
    I,
)
_CASES_BEFORE = re.compile(r"\b" + _CASE_NUMBERS + r"\s+(?:\w+ly\s+|later\s+|then\s+)?$", I)
_PATIENTS_BEFORE_VERB = re.compile(
    # "four of the 12 patients ... did not respond": four, of 12
    rf"(?:(?<![\w.])(?P<part>{NUM})\s+of\s+(?:the\s+|these\s+|those\s+)?)?"
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s*"
    rf"(?:\(\s*(?P<pct2>\d+(?:\.\d+)?)\s*%\s*\)\s*)?"
    # "four patients with P-gp overexpression did not respond": a short qualifier of the patients
    rf"(?:(?:with|without|in|on|receiving|treated\s+with)\s+(?:[\w/+-]+\s+){{1,4}}?)?"
    rf"(?:have\s+|had\s+|subsequently\s+|later\s+|eventually\s+)?$",
    I,
)


_CASE_IDS = re.compile(
    r"\b" + _CASE_NUMBERS + r"\b"
    r"(?P<rest>(?:\s*\([^()]*\))?\s+(?:\w+\s+){0,3}?)"
    rf"(?:{OUTCOME_VERB})\s+(?:(?:a|an|the|their|his|her|sustained|durable|stable|complete|major|partial|\w+ly)\s+){{0,3}}$",
    I,
)


# a case report's one patient: "he", "she", "the patient"
_THE_PATIENT = r"\b(?:he|she|the\s+patient|this\s+patient|our\s+patient)\s+"
# 'He received ponatinib ... and achieved CHR', 'A 45-year-old man ... was treated with imatinib and achieved
# MMR': the one patient, the response the verb of a later part of the clause
_ONE_PATIENT_LATER = (
    r"(?:\b(?:he|she|the\s+patient)|\b(?:a|an)\s+\d{1,3}-year-old\s+(?:man|woman|male|female|boy|girl|patient))"
    r"\s[^.;]{0,150}?\band\s+(?:then\s+|later\s+|subsequently\s+|eventually\s+)?"
    r"(?:achieved|attained|obtained|reached|regained)"
)
_ONE_PATIENT = re.compile(
    r"(?<!of\s)(?<!in\s)" + _THE_PATIENT + r"(?:(?:\w+ly|then|later|subsequently|also|again|had|has)\s+)*"
    rf"(?:{OUTCOME_VERB})\s+(?:(?:a|an|the|sustained|durable|stable|complete|major|partial|\w+ly)\s+){{0,3}}$"
    rf"|{_ONE_PATIENT_LATER}\s+(?:(?:a|an|the|sustained|durable|stable|complete|major)\s+){{0,3}}$",
    I,
)


_ONE_PATIENT_BEFORE = re.compile(
    _THE_PATIENT + r"(?:\w+\s+){0,2}?"
    r"(?:achieved|attained|obtained|reached|regained|developed|had|experienced|was\s+in|remained\s+in)\b"
    rf"|{_ONE_PATIENT_LATER}\b",
    re.I,
)


def _case_report(doc: Doc) -> bool:
    """Whether the text never counts more than one patient (a case report, not a series)."""
    return not any((parse_number(m.group("n")) or 0) > 1 for m in _COHORT_RE.finditer(doc.text))


def _outcome_subject(doc: Doc, m: Mention, clause_start: int, case_report: bool) -> Value | None:
    """'Seventy of the patients (73%) achieved <m>', '2 <m>', 'no patient progressed to <m>',
    'Cases 2 and 3 achieved <m>' (two patients named by their numbers)."""
    text = doc.text
    pre = text[clause_start : m.start]
    named = _patients_named(doc, m, clause_start, case_report)
    if named is not None:
        return named
    direct = _COUNT_BEFORE.search(pre)
    # 'There were 21, 11 and 23 deaths', '4 and 9 patients progressed': the last count of a list is not
    # the figure of them all
    if direct and _COUNTS_LISTED_BEFORE.search(pre, 0, direct.start()):
        return None
    if direct and (counted := _count_right_before(doc, m, clause_start, direct)) is not None:
        return counted
    if PROGRESSION_VERB.match(text, m.start) or _PROGRESSION_WORD.match(text[m.start :]):
        subj_end = clause_start + len(pre.rstrip())  # where the spaces before the verb start
        return _subject_before(doc, m, clause_start, subj_end)
    if _EVENT_VERB.match(text, m.start, m.end):
        sm = _PATIENTS_BEFORE_VERB.search(pre) or _N_OF_THEM_BEFORE_VERB.search(pre)
        if sm and _COUNTS_LISTED_BEFORE.search(pre, 0, sm.start()):
            return None
        if sm:
            return _event_subject(text, m, clause_start, sm)
        subj_end = clause_start + len(pre.rstrip())
        # '... and one in the flumatinib group died': a count in a treatment group, without its noun
        if PERCENT_SUBJECT.search(pre.rstrip()) or in_treatment_group(doc, clause_start, subj_end):
            return _subject_before(doc, m, clause_start, subj_end)
    gapped = _GAPPED_PERCENT.search(pre)
    if gapped and _GAPPED_END.match(text, m.end):
        # "30% attained MCyR and 22% CCyR", "60% achieved MCyR, 54% CCyR and 40% MMR": the verb of the
        # figure before, elided
        return Value(None, float(gapped.group("p")), None, clause_start + gapped.start("p"), m.end)
    return _verb_subject(doc, m, clause_start)


_COUNTS_LISTED_BEFORE = re.compile(rf"(?<![\w.])(?:{NUM}\s*,\s*)*{NUM}\s*,?\s*(?:and|or)\s*$", I)
_GAPPED_PERCENT = re.compile(
    r"\d\s*%\s+(?:of\s+(?:the\s+)?\w+\s+)?(?:attained|achieved|reached|obtained|had|were\s+in)\s+[^,;%]{1,40}?"
    # '60% achieved MCyR, 54% CCyR and 40% MMR': the items listed between
    r"(?:,\s*\d+(?:\.\d+)?\s*%\s+[^,;%]{1,40}?)*"
    r"(?:\s+and|,\s*and|,)\s+(?:the\s+)?(?P<p>\d+(?:\.\d+)?)\s*%\s+(?:an?\s+)?$",
    re.I,
)
_GAPPED_END = re.compile(
    rf"\s*(?:[.,;)]|$|and\s+\d+(?:\.\d+)?\s*%|(?:at|by|after|within)\s+{TIME_VALUE})",
    re.I,
)
_PROGRESSION_WORD = re.compile(
    r"(?:evolved|progressed|transformed|evolution|progression|went|entered)\b", re.I
)
_NONE_OF_BEFORE = re.compile(r"\b(?:none|no\s+one|neither)\s+of\s+(?:the\s+|these\s+|those\s+)?$", re.I)
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:[<>≤≥=]|\bat|\bafter|\bgrade|\bwithin|-|\bcases?|\bpatients?|\bpts?\.?|\bno\.?|#)\s*$", re.I
)
_PCT_IN_PARENS = re.compile(r"\s*\(\s*(\d+(?:\.\d+)?)\s*%\s*\)")
_VERB_BEFORE = re.compile(
    rf"\s(?P<verb>{OUTCOME_VERB})\s+(?:(?:a|an|the|their|his|her|sustained|durable|ongoing|stable|complete|major|partial|"
    rf"further|subsequent|new|second|2nd|first|1st|transient|late|early|confirmed|\w+ly)\s+){{0,3}}$",
    re.I,
)
_INTO_BEFORE = re.compile(r"\s(?P<verb>\w+)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$", re.I)
_RELATIVE_BEFORE = re.compile(r"\b(?:who|that|which)\s+(?:had\s+|have\s+|has\s+)?(?:\w+ly\s+)?$", re.I)


def _patients_named(doc: Doc, m: Mention, clause_start: int, case_report: bool) -> Value | None:
    """Patients named rather than counted: 'he' in a case report, 'Cases 2 and 3', 'case 5 relapsed'."""
    text = doc.text
    pre = text[clause_start : m.start]
    # "he achieved CHR": one patient, in a case report (a series counts its patients itself)
    one = _ONE_PATIENT.search(pre) if case_report else None
    if one:
        return Value(1, None, None, clause_start + one.start(), m.end)
    cases = _CASE_IDS.search(pre)
    if cases:
        return Value(_count_cases(cases.group("ids")), None, None, clause_start + cases.start(), m.end)
    if not _EVENT_VERB.match(text, m.start, m.end):
        return None
    elided = _ELIDED_SUBJECT.search(pre)
    if elided:
        # an event verb whose subject is the clause's or the sentence's case numbers:
        # "Case 4 attained CCyR but relapsed and died soon", "Patient 3 ... and then relapsed"
        s, _e = doc.sentence_of(m.start)
        opening = _CASES_OPEN.match(text, clause_start) or _CASES_OPEN.match(text, s)
        upto = clause_start + elided.start()
        if opening and not re.search(COUNTED, text[opening.end() : upto], I):
            return Value(_count_cases(opening.group("ids")), None, None, opening.start(), m.end)
    # "case 5 relapsed": patients named by number right before an event verb
    named = _CASES_BEFORE.search(pre)
    if named:
        return Value(_count_cases(named.group("ids")), None, None, clause_start + named.start(), m.end)
    return None


def _count_right_before(doc: Doc, m: Mention, clause_start: int, direct: re.Match) -> Value | None:
    """ "2 CCR", "1 molecular complete response": a number right before the mention."""
    text = doc.text
    pre = text[clause_start : m.start]
    if _NONE_OF_BEFORE.search(pre[: direct.start()]):
        # "None of the 65 patients had progression": none, out of 65
        return Value(0, None, as_int(parse_number(direct.group("n"))), clause_start + direct.start(), m.end)
    if _NOT_A_COUNT_BEFORE.search(pre[: direct.start()]) or UNIT_AFTER.match(pre[direct.end("n") :]):
        return None
    # "Twelve relapses occurred in 10 patients", "15 thrombotic events in 12 pts (8%)": the events counted
    # happened to the patients counted after them, who are the figure
    patients = _EVENTS_IN_PATIENTS.match(text, m.end)
    if patients:
        pct = patients.group("pct")
        n = as_int(parse_number(patients.group("n")))
        den = as_int(parse_number(patients.group("den"))) if patients.group("den") else None
        return Value(n, float(pct) if pct else None, den, m.start, patients.end())
    # "45 CCyR (75%)": the percent may follow the mention
    pct = direct.group("pct") or (
        pm.group(1) if (pm := _PCT_IN_PARENS.match(text[m.end : m.end + 12])) else None
    )
    return Value(
        as_int(parse_number(direct.group("n"))),
        float(pct) if pct else None,
        None,
        clause_start + direct.start(),
        clause_start + direct.end(),
    )


_EVENTS_IN_PATIENTS = re.compile(
    rf"\s+(?:(?:have\s+|had\s+)?been\s+\w+ed\s+|{EVENT_REPORTED}\s+)?(?:in|among)\s+(?P<n>{NUM})(?:\s+(?:out\s+)?of\s+(?:the\s+)?(?P<den>{NUM}))?\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}"
    rf"(?:\s*\(\s*(?P<pct>\d+(?:\.\d+)?){PCT}\s*\))?",
    I,
)


def _event_subject(text: str, m: Mention, clause_start: int, sm: re.Match) -> Value:
    """The patients before an event verb: "12 patients (20%) relapsed", "3 of them died"."""
    pct = sm.group("pct") or sm.groupdict().get("pct2")
    if sm.groupdict().get("part"):
        return Value(
            as_int(parse_number(sm.group("part"))),
            float(pct) if pct else None,
            as_int(parse_number(sm.group("n"))),
            clause_start + sm.start(),
            m.end,
        )
    end = m.end
    # 'Eight patients died (2.6%)': the share after the verb
    after = _PCT_IN_PARENS.match(text, m.end) if pct is None else None
    if after:
        pct, end = after.group(1), after.end()
    return Value(
        as_int(parse_number(sm.group("n"))),
        float(pct) if pct else None,
        group_denominator(text, clause_start + sm.start()),
        clause_start + sm.start(),
        end,
    )


def _verb_subject(doc: Doc, m: Mention, clause_start: int) -> Value | None:
    """The subject of the outcome verb before the mention ('40 patients achieved <m>')."""
    pre = doc.text[clause_start : m.start]
    verb = _VERB_BEFORE.search(pre)
    if not verb:
        verb = PROGRESSION_VERB.search(pre) and _INTO_BEFORE.search(pre)
    if not verb:
        return None
    # "70 achieved CCyR, including 52 (65%) who achieved MMR": the count the relative clause is of
    included = _INCLUDING_WHO.search(pre[: verb.start() + 1])
    if included is not None:
        n, pct = as_int(parse_number(included.group("n"))), included.group("p")
        return Value(n, float(pct) if pct else None, None, clause_start + included.start("n"), m.end)
    # "91% of pts who achieved MCyR were estimated to remain in MCyR": the outcome defines the group,
    # the figure belongs to what follows
    if _RELATIVE_BEFORE.search(pre[: verb.start() + 1]):
        return None
    # 'Twelve patients restarted imatinib and regained MMR': the subject of the verb coordinated before
    shared = _SHARED_SUBJECT.match(pre, 0, verb.start() + 1)
    subj_end = clause_start + (shared.end("s") if shared else verb.start())
    return _subject_before(doc, m, clause_start, subj_end)


_SHARED_SUBJECT = re.compile(
    rf"\W*(?P<s>(?:{NUM})\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:{ADJ}){{0,2}}{PATIENT_NOUN}"
    r"(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?)\s+(?:were\s+)?[a-z]+ed\b(?:(?!\b(?:and|but|who|that)\b)[^,;.()]){0,60}?"
    r"\band\s+(?:then\s+|later\s+|subsequently\s+)?\s?$",
    I,
)
_INCLUDING_WHO = re.compile(
    rf"\bincluding\s+(?P<n>{NUM})(?:\s+{PATIENT_NOUN})?\s*(?:\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\)\s*)?"
    r"(?:who|that)\s+(?:had\s+|also\s+)?\s?$",
    I,
)
_ADVERBS_AT_END = re.compile(
    r"(?:\s+(?:also|subsequently|later|eventually|further|then|still|finally|ultimately|had|have|has|"
    r"had\s+been|have\s+been|already))+\s*$",
    I,
)
_TREATMENT_AT_END = re.compile(
    r"(?<=\))\s+(?:on|with|receiving)\s+(?:[\w-]+\s+){0,2}?\d+(?:\.\d+)?\s*mg(?:\s*(?:/\s*d(?:ay)?|daily))?\s*$",
    re.I,
)
_NO_BEFORE = re.compile(r"\b(?:no|none)\s+(?:\w+\s+){0,3}$", I)
_NO = re.compile(r"\b(?:no|none)\b", I)


def _subject_before(doc: Doc, m: Mention, clause_start: int, subj_end: int) -> Value | None:
    """The figure that is the subject ending at ``subj_end``: a percent ('73% of patients'), a count
    with its denominator and percent ('30 of 40 (75%)'), none ('none of the 35 patients')."""
    text = doc.text
    subject_text = _subject_text(doc, clause_start, subj_end)
    if (share := percent_subject(doc, m, clause_start, subject_text)) is not None:
        return share
    if (share := share_in_words(doc, m, clause_start, subject_text)) is not None:
        return share
    sm = _SUBJECT.search(subject_text[-120:])
    if not sm:
        return None
    start_abs = clause_start + len(subject_text) - len(subject_text[-120:]) + sm.start()
    if sm.group("all") and sm.group("of_them") and not sm.group("n"):
        # "We describe two patients ... All of them achieved MMR": every one of the group last named
        group = last_group(doc, start_abs)
        return Value(group, None, group, start_abs, m.end) if group else None
    if sm.group("none") or _NO_BEFORE.search(subject_text):
        if _NO.search(subject_text[-60:]) and not sm.group("n"):
            # 'none in the flumatinib group died': the group named is part of the figure's phrase
            start = m.start
            if in_treatment_group(doc, clause_start, subj_end):
                start = max(
                    (x.start() for x in _NO.finditer(text, max(clause_start, subj_end - 60), subj_end)),
                    default=start,
                )
            return Value(count=0, start=start, end=m.end)
        if sm.group("none") and sm.group("n"):  # "None of the 35 patients had ...": 0 of 35, never 35
            return Value(0, None, as_int(parse_number(sm.group("n"))), m.start, m.end)
    n = sm.group("n")
    before = subject_text[: len(subject_text) - len(sm.group(0))]
    if not n or re.search(r"[\d.]\s*$", before) or _COUNTS_LISTED_BEFORE.search(before):
        return None
    count = as_int(parse_number(n))
    if count is None:
        return None
    den = subject_denominator(doc, sm, start_abs, count)
    pct_text = sm.group("pct") or sm.group("pct0") or sm.group("pct1")
    if pct_text is None:  # '115 in CCyR (70.5%)': the percent after the mention
        pm = re.match(r"\s*\(\s*(\d+(?:\.\d+)?)" + PCT + r"\s*\)", text[m.end : m.end + 20], I)
        pct_text = pm.group(1) if pm else None
    pct = float(pct_text) if pct_text else None
    if den is not None and (den < count or (pct is not None and den and abs(100 * count / den - pct) > 1.5)):
        den = None  # not a group the count is out of
    if sm.group("all_but"):
        return None
    if sm.group("all") and den is None:
        den = count  # 'All 56 patients obtained CHR': 56 of 56
    return Value(count, pct, den, start_abs, m.end)


def _subject_text(doc: Doc, clause_start: int, subj_end: int) -> str:
    """The text of a subject up to its verb, without the parentheses attached to it ("2 patients (1
    resistant ...) evolved") and the adverbs before the verb ("of whom 30 also achieved")."""
    text = doc.text
    pos = subj_end
    while True:
        q = pos
        while q > 0 and text[q - 1].isspace():
            q -= 1
        closing = doc.parens_ending(q)
        grp = closing[0] if closing else None
        if grp is None or re.fullmatch(
            r"\(\s*(?:n\s*=\s*\d+\s*[;,]\s*)?\d+(?:\.\d+)?" + PCT + r"\s*\)", text[grp[0] : grp[1]], I
        ):
            break
        # 'Half of the patients (n = 30) achieved': the count of the share, not a parenthesis about it
        if re.fullmatch(r"\(\s*n\s*=\s*\d+\s*\)", text[grp[0] : grp[1]], I) and SHARE_ENDS.search(
            text, max(clause_start, grp[0] - 70), grp[0]
        ):
            break
        pos = grp[0]
    # '18 of 34 (53%) on 800 mg achieved': the group's treatment, between the figure and its verb
    subject = _ADVERBS_AT_END.sub(" ", _TREATMENT_AT_END.sub(" ", text[clause_start:pos]))
    # '4 patients in the imatinib arm had progressed', 'two on arm B died': the treatment group counted in
    tail = len(subject.rstrip())
    # ('18 on imatinib (36%) died': the share after the group is the count's)
    share = SHARE_AT_END.search(subject, 0, tail)
    end = share.start() if share else tail
    for group in reversed(list(GROUP_OPENS.finditer(subject, max(0, end - 50)))):
        if names_a_treatment_group(doc, clause_start + group.end(), clause_start + end):
            return subject[: group.start()] + (share.group(0) if share else "") + " "
    return subject
