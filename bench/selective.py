"""Selective example queries against whole-graph competency queries, on one build (issue 22).

    .venv/bin/python bench/selective.py BUILD_DIR [--abstract ID]

Times, in process on the on-disk store, the selective examples of queries/ (one drug's outcomes, one
outcome category across studies, one abstract's facts) and two competency queries that read the
whole graph: rows and median of five runs each. A selective query's time follows its answer; a
competency query's follows the graph.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pyoxigraph as ox

from cmlkg.query import read_query
from cmlkg.store import current_generation

NAMES = ("outcomes_of_drug", "outcome_across_studies", "one_study", "outcomes", "cohorts")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build_dir", type=Path)
    ap.add_argument("--abstract", help="identifier for one_study (default: the first abstract of the build)")
    args = ap.parse_args()
    store = ox.Store.read_only(str(current_generation(args.build_dir) / "store"))
    ident = (
        args.abstract
        or next(
            iter(
                store.query(
                    "SELECT ?id WHERE { ?d <https://w3id.org/cmlkg/ontology#sourceIdentifier> ?id } LIMIT 1",
                    use_default_graph_as_union=True,
                )
            )
        )["id"].value
    )
    abstracts = next(
        iter(
            store.query(
                "SELECT (COUNT(*) AS ?n) WHERE { ?d <https://w3id.org/cmlkg/ontology#sourceIdentifier> ?id }",
                use_default_graph_as_union=True,
            )
        )
    )["n"].value
    print(f"{args.build_dir}: {abstracts} abstracts; one_study reads {ident}")
    for name in NAMES:
        query = read_query(name).replace("graph/002_tops-imatinib-400-vs-800", f"graph/{ident}")
        times, rows = [], 0
        for _ in range(5):
            start = time.perf_counter()
            rows = sum(1 for _ in store.query(query, use_default_graph_as_union=True))
            times.append(time.perf_counter() - start)
        print(f"{name:24} {rows:8} rows   median {statistics.median(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
