"""Records of literature databases, and the MEDLINE text and JSON Lines readers (the PubMed XML reader
is :mod:`cmlkg.pubmed_xml`); PubMed's CSV is recognised.

Each reader is a generator over the records of one file that yields :class:`Record` (or :class:`Skip`
for a record that has no abstract) and raises :class:`~cmlkg.errors.InputError` naming the file and
the line or PMID where the input is broken. Every reader streams with a cap per line, record or
article, so a file of any size is read in bounded memory.

MEDLINE is read by hand: Biopython's ``Bio.Medline`` would do the parsing, but reports neither line
numbers nor records cut short, and would bring numpy along for forty lines of work.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cmlkg.errors import InputError

MAX_RECORD_CHARS = 100_000  # one abstract; the longest real ones are ~5,000 characters
MAX_LINE_CHARS = 1_000_000  # one line of MEDLINE or JSON Lines, read no further (memory stays bounded)
MAX_MEDLINE_RECORD = 2_000_000  # one MEDLINE record, every line of it (author lists make the longest)


@dataclass(frozen=True)
class Section:
    """A labelled section of a structured abstract: its label as printed, its NLM category, its span."""

    label: str
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Bibliography:
    """What a literature database says about the paper an abstract belongs to."""

    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    journal: str | None = None
    year: str | None = None
    mesh: tuple[tuple[str, str, bool], ...] = ()  # (descriptor UI or "" if unknown, heading, major topic)
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Record:
    """One record with an abstract; ``where`` names it in messages ("PMID 123", "line 4")."""

    identifier: str
    text: str
    bib: Bibliography
    where: str
    warning: str = ""  # something a user should know about a record that was kept


@dataclass(frozen=True)
class Skip:
    """A record that cannot become an abstract (no abstract text); counted in the build report."""

    where: str
    reason: str


@dataclass
class Parts:
    """Labelled pieces of abstract text, joined into one text with the sections' offsets."""

    pieces: list[tuple[str, str, str]] = field(default_factory=list)  # (label, category, text)

    def text(self) -> tuple[str, tuple[Section, ...]]:
        out: list[str] = []
        sections: list[Section] = []
        pos = 0
        for label, category, body in self.pieces:
            chunk = f"{label}: {body}" if label else body
            if out:
                out.append("\n")
                pos += 1
            if label:
                sections.append(Section(label, category or label.upper(), pos, pos + len(chunk)))
            out.append(chunk)
            pos += len(chunk)
        return "".join(out), tuple(sections)


def pubmed_identifier(pmid: str) -> str:
    """The identifier of an abstract taken from PubMed: ``pubmed-<PMID>``."""
    return f"pubmed-{pmid}"


def clean(text: str | None) -> str:
    """Whitespace runs as one space, trimmed (str.split: several times faster than a regex here)."""
    return " ".join(text.split()) if text else ""


def year_of(text: str | None) -> str | None:
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", text or "")
    return m.group(1) if m else None


def checked_pmid(pmid: str, path: Path, where: str) -> str:
    if not re.fullmatch(r"[1-9]\d{0,9}", pmid):
        raise InputError(f"{path}: {where}: PMID {pmid!r} is not a PubMed identifier (digits only)")
    return pmid


def make_record(
    path: Path, where: str, pmid: str | None, ident: str | None, parts: Parts, warning: str = "", **bib
) -> Record | Skip:
    text, sections = parts.text()
    if not text.strip():
        return Skip(where, "no abstract")
    if len(text) > MAX_RECORD_CHARS:
        raise InputError(
            f"{path}: {where}: {len(text):,} characters is far longer than any abstract "
            f"(limit {MAX_RECORD_CHARS:,})"
        )
    identifier = pubmed_identifier(pmid) if pmid else ident
    if not identifier:
        raise InputError(f"{path}: {where}: the record has neither a PMID nor an id")
    bib = {k: _printable(v) for k, v in bib.items()}
    return Record(identifier, text, Bibliography(pmid=pmid, sections=sections, **bib), where, warning)


def _printable(value):
    """A bibliographic value without control characters (ESC, BEL, NUL: a terminal that prints the title
    would obey them) or invisible format characters (zero-width, bidi overrides: look-alike values)."""
    import unicodedata

    if isinstance(value, str):
        return "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf"))
    if isinstance(value, (list, tuple)):
        return type(value)(_printable(v) for v in value)
    return value


# ------------------------------------------------------------------ MEDLINE text
_TAG = re.compile(r"([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def _doi_of(value: str) -> str | None:
    """The DOI of an AID/LID value ('10.1182/blood-2010-01-123 [doi]'), found without backtracking over the
    line (the regex search it replaces took seconds on a long line)."""
    at = value.find(" [doi]")
    if at < 0:
        return None
    words = value[:at].split()
    return words[-1] if words and _DOI.fullmatch(words[-1]) else None


def read_medline(path: Path, lines: Iterable[str]) -> Iterator[Record | Skip]:
    """MEDLINE records (PubMed's "PubMed" format, ``.nbib``): ``TAG - value`` lines, records split by blank
    lines.

    A record is complete when it has its ``SO`` (source) line, the last one PubMed writes; a record
    without it was cut short.
    """
    # (tag, value pieces) of the record being read (joined once: linear)
    fields: list[tuple[str, list[str]]] = []
    start = size = 0
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            if fields:
                yield _medline_record(path, fields, start)
                fields, size = [], 0
            continue
        size += len(line)
        if size > MAX_MEDLINE_RECORD:
            raise InputError(
                f"{path}: line {number}: a MEDLINE record of more than {MAX_MEDLINE_RECORD:,} "
                f"characters (from line {start}); the largest real ones are about 100,000"
            )
        if line.startswith("      ") and fields:
            fields[-1][1].append(line.strip())
            continue
        m = _TAG.fullmatch(line.rstrip())
        if not m or line[4:6] != "- ":
            raise InputError(
                f"{path}: line {number}: not a MEDLINE line ('TAG - value' or a continuation "
                f"indented by six spaces): {line[:60]!r}"
            )
        if not fields:
            start = number
        fields.append((m.group(1), [m.group(2)]))
    if fields:
        yield _medline_record(path, fields, start)


def _medline_record(path: Path, fields: list[tuple[str, list[str]]], start: int) -> Record | Skip:
    """One MEDLINE record from its fields, read from line ``start`` of ``path``."""
    tags: dict[str, list[str]] = {}
    for tag, pieces in fields:
        tags.setdefault(tag, []).append(clean(" ".join(pieces)))
    pmid_text = (tags.get("PMID") or [""])[0]
    where = f"PMID {pmid_text} (line {start})" if pmid_text else f"line {start}"
    if not pmid_text:
        raise InputError(f"{path}: {where}: a MEDLINE record without a PMID line")
    pmid = checked_pmid(pmid_text, path, where)
    warning = (
        ""
        if "SO" in tags
        else f"{path}: {where}: no SO line (PubMed ends every MEDLINE record with it): kept; "
        "check the record is complete"
    )
    doi = next((d for v in tags.get("AID", []) + tags.get("LID", []) if (d := _doi_of(v))), None)
    mesh = []  # MEDLINE names the headings but not their descriptor UIs: a heading without an IRI
    for value in tags.get("MH", []):
        descriptor = value.split("/")[0]
        mesh.append(("", descriptor.lstrip("*").strip(), value.startswith("*") or "/*" in value))
    parts = Parts()
    if tags.get("AB"):
        parts.pieces.append(("", "", " ".join(tags["AB"])))
    return make_record(
        path,
        where,
        pmid,
        None,
        parts,
        warning,
        doi=doi,
        title=" ".join(tags.get("TI", [])) or None,
        journal=(tags.get("JT") or tags.get("TA") or [""])[0] or None,
        year=year_of((tags.get("DP") or [""])[0]),
        mesh=tuple(mesh),
    )


# ------------------------------------------------------------------ JSON Lines
_JSON_FIELDS = {"id", "pmid", "doi", "title", "abstract", "journal", "year"}


def read_jsonl(path: Path, lines: Iterable[str]) -> Iterator[Record | Skip]:
    """One JSON object per line: ``{"id", "pmid", "doi", "title", "abstract", "journal", "year"}``."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: {where}, column {exc.colno}: not JSON: {exc.msg}") from None
        except ValueError as exc:  # an integer of thousands of digits
            raise InputError(f"{path}: {where}: not a record: {exc}") from None
        except RecursionError:
            raise InputError(f"{path}: {where}: not a record: JSON nested too deeply") from None
        if not isinstance(obj, dict):
            raise InputError(
                f"{path}: {where}: a JSON {type(obj).__name__}, not an object with an 'abstract'"
            )
        unknown = sorted(set(obj) - _JSON_FIELDS)
        if unknown:
            raise InputError(
                f"{path}: {where}: unknown field(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(_JSON_FIELDS))}"
            )
        for key in _JSON_FIELDS:
            if obj.get(key) is not None and (
                not isinstance(obj[key], (str, int)) or isinstance(obj[key], bool)
            ):
                raise InputError(f"{path}: {where}: '{key}' must be a string")  # ({"id": true} is not an id)
            if isinstance(obj.get(key), str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in obj[key]):
                lone = next(ord(ch) for ch in obj[key] if 0xD800 <= ord(ch) <= 0xDFFF)
                raise InputError(
                    f"{path}: {where}: '{key}' holds a lone surrogate (\\u{lone:04x}), which is not text"
                )
        pmid = str(obj["pmid"]).strip() if obj.get("pmid") not in (None, "") else None
        if pmid:
            checked_pmid(pmid, path, where)
            where = f"PMID {pmid} ({where})"
        ident = str(obj["id"]).strip() if obj.get("id") not in (None, "") else None
        parts = Parts()
        if obj.get("abstract"):
            parts.pieces.append(("", "", str(obj["abstract"]).strip()))
        yield make_record(
            path,
            where,
            pmid,
            ident,
            parts,
            doi=clean(str(obj["doi"])) or None if obj.get("doi") else None,
            title=clean(str(obj["title"])) or None if obj.get("title") else None,
            journal=clean(str(obj["journal"])) or None if obj.get("journal") else None,
            year=year_of(str(obj.get("year") or "")),
        )


# ------------------------------------------------------------------ PubMed CSV
_CSV_HEADER = {"PMID", "Title", "Authors", "Citation", "Journal/Book"}


def is_pubmed_csv(head: str) -> bool:
    """Whether a file starts with the header of PubMed's "CSV" export (which carries no abstracts)."""
    first = head.splitlines()[0] if head else ""
    try:
        names = set(next(csv.reader(io.StringIO(first))))
    except (csv.Error, StopIteration):
        return False
    return names >= _CSV_HEADER
