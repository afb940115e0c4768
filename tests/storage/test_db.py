import os
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from storage import DatabaseError, open_db
from storage.db import SCHEMA_VERSION, _create_v1


def test_open_creates_schema_views_fts_and_wal(tmp_path: Path) -> None:
    db = open_db(tmp_path / "new.db")
    assert {"sources", "runs", "articles", "claims", "shows", "snapshots", "changes"} <= set(
        db.table_names()
    )
    assert {"current_status", "status_history", "recent_changes", "disputes"} <= set(
        db.view_names()
    )
    assert db["articles"].detect_fts() == "articles_fts"
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_reopening_keeps_data_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    open_db(path)["sources"].insert({"name": "x", "tier": 1, "start_urls": "[]"})
    db = open_db(path)
    assert db["sources"].count == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_long_busy_timeout_so_a_second_writer_waits(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 30000


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="cannot open database .*directory"):
        open_db(tmp_path)


def test_missing_parent_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no such directory"):
        open_db(tmp_path / "nope" / "r.db")


def test_file_that_is_not_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 50)
    with pytest.raises(DatabaseError) as caught:
        open_db(path)
    assert "file is not a database" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_db(path)
    path.chmod(0o444)
    with pytest.raises(DatabaseError, match="not writable"):
        open_db(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseError, match="newer"):
        open_db(path)


def test_a_version_1_database_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    _create_v1(old)
    old["shows"].insert({"key": "x", "title": "X", "status": "renewed", "snapshot_id": 1})
    old["snapshots"].insert({"id": 1, "show_key": "x", "source": "deadline", "taken_at": "T"})
    for n in range(2):
        old["claims"].insert(
            {"article_url": "https://d/1", "show_key": "x", "status": "renewed", "season": n + 1}
        )
    old.execute("PRAGMA user_version = 1")
    old.close()
    db = open_db(path)
    assert {"fetched_urls", "feed_validators", "alert_deliveries"} <= set(db.table_names())
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (row,) = db.query("select show, source, detected_at from current_status")
    assert row == {"show": "X", "source": "deadline", "detected_at": "T"}
    claims = db.query("select ordinal, season from claims order by ordinal")
    assert [(c["ordinal"], c["season"]) for c in claims] == [(0, 1), (1, 2)]


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    import threading
    import time

    from storage import consolidate, save_article, start_run

    path = tmp_path / "busy.db"
    first = open_db(path)
    outcome: dict = {}

    def second_writer() -> None:
        try:
            db = open_db(path)
            db.execute("select count(*) from shows").fetchone()  # a reader first, then writes
            run = start_run(db, [{"name": "y", "tier": 2, "start_urls": []}])
            article = {"url": "https://d/1", "source": "y", "tier": 2, "text": "", "body_html": ""}
            keys = save_article(db, article, [{"show": "X", "status": "renewed"}], run)
            outcome["changes"] = consolidate(db, run, keys)
        except Exception as error:  # reported to the main thread
            outcome["error"] = error
        outcome["done"] = time.monotonic()

    first.execute("BEGIN IMMEDIATE")  # a crawl in the middle of a write
    first["sources"].insert({"name": "x", "tier": 1, "start_urls": "[]"})
    writer = threading.Thread(target=second_writer)
    writer.start()
    time.sleep(0.5)
    released = time.monotonic()
    first.conn.commit()
    writer.join(timeout=30)
    assert "error" not in outcome, outcome
    assert outcome["done"] >= released
    assert open_db(path)["shows"].count == 1


def test_a_changed_view_is_replaced_on_open_without_a_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "views.db"
    db = open_db(path)
    db.execute("drop view recent_changes")
    db.execute("create view recent_changes as select 1 as stale")
    db.conn.commit()
    db = open_db(path)
    assert "strftime" in db["recent_changes"].schema
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_unwritable_file_is_refused_even_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ro.db"
    open_db(path)
    monkeypatch.setattr(os, "access", lambda target, mode: False)  # as a non-root user sees it
    with pytest.raises(DatabaseError, match="not writable"):
        open_db(path)


def test_a_run_left_running_by_a_dead_process_is_closed_as_failed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from storage.runs import close_dead_runs, start_run

    db = open_db(tmp_path / "renewals.db")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    killed = start_run(db, [])
    db["runs"].update(killed, {"pid": int(dead)})
    older_self = start_run(db, [])  # this pid, another run: a container reusing pids
    current = start_run(db, [])
    assert sorted(close_dead_runs(db, current=current)) == [killed, older_self]
    statuses = dict(db.execute("select id, status from runs").fetchall())
    assert statuses == {killed: "failed", older_self: "failed", current: "running"}
