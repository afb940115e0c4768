"""Production crawling against real servers on 127.0.0.1: incremental runs, the lock, safety,
politeness limits and failures that must not stop the other sources."""

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlite_utils

from renewals.crawling import crawl_lock
from tests.helpers import TEST_SITE, crawl, json_lines, run_renewals, write_sources

Route = Callable[[BaseHTTPRequestHandler], None]


def article(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{title}, the network said on Friday.</p></article></body></html>"
    ).encode()


def feed(base: str, items: list[tuple[str, str]]) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>{base}{p}</link></item>" for t, p in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{body}</channel></rss>'.encode()


class ScriptedSite:
    """A server on 127.0.0.1 whose paths answer as the test says; records every path asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                site.requests.append(self.path)
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                else:  # the crawler may hang up (size limit, timeout): as intended
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        route(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes, content_type: str = "text/html") -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = route

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def scripted_site() -> Iterator[ScriptedSite]:
    site = ScriptedSite()
    yield site
    site.stop()


def stored_urls(db: Path) -> set[str]:
    return {row["url"] for row in sqlite_utils.Database(db)["articles"].rows}


def last_run_detail(db: Path) -> dict:
    run = list(sqlite_utils.Database(db).query("select * from runs order by id desc limit 1"))[0]
    return json.loads(run["detail"])["sources"]


def test_unchanged_recrawl_sends_conditional_feed_requests_and_downloads_no_article(
    tmp_path, local_site
):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    first = crawl(sources, db)
    assert first.returncode == 0, first.stderr
    assert "/2026/05/copper-sky-renewed/" in site.requests
    assert "/2026/05/gone/" not in site.requests  # "Missing story": skipped before download
    assert last_run_detail(db)["gazette"]["skipped"] == 1

    site.requests.clear()
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr
    # No article downloaded, and robots.txt is reused for a day (RFC 9309) rather than refetched.
    assert site.requests == ["/feed.xml"]
    assert last_run_detail(db)["gazette"]["not_modified"] == 1  # the feed answered 304

    # Publishers append "UPDATE:" to young stories: --refetch-days downloads them again.
    site.requests.clear()
    refetch = crawl(sources, db, "--refetch-days", "2")
    assert refetch.returncode == 0, refetch.stderr
    assert "/2026/05/copper-sky-renewed/" in site.requests
    assert sqlite_utils.Database(db)["runs"].count == 3


def test_a_second_crawl_while_the_first_holds_the_lock_exits_0_and_does_nothing(
    tmp_path, local_site
):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    with crawl_lock(db):
        started = time.monotonic()
        blocked = crawl(sources, db, "--wait", "0.5")
        assert time.monotonic() - started >= 0.5
    assert blocked.returncode == 0
    assert "another crawl is running" in blocked.stderr
    assert site.requests == []

    release = threading.Event()

    def hold_then_release() -> None:
        with crawl_lock(db):
            release.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold_then_release)
    holder.start()
    release.wait(5)
    waited = crawl(sources, db, "--wait", "30")
    holder.join()
    assert waited.returncode == 0, waited.stderr
    assert "/2026/05/copper-sky-renewed/" in site.requests  # ran once the lock was free


def test_private_addresses_are_refused_unless_the_source_opts_in_for_that_host(
    tmp_path, scripted_site
):
    site = scripted_site
    port = site.base.rsplit(":", 1)[1]
    site.serve(
        "/feed.xml",
        feed(site.base, [("'A' renewed for season 2", "/a/"), ("'B' cancelled", "/b/")]),
        "application/rss+xml",
    )
    site.serve("/a/", article("'A' renewed for season 2"))

    def redirect_to_localhost(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", f"http://localhost:{port}/internal/")
        handler.end_headers()

    site.routes["/b/"] = redirect_to_localhost
    site.serve("/internal/", article("'Internal' renewed for season 9"))
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            # opted in for 127.0.0.1 only: its redirect to another private host is refused
            {"name": "local", "tier": 1, "start_urls": [f"{site.base}/feed.xml"]},
            # not opted in: a loopback literal, and a name whose DNS answer is loopback
            {"name": "literal", "tier": 2, "allow_private": False,
             "start_urls": [f"{site.base}/literal-feed.xml"]},
            {"name": "by-name", "tier": 2, "allow_private": False,
             "start_urls": [f"http://localhost:{port}/named-feed.xml"]},
        ],
    )  # fmt: skip
    db = tmp_path / "renewals.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    assert "/internal/" not in site.requests  # the redirect target was never fetched
    assert "/literal-feed.xml" not in site.requests
    assert "/named-feed.xml" not in site.requests
    assert "/b/" in site.requests and "/a/" in site.requests
    detail = last_run_detail(db)
    assert detail["local"]["refused"] == 1
    assert detail["literal"]["refused"] == 1
    assert detail["by-name"]["refused"] == 1
    assert "not a public address" in result.stderr
    assert {url.rsplit("/", 2)[-2] for url in stored_urls(db)} == {"a"}


def test_robots_size_and_time_limits(tmp_path, scripted_site):
    site = scripted_site
    site.serve("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve(
        "/feed.xml",
        feed(
            site.base,
            [
                ("'Open' renewed for season 2", "/open/"),
                ("'Secret' renewed for season 2", "/private/secret/"),
                ("'Huge' renewed for season 2", "/huge/"),
                ("'Slow' renewed for season 2", "/slow/"),
            ],
        ),
        "application/rss+xml",
    )
    site.serve("/open/", article("'Open' renewed for season 2"))
    site.serve("/private/secret/", article("'Secret' renewed for season 2"))

    def huge(handler: BaseHTTPRequestHandler) -> None:  # 6 MB, streamed without a length
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<html><body><article><p>'Huge' renewed for season 2.</p>")
        for _ in range(6 * 16):
            handler.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
        handler.wfile.write(b"</article></body></html>")

    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(4)
        handler.send_response(200)
        handler.end_headers()

    site.routes["/huge/"] = huge
    site.routes["/slow/"] = slow
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "limits", "tier": 1, "start_urls": [f"{site.base}/feed.xml"]}],
    )
    db = tmp_path / "renewals.db"
    started = time.monotonic()
    result = crawl(sources, db, "-s", "DOWNLOAD_TIMEOUT=1")
    assert time.monotonic() - started < 4  # the slow page did not hold the crawl up
    assert result.returncode == 0, result.stderr
    assert "/private/secret/" not in site.requests  # robots.txt obeyed
    assert "Forbidden by robots.txt" in result.stderr
    assert "max size" in result.stderr  # the 6 MB page was cut at DOWNLOAD_MAXSIZE (5 MB)
    assert "took longer than 1.0 seconds" in result.stderr
    assert {url.rsplit("/", 2)[-2] for url in stored_urls(db)} == {"open"}
    detail = last_run_detail(db)["limits"]
    assert detail["errors"] == 2 and detail["blocked"] == 1

    # A failed article keeps its feed's validators from being stored: the next run fetches
    # the feed in full and tries /huge/ and /slow/ again, but not /open/.
    site.requests.clear()
    again = crawl(sources, db, "-s", "DOWNLOAD_TIMEOUT=1")
    assert again.returncode == 0, again.stderr
    assert {"/huge/", "/slow/"} <= set(site.requests)
    assert "/open/" not in site.requests


def test_a_source_whose_every_url_fails_does_not_stop_the_others(tmp_path, local_site, refused_url):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "down", "tier": 1, "start_urls": [refused_url, refused_url + "?page=2"]},
            {"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]},
        ],
    )
    db = tmp_path / "renewals.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    down = [line for line in result.stderr.splitlines() if "'down'" in line]
    assert len(down) == 1  # one line for the source, not one per failed URL, nor two each
    assert down[0].startswith("warning: source 'down': 2 requests failed: connection refused")
    assert result.stderr.rstrip().splitlines()[-1].startswith("crawl finished: ")
    assert any(url.endswith("/2026/05/copper-sky-renewed/") for url in stored_urls(db))
    assert last_run_detail(db)["down"]["errors"] == 2

    only_down = write_sources(
        tmp_path / "down.toml", [{"name": "down", "tier": 1, "start_urls": [refused_url]}]
    )
    failed = crawl(only_down, db, "--quiet")
    assert failed.returncode == 1
    assert failed.stderr.rstrip().splitlines() == [  # one line: the cause, named once
        "Error: every source failed (every request: connection refused): down"
    ]


def test_a_source_gone_silent_is_reported_and_listed(tmp_path, local_site):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]},
            {"name": "steady", "tier": 2, "start_urls": [site.url("misc/lantern-row/")]},
        ],
    )
    db = tmp_path / "renewals.db"
    log_file = tmp_path / "crawl.log"
    first = crawl(sources, db, "--quiet", "--log-file", str(log_file))
    assert first.returncode == 0 and first.stderr == ""  # quiet: nothing to say
    assert "Spider closed (finished)" in log_file.read_text()

    site.roots[0] = tmp_path / "empty"  # the gazette's feed moved: 404 from now on
    outputs = [crawl(sources, db, "--quiet") for _ in range(3)]
    assert all(result.returncode == 0 for result in outputs)
    assert "has yielded nothing" not in outputs[1].stderr
    assert "warning: source 'gazette' has yielded nothing in its last 3 runs" in outputs[2].stderr

    listing = json_lines(run_renewals("sources", "--db", str(db), "--json").stdout)
    gazette = next(row for row in listing if row["source"] == "gazette")
    assert gazette["articles"] == [0, 0, 0, 2] and gazette["silent_runs"] == 3
    assert gazette["last_success"] is not None
    table = run_renewals("sources", "--db", str(db)).stdout
    assert "gazette" in table and "silent 3 runs" in table


def test_a_retry_waits_before_asking_again(tmp_path, scripted_site):
    site = scripted_site
    site.serve("/feed.xml", feed(site.base, [("'Flaky' renewed for season 2", "/flaky/")]))
    asked: list[float] = []
    page = article("'Flaky' renewed for season 2")

    def flaky(handler: BaseHTTPRequestHandler) -> None:  # 503 the first time, then the page
        asked.append(time.monotonic())
        handler.send_response(503 if len(asked) == 1 else 200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)

    site.routes["/flaky/"] = flaky
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "flaky", "tier": 1, "start_urls": [f"{site.base}/feed.xml"]}],
    )
    db = tmp_path / "renewals.db"
    result = crawl(sources, db, "-s", "RETRY_TIMES=1", "-s", "RENEWALS_RETRY_BACKOFF=0.6")
    assert result.returncode == 0, result.stderr
    assert len(asked) == 2 and asked[1] - asked[0] >= 0.6
    assert {url.rsplit("/", 2)[-2] for url in stored_urls(db)} == {"flaky"}
