"""The on-disk Oxigraph store and the build folder around it.

A build folder holds generations; ``current`` is a symbolic link to the last complete one. A build
writes a new generation beside the others and swaps the link only when everything is written, so a
build killed at any moment leaves the last good build as it was, and a server keeps reading it.

    build/
      current -> generations/g-...      (atomic symlink swap)
      generations/g-.../store/          (Oxigraph RocksDB store)
      generations/g-.../cmlkg.ttl ...   (exports)
      cmlkg.ttl -> current/cmlkg.ttl    (stable paths for people and scripts)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from cmlkg.errors import BuildNotFoundError
from cmlkg.namespaces import ONTOLOGY_GRAPH

STABLE_NAMES = ("cmlkg.ttl", "cmlkg.trig", "cmlkg.rdf", "void.ttl", "report.json")
KEEP_GENERATIONS = 2


def ontology_quads(path: Path) -> ox.Dataset:
    """The ontology in its named graph, blank nodes labelled canonically (RDFC-1.0) so exports are stable."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def current_generation(build_dir: Path) -> Path:
    """The folder of the last complete build, or :class:`BuildNotFoundError`."""
    link = build_dir / "current"
    target = link.resolve() if link.is_symlink() else None
    if target is None or not (target / "store").is_dir():
        raise BuildNotFoundError(
            f"{build_dir}: no finished build here; run `cmlkg build --build-dir {build_dir}` first"
        )
    return target


def open_store(build_dir: Path, read_only: bool = True) -> ox.Store:
    """Open the store of the current build (read-only by default)."""
    store_dir = current_generation(build_dir) / "store"
    return ox.Store.read_only(str(store_dir)) if read_only else ox.Store(str(store_dir))


@contextlib.contextmanager
def build_lock(build_dir: Path):
    """Serialise the commands that write a build folder (build, add): a second one waits its turn.

    An advisory ``flock`` on ``<build>/.lock``: released by the kernel when the process ends, however
    it ends, so a killed build never leaves a stale lock.
    """
    build_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(build_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting: another cmlkg build or add is writing {build_dir}", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def new_generation(build_dir: Path) -> Path:
    """A fresh, empty folder for a build in progress."""
    gens = build_dir / "generations"
    gens.mkdir(parents=True, exist_ok=True)
    _remove_stale(gens)
    # the second's fraction too: two writes of one process within a second are two generations
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 10**9))
    path = gens / f"tmp-{stamp}.{now % 10**9:09d}-{os.getpid()}"
    path.mkdir()
    return path


@contextlib.contextmanager
def generation(build_dir: Path) -> Iterator[Path]:
    """A new generation of ``build_dir`` to write into (build, add, remove): removed if anything fails
    before it is committed (:func:`commit_generation`), so the last good build stays as it was."""
    tmp = new_generation(build_dir)
    try:
        yield tmp
    except BaseException:
        abandon_generation(tmp)
        raise


def commit_generation(build_dir: Path, tmp: Path) -> Path:
    """Make a finished build the current one: rename, swap the link atomically, prune old ones."""
    final = tmp.with_name("g-" + tmp.name.removeprefix("tmp-"))
    os.replace(tmp, final)
    link_tmp = build_dir / f".current-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(Path("generations") / final.name, link_tmp)
    os.replace(link_tmp, build_dir / "current")
    for name in STABLE_NAMES:
        stable = build_dir / name
        if not stable.is_symlink():
            if stable.exists():
                stable.unlink()
            os.symlink(Path("current") / name, stable)
    _prune(build_dir, keep=final)
    return final


def _remove_stale(gens: Path) -> None:
    """Discard what killed builds left: every ``tmp-`` generation. Called under the build lock, so no
    other process is writing one."""
    _discard(gens.parent, [p for p in gens.iterdir() if p.name.startswith("tmp-")])


def abandon_generation(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


def _prune(build_dir: Path, keep: Path) -> None:
    gens = sorted(
        (p for p in (build_dir / "generations").iterdir() if p.name.startswith("g-")),
        key=lambda p: p.stat().st_mtime,
    )
    _discard(build_dir, [p for p in gens if p != keep][: max(0, len(gens) - KEEP_GENERATIONS)])


def _discard(build_dir: Path, old: list[Path]) -> None:
    """Move generations aside at once and delete them in a detached process (unlinking a large store
    takes a while)."""
    if not old:
        return
    trash = build_dir / "trash"
    trash.mkdir(exist_ok=True)
    for p in old:
        os.replace(p, trash / p.name)
    subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, True)",
            *(str(p) for p in trash.iterdir()),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
