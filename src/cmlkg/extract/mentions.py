"""Stage 1, mentions: every term of the lexicon in the text (drugs, procedures, phases, outcomes,
adverse events, diseases), with abbreviations the text defines, and the document they live in
(sentences, clauses, parentheses, negation)."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from cmlkg.extract.drugs import drug_mentions
from cmlkg.extract.external import term
from cmlkg.extract.phase_words import elliptic_phases
from cmlkg.extract.phenotypes import phenotype_mentions
from cmlkg.extract.response_kinds import level_responses, responses_of_a_kind
from cmlkg.textutil import clause_bounds, fold, paren_spans, sentence_spans
from cmlkg.vocabulary import Vocabulary, is_abbreviation

I = re.IGNORECASE

_GRADE_NUMBER = re.compile(r"\bgrades?\s*[1-5](?:\s*(?:-|–|/|or|and|to)\s*[1-5])?", I)
NEGATION_BEFORE = re.compile(
    # ('non-'/'extra-' negate only the word they are joined to: 'non-hematologic AEs included diarrhea')
    r"(?:\bno\b|\bnone\b|\bneither\b|\bnor\b|\bwithout\b|\bnot\b|\bnever\b|\babsence\s+of\b|\bfree\s+of\b)"
    # (a list may follow: 'No pleural or pericardial effusion, pulmonary hypertension or pulmonary edema')
    r"[^.;:]{0,100}$",
    I,
)


@dataclass
class Mention:
    term: str
    kind: str
    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# ------------------------------------------------------------------ lexicon matching
# ('Ph+' is one token; the '+' of 'IFN+araC' joins two)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*(?:\+(?![A-Za-z]))?|[^\sA-Za-z0-9]")
_SOFT = {"-", "\u2010", "\u2011", "\u2013"}


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word and punctuation tokens; hyphens between words are dropped ('chronic-phase' = 'chronic phase')."""
    out = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not any(c in text for c in _SOFT):
        return out
    kept: list[tuple[str, int, int]] = []
    for tok in out:
        if tok[0] in _SOFT and kept and tok[1] == kept[-1][2] and text[tok[2] : tok[2] + 1].isalnum():
            continue
        kept.append(tok)
    return kept


@functools.lru_cache(maxsize=65536)
def us_spelling(word: str) -> str:
    """A lower-case word in American spelling, for matching terms whatever the text's: 'haematological'
    and 'hematologic', 'leukaemia', 'anaemia', 'oedema', 'paediatric'."""
    if "ae" in word:
        word = word.replace("haem", "hem").replace("aem", "em").replace("paed", "ped")
    if word.startswith("oe"):
        word = "e" + word[2:]
    if word.endswith("ological"):
        word = word[:-2]
    return word


class _Lexicon:
    """Surface forms of the ontology's terms as token tuples: exact case for abbreviations, else lowered."""

    def __init__(self, vocab: Vocabulary):
        self.exact: dict[tuple[str, ...], str] = {}
        self.lower: dict[tuple[str, ...], str] = {}
        for surface, local in vocab.surfaces():  # longest first: the first claim on a key wins
            key = tuple(t for t, _s, _e in _tokens(surface))
            if not key:
                continue
            if is_abbreviation(surface):
                self.exact.setdefault(key, local)
            else:
                self.lower.setdefault(tuple(us_spelling(t.lower()) for t in key), local)
        self.longest = max(len(k) for k in [*self.exact, *self.lower])
        # first words of every surface, to skip most positions with one set lookup
        self.first_exact = {k[0] for k in self.exact}
        self.first_lower = {k[0] for k in self.lower}
        # (a one-word surface in the plural: 'progressions', as ``lookup`` reads it)
        self.first_lower |= {w + "s" for (w,) in (k for k in self.lower if len(k) == 1)}
        # proper prefixes of every surface: a match can only grow while the words so far are one
        self.prefix_exact = {k[:i] for k in self.exact for i in range(1, len(k))}
        self.prefix_lower = {k[:i] for k in self.lower for i in range(1, len(k))}

    def longest_match(self, words: list[str], lowered: list[str], i: int) -> tuple[str, int] | None:
        """The longest surface starting at word i: (class, number of words), or None."""
        hit = None
        n = min(len(words), i + self.longest)
        for j in range(i + 1, n + 1):
            local = self.lookup(words[i:j])
            if local is not None:
                hit = (local, j - i)
            if tuple(words[i:j]) not in self.prefix_exact and tuple(lowered[i:j]) not in self.prefix_lower:
                break
        return hit

    def lookup(self, words: list[str]) -> str | None:
        key = tuple(words)
        hit = self.exact.get(key) or self.lower.get(tuple(us_spelling(w.lower()) for w in key))
        if hit is None:
            last = words[-1]
            for suffix, repl in (("s", ""), ("es", ""), ("ies", "y")):
                if last.endswith(suffix) and len(last) > len(suffix) + 1:
                    stem = [*words[:-1], last[: -len(suffix)] + repl]
                    hit = self.exact.get(tuple(stem)) or self.lower.get(
                        tuple(us_spelling(w.lower()) for w in stem)
                    )
                    if hit:
                        break
        return hit


_LEXICONS: dict[int, tuple[Vocabulary, _Lexicon]] = {}


def _lexicon(vocab: Vocabulary) -> _Lexicon:
    cached = _LEXICONS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        cached = _LEXICONS[id(vocab)] = (vocab, _Lexicon(vocab))
    return cached[1]


def _joined_before(text: str, start: int) -> bool:
    """Whether the word at start is joined to the word before it by a hyphen or a slash."""
    return start > 1 and text[start - 1] in "-/\u2010\u2011" and text[start - 2].isalnum()


def find_mentions(
    text: str, vocab: Vocabulary, folded: str | None = None, sentences: list[tuple[int, int]] | None = None
) -> list[Mention]:
    """Every lexicon term in the text, longest match first, with abbreviations the text defines.

    ``folded`` is ``fold(text)`` when the caller has it already."""
    lex = _lexicon(vocab)
    toks = _tokens(text)
    found = resolve_overlaps(_lexicon_mentions(text, vocab, lex, toks))
    found = resolve_overlaps(found + _packaged_mentions(text, vocab, toks, found, sentences))
    # abbreviations defined in the text: "complete cytogenetic response (CCyR)"
    local_abbrevs, blocked = _abbreviations(text, found, vocab)
    found = resolve_overlaps(
        found
        + _phase_ellipsis(text, fold(text) if folded is None else folded, vocab, found)
        + _head_ellipsis(text, lex, vocab, found)
        + [Mention(t, "outcome", s, e) for t, s, e in level_responses(text, vocab)]
    )
    if local_abbrevs or blocked:
        kept = [
            f
            for f in found
            if text[f.start : f.end].rstrip("s") not in blocked and text[f.start : f.end] not in blocked
        ]
        for abbr, local in local_abbrevs.items():
            for m in re.finditer(rf"(?<![\w\-/]){re.escape(abbr)}s?(?![\w])", text):
                kept.append(Mention(local, term(vocab, local).kind, m.start(), m.end()))
        found = resolve_overlaps(kept)
    return responses_of_a_kind(text, found, vocab.terms)


_FREE_AFTER = re.compile(r"[-\u2010\u2011](?:free|specific)\b", re.I)
_OTHER_SURVIVAL = re.compile(r"\b(?:relative|net|conditional|expected|excess)\s+$", re.I)
_FREE_BEFORE = re.compile(r"\w[-\u2010\u2011](?:free|specific)\s+$", re.I)


def _lexicon_mentions(text: str, vocab: Vocabulary, lex, toks: list[tuple[str, int, int]]) -> list[Mention]:
    """The ontology's terms in the text, longest match first; only positions whose word can start a
    surface are tried."""
    words = [t for t, _s, _e in toks]
    lowered = [us_spelling(w.lower()) for w in words]
    found: list[Mention] = []
    first_exact, first_lower = lex.first_exact, lex.first_lower
    candidates = [i for i, (w, lw) in enumerate(zip(words, lowered)) if w in first_exact or lw in first_lower]
    consumed = 0  # the words before this belong to a match already
    for i in candidates:
        if i < consumed:
            continue
        start = toks[i][1]
        hit = lex.longest_match(words, lowered, i)
        if hit is None:
            continue
        local, length = hit
        # not inside a hyphenated or slashed word ('post-dasatinib', 'AP/BP'), but 'CCyR/MMR': two outcomes
        slashed = (
            text[start - 1] == "/" and found and found[-1].end == start - 1 and found[-1].kind == "outcome"
        )
        if _joined_before(text, start) and not (slashed and vocab.terms[local].kind == "outcome"):
            continue
        end = toks[i + length - 1][2]
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue
        # "molecular relapse-free survival", "treatment-free survival", "CML-specific survival": a term
        # that a '-free' or '-specific' joins to, or that follows one, names another, narrower concept
        if _FREE_AFTER.match(text, end) or _FREE_BEFORE.search(text, max(0, start - 30), start):
            continue
        # 'relative survival', 'net survival': another measure than the survival a bare 'survival' names
        if text[start:end].lower() == "survival" and _OTHER_SURVIVAL.search(text, max(0, start - 15), start):
            continue
        found.append(Mention(local, vocab.terms[local].kind, start, end))
        consumed = i + length
    return found


def _packaged_mentions(
    text: str,
    vocab: Vocabulary,
    toks: list[tuple[str, int, int]],
    found: list[Mention],
    sentences: list[tuple[int, int]] | None,
) -> list[Mention]:
    """Drugs the ontology does not list, from a packaged drug dictionary; adverse events it does not
    list, from the Human Phenotype Ontology, where the text speaks of toxicity. None inside a mention
    of ``found``."""
    added: list[Mention] = []
    covered = bytearray(len(text) + 1)  # characters inside a mention found so far: overlap tests in O(span)
    for f in found:
        covered[f.start : f.end] = b"\x01" * (f.end - f.start)
    drug_ends = {f.end for f in found if f.kind == "drug"}
    for local, start, end in drug_mentions(text, toks, vocab):
        if any(covered[start:end]):
            continue
        # not inside a hyphenated or slashed word, but 'prednisone/vindesine' names two drugs
        if _joined_before(text, start) and start - 1 not in drug_ends:
            continue
        if end < len(text) and text[end] in "-\u2010\u2011" and text[end + 1 : end + 2].isalnum():
            continue
        added.append(Mention(local, "drug", start, end))
        covered[start:end] = b"\x01" * (end - start)
        drug_ends.add(end)
    sentences = sentence_spans(text) if sentences is None else sentences
    for local, start, end in phenotype_mentions(text, toks, sentences, vocab):
        if not any(covered[start:end]):
            added.append(Mention(local, "adverse_event", start, end))
            covered[start:end] = b"\x01" * (end - start)
    return added


def _abbreviations(text: str, found: list[Mention], vocab: Vocabulary) -> tuple[dict[str, str], set[str]]:
    """Abbreviations defined in the text ("complete cytogenetic response (CCyR)") -> the term they
    stand for; and those defined for something that is no term (never read as one). A kind of the term
    named in the parentheses ('molecular response (MR4)') is no definition: the term meant is that kind
    (the head mention in ``found`` takes it)."""
    local_abbrevs: dict[str, str] = {}
    blocked: set[str] = set()
    ends = {m.end: m for m in found}
    spans = {(m.start, m.end): m for m in found}
    for m in re.finditer(r"\(([A-Za-z][\w.+\-/]{0,9})\)", text):
        abbr = m.group(1)
        if sum(c.isupper() for c in abbr) < 2 and not re.match(r"^[a-z][A-Z]{2,}", abbr):
            continue
        k = m.start()
        while k > 0 and text[k - 1].isspace():
            k -= 1
        head = ends.get(k)
        named = spans.get((m.start(1), m.end(1)))
        if head is not None and named is not None and named.term != head.term:
            if vocab.terms[named.term].is_a(head.term):
                found[found.index(head)] = Mention(named.term, head.kind, head.start, head.end)
            continue
        if head is not None:
            local_abbrevs[abbr] = head.term
        elif re.search(r"[A-Za-z]{3,}$", text[max(0, k - 20) : k]):
            blocked.add(abbr)
    return local_abbrevs, blocked


def _phase_ellipsis(text: str, folded: str, vocab: Vocabulary, found: list[Mention]) -> list[Mention]:
    """'accelerated or blast phase', 'AP/BP': each phase of a coordinated list is a mention."""
    return [
        Mention(local, "phase", start, end)
        for local, start, end in elliptic_phases(text, folded)
        if local in vocab.terms and not any(f.overlaps(start, end) for f in found)
    ]


_ELLIPTIC = re.compile(r"(?<![\w-])([A-Za-z][\w-]*)\s*(?:,\s*(?:and|or)?|and|or|/)\s*$")


def _head_ellipsis(text: str, lex: _Lexicon, vocab: Vocabulary, found: list[Mention]) -> list[Mention]:
    """'hematologic and nonhematologic toxicities', 'complete and partial cytogenetic responses': the
    first word of a coordination shares the second's head noun when the pair is a term too."""
    out = []
    taken = SpanSet([(f.start, f.end) for f in found])
    for m in found:
        if " " not in text[m.start : m.end]:
            continue
        words = [w for w, _s, _e in _tokens(text[m.start : m.end])]
        if len(words) < 2:
            continue
        # a chain of them: 'event-free, progression-free and overall survival'
        end = m.start
        while (prev := _ELLIPTIC.search(text, max(0, end - 40), end)) and not taken.overlaps(
            prev.start(1), prev.end(1)
        ):
            # the head shared: the words after the first, or the last ('overall and event-free survival')
            first = [w for w, _s, _e in _tokens(prev.group(1))]
            local = lex.lookup(first + words[1:]) or lex.lookup(first + words[-1:])
            if local is None or local == m.term or term(vocab, local).kind != m.kind:
                break
            out.append(Mention(local, m.kind, prev.start(1), prev.end(1)))
            end = prev.start(1)
    return out


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.term))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


# ------------------------------------------------------------------ helpers
class SpanSet:
    """Spans (start, end), possibly nested, asked whether any holds a position in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _e in spans]
        self.reach: list[int] = []  # the furthest end of the spans up to each one
        for _s, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def __contains__(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and self.reach[k] > pos

    def overlaps(self, a: int, b: int) -> bool:
        """Whether any span shares a position with [a, b)."""
        k = bisect.bisect_left(self.starts, b) - 1
        return k >= 0 and self.reach[k] > a


# the group a sentence opens with: 'Among patients without a baseline CCyR, ...', 'Of 48 evaluable pts at
# M12, ...' (what follows the patient noun is each reader's)
FRONTED_GROUP = (
    r"\s*(?:among|in|for|of)\s+(?:the\s+|all\s+)?(?:\d+\s+)?(?:[\w-]+\s+){0,3}?"
    # ('Of the 259 patients (57%) with CCyR, ...': the group's share between)
    r"(?:patients|pts|those|subjects|cases)\s+(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?"
)
_FRONTED_WITHOUT = re.compile(FRONTED_GROUP + r"(?:without|not|lacking)\b[^,;:()]*,", I)


class Doc:
    """The text of one abstract with its sentences, parentheses and mentions."""

    def __init__(self, text: str, vocab: Vocabulary):
        self.text = text
        self.vocab = vocab
        self.sents = sentence_spans(text)
        self._starts = [s for s, _e in self.sents]
        self.parens = paren_spans(text)
        self.paren_end = dict(self.parens)  # start of a group -> its end (one group opens at a place)
        self.folded = fold(text)
        self.mentions = find_mentions(text, vocab, self.folded, self.sents)
        self._mention_starts = [m.start for m in self.mentions]  # sorted: find_mentions returns text order
        # spans whose statements are not this study's CML evidence (set by extract: BACKGROUND sections,
        # sentences about patients with another disease only)
        self.not_this_study: list[tuple[int, int]] = []

    def outside_study(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.not_this_study)

    def has(self, *words: str) -> bool:
        """Whether any of the (lower-case) words occurs: rules whose regex needs one skip texts without."""
        return any(w in self.folded for w in words)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self._starts, pos) - 1
        if k >= 0 and self.sents[k][0] <= pos < self.sents[k][1]:
            return self.sents[k]
        return (0, len(self.text))

    def mentions_starting(self, start: int, end: int) -> list[Mention]:
        """The mentions that start in [start, end), in text order."""
        k = bisect.bisect_left(self._mention_starts, start)
        return self.mentions[k : bisect.bisect_left(self._mention_starts, end, lo=k)]

    def parens_starting(self, pos: int) -> list[tuple[int, int]]:
        """The parentheses that open at ``pos``, outermost first."""
        if not hasattr(self, "_paren_index"):
            self._paren_index: dict[int, list[tuple[int, int]]] = {}
            self._paren_end_index: dict[int, list[tuple[int, int]]] = {}
            for s, e in sorted(self.parens, key=lambda p: (p[0], -p[1])):
                self._paren_index.setdefault(s, []).append((s, e))
            for s, e in sorted(self.parens):
                self._paren_end_index.setdefault(e, []).append((s, e))
        return self._paren_index.get(pos, [])

    def parens_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The parentheses that open in [start, end), by start."""
        if not hasattr(self, "_paren_starts"):
            self._paren_starts = [s for s, _e in self.parens]
        return self.parens[
            bisect.bisect_left(self._paren_starts, start) : bisect.bisect_left(self._paren_starts, end)
        ]

    def parens_ending(self, pos: int) -> list[tuple[int, int]]:
        """The parentheses that close just before ``pos`` (their end is ``pos``), outermost first."""
        self.parens_starting(-1)
        return self._paren_end_index.get(pos, [])

    def mentions_in(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        return [
            m for m in self.mentions_starting(start, end) if m.end <= end and (kind is None or m.kind == kind)
        ]

    def negated(self, m: Mention) -> bool:
        s, _ = clause_bounds(self.text, self.sentence_of(m.start), m.start)
        before = self.text[s : m.start]
        if re.search(r"(?:extra|non)[-\s]?$", before, I):
            return True
        neg = NEGATION_BEFORE.search(before)
        if not neg:
            return False
        # "no X" but not "no longer", "not only", "with or without" (which starts before the negation)
        if re.search(
            r"\b(?:no\s+longer|not\s+only|not\s+statistically|with\s+or\s+without|or\s+not"
            # ('No significant difference was found with bosutinib': what is denied is the difference)
            r"|no\s+(?:\w+\s+)?(?:differences?|association|correlation|increase|decrease|effect|change|benefit|impact))\b",
            before[max(0, neg.start() - 8) :],
            I,
        ):
            return False
        # 'Among patients without a baseline CCyR, MMR was ...': the negation names a group, fronted
        fronted = _FRONTED_WITHOUT.match(self.text, s)
        if fronted and fronted.end() <= m.start:
            return False
        # a contrast breaks it ('No CCyR was seen at first, but ...')
        if re.search(r"\b(?:but|however|whereas|although|while)\b", before[neg.start() :], I):
            return False
        # a number between the negation and the mention ("none ... 3 patients") breaks it (not a grade's)
        return not re.search(r"\d", _GRADE_NUMBER.sub(" ", before[neg.start() :]))
