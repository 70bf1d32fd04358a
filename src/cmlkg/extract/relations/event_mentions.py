"""Events that the lexicon does not list as words: stopping a treatment (for toxicity where the text
says so), not responding, progressing to a phase."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.relations.figures import (
    _NO_RESPONSE,
)
from cmlkg.extract.relations.grammar import CAUSE, COUNTED, PROGRESSION_VERB, UNNAMED, I
from cmlkg.textutil import NUM, as_int, parse_number

# "hepatotoxicity", "(TR)AEs": the words of a reason that is toxicity
_TOXIC_WORDS = r"(?:toxicit|\badverse|\bside\s+effects?|\bintoleran|(?-i:\bT?R?AEs?\b))"

_DISCONTINUED = re.compile(
    r"\b(?:(?P<verb>discontinued|stopped|ceased|interrupted\s+permanently|permanently\s+discontinued)\s+(?:the\s+|their\s+)?"
    r"(?:study\s+)?(?P<obj>treatment|therapy|drug|medication|"
    r"(?:(?:first|second|third|second-line|third-line|initial)\s+)?(?:TKI|tyrosine\s+kinase\s+inhibitor)\b)?"
    r"|(?P<subj>treatment|therapy|the\s+drug|[A-Za-z][\w-]+)\s+(?:was|were|had\s+to\s+be|has\s+been)\s+"
    r"(?:permanently\s+)?(?:discontinued|stopped)\b"
    # 'Adverse events led to discontinuation in 4.5%': toxicity as the subject
    r"|(?P<led>(?:adverse\s+events?|AEs?|toxicit(?:y|ies)|side\s+effects|intolerance)\s+(?:led|leading)\s+to\s+"
    r"(?:treatment\s+|drug\s+|permanent\s+|[A-Za-z][\w-]*\s+)?(?:discontinuation|withdrawal|cessation))\b"
    # 'Lack of efficacy led to discontinuation in 10.8%': stopping for a reason the ontology has no term of
    r"|(?P<led_other>(?:lack\s+of\s+(?:efficacy|response)|(?:treatment\s+)?failure|resistance|(?:disease\s+)?"
    r"progression|relapse|loss\s+of\s+(?:response|MMR|CCyR))\s+(?:led|leading)\s+to\s+"
    r"(?:treatment\s+|drug\s+|permanent\s+)?(?:discontinuation|withdrawal|cessation))\b"
    # 'Discontinuation of peginterferon due to toxicity occurred in 61': the noun, with its reason
    r"|(?P<noun>discontinuation|cessation|withdrawal)\s+of\s+(?:the\s+)?(?:study\s+)?(?:treatment|therapy|drug|(?=[A-Za-z]))"
    # 'discontinuations due to AEs in 24 pts (14.7%)': the noun and its reason, the drug unnamed
    # ('Discontinuation rates for toxicity were 10% and 8%', 'Rates of discontinuation due to AEs')
    r"|(?P<bare>(?:treatment\s+|drug\s+)?discontinuations?(?:\s+rates?)?|rates?\s+of\s+(?:treatment\s+)?discontinuation)"
    rf"(?=\s+{CAUSE}\s|\s+for\s+(?:[\w-]+\s+){{0,2}}?{_TOXIC_WORDS}))",
    I,
)


_REASON_AFTER = re.compile(
    # 'discontinued A (7.7%) than B (26.3%) due to adverse events': the figures compared between
    # ('was discontinued in 18 patients (43%), mostly for depression or fatigue')
    rf"\s*(?:(?:\([^()]*\)|\w+),?\s*){{0,7}}?(?:{CAUSE}|for)\s+"
    # (up to another count's reason: '... owing to toxicity, and 2 because of resistance')
    rf"(?P<why>(?:(?!,?\s*(?:and\s+)?{NUM}\s+(?:(?:patients|pts)\s+)?(?:{CAUSE}|for)\s)[^.;()]){{0,60}})",
    I,
)


_CAUSE_NEXT = re.compile(rf"\s*{CAUSE}\s", I)
_TOXIC = re.compile(_TOXIC_WORDS, re.I)


_NOT_TOXIC = re.compile(
    r"\b(?:response|resistan|progression|relapse|failure|efficacy|pregnan|transplant|choice|cost|remission)",
    I,
)


def _stops(doc: Doc) -> tuple[list[re.Match], dict[int, Mention]]:
    """The phrases of stopping a treatment in ``doc`` and its drug mentions by start: read once per
    document (the mentions of stopping and the counts by reason after them both read them)."""
    cached = getattr(doc, "_stops", None)
    if cached is None:
        cached = (
            list(_DISCONTINUED.finditer(doc.text)),
            {m.start: m for m in doc.mentions if m.kind == "drug"},
        )
        setattr(doc, "_stops", cached)  # noqa: B010 (a memo on the document, not a field of it)
    return cached


def discontinuation_mentions(doc: Doc) -> list[Mention]:
    """'30% of patients discontinued imatinib', 'treatment was discontinued in 6 patients': stopping the
    treatment, for toxicity where the text says so ('... due to adverse events')."""
    out: list[Mention] = []
    if "TreatmentDiscontinuation" not in doc.vocab.terms or not doc.has(
        "discontinu", "stopped", "ceased", "interrupt", "cessation", "withdrawal"
    ):
        return out
    stops, drugs = _stops(doc)
    for m in stops:
        end = m.end()
        # 'Nilotinib was stopped for intolerance in 4': a drug as the subject, or treatment itself
        if m.group("subj") and not re.fullmatch(r"treatment|therapy|the\s+drug", m.group("subj"), I):
            if m.start() not in drugs:
                continue
        if m.group("led") or m.group("led_other"):
            term = "DiscontinuationDueToToxicity" if m.group("led") else UNNAMED
            out.append(Mention(term, "outcome", m.start(), m.end()))
            continue
        if m.group("noun"):
            drug = _drug_after(drugs, m.end())
            end = drug.end if drug is not None else m.end()
            if (drug is None and doc.text[m.end() : m.end() + 1].isalpha()) or not _CAUSE_NEXT.match(
                doc.text, end
            ):
                continue
        if m.group("verb"):
            if not m.group("obj"):
                # the object is a drug named right after the verb
                drug = _drug_after(drugs, m.end())
                # or no object, its cause right after: "Eleven patients (13%) discontinued because of AEs"
                if drug is None and not _CAUSE_NEXT.match(doc.text, m.end()):
                    continue
                end = drug.end if drug is not None else m.end()
        reason = _REASON_AFTER.match(doc.text, end)
        if reason and (whole_and_part := _whole_and_its_part(doc, m, end, reason)) is not None:
            out += whole_and_part
            continue
        parts = _reasons_with_figures(doc, m.start(), reason.start("why")) if reason else []
        term = (
            _for_reason(doc, reason.start("why"), reason.end("why"))
            if reason and not parts
            else "TreatmentDiscontinuation"
        )
        start = m.start("verb") if m.group("verb") else m.start()
        stop = end if m.group("verb") else m.end()
        # 'Discontinuation due to AEs: 9% vs 12% vs 8%': a heading that names its reason
        if m.group("bare") and (heading := _REASON_HEADING.match(doc.text, m.end())) is not None:
            stop = heading.end("why")
        out.append(Mention(term, "outcome", start, stop))
        if parts:
            out.extend(parts)
            continue
        # '... because of intolerance in 23 patients (8.3%) and because of resistance in 51 (18.5%)'
        if reason and (other := _OTHER_REASON.match(doc.text, reason.end())) is not None:
            term = _for_reason(doc, other.start("why"), other.end("why"))
            out.append(Mention(term, "outcome", other.start("cause"), other.end("why")))
    return out


_PART_BEFORE_CAUSE = re.compile(
    rf"[,;:]\s*(?:in\s+)?{NUM}(?P<of_them>\s+of\s+(?:them|these|whom))?(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?\s*$",
    I,
)


def _whole_and_its_part(doc: Doc, m: re.Match, end: int, reason: re.Match) -> list[Mention] | None:
    """'Nilotinib was discontinued in 7 patients, in 4 because of adverse events': the whole stopped, for no
    reason of its own, and the part with its reason (none when the part is not read: '4 of them because of
    ...'); None when no part is counted before the reason (the reason is the whole's)."""
    cause = _CAUSE_BEFORE.search(doc.text, end, reason.start("why"))
    part = _PART_BEFORE_CAUSE.search(doc.text, end, cause.start()) if cause is not None else None
    if cause is None or part is None:
        return None
    start = m.start("verb") if m.group("verb") else m.start()
    out = [Mention("TreatmentDiscontinuation", "outcome", start, end if m.group("verb") else m.end())]
    if not part.group("of_them"):
        term = _for_reason(doc, reason.start("why"), reason.end("why"))
        out.append(Mention(term, "outcome", cause.start(), reason.end("why")))
    return out


# 'mainly due to lack of efficacy (31.2% vs 39.5%) and adverse events (7.6% vs 26.3%)': each reason
# with figures of its own
# ('because of toxicity in 4 and progression in 1': each with its count)
_REASON_FIGURES = re.compile(
    r"(?P<why>[^.;:()\d]{1,60}?)(?:\s*\(\s*(?:n\s*=\s*)?\d+(?:\.\d+)?\s*%?\s*"
    r"(?:(?:,|;|vs\.?|versus|and)\s*(?:n\s*=\s*)?\d+(?:\.\d+)?\s*%?\s*)*\)"
    rf"|\s+in\s+(?:{NUM})(?:\s+(?:patients|pts|cases|subjects))?(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?(?!\w|\.\d))",
    I,
)
# a figure of the discontinuation itself, before its reasons: '... discontinued in 5 patients, because of'
_TOTAL_BEFORE = re.compile(rf"\d\s*%|{COUNTED}|\bin\s+(?:{NUM})\b", I)
_REASON_HEADING = re.compile(rf"\s+(?:{CAUSE}|for)\s+(?P<why>[^:;,.()\d]{{1,40}}?)\s*:", I)
_CAUSE_BEFORE = re.compile(rf"(?:{CAUSE}|\bfor)\s+$", I)
_REASONS_JOIN = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or)\s+(?:(?:" + CAUSE + r"|for)\s+)?", I)


def _reasons_with_figures(doc: Doc, verb: int, start: int) -> list[Mention]:
    """The reasons of a discontinuation (its verb at ``verb``) that each state their own figures, from
    ``start`` on: one mention each, for toxicity where the reason says so; else, when the figures of the
    whole are stated before, an unnamed outcome (a part of the discontinuation the ontology does not
    name, and no other outcome's), and a discontinuation when they are not; none if the first reason
    has no figures of its own."""
    out: list[Mention] = []
    clause = max(doc.sentence_of(verb)[0], verb - 80)
    other = UNNAMED if _TOTAL_BEFORE.search(doc.text, clause, start) else "TreatmentDiscontinuation"
    pos = start
    while (m := _REASON_FIGURES.match(doc.text, pos)) is not None:
        term = _for_reason(doc, m.start("why"), m.end("why"))
        # (from the words of the cause before it, if any: the reason, not the outcome its words name)
        cause = _CAUSE_BEFORE.search(doc.text, max(0, m.start("why") - 15), m.start("why"))
        out.append(
            Mention(
                term if term != "TreatmentDiscontinuation" else other,
                "outcome",
                cause.start() if cause else m.start("why"),
                m.end("why"),
            )
        )
        join = _REASONS_JOIN.match(doc.text, m.end())
        if join is None:
            break
        pos = join.end()
    return out


# 'Overall, 9 patients (11%) discontinued nilotinib, 5 for adverse events and 4 for disease progression',
# 'Seventeen patients discontinued dasatinib: 9 due to adverse events, 5 due to progression and 3 ...'
_ITEM_PATTERN = rf"(?P<n>{NUM})\s+(?:(?:patients|pts)\s+)?(?:{CAUSE}|for)\s+(?P<why>[^,;:.()]{{1,40}}?)"
_ITEM = re.compile(_ITEM_PATTERN + r"(?=\s*(?:,|\band\b|$))", I)
_REASON_ITEM = re.sub(r"\(\?P<\w+>", "(?:", _ITEM_PATTERN)  # (the same, its groups unnamed, to repeat)
_COUNTS_BY_REASON = re.compile(
    rf"(?:\s*\([^()]*\))?(?:\s+in\s+(?:{NUM})\s+(?:[a-z-]+\s+)?(?:patients|pts)(?:\s*\([^()]*\))?)?\s*[,:]\s*"
    rf"(?P<items>{_REASON_ITEM}(?:(?:,\s*(?:and\s+)?|\s+and\s+){_REASON_ITEM})+)\s*(?=[.;]|$)",
    I,
)


def discontinuations_by_reason(doc: Doc) -> list[r.Outcome]:
    """The counts of a discontinuation listed by their reasons after it: those for toxicity, each a
    figure of discontinuation due to toxicity (the others are parts the ontology does not name)."""
    out: list[r.Outcome] = []
    if not doc.has("discontinu", "stopped"):
        return out
    stops, drugs = _stops(doc)
    for m in stops:
        if not (m.group("verb") or m.group("subj")):
            continue
        drug = _drug_after(drugs, m.end()) if m.group("verb") else None
        end = drug.end if drug is not None else m.end()
        # '5 for adverse events and 4 for progression', or each reason sized after it: '... because of failure
        # (n = 21) or toxicity (n = 10)'
        if (listed := _COUNTS_BY_REASON.match(doc.text, end)) is not None:
            item_pattern, why_first = _ITEM, False
        elif (listed := _REASONS_SIZED.match(doc.text, end)) is not None:
            item_pattern, why_first = _SIZED_REASON, True
        else:
            continue
        for item in item_pattern.finditer(doc.text, listed.start("items"), listed.end("items")):
            if _for_reason(doc, item.start("why"), item.end("why")) == "DiscontinuationDueToToxicity":
                n = as_int(parse_number(item.group("n")))
                span = r.Span(item.start("why") if why_first else item.start(), item.end())
                out.append(r.Outcome("DiscontinuationDueToToxicity", span, n))
    return out


_SIZED = r"\s*\(\s*n\s*=\s*(?P<n>\d+)\s*\)"  # 'toxicity (n = 10)': a reason's size after it
_SIZED_REASON = re.compile(
    rf"(?:\s*(?:,|\bor\b|\band\b)\s*)?(?:(?:{CAUSE}|for)\s+)?(?P<why>[^.;(),\s][^.;(),]{{0,39}}?){_SIZED}", I
)
_SIZED_ITEM = r"[^.;(),]{1,40}?" + _SIZED.replace("(?P<n>", "(?:")
_REASONS_SIZED = re.compile(
    rf"\s*(?:\([^()]*\)\s*)?(?:{CAUSE}|for)\s+(?P<items>{_SIZED_ITEM}"
    rf"(?:\s*(?:,|or|and|,\s*or|,\s*and)\s*(?:(?:{CAUSE}|for)\s+)?{_SIZED_ITEM})+)",
    I,
)


def _drug_after(drugs: dict[int, Mention], pos: int) -> Mention | None:
    """The drug named right after ``pos`` (its object: 'discontinued imatinib', 'discontinuation of X')."""
    return next((d for s, d in drugs.items() if pos <= s <= pos + 5), None)


def _for_reason(doc: Doc, start: int, end: int) -> str:
    """The discontinuation a stated reason makes: for toxicity when that is the whole reason ('due to
    adverse events', 'because of pleural effusion': an adverse event named is toxicity; not 'due to
    intolerance and lack of response')."""
    why = doc.text[start:end]
    toxic = (
        _TOXIC.search(why) or any(x.kind == "adverse_event" for x in doc.mentions_in(start, end))
    ) and not _NOT_TOXIC.search(why)
    return "DiscontinuationDueToToxicity" if toxic else "TreatmentDiscontinuation"


_OTHER_REASON = re.compile(
    rf"(?:[^.;]|(?<=\d)\.(?=\d)){{0,60}}?,?\s+and\s+(?P<cause>{CAUSE}|for)\s+(?P<why>[\w\s-]{{1,40}}?)(?=\s+in\s+\d)",
    I,
)


# 'Twelve patients became Ph-negative', 'converted to Ph1-negative': no Ph+ metaphase left, a complete
# cytogenetic response in the words of older reports
_BECAME_PH_NEGATIVE = re.compile(
    r"\b(?:(?P<copula>became|become|becoming|turned)|converted\s+to|conversion\s+to)\s+(?:completely\s+)?"
    r"(?P<ph>(?:Ph|Ph1|Ph'|Philadelphia(?:\s+chromosome)?)[- ]?(?:negative|negativity))\b",
    I,
)


def ph_negative_mentions(doc: Doc) -> list[Mention]:
    """'became Ph-negative': the complete cytogenetic response the older reports name by its result."""
    if "CompleteCytogeneticResponse" not in doc.vocab.terms or not doc.has("negative"):
        return []
    return [
        # (after a copula, the verb is the subject's: 'Twelve patients became Ph-negative')
        Mention(
            "CompleteCytogeneticResponse",
            "outcome",
            m.start("ph") if m.group("copula") else m.start(),
            m.end(),
        )
        for m in _BECAME_PH_NEGATIVE.finditer(doc.text)
    ]


def no_response_mentions(doc: Doc) -> list[Mention]:
    """'Five patients did not respond', 'three failed to respond to imatinib', 'were refractory'."""
    if "NoResponse" not in doc.vocab.terms or not doc.has("respond", "refractory", "unresponsive"):
        return []
    return [Mention("NoResponse", "outcome", m.start(), m.end()) for m in _NO_RESPONSE.finditer(doc.text)]


_PHASE_JOINED_BEFORE = re.compile(
    r"\b(?:AP|CP|BP|BC|accelerated|blast(?:ic)?|chronic)(?:\s+(?:phase|crisis))?\s*(?:/|\bor\b|\band\b)\s*$",
    I,
)


# 'AP/BC occurred', 'BC on treatment developed in 5': a phase reached, as an event
_PHASE_EVENT_VERB = re.compile(
    r"(?:\s+(?:on|during|under|while\s+on)\s+(?:the\s+)?(?:treatment|therapy|study|follow-up|[\w-]+\s+therapy))?"
    r"\s+(?:developed|occurred|supervened|ensued)\b"
    # ('AP/BP transformation occurred in 5', 'AP/BP transformation: A, 2 (4%); B, 5 (10%)': the event's noun)
    r"|\s+(?:transformation|progression)\b",
    I,
)
_PROGRESSION_TO = {
    "AcceleratedPhase": "ProgressionToAcceleratedPhase",
    "BlastPhase": "ProgressionToBlastPhase",
}


def progression_mentions(doc: Doc) -> list[Mention]:
    """'evolved in blastic phase', 'progression to BC' -> progression-to-phase outcome mentions."""
    out = []
    for m in doc.mentions:
        if m.kind != "phase":
            continue
        pre = doc.text[max(0, m.start - 45) : m.start]
        pv = PROGRESSION_VERB.search(pre)
        if not pv:
            # "Blast crisis developed in 126 patients"
            # (not the second of 'AP/BC occurred', 'AP or BP developed': progression to either)
            joined = _PHASE_JOINED_BEFORE.search(pre)
            event = _PHASE_EVENT_VERB.match(doc.text[m.end : m.end + 50])
            if m.term in ("AcceleratedPhase", "BlastPhase") and event is not None:
                # 'AP/BC occurred', 'AP or BP developed': progression to either, no phase singled out
                term = "Progression" if joined else _PROGRESSION_TO[m.term]
                start = m.start - (len(pre) - joined.start()) if joined else m.start
                # 'Progression to AP/BC occurred': from the progression named with the first phase
                named = [
                    o
                    for o in doc.mentions_in(max(0, m.start - 45), m.start)
                    if o.term.startswith("ProgressionTo") and o.end <= m.start
                ]
                if joined and named:
                    start = min(start, named[-1].start)
                # ('AP/BP transformation: ...': the event's noun is part of its name)
                noun = event.group().strip().lower() in ("transformation", "progression")
                out.append(Mention(term, "outcome", start, m.end + event.end() if noun else m.end))
            continue
        target = _PROGRESSION_TO.get(m.term)
        if target is None:
            for anc in term_of(doc.vocab, m.term).ancestors:
                target = {"BlastPhase": "ProgressionToBlastPhase"}.get(anc) or target
        end = m.end
        # "progressed to accelerated or blast phase": progression, phase not singled out
        phases = [p for p in doc.mentions if p.kind == "phase" and p.start >= m.end]
        while phases and re.fullmatch(
            r"\s*(?:,|or|and|/|,\s*or)\s*(?:the\s+)?", doc.text[end : phases[0].start], I
        ):
            if phases[0].term != m.term:
                target = "Progression"
            end = phases[0].end
            phases = phases[1:]
        if target and target in doc.vocab.terms:
            out.append(Mention(target, "outcome", m.start - (len(pre) - pv.start()), end))
    return out
