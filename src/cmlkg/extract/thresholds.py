"""Percents that bound a measure rather than count patients: 'adherence above 90%', 'of 90% or less',
'adherence over 90%' (never a figure of an outcome)."""

from __future__ import annotations

import re

# a percent that bounds a measure, not a share of patients: 'adherence above 90%', 'of 90% or less'
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:above|below|exceeding|under|(?:less|lower|higher|greater)\s+than)\s*$", re.I
)
# ('adherence over 90%'; not 'over 90% of patients' nor 'CHR in more than 90%': a share, approximately)
_BOUND_BEFORE = re.compile(
    r"\b(?:adherence|compliance|levels?|ratios?|transcripts?|expression|blasts?|dose\s+intensity)\s+"
    r"(?:of\s+)?(?:over|more\s+than|at\s+least)\s*$",
    re.I,
)
_OF_AFTER = re.compile(r"\s*(?:%|percent)?\s*of\b", re.I)
_THRESHOLD_AFTER = re.compile(
    r"\s*(?:%|percent)?\s*or\s+(?:less|lower|more|higher|greater|above|below)\b", re.I
)


def a_threshold(text: str, lo: int, start: int, end: int) -> bool:
    """Whether the percent in text[start:end] bounds a measure ('adherence above 90%', 'of 90% or less',
    'adherence over 90%') rather than counting patients (text[lo:start] is what is looked at before it)."""
    return bool(
        _THRESHOLD_BEFORE.search(text, lo, start)
        or _THRESHOLD_AFTER.match(text, end)
        or (_BOUND_BEFORE.search(text, lo, start) and not _OF_AFTER.match(text, end))
    )
