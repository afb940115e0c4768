"""The extract step's worker processes, in real crawls: a worker that dies or hangs costs only
its page (fetched again by the next run), and a crawl killed with SIGKILL leaves no process."""

import ctypes
import errno
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from renewals.localsite import LocalSite
from tests.helpers import (
    FAST_LOCAL_CRAWL,
    crawl,
    descendants,
    no_process_left,
    processes,
    wait_for,
    write_sources,
)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")

PAGES = 60
FILLER = (
    "The cast gathered on the set for a long day of rehearsals while the writers kept working "
    "on the scripts, and the crew moved the cameras between the studio and the harbour. "
)


def write_site(root: Path, pages: int = PAGES) -> list[str]:
    """A feed of `pages` news articles of about 40 KB, each renewing its own show."""
    paths = []
    for number in range(pages):
        show = f"Harbour Watch {number}"
        paragraphs = [f"NBC has renewed {show} for season {2 + number % 5}."]
        paragraphs += [FILLER * 3] * 80
        body = "".join(f"<p>{text}</p>" for text in paragraphs)
        path = f"news/renewal-{number}/"
        (root / path).mkdir(parents=True)
        (root / path / "index.html").write_text(
            f"<html><head><title>{show} renewed</title>"
            '<meta property="article:published_time" content="2026-05-04T10:00:00Z">'
            f"</head><body><article><h1>{show} Renewed at NBC</h1>{body}</article></body></html>",
            encoding="utf-8",
        )
        paths.append(path)
    items = "".join(
        f"<item><title>Show renewed</title><link>{{{{BASE}}}}/{path}</link></item>"
        for path in paths
    )
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>',
        encoding="utf-8",
    )
    return ["/" + path for path in paths]


def start_crawl(
    sources: Path,
    db: Path,
    *extra: str,
    output: int = subprocess.PIPE,
    restrict: Callable[[], None] | None = None,
) -> subprocess.Popen:
    """`renewals crawl` in a session of its own, so that any process it leaves can be found;
    `restrict` runs in the child before it starts Python.

    A crawl that will be killed gets `output=subprocess.DEVNULL`: a process it left behind
    would hold its output pipes open, and reading them would wait for ever."""
    command = [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources)]
    command += ["--db", str(db), *FAST_LOCAL_CRAWL, *extra]
    return subprocess.Popen(
        command,
        stdout=output,
        stderr=output,
        text=True,
        start_new_session=True,
        preexec_fn=restrict,  # only a seccomp filter, in the fresh child
    )


PIDFD_OPEN = 434  # the system call's number on x86_64 and aarch64 alike
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}


class SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]


def refuse_pidfd_open() -> None:
    """A seccomp filter on this process and its children: pidfd_open fails with EPERM, as
    under container runtimes whose profiles predate it. (Run in the child, before exec.)"""
    load_word, jump_if_equal, give = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET
    allow, refuse = 0x7FFF0000, 0x00050000 | errno.EPERM  # SECCOMP_RET_ALLOW, _ERRNO
    program = (SockFilter * 6)(
        SockFilter(load_word, 0, 0, 4),  # the architecture
        SockFilter(jump_if_equal, 0, 3, AUDIT_ARCH[platform.machine()]),
        SockFilter(load_word, 0, 0, 0),  # the system call's number
        SockFilter(jump_if_equal, 0, 1, PIDFD_OPEN),
        SockFilter(give, 0, 0, refuse),
        SockFilter(give, 0, 0, allow),
    )
    libc = ctypes.CDLL(None, use_errno=True)
    no_new_privs, set_seccomp, mode_filter = 38, 22, 2
    fprog = SockFprog(len(program), program)
    if libc.prctl(no_new_privs, 1, 0, 0, 0) or libc.prctl(
        set_seccomp, mode_filter, ctypes.byref(fprog), 0, 0
    ):
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


@pytest.fixture
def pidfd_refused() -> Callable[[], None]:
    """`refuse_pidfd_open`, once it is known to work here."""
    if platform.machine() not in AUDIT_ARCH:
        pytest.skip("no seccomp filter for this architecture")
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import os; os.pidfd_open(os.getpid())"],
            capture_output=True,
            text=True,
            preexec_fn=refuse_pidfd_open,
        )
    except subprocess.SubprocessError:
        pytest.skip("seccomp filters are not allowed here")
    assert "PermissionError" in probe.stderr, probe.stderr
    return refuse_pidfd_open


def article_requests(requests: list[str], paths: list[str]) -> list[str]:
    return [path for path in requests if path in paths]


def stored_urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("select url from articles")}


@pytest.fixture
def news_site(tmp_path: Path, local_site):
    paths = write_site(tmp_path / "site")
    site = local_site(tmp_path / "site")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "news", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    return site, sources, paths


def workers_of(crawl_pid: int, busy: bool = False) -> list[int]:
    """The extraction workers: children of the crawl's forkserver, grandchildren of the crawl;
    `busy`: only those running on a CPU now (reading a page, not waiting for one)."""
    table = processes()
    children = {child for child, (ppid, _, _) in table.items() if ppid == crawl_pid}
    return [
        pid
        for pid, (ppid, _, state) in table.items()
        if ppid in children and (state == "R" or not busy)
    ]


class HeldBackSite(LocalSite):
    """A LocalSite that answers `held` only once `release` is set (at most 60 s later)."""

    def __init__(self, root: Path, held: str) -> None:
        super().__init__(root)
        self.held = held
        self.release = threading.Event()

    def resolve(self, path: str) -> Path | None:
        if path == self.held:
            self.release.wait(60)
        return super().resolve(path)


def stored_count(db: Path) -> int:
    try:
        return len(stored_urls(db))
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize("pidfd", ["allowed", "refused"])
def test_a_crawl_killed_mid_way_leaves_no_process_behind_even_a_hung_worker(
    news_site, tmp_path: Path, request, pidfd: str
) -> None:
    site, sources, paths = news_site
    restrict = request.getfixturevalue("pidfd_refused") if pidfd == "refused" else None
    run = start_crawl(
        sources, tmp_path / "renewals.db", output=subprocess.DEVNULL, restrict=restrict
    )
    try:
        wait_for(
            lambda: (
                len(workers_of(run.pid)) >= 2 and len(article_requests(site.requests, paths)) > 5
            )
        )
        assert run.poll() is None, "the crawl ended before it could be killed"
        left = descendants(run.pid)
        assert len(left) >= 3  # a forkserver, its workers (and multiprocessing's tracker)
        os.kill(workers_of(run.pid)[0], signal.SIGSTOP)  # the worst case: a worker hung
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert no_process_left(run.pid) == []


def test_where_pidfds_are_refused_the_workers_read_every_page(
    news_site, tmp_path: Path, pidfd_refused
) -> None:
    site, sources, paths = news_site
    db = tmp_path / "renewals.db"
    run = start_crawl(sources, db, restrict=pidfd_refused)
    try:
        _, stderr = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 0, stderr
    assert len(stored_urls(db)) == PAGES
    assert no_process_left(run.pid) == []


def test_pages_whose_workers_die_are_fetched_again_by_the_next_run(
    news_site, tmp_path: Path
) -> None:
    site, sources, paths = news_site
    db = tmp_path / "renewals.db"
    run = start_crawl(sources, db)
    try:
        wait_for(lambda: len(article_requests(site.requests, paths)) > 10)
        wait_for(lambda: workers_of(run.pid, busy=True))
        for worker in workers_of(run.pid, busy=True):
            os.kill(worker, signal.SIGKILL)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    lost = stderr.count("extraction worker died")
    assert lost >= 1, stderr[-3000:]
    assert run.returncode == 1, stderr
    assert stderr.splitlines()[-1].startswith(
        f"Error: {lost} articles could not be read (claim extraction failed); the next crawl"
        " fetches them again"
    )
    assert "Traceback" not in stderr  # one line a page
    first = stored_urls(db)
    assert len(first) == PAGES - lost

    fetched_before = len(site.requests)
    second = crawl(sources, db)
    assert second.returncode == 0, second.stderr
    refetched = article_requests(site.requests[fetched_before:], paths)
    assert len(refetched) == lost
    assert {site.url(path) for path in refetched} == stored_urls(db) - first
    assert len(stored_urls(db)) == PAGES


def test_a_hung_worker_costs_its_page_after_the_timeout(tmp_path: Path) -> None:
    paths = write_site(tmp_path / "site")
    site = HeldBackSite(tmp_path / "site", held=paths[-1]).start()
    try:
        sources = write_sources(
            tmp_path / "sources.toml",
            [{"name": "news", "tier": 1, "start_urls": [site.url("feed.xml")]}],
        )
        db = tmp_path / "renewals.db"
        run = start_crawl(
            sources, db, "-s", "RENEWALS_EXTRACT_TIMEOUT=1", "-s", "RENEWALS_EXTRACT_WORKERS=1"
        )
        try:
            # Every other page read and stored: the one worker is idle, and the held page,
            # once let go, can only go to it.
            wait_for(lambda: stored_count(db) == PAGES - 1, seconds=60)
            (hung,) = workers_of(run.pid)
            os.kill(hung, signal.SIGSTOP)  # alive, answering nothing
            site.release.set()
            _, stderr = run.communicate(timeout=60)
        finally:
            site.release.set()
            if run.poll() is None:
                run.kill()
                run.communicate()
    finally:
        site.stop()
    assert run.returncode == 1, stderr
    assert hung not in processes(), "the hung worker was not stopped"
    assert stderr.count("extraction took too long") == 1, stderr[-3000:]
    assert site.url(paths[-1]) not in stored_urls(db)
    assert len(stored_urls(db)) == PAGES - 1
    assert no_process_left(run.pid) == []


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to pin to one")
def test_a_crawl_pinned_to_one_core_starts_one_worker(tmp_path: Path) -> None:
    paths = write_site(tmp_path / "site")
    site = HeldBackSite(tmp_path / "site", held=paths[-1]).start()
    try:
        sources = write_sources(
            tmp_path / "sources.toml",
            [{"name": "news", "tier": 1, "start_urls": [site.url("feed.xml")]}],
        )
        db = tmp_path / "renewals.db"
        run = start_crawl(sources, db, restrict=lambda: os.sched_setaffinity(0, {0}))
        try:
            wait_for(lambda: stored_count(db) == PAGES - 1, seconds=60)
            workers = workers_of(run.pid)  # every worker started with the first page
            site.release.set()
            _, stderr = run.communicate(timeout=60)
        finally:
            site.release.set()
            if run.poll() is None:
                run.kill()
                run.communicate()
    finally:
        site.stop()
    assert len(workers) == 1
    assert run.returncode == 0, stderr
    assert len(stored_urls(db)) == PAGES
