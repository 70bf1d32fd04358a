"""Terms from packaged vocabularies outside the ontology: drugs (:mod:`cmlkg.extract.drugs`, DrugBank)
and adverse events (:mod:`cmlkg.extract.phenotypes`, HPO). Each is known to the extraction by a local
name (``ext:DB00773``, ``hp:HP_0025145``) beside the ontology's own terms, and goes into the graph as an
individual of its ontology branch with its standard IRIs."""

from __future__ import annotations

from dataclasses import dataclass

from cmlkg.vocabulary import Term, Vocabulary


@dataclass(frozen=True)
class ExternalTerm:
    local: str  # ext:DB00773, hp:HP_0025145
    label: str  # Etoposide
    cls: str  # the ontology class it is an individual of: Drug, AdverseEvent
    identifiers: tuple[str, ...]  # IRIs: DrugBank and MeSH, HPO
    term: Term  # what the extraction's rules see, as for an ontology term

    @property
    def drugbank(self) -> str | None:
        return next((i[len(DRUGBANK) :] for i in self.identifiers if i.startswith(DRUGBANK)), None)


DRUGBANK = "https://go.drugbank.com/drugs/"
_EXTERNAL: dict[str, ExternalTerm] = {}


def register(local: str, label: str, cls: str, kind: str, identifiers: tuple[str, ...]) -> None:
    """Make an external term known to the extraction (same local name, same data: idempotent)."""
    if local not in _EXTERNAL:
        term = Term(
            local=local,
            label=label,
            kind=kind,
            synonyms=(),
            ancestors=frozenset({cls}),
            grouping=False,
        )
        _EXTERNAL[local] = ExternalTerm(local, label, cls, identifiers, term)


def external(local: str) -> ExternalTerm | None:
    return _EXTERNAL.get(local)


def term(vocab: Vocabulary, local: str) -> Term:
    """The term of a local name: the ontology's, or an external one's."""
    found = vocab.terms.get(local)
    if found is None:
        found = _EXTERNAL[local].term
    return found


_NAMES: dict[tuple[int, tuple[str, ...]], tuple[Vocabulary, dict[str, str]]] = {}


def ontology_names(vocab: Vocabulary, kinds: tuple[str, ...]) -> dict[str, str]:
    """Lower-case labels and synonyms of the ontology's terms of these kinds -> local name (cached per
    vocabulary): a name from a packaged vocabulary that the ontology lists becomes the ontology's term."""
    cached = _NAMES.get((id(vocab), kinds))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    out: dict[str, str] = {}
    for t in vocab.terms.values():
        if t.kind in kinds:
            for s in (t.label, *t.synonyms):
                out.setdefault(s.lower(), t.local)
    _NAMES[(id(vocab), kinds)] = (vocab, out)
    return out
