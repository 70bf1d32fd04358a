"""Drugs beyond the ontology: names the ontology does not list (etoposide, vindesine, VP-16, ...) are
recognised with the dictionary that ``drug-named-entity-recognition`` ships (DrugBank and MeSH names,
synonyms and brand names, MIT-licensed, no network use). The ontology stays the source of the drugs
that CML treatment is about; a name that resolves to one of its drugs becomes that drug.

An external drug is a term ``ext:<DrugBank id>`` of kind ``drug`` under ``cml:Drug``, with its
DrugBank and MeSH identifiers for the graph."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from cmlkg.extract.cache import cached
from cmlkg.vocabulary import Term, Vocabulary

PREFIX = "ext:"
DRUGBANK = "https://go.drugbank.com/drugs/"
MESH = "http://id.nlm.nih.gov/mesh/"


@dataclass(frozen=True)
class ExternalTerm:
    """A term from a packaged vocabulary outside the ontology: a drug (DrugBank) or a phenotype (HPO)."""

    local: str  # ext:DB00773, hp:HP_0025145
    label: str  # Etoposide
    cls: str  # the ontology class it is an individual of: Drug, AdverseEvent
    identifiers: tuple[str, ...]  # IRIs: DrugBank and MeSH, HPO

    @property
    def drugbank(self) -> str | None:
        return next((i[len(DRUGBANK):] for i in self.identifiers if i.startswith(DRUGBANK)), None)

    def iris(self) -> list[str]:
        return list(self.identifiers)


def register(local: str, label: str, cls: str, kind: str, identifiers: tuple[str, ...]) -> None:
    """Make an external term known to the extraction (same local name, same data: idempotent)."""
    if local not in _TERMS:
        _DRUGS[local] = ExternalTerm(local, label, cls, identifiers)
        _TERMS[local] = Term(local=local, label=label, kind=kind, synonyms=(), ancestors=frozenset({cls}),
                             grouping=False, preferred_mapping=identifiers[0] if identifiers else None)


def derive_names() -> dict[str, tuple[str, str, str | None] | None]:
    """From the package's dictionary: every name variant of one or two words (lower case, joined by a
    space) -> (name, DrugBank id, MeSH id) of the first of its drugs, by canonical name, that DrugBank
    lists; None for a name of something else (a protein, a reagent), which still takes its words."""
    from drug_named_entity_recognition import drugs_finder

    out: dict[str, tuple[str, str, str | None] | None] = {}
    for key, canonical in drugs_finder.drug_variant_to_canonical.items():
        if key.count(" ") > 1:
            continue
        out[key] = None
        for name in sorted(canonical):
            data = dict(drugs_finder.drug_canonical_to_data.get(name, {})) | drugs_finder.drug_variant_to_variant_data.get(key, {})
            if data.get("drugbank_id") and data.get("name"):
                mesh = data.get("mesh_id")
                out[key] = (data["name"], data["drugbank_id"], mesh if mesh and re.fullmatch(r"[CD]\d+", mesh) else None)
                break
    return out


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, tuple[str, str, str | None] | None], set[str]]:
    """The drug names (see derive_names) and the first words of the two-word ones.

    The package's own dictionary takes 1.4 s and 350 MB to load, in every process: the names are
    derived from it once, in a child process, and kept in the cache (:mod:`cmlkg.extract.cache`)."""
    from importlib.metadata import version

    raw = cached(f"drug-names-{version('drug-named-entity-recognition')}.json",
                 child="import sys, json; from cmlkg.extract.drugs import derive_names; "
                       "json.dump(derive_names(), open(sys.argv[1], 'w', encoding='utf-8'), sort_keys=True)")
    names = {k: tuple(v) if v else None for k, v in raw.items()}
    first = {k.split(" ", 1)[0] for k in names if " " in k}
    return names, first


_TERMS: dict[str, Term] = {}
_DRUGS: dict[str, ExternalTerm] = {}


def external(local: str) -> ExternalTerm | None:
    return _DRUGS.get(local)


def term(vocab: Vocabulary, local: str) -> Term:
    """The term of a local name: the ontology's, or an external drug's."""
    found = vocab.terms.get(local) or _TERMS.get(local)
    if found is None:
        raise KeyError(local)
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


def drug_mentions(text: str, tokens: list[tuple[str, int, int]], vocab: Vocabulary) -> list[tuple[str, int, int]]:
    """(local name, start, end) of each drug name the package knows that is in DrugBank (a medicine, not a
    protein or a reagent). A name of one of the ontology's drugs maps to the ontology's term.

    Exact matches as the package's ``find_drugs`` makes them (two words before one), looked up in its
    dictionary directly: ``find_drugs`` also builds molecular data for every match, ten times the work."""
    variants, first = _dictionary()
    names = ontology_names(vocab, ("drug", "procedure"))
    lowered = [w.lower() for w, _s, _e in tokens]
    out = []
    k, n = 0, len(tokens)
    while k < n:
        w = lowered[k]
        length = 0
        if w in first and k + 1 < n and (key := w + " " + lowered[k + 1]) in variants:
            length = 2
        elif w in variants:
            length, key = 1, w
        if not length:
            k += 1
            continue
        start, end = tokens[k][1], tokens[k + length - 1][2]
        k += length
        if variants[key] is None:
            continue
        label, db, mesh = variants[key]
        surface = text[start:end]
        if len(surface) < 4 or surface.islower() and len(surface) < 5:
            continue
        local = names.get(label.lower()) or names.get(surface.lower())
        if local is None:
            local = PREFIX + db
            register(local, label, "Drug", "drug", (DRUGBANK + db,) + ((MESH + mesh,) if mesh else ()))
        out.append((local, start, end))
    return out
