"""Reading abstracts: one UTF-8 ``.txt`` file per abstract, its identifier is the file name."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cmlkg.errors import InputError

MAX_BYTES = 200_000  # the longest real abstracts are ~5 kB; a book chapter is not an abstract
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKUP = re.compile(r"<\s*(html|body|head|div|p|xml|article|abstract|!DOCTYPE|\?xml)\b", re.I)


@dataclass(frozen=True)
class Abstract:
    """The text of one abstract and where it came from."""

    identifier: str
    text: str
    path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_abstract(path: Path, data: bytes, encoding: str = "utf-8") -> str:
    """Check and decode the bytes of an abstract file; raise :class:`InputError` naming the file and offset."""
    if not data.strip():
        raise InputError(f"{path}: the file is empty; an abstract needs text")
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{path}: {len(data):,} bytes is far larger than any abstract (limit {MAX_BYTES:,}); "
            "split it into one file per abstract"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: binary data (a NUL byte at byte offset {nul}); an abstract is plain text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        guess = "latin-1 or windows-1252" if all(b >= 0x80 for b in data[exc.start : exc.end]) else "another encoding"
        raise InputError(
            f"{path}: not valid {encoding} at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            f"the file looks like {guess}: convert it to UTF-8 or pass --encoding"
        ) from None
    text = text.removeprefix("\ufeff")
    match = _MARKUP.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(
            f"{path}: line {line}: the file holds markup ({match.group(0)!r}); give the abstract as plain text"
        )
    control = _CONTROL.search(text)
    if control:
        raise InputError(f"{path}: control character at character offset {control.start()}; is this a text file?")
    return text


def read_abstract(path: Path, encoding: str = "utf-8") -> Abstract:
    """Read and check one abstract file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return Abstract(path.stem, decode_abstract(path, data, encoding), path)


def abstract_paths(seeds: Path) -> list[Path]:
    """The ``.txt`` files of a seeds folder, sorted by name."""
    if not seeds.exists():
        raise InputError(f"{seeds}: no such seeds folder")
    if not seeds.is_dir():
        raise InputError(f"{seeds}: not a folder; --seeds takes a folder of .txt abstracts")
    paths = sorted(p for p in seeds.iterdir() if p.suffix == ".txt" and p.is_file())
    if not paths:
        raise InputError(f"{seeds}: the folder has no .txt files; put one abstract per .txt file there")
    return paths


def read_corpus(seeds: Path, encoding: str = "utf-8") -> list[Abstract]:
    """Read every abstract of a folder, or raise one :class:`InputError` listing every bad file."""
    abstracts, problems = [], []
    for path in abstract_paths(seeds):
        try:
            abstracts.append(read_abstract(path, encoding))
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))
    return abstracts
