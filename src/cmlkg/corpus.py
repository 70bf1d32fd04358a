"""Reading abstracts: plain-text files (one abstract each, named by the file) and PubMed exports.

Formats (chosen by content; the extension only decides which files of a folder are read):

- ``.txt``: one UTF-8 abstract; its identifier is the file name without the extension;
- PubMed XML (``PubmedArticleSet``), MEDLINE text (``PMID- `` ... ``AB  - ``) and JSON Lines, any
  number of records per file; an abstract from PubMed is identified as ``pubmed-<PMID>`` (JSON
  Lines without a PMID: its ``id``). See :mod:`cmlkg.pubmed`.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cmlkg.errors import InputError
from cmlkg.pubmed import (
    MAX_LINE_CHARS,
    Bibliography,
    Record,
    Skip,
    is_pubmed_csv,
    read_jsonl,
    read_medline,
)
from cmlkg.pubmed_xml import read_pubmed_xml

MAX_BYTES = 200_000  # the longest real abstracts are ~5 kB; a book chapter is not an abstract
SUFFIXES = (".txt", ".xml", ".nbib", ".medline", ".jsonl", ".csv")  # what a seeds folder is read for
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKUP = re.compile(r"<\s*(html|body|head|div|p|xml|article|abstract|!DOCTYPE|\?xml)\b", re.I)
_XML_START = re.compile(rb"\s*(<\?xml|<!DOCTYPE\s+PubmedArticleSet|<PubmedArticleSet)")
_MEDLINE_START = re.compile(rb"\s*PMID- ")


@dataclass(frozen=True)
class Abstract:
    """The text of one abstract and where it came from."""

    identifier: str
    text: str
    path: Path
    bib: Bibliography | None = None  # for a record of a literature database
    where: str = ""  # the record within its file ("PMID 123"), empty for a .txt file
    warning: str = ""  # what a user should know about the record (kept nonetheless)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_abstract(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    """Check and decode the bytes of an abstract file; raise :class:`InputError` naming the file and offset.

    The encoding is decided per file: a byte-order mark says it (UTF-8, UTF-16); otherwise UTF-8,
    and ``encoding`` (``--encoding``) only for a file that is not valid UTF-8, so a UTF-8 file in a
    folder of Latin-1 ones is not turned into mojibake.
    """
    if not data.strip():
        raise InputError(f"{path}: the file is empty; an abstract needs text")
    wide = lambda enc: enc.replace("_", "-").lower().startswith(("utf-16", "utf16", "utf-32", "utf32"))  # noqa: E731
    chosen = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if chosen is None:
        if wide(encoding) and b"\x00" in data:
            chosen = encoding
        else:
            try:
                data.decode("utf-8")
                chosen = "utf-8"
            except UnicodeDecodeError:
                chosen = encoding
    nul = data.find(b"\x00")
    if nul >= 0 and not wide(chosen):
        hint = (
            "; it looks like UTF-16 without a byte-order mark: pass --encoding utf-16-le (or -be)"
            if data[1::2].count(0) > len(data) // 4 or data[0::2].count(0) > len(data) // 4
            else ""
        )
        raise InputError(
            f"{path}: binary data (a NUL byte at byte offset {nul}); an abstract is plain text{hint}"
        )
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        guess = (
            "latin-1 or windows-1252"
            if all(b >= 0x80 for b in data[exc.start : exc.end])
            else "another encoding"
        )
        raise InputError(
            f"{path}: not valid {encoding} at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            f"the file looks like {guess}: convert it to UTF-8 or pass --encoding"
        ) from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {encoding!r} (--encoding)") from None
    text = text.removeprefix("\ufeff")
    match = _MARKUP.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(
            f"{path}: line {line}: the file holds markup ({match.group(0)!r}); "
            "give the abstract as plain text"
        )
    control = _CONTROL.search(text)
    if control:
        raise InputError(
            f"{path}: control character at character offset {control.start()}; is this a text file?"
        )
    return text


def check_identifier(identifier: str, where: str) -> str:
    """An abstract identifier in Unicode NFC, refused when it cannot make a dereferenceable IRI."""
    ident = unicodedata.normalize("NFC", identifier)
    if (
        ident in ("", ".", "..")
        or ident.strip() != ident
        or len(ident) > 200
        or _CONTROL.search(ident)
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in ident)
    ):
        # Cf: zero-width and bidi characters, which make one identifier look like another
        raise InputError(
            f"{where}: {identifier!r} cannot be an abstract identifier (it names the abstract's IRIs): "
            "use letters, digits, '-', '_' or '.', at most 200 characters"
        )
    return ident


def open_input(path: Path, follow_symlinks: bool = True) -> io.BufferedReader:
    """An input file opened for reading: a regular file, and not a symbolic link unless ``follow_symlinks``.

    The check is made on the open file itself (``O_NOFOLLOW``, then ``fstat``), so a link or a FIFO
    swapped in after the folder was listed is refused, not read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise InputError(
                f"{path}: a symbolic link; copy the file into the seeds folder, or pass --follow-symlinks"
            ) from None
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_abstract(
    path: Path, encoding: str = "utf-8", follow_symlinks: bool = True, fh: io.BufferedReader | None = None
) -> Abstract:
    """Read and check one plain-text abstract file."""
    own = fh is None
    if fh is None:
        fh = open_input(path, follow_symlinks)
    try:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_BYTES:  # checked before reading: a huge file is never read whole
            raise InputError(
                f"{path}: {size:,} bytes is far larger than any abstract (limit {MAX_BYTES:,}); "
                "split it into one file per abstract"
            )
        data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        if own:
            fh.close()
    return Abstract(check_identifier(path.stem, str(path)), decode_abstract(path, data, encoding), path)


@dataclass
class Corpus:
    """The abstracts of a set of input files, with what was skipped and what deserves a warning."""

    abstracts: list[Abstract] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"file", "record", "reason"}
    warnings: list[str] = field(default_factory=list)


def read_file(path: Path, encoding: str = "utf-8", follow_symlinks: bool = True) -> Iterator[Abstract | Skip]:
    """The abstracts of one input file, in any of the formats above (picked by its content)."""
    with open_input(path, follow_symlinks) as fh:
        try:
            head = fh.read(4096).removeprefix(b"\xef\xbb\xbf")
            fh.seek(0)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror}") from None
        if _XML_START.match(head):
            yield from _abstracts(path, read_pubmed_xml(path, fh))
        elif _MEDLINE_START.match(head):
            yield from _abstracts(path, read_medline(path, _lines(path, fh, encoding)))
        elif head.lstrip()[:1] == b"{":
            yield from _abstracts(path, read_jsonl(path, _lines(path, fh, encoding)))
        elif is_pubmed_csv(head.decode("utf-8", "replace")):
            raise InputError(
                f"{path}: PubMed's CSV export carries no abstracts; export the search as "
                "'PubMed' (MEDLINE) or 'PubMed XML' instead"
            )
        elif path.suffix.lower() == ".txt":
            yield read_abstract(path, encoding, fh=fh)
        else:
            raise InputError(
                f"{path}: unknown format: not PubMed XML, MEDLINE, JSON Lines, nor a plain-text .txt abstract"
            )


def _lines(path: Path, fh: io.BufferedReader, encoding: str) -> Iterator[str]:
    """The lines of a text file, each read no further than ``MAX_LINE_CHARS`` (memory stays bounded)."""
    number = 0
    try:
        text = io.TextIOWrapper(fh, encoding=encoding, newline=None)
        while line := text.readline(MAX_LINE_CHARS + 1):
            number += 1
            if len(line) > MAX_LINE_CHARS:
                raise InputError(
                    f"{path}: line {number}: longer than {MAX_LINE_CHARS:,} characters; no line of a "
                    "PubMed export is"
                )
            yield line.removeprefix("\ufeff") if number == 1 else line
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: line {number + 1}: not valid {encoding}; convert the file to UTF-8 or pass --encoding"
        ) from None
    except LookupError:
        raise InputError(f"{path}: unknown encoding {encoding!r} (--encoding)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def _abstracts(path: Path, records: Iterable[Record | Skip]) -> Iterator[Abstract | Skip]:
    for rec in records:
        if isinstance(rec, Skip):
            yield rec
            continue
        control = _CONTROL.search(rec.text)
        if control:
            raise InputError(
                f"{path}: {rec.where}: control character in the abstract at character offset "
                f"{control.start()}"
            )
        yield Abstract(
            check_identifier(rec.identifier, f"{path}: {rec.where}"),
            rec.text,
            path,
            rec.bib,
            rec.where,
            rec.warning,
        )


def input_paths(seeds: Path, follow_symlinks: bool = False) -> list[Path]:
    """The input files of a seeds folder (by extension, any case), sorted by name.

    A symbolic link is refused unless ``follow_symlinks``: a seeds folder publishes what it holds,
    and a link could publish any file the builder can read.
    """
    if not seeds.exists():
        raise InputError(f"{seeds}: no such seeds folder")
    if not seeds.is_dir():
        raise InputError(f"{seeds}: not a folder; --seeds takes a folder of abstracts")
    candidates = sorted(
        p for p in seeds.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
    )
    links = [p for p in candidates if p.is_symlink()]
    if links and not follow_symlinks:
        raise InputError(
            "\n".join(
                f"{p}: a symbolic link (to {os.readlink(p)}); copy the file into the seeds "
                "folder, or pass --follow-symlinks"
                for p in links
            )
        )
    paths = [p for p in candidates if p.is_file()]
    if not paths:
        raise InputError(
            f"{seeds}: the folder has no .txt files (nor PubMed exports: "
            f"{', '.join(SUFFIXES[1:])}); put one abstract per .txt file there"
        )
    return paths


class InputStream:
    """The abstracts of the given files, one at a time, in order (files as given, records as stored).

    The same identifier twice (a PMID in two exports) is built once, from its first occurrence, and
    noted in ``warnings``; records without an abstract are noted in ``skipped``. A bad file does not
    stop the stream: the other files are read on, and when the stream ends one :class:`InputError`
    lists every bad file. Only identifiers are remembered, so any amount of input streams in
    constant memory.
    """

    def __init__(self, paths: Iterable[Path], encoding: str = "utf-8", follow_symlinks: bool = True):
        self.paths = [Path(p) for p in paths]
        self.encoding = encoding
        self.follow_symlinks = follow_symlinks
        self.current: Path | None = None  # the file being read (for a message if the reader itself fails)
        self.skipped: list[dict] = []
        self.warnings: list[str] = []
        self.problems: list[str] = []

    def __iter__(self) -> Iterator[Abstract]:
        first: dict[str, tuple[Path, str]] = {}
        for path in self.paths:
            self.current = path
            try:
                for item in read_file(path, self.encoding, self.follow_symlinks):
                    if isinstance(item, Skip):
                        # the name only: report.json is published, the builder's folders are not
                        self.skipped.append({"file": path.name, "record": item.where, "reason": item.reason})
                        continue
                    if item.warning:
                        self.warnings.append(item.warning)
                    seen = first.get(item.identifier)
                    if seen is not None:
                        self.warnings.append(
                            f"{path}: {item.where or 'the file'}: abstract {item.identifier} again (first in "
                            f"{seen[0]}{': ' + seen[1] if seen[1] else ''}); built once, from the first"
                        )
                        continue
                    first[item.identifier] = (item.path, item.where)
                    yield item
            except InputError as exc:
                self.problems.append(str(exc))
        if self.problems:
            raise InputError("\n".join(self.problems))


def read_inputs(paths: Iterable[Path], encoding: str = "utf-8") -> Corpus:
    """Read every abstract of the given files, or raise one :class:`InputError` listing every bad file.

    Only abstract files are read: ``.txt`` and the PubMed export formats (by extension, any case); a
    ``.gold.json`` or a stray file is refused by name."""
    paths = [Path(p) for p in paths]
    wrong = [p for p in paths if p.suffix.lower() not in SUFFIXES]
    if wrong:
        raise InputError(
            "\n".join(
                f"{p}: not an abstract file; give .txt abstracts or PubMed exports "
                "(.xml, .nbib, .medline, .jsonl)"
                for p in wrong
            )
        )
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise InputError("\n".join(f"{p}: no such file" for p in missing))
    stream = InputStream(paths, encoding)
    abstracts = list(stream)
    return Corpus(abstracts, stream.skipped, stream.warnings)


def estimate_records(paths: Iterable[Path]) -> int:
    """About how many records the files hold (for a progress bar): a fast count of record starts."""
    total = 0
    for path in paths:
        try:
            with Path(path).open("rb") as fh:
                head = fh.read(4096)
                fh.seek(0)
                if _XML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
                    marker = b"<PubmedArticle>"
                elif _MEDLINE_START.match(head.removeprefix(b"\xef\xbb\xbf")):
                    marker = b"\nPMID- "
                    total += 1
                elif head.lstrip()[:1] == b"{":
                    marker = b"\n{"
                    total += 1
                else:
                    total += 1
                    continue
                tail = b""
                while chunk := fh.read(1 << 22):
                    total += (tail + chunk).count(marker)
                    tail = chunk[-len(marker) + 1 :]
        except OSError:
            total += 1
    return total


def read_corpus(seeds: Path, encoding: str = "utf-8", follow_symlinks: bool = False) -> Corpus:
    """Every abstract of a seeds folder."""
    return read_inputs(input_paths(seeds, follow_symlinks), encoding)
