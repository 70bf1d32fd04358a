"""`cmlkg validate`: HermiT consistency of ontology plus data, and the SHACL shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cmlkg.errors import CmlkgError
from cmlkg.store import current_generation
from cmlkg.vocabulary import package_dir


@dataclass
class ValidationReport:
    consistent: bool | None
    unsatisfiable: list[str] = field(default_factory=list)
    reasoner_message: str = ""
    shacl_conforms: bool = True
    shacl_results: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return self.consistent is not False and not self.unsatisfiable and self.shacl_conforms

    def text(self) -> str:
        lines = []
        if self.consistent is None:
            lines.append("reasoner: not run")
        elif self.consistent:
            lines.append(
                "reasoner (HermiT): consistent, no unsatisfiable classes"
                if not self.unsatisfiable
                else "reasoner (HermiT): consistent"
            )
        else:
            lines.append(f"reasoner (HermiT): INCONSISTENT: {self.reasoner_message}")
        for c in self.unsatisfiable:
            lines.append(f"  unsatisfiable class: {c}")
        lines.append(
            "SHACL shapes: conforms"
            if self.shacl_conforms
            else f"SHACL shapes: {len(self.shacl_results)} violation(s)"
        )
        lines += [f"  {r}" for r in self.shacl_results[:50]]
        if len(self.shacl_results) > 50:
            lines.append(f"  ... and {len(self.shacl_results) - 50} more")
        lines.append("result: CONFORMS" if self.conforms else "result: DOES NOT CONFORM")
        return "\n".join(lines)


def run_reasoner(rdfxml: Path) -> tuple[bool, list[str], str]:
    """Load an RDF/XML file with owlready2 and run HermiT; (consistent, unsatisfiable classes, message)."""
    import shutil

    import owlready2

    if shutil.which(owlready2.JAVA_EXE) is None:
        raise CmlkgError(
            "the reasoner (HermiT) needs Java and no `java` is on PATH: install a Java runtime "
            "(Debian/Ubuntu: apt-get install default-jre-headless), or check the SHACL shapes only "
            "with `cmlkg validate --no-reasoner`"
        )
    world = owlready2.World()
    onto = world.get_ontology(rdfxml.resolve().as_uri()).load()
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return False, [], _inconsistency_message(exc)
    except (owlready2.OwlReadyJavaError, OSError) as exc:
        raise CmlkgError(
            f"HermiT could not run (is Java installed? `cmlkg validate --no-reasoner` skips it): "
            f"{str(exc)[-400:]}"
        ) from None
    unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    return True, unsat, ""


def _inconsistency_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(text[-3:])[:600] if text else "the ontology plus data has no model"


def run_shapes(data_file: Path) -> tuple[bool, list[str]]:
    import pyshacl
    import rdflib

    graph = rdflib.Graph().parse(str(data_file), format="turtle")  # the merged graph of every abstract
    shapes = rdflib.Graph().parse(str(package_dir("shapes") / "shapes.ttl"), format="turtle")
    conforms, results_graph, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results = []
    for r in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results_graph.value(r, sh.focusNode)
        path = results_graph.value(r, sh.resultPath)
        msg = results_graph.value(r, sh.resultMessage)
        results.append(f"{focus}: {path.n3(graph.namespace_manager) if path is not None else ''} {msg}")
    return conforms, sorted(results)


def validate_build(build_dir: Path, reasoner: bool = True) -> ValidationReport:
    gen = current_generation(build_dir)
    report = ValidationReport(consistent=None)
    if reasoner:
        report.consistent, report.unsatisfiable, report.reasoner_message = run_reasoner(gen / "cmlkg.rdf")
    report.shacl_conforms, report.shacl_results = run_shapes(gen / "cmlkg.ttl")
    return report
