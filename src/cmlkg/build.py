"""`cmlkg build`: seeds -> extraction -> RDF -> Oxigraph store -> exports, as plain calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cmlkg import __version__
from cmlkg.corpus import Abstract, read_abstract, read_corpus
from cmlkg.errors import InputError
from cmlkg.namespaces import graph_iri
from cmlkg.export import write_build_exports
from cmlkg.extract import EXTRACTOR_VERSION, extract
from cmlkg.rdf import extraction_quads
from cmlkg.store import abandon_generation, commit_generation, current_generation, new_generation, ontology_quads
from cmlkg.vocabulary import load_vocabulary, ontology_path
from cmlkg.void import void_turtle


BATCH_QUADS = 200_000
PARALLEL_EXPORT_QUADS = 200_000  # above this, each export format is written by its own process


@dataclass
class BuildReport:
    generation: Path
    abstracts: int
    cml_treatment: int
    quads: int
    facts: dict[str, int]


def _extract_one(abstract: Abstract):
    vocab = load_vocabulary()
    return extract(abstract.identifier, abstract.text, vocab)


def build(
    seeds: Path,
    build_dir: Path,
    *,
    jobs: int = 1,
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the graph of every abstract in ``seeds`` into a new generation of ``build_dir``.

    Nothing in ``build_dir`` changes unless the whole build succeeds.
    """
    abstracts = read_corpus(seeds, encoding)  # every input problem is found before anything is written
    vocab = load_vocabulary()
    labels = vocab.labels
    build_dir.mkdir(parents=True, exist_ok=True)
    tmp = new_generation(build_dir)
    try:
        store = ox.Store(str(tmp / "store"))
        store.bulk_extend(ontology_quads(ontology_path()))
        per_abstract = []
        batch: list = []
        for x, abstract in zip(_extractions(abstracts, jobs), abstracts):
            batch.extend(extraction_quads(abstract, x, labels))
            if len(batch) >= BATCH_QUADS:  # bulk loading in large batches is much faster than per abstract
                store.bulk_extend(batch)
                batch = []
            per_abstract.append(_report_row(abstract, x))
            if progress:
                progress(1)
        store.bulk_extend(batch)
        store.flush()
        del store  # closed: the exports below open it read-only, possibly from several processes
        return _finish(build_dir, tmp, per_abstract)
    except BaseException:
        abandon_generation(tmp)
        raise


def add(paths: list[Path], build_dir: Path, *, encoding: str = "utf-8") -> BuildReport:
    """Add (or replace) abstracts in the current build without rebuilding the others.

    The current store is checkpointed into a new generation (hard links, so it is quick), the
    abstracts' named graphs are replaced, the exports rewritten, and the generation swapped in.
    The result equals a full rebuild of the same abstracts.
    """
    abstracts, problems = [], []
    for path in paths:
        try:
            abstracts.append(read_abstract(Path(path), encoding))
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))
    ids = [a.identifier for a in abstracts]
    if len(set(ids)) != len(ids):
        raise InputError("two files give the same abstract identifier: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    current = current_generation(build_dir)
    vocab = load_vocabulary()
    labels = vocab.labels
    old_report = json.loads((current / "report.json").read_text(encoding="utf-8"))
    tmp = new_generation(build_dir)
    try:
        source = ox.Store.read_only(str(current / "store"))
        source.backup(str(tmp / "store"))
        del source
        store = ox.Store(str(tmp / "store"))
        rows = {r["id"]: r for r in old_report["per_abstract"]}
        for abstract in abstracts:
            graph = ox.NamedNode(graph_iri(abstract.identifier))
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
            x = extract(abstract.identifier, abstract.text, vocab)
            store.bulk_extend(extraction_quads(abstract, x, labels))
            rows[abstract.identifier] = _report_row(abstract, x)
        store.flush()
        del store
        return _finish(build_dir, tmp, [rows[k] for k in sorted(rows)])
    except BaseException:
        abandon_generation(tmp)
        raise


def _finish(build_dir: Path, tmp: Path, per_abstract: list[dict]) -> BuildReport:
    """Write the outputs of a finished (closed) store and swap its generation in."""
    report = _write_outputs(tmp, per_abstract)
    final = commit_generation(build_dir, tmp)
    return BuildReport(final, report["abstracts"], report["cml_treatment_studies"], report["quads"], report["facts"])


def _report_row(abstract: Abstract, x) -> dict:
    return {"id": abstract.identifier, "design": x.design, "condition": x.condition,
            "cml_treatment": x.is_cml_treatment, **_counts(x)}


def _counts(x) -> dict[str, int]:
    return {
        "cohorts": len(x.cohorts), "phases": len(x.phases), "treatments": len(x.treatments),
        "outcomes": len(x.outcomes), "adverse_events": len(x.adverse_events),
        "patients": len(x.patients), "quality_notes": len(x.notes),
    }


def _write_outputs(folder: Path, per_abstract: list[dict]) -> dict:
    """Exports, VoID and report.json of the finished store in ``folder/store``."""
    store = ox.Store.read_only(str(folder / "store"))
    facts: dict[str, int] = {}
    for row in per_abstract:
        for k, v in row.items():
            if isinstance(v, int) and not isinstance(v, bool):
                facts[k] = facts.get(k, 0) + v
    quads = len(store)
    write_build_exports(store, folder, parallel=quads > PARALLEL_EXPORT_QUADS)
    (folder / "void.ttl").write_text(void_turtle(store, len(per_abstract)), encoding="utf-8")
    report = {"cmlkg_version": __version__, "extractor_version": EXTRACTOR_VERSION, "abstracts": len(per_abstract),
              "cml_treatment_studies": sum(1 for r in per_abstract if r["cml_treatment"]), "quads": quads,
              "facts": facts, "per_abstract": per_abstract}
    (folder / "report.json").write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def _extractions(abstracts: list[Abstract], jobs: int):
    if jobs <= 1 or len(abstracts) < 2 * jobs:
        for a in abstracts:
            yield _extract_one(a)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # map keeps the input order, so the output stays byte-identical
        yield from pool.map(_extract_one, abstracts, chunksize=16)
