"""The build's progress line: an honest time left from the first estimate on, and stages after 100%."""

from __future__ import annotations

import io

import cmlkg.progress as progress
from cmlkg.progress import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_first_time_left_is_within_2x_although_start_up_is_slow(monkeypatch):
    """10 s of start-up (workers, vocabulary), then 1,000 abstracts at 20 ms each, in bursts of 16 as
    worker batches arrive: the first estimate shown is within 2x of the time really left."""
    clock = Clock()
    monkeypatch.setattr(progress.time, "monotonic", clock)
    bar = Progress(1000, "extracting", enabled=False)
    clock.now += 10.0
    shown = []
    for batch in range(0, 1000, 16):
        clock.now += 16 * 0.02
        for _ in range(min(16, 1000 - batch)):
            bar.update(1)
            eta = bar.eta()
            if eta is not None:
                shown.append((eta, (1000 - bar.done) * 0.02))
    first_eta, really_left = shown[0]
    assert really_left / 2 <= first_eta <= really_left * 2, shown[0]
    assert all(abs(eta - left) <= max(1.0, left) for eta, left in shown)


def test_stages_follow_the_items_on_their_own_lines():
    out = io.StringIO()
    bar = Progress(3, "extracting", file=out)
    for _ in range(3):
        bar.update(1)
    bar.stage("loading and compacting the store")
    bar.stage("counting the dataset (VoID) and writing the report")
    bar.close()
    lines = [part.split("\r")[-1].replace("\x1b[2K", "") for part in out.getvalue().split("\n") if part]
    assert lines[0].startswith("extracting [") and "3/3" in lines[0]
    assert lines[1].startswith("loading and compacting the store  00:0")
    assert lines[2].startswith("counting the dataset (VoID) and writing the report  00:0")


def test_a_hidden_bar_writes_nothing():
    out = io.StringIO()
    with Progress(10, "extracting", file=out, enabled=False) as bar:
        bar.update(5)
        bar.stage("loading")
    assert out.getvalue() == ""
