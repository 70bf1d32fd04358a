"""Stage 3, relations: which quantity measures which term, within a clause. One module per fact family:
- ``grammar``: the words shared by the fact families: verbs of enrolment, of reaching an outcome, of
  progression.
- ``figures``: who reached a figure: the subject of a count or percent ('45 of 60 patients (75%)', 'n pts
  over N assessable', 'two of them', 'case 5'), its denominator and the group a sentence opens with.
- ``cohorts``: the study population and the groups sized in the text (enrolled, randomised, screened,
  evaluable).
- ``subjects``: the people studied: sex and age of the population, and individual patients of case
  reports and series.
- ``treatments``: the study's drugs and procedures, and prior therapy.
- ``outcomes``: responses, events and survival figures, each with its count, percent and denominator;
  ``event_mentions`` (stopping, not responding, progressing) and ``outcome_phrases`` (parts of a
  response family, 'all but N', test results) feed it.
- ``adverse_events``: adverse events with their grades and counts.
- ``study``: what the study is about: disease phases, sentences about another disease, reasons for
  treatment (resistance, intolerance) and risk groups.
"""

from __future__ import annotations

from cmlkg.extract.relations.adverse_events import find_adverse_events
from cmlkg.extract.relations.cohorts import find_cohorts
from cmlkg.extract.relations.denominators import fronted_group
from cmlkg.extract.relations.grammar import ENROL_BEFORE, ENROL_VERB, OUTCOME_VERB, PROGRESSION_VERB, I
from cmlkg.extract.relations.outcome_sets import dedupe_outcomes
from cmlkg.extract.relations.outcomes import find_outcomes
from cmlkg.extract.relations.populations import (
    compared_groups,
    found_population,
    fronted_population,
    stopping_population,
)
from cmlkg.extract.relations.study import (
    find_phases,
    find_reasons,
    find_risks,
    other_disease_sentences,
    other_study_clauses,
)
from cmlkg.extract.relations.subjects import add_demographics, find_patients
from cmlkg.extract.relations.treatments import find_treatments

__all__ = [
    "I",
    "ENROL_VERB",
    "ENROL_BEFORE",
    "OUTCOME_VERB",
    "PROGRESSION_VERB",
    "fronted_group",
    "find_cohorts",
    "compared_groups",
    "found_population",
    "fronted_population",
    "stopping_population",
    "add_demographics",
    "find_patients",
    "find_treatments",
    "find_outcomes",
    "dedupe_outcomes",
    "find_adverse_events",
    "find_phases",
    "other_disease_sentences",
    "other_study_clauses",
    "find_reasons",
    "find_risks",
]
