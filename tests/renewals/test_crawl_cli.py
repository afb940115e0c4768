"""`renewals crawl` as cron and a terminal user see it: what it prints, when, and its exit
status; every crawl runs against real servers on 127.0.0.1."""

import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from storage import open_db
from tests.alerts_support import free_port
from tests.helpers import FAST_LOCAL_CRAWL, TEST_SITE, crawl, run_renewals, write_sources
from tests.test_crawl_production import ScriptedSite, article, feed

ALERTS_SITE = Path(__file__).parents[1] / "site_alerts"


@pytest.fixture
def slow_site() -> Iterator[ScriptedSite]:
    """A feed of ten articles, each taking 2 s to answer."""
    site = ScriptedSite()
    items = [(f"'Slow Show {n}' renewed for season 2", f"/2026/slow-{n}/") for n in range(10)]
    site.serve("/feed.xml", feed(site.base, items), "application/rss+xml")

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(2)
        body = article("'Slow Show' renewed for season 2")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    for _, path in items:
        site.routes[path] = slow
    yield site
    site.stop()


def lines(text: str) -> list[str]:
    return text.rstrip().splitlines()


def test_quiet_cron_run_reports_undelivered_alerts_on_stderr(tmp_path, local_site) -> None:
    site = local_site(ALERTS_SITE / "day1", ALERTS_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db, log = tmp_path / "renewals.db", tmp_path / "crawl.log"
    dead = f"json://127.0.0.1:{free_port()}/hook"  # nothing listens there
    cron = ("--quiet", "--log-file", str(log), "--notify", dead)

    first = crawl(sources, db, *cron)
    assert (first.returncode, first.stderr) == (0, "")  # nothing to say: cron mails nothing

    site.roots[0] = ALERTS_SITE / "day2"  # two changes, and the target is down
    second = crawl(sources, db, *cron)
    assert second.returncode == 0
    warning, summary = lines(second.stderr)
    assert warning.startswith("warning: 2 alert(s) not delivered, kept for the next crawl")
    assert dead in warning
    assert summary.startswith("crawl finished: ")
    assert summary.endswith(" 2 articles, 2 claims, 2 changes; alerts: 0 sent, 2 pending")
    assert "alert not delivered" in log.read_text()  # the detail is in the log file


def test_a_terminal_run_prints_a_short_log_and_one_summary_line(tmp_path, local_site) -> None:
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    result = crawl(sources, tmp_path / "renewals.db")
    assert result.returncode == 0
    assert "Scrapy" not in result.stderr and "Dumping" not in result.stderr  # no start-up, stats
    assert len(lines(result.stderr)) <= 3
    assert lines(result.stderr)[-1].startswith("crawl finished: ")

    verbose = crawl(sources, tmp_path / "renewals.db", "--verbose")
    assert "Spider closed (finished)" in verbose.stderr


def test_ctrl_c_says_so_at_once_and_the_last_line_agrees_with_the_exit_status(
    tmp_path, slow_site
) -> None:
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "slow", "tier": 1, "start_urls": [f"{slow_site.base}/feed.xml"]}],
    )
    command = [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources)]
    command += ["--db", str(tmp_path / "renewals.db"), *FAST_LOCAL_CRAWL, "-s", "ROBOTSTXT_OBEY=0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not any(path.startswith("/2026/") for path in slow_site.requests):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(2)  # SIGINT, as Ctrl-C sends
        heard = time.monotonic()
        first = process.stderr.readline()
        assert time.monotonic() - heard < 1  # before the in-flight requests end (2 s)
        assert "interrupted (SIGINT): finishing in-flight requests" in first
        rest = process.stderr.read()
        code = process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert code == 130
    final = lines(rest)[-1]
    assert final.startswith("Error: crawl interrupted (SIGINT) after ")
    assert "crawl finished" not in rest


def test_bare_renewals_prints_its_help_and_succeeds() -> None:
    script = Path(sys.executable).parent / "renewals"  # the installed entry point
    result = subprocess.run([str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: renewals [OPTIONS] COMMAND")
    assert "crawl" in result.stdout and result.stderr == ""


@pytest.mark.parametrize(
    "override, message",
    [
        ("DOWNLOAD_DELAY=abc", "Error: -s DOWNLOAD_DELAY: expected a number, got 'abc'"),
        ("ROBOTSTXT_OBEY=maybe", "Error: -s ROBOTSTXT_OBEY: expected True or False, got 'maybe'"),
        (
            "DOWNLAOD_DELAY=1",
            "Error: -s: unknown setting 'DOWNLAOD_DELAY' (did you mean DOWNLOAD_DELAY?)",
        ),
        ("FEEDS=[1]", "Error: -s FEEDS: expected a JSON object, got '[1]'"),
        (
            "RENEWALS_EXTRACT_WORKERS=-1",
            "Error: -s RENEWALS_EXTRACT_WORKERS: expected a whole number of at least 1, got '-1'",
        ),
    ],
)
def test_a_bad_setting_override_is_a_one_line_error(tmp_path, override, message) -> None:
    result = run_renewals("crawl", "--db", str(tmp_path / "r.db"), "-s", override)
    assert result.returncode == 2
    assert lines(result.stderr) == [message]
    assert not (tmp_path / "r.db").exists()


def test_source_option_crawls_only_the_named_source(tmp_path, local_site) -> None:
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    other = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]},
            {"name": "other", "tier": 2, "start_urls": [other.url("feed.xml")]},
        ],
    )
    result = crawl(sources, tmp_path / "renewals.db", "--source", "gazette")
    assert result.returncode == 0, result.stderr
    assert "/feed.xml" in site.requests and other.requests == []

    unknown = crawl(sources, tmp_path / "renewals.db", "--source", "gazete")
    assert unknown.returncode == 1
    assert lines(unknown.stderr) == [
        "Error: no source named 'gazete'; the sources are: gazette, other"
    ]


def test_an_article_that_cannot_be_stored_fails_the_crawl_with_one_line(
    tmp_path, local_site
) -> None:
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db_path = tmp_path / "renewals.db"
    db = open_db(db_path)
    db.execute(  # a real SQLite failure for one article: the write is refused
        "create trigger refuse before insert on articles when new.url like '%copper-sky%'"
        " begin select raise(abort, 'disk says no'); end"
    )
    db.conn.commit()
    db.close()
    result = crawl(sources, db_path, "--quiet")
    assert result.returncode == 1
    *log, final = lines(result.stderr)
    assert final.startswith(
        "Error: 1 articles could not be stored; the next crawl fetches them again"
    )
    (dropped,) = [line for line in log if "copper-sky-renewed" in line]  # one line, no traceback
    assert dropped.endswith("not stored: disk says no")
    assert "Traceback" not in result.stderr
