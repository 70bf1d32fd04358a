"""``python -m cmlkg.extract.derive_drugs PATH``: the drug names (:func:`cmlkg.extract.drugs.derive_names`)
and write them to ``PATH`` as JSON.

Run in a child process by :func:`cmlkg.extract.drugs._dictionary` the first time, because loading the
package's dictionary takes 350 MB; the result is cached (:mod:`cmlkg.extract.cache`).
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str] | None = None) -> None:
    from cmlkg.extract.drugs import derive_names

    path = (argv if argv is not None else sys.argv[1:])[0]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(derive_names(), fh, sort_keys=True)


if __name__ == "__main__":
    main()
