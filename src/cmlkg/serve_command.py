"""`cmlkg serve`: the command line of the SPARQL endpoint (the server itself is :mod:`cmlkg.server`,
imported only when the command runs, so that other commands start fast)."""

from __future__ import annotations

from pathlib import Path

import click

from cmlkg.cli_options import BUILD_DIR, QUIET


@click.command()
@BUILD_DIR
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The default accepts local connections only; use 0.0.0.0 to expose the "
    "endpoint to your network (read-only, but put a reverse proxy in front of it).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on; 0 picks a free one (printed on stderr).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds a query may take, from its arrival to the last byte sent: a query still running is "
    "stopped (HTTP 503), a transfer still going is cut off.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=1_000_000,  # the whole answer of a competency query at 50,000 abstracts (outcomes: 123,000 rows)
    show_default=True,
    help="Most result rows (or triples) a query may return; more is refused with HTTP 413.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes (each holds the store open read-only).",
)
@click.option(
    "--memory",
    is_flag=True,
    help="Each worker loads the build into memory (about 120 MB per 1,000 abstracts, per worker): "
    "queries run several times faster; start-up takes a few seconds per 1,000 abstracts.",
)
@click.option(
    "--max-queue",
    type=click.IntRange(1),
    default=64,
    show_default=True,
    help="Queries that may wait for a worker; beyond that the server answers 503 at once.",
)
@click.option(
    "--allow-service",
    multiple=True,
    metavar="IRI",
    help="An endpoint that SERVICE may call (repeatable). None by default: no outbound requests.",
)
@click.option(
    "--base",
    "--base-url",
    "base",
    default=None,
    help="Public base URL of this server, for links, VoID and the service description "
    "(default: from the request's Host).",
)
@click.option(
    "--allow-host",
    multiple=True,
    metavar="HOST[:PORT]",
    help="A Host header under which links and VoID name this server (repeatable); any other Host is "
    "ignored, so a forged one cannot reach a cache. Without --base-url or this: the bound address.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1000),
    default=200_000_000,
    show_default=True,
    help="Largest serialised result a query may return; more is refused with HTTP 413.",
)
@click.option(
    "--max-memory",
    default="auto",
    show_default=True,
    metavar="SIZE",
    help="Address-space ceiling of each query worker (4G, 512M; 'auto': the machine's memory divided "
    "by workers + 1; 'none'). A query that needs more is stopped (HTTP 503), its worker replaced.",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="Seconds a client has to send a request's line and headers; then the connection is closed.",
)
@click.option(
    "--body-timeout",
    type=click.FloatRange(0.1, 600),
    default=30.0,
    show_default=True,
    help="Seconds a client has to send a request's body (HTTP 408 after).",
)
@QUIET
def serve(
    build_dir: Path,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    memory: bool,
    max_queue: int,
    allow_service: tuple[str, ...],
    base: str | None,
    allow_host: tuple[str, ...],
    max_bytes: int,
    max_memory: str,
    header_timeout: float,
    body_timeout: float,
    quiet: bool,
) -> None:
    """Serve the build as a read-only SPARQL 1.1 endpoint at /sparql, with a query page at /.

    Every IRI under https://w3id.org/cmlkg/ dereferences on this server (/resource/..., /ontology).

    \b
    Example:
        cmlkg serve --build-dir build --port 7878
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
             http://127.0.0.1:7878/sparql
    """
    from cmlkg.server import ServerConfig, default_max_memory, parse_size, run_server
    from cmlkg.store import current_generation

    try:
        ceiling = {"auto": default_max_memory(workers, memory), "none": 0}.get(max_memory.strip().lower())
        if ceiling is None:
            ceiling = parse_size(max_memory)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-memory") from None
    current_generation(build_dir)
    run_server(
        ServerConfig(
            build_dir=build_dir,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            memory=memory,
            queue_limit=max_queue,
            allowed_services=tuple(allow_service),
            base=base,
            max_bytes=max_bytes,
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            max_memory=ceiling,
            allowed_hosts=tuple(h.strip().lower() for h in allow_host),
        ),
        host,
        port,
        quiet,
    )
