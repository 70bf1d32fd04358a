"""The cmlkg command line: a thin adapter over the library.

Exit codes: 0 success, 1 a failure you can fix (bad input, no build, malformed query, a graph that
does not conform), 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cmlkg import __version__
from cmlkg.cli_options import BUILD_DIR, QUIET
from cmlkg.errors import CmlkgError
from cmlkg.serve_command import serve

_INTERRUPTED = {  # what Ctrl-C leaves behind, per command
    "build": "the last good build is unchanged",
    "add": "the build is unchanged",
    "remove": "the build is unchanged",
    "query": "the query was stopped",
    "export": "the output is incomplete",
    "serve": "the server stopped",
}


class _Commands(click.Group):
    """The one place where the commands' failures become messages: a :class:`CmlkgError` is one line
    on stderr and exit 1; Ctrl-C is one line and exit 130, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CmlkgError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            name = ctx.invoked_subcommand or "cmlkg"
            done = _INTERRUPTED.get(name)
            click.echo(f"cmlkg {name}: interrupted" + (f"; {done}" if done else ""), err=True)
            sys.exit(130)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cmlkg")
def main() -> None:
    """Build, query and serve a knowledge graph of CML treatment evidence.

    \b
    Example:
        cmlkg build && cmlkg query queries/outcomes.rq && cmlkg serve
    """


@main.command()
@click.option(
    "--seeds",
    type=click.Path(path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Folder of abstracts: .txt files (one abstract each, identified by the file name) and "
    "PubMed exports (PubMed XML, MEDLINE .nbib/.txt, JSON Lines; identified as pubmed-<PMID>).",
)
@BUILD_DIR
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for extraction; the output is the same for any number.",
)
@click.option(
    "--encoding",
    default="utf-8",
    show_default=True,
    help="Encoding of abstract files that are not UTF-8 (a byte-order mark, or valid UTF-8, wins).",
)
@click.option(
    "--follow-symlinks", is_flag=True, help="Read symbolic links in the seeds folder (refused by default)."
)
@QUIET
def build(seeds: Path, build_dir: Path, jobs: int, encoding: str, follow_symlinks: bool, quiet: bool) -> None:
    """Build the graph from a folder of abstracts.

    Reads every abstract, extracts its facts, loads the ontology and the facts (one named graph per
    abstract) into an on-disk Oxigraph store and writes the exports (cmlkg.ttl, cmlkg.trig,
    cmlkg.rdf, void.ttl, report.json). The last good build stays in place until the new one is complete.

    \b
    Example:
        cmlkg build --seeds seeds --build-dir build
    """
    from cmlkg.build import build as run_build
    from cmlkg.corpus import estimate_records, input_paths
    from cmlkg.progress import Progress

    paths = input_paths(seeds, follow_symlinks)
    shown = not quiet and sys.stderr.isatty()
    # the bar's length is a scan of the inputs: done only when a bar is shown
    with Progress(estimate_records(paths) if shown else 0, "extracting", enabled=shown) as bar:
        report = run_build(
            seeds,
            build_dir,
            jobs=jobs,
            encoding=encoding,
            progress=bar.update,
            paths=paths,
            follow_symlinks=follow_symlinks,
            stage=bar.stage,
        )
    _input_messages(report, quiet)
    if not quiet:
        click.echo(
            f"built {report.abstracts} abstracts ({report.cml_treatment} CML treatment studies), "
            f"{report.quads} quads -> {build_dir}",
            err=True,
        )


def _input_messages(corpus, quiet: bool) -> None:
    """Warnings (always) and records skipped for want of an abstract (counted; listed in report.json).

    ``corpus``: what was read (a Corpus, or the report of a build, which has the same two lists)."""
    for warning in corpus.warnings:
        click.echo(f"warning: {warning}", err=True)
    if corpus.skipped and not quiet:
        first = corpus.skipped[0]
        click.echo(
            f"skipped {len(corpus.skipped)} record(s) without an abstract (first: {first['file']}: "
            f"{first['record']}); listed in report.json",
            err=True,
        )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@BUILD_DIR
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the abstract files.")
@QUIET
def add(files: tuple[Path, ...], build_dir: Path, encoding: str, quiet: bool) -> None:
    """Add abstracts to the current build (or replace them) without rebuilding the rest.

    The result equals a full rebuild; like build, it is swapped in only when complete. Copy the
    files into your seeds folder too, so the next full build keeps them.

    \b
    Example:
        cmlkg add new/2025_ash_1234.txt --build-dir build
    """
    from cmlkg.build import add as run_add
    from cmlkg.corpus import read_inputs

    corpus = read_inputs(list(files), encoding)
    _input_messages(corpus, quiet)
    report = run_add(list(files), build_dir, encoding=encoding, corpus=corpus)
    if not quiet:
        added = len(corpus.abstracts) - report.replaced
        click.echo(
            f"added {added} abstract(s), replaced {report.replaced}; the build now holds "
            f"{report.abstracts} abstracts, {report.quads} quads",
            err=True,
        )


@main.command()
@click.argument("identifiers", nargs=-1, required=True)
@BUILD_DIR
@QUIET
def remove(identifiers: tuple[str, ...], build_dir: Path, quiet: bool) -> None:
    """Remove abstracts (by identifier) from the current build without rebuilding the rest.

    The result equals a full rebuild without them; like add, it is swapped in only when complete.
    Remove the files from your seeds folder too, or the next full build brings them back.

    \b
    Example:
        cmlkg remove pubmed-12345678 2025_ash_1234 --build-dir build
    """
    from cmlkg.build import remove as run_remove

    report = run_remove(list(identifiers), build_dir)
    if not quiet:
        click.echo(
            f"removed {len(set(identifiers))} abstract(s); the build now holds {report.abstracts} abstracts, "
            f"{report.quads} quads",
            err=True,
        )


@main.command()
@click.argument("query")
@BUILD_DIR
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default=None,
    help="Output format; default: table on a terminal, csv otherwise.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 86400),
    default=30.0,
    show_default=True,
    help="Seconds the query may run; then it is stopped (exit 1). Ctrl-C stops it at once.",
)
def query(query: str, build_dir: Path, fmt: str | None, timeout: float) -> None:
    """Run a SPARQL query (a .rq file or a string) over a build.

    The default graph is the union of all graphs, unless the query names its dataset (FROM, FROM
    NAMED). Results go to stdout. SELECT and ASK give a results table or format; CONSTRUCT and
    DESCRIBE give triples: Turtle (table), N-Triples (csv, tsv), JSON-LD (json), RDF/XML (xml).
    Updates are refused: the build changes only through build, add and remove.

    \b
    Example:
        cmlkg query queries/cohorts.rq --format csv
        cmlkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from cmlkg.query import read_query, run_stopping
    from cmlkg.store import current_generation

    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    current_generation(build_dir)  # no build: its message, before a process starts
    run_stopping(build_dir, read_query(query), fmt, timeout, sys.stdout.buffer)
    sys.stdout.flush()


@main.command()
@BUILD_DIR
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld"]),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write; default: stdout.",
)
def export(build_dir: Path, fmt: str, output: Path | None) -> None:
    """Export the ontology plus all data in an RDF format.

    Turtle, N-Triples, RDF/XML and JSON-LD merge the graphs; N-Quads and TriG keep one named graph
    per abstract. RDF/XML is what Protégé opens.

    \b
    Example:
        cmlkg export --format rdfxml -o cmlkg.rdf
    """
    from cmlkg.export import export_build

    if output is None:
        export_build(build_dir, fmt, sys.stdout.buffer)
        sys.stdout.flush()
    else:
        tmp = output.with_name(output.name + ".part")
        try:
            with tmp.open("wb") as fh:
                export_build(build_dir, fmt, fh)
            tmp.replace(output)
        except OSError as exc:
            tmp.unlink(missing_ok=True) if tmp.parent.is_dir() else None
            hint = "; the folder does not exist" if not output.parent.is_dir() else ""
            raise CmlkgError(f"{output}: cannot write: {exc.strerror or exc}{hint}") from None


@main.command()
@BUILD_DIR
@click.option("--reasoner/--no-reasoner", default=True, show_default=True, help="Run HermiT (needs Java).")
def validate(build_dir: Path, reasoner: bool) -> None:
    """Check a build: HermiT consistency of ontology plus data, and the SHACL shapes.

    Exit 0 when the build conforms; 1 when it does not, or cannot be checked (no build, no Java).

    \b
    Example:
        cmlkg validate --build-dir build
    """
    from cmlkg.validate import validate_build

    report = validate_build(build_dir, reasoner=reasoner)
    click.echo(report.text())
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.option(
    "--gold",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="Folder of ID.gold.json files (format: tests/data/corpus/README.md in the repository).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="After the table, print each missed and each wrong fact with the sentence it belongs to.",
)
@BUILD_DIR
def evaluate(gold: Path, build_dir: Path, explain: bool) -> None:
    """Score a build against gold facts: precision, recall and F1 per fact type.

    Prints the table, then every missed and every wrong fact, then the micro F1; with --explain, then
    each missed and wrong fact again with the sentence of the abstract it belongs to.

    Facts are read from the build through queries/*.rq, as the independent scorer does.

    \b
    Example:
        cmlkg build --seeds tests/data/corpus/dev --build-dir /tmp/dev
        cmlkg evaluate --gold tests/data/corpus/dev --build-dir /tmp/dev --explain
    """
    from cmlkg.evaluate import evaluate_build
    from cmlkg.evaluate import explain as explain_facts

    result = evaluate_build(gold, build_dir)
    if result.warning():
        click.echo(result.warning(), err=True)
    click.echo(result.text())
    if explain:
        click.echo(explain_facts(result, build_dir))


main.add_command(serve)

if __name__ == "__main__":
    main()
