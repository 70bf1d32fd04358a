"""The progress line of a long command on stderr: items done, an honest time left, then named stages.

click's bar estimates the time left from the mean time per item since it started, so the seconds a
build spends starting (workers, vocabulary) before its first abstract weigh on every estimate (a 38 s
build was first given 52 minutes). Here the rate is measured from the first item on, and no estimate
is shown until there is enough of it. The work after the last item (loading and compacting the store,
the statistics) is shown as stages with their own clock, so the line never sits still at 100%.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return (
        f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60:02d}:{seconds % 60:02d}"
    )


class Progress:
    """``update(n)`` per item done, ``stage(name)`` for each step after the items, ``close()`` at the end.

    ``total`` is an estimate (the inputs are counted before they are read); the line is redrawn at
    most ten times a second, and every half second while a stage runs.
    """

    MIN_ITEMS = 20  # items after the first before a time left is shown
    MIN_SECONDS = 1.0

    def __init__(
        self, total: int, label: str, file: TextIO | None = None, enabled: bool = True, width: int = 30
    ):
        self.total, self.label, self.file, self.enabled, self.width = (
            total,
            label,
            file or sys.stderr,
            enabled,
            width,
        )
        self.done = 0
        self.start = time.monotonic()
        self.first: float | None = None  # when the first item was done
        self.current_stage: str | None = None
        self.stage_start = 0.0
        self.drawn = 0.0
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.stopped = threading.Event()

    # ------------------------------------------------------------------ the estimate
    def eta(self, now: float | None = None) -> float | None:
        """Seconds left for the items, from the rate since the first one; None while it would be a guess."""
        now = time.monotonic() if now is None else now
        if self.first is None or self.done - 1 < self.MIN_ITEMS or now - self.first < self.MIN_SECONDS:
            return None
        rate = (self.done - 1) / (now - self.first)
        return max(0.0, self.total - self.done) / rate

    # ------------------------------------------------------------------ events
    def update(self, n: int = 1) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = now
        self.done += n
        self.total = max(self.total, self.done)
        if now - self.drawn >= 0.1 or self.done == self.total:
            self._draw(now)

    def stage(self, name: str) -> None:
        """The items are done; ``name`` is what the command does now."""
        with self.lock:
            now = time.monotonic()
            self._write("\r\x1b[2K" + self._line(now) + "\n")  # the items line, or the stage before, stays
            self.current_stage, self.stage_start = name, now
        self._draw()
        if self.enabled and self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, name="cmlkg-progress", daemon=True)
            self.ticker.start()

    def close(self) -> None:
        self.stopped.set()
        if self.ticker is not None:
            self.ticker.join()
        with self.lock:
            if self.enabled and self.drawn:
                self._write("\r\x1b[2K" + self._line(time.monotonic()) + "\n")
            self.drawn = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ drawing
    def _tick(self) -> None:
        while not self.stopped.wait(0.5):
            self._draw()

    def _items_line(self, now: float) -> str:
        filled = int(self.width * self.done / self.total) if self.total else self.width
        eta = self.eta(now)
        left = f"  {_clock(eta)} left" if eta is not None and self.done < self.total else ""
        return (
            f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {self.done:,}/{self.total:,}"
            f"  {_clock(now - self.start)}{left}"
        )

    def _line(self, now: float) -> str:
        if self.current_stage is None:
            return self._items_line(now)
        return f"{self.current_stage}  {_clock(now - self.stage_start)}"

    def _draw(self, now: float | None = None) -> None:
        if not self.enabled:
            return
        with self.lock:
            now = time.monotonic() if now is None else now
            self.drawn = now
            self._write("\r\x1b[2K" + self._line(now))

    def _write(self, text: str) -> None:
        if self.enabled:
            self.file.write(text)
            self.file.flush()
