"""What the crawler remembers between runs: feed validators, fetched URLs, robots.txt answers,
source health.

Tables `feed_validators`, `fetched_urls` and `robots_cache` are created in `storage.db`;
per-source health is read from the per-source counts that each run stores in `runs.detail`.
"""

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlite_utils

BATCH = 500  # SQLite allows 32766 parameters; stay well under with room for other terms


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def feed_validators(db: sqlite_utils.Database) -> dict[str, dict[str, str | None]]:
    """ETag and Last-Modified of every listing URL, as its server last sent them."""
    return {
        row["url"]: {"etag": row["etag"], "last_modified": row["last_modified"]}
        for row in db["feed_validators"].rows
    }


def save_feed_validators(db: sqlite_utils.Database, validators: dict[str, dict]) -> None:
    """Remember listing validators, to send as If-None-Match / If-Modified-Since next run."""
    now = _now()
    rows = [{"url": url, **fields, "checked_at": now} for url, fields in validators.items()]
    if rows:
        db["feed_validators"].upsert_all(rows, pk="url")


def fetched_urls(db: sqlite_utils.Database, urls: Iterable[str]) -> set[str]:
    """The URLs among `urls` that an earlier run has already downloaded."""
    return _select(db, "select url from fetched_urls where url in ({marks})", list(urls))


def recently_fetched_urls(db: sqlite_utils.Database, urls: Iterable[str], days: float) -> set[str]:
    """The URLs among `urls` first downloaded less than `days` days ago (still being updated)."""
    return _select(
        db,
        "select url from fetched_urls where url in ({marks}) "
        "and first_fetched_at >= "
        f"strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{float(days)} days')",
        list(urls),
    )


def record_fetched_urls(db: sqlite_utils.Database, urls: Iterable[str]) -> None:
    """Mark URLs as downloaded, keeping the time each was first downloaded."""
    now = _now()
    with db.atomic():
        db.conn.executemany(
            "insert into fetched_urls (url, first_fetched_at, last_fetched_at) values (?, ?, ?) "
            "on conflict(url) do update set last_fetched_at = excluded.last_fetched_at",
            [(url, now, now) for url in urls],
        )


def fresh_robots_txt(db: sqlite_utils.Database, max_age_hours: float) -> dict[str, tuple]:
    """robots.txt answers (status, body) by URL, fetched less than `max_age_hours` ago."""
    rows = db.execute(
        "select url, status, body from robots_cache "
        f"where fetched_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-{float(max_age_hours)} hours')"
    ).fetchall()
    return {url: (status, body) for url, status, body in rows}


def save_robots_txt(db: sqlite_utils.Database, answers: dict[str, tuple[int, bytes]]) -> None:
    """Remember robots.txt answers, so the next runs of the day need not ask again."""
    now = _now()
    rows = [
        {"url": url, "status": status, "body": body, "fetched_at": now}
        for url, (status, body) in answers.items()
    ]
    if rows:
        db["robots_cache"].upsert_all(rows, pk="url")


def _select(db: sqlite_utils.Database, sql: str, urls: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(urls), BATCH):
        chunk = urls[start : start + BATCH]
        query = sql.format(marks=", ".join("?" * len(chunk)))
        found.update(row[0] for row in db.execute(query, chunk).fetchall())
    return found


def _runs_with_sources(db: sqlite_utils.Database, limit: int) -> list[tuple[dict, dict]]:
    """The latest finished crawl runs, newest first, each with its per-source counts."""
    rows = db.execute(
        "select id, started_at, finished_at, status, detail from runs "
        "where kind = 'crawl' and finished_at is not null order by id desc limit ?",
        [limit],
    ).fetchall()
    runs = []
    for run_id, started_at, finished_at, status, detail in rows:
        per_source = (json.loads(detail) if detail else {}).get("sources", {})
        run = {"id": run_id, "started_at": started_at, "finished_at": finished_at}
        runs.append(({**run, "status": status}, per_source))
    return runs


def answered(counts: dict) -> bool:
    """Whether a source's listings answered in a run (entries listed, or "not modified")."""
    return counts.get("listed", 0) > 0 or counts.get("not_modified", 0) > 0


def source_health(db: sqlite_utils.Database, runs: int = 10) -> list[dict]:
    """Per source seen in the latest `runs` crawls: articles per run (newest first), errors,
    the last run in which its listings answered, and how many runs it has been silent."""
    history = _runs_with_sources(db, runs)
    names = sorted({name for _, per_source in history for name in per_source})
    report = []
    for name in names:
        seen = [(run, per_source[name]) for run, per_source in history if name in per_source]
        last_ok = next((run for run, counts in seen if answered(counts)), None)
        silent = next((i for i, (_, counts) in enumerate(seen) if answered(counts)), len(seen))
        report.append(
            {
                "source": name,
                "runs": len(seen),
                "articles": [counts.get("articles", 0) for _, counts in seen],
                "errors": sum(counts.get("errors", 0) for _, counts in seen),
                "last_success": last_ok["finished_at"] if last_ok else None,
                "silent_runs": silent,
            }
        )
    return report


def silent_sources(db: sqlite_utils.Database, names: Iterable[str], runs: int = 3) -> list[str]:
    """Sources that answered in an earlier run but not in any of the latest `runs` runs:
    their feed moved or their layout changed, and nobody would notice otherwise."""
    health = {row["source"]: row for row in source_health(db, runs=50)}
    return [
        name
        for name in names
        if name in health
        and health[name]["silent_runs"] >= runs
        and health[name]["last_success"] is not None
    ]
