"""Stage 2, quantities: counts, `n/N`, `n of N`, percentages, probabilities, doses with units and
time points, each with its span; P values, confidence intervals, hazard ratios, ranges and follow-up
times are never counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cmlkg.extract.mentions import Doc
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
    r"^\s*(?:-\s*)?(?:months?|mo\b|years?|yrs?\b|y\b|weeks?|wks?\b|days?|d\b|hours?|h\b|Gy|cGy|mg|g\b|MU|million|"
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
    r"mg\s*/\s*d(?:ay)?|mg\s*/\s*24\s*h|mg\s+(?:once\s+)?(?:daily|a\s+day|per\s+day|qd|od)|"
    r"mg\s+(?:twice\s+(?:daily|a\s+day)|bid|b\.i\.d\.|BID)|mg\s+(?:three\s+times\s+(?:daily|a\s+day)|tid|TID)|"
    r"g\s*/\s*d(?:ay)?|g\s+(?:daily|per\s+day|a\s+day)|Gy|cGy|mg)(?![\w/])",
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
        if "m2" in u.replace("mu", "", 1) or "body surface" in u or re.search(r"/\s*m", u.replace("mu/", "")):
            if re.search(r"m2|body surface", u):
                return value, "MU/m2/d"
        if re.search(r"/\s*d|daily|per day|a day|\bqd\b|\bod\b", u) or re.match(
            r"^\s*(?:daily|per\s+day|/d|qd\b|once)", tail, I
        ):
            return value, "MU/d"
        return value, "MU"
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
    # bare "mg": daily if the phrase says so nearby ("400 mg (n = 157) daily", "daily imatinib 400 mg")
    if re.match(r"^\s*-?\s*(?:twice|two\s+times)[-\s]+(?:daily|a\s+day|per\s+day)\b", tail, I):
        return value * 2, "mg/d"  # "the 400-mg twice-daily arm"
    if re.match(
        r"^(?:\s*\([^()]*\))?\s*-?\s*(?:(?:once[-\s]+)?daily|/d\b|per\s+day|a\s+day|qd\b|od\b)", tail, I
    ):
        return value, "mg/d"
    if re.match(
        r"^(?:\s*(?:\([^()]*\)\s*)?(?:or|and|versus|vs\.?|v)\s+\d+\s*mg\s*(?:\([^()]*\))?)+\s*(?:daily|/d\b|per\s+day)",
        tail,
        I,
    ):
        return value, "mg/d"
    if re.search(r"\bdaily\b[^.;:()]{0,50}$", head, I):
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


def stated_doses(doc: Doc, start: int, end: int) -> list[StatedDose]:
    """The doses stated in text[start:end] (not bounds such as '< 400 mg'), each read within its sentence."""
    text = doc.text
    out = []
    for dm in DOSE_RE.finditer(text, start, end):
        s, e = doc.sentence_of(dm.start())
        if re.search(r"[<>≤≥]\s*$", text[max(s, dm.start() - 3) : dm.start()]):
            continue
        raw = [dm.group("v")] + ([dm.group("v2")] if dm.group("v2") else [])
        listed = _DOSE_LIST.search(text, max(s, dm.start() - 40), dm.start())
        if listed:
            raw = re.findall(r"\d+(?:\.\d+)?", listed.group("nums")) + raw
        tail = text[dm.end() : min(e, dm.end() + 60)]
        head = text[max(s, dm.start() - 40) : dm.start()]
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
    rf"(?<![\w.])(?P<count>{NUM})\s+(?:out\s+)?of\s+(?:the\s+)?(?P<den>{NUM})(?:\s+(?:{ADJ}){{0,2}}{PATIENT_NOUN})?"
    rf"(?:\s*(?:\(|or|,)\s*(?P<pct1>\d+(?:\.\d+)?){PCT}\s*\)?)?"
    rf"|(?<![\w.])(?P<count2>\d+)\s*/\s*(?P<den2>\d+)(?:\s*\(\s*(?P<pct2>\d+(?:\.\d+)?){PCT}\s*\))?"
    rf"|(?<![\w.])(?P<count3>{NUM})\s*(?:{PATIENT_NOUN}\s*)?\(\s*(?P<pct3>\d+(?:\.\d+)?){PCT}\s*\)"
    rf"|(?<![\w.])(?P<pct4>\d+(?:\.\d+)?){PCT}(?:\s*\(\s*(?:(?P<count4>\d+)\s*(?:/|of)\s*(?P<den4>\d+)|n\s*=\s*(?P<count7>\d+))\s*\))?"
    rf"|(?P<prob>(?<![\w.])(?:0?\.\d+|1\.0+|0\.0+|0|1)(?![\d%]|\.\d))"
    rf"|(?:in|by|for|and)\s+(?P<count5>{NUM})\s+(?:{ADJ}{{0,2}}){PATIENT_NOUN}(?:\s*\(\s*(?P<pct5>\d+(?:\.\d+)?){PCT}\s*\))?"
    # "PCyR in 6 and minor CyR in 3": a bare count closing its phrase
    rf"|(?:in|by)\s+(?P<count6>(?!1[89]\d\d\b|20\d\d\b){NUM})(?![.,]\d)(?!\s*(?:%|percent\b|per\s+cent\b))"
    # not the first of a list of time points: 'by 24 and 60 months'
    r"(?!\s*(?:,|and|or)\s*\d+(?:\s*(?:,|and|or|,\s*and)\s*\d+)*\s*(?:days?|weeks?|months?|mo\b|years?|yrs?\b))"
    # "... in five.", "in 3 and", "in five after prednisone therapy" (not "in 3 months", "in 5 mg")
    rf"(?=\s*(?:[,;.)]|\band\b|\bor\b|$|(?:after|following|with|on|under|during)\s))",
    I,
)
_SUBJECT_OF_NEXT = re.compile(
    r"\s*(?:of\s+(?:the\s+|all\s+|these\s+)?(?:[\w-]+\s+){0,2}?(?:patients|cases|subjects|children)\s+)"
    r"(?:(?:had|have)\s+)?(?:achieved|attained|reached|obtained|had|developed|showed|experienced|were|remained|died|relapsed|progressed)\b"
    # "Hematologic response was achieved in 82%, with 53% achieving CHR": the subject of a participle
    r"|\s+(?:of\s+(?:the\s+)?(?:patients|pts|subjects)\s+)?(?:achieving|attaining|reaching|obtaining|having)\b",
    I,
)
_SKIP_PAREN = re.compile(
    r"^\(\s*(?:95\s*%|CI\b|HR\b|OR\b|RR\b|P\s*[=<>]|p\s*[=<>]|range|IQR|hazard|odds|SD\b|[<>≤≥])|\brange\b|\bIQR\b",
    I,
)


@dataclass
class Value:
    count: int | None = None
    percent: float | None = None
    denominator: int | None = None
    start: int = 0
    end: int = 0


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
        before = text[max(start, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 12]
        timepoint = re.search(r"(?:\bat|\bafter|\bwithin|\bby|\bday)\s*$", before) and UNIT_AFTER.match(after)
        # not a figure: a P value, a bound, a grade, or the number of a group, arm, cohort or case ('in group
        # 1')
        if (
            timepoint
            or re.search(
                r"(?:\b[Pp]\s*[=<>]|[<>≤≥]|\bn\s*=|\bgrade|\bgrades|[-–]|\bto|\bCI[,:]?|\b(?:HR|OR|RR)[,:]?"
                r"|\b(?:[Gg]roup|[Aa]rm|[Cc]ohort|[Cc]ase|[Pp]atient|[Ss]tage|[Ll]evel|[Ss]tep))\s*$",
                before,
            )
        ) and not m.group("count5"):
            pos = m.end()
            continue
        if re.search(
            r"\b(?:complete|partial|minor|minimal|major|deep)\s+(?:in\s+)?$",
            text[max(start, m.start() - 14) : m.start()],
            I,
        ):
            pos = m.end()
            continue
        # "(difference 12.2%; 95% CI, ...)": a difference between figures is not a figure
        if re.search(
            r"\b(?:difference|differences|absolute\s+(?:increase|gain)|improvement|delta)\s*(?:of|was|were|:|=)?\s*$",
            text[max(start, m.start() - 30) : m.start()],
            I,
        ):
            pos = m.end()
            continue
        # "..., 270 (76.1%) CCyR and 79 (22.3%) MMR": a figure that an outcome's name follows is that
        # outcome's
        gap = len(text[m.end() : m.end() + 3]) - len(text[m.end() : m.end() + 3].lstrip())
        if m.group("count3") is not None and any(
            x.kind == "outcome" for x in doc.mentions_starting(m.end() + gap, m.end() + gap + 1)
        ):
            break
        if m.group("prob") is not None:
            if not probability or UNIT_AFTER.match(after):
                pos = m.end()
                continue
            v = float(m.group("prob"))
            out.append(Value(percent=round(v * 100, 2), start=m.start(), end=m.end()))
        elif m.group("pct4") is not None:
            if re.match(
                r"^\s*(?:of\s+)?(?:Ph|Ph1|Ph'|Philadelphia|BCR|blasts?|metaphases|cells|CI\b|confidence)",
                after,
                I,
            ):
                pos = m.end()
                continue
            # "... was 83% and at 6 months 100% of the patients achieved CHR": the subject of what follows
            if _SUBJECT_OF_NEXT.match(text, m.end()):
                break
            # '82% (n = 49)': the patients behind the percent
            count = m.group("count4") or m.group("count7")
            out.append(
                Value(
                    as_int(parse_number(count)) if count else None,
                    float(m.group("pct4")),
                    as_int(parse_number(m.group("den4") or "")) if m.group("den4") else None,
                    m.start(),
                    m.end(),
                )
            )
        elif m.group("count") is not None:
            out.append(
                Value(
                    as_int(parse_number(m.group("count"))),
                    float(m.group("pct1")) if m.group("pct1") else None,
                    as_int(parse_number(m.group("den"))),
                    m.start(),
                    m.end(),
                )
            )
        elif m.group("count2") is not None:
            out.append(
                Value(
                    int(m.group("count2")),
                    float(m.group("pct2")) if m.group("pct2") else None,
                    int(m.group("den2")),
                    m.start(),
                    m.end(),
                )
            )
        elif m.group("count3") is not None:
            out.append(
                Value(
                    as_int(parse_number(m.group("count3"))), float(m.group("pct3")), None, m.start(), m.end()
                )
            )
        elif m.group("count6") is not None:
            out.append(Value(as_int(parse_number(m.group("count6"))), start=m.start(), end=m.end()))
        elif m.group("count5") is not None:
            if not UNIT_AFTER.match(after):
                out.append(
                    Value(
                        as_int(parse_number(m.group("count5"))),
                        float(m.group("pct5")) if m.group("pct5") else None,
                        start=m.start(),
                        end=m.end(),
                    )
                )
        pos = m.end()
    return [v for v in out if v.percent is None or 0 <= v.percent <= 100]
