"""The build's progress line on a real build: its first time-left estimate against the time really left.

    .venv/bin/python bench/progress_eta.py [--abstracts 1000] [--jobs 1]

Builds copies of the dev abstracts (tests/data/corpus/dev) with the progress line hidden but
recording, and prints the first estimate shown, the time the items really took after it, their ratio
(issue 25: within 2x), and how long the stages after the last item took.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from cmlkg.build import build
from cmlkg.progress import Progress

DEV = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus" / "dev"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--abstracts", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    texts = sorted(DEV.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for k in range(args.abstracts):
            shutil.copy(texts[k % len(texts)], seeds / f"a{k:05d}.txt")
        bar = Progress(args.abstracts, "extracting", enabled=False)
        first: list[tuple[float, float]] = []
        stages: list[tuple[str, float]] = []

        def update(n: int) -> None:
            bar.update(n)
            eta = bar.eta()
            if eta is not None and not first:
                first.append((time.monotonic(), eta))

        start = time.monotonic()
        build(
            seeds,
            Path(tmp) / "build",
            jobs=args.jobs,
            progress=update,
            stage=lambda name: stages.append((name, time.monotonic())),
        )
        end = time.monotonic()
    shown_at, eta = first[0]
    left = stages[0][1] - shown_at
    print(
        f"{args.abstracts} abstracts, -j {args.jobs}: build {end - start:.1f} s; first estimate {eta:.1f} s at "
        f"{shown_at - start:.1f} s, items really took {left:.1f} s more: ratio {eta / left:.2f}"
    )
    for (name, at), nxt in zip(stages, [s[1] for s in stages[1:]] + [end]):
        print(f"  stage {name}: {nxt - at:.1f} s")


if __name__ == "__main__":
    main()
