"""Numbers, sentences and parentheses in clinical text; every span is (start, end) into the original text."""

from __future__ import annotations

import re

NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
)
_NW = rf"(?:{NUMBER_WORDS})"
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?|\.\d+|"
    rf"(?<![\w-]){_NW}(?:(?:\s+and\s+|[\s-]+)(?:{_NW}))*(?![\w-]))"
)
NUM_RE = re.compile(NUM, re.I)
_WORD_ONLY = re.compile(rf"^{_NW}(?:(?:\s+and\s+|[\s-]+){_NW})*$", re.I)


def parse_number(text: str) -> float | None:
    """'52.5' -> 52.5, '1,234' -> 1234, 'One hundred and sixty-three' -> 163, else None."""
    t = text.strip()
    if not t:
        return None
    if t[0].isdigit() or t[0] == ".":
        try:
            return float(t.replace(",", ""))
        except ValueError:
            return None
    if not _WORD_ONLY.match(t):
        return None
    from text_to_num import text2num

    try:
        return float(text2num(re.sub(r"\s+", " ", t.lower()), "en"))
    except (ValueError, TypeError):
        return None


def as_int(value: float | None) -> int | None:
    if value is None or value != int(value) or value < 0:
        return None
    return int(value)


_ABBREV_END = re.compile(r"(?:\b(?:vs|v|e\.g|i\.e|et al|Dr|Fig|approx|No|ca|cf|resp|incl)\.|\b[A-Z]\.)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences (and titles on their own line) as (start, end) spans."""
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        start = block.start()
        chunk = block.group(0)
        cut = start
        for m in re.finditer(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])", chunk):
            head = text[cut : start + m.start()]
            if _ABBREV_END.search(head):
                continue
            spans.append((cut, start + m.start()))
            cut = start + m.end()
        spans.append((cut, block.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def paren_spans(text: str) -> list[tuple[int, int]]:
    """Innermost balanced parenthetical groups, including the parentheses."""
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack:
            out.append((stack.pop(), i + 1))
    return sorted(out)
