"""The processes and threads a build runs beside its own: the input reader (a child process), the
extraction workers (``--jobs``, each extracting and serialising abstracts), and the store loader (a
thread feeding Oxigraph's bulk loader)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from cmlkg.answers import answer_fragments
from cmlkg.corpus import Abstract, InputStream
from cmlkg.errors import CmlkgError, InputError
from cmlkg.export import Fragments, Graph, loadable, make_fragments
from cmlkg.extract import extract
from cmlkg.processes import child_of
from cmlkg.rdf import bibliographic_links, extraction_graph
from cmlkg.vocabulary import load_vocabulary

BATCH_BYTES = 16 << 20  # TriG handed to Oxigraph's bulk loader at a time
BATCH = 32  # abstracts extracted (and their answers computed) together


@dataclass
class Built:
    """One abstract, extracted and serialised: its report row and its graph in every build format."""

    row: dict
    fragments: Fragments


def build_batch(batch: list[Abstract]) -> list[Built]:
    """Extract abstracts and serialise their graphs and their rows of the answer files (runs in the
    worker processes of ``--jobs``; the answers are computed once per batch)."""
    if not batch:
        return []
    extracted = [_extracted(a) for a in batch]
    quads = [graph.quads() for _row, graph in extracted]
    answers = answer_fragments([(a.identifier, q) for a, q in zip(batch, quads)])
    return [
        Built(row, make_fragments(a.identifier, graph, rows, q))
        for a, (row, graph), rows, q in zip(batch, extracted, answers, quads)
    ]


def _extracted(abstract: Abstract) -> tuple[dict, Graph]:
    """One abstract's report row and graph."""
    vocab = load_vocabulary()
    sections = None
    if abstract.bib is not None and abstract.bib.sections:
        sections = [(s.category, s.start, s.end) for s in abstract.bib.sections]
    try:
        x = extract(abstract.identifier, abstract.text, vocab, sections)
        return _report_row(abstract, x), extraction_graph(abstract, x, vocab.labels)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, NameError, RecursionError) as exc:
        # a defect met on one record's content: one message naming the record, the last good build kept
        where = f"{abstract.path}" + (f" ({abstract.where})" if abstract.where else "")
        raise CmlkgError(
            f"{where}: cannot build abstract {abstract.identifier!r}: {type(exc).__name__}: {exc}"
        ) from None


class BackgroundReader:
    """Reads the input files in a child process and hands over their abstracts in batches.

    Parsing (200 MB of PubMed XML take seconds) then runs beside extraction instead of before it, and
    the queue is bounded, so memory does not grow with the input.
    """

    BATCH = 32

    def __init__(self, paths: list[Path], encoding: str, follow_symlinks: bool = True):
        ctx = mp.get_context("spawn")
        self.queue = ctx.Queue(maxsize=64)
        self.proc = ctx.Process(
            target=_read_into,
            args=(self.queue, [str(p) for p in paths], encoding, follow_symlinks, os.getpid()),
            daemon=True,
        )
        self.proc.start()
        self.skipped: list[dict] = []
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[Abstract]:
        while True:
            try:
                kind, payload = self.queue.get(timeout=1.0)
            except queue.Empty:
                if not self.proc.is_alive():
                    raise CmlkgError(f"the input reader stopped (exit code {self.proc.exitcode})") from None
                continue
            if kind == "batch":
                yield from payload
            elif kind == "end":
                self.skipped, self.warnings, problems = payload
                if problems:
                    raise InputError("\n".join(problems))
                return
            else:
                raise CmlkgError(payload)

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.queue.close()


def _read_into(out, paths: list[str], encoding: str, follow_symlinks: bool, parent: int) -> None:
    """The reader process: :class:`InputStream` over ``paths``, in batches onto ``out``."""
    child_of(parent)
    stream = InputStream([Path(p) for p in paths], encoding, follow_symlinks)
    batch: list[Abstract] = []
    try:
        try:
            for abstract in stream:
                batch.append(abstract)
                if len(batch) >= BackgroundReader.BATCH:
                    out.put(("batch", batch))
                    batch = []
        except InputError:
            pass  # stream.problems has them all
        out.put(("batch", batch))
        out.put(("end", (stream.skipped, stream.warnings, stream.problems)))
    except Exception as exc:  # noqa: BLE001 - reported by the parent
        out.put(
            ("crash", f"{stream.current}: the input reader failed on this file: {type(exc).__name__}: {exc}")
        )


class StoreLoader:
    """Feeds TriG to Oxigraph's bulk loader in large batches, in a background thread.

    Bulk loading in large batches is much faster than per abstract, and pyoxigraph releases the GIL
    while it loads, so extraction goes on meanwhile. At most two batches wait, which bounds memory.
    """

    def __init__(self, store: ox.Store):
        self.store = store
        self.batch: list[bytes] = []
        self.size = 0
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="cmlkg-loader", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is None:
                try:
                    if data is _COMPACT:
                        # bulk loading leaves many overlapping files; read-only stores never compact
                        # them, and queries on an uncompacted store are 2-4 times slower
                        self.store.optimize()
                    else:
                        # the TriG was written by Oxigraph itself: no need to validate IRIs again
                        self.store.bulk_load(input=data, format=ox.RdfFormat.TRIG, lenient=True)
                except BaseException as exc:  # handed to the building thread in close()
                    self.error = exc

    def add(self, trig: bytes) -> None:
        self.batch.append(trig)
        self.size += len(trig)
        if self.size >= BATCH_BYTES:
            self._send()

    def _send(self) -> None:
        if self.batch:
            self.queue.put(loadable(self.batch))
        self.batch, self.size = [], 0
        if self.error is not None:
            raise self.error

    def finish(self) -> None:
        """Load what is left, then compact the store, without waiting (see close)."""
        self._send()
        self.queue.put(_COMPACT)

    def close(self) -> None:
        """Wait for the loader to stop; raises what it raised."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


_COMPACT = object()  # the loader's last order: compact the store


def _report_row(abstract: Abstract, x) -> dict:
    row = {
        "id": abstract.identifier,
        "design": x.design,
        "condition": x.condition,
        "cml_treatment": x.is_cml_treatment,
        **_counts(x),
    }
    if abstract.bib is not None:
        row["source"] = f"{abstract.path.name}: {abstract.where}"
        row["links"] = bibliographic_links(abstract.bib)
    return row


def _counts(x) -> dict[str, int]:
    return {
        "cohorts": len(x.cohorts),
        "phases": len(x.phases),
        "treatments": len(x.treatments),
        "outcomes": len(x.outcomes),
        "adverse_events": len(x.adverse_events),
        "patients": len(x.patients),
        "quality_notes": len(x.notes),
    }


def built_abstracts(abstracts: Iterator[Abstract], jobs: int):
    """Extracted and serialised abstracts, in input order (so the output stays byte-identical).

    With ``jobs`` > 1, batches go to worker processes with a bounded number in flight, so the input
    keeps streaming (``Executor.map`` would take all of it first).
    """
    if jobs <= 1:
        batch: list[Abstract] = []
        for a in abstracts:
            batch.append(a)
            if len(batch) == BATCH:
                yield from build_batch(batch)
                batch = []
        yield from build_batch(batch)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=child_of, initargs=(os.getpid(),))
    try:
        pending: deque = deque()
        batch = []
        for a in abstracts:
            batch.append(a)
            if len(batch) == BATCH:
                pending.append(pool.submit(build_batch, batch))
                batch = []
                while len(pending) > 4 * jobs:
                    yield from pending.popleft().result()
        if batch:
            pending.append(pool.submit(build_batch, batch))
        while pending:
            yield from pending.popleft().result()
    except BaseException:
        # an error or Ctrl-C: the workers are stopped now, not after the batches in flight
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
        # A worker killed while it wrote a result leaves half a message, and the executor's thread would
        # wait for the rest for ever (CPython 3.11), the interpreter's exit waiting on that thread: with
        # this process's own copy of the result pipe's write end closed, its read ends instead.
        with contextlib.suppress(AttributeError, OSError):
            pool._result_queue._writer.close()  # type: ignore[attr-defined]
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        _forget(manager)
        raise
    else:
        pool.shutdown()


def _forget(manager: threading.Thread | None) -> None:
    """Let the executor's thread end (it does at once, its workers dead), then drop it from the exit
    hook that wakes such threads: on CPython 3.11 the hook may write to the thread's closed wake-up
    pipe and print 'Bad file descriptor' after the one-line message."""
    if manager is None:
        return
    manager.join(timeout=5)
    if not manager.is_alive():
        from concurrent.futures import process

        with contextlib.suppress(AttributeError, TypeError):
            process._threads_wakeups.pop(manager, None)
