"""Outcome phrases read beside the figure grammar: parts of a response family ('complete in 4, partial
in 5'), 'all but N', test results ('six were PCR positive'), and a response qualified by its modifier
('partial CCyR')."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention, clause_bounds
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN, PCT
from cmlkg.extract.relations.grammar import UNNAMED, I
from cmlkg.textutil import NUM, as_int, parse_number


def pct_length(text: str, at: int) -> int:
    """The length of the percent sign or word at ``at`` ('%', ' percent')."""
    sign = re.match(PCT, text[at:])
    return len(sign.group()) if sign else 0


_LOSS_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?loss(?:es)?\b", re.I)
_ACQUIRED_BEFORE = re.compile(r"\b(?:acquired|secondary)\s+$", re.I)
_NAMED_IN_PARENS = re.compile(r"\s*(?:rates?\s*)?\(\s*", re.I)
_OR_ANOTHER_PHASE = re.compile(
    r"\s*(?:/|\bor\b|\band\b|,)\s*(?:to\s+)?(?:AP|BP|BC|accelerated|blast\w*)(?:\s+(?:phase|crisis))?\b", re.I
)


def qualified(doc: Doc, m: Mention) -> Mention:
    """'partial CR (Ph+ < 33%)', 'partial CCyR': a partial cytogenetic response; 'progression to AP/BP':
    progression (to either phase); 'response rates (CCyR)': the response named."""
    if m.term.startswith("ProgressionTo") and (more := _OR_ANOTHER_PHASE.match(doc.text, m.end)) is not None:
        return Mention("Progression", "outcome", m.start, more.end())
    # 'secondary resistance', 'acquired resistance': a response lost, not none reached
    if (
        m.term == "NoResponse"
        and "LossOfResponse" in doc.vocab.terms
        and _ACQUIRED_BEFORE.search(doc.text, max(0, m.start - 12), m.start)
    ):
        return Mention("LossOfResponse", "outcome", m.start, m.end)
    # 'MMR loss occurred in 24 patients', 'CCyR losses': the response lost, not reached
    if (
        _LOSS_AFTER.match(doc.text, m.end)
        and "LossOfResponse" in doc.vocab.terms
        and doc.vocab.terms[m.term].is_a("TreatmentResponse")
    ):
        return Mention("LossOfResponse", "outcome", m.start, m.end)
    # 'Response rates (CCyR) at 12 months: ...': the response the parenthesis names
    if m.term == "OverallResponse" and (opens := _NAMED_IN_PARENS.match(doc.text, m.end)) is not None:
        named = [x for x in doc.mentions_starting(opens.end(), opens.end() + 1) if x.kind == "outcome"]
        if named and re.match(r"\s*\)", doc.text[named[0].end : named[0].end + 3]):
            return Mention(named[0].term, "outcome", m.start, m.end)
    if m.term in ("CompleteRemission", "CompleteCytogeneticResponse") and re.search(
        r"\bpartial\s+$", doc.text[max(0, m.start - 10) : m.start], I
    ):
        s, e = doc.sentence_of(m.start)
        if m.term == "CompleteCytogeneticResponse" or re.search(
            r"\bPh\b|Ph\+|cytogenetic|metaphase", doc.text[s:e], I
        ):
            return Mention("PartialCytogeneticResponse", "outcome", m.start - len("partial "), m.end)
    # "minor CyR", "complete HR": a kind of a response family named by its modifier
    table = _PARTS.get(m.term)
    mod = (
        re.search(
            r"\b(complete|partial|major|minor|minimal|deep)\s+$", doc.text[max(0, m.start - 10) : m.start], I
        )
        if table
        else None
    )
    if mod and table and table.get(mod.group(1).lower()) in doc.vocab.terms:
        return Mention(table[mod.group(1).lower()], "outcome", m.start - len(mod.group(0)), m.end)
    # 'partial hematologic remission in 24 (24%)': a kind the ontology does not name, not the family's figure
    if mod and table:
        return Mention(UNNAMED, "outcome", m.start - len(mod.group(0)), m.end)
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


def response_phrases(doc: Doc, start_at: int) -> list[r.Outcome]:
    """'All but six patients responded' (6 without response); '36 remissions have lasted 2-11 years (15 >
    4 years)'."""
    text = doc.text
    out = []
    for m in _ALL_BUT.finditer(text, start_at):
        n = as_int(parse_number(m.group("n")))
        # 'All but two patients achieved CHR': the two had no CHR, not no response of any kind
        named = [
            x
            for x in doc.mentions_in(m.end(), min(len(text), m.end() + 40), "outcome")
            if not re.search(r"[.;,:]", text[m.end() : x.start])
        ]
        if n is not None and "NoResponse" in doc.vocab.terms and not named:
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
    "CytogeneticResponse": {
        "complete": "CompleteCytogeneticResponse",
        "partial": "PartialCytogeneticResponse",
        "major": "MajorCytogeneticResponse",
        "minor": "MinorCytogeneticResponse",
        "minimal": "MinimalCytogeneticResponse",
    },
    "MajorCytogeneticResponse": {
        "complete": "CompleteCytogeneticResponse",
        "partial": "PartialCytogeneticResponse",
    },
    "HematologicResponse": {"complete": "CompleteHematologicResponse", "major": "MajorHematologicResponse"},
    "MolecularResponse": {
        "major": "MajorMolecularResponse",
        "complete": "CompleteMolecularResponse",
        "deep": "DeepMolecularResponse",
    },
}


_PART_AFTER = re.compile(
    # 'complete (0% Ph-positive metaphases) in 14 (13%)': the definition between the kind and its figure
    rf"(?P<mod>complete|partial|major|minor|minimal|deep)\s*(?:responses?|remissions?)?\s*(?:\([^()]*\)\s*)?"
    # (not 'a complete one': the response again, not a count)
    rf"(?:(?:in|:|=|,)\s*|(?!one\b))"
    rf"(?:(?P<n>{NUM})(?![\d.,]*\d)(?!\s*%)(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?|(?P<pp>\d+(?:\.\d+)?)\s*%)",
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


def kinds_of(term: str) -> dict[str, str] | None:
    """The kinds a response family names by a modifier ('complete' -> CCyR for a cytogenetic response)."""
    return _PARTS.get(term)


def distributed_parts(doc: Doc, mentions: list[Mention], results: list[r.Outcome]) -> list[r.Outcome]:
    """'cytogenetic responses in 12 patients (complete in 4, partial in 5, minor in 3)' or '(4 complete,
    5 partial)'."""
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
        nxt = next(
            (o.start for o in mentions[k:] if o.start >= window_end or o.term not in table.values()),
            window_end,
        )
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


_RESULT_WORD = re.compile(
    rf"(?:(?P<all>\ball\s+(?:(?P<alln>{NUM})\s+)?)|(?P<n>{NUM})\s+)(?:(?:were|was|are|is|remained|became|turned)\s+)?(?:all\s+)?"
    r"(?:(?P<test>PCR|RT-PCR|FISH|BCR-ABL1?)[- ])?(?P<res>positive|negative)\b",
    I,
)


_TESTED_GROUP = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:of\s+(?:these|the|those)\s+)?(?:{ADJ}{{0,3}}){PATIENT_NOUN}", I
)


def test_results_phrases(doc: Doc, start_at: int) -> list[r.Outcome]:
    """'six were PCR positive', '(two positive and seven negative)', 'were all PCR negative' (a PCR
    abstract)."""
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
            den: int | None
            count: int | None
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
