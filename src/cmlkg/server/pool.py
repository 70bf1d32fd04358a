"""The worker pool (parent side): slots, the thread that drives a worker and frees its slot, the channel
that carries a streamed answer to the event loop (spilling to a file), ending and replacing workers."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing as mp
import sys
import tempfile
import threading
import time
from typing import IO

from starlette.requests import Request

from cmlkg.server.config import QueryRefused, ServerConfig
from cmlkg.server.jobs import Job
from cmlkg.server.worker import _worker_death, _worker_main


class _Worker:
    def __init__(self, store_dir: str, limits: dict):
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_dir, limits), daemon=True)
        self.proc.start()
        child.close()  # the parent keeps one end: a dead worker is an EOF here, not a silent wait
        self.store_dir = store_dir
        try:  # wait until the store is open (with --memory: loaded); not counted in any query's time
            ready = self.conn.recv()
        except EOFError:
            ready = ("error", 500, "the query worker exited while opening the build")
        if ready[0] != "ready":
            self.kill()
            raise QueryRefused(ready[1], ready[2])
        self.isolated = ready[1] if len(ready) > 1 else False

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class _Channel:
    """Messages from a pool thread to the event loop. The thread never waits for the client: past
    ``memory`` bytes, result chunks go to a temporary file that the client drains at its own pace
    (bounded by --max-bytes, within the response's deadline), so a client that reads slowly, or not at
    all, holds neither a worker nor the server's memory."""

    def __init__(self, loop: asyncio.AbstractEventLoop, memory: int = 1 << 20):
        self.loop, self.memory, self.ready = loop, memory, asyncio.Event()
        self.lock = threading.Lock()
        self.messages: collections.deque = collections.deque()
        self.held = 0  # bytes of chunks in memory
        self.file: IO[bytes] | None = None  # the spill file, once needed
        self.written = 0
        self.closed = False

    def put(self, message) -> None:
        """Thread side: hand ``message`` over at once (dropped once the reader has closed)."""
        with self.lock:
            if self.closed:
                return
            if message[0] == "chunk" and (self.file is not None or self.held + len(message[1]) > self.memory):
                if self.file is None:
                    self.file = tempfile.TemporaryFile(prefix="cmlkg-result-")  # noqa: SIM115 (closed by close())
                self.file.seek(self.written)
                self.file.write(message[1])
                message = ("spilled", self.written, len(message[1]))
                self.written += message[2]
            elif message[0] == "chunk":
                self.held += len(message[1])
            self.messages.append(message)
        with contextlib.suppress(RuntimeError):  # the loop is closed: the server is stopping
            self.loop.call_soon_threadsafe(self.ready.set)

    async def get(self):
        while True:
            with self.lock:
                if self.messages:
                    message = self.messages.popleft()
                    if message[0] == "chunk":
                        self.held -= len(message[1])
                    elif message[0] == "spilled":
                        self.file.seek(message[1])
                        message = ("chunk", self.file.read(message[2]))
                    return message
                self.ready.clear()
            await self.ready.wait()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.messages.clear()
            if self.file is not None:
                self.file.close()
                self.file = None


class QueryPool:
    """Worker processes holding the current build's store; a worker that overruns its time, or whose
    client hangs up or stops reading, is ended and replaced (pyoxigraph cannot cancel a query).

    A worker slot is taken on the event loop and given back by the thread that drives the worker,
    in its ``finally``, when the worker is done or ended: nothing a client does (hanging up, reading
    slowly, never reading) can cancel the release, and the thread ends by the job's deadline."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.limits = {
            "max_rows": config.max_rows,
            "max_bytes": config.max_bytes,
            "memory": config.memory,
            "allowed_services": tuple(config.allowed_services),
            "max_memory": config.max_memory,
        }
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.waiting = 0
        self.slots = asyncio.Semaphore(config.workers)
        self.warned = False
        # one spare process beyond the slots (on disk, where it costs little): a worker ended for a
        # hang-up or a deadline is replaced by one already running, not by a process that must start
        self.kept = config.workers + (0 if config.memory else 1)

    def _store_dir(self) -> str:
        from cmlkg.store import current_generation

        return str(current_generation(self.config.build_dir) / "store")

    def _take(self) -> _Worker:
        store_dir = self._store_dir()
        with self.lock:
            while self.idle:
                w = self.idle.pop()
                if w.store_dir == store_dir and w.proc.is_alive():
                    return w
                w.kill()  # a new build was swapped in (or the worker died): workers move on
        w = _Worker(store_dir, self.limits)
        if not w.isolated and not self.limits["allowed_services"] and not self.warned:
            self.warned = True
            print(
                "cmlkg serve: warning: query workers could not be cut off from the network (no network "
                "namespace here); SERVICE is refused by the query check alone",
                file=sys.stderr,
                flush=True,
            )
        return w

    def prewarm(self) -> None:
        """Start every worker now (with --memory, each loads the build before the port opens)."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.kept) as ex:
            workers = list(ex.map(lambda _i: self._take(), range(self.kept)))
        for w in workers:
            self._give_back(w)

    def _give_back(self, w: _Worker) -> None:
        with self.lock:
            if len(self.idle) < self.kept:
                self.idle.append(w)
                return
        w.kill()

    def _replace(self, w: _Worker) -> None:
        """End a worker and start its successor at once, in the background, so the next query finds
        it ready instead of waiting for a process to start."""
        w.kill()

        def start() -> None:
            with contextlib.suppress(Exception):
                self._give_back(_Worker(self._store_dir(), self.limits))

        threading.Thread(target=start, daemon=True).start()

    async def _start(self, job: Job, request: Request | None, deadline: float):
        """Take a slot and start ``job`` on a worker: (channel, cancel event). The slot is released by
        the driving thread alone, whatever happens to this coroutine or its client afterwards."""
        if self.waiting >= self.config.queue_limit:
            raise QueryRefused(503, "the server is overloaded; try again shortly")
        self.waiting += 1
        try:
            while True:  # wait for a slot, but not for a client that has gone or past the deadline
                try:
                    await asyncio.wait_for(self.slots.acquire(), 0.25)
                    break
                except TimeoutError:
                    if request is not None and await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
                    if time.monotonic() >= deadline:
                        raise QueryRefused(
                            503,
                            "the server is busy: no query worker became free within "
                            f"{self.config.timeout:g} s (--timeout)",
                        ) from None
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        channel, cancel = _Channel(loop), threading.Event()

        def release() -> None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.slots.release)

        try:
            threading.Thread(
                target=self._drive, args=(job, cancel, channel, deadline, release), daemon=True
            ).start()
        except BaseException:
            self.slots.release()
            raise
        return channel, cancel

    async def run(self, job: Job, request: Request | None = None):
        """Run a job answered by one message ("ok", kind, format, bytes); give up (and end the worker)
        when the client of ``request`` goes away."""
        deadline = time.monotonic() + self.config.timeout
        channel, cancel = await self._start(job, request, deadline)
        try:
            while True:
                try:
                    reply = await asyncio.wait_for(channel.get(), 0.1)
                    break
                except TimeoutError:
                    if request is not None and await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
        finally:
            cancel.set()  # no await here: a cancelled handler still stops its worker
            channel.close()
        if reply[0] == "error":
            raise QueryRefused(reply[1], reply[2])
        if reply[0] != "ok":
            raise QueryRefused(500, f"the query worker failed: {reply[-1]}")
        return reply[1:]

    async def stream(self, job: Job, request: Request, deadline: float):
        """Run a query job whose answer streams: (kind, format, async iterator of bytes).

        Errors before the head are raised as :class:`QueryRefused` (a clean HTTP status); after it, the
        iterator raises :class:`StreamAborted`, and the response is cut off (the client sees a broken
        transfer, never a silently truncated result). The worker is free as soon as its result is
        written, however slowly the client reads it."""
        channel, cancel = await self._start(job, request, deadline)
        try:
            while True:  # until the head: watch for a client that hangs up
                try:
                    first = await asyncio.wait_for(channel.get(), 0.1)
                    break
                except TimeoutError:
                    if await request.is_disconnected():
                        raise QueryRefused(499, "the client closed the connection") from None
            if first[0] == "error":
                raise QueryRefused(first[1], first[2])
            if first[0] != "head":
                raise QueryRefused(500, f"the query worker failed: {first[-1]}")
        except BaseException:
            cancel.set()
            channel.close()
            raise

        async def body():
            try:
                while True:
                    message = await channel.get()
                    if message[0] == "chunk":
                        yield message[1]
                    elif message[0] == "end":
                        return
                    else:  # an abort or failure after the head: cut the response off
                        raise StreamAborted(message[-1])
            finally:
                cancel.set()  # synchronous: runs even when the generator is closed by a cancellation
                channel.close()

        return first[1], first[2], body()

    def _drive(self, job: Job, cancel: threading.Event, channel: _Channel, deadline: float, release) -> None:
        """Thread: send ``job`` to a worker and pass its messages on, until it ends, the client goes
        (``cancel``) or the deadline passes. Frees the slot on the way out."""
        w = None
        try:
            try:
                w = self._take()
            except QueryRefused as exc:
                channel.put(("error", exc.status, str(exc)))
                return
            w.conn.send(job)
            while True:
                if cancel.is_set():  # the client went away
                    self._replace(w)
                    return
                if not w.conn.poll(min(0.1, max(0.0, deadline - time.monotonic()))):
                    if time.monotonic() >= deadline:
                        self._replace(w)
                        channel.put(
                            (
                                "error",
                                503,
                                f"the query ran longer than {self.config.timeout:g} s and was "
                                "stopped (--timeout)",
                            )
                        )
                        return
                    continue
                message = w.conn.recv()
                if message[0] in ("ok", "end", "error", "abort"):
                    if message[0] == "error" and message[1] == 503:  # out of memory: a fresh process
                        self._replace(w)
                    else:
                        self._give_back(w)
                    w = None
                    channel.put(message)
                    return
                channel.put(message)
        except (EOFError, BrokenPipeError, OSError):
            code = None
            if w is not None:
                w.proc.join(1)
                code = w.proc.exitcode
                self._replace(w)
            channel.put(_worker_death(code, self.config.max_memory))
        except Exception as exc:  # noqa: BLE001 - a failure of this thread is the query's, reported as such
            if w is not None:
                self._replace(w)
            channel.put(("error", 500, f"the query worker failed: {exc}"))
        finally:
            release()

    def close(self) -> None:
        with self.lock:
            for w in self.idle:
                w.kill()
            self.idle.clear()


class StreamAborted(Exception):
    """A streamed result that failed after its first bytes were sent."""
