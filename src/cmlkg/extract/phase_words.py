"""Phases named by one word of a coordinated list ('accelerated or blast phase', 'in chronic (n = 40),
accelerated (n = 12) or blastic (n = 8) phase', 'AP/BP'), for :mod:`cmlkg.extract.mentions`."""

from __future__ import annotations

import re

I = re.I

_PHASE_WORD = {
    "chronic": "ChronicPhase",
    "accelerated": "AcceleratedPhase",
    "blast": "BlastPhase",
    "blastic": "BlastPhase",
    "CP": "ChronicPhase",
    "AP": "AcceleratedPhase",
    "BP": "BlastPhase",
    "BC": "BlastPhase",
}
# ('in chronic (n = 40), accelerated (n = 12) or blastic (n = 8) phase': each word sized on its way)
_ELLIPSIS = re.compile(
    r"\b(?P<w>chronic|accelerated|blastic|blast)(?=\s*(?:\([^()]*\)\s*)?(?:,|or|and|/|to)\s*"
    r"(?:(?:chronic|accelerated|blastic|blast)\s*(?:\([^()]*\)\s*)?(?:,|or|and|/|,\s*or|,\s*and)\s*)?"
    r"(?:chronic|accelerated|blastic|blast)(?:\s*\([^()]*\))?[-\s](?:phases?|crisis|crises))",
    I,
)
_SIZED_PHASE = re.compile(
    r"\b(?P<w>chronic|accelerated|blastic|blast)(?=\s*\([^()]*\)\s*(?:phases?|crisis|crises)\b)", I
)
_ABBR_LIST = re.compile(r"(?<![\w/])(?:CP|AP|BP|BC)(?:/(?:CP|AP|BP|BC))+(?![\w/])")


def elliptic_phases(text: str, folded: str) -> list[tuple[str, int, int]]:
    """(phase term, start, end) of each phase word of a coordinated list, and of each phase abbreviation
    in 'AP/BP'."""
    out = []
    for m in (
        [*_ELLIPSIS.finditer(text), *_SIZED_PHASE.finditer(text)]
        if "phase" in folded or "cris" in folded
        else ()
    ):
        out.append((_PHASE_WORD[m.group("w").lower()], m.start(), m.end()))
    for m in _ABBR_LIST.finditer(text) if "/" in text else ():
        for part in re.finditer(r"[A-Z]{2}", m.group(0)):
            start = m.start() + part.start()
            out.append((_PHASE_WORD[part.group(0)], start, start + 2))
    return out
