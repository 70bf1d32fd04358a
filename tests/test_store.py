"""cmlkg.store in process: generations, the atomic swap, the lock, and what killed builds leave."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from cmlkg.errors import BuildNotFoundError
from cmlkg.store import (
    KEEP_GENERATIONS,
    STABLE_NAMES,
    build_lock,
    commit_generation,
    current_generation,
    generation,
    open_store,
)


def _write(tmp: Path, n: int) -> None:
    store = ox.Store(str(tmp / "store"))
    store.add(ox.Quad(ox.NamedNode("https://x/s"), ox.NamedNode("https://x/p"), ox.Literal(str(n))))
    store.flush()
    del store
    for name in STABLE_NAMES:
        (tmp / name).write_text(f"{name} {n}\n", encoding="utf-8")


def _committed(build_dir: Path, n: int) -> Path:
    with generation(build_dir) as tmp:
        _write(tmp, n)
        return commit_generation(build_dir, tmp)


def test_no_build_is_one_clear_error(tmp_path):
    with pytest.raises(BuildNotFoundError, match="no finished build here"):
        current_generation(tmp_path / "nothing")


def test_a_committed_generation_is_current_and_its_files_are_reached_by_stable_names(tmp_path):
    final = _committed(tmp_path, 1)
    assert current_generation(tmp_path) == final.resolve()
    assert (tmp_path / "report.json").read_text() == "report.json 1\n"  # a link through current/
    assert [q.object.value for q in open_store(tmp_path)] == ["1"]


def test_a_failed_write_leaves_the_last_good_build_as_it_was(tmp_path):
    good = _committed(tmp_path, 1)
    with pytest.raises(RuntimeError), generation(tmp_path) as tmp:
        _write(tmp, 2)
        raise RuntimeError("the disk is full")
    assert not tmp.exists()
    assert current_generation(tmp_path) == good.resolve()
    assert (tmp_path / "report.json").read_text() == "report.json 1\n"


def test_stale_generations_of_killed_builds_are_removed_by_the_next_write(tmp_path):
    _committed(tmp_path, 1)
    stale = tmp_path / "generations" / "tmp-20200101T000000-999999"
    (stale / "store").mkdir(parents=True)
    with generation(tmp_path) as tmp:
        assert not stale.exists()  # moved aside before this write began
        _write(tmp, 2)
        commit_generation(tmp_path, tmp)


def test_old_generations_are_pruned_to_the_kept_number(tmp_path):
    for n in range(KEEP_GENERATIONS + 3):
        _committed(tmp_path, n)
        time.sleep(0.01)  # distinct modification times: pruning keeps the newest
    kept = [p for p in (tmp_path / "generations").iterdir() if p.name.startswith("g-")]
    assert len(kept) <= KEEP_GENERATIONS
    assert (tmp_path / "report.json").read_text() == f"report.json {KEEP_GENERATIONS + 2}\n"


def test_the_build_lock_is_exclusive_and_released(tmp_path):
    with build_lock(tmp_path):
        fd = os.open(tmp_path / ".lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    fd = os.open(tmp_path / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
    finally:
        os.close(fd)
