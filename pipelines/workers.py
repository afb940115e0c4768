"""Worker processes for page parsing and claim extraction, which never outlive their owner.

Parsing and extraction are CPU work that would otherwise hold the reactor's thread for most of
a crawl. `WorkerPool` runs them in other processes, driven from the crawl's asyncio loop: each
worker has a socket of its own and one page at a time, so a worker that dies or hangs costs
exactly the page it had, and is replaced. (A `ProcessPoolExecutor` fails every pending task
when one worker dies; pebble's workers share a lock that a killed worker can keep, and a worker
dying between tasks leaves its queue waiting forever.) The loop reads a worker's answer as it
arrives, through asyncio streams: a blocking read would stall the crawl until the worker is
scheduled again to write the rest of it, which on a busy machine is often.

A worker must not outlive its owner, the process that made the pool, even one killed with
SIGKILL: it starts by calling `pipelines.worker_guard.guard`.
"""

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import threading
import time
from dataclasses import asdict
from multiprocessing import forkserver
from multiprocessing.process import BaseProcess
from typing import Any

from pipelines.worker_guard import guard

logger = logging.getLogger(__name__)

STOP_SECONDS = 5.0  # how long the workers have to exit once their sockets are shut
SIZE = struct.Struct("!Q")  # each message: its pickle's length, then the pickle
START_ATTEMPTS = 5  # failed starts in a row after which a driver gives up
START_BACKOFF_SECONDS = 0.1  # the wait after a failed start, doubled after each one


def default_size() -> int:
    """One worker per core this process may run on (its affinity, as taskset or a
    container's cpuset set it), not per core of the machine."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class WorkerDied(Exception):
    """The worker process ended while it had the page."""


class WorkerTimeout(Exception):
    """The worker took longer than the pool's timeout on one page, and was killed."""


class NoWorker(Exception):
    """No worker process could be started for the page (fork refused, out of file
    descriptors, a broken forkserver)."""


def read_page(html: bytes, url: str, known_titles: tuple[str, ...] = ()) -> tuple[dict, list[dict]]:
    """In a worker: the parsed page's fields and its claims, as plain dicts."""
    from crawler.page import parse_article  # imported by the forkserver, not by the crawl
    from pipelines.extract import extract_claims

    page = parse_article(html, url)
    return asdict(page), [asdict(claim) for claim in extract_claims(page, known_titles)]


def _serve(sock: socket.socket, owner: int, known_titles: tuple[str, ...]) -> None:
    """A worker's life: read a page, answer (True, result) or (False, error), until EOF.
    `known_titles` come once, with the worker's start, not with every page."""
    _let_go_of_the_forkserver()
    guard(owner)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the crawl, which stops us
    incoming = sock.makefile("rb")
    while header := incoming.read(SIZE.size):
        args = pickle.loads(incoming.read(SIZE.unpack(header)[0]))
        try:
            answer: tuple[bool, Any] = (True, read_page(*args, known_titles))
        except Exception as error:  # noqa: BLE001 - reported to the owner, for that page only
            answer = (False, f"{type(error).__name__}: {error}")
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        sock.sendall(SIZE.pack(len(data)) + data)


def _let_go_of_the_forkserver() -> None:
    """Close this worker's copy of the pipe that keeps the forkserver alive.

    The forkserver exits when every copy of that pipe's write end is closed, and it hands one
    to every process it forks (so that they could start processes of their own). A worker
    holding it keeps the forkserver alive after the owner died, and the forkserver, its parent,
    alive keeps PR_SET_PDEATHSIG from firing: a worker hung in C code, holding the GIL, or
    stopped, would then outlive the crawl. Without it, the forkserver exits with the owner and
    the kernel kills every worker, whatever state it is in.
    """
    # The module's singleton and its fd are not public API: without them this guard is lost,
    # not the worker (`guard`'s watcher still ends it with the owner).
    server = getattr(forkserver, "_forkserver", None)
    alive_fd = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive_fd, int):
        os.close(alive_fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


class _Worker:
    """One worker process and the owner's end of its socket."""

    def __init__(self, process: BaseProcess, sock: socket.socket) -> None:
        self.process = process
        self.sock = sock
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_unix_connection(sock=self.sock)

    async def ask(self, args: tuple) -> tuple[bool, Any]:
        assert self.reader is not None and self.writer is not None
        data = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(SIZE.pack(len(data)) + data)
        await self.writer.drain()
        (size,) = SIZE.unpack(await self.reader.readexactly(SIZE.size))
        return pickle.loads(await self.reader.readexactly(size))

    def shut(self, kill: bool = False) -> None:
        """Shut the socket, so the worker reads EOF and exits; `kill`: kill it first."""
        if kill:
            self.process.kill()
        with contextlib.suppress(OSError):  # already closed by the other side
            self.sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Release the owner's end of the socket (on the loop's thread)."""
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()


def _reap(workers: list[_Worker], seconds: float = STOP_SECONDS) -> None:
    """Wait for shut workers to exit, `seconds` for all of them together; kill the laggards.
    Blocking: run in a thread, never on the reactor's."""
    deadline = time.monotonic() + seconds
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
    for worker in workers:
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()


class WorkerPool:
    """`size` worker processes running `read_page`, fed from the running asyncio loop.

    They start with the first page (a re-crawl that finds nothing new starts none), in a
    thread, so the crawl goes on downloading meanwhile. They are forked from a clean
    forkserver (never from a process running a reactor and its threads) that has the parser
    and the extractor imported already, so a replaced worker starts in milliseconds.

    Every page queued gets an answer: a driver that cannot start a worker fails its page and
    tries again after a pause; one that failed START_ATTEMPTS times in a row gives up, and
    once no driver is left, every page queued and every later one fails with NoWorker.
    """

    def __init__(self, size: int, timeout: float) -> None:
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {size}")
        self.size = size
        self.timeout = timeout
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload([__name__, "pipelines.extract"])
        self.queue: asyncio.Queue[tuple[tuple, asyncio.Future]] = asyncio.Queue()
        self.drivers: set[asyncio.Task] = set()
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()  # workers are started in threads
        self.stopped = False
        self.known_titles: tuple[str, ...] = ()  # set before the first page, passed to workers
        self.start_error = "its driver failed"  # why the last start failed
        self.broken: NoWorker | None = None  # set once every driver gave up

    async def read_page(self, html: bytes, url: str) -> tuple[dict, list[dict]]:
        """The page's fields and claims; WorkerDied, WorkerTimeout, NoWorker or RuntimeError
        (an exception in the worker) if the page could not be read."""
        if self.broken is not None:
            raise self.broken
        loop = asyncio.get_running_loop()
        if not self.drivers:
            self.drivers = {loop.create_task(self._drive()) for _ in range(self.size)}
        future = loop.create_future()
        self.queue.put_nowait(((html, url), future))
        return await future

    async def stop(self) -> None:
        """Stop every worker and wait for them, STOP_SECONDS for all together, off the
        loop's thread; pages still queued fail."""
        with self.lock:
            self.stopped = True
            workers, self.workers = list(self.workers), set()
        for driver in self.drivers:
            driver.cancel()
        self._fail_queued(WorkerDied("the pool was stopped"))
        for worker in workers:
            worker.shut()
        await asyncio.to_thread(_reap, workers)
        for worker in workers:
            worker.close()

    def _fail_queued(self, error: Exception) -> None:
        while not self.queue.empty():
            _settle(self.queue.get_nowait()[1], error=error)

    async def _new_worker(self) -> _Worker:
        worker = await asyncio.get_running_loop().run_in_executor(None, self._start_worker)
        await worker.connect()
        return worker

    def _start_worker(self) -> _Worker:
        ours, theirs = socket.socketpair()
        try:
            process = self.context.Process(
                target=_serve,
                args=(theirs, os.getpid(), self.known_titles),
                name="renewals-extract",
                daemon=True,
            )
            process.start()
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # only the worker holds its end: its death reads as EOF here
        worker = _Worker(process, ours)
        with self.lock:
            if not self.stopped:
                self.workers.add(worker)
                return worker
        worker.shut()
        _reap([worker])
        worker.close()
        raise asyncio.CancelledError  # the pool stopped while this worker started

    async def _discard(self, worker: _Worker, kill: bool = False) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.shut(kill)
        await asyncio.to_thread(_reap, [worker])
        worker.close()

    async def _drive(self) -> None:
        """Feed one worker a page at a time; replace it when it dies or hangs."""
        worker: _Worker | None = None
        failed_starts = 0
        future: asyncio.Future | None = None
        try:
            while failed_starts < START_ATTEMPTS:
                args, future = await self.queue.get()
                if future.done():  # its item was cancelled
                    continue
                if worker is not None and not worker.process.is_alive():
                    await self._discard(worker)  # it died idle: this page is not to blame
                    worker = None
                if worker is None:
                    try:
                        worker = await self._new_worker()
                    except Exception as error:  # noqa: BLE001 - costs this page, not the crawl
                        failed_starts += 1
                        reason = f"{type(error).__name__}: {error}"
                        _settle(future, error=NoWorker(f"could not start a worker ({reason})"))
                        self.start_error = reason
                        if failed_starts < START_ATTEMPTS:
                            await asyncio.sleep(START_BACKOFF_SECONDS * 2 ** (failed_starts - 1))
                        continue
                    failed_starts = 0
                if not await self._ask(worker, args, future):
                    worker = None
        except Exception:  # a bug here must not leave the page, and the crawl, waiting
            logger.exception("an extraction worker's driver failed")
            if future is not None:
                _settle(future, error=NoWorker("the worker's driver failed"))
        finally:
            self.drivers.discard(asyncio.current_task())  # type: ignore[arg-type]
            if not self.stopped and not self.drivers:  # nobody would answer what is queued
                self.broken = NoWorker(f"no worker could be started ({self.start_error})")
                self._fail_queued(self.broken)
        if worker is not None:
            await self._discard(worker)

    async def _ask(self, worker: _Worker, args: tuple, future: asyncio.Future) -> bool:
        """Settle the page's future from the worker; False if the worker was discarded."""
        try:
            ok, result = await asyncio.wait_for(worker.ask(args), self.timeout)
        except TimeoutError:
            await self._discard(worker, kill=True)
            _settle(future, error=WorkerTimeout(f"over {self.timeout:g} s"))
            return False
        except (asyncio.IncompleteReadError, ConnectionError):
            await self._discard(worker)
            _settle(future, error=WorkerDied(f"exit code {worker.process.exitcode}"))
            return False
        if ok:
            _settle(future, result)
        else:
            _settle(future, error=RuntimeError(result))
        return True


def _settle(future: asyncio.Future, result: Any = None, error: Exception | None = None) -> None:
    if future.done():  # its item was cancelled meanwhile
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
