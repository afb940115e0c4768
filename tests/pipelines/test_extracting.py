"""The extract step's worker processes, in real crawls: a worker that dies or hangs costs only
its page (fetched again by the next run), and a crawl killed with SIGKILL leaves no process."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import FAST_LOCAL_CRAWL, crawl, write_sources

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


def processes() -> dict[int, tuple[int, int, str]]:
    """Every live process: pid -> (parent pid, session id, state)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        state, ppid, _, session = stat[stat.rindex(")") + 2 :].split()[:4]
        if state not in "ZX":
            found[int(entry.name)] = (int(ppid), int(session), state)
    return found


def descendants(pid: int) -> list[int]:
    table = processes()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (ppid, _, _) in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting")
        time.sleep(0.02)


def start_crawl(
    sources: Path, db: Path, *extra: str, output: int = subprocess.PIPE
) -> subprocess.Popen:
    """`renewals crawl` in a session of its own, so that any process it leaves can be found.

    A crawl that will be killed gets `output=subprocess.DEVNULL`: a process it left behind
    would hold its output pipes open, and reading them would wait for ever."""
    command = [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources)]
    command += ["--db", str(db), *FAST_LOCAL_CRAWL, *extra]
    return subprocess.Popen(
        command, stdout=output, stderr=output, text=True, start_new_session=True
    )


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


def test_a_crawl_killed_mid_way_leaves_no_process_behind_even_a_hung_worker(
    news_site, tmp_path: Path
) -> None:
    site, sources, paths = news_site
    run = start_crawl(sources, tmp_path / "renewals.db", output=subprocess.DEVNULL)
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

    def session_gone() -> bool:
        return not [pid for pid, (_, sid, _) in processes().items() if sid == run.pid]

    try:
        wait_for(session_gone, seconds=10)
    finally:
        survivors = [pid for pid, (_, sid, _) in processes().items() if sid == run.pid]
        for pid in survivors:  # do not leave them to the next test
            os.kill(pid, signal.SIGKILL)
    assert not survivors


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
    assert run.returncode == 0, stderr
    lost = stderr.count("extraction worker died")
    assert lost >= 1, stderr[-3000:]
    first = stored_urls(db)
    assert len(first) == PAGES - lost

    fetched_before = len(site.requests)
    second = crawl(sources, db)
    assert second.returncode == 0, second.stderr
    refetched = article_requests(site.requests[fetched_before:], paths)
    assert len(refetched) == lost
    assert {site.url(path) for path in refetched} == stored_urls(db) - first
    assert len(stored_urls(db)) == PAGES


def test_a_hung_worker_costs_its_page_after_the_timeout(news_site, tmp_path: Path) -> None:
    site, sources, paths = news_site
    db = tmp_path / "renewals.db"
    run = start_crawl(sources, db, "-s", "RENEWALS_EXTRACT_TIMEOUT=1")
    try:
        wait_for(lambda: len(article_requests(site.requests, paths)) > 10)
        wait_for(lambda: workers_of(run.pid, busy=True))
        hung = workers_of(run.pid, busy=True)[0]
        os.kill(hung, signal.SIGSTOP)  # alive, holding its page, answering nothing
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 0, stderr
    assert hung not in processes(), "the hung worker was not stopped"
    timed_out = stderr.count("extraction took too long")
    assert timed_out == 1, stderr[-3000:]
    assert len(stored_urls(db)) == PAGES - 1
