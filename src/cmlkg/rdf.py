"""Records to RDF: the facts of one abstract as quads in its own named graph, with provenance.

Every IRI is minted by :mod:`cmlkg.namespaces` from the abstract's identifier and the fact's place in
the extraction, so the same text gives the same IRIs and one abstract never touches another's.
"""

from __future__ import annotations

from decimal import Decimal

from pyoxigraph import Literal, NamedNode

from cmlkg import records as r
from cmlkg.corpus import Abstract
from cmlkg.export import Graph
from cmlkg.extract import EXTRACTOR_VERSION
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


def extraction_graph(abstract: Abstract, x: r.Extraction, labels: dict[str, str]) -> Graph:
    """One abstract's facts as its named graph ``graph/<id>``, grouped by subject."""
    w = _Writer(abstract, x.external_terms)
    ident = abstract.identifier
    label = lambda local: labels.get(local) or x.external_terms.get(local, (local,))[0]  # noqa: E731

    # the source document and the extraction run
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
    w.add(w.activity, cml("extractorVersion"), Literal(EXTRACTOR_VERSION))

    study = w.node("study")
    w.add(w.doc, cml("describes"), study)
    w.fact(study, x.design, f"{label(x.design)} reported in abstract {ident}", None)
    if x.is_cml_treatment:
        w.add(study, _TYPE, _c("CMLTreatmentStudy"))
    if x.condition:
        cond = w.typed(w.node("study", "condition"), x.condition, label(x.condition))
        w.add(study, cml("studiesCondition"), cond)

    # cohorts: the population first, then arms and subgroups
    cohort_nodes: list[NamedNode] = []
    arm_n = sub_n = 0
    population = None
    for c in x.cohorts:
        if c.role == "population":
            node = w.node("population")
            w.add(study, cml("hasPopulation"), node)
            population = node
            cls = "StudyPopulation"
        elif c.role == "arm":
            arm_n += 1
            node = w.node("arm", arm_n)
            cls = "TreatmentArm"
        else:
            sub_n += 1
            node = w.node("subgroup", sub_n)
            cls = "PatientSubgroup"
        if population is not None and node is not population:
            w.add(population, cml("hasArm" if cls == "TreatmentArm" else "hasSubgroup"), node)
        size = f"of {c.size} patients" if c.size is not None else "(size not stated)"
        w.fact(node, cls, f"{label(cls)} {size}", c.span, *c.extra_spans)
        if c.size is not None:
            w.add(node, cml("size"), _int(c.size))
        for prop, value in (
            ("evaluableCount", c.evaluable),
            ("femaleCount", c.female),
            ("maleCount", c.male),
        ):
            if value is not None:
                w.add(node, cml(prop), _int(value))
        if c.age_value is not None:
            w.add(node, cml("ageMedian" if c.age_statistic == "median" else "ageMean"), _dec(c.age_value))
        for prop, age in (("ageSD", c.age_sd), ("ageMin", c.age_min), ("ageMax", c.age_max)):
            if age is not None:
                w.add(node, cml(prop), _dec(age))
        cohort_nodes.append(node)
        for tr in c.treatments:  # what an arm received, with the arm's own doses
            w.treatment(node, ("arm", arm_n, "treatment"), tr, label)
    if population is None:
        # every study has a population, even when the abstract states no size
        population = w.node("population")
        w.add(study, cml("hasPopulation"), population)
        w.fact(population, "StudyPopulation", "study population (size not stated)", None)

    for p in x.phases:
        node = w.node("phase", p.term)
        w.fact(node, p.term, label(p.term), p.span)
        w.add(population, cml("inDiseasePhase"), node)

    for t in x.treatments:
        w.treatment(population, ("treatment" if t.role == "intervention" else "prior-therapy",), t, label)

    for k, reason in enumerate(x.reasons, 1):
        cls = "ResistanceToPriorTherapy" if reason.kind == "resistance" else "IntoleranceToPriorTherapy"
        node = w.node("reason", k)
        w.fact(node, cls, f"{label(cls)}: {label(reason.therapy)}", reason.span)
        w.add(
            node,
            cml("reasonConcerns"),
            w.typed(w.node("reason", k, "therapy"), reason.therapy, label(reason.therapy)),
        )
        if reason.count is not None:
            w.add(node, cml("patientCount"), _int(reason.count))
        w.add(population, cml("treatmentReason"), node)

    for k, risk in enumerate(x.risks, 1):
        node = w.node("risk", k)
        figures = ", ".join(
            f
            for f in (
                f"{risk.count} patients" if risk.count is not None else "",
                f"{risk.percent:g}%" if risk.percent is not None else "",
            )
            if f
        )
        w.fact(node, "RiskScoreMeasurement", f"{label(risk.score)} {label(risk.group)}: {figures}", risk.span)
        w.add(node, cml("riskScore"), w.typed(_n(node.value + "/score"), risk.score, label(risk.score)))
        w.add(node, cml("riskGroup"), _c(risk.group))
        if risk.count is not None:
            w.add(node, cml("patientCount"), _int(risk.count))
        if risk.percent is not None:
            w.add(node, cml("percent"), _dec(risk.percent))
        w.add(population, cml("reportsRisk"), node)

    outcome_nodes = [w.node("outcome", k) for k in range(1, len(x.outcomes) + 1)]
    for node, o in zip(outcome_nodes, x.outcomes):
        cls = "AggregateOutcomeMeasurement" if o.aggregate_of else "OutcomeMeasurement"
        figures = ", ".join(
            f
            for f in (
                f"{o.count} patients" if o.count is not None else "",
                f"{o.percent:g}%" if o.percent is not None else "",
                f"of {o.denominator}" if o.denominator is not None else "",
            )
            if f
        )
        w.fact(node, cls, f"{label(o.term)}: {figures}", o.span)
        w.add(node, cml("ofOutcome"), w.typed(_n(node.value + "/outcome"), o.term, label(o.term)))
        w.add(population if o.cohort is None else cohort_nodes[o.cohort], cml("reportsOutcome"), node)
        if o.count is not None:
            w.add(node, cml("patientCount"), _int(o.count))
        if o.percent is not None:
            w.add(node, cml("percent"), _dec(o.percent))
        if o.denominator is not None:
            w.add(node, cml("denominator"), _int(o.denominator))
        if o.time_months is not None:
            w.add(node, cml("timePointMonths"), _dec(o.time_months))
        if o.negated:
            w.add(node, cml("negated"), Literal("true", datatype=_BOOL))
        for part in o.aggregate_of:
            w.add(node, cml("aggregates"), outcome_nodes[part])

    for k, a in enumerate(x.adverse_events, 1):
        node = w.node("adverse-event", k)
        grade = f", grade {a.grade}" if a.grade is not None else ""
        w.fact(node, "AdverseEventObservation", f"{label(a.term)}{grade}", a.span)
        w.add(node, cml("ofAdverseEvent"), w.typed(_n(node.value + "/event"), a.term, label(a.term)))
        w.add(population if a.cohort is None else cohort_nodes[a.cohort], cml("reportsAdverseEvent"), node)
        if a.grade is not None:
            w.add(node, cml("ctcaeGrade"), _int(a.grade))
        if a.count is not None:
            w.add(node, cml("patientCount"), _int(a.count))

    for k, patient in enumerate(x.patients, 1):
        node = w.node("patient", k)
        w.fact(node, "Patient", f"patient {k}: {patient.age:g}-year-old {patient.sex}", patient.span)
        w.add(node, cml("age"), _dec(patient.age))
        w.add(node, cml("hasSex"), _c(patient.sex))
        w.add(study, cml("hasPatient"), node)

    for k, note in enumerate(x.notes, 1):
        node = w.node("quality-note", k)
        w.fact(node, "DataQualityNote", note.text, note.span)
        w.add(node, cml("noteText"), Literal(note.text))
        w.add(node, cml("concerns"), w.doc)
        w.add(w.doc, cml("hasQualityNote"), node)
    return Graph(w.graph, w.groups)
