"""Crawls killed with SIGKILL at each point, on a real local site: the next run makes the
statuses, changes and alerts an uninterrupted run makes, once each, and no process survives.

The site is a newsroom of SHOWS shows: on day 1 each is renewed for season 2, on day 2 each is
cancelled after two seasons, so an uninterrupted day-2 crawl flags SHOWS changes.
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from storage.db import BUSY_TIMEOUT_SECONDS
from tests.alerts_support import JsonReceiver, free_port
from tests.helpers import FAST_LOCAL_CRAWL, crawl, no_process_left, run_renewals, write_sources

ADJECTIVES = ["Amber", "Copper", "Silent", "Velvet", "Hollow", "Crimson", "Distant", "Iron"]
NOUNS = ["Lantern", "Harbor", "Meadow", "Orchard", "Canyon", "Beacon", "Garden", "Ridge"]
SHOWS = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS][:40]
LINUX_ONLY = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")


def slug(show: str) -> str:
    return show.lower().replace(" ", "-")


def article(headline: str, sentence: str, published: str) -> bytes:
    return (
        f"<html><head><title>{headline}</title>"
        f'<meta property="article:published_time" content="{published}T09:00:00+00:00">'
        f"</head><body><article><h1>{headline}</h1><p>{sentence}</p></article></body></html>"
    ).encode()


def newsroom_day(day: int) -> dict[str, bytes]:
    """Day 1: every show renewed for season 2. Day 2: every show cancelled after two."""
    pages = {}
    for show in SHOWS:
        if day == 1:
            headline, sentence = (
                f"{show} renewed for season 2 at Netflix",
                f"Netflix has renewed {show} for a second season, the streamer said on Friday.",
            )
            pages[f"/2026/05/{slug(show)}-renewed/"] = article(headline, sentence, "2026-05-01")
        else:
            headline, sentence = (
                f"Netflix cancels {show} after two seasons",
                f"Netflix has cancelled {show} after two seasons, the streamer said on Tuesday.",
            )
            pages[f"/2026/06/{slug(show)}-cancelled/"] = article(headline, sentence, "2026-06-02")
    return pages


class Newsroom:
    """A local news site serving one day's feed; each article answers after `delay` seconds,
    and `/slow-feed.xml` (an empty feed) after `slow_feed` seconds."""

    def __init__(self, delay: float = 0.0, slow_feed: float = 0.0) -> None:
        self.day = 1
        self.delay = delay
        self.slow_feed = slow_feed
        self.pages: dict[str, bytes] = {**newsroom_day(1), **newsroom_day(2)}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                body, kind = site.answer(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # the crawl may have been killed: as intended

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str) -> tuple[bytes | None, str]:
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>{show}: season news</title><link>{self.base}{page}</link></item>"
                for show, page in zip(SHOWS, newsroom_day(self.day), strict=True)
            )
            return f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), "text/xml"
        if path == "/slow-feed.xml":
            time.sleep(self.slow_feed)
            return b'<rss version="2.0"><channel><title>x</title></channel></rss>', "text/xml"
        if path in self.pages:
            time.sleep(self.delay)
            return self.pages[path], "text/html"
        return None, ""

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def newsroom() -> Iterator[Callable[..., Newsroom]]:
    sites: list[Newsroom] = []

    def start(**kwargs: float) -> Newsroom:
        sites.append(Newsroom(**kwargs))
        return sites[-1]

    yield start
    for site in sites:
        site.stop()


def sources_for(tmp_path: Path, site: Newsroom, slow: bool = False) -> Path:
    sources = [{"name": "gazette", "tier": 1, "start_urls": [f"{site.base}/feed.xml"]}]
    if slow:
        sources.append(
            {"name": "slowpoke", "tier": 2, "start_urls": [f"{site.base}/slow-feed.xml"]}
        )
    path = write_sources(tmp_path / "sources.toml", sources)
    # one message per change (not a digest), so alerts can be counted change by change
    path.write_text(path.read_text() + "\n[alerts]\ndigest_after = 1000\n")
    return path


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def copy_db(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def start(command: list[str]) -> subprocess.Popen:
    """A run to be killed, in a session of its own: whatever it leaves behind can be found
    (`no_process_left`), and holds no pipe of ours."""
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def start_crawl(sources: Path, db: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources)]
    return start([*command, "--db", str(db), *FAST_LOCAL_CRAWL, *extra])


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def outcome(db: Path) -> dict[str, Any]:
    """What a user sees: statuses, flagged changes and alert deliveries by status."""
    database = sqlite_utils.Database(db)
    return {
        "statuses": sorted(
            (r["show"], r["status"], r["season"]) for r in database["current_status"].rows
        ),
        "changes": sorted(
            (r["show"], r["from_status"], r["from_season"], r["to_status"], r["to_season"])
            for r in database["changes"].rows
        ),
        "deliveries": sorted(
            database.execute(
                "select status, count(*) from alert_deliveries group by status"
            ).fetchall()
        ),
        "queued": database["consolidation_queue"].count,
        "running": database.execute(
            "select count(*) from runs where status = 'running'"
        ).fetchone()[0],
    }


def received(hook: JsonReceiver) -> list[str]:
    """Distinct alert ids, as a receiver that drops repeats keeps them."""
    return sorted(set(hook.alert_ids()))


def day_one(tmp_path: Path, site: Newsroom, sources: Path, notify: str) -> Path:
    db = tmp_path / "day1.db"
    ok(crawl(sources, db, "--notify", notify))
    assert count(db, "select count(*) from shows where status = 'renewed'") == len(SHOWS)
    site.day = 2
    return db


@LINUX_ONLY
def test_killed_mid_crawl_the_next_crawl_makes_every_change_and_alert_once(
    tmp_path, newsroom
) -> None:
    site = newsroom(delay=0.1)
    sources = sources_for(tmp_path, site)
    with JsonReceiver() as hook, JsonReceiver() as control_hook:
        first = day_one(tmp_path, site, sources, hook.url())
        control = copy_db(first, tmp_path / "control.db")
        db = copy_db(first, tmp_path / "killed.db")
        ok(crawl(sources, control, "--notify", control_hook.url(), "-s", "CONCURRENT_REQUESTS=4"))

        process = start_crawl(sources, db, "--notify", hook.url(), "-s", "CONCURRENT_REQUESTS=4")
        stored = "select count(*) from articles where url like '%/2026/06/%'"
        wait_for(lambda: count(db, stored) >= 10)
        kill(process)
        assert count(db, stored) < len(SHOWS)  # killed mid-crawl, not after it
        assert outcome(db)["running"] == 1
        assert no_process_left(process.pid) == []
        assert hook.payloads == []

        ok(crawl(sources, db, "--notify", hook.url()))
        assert outcome(db) == outcome(control)
        assert len(outcome(db)["changes"]) == len(SHOWS)
        assert len(received(hook)) == len(received(control_hook)) == len(SHOWS)
        killed_run = (
            sqlite_utils.Database(db)
            .execute("select status, finished_at from runs order by id desc limit 1 offset 1")
            .fetchone()
        )
        assert killed_run[0] == "failed" and killed_run[1] is not None

        ok(crawl(sources, db, "--notify", hook.url()))  # nothing left to do: nothing repeated
        assert outcome(db) == outcome(control)
        assert len(received(hook)) == len(SHOWS)


@LINUX_ONLY
def test_killed_mid_crawl_then_reprocess_keeps_its_changes_for_alerts_send(
    tmp_path, newsroom
) -> None:
    site = newsroom(delay=0.1)
    sources = sources_for(tmp_path, site)
    with JsonReceiver() as hook:
        db = day_one(tmp_path, site, sources, hook.url())
        before = len(hook.payloads)
        process = start_crawl(sources, db, "--notify", hook.url(), "-s", "CONCURRENT_REQUESTS=4")
        stored = "select count(*) from articles where url like '%/2026/06/%'"
        wait_for(lambda: count(db, stored) >= 10)
        kill(process)
        assert no_process_left(process.pid) == []
        left = count(db, "select count(*) from consolidation_queue")
        assert 0 < left < len(SHOWS)  # killed mid-crawl, its stored shows not consolidated

        reprocessed = ok(run_renewals("reprocess", "--db", str(db), "--workers", "2"))
        assert f"flagged {left} changes an interrupted crawl left" in reprocessed.stderr
        assert outcome(db)["deliveries"] == [("pending", left)]
        ok(run_renewals("alerts", "send", "--db", str(db)))
        assert len(received(hook)) == len(hook.payloads) - before == left

        ok(crawl(sources, db, "--notify", hook.url()))  # fetches the articles the kill missed
        assert len(outcome(db)["changes"]) == len(SHOWS)
        assert len(received(hook)) == len(hook.payloads) - before == len(SHOWS)


@LINUX_ONLY
def test_killed_while_consolidating_alerts_send_flags_and_delivers_once(tmp_path, newsroom) -> None:
    site = newsroom()
    sources = sources_for(tmp_path, site, slow=True)
    with JsonReceiver() as hook, JsonReceiver() as control_hook:
        first = day_one(tmp_path, site, sources, hook.url())
        control = copy_db(first, tmp_path / "control.db")
        db = copy_db(first, tmp_path / "killed.db")
        ok(crawl(sources, control, "--notify", control_hook.url()))

        log = tmp_path / "crawl.log"
        site.slow_feed = 5.0  # keeps this crawl open after its last article
        process = start_crawl(sources, db, "--notify", hook.url(), "--log-file", str(log))
        # Every article is stored while the slow feed keeps the crawl open; then an analyst's
        # write holds the database, so the crawl's consolidation waits inside its transaction.
        wait_for(lambda: count(db, "select count(*) from consolidation_queue") == len(SHOWS))
        holder = sqlite3.connect(db, timeout=30, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            wait_for(lambda: log.exists() and "Closing spider" in log.read_text())
            time.sleep(0.5)
            kill(process)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert outcome(db)["changes"] == []
        assert outcome(db)["queued"] == len(SHOWS)
        assert no_process_left(process.pid) == []

        sent = ok(run_renewals("alerts", "send", "--db", str(db)))
        assert f"flagged {len(SHOWS)} changes an interrupted crawl left" in sent.stderr
        assert outcome(db) == outcome(control)
        assert len(received(hook)) == len(received(control_hook)) == len(SHOWS)

        ok(crawl(sources, db, "--notify", hook.url()))
        assert outcome(db) == outcome(control)
        assert len(received(hook)) == len(SHOWS)


@LINUX_ONLY
def test_alerts_send_killed_mid_delivery_is_finished_by_the_next_send(tmp_path, newsroom) -> None:
    site = newsroom()
    sources = sources_for(tmp_path, site)
    port = free_port()
    url = f"json://127.0.0.1:{port}/hook"
    first = day_one(tmp_path, site, sources, url)  # the receiver is down: all stay pending
    db = copy_db(first, tmp_path / "killed.db")
    ok(crawl(sources, db, "--notify", url))
    assert outcome(db)["deliveries"] == [("pending", len(SHOWS))]

    with JsonReceiver(port=port, mode="hang") as stuck:
        command = [sys.executable, "-m", "renewals", "alerts", "send", "--db", str(db)]
        process = start(command)
        assert stuck.arrived.wait(30)
        kill(process)
    assert no_process_left(process.pid) == []

    with JsonReceiver(port=port) as hook:
        ok(run_renewals("alerts", "send", "--db", str(db)))
    assert outcome(db)["deliveries"] == [("sent", len(SHOWS))]
    # The one in flight at the kill arrives twice, with the same id; a receiver drops it.
    assert len(set(stuck.alert_ids()) | set(hook.alert_ids())) == len(SHOWS)
    assert set(stuck.alert_ids()) <= set(hook.alert_ids())


@LINUX_ONLY
def test_reprocess_killed_then_a_crawl_alerts_nobody_and_reprocess_again_rebuilds_alike(
    tmp_path, newsroom
) -> None:
    site = newsroom()
    sources = sources_for(tmp_path, site)
    db = tmp_path / "killed.db"
    ok(crawl(sources, db))
    site.day = 2
    ok(crawl(sources, db))
    control = copy_db(db, tmp_path / "control.db")
    ok(run_renewals("reprocess", "--db", str(control), "--workers", "2"))

    command = [sys.executable, "-m", "renewals", "reprocess", "--db", str(db), "--workers", "2"]
    process = start(command)
    wait_for(lambda: count(db, "select count(*) from runs where kind = 'reprocess'") == 1)
    kill(process)
    assert no_process_left(process.pid) == []  # its extraction workers died with it

    with JsonReceiver() as hook:
        ok(crawl(sources, db, "--notify", hook.url()))  # nothing new: nothing to alert
        assert hook.payloads == []
    assert count(db, "select count(*) from runs where status = 'running'") == 0
    ok(run_renewals("reprocess", "--db", str(db), "--workers", "2"))
    assert outcome(db) == outcome(control)


def test_a_reader_holding_an_old_snapshot_is_reported_and_not_once_it_is_closed(
    tmp_path, newsroom
) -> None:
    site = newsroom()
    sources = sources_for(tmp_path, site)
    db = tmp_path / "renewals.db"
    first = ok(crawl(sources, db))
    assert "write-ahead log" not in first.stderr
    analyst = sqlite3.connect(db, isolation_level=None)
    analyst.execute("begin")
    analyst.execute("select count(*) from articles").fetchone()  # holds this snapshot
    site.day = 2
    try:
        held = ok(crawl(sources, db))
    finally:
        analyst.execute("commit")
        analyst.close()
    assert "another connection holds an old read transaction" in held.stderr
    assert "write-ahead log" not in ok(crawl(sources, db)).stderr


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own (needs root; skipped elsewhere), unmounted after the test."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Write zeros until the file system is full."""
    filler = folder / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def test_disk_full_mid_crawl_then_freed_the_next_crawl_stores_every_article(
    tmp_path, newsroom, small_disk
) -> None:
    site = newsroom(delay=0.05)
    sources = sources_for(tmp_path, site)
    db = small_disk / "renewals.db"
    ok(crawl(sources, db))
    site.day = 2
    process = subprocess.Popen(
        [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources), "--db", str(db)]
        + [*FAST_LOCAL_CRAWL, "-s", "CONCURRENT_REQUESTS=4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    day2 = "select count(*) from articles where url like '%/2026/06/%'"
    wait_for(lambda: count(db, day2) >= 5)
    filler = fill(small_disk)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "articles could not be stored; the next crawl fetches them again" in stderr
    assert count(db, day2) < len(SHOWS)
    assert not [line for line in stderr.splitlines() if len(line) > 2000]  # no item dumps

    filler.unlink()
    ok(crawl(sources, db))
    assert count(db, day2) == len(SHOWS)
    assert count(db, "select count(*) from changes") == len(SHOWS)
    assert count(db, "select count(*) from consolidation_queue") == 0
    assert count(db, "select count(*) from runs where status = 'running'") == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_a_write_lock_held_past_the_busy_timeout_fails_some_stores_and_the_next_crawl_retries(
    tmp_path, newsroom
) -> None:
    site = newsroom(delay=0.05)
    sources = sources_for(tmp_path, site)
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    site.day = 2
    process = subprocess.Popen(
        [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources), "--db", str(db)]
        + [*FAST_LOCAL_CRAWL, "-s", "CONCURRENT_REQUESTS=4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    day2 = "select count(*) from articles where url like '%/2026/06/%'"
    wait_for(lambda: count(db, day2) >= 5)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, for longer than the 30 s busy timeout
    time.sleep(BUSY_TIMEOUT_SECONDS + 2)
    holder.execute("ROLLBACK")
    holder.close()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "articles could not be stored; the next crawl fetches them again" in stderr
    assert "database is locked" in stderr
    assert count(db, day2) < len(SHOWS)

    ok(crawl(sources, db))
    assert count(db, day2) == len(SHOWS)
    assert count(db, "select count(*) from changes") == len(SHOWS)
