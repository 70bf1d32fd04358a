"""Treatments: the study's drugs and procedures, and prior therapy."""

from __future__ import annotations

import re

from cmlkg import records as r
from cmlkg.extract.external import term as term_of
from cmlkg.extract.mentions import Doc, Mention
from cmlkg.extract.quantities import stated_doses
from cmlkg.extract.relations.grammar import DOSE_RAISED, I
from cmlkg.extract.relations.study import _BACKGROUND, _GIVEN

# ------------------------------------------------------------------ treatments and doses
_PRIOR_BEFORE = re.compile(
    r"(?:pre-?treated|previously\s+treated|previous(?:ly)?|prior|pretreatment\s+with|failure\s+of|failed|failing|"
    r"resistant|resistance|intolerant|intolerance|refractory|relapsed\s+(?:on|after)|after\s+failure\s+of|"
    r"progressed\s+on|history\s+of|after|following|post|switch(?:ed|ing)?\s+from|"
    # 'a suboptimal response to imatinib', 'an inadequate response on imatinib'
    r"(?:suboptimal|inadequate|insufficient|poor|incomplete|lack\s+of|loss\s+of)\s+(?:\w+\s+)?response\s+(?:to|on|with)|"
    # 'a prior CCyR on imatinib', 'previous response to nilotinib'
    r"(?:prior|previous)\s+[\w.-]+\s+(?:on|to|with)|"
    r"had\s+(?:previously\s+|already\s+|earlier\s+|also\s+)?(?:received|been\s+(?:treated|given|exposed))|"
    r"(?:prior|previous|earlier)\s+(?:therapy|therapies|treatments?|agents?|regimens?|drugs?)\s+(?:included|including|were|was|with|"
    r"consisted\s+of|comprised)|"
    r"(?:prior|previous|earlier)\s+(?:therapy|therapies|treatments?|agents?|regimens?|drugs?)\s*[:(])\s+"
    # 'resistant (n=110) or intolerant (n=27) to imatinib': a group's size between the cue and the drug
    # ('previously exposed to imatinib', 'prior exposure to dasatinib')
    r"(?:\([^()]*\)\s*)?(?:(?:to|with|on|of|the|prior|previous|first-line|frontline|front-line|exposed|exposure|"
    # ('resistant or intolerant to ≥2 TKIs', '... to two TKIs', '... to at least 3 TKIs')
    r"initial|standard|dose|doses|\w+-dose|(?:≥|>=?|at\s+least)\s*\d+|\d+|two|three|four|multiple|several)\s+){0,3}$",
    I,
)
# 'at least 2 prior TKIs (imatinib, dasatinib, nilotinib or bosutinib)': the drugs listed for them
_PRIOR_LIST_BEFORE = re.compile(
    r"(?:prior|previous|earlier)\s+(?:\w+\s+){0,2}?(?:TKIs?|therapies|agents|treatments|lines?(?:\s+of\s+therapy)?)\s*"
    r"\(\s*(?:[\w-]+\s*(?:,|or|and|,\s*or|,\s*and)\s*)*$",
    I,
)
# 'pretreated with two or more TKIs, including nilotinib': the drugs the prior ones included
_PRIOR_INCLUDING = re.compile(
    r"(?:pre-?treated|previously\s+treated|prior|previous|failure\s+of|failed|resistant|intolerant)\b[^.;]{0,40}?"
    r"\b(?:TKIs?|tyrosine\s+kinase\s+inhibitors?|agents|therapies|drugs|lines)\s*,?\s*\(?\s*"
    r"(?:including|such\s+as|e\.g\.,?|i\.e\.,?|namely)\s+(?:[\w-]+\s*(?:,|or|and|,\s*or|,\s*and)\s*)*$",
    I,
)
_PRIOR_AFTER = re.compile(
    r"^(?:[-\s]+(?:resistant|resistance|intolerant|intolerance|refractory|failure|pretreated|pre-treated)|"
    # ('imatinib-experienced patients'; not '6 on imatinib experienced disease progression')
    r"-experienced|\s+experienced\s+(?:patients|pts|subjects|cases)\b|"
    # ("ponatinib after failure of two TKIs" is ponatinib given after the failure: not prior therapy)
    r"\s+with\s+(?:relapse|progression|failure|resistance|intolerance)|\s+failure|"
    # ('patients in whom imatinib had failed')
    r"\s+(?:had\s+|has\s+)?failed\b(?!\s+to\b)|"
    r"(?:\s+(?:therapy|treatment))?\s+(?:before|previously|beforehand)\b(?!\s+(?:transplant|BMT|SCT|HSCT|allo)))",
    I,
)


_ERA_AFTER = re.compile(r"\s*(?:-\s*)?era\b", re.I)
_NAIVE_AFTER = re.compile(r"\s*-?\s*na[iï]ve\b", re.I)
_AFTER_CUE = re.compile(r"(?:after|following|post)\b", I)
_CONDITIONING_DOSE = re.compile(
    r"\s*\(?\s*\d+(?:\.\d+)?\s*(?:mg/kg|Gy|cGy)\b(?!\s*(?:/\s*d|per\s+day|daily))", I
)


def _transplant_before(doc: Doc, start: int, end: int) -> bool:
    return any(
        x.kind == "procedure" and term_of(doc.vocab, x.term).is_a("HematopoieticStemCellTransplantation")
        for x in doc.mentions_in(start, end)
    )


_STOPPED_AFTER = re.compile(
    r"\s+(?:was|were|had\s+been)\s+(?:\w+ly\s+)?(?:stopped|discontinued|withdrawn|interrupted|ceased)\b", I
)
_CONDITIONING_AFTER = re.compile(
    r"(?:\s*(?:,|and|or|plus|\+|/|-(?!based)|,\s*and)\s*[\w-]+(?:\s+[\w-]+)?){0,4}?\s*(?:-based\s+)?"
    r"(?:conditioning|preparative|myeloablative|reduced[- ]intensity)\b",
    I,
)
_FAILURE = re.compile(r"\b(?:failure|resistan|intoleran|relapse|progression)", I)
# 'imatinib followed by dasatinib (n = 38), nilotinib (n = 50) or both': a sequence too
_COORDINATED_DRUG = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:,|or|and|plus|/|,\s*or|,\s*and|and/or|,\s*and/or|(?:,\s*)?"
    r"(?:followed\s+by|then|and\s+then|and\s+subsequently)"
    # ('resistant or intolerant to imatinib (n = 46) or to imatinib and another TKI': the preposition again)
    r"|(?:,\s*)?(?:or|and)\s+(?:to|on|with))\s*"
)


_FROM_A_DONOR = re.compile(
    r"\s+(?:\w+\s+){0,2}?from\s+(?:an?\s+|their\s+)?"
    r"(?:HLA[- ]?(?:identical|matched|compatible)\s+|matched\s+|related\s+|unrelated\s+|family\s+)*"
    r"(?:siblings?|sibs?|donors?|brothers?|sisters?|twins?)\b",
    I,
)


def find_treatments(doc: Doc) -> list[r.Treatment]:
    """The drugs and procedures of the study, each as an intervention or a prior therapy (or both),
    with the doses stated for the interventions."""
    roles: dict[str, set[str]] = {}
    first: dict[str, Mention] = {}
    prev: tuple[Mention, bool] | None = None
    named = {m.term for m in doc.mentions if m.kind in ("drug", "procedure")}
    specific = {a for t in named for a in term_of(doc.vocab, t).ancestors}
    for m in doc.mentions:
        if m.term == "HematopoieticStemCellTransplantation" and _FROM_A_DONOR.match(doc.text, m.end):
            # 'marrow grafts from HLA-identical siblings': an allogeneic transplant
            m = Mention("AllogeneicTransplant", m.kind, m.start, m.end)
        if m.kind not in ("drug", "procedure") or not _a_treatment(doc, m, specific):
            continue
        prior = _is_prior(doc, m, prev)
        prev = (m, prior)
        roles.setdefault(m.term, set()).add("prior" if prior else "intervention")
        first.setdefault(m.term, m)
    # 'a suboptimal response on imatinib 400 mg had their dose increased to 600 mg': the drug whose dose the
    # study raised is its treatment too
    for raised in _DOSE_RAISED.finditer(doc.text) if doc.has("increased", "escalated", "raised") else ():
        s = doc.sentence_of(raised.start())[0]
        drugs = [x for x in doc.mentions_in(s, raised.start()) if x.kind == "drug" and x.term in roles]
        if drugs:
            roles[drugs[-1].term].add("intervention")
    out: dict[tuple[str, str], r.Treatment] = {}
    for term, rs in roles.items():
        m = first[term]
        for role in sorted(rs):
            out[(term, role)] = r.Treatment(term, role, r.Span(m.start, m.end))
    _add_doses(doc, out)
    return sorted(out.values(), key=lambda t: (t.span.start, t.role))


_DOSE_RAISED = re.compile(rf"\bdoses?\s+(?:was\s+|were\s+)?{DOSE_RAISED}\s+to\s+\d", re.I)


def _a_treatment(doc: Doc, m: Mention, specific: set[str]) -> bool:
    """Whether a drug or procedure mention is a treatment of this study."""
    text = doc.text
    if doc.outside_study(m.start):
        return False
    # "in the imatinib era", "the pre-TKI era": a time, not a treatment of the study; "ponatinib-naive
    # patients": a drug they never had
    if _ERA_AFTER.match(text[m.end : m.end + 8]) or _NAIVE_AFTER.match(text, m.end):
        return False
    vterm = term_of(doc.vocab, m.term)
    # "transplant" beside "allogeneic transplant", "TKI" beside "imatinib": the specific term says it;
    # a general term stands when the text names nothing more specific ("treated with TKIs", "HSCT")
    if vterm.has_children and m.term != "TotalBodyIrradiation":
        if m.term in specific or vterm.grouping:
            return False
        sentence = text[slice(*doc.sentence_of(m.start))]
        if _BACKGROUND.search(sentence) or not _GIVEN.search(sentence):
            return False
    return not doc.negated(m)


def _is_prior(doc: Doc, m: Mention, prev: tuple[Mention, bool] | None) -> bool:
    """Whether a treatment mention is a prior therapy: by the words before or after it, or as the
    drug coordinated with a prior one ("resistant or intolerant to dasatinib or nilotinib")."""
    text = doc.text
    s, _ = doc.sentence_of(m.start)
    before = text[max(s, m.start - 60) : m.start]
    cue = _PRIOR_BEFORE.search(before) or _PRIOR_LIST_BEFORE.search(before) or _PRIOR_INCLUDING.search(before)
    if cue and _AFTER_CUE.match(cue.group(0)) and _after_names_no_prior(doc, m, s, len(cue.group(0)), before):
        cue = None
    if cue or _PRIOR_AFTER.match(text[m.end : m.end + 30]):
        return True
    return prev is not None and prev[1] and bool(_COORDINATED_DRUG.fullmatch(text[prev[0].end : m.start]))


def _after_names_no_prior(doc: Doc, m: Mention, s: int, cue_length: int, before: str) -> bool:
    """'after X' that does not make X a prior therapy: a procedure dated by it ('after BMT'), the treatment
    that gave a response named before ('partial remission in three after prednisone/vindesine therapy'),
    the study's drug stopped ('improved after dasatinib was stopped'), the study's conditioning agents
    ('transplantation after fludarabine, busulfan and ATG conditioning', 'grafts after cyclophosphamide
    (120 mg/kg)': dosed per kilogram or in Gy, not per day)."""
    text = doc.text
    return bool(
        m.kind == "procedure"
        or (
            any(o.kind == "outcome" and o.end <= m.start - cue_length for o in doc.mentions_in(s, m.start))
            and not _FAILURE.search(before)
        )
        or _STOPPED_AFTER.match(text, m.end)
        or _CONDITIONING_AFTER.match(text, m.end)
        or (_CONDITIONING_DOSE.match(text, m.end) and _transplant_before(doc, s, m.start))
    )


def _add_doses(doc: Doc, out: dict[tuple[str, str], r.Treatment]) -> None:
    """Doses: to the nearest drug in the sentence given as an intervention (Gy goes to the radiation
    procedure)."""
    radiation = [
        m
        for m in doc.mentions
        if m.kind == "procedure" and term_of(doc.vocab, m.term).is_a("RadiationTherapy")
    ]
    for s, e in doc.sents:
        drugs = [
            m
            for m in doc.mentions_in(s, e)
            if m.kind in ("drug", "procedure") and (m.term, "intervention") in out
        ]
        for dose in stated_doses(doc, s, e):
            if doc.outside_study(dose.start):  # 'Background: dasatinib 100 mg daily is approved ...'
                continue
            if dose.radiation:
                target = radiation[0].term if radiation else None
            else:
                target = _nearest_drug(drugs, dose.start, dose.end)
            if target is None or (target, "intervention") not in out:
                continue
            treat = out[(target, "intervention")]
            for value, unit in dose.values:
                if not any(d.value == value and d.unit == unit for d in treat.doses):
                    treat.doses.append(r.Dose(value, unit, r.Span(dose.start, dose.end)))


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
