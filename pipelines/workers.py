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
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import threading
from dataclasses import asdict
from multiprocessing import forkserver
from multiprocessing.process import BaseProcess
from typing import Any

from pipelines.worker_guard import guard

STOP_SECONDS = 5.0  # how long a worker has to exit once its socket is shut
SIZE = struct.Struct("!Q")  # each message: its pickle's length, then the pickle


class WorkerDied(Exception):
    """The worker process ended while it had the page."""


class WorkerTimeout(Exception):
    """The worker took longer than the pool's timeout on one page, and was killed."""


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
    server = forkserver._forkserver  # the module's singleton; its fd is not public API
    if server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None


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

    def stop(self, kill: bool = False) -> None:
        """Shut the socket (the worker reads EOF and exits) and wait; kill a laggard."""
        if kill:
            self.process.kill()
        with contextlib.suppress(OSError):  # already closed by the other side
            self.sock.shutdown(socket.SHUT_RDWR)
        self.process.join(STOP_SECONDS)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        if self.writer is not None:
            self.writer.close()
        else:
            self.sock.close()


class WorkerPool:
    """`size` worker processes running `read_page`, fed from the running asyncio loop.

    They start with the first page (a re-crawl that finds nothing new starts none), in a
    thread, so the crawl goes on downloading meanwhile. They are forked from a clean
    forkserver (never from a process running a reactor and its threads) that has the parser
    and the extractor imported already, so a replaced worker starts in milliseconds.
    """

    def __init__(self, size: int, timeout: float) -> None:
        self.size = size
        self.timeout = timeout
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload([__name__, "pipelines.extract"])
        self.queue: asyncio.Queue[tuple[tuple, asyncio.Future]] = asyncio.Queue()
        self.drivers: list[asyncio.Task] = []
        self.workers: set[_Worker] = set()
        self.lock = threading.Lock()  # workers are started in threads
        self.stopped = False
        self.known_titles: tuple[str, ...] = ()  # set before the first page, passed to workers

    async def read_page(self, html: bytes, url: str) -> tuple[dict, list[dict]]:
        """The page's fields and claims; WorkerDied, WorkerTimeout or RuntimeError (an
        exception in the worker) if the page could not be read."""
        loop = asyncio.get_running_loop()
        if not self.drivers:
            self.drivers = [loop.create_task(self._drive()) for _ in range(self.size)]
        future = loop.create_future()
        self.queue.put_nowait(((html, url), future))
        return await future

    def stop(self) -> None:
        """Stop every worker and wait for it to exit; pages still queued fail."""
        with self.lock:
            self.stopped = True
            workers, self.workers = self.workers, set()
        for driver in self.drivers:
            driver.cancel()
        for worker in workers:
            worker.stop()
        while not self.queue.empty():
            _settle(self.queue.get_nowait()[1], error=WorkerDied("the pool was stopped"))

    async def _new_worker(self) -> _Worker:
        worker = await asyncio.get_running_loop().run_in_executor(None, self._start_worker)
        await worker.connect()
        return worker

    def _start_worker(self) -> _Worker:
        ours, theirs = socket.socketpair()
        process = self.context.Process(
            target=_serve,
            args=(theirs, os.getpid(), self.known_titles),
            name="renewals-extract",
            daemon=True,
        )
        process.start()
        theirs.close()  # only the worker holds its end: its death reads as EOF here
        worker = _Worker(process, ours)
        with self.lock:
            if not self.stopped:
                self.workers.add(worker)
                return worker
        worker.stop()
        raise asyncio.CancelledError  # the pool stopped while this worker started

    def _discard(self, worker: _Worker, kill: bool = False) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.stop(kill)

    async def _drive(self) -> None:
        """Feed one worker a page at a time; replace it when it dies or hangs."""
        worker = await self._new_worker()
        while True:
            args, future = await self.queue.get()
            if future.done():  # its item was cancelled
                continue
            if not worker.process.is_alive():  # it died idle: this page is not to blame
                self._discard(worker)
                worker = await self._new_worker()
            try:
                ok, result = await asyncio.wait_for(worker.ask(args), self.timeout)
            except TimeoutError:
                self._discard(worker, kill=True)
                _settle(future, error=WorkerTimeout(f"over {self.timeout:g} s"))
            except (asyncio.IncompleteReadError, ConnectionError):
                self._discard(worker)
                _settle(future, error=WorkerDied(f"exit code {worker.process.exitcode}"))
            else:
                if ok:
                    _settle(future, result)
                else:
                    _settle(future, error=RuntimeError(result))
                continue
            worker = await self._new_worker()


def _settle(future: asyncio.Future, result: Any = None, error: Exception | None = None) -> None:
    if future.done():  # its item was cancelled meanwhile
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
