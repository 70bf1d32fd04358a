"""Outcomes: responses, events and survival figures, each with its count, percent and denominator."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention, clause_bounds, in_any, resolve_overlaps
from cmlkg.extract.quantities import PATIENT_NOUN, PCT, Value, values_after
from cmlkg.extract.relations.event_mentions import (
    discontinuation_mentions,
    no_response_mentions,
    progression_mentions,
)
from cmlkg.extract.relations.figures import (
    _EVENT_VERB,
    _ONE_PATIENT_BEFORE,
    _case_report,
    _outcome_subject,
)
from cmlkg.extract.relations.grammar import COUNTED, I
from cmlkg.extract.relations.outcome_phrases import (
    distributed_parts,
    pct_length,
    qualified,
    response_phrases,
    test_results_phrases,
)
from cmlkg.textutil import parse_number

_PATIENT_NOUN_END = re.compile(rf"{PATIENT_NOUN}\s*$", I)


_NEW_SUBJECT = re.compile(rf"{COUNTED}\s+(?!with\b|treated\b|receiving\b|given\b|on\b|in\s+the\b)", I)


# "25% and 31% of patients in A and B had attained X", "11.3% vs 3.9% achieved MMR": the figure before
_LISTED_PCT = re.compile(
    rf"(?<![\w.])(?P<p>\d+(?:\.\d+)?){PCT}\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+(?:vs\.?|versus|v\.?)\s+)$", I
)
_COORDINATED_PCT = re.compile(rf"(?<![\w.])(?P<p>\d+(?:\.\d+)?){PCT}\s+of\s+[^,;:()%]{{0,60}}?\s+and\s+$", I)
_COMPARED_WITH = re.compile(
    r"[^;]{0,40}?\b(?:compared\s+(?:with|to)|versus|vs\.?)\s+(?P<p>\d+(?:\.\d+)?)\s*%(?!\s*(?:CI|confidence))",
    I,
)
_TRIED = re.compile(
    r"\s*(?:\([^()]{0,20}\)\s*)?(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:\w+ly\s+)?"
    r"(?:attempted|tried|planned|offered|considered|proposed|discussed|intended|scheduled|pursued)\b",
    I,
)
_FIGURE_FOR = re.compile(
    r"(?<![\w.])(?P<p>\d+(?:\.\d+)?\s*(?=%)|0?\.\d+)\s*%?\s*(?:\([^()]*\)\s*)?for\s+(?:the\s+|a\s+)?$", I
)


def find_outcomes(doc: Doc, start_at: int) -> list[r.Outcome]:
    text = doc.text
    mentions = (
        [m for m in doc.mentions if m.kind == "outcome"]
        + progression_mentions(doc)
        + discontinuation_mentions(doc)
        + no_response_mentions(doc)
    )
    mentions = resolve_overlaps(mentions)
    mentions = [qualified(doc, m) for m in mentions if m.start >= start_at]
    # mentions inside a subject's parenthetical ("2 patients (1 resistant and 1 ...) evolved") are not
    # outcomes
    subject_parens = []
    for s, e in doc.parens:
        if _PATIENT_NOUN_END.search(text[max(0, s - 15) : s]):
            subject_parens.append((s, e))
    results: list[r.Outcome] = []
    by_mention: dict[int, list[int]] = {}
    case_report = _case_report(doc)
    # "response rates were 70% for CHR and 30% for MCyR": a figure named for the outcome after it
    claimed: set[int] = set()
    for m in mentions:
        s, _e = doc.sentence_of(m.start)
        fm = _FIGURE_FOR.search(text, max(s, m.start - 40), m.start)
        if fm and not in_any(m.start, subject_parens):
            pct = parse_number(fm.group("p"))
            if pct is not None and fm.group("p").startswith(("0.", ".")) and "%" not in fm.group(0):
                pct = pct * 100
            results.append(r.Outcome(m.term, r.Span(fm.start(), m.end), None, pct))
            claimed.add(fm.start())
    # the figure each mention has for subject ("47 of 49 (96%) regained MMR"): no other mention reads it as
    # a figure after itself ("patients who relapsed resumed imatinib, and 47 of 49 (96%) regained MMR")
    subjects: dict[int, Value | None] = {}
    for m in mentions:
        if not in_any(m.start, subject_parens):
            cs0 = clause_bounds(text, doc.sentence_of(m.start), m.start)[0]
            subjects[m.start] = _outcome_subject(doc, m, cs0, case_report)
    subject_figures = sorted(
        (v.start, v.end, start) for start, v in subjects.items() if v is not None and v.start < start
    )
    figure_starts = [a for a, _b, _owner in subject_figures]
    longest = max((b - a for a, b, _owner in subject_figures), default=0)

    def later_subject(v: Value, own: int) -> bool:
        """Whether ``v`` is (part of) the subject of a mention after ``own``: only the subjects that can
        overlap it are looked at (they start within the longest subject's length), so the reading
        stays linear in the text."""
        lo = bisect.bisect_right(figure_starts, v.start - longest)
        hi = bisect.bisect_left(figure_starts, v.end)
        return any(v.start < b and owner > own for _a, b, owner in subject_figures[lo:hi])

    i = 0
    while i < len(mentions):
        m = mentions[i]
        # "patients evaluable for molecular response (n = 95)": who could be assessed, not who responded
        if re.search(
            r"\b(?:evaluable|assessable|eligible|evaluated|assessed|tested|monitored)\s+for\s+(?:the\s+|a\s+)?$",
            text[max(0, m.start - 40) : m.start],
            I,
        ):
            i += 1
            continue
        if in_any(m.start, subject_parens):
            i += 1
            continue
        # "Treatment-free remission was attempted in 30 patients": who tried, not who reached it
        if _TRIED.match(text, m.end):
            i += 1
            continue
        sent = doc.sentence_of(m.start)
        cs, ce = clause_bounds(text, sent, m.start)
        # "MMR: 30/60 (50%)": a mention that heads a colon reads its figures after it
        if re.match(
            r"\s*(?:rates?\s+)?(?:(?:at|by|after)\s+(?:[\w-]+(?:,\s*|\s+(?:and|or)\s+|\s+)?){1,6}?\s*)?"
            r"(?:\([^()]*\)\s*)?(?:rates?\s*)?:",
            text[m.end : m.end + 60],
            I,
        ):
            ce = clause_bounds(text, sent, text.index(":", m.end) + 1)[1]
        # baseline traits, not outcomes: "resistant to imatinib", "resistant (n=13) or intolerant"
        after = text[m.end : m.end + 40]
        if (
            m.term in ("NoResponse",)
            and not _EVENT_VERB.match(text, m.start, m.end)
            and re.match(r"^\s*(?:\([^()]*\)\s*)?(?:to\b|or\s+intolerant|and\s+intolerant|/)", after, I)
        ):
            i += 1
            continue
        # coordinated group: "survival and relapse-free survival at 4 years were ..."
        group = [m]
        j = i + 1
        while j < len(mentions) and mentions[j].start < ce:
            gap = text[group[-1].end : mentions[j].start]
            if re.fullmatch(r"\s*(?:\([A-Za-z]{2,6}\)\s*)?(?:,|and|or|,\s*and)\s*(?:the\s+)?", gap, I):
                group.append(mentions[j])
                j += 1
            else:
                break
        nxt = mentions[j].start if j < len(mentions) and mentions[j].start < ce else ce
        # stop at the next thing counted: another outcome, an adverse event, a phase, a new subject
        for other in doc.mentions_starting(group[-1].end + 1, nxt):
            if other.kind in ("adverse_event", "phase", "outcome"):
                nxt = other.start
                break
        new_subject = _NEW_SUBJECT.search(text, group[-1].end, nxt)
        if new_subject and not re.search(
            r"\b(?:in|of|by|for|among|and)\s*$",
            text[max(0, new_subject.start() - 8) : new_subject.start()],
            I,
        ):
            nxt = new_subject.start()
        if re.search(
            r"\b(?:difference|differences|increase|reduction|improvement|higher|lower|odds|hazard)\b[^.;]*$",
            text[cs : m.start],
            I,
        ) and not re.search(r"\bnot\s+statistically", text[cs:nxt], I):
            i = j if len(group) > 1 else i + 1
            continue
        negated = False
        subj = subjects.get(m.start) if len(group) == 1 else None
        if len(group) > 1 and all(_EVENT_VERB.match(text, g.start, g.end) for g in group):
            # "Case 4 ... but relapsed and died": the events share their subject
            shared = _outcome_subject(doc, m, cs, case_report)
            if shared is not None and shared.count is not None and shared.start < m.start:
                for g in group:
                    results.append(
                        r.Outcome(
                            g.term, r.Span(g.start, g.end), shared.count, shared.percent, shared.denominator
                        )
                    )
                    by_mention[g.start] = [len(results) - 1]
                i = j
                continue
        if (
            subj is None
            and len(group) == 1
            and doc.negated(m)
            and re.search(
                r"\b(?:no|none)\s+(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:patients?|cases?|one)\b",
                text[cs : m.start],
                I,
            )
        ):
            subj = Value(count=0, start=m.start, end=m.end)
            negated = True
        if (
            subj is not None
            and m.term == "Death"
            and "TransplantRelatedMortality" in doc.vocab.terms
            and re.match(
                r"\s+(?:of|from|due\s+to)\s+(?:\w+\s+)?(?:transplant|treatment|procedure)[- ]related",
                text[m.end : m.end + 50],
                I,
            )
        ):
            m = Mention("TransplantRelatedMortality", "outcome", m.start, m.end)
        if subj is not None:
            if (
                re.search(r"\b(?:lost|loss\s+of|losing|lose)\b", text[subj.start : m.start], I)
                and "LossOfResponse" in doc.vocab.terms
            ):
                m = Mention("LossOfResponse", "outcome", m.start, m.end)
            out = r.Outcome(
                m.term,
                r.Span(min(subj.start, m.start), m.end),
                subj.count,
                subj.percent,
                subj.denominator,
                negated=negated or subj.count == 0,
            )
            # "69% of X-treated patients and 60% of Y-treated patients had reached CCyR": coordinated subjects
            first = (
                _COORDINATED_PCT.search(text, max(cs, subj.start - 120), subj.start)
                if subj.count is None
                else None
            )
            # "25% and 31% of patients in A and B had attained X, respectively": the figure listed before it
            first = first or (
                _LISTED_PCT.search(text, max(cs, subj.start - 40), subj.start) if subj.count is None else None
            )
            if first is not None and subj.percent is not None:
                results.append(
                    r.Outcome(
                        m.term,
                        r.Span(first.start(), first.end("p") + pct_length(text, first.end("p"))),
                        None,
                        float(first.group("p")),
                        partner=out,
                    )
                )
            results.append(out)
            by_mention[m.start] = [len(results) - 1]
            # "44% achieved MMR by 12 months, compared with 22% in the imatinib arm": the figure compared
            if (
                subj.percent is not None
                and subj.count is None
                and (cm := _COMPARED_WITH.match(text, m.end, ce))
            ):
                results.append(r.Outcome(m.term, r.Span(cm.start("p"), cm.end()), None, float(cm.group("p"))))
            i += 1
            continue
        if doc.negated(m):
            i += 1
            continue
        probability = bool(
            re.search(
                r"probabilit|likelihood|proportion|actuarial|estimated|rates?\b|cumulative",
                text[sent[0] : sent[1]],
                I,
            )
        )
        vals = [
            v
            for v in values_after(doc, group[-1].end, nxt, probability)
            if v.start not in claimed and not later_subject(v, group[-1].start)
        ]
        if any(group[-1].end <= c < nxt for c in claimed):
            vals = [v for v in vals if v.start < min(c for c in claimed if c >= group[-1].end)]
        # a figure must come soon after the mention, not at the far end of the clause
        if vals and vals[0].start - group[-1].end > 120:
            vals = []
        if vals:
            for k, v in enumerate(vals):
                target = group[k % len(group)]
                results.append(
                    r.Outcome(target.term, r.Span(target.start, v.end), v.count, v.percent, v.denominator)
                )
                by_mention.setdefault(target.start, []).append(len(results) - 1)
        elif case_report and _ONE_PATIENT_BEFORE.search(text, cs, m.start):
            # a case report: "she achieved MMR at 6 months and MR4.5 at 18 months"
            for g in group:
                results.append(r.Outcome(g.term, r.Span(g.start, g.end), 1))
        i = j if len(group) > 1 else i + 1
    results.extend(distributed_parts(doc, mentions, results))
    # aggregates: "Three patients achieved a complete response (2 CCR ... and 1 molecular complete response)"
    parens = sorted(doc.parens)
    paren_starts = [s for s, _e in parens]
    order = sorted(range(len(results)), key=lambda idx: results[idx].span.start)
    starts = [results[idx].span.start for idx in order]
    for k, o in enumerate(results):
        if o.count is None:
            continue
        # the parenthesis right after the figure (only the first one after it can be)
        at = bisect.bisect_left(paren_starts, o.span.end)
        paren = parens[at] if at < len(parens) and not text[o.span.end : paren_starts[at]].strip() else None
        if paren is None:
            # "... a cytogenetic response in 12 patients: complete in 4, partial in 5 and minor in 3"
            s_end = doc.sentence_of(o.span.start)[1]
            paren = (o.span.end, s_end) if re.match(r"\s*[:;,(]", text[o.span.end : o.span.end + 3]) else None
            if paren is None:
                continue
        inside = order[bisect.bisect_left(starts, paren[0]) : bisect.bisect_left(starts, paren[1])]
        parts = sorted(idx for idx in inside if idx != k and results[idx].count is not None)
        if len(parts) >= 2 and sum(results[p].count or 0 for p in parts) == o.count:
            o.aggregate_of = parts
    # PCR and other test results stated as bare 'positive' / 'negative'
    # "No transformation to blast phase was observed; none of the 36 patients progressed": the progression
    # the sentence has just named
    for o in results:
        if o.term == "Progression" and o.count == 0:
            s, _e = doc.sentence_of(o.span.start)
            named = [
                x
                for x in doc.mentions_in(s, o.span.start)
                if x.kind == "outcome" and x.term.startswith("ProgressionTo")
            ]
            if len({x.term for x in named}) == 1:
                o.term = named[0].term
    results.extend(test_results_phrases(doc, start_at))
    results.extend(response_phrases(doc, start_at))
    return results


def dedupe_outcomes(results: list[r.Outcome]) -> list[r.Outcome]:
    seen: set[tuple] = set()
    out: list[r.Outcome] = []
    remap: dict[int, int] = {}
    with_den = {(o.term, o.count, o.percent, o.cohort) for o in results if o.denominator is not None}
    for idx, o in enumerate(results):
        key = (o.term, o.count, o.percent, o.denominator, o.time_months, o.cohort)
        if key in seen or (
            o.denominator is None
            and o.count is not None
            and (o.term, o.count, o.percent, o.cohort) in with_den
        ):
            continue
        seen.add(key)
        remap[idx] = len(out)
        out.append(o)
    for o in out:
        o.aggregate_of = [remap[p] for p in o.aggregate_of if p in remap]
    return out
