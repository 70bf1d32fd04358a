"""Length-preserving rewrites of an abstract's text before it is read, so that every span still points
into the original text (the evidence quotes are taken from the original)."""

from __future__ import annotations

import re

# '77,6%': a decimal comma in a percent
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}\s*%)")
# 'Responses, n (%): MMR, 102 (52.6) vs 77 (39.6)': a count with its percent, the unit in the header
# ('Responses (n, %): CHR 78 (45), ...', 'No. (%)': the same header written otherwise)
_N_PCT_HEADER = re.compile(r"\b(?:n|no\.)\s*\(\s*%\s*\)|\(\s*(?:n|no\.)\s*[,;/]\s*%\s*\)", re.I)
_COUNT_PCT = re.compile(r"(?<=\d) \((\d{1,3}(?:\.\d+)?)\)")
_MR_LEVEL = re.compile(r"\bMR\^?[0-9⁰-⁹]+(?:[,·.][0-9⁰-⁹])?(?![\d,])")
_MR_CHARS = str.maketrans({"^": " ", ",": ".", "·": ".", **{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}})
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z])|$")


def normalised(text: str) -> str:
    """``text`` with decimal commas in percents as points ('77,6%' -> '77.6%'), '<=' and '>=' as their
    signs and, after an 'n (%)' header, counts with a bare percent written with its sign ('102 (52.6)'
    -> '102(52.6%)'); the same length, so that spans do not move."""
    out = _DECIMAL_COMMA.sub(".", text) if "," in text else text
    if "MR" in out:  # 'MR^4.5', 'MR4,5', 'MR⁴·⁵': the molecular response levels as 'MR 4.5', 'MR4.5'
        out = _MR_LEVEL.sub(lambda m: m.group(0).translate(_MR_CHARS), out)
    if "=" in out:  # 'BCR-ABL1 <=10%': a level, written as the sign ('≤ 10%')
        out = out.replace("<=", "≤ ").replace(">=", "≥ ")
    if "%" in out and _N_PCT_HEADER.search(out):
        for header in list(_N_PCT_HEADER.finditer(out)):
            end = _SENTENCE_END.search(out, header.end())
            stop = end.start() if end else len(out)
            part = _COUNT_PCT.sub(lambda m: f"({m.group(1)}%)", out[header.end() : stop])
            out = out[: header.end()] + part + out[stop:]
    assert len(out) == len(text)
    return out
