"""Derived vocabularies kept between runs: name indexes that the extraction derives from the data files
of packaged vocabularies (drug names, HPO phenotypes) are written once as JSON in the user's cache
folder (``$XDG_CACHE_HOME/cmlkg`` or ``~/.cache/cmlkg``; a temporary folder when that is not
writable), named after the package version they come from. Nothing is downloaded; deleting the folder
only costs the time to derive them again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cmlkg"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / f"cmlkg-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def cached(name: str, derive: Callable[[], object] | None = None, child: str | None = None):
    """The JSON document ``name`` from the cache, derived first if it is not there: by ``derive()`` in
    this process, or by running the module ``child`` (``python -m child PATH``) in a child process (for
    derivations that need much memory), which writes it to ``PATH``."""
    path = cache_dir() / name
    data = _read(path)
    if data is not None:
        return data
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if child is not None:
        subprocess.run([sys.executable, "-m", child, str(tmp)], check=True, stdout=subprocess.DEVNULL)
    else:
        assert derive is not None, "cached() needs derive or child"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(derive(), f, sort_keys=True)
    os.replace(tmp, path)  # atomic: concurrent runs each write a whole file
    data = _read(path)
    if data is None:
        raise RuntimeError(f"{path}: could not read what was just derived")
    return data


def _read(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
