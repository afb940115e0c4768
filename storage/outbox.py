"""The alert outbox: which targets hear about a change, and whether they have yet.

The ledger calls `enqueue` in the transaction that writes a change, so an alert can be lost
neither by a crash nor by a receiver being down: a pending delivery stays in the database until
it is sent or given up. Each delivery carries its own copy of the message (a reprocess may
rebuild the changes table) and an alert id that receivers can dedupe on.

Target URLs are stored as configured, with `${ENV}` placeholders expanded only when sending
(pipelines.notify), so secrets stay out of the database. Tables: storage/db.py, version 3.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from storage.db import write_transaction

STATUSES = ("renewed", "cancelled", "ending", "pending")
DEFAULT_DIGEST_AFTER = 10  # a run flagging more changes than this sends one summary per target
DEFAULT_GIVE_UP_AFTER = timedelta(days=3)
FIRST_RETRY_AFTER = timedelta(minutes=1)  # then doubling: 1, 2, 4, ... minutes
MAX_RETRY_AFTER = timedelta(hours=1)  # crawls run every few hours: each one retries
MESSAGE_FIELDS = (
    "show",
    "from_status",
    "from_season",
    "to_status",
    "to_season",
    "network",
    "announced",
    "detected_at",
    "run_id",
    "source",
    "url",
    "evidence",
)


@dataclass(frozen=True)
class Target:
    """Where alerts go, and which changes it wants; empty filters let everything through."""

    url: str
    shows: frozenset[str] = frozenset()  # show keys (storage.queries.show_key)
    networks: frozenset[str] = frozenset()  # casefolded
    transitions: frozenset[tuple[str | None, str | None]] = frozenset()  # None: any status

    def matches(self, change: dict[str, Any]) -> bool:
        if self.shows and change["show_key"] not in self.shows:
            return False
        if self.networks and (change.get("network") or "").casefold() not in self.networks:
            return False
        return not self.transitions or any(
            before in (None, change["from_status"]) and after in (None, change["to_status"])
            for before, after in self.transitions
        )


def parse_transition(text: str) -> tuple[str | None, str | None]:
    """Parse "renewed -> cancelled", "-> cancelled" or "renewed ->" (either spelling of
    cancelled); the ValueError names the problem."""
    before, arrow, after = text.partition("->")
    if not arrow:
        raise ValueError(f"transition {text!r} has no '->' (e.g. 'renewed -> cancelled')")
    sides = tuple(
        side.strip().lower().replace("canceled", "cancelled") or None for side in (before, after)
    )
    if sides == (None, None):
        raise ValueError(f"transition {text!r} names no status")
    for side in sides:
        if side is not None and side not in STATUSES:
            raise ValueError(f"transition {text!r}: {side!r} is not one of {', '.join(STATUSES)}")
    return sides  # type: ignore[return-value]


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sync_targets(
    db: sqlite_utils.Database,
    targets: Iterable[Target],
    digest_after: int = DEFAULT_DIGEST_AFTER,
    give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER,
) -> None:
    """Make these the targets the next changes are enqueued for; others stop getting new ones.

    A deactivated target keeps its pending deliveries: those alerts were promised already.
    """
    now = _iso(utc_now())
    rows = [
        {
            "url": target.url,
            "shows": json.dumps(sorted(target.shows)),
            "networks": json.dumps(sorted(target.networks)),
            "transitions": json.dumps(sorted(_transition_text(t) for t in target.transitions)),
            "digest_after": digest_after,
            "give_up_after": int(give_up_after.total_seconds()),
            "active": 1,
            "updated_at": now,
        }
        for target in targets
    ]
    with write_transaction(db):
        db.execute("update alert_targets set active = 0 where active = 1")
        for row in rows:  # keyed on the URL, so a target keeps its id and its deliveries
            db.execute(
                "insert into alert_targets (url, shows, networks, transitions, digest_after,"
                " give_up_after, active, updated_at) values (:url, :shows, :networks,"
                " :transitions, :digest_after, :give_up_after, :active, :updated_at)"
                " on conflict (url) do update set shows = excluded.shows,"
                " networks = excluded.networks, transitions = excluded.transitions,"
                " digest_after = excluded.digest_after, give_up_after = excluded.give_up_after,"
                " active = 1, updated_at = excluded.updated_at",
                row,
            )


def _transition_text(transition: tuple[str | None, str | None]) -> str:
    return f"{transition[0] or ''}->{transition[1] or ''}"


def active_targets(db: sqlite_utils.Database) -> list[tuple[int, Target]]:
    rows = db.query("select * from alert_targets where active = 1 order by id")
    return [
        (
            row["id"],
            Target(
                url=row["url"],
                shows=frozenset(json.loads(row["shows"])),
                networks=frozenset(json.loads(row["networks"])),
                transitions=frozenset(
                    parse_transition(text) for text in json.loads(row["transitions"])
                ),
            ),
        )
        for row in rows
    ]


def alert_id(change: dict[str, Any]) -> str:
    """The change id plus a fingerprint of the change: stable across retries, and not reused
    when `renewals reprocess` rebuilds the changes table and its ids start again at 1."""
    fingerprint = json.dumps(
        [change["show_key"], *(change.get(name) for name in MESSAGE_FIELDS)], default=str
    )
    return f"renewals-change-{change['id']}-{hashlib.sha256(fingerprint.encode()).hexdigest()[:8]}"


def enqueue(db: sqlite_utils.Database, change: dict[str, Any]) -> int:
    """One pending delivery of this change (a row just written, with its id) per active target
    that wants it, in the caller's transaction. Returns how many were queued."""
    now = _iso(utc_now())
    identifier = alert_id(change)
    message = json.dumps({name: change.get(name) for name in MESSAGE_FIELDS}, ensure_ascii=False)
    rows = [
        {
            "change_id": change["id"],
            "target_id": target_id,
            "alert_id": identifier,
            "message": message,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for target_id, target in active_targets(db)
        if target.matches(change)
    ]
    with write_transaction(db):
        db["alert_deliveries"].insert_all(rows, ignore=True)
    return len(rows)


def pending_deliveries(
    db: sqlite_utils.Database, now: datetime | None = None, due_only: bool = True
) -> list[dict[str, Any]]:
    """Pending deliveries, by target then change, each with its target's URL and settings and
    its message decoded; `due_only` leaves out those still backing off."""
    sql = (
        "select d.*, t.url, t.digest_after, t.give_up_after from alert_deliveries d"
        " join alert_targets t on t.id = d.target_id where d.status = 'pending'"
    )
    params: list[Any] = []
    if due_only:
        sql += " and d.next_attempt_at <= ?"
        params.append(_iso(now or utc_now()))
    rows = list(db.query(sql + " order by d.target_id, d.change_id, d.id", params))
    for row in rows:
        row["message"] = json.loads(row["message"])
    return rows


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the given number of failed attempts."""
    return min(FIRST_RETRY_AFTER * 2 ** min(max(attempts - 1, 0), 16), MAX_RETRY_AFTER)


def record_attempt(
    db: sqlite_utils.Database,
    delivery_ids: Iterable[int],
    error: str | None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Book one attempt at these deliveries (sent together, e.g. as a digest): sent when
    `error` is None, else still pending with a backoff, or failed once they have been failing
    for longer than their target's give-up time. Returns the updated rows."""
    moment = now or utc_now()
    ids = list(delivery_ids)
    with write_transaction(db):
        rows = list(
            db.query(
                "select d.id, d.attempts, d.first_failed_at, t.give_up_after"
                " from alert_deliveries d join alert_targets t on t.id = d.target_id"
                " where d.id in (select value from json_each(?))",
                [json.dumps(ids)],
            )
        )
        for row in rows:
            attempts = row["attempts"] + 1
            if error is None:
                update = {"status": "sent", "sent_at": _iso(moment), "last_error": None}
            else:
                first_failed = row["first_failed_at"] or _iso(moment)
                failing_for = moment - datetime.fromisoformat(first_failed)
                gave_up = failing_for >= timedelta(seconds=row["give_up_after"])
                update = {
                    "status": "failed" if gave_up else "pending",
                    "last_error": error,
                    "first_failed_at": first_failed,
                    "next_attempt_at": _iso(moment + retry_delay(attempts)),
                }
            db["alert_deliveries"].update(row["id"], {"attempts": attempts, **update})
        return list(
            db.query(
                "select * from alert_deliveries where id in (select value from json_each(?))"
                " order by id",
                [json.dumps(ids)],
            )
        )


def list_deliveries(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every delivery, oldest first, with its target URL (as configured) and message."""
    rows = list(
        db.query(
            "select d.*, t.url from alert_deliveries d"
            " join alert_targets t on t.id = d.target_id order by d.id"
        )
    )
    for row in rows:
        row["message"] = json.loads(row["message"])
    return rows


def delivery_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Deliveries by status (pending, sent, failed), and `targets`: the active targets."""
    counts = dict(db.execute("select status, count(*) from alert_deliveries group by status"))
    targets = db.execute("select count(*) from alert_targets where active = 1").fetchone()[0]
    return {"pending": 0, "sent": 0, "failed": 0, **counts, "targets": targets}


def purge_failed(db: sqlite_utils.Database) -> int:
    """Delete the deliveries given up on (their changes stay); returns how many."""
    with write_transaction(db):
        return db.execute("delete from alert_deliveries where status = 'failed'").rowcount
