"""Drugs beyond the ontology: names the ontology does not list (etoposide, vindesine, VP-16, ...) are
recognised with the dictionary that ``drug-named-entity-recognition`` ships (DrugBank and MeSH names,
synonyms and brand names, MIT-licensed, no network use). The ontology stays the source of the drugs
that CML treatment is about; a name that resolves to one of its drugs becomes that drug.

An external drug is a term ``ext:<DrugBank id>`` of kind ``drug`` under ``cml:Drug``, with its
DrugBank and MeSH identifiers for the graph."""

from __future__ import annotations

import functools
import re

from cmlkg.extract.cache import cached
from cmlkg.extract.external import DRUGBANK, ontology_names, register
from cmlkg.vocabulary import Vocabulary

PREFIX = "ext:"
MESH = "http://id.nlm.nih.gov/mesh/"


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
            data = dict(
                drugs_finder.drug_canonical_to_data.get(name, {})
            ) | drugs_finder.drug_variant_to_variant_data.get(key, {})
            if data.get("drugbank_id") and data.get("name"):
                mesh = data.get("mesh_id")
                out[key] = (
                    data["name"],
                    data["drugbank_id"],
                    mesh if mesh and re.fullmatch(r"[CD]\d+", mesh) else None,
                )
                break
    return out


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, tuple[str, str, str | None] | None], set[str]]:
    """The drug names (see derive_names) and the first words of the two-word ones.

    The package's own dictionary takes 1.4 s and 350 MB to load, in every process: the names are
    derived from it once, in a child process, and kept in the cache (:mod:`cmlkg.extract.cache`)."""
    from importlib.metadata import version

    raw = cached(
        f"drug-names-{version('drug-named-entity-recognition')}.json",
        child="cmlkg.extract.derive_drugs",
    )
    names = {k: tuple(v) if v else None for k, v in raw.items()}
    first = {k.split(" ", 1)[0] for k in names if " " in k}
    return names, first


def drug_mentions(
    text: str, tokens: list[tuple[str, int, int]], vocab: Vocabulary
) -> list[tuple[str, int, int]]:
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
        variant = variants[key]
        if variant is None:
            continue
        label, db, mesh = variant
        surface = text[start:end]
        if len(surface) < 4 or surface.islower() and len(surface) < 5:
            continue
        # a code with a number is written in capitals ('AT 10', 'VP-16'): 'at 10 mg' is a dose phrase and
        # 'At 10 years' a time point
        if any(ch.isdigit() for ch in surface) and any(ch.islower() for ch in surface):
            continue
        local = names.get(label.lower()) or names.get(surface.lower())
        if local is None:
            local = PREFIX + db
            register(local, label, "Drug", "drug", (DRUGBANK + db,) + ((MESH + mesh,) if mesh else ()))
        out.append((local, start, end))
    return out
