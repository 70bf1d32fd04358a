"""The extraction vocabulary, read from the ontology's labels and synonyms.

A new synonym is one ``skos:altLabel`` in ``ontology/cmlkg.ttl``, not a code change.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cmlkg.namespaces import CML, RDFS, SKOS


def package_dir(name: str) -> Path:
    """A folder of data shipped inside the package (``ontology``, ``queries``, ``static``), wherever
    cmlkg is installed; in a checkout, ``ontology/`` and ``queries/`` at the top are links to them."""
    from importlib.resources import files

    return Path(str(files("cmlkg") / name))


def ontology_dir() -> Path:
    """The folder of the ontology source (packaged with cmlkg; ``$CMLKG_ONTOLOGY_DIR`` overrides it)."""
    env = os.environ.get("CMLKG_ONTOLOGY_DIR")
    if env:
        return Path(env)
    return package_dir("ontology")


def ontology_path() -> Path:
    return ontology_dir() / "cmlkg.ttl"


# The branches of the ontology that text is annotated with, and the kind of mention each gives.
KINDS = {
    "Drug": "drug",
    "TreatmentProcedure": "procedure",
    "CMLPhase": "phase",
    "ClinicalOutcome": "outcome",
    "AdverseEvent": "adverse_event",
    "Disease": "disease",
    "RiskScore": "risk_score",
}


@dataclass
class Term:
    """One class of the ontology that text can mention."""

    local: str
    label: str
    kind: str
    synonyms: tuple[str, ...]
    ancestors: frozenset[str]
    grouping: bool
    has_children: bool = False

    def is_a(self, local: str) -> bool:
        return local == self.local or local in self.ancestors


@dataclass
class Vocabulary:
    terms: dict[str, Term]
    labels: dict[str, str]  # rdfs:label of every cml: entity, text-mined or not, by local name

    def term(self, local: str) -> Term:
        return self.terms[local]

    def surfaces(self) -> list[tuple[str, str]]:
        """(surface form, class local name) for every non-grouping term, longest first."""
        out = []
        for term in self.terms.values():
            if term.grouping:
                continue
            for s in {term.label, *term.synonyms}:
                out.append((s, term.local))
        taken = {s.lower() for s, _local in out}
        for s, local in list(out):  # 'ALT increased' also read as 'increased ALT', 'ALT elevations', ...
            if self.terms[local].kind == "adverse_event":
                out += [(v, local) for v in _raised_forms(s) if v.lower() not in taken]
        out = sorted(set(out), key=lambda x: (-len(x[0]), x[0], x[1]))
        return out


_RAISED_BEFORE = re.compile(r"(?i)^(?:elevated|increased|raised)\s+(?P<x>.+)$")
_RAISED_AFTER = re.compile(r"(?i)^(?P<x>.+?)\s+(?:increased|elevations?|increases?)$")


def _raised_forms(surface: str) -> set[str]:
    """The ways of writing a raised laboratory value that one synonym stands for: 'elevated ALT' ->
    'increased ALT', 'raised ALT', 'ALT increased', 'ALT increase', 'ALT elevation' (plurals are read by the
    lexicon itself)."""
    m = _RAISED_BEFORE.match(surface) or _RAISED_AFTER.match(surface)
    if m is None:
        return set()
    x = m.group("x")
    return {
        *(f"{w} {x}" for w in ("elevated", "increased", "raised")),
        *(f"{x} {w}" for w in ("increased", "increase", "elevation")),
    } - {surface}


def _local(iri: str) -> str | None:
    return iri[len(CML) :] if iri.startswith(CML) else None


@functools.lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """Read the ontology and return its extraction vocabulary (cached per path)."""
    parents, labels, synonyms, grouping = _read_ontology(path or str(ontology_path()))

    def ancestors(local: str) -> set[str]:
        seen: set[str] = set()
        stack = list(parents.get(local, ()))
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                stack.extend(parents.get(p, ()))
        return seen

    with_children = {p for ps in parents.values() for p in ps}
    terms: dict[str, Term] = {}
    for local, label in labels.items():
        anc = ancestors(local)
        kind = next((k for root, k in KINDS.items() if root in anc), None)
        # a phase is a Disease too; the most specific branch wins
        if "CMLPhase" in anc:
            kind = "phase"
        if kind is None:
            continue
        terms[local] = Term(
            local=local,
            label=label,
            kind=kind,
            synonyms=tuple(sorted(set(synonyms.get(local, ())))),
            ancestors=frozenset(anc),
            grouping=local in grouping,
            has_children=local in with_children,
        )
    return Vocabulary(terms, labels)


def _read_ontology(path: str) -> tuple[dict[str, set[str]], dict[str, str], dict[str, list[str]], set[str]]:
    """The ontology's class tree (local name -> parents), labels, synonyms and grouping classes."""
    import pyoxigraph as ox

    parents: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    synonyms: dict[str, list[str]] = {}
    grouping: set[str] = set()
    predicates = {RDFS + "subClassOf", RDFS + "label", SKOS + "altLabel", CML + "groupingClass"}
    for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        p = t.predicate.value
        if p not in predicates or not isinstance(t.subject, ox.NamedNode):
            continue
        ls = _local(t.subject.value)
        o = t.object.value if isinstance(t.object, (ox.NamedNode, ox.Literal)) else None
        if ls is None or o is None:
            continue
        if p == RDFS + "subClassOf":
            if isinstance(t.object, ox.NamedNode) and (lo := _local(o)):
                parents.setdefault(ls, set()).add(lo)
        elif p == RDFS + "label":
            labels[ls] = o
        elif p == SKOS + "altLabel":
            synonyms.setdefault(ls, []).append(o)
        elif o.lower() == "true":  # cml:groupingClass
            grouping.add(ls)
    return parents, labels, synonyms, grouping


def is_abbreviation(surface: str) -> bool:
    """Short forms with two or more capitals (CCyR, IM, MR4.5) match case-sensitively."""
    return len(surface) <= 7 and sum(c.isupper() for c in surface) >= 2 and " " not in surface
