"""The uvicorn glue: an h11 protocol with header deadlines and TCP_NODELAY, and the server's start."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from cmlkg import __version__
from cmlkg.server.app import create_app
from cmlkg.server.config import ServerConfig


def _protocol(header_timeout: float):
    import socket

    """uvicorn's h11 protocol with a deadline for each request's line and headers.

    uvicorn has a keep-alive timeout but none for a request that is being sent: a client that opens a
    connection and sends half a header would hold it for ever. Here the connection is closed when the
    headers are not complete ``header_timeout`` seconds after the connection (or the last response).
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11(H11Protocol):
        _header_timer: asyncio.TimerHandle | None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            if sock is not None:  # headers and body leave in two writes: Nagle would hold the second 40 ms
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

        def _arm(self) -> None:
            self._armed_cycle = self.cycle
            self._header_timer = self.loop.call_later(header_timeout, self._header_expired)

        def _disarm(self) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def _header_expired(self) -> None:
            self._header_timer = None
            if self.cycle is self._armed_cycle and not self.transport.is_closing():
                self.transport.close()  # no request started since: a slow or stalled client

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None:  # a response that must be cut off can abort its connection
                self.cycle.scope["cmlkg.transport"] = self.transport  # type: ignore[typeddict-unknown-key]
            if self.cycle is not getattr(self, "_armed_cycle", None):
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._disarm()
                self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutH11


def run_server(config: ServerConfig, host: str, port: int, quiet: bool = False) -> None:
    import socket

    import uvicorn

    sock = socket.socket(
        socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
    )
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        from cmlkg.errors import CmlkgError

        why = "is in use" if exc.errno == 98 else f"cannot be used ({exc.strerror})"
        raise CmlkgError(
            f"port {port} on {host} {why}: choose another with --port, or --port 0 for a free one"
        ) from None
    actual = sock.getsockname()[1]
    config.bound = f"http://{'[' + host + ']' if ':' in host else host}:{actual}"
    if not quiet or port == 0:  # a port picked by the system is always told: nobody could find it else
        print(
            f"cmlkg {__version__}: SPARQL endpoint at http://{host}:{actual}/sparql (query page at /)",
            file=sys.stderr,
            flush=True,
        )
    # no connection limit (uvicorn's counts stalled connections and answers everyone else 503): the
    # query queue is bounded by --max-queue, stalled connections by the header and body timeouts
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config),
            log_level="warning" if quiet else "info",
            http=_protocol(config.header_timeout),
            backlog=2048,
        )
    )
    server.run(sockets=[sock])
