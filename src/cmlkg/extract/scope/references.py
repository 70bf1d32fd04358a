"""Where the text names an arm after its design (part of :mod:`cmlkg.extract.scope`)."""

from __future__ import annotations

import bisect
import re

from cmlkg.extract.mentions import Doc
from cmlkg.extract.quantities import stated_doses
from cmlkg.extract.scope.arms import _ARM_LABEL, _LABEL, _LABEL_REF, Arm, label_of

I = re.I


_UNIT_WORD = {
    "mg/d": r"mg",
    "mg": r"mg",
    "g/d": r"g",
    "mg/m2/d": r"mg",
    "mg/m2": r"mg",
    "mg/kg/d": r"mg",
    "mg/kg": r"mg",
    "MU/d": r"(?:MU|MIU|million)",
    "MU/m2/d": r"(?:MU|MIU|million)",
    "MU": r"(?:MU|MIU|million)",
    "MU/m2": r"(?:MU|MIU|million)",
    "Gy": r"(?:Gy|cGy)",
}


class Refs(list):
    """Arm references (start, end, arm index) in text order, with a range lookup."""

    def __init__(self, refs):
        super().__init__(sorted(refs))
        self.starts = [s for s, _e, _k in self]

    def between(self, a: int, b: int) -> list[tuple[int, int, int]]:
        """The references that start in [a, b)."""
        return self[bisect.bisect_left(self.starts, a) : bisect.bisect_left(self.starts, b)]


def arm_references(doc: Doc, arms: list[Arm]) -> Refs:
    """Places after the arms' definitions that name one arm: a dose or a drug only it received.
    (start, end, index of the arm in ``arms``)."""
    defined_end = max(a.end for a in arms)
    refs = _dose_refs(doc, arms, defined_end) + _drug_refs(doc, arms, defined_end)
    refs += _combination_refs(doc, arms, defined_end) + _sole_drug_refs(doc, arms, defined_end)
    refs += _bare_amount_refs(doc, arms, defined_end)
    refs = _outermost(refs)
    refs += _dose_level_refs(doc, arms, defined_end)
    refs += _label_refs(doc, arms, defined_end)
    refs += _named_group_refs(doc, arms, defined_end, refs)
    return Refs(refs)


_Ref = tuple[int, int, int]


def _dose_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """A dose phrase names the arm whose dose it states once read ('50 mg twice daily' is 100 mg/d, not
    the 50-mg/d arm); a bare amount ('the 800-mg arm') names the arm of that amount per day, else the
    one arm that takes it twice a day ('the 300-mg dose' of '300 mg twice daily'); never two arms."""
    text = doc.text
    keys = []
    for k, a in enumerate(arms):
        other_doses = {(d[1], d[2]) for j, b in enumerate(arms) if j != k for d in b.doses}
        other_totals = {t for j, b in enumerate(arms) if j != k for t in b.totals}
        keys.append(
            {(d[1], d[2]) for d in a.doses if (d[1], d[2]) not in other_doses}
            | {(t, "Gy") for t in a.totals if t not in other_totals}
        )
    # (with its drug named: 'bosutinib 400 mg' is one arm when imatinib 400 mg is another)
    drug_keys = [
        {(d[0], d[1], d[2]) for d in a.doses}
        - {(d[0], d[1], d[2]) for j, b in enumerate(arms) if j != k for d in b.doses}
        for k, a in enumerate(arms)
    ]
    drugs_of = [{d[0] for d in a.doses} | set(a.terms) for a in arms]
    arm_drugs = set().union(*drugs_of) if drugs_of else set()
    refs = []
    for dose in stated_doses(doc, defined_end, len(text)):
        bare = not _SCHEDULE_AFTER.match(text[dose.end : dose.end + 12])
        said = {(v, u) for v, u in dose.values} | {
            (v, u + "/d") for v, u in dose.values if bare and not u.endswith("/d")
        }
        # the drug the sentence names before the dose, if any: '... for nilotinib (80% for the 300-mg dose
        # ...'
        before = [
            mm.term
            for mm in doc.mentions_in(doc.sentence_of(dose.start)[0], dose.start)
            if mm.term in arm_drugs
        ]
        candidates = [k for k in range(len(arms)) if not before or before[-1] in drugs_of[k]]
        named = [k for k in candidates if said & keys[k]]
        if not named and before:
            named = [k for k in candidates if {(before[-1], v, u) for v, u in said} & drug_keys[k]]
        if not named and bare:
            twice = {(2 * v, u + "/d") for v, u in dose.values if not u.endswith("/d")}
            named = [k for k in candidates if twice & keys[k]]
        if len(named) == 1:
            refs.append((dose.start, dose.end, named[0]))
    return refs


def _drug_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """A drug only one arm received, named after the definitions."""
    windows = [(a.start, a.end) for a in arms]
    refs = []
    for k, a in enumerate(arms):
        other_terms = {t for j, b in enumerate(arms) if j != k for t in b.terms}
        own = [t for t in a.terms if t not in other_terms]
        for m in doc.mentions:
            if m.term in own and m.start >= defined_end and not any(s <= m.start < e for s, e in windows):
                # 'Pts switching to a 2GTKI after IM failure (n=41) had MMR 44%': what they had before
                if _BEFORE_THE_STUDY.search(doc.text, max(0, m.start - 25), m.start) or _FAILED_AFTER.match(
                    doc.text, m.end
                ):
                    continue
                refs.append((m.start, m.end, k))
    return refs


_BEFORE_THE_STUDY = re.compile(
    r"\b(?:after|following|failure\s+of|resistant\s+to|intolerant\s+(?:to|of)|switch(?:ed|ing)?\s+from)\s+$",
    I,
)
_FAILED_AFTER = re.compile(r"[-\s]+(?:failure|resistance|intolerance|resistant|intolerant|refractory)\b", I)


def _combination_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """'the combination-therapy group' when one arm alone combines drugs ('imatinib ... or interferon
    plus cytarabine'); and for an arm whose drugs are all given in another, larger one, 'X alone' / 'X
    monotherapy' names the smaller, 'X plus Y' / 'the combination' the larger ('higher with X plus Y
    (40%) than with X alone (21%)')."""
    text = doc.text
    refs = []
    combined = [k for k, a in enumerate(arms) if len(a.terms) > 1]
    if len(combined) == 1 and not any(set(a.terms) < set(arms[combined[0]].terms) for a in arms if a.terms):
        for hit in _COMBINATION_GROUP.finditer(text, defined_end):
            refs.append((hit.start(), hit.end(), combined[0]))
    for k, a in enumerate(arms):
        for j, b in enumerate(arms):
            if j != k and a.terms and set(a.terms) < set(b.terms):
                refs += _subset_refs(doc, a, k, b, j, defined_end)
    return refs


# '... than in the imatinib 400 mg arm (38%)': a drug, its amount perhaps, and the arm's noun
_SOLE_ARM_AFTER = re.compile(
    r"(?:\s+(?P<v>\d+(?:\.\d+)?)\s*-?\s*mg(?:/d(?:ay)?)?)?\s+(?:arm|group|cohort)\b", I
)


def _sole_drug_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """'the imatinib 400 mg arm' when other arms add drugs to imatinib 400 mg: the one arm that gets the
    drug named alone (at the amount named, if one is)."""
    refs = []
    for m in doc.mentions:
        after = (
            _SOLE_ARM_AFTER.match(doc.text, m.end) if m.start >= defined_end and m.kind == "drug" else None
        )
        if after is None:
            continue
        alone = [k for k, a in enumerate(arms) if a.terms == [m.term]]
        if after.group("v"):
            v = float(after.group("v"))
            alone = [k for k in alone if any(d[1] == v and d[2] in ("mg", "mg/d") for d in arms[k].doses)]
        if len(alone) == 1:
            refs.append((m.start, after.end(), alone[0]))
    return refs


# 'nilotinib 300)', 'the nilotinib 400 arm': a drug and an amount without its unit
_BARE_AMOUNT = re.compile(r"\s+(?P<v>\d+(?:\.\d+)?)(?=\s*[),;]|\s+(?:arm|group|cohort)\b)", I)


def _bare_amount_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """'77% (nilotinib 300), 77% (nilotinib 400)': a drug and a bare amount name the one arm that gets
    that amount of it, per day or per dose twice a day."""
    refs = []
    for m in doc.mentions:
        bare = _BARE_AMOUNT.match(doc.text, m.end) if m.start >= defined_end and m.kind == "drug" else None
        if bare is None:
            continue
        v = float(bare.group("v"))
        named = [
            k
            for k, a in enumerate(arms)
            if any(d[0] == m.term and d[2] in ("mg", "mg/d") and d[1] in (v, 2 * v) for d in a.doses)
        ]
        if len(named) == 1:
            refs.append((m.start, bare.end(), named[0]))
    return refs


def _subset_refs(doc: Doc, a: Arm, k: int, b: Arm, j: int, defined_end: int) -> list[_Ref]:
    """Arm ``a`` (index ``k``) gets drugs that arm ``b`` (index ``j``) gets too, and more: 'X alone'
    names ``a``; 'the combination group', 'X plus Y' name ``b``."""
    text = doc.text
    refs = []
    for hit in _ALONE.finditer(text[defined_end:]):
        at = defined_end + hit.start()
        near = [x for x in doc.mentions_in(max(defined_end, at - 40), at) if x.term in a.terms]
        if near and not re.search(r"[;,()]|\d", text[near[-1].end : at]):
            refs.append((near[-1].start, defined_end + hit.end(), k))
    # 'the combination group / arm' with no drug named: the larger arm
    for hit in re.finditer(_COMBINATION_GROUP, text[defined_end:]):
        refs.append((defined_end + hit.start(), defined_end + hit.end(), j))
    for hit in _PLUS.finditer(text[defined_end:]):
        at = defined_end + hit.start()
        left = [x for x in doc.mentions_in(max(defined_end, at - 30), at) if x.term in b.terms]
        right = [x for x in doc.mentions_in(at, at + 40) if x.term in b.terms and x.term not in a.terms]
        if left and right and not re.search(r"[;,()]|\d", text[left[-1].end : right[0].start]):
            refs.append((left[-1].start, right[0].end, j))
    return refs


def _outermost(refs: list[_Ref]) -> list[_Ref]:
    """A drug of both arms named inside a longer reference is not a reference of its own."""
    kept: list[_Ref] = []
    reach, reach_span = -1, None
    for s, e, k in sorted(refs, key=lambda x: (x[0], -x[1])):
        if e <= reach and (s, e) != reach_span:
            continue
        kept.append((s, e, k))
        if e > reach:
            reach, reach_span = e, (s, e)
    return kept


def _dose_level_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """Arms of one drug at two doses: 'the high-dose arm' is the higher, 'the standard-dose arm' the
    lower."""
    per_arm = [{(d[1], d[2]) for d in a.doses} for a in arms]
    if not (
        len(arms) == 2
        and len({tuple(sorted(a.terms)) for a in arms}) == 1
        and all(len(p) == 1 for p in per_arm)
    ):
        return []
    (v0, u0), (v1, u1) = next(iter(per_arm[0])), next(iter(per_arm[1]))
    if u0 != u1 or v0 == v1:
        return []
    high, low = (0, 1) if v0 > v1 else (1, 0)
    return [
        (
            defined_end + hit.start(),
            defined_end + hit.end(),
            high if hit.group("w").lower() in ("high", "higher", "increased", "escalated") else low,
        )
        for hit in _DOSE_LEVEL.finditer(doc.text[defined_end:])
    ]


# 'in the IFN+araC group and ... in the IFN group': a group named by exactly the drugs of one arm
_NAMED_GROUP = re.compile(r"\b(?:the\s+)?(?P<names>[\w+/\- ]{1,40}?)\s+(?:group|arm|cohort)s?\b", I)


def _named_group_refs(doc: Doc, arms: list[Arm], defined_end: int, found: list[_Ref]) -> list[_Ref]:
    """A group or arm named by the drugs it received, when they are all the drugs of one arm and no other."""
    sets = [frozenset(a.terms) for a in arms]
    refs = []
    for hit in _NAMED_GROUP.finditer(doc.text, defined_end):
        drugs = [m for m in doc.mentions_in(hit.start("names"), hit.end("names")) if m.kind == "drug"]
        named = frozenset(m.term for m in drugs)
        if not named or sets.count(named) != 1:
            continue
        if any(hit.start() < e and s < hit.end() for s, e, _k in found):
            continue
        refs.append((drugs[0].start, hit.end(), sets.index(named)))
    return refs


def _label_refs(doc: Doc, arms: list[Arm], defined_end: int) -> list[_Ref]:
    """Labels: "in arms A, B and C, respectively", "arm B"."""
    labels = {a.label: k for k, a in enumerate(arms) if a.label}
    if len(labels) != len(arms):
        return []
    refs = []
    for hit in _LABEL_REF.finditer(doc.text, defined_end):
        for lm in re.finditer(_LABEL, hit.group("ls")):
            if lm.group() in labels:
                refs.append((hit.start("ls") + lm.start(), hit.start("ls") + lm.end(), labels[lm.group()]))
    # 'in the experimental arm', 'the control group'
    for hit in _ARM_LABEL.finditer(doc.text, defined_end):
        if hit.group("role") and label_of(hit) in labels:
            refs.append((hit.start(), hit.end(), labels[label_of(hit)]))
    return refs


_SCHEDULE_AFTER = re.compile(r"\s*(?:twice|three|/|per|a\s+day|daily|qd|bid|b\.i\.d|once)", I)
_ALONE = re.compile(r"\b(?:alone|monotherapy|only|single[- ]agent)\b", I)
_PLUS = re.compile(r"\b(?:plus|combination|combined|\+|and)\b", I)
_DOSE_LEVEL = re.compile(
    r"\b(?P<w>high(?:er)?|increased|escalated|low(?:er)?|standard|conventional|usual)[- ]dose\b", I
)


_COMBINATION_GROUP = re.compile(
    r"\b(?:the\s+)?combination(?:[- ](?:therapy|treatment|regimen))?\s+(?:group|arm|cohort)\b"
    # 'in 24 patients with the combination', '79% for the combination', 'those receiving the combination':
    # the arm, where no 'of' or 'with' follows
    r"|(?:(?<=\bwith\s)|(?<=\bfor\s)|(?<=\bon\s)|(?<=\breceiving\s)|(?<=\bgiven\s)|(?<=\btaking\s))"
    r"the\s+combination\b(?!\s+(?:of|with)\b)",
    I,
)


def option_label(doc: Doc, start: int, end: int) -> str | None:
    """The one label an allocation's option names ('to arm A (n = 349, imatinib 400 mg daily)',
    'imatinib (group 1)'), or None."""
    labels = {label_of(m) for m in _ARM_LABEL.finditer(doc.text, start, end)}
    return labels.pop() if len(labels) == 1 else None
