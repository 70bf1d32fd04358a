"""What the study is about: disease phases, sentences about another disease, reasons for treatment
(resistance, intolerance) and risk groups."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, clause_bounds
from cmlkg.extract.quantities import PATIENT_NOUN
from cmlkg.extract.relations.grammar import I
from cmlkg.textutil import NUM, as_int, parse_number

# ------------------------------------------------------------------ phases
# the phase a progression leads to is a phase the study's patients were in, or were watched for ('later
# (progression)' in the gold's words): "transformation to blast phase occurred in 2"
_PROGRESSION_PHASE = {
    "ProgressionToBlastPhase": "BlastPhase",
    "ProgressionToAcceleratedPhase": "AcceleratedPhase",
}


def find_phases(doc: Doc) -> list[r.Phase]:
    out: dict[str, r.Phase] = {}
    for m in doc.mentions:
        if m.kind == "outcome" and m.term in _PROGRESSION_PHASE and not doc.outside_study(m.start):
            out.setdefault(
                _PROGRESSION_PHASE[m.term], r.Phase(_PROGRESSION_PHASE[m.term], r.Span(m.start, m.end))
            )
            continue
        if m.kind != "phase" or doc.negated(m):
            continue
        out.setdefault(m.term, r.Phase(m.term, r.Span(m.start, m.end)))
    return list(out.values())


# a general term (TKI, transplantation) counts as treatment only in a sentence that says patients got it
_GIVEN = re.compile(
    r"\b(?:treated|received|receiving|underwent|undergone|undergoing|given|administered|transplanted|"
    r"grafted|on\s+(?:therapy|treatment))\b",
    I,
)
_BACKGROUND = re.compile(
    r"\b(?:options?|alternatives?|such\s+as|should|may|might|can|could|recommend\w*|standard\s+of\s+care|"
    r"guidelines?|future|candidates?)\b",
    I,
)


def other_disease_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentences about patients with another disease only ('11 AML patients were treated with
    idarubicin'): in a study of several diseases, what they state is not CML evidence."""
    out = []
    for s, e in doc.sents:
        named = doc.mentions_in(s, e)
        diseases = {m.term for m in named if m.kind == "disease"}
        if (
            diseases
            and "ChronicMyeloidLeukemia" not in diseases
            and not any(m.kind == "phase" for m in named)
        ):
            out.append((s, e))
    return out


_OTHER_WORDS = (
    "previous",
    "prior",
    "earlier",
    "historical",
    "published",
    "older",
    "landmark",
    "pivotal",
    "other",
    "external",
    "literature",
)
_OTHER_STUDY = re.compile(
    rf"\b(?:in|from|of|by|with|than)\s+(?:a|an|the|other|two|several|earlier|our|their)?\s*"
    rf"(?:{'|'.join(_OTHER_WORDS)})\s+"
    r"(?:[\w-]+\s+)?(?:stud(?:y|ies)|trials?|series|cohorts?|reports?|analys[ie]s|controls?|data|experience)\b"
    r"|\bhistorical\s+(?:controls?|cohorts?|comparators?|data|series|studies|trials?|reports?|experience)\b"
    # 'CCyR rates reported in the literature range from 60% to 80%'
    r"|\b(?:in|from)\s+the\s+(?:published\s+)?literature\b",
    I,
)
_OURS = re.compile(r"\b(?:our|ours|this\s+study|this\s+trial|the\s+present|the\s+current|we)\b", I)


def other_study_clauses(doc: Doc) -> list[tuple[int, int]]:
    """Clauses about another study ('In a previous study, the MMR rate with imatinib was 40%', 'the MMR rate
    in historical controls was 28%'): from the mention of that study to the clause's end, or to where
    the text turns to its own ('...; in ours, ...', 'our MMR rate')."""
    out = []
    for m in _OTHER_STUDY.finditer(doc.text) if doc.has(*_OTHER_WORDS) else ():
        _cs, ce = clause_bounds(doc.text, doc.sentence_of(m.start()), m.start())
        own = _OURS.search(doc.text, m.end(), ce)
        out.append((m.start(), own.start() if own else ce))
    # 'compared with 40% in the IRIS trial': a trial named by its name, not the one the title names
    title = doc.text[: doc.sents[0][1]] if doc.sents else ""
    for m in _NAMED_TRIAL.finditer(doc.text) if doc.has("trial", "study") else ():
        if m.group("name") not in title:
            out.append((m.start(), clause_bounds(doc.text, doc.sentence_of(m.start()), m.start())[1]))
    # 'These results are similar to those of ENESTnd, where MMR at 12 months was 44%': the rest of it
    for m in _SIMILAR_TO.finditer(doc.text) if doc.has("similar", "comparable", "consistent", "line") else ():
        out.append((m.start(), doc.sentence_of(m.start())[1]))
    return out


_NAMED_TRIAL = re.compile(
    r"\b(?:in|from|of|by|with|than)\s+(?:the\s+)?(?P<name>[A-Z][A-Za-z]*[A-Z][A-Za-z0-9-]*)\s+(?:trial|study)\b"
)
_SIMILAR_TO = re.compile(
    r"\b(?:similar|comparable|consistent|in\s+line)\s+(?:to|with)\s+(?:those|that|the\s+results?|results?)\s+"
    r"(?:of|in|from|reported)\b",
    I,
)


# ------------------------------------------------------------------ reasons, notes, study
_REASON = re.compile(
    r"\b(?P<kind>resistant|resistance|intolerant|intolerance|refractory)\b(?:\s*\(\s*n\s*=\s*(?P<n>\d+)\s*\))?",
    I,
)


_ANOTHER_CLAUSE = re.compile(r";|\b(?:were|was|randomi[sz]ed|assigned|allocated|received|switched)\b", I)


def find_reasons(doc: Doc) -> list[r.TreatmentReason]:
    text = doc.text
    out = []
    for m in _REASON.finditer(text) if doc.has("resist", "intoler", "refractory") else ():
        window_end = min(len(text), m.end() + 60)
        drug = next(
            (
                d
                for d in doc.mentions
                if d.kind == "drug"
                and m.end() <= d.start < window_end
                and re.search(r"\bto\s+(?:\w+\s+){0,2}$", text[m.end() : d.start], I)
                # (not 'intolerant of 2 TKIs, or with T315I, were randomized to ponatinib': the study's drug)
                and not _ANOTHER_CLAUSE.search(text, m.end(), d.start)
            ),
            None,
        )
        if drug is None:
            continue
        kind = "intolerance" if m.group("kind").lower().startswith("intoler") else "resistance"
        out.append(
            r.TreatmentReason(
                kind, drug.term, r.Span(m.start(), drug.end), int(m.group("n")) if m.group("n") else None
            )
        )
    uniq: dict[tuple, r.TreatmentReason] = {}
    for x in out:
        uniq.setdefault((x.kind, x.therapy, x.count), x)
    return list(uniq.values())


_RISK_GROUP = re.compile(r"\b(?P<g>low|intermediate|high)[- ]risk\b", I)


# the groups of a list that names 'risk' once: "472 were low, 365 intermediate and 269 high Sokal risk",
# "Sokal risk was low in 80, intermediate in 70 and high in 50 patients"
_GROUP_WORD = r"(?:low|intermediate|high)"
_ELIDED_LIST = re.compile(
    rf"\b{_GROUP_WORD}(?:\s*(?:,|and|or|,\s*and)\s*(?:[\w().%]+\s+){{0,3}}?{_GROUP_WORD})+"
    r"(?=\s+(?:(?:Sokal|Hasford|EUTOS|ELTS)\s+)?(?:score\s+)?risk\b)",
    I,
)
_RISK_WAS_LIST = re.compile(
    rf"\brisk\s+(?:score\s+)?(?:was|were|:)\s+{_GROUP_WORD}\s+in\s+[^.;]{{0,80}}?\b{_GROUP_WORD}\s+in\s+\d[^.;]*",
    I,
)
_GROUP_IN_LIST = re.compile(rf"\b(?P<g>{_GROUP_WORD})\b", I)


def _risk_groups(text: str, s: int, e: int) -> list[re.Match]:
    """The risk groups named in text[s:e]: 'high-risk', 'low risk', and each group of a list that names
    'risk' once; in the order of the text, each once."""
    found = {g.start(): g for g in _RISK_GROUP.finditer(text, s, e)}
    for lst in [*_ELIDED_LIST.finditer(text, s, e), *_RISK_WAS_LIST.finditer(text, s, e)]:
        for g in _GROUP_IN_LIST.finditer(text, lst.start(), lst.end()):
            if not any(f.start() <= g.start() < f.end() for f in found.values()):
                found[g.start()] = g
    return [found[k] for k in sorted(found)]


def find_risks(doc: Doc) -> list[r.RiskMeasurement]:
    """'16 (79%) were classified as high risk according to the EUTOS score', 'Sokal high risk in 12 (20%)'."""
    text = doc.text
    out = []
    for sent in doc.sents:
        s, e = sent
        scores = [m for m in doc.mentions_in(s, e, "risk_score")]
        if not scores:
            continue
        for g in _risk_groups(text, s, e):
            score = min(scores, key=lambda m: abs(m.start - g.start()))
            before = text[max(s, g.start() - 70) : g.start()]
            after = text[g.end() : min(e, g.end() + 40)]
            count = pct = None
            bm = re.search(
                rf"(?<![\w.])(?P<n>{NUM})\s*(?:{PATIENT_NOUN}\s*)?(?:\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s*"
                r"(?:were|was|had|with|being|are)?\s*(?:classified\s+as\s+|considered\s+|at\s+)?(?:a\s+)?"
                r"(?:(?:Sokal|Hasford|EUTOS|ELTS|Euro)\s+)?$",
                before,
                I,
            )
            am = re.match(
                rf"\s*(?:(?:Sokal|Hasford|EUTOS|ELTS)\s+)?(?:score\s+)?(?:in\s+|:\s*|\(\s*)(?P<n>{NUM})(?:\s*{PATIENT_NOUN})?\s*(?:[,(]\s*(?P<p>\d+(?:\.\d+)?)\s*%)?",
                after,
                I,
            )
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
            out.append(
                r.RiskMeasurement(score.term, g.group("g").lower() + "Risk", r.Span(start, end), count, pct)
            )
    return out
