"""Stage 4, scope: which arm, which time point and which denominator each figure is for.

Arms are the cohorts that a study compares by treatment. Each is defined where the text gives its
size next to its treatment ("imatinib 800 mg (n = 319) or 400 mg (n = 157)", "57 patients were
randomized to receive 2.0 Gy ... and 59 to receive 2.25 Gy", "IFN 3 MU/d (51 patients) or ...
5 MU/m2 daily (45 patients)"); the text then names an arm by what sets it apart: a dose only it
received ("the 800-mg/d arm", "for the 12.0 Gy group"), a drug only it received ("patients treated
with BU/CY"), or its size as a denominator ("7 of 51"). A figure goes to the arm that its sentence
ties it to; figures of the whole study stay on the population.
"""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.scope.allocation import design_arms
from cmlkg.extract.scope.arms import (
    Arm,
    apply_arms,
    arm_continuations,
    assign_denominators,
    find_arms,
    settle_population,
)
from cmlkg.extract.scope.attribution import attribute
from cmlkg.extract.scope.drug_arms import drug_arms
from cmlkg.extract.scope.lists import blocks_per_arm, counts_per_arm, gapped_figures, per_arm_lists
from cmlkg.extract.scope.references import Refs, arm_references, option_label
from cmlkg.extract.scope.time_points import assign_time_points, series_groups


def scope(
    doc: Doc,
    cohorts: list[r.Cohort],
    treatments: list[r.Treatment],
    outcomes: list[r.Outcome],
    adverse: list[r.AdverseEvent],
) -> tuple[list[r.Cohort], list[r.AdverseEvent]]:
    """Arms, time points and denominators of one abstract's figures (in place where it can)."""
    assign_time_points(doc, outcomes)
    assign_denominators(doc, cohorts, outcomes)
    cohorts = settle_population(doc, cohorts + arm_continuations(doc, cohorts))
    _groups_of_later_events(doc, cohorts, outcomes)
    # the allocation of a randomised design names the arms best; else the groups sized next to a treatment
    extra = design_arms(doc, cohorts, treatments)
    arms = [] if extra else find_arms(doc, cohorts, treatments)
    if arms:
        apply_arms(doc, cohorts, arms, treatments)
    else:
        if not extra:
            return drug_arms(doc, cohorts, treatments, adverse)
        sizes = {c.size for c in extra if c.size}
        inside = lambda c: any(x.span.start <= c.span.start < x.span.end for x in extra)  # noqa: E731
        for c in cohorts:  # a 'population' that is the size of one option is that arm, not the whole
            if c.role == "population" and c.size in sizes and inside(c):
                c.size, c.description = None, "all arms"
        cohorts = settle_population(
            doc, [c for c in cohorts if not (c.role == "arm" and (c.size in sizes or inside(c)))] + extra
        )
        arms = [
            Arm(
                cohorts.index(c),
                c.span.start,
                c.span.end,
                [t.term for t in c.treatments],
                [(t.term, d.value, d.unit, d.span) for t in c.treatments for d in t.doses],
                label=option_label(doc, c.span.start, c.span.end),
            )
            for c in extra
        ]
    refs = arm_references(doc, arms)
    adverse = attribute(doc, cohorts, arms, outcomes, adverse, refs)
    _of_a_trait_group(doc, outcomes, refs, {a.cohort for a in arms})
    blocks_per_arm(doc, outcomes, refs, [a.cohort for a in arms])
    for group in series_groups(doc, outcomes):  # one arm's series: the arm it names holds for all
        closing = _closing_arm(doc, refs, group[-1].span.end)
        named = {o.cohort for o in group if o.cohort is not None}
        arm = arms[closing].cohort if closing is not None else (named.pop() if len(named) == 1 else None)
        if arm is not None:
            for o in group:
                o.cohort = arm
    added = per_arm_lists(doc, arms, outcomes, refs) + counts_per_arm(doc, arms, outcomes, refs)
    added += gapped_figures(
        doc, arms, outcomes + added, refs, {k: cohorts[a.cohort].size for k, a in enumerate(arms)}
    )
    # figures read here after the time points were: those without their own take the one that heads them
    assign_time_points(doc, [o for o in added if o.time_months is None])
    outcomes.extend(added)
    return cohorts, adverse


_FOR_THE_ARM = re.compile(r"\s*(?:,\s*)?(?:for|with|in)\s+(?:the\s+)?$", re.I)


def _closing_arm(doc: Doc, refs, end: int) -> int | None:
    """The arm named right after a series' last figure ('... 44% and 62% for nilotinib'), by index."""
    first = next(iter(refs.between(end, end + 30)), None)
    return first[2] if first is not None and _FOR_THE_ARM.fullmatch(doc.text, end, first[0]) else None


_DESIGN_WORDS = re.compile(
    r"\b(?:randomi[sz]ed|randomly|assigned|allocated|arms?|cohorts?|groups?|enrolled|included|stratified)\b"
    r"|\d\s*(?:mg|g|MU|Gy)\b",
    re.I,
)


def _groups_of_later_events(doc: Doc, cohorts: list[r.Cohort], outcomes: list[r.Outcome]) -> None:
    """'Complete remission was documented in 96 (99%). ... Four patients underwent allogeneic stem cell
    transplantation': a group sized after the figures began, in a sentence that names no design (no
    allocation, arm, group or dose), is a subgroup of what happened, not an arm."""
    first = min((o.span.start for o in outcomes if o.count or o.percent), default=None)
    if first is None:
        return
    first_sentence = doc.sentence_of(first)[0]
    for c in cohorts:
        s, e = doc.sentence_of(c.span.start)
        if c.role == "arm" and s > first_sentence and not _DESIGN_WORDS.search(doc.text, s, e):
            c.role = "subgroup"


# 'Among high-risk patients, MMR was 40% with A and 22% with B': a subgroup of each arm, by a trait
_TRAIT_GROUP_OPENS = re.compile(
    r"\s*(?:among|in|for)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:[\w-]*risk|elderly|older|younger|aged|male|female|men|women|children|adolescents)\b[^,;:]{0,40},",
    re.I,
)


def _of_a_trait_group(doc: Doc, outcomes: list[r.Outcome], refs: Refs, arm_cohorts: set[int]) -> None:
    """Figures of a subgroup by a trait that opens their sentence (naming no arm) are no arm's figures: the
    arm named with them is the part of the subgroup on it, not the arm."""
    for o in outcomes:
        if o.cohort not in arm_cohorts:
            continue
        s = doc.sentence_of(o.span.start)[0]
        opens = _TRAIT_GROUP_OPENS.match(doc.text, s)
        if opens is not None and opens.end() <= o.span.start and not refs.between(s, opens.end()):
            o.cohort = None
