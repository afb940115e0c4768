"""Alerts through whole crawls (`renewals crawl --notify`), with real receivers on 127.0.0.1:
one message per change per target, outages, a crawl killed mid-delivery, and the CLI."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils

from tests.alerts_support import JsonReceiver, SmtpReceiver, free_port
from tests.helpers import FAST_LOCAL_CRAWL, TEST_SITE, crawl, run_renewals, write_sources


def gazette(tmp_path: Path, local_site, alerts: str = "") -> tuple[object, Path]:
    """The two-day test site (day 1 served) and a sources file for it, with `alerts` appended."""
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    if alerts:
        sources.write_text(sources.read_text(encoding="utf-8") + alerts, encoding="utf-8")
    return site, sources


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def alert_lines(db: Path) -> list[str]:
    return ok(run_renewals("alerts", "list", "--db", str(db))).stdout.splitlines()


def test_a_two_day_crawl_alerts_each_target_exactly_once(tmp_path, local_site) -> None:
    with JsonReceiver() as hook, SmtpReceiver() as smtp, JsonReceiver() as revivals:
        site, sources = gazette(
            tmp_path,
            local_site,
            f'\n[[alerts.target]]\nurl = "{revivals.url()}"\ntransitions = ["-> renewed"]\n',
        )
        db = tmp_path / "renewals.db"
        notify = ("--notify", hook.url(), "--notify", smtp.url())

        ok(crawl(sources, db, *notify))  # the first crawl into an empty database: no changes
        assert (hook.payloads, smtp.messages, alert_lines(db)) == ([], [], [])

        site.roots[0] = TEST_SITE / "day2"
        ok(crawl(sources, db, *notify))
        ok(crawl(sources, db, *notify))  # the same pages again: no change, no alert

    (payload,) = hook.payloads
    assert payload["title"] == "Copper Sky: renewed (season 2) -> cancelled (season 2)"
    body = payload["message"]
    assert "Copper Sky: renewed (season 2) -> cancelled (season 2)" in body
    assert "Network: Starz" in body
    assert "Source: gazette" in body
    assert f"Article: {site.url('2026/06/copper-sky-cancelled/')}" in body
    assert 'Evidence: "Starz has cancelled Copper Sky' in body
    assert "Announced: " in body and "Announced: unknown" not in body
    (mail,) = smtp.messages
    assert mail["Subject"] == payload["title"]
    assert payload["alert_id"] in mail.get_body(("html",)).get_content()
    assert revivals.payloads == []  # its filter wants only "-> renewed"
    lines = alert_lines(db)
    assert len(lines) == 2
    assert all(line.startswith("sent ") and payload["alert_id"] in line for line in lines)


def test_receiver_down_the_crawl_succeeds_and_later_runs_deliver_once(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    db = tmp_path / "renewals.db"
    port = free_port()
    notify = ("--notify", f"json://127.0.0.1:{port}/hook")
    ok(crawl(sources, db, *notify))
    site.roots[0] = TEST_SITE / "day2"

    day2 = ok(crawl(sources, db, *notify))  # nothing listens on the port
    assert "alert not delivered" in day2.stderr
    (line,) = alert_lines(db)
    assert line.startswith("pending ") and "attempts=1" in line and "error=" in line

    with JsonReceiver(port) as hook:
        ok(crawl(sources, db, *notify))
        assert hook.payloads == []  # a crawl right after the failure respects the backoff
        database = sqlite_utils.Database(db)
        database.execute("update alert_deliveries set next_attempt_at = '2000-01-01'")
        database.conn.commit()  # ... and once the backoff is over, the next crawl delivers
        ok(crawl(sources, db, *notify))
        assert len(hook.payloads) == 1
        ok(run_renewals("alerts", "send", "--db", str(db)))
        ok(crawl(sources, db, *notify))
    assert len(hook.payloads) == 1
    (line,) = alert_lines(db)
    assert line.startswith("sent ") and "attempts=2" in line


def test_a_crawl_killed_while_sending_is_delivered_by_the_next_run(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    site.roots[0] = TEST_SITE / "day2"
    with JsonReceiver(mode="hang") as hook:
        notify = ("--notify", hook.url())
        args = ["crawl", "--sources", str(sources), "--db", str(db), *FAST_LOCAL_CRAWL, *notify]
        process = subprocess.Popen(
            [sys.executable, "-m", "renewals", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert hook.arrived.wait(60), "the crawl never tried to deliver"
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        # Killed after the receiver read the message, before the outbox recorded it as sent.
        (line,) = alert_lines(db)
        assert line.startswith("pending ") and "attempts=0" in line
        hook.mode = "ok"
        hook.release()
        time.sleep(0.1)
        ok(crawl(sources, db, *notify))  # no new change, but the pending alert goes out
        ok(crawl(sources, db, *notify))
    first, second = hook.payloads
    assert first["alert_id"] == second["alert_id"]  # the repeat a receiver drops by its id
    assert first["title"].startswith("Copper Sky: ")
    (line,) = alert_lines(db)
    assert line.startswith("sent ") and "attempts=1" in line


def test_alerts_test_command_checks_a_target(tmp_path) -> None:
    with JsonReceiver() as hook:
        ok(run_renewals("alerts", "test", hook.url()))
    assert [p["title"] for p in hook.payloads] == ["renewals: test alert"]
    down = run_renewals("alerts", "test", f"json://127.0.0.1:{free_port()}/hook")
    assert down.returncode == 1
    assert down.stderr.startswith("Error: test alert not delivered: ")
    assert len(down.stderr.strip().splitlines()) == 1


def test_a_bad_notify_url_stops_the_crawl_before_it_starts(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    result = crawl(sources, tmp_path / "renewals.db", "--notify", "nosuchscheme://x")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: alert target 'nosuchscheme://x': not a usable Apprise URL: nosuchscheme://x"
    ]
    assert site.requests == []
    missing = run_renewals("alerts", "list", "--db", str(tmp_path / "missing.db"))
    assert missing.returncode != 0 and "database not found" in missing.stderr
