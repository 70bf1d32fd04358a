"""Numbers, sentences and parentheses in clinical text; every span is (start, end) into the original text."""

from __future__ import annotations

import re

NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
)


def word_alternation(words: list[str]) -> str:
    """A regex matching any of ``words``, written as a trie ('t(?:en|wo|...)'), so the engine tries one
    branch per letter instead of every word at every position. The words are plain letters."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [ch + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")

    return emit(tree)


_NW = word_alternation(NUMBER_WORDS.split("|"))
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?|\.\d+|"
    rf"(?<![\w-]){_NW}(?:(?:\s+and\s+|[\s-]+)(?:{_NW}))*(?![\w-]))"
)
NUM_RE = re.compile(NUM, re.I)
_WORD_ONLY = re.compile(rf"^{_NW}(?:(?:\s+and\s+|[\s-]+){_NW})*$", re.I)


def fold(text: str) -> str:
    """Lower case, such that every text a case-insensitive regex matches a lower-case ASCII word in
    contains that word: ``word in fold(text)`` is a cheap, exact test before running the regex
    (``re.I`` also matches 'ı' and 'İ' to 'i', and 'ſ' to 's')."""
    return text.replace("İ", "i").replace("ı", "i").replace("ſ", "s").lower()


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
    """A count read from the text: a whole number from 0 to 10 million, else None ('99999999999999999999
    patients' is no count, and a float that large is not even the number written)."""
    if value is None or value != int(value) or value < 0 or value > 10_000_000:
        return None
    return int(value)


# an initial ('J. Smith', 'A.') is an abbreviation; a label that ends a sentence is not ('... in arm B.
# Sokal')
_ABBREV_END = re.compile(
    r"(?:\b(?:vs|v|e\.g|i\.e|et al|Dr|Fig|approx|No|ca|cf|resp|incl)\.|(?<!\b[Aa]rm )(?<!\b[Gg]roup )"
    r"(?<!\b[Cc]ohort )(?<!\b[Ss]tage )(?<!\b[Tt]ype )(?<!\b[Pp]hase )\b[A-Z]\.)$"
)


MAX_SENTENCE = 1500  # characters; the longest sentences of real abstracts are ~700


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences (and titles on their own line) as (start, end) spans.

    A "sentence" longer than :data:`MAX_SENTENCE` (a list or a table flattened into text) is cut at
    semicolons, else commas, else spaces, so that every rule that reads a sentence reads a bounded
    text and extraction time stays linear in the length of the abstract.
    """
    return [piece for span in _sentences(text) for piece in _bounded(text, *span)]


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= MAX_SENTENCE:
        return [(start, end)]
    out = []
    while end - start > MAX_SENTENCE:
        window = text[start : start + MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(". "))
        if cut < MAX_SENTENCE // 3:
            cut = window.rfind(", ")
        if cut < MAX_SENTENCE // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_SENTENCE - 1
        out.append((start, start + cut + 1))
        start += cut + 1
        while start < end and text[start] == " ":
            start += 1
    if start < end:
        out.append((start, end))
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for block in re.finditer(r"[^\n]+", text):
        start = block.start()
        chunk = block.group(0)
        cut = start
        for m in re.finditer(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])", chunk):
            end = start + m.start()
            # an abbreviation's dot ends the text before the break (the longest is 7 characters)
            if _ABBREV_END.search(text, max(cut, end - 12), end):
                continue
            spans.append((cut, start + m.start()))
            cut = start + m.end()
        spans.append((cut, block.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


_BRACKET = re.compile(r"[()\[\]]")


def paren_spans(text: str) -> list[tuple[int, int]]:
    """Innermost balanced parenthetical groups, including the parentheses."""
    out, stack = [], []
    for m in _BRACKET.finditer(text):
        if m.group() in "([":
            stack.append(m.start())
        elif stack:
            out.append((stack.pop(), m.end()))
    return sorted(out)


def clause_bounds(text: str, sent: tuple[int, int], pos: int) -> tuple[int, int]:
    """The clause around pos: cut at ';' and at ':' inside the sentence, not inside a parenthesis
    ('Major molecular response (MMR; BCR-ABL1 <= 0.1%) was ...' is one clause)."""
    s, e = sent

    def inside(i: int) -> bool:  # an opening parenthesis before i that no closing one follows
        return text.rfind("(", s, i) > text.rfind(")", s, i)

    left = max(text.rfind(";", s, pos), text.rfind(":", s, pos))
    while left >= 0 and inside(left):
        left = max(text.rfind(";", s, left), text.rfind(":", s, left))
    right = e
    at = pos
    while True:
        found = [i for i in (text.find(";", at, e), text.find(":", at, e)) if i >= 0]
        if not found:
            break
        i = min(found)
        if not inside(i):
            right = i
            break
        at = i + 1
    return (left + 1 if left >= 0 else s), right
