"""Outcome mentions that name a group or a state rather than a figure of it: 'evaluable for MMR',
'after failure', 'of those with MCyR ... kept it', 'Among patients without MMR at baseline, ...',
'TFR was attempted', 'resistant (n = 13) or intolerant'."""

from __future__ import annotations

import re

from cmlkg.extract.mentions import FRONTED_GROUP, Doc, Mention, clause_bounds
from cmlkg.extract.quantities import PATIENT_NOUN, PCT
from cmlkg.extract.relations.figures import _EVENT_VERB
from cmlkg.extract.relations.grammar import CAUSE, LEVEL, I
from cmlkg.textutil import NUM

_TRIED = re.compile(
    r"\s*(?:\([^()]{0,20}\)\s*)?(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:\w+ly\s+)?"
    r"(?:attempted|tried|planned|offered|considered|proposed|discussed|intended|scheduled|pursued)\b",
    I,
)
_ASSESSED_AFTER = re.compile(
    r"\s*(?:\([^()]{0,20}\)\s*)?(?:(?:assessment|evaluation|monitoring|testing|data|status)\b|"
    r"(?:(?:could|can)\s+be|was|were|has\s+been|have\s+been|is|are)\s+(?:\w+ly\s+)?"
    r"(?:assessed|evaluated|evaluable|assessable|measured|monitored|tested|analy[sz]ed|determined|available)\b)",
    I,
)
# "patients evaluable for molecular response (n = 95)": who could be assessed, not who responded
_EVALUABLE_FOR = re.compile(
    r"\b(?:evaluable|assessable|eligible|evaluated|assessed|tested|monitored)\s+for\s+(?:the\s+|a\s+)?$", I
)
_CONDITION_BEFORE = re.compile(r"\b(?:after|following|despite)\s+(?:an?\s+|the\s+|prior\s+|previous\s+)?$", I)
# 'Among patients without a baseline CCyR, MMR was ...': the group a fronted phrase names, not a figure
_FRONTED_GROUP = re.compile(FRONTED_GROUP + r"(?:with|without|who|not|lacking|in)\b[^,;:()]*$", I)
_FRONTED_GROUP_ENDS = re.compile(r"[^,;:()]{0,40},")
# the responders as a group: '73% of those with MCyR by 12 months kept it' (the figure is of what
# follows), 'survival was 76% for patients with a major cytogenetic response' (a figure stated for them)
_RESPONDERS = r"\s+(?:the\s+|all\s+)?(?:those|patients|pts|subjects|responders)\s+"
_REACHED = r"who\s+(?:had\s+)?(?:achieved|attained|reached|had|were\s+in)"
_THE_RESPONSE = r"\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?$"
_OF_GROUP_WITH = re.compile(rf"\bof{_RESPONDERS}(?:with|in|{_REACHED}){_THE_RESPONSE}", I)
# 'Nine patients with CCyR at 12 months lost it later': the response names the patients counted for an
# event after it
_COUNTED_WITH = re.compile(rf"(?<![\w.]){NUM}(?:\s+{PATIENT_NOUN})?\s+(?:with|in){_THE_RESPONSE}", I)
# what patients named by a response then did (kept it, lost it, stopped, ...)
_LATER = r"kept|maintained|retained|sustained|lost|relapsed|progressed|died|discontinued|stopped"
_EVENT_OF_THE_GROUP = re.compile(rf"[^,;.()]{{0,40}}?\b(?:{_LATER}|switched|underwent)\b", I)
_FOR_GROUP_WITH = re.compile(rf"\b(?:for|among|in){_RESPONDERS}(?:with|{_REACHED}){_THE_RESPONSE}", I)
_OF_RESPONDERS_KEPT = re.compile(
    r"\bof\s+(?:the\s+|these\s+)?(?:responders|responding\s+patients|those\s+who\s+responded)\b[^.;:]{0,30}?"
    r"\b(?:maintained|kept|retained|sustained|preserved|lost)\s+(?:their|the|this|a|an)\s+(?:[\w-]+\s+)?$",
    I,
)
# ('mainly because of intolerance (52% of switches) or resistance (39%)': the second of two reasons too)
_REASON_BEFORE = re.compile(rf"\b(?:for|{CAUSE})\s+(?:[^.;:]{{0,40}}?\s(?:or|and)\s+)?(?:\w+\s+)?$", I)
_IN_THE_PERIOD = re.compile(
    r"(?P<verb>\b(?:were|was|are|is|remained|remain|remains|stayed|still)\s+)?\b(?:in|during|while\s+in)\s+"
    r"(?:the\s+)?$",
    I,
)
_FAILED_TO = re.compile(
    r"\b(?:fail(?:ed|ure|ing|s)?\s+to\s+(?:achieve|attain|reach|obtain)|not\s+(?:achieving|attaining|reaching)|"
    r"lack\s+of|absence\s+of)\s+(?:an?\s+|the\s+|a\s+stable\s+)?$",
    I,
)
_DEFINED_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:was|were|is|are)\s+defined\s+(?:as|by)\b", I)
_GROUP_NOUN_AFTER = re.compile(r"\s+(?:group|arm|cohort|subgroup|stratum)s?\b", I)
_SHARE_OF = re.compile(r"\b(?:proportions?|percentages?|numbers?|rates?|shares?|fractions?)\s*$", I)
_GROUP_VERB_AFTER = re.compile(
    rf"[^,;.]{{0,40}}?\b(?:{_LATER}|remained|achieved|attained|reached|were|was)\b",
    I,
)
# baseline traits, not outcomes: "resistant to imatinib", "resistant (n=13) or intolerant"
# "71 (60%) were resistant and 47 (40%) intolerant to imatinib": the coordinated intolerance says it too
_BASELINE_TRAIT = re.compile(
    # ('62% of resistant and 80% of intolerant patients': the groups of two figures)
    rf"^\s*(?:(?:patients|pts|cases)\b\s*)?(?:\([^()]*\)\s*)?(?:to\b|/|,?\s*(?:or|and)\s+"
    rf"(?:(?:{NUM})\s*(?:\([^()]*\)\s*)?(?:were\s+|was\s+)?|\d+(?:\.\d+)?\s*%\s+(?:of|in|among)\s+(?:the\s+)?)?intoleran"
    # 'MCyR was 54% (resistant 59%, intolerant 42%)': the group's figure between the two labels
    # ('prior imatinib resistant 112 (69%), intolerant 51 (31%)': a count of the group and its share)
    rf"|[:,]?\s*(?:\d+(?:\.\d+)?{PCT}|{NUM}\s*\(\s*\d+(?:\.\d+)?{PCT}\s*\))\s*"
    r"(?:[,;]\s*(?:and\s+)?|\s+and\s+|\s+vs\.?\s+|\s+versus\s+)intoleran)",
    I,
)


# 'Molecular relapse-free survival (loss of MMR) was 61%': a parenthesis that defines the outcome before it
_DEFINITION_OPENS = re.compile(r"\([^()]{0,40}$")
_THRESHOLD = re.compile(LEVEL)  # 'BCR-ABL1 ≤0.1%': a level, not a figure
_FIGURE_IN = re.compile(r"(?<![\w.])\d")  # a number of its own (not the 1 of BCR-ABL1, the 4.5 of MR4.5)


def defines_the_one_before(doc: Doc, m: Mention) -> bool:
    """An outcome named in a parenthesis, without a figure of its own, right after another outcome."""
    text = doc.text
    opens = _DEFINITION_OPENS.search(text, max(0, m.start - 40), m.start)
    if not opens:
        return False
    paren = opens.start()
    close = doc.paren_end.get(paren)
    if close is None or close < m.end or _FIGURE_IN.search(_THRESHOLD.sub(" ", text[paren:close])):
        return False
    return any(
        # ('The MCyR rate (CCyR + PCyR) was 80%': the rate of the one before)
        o.kind == "outcome" and o.end <= paren and re.fullmatch(r"\s*(?:rates?\s*)?", text[o.end : paren], I)
        for o in doc.mentions_in(max(0, paren - 60), paren)
    )


# 'event-free, transformation-free and overall survival were 88%, 93% and 97%': a coordinate that names
# no term of ours shares the figures, so none can be placed
_FREE_COORDINATE = re.compile(
    r"(?<![\w-])[A-Za-z][\w/]*-(?:free|specific)\s*(?:,\s*(?:and|or)?|and|or)\s*$", I
)


def shares_with_an_unknown(doc: Doc, m: Mention) -> bool:
    """Whether outcome mention ``m`` is coordinated with a '-free' or '-specific' outcome the ontology
    does not name."""
    prev = _FREE_COORDINATE.search(doc.text, max(0, m.start - 40), m.start)
    return prev is not None and not doc.mentions_in(prev.start(), prev.end())


def names_a_group(doc: Doc, m: Mention) -> bool:
    """Whether outcome mention ``m`` names who could be assessed, a prior state, a group of responders
    or a baseline trait, rather than a figure of the response."""
    text = doc.text
    return bool(
        _EVALUABLE_FOR.search(text[max(0, m.start - 40) : m.start])
        # "responses were more frequent after suboptimal response (52%) than after failure (31%)":
        # a state the patients were in before, naming a group, not a figure of it
        or _CONDITION_BEFORE.search(text[max(0, m.start - 30) : m.start])
        or (
            (group := _OF_GROUP_WITH.search(text, max(0, m.start - 60), m.start)) is not None
            and _GROUP_VERB_AFTER.match(text, m.end)
            # ('the proportion of patients with MMR at month 12 was 48%' names the figure itself)
            and not _SHARE_OF.search(text, max(0, group.start() - 30), group.start())
        )
        or _FOR_GROUP_WITH.search(text, max(0, m.start - 60), m.start)
        or (
            _COUNTED_WITH.search(text, max(0, m.start - 50), m.start)
            and _EVENT_OF_THE_GROUP.match(text, m.end)
        )
        # '66% of responders had maintained their hematologic response': the durability among responders
        or _OF_RESPONDERS_KEPT.search(text, max(0, m.start - 80), m.start)
        or (
            _FRONTED_GROUP.match(text, doc.sentence_of(m.start)[0], m.start)
            and _FRONTED_GROUP_ENDS.match(text, m.end)
        )
        # 'switched for resistance', 'stopped because of resistance': the reason of what they did
        or (m.term == "NoResponse" and _REASON_BEFORE.search(text, max(0, m.start - 70), m.start))
        # '72% of the MR4 group and 36% of the MMR group': the response names a group
        or _GROUP_NOUN_AFTER.match(text, m.end)
        # "Treatment-free remission was attempted in 30 patients": who tried, not who reached it
        or _TRIED.match(text, m.end)
        # 'Cytogenetic response could be assessed in 150 patients', 'MMR assessment was available in 80'
        or _ASSESSED_AFTER.match(text, m.end)
        # 'MMR was lost by 5 of 60 patients (8%) in TFR': the period the figure of another outcome is in
        or (
            m.term == "TreatmentFreeRemission"
            and (period := _IN_THE_PERIOD.search(text, max(0, m.start - 30), m.start)) is not None
            and not period.group("verb")
            and any(
                o.kind == "outcome" and o.term != m.term
                for o in doc.mentions_in(clause_bounds(text, doc.sentence_of(m.start), m.start)[0], m.start)
            )
        )
        # 'Failure to achieve CHR at 3 months occurred in 5%', 'MMR was defined as ...': not its figure
        or _FAILED_TO.search(text, max(0, m.start - 30), m.start)
        or _DEFINED_AFTER.match(text, m.end)
        or (
            m.term == "NoResponse"
            and not _EVENT_VERB.match(text, m.start, m.end)
            and _BASELINE_TRAIT.match(text[m.end : m.end + 40])
        )
    )


# 'Event-free survival, defined as freedom from loss of response, progression or death, was 81%': the
# events that define an outcome, named before its verb
_DEFINED_AS = re.compile(r"\b(?:defined|measured|calculated)\s+as\b(?:(?!\b(?:was|were|is|are)\b)[^.;])*$", I)


def in_a_definition(doc: Doc, m: Mention) -> bool:
    """Whether outcome mention ``m`` is part of another outcome's definition ('defined as ...')."""
    s, _e = doc.sentence_of(m.start)
    return bool(_DEFINED_AS.search(doc.text, max(s, m.start - 120), m.start))


# ('CHR rates in CP, AP and BP were 90%, 70% and 30%': the phases listed, each a figure's)
_PHASE_WORD = r"(?:CP|AP|BP|BC|chronic|accelerated|blast(?:ic)?|lymphoid|myeloid|phases?|crisis)"
_IN_PHASE_BEFORE = re.compile(
    r"\s+(?:rates?\s+)?(?:in|among|for)\s+(?:the\s+)?(?:patients\s+(?:in|with)\s+)?"
    rf"(?:{_PHASE_WORD}(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+))*",
    I,
)
_PHASE_GROUP_VERB = re.compile(
    rf"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+){_PHASE_WORD})*"
    r"\s*(?:patients|pts|cases|groups?)?\s*(?:were|was|:)",
    I,
)
_TO_PHASES = re.compile(
    # ('Progression to AP/BC': the second phase of the outcome that names the first)
    r"\s*(?:(?:to|into)\s+(?:(?:AP|CP|BP|BC|accelerated|blast\w*|chronic)\s*(?:/|or|and|,)\s*)*|(?:/|or)\s*)",
    I,
)

# ('34 of 40 (85%) CP patients and 9 of 20 (45%) AP patients', '34/40 (85%) CP and 9/20 (45%) AP patients')
_COUNT_OF_PHASE = re.compile(r"(?<![\w.])\d+\s*(?:(?:of|/)\s*\d+\s*)?(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?$")
_PATIENTS = re.compile(r"[-\s]+(?:patients|pts|cases)\b|\s+and\s+\d", I)
_FIGURE_OF_PHASE = re.compile(
    # ('71% for first CP', '71% for patients transplanted in first CP')
    r"\d\s*%\s*(?:\([^()]*\)\s*)?(?:in|for|of|among)\s+(?:(?![\d])[\w-]+(?:\s+|\s*/\s*)){0,4}?$",
    I,
)


def phase_of_the_outcome(text: str, end: int, phase: Mention) -> bool:
    """Whether a phase mention after an outcome (or its list) ending at ``end`` is part of its phrase: the
    phases it names ('freedom from progression to AP/BP at 5 years was 96%') or whose patients the figures
    are of ('The rates of CHR, CCyR and MMR in CP cases were ...', 'was 64% in AP and 32% in BP')."""
    return (
        bool(_TO_PHASES.fullmatch(text, end, phase.start))
        or bool(
            _IN_PHASE_BEFORE.fullmatch(text, end, phase.start) and _PHASE_GROUP_VERB.match(text, phase.end)
        )
        # 'was 64% in AP and 32% in BP', 'by 60% of CP, 40% of AP ...': the phase each figure is of
        or bool(_FIGURE_OF_PHASE.search(text, max(end, phase.start - 40), phase.start))
        # 'reached by 17 AP patients (35%) and 5 BP patients (13%)': the phase of the patients counted
        or bool(
            _COUNT_OF_PHASE.search(text, max(end, phase.start - 20), phase.start)
            and _PATIENTS.match(text, phase.end)
        )
    )


_NONE_OF = re.compile(
    r"\b(?:no|none)\s+(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:patients?|pts?|subjects?|cases?|children|one)\b", I
)
_NO_OPENS_CLAUSE = re.compile(r"(?:^|[,;:]\s*|\band\s+)\s*no\s+$", I)
# 'There were no progressions', 'there were no disease progressions and no CML-related deaths'
_THERE_WAS_NO = re.compile(
    r"\bthere\s+(?:was|were|has\s+been|have\s+been)\s+no\s+(?:[^.;,]{1,60}?\s+and\s+no\s+)?"
    r"(?:[\w-]+-related\s+|further\s+|new\s+|additional\s+)?$",
    I,
)
_CLAUSE_ENDS = re.compile(
    r"(?:\s+(?:to|into)\s+(?:AP|BP|BC|advanced|accelerated|blast)\b[^.;,\d]{0,25}?)?"
    r"\s*(?:\([^()]*\)\s*)?(?=[.;]|$|\s+and\s+no\s)",
    I,
)
_OBSERVED_AFTER = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:was|were|has\s+been|have\s+been)\s+(?:observed|seen|noted|reported|documented|"
    r"recorded)\b(?:\s+(?:in\s+any\s+(?:patient|case)|during\s+[^.;]{1,60}|so\s+far|to\s+date))?\s*(?=[.;]|$)"
    r"|\s*(?:\([^()]*\)\s*)?(?:occurred|was\s+recorded)\s*(?=[.;]|$)",
    I,
)


def none_stated(text: str, cs: int, start: int, end: int) -> bool:
    """Whether the negated outcome at start..end (its clause from ``cs``) says none of the patients had it:
    'none of the patients progressed', 'No progression to blast phase was observed', 'There were no
    disease progressions and no treatment-related deaths'."""
    before = text[cs:start]
    return bool(
        _NONE_OF.search(before)
        or (_NO_OPENS_CLAUSE.search(before) and _OBSERVED_AFTER.match(text, end))
        or (_THERE_WAS_NO.search(before) and _CLAUSE_ENDS.match(text, end))
    )
