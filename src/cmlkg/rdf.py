"""Records to RDF: the facts of one abstract as quads in its own named graph, with provenance.

Every IRI is minted by :mod:`cmlkg.namespaces` from the abstract's identifier and the fact's place in
the extraction, so the same text gives the same IRIs and one abstract never touches another's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pyoxigraph import Literal, NamedNode

from cmlkg import records as r
from cmlkg.corpus import Abstract
from cmlkg.export import Graph
from cmlkg.namespaces import (
    BIBO,
    DCTERMS,
    FOAF,
    MESH,
    OA,
    OWL,
    PRISM,
    PROV,
    RDF,
    RDFS,
    RESOURCE,
    SKOS,
    XSD,
    abstract_iri,
    cml,
    doi_iri,
    fact_iri,
    graph_iri,
    pubmed_links,
)
from cmlkg.pubmed import Bibliography

_TYPE = NamedNode(RDF + "type")
_LABEL = NamedNode(RDFS + "label")
_INT = NamedNode(XSD + "integer")
_DEC = NamedNode(XSD + "decimal")
_BOOL = NamedNode(XSD + "boolean")
_INDIVIDUAL = NamedNode(OWL + "NamedIndividual")
_NODES: dict[str, NamedNode] = {}


def _n(iri: str) -> NamedNode:
    """A NamedNode; vocabulary IRIs are cached, the IRIs of facts (one use each) are not."""
    if iri.startswith(RESOURCE):
        return NamedNode(iri)
    node = _NODES.get(iri)
    if node is None:
        node = _NODES[iri] = NamedNode(iri)
    return node


def _c(local: str) -> NamedNode:
    return _n(cml(local))


def _int(v: int) -> Literal:
    return Literal(str(int(v)), datatype=_INT)


def _dec(v: float) -> Literal:
    """An xsd:decimal in the canonical form Oxigraph stores (44, 0.5), so exports and store agree."""
    return Literal(format(Decimal(str(round(float(v), 6))).normalize(), "f"), datatype=_DEC)


class _Writer:
    def __init__(self, abstract: Abstract, external: dict[str, tuple[str, tuple[str, ...], str]]):
        self.abstract = abstract
        self.graph = _n(graph_iri(abstract.identifier))
        self.doc = _n(abstract_iri(abstract.identifier))
        self.activity = _n(fact_iri(abstract.identifier, "extraction"))
        self.groups: dict[NamedNode, list[tuple[NamedNode, object]]] = {}
        self.external = external  # terms from outside the ontology: local -> (label, IRIs, ontology class)

    def add(self, s: NamedNode, p: str | NamedNode, o) -> None:
        group = self.groups.get(s)
        if group is None:
            group = self.groups[s] = []
        group.append((_n(p) if isinstance(p, str) else p, o))

    def node(self, *parts: object) -> NamedNode:
        return _n(fact_iri(self.abstract.identifier, *parts))

    def individual(self, node: NamedNode, cls: NamedNode) -> None:
        """Declare an individual (as OWL 2 and Protégé want) and type it."""
        self.add(node, _TYPE, _INDIVIDUAL)
        self.add(node, _TYPE, cls)

    def fact(
        self, node: NamedNode, cls: str, label: str, span: r.Span | None, *extra_spans: r.Span
    ) -> NamedNode:
        self.individual(node, _c(cls))
        self.add(node, _LABEL, Literal(label))
        self.add(node, PROV + "wasDerivedFrom", self.doc)
        self.add(node, PROV + "wasGeneratedBy", self.activity)
        for k, sp in enumerate([s for s in (span, *extra_spans) if s is not None]):
            self.evidence(node, sp, k)
        return node

    def evidence(self, node: NamedNode, span: r.Span, k: int) -> None:
        text = self.abstract.text
        ev = _n(node.value + ("/evidence" if k == 0 else f"/evidence-{k + 1}"))
        sel = _n(ev.value + "/selector")
        self.add(node, cml("evidence"), ev)
        self.individual(ev, _c("TextEvidence"))
        self.add(ev, OA + "hasSource", self.doc)
        self.add(ev, OA + "hasSelector", sel)
        self.individual(sel, _n(OA + "TextPositionSelector"))
        self.add(sel, _TYPE, _n(OA + "TextQuoteSelector"))
        self.add(sel, OA + "start", _int(span.start))
        self.add(sel, OA + "end", _int(span.end))
        self.add(sel, OA + "exact", Literal(text[span.start : span.end]))

    def treatment(self, cohort: NamedNode, slot: tuple, t: r.Treatment, label) -> None:
        """A treatment a cohort received (``slot/<term>``), its agent and its doses."""
        node = self.node(*slot, t.term)
        cls = "StudyTreatment" if t.role == "intervention" else "PriorTherapy"
        self.fact(node, cls, f"{label(cls)}: {label(t.term)}", t.span)
        self.add(
            node, cml("usesTherapy"), self.typed(self.node(*slot, t.term, "agent"), t.term, label(t.term))
        )
        self.add(cohort, cml("receivedTreatment"), node)
        for k, d in enumerate(t.doses, 1):
            dn = self.node(*slot, t.term, "dose", k)
            self.fact(dn, "Dose", f"{d.value:g} {d.unit} {label(t.term)}", d.span)
            self.add(dn, cml("doseValue"), _dec(d.value))
            self.add(dn, cml("doseUnit"), Literal(d.unit))
            self.add(node, cml("hasDose"), dn)

    def optional(self, s: NamedNode, prop: str, value, literal: Callable[..., Literal]) -> None:
        """``s cml:prop value`` when the value is stated."""
        if value is not None:
            self.add(s, cml(prop), literal(value))

    def typed(self, node: NamedNode, local: str, label: str) -> NamedNode:
        """An individual of an ontology class (the drug given, the outcome reached, ...). A term from
        outside the ontology is an individual of its branch (cml:Drug, cml:AdverseEvent) with its name
        and its IRIs (DrugBank and MeSH, HPO)."""
        ext = self.external.get(local)
        if ext is not None:
            self.individual(node, _c(ext[2]))
            self.add(node, _LABEL, Literal(ext[0]))
            for iri in ext[1]:
                self.add(node, SKOS + "exactMatch", _n(iri))
            return node
        self.individual(node, _c(local))
        self.add(node, _LABEL, Literal(label))
        return node


def bibliographic_links(bib: Bibliography) -> dict[str, int]:
    """How many links of each VoID linkset the abstract's bibliography gives."""
    return {
        "pubmed": int(bib.pmid is not None),
        "doi": int(bib.doi is not None),
        "mesh-subjects": sum(1 for ui, _name, _major in bib.mesh if ui),
    }


def _bibliography(w: _Writer, bib: Bibliography) -> None:
    """The paper the abstract belongs to, in DCTerms, BIBO, PRISM and FOAF (see the README)."""
    doc = w.doc
    if bib.title:
        w.add(doc, DCTERMS + "title", Literal(bib.title))
    if bib.journal:
        w.add(doc, PRISM + "publicationName", Literal(bib.journal))
    if bib.year:
        w.add(doc, DCTERMS + "issued", Literal(bib.year, datatype=_n(XSD + "gYear")))
    if bib.pmid:
        page, identifier = pubmed_links(bib.pmid)
        w.add(doc, BIBO + "pmid", Literal(bib.pmid))
        w.add(doc, FOAF + "page", _n(page))
        w.add(doc, DCTERMS + "source", _n(identifier))
    if bib.doi:
        w.add(doc, BIBO + "doi", Literal(bib.doi))
        w.add(doc, DCTERMS + "source", _n(doi_iri(bib.doi)))
    for ui, heading, _major in bib.mesh:
        if ui:
            w.add(doc, DCTERMS + "subject", _n(MESH + ui))
        else:
            w.add(doc, PRISM + "keyword", Literal(heading))
    for k, sec in enumerate(bib.sections, 1):
        node, sel = w.node("section", k), w.node("section", k, "selector")
        w.individual(node, _c("AbstractSection"))
        w.add(node, _LABEL, Literal(f"{sec.label} section"))
        w.add(node, cml("sectionCategory"), Literal(sec.category))
        w.add(node, OA + "hasSelector", sel)  # where it is in the text (cml:sourceText has the words)
        w.individual(sel, _n(OA + "TextPositionSelector"))
        w.add(sel, OA + "start", _int(sec.start))
        w.add(sel, OA + "end", _int(sec.end))
        w.add(doc, cml("hasSection"), node)


Label = Callable[[str], str]


def extraction_graph(abstract: Abstract, x: r.Extraction, labels: dict[str, str]) -> Graph:
    """One abstract's facts as its named graph ``graph/<id>``, grouped by subject."""
    w = _Writer(abstract, x.external_terms)

    def label(local: str) -> str:
        return labels.get(local) or x.external_terms.get(local, (local,))[0]

    _source(w, abstract, x)
    study = _study(w, x, label)
    population, cohort_nodes = _cohorts(w, x.cohorts, study, label)
    for p in x.phases:
        node = w.node("phase", p.term)
        w.fact(node, p.term, label(p.term), p.span)
        w.add(population, cml("inDiseasePhase"), node)
    for t in x.treatments:
        w.treatment(population, ("treatment" if t.role == "intervention" else "prior-therapy",), t, label)
    _reasons(w, x.reasons, population, label)
    _risks(w, x.risks, population, label)
    where = lambda cohort: population if cohort is None else cohort_nodes[cohort]  # noqa: E731
    _outcomes(w, x.outcomes, where, label)
    _adverse_events(w, x.adverse_events, where, label)
    _patients(w, x.patients, study)
    _notes(w, x.notes)
    return Graph(w.graph, w.groups)


def _figures(count: int | None, percent: float | None, denominator: int | None = None) -> str:
    """'12 patients, 40%, of 30': the figures of a label, those stated."""
    return ", ".join(
        f
        for f in (
            f"{count} patients" if count is not None else "",
            f"{percent:g}%" if percent is not None else "",
            f"of {denominator}" if denominator is not None else "",
        )
        if f
    )


def _source(w: _Writer, abstract: Abstract, x: r.Extraction) -> None:
    """The source document and the extraction run."""
    ident = abstract.identifier
    w.individual(w.doc, _c("Abstract"))
    w.add(w.doc, _LABEL, Literal(f"abstract {ident}"))
    w.add(w.doc, cml("sourceIdentifier"), Literal(ident))
    if abstract.bib is None or not abstract.bib.title:  # a database record has its real title (dcterms:title)
        w.add(w.doc, cml("title"), Literal(x.title))
    w.add(w.doc, cml("textSha256"), Literal(abstract.sha256))
    w.add(w.doc, cml("sourceText"), Literal(abstract.text))
    if abstract.bib is not None:
        _bibliography(w, abstract.bib)
    w.individual(w.activity, _c("ExtractionActivity"))
    w.add(w.activity, _LABEL, Literal(f"extraction of abstract {ident}"))
    w.add(w.activity, PROV + "used", w.doc)
    w.add(w.activity, PROV + "wasAssociatedWith", _c("cmlkgExtractor"))
    w.add(w.activity, cml("extractorVersion"), Literal(x.extractor_version))


def _study(w: _Writer, x: r.Extraction, label: Label) -> NamedNode:
    """The study the abstract describes: its design and the condition it studies."""
    study = w.node("study")
    w.add(w.doc, cml("describes"), study)
    w.fact(study, x.design, f"{label(x.design)} reported in abstract {w.abstract.identifier}", None)
    if x.is_cml_treatment:
        w.add(study, _TYPE, _c("CMLTreatmentStudy"))
    if x.condition:
        cond = w.typed(w.node("study", "condition"), x.condition, label(x.condition))
        w.add(study, cml("studiesCondition"), cond)
    return study


def _cohorts(
    w: _Writer, cohorts: list[r.Cohort], study: NamedNode, label: Label
) -> tuple[NamedNode, list[NamedNode]]:
    """The population first, then arms and subgroups; the population (one even when the abstract
    states no size) and the node of each cohort."""
    cohort_nodes: list[NamedNode] = []
    arm_n = sub_n = 0
    population = None
    for c in cohorts:
        if c.role == "population":
            node = population = w.node("population")
            w.add(study, cml("hasPopulation"), node)
            cls = "StudyPopulation"
        elif c.role == "arm":
            arm_n += 1
            node, cls = w.node("arm", arm_n), "TreatmentArm"
        else:
            sub_n += 1
            node, cls = w.node("subgroup", sub_n), "PatientSubgroup"
        if population is not None and node is not population:
            w.add(population, cml("hasArm" if cls == "TreatmentArm" else "hasSubgroup"), node)
        size = f"of {c.size} patients" if c.size is not None else "(size not stated)"
        w.fact(node, cls, f"{label(cls)} {size}", c.span, *c.extra_spans)
        _cohort_traits(w, node, c)
        cohort_nodes.append(node)
        for tr in c.treatments:  # what an arm received, with the arm's own doses
            w.treatment(node, ("arm", arm_n, "treatment"), tr, label)
    if population is None:
        population = w.node("population")
        w.add(study, cml("hasPopulation"), population)
        w.fact(population, "StudyPopulation", "study population (size not stated)", None)
    return population, cohort_nodes


def _cohort_traits(w: _Writer, node: NamedNode, c: r.Cohort) -> None:
    """A cohort's size, counts and ages, those stated."""
    for prop, count in (
        ("size", c.size),
        ("evaluableCount", c.evaluable),
        ("femaleCount", c.female),
        ("maleCount", c.male),
    ):
        w.optional(node, prop, count, _int)
    if c.age_value is not None:
        w.add(node, cml("ageMedian" if c.age_statistic == "median" else "ageMean"), _dec(c.age_value))
    for prop, age in (("ageSD", c.age_sd), ("ageMin", c.age_min), ("ageMax", c.age_max)):
        w.optional(node, prop, age, _dec)


def _reasons(w: _Writer, reasons: list[r.TreatmentReason], population: NamedNode, label: Label) -> None:
    """Why the population was treated: resistance or intolerance to a prior therapy."""
    for k, reason in enumerate(reasons, 1):
        cls = "ResistanceToPriorTherapy" if reason.kind == "resistance" else "IntoleranceToPriorTherapy"
        node = w.node("reason", k)
        w.fact(node, cls, f"{label(cls)}: {label(reason.therapy)}", reason.span)
        therapy = w.typed(w.node("reason", k, "therapy"), reason.therapy, label(reason.therapy))
        w.add(node, cml("reasonConcerns"), therapy)
        w.optional(node, "patientCount", reason.count, _int)
        w.add(population, cml("treatmentReason"), node)


def _risks(w: _Writer, risks: list[r.RiskMeasurement], population: NamedNode, label: Label) -> None:
    """The population's risk groups (Sokal, ELTS, ...), with their counts and shares."""
    for k, risk in enumerate(risks, 1):
        node = w.node("risk", k)
        figures = _figures(risk.count, risk.percent)
        w.fact(node, "RiskScoreMeasurement", f"{label(risk.score)} {label(risk.group)}: {figures}", risk.span)
        w.add(node, cml("riskScore"), w.typed(_n(node.value + "/score"), risk.score, label(risk.score)))
        w.add(node, cml("riskGroup"), _c(risk.group))
        w.optional(node, "patientCount", risk.count, _int)
        w.optional(node, "percent", risk.percent, _dec)
        w.add(population, cml("reportsRisk"), node)


def _outcomes(
    w: _Writer, outcomes: list[r.Outcome], where: Callable[[int | None], NamedNode], label: Label
) -> None:
    """The outcome figures, each reported by its cohort (``where``), aggregates linked to their parts."""
    nodes = [w.node("outcome", k) for k in range(1, len(outcomes) + 1)]
    for node, o in zip(nodes, outcomes, strict=True):
        cls = "AggregateOutcomeMeasurement" if o.aggregate_of else "OutcomeMeasurement"
        w.fact(node, cls, f"{label(o.term)}: {_figures(o.count, o.percent, o.denominator)}", o.span)
        w.add(node, cml("ofOutcome"), w.typed(_n(node.value + "/outcome"), o.term, label(o.term)))
        w.add(where(o.cohort), cml("reportsOutcome"), node)
        w.optional(node, "patientCount", o.count, _int)
        w.optional(node, "percent", o.percent, _dec)
        w.optional(node, "denominator", o.denominator, _int)
        w.optional(node, "timePointMonths", o.time_months, _dec)
        if o.negated:
            w.add(node, cml("negated"), Literal("true", datatype=_BOOL))
        for part in o.aggregate_of:
            w.add(node, cml("aggregates"), nodes[part])


def _adverse_events(
    w: _Writer, events: list[r.AdverseEvent], where: Callable[[int | None], NamedNode], label: Label
) -> None:
    """The adverse events, each reported by its cohort (``where``), with grade and count."""
    for k, a in enumerate(events, 1):
        node = w.node("adverse-event", k)
        grade = f", grade {a.grade}" if a.grade is not None else ""
        w.fact(node, "AdverseEventObservation", f"{label(a.term)}{grade}", a.span)
        w.add(node, cml("ofAdverseEvent"), w.typed(_n(node.value + "/event"), a.term, label(a.term)))
        w.add(where(a.cohort), cml("reportsAdverseEvent"), node)
        w.optional(node, "ctcaeGrade", a.grade, _int)
        w.optional(node, "patientCount", a.count, _int)


def _patients(w: _Writer, patients: list[r.Patient], study: NamedNode) -> None:
    """The individual patients of a case report or a series."""
    for k, patient in enumerate(patients, 1):
        node = w.node("patient", k)
        w.fact(node, "Patient", f"patient {k}: {patient.age:g}-year-old {patient.sex}", patient.span)
        w.add(node, cml("age"), _dec(patient.age))
        w.add(node, cml("hasSex"), _c(patient.sex))
        w.add(study, cml("hasPatient"), node)


def _notes(w: _Writer, notes: list[r.QualityNote]) -> None:
    """What the extraction found doubtful in the abstract's own figures."""
    for k, note in enumerate(notes, 1):
        node = w.node("quality-note", k)
        w.fact(node, "DataQualityNote", note.text, note.span)
        w.add(node, cml("noteText"), Literal(note.text))
        w.add(node, cml("concerns"), w.doc)
        w.add(w.doc, cml("hasQualityNote"), node)
