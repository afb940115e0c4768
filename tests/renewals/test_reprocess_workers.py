"""`renewals reprocess` killed with SIGKILL while its workers extract leaves no process behind."""

import os
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from crawler.page import parse_article
from storage import open_db, start_run
from storage.articles import save_articles
from tests.helpers import no_process_left, processes, wait_for
from tests.pipelines.test_extracting import FILLER


def stored_articles(db_path: Path, count: int) -> None:
    db = open_db(db_path)
    run = start_run(db, [])
    batch = []
    for number in range(count):
        body = "".join(f"<p>{FILLER * 3}</p>" for _ in range(80))
        html = (
            f"<html><body><article><h1>Night Ferry {number} Renewed</h1><p>Hulu has renewed "
            f"Night Ferry {number} for season 2.</p>{body}</article></body></html>"
        )
        page = parse_article(html, f"https://example.org/{number}")
        article = {**asdict(page), "source": "news", "tier": 1, "fetched_at": None}
        batch.append((article, []))
    save_articles(db, batch, run)


@pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")
def test_reprocess_killed_mid_way_leaves_no_worker(tmp_path: Path) -> None:
    db_path = tmp_path / "renewals.db"
    stored_articles(db_path, 1000)
    run = subprocess.Popen(
        [sys.executable, "-m", "renewals", "reprocess", "--db", str(db_path), "--workers", "2"],
        stdout=subprocess.DEVNULL,  # a process left behind would hold a pipe open
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # both workers started: they were handed every batch at once
        wait_for(lambda: sum(ppid == run.pid for ppid, _, _ in processes().values()) >= 2)
        assert run.poll() is None, "reprocess ended before it could be killed"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()

    assert no_process_left(run.pid) == []
