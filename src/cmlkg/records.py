"""Typed records: what extraction returns and the RDF stage turns into triples."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into the abstract's text."""

    start: int
    end: int


@dataclass
class Cohort:
    role: str  # "population", "arm" or "subgroup"
    size: int | None
    span: Span
    evaluable: int | None = None
    female: int | None = None
    male: int | None = None
    age_statistic: str | None = None  # "median" or "mean"
    age_value: float | None = None
    age_sd: float | None = None
    age_min: float | None = None
    age_max: float | None = None
    description: str = ""
    extra_spans: list[Span] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)  # what an arm received, with its doses


@dataclass
class Phase:
    term: str  # ontology class local name
    span: Span


@dataclass
class Dose:
    value: float
    unit: str  # UCUM code
    span: Span


@dataclass
class Treatment:
    term: str
    role: str  # "intervention" or "prior"
    span: Span
    doses: list[Dose] = field(default_factory=list)


@dataclass
class Outcome:
    term: str
    span: Span
    count: int | None = None
    percent: float | None = None
    denominator: int | None = None
    time_months: float | None = None
    negated: bool = False
    cohort: int | None = (
        None  # index in Extraction.cohorts of the arm it is reported for; None: the population
    )
    aggregate_of: list[int] = field(default_factory=list)  # indexes of the parts in Extraction.outcomes
    # the figure whose verb phrase this one shares ('11.3% vs 3.9% achieved MMR by week 96'): its time point
    partner: Outcome | None = field(default=None, compare=False, repr=False)


@dataclass
class AdverseEvent:
    term: str
    span: Span
    grade: int | None = None
    count: int | None = None
    cohort: int | None = (
        None  # index in Extraction.cohorts of the arm it is reported for; None: the population
    )


@dataclass
class Patient:
    age: float
    sex: str  # "female" or "male"
    span: Span


@dataclass
class TreatmentReason:
    kind: str  # "resistance" or "intolerance"
    therapy: str
    span: Span
    count: int | None = None


@dataclass
class RiskMeasurement:
    score: str  # ontology class local name of the score (SokalScore, ...)
    group: str  # "lowRisk", "intermediateRisk" or "highRisk"
    span: Span
    count: int | None = None
    percent: float | None = None


@dataclass
class QualityNote:
    text: str
    span: Span


@dataclass
class Extraction:
    """Everything read from one abstract."""

    identifier: str
    title: str
    design: str  # ontology class local name of the study design
    condition: str | None  # ontology class local name of the disease the abstract is about
    is_cml_treatment: bool
    cohorts: list[Cohort] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    adverse_events: list[AdverseEvent] = field(default_factory=list)
    patients: list[Patient] = field(default_factory=list)
    reasons: list[TreatmentReason] = field(default_factory=list)
    risks: list[RiskMeasurement] = field(default_factory=list)
    notes: list[QualityNote] = field(default_factory=list)
    # terms from outside the ontology (drugs, phenotypes from packaged vocabularies):
    # local name -> (label, IRIs, ontology class it is an individual of)
    external_terms: dict[str, tuple[str, tuple[str, ...], str]] = field(default_factory=dict)
    extractor_version: str = ""  # the version of the extractor that read it (cml:extractorVersion)
