"""Crawl runs and the sources they crawled, for the book-keeping analysts and cron rely on."""

import json
import os
from typing import Any

import sqlite_utils

from storage.db import write_transaction
from storage.ledger import utc_now

COUNTS = ("pages", "articles", "claims", "changes", "errors")


def start_run(db: sqlite_utils.Database, sources: list[dict], kind: str = "crawl") -> int:
    """Open a run row ("running") and record the sources it is about to crawl."""
    with write_transaction(db):
        db["sources"].upsert_all(
            [
                {
                    "name": source["name"],
                    "tier": source.get("tier"),
                    "start_urls": json.dumps(list(source.get("start_urls") or [])),
                }
                for source in sources
            ],
            pk="name",
        )
        return (
            db["runs"]
            .insert(
                {"kind": kind, "started_at": utc_now(), "status": "running", "pid": os.getpid()}
            )
            .last_pk
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def close_dead_runs(db: sqlite_utils.Database, current: int | None = None) -> list[int]:
    """Close as "failed" every run left "running" by a process that no longer exists.

    A run of this process other than `current` is dead too: in a container every crawl may
    get the same pid. Returns the ids of the runs closed.
    """
    dead = [
        run_id
        for run_id, pid in db.execute(
            "select id, pid from runs where status = 'running' and finished_at is null"
        ).fetchall()
        if run_id != current and (pid is None or pid == os.getpid() or not _alive(pid))
    ]
    if dead:
        with write_transaction(db):
            db.conn.executemany(
                "update runs set status = 'failed', finished_at = ?,"
                " detail = json_set(coalesce(detail, '{}'), '$.closed_by', ?) where id = ?",
                [(utc_now(), "a later run: its process had died", run_id) for run_id in dead],
            )
    return dead


def finish_run(db: sqlite_utils.Database, run_id: int, stats: dict[str, Any]) -> None:
    """Close the run: its end time, how it ended (Scrapy's close reason) and its counts."""
    reason = stats.get("reason") or "finished"
    detail = {k: v for k, v in stats.items() if k not in COUNTS and k != "reason"}
    db["runs"].update(
        run_id,
        {
            "finished_at": utc_now(),
            "status": reason,
            **{name: int(stats.get(name) or 0) for name in COUNTS},
            "detail": json.dumps(detail, sort_keys=True) if detail else None,
        },
    )
