"""Stage 2, quantities: counts, `n/N`, `n of N`, percentages, probabilities, doses and times with their spans;
P values, confidence intervals, hazard ratios, ranges and follow-up times are never counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cmlkg.extract.mentions import Doc
from cmlkg.extract.thresholds import a_threshold
from cmlkg.textutil import NUM, NUMBER_WORDS, as_int, parse_number, word_alternation

I = re.IGNORECASE

PATIENT_NOUN = (
    r"(?:patients?|pts?\.?|cases?|subjects?|individuals|children|adults|men|women|persons|people|recipients)"
)
# words that may stand between a number and its patient noun ("96 consecutive CML patients")
# a word between a number and its noun ("96 consecutive CML patients"); not a number word itself, so
# "Only two patients" is read from "two"
ADJ = (
    r"(?:\b(?!of\b|with\b|in\b|and\b|or\b|from\b|to\b|for\b|were\b|was\b|had\b|the\b|these\b|those\b|\d|"
    rf"(?:{word_alternation(NUMBER_WORDS.split('|'))})\b)[\w'+\-]+\s+)"
)
UNIT_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:months?|mos?\b|mths?\b|years?|yrs?\b|y\b|weeks?|wks?\b|days?|d\b|hours?|h\b|Gy|cGy|mg|g\b|MU|million|"
    r"x\s*10|×|cells|copies|log|kb|fold|ml|mL|l\b|/l|/L|centers|centres|sites|countries|metaphases|times)",
    I,
)


def skip_parens(doc: Doc, pos: int, limit: int) -> int:
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


DOSE_RE = re.compile(
    rf"(?<![\w.])(?P<v>{NUM})(?:\s*(?:-|–|to)\s*(?P<v2>{NUM}))?\s*-?\s*"
    r"(?P<unit>(?:x|×)\s*10\s*(?:\(6\)|\^?6|⁶)\s*(?:I?U|units)\s*(?:/\s*m2|/\s*m²)?(?:\s*body\s+surface\s+area)?\s*(?:/\s*d(?:ay)?|daily|per\s+day)?|mg/m2/d(?:ay)?|mg/m²/d(?:ay)?|mg/m\^?2\s*(?:daily|per\s+day|/d(?:ay)?)|mg/m2|mg/m²|"
    r"mg/kg/d(?:ay)?|mg/kg\s*(?:daily|per\s+day)|mg/kg|"
    # written out: '5 million units per square meter daily', '20 mg per square meter daily'
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU|mg)\s+per\s+square\s+met(?:er|re)s?"
    r"(?:\s+(?:of\s+)?body[- ]surface(?:[- ]area)?)?(?:\s+(?:daily|per\s+day|a\s+day))?|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU|mega\s*units?)\s*/?\s*m2?(?:\s*(?:body\s+surface\s+area))?\s*(?:/\s*d(?:ay)?|daily|per\s+day)|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU)\s*(?:/\s*d(?:ay)?|(?:once\s+)?daily|per\s+day|(?:once\s+)?a\s+day|qd\b|od\b)|"
    r"(?:million\s+(?:international\s+)?(?:U|units|IU)|MU|MIU)|"
    # ('45 mg orally once daily': the route between the amount and its schedule)
    r"mg\s*/\s*d(?:ay)?|mg\s*/\s*24\s*h|mg\s+(?:(?:orally|po|p\.o\.|by\s+mouth)\s+)?(?:once\s+)?(?:daily|a\s+day|per\s+day|qd|od)|"
    r"mg\s+(?:(?:orally|po|p\.o\.|by\s+mouth)\s+)?(?:twice\s+(?:daily|a\s+day)|bid|b\.i\.d\.|BID)|"
    r"mg\s+(?:three\s+times\s+(?:daily|a\s+day)|tid|TID)|"
    r"g\s*/\s*d(?:ay)?|g\s+(?:(?:once\s+)?(?:daily|a\s+day)|per\s+day|qd|od)|Gy|cGy|mg)(?![\w/])",
    I,
)


# "2.5 mg/m2 by continuous infusion daily for 14 days": a daily dose named after its route; not when
# another figure comes first ("120 mg/kg followed by 2 Gy daily") or the days are counted ("on each of 2
# days")
_DAILY_TAIL = re.compile(
    r"^(?:[^.;\d]|\bover\s+\d+(?:\.\d+)?\s*(?:hours?|h|min(?:utes?)?)\b){0,45}?"
    r"\b(?P<times>(?:twice|two\s+times)\s+(?:daily|a\s+day|per\s+day)|b\.?i\.?d\.?|daily|per\s+day|/\s*day|a\s+day|every\s+day|qd)\b",
    I,
)


def _per_day(value: float, unit: str, u: str, tail: str) -> tuple[float, str]:
    """A dose per m2 or per kg, daily when its unit or the words after it say so ("1.25 mg/m2
    subcutaneously twice daily" is 2.5 mg/m2/d)."""
    if re.search(r"/d|daily|per day", u):
        return value, unit + "/d"
    m = _DAILY_TAIL.match(tail)
    if m is None:
        return value, unit
    return (value * 2 if re.match(r"twice|two|b", m.group("times"), I) else value), unit + "/d"


def dose_unit(raw: str, value: float, tail: str, head: str) -> tuple[float, str] | None:
    """A dose's value and canonical unit ('mg/d', 'mg/m2/d', 'MU/d', 'Gy', ...) from its raw unit, the
    words after it (``tail``) and before it (``head``)."""
    u = re.sub(r"\s+", " ", raw.lower())
    u = re.sub(r"\s*per square met(?:er|re)s?(?: (?:of )?body[- ]surface(?:[- ]area)?)?", "/m2", u)
    if u.startswith(("x", "×")):  # "5 x 10(6) U/m2 daily": millions of units
        per_m2 = bool(re.search(r"m2|m²|body surface", u))
        daily = bool(re.search(r"/\s*d|daily|per day", u)) or bool(
            re.match(r"^\s*(?:daily|/d\b|per\s+day)", tail, I)
        )
        return value, ("MU/m2" if per_m2 else "MU") + ("/d" if daily else "")
    if "cgy" in u:
        return value / 100, "Gy"
    if u == "gy":
        return value, "Gy"
    if u.startswith(("million", "mu", "miu", "mega")):
        return _million_units(value, u, tail)
    if u.startswith("mg/m"):
        return _per_day(value, "mg/m2", u, tail)
    if u.startswith("mg/kg"):
        return _per_day(value, "mg/kg", u, tail)
    if u.startswith("g"):
        return value, "g/d"
    if "twice" in u or "bid" in u or "b.i.d" in u:
        return value * 2, "mg/d"
    if "three times" in u or "tid" in u:
        return value * 3, "mg/d"
    if u != "mg":
        return value, "mg/d"
    return _bare_mg(value, tail, head)


def _million_units(value: float, u: str, tail: str) -> tuple[float, str]:
    """Interferon's millions of units: per m2 a day, a day, or a single amount."""
    if "m2" in u.replace("mu", "", 1) or "body surface" in u or re.search(r"/\s*m", u.replace("mu/", "")):
        if re.search(r"m2|body surface", u):
            return value, "MU/m2/d"
    if re.search(r"/\s*d|daily|per day|a day|\bqd\b|\bod\b", u) or re.match(
        r"^\s*(?:daily|per\s+day|/d|qd\b|once)", tail, I
    ):
        return value, "MU/d"
    return value, "MU"


_TWICE_DAILY_AFTER = re.compile(r"^\s*-?\s*(?:twice|two\s+times)[-\s]+(?:daily|a\s+day|per\s+day)\b", I)
_DAILY_AFTER = re.compile(
    r"^(?:\s*\([^()]*\))?\s*-?\s*(?:(?:once[-\s]+)?daily|/d\b|per\s+day|a\s+day|qd\b|od\b|q\.d\.?|o\.d\.?)", I
)
# "400 or 800 mg daily", "45 mg (n = 94), 30 mg (n = 95) or 15 mg (n = 94) once daily": a list of amounts
# that shares the schedule after its last (not 'twice daily': '50 mg versus 70 mg twice daily' doubles one)
_LISTED_AMOUNTS = (
    r"^(?:\s*(?:\([^()]*\)\s*)?(?:,\s*(?:or\s+|and\s+)?|(?:or|and|versus|vs\.?|v)\s+)\s*\d+(?:\.\d+)?\s*mg"
    r"\s*(?:\([^()]*\))?)+\s*"
)
_LISTED_DAILY_AFTER = re.compile(_LISTED_AMOUNTS + r"(?:(?:once[-\s]+)?daily|/d\b|per\s+day|a\s+day|qd\b)", I)
_DAILY_BEFORE = re.compile(r"\bdaily\b[^.;:()]{0,50}$", I)


def _bare_mg(value: float, tail: str, head: str) -> tuple[float, str]:
    """A bare "mg": daily if the phrase says so nearby ("400 mg (n = 157) daily", "daily imatinib 400
    mg", "the 400-mg twice-daily arm", "400 or 800 mg daily")."""
    if _TWICE_DAILY_AFTER.match(tail):
        return value * 2, "mg/d"
    if _DAILY_AFTER.match(tail) or _LISTED_DAILY_AFTER.match(tail) or _DAILY_BEFORE.search(head):
        return value, "mg/d"
    return value, "mg"


@dataclass
class StatedDose:
    """One dose phrase of the text ('400 mg/day', '3 to 9 million U/d', 'from 400 to 600 or 800 mg daily')
    with every value it states, in canonical units."""

    start: int
    end: int
    unit_text: str  # as written: 'mg/day', 'Gy', ...
    values: list[tuple[float, str]]  # (value, UCUM unit)

    @property
    def radiation(self) -> bool:
        return self.unit_text.lower() in ("gy", "cgy")


# "escalated from 400 to 600 or 800 mg daily": the numbers listed before a dose share its unit
_DOSE_LIST = re.compile(
    r"(?:\b(?:from|of|at|either|between)\s+|\(\s*)(?P<nums>(?:\d+(?:\.\d+)?\s*(?:,|or|and|to|,\s*or)\s*)+)$",
    I,
)


# "imatinib 400 or 600 mg daily": amounts listed right after the drug share the dose's unit
_AMOUNTS_LISTED = re.compile(r"(?<![\w.])(?P<nums>(?:\d+(?:\.\d+)?\s*(?:,|or|and|,\s*or)\s*)+)$", I)


def _after_a_drug(doc: Doc, listed: re.Match | None) -> re.Match | None:
    """``listed``, if a drug is named right before it."""
    if listed is None:
        return None
    end = len(doc.text[: listed.start()].rstrip())
    named = doc.mentions_in(max(0, end - 40), end, "drug")
    return listed if any(m.end == end for m in named) else None


# superscript digits read as digits ('3 MU/m²/d', '5 x 10⁶ U'): one character for one, so offsets hold
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def stated_doses(doc: Doc, start: int, end: int) -> list[StatedDose]:
    """The doses stated in text[start:end] (not bounds such as '< 400 mg'), each read within its sentence."""
    text = getattr(doc, "_dose_text", None)
    if text is None:  # once per document, not per call
        text = doc.text.translate(_SUPERSCRIPTS)
        setattr(doc, "_dose_text", text)  # noqa: B010 (a memo on the document, not a field of it)
    out = []
    for dm in DOSE_RE.finditer(text, start, end):
        s, e = doc.sentence_of(dm.start())
        if re.search(r"[<>≤≥]\s*$", text[max(s, dm.start() - 3) : dm.start()]):
            continue
        raw = [dm.group("v")] + ([dm.group("v2")] if dm.group("v2") else [])
        listed = _DOSE_LIST.search(text, max(s, dm.start() - 40), dm.start()) or _after_a_drug(
            doc, _AMOUNTS_LISTED.search(text, max(s, dm.start() - 40), dm.start())
        )
        if listed:
            raw = re.findall(r"\d+(?:\.\d+)?", listed.group("nums")) + raw
        tail = text[dm.end() : min(e, dm.end() + 90)]
        # (before the list, if the amount ends one: 'once daily at doses of 12, 24, 48 and 96 mg')
        first = listed.start() if listed else dm.start()
        head = text[max(s, first - 40) : first]
        values = []
        for number in raw:
            v = parse_number(number)
            conv = dose_unit(dm.group("unit"), v, tail, head) if v is not None else None
            if conv is not None and conv not in values:
                values.append(conv)
        if values:
            out.append(StatedDose(dm.start(), dm.end(), dm.group("unit"), values))
    return out


def number_pattern(value: float) -> str:
    """A regex for a number as a text may write it: 12 as '12' or '12.0', 2.25 as '2.25' or '2.250'."""
    whole = int(value)
    if value == whole:
        return rf"(?<![\d.]){whole}(?:\.0+)?(?![\d])"
    return rf"(?<![\d.]){re.escape(format(value, 'g'))}0*(?![\d])"


# a percent sign, or the word ("77.3 percent", "42 per cent")
PCT = r"\s*(?:%|percent\b|per\s+cent\b)"
# what a counted group received: 'in 55 patients treated with interferon (25%)'
TREATED_WITH = r"(?:treated\s+with|receiving|given|on)"
# one figure as a list item states it: 'n/N (P%)', 'n of N', 'n (P%)', 'P%'
FIGURE = re.compile(
    rf"(?<![\w.])(?:(?P<n>\d+)\s*(?:/|\bof\b|\bout\s+of\b)\s*(?P<den>\d+)(?:\s*\(\s*(?P<p1>\d+(?:\.\d+)?){PCT}\s*\))?"
    rf"|(?P<n2>\d+)\s*\(\s*(?P<p2>\d+(?:\.\d+)?){PCT}\s*\)"
    rf"|(?P<p3>\d+(?:\.\d+)?){PCT})",
    I,
)
_VALUE = re.compile(
    # a number is never the tail of a name: 'AMN107 (44%)', 'STI571 (56%)', 'ABL001 (32%)'
    # '157 of 273 evaluable patients (58%)': one figure, its words between
    # '10 of 12 lymphoid (83%) and 9 of 20 myeloid (45%) patients': a group's word before the percent
    rf"(?<![\w.])(?P<count>{NUM})\s+(?:out\s+)?of\s+(?:the\s+)?(?P<den>{NUM})"
    rf"(?:\s+(?:{ADJ}){{0,2}}{PATIENT_NOUN}|\s+[a-z][\w-]*(?=\s*\(\s*\d+(?:\.\d+)?{PCT}\s*\)))?"
    rf"(?:\s*(?:\(|or|,)\s*(?P<pct1>\d+(?:\.\d+)?){PCT}\s*\)?)?"
    # '35/197 evaluable patients (18%)'
    rf"|(?<![\w.])(?P<count2>\d+)\s*/\s*(?P<den2>\d+)(?:\s+(?:{ADJ}){{0,2}}{PATIENT_NOUN})?"
    rf"(?:\s*\(\s*(?P<pct2>\d+(?:\.\d+)?){PCT}\s*\))?"
    rf"|(?<![\w.])(?P<count3>{NUM})\s*(?:{PATIENT_NOUN}\s*)?\(\s*(?P<pct3>\d+(?:\.\d+)?){PCT}\s*\)"
    # "54.9% (118/215)", "54.9% of patients (118 of 215)": the patients behind the percent
    rf"|(?<![\w.])(?P<pct4>\d+(?:\.\d+)?){PCT}(?:(?:\s+of\s+(?:the\s+|all\s+)?{PATIENT_NOUN})?\s*\(\s*"
    rf"(?:(?:n\s*/\s*N\s*=\s*)?(?P<count4>\d+)\s*(?:/|of)\s*(?P<den4>\d+)|n\s*=\s*(?P<count7>\d+))\s*\))?"
    # 'MMR: n=12 (34%)': a count written as n with its percent (a group's size '(n = 49)' has none)
    # ('MMR (n = 45, 56%)': the same inside a parenthesis)
    rf"|(?<![\w.])n\s*=\s*(?P<count9>\d+)\s*(?:\(\s*(?P<pct9>\d+(?:\.\d+)?){PCT}\s*\)|[,;]\s*(?P<pct9b>\d+(?:\.\d+)?){PCT}(?=\s*\)))"
    # a probability is written with its decimals ('0.55', '.8', '1.00'): a bare 0 or 1 is a number of
    # something else ('in year 1', 'at month 1', 'Sokal score 1', 'at 1, 2 and 3 years')
    rf"|(?P<prob>(?<![\w.])(?:0?\.\d+|1\.0+|0\.0+)(?![\d%]|\.\d))"
    # ('in 142 busulfan-treated and 137 hydroxyurea-treated patients': shared; 'vs 13 on B (5%)': elided)
    rf"|(?:in|by|for|and|vs\.?|versus)\s+(?P<all5>all\s+)?(?P<count5>{NUM})\s+(?:{ADJ}{{0,2}})"
    rf"(?:{PATIENT_NOUN}|(?=(?:and|or)\s+{NUM}\s+(?:{ADJ}){{0,2}}{PATIENT_NOUN})|(?<=\s)(?=(?:on|receiving)\s+[\w-]+\s*\())"
    # 'in 55 patients treated with interferon (25%)': the percent after the group's treatment
    rf"(?:(?:\s*{TREATED_WITH}\s+[\w-]+(?:\s+[\w-]+)?)?\s*\(\s*(?P<pct5>\d+(?:\.\d+)?){PCT}\s*\))?"
    # "PCyR in 6 and minor CyR in 3": a bare count closing its phrase
    rf"|(?:in|by)\s+(?P<count6>(?!1[89]\d\d\b|20\d\d\b){NUM})(?![.,]\d)(?!\s*(?:%|percent\b|per\s+cent\b))"
    # not the first of a list of time points: 'by 24 and 60 months'
    r"(?!\s*(?:,|and|or|vs\.?|versus)\s*\d+(?:\s*(?:,|and|or|,\s*and)\s*\d+)*\s*(?:days?|weeks?|months?|mo\b|years?|yrs?\b))"
    # "... in five.", "in 3 and", "in five after prednisone therapy" (not "in 3 months", "in 5 mg")
    rf"(?=\s*(?:[,;.)]|\band\b|\bor\b|\bvs\b|\bversus\b|$|(?:after|following|with|on|under|during)\s))"
    # "in 2, 3 and 12 patients", "in 2 vs 3 vs 12 patients", "Progression: 2 vs. 3 vs. 12 pts": a bare count
    # inside a list of counts that its patient noun closes
    rf"|(?:,|:|\bvs\.?|\bversus)\s*(?P<count8>\d+)(?=(?:\s*(?:,|vs\.?|versus)\s*\d+){{0,8}}\s*,?\s*"
    rf"(?:and|or|vs\.?|versus)\s+\d+\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN}"
    # 'Progression: 3 pts (arm A) and 2 pts (arm B)': a count after a colon, its group in parentheses
    rf"|\s+{PATIENT_NOUN}\s*\([^()%\d]*\)\s*(?:,|;|and\b|vs\b|versus\b|\.(?!\d)|$)"
    # '... in 2 patients on A 300 mg, 3 on A 400 mg and 12 on B': a count with its group, the noun left out
    r"|\s+(?:on|receiving)\s+[^,;()]{1,40}?\s*(?:,|;|\band\b|\.(?!\d)|$))",
    I,
)
_SUBJECT_OF_NEXT = re.compile(
    r"\s*(?:of\s+(?:the\s+|all\s+|these\s+)?(?:[\w-]+\s+){0,2}?(?:patients|cases|subjects|children)\s+)"
    r"(?:(?:had|have)\s+)?(?:achieved|attained|reached|obtained|had|developed|showed|experienced|were|remained|died|relapsed|progressed)\b"
    # "Hematologic response was achieved in 82%, with 53% achieving CHR": the subject of a participle
    r"|\s+(?:of\s+(?:the\s+)?(?:patients|pts|subjects)\s+)?(?:achieving|attaining|reaching|obtaining|having)\b",
    I,
)
# a parenthesis that holds a statistic of the figure before it, not a figure: '(95% CI, 67-78)', '(P = .01)',
# '(range, 80-90)', '(HR 1.06; ...)'
_STATISTIC_OPENS = (
    r"\(\s*(?:9[059]\s*%\s*(?:CI\b|confidence)|CI\b|HR\b|OR\b|RR\b|[Pp]\s*[=<>]|range\b|IQR\b|hazard|odds|SD\b"
    r"|[<>≤≥])"
)
STATISTIC_PAREN = re.compile(_STATISTIC_OPENS + r"[^()]*\)", I)
_SKIP_PAREN = re.compile(rf"^{_STATISTIC_OPENS}|\brange\b|\bIQR\b", I)


@dataclass
class Value:
    count: int | None = None
    percent: float | None = None
    denominator: int | None = None
    start: int = 0
    end: int = 0


# ('..., similar to the 48% reported with imatinib in IRIS', '22% expected from historical data': another's)
OTHERS_FIGURE = re.compile(r"\s*(?:reported|published|expected|described)\s+(?:in|with|by|from|for)\b", I)
_AT_BEFORE = re.compile(r"(?:\bat|\bafter|\bwithin|\bby|\bday)\s*$")
# not a figure: a P value, a bound, a grade, or the number of a group, arm, cohort or case ('in group 1')
_NOT_A_FIGURE_BEFORE = re.compile(
    r"(?:\b[Pp]\s*[=<>]|[<>≤≥]|\bn\s*=|\bgrade|\bgrades|[-–]|\bto|\bCI[,:]?|\b(?:HR|OR|RR)[,:]?"
    r"|\b(?:[Gg]roup|[Aa]rm|[Cc]ohort|[Cc]ase|[Pp]atient|[Ss]tage|[Ll]evel|[Ss]tep))\s*$"
)
_FROM_FIGURE_AT_TIME = re.compile(
    r"\bfrom\s+\d+(?:\.\d+)?\s*%\s+(?:at|by|after)\s+(?:month\s+|week\s+)?\d+\s*[a-z]*\s+to\s+$", I
)
_QUALIFIER_BEFORE = re.compile(r"\b(?:complete|partial|minor|minimal|major|deep)\s+(?:in\s+)?$", I)
# "(difference 12.2%; 95% CI, ...)": a difference between figures is not a figure
_DIFFERENCE_BEFORE = re.compile(
    r"\b(?:difference|differences|absolute\s+(?:increase|gain)|improvement|delta)\s*(?:of|was|were|:|=)?\s*$",
    I,
)
_NOT_OF_PATIENTS = re.compile(
    r"^\s*(?:of\s+)?(?:the\s+)?(?:Ph|Ph1|Ph'|Philadelphia|BCR|blasts?|metaphases|cells|CI\b|confidence|"
    # '... in 96% of samples': a share of specimens or measurements, not of patients
    r"(?:[\w-]+\s+)?(?:samples|specimens|pairs|measurements|assays|determinations|tests|analyses|mice|colonies))",
    I,
)


def values_after(doc: Doc, start: int, end: int, probability: bool) -> list[Value]:
    """The figures stated in text[start:end], skipping time points, P values, CIs and doses."""
    text = doc.text
    out: list[Value] = []
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
        pos = m.end()
        if _not_a_figure(text, m, start) or OTHERS_FIGURE.match(text, m.end()):
            continue
        if _ends_the_figures(doc, m):
            break
        v = _value(m, text[m.end() : m.end() + 30], probability)
        if v is not None:
            out.append(v)
    return [v for v in out if v.percent is None or 0 <= v.percent <= 100]


def _not_a_figure(text: str, m: re.Match, start: int) -> bool:
    """A time point, P value, bound, grade, group's number, qualified response or difference: no figure."""
    before = text[max(start, m.start() - 12) : m.start()]
    timepoint = _AT_BEFORE.search(before) and UNIT_AFTER.match(text[m.end() : m.end() + 12])
    if (timepoint or _NOT_A_FIGURE_BEFORE.search(before)) and not m.group("count5"):
        # ('rose from 30% at 6 months to 64% at 24 months': the figure at a later time, not a bound)
        return not _FROM_FIGURE_AT_TIME.search(text, max(start, m.start() - 50), m.start())
    if _QUALIFIER_BEFORE.search(text[max(start, m.start() - 14) : m.start()]):
        return True
    if m.group("pct4") is not None and a_threshold(text, max(start, m.start() - 20), m.start(), m.end()):
        return True
    return bool(_DIFFERENCE_BEFORE.search(text[max(start, m.start() - 30) : m.start()]))


def _ends_the_figures(doc: Doc, m: re.Match) -> bool:
    """A figure that belongs to what follows: "..., 270 (76.1%) CCyR and 79 (22.3%) MMR" (an outcome's
    name follows it), "... was 83% and at 6 months 100% of the patients achieved CHR" (its subject)."""
    text = doc.text
    gap = len(text[m.end() : m.end() + 3]) - len(text[m.end() : m.end() + 3].lstrip())
    if m.group("count3") is not None and any(
        x.kind == "outcome" for x in doc.mentions_starting(m.end() + gap, m.end() + gap + 1)
    ):
        return True
    return bool(
        m.group("prob") is None
        and m.group("pct4") is not None
        and not _NOT_OF_PATIENTS.match(text[m.end() : m.end() + 12])
        and _SUBJECT_OF_NEXT.match(text, m.end())
    )


def _value(m: re.Match, after: str, probability: bool) -> Value | None:
    """The figure ``m`` states (count, percent, denominator), or None when it states none."""
    g = m.group
    if g("prob") is not None:
        if not probability or UNIT_AFTER.match(after):
            return None
        return Value(percent=round(float(g("prob")) * 100, 2), start=m.start(), end=m.end())
    if g("pct4") is not None:
        if _NOT_OF_PATIENTS.match(after):
            return None
        # '82% (n = 49)': the patients behind the percent
        count = g("count4") or g("count7")
        den = as_int(parse_number(g("den4"))) if g("den4") else None
        return Value(
            as_int(parse_number(count)) if count else None, float(g("pct4")), den, m.start(), m.end()
        )

    def pct(name: str) -> float | None:
        return float(g(name)) if g(name) else None

    if g("count") is not None:
        return Value(
            as_int(parse_number(g("count"))), pct("pct1"), as_int(parse_number(g("den"))), m.start(), m.end()
        )
    if g("count2") is not None:
        return Value(int(g("count2")), pct("pct2"), int(g("den2")), m.start(), m.end())
    if g("count3") is not None:
        return Value(as_int(parse_number(g("count3"))), float(g("pct3")), None, m.start(), m.end())
    if g("count9") is not None:
        return Value(int(g("count9")), float(g("pct9") or g("pct9b")), None, m.start(), m.end())
    if g("count8") is not None:
        return Value(int(g("count8")), start=m.start("count8"), end=m.end())
    if g("count6") is not None:
        return Value(as_int(parse_number(g("count6"))), start=m.start(), end=m.end())
    if g("count5") is not None and not UNIT_AFTER.match(after):
        n = as_int(parse_number(g("count5")))  # 'in all 30 patients': 30 of 30
        return Value(n, pct("pct5"), n if g("all5") else None, start=m.start(), end=m.end())
    return None
