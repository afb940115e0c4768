"""Alerts through whole crawls (`renewals crawl --notify`), with real receivers on 127.0.0.1:
one message per change per target, outages, a crawl killed mid-delivery, and the CLI."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils

from renewals.crawling import crawl_lock
from storage import open_db
from tests.alerts_support import JsonReceiver, SmtpReceiver, free_port
from tests.helpers import FAST_LOCAL_CRAWL, crawl, run_renewals, write_sources

# Day 1: Harbor Bell renewed/3, Quiet Meridian renewed/2 (first statuses: no changes).
# Day 2: Harbor Bell renewed/3 -> cancelled/4 and Quiet Meridian renewed/2 -> renewed/3.
SITE = Path(__file__).parent / "site_alerts"
HARBOR_BELL = "Harbor Bell: renewed for season 3 -> cancelled after season 3"
QUIET_MERIDIAN = "Quiet Meridian: renewed for season 2 -> renewed for season 3"


def gazette(tmp_path: Path, local_site, alerts: str = "") -> tuple[object, Path]:
    """The two-day site (day 1 served) and a sources file for it, with `alerts` appended."""
    site = local_site(SITE / "day1", SITE / "articles")
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

        site.roots[0] = SITE / "day2"
        ok(crawl(sources, db, *notify))
        ok(crawl(sources, db, *notify))  # the same pages again: no change, no alert

    by_title = {payload["title"]: payload for payload in hook.payloads}
    assert len(hook.payloads) == 2 and set(by_title) == {HARBOR_BELL, QUIET_MERIDIAN}
    body = by_title[HARBOR_BELL]["message"]
    assert HARBOR_BELL in body
    assert "Network: NBC" in body
    assert "Announced: 2026-06-10" in body
    assert "Source: gazette" in body
    assert f"Article: {site.url('2026/06/harbor-bell-cancelled/')}" in body
    assert 'Evidence: "NBC has cancelled Harbor Bell after three seasons."' in body
    ids = {payload["alert_id"] for payload in hook.payloads}
    assert len(ids) == 2
    assert all(f"Alert id: {p['alert_id']}" in p["message"] for p in hook.payloads)
    assert sorted(mail["Subject"] for mail in smtp.messages) == [HARBOR_BELL, QUIET_MERIDIAN]
    assert [p["title"] for p in revivals.payloads] == [QUIET_MERIDIAN]  # only "-> renewed"
    lines = alert_lines(db)
    assert len(lines) == 5
    assert all(line.startswith("sent ") for line in lines)
    assert {line.split()[1] for line in lines} == ids


def test_receiver_down_the_crawl_succeeds_and_later_runs_deliver_once(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    db = tmp_path / "renewals.db"
    port = free_port()
    notify = ("--notify", f"json://127.0.0.1:{port}/hook")
    ok(crawl(sources, db, *notify))
    site.roots[0] = SITE / "day2"

    day2 = ok(crawl(sources, db, *notify))  # nothing listens on the port
    assert "warning: 2 alert(s) not delivered, kept for the next crawl" in day2.stderr
    lines = alert_lines(db)
    assert len(lines) == 2
    assert all(x.startswith("pending ") and "attempts=1" in x and "error=" in x for x in lines)

    with JsonReceiver(port) as hook:
        ok(crawl(sources, db, *notify))
        assert hook.payloads == []  # a crawl right after the failure respects the backoff
        database = sqlite_utils.Database(db)
        database.execute("update alert_deliveries set next_attempt_at = '2000-01-01'")
        database.conn.commit()  # ... and once the backoff is over, the next crawl delivers
        ok(crawl(sources, db, *notify))
        assert len(hook.payloads) == 2
        ok(run_renewals("alerts", "send", "--db", str(db)))
        ok(crawl(sources, db, *notify))
    assert sorted(p["title"] for p in hook.payloads) == [HARBOR_BELL, QUIET_MERIDIAN]
    lines = alert_lines(db)
    assert len(lines) == 2
    assert all(x.startswith("sent ") and "attempts=2" in x for x in lines)


def test_a_crawl_killed_while_sending_is_delivered_by_the_next_run(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    db = tmp_path / "renewals.db"
    ok(crawl(sources, db))
    site.roots[0] = SITE / "day2"
    with JsonReceiver(mode="hang") as hook:
        notify = ("--notify", hook.url())
        args = ["crawl", "--sources", str(sources), "--db", str(db), *FAST_LOCAL_CRAWL, *notify]
        process = subprocess.Popen(
            [sys.executable, "-m", "renewals", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while not hook.arrived.wait(0.1):
                assert process.poll() is None, "the crawl ended without trying to deliver"
                assert time.monotonic() < deadline, "the crawl never tried to deliver"
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
        # Killed after the receiver read the first message, before the outbox booked it sent.
        lines = alert_lines(db)
        assert len(lines) == 2
        assert all(x.startswith("pending ") and "attempts=0" in x for x in lines)
        hook.mode = "ok"
        hook.release()
        time.sleep(0.1)
        ok(crawl(sources, db, *notify))  # no new change, but the pending alert goes out
        ok(crawl(sources, db, *notify))
    in_flight, *after_restart = hook.payloads
    assert sorted(p["title"] for p in after_restart) == [HARBOR_BELL, QUIET_MERIDIAN]
    # The message in flight at the kill arrives twice, with the same id: a receiver drops it.
    assert [p["alert_id"] for p in after_restart].count(in_flight["alert_id"]) == 1
    deduped = {p["alert_id"]: p["title"] for p in hook.payloads}
    assert sorted(deduped.values()) == [HARBOR_BELL, QUIET_MERIDIAN]
    lines = alert_lines(db)
    assert len(lines) == 2
    assert all(x.startswith("sent ") and "attempts=1" in x for x in lines)


def test_alerts_test_command_checks_a_target(tmp_path) -> None:
    with JsonReceiver() as hook:
        ok(run_renewals("alerts", "test", hook.url()))
    assert [p["title"] for p in hook.payloads] == ["renewals: test alert"]
    down = run_renewals("alerts", "test", f"json://127.0.0.1:{free_port()}/hook")
    assert down.returncode == 1
    assert down.stderr.startswith("Error: test alert not delivered: ")
    assert len(down.stderr.strip().splitlines()) == 1


def test_alerts_send_waits_for_a_running_crawl_instead_of_racing_it(tmp_path) -> None:
    db = tmp_path / "renewals.db"
    open_db(db)
    with crawl_lock(db):
        busy = run_renewals("alerts", "send", "--db", str(db))
    assert busy.returncode == 1
    assert "a crawl is running" in busy.stderr
    assert ok(run_renewals("alerts", "send", "--db", str(db))).stderr == (
        "alerts: 0 sent, 0 pending, 0 given up\n"
    )


def test_a_bad_notify_url_stops_the_crawl_before_it_starts(tmp_path, local_site) -> None:
    site, sources = gazette(tmp_path, local_site)
    result = crawl(sources, tmp_path / "renewals.db", "--notify", "nosuchscheme://x")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Error: alert target 'nosuchscheme://x': not a usable Apprise URL"
    ]
    assert site.requests == []
    missing = run_renewals("alerts", "list", "--db", str(tmp_path / "missing.db"))
    assert missing.returncode != 0 and "database not found" in missing.stderr
