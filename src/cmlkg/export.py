"""Exports of the graph: N-Quads and TriG with the named graphs, Turtle / RDF/XML / JSON-LD merged.

The store returns quads in a stable order and the ontology's blank nodes carry canonical labels, so
identical inputs give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from cmlkg.errors import CmlkgError
from cmlkg.namespaces import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl", False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt", False),
    "nquads": (ox.RdfFormat.N_QUADS, "nq", True),
    "trig": (ox.RdfFormat.TRIG, "trig", True),
    "rdfxml": (ox.RdfFormat.RDF_XML, "rdf", False),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld", True),
}
# files `cmlkg build` writes into the build
# TriG holds what N-Quads holds; `cmlkg export --format trig` writes it on request
BUILD_EXPORTS = {"cmlkg.ttl": "turtle", "cmlkg.nq": "nquads", "cmlkg.rdf": "rdfxml"}


def write_export(store: ox.Store, fmt: str, out: BinaryIO) -> None:
    """Write the whole graph (ontology plus data) in one format."""
    if fmt not in FORMATS:
        raise CmlkgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, _ext, with_graphs = FORMATS[fmt]
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None
    if with_graphs:
        store.dump(out, format=rdf_format, prefixes=prefixes) if prefixes else store.dump(out, format=rdf_format)
        return
    # the named graphs share no triple (each abstract's facts have their own IRIs), so merging them is
    # a plain concatenation: no deduplication pass is needed
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, None))
    if prefixes:
        ox.serialize(triples, out, format=rdf_format, prefixes=prefixes)
    else:
        ox.serialize(triples, out, format=rdf_format)


def write_build_exports(store: ox.Store, folder: Path, parallel: bool = False) -> None:
    """The export files of a build. ``parallel``: one process per format, each opening the (closed,
    finished) store read-only; worth it for large stores, where serialising dominates the build."""
    if not parallel:
        for name, fmt in BUILD_EXPORTS.items():
            with (folder / name).open("wb") as fh:
                write_export(store, fmt, fh)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(str(folder / "store"), str(folder / name), fmt) for name, fmt in BUILD_EXPORTS.items()]
    with ProcessPoolExecutor(max_workers=len(jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_export_file, jobs))


def _export_file(job: tuple[str, str, str]) -> None:
    store_dir, path, fmt = job
    store = ox.Store.read_only(store_dir)
    with open(path, "wb") as fh:
        write_export(store, fmt, fh)
