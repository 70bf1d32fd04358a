"""Groups by drug counted out of a whole named first: 'Of 512 patients, 215 received dasatinib and 180
received nilotinib', '312 patients ...: 148 received hydroxyurea, 96 interferon alfa and 68 busulfan'
(part of :mod:`cmlkg.extract.relations.cohorts`)."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import ADJ, PATIENT_NOUN
from cmlkg.extract.relations.grammar import I
from cmlkg.textutil import NUM, as_int, parse_number

_FRONTED_WHOLE = re.compile(
    rf"\s*(?:Of|Among)\s+(?:the\s+|all\s+)?(?P<n>{NUM})\s+(?:{ADJ}){{0,4}}{PATIENT_NOUN}\b[^,;:()]{{0,100}},\s*",
    I,
)
# "We reviewed 312 patients ... treated between 1995 and 2005: 148 received HU, 96 IFN and 68 busulfan"
_COLON_WHOLE = re.compile(
    rf"(?<![\w.])(?P<n>{NUM})\s+(?:{ADJ}){{0,4}}{PATIENT_NOUN}\b[^;:()]{{0,100}}:\s*", I
)
_DRUG_GROUP = re.compile(
    # ('1,264 (81%) received imatinib first line, 197 (13%) dasatinib': each with its share)
    rf"(?P<n>{NUM})\s+(?:{PATIENT_NOUN}\s+)?(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?P<verb>(?:(?:were|was)\s+)?(?:received|receiving|treated\s+with|given|"
    r"started|took|had|with|on)\s+)?(?:(?:first|second|third)-line\s+)?",
    I,
)
_GROUP_SEP = re.compile(r"[^,;.()]{0,40}?(?:,\s*(?:and\s+)?|\s+and\s+)")


def fronted_drug_groups(doc: Doc, sent: tuple[int, int]) -> list[tuple[str, int, r.Span, str]]:
    """ "Of 512 patients, 215 received dasatinib and 180 received nilotinib", "312 patients ...: 148
    received X, 96 Y and 68 Z": the whole, and one arm per drug (at least two, different, together no
    more than the whole)."""
    text = doc.text
    s, e = sent
    whole = _FRONTED_WHOLE.match(text, s, e) or _COLON_WHOLE.search(text, s, e)
    # ('102 patients have died: 48 on hydroxyurea and 54 on busulfan', 'AOEs occurred in 28 patients: 8 on
    # imatinib and 20 on nilotinib': those counted for what happened)
    if whole is None or any(x.kind in ("outcome", "adverse_event") for x in doc.mentions_in(s, whole.end())):
        return []
    groups: list[tuple[int, str, r.Span, int]] = []  # size, drug, the size's span, where the drug ends
    pos = whole.end()
    while (g := _DRUG_GROUP.match(text, pos, e)) is not None and (groups or g.group("verb")):
        drug = next((x for x in doc.mentions_starting(g.end(), g.end() + 1) if x.kind == "drug"), None)
        n = as_int(parse_number(g.group("n")))
        if drug is None or not n:
            break
        groups.append((n, drug.term, r.Span(g.start("n"), g.end("n")), drug.end))
        sep = _GROUP_SEP.match(text, drug.end, e)
        if sep is None:
            break
        pos = sep.end()
    total = as_int(parse_number(whole.group("n")))
    if len(groups) < 2 or len({g[1] for g in groups}) < len(groups) or not total:
        return []
    if sum(g[0] for g in groups) > total:
        return []
    span = r.Span(whole.start("n"), whole.end("n"))
    return [("enrolled", total, span, text[span.start : span.end])] + [
        ("arm", n, sp, text[sp.start : end]) for n, _t, sp, end in groups
    ]
