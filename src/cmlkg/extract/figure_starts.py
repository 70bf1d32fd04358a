"""Where the figure that ends a phrase starts (the phrase read up to its figure)."""

from __future__ import annotations

import re

from cmlkg.extract.quantities import PATIENT_NOUN, TREATED_WITH

I = re.IGNORECASE

_VALUE_AT_END = re.compile(
    # not the digits of a name ('MR4.5', 'molecular response 4.5')
    r"(?:(?<![A-Za-z\d./])(?<!response\s)(?:\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)?|\.\d+)\s*(?:\([^()]*\))?"
    # '... in 2 patients treated with chemotherapy (2%)': the count that the percent follows
    rf"|(?<![\w.])\d+\s+{PATIENT_NOUN}\s+{TREATED_WITH}\s+[\w-]+"
    r"(?:\s+[\w-]+)?\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)"
    # '... in 2 patients (0.7%), 3 patients (1.1%) and ...': a count with its noun and its percent
    rf"|(?<![\w.])\d+\s+{PATIENT_NOUN}\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)"
    # '90/200 (45.0%) vs 118/200 (59.0%)': n/N with its percent
    rf"|(?<![\w./])\d+\s*/\s*\d+(?:\s+{PATIENT_NOUN})?\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?)\s*$",
    I,
)


def figure_start(text: str, start: int, end: int) -> int:
    """Where the figure at the end of text[start:end] starts (a phrase read up to its figure: 'MMR at 12
    months was 46%' -> the 4, '... in 2 patients (0.7%)' -> the 2, '90/200 (45.0%)' -> the 9); ``end``
    when it ends in none."""
    m = _VALUE_AT_END.search(text, start, end)
    return m.start() if m else end
