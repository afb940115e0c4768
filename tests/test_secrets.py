"""Passwords in alert target URLs, through real crawls and real receivers: masked in
`alerts list`, errors and logs, read as NULL through `renewals serve`; `${ENV}` values are
URL-encoded for the part of the URL they fill."""

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.alerts_support import JsonReceiver, free_port
from tests.helpers import run_renewals, write_sources

SITE = Path(__file__).parent / "site_alerts"  # day 1 then day 2: two changes
PASSWORD = "s3cret-Pa55"


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def two_days(tmp_path: Path, local_site, *notify: str, env: dict | None = None) -> Path:
    """Crawl day 1 and day 2 of the alerts site into a new database, alerting `notify`."""
    site = local_site(SITE / "day1", SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    arguments = [arg for url in notify for arg in ("--notify", url)]
    log = tmp_path / "crawl.log"
    for day in ("day1", "day2"):
        site.roots[0] = SITE / day
        command = [sys.executable, "-m", "renewals", "crawl", "--sources", str(sources)]
        command += ["--db", str(db), "--log-file", str(log), *arguments]
        command += ["-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0"]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
        )
        ok(result)
        assert PASSWORD not in result.stderr + result.stdout
    assert PASSWORD not in log.read_text()
    return db


def test_a_password_target_is_masked_in_alerts_list_errors_and_logs(tmp_path, local_site):
    down = f"json://alerts:{PASSWORD}@127.0.0.1:{free_port()}/hook"  # nothing listens
    db = two_days(tmp_path, local_site, down)
    assert "alert not delivered" in (tmp_path / "crawl.log").read_text()

    listed = ok(run_renewals("alerts", "list", "--db", str(db))).stdout.splitlines()
    assert len(listed) == 2
    assert all("to json://alerts:****@127.0.0.1:" in line for line in listed)
    assert all("error=" in line and PASSWORD not in line for line in listed)
    sent = run_renewals("alerts", "send", "--db", str(db))
    assert sent.returncode == 1 and "json://alerts:****@" in sent.stderr
    assert PASSWORD not in sent.stderr
    bad = run_renewals("alerts", "test", f"json://alerts:{PASSWORD}@127.0.0.1:{free_port()}/x")
    assert bad.returncode == 1 and PASSWORD not in bad.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="finds Datasette with procps and /proc")
def test_serve_hides_target_urls_and_dies_with_its_parent(tmp_path, local_site):
    pytest.importorskip("datasette")
    db = two_days(tmp_path, local_site, f"json://alerts:{PASSWORD}@127.0.0.1:{free_port()}/hook")
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "renewals", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/renewals"
        sql = urllib.parse.quote("select * from alert_targets")
        answers = {}
        for path in (f".json?sql={sql}&_shape=array", "/alert_targets.json?_shape=array"):
            deadline = time.monotonic() + 30
            while path not in answers:
                try:
                    with urllib.request.urlopen(base + path, timeout=5) as response:
                        answers[path] = response.read().decode()
                except OSError:
                    assert time.monotonic() < deadline and serve.poll() is None
                    time.sleep(0.2)
        for body in answers.values():
            assert PASSWORD not in body
            assert [row["url"] for row in json.loads(body)] == [None]
        (datasette,) = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(serve.pid)], capture_output=True, text=True
        ).stdout.split()
    finally:
        os.kill(serve.pid, signal.SIGKILL)  # as cron's timeout or the OOM killer would
        serve.wait(timeout=10)
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{datasette}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{datasette}")  # no orphan left listening


def test_env_values_are_url_encoded_for_the_part_they_fill(tmp_path, local_site):
    secret = "p@ss/w#rd?x"
    with JsonReceiver() as hook:
        target = f"json://alerts:${{HOOK_PASSWORD}}@127.0.0.1:{hook.port}/hook"
        two_days(tmp_path, local_site, target, env={"HOOK_PASSWORD": secret})
        assert len(hook.payloads) == 2  # delivered to the right host, with the right password
        auth = hook.headers[0]["Authorization"].removeprefix("Basic ")
        assert base64.b64decode(auth).decode() == f"alerts:{secret}"
