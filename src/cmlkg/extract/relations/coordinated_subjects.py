"""Subjects coordinated before one verb, each a figure of the outcome after it: '69% of X-treated and 60%
of Y-treated patients had reached CCyR', '21 of 50 patients (42%) on 600 mg and 18 of 34 (53%) on 800 mg
achieved CCyR', '4 patients on imatinib and 1 on flumatinib had progressed'; and the treatment group a
count names between itself and its verb."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import PATIENT_NOUN, PCT, Value
from cmlkg.extract.relations.grammar import LEVEL_SIGN, PAIR_IN_PARENS, TIME_PHRASE, TIME_VALUE, I
from cmlkg.extract.relations.outcome_phrases import pct_length
from cmlkg.textutil import NUM, as_int, parse_number

# "25% and 31% of patients in A and B had attained X", "11.3% vs 3.9% achieved MMR": the figure before
# (a figure, not a level: 'had BCR-ABL1 ≤0.1% and 40% had ...')
_FIGURE_NOT_LEVEL = rf"(?<![\w.=])(?<!{LEVEL_SIGN})(?<!{LEVEL_SIGN}\s)(?<!=\s)(?P<p>\d+(?:\.\d+)?){PCT}"
_LISTED_PCT = re.compile(
    rf"{_FIGURE_NOT_LEVEL}\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+(?:vs\.?|versus|v\.?)\s+)$", I
)
_COORDINATED_PCT = re.compile(rf"{_FIGURE_NOT_LEVEL}\s+of\s+[^,;:()%]{{0,60}}?\s+and\s+$", I)
_COORDINATED_COUNT = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:of|/)\s*(?P<den>\d+)(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?"
    r"(?:\s+(?:on|with|receiving|in\s+the)\s+[^,;:()%]{1,30}?)?\s*,?\s+and\s+$",
    I,
)


def coordinated_subjects(doc: Doc, m: Mention, subj: Value, out: r.Outcome, cs: int) -> list[r.Outcome]:
    """The figures coordinated before ``subj``, the subject of ``out`` (outcome mention ``m``; clause
    from ``cs``), each with ``out`` as its partner."""
    text = doc.text
    found: list[r.Outcome] = []
    first = None
    if subj.count is None:
        # "69% of X-treated patients and 60% of Y-treated patients had reached CCyR": coordinated subjects
        # "25% and 31% of patients in A and B had attained X, respectively": the figure listed before it
        first = _COORDINATED_PCT.search(text, max(cs, subj.start - 120), subj.start) or _LISTED_PCT.search(
            text, max(cs, subj.start - 40), subj.start
        )
    # '73% of patients achieved MCyR and 46% of patients achieved MMR': a figure with an outcome of its
    # own between is not this one's
    if first is not None and any(x.kind == "outcome" for x in doc.mentions_in(first.start(), subj.start)):
        first = None
    if first is not None and subj.percent is not None:
        end = first.end("p") + pct_length(text, first.end("p"))
        found.append(
            r.Outcome(m.term, r.Span(first.start(), end), None, float(first.group("p")), partner=out)
        )
    # '21 of 50 patients (42%) on 600 mg and 18 of 34 (53%) on 800 mg achieved CCyR': counts coordinated
    counted = (
        _COORDINATED_COUNT.search(text, max(cs, subj.start - 120), subj.start) if subj.denominator else None
    )
    if counted and not any(x.kind == "outcome" for x in doc.mentions_in(counted.start(), subj.start)):
        n, den = as_int(parse_number(counted.group("n"))), int(counted.group("den"))
        pct = float(counted.group("p")) if counted.group("p") else None
        if n is not None and n <= den:
            found.append(
                r.Outcome(m.term, r.Span(counted.start(), _figure_end(counted)), n, pct, den, partner=out)
            )
    elif subj.count is not None and (other := coordinated_group_count(doc, subj, cs)) is not None:
        found.append(
            r.Outcome(m.term, r.Span(other.start, other.end), other.count, other.percent, partner=out)
        )
    return found


def _figure_end(m: re.Match) -> int:
    """Where a coordinated figure ends, before the 'and' that joins it to the next."""
    return m.start() + len(re.sub(r"\s*,?\s+and\s+$", "", m.group(0)))


def in_treatment_group(doc: Doc, clause_start: int, end: int) -> bool:
    """Whether the subject ending at ``end`` ends with the treatment group its count is in (and perhaps
    the count's share: '18 on imatinib (36%)')."""
    share = SHARE_AT_END.search(doc.text, clause_start, end)
    end = share.start() if share else end
    return any(
        names_a_treatment_group(doc, g.end(), end)
        for g in GROUP_OPENS.finditer(doc.text, max(clause_start, end - 50), end)
    )


def coordinated_group_count(doc: Doc, subj: Value, clause_start: int) -> Value | None:
    """ "4 patients on imatinib and 1 on flumatinib progressed", "two in arm A and none in arm B died": the
    count of another treatment group coordinated before a subject that names its own."""
    text = doc.text
    own = GROUP_OPENS.search(text, subj.start, subj.end)
    if own is None:
        return None
    lo = max(clause_start, subj.start - 90)
    cm = _COUNT_IN_GROUP.search(text, lo, subj.start)
    if cm is None or not names_a_treatment_group(doc, cm.end("open"), cm.end("g")):
        return None
    n = 0 if cm.group("n").lower() in ("no", "none") else as_int(parse_number(cm.group("n")))
    pct = float(cm.group("p") or cm.group("p2")) if cm.group("p") or cm.group("p2") else None
    return Value(n, pct, None, cm.start(), cm.end("g")) if n is not None else None


_COUNT_IN_GROUP = re.compile(
    rf"(?<![\w.])(?P<n>{NUM}|no|none)(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?"
    r"(?P<open>\s+(?:on|receiving|treated\s+with|given|in)\s+(?:the\s+)?)(?P<g>[^,;:()%]{1,40}?)"
    # ('Twelve patients on A (24%) and 18 on B (36%) discontinued': the share after the group)
    r"(?:\s*\(\s*(?P<p2>\d+(?:\.\d+)?)\s*%\s*\))?\s*,?\s+and\s+$",
    I,
)
SHARE_AT_END = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*$")
GROUP_OPENS = re.compile(r"(?<=\w|\))\s+(?:on|receiving|treated\s+with|given|in)\s+(?:the\s+)?", I)
_GROUP_WORDS = re.compile(
    r"\b(?:arms?|groups?|cohorts?|and|or|plus|alone|the|therapy|treatment)\b|[-/+]"
    # ('dasatinib-treated patients', 'patients treated with imatinib'): the patients of the group
    r"|\b(?:patients|pts|subjects|treated|receiving|given|with|on)\b"
    # ('radotinib 300 mg', 'imatinib 400 mg daily'): the drug's dose names the group too
    r"|\b\d+(?:\.\d+)?\s*-?\s*mg\b(?:\s*/\s*d(?:ay)?|\s+(?:once\s+|twice\s+)?daily)?",
    I,
)
_ARM_LABEL = re.compile(
    r"(?:arm|group|cohort)\s+(?:[A-D]|[1-4]|I{1,3}|IV)"
    r"|\d+(?:\.\d+)?\s*-?\s*mg(?:\s*/\s*d(?:ay)?|\s+daily)?(?:\s+(?:arm|group|cohort|dose))?",
    I,
)


def names_a_treatment_group(doc: Doc, start: int, end: int) -> bool:
    """Whether the words at start..end name a group by its treatment: a drug ('imatinib', 'the imatinib
    arm'), a dose ('the 400-mg arm') or an arm's label ('arm B'); not 'the high-risk group'."""
    words = doc.text[start:end]
    if _ARM_LABEL.fullmatch(words.strip()):
        return True
    drugs = [x for x in doc.mentions_in(start, end) if x.kind in ("drug", "procedure")]
    for x in drugs:
        words = words[: x.start - start] + " " * (x.end - x.start) + words[x.end - start :]
    rest = _GROUP_WORDS.sub(" ", words)
    return bool(drugs) and not rest.strip()


# ('58 patients achieved MMR at 12 months, compared with 40 in arm A': the outcome's time point between)
_COMPARED_OPENS = re.compile(rf"\s*(?:{TIME_PHRASE}\s*)?,?\s*(?:compared\s+(?:with|to)|versus|vs\.?)\s+", I)
_GROUP_COUNT = re.compile(
    rf"(?P<n>{NUM}|none|no\s+(?:patients?|pts))(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?"
    r"(?P<open>\s+(?:on|in|receiving|treated\s+with|given)\s+(?:the\s+)?)(?P<g>[^,;.()]{1,40}?)"
    r"(?=\s*(?:,|;|\.|\band\b|$))",
    I,
)
# '..., whereas 2 did in the imatinib group': a count of another treatment group, its verb a pro-verb
_DID_IN_GROUP = re.compile(
    rf"[^,;.()%\d]{{0,30}}?,?\s+(?:whereas|while|but)\s+(?P<n>{NUM}|none)(?:\s+{PATIENT_NOUN})?"
    r"(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s+did(?:\s+so)?\s+(?:on|in|with)\s+(?:the\s+)?"
    r"(?P<g>[^,;.()]{1,40}?)(?=\s*(?:[,;.]|$))",
    I,
)
_ITEMS_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", I)


def compared_group_counts(doc: Doc, pos: int, end: int) -> list[Value]:
    """ "No patient on A progressed, compared with 1 on B and 2 on C": the counts of other treatment
    groups compared after an outcome, from ``pos`` (its end) to ``end`` (its clause's)."""
    text = doc.text
    if did := _DID_IN_GROUP.match(text, pos, end):
        n = 0 if did.group("n").lower() == "none" else as_int(parse_number(did.group("n")))
        if n is None or not names_a_treatment_group(doc, did.start("g"), did.end("g")):
            return []
        return [
            Value(n, float(did.group("p")) if did.group("p") else None, None, did.start("n"), did.end("g"))
        ]
    opens = _COMPARED_OPENS.match(text, pos, end)
    found: list[Value] = []
    at = opens.end() if opens else -1
    while at >= 0 and (gm := _GROUP_COUNT.match(text, at, end)) is not None:
        if not names_a_treatment_group(doc, gm.end("open"), gm.end("g")):
            break
        word = gm.group("n").lower()
        n = 0 if word.startswith(("no", "none")) else as_int(parse_number(gm.group("n")))
        if n is None:
            break
        found.append(Value(n, float(gm.group("p")) if gm.group("p") else None, None, gm.start(), gm.end("g")))
        join = _ITEMS_JOIN.match(text, gm.end(), end)
        at = join.end() if join else -1
    return found


_LATER_FIGURE = re.compile(
    r"[^,;.()%\d]{0,40}?(?:\s*\b(?:at|by|after)\s+\d+\s*(?:weeks?|months?|years?))?"
    rf",?\s+and\s+(?P<at>(?:at|by|after)\s+{TIME_VALUE}[^,;.()%]{{0,20}}?),?\s+"
    rf"(?:(?P<n>{NUM})(?:\s+{PATIENT_NOUN})?\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\)|(?P<p2>\d+(?:\.\d+)?)\s*%)"
    r"(?:\s+(?:still\s+)?did(?:\s+so)?)?\s*(?=[.;]|$)",
    I,
)


def later_figure(doc: Doc, m: Mention, subj: Value, ce: int) -> r.Outcome | None:
    """'73 patients (57.9%) remained in MMR at 48 weeks, and at 96 weeks 67 (53.2%)', '... remained in MMR
    without treatment, and at 96 weeks, 67 (53.2%) did': the same outcome at another time, its verb elided
    or a pro-verb (a figure of the same kind as the subject's), before ``ce``."""
    later = _LATER_FIGURE.match(doc.text, m.end, ce)
    if later is None:
        return None
    count = as_int(parse_number(later.group("n"))) if later.group("n") else None
    if (subj.count is None) != (count is None):
        return None
    pct = float(later.group("p") or later.group("p2"))
    return r.Outcome(m.term, r.Span(later.start("at"), later.end()), count, pct)


# ('CCyR at 6 months (57% vs 46%)': the outcome's time point between)
# ('higher MMR rates at 6 months (34% vs 18%; P < .001)': the rate's noun after the outcome)
_PAIR_AFTER = re.compile(rf"(?:\s+rates?)?(?:\s+{TIME_PHRASE})?\s*" + PAIR_IN_PARENS, I)
# what a drug as a subject does to a rate: 'Dasatinib produced higher rates of MMR'
_PRODUCED = r"(?:produced|yielded|induced|resulted\s+in|led\s+to|was\s+associated\s+with|gave|provided)"
_ARM_SUBJECT = re.compile(
    r"(?:\b(?:patients|pts|those)\s+(?:on|receiving|treated\s+with|given|in)\s+(?:the\s+)?(?P<g>[^,;()]{1,40}?)"
    # 'Dasatinib-treated patients had', 'Dasatinib produced higher rates': the group or its drug, the clause's
    # subject
    # ('The dasatinib arm had higher rates of CCyR (77% vs 66%)': the arm itself)
    rf"|^\W*(?:(?:at|by|after)\s+[^,;()]{{1,25}},\s*|compared\s+(?:with|to)\s+[^,;()]{{1,40}},\s*)?"
    rf"(?:the\s+)?(?P<g2>[\w-]+?)(?:-treated\s+(?:patients|pts)|\s+(?:arm|group|cohort)|(?=\s+{_PRODUCED})))\s+"
    rf"(?:had|showed|achieved|attained|experienced|{_PRODUCED})\b",
    I,
)


_THAN_DRUG_PAIR = re.compile(
    r"\s+than\s+(?:with\s+|in\s+|on\s+)?(?:the\s+)?(?P<g>[\w-]+)(?:\s+(?:arm|group))?\s*" + PAIR_IN_PARENS,
    I,
)


def rates_of_an_arm(doc: Doc, cs: int, start: int, end: int) -> bool:
    """'Patients on 600 mg had higher rates of MCyR (28% vs 16%)': a pair of rates right after an outcome
    that ends at ``end``, whose clause (from ``cs`` to ``start``) has a treatment group for subject
    (not 'Patients with levels above X had higher rates of CCyR (89% vs 72%)': groups of a trait)."""
    if _PAIR_AFTER.match(doc.text, end):
        sm = _ARM_SUBJECT.search(doc.text[cs:start])  # (on the clause alone: its '^' is the clause's start)
        g = "g" if sm is not None and sm.group("g") else "g2"
        return sm is not None and names_a_treatment_group(doc, cs + sm.start(g), cs + sm.end(g))
    # 'Dasatinib resulted in higher rates of MMR than imatinib (46% vs 28%)': a drug against a drug
    than = _THAN_DRUG_PAIR.match(doc.text, end)
    if than is None:
        return False
    first = doc.mentions_in(cs, min(start, cs + 40), "drug")
    return bool(first) and bool(doc.mentions_in(than.start("g"), than.end("g"), "drug"))
