"""Extraction time against text length: 8x the text must take less than 10x the time (issue 20).

    .venv/bin/python bench/extraction_scaling.py [--sizes 10000 80000]

For each repeated shape (the ones that used to be quadratic: adverse events listed with counts, case
numbers with events, figures with denominators and time points) prints the best of three times at
each size and the ratio of the largest to the smallest.
"""

from __future__ import annotations

import argparse
import time

from cmlkg.extract import extract
from cmlkg.vocabulary import load_vocabulary

SHAPES = [
    "grade 3 thrombocytopenia in 6 patients and ",
    "case 5 relapsed and died; ",
    "complete cytogenetic response in 5 of 10 patients (50%) at 12 months, ",
    "in the imatinib arm, 40/60 (66.7%) achieved MMR; in the nilotinib arm, 45/60 (75%). ",
    # one endless sentence of each kind (moved here from the tests: a timing ratio fails on a busy machine)
    "imatinib dasatinib nilotinib chronic phase patients response ",
    "(12 patients, 400 mg/day imatinib) ",
    "arm A received imatinib 400 mg and arm B received 800 mg versus 46% v 40% respectively, ",
    "Twelve patients achieved CCyR. ",
]
HEAD = (
    "We randomly assigned 120 patients in chronic phase to imatinib 400 mg daily (n = 60) or nilotinib "
    "300 mg twice daily (n = 60). "
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 80_000])
    args = ap.parse_args()
    vocab = load_vocabulary()
    extract("warm", HEAD, vocab)
    worst = 0.0
    for unit in SHAPES:
        times = []
        for size in args.sizes:
            text = HEAD + unit * (size // len(unit))
            best = min(_timed(text, vocab) for _ in range(3))
            times.append(best)
        ratio = times[-1] / max(times[0], 1e-3)
        worst = max(worst, ratio)
        cells = "  ".join(f"{s // 1000}k {t:6.2f} s" for s, t in zip(args.sizes, times))
        print(f"{unit[:38]!r:42} {cells}  ratio {ratio:5.1f}", flush=True)
    print(f"worst ratio {worst:.1f} for {args.sizes[-1] / args.sizes[0]:.0f}x the text (target < 10x for 8x)")


def _timed(text: str, vocab) -> float:
    start = time.perf_counter()
    extract("x", text, vocab)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
