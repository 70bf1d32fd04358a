"""Input readers against input size: 10x the input must take less than 12x the time (issue 25).

    .venv/bin/python bench/readers.py [--scale 1]

Each shape is one that used to be worse than linear, or a plain large export: a MEDLINE line with a DOI
80 kB long, a MEDLINE record of many continuation lines, a huge comment in PubMed XML (expat 2.5 parses
an unfinished token again on every feed), many PubMed XML articles, many JSON Lines records. Prints the
best of three times at the small and the large size, the ratio, and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from cmlkg.corpus import read_file
from cmlkg.errors import InputError

ARTICLE = (
    "<PubmedArticle><MedlineCitation><PMID>{n}</PMID><Article><ArticleTitle>T</ArticleTitle><Abstract>"
    "<AbstractText>Ten patients in chronic phase received imatinib.</AbstractText></Abstract></Article>"
    "</MedlineCitation></PubmedArticle>\n"
)
HEAD = '<?xml version="1.0"?>\n<PubmedArticleSet>\n'


def medline_doi(n: int) -> str:
    return f"PMID- 1\nTI  - T\nAB  - Ten patients.\nLID - 10.1000/{'x' * (n * 8)} [doi]\nSO  - J. 2001.\n"


def medline_continuations(n: int) -> str:
    return (
        "PMID- 1\nTI  - T\nAB  - Ten patients.\n"
        + "".join("      more words of the abstract\n" for _ in range(n))
        + "SO  - J.\n"
    )


def xml_comment(n: int) -> str:
    return HEAD + "<!--" + "x" * (n * 1000) + "-->" + ARTICLE.format(n=1) + "</PubmedArticleSet>\n"


def xml_articles(n: int) -> str:
    return HEAD + "".join(ARTICLE.format(n=k + 1) for k in range(n)) + "</PubmedArticleSet>\n"


def jsonl(n: int) -> str:
    return "".join(
        f'{{"pmid": "{k + 1}", "abstract": "Ten patients in chronic phase received imatinib."}}\n'
        for k in range(n)
    )


SHAPES = [  # (name, suffix, maker, small n); large is 10x
    ("MEDLINE DOI line", ".nbib", medline_doi, 10_000),
    ("MEDLINE continuation lines", ".nbib", medline_continuations, 2_000),
    ("XML huge comment", ".xml", xml_comment, 1_500),
    ("XML articles", ".xml", xml_articles, 2_000),
    ("JSON Lines records", ".jsonl", jsonl, 2_000),
]


def timed(path: Path) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        try:
            for _item in read_file(path):
                pass
        except InputError:
            pass  # a record past a cap: refused is also an answer, and its time counts
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    args = ap.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, suffix, maker, n in SHAPES:
            n = max(1, int(n * args.scale))
            times = []
            for size in (n, 10 * n):
                path = Path(tmp) / f"input{suffix}"
                path.write_text(maker(size), encoding="utf-8")
                times.append((path.stat().st_size, timed(path)))
            ratio = times[1][1] / times[0][1]
            worst = max(worst, ratio)
            print(
                f"{name:28} {times[0][0]:>11,} B {times[0][1]:7.3f} s   {times[1][0]:>11,} B {times[1][1]:7.3f} s"
                f"   ratio {ratio:5.1f}"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"worst ratio {worst:.1f} (target < 12); peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
