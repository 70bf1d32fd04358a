"""Exports of the graph: N-Quads and TriG with the named graphs, Turtle / RDF/XML / JSON-LD merged.

A build writes ``cmlkg.ttl``, ``cmlkg.trig`` and ``cmlkg.rdf`` as a concatenation of fragments: the
ontology first, then each abstract's graph in identifier order. The fragments are serialised where
the abstract is extracted (in the worker processes of ``--jobs``), and because no two abstracts share
a subject, concatenating them is the same as serialising the whole graph. An index of the fragments'
byte ranges lets ``cmlkg add`` splice one abstract in or out without serialising the others again.
Identical inputs give byte-identical files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from cmlkg.answers import ANSWERS_DIR, write_queries
from cmlkg.errors import CmlkgError
from cmlkg.namespaces import PREFIXES, RDF

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl", False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt", False),
    "nquads": (ox.RdfFormat.N_QUADS, "nq", True),
    "trig": (ox.RdfFormat.TRIG, "trig", True),
    "rdfxml": (ox.RdfFormat.RDF_XML, "rdf", False),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld", False),
}
# files `cmlkg build` writes into the build: the merged graph for Protégé and RDF tools, and TriG with
# the named graphs (N-Quads, 4x larger, with `cmlkg export --format nquads`)
BUILD_EXPORTS = {"cmlkg.ttl": "turtle", "cmlkg.trig": "trig", "cmlkg.rdf": "rdfxml"}
NAMED_GRAPHS_EXPORT = "cmlkg.trig"
INDEX_NAME = "fragments.json"


def _prefixes(fmt: str) -> dict | None:
    return PREFIXES if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None


def _serialize(items, fmt: str) -> bytes:
    prefixes = _prefixes(fmt)
    rdf_format = FORMATS[fmt][0]
    data = (
        ox.serialize(items, format=rdf_format, prefixes=prefixes)
        if prefixes
        else ox.serialize(items, format=rdf_format)
    )
    assert data is not None  # no output file given: the bytes
    return data


def _header(fmt: str) -> bytes:
    """What a document of a build format starts with before its first triple (the prefixes)."""
    probe = ox.Quad(
        ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), ox.NamedNode("urn:x:g")
    )
    data = _serialize([probe] if FORMATS[fmt][2] else [probe.triple], fmt)
    first = data.index(b"urn:x:g" if FORMATS[fmt][2] else b"urn:x:s")
    return data[: data.rfind(b"\n", 0, first) + 1]


_FOOTER = {"turtle": b"", "trig": b"", "rdfxml": b"</rdf:RDF>"}
_HEADER = {fmt: _header(fmt) for fmt in BUILD_EXPORTS.values()}


def loadable(fragments: list[bytes]) -> bytes:
    """TriG fragments as one document Oxigraph can load (the prefixes they use first)."""
    return _HEADER["trig"] + b"".join(fragments)


def fragment(items: list, fmt: str) -> bytes:
    """Quads (or triples) of one abstract in one build format, without the document's header and footer.

    The items are grouped by subject so that each subject is written once.
    """
    data = _serialize(items, fmt)
    head, foot = _HEADER[fmt], _FOOTER[fmt]
    if not (data.startswith(head) and data.endswith(foot)):
        raise CmlkgError(
            f"unexpected {fmt} serialisation: the fragment does not start with the document header"
        )
    return data[len(head) : len(data) - len(foot)]


@dataclass
class Graph:
    """The triples of one named graph, grouped by subject (subjects in order of first appearance)."""

    name: ox.NamedNode
    groups: dict[ox.NamedNode, list[tuple[ox.NamedNode, Any]]]

    @classmethod
    def of(cls, quads) -> Graph:
        quads = list(quads)
        names = {q.graph_name for q in quads}
        if len(names) != 1:
            raise CmlkgError(f"a fragment must hold one named graph, not {len(names)}")
        groups: dict = {}
        for q in quads:
            groups.setdefault(q.subject, []).append((q.predicate, q.object))
        return cls(names.pop(), groups)

    def quads(self) -> list[ox.Quad]:
        g = self.name
        return [ox.Quad(s, p, o, g) for s, group in self.groups.items() for p, o in group]

    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(s, p, o) for s, group in self.groups.items() for p, o in group]


@dataclass
class Fragments:
    """One abstract's serialised graph in every build format, and the counts VoID needs."""

    identifier: str
    data: dict[str, bytes]  # build file name -> bytes
    quads: int
    subjects: int
    classes: list[str] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)


_TYPE = ox.NamedNode(RDF + "type")


def make_fragments(
    identifier: str, graph: Graph, answers: dict[str, bytes], quads: list[ox.Quad] | None = None
) -> Fragments:
    """One abstract's (or the ontology's) fragments of every build file: its graph in each export
    format, and ``answers``, its rows of the answer files (:mod:`cmlkg.answers`). ``quads``: the
    graph's quads when the caller has made them already."""
    quads, triples = quads or graph.quads(), graph.triples()
    predicates = {p for group in graph.groups.values() for p, _o in group}
    return Fragments(
        identifier=identifier,
        data={
            **{
                name: fragment(quads if FORMATS[fmt][2] else triples, fmt)
                for name, fmt in BUILD_EXPORTS.items()
            },
            **answers,
        },
        quads=len(quads),
        subjects=len(graph.groups),
        classes=sorted({o.value for group in graph.groups.values() for p, o in group if p == _TYPE}),
        properties=sorted(p.value for p in predicates),
    )


class ExportWriter:
    """Writes the build files of a new generation: header, ontology, fragments in order, footer.

    ``close`` writes the index (``fragments.json``): each abstract's byte range in each file and its
    counts, which `cmlkg add` reuses.
    """

    def __init__(self, folder: Path, ontology: Fragments):
        self.folder = folder
        (folder / ANSWERS_DIR).mkdir(exist_ok=True)
        self.files = {name: (folder / name).open("wb") for name in ontology.data}
        for name, fmt in BUILD_EXPORTS.items():
            self.files[name].write(_HEADER[fmt])
        self.entries: list[dict] = []
        self.ontology = self._entry(ontology, self._write(ontology.data))

    def _write(self, data: dict[str, bytes]) -> dict[str, list[int]]:
        ranges = {}
        for name, fh in self.files.items():
            ranges[name] = [fh.tell(), len(data[name])]
            fh.write(data[name])
        return ranges

    @staticmethod
    def _entry(f: Fragments, ranges: dict[str, list[int]]) -> dict:
        return {
            "id": f.identifier,
            "quads": f.quads,
            "subjects": f.subjects,
            "classes": f.classes,
            "properties": f.properties,
            "ranges": ranges,
        }

    def append(self, f: Fragments) -> None:
        self.entries.append(self._entry(f, self._write(f.data)))

    def copy_from(self, source: Path, entries: list[dict]) -> None:
        """Append fragments of an earlier build's files unchanged: ``entries`` are consecutive there, so
        each file needs one kernel-side copy (no re-serialising, no pass through Python)."""
        if not entries:
            return
        shift = {}
        for name, fh in self.files.items():
            start = entries[0]["ranges"][name][0]
            end = entries[-1]["ranges"][name][0] + entries[-1]["ranges"][name][1]
            shift[name] = fh.tell() - start
            fh.flush()
            with (source / name).open("rb") as src:
                _copy_range(src.fileno(), fh.fileno(), start, end - start)
            fh.seek(0, os.SEEK_END)
            if fh.tell() - shift[name] != end:
                raise CmlkgError(f"{source / name}: shorter than its index says; rebuild with `cmlkg build`")
        for e in entries:
            self.entries.append(
                {**e, "ranges": {n: [o + shift[n], ln] for n, (o, ln) in e["ranges"].items()}}
            )

    def close(self) -> list[dict]:
        for name, fh in self.files.items():
            fh.write(_FOOTER.get(BUILD_EXPORTS.get(name, ""), b""))
            fh.close()
        write_queries(self.folder)
        write_index(self.folder, self.ontology, self.entries)
        return self.entries


def write_index(folder: Path, ontology: dict, entries: list[dict]) -> None:
    """``fragments.json``: JSON Lines, the table of class and property IRIs first, then one line per
    graph (the ontology, then the abstracts in order) with its byte ranges and counts."""
    terms = sorted({t for e in (ontology, *entries) for t in (*e["classes"], *e["properties"])})
    number = {t: i for i, t in enumerate(terms)}
    dumps = json.JSONEncoder(separators=(",", ":"), sort_keys=True).encode  # one encoder, not one per line
    lines = [dumps(terms)]
    for e in (ontology, *entries):
        lines.append(
            dumps(
                {
                    **e,
                    "classes": [number[t] for t in e["classes"]],
                    "properties": [number[t] for t in e["properties"]],
                }
            )
        )
    (folder / INDEX_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_index(folder: Path) -> dict:
    if not (folder / INDEX_NAME).is_file():
        raise CmlkgError(f"{folder}: no {INDEX_NAME} (a build of an older cmlkg); run `cmlkg build` once")
    head, _, body = (folder / INDEX_NAME).read_text(encoding="utf-8").partition("\n")
    terms = json.loads(head)
    entries = json.loads("[" + ",".join(body.splitlines()) + "]")  # one parse, not one per line
    for e in entries:
        e["classes"] = [terms[i] for i in e["classes"]]
        e["properties"] = [terms[i] for i in e["properties"]]
    return {"ontology": entries[0], "abstracts": entries[1:]}


def _copy_range(src: int, dst: int, start: int, length: int) -> None:
    offset = start
    end = start + length
    while offset < end:
        try:
            n = os.copy_file_range(src, dst, end - offset, offset)
        except OSError:  # a file system without copy_file_range
            n = os.write(dst, os.pread(src, min(end - offset, 1 << 24), offset))
        if n == 0:
            raise CmlkgError("export fragment shorter than its index says; rebuild with `cmlkg build`")
        offset += n


def export_build(build_dir: Path, fmt: str, out: BinaryIO) -> None:
    """The current build in one format: the build's own file where it writes one, else from the store."""
    from cmlkg.store import current_generation

    gen = current_generation(build_dir)
    name = next((n for n, f in BUILD_EXPORTS.items() if f == fmt), None)
    if name is not None:
        with (gen / name).open("rb") as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
        return
    write_export(ox.Store.read_only(str(gen / "store")), fmt, out)


def write_export(store: ox.Store, fmt: str, out: BinaryIO) -> None:
    """Write the whole graph (ontology plus data) in one format, read from the store."""
    if fmt not in FORMATS:
        raise CmlkgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format, _ext, with_graphs = FORMATS[fmt]
    prefixes = _prefixes(fmt)
    if with_graphs:
        store.dump(out, format=rdf_format, prefixes=prefixes) if prefixes else store.dump(
            out, format=rdf_format
        )
        return
    # the named graphs share no triple (each abstract's facts have their own IRIs), so merging them is
    # a plain concatenation: no deduplication pass is needed
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, None))
    if fmt == "jsonld":
        # the merged default graph as one document: an @context with the ontology's prefixes, and the
        # nodes (one per subject, full IRIs) streamed by Oxigraph's writer as its @graph
        out.write(b'{"@context": ' + json.dumps(PREFIXES, sort_keys=True).encode() + b',\n "@graph": ')
        ox.serialize(triples, out, format=rdf_format)
        out.write(b"}\n")
        return
    if prefixes:
        ox.serialize(triples, out, format=rdf_format, prefixes=prefixes)
    else:
        ox.serialize(triples, out, format=rdf_format)
