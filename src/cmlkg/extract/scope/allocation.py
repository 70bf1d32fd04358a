"""Arms read from the allocation of a randomised design: 'randomized 2:1 to A 50 mg twice daily or B 45 mg
once daily' (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import stated_doses
from cmlkg.extract.scope.arms import ADDED_TO_THE_ONE_BEFORE
from cmlkg.textutil import NUM, as_int, parse_number

# the allocation of a design sentence: "randomized (1:1) to (receive) X ... or Y ...", "assigned to either X
# or Y"
_ALLOCATION = re.compile(
    r"\b(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+(?:(?!or\b|to\b)[\w'+\-,()]+\s+){0,12}?"
    r"(?:\(?\d:\d\)?\s+|in\s+a\s+\d:\d\s+ratio\s+)?"
    r"(?:to\s+(?:receive\s+|be\s+treated\s+with\s+|either\s+|one\s+of\s+)?|between\s+)",
    re.I,
)

_OPTION_SPLIT = re.compile(r"\s*(?:,\s*or|\bor\b|\bversus\b|\bvs\.?|\bv\.?(?=\s))\s*", re.I)

_SIZES_RESPECTIVELY = re.compile(
    rf"(?<![\w.])(?P<nums>{NUM}(?:\s*(?:,|and|,\s*and)\s*{NUM})+)\s+(?:(?:\w+\s+){{0,2}}?(?:patients|pts|subjects|cases))?"
    r"[^.;]{0,40}?\brespectively\b",
    re.I,
)


def _options(doc: Doc, start: int, stop: int, given: set[str]) -> list[tuple[int, int]]:
    """The options of an allocation, split at 'or' / 'versus' outside parentheses, and at commas too
    when every part then names a drug or a dose ('A (n = 164), B (n = 414), or C (n = 95)')."""
    text = doc.text

    def split(pattern: re.Pattern) -> list[tuple[int, int]]:
        parts, pos = [], start
        for sm in pattern.finditer(text, start, stop):
            if any(ps < sm.start() < pe for ps, pe in doc.parens):
                continue
            parts.append((pos, sm.start()))
            pos = sm.end()
        parts.append((pos, stop))
        return [(s, e) for s, e in parts if text[s:e].strip()]

    def names_treatment(s: int, e: int) -> bool:
        return any(
            mm.kind in ("drug", "procedure") and mm.term in given for mm in doc.mentions_in(s, e)
        ) or bool(stated_doses(doc, s, e))

    with_commas = split(_OPTION_SPLIT_COMMA)
    # 'Of 267 patients randomized to A (n = 90), B (n = 89) or C (n = 88), 240 completed ...': the main
    # clause after a fronted allocation is none of its options
    while with_commas and not names_treatment(*with_commas[-1]):
        with_commas.pop()
    if len(with_commas) > 2 and all(names_treatment(s, e) for s, e in with_commas):
        return with_commas
    return split(_OPTION_SPLIT)


_OPTION_SPLIT_COMMA = re.compile(
    r"\s*(?:,\s*(?:or\s+|and\s+)?|\bor\b|\bversus\b|\bvs\.?|\bv\.?(?=\s))\s*", re.I
)


def design_arms(doc: Doc, cohorts: list[r.Cohort], treatments: list[r.Treatment]) -> list[r.Cohort]:
    """Arms read from the allocation of a randomised design ('randomized 2:1 to A 50 mg twice daily or B
    45 mg once daily; 211 and 105 patients, respectively, were treated'): one arm per option, with
    what it received and, where the text gives them, its size ('(n = a)', 'a and b patients,
    respectively'). Options that do not differ by drug or dose make no arms."""
    text = doc.text
    given = {t.term for t in treatments if t.role == "intervention"}
    for s, e in doc.sents:
        m = _ALLOCATION.search(text, s, e)
        if not m or doc.outside_study(m.start()):
            continue
        stop = next(
            (
                k
                for k in range(m.end(), e)
                if text[k] == ";" and not any(ps < k < pe for ps, pe in doc.parens)
            ),
            e,
        )
        parts = _options(doc, m.end(), stop, given)
        if len(parts) < 2:
            continue
        options = _with_shared_head(
            doc, s, _joined_unsized([_option(doc, s, ps, pe, given) for ps, pe in parts]), given
        )
        options = _added_to_the_one_before(doc, options)
        if any(not o[2] for o in options):
            continue
        signature = {(tuple(sorted(o[2])), tuple(sorted((d[1], d[2]) for d in o[3]))) for o in options}
        if len(signature) < len(options):
            continue
        sizes = [o[4] for o in options]
        if any(x is None for x in sizes):
            sizes = _sizes_respectively(doc, stop, e, len(options)) or sizes
        if any(x is None for x in sizes):
            sizes = _sizes_named_later(doc, options, e, sizes)
        if any(x is None for x in sizes):
            sizes = _sizes_in_a_parenthesis(doc, options, e) or sizes
        if all(x is None for x in sizes) and (each := _PER_ARM.search(text, s, e)):
            sizes = [int(each.group(1))] * len(options)  # '276 were randomized (138 per arm) to A or B'
        return [_option_arm(doc, option, size) for option, size in zip(options, sizes, strict=True)]
    return []


# '(n = 196)', '(51 patients)', '(20 mg/m2 daily for 10 days; 360 patients)'
_OPTION_SIZE = re.compile(r"[(\[,;]\s*n\s*=\s*(\d+)|[(;,]\s*(\d+)\s+(?:patients|pts|subjects)\s*\)", re.I)
_PER_ARM = re.compile(
    r"(?<![\w.])(\d+)\s+(?:patients\s+|pts\s+)?(?:per|in\s+each|each)\s+(?:arm|group)\b", re.I
)
_NOT_GIVEN = re.compile(r"\b(?:no|without)\s+$", re.I)
_EITHER = re.compile(r"\beither\b", re.I)


def _with_shared_head(doc: Doc, s: int, options: list[_Option], given: set[str]) -> list[_Option]:
    """'to interferon alfa plus either cytarabine (...) or no cytarabine (...)': what the first option
    names before 'either' is given in every option."""
    ps, pe = options[0][0], options[0][1]
    either = next(
        (m for m in _EITHER.finditer(doc.text, ps, pe) if not any(a < m.start() < b for a, b in doc.parens)),
        None,
    )
    if either is None or len(options) < 2:
        return options
    head = _option(doc, s, ps, either.start(), given)
    return [options[0]] + [
        (o[0], o[1], list(dict.fromkeys([*head[2], *o[2]])), [*head[3], *o[3]], o[4]) for o in options[1:]
    ]


_Option = tuple[int, int, list[str], list[tuple[str, float, str, r.Span]], int | None]


def _added_to_the_one_before(doc: Doc, options: list[_Option]) -> list[_Option]:
    """'to interferon alfa alone (n = 179) or combined with cytarabine (n = 181)': an option that opens by
    adding to what it leaves unnamed gets the drugs of the option before it too."""
    out = options[:1]
    for o in options[1:]:
        if o[2] and ADDED_TO_THE_ONE_BEFORE.match(doc.text, o[0], o[1]):
            o = (o[0], o[1], list(dict.fromkeys([*out[-1][2], *o[2]])), o[3], o[4])
        out.append(o)
    return out


def _option(doc: Doc, s: int, ps: int, pe: int, given: set[str]) -> _Option:
    """An option of an allocation: (start, end, its drugs, its doses, its size '(n = a)')."""
    terms: list[str] = []
    for mm in doc.mentions_in(ps, pe):
        # ('or no cytarabine (361 patients)': an option without it)
        if _NOT_GIVEN.search(doc.text, max(ps, mm.start - 10), mm.start):
            continue
        if mm.kind in ("drug", "procedure") and mm.term in given and mm.term not in terms:
            terms.append(mm.term)
    doses = []
    for dose in stated_doses(doc, ps, pe):
        near = [mm for mm in doc.mentions_in(s, dose.start) if mm.kind == "drug" and mm.term in given]
        term = near[-1].term if near else None
        if term is not None and not dose.radiation:
            doses += [(term, v, u, r.Span(dose.start, dose.end)) for v, u in dose.values]
            if term not in terms:
                terms.append(term)
    nm = _OPTION_SIZE.search(doc.text[ps:pe])
    size = int(nm.group(1) or nm.group(2)) if nm else None
    return (ps, pe, terms, doses, size)


def _joined_unsized(options: list[_Option]) -> list[_Option]:
    """'to interferon (n = 218) or chemotherapy with busulfan or hydroxyurea (n = 104)': where options
    carry sizes, one without a size is part of the sized option after it (one arm of either drug)."""
    if all(o[4] is None for o in options) or all(o[4] is not None for o in options):
        return options
    out: list[_Option] = []
    pending: list[_Option] = []
    for o in options:
        if o[4] is None:
            pending.append(o)
            continue
        group = [*pending, o]
        terms = [t for x in group for t in x[2]]
        out.append((group[0][0], o[1], list(dict.fromkeys(terms)), [d for x in group for d in x[3]], o[4]))
        pending = []
    return out + pending


def _sizes_respectively(doc: Doc, stop: int, e: int, n: int) -> list[int | None] | None:
    """'211 and 105 patients, respectively, were treated': the sizes of ``n`` options, in order."""
    text = doc.text
    nxt = doc.sentence_of(e)[1] if e < len(text) else e
    rm = _SIZES_RESPECTIVELY.search(text, stop, nxt)
    if not rm:
        return None
    nums = [as_int(parse_number(x)) for x in re.split(r"\s*(?:,\s*and|,|and)\s*", rm.group("nums"))]
    return nums if len(nums) == n and all(nums) else None


# 'Of the 259 pts randomized to dasatinib, ...', '... vs 66% of the 260 pts on imatinib': an arm's size
# stated with its drug after the design
# (the whole group: randomised to the drug, or 'the N patients on' it; not 'in 5 pts on dasatinib')
_GROUP_OF_DRUG = re.compile(
    rf"(?:\b(?:of|among|in|for)\s+the\s+|(?<![\w.]))(?P<n>{NUM})\s+(?:[\w-]+\s+)?(?:patients|pts|subjects)\s+"
    r"(?:who\s+were\s+)?(?P<verb>randomi[sz]ed\s+to|assigned\s+to|allocated\s+to|on|receiving|treated\s+with|given|"
    r"in\s+the)\s+(?:the\s+)?",
    re.I,
)


def _sizes_named_later(
    doc: Doc, options: list[_Option], after: int, sizes: list[int | None]
) -> list[int | None]:
    """The sizes of options whose one drug (no other option's) a later count of patients names."""
    own = {k: o[2][0] for k, o in enumerate(options) if len(o[2]) == 1}
    if len(set(own.values())) < len(own):
        return sizes
    found: dict[str, int] = {}
    for m in _GROUP_OF_DRUG.finditer(doc.text, after):
        drug = next((x for x in doc.mentions_starting(m.end(), m.end() + 1) if x.kind == "drug"), None)
        n = as_int(parse_number(m.group("n")))
        whole = m.start() < m.start("n") or m.group("verb").lower().startswith(
            ("randomi", "assigned", "allocated")
        )
        if drug is not None and n and whole and drug.term not in found:
            found[drug.term] = n
    return [size if size is not None or k not in own else found.get(own[k]) for k, size in enumerate(sizes)]


# one item of a parenthesis that sizes the options by their drugs: 'dasatinib 182', 'imatinib, n = 182'
_DRUG_AND_SIZE = re.compile(
    r"\s*(?P<drug>[A-Za-z][\w-]*)\s*(?:,?\s*n\s*=\s*|:\s*|\s+)(?P<n>\d+)\s*(?:patients|pts)?\s*(?:[;,]|$)"
)


def _sizes_in_a_parenthesis(doc: Doc, options: list[_Option], after: int) -> list[int | None] | None:
    """'364 pts were randomized (dasatinib 182; imatinib 182)': each option's size after its one drug, in
    the first parenthesis after the allocation that lists them (in this sentence or the next)."""
    own = [o[2][0] if len(o[2]) == 1 else None for o in options]
    if None in own or len(set(own)) < len(own):
        return None
    stop = doc.sentence_of(after)[1] if after < len(doc.text) else after
    for ps, pe in doc.parens_within(after, stop):
        found: dict[str, int] = {}
        pos = ps + 1
        while (im := _DRUG_AND_SIZE.match(doc.text, pos, pe - 1)) is not None and im.end() > pos:
            named = [
                x.term
                for x in doc.mentions_starting(im.start("drug"), im.start("drug") + 1)
                if x.kind == "drug"
            ]
            if not named:
                break
            found[named[0]] = int(im.group("n"))
            pos = im.end()
        if pos == pe - 1 and len(found) == len(options) and set(found) == set(own):
            return [found[t] for t in own if t is not None]
    return None


def _option_arm(doc: Doc, option: _Option, size: int | None) -> r.Cohort:
    """The arm of an option, with what it received."""
    ps, pe, terms, doses, _ = option
    c = r.Cohort("arm", size, r.Span(ps, pe), description=doc.text[ps:pe].strip())
    for term in terms:
        here = next((mm for mm in doc.mentions_in(ps, pe) if mm.term == term), None)
        t = r.Treatment(term, "intervention", r.Span(here.start, here.end) if here else r.Span(ps, pe))
        for dterm, value, unit, dspan in doses:
            if dterm == term and not any(d.value == value and d.unit == unit for d in t.doses):
                t.doses.append(r.Dose(value, unit, dspan))
        c.treatments.append(t)
    return c
