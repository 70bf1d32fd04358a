"""Outcomes: responses, events and survival figures, each with its count, percent and denominator."""

from __future__ import annotations

import bisect
import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc, Mention, SpanSet, clause_bounds, resolve_overlaps
from cmlkg.extract.quantities import OTHERS_FIGURE, PATIENT_NOUN, Value, values_after
from cmlkg.extract.relations.coordinated_subjects import (
    compared_group_counts,
    coordinated_subjects,
    later_figure,
    rates_of_an_arm,
)
from cmlkg.extract.relations.event_mentions import (
    discontinuation_mentions,
    discontinuations_by_reason,
    no_response_mentions,
    ph_negative_mentions,
    progression_mentions,
)
from cmlkg.extract.relations.figure_ends import figures_end
from cmlkg.extract.relations.figures import (
    _EVENT_VERB,
    _ONE_PATIENT_BEFORE,
    _case_report,
    _outcome_subject,
)
from cmlkg.extract.relations.grammar import (
    COMPARATIVE,
    COMPARED_COUNT,
    COMPARED_WITH,
    TIME_PHRASE,
    TIME_VALUE,
    UNNAMED,
    VERSUS,
    I,
)
from cmlkg.extract.relations.listed_shares import listed_shares, without_their_other_readings
from cmlkg.extract.relations.outcome_guards import (
    defines_the_one_before,
    in_a_definition,
    names_a_group,
    none_stated,
    shares_with_an_unknown,
)
from cmlkg.extract.relations.outcome_phrases import (
    distributed_parts,
    kinds_of,
    qualified,
    response_phrases,
    test_results_phrases,
)
from cmlkg.extract.relations.outcome_sets import (
    corresponding_rates,
    elided_outcome_clauses,
    elided_time_figures,
    mark_aggregates,
    name_progressions,
    none_of_denominators,
    versus_lists,
    with_abbreviations,
)
from cmlkg.textutil import parse_number

_PATIENT_NOUN_END = re.compile(rf"{PATIENT_NOUN}\s*$", I)


_RATE_IN_PARENS = re.compile(rf"\s*(?:rates?\s*)?(?:{TIME_PHRASE}\s*)?\(\s*\d+(?:\.\d+)?\s*%\s*\)", I)
_THAN = re.compile(r"\bthan\b", I)
_SINGULAR_VERB = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:was|is|has\s+been)\b", I)
_COMPARED_FIRST = re.compile(rf"\s*(?:\([^()]*\)\s*)?,?\s*{VERSUS}\s+", I)
_OWN_TIME = re.compile(
    rf"\s*(?:\([^()]*\)\s*)?(?:at|by|after|within|in)\s+(?:the\s+)?{TIME_VALUE}",
    I,
)
_FIGURE_FOR = re.compile(
    r"(?<![\w.])(?P<p>\d+(?:\.\d+)?\s*(?=%)|0?\.\d+)\s*%?\s*(?:\([^()]*\)\s*)?for\s+(?:the\s+|a\s+)?$", I
)
# "MMR: 30/60 (50%)": a mention that heads a colon reads its figures after it
_HEADS_A_COLON = re.compile(
    # 'MMR at 12 months:', 'MMR (BCR-ABL1 <= 0.1%) at 12 months:', 'CCyR 12 mo:', '... ≤0.1% (MMR) at M12:',
    # 'Progression to AP/BC on treatment:'
    r"(?:\s*/\s*(?:AP|BP|BC)\b|\s+or\s+(?:AP|BP|BC|blast\s+(?:phase|crisis))\b)?"
    r"(?:\s+(?:on|during|under)\s+(?:treatment|therapy|study))?"
    # ('Progression to AP/BP, n (%): 2 (2)', 'Deaths, n: 3': a table's row flattened)
    r"(?:\s*,\s*n\s*(?:\(\s*%\s*\))?(?=\s*:))?"
    r"\s*\)?\s*(?:rates?\s+)?(?:\([^()]*\)\s*)?"
    r"(?:(?:at|by|after)\s+(?:[\w-]+(?:,\s*|\s+(?:and|or)\s+|\s+)?){1,6}?\s*"
    r"|\d{1,3}\s*(?:mo|mos|months?|wks?|weeks?|yrs?|years?)\s*)?"
    r"(?:\([^()]*\)\s*)?(?:rates?\s*)?:",
    I,
)
# coordinated outcomes: "survival and relapse-free survival at 4 years were ..."
_COORDINATION = re.compile(r"\s*(?:\([A-Za-z]{2,6}\)\s*)?(?:,|and|or|,\s*and|/)\s*(?:the\s+)?", I)
_NOT_SIGNIFICANT = re.compile(r"\bnot\s+statistically", I)
_PROCEDURE_RELATED = re.compile(
    r"\s+(?:of|from|due\s+to)\s+(?:\w+\s+)?(?:transplant|treatment|procedure)[- ]related", I
)
_LOSS = re.compile(r"\b(?:lost|loss\s+of|losing|lose)\b", I)
_PROBABILITY = re.compile(r"probabilit|likelihood|proportion|actuarial|estimated|rates?\b|cumulative", I)
_KIND_BEFORE = re.compile(r"\b(?:complete|partial|major|minor|minimal)\s*(?:\([^()]*\)\s*)?(?:in\s+)?$", I)
_KIND_ONE = re.compile(r"\s+(?:an?\s+)?(?P<mod>complete|partial|major|minor)\s+one\b", I)
_LOST_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:was|were|had\s+been|has\s+been)\s+(?:\w+ly\s+)?lost\b", I)


# how far after its outcome a figure may come ('MR3 at 18 months was more frequent with imatinib plus
# interferon alfa than with imatinib alone (29% vs 22%)': the arms' names between)
_FAR = 160


def find_outcomes(doc: Doc, start_at: int) -> list[r.Outcome]:
    """The outcome figures of ``doc`` from ``start_at`` on: each outcome mention with the figure that is
    its subject ("47 of 49 (96%) regained MMR") or the figures after it ("MMR: 30/60 (50%)"), then the
    parts stated for several mentions, aggregates, and test results."""
    reading = _Reading(doc, _outcome_mentions(doc, start_at))
    shares = listed_shares(doc, reading.mentions)
    results = without_their_other_readings(reading.read(), shares, doc.text) + shares
    results.extend(distributed_parts(doc, reading.mentions, results))
    results.extend(elided_outcome_clauses(doc, results))
    results.extend(elided_time_figures(doc, results))
    versus_lists(doc, results)
    results.extend(corresponding_rates(doc, results))
    results.extend(o for o in discontinuations_by_reason(doc) if o.span.start >= start_at)
    mark_aggregates(doc, results)
    name_progressions(doc, results)
    none_of_denominators(doc, results)
    results.extend(test_results_phrases(doc, start_at))
    results.extend(response_phrases(doc, start_at))
    # a percent past 100 ('150% progressed') is no share of patients: the figure is not kept at all
    return [o for o in results if (o.percent or 0) <= 100 and o.term != UNNAMED]


def _outcome_mentions(doc: Doc, start_at: int) -> list[Mention]:
    """The outcome mentions of ``doc`` (terms and event phrases), qualified, from ``start_at`` on."""
    mentions = (
        [m for m in doc.mentions if m.kind == "outcome"]
        + progression_mentions(doc)
        + discontinuation_mentions(doc)
        + no_response_mentions(doc)
        + ph_negative_mentions(doc)
    )
    # a reason named with its own figures is read as that reason, not as the outcome its words name
    # ('discontinued ... due to toxicity (8%) or progression (4%)': not a figure of progression)
    reasons = SpanSet([(m.start, m.end) for m in mentions if m.term == UNNAMED])
    mentions = [m for m in mentions if m.term == UNNAMED or not reasons.overlaps(m.start, m.end)]
    kept = with_abbreviations(doc, resolve_overlaps(mentions))
    # 'relapse-free survival (loss of MMR) was 61%': an outcome that defines the one before it is not read
    # ('EFS, defined as loss of response, progression or death, was 81%': the definition's outcomes neither)
    return [
        qualified(doc, m)
        for m in kept
        if m.start >= start_at and not defines_the_one_before(doc, m) and not in_a_definition(doc, m)
    ]


class _Reading:
    """One pass over the outcome mentions of an abstract, and what the pass shares: the subject each
    mention has, the figures claimed by "70% for CHR", the subjects' parentheticals, the results."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.text = text = doc.text
        self.mentions = mentions
        # mentions inside a subject's parenthetical ("2 patients (1 resistant and 1 ...) evolved") are not
        # outcomes
        self.subject_parens = SpanSet(
            [(s, e) for s, e in doc.parens if _PATIENT_NOUN_END.search(text[max(0, s - 15) : s])]
        )
        self.case_report = _case_report(doc)
        self.results: list[r.Outcome] = []
        self.claimed: set[int] = set()
        self._read_figures_for()
        self._index_subjects()

    def _read_figures_for(self) -> None:
        """ "response rates were 70% for CHR and 30% for MCyR": a figure named for the outcome after it."""
        doc, text = self.doc, self.text
        for m in self.mentions:
            s, _e = doc.sentence_of(m.start)
            fm = _FIGURE_FOR.search(text, max(s, m.start - 40), m.start)
            if fm and m.start not in self.subject_parens:
                pct = parse_number(fm.group("p"))
                if pct is not None and fm.group("p").startswith(("0.", ".")) and "%" not in fm.group(0):
                    pct = pct * 100
                self.results.append(r.Outcome(m.term, r.Span(fm.start(), m.end), None, pct))
                self.claimed.add(fm.start())

    def _index_subjects(self) -> None:
        """The figure each mention has for subject ("47 of 49 (96%) regained MMR"), so that no other
        mention reads it as a figure after itself ("patients who relapsed resumed imatinib, and 47 of 49
        (96%) regained MMR")."""
        doc = self.doc
        self.subjects: dict[int, Value | None] = {}
        for m in self.mentions:
            if m.start not in self.subject_parens:
                cs0 = clause_bounds(self.text, doc.sentence_of(m.start), m.start)[0]
                self.subjects[m.start] = _outcome_subject(doc, m, cs0, self.case_report)
        self.subject_figures = sorted(
            (v.start, v.end, start) for start, v in self.subjects.items() if v is not None and v.start < start
        )
        self.figure_starts = [a for a, _b, _owner in self.subject_figures]
        self.longest = max((b - a for a, b, _owner in self.subject_figures), default=0)

    def later_subject(self, v: Value, own: int) -> bool:
        """Whether ``v`` is (part of) the subject of a mention after ``own``: only the subjects that can
        overlap it are looked at (they start within the longest subject's length), so the reading
        stays linear in the text."""
        lo = bisect.bisect_right(self.figure_starts, v.start - self.longest)
        hi = bisect.bisect_left(self.figure_starts, v.end)
        return any(v.start < b and owner > own for _a, b, owner in self.subject_figures[lo:hi])

    def read(self) -> list[r.Outcome]:
        i = 0
        while i < len(self.mentions):
            i = self._read_at(i)
        return self.results

    def _read_at(self, i: int) -> int:
        """Read the mention at ``i`` (and those coordinated with it); return the index of the next."""
        doc, text = self.doc, self.text
        m = self.mentions[i]
        if self._not_an_outcome(m):
            return i + 1
        sent = doc.sentence_of(m.start)
        cs, ce = self._clause(m, sent)
        group, j = self._coordinated(i, ce)
        after_group = j if len(group) > 1 else i + 1
        nxt = self._figures_end(group, j, ce)
        # "a 12% increase in MMR" is no rate; "had a higher MMR rate (46%) than B (28%)" states two
        # (with a drug named after 'than': "... than those treated second-line (42%)" compares other groups)
        than = _THAN.search(text, m.end, nxt) if _RATE_IN_PARENS.match(text, m.end) else None
        rates_compared = (
            than is not None
            and any(x.kind == "drug" for x in self.doc.mentions_in(than.end(), min(nxt, than.end() + 60)))
            # 'Patients on 600 mg had higher rates of MCyR (28% vs 16%)': the two arms' rates, compared (not
            # 'Patients with levels above X had higher rates of CCyR (89% vs 72%)': groups of a trait)
            or rates_of_an_arm(self.doc, cs, m.start, group[-1].end)
        )
        if (
            COMPARATIVE.search(text[cs : m.start])
            and not _NOT_SIGNIFICANT.search(text[cs:nxt])
            and not rates_compared
        ):
            return after_group
        if len(group) > 1 and self._shared_subject(group, cs):
            return j
        subj, negated = self._subject(m, group, cs)
        if subj is not None:
            self._with_subject(m, subj, negated, cs, ce)
            return i + 1
        if doc.negated(m):
            return i + 1
        self._figures_after(group, sent, cs, nxt)
        return after_group

    def _not_an_outcome(self, m: Mention) -> bool:
        return (
            m.start in self.subject_parens
            or names_a_group(self.doc, m)
            or shares_with_an_unknown(self.doc, m)
        )

    def _clause(self, m: Mention, sent: tuple[int, int]) -> tuple[int, int]:
        cs, ce = clause_bounds(self.text, sent, m.start)
        # (from the last of the outcomes listed with it: 'MMR and MR4 at 24 months: 66% and 41%')
        end = m.end
        for other in self.doc.mentions_starting(m.end, min(sent[1], m.end + 80)):
            if other.kind != "outcome" or not _COORDINATION.fullmatch(self.text, end, other.start):
                break
            end = other.end
        ahead = self.text[end : end + 60]
        if ":" in ahead and _HEADS_A_COLON.match(ahead):
            ce = clause_bounds(self.text, sent, self.text.index(":", end) + 1)[1]
        return cs, ce

    def _coordinated(self, i: int, ce: int) -> tuple[list[Mention], int]:
        """The mentions coordinated with the one at ``i`` in its clause, and the index after them."""
        mentions = self.mentions
        group = [mentions[i]]
        j = i + 1
        while (
            j < len(mentions)
            and mentions[j].start < ce
            and _COORDINATION.fullmatch(self.text[group[-1].end : mentions[j].start])
        ):
            group.append(mentions[j])
            j += 1
        return group, j

    def _figures_end(self, group: list[Mention], j: int, ce: int) -> int:
        """Where the figures of ``group`` end: at the next mention read or :func:`figures_end`."""
        mentions = self.mentions
        nxt = mentions[j].start if j < len(mentions) and mentions[j].start < ce else ce
        return figures_end(self.doc, group[-1], nxt)

    def _shared_subject(self, group: list[Mention], cs: int) -> bool:
        """ "Case 4 ... but relapsed and died": events that share their subject; whether they did."""
        text = self.text
        if not all(_EVENT_VERB.match(text, g.start, g.end) for g in group):
            return False
        shared = _outcome_subject(self.doc, group[0], cs, self.case_report)
        if shared is None or shared.count is None or shared.start >= group[0].start:
            return False
        for g in group:
            self.results.append(
                r.Outcome(g.term, r.Span(g.start, g.end), shared.count, shared.percent, shared.denominator)
            )
        return True

    def _subject(self, m: Mention, group: list[Mention], cs: int) -> tuple[Value | None, bool]:
        """The subject figure of a lone mention, and whether it is "none of the patients"."""
        subj = self.subjects.get(m.start) if len(group) == 1 else None
        if (
            subj is None
            and len(group) == 1
            and self.doc.negated(m)
            and none_stated(self.text, cs, m.start, m.end)
        ):
            return Value(count=0, start=m.start, end=m.end), True
        return subj, False

    def _retermed(self, m: Mention, subj: Value) -> Mention:
        """ "died of transplant-related causes", "lost MMR": the outcome the words make of the mention."""
        text, terms = self.text, self.doc.vocab.terms
        if (
            m.term == "Death"
            and "TransplantRelatedMortality" in terms
            and _PROCEDURE_RELATED.match(text[m.end : m.end + 50])
        ):
            m = Mention("TransplantRelatedMortality", "outcome", m.start, m.end)
        if _LOSS.search(text[subj.start : m.start]) and "LossOfResponse" in terms:
            m = Mention("LossOfResponse", "outcome", m.start, m.end)
        return m

    def _with_subject(self, m: Mention, subj: Value, negated: bool, cs: int, ce: int) -> None:
        results = self.results
        m = self._retermed(m, subj)
        out = r.Outcome(
            m.term,
            r.Span(min(subj.start, m.start), m.end),
            subj.count,
            subj.percent,
            subj.denominator,
            negated=negated or subj.count == 0,
        )
        results.extend(coordinated_subjects(self.doc, m, subj, out, cs))
        results.append(out)
        self._compared_after(m, subj, out, ce)

    def _compared_after(self, m: Mention, subj: Value, out: r.Outcome, ce: int) -> None:
        """The figure compared with a subject's after its outcome: '44% achieved MMR ..., compared with 22%
        in the imatinib arm', '55 (25%) achieved MCyR, compared with 2 of 104 (2%) ...'."""
        text, results = self.text, self.results
        if (
            subj.percent is not None
            and subj.count is None
            and (cm := COMPARED_WITH.match(text, m.end, ce))
            and not OTHERS_FIGURE.match(text, cm.end())
        ):
            # its time point, unless it states one ('31% at 6 months, compared with 52% at 12 months')
            partner = None if _OWN_TIME.match(text, cm.end()) else out
            results.append(
                r.Outcome(
                    m.term, r.Span(cm.start("p"), cm.end()), None, float(cm.group("p")), partner=partner
                )
            )
        # '55 (25%) achieved MCyR, compared with 2 of 104 (2%) busulfan-treated patients': a count compared
        elif subj.count is not None and (cc := COMPARED_COUNT.match(text, m.end, ce)):
            partner = None if _OWN_TIME.match(text, cc.end()) else out
            pct = float(cc.group("p") or cc.group("p2")) if cc.group("p") or cc.group("p2") else None
            n, den = int(cc.group("n")), int(cc.group("den")) if cc.group("den") else None
            if den is None or n <= den:
                results.append(
                    r.Outcome(m.term, r.Span(cc.start("n"), cc.end()), n, pct, den, partner=partner)
                )
        elif subj.count is not None:
            # 'No patient on A progressed, compared with 1 on B and 2 on C'
            for v in compared_group_counts(self.doc, m.end, ce):
                results.append(r.Outcome(m.term, r.Span(v.start, v.end), v.count, v.percent, partner=out))
        if (later := later_figure(self.doc, m, subj, ce)) is not None:
            results.append(later)

    def _figures_after(self, group: list[Mention], sent: tuple[int, int], cs: int, nxt: int) -> None:
        """The figures after the mentions of ``group``, dealt to them in turn."""
        text, last = self.text, group[-1]
        probability = bool(_PROBABILITY.search(text[sent[0] : sent[1]]))
        vals = [
            v
            for v in values_after(self.doc, last.end, nxt, probability)
            if v.start not in self.claimed and not self.later_subject(v, last.start)
        ]
        # 'Cytogenetic responses were complete (0% Ph+) in 14, partial in 17 ...': figures of the kinds
        if kinds_of(last.term):
            vals = [v for v in vals if not _KIND_BEFORE.search(text, last.end, v.start)]
        if any(last.end <= c < nxt for c in self.claimed):
            vals = [v for v in vals if v.start < min(c for c in self.claimed if c >= last.end)]
        # a figure must come soon after the mention, not at the far end of the clause; nor the second of a
        # comparison whose first figure came before it ('pain in 42% during the first year of TFR compared
        # with 14% during ...': TFR names a period, not a figure)
        if vals and (
            vals[0].start - last.end > _FAR or _COMPARED_FIRST.fullmatch(text, last.end, vals[0].start)
        ):
            vals = []
        # 'including 15 with CCyR, and MMR was achieved by 14 (54%)': fewer figures than mentions, after a
        # singular verb, are the last mention's
        if len(group) > 1 and len(vals) < len(group) and _SINGULAR_VERB.match(text, last.end):
            group = [last]
        for k, v in enumerate(vals):
            target = group[k % len(group)]
            # 'MMR was lost in 3 patients': the response lost
            term = "LossOfResponse" if _LOST_AFTER.match(text, target.end) else target.term
            # 'a major cytogenetic response, and approximately 20% a complete one': the kind named after
            if (one := _KIND_ONE.match(text, v.end)) is not None:
                term = (kinds_of(term) or {}).get(one.group("mod").lower(), "")
                if term not in self.doc.vocab.terms:
                    continue
            self.results.append(
                r.Outcome(term, r.Span(target.start, v.end), v.count, v.percent, v.denominator)
            )
        if not vals and self.case_report and _ONE_PATIENT_BEFORE.search(text, cs, group[0].start):
            # a case report: "she achieved MMR at 6 months and MR4.5 at 18 months"
            for g in group:
                self.results.append(r.Outcome(g.term, r.Span(g.start, g.end), 1))
