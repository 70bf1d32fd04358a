"""Options that several commands share."""

from __future__ import annotations

from pathlib import Path

import click

BUILD_DIR = click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder of the build (the Oxigraph store and the exports).",
)
QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress or messages on stderr.")
