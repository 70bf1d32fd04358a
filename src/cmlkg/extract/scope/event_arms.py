"""The arms an adverse event is reported for (part of :mod:`cmlkg.extract.scope`): a pair of figures in a
two-arm study, or the arms named after the event's figures."""

from __future__ import annotations

import re
from collections import Counter

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import PCT, UNIT_AFTER
from cmlkg.extract.relations.coordinated_subjects import names_a_treatment_group
from cmlkg.extract.relations.grammar import COORDINATED, EVENT_REPORTED
from cmlkg.extract.scope.arms import Arm
from cmlkg.extract.scope.references import Refs
from cmlkg.textutil import NUM

_PAIR_AFTER = re.compile(
    # ('neutropenia was more frequent with 800 mg (19% vs 12%)': the comparison between)
    r"(?:\s+(?:was|were)\s+(?:\w+\s+)?(?:more|less)\s+(?:frequent|common)(?:ly\s+\w+)?\s+(?:with|in|on)\s+[^().;]{1,40}?)?"
    r"\s*\(\s*\d+(?:\.\d+)?\s*%?\s*(?:vs\.?|versus|v\.?)\s*\d+(?:\.\d+)?\s*%?\s*[,;)]"
    # ('neutropenia (dasatinib 21% vs imatinib 20%)': each figure after its arm's name)
    r"|\s*\(\s*[A-Za-z][\w-]*\s+\d+(?:\.\d+)?\s*%?\s*(?:vs\.?|versus|v\.?)\s*[A-Za-z][\w-]*\s+\d+(?:\.\d+)?\s*%?\s*[,;)]"
    # 'rash was reported in 10% versus 3% of patients'
    # 'grade 3/4 neutropenia: 30% vs 12%', 'neutropenia (grade 3/4): 30% vs 12%', 'diarrhea 36.7% vs 15.7%'
    r"|\s*(?:\([^()]*\)\s*)?:?\s*\d+(?:\.\d+)?\s*%?\s*(?:vs\.?|versus|v\.?)\s*\d+(?:\.\d+)?\s*%?\s*(?:[,;.)]|$)"
    # '... and grade 3/4 thrombocytopenia in 20% vs 9%': the verb elided
    r"|(?:\s+(?:(?:was|were)\s+(?:\w+\s+)?(?:reported|seen|observed|noted|found|more\s+frequent)|occurred|developed))?"
    r"\s+in\s+\d+(?:\.\d+)?\s*(?:%|percent\b)\s*"
    r"(?:vs\.?|versus|v\.?|and)\s*\d+(?:\.\d+)?\s*(?:%|percent\b)"
    # 'pleural effusion occurred in 28 and 2 patients, respectively': counts, one per arm
    rf"|(?:\s+{EVENT_REPORTED})?"
    r"\s+in\s+\d+\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?\s*(?:and|vs\.?|versus)\s*\d+\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?"
    r"\s*(?:patients|pts|subjects)?,?\s+respectively",
    re.I,
)
# 'AOEs occurred in 9 (9.6%), 5 (5.3%) and 3 (3.2%) patients, respectively': one figure per arm, in order
_FIGURE = r"\d+(?:\.\d+)?\s*(?:%|(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?)"
ARMS_WORD = r"(?:arms|groups|cohorts)"  # the arms' plural noun: 'in the A and B arms', 'in cohorts A and B'
ARMS_NOUN = re.compile(rf"\s*{ARMS_WORD}\b", re.I)
_LIST_RESPECTIVELY = re.compile(
    rf"(?:\s+{EVENT_REPORTED})?"
    rf"\s+in\s+(?P<figs>{_FIGURE}(?:\s*,\s*{_FIGURE})*\s*,?\s*and\s*{_FIGURE})"
    r"\s*(?:(?:of\s+)?(?:the\s+)?(?:patients|pts|subjects))?"
    # (three or more figures for as many arms are read in their order even bare: 'Rash occurred in 31%, 36%
    # and 11% of patients; nausea in ...')
    r"(?:,?\s+(?P<resp>respectively)|\s*(?=[.;]|$))",
    re.I,
)
# 'in the dasatinib and imatinib arms, respectively': the arms listed together, in the figures' order
LISTED_ARMS_JOIN = re.compile(r"\s*(?:,|and|or|,\s*and)\s*(?:the\s+)?", re.I)
_RESPECTIVELY = re.compile(r"[^.;]{0,20}?\brespectively\b", re.I)
_HEADED = re.compile(r"\s*(?:events?|toxicit(?:y|ies)|rates?)?\s*(?:\([^()]*\))?\s*:\s*", re.I)
_PLURAL_ARMS = re.compile(rf"{ARMS_WORD}\s", re.I)
_PLURAL_ARMS_BEFORE = re.compile(rf"\b{ARMS_WORD}\s+$", re.I)
_NIL = re.compile(r"(?<![\d.])0(?:\.0+)?\s*(?:%|percent)", re.I)


def adverse_per_arm(
    doc: Doc, arms: list[Arm], refs: Refs, defined_end: int, adverse: list[r.AdverseEvent]
) -> list[r.AdverseEvent]:
    """The adverse events, one per arm a figure is reported for: 'GVHD was 0.33 for the 12.0 Gy group
    and 0.44 for ...'."""
    out: list[r.AdverseEvent] = []
    by_term: dict[str, list] = {}
    for m in doc.mentions:
        if m.start >= defined_end:
            by_term.setdefault(m.term, []).append(m)
    # (the events stated once for several grades: their counts span the grades)
    mentions_of_grades = Counter((a.term, a.span) for a in adverse)
    for a in adverse:
        ks: list[int] = []
        givers: list[Mention] = []  # the mentions whose sentences gave the arms
        for m in by_term.get(a.term, ()):
            found = _arms_of(doc, arms, refs, m, ks)
            if found != ks:
                givers.append(m)
            ks = found
        if not ks:
            out.append(a)
        # one count per arm: 'in 10 patients (20%) on A and 2 (4%) on B' (never the first arm's on both;
        # none when the event is one mention of several grades: its counts span them)
        counts = (
            _counts_per_arm(doc, givers[0], len(ks))
            if len(ks) > 1 and len(givers) == 1 and mentions_of_grades[(a.term, a.span)] == 1
            else None
        )
        for j, k in enumerate(ks):
            count = a.count if len(ks) == 1 else counts[j] if counts else None
            out.append(r.AdverseEvent(a.term, a.span, a.grade, count, cohort=arms[k].cohort))
    return out


def _arms_of(doc: Doc, arms: list[Arm], refs: Refs, m: Mention, ks: list[int]) -> list[int]:
    """The arms an event is reported for, ``ks`` so far, with what its mention ``m`` adds."""
    # 'more grade 3/4 neutropenia (42% vs 17%) and rash (10% vs 3%)' with two arms: the event in
    # each (a pair of figures, none of them nil, whatever names the arms after)
    pair = _PAIR_AFTER.match(doc.text, m.end)
    if len(arms) == 2 and pair and not _NIL.search(pair.group()) and not _coordinated_event(doc, m):
        return [0, 1]
    listed = _LIST_RESPECTIVELY.match(doc.text, m.end)
    if (
        listed
        and (listed.group("resp") or len(arms) >= 3)
        and len(re.findall(r"(?:^|,|and)\s*\d", listed.group("figs"))) == len(arms)
        and not _NIL.search(listed.group("figs"))
        and not re.search(r"(?:^|,|and)\s*0(?![\d.])", listed.group("figs"))
        and not _coordinated_event(doc, m)
    ):
        return list(range(len(arms)))
    ks = list(ks)
    _arms_after(doc, refs, m, ks)
    if not ks and (k := _fronted_arm(doc, refs, m)) is not None:
        ks.append(k)
    return ks


_PARENS = re.compile(r"\([^()]*\)")
_PERCENT_AFTER = re.compile(rf"{PCT}", re.I)
_GRADE = re.compile(r"\bgrades?\s*\S+", re.I)
_COUNT = re.compile(r"(?<![\w.])\d+(?![\w.]|\.\d)")


def _counts_per_arm(doc: Doc, m: Mention, n: int) -> list[int] | None:
    """The counts of an event split over ``n`` arms, in order: the whole numbers of its sentence after it
    (not in parentheses, not grades, percents or numbers of a unit), when there are exactly ``n``."""
    end = doc.sentence_of(m.start)[1]
    rest = _GRADE.sub(" ", _PARENS.sub(" ", doc.text[m.end : end].split(";")[0]))
    counts = [
        int(c.group())
        for c in _COUNT.finditer(rest)
        if not (UNIT_AFTER.match(rest[c.end() :]) or _PERCENT_AFTER.match(rest, c.end()))
    ]
    # ('AOEs occurred in 28 patients: 8 (5.1%) on imatinib and 20 (20.8%) on nilotinib': the whole, then its
    # parts, one per arm)
    if len(counts) == n + 1 and counts[0] == sum(counts[1:]):
        return counts[1:]
    return counts if len(counts) == n else None


def _coordinated_event(doc: Doc, m: Mention) -> bool:
    """'neutropenia and thrombocytopenia occurred in 58% and 44%': events whose figures are one each,
    not one per arm."""
    before = doc.mentions_in(max(doc.sentence_of(m.start)[0], m.start - 40), m.start)
    return any(o.kind == "adverse_event" and COORDINATED.fullmatch(doc.text[o.end : m.start]) for o in before)


def _arms_after(doc: Doc, refs: Refs, m: Mention, ks: list[int]) -> None:
    """Add to ``ks`` the arms named after an event mention: each after a figure of its own ('in 21% of
    A-treated and 20% of B-treated patients'), each before its figure ('Fluid retention: A 19%, B 42%'),
    or listed together after the figures ('in 28 (11%) and 2 (1%) patients in the A and B arms,
    respectively')."""
    text = doc.text
    sent = doc.sentence_of(m.start)
    named = [(s, e, k) for s, e, k in refs.between(m.end, sent[1]) if m.end <= s < sent[1]]
    found: list[int] = []
    pos = m.end
    label_first = False  # 'Fluid retention: A 19%, B 42%': each arm before its figure
    for n, (s, e, k) in enumerate(named):
        gap = text[pos:s]
        if _another_events_arm(doc, m, pos, s, e, sent[1]):
            break
        figure_follows = re.match(r"\s*\d", text[e : e + 3])
        # ('Pleural effusion occurred only with dasatinib (18%)': the event's verb, then its one arm)
        if n == 0 and _OCCURRED_WITH.fullmatch(gap) and _OWN_FIGURE_AFTER.match(text, e):
            found.append(k)
            pos = e
            continue
        if ";" in gap or not (
            re.search(r"\d", gap) or (n == 0 and figure_follows and _HEADED.fullmatch(gap))
        ):
            # arms listed together after the figures: 'in the dasatinib and imatinib arms, respectively'
            # (or 'in the dasatinib and imatinib arms': the arms' noun closing the list)
            # ('in cohorts A, B and C': the arms' plural noun opening the list)
            if (
                n > 0
                and LISTED_ARMS_JOIN.fullmatch(gap)
                and (
                    _RESPECTIVELY.match(text, e)
                    or ARMS_NOUN.match(text, e)
                    or _PLURAL_ARMS.match(text, named[0][0])
                    or _PLURAL_ARMS_BEFORE.search(text, max(0, named[0][0] - 12), named[0][0])
                )
            ):
                found.append(k)
                pos = e
                continue
            break
        label_first = label_first or (n == 0 and not re.search(r"\d", gap))
        # (not an arm whose figure is nil: 'Pleural effusion: A 10%, B 0%', '... and in 0 treated with B')
        after = re.findall(r"^\s*(\d+(?:\.\d+)?)", text[e : e + 12])
        figure = after if label_first else re.findall(r"\d+(?:\.\d+)?", gap)[-1:]
        if not (figure and float(figure[0]) == 0):
            found.append(k)
        pos = e
    for k in found:
        if k not in ks:
            ks.append(k)


def _another_events_arm(doc: Doc, m: Mention, pos: int, s: int, e: int, sent_end: int) -> bool:
    """Whether the arm named at s..e after event mention ``m`` (read up to ``pos``) is another event's."""
    text = doc.text
    # ('effusion only with A (18%), while hyperglycemia (12%) ... with B': after a contrast and another event)
    if _CONTRAST.search(text, pos, s) and any(
        x.kind == "adverse_event" and x.term != m.term for x in doc.mentions_in(pos, s)
    ):
        return True
    # ('..., and 4 imatinib-treated patients developed rash': the arm of another event's clause)
    verb = _OWN_EVENT_VERB.match(text, e, sent_end)
    if verb is not None and any(
        x.kind == "adverse_event" for x in doc.mentions_in(verb.end(), verb.end() + 40)
    ):
        return True
    # ('rash (17%), and with imatinib edema (30%)': the arm that heads the next event)
    return any(
        x.kind == "adverse_event" and not re.search(r"[\d,;()]", text[e : x.start])
        for x in doc.mentions_in(e, e + 25)
    )


_CONTRAST = re.compile(r"\b(?:while|whereas|but|although)\b|;", re.I)
_OCCURRED_WITH = re.compile(rf"\s+{EVENT_REPORTED}\s+(?:only\s+)?(?:with|in|on)\s+(?:the\s+)?", re.I)
_OWN_FIGURE_AFTER = re.compile(r"[^,;.()]{0,20}?\(\s*\d+(?:\.\d+)?\s*%\s*\)")
# the verbs of patients who had an event: '9 patients experienced ...', 'patients on B developed ...'
_HAD_AN_EVENT = r"(?:developed|had|experienced|reported|presented\s+with|suffered(?:\s+from)?)"
_OWN_EVENT_VERB = re.compile(rf"[\w\s-]{{0,30}}?\b{_HAD_AN_EVENT}\s+", re.I)
# 'Among 50 dasatinib-treated patients, 10 (20%) developed pleural effusion': a group fronted by its arm
_FRONTED_ARM = re.compile(
    r"\s*(?:Among|In|Of)\s+(?:the\s+|all\s+)?(?:\d+\s+)?(?P<g>[^,;:()]{3,60}?)\s*,", re.I
)


# '4 imatinib-treated patients developed pancreatitis': the count's group, named by its arm
_COUNTED_ARM = re.compile(
    rf"(?<![\w.]){NUM}\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s+)?(?P<g>[^,;:()\d]{{3,50}}?)\s+"
    rf"{_HAD_AN_EVENT}\s+(?:[\w-]+\s+){{0,3}}$",
    re.I,
)


# 'The most common AEs with dasatinib were ...', 'Adverse events in the imatinib arm included ...': a heading
# of the events listed after it that names their arm
_EVENTS_OF_ARM = re.compile(
    r"\b(?:adverse\s+events|AEs|toxicities|side\s+effects|adverse\s+reactions)\s+(?:with|in|on|for|among)\s+"
    r"(?P<g>[^,;:()\d]{3,40}?)\s+(?:were|was|included|includes|including|comprised)\b[^.;]*$",
    re.I,
)


def _fronted_arm(doc: Doc, refs: Refs, m: Mention) -> int | None:
    """The one arm a sentence is fronted by, or the event's counted subject is, when that group is named
    by its treatment only."""
    s, _e = doc.sentence_of(m.start)
    fm = (
        _FRONTED_ARM.match(doc.text, s, m.start)
        or _COUNTED_ARM.search(doc.text, max(s, m.start - 90), m.start)
        or _EVENTS_OF_ARM.search(doc.text, max(s, m.start - 200), m.start)
    )
    if fm is None:
        return None
    named = {k for _a, _b, k in refs.between(fm.start("g"), fm.end("g"))}
    if len(named) != 1 or not names_a_treatment_group(doc, fm.start("g"), fm.end("g")):
        return None
    # ('AEs with A were rash (17%), and with B edema (30%)': another arm named between is the event's)
    if any(k not in named for _a, _b, k in refs.between(fm.end("g"), m.start)):
        return None
    return named.pop()
