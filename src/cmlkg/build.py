"""`cmlkg build`: seeds -> extraction -> RDF -> Oxigraph store -> exports, as plain calls."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from cmlkg import __version__
from cmlkg.answers import ANSWERS_DIR, check_same_queries, headers
from cmlkg.build_workers import BATCH, BackgroundReader, StoreLoader, build_batch, built_abstracts
from cmlkg.corpus import Corpus, input_paths, read_inputs
from cmlkg.errors import BuildWriteError, CmlkgError, InputError
from cmlkg.export import (
    BUILD_EXPORTS,
    INDEX_NAME,
    NAMED_GRAPHS_EXPORT,
    ExportWriter,
    Fragments,
    Graph,
    loadable,
    make_fragments,
    read_index,
)
from cmlkg.extract import EXTRACTOR_VERSION
from cmlkg.namespaces import fact_iri, graph_iri
from cmlkg.store import (
    build_lock,
    commit_generation,
    current_generation,
    generation,
    ontology_quads,
)
from cmlkg.vocabulary import ontology_path
from cmlkg.void import DatasetStats, linkset_counts, void_turtle


@dataclass
class BuildReport:
    abstracts: int
    cml_treatment: int
    quads: int
    facts: dict[str, int]
    skipped: list[dict]  # input records without an abstract
    replaced: int = 0  # of the abstracts `add` was given, how many were in the build already
    warnings: list[str] = field(default_factory=list)  # the same abstract twice in the inputs


def _writing(func):
    """Run a command that writes a build folder under its lock; a write that fails (read-only or full
    disk) becomes one message, and the last good build stays as it was."""

    @functools.wraps(func)
    def wrapper(seeds_or_paths, build_dir: Path, *args, **kwargs):
        try:
            with build_lock(build_dir):
                return func(seeds_or_paths, build_dir, *args, **kwargs)
        except CmlkgError:
            raise
        except OSError as exc:
            where = exc.filename or build_dir
            raise BuildWriteError(
                f"{where}: cannot write the build: {exc.strerror or exc}; the last good build is unchanged"
            ) from None

    return wrapper


@_writing
def build(
    seeds: Path,
    build_dir: Path,
    *,
    jobs: int = 1,
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
    paths: list[Path] | None = None,
    follow_symlinks: bool = False,
    stage: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of every abstract in ``seeds`` (or ``paths``) into a new generation of ``build_dir``.

    The inputs stream: a reader process parses them (PubMed XML of any size included) while this one
    extracts, so reading costs no time and no memory grows with the input. Abstracts are extracted in
    input order; the export files are then put in identifier order (by kernel-side copies of their
    byte ranges, and only if the input was not in that order already), so the output does not depend
    on how the input was split into files. Nothing in ``build_dir`` changes unless the whole build
    succeeds; a bad input file is reported (with every other bad file) when reading ends.
    ``progress`` is called per abstract built, ``stage`` with the name of each step after the last.
    """
    stage = stage or (lambda _name: None)
    if paths is None:
        paths = input_paths(seeds, follow_symlinks)
    reader = BackgroundReader(paths, encoding, follow_symlinks)
    try:
        with generation(build_dir) as tmp:
            store = ox.Store(str(tmp / "store"))
            ontology = _ontology_fragments()
            store.bulk_load(input=loadable([ontology.data[NAMED_GRAPHS_EXPORT]]), format=ox.RdfFormat.TRIG)
            scratch = tmp / "input-order"
            scratch.mkdir()
            writer = ExportWriter(scratch, ontology)
            loader = StoreLoader(store)
            try:
                rows = _built_rows(reader, jobs, writer, loader, progress)
                if not rows:
                    raise InputError(
                        f"{seeds}: no abstract to build: every record lacks an abstract "
                        f"({len(reader.skipped)} skipped)"
                    )
                stage("loading and compacting the store")
                loader.finish()
                entries = _in_identifier_order(writer.close(), scratch, tmp)  # while the loader compacts
            finally:
                loader.close()
            store.flush()
            del store
            rows.sort(key=lambda r: r["id"])
            stage("counting the dataset (VoID) and writing the report")
            report = _finish(build_dir, tmp, rows, writer.ontology, entries, reader.skipped)
            report.warnings = reader.warnings
            return report
    finally:
        reader.close()


def _built_rows(
    reader: BackgroundReader,
    jobs: int,
    writer: ExportWriter,
    loader: StoreLoader,
    progress: Callable[[int], None] | None,
) -> list[dict]:
    """Extract every abstract the reader yields, append its fragments to the exports and the store
    loader, and return the report rows, in input order."""
    rows = []
    # closed on any error here too (Ctrl-C lands wherever this thread is): the workers stop at once,
    # not when the traceback that holds the generator is freed
    with contextlib.closing(built_abstracts(iter(reader), jobs)) as built_stream:
        for built in built_stream:
            writer.append(built.fragments)
            loader.add(built.fragments.data[NAMED_GRAPHS_EXPORT])
            rows.append(built.row)
            if progress:
                progress(1)
    return rows


def _in_identifier_order(entries: list[dict], scratch: Path, tmp: Path) -> list[dict]:
    """The export files of ``scratch`` (fragments in input order) in ``tmp``, fragments by identifier."""
    order = sorted(range(len(entries)), key=lambda k: entries[k]["id"])
    if order == list(range(len(entries))):  # the usual case (a folder of .txt files): nothing to move
        for name in [*BUILD_EXPORTS, INDEX_NAME, ANSWERS_DIR]:
            os.replace(scratch / name, tmp / name)
        scratch.rmdir()
        return entries
    writer = ExportWriter(tmp, _ontology_fragments())
    run: list[dict] = []  # fragments next to each other in both orders: one copy per file
    for k, idx in enumerate(order):
        if run and idx != order[k - 1] + 1:
            writer.copy_from(scratch, run)
            run = []
        run.append(entries[idx])
    writer.copy_from(scratch, run)
    out = writer.close()
    shutil.rmtree(scratch)
    return out


@_writing
def add(
    paths: list[Path], build_dir: Path, *, encoding: str = "utf-8", corpus: Corpus | None = None
) -> BuildReport:
    """Add (or replace) abstracts in the current build without rebuilding the others.

    The current store is checkpointed into a new generation (hard links, so it is quick), the
    abstracts' named graphs are replaced, the export files spliced (the other abstracts' fragments
    are copied by the kernel, not serialised again), and the generation swapped in. The result is
    byte-identical to a full rebuild of the same abstracts.
    """
    if corpus is None:
        corpus = read_inputs(paths, encoding)
    abstracts = corpus.abstracts
    if not abstracts:
        raise InputError(", ".join(map(str, paths)) + ": no abstract to add (every record lacks an abstract)")
    current = _spliceable(build_dir)
    old_report = json.loads((current / "report.json").read_text(encoding="utf-8"))
    old_index = read_index(current)
    new = {
        b.fragments.identifier: b
        for k in range(0, len(abstracts), BATCH)
        for b in build_batch(abstracts[k : k + BATCH])
    }
    with generation(build_dir) as tmp:
        store = _store_without(current, tmp, new)
        store.bulk_load(
            input=loadable([new[i].fragments.data[NAMED_GRAPHS_EXPORT] for i in sorted(new)]),
            format=ox.RdfFormat.TRIG,
        )
        store.flush()
        del store
        rows = {r["id"]: r for r in old_report["per_abstract"]}
        rows.update({i: b.row for i, b in new.items()})
        old_entries = {e["id"]: e for e in old_index["abstracts"]}
        writer = ExportWriter(tmp, _ontology_fragments())
        run: list[dict] = []  # old fragments that follow each other: copied in one go
        for ident in sorted(set(old_entries) | set(new)):
            if ident in new:
                writer.copy_from(current, run)
                run = []
                writer.append(new[ident].fragments)
            else:
                run.append(old_entries[ident])
        writer.copy_from(current, run)
        entries = writer.close()
        skipped = old_report.get("skipped", []) + [
            s for s in corpus.skipped if s not in old_report.get("skipped", [])
        ]
        report = _finish(build_dir, tmp, [rows[k] for k in sorted(rows)], writer.ontology, entries, skipped)
        report.replaced = sum(1 for i in new if i in old_entries)
        return report


@_writing
def remove(identifiers: list[str], build_dir: Path) -> BuildReport:
    """Remove abstracts from the current build, with the guarantees of :func:`add`: atomic (a new
    generation swapped in when complete), and byte-identical to a full rebuild without them."""
    current = _spliceable(build_dir)
    old_report = json.loads((current / "report.json").read_text(encoding="utf-8"))
    old_index = read_index(current)
    known = {e["id"] for e in old_index["abstracts"]}
    unknown = [i for i in identifiers if i not in known]
    if unknown:
        raise InputError(
            f"{build_dir}: no abstract {', '.join(map(repr, unknown))} in this build "
            "(`cmlkg query queries/sources.rq` lists them)"
        )
    gone = set(identifiers)
    if gone == known:
        raise InputError(
            f"{build_dir}: removing every abstract would leave an empty build; build from an "
            "empty seeds folder is refused too"
        )
    with generation(build_dir) as tmp:
        store = _store_without(current, tmp, gone)
        store.optimize()
        store.flush()
        del store
        writer = ExportWriter(tmp, _ontology_fragments())
        run: list[dict] = []
        for e in old_index["abstracts"]:
            if e["id"] in gone:
                writer.copy_from(current, run)
                run = []
            else:
                run.append(e)
        writer.copy_from(current, run)
        entries = writer.close()
        rows = [r for r in old_report["per_abstract"] if r["id"] not in gone]
        return _finish(build_dir, tmp, rows, writer.ontology, entries, old_report.get("skipped", []))


def _spliceable(build_dir: Path) -> Path:
    """The current generation, if this cmlkg can splice its files (its answers answer this cmlkg's
    queries); else the error that asks for a full build."""
    current = current_generation(build_dir)
    problem = check_same_queries(current)
    if problem:
        raise CmlkgError(f"{problem} (a build of another cmlkg version); run `cmlkg build` once")
    return current


def _store_without(current: Path, tmp: Path, identifiers) -> ox.Store:
    """The current build's store checkpointed into ``tmp`` (hard links: quick), without the named
    graphs of ``identifiers``."""
    source = ox.Store.read_only(str(current / "store"))
    source.backup(str(tmp / "store"))
    del source
    store = ox.Store(str(tmp / "store"))
    for ident in sorted(identifiers):
        graph = ox.NamedNode(graph_iri(ident))
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
    return store


@functools.lru_cache(maxsize=1)
def _ontology() -> ox.Dataset:
    return ontology_quads(ontology_path())


@functools.lru_cache(maxsize=1)
def _ontology_fragments() -> Fragments:
    # a Dataset's iteration order is not stable; the answer files' fragment of the ontology is their head
    return make_fragments("", Graph.of(sorted(_ontology(), key=str)), headers())


def _finish(
    build_dir: Path,
    tmp: Path,
    per_abstract: list[dict],
    ontology: dict,
    entries: list[dict],
    skipped: list[dict],
) -> BuildReport:
    """Write VoID and the report of a finished (closed) store and swap its generation in."""
    facts: dict[str, int] = {}
    links = linkset_counts(_ontology())
    for row in per_abstract:
        for k, v in row.items():
            if isinstance(v, int) and not isinstance(v, bool):
                facts[k] = facts.get(k, 0) + v
        for k, v in row.get("links", {}).items():
            links[k] = links.get(k, 0) + v
    stats = DatasetStats.of(
        [ontology, *entries], [fact_iri(r["id"], "study") for r in per_abstract if r["cml_treatment"]]
    )
    (tmp / "void.ttl").write_text(void_turtle(stats, len(per_abstract), links), encoding="utf-8")
    report: dict[str, Any] = {
        "cmlkg_version": __version__,
        "extractor_version": EXTRACTOR_VERSION,
        "abstracts": len(per_abstract),
        "cml_treatment_studies": sum(1 for r in per_abstract if r["cml_treatment"]),
        "quads": stats.triples,
        "facts": facts,
        "skipped": skipped,
        "per_abstract": per_abstract,
    }
    _write_report(tmp / "report.json", report)
    commit_generation(build_dir, tmp)
    return BuildReport(
        report["abstracts"], report["cml_treatment_studies"], report["quads"], report["facts"], skipped
    )


def _write_report(path: Path, report: dict) -> None:
    """report.json, one line per abstract (readable, and written by the C JSON encoder: indent is slow)."""
    rows = report["per_abstract"]
    head = json.dumps({k: v for k, v in report.items() if k != "per_abstract"}, indent=1, sort_keys=True)
    dumps = json.JSONEncoder(sort_keys=True).encode
    body = ",\n  ".join(map(dumps, rows))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            head[:-2] + ',\n "per_abstract": [\n  ' + body + "\n ]\n}\n"
            if rows
            else head[:-2] + ',\n "per_abstract": []\n}\n'
        )
