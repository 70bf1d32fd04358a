"""Groups sized by '(n = N)': each an arm, a subgroup or, sized alone before its enrolment verb, the study
population (part of :mod:`cmlkg.extract.relations.cohorts`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, stated_doses
from cmlkg.extract.relations.grammar import ENROL_VERB, SHARE_ENDS, I
from cmlkg.textutil import as_int, parse_number

_Candidate = tuple[str, int, r.Span, str]  # (role hint, size, span, description), as cohorts reads them

_N_EQUALS = re.compile(
    r"[(\[,;:]\s*[nN]\s*=\s*(?P<n>\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?![\d,]\d))\s*"
    r"(?:(?:patients|pts|subjects|cases)\s*)?[)\],;]"
)

_ITEMS_LEAD = re.compile(
    r"\b(?:mainly|mostly|chiefly|predominantly|notably|particularly|primarily|"
    # 'Eight patients switched because of resistance (n = 6) or intolerance (n = 2)': the reasons counted
    r"because\s+of|due\s+to|owing\s+to|"
    # ('The most frequent were prostate cancer (n = 13), breast cancer (n = 9)': the kinds counted)
    r"most\s+(?:frequent|common|prevalent)(?:\s+\w+)?\s+(?:were|was|included|being))\b(?:[^;:()]|\([^()]*\)){0,110}$",
    I,
)
_PRIOR_GROUPS = re.compile(
    r"\b(?:previously\s+treated\s+with|pre-?treated\s+with|after\s+(?:the\s+)?failure\s+of|"
    r"(?:resistant|intolerant|refractory)\s+(?:or\s+intolerant\s+)?to|prior\s+(?:therapy|treatment)\s+with|"
    r"who\s+had\s+(?:failed|received|been\s+treated\s+with)|"
    # 'prior TKIs 1 (n=46), 2 (n=86), >=3 (n=31)': groups by how many therapies they had before
    r"(?:prior|previous)\s+(?:TKIs?|tyrosine\s+kinase\s+inhibitors?|therap(?:y|ies)|treatments?|lines?|regimens?)"
    r"(?!\s+(?:with|of)\b))\b",
    I,
)

_NAMES_AN_ARM = re.compile(r"\b(?:arms?|groups?|cohorts?)\s*(?:[A-Z]|\d{1,2}|I{1,3}|IV)?\s*,?\s*$", I)

RANDOMISED = re.compile(r"\brandomi[sz]", I)

_ALLOCATED = re.compile(r"\b(?:randomi[sz]|assigned|allocated)", I)

_GIVEN = re.compile(r"\b(?:randomi[sz]ed|assigned|allocated|received|treated|given)\b", I)

_TRAIT_BEFORE = re.compile(
    # ('(first line, n = 58; second or later line, n = 210)': the line of therapy, a trait)
    r"(?:resistan(?:t|ce)|intoleran(?:t|ce)|refractory|failure|risk|aged?|years|lines?,?|"
    r"male|female|men|women|positive|negative|mutations?|phase|crisis|"
    # ('with accelerated (n = 159) or myeloid (n = 74) or lymphoid (n = 33) blast phase')
    r"\b(?:chronic|accelerated|blastic|myeloid|lymphoid)|"
    r"\b(?:CP|AP|BP|BC|CML-CP|CML-AP|CML-BP)|[+-])\s*$",
    I,
)

# 'imatinib-resistant patients (n = 40)': the trait before the patient noun
_TRAIT_NOUN_BEFORE = re.compile(
    r"(?:resistant|intolerant|refractory)\s+(?:patients|pts|subjects|cases)\s*$", I
)

_EVALUABLE = re.compile(r"\b(?:evaluable|assessable)\b", I)


def sized_groups(doc: Doc, sent: tuple[int, int]) -> list[_Candidate]:
    """ "(n = 38)": the groups sized by n, each an arm or a subgroup."""
    text = doc.text
    s, e = sent
    found = []
    for m in _N_EQUALS.finditer(text, s, e):
        n = as_int(parse_number(m.group("n")))
        if not n:
            continue
        prev = text[max(s, m.start() - 30) : m.start()]
        if re.search(r"%\s*$", prev) or re.match(r"\s*\d+(?:\.\d+)?\s*%\s*\)", text[m.end() : m.end() + 12]):
            continue  # "53% (n = 16)", "Most patients (n = 61; 76%)": how many had it, not a group
        if SHARE_ENDS.search(text, max(s, m.start() - 70), m.start()):
            continue  # "Half of the patients (n = 30) achieved MMR": how many had it, not a group
        # '... for adverse events, mainly atherothrombotic events (n = 8)': items counted, not groups
        if _ITEMS_LEAD.search(text, max(s, m.start() - 120), m.start()):
            continue
        # "adverse events, mainly muscle cramps (n=9) and rash (n=6)": events counted, not groups
        if any(x.kind == "adverse_event" for x in doc.mentions_in(s, e)) and not _GIVEN.search(text[s:e]):
            continue
        description = text[max(s, m.start() - 30) : m.end()].strip()
        found.append(
            (_sized_group_role(doc, sent, m.start()), n, r.Span(m.start() + 1, m.end() - 1), description)
        )
    return found


_SIZED_SUBJECT = re.compile(
    rf"\s*(?:[A-Z][a-z]+(?:\s+[a-z]+)?\s*:\s*)?(?:All\s+|Adult\s+|Adults?\s+)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\b"
    r"[^;:()]*(?:\([^()]*\)[^;:()]*)?",
    I,
)


def _sized_group_role(doc: Doc, sent: tuple[int, int], at: int) -> str:
    """A group sized by "(n = N)" at ``at``: a subgroup by a baseline trait or prior therapy, an arm by
    a treatment, a dose or randomisation named before it, else a subgroup."""
    text = doc.text
    s, e = sent
    prev = text[max(s, at - 30) : at]
    # "Patients with CML in chronic phase (CML-CP) (n = 39) received ponatinib", "Patients ... pretreated with
    # dasatinib (n = 150) received nilotinib": the sentence's subject, sized alone, then its enrolment verb:
    # the study population
    close = doc.paren_end.get(at)
    if (
        close is not None
        and _SIZED_SUBJECT.fullmatch(text, s, at)
        and not _TRAIT_NOUN_BEFORE.search(prev)
        and len(_N_EQUALS.findall(text, s, e)) == 1  # (not one of several groups sized)
        and re.match(rf"\s*{ENROL_VERB}", text[close : close + 60], I)
    ):
        return "enrolled"
    # "previously treated with imatinib followed by dasatinib (n = 38), nilotinib (n = 50)": groups by
    # what they had before, not arms of the study
    if _PRIOR_GROUPS.search(text, s, at) and not RANDOMISED.search(text[s:e]):
        return "subgroup"
    # a baseline trait before the size: "imatinib resistance (n=79) or intolerance (n=33)", "low risk
    # (n = 50)"
    if (
        _TRAIT_BEFORE.search(prev)
        or _TRAIT_NOUN_BEFORE.search(prev)
        or _EVALUABLE.search(text[max(s, at - 60) : at])
    ):
        return "subgroup"
    if (
        _NAMES_AN_ARM.search(prev)
        or _ALLOCATED.search(text[s:e])
        or any(x.kind in ("drug", "procedure") and x.end >= at - 40 for x in doc.mentions_in(s, at))
        or stated_doses(doc, max(s, at - 40), at)
    ):
        return "arm"
    # "... with myeloid (n = 30) or lymphoid (n = 12) blast phase": no treatment, no arm
    return "subgroup"
