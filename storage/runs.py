"""Crawl runs and the sources they crawled, for the book-keeping analysts and cron rely on."""

import json
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
            db["runs"].insert({"kind": kind, "started_at": utc_now(), "status": "running"}).last_pk
        )


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
