"""`cmlkg evaluate`: precision, recall and F1 of a build against gold facts.

Facts are read from the build through the competency queries (``queries/*.rq``), exactly as the
independent scorer reads them, and both sides are turned into atomic tuples (see
``tests/data/corpus/README.md``). Gold slugs and graph labels meet on the ontology: a slug or label that
names an ontology class (by label, synonym or local name) counts as that class.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cmlkg.errors import CmlkgError
from cmlkg.query import run_query
from cmlkg.store import open_store
from cmlkg.vocabulary import load_vocabulary, package_dir

QUERIES = ("cohorts", "treatments", "phases", "outcomes", "adverse_events", "patients")
_UNITS = {"g/d": ("mg/d", 1000.0), "g": ("mg", 1000.0)}


def norm(text: str) -> str:
    text = text.strip().lower().replace("α", "alfa").replace("alpha", "alfa")
    return re.sub(r"[^a-z0-9.]+", "_", text).strip("_")


class _Names:
    """Slug or label -> canonical key (the ontology class when one is named)."""

    def __init__(self) -> None:
        vocab = load_vocabulary()
        self.key: dict[str, str] = {}
        for term in vocab.terms.values():
            for name in (
                term.local,
                re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", term.local),
                term.label,
                *term.synonyms,
            ):
                self.key.setdefault(norm(name), term.local)
                self.key.setdefault(norm(name).replace(".", "_"), term.local)

    def __call__(self, name: str) -> str:
        n = norm(name)
        return self.key.get(n, self.key.get(n.replace(".", "_"), n))


def _num(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        return None


def _dose(value, unit: str) -> tuple[float, str] | None:
    v = _num(value)
    if v is None:
        return None
    canon, factor = _UNITS.get(unit.strip().lower(), (unit.strip(), 1.0))
    return round(v * factor, 2), canon


def _age(stat, value, lo, hi, sd) -> set[tuple]:
    out: set[tuple] = set()
    if stat and _num(value) is not None:
        out.add(("age", "mean" if "mean" in str(stat).lower() else "median", _num(value)))
    if _num(lo) is not None and _num(hi) is not None:
        out.add(("age_range", _num(lo), _num(hi)))
    if _num(sd) is not None:
        out.add(("age_sd", _num(sd)))
    return out


def _outcome(key, count, percent, den) -> set[tuple]:
    out: set[tuple] = set()
    for tag, v in (("count", count), ("percent", percent), ("of", den)):
        if _num(v) is not None:
            out.add(("outcome", key, tag, _num(v)))
    return out


def _event(key, grade) -> set[tuple]:
    out: set[tuple] = {("adverse_event", key)}
    if _num(grade) is not None:
        out.add(("adverse_event_grade", key, _num(grade)))
    return out


def gold_tuples(block: dict, name: _Names) -> set[tuple]:
    out: set[tuple] = set()
    for n in block.get("cohort_size", []):
        out.add(("cohort_size", _num(n)))
    for k in ("evaluable", "female", "male"):
        out |= {(k, _num(n)) for n in block.get(k, [])}
    for a in block.get("age", []):
        out |= _age(a.get("statistic"), a.get("value"), a.get("min"), a.get("max"), a.get("sd"))
    for k in ("phase", "intervention", "prior_therapy"):
        out |= {(k, name(s)) for s in block.get(k, [])}
    for d in block.get("dose", []):
        dk = _dose(d.get("value"), d.get("unit", ""))
        if dk:
            out.add(("dose", name(d["drug"]), *dk))
    for o in block.get("outcome", []):
        out |= _outcome(name(o["category"]), o.get("count"), o.get("percent"), o.get("denominator"))
    for e in block.get("adverse_event", []):
        e = e if isinstance(e, dict) else {"event": e}
        out |= _event(name(e["event"]), e.get("grade"))
    for p in block.get("patient", []):
        out.add(("patient", _num(p.get("age")), p.get("sex")))
    return out


def predicted_tuples(build_dir: Path, name: _Names) -> dict[str, set[tuple]]:
    store = open_store(build_dir)
    queries = package_dir("queries")
    pred: dict[str, set[tuple]] = defaultdict(set)
    for qname in QUERIES:
        path = queries / f"{qname}.rq"
        if not path.exists():
            raise CmlkgError(f"{path}: competency query missing")
        results = run_query(store, path.read_text(encoding="utf-8"))
        names = [v.value for v in results.variables]
        for row in results:
            r = {n: (row[n].value if row[n] is not None else "") for n in names}
            out = pred[r.get("source", "")]
            if qname == "cohorts":
                for k in ("size", "evaluable", "female", "male"):
                    if _num(r.get(k)) is not None:
                        out.add(("cohort_size" if k == "size" else k, _num(r[k])))
                out |= _age(
                    r.get("age_statistic"),
                    r.get("age_value"),
                    r.get("age_min"),
                    r.get("age_max"),
                    r.get("age_sd"),
                )
            elif qname == "treatments":
                key = name(r["drug"])
                prior = r.get("role") == "prior"
                out.add(("prior_therapy" if prior else "intervention", key))
                dk = _dose(r.get("dose_value"), r.get("dose_unit", ""))
                if dk and not prior:
                    out.add(("dose", key, *dk))
            elif qname == "phases":
                out.add(("phase", name(r["phase"])))
            elif qname == "outcomes":
                out |= _outcome(name(r["outcome"]), r.get("count"), r.get("percent"), r.get("denominator"))
            elif qname == "adverse_events":
                out |= _event(name(r["event"]), r.get("grade"))
            elif qname == "patients" and _num(r.get("age")) is not None and r.get("sex"):
                out.add(("patient", _num(r["age"]), r["sex"].lower()))
    return pred


@dataclass
class Evaluation:
    counts: dict[str, Counter]
    missed: dict[str, list[tuple]] = field(default_factory=dict)
    spurious: dict[str, list[tuple]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)  # gold abstracts the build does not hold
    gold_abstracts: int = 0

    def warning(self) -> str:
        """What the user must know before reading the scores: gold abstracts missing from the build
        count as missed facts, so the figures measure the build's coverage, not the extraction."""
        if not self.absent:
            return ""
        return (
            f"warning: {len(self.absent)} of {self.gold_abstracts} gold abstracts are not in this build "
            f"(first: {', '.join(self.absent[:3])}); their facts count as missed: build the gold folder's "
            "texts, or score with a gold folder that matches the build"
        )

    @staticmethod
    def prf(c: Counter) -> tuple[float, float, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def total(self) -> Counter:
        t: Counter = Counter()
        for c in self.counts.values():
            t.update(c)
        return t

    def text(self) -> str:
        """The per-type table, what was missed and what was wrong, and the micro F1 line."""
        lines = [f"{'fact type':<22}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}"]
        for kind in sorted(self.counts):
            c = self.counts[kind]
            p, r, f = self.prf(c)
            lines.append(f"{kind:<22}{c['tp'] + c['fn']:>6}{c['tp'] + c['fp']:>6}{p:>7.2f}{r:>7.2f}{f:>7.2f}")
        t = self.total
        p, r, f = self.prf(t)
        for doc in sorted(set(self.missed) | set(self.spurious)):
            for tup in self.missed.get(doc, []):
                lines.append(f"  {doc}  missed    {tup}")
            for tup in self.spurious.get(doc, []):
                lines.append(f"  {doc}  wrong     {tup}")
        lines.append(
            f"micro F1 {f:.3f} (P {p:.3f} R {r:.3f}, {t['tp']} of {t['tp'] + t['fn']} gold, "
            f"{t['tp'] + t['fp']} predicted)"
        )
        return "\n".join(lines)


def evaluate_build(gold_dir: Path, build_dir: Path) -> Evaluation:
    """Score the build in ``build_dir`` against every ``*.gold.json`` in ``gold_dir``."""
    name = _Names()
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        raise CmlkgError(f"{gold_dir}: no *.gold.json files")
    pred = predicted_tuples(build_dir, name)
    built = source_texts(build_dir).keys()
    ev = Evaluation(defaultdict(Counter), gold_abstracts=len(golds))
    for path in golds:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CmlkgError(f"{path}: cannot read gold file: {exc}") from None
        if data["id"] not in built:
            ev.absent.append(data["id"])
        facts = gold_tuples(data.get("facts", {}), name)
        optional = gold_tuples(data.get("optional", {}), name)
        p = pred.get(data["id"], set()) - (optional - facts)
        tp, fn, fp = facts & p, facts - p, p - facts
        ev.missed[data["id"]] = sorted(fn, key=str)
        ev.spurious[data["id"]] = sorted(fp, key=str)
        for kind, group in (("tp", tp), ("fn", fn), ("fp", fp)):
            for t in group:
                ev.counts[t[0]][kind] += 1
    return ev


# ------------------------------------------------------------------ --explain
def source_texts(build_dir: Path) -> dict[str, str]:
    """The text of every abstract in the build, by identifier (as the graph holds it)."""
    store = open_store(build_dir)
    query = (
        "PREFIX cml: <https://w3id.org/cmlkg/ontology#>\n"
        "SELECT ?source ?text WHERE { ?doc cml:sourceIdentifier ?source ; cml:sourceText ?text }"
    )
    return {row["source"].value: row["text"].value for row in run_query(store, query)}


def _number_patterns(value: float) -> list[re.Pattern]:
    """How a number may be written: '46', '46.0', '0.46' for a percent ('forty-six': through parse_number)."""
    from cmlkg.extract.quantities import number_pattern

    pats = [number_pattern(value)]
    if 0 <= value <= 100:
        frac = format(value / 100, ".4f").rstrip("0").rstrip(".")
        if frac not in ("0", "1"):
            pats.append(
                rf"(?<![\d]){re.escape(frac.lstrip('0') if frac.startswith('0.') else frac)}0*(?![\d])"
            )
    return [re.compile(p) for p in pats]


@dataclass
class _Sentence:
    text: str
    stated: set[float | None]  # the numbers it states
    terms: set[str]  # the lexicon terms it names
    normalized: str


def _sentences(text: str) -> list[_Sentence]:
    """The sentences of an abstract with what --explain matches facts against, read once per abstract."""
    from cmlkg.extract.mentions import find_mentions
    from cmlkg.textutil import NUM_RE, parse_number, sentence_spans

    vocab = load_vocabulary()
    out = []
    for s, e in sentence_spans(text):
        sent = text[s:e]
        out.append(
            _Sentence(
                sent,
                {parse_number(m.group()) for m in NUM_RE.finditer(sent)},
                {m.term for m in find_mentions(sent, vocab)},
                norm(sent),
            )
        )
    return out


def explain_sentence(sentences: list[_Sentence], fact: tuple) -> str | None:
    """The sentence that a fact tuple most likely belongs to: the one that states most of its numbers
    and names its term (through the extraction lexicon), or None."""
    numbers = [v for v in fact[1:] if isinstance(v, float)]
    patterns = {v: _number_patterns(v) for v in numbers}
    terms = [
        v
        for v in fact[1:]
        if isinstance(v, str) and v not in ("count", "percent", "of", "median", "mean", "female", "male")
    ]
    best, best_score = None, 0
    for sent in sentences:
        score = 0
        for v in numbers:
            if v in sent.stated or any(p.search(sent.text) for p in patterns[v]):
                score += 2
        for t in terms:
            if (
                t in sent.terms
                or norm(t) in sent.normalized
                or norm(t).replace("_", "") in sent.normalized.replace("_", "")
            ):
                score += 1
        if score > best_score:
            best, best_score = sent.text.strip(), score
    return best


def explain(ev: Evaluation, build_dir: Path) -> str:
    """Every missed and every wrong fact with the sentence it belongs to, abstract by abstract."""
    texts = source_texts(build_dir)
    lines = []
    for doc in sorted(set(ev.missed) | set(ev.spurious)):
        items = [("missed", t) for t in ev.missed.get(doc, [])] + [
            ("wrong", t) for t in ev.spurious.get(doc, [])
        ]
        if not items:
            continue
        lines.append(f"== {doc}")
        text = texts.get(doc)
        sentences = _sentences(text) if text else []
        for what, tup in items:
            lines.append(f"  {what:<7} {tup}")
            sentence = explain_sentence(sentences, tup) if text else None
            lines.append(
                f"          in: {sentence}"
                if sentence
                else "          in: (no sentence states it)"
                if text
                else "          in: (abstract not in the build)"
            )
    return "\n".join(lines)
