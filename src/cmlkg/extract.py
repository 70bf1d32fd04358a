"""Extraction: the text of one abstract in, typed records out.

Rule- and lexicon-based, offline. The lexicon (drugs, procedures, phases, outcomes, adverse events,
diseases) is the ontology's labels and ``skos:altLabel`` synonyms (see :mod:`cmlkg.vocabulary`); the
rules here describe how clinical abstracts state numbers, not what a particular abstract says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cmlkg import records as r
from cmlkg.textutil import NUM, as_int, fold, paren_spans, parse_number, sentence_spans
from cmlkg.vocabulary import Vocabulary, is_abbreviation, load_vocabulary

EXTRACTOR_VERSION = "0.1.0"

I = re.I
PATIENT_NOUN = r"(?:patients?|pts?\.?|cases?|subjects?|individuals|children|adults|men|women|persons|people|recipients)"
# words that may stand between a number and its patient noun ("96 consecutive CML patients")
ADJ = r"(?:\b(?!of\b|with\b|in\b|and\b|or\b|from\b|to\b|for\b|were\b|was\b|had\b|the\b|these\b|those\b|\d)[\w'+\-]+\s+)"
ENROL_VERB = (
    r"(?:(?:were|was|have\s+been|had\s+been|are|being)\s+)?(?:(?:randomly|prospectively|retrospectively|consecutively)\s+)?"
    r"(?:randomi[sz]ed|assigned|allocated|enrolled|included|treated|studied|recruited|entered|registered|"
    r"analy[sz]ed|evaluated|reviewed|received|receiving|given|underwent|undergoing|transplanted|autografted|"
    r"grafted|to\s+be\s+treated|participated|identified|accrued|eligible)\b"
)
ENROL_BEFORE = re.compile(
    r"(?:\bwe\s+(?:have\s+)?(?:\w+ly\s+)?(?:treated|enrolled|studied|included|analy[sz]ed|reviewed|report(?:ed)?|describe|present|"
    r"evaluated|identified|investigated|followed|randomi[sz]ed)\s+(?:\w+\s+){0,2}|\btotal\s+of\s+|\bin\s+total,?\s+|\bpatients:\s*|"
    r"\bfrom\s+|\bdata\s+(?:of|on|from)\s+|\bseries\s+of\s+|\bcohort\s+of\s+|\bincluded\s+|\benrolled\s+)$",
    I,
)
OUTCOME_VERB = (
    r"(?:(?:are|were|is|was|remain(?:ed|s)?)\s+alive\s+(?:and\s+)?in|achieved|attained|obtained|reached|regained|re-?achieved|recovered|had|has|have|showed|shown|developed|experienced|were\s+in|are\s+in|"
    r"was\s+in|remain(?:ed|s)?\s+in|maintained|lost|were|was|are|is|became|died|relapsed|progressed|evolved|"
    r"transformed|responded|achieving|having|with|in)"
)
PROGRESSION_VERB = re.compile(
    r"(?:evolved|evolving|evolution|progressed|progressing|progression|transformed|transformation|transition|"
    r"went|going|moved)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$",
    I,
)
NEGATION_BEFORE = re.compile(
    r"(?:\bno\b|\bnone\b|\bneither\b|\bnor\b|\bwithout\b|\bnot\b|\bnever\b|\babsence\s+of\b|\bfree\s+of\b|"
    r"\bextra[-\s]?|\bnon[-\s]?)[^.;:]{0,60}$",
    I,
)
UNIT_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:months?|mo\b|years?|yrs?\b|y\b|weeks?|wks?\b|days?|d\b|hours?|h\b|Gy|cGy|mg|g\b|MU|million|"
    r"x\s*10|×|cells|copies|log|kb|fold|ml|mL|l\b|/l|/L|centers|centres|sites|countries|metaphases|times)",
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
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)*\+?|[^\sA-Za-z0-9]")
_SOFT = {"-", "\u2010", "\u2011", "\u2013"}


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word and punctuation tokens; hyphens between words are dropped, so 'chronic-phase' = 'chronic phase'."""
    out = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not any(c in text for c in _SOFT):
        return out
    kept: list[tuple[str, int, int]] = []
    for tok in out:
        if tok[0] in _SOFT and kept and tok[1] == kept[-1][2] and text[tok[2] : tok[2] + 1].isalnum():
            continue
        kept.append(tok)
    return kept


class _Lexicon:
    """Surface forms of the ontology's terms as token tuples: exact case for abbreviations, else lower case."""

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
                self.lower.setdefault(tuple(t.lower() for t in key), local)
        self.longest = max(len(k) for k in [*self.exact, *self.lower])
        # first words of every surface, to skip most positions with one set lookup
        self.first_exact = {k[0] for k in self.exact}
        self.first_lower = {k[0] for k in self.lower}
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
        hit = self.exact.get(key) or self.lower.get(tuple(w.lower() for w in key))
        if hit is None:
            last = words[-1]
            for suffix in ("s", "es"):
                if last.endswith(suffix) and len(last) > len(suffix) + 1:
                    stem = [*words[:-1], last[: -len(suffix)]]
                    hit = self.exact.get(tuple(stem)) or self.lower.get(tuple(w.lower() for w in stem))
                    if hit:
                        break
        return hit


_LEXICONS: dict[int, tuple[Vocabulary, _Lexicon]] = {}


def _lexicon(vocab: Vocabulary) -> _Lexicon:
    cached = _LEXICONS.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        cached = _LEXICONS[id(vocab)] = (vocab, _Lexicon(vocab))
    return cached[1]


def find_mentions(text: str, vocab: Vocabulary, folded: str | None = None) -> list[Mention]:
    """Every lexicon term in the text, longest match first, with abbreviations the text defines.

    ``folded`` is ``fold(text)`` when the caller has it already."""
    lex = _lexicon(vocab)
    toks = _tokens(text)
    words = [t for t, _s, _e in toks]
    lowered = [w.lower() for w in words]
    found: list[Mention] = []
    # only positions whose word can start a surface are tried
    first_exact, first_lower = lex.first_exact, lex.first_lower
    candidates = [i for i, (w, lw) in enumerate(zip(words, lowered)) if w in first_exact or lw in first_lower]
    consumed = 0  # the words before this belong to a match already
    for i in candidates:
        if i < consumed:
            continue
        start = toks[i][1]
        # not inside a hyphenated or slashed word: 'extra-hematological toxicity', 'post-dasatinib', 'AP/BP'
        if start > 1 and text[start - 1] in "-/\u2010\u2011" and text[start - 2].isalnum():
            continue
        hit = lex.longest_match(words, lowered, i)
        if hit is None:
            continue
        local, length = hit
        end = toks[i + length - 1][2]
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            continue
        found.append(Mention(local, vocab.terms[local].kind, start, end))
        consumed = i + length
    found = _resolve_overlaps(found)
    # abbreviations defined in the text: "complete cytogenetic response (CCyR)"
    local_abbrevs: dict[str, str] = {}
    blocked: set[str] = set()
    ends = {m.end: m for m in found}
    for m in re.finditer(r"\(([A-Za-z][\w.+\-/]{0,9})\)", text):
        abbr = m.group(1)
        if sum(c.isupper() for c in abbr) < 2 and not re.match(r"^[a-z][A-Z]{2,}", abbr):
            continue
        k = m.start()
        while k > 0 and text[k - 1].isspace():
            k -= 1
        head = ends.get(k)
        if head is not None:
            local_abbrevs[abbr] = head.term
        elif re.search(r"[A-Za-z]{3,}$", text[max(0, k - 20) : k]):
            blocked.add(abbr)
    found = _resolve_overlaps(found + _phase_ellipsis(text, fold(text) if folded is None else folded, vocab, found))
    if local_abbrevs or blocked:
        kept = [
            f for f in found
            if text[f.start : f.end].rstrip("s") not in blocked and text[f.start : f.end] not in blocked
        ]
        for abbr, local in local_abbrevs.items():
            for m in re.finditer(rf"(?<![\w\-/]){re.escape(abbr)}s?(?![\w])", text):
                kept.append(Mention(local, vocab.terms[local].kind, m.start(), m.end()))
        found = _resolve_overlaps(kept)
    return found


_PHASE_WORD = {"chronic": "ChronicPhase", "accelerated": "AcceleratedPhase", "blast": "BlastPhase", "blastic": "BlastPhase",
               "CP": "ChronicPhase", "AP": "AcceleratedPhase", "BP": "BlastPhase", "BC": "BlastPhase"}
_ELLIPSIS = re.compile(
    r"\b(?P<w>chronic|accelerated|blastic|blast)(?=\s*(?:,|or|and|/|to)\s*(?:(?:chronic|accelerated|blastic|blast)\s*(?:,|or|and|/)\s*)?"
    r"(?:chronic|accelerated|blastic|blast)[-\s](?:phases?|crisis|crises))",
    I,
)
_ABBR_LIST = re.compile(r"(?<![\w/])(?:CP|AP|BP|BC)(?:/(?:CP|AP|BP|BC))+(?![\w/])")


def _phase_ellipsis(text: str, folded: str, vocab: Vocabulary, found: list[Mention]) -> list[Mention]:
    """'accelerated or blast phase', 'AP/BP': each phase of a coordinated list is a mention."""
    out = []
    for m in _ELLIPSIS.finditer(text) if "phase" in folded or "cris" in folded else ():
        local = _PHASE_WORD[m.group("w").lower()]
        if local in vocab.terms and not any(f.overlaps(m.start(), m.end()) for f in found):
            out.append(Mention(local, "phase", m.start(), m.end()))
    for m in _ABBR_LIST.finditer(text) if "/" in text else ():
        for part in re.finditer(r"[A-Z]{2}", m.group(0)):
            start = m.start() + part.start()
            if not any(f.overlaps(start, start + 2) for f in found):
                out.append(Mention(_PHASE_WORD[part.group(0)], "phase", start, start + 2))
    return out


def _resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start), m.term))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


# ------------------------------------------------------------------ helpers
def _in_any(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= pos < e:
            return (s, e)
    return None



def _clause_bounds(text: str, sent: tuple[int, int], pos: int) -> tuple[int, int]:
    """The clause around pos: cut at ';' and at ':' inside the sentence."""
    s, e = sent
    left = max(text.rfind(";", s, pos), text.rfind(":", s, pos))
    right_candidates = [i for i in (text.find(";", pos, e), text.find(":", pos, e)) if i >= 0]
    return (left + 1 if left >= 0 else s, min(right_candidates) if right_candidates else e)


class _Doc:
    """The text of one abstract with its sentences, parentheses and mentions."""

    def __init__(self, text: str, vocab: Vocabulary):
        self.text = text
        self.vocab = vocab
        self.sents = sentence_spans(text)
        self.parens = paren_spans(text)
        self.paren_end = dict(self.parens)  # start of a group -> its end (one group opens at a place)
        self.folded = fold(text)
        self.mentions = find_mentions(text, vocab, self.folded)

    def has(self, *words: str) -> bool:
        """Whether any of the (lower-case) words occurs: rules whose regex needs one skip texts without."""
        return any(w in self.folded for w in words)

    def sentence_of(self, pos: int) -> tuple[int, int]:
        for s, e in self.sents:
            if s <= pos < e:
                return (s, e)
        return (0, len(self.text))

    def mentions_in(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end and (kind is None or m.kind == kind)]

    def negated(self, m: Mention) -> bool:
        s, _ = _clause_bounds(self.text, self.sentence_of(m.start), m.start)
        before = self.text[s : m.start]
        if re.search(r"(?:extra|non)[-\s]?$", before, I):
            return True
        neg = NEGATION_BEFORE.search(before)
        if not neg:
            return False
        # "no X" but not "no longer", "not only", "with or without"
        if re.search(r"\b(?:no\s+longer|not\s+only|not\s+statistically|with\s+or\s+without|or\s+not)\b", before[neg.start():], I):
            return False
        # a number between the negation and the mention ("none ... 3 patients") breaks it
        return not re.search(r"\d", before[neg.start():])


# ------------------------------------------------------------------ cohorts and demographics
_COHORT_RE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?P<adj>{ADJ}{{0,4}}){PATIENT_NOUN}\b", I)
_N_EQUALS = re.compile(r"[(\[,;]\s*[nN]\s*=\s*(?P<n>\d[\d,]*)\s*[)\],;]")
_BARE_ENROL = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:were|was)\s+(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated|enrolled|treated|included)\b", I)
_DEMOGRAPHIC = re.compile(r"\b(?:male|female|men|women|median|mean|aged?|years?|range|M/F|F/M)\b", I)


def _skip_parens(doc: _Doc, pos: int, limit: int) -> int:
    """Position after any parenthetical groups (and spaces) starting at pos."""
    text = doc.text
    while pos < limit:
        while pos < limit and text[pos].isspace():
            pos += 1
        grp_end = doc.paren_end.get(pos)
        if grp_end is None:
            # a group containing nested groups: find the matching close
            if pos < limit and text[pos] == "(":
                depth, i = 0, pos
                while i < limit:
                    depth += text[i] == "("
                    depth -= text[i] == ")"
                    i += 1
                    if depth == 0:
                        break
                pos = i
                continue
            return pos
        pos = grp_end
    return pos


_NEXT_COHORT = re.compile(rf";|(?<![\w.]){NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}", I)


_ENROLLED_AFTER = re.compile(rf"(?:[\w'+\-,]+\s+){{0,14}}?{ENROL_VERB}", I)


def _cohorts(doc: _Doc) -> list[r.Cohort]:
    text = doc.text
    cands: list[tuple[str, int, r.Span, str]] = []  # (role hint, size, span, description)
    for sent in doc.sents:
        s, e = sent
        for m in _COHORT_RE.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            if not n or re.search(r"\bevaluable\b", m.group("adj"), I):
                continue
            before = text[max(s, m.start() - 60) : m.start()]
            if re.search(r"\b(?:occurred|observed|seen|reported|noted|found|documented|detected|achieved|experienced|developed)\s+in\s*$", before, I):
                continue
            if not ENROL_BEFORE.search(before) and re.search(
                r"(?:\bof|%|\bto|\bthan|\bremaining|\bother|\bfirst|\blast|\bthese|-)\s*$", before, I
            ):
                continue
            after_start = _skip_parens(doc, m.end(), e)
            after = text[after_start : min(e, after_start + 160)]
            after = _NEXT_COHORT.split(after, maxsplit=1)[0]
            paren_after = text[m.end() : after_start]
            hint = None
            em = _ENROLLED_AFTER.match(after)
            # "... occurred in 9 patients receiving imatinib": a count of events, not a cohort
            bare = em is not None and not re.search(r"\b(?:were|was|been|whose|have|had|are)\b", em.group(0), I)
            in_outcome_sentence = any(o.kind in ("outcome", "adverse_event") for o in doc.mentions_in(s, m.start()))
            if em and not (bare and (re.search(r"\b(?:in|and|among)\s*$", before, I) or in_outcome_sentence)):
                hint = "enrolled"
            if ENROL_BEFORE.search(before):
                hint = "enrolled"
            # "10 patients in chronic phase (6 male and 4 female, median age ...)"
            window = text[m.end() : min(e, m.end() + 90)]
            first_paren = re.search(r"\(([^()]*)", window)
            if first_paren and _DEMOGRAPHIC.search(first_paren.group(1)) and re.search(r"\d", first_paren.group(1)):
                if not re.search(r"year[- ]old", first_paren.group(1), I):
                    hint = "enrolled"
            if hint is None and paren_after.strip() and re.search(r"\b(?:female|male|women|men)\b", paren_after, I):
                hint = "enrolled"
            # "(51 patients)" right after a dose or a drug: an arm
            if hint is None and text[max(s, m.start() - 1) : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
                prev = text[max(s, m.start() - 40) : m.start()]
                if re.search(r"(?:/d|daily|/day|mg|Gy|U)\s*\($", prev) or any(
                    mm.kind in ("drug", "procedure") and mm.end >= m.start() - 25 for mm in doc.mentions_in(s, m.start())
                ):
                    hint = "arm"
            if hint:
                cands.append((hint, n, r.Span(m.start(), m.end()), text[m.start() : m.end()]))
        for m in _N_EQUALS.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            if n:
                prev = text[max(s, m.start() - 30) : m.start()]
                role = "subgroup" if re.search(r"(?:resistant|intolerant|refractory|risk|aged?|years|male|female|positive|negative|mutation|[+-])\s*$", prev, I) else "arm"
                cands.append((role, n, r.Span(m.start() + 1, m.end() - 1), text[max(s, m.start() - 30) : m.end()].strip()))
        for m in _BARE_ENROL.finditer(text, s, e):
            n = as_int(parse_number(m.group("n")))
            if n:
                cands.append(("arm", n, r.Span(m.start(), m.end()), text[m.start() : m.end()]))
    if not cands:
        return []
    enrolled = [c for c in cands if c[0] == "enrolled"] or cands
    main = max(enrolled, key=lambda c: (c[1], -c[2].start))
    cohorts = [r.Cohort("population", main[1], main[2], description=main[3])]
    seen = {main[1]}
    for hint, n, span, desc in sorted(cands, key=lambda c: c[2].start):
        if n in seen:
            continue
        seen.add(n)
        cohorts.append(r.Cohort("subgroup" if hint == "subgroup" else "arm", n, span, description=desc))
    return cohorts


_EVALUABLE = [
    re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,2}}?(?:{PATIENT_NOUN}\s+)?(?:are|were|was|being)\s+(?:\w+\s+)?evaluable", I),
    re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+evaluable\b", I),
    re.compile(r"\bevaluable(?:\s+for\s+\w+)?\s*[(\[,]\s*n\s*=\s*(?P<n>\d+)", I),
]
_SEX = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:(?:were|are)\s+)?(?P<sex>females?|women|males?|men|girls|boys)\b",
    I,
)
_SEX_RATIO = re.compile(r"\b(?P<a>M|F|male|female)\s*/\s*(?P<b>M|F|male|female)(?:\s+ratio)?\s*(?:[:=]|was|of)?\s*(?P<x>\d+)\s*/\s*(?P<y>\d+)", I)
_AGE_STAT = re.compile(
    rf"\b(?P<stat>median|mean|average)\s+(?:\(?(?:±|\+/-|\+)?\s*(?:SD|s\.d\.|standard\s+deviation)\)?\s+)?age"
    rf"(?:\s+at\s+(?:diagnosis|entry|enrolment|enrollment|inclusion|study\s+entry|transplant(?:ation)?|start))?"
    rf"(?:\s*(?:was|of|:|,|=|is|were))?\s*(?P<v>{NUM})\s*(?:years|yrs|y|years\s+old)?"
    rf"(?:\s*(?:±|\+/-|\+|\(\s*SD\s*)\s*(?P<sd>\d+(?:\.\d+)?)\s*\)?(?:\s*(?:years|yrs|y))?)?"
    rf"(?:\s*[,;(\[]?\s*(?:range|range:|ranging\s+from|from)?\s*,?\s*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?))?",
    I,
)
_AGE_RANGE_FIRST = re.compile(
    r"\baged?\s+(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)\s*(?:years|yrs|y)?\s*[(,]\s*(?P<stat>median|mean)\s*,?\s*(?P<v>\d+(?:\.\d+)?)",
    I,
)
_PATIENT = re.compile(
    rf"(?<![\w.])(?P<age>\d{{1,3}}|{NUM})[- ](?:year|yr)s?[- ]old\s+(?:(?:\w+)\s+){{0,2}}?(?P<sex>female|male|woman|man|girl|boy|lady|gentleman)\b",
    I,
)


def _demographics(doc: _Doc, cohorts: list[r.Cohort]) -> None:
    text = doc.text
    if not cohorts:
        return
    pop = cohorts[0]

    def owner(pos: int) -> r.Cohort:
        # the cohort mentioned last before pos in the same sentence, else the population
        s, _ = doc.sentence_of(pos)
        best = None
        for c in cohorts:
            if s <= c.span.start <= pos and c.role != "subgroup":
                best = c if best is None or c.span.start > best.span.start else best
        return best or pop

    for pat in _EVALUABLE if doc.has("evaluable") else ():
        for m in pat.finditer(text):
            if re.search(r"\bnot\s+(?:\w+\s+)?evaluable|\bnon-?evaluable|\bun-?evaluable", text[m.start() : m.end() + 3], I):
                continue
            if re.search(r"\b(?:not|non)\s*$", text[max(0, m.start() - 6) : m.start()], I):
                continue
            n = as_int(parse_number(m.group("n")))
            if n is not None and pop.evaluable is None:
                pop.evaluable = n
                pop.extra_spans.append(r.Span(m.start(), m.end()))
    for m in _SEX.finditer(text) if doc.has("male", "men", "girls", "boys") else ():
        n = as_int(parse_number(m.group("n")))
        if n is None:
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:year[- ]old|aged?)\s*$", before, I):
            continue
        c = owner(m.start())
        female = m.group("sex").lower().startswith(("f", "w", "g"))
        if female and c.female is None:
            c.female = n
        elif not female and c.male is None:
            c.male = n
        else:
            continue
        c.extra_spans.append(r.Span(m.start(), m.end()))
    for m in _SEX_RATIO.finditer(text) if "/" in text else ():
        a_f = m.group("a").lower().startswith("f")
        x, y = int(m.group("x")), int(m.group("y"))
        c = owner(m.start())
        if c.female is None and c.male is None:
            c.female, c.male = (x, y) if a_f else (y, x)
            c.extra_spans.append(r.Span(m.start(), m.end()))
    for c in cohorts:
        if c.size is not None:
            if c.female is not None and c.male is None and c.female <= c.size:
                c.male = c.size - c.female
            elif c.male is not None and c.female is None and c.male <= c.size:
                c.female = c.size - c.male
    for m in [*_AGE_STAT.finditer(text), *_AGE_RANGE_FIRST.finditer(text)] if doc.has("age") else ():
        c = owner(m.start())
        if c.age_statistic is not None:
            continue
        value = parse_number(m.group("v"))
        if value is None or value > 120:
            continue
        c.age_statistic = "mean" if m.group("stat").lower() in ("mean", "average") else "median"
        c.age_value = value
        if m.groupdict().get("sd"):
            c.age_sd = float(m.group("sd"))
        if m.group("lo") and m.group("hi"):
            c.age_min, c.age_max = float(m.group("lo")), float(m.group("hi"))
        c.extra_spans.append(r.Span(m.start(), m.end()))


def _patients(doc: _Doc) -> list[r.Patient]:
    out = []
    for m in _PATIENT.finditer(doc.text) if doc.has("old") else ():
        age = parse_number(m.group("age"))
        if age is None or age > 120:
            continue
        sex = "female" if m.group("sex").lower() in ("female", "woman", "girl", "lady") else "male"
        out.append(r.Patient(age, sex, r.Span(m.start(), m.end())))
    return out


# ------------------------------------------------------------------ phases
def _phases(doc: _Doc) -> list[r.Phase]:
    out: dict[str, r.Phase] = {}
    for m in doc.mentions:
        if m.kind != "phase" or doc.negated(m):
            continue
        out.setdefault(m.term, r.Phase(m.term, r.Span(m.start, m.end)))
    return list(out.values())


# ------------------------------------------------------------------ treatments and doses
_PRIOR_BEFORE = re.compile(
    r"(?:pre-?treated|previously\s+treated|previous(?:ly)?|prior|pretreatment\s+with|failure\s+of|failed|failing|"
    r"resistant|resistance|intolerant|intolerance|refractory|relapsed\s+(?:on|after)|after\s+failure\s+of|"
    r"progressed\s+on|history\s+of|after|following|post)\s+(?:(?:to|with|on|of|the|prior|previous|first-line|frontline|front-line|"
    r"initial|standard|dose|doses|\w+-dose)\s+){0,3}$",
    I,
)
_PRIOR_AFTER = re.compile(
    r"^(?:[-\s]+(?:resistant|resistance|intolerant|intolerance|refractory|failure|pretreated|pre-treated|experienced)|"
    r"\s+(?:with|after)\s+(?:relapse|progression|failure|resistance|intolerance)|\s+failure)",
    I,
)

_DOSE_RE = re.compile(
    rf"(?<![\w.])(?P<v>{NUM})(?:\s*(?:-|–|to)\s*(?P<v2>{NUM}))?\s*-?\s*"
    r"(?P<unit>(?:x|×)\s*10\s*(?:\(6\)|\^?6|⁶)\s*(?:I?U|units)\s*(?:/\s*m2|/\s*m²)?(?:\s*body\s+surface\s+area)?\s*(?:/\s*d(?:ay)?|daily|per\s+day)?|mg/m2/d(?:ay)?|mg/m²/d(?:ay)?|mg/m\^?2\s*(?:daily|per\s+day|/d(?:ay)?)|mg/m2|mg/m²|"
    r"mg/kg/d(?:ay)?|mg/kg\s*(?:daily|per\s+day)|mg/kg|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU|mega\s*units?)\s*/?\s*m2?(?:\s*(?:body\s+surface\s+area))?\s*(?:/\s*d(?:ay)?|daily|per\s+day)|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU)\s*(?:/\s*d(?:ay)?|daily|per\s+day|a\s+day)|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU)|"
    r"mg\s*/\s*d(?:ay)?|mg\s*/\s*24\s*h|mg\s+(?:once\s+)?(?:daily|a\s+day|per\s+day|qd|od)|"
    r"mg\s+(?:twice\s+(?:daily|a\s+day)|bid|b\.i\.d\.|BID)|mg\s+(?:three\s+times\s+(?:daily|a\s+day)|tid|TID)|"
    r"g\s*/\s*d(?:ay)?|g\s+(?:daily|per\s+day|a\s+day)|Gy|cGy|mg)(?![\w/])",
    I,
)


def _dose_unit(raw: str, value: float, tail: str, head: str) -> tuple[float, str] | None:
    u = re.sub(r"\s+", " ", raw.lower())
    if u.startswith(("x", "×")):  # "5 x 10(6) U/m2 daily": millions of units
        per_m2 = bool(re.search(r"m2|m²|body surface", u))
        daily = bool(re.search(r"/\s*d|daily|per day", u)) or bool(re.match(r"^\s*(?:daily|/d\b|per\s+day)", tail, I))
        return value, ("MU/m2" if per_m2 else "MU") + ("/d" if daily else "")
    if "cgy" in u:
        return value / 100, "Gy"
    if u == "gy":
        return value, "Gy"
    if u.startswith(("million", "mu", "miu", "mega")):
        if "m2" in u.replace("mu", "", 1) or "body surface" in u or re.search(r"/\s*m", u.replace("mu/", "")):
            if re.search(r"m2|body surface", u):
                return value, "MU/m2/d"
        if re.search(r"/\s*d|daily|per day|a day", u) or re.match(r"^\s*(?:daily|per\s+day|/d)", tail, I):
            return value, "MU/d"
        return value, "MU"
    if u.startswith("mg/m"):
        return (value, "mg/m2/d") if re.search(r"/d|daily|per day", u) else (value, "mg/m2")
    if u.startswith("mg/kg"):
        return (value, "mg/kg/d") if re.search(r"/d|daily|per day", u) else (value, "mg/kg")
    if u.startswith("g"):
        return value, "g/d"
    if "twice" in u or "bid" in u or "b.i.d" in u:
        return value * 2, "mg/d"
    if "three times" in u or "tid" in u:
        return value * 3, "mg/d"
    if u != "mg":
        return value, "mg/d"
    # bare "mg": daily if the phrase says so nearby ("400 mg (n = 157) daily", "daily imatinib 400 mg")
    if re.match(r"^(?:\s*\([^()]*\))?\s*(?:(?:once\s+)?daily|/d\b|per\s+day|a\s+day|qd\b|od\b)", tail, I):
        return value, "mg/d"
    if re.match(r"^(?:\s*(?:\([^()]*\)\s*)?(?:or|and|versus|vs\.?|v)\s+\d+\s*mg\s*(?:\([^()]*\))?)+\s*(?:daily|/d\b|per\s+day)", tail, I):
        return value, "mg/d"
    if re.search(r"\bdaily\b[^.;:()]{0,50}$", head, I):
        return value, "mg/d"
    return value, "mg"


def _treatments(doc: _Doc) -> list[r.Treatment]:
    text = doc.text
    roles: dict[str, set[str]] = {}
    first: dict[str, Mention] = {}
    prev: tuple[Mention, bool] | None = None
    for m in doc.mentions:
        if m.kind not in ("drug", "procedure"):
            continue
        term = doc.vocab.terms[m.term]
        if term.has_children and m.term != "TotalBodyIrradiation":
            continue  # "transplant" without allogeneic/autologous, "TKI" without a drug: too unspecific
        if doc.negated(m):
            continue
        s, _ = doc.sentence_of(m.start)
        before = text[max(s, m.start - 60) : m.start]
        after = text[m.end : m.end + 30]
        cue = _PRIOR_BEFORE.search(before)
        # "after BMT" dates an event, it does not make the transplant a prior therapy
        if cue and m.kind == "procedure" and re.match(r"(?:after|following|post)\b", cue.group(0), I):
            cue = None
        prior = bool(cue or _PRIOR_AFTER.match(after))
        # "resistant or intolerant to dasatinib or nilotinib": a coordinated drug shares the role
        if not prior and prev is not None and prev[1] and re.fullmatch(r"\s*(?:,|or|and|/|,\s*or|,\s*and)\s*", text[prev[0].end : m.start]):
            prior = True
        prev = (m, prior)
        roles.setdefault(m.term, set()).add("prior" if prior else "intervention")
        first.setdefault(m.term, m)
    out: dict[tuple[str, str], r.Treatment] = {}
    for term, rs in roles.items():
        m = first[term]
        for role in sorted(rs):
            out[(term, role)] = r.Treatment(term, role, r.Span(m.start, m.end))
    # doses: the nearest drug in the sentence (Gy goes to the radiation procedure)
    radiation = [m for m in doc.mentions if m.kind == "procedure" and doc.vocab.terms[m.term].is_a("RadiationTherapy")]
    for sent in doc.sents:
        s, e = sent
        drugs = [m for m in doc.mentions_in(s, e) if m.kind in ("drug", "procedure") and (m.term, "intervention") in out]
        for dm in _DOSE_RE.finditer(text, s, e):
            if re.search(r"[<>≤≥]\s*$", text[max(s, dm.start() - 3) : dm.start()]):
                continue
            values = [parse_number(dm.group("v"))]
            if dm.group("v2"):
                values.append(parse_number(dm.group("v2")))
            tail = text[dm.end() : min(e, dm.end() + 60)]
            head = text[max(s, dm.start() - 40) : dm.start()]
            unit_text = dm.group("unit")
            if unit_text.lower() in ("gy", "cgy"):
                target = radiation[0].term if radiation else None
            else:
                target = _nearest_drug(drugs, dm.start(), dm.end())
            if target is None or (target, "intervention") not in out:
                continue
            for v in values:
                if v is None:
                    continue
                conv = _dose_unit(unit_text, v, tail, head)
                if conv is None:
                    continue
                value, unit = conv
                treat = out[(target, "intervention")]
                if not any(d.value == value and d.unit == unit for d in treat.doses):
                    treat.doses.append(r.Dose(value, unit, r.Span(dm.start(), dm.end())))
    return sorted(out.values(), key=lambda t: (t.span.start, t.role))


def _nearest_drug(drugs: list[Mention], start: int, end: int) -> str | None:
    before = [m for m in drugs if m.end <= start and m.kind == "drug"]
    after = [m for m in drugs if m.start >= end and m.kind == "drug"]
    if before and start - before[-1].end <= 60:
        return before[-1].term
    if after and after[0].start - end <= 60:
        return after[0].term
    if before:
        return before[-1].term
    return after[0].term if after else None


# ------------------------------------------------------------------ outcomes
_VALUE = re.compile(
    rf"(?P<count>{NUM})\s+of\s+(?:the\s+)?(?P<den>{NUM})(?:\s+{PATIENT_NOUN})?(?:\s*(?:\(|or|,)\s*(?P<pct1>\d+(?:\.\d+)?)\s*%\s*\)?)?"
    rf"|(?P<count2>\d+)\s*/\s*(?P<den2>\d+)(?:\s*\(\s*(?P<pct2>\d+(?:\.\d+)?)\s*%\s*\))?"
    rf"|(?P<count3>{NUM})\s*(?:{PATIENT_NOUN}\s*)?\(\s*(?P<pct3>\d+(?:\.\d+)?)\s*%\s*\)"
    rf"|(?P<pct4>\d+(?:\.\d+)?)\s*%(?:\s*\(\s*(?P<count4>\d+)\s*(?:/|of)\s*(?P<den4>\d+)\s*\))?"
    rf"|(?P<prob>(?<![\d.])(?:0?\.\d+|1\.0+|0\.0+|0|1)(?![\d%]|\.\d))"
    rf"|(?:in|by|for|and)\s+(?P<count5>{NUM})\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN}(?:\s*\(\s*(?P<pct5>\d+(?:\.\d+)?)\s*%\s*\))?",
    I,
)
_SKIP_PAREN = re.compile(r"^\(\s*(?:95\s*%|CI\b|HR\b|OR\b|RR\b|P\s*[=<>]|p\s*[=<>]|range|IQR|hazard|odds|SD\b|[<>≤≥])|\brange\b|\bIQR\b", I)


@dataclass
class _Value:
    count: int | None = None
    percent: float | None = None
    denominator: int | None = None
    start: int = 0
    end: int = 0


def _values_after(doc: _Doc, start: int, end: int, probability: bool) -> list[_Value]:
    """The figures stated in text[start:end], skipping time points, P values, CIs and doses."""
    text = doc.text
    out: list[_Value] = []
    pos = start
    while pos < end:
        grp_end = doc.paren_end.get(pos)
        if grp_end is not None and _SKIP_PAREN.search(text[pos:grp_end]):
            pos = grp_end
            continue
        m = _VALUE.match(text, pos)
        if m is None or not m.group(0).strip():
            pos += 1
            continue
        before = text[max(start, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 12]
        timepoint = re.search(r"(?:\bat|\bafter|\bwithin|\bby|\bday)\s*$", before) and UNIT_AFTER.match(after)
        if (timepoint or re.search(r"(?:\b[Pp]\s*[=<>]|[<>≤≥]|\bn\s*=|\bgrade|\bgrades|[-–]|\bto|\bCI[,:]?|\b(?:HR|OR|RR)[,:]?)\s*$", before)) and not m.group("count5"):
            pos = m.end()
            continue
        if re.search(r"\b(?:complete|partial|minor|minimal|major|deep)\s+(?:in\s+)?$", text[max(start, m.start() - 14) : m.start()], I):
            pos = m.end()
            continue
        if m.group("prob") is not None:
            if not probability or UNIT_AFTER.match(after):
                pos = m.end()
                continue
            v = float(m.group("prob"))
            out.append(_Value(percent=round(v * 100, 2), start=m.start(), end=m.end()))
        elif m.group("pct4") is not None:
            if re.match(r"^\s*(?:of\s+)?(?:Ph|Ph1|Ph'|Philadelphia|BCR|blasts?|metaphases|cells|CI\b|confidence)", after, I):
                pos = m.end()
                continue
            out.append(_Value(as_int(parse_number(m.group("count4") or "")) if m.group("count4") else None,
                              float(m.group("pct4")),
                              as_int(parse_number(m.group("den4") or "")) if m.group("den4") else None, m.start(), m.end()))
        elif m.group("count") is not None:
            out.append(_Value(as_int(parse_number(m.group("count"))), float(m.group("pct1")) if m.group("pct1") else None,
                              as_int(parse_number(m.group("den"))), m.start(), m.end()))
        elif m.group("count2") is not None:
            out.append(_Value(int(m.group("count2")), float(m.group("pct2")) if m.group("pct2") else None,
                              int(m.group("den2")), m.start(), m.end()))
        elif m.group("count3") is not None:
            out.append(_Value(as_int(parse_number(m.group("count3"))), float(m.group("pct3")), None, m.start(), m.end()))
        elif m.group("count5") is not None:
            if not UNIT_AFTER.match(after):
                out.append(_Value(as_int(parse_number(m.group("count5"))), float(m.group("pct5")) if m.group("pct5") else None,
                                  start=m.start(), end=m.end()))
        pos = m.end()
    return [v for v in out if v.percent is None or 0 <= v.percent <= 100]


_SUBJECT = re.compile(
    rf"(?<![\w])(?:(?P<all_but>\ball\s+but\s+)|(?P<all>\ball\s+(?:the\s+)?)|(?P<none>\b(?:no|none\s+of\s+the)\s+))?"
    rf"(?P<n>{NUM})?\s*(?:of\s+(?:the|these|those)\s+(?:(?P<den>{NUM})\s+)?(?:\w+\s+)?{PATIENT_NOUN}|(?:{ADJ}{{0,3}}){PATIENT_NOUN}|(?:evaluable\s+)?{PATIENT_NOUN})?"
    rf"\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\))?\s*$",
    I,
)


_COUNT_BEFORE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:{PATIENT_NOUN}\s+(?:with|in|achieving|had)\s+)?(?:a\s+|an\s+)?$", I)


_PATIENTS_BEFORE_VERB = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s*(?:\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s*(?:\(\s*(?P<pct2>\d+(?:\.\d+)?)\s*%\s*\)\s*)?(?:have\s+|had\s+|subsequently\s+|later\s+|eventually\s+)?$", I)


def _outcome_subject(doc: _Doc, m: Mention, clause_start: int) -> _Value | None:
    """'Seventy of the patients (73%) achieved <m>', '2 <m>', 'no patient progressed to <m>'."""
    text = doc.text
    pre = text[clause_start : m.start]
    # "2 CCR", "1 molecular complete response": a number right before the mention
    direct = _COUNT_BEFORE.search(pre)
    if direct and not re.search(r"(?:[<>≤≥=]|\bat|\bafter|\bgrade|\bwithin|-)\s*$", pre[: direct.start()]):
        if not UNIT_AFTER.match(pre[direct.end("n") :]):
            return _Value(as_int(parse_number(direct.group("n"))), float(direct.group("pct")) if direct.group("pct") else None,
                          None, clause_start + direct.start(), clause_start + direct.end())
    if PROGRESSION_VERB.match(text, m.start) or re.match(r"(?:evolved|progressed|transformed|evolution|progression)\b", text[m.start:], I):
        verb = re.search(r"\s*$", pre)
        subj_end = clause_start + verb.start()
        return _subject_before(doc, m, clause_start, subj_end)
    if re.match(r"\w+ed\b", text[m.start : m.end]) or text[m.start : m.end].lower() == "died":
        sm = _PATIENTS_BEFORE_VERB.search(pre)
        if sm:
            pct = sm.group("pct") or sm.group("pct2")
            return _Value(as_int(parse_number(sm.group("n"))), float(pct) if pct else None, _group_denominator(text, clause_start + sm.start()),
                          clause_start + sm.start(), m.end)
    verb = re.search(
        rf"\s(?P<verb>{OUTCOME_VERB})\s+(?:(?:a|an|the|their|his|her|sustained|durable|ongoing|stable|complete|major|partial|"
        rf"further|subsequent|new|second|2nd|first|1st|transient|late|early|confirmed|\w+ly)\s+){{0,3}}$",
        pre,
        I,
    )
    if not verb:
        verb = PROGRESSION_VERB.search(pre) and re.search(r"\s(?P<verb>\w+)\s+(?:\w+\s+){0,2}?(?:in|to|into)\s+(?:the\s+|an?\s+)?$", pre, I)
    if not verb:
        return None
    subj_end = clause_start + verb.start()
    return _subject_before(doc, m, clause_start, subj_end)


def _subject_before(doc: _Doc, m: Mention, clause_start: int, subj_end: int) -> _Value | None:
    text = doc.text
    # skip back over parenthetical groups attached to the subject: "2 patients (1 resistant ...) evolved"
    pos = subj_end
    while True:
        grp = next(((s, e) for s, e in doc.parens if e <= pos and not text[e:pos].strip()), None)
        if grp is None or re.fullmatch(r"\(\s*\d+(?:\.\d+)?\s*%\s*\)", text[grp[0]:grp[1]]):
            break
        pos = grp[0]
    subject_text = text[clause_start:pos]
    pct_only = re.search(r"(?<![\w.])(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?:of\s+[^,;:()%]{0,60}?)?\s*$", subject_text)
    if pct_only and not re.search(r"[<>≤≥=]\s*$", subject_text[: pct_only.start()]):
        start_abs = clause_start + pct_only.start()
        return _Value(None, float(pct_only.group("pct")), _group_denominator(text, start_abs), start_abs, m.end)
    sm = _SUBJECT.search(subject_text[-120:])
    if not sm:
        return None
    if sm.group("none") or re.search(r"\b(?:no|none)\s+(?:\w+\s+){0,3}$", subject_text, I):
        if re.search(r"\b(?:no|none)\b", subject_text[-60:], I) and not sm.group("n"):
            return _Value(count=0, start=m.start, end=m.end)
    n = sm.group("n")
    if not n:
        return None
    if re.search(r"[\d.]\s*$", subject_text[: len(subject_text) - len(sm.group(0))]):
        return None
    count = as_int(parse_number(n))
    if count is None:
        return None
    den = as_int(parse_number(sm.group("den"))) if sm.group("den") else None
    start_abs = clause_start + len(subject_text) - len(subject_text[-120:]) + sm.start()
    if den is None:
        den = _group_denominator(text, start_abs)
    pct = float(sm.group("pct")) if sm.group("pct") else None
    if sm.group("all_but"):
        return None
    start = clause_start + len(subject_text) - len(subject_text[-120:]) + sm.start()
    return _Value(count, pct, den, start, m.end)


_OF_GROUP = re.compile(
    rf"\b(?:of|among|in)\s+(?:the\s+|these\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}(?:\s+[\w'+\-]+){{0,5}}?\s*,\s*$", I
)


_FRONTED_GROUP = re.compile(
    rf"^\s*(?:Of|Among|In)\s+(?:the\s+|these\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}(?:\s+[\w'+\-]+){{0,6}}?\s*,", I
)


def _group_denominator(text: str, subject_start: int) -> int | None:
    """'Of the 60 evaluable patients, 45 ...': the group a count is out of, right before the subject
    or fronted at the start of its sentence ('Among 267 patients with CP, 56% had MCyR, 46% had CCyR')."""
    m = _OF_GROUP.search(text[max(0, subject_start - 100) : subject_start])
    if m is None:
        sent_start = max(text.rfind(". ", 0, subject_start), text.rfind("\n", 0, subject_start)) + 1
        m = _FRONTED_GROUP.match(text[sent_start:subject_start])
    return as_int(parse_number(m.group("n"))) if m else None


def _progression_mentions(doc: _Doc) -> list[Mention]:
    """'evolved in blastic phase', 'progression to BC' -> progression-to-phase outcome mentions."""
    out = []
    for m in doc.mentions:
        if m.kind != "phase":
            continue
        pre = doc.text[max(0, m.start - 45) : m.start]
        pv = PROGRESSION_VERB.search(pre)
        if not pv:
            # "Blast crisis developed in 126 patients"
            if m.term in ("AcceleratedPhase", "BlastPhase") and re.match(r"\s+(?:developed|occurred|supervened|ensued)\b", doc.text[m.end : m.end + 20], I):
                target = "ProgressionToAcceleratedPhase" if m.term == "AcceleratedPhase" else "ProgressionToBlastPhase"
                out.append(Mention(target, "outcome", m.start, m.end))
            continue
        target = {"AcceleratedPhase": "ProgressionToAcceleratedPhase", "BlastPhase": "ProgressionToBlastPhase"}.get(m.term)
        if target is None:
            for anc in doc.vocab.terms[m.term].ancestors:
                target = {"BlastPhase": "ProgressionToBlastPhase"}.get(anc) or target
        end = m.end
        # "progressed to accelerated or blast phase": progression, phase not singled out
        phases = [p for p in doc.mentions if p.kind == "phase" and p.start >= m.end]
        while phases and re.fullmatch(r"\s*(?:,|or|and|/|,\s*or)\s*(?:the\s+)?", doc.text[end : phases[0].start], I):
            if phases[0].term != m.term:
                target = "Progression"
            end = phases[0].end
            phases = phases[1:]
        if target and target in doc.vocab.terms:
            out.append(Mention(target, "outcome", m.start - (len(pre) - pv.start()), end))
    return out


_PATIENT_NOUN_END = re.compile(rf"{PATIENT_NOUN}\s*$", I)


_NEW_SUBJECT = re.compile(rf"(?<![\w.]){NUM}\s+(?:{ADJ}){{0,3}}{PATIENT_NOUN}\s+(?!with\b|treated\b|receiving\b|given\b|on\b|in\s+the\b)", I)


_TIME_POINT = re.compile(rf"\bat\s+(?P<n>{NUM})\s+(?P<u>months?|years?)|(?P<n2>\d+)[- ](?P<u2>month|year)\b", I)


def _outcomes(doc: _Doc, start_at: int) -> list[r.Outcome]:
    text = doc.text
    mentions = [m for m in doc.mentions if m.kind == "outcome"] + _progression_mentions(doc)
    mentions = _resolve_overlaps(mentions)
    mentions = [_qualified(doc, m) for m in mentions if m.start >= start_at]
    # mentions inside a subject's parenthetical ("2 patients (1 resistant and 1 ...) evolved") are not outcomes
    subject_parens = []
    for s, e in doc.parens:
        if _PATIENT_NOUN_END.search(text[max(0, s - 15) : s]):
            subject_parens.append((s, e))
    results: list[r.Outcome] = []
    by_mention: dict[int, list[int]] = {}
    i = 0
    while i < len(mentions):
        m = mentions[i]
        if _in_any(m.start, subject_parens):
            i += 1
            continue
        sent = doc.sentence_of(m.start)
        cs, ce = _clause_bounds(text, sent, m.start)
        # baseline traits, not outcomes: "resistant to imatinib", "resistant (n=13) or intolerant"
        after = text[m.end : m.end + 40]
        if m.term in ("NoResponse",) and re.match(r"^\s*(?:\([^()]*\)\s*)?(?:to\b|or\s+intolerant|and\s+intolerant|/)", after, I):
            i += 1
            continue
        # coordinated group: "survival and relapse-free survival at 4 years were ..."
        group = [m]
        j = i + 1
        while j < len(mentions) and mentions[j].start < ce:
            gap = text[group[-1].end : mentions[j].start]
            if re.fullmatch(r"\s*(?:\([A-Za-z]{2,6}\)\s*)?(?:,|and|or|,\s*and)\s*(?:the\s+)?", gap, I):
                group.append(mentions[j])
                j += 1
            else:
                break
        nxt = mentions[j].start if j < len(mentions) and mentions[j].start < ce else ce
        # stop at the next thing counted: another outcome, an adverse event, a phase, a new subject
        for other in doc.mentions:
            if group[-1].end < other.start < nxt and other.kind in ("adverse_event", "phase", "outcome"):
                nxt = other.start
                break
        new_subject = _NEW_SUBJECT.search(text, group[-1].end, nxt)
        if new_subject and not re.search(r"\b(?:in|of|by|for|among|and)\s*$", text[max(0, new_subject.start() - 8) : new_subject.start()], I):
            nxt = new_subject.start()
        if re.search(r"\b(?:difference|differences|increase|reduction|improvement|higher|lower|odds|hazard)\b[^.;]*$", text[cs : m.start], I) and not re.search(r"\bnot\s+statistically", text[cs:nxt], I):
            i = j if len(group) > 1 else i + 1
            continue
        negated = False
        subj = _outcome_subject(doc, m, cs) if len(group) == 1 else None
        if subj is None and len(group) == 1 and doc.negated(m) and re.search(
            r"\b(?:no|none)\s+(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:patients?|cases?|one)\b", text[cs : m.start], I
        ):
            subj = _Value(count=0, start=m.start, end=m.end)
            negated = True
        if subj is not None and m.term == "Death" and "TransplantRelatedMortality" in doc.vocab.terms and re.match(
            r"\s+(?:of|from|due\s+to)\s+(?:\w+\s+)?(?:transplant|treatment|procedure)[- ]related", text[m.end : m.end + 50], I
        ):
            m = Mention("TransplantRelatedMortality", "outcome", m.start, m.end)
        if subj is not None:
            if re.search(r"\b(?:lost|loss\s+of|losing|lose)\b", text[subj.start : m.start], I) and "LossOfResponse" in doc.vocab.terms:
                m = Mention("LossOfResponse", "outcome", m.start, m.end)
            out = r.Outcome(m.term, r.Span(min(subj.start, m.start), m.end), subj.count, subj.percent, subj.denominator, negated=negated or subj.count == 0)
            results.append(out)
            by_mention[m.start] = [len(results) - 1]
            i += 1
            continue
        if doc.negated(m):
            i += 1
            continue
        probability = bool(re.search(r"probabilit|likelihood|proportion|actuarial|estimated|rates?\b|cumulative", text[sent[0] : sent[1]], I))
        vals = _values_after(doc, group[-1].end, nxt, probability)
        # a figure must come soon after the mention, not at the far end of the clause
        if vals and vals[0].start - group[-1].end > 120:
            vals = []
        if vals:
            for k, v in enumerate(vals):
                target = group[k % len(group)]
                results.append(r.Outcome(target.term, r.Span(target.start, v.end), v.count, v.percent, v.denominator))
                by_mention.setdefault(target.start, []).append(len(results) - 1)
        i = j if len(group) > 1 else i + 1
    results.extend(_distributed_parts(doc, mentions, results))
    # aggregates: "Three patients achieved a complete response (2 CCR ... and 1 molecular complete response)"
    for k, o in enumerate(results):
        paren = next(((s, e) for s, e in doc.parens if s >= o.span.end and not text[o.span.end : s].strip()), None)
        if o.count is None:
            continue
        if paren is None:
            # "... a cytogenetic response in 12 patients: complete in 4, partial in 5 and minor in 3"
            s_end = doc.sentence_of(o.span.start)[1]
            paren = (o.span.end, s_end) if re.match(r"\s*[:;,(]", text[o.span.end : o.span.end + 3]) else None
            if paren is None:
                continue
        parts = [idx for idx, p in enumerate(results) if idx != k and paren[0] <= p.span.start < paren[1] and p.count is not None]
        if len(parts) >= 2 and sum(results[p].count for p in parts) == o.count:
            o.aggregate_of = parts
    # time points: "at 12 months", "4-year"
    for o in results:
        s, e = doc.sentence_of(o.span.start)
        cs, ce = _clause_bounds(text, (s, e), o.span.start)
        window = text[cs:ce]
        tm = _TIME_POINT.search(window)
        if tm:
            n = parse_number(tm.group("n") or tm.group("n2"))
            unit = (tm.group("u") or tm.group("u2")).lower()
            if n is not None:
                o.time_months = n * 12 if unit.startswith("year") else n
    # PCR and other test results stated as bare 'positive' / 'negative'
    results.extend(_test_results(doc, start_at))
    results.extend(_response_phrases(doc, start_at))
    return _dedupe_outcomes(results)


def _qualified(doc: _Doc, m: Mention) -> Mention:
    """'partial CR (Ph+ < 33%)', 'partial CCyR': a partial cytogenetic response."""
    if m.term in ("CompleteRemission", "CompleteCytogeneticResponse") and re.search(r"\bpartial\s+$", doc.text[max(0, m.start - 10) : m.start], I):
        s, e = doc.sentence_of(m.start)
        if m.term == "CompleteCytogeneticResponse" or re.search(r"\bPh\b|Ph\+|cytogenetic|metaphase", doc.text[s:e], I):
            return Mention("PartialCytogeneticResponse", "outcome", m.start - len("partial "), m.end)
    return m


_ALL_BUT = re.compile(
    rf"\ball\s+but\s+(?P<n>{NUM})\s+(?:{ADJ}){{0,2}}?(?:{PATIENT_NOUN}\s+)?(?:\w+\s+){{0,2}}?"
    r"(?:responded|achieved|attained|reached|reported\s+(?:a\s+)?(?:disappearance|resolution|response|remission|clearance)|"
    r"had\s+(?:a\s+)?(?:response|remission|disappearance|resolution))",
    I,
)
_LASTING = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:[\w'+\-]+\s+)?(?:remissions|responses)\s+(?:have\s+|had\s+)?"
    r"(?:lasted|persisted|been\s+maintained|been\s+sustained)\b[^.;()]*(?:\(\s*(?P<m>\d+)\s*(?:>|≥|over|more\s+than)\s*\d+(?:\.\d+)?\s*(?:years?|months?)\s*\))?",
    I,
)


def _response_phrases(doc: _Doc, start_at: int) -> list[r.Outcome]:
    """'All but six patients responded' (6 without response); '36 remissions have lasted 2-11 years (15 > 4 years)'."""
    text = doc.text
    out = []
    for m in _ALL_BUT.finditer(text, start_at):
        n = as_int(parse_number(m.group("n")))
        if n is not None and "NoResponse" in doc.vocab.terms:
            out.append(r.Outcome("NoResponse", r.Span(m.start(), m.end()), n))
    if "DurableRemission" in doc.vocab.terms:
        for m in _LASTING.finditer(text, start_at):
            n = as_int(parse_number(m.group("n")))
            if n is not None:
                out.append(r.Outcome("DurableRemission", r.Span(m.start(), m.end()), n))
            if m.group("m"):
                out.append(r.Outcome("DurableRemission", r.Span(m.start("m"), m.end()), int(m.group("m"))))
    return out


_PARTS = {
    "CytogeneticResponse": {"complete": "CompleteCytogeneticResponse", "partial": "PartialCytogeneticResponse",
                            "major": "MajorCytogeneticResponse", "minor": "MinorCytogeneticResponse",
                            "minimal": "MinimalCytogeneticResponse"},
    "MajorCytogeneticResponse": {"complete": "CompleteCytogeneticResponse", "partial": "PartialCytogeneticResponse"},
    "HematologicResponse": {"complete": "CompleteHematologicResponse", "major": "MajorHematologicResponse"},
    "MolecularResponse": {"major": "MajorMolecularResponse", "complete": "CompleteMolecularResponse",
                          "deep": "DeepMolecularResponse"},
}
_PART_AFTER = re.compile(
    rf"(?P<mod>complete|partial|major|minor|minimal|deep)\s*(?:responses?|remissions?)?\s*(?:in|:|=|,)?\s*(?P<n>{NUM})"
    rf"(?!\s*%)(?:\s+{PATIENT_NOUN})?(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?",
    I,
)
_PART_BEFORE = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})(?:\s*\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s+(?P<mod>complete|partial|major|minor|minimal|deep)\b"
    r"(?!\s+(?:cytogenetic|molecular|hematologic|haematologic|hematological|response|remission))",
    I,
)


def _distributed_parts(doc: _Doc, mentions: list[Mention], results: list[r.Outcome]) -> list[r.Outcome]:
    """'cytogenetic responses in 12 patients (complete in 4, partial in 5, minor in 3)' or '(4 complete, 5 partial)'."""
    text = doc.text
    out = []
    taken = [(o.span.start, o.span.end) for o in results]
    for m in mentions:
        table = _PARTS.get(m.term)
        if not table:
            continue
        _s, e = doc.sentence_of(m.start)
        window_end = min(e, m.end + 220)
        nxt = next((o.start for o in mentions if m.end < o.start < window_end and o.term not in table.values()), window_end)
        for pattern in (_PART_AFTER, _PART_BEFORE):
            items = []
            for pm in pattern.finditer(text, m.end, nxt):
                local = table.get(pm.group("mod").lower())
                n = as_int(parse_number(pm.group("n")))
                if local is None or local not in doc.vocab.terms or n is None:
                    continue
                if any(a < pm.end() and pm.start() < b for a, b in taken):
                    continue
                items.append(r.Outcome(local, r.Span(pm.start(), pm.end()), n, float(pm.group("p")) if pm.group("p") else None))
            if len(items) >= (1 if pattern is _PART_AFTER else 2):
                out.extend(items)
                taken.extend((o.span.start, o.span.end) for o in items)
                break
    return out


def _dedupe_outcomes(results: list[r.Outcome]) -> list[r.Outcome]:
    seen, out, remap = set(), [], {}
    with_den = {(o.term, o.count, o.percent) for o in results if o.denominator is not None}
    for idx, o in enumerate(results):
        key = (o.term, o.count, o.percent, o.denominator, o.time_months)
        if key in seen or (o.denominator is None and o.count is not None and (o.term, o.count, o.percent) in with_den):
            continue
        seen.add(key)
        remap[idx] = len(out)
        out.append(o)
    for o in out:
        o.aggregate_of = [remap[p] for p in o.aggregate_of if p in remap]
    return out


_RESULT_WORD = re.compile(
    rf"(?:(?P<all>\ball\s+(?:(?P<alln>{NUM})\s+)?)|(?P<n>{NUM})\s+)(?:(?:were|was|are|is|remained|became|turned)\s+)?(?:all\s+)?"
    r"(?:(?P<test>PCR|RT-PCR|FISH|BCR-ABL1?)[- ])?(?P<res>positive|negative)\b",
    I,
)


_TESTED_GROUP = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:of\s+(?:these|the|those)\s+)?(?:{ADJ}{{0,3}}){PATIENT_NOUN}", I)


def _test_results(doc: _Doc, start_at: int) -> list[r.Outcome]:
    """'six were PCR positive', '(two positive and seven negative)', 'were all PCR negative', in a PCR abstract."""
    text = doc.text
    if not re.search(r"\bPCR\b|polymerase chain reaction", text):
        return []
    out = []
    last_group: int | None = None
    for sent in doc.sents:
        s, e = sent
        if e <= start_at:
            continue
        # the group of patients this sentence is about
        groups = list(_TESTED_GROUP.finditer(text[s:e]))
        for m in _RESULT_WORD.finditer(text, s, e):
            pre = text[max(s, m.start() - 25) : m.start()]
            if re.search(r"(?:Ph|Ph1|Ph')\s*$|[+-]\s*$", pre):
                continue
            term = "PCRPositive" if m.group("res").lower() == "positive" else "PCRNegative"
            own = [g for g in groups if s + g.end() <= m.start()]
            group_n = as_int(parse_number(own[-1].group("n"))) if own else last_group
            if m.group("all"):
                n = as_int(parse_number(m.group("alln"))) if m.group("alln") else group_n
                if n is None:
                    continue
                count, den = n, n
            else:
                count = as_int(parse_number(m.group("n")))
                if count is None:
                    continue
                same_clause = _clause_bounds(text, sent, m.start())
                den = group_n if (own and s + own[-1].start() >= same_clause[0]) or not own else None
                if den is not None and count > den:
                    den = None
            out.append(r.Outcome(term, r.Span(m.start(), m.end()), count, None, den))
        if groups:
            last_group = as_int(parse_number(groups[-1].group("n")))
    return out


# ------------------------------------------------------------------ adverse events
_AE_COUNT_BEFORE = re.compile(rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN}\b[^.;]*$", I)


def _adverse_events(doc: _Doc) -> list[r.AdverseEvent]:
    text = doc.text
    out: list[r.AdverseEvent] = []
    seen = set()
    for m in doc.mentions:
        if m.kind != "adverse_event" or doc.negated(m):
            continue
        s, _ = doc.sentence_of(m.start)
        before = text[max(s, m.start - 40) : m.start]
        grades: list[int | None] = [None]
        g = re.search(r"\bgrades?\s*(?P<a>[1-5]|I{1,3}|IV|V)(?:\s*(?:-|–|to|/|or|and|,)\s*(?P<b>[1-5]|I{1,3}|IV|V))?\s*(?:\w+\s+){0,2}$", before, I)
        g_after = re.match(r"^\s*\(?\s*(?:of\s+)?grades?\s*(?P<a>[1-5]|IV|V|I{1,3})(?![\w])(?:\s*(?:-|–|to|/|or|and)\s*(?P<b>[1-5]|IV|V|I{1,3})(?![\w]))?", text[m.end : m.end + 24], I)
        g = g or g_after
        if not g:
            cs0, _ = _clause_bounds(text, doc.sentence_of(m.start), m.start)
            lead = re.search(
                r"\bgrades?\s*(?P<a>[1-5]|I{1,3}|IV|V)(?:\s*(?:-|–|to|/|or|and|,)\s*(?P<b>[1-5]|I{1,3}|IV|V))?\s+"
                r"(?:\w+\s+){0,2}?(?:adverse\s+events|AEs|toxicit(?:y|ies)|side\s+effects|events|abnormalities)\s*"
                r"(?:included|were|was|:|comprised|consisted\s+of|such\s+as|\()",
                text[cs0 : m.start], I)
            g = lead
        if g:
            roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
            a = int(g.group("a")) if g.group("a").isdigit() else roman[g.group("a").upper()]
            b = g.group("b")
            b = (int(b) if b.isdigit() else roman[b.upper()]) if b else a
            grades = list(range(min(a, b), max(a, b) + 1)) if abs(b - a) <= 4 else [a, b]
        count = None
        cs, _ = _clause_bounds(text, doc.sentence_of(m.start), m.start)
        cm = _AE_COUNT_BEFORE.search(text[cs : m.start])
        if cm:
            count = as_int(parse_number(cm.group("n")))
        for grade in grades:
            key = (m.term, grade)
            if key in seen:
                continue
            seen.add(key)
            out.append(r.AdverseEvent(m.term, r.Span(m.start, m.end), grade, count))
    # an event with a grade makes the same event without a grade redundant
    graded = {a.term for a in out if a.grade is not None}
    return [a for a in out if a.grade is not None or a.term not in graded]


# ------------------------------------------------------------------ reasons, notes, study
_REASON = re.compile(r"\b(?P<kind>resistant|resistance|intolerant|intolerance|refractory)\b(?:\s*\(\s*n\s*=\s*(?P<n>\d+)\s*\))?", I)


def _reasons(doc: _Doc) -> list[r.TreatmentReason]:
    text = doc.text
    out = []
    for m in _REASON.finditer(text) if doc.has("resist", "intoler", "refractory") else ():
        window_end = min(len(text), m.end() + 60)
        drug = next((d for d in doc.mentions if d.kind == "drug" and m.end() <= d.start < window_end
                     and re.search(r"\bto\s+(?:\w+\s+){0,2}$", text[m.end() : d.start], I)), None)
        if drug is None:
            continue
        kind = "intolerance" if m.group("kind").lower().startswith("intoler") else "resistance"
        out.append(r.TreatmentReason(kind, drug.term, r.Span(m.start(), drug.end), int(m.group("n")) if m.group("n") else None))
    uniq = {}
    for x in out:
        uniq.setdefault((x.kind, x.therapy, x.count), x)
    return list(uniq.values())


_RISK_GROUP = re.compile(r"\b(?P<g>low|intermediate|high)[- ]risk\b", I)


def _risks(doc: _Doc) -> list[r.RiskMeasurement]:
    """'16 (79%) were classified as high risk according to the EUTOS score', 'Sokal high risk in 12 (20%)'."""
    text = doc.text
    out = []
    for sent in doc.sents:
        s, e = sent
        scores = [m for m in doc.mentions_in(s, e, "risk_score")]
        if not scores:
            continue
        for g in _RISK_GROUP.finditer(text, s, e):
            score = min(scores, key=lambda m: abs(m.start - g.start()))
            before = text[max(s, g.start() - 70) : g.start()]
            after = text[g.end() : min(e, g.end() + 40)]
            count = pct = None
            bm = re.search(rf"(?<![\w.])(?P<n>{NUM})\s*(?:{PATIENT_NOUN}\s*)?(?:\(\s*(?P<p>\d+(?:\.\d+)?)\s*%\s*\))?\s*"
                           r"(?:were|was|had|with|being|are)?\s*(?:classified\s+as\s+|considered\s+|at\s+)?(?:a\s+)?"
                           r"(?:(?:Sokal|Hasford|EUTOS|ELTS|Euro)\s+)?$", before, I)
            am = re.match(rf"\s*(?:(?:Sokal|Hasford|EUTOS|ELTS)\s+)?(?:score\s+)?(?:in\s+|:\s*|\(\s*)(?P<n>{NUM})(?:\s*{PATIENT_NOUN})?\s*(?:[,(]\s*(?P<p>\d+(?:\.\d+)?)\s*%)?", after, I)
            m = bm or am
            if m:
                count = as_int(parse_number(m.group("n")))
                pct = float(m.group("p")) if m.group("p") else None
            if count is None and pct is None:
                pm = re.search(r"(?P<p>\d+(?:\.\d+)?)\s*%\s*(?:of\s+\w+\s+)?(?:were|was|had)?\s*$", before, I)
                pct = float(pm.group("p")) if pm else None
            if count is None and pct is None:
                continue
            start = min(g.start(), score.start, max(s, g.start() - 70) + bm.start() if bm else g.start())
            end = max(g.end(), score.end, g.end() + am.end() if (am and not bm) else g.end())
            out.append(r.RiskMeasurement(score.term, g.group("g").lower() + "Risk", r.Span(start, end), count, pct))
    return out


def _quality_notes(doc: _Doc, outcomes: list[r.Outcome], cohorts: list[r.Cohort] | None = None,
                   risks: list[r.RiskMeasurement] | None = None) -> list[r.QualityNote]:
    text = doc.text
    notes = []
    # "16 (79%)" with no stated denominator: it should match one of the cohorts the abstract names
    sizes = sorted({n for c in (cohorts or []) for n in (c.size, c.evaluable) if n})
    for item in [*(o for o in outcomes if o.denominator is None), *(risks or [])]:
        if item.count is None or item.percent is None or not sizes or item.count == 0:
            continue
        if not any(item.count <= n and abs(100 * item.count / n - item.percent) <= 1.0 for n in sizes):
            quote = text[item.span.start : item.span.end]
            notes.append(r.QualityNote(
                f"percent {item.percent:g}% does not match {item.count} of any stated cohort size "
                f"({', '.join(map(str, sizes))}): {quote!r}", item.span))
    for m in () if not doc.has("range") else re.finditer(r"\brange[:\s,]*(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)", text, I):
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if lo > hi:
            notes.append(r.QualityNote(f"range with its minimum above its maximum: {m.group(0)!r}", r.Span(m.start(), m.end())))
    for o in outcomes:
        if o.count is not None and o.denominator and o.percent is not None:
            expected = 100 * o.count / o.denominator
            if abs(expected - o.percent) > 1.0:
                notes.append(r.QualityNote(
                    f"percent {o.percent:g}% does not match {o.count} of {o.denominator} ({expected:.1f}%)", o.span))
        if o.count is not None and o.denominator is not None and o.count > o.denominator:
            notes.append(r.QualityNote(f"count {o.count} is above its denominator {o.denominator}", o.span))
    return notes


def _condition(doc: _Doc) -> str | None:
    counts: dict[str, int] = {}
    for m in doc.mentions:
        if m.kind in ("disease", "phase"):
            key = "ChronicMyeloidLeukemia" if m.kind == "phase" or m.term == "ChronicMyeloidLeukemia" else m.term
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        # no disease named: BCR-ABL1 / Philadelphia-positive leukemia treated with a BCR-ABL1 drug is CML evidence
        if re.search(r"BCR[-:]*ABL|\bPh['1]?\s*\+|Philadelphia", doc.text) and any(
            m.kind == "drug" and doc.vocab.terms[m.term].is_a("TyrosineKinaseInhibitor") for m in doc.mentions
        ):
            return "ChronicMyeloidLeukemia"
        return None
    return max(sorted(counts), key=lambda k: (counts[k], k == "ChronicMyeloidLeukemia"))


def _design(doc: _Doc, cohorts: list[r.Cohort], patients: list[r.Patient], treatment: bool) -> str:
    text = doc.text
    if doc.has("case", "we") and re.search(r"\bcase\s+reports?\b|\bwe\s+(?:report|describe|present)\s+(?:a|an|the\s+case|one)\b", text, I) and (
        not cohorts or (cohorts[0].size or 0) <= 1
    ):
        return "CaseReport"
    if treatment and doc.has("retrospective", "observational", "registry") and re.search(r"\bretrospective\b|\bobservational\b|\bregistry\b", text, I):
        return "CohortStudy"
    if treatment and doc.has("random") and re.search(r"\brandomi[sz]ed\b|\brandomly\s+assigned\b", text, I):
        return "RandomizedControlledTrial"
    if re.search(r"\bphase\s+(?:I|II|III|IV|1|2|3|4)(?:/(?:I|II|III|1|2|3))?\b(?!\s*\))|\btrials?\b|\bprospective\b|\bmulticent(?:er|re)\b|\bopen-label\b", text, I) and treatment:
        return "ClinicalTrial"
    if (doc.has("case") and re.search(r"\bcase\s+series\b|\bcases\b", text, I)) or (cohorts and (cohorts[0].size or 0) <= 10 and treatment):
        return "CaseSeries" if cohorts or len(patients) > 1 else "CaseReport"
    if treatment:
        return "CohortStudy"
    return "LaboratoryStudy" if not cohorts else "ObservationalStudy"


# ------------------------------------------------------------------ the stage
def extract(identifier: str, text: str, vocab: Vocabulary | None = None) -> r.Extraction:
    """Read one abstract and return its facts as typed records.

    >>> x = extract("demo", "We treated 12 patients in chronic phase with imatinib 400 mg/day. "
    ...             "Ten patients achieved a complete cytogenetic response (CCyR).")
    >>> x.cohorts[0].size, [t.term for t in x.treatments], [(o.term, o.count) for o in x.outcomes]
    (12, ['Imatinib'], [('CompleteCytogeneticResponse', 10)])
    """
    vocab = vocab or load_vocabulary()
    doc = _Doc(text, vocab)
    cohorts = _cohorts(doc)
    _demographics(doc, cohorts)
    patients = _patients(doc)
    phases = _phases(doc)
    treatments = _treatments(doc)
    start_at = min((c.span.start for c in cohorts if c.role == "population"), default=0)
    start_at = doc.sentence_of(start_at)[0] if cohorts else 0
    outcomes = _outcomes(doc, start_at)
    adverse = _adverse_events(doc)
    risks = _risks(doc)
    condition = _condition(doc)
    has_intervention = any(t.role == "intervention" for t in treatments)
    is_cml_treatment = (
        condition == "ChronicMyeloidLeukemia"
        and has_intervention
        and bool(cohorts or outcomes or adverse or patients or re.search(r"\bcase\b", text, I))
    )
    sents = doc.sents
    title = text[sents[0][0] : sents[0][1]].strip() if sents else ""
    return r.Extraction(
        identifier=identifier,
        title=title[:500],
        design=_design(doc, cohorts, patients, has_intervention),
        condition=condition,
        is_cml_treatment=is_cml_treatment,
        cohorts=cohorts,
        phases=phases,
        treatments=treatments,
        outcomes=outcomes,
        adverse_events=adverse,
        patients=patients,
        reasons=_reasons(doc),
        risks=risks,
        notes=_quality_notes(doc, outcomes, cohorts, risks),
    )
