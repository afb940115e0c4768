"""Consolidation: each show's status from its firm claims, snapshots, changes and disputes.

The rules, and the reason for each, are in docs/consolidation.md. `replay` is pure (claims in,
states out) so the same claims always give the same history; `consolidate` runs on the
shows queued since their last consolidation, and `rebuild` replays every show from scratch
for `renewals reprocess`.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import sqlite_utils

from storage.db import write_transaction
from storage.outbox import enqueue

FIRM_CONFIDENCE = 0.5  # SPEC: hedged claims sit below 0.5 and never decide a status
TRUST_WINDOW_DAYS = 180  # how long a tier-1 status is shielded from a lone tier-2 source
LEAST_TRUSTED = 3  # SEO blogs and aggregators: alone, never over a tier-1 or tier-2 status
DECISIONS = {"renewed", "cancelled", "ending"}


@dataclass
class Decision:
    """One article's word on one show: its claims with the same status and date, merged."""

    status: str
    season: int | None
    network: str | None
    announced: str | None
    effective: str  # the day it was made: announced, else published, else first fetched
    url: str
    evidence: str | None
    source: str | None
    tier: int
    fetched_at: str | None

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.status, self.season)


@dataclass
class State:
    """The consolidated status: the decision that set it, and how trusted it is now."""

    decision: Decision
    season: int | None
    network: str | None
    tier: int  # the most trusted source that stands behind it
    trusted_on: str  # the latest date a source of that tier confirmed it

    @property
    def status(self) -> str:
        return self.decision.status

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.status, self.season)


def _claim_order(claim: dict[str, Any]) -> tuple:
    return (
        claim["article_url"],
        claim["status"],
        claim["effective"],
        claim["season"] or 0,
        claim["network"] or "",
        claim["evidence"] or "",
        claim["tier"] or 3,
        claim["source"] or "",
    )


def decisions(claims: Iterable[dict[str, Any]]) -> list[Decision]:
    """Firm claims grouped by (article, status, date), in the order they were decided.

    A multi-season decision ("renewed for seasons 5, 6 and 7") becomes one decision about its
    highest season. Ties on the date put less trusted sources first, so the trusted word stands.
    """
    merged: dict[tuple[str, str, str], Decision] = {}
    firm = [c for c in claims if (c["confidence"] or 0) >= FIRM_CONFIDENCE]
    firm.sort(key=_claim_order)  # so the result never depends on the order claims were read
    for claim in firm:
        group = (claim["article_url"], claim["status"], claim["effective"])
        found = merged.get(group)
        if found is None:
            merged[group] = Decision(
                status=claim["status"],
                season=claim["season"],
                network=claim["network"],
                announced=claim["announced"],
                effective=claim["effective"],
                url=claim["article_url"],
                evidence=claim["evidence"],
                source=claim["source"],
                tier=claim["tier"] or 3,
                fetched_at=claim["fetched_at"],
            )
            continue
        if claim["season"] is not None and (found.season is None or claim["season"] > found.season):
            found.season = claim["season"]
            found.evidence = claim["evidence"]
        found.network = found.network or claim["network"]
    return sorted(
        merged.values(),
        key=lambda d: (d.effective, -d.tier, d.url, d.status, -1 if d.season is None else d.season),
    )


def _day(value: str) -> date:
    """An ISO date of any granularity ("2020", "2020-01", "2020-01-15T...") as its first day."""
    parts = (value[:10].split("-") + ["1", "1"])[:3]
    return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))


def _within_trust_window(trusted_on: str, effective: str) -> bool:
    try:
        return (_day(effective) - _day(trusted_on)).days <= TRUST_WINDOW_DAYS
    except ValueError:
        return True  # an unreadable date never weakens a trusted status


class ShowLedger:
    """Replays one show's decisions in date order; `apply` says whether the status changed."""

    def __init__(self) -> None:
        self.state: State | None = None
        self.superseded: dict[tuple[str, int | None], str | None] = {}  # -> its network
        self.challengers: dict[tuple[str, int | None], list[Decision]] = {}

    def apply(self, d: Decision) -> bool:
        cur = self.state
        if cur is None:
            self._adopt(d)
            return True
        if d.status == cur.status and None in (d.season, cur.season) or d.key == cur.key:
            return self._confirm(d)
        if d.season is None and d.status in DECISIONS:
            # "Netflix has cancelled X" with the show renewed for season 3: season 3 is the one
            # not made. A decision without a season is about the season in question.
            d = replace(d, season=cur.season)
        if d.season is not None and cur.season is not None and d.season < cur.season:
            return False  # about an earlier season: history, not news
        if d.status == "pending" and cur.status in DECISIONS and d.season in (None, cur.season):
            return False  # "no decision yet" after the decision was made is stale
        same_network = d.network in (None, self.superseded.get(d.key))
        if d.key in self.superseded and not d.announced and same_network:
            return False  # an undated restatement of a status the show already left behind
        if d.tier > cur.tier and (
            d.tier >= LEAST_TRUSTED or _within_trust_window(cur.trusted_on, d.effective)
        ):
            group = self.challengers.setdefault(d.key, [])
            group.append(d)
            if len({c.source for c in group}) < 2:
                return False  # a lone lesser source: a dispute, not a change
        self.superseded[cur.key] = cur.network
        self._adopt(d)
        return True

    def disputes(self) -> list[Decision]:
        """Decisions that contradict the current status without having overturned it."""
        return [d for group in self.challengers.values() for d in group]

    def _adopt(self, d: Decision) -> None:
        self.state = State(d, d.season, d.network, d.tier, d.effective)
        self.challengers = {}

    def _confirm(self, d: Decision) -> bool:
        cur = self.state
        assert cur is not None
        cur.network = cur.network or d.network
        if d.tier < cur.tier:
            cur.tier, cur.trusted_on = d.tier, d.effective
        elif d.tier == cur.tier:
            cur.trusted_on = max(cur.trusted_on, d.effective)
        if cur.season is None and d.season is not None:
            cur.season = d.season  # the season becomes known: the consolidated status moves
            return True
        return False


def replay(claims: Iterable[dict[str, Any]]) -> Iterator[tuple[ShowLedger, Decision]]:
    """Apply a show's claims in date order, yielding (ledger, decision) after each change."""
    ledger = ShowLedger()
    for d in decisions(claims):
        if ledger.apply(d):
            yield ledger, d


def final_state(claims: Iterable[dict[str, Any]]) -> ShowLedger:
    ledger = ShowLedger()
    for d in decisions(claims):
        ledger.apply(d)
    return ledger


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _claims_by_show(db: sqlite_utils.Database, keys: list[str]) -> dict[str, list[dict]]:
    by_show: dict[str, list[dict]] = {key: [] for key in keys}
    rows = db.query(
        "select * from claims where show_key in (select value from json_each(?))"
        " and confidence >= ?",
        [json.dumps(keys), FIRM_CONFIDENCE],
    )
    for row in rows:
        by_show[row["show_key"]].append(row)
    return by_show


def _shows(db: sqlite_utils.Database, keys: list[str]) -> dict[str, dict]:
    rows = db.query(
        "select * from shows where key in (select value from json_each(?))", [json.dumps(keys)]
    )
    return {row["key"]: row for row in rows}


def _write_snapshot(
    db: sqlite_utils.Database, key: str, state: State, run_id: int, taken_at: str
) -> int:
    d = state.decision
    snapshot = {
        "show_key": key,
        "status": state.status,
        "season": state.season,
        "network": state.network,
        "since": d.effective,
        "announced": d.announced,
        "taken_at": taken_at,
        "run_id": run_id,
        "url": d.url,
        "evidence": d.evidence,
        "source": d.source,
        "tier": d.tier,
    }
    # Plain SQL: sqlite-utils' insert and update read the table's schema on every call.
    names = ", ".join(snapshot)
    snapshot_id = db.execute(
        f"insert into snapshots ({names}) values ({', '.join(':' + n for n in snapshot)})",
        snapshot,
    ).lastrowid
    db.execute(
        "update shows set status = ?, season = ?, network = ?, since = ?, url = ?, source = ?,"
        " detected_at = ?, snapshot_id = ? where key = ?",
        [state.status, state.season, state.network, d.effective, d.url, d.source, taken_at,
         snapshot_id, key],
    )  # fmt: skip
    return snapshot_id


def record_change(db: sqlite_utils.Database, change: dict[str, Any], alert: bool) -> dict[str, Any]:
    """The one place a change row is written, inside the caller's transaction.

    `alert` is True for changes a crawl detects now: their alert deliveries are queued in the
    same transaction, so a change is never flagged without its alerts or alerted twice. It is
    False for a rebuilt past (`renewals reprocess`), which must not alert anyone.
    """
    change["id"] = db["changes"].insert(change).last_pk
    if alert:
        enqueue(db, change)
    return change


def _change(
    key: str, title: str, before: tuple, state: State, run_id: int, detected_at: str, sid: int
) -> dict[str, Any]:
    d = state.decision
    return {
        "show_key": key,
        "show": title,
        "season": state.season,
        "from_status": before[0],
        "from_season": before[1],
        "to_status": state.status,
        "to_season": state.season,
        "network": state.network,
        "announced": d.announced or d.effective,
        "detected_at": detected_at,
        "run_id": run_id,
        "url": d.url,
        "evidence": d.evidence,
        "source": d.source,
        "snapshot_id": sid,
    }


def _sync_disputes(
    db: sqlite_utils.Database, key: str, ledger: ShowLedger, run_id: int, now: str
) -> None:
    """Keep exactly the show's open disputes; one that persists keeps its first detection."""
    state = ledger.state
    rows = []
    if state is not None:
        for d in ledger.disputes():
            rows.append(
                {
                    "show_key": key,
                    "url": d.url,
                    "status": d.status,
                    "season": d.season,
                    "network": d.network,
                    "effective": d.effective,
                    "source": d.source,
                    "tier": d.tier,
                    "evidence": d.evidence,
                    "against_status": state.status,
                    "against_season": state.season,
                    "against_url": state.decision.url,
                    "against_tier": state.tier,
                    "detected_at": now,
                    "run_id": run_id,
                }
            )
    wanted = {(r["url"], r["status"]) for r in rows}
    existing = {
        (r["url"], r["status"])
        for r in db.query("select url, status from dispute_records where show_key = ?", [key])
    }
    for url, status in existing - wanted:
        db.execute(
            "delete from dispute_records where show_key = ? and url = ? and status = ?",
            [key, url, status],
        )
    new = [r for r in rows if (r["url"], r["status"]) not in existing]
    if new:
        db["dispute_records"].insert_all(new, pk=("show_key", "url", "status"), ignore=True)


def display_title(current: str, claims: list[dict[str, Any]]) -> str:
    """The spelling most firm claims use ("The Rookie" over a headline's "THE ROOKIE");
    the current one while it is among the most used, so titles do not flicker."""
    counts = Counter(claim["show"] for claim in claims if claim["show"])
    if not counts:
        return current
    top = max(counts.values())
    if counts.get(current) == top:
        return current
    return min(spelling for spelling, n in counts.items() if n == top)


def consolidate(db: sqlite_utils.Database, run_id: int, show_keys: set[str]) -> list[dict]:
    """Re-decide these shows' statuses; snapshot and flag each one that moved, in one transaction.

    Changes are per crawl: whatever happened to a show in between, one change goes from its
    previous snapshot to its new status. A show's first status is a snapshot, not a change.
    """
    keys = sorted(show_keys)
    if not keys:
        return []
    now = utc_now()
    changes = []
    with write_transaction(db):
        db.execute(
            "delete from consolidation_queue where show_key in (select value from json_each(?))",
            [json.dumps(keys)],
        )
        claims = _claims_by_show(db, keys)
        shows = _shows(db, keys)
        for key in keys:
            show = shows.get(key)
            if show is None:
                continue
            title = display_title(show["title"], claims[key])
            if title != show["title"]:
                db["shows"].update(key, {"title": title})
            ledger = final_state(claims[key])
            _sync_disputes(db, key, ledger, run_id, now)
            state = ledger.state
            before = (show["status"], show["season"])
            if state is None or before == state.key:
                continue
            sid = _write_snapshot(db, key, state, run_id, now)
            if show["status"] is not None:
                change = _change(key, title, before, state, run_id, now, sid)
                changes.append(record_change(db, change, alert=True))
    return changes


def queued_shows(db: sqlite_utils.Database) -> set[str]:
    """Shows whose claims changed after their last consolidation (a killed run's, too)."""
    return {row[0] for row in db.execute("select show_key from consolidation_queue").fetchall()}


def consolidate_queued(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    """Consolidate every queued show, in one transaction that also empties the queue.

    A crawl killed before or while it consolidates leaves its shows queued; whichever run
    comes next makes their changes and alerts, once: the transaction that writes them is the
    one that takes the shows off the queue.
    """
    with write_transaction(db):
        return consolidate(db, run_id, queued_shows(db))


def rebuild(db: sqlite_utils.Database, run_id: int) -> int:
    """Replay every show's timeline from its claims, replacing snapshots, changes and disputes.

    Each step of the timeline is a snapshot (and, after the first, a change), detected when
    its article was first fetched, so the history depends on the articles, not on crawl order.
    Returns the number of changes written.
    """
    now = utc_now()
    count = 0
    with write_transaction(db):
        for table in ("changes", "snapshots", "dispute_records", "consolidation_queue"):
            db.execute(f"delete from {table}")
        db.execute(
            "update shows set status = null, season = null, network = null, since = null,"
            " url = null, source = null, detected_at = null, snapshot_id = null"
        )
        titles = {row["key"]: row["title"] for row in db.query("select key, title from shows")}
        by_show: dict[str, list[dict]] = {}
        for row in db.query(
            "select * from claims where confidence >= ? order by show_key", [FIRM_CONFIDENCE]
        ):
            by_show.setdefault(row["show_key"], []).append(row)
        for key in sorted(by_show):
            # ties go to the same spelling whatever was crawled first: the rebuild is deterministic
            title = display_title("", by_show[key])
            if title != titles[key]:
                db["shows"].update(key, {"title": title})
            before: tuple | None = None
            ledger = ShowLedger()
            for ledger, d in replay(by_show[key]):
                state = ledger.state
                assert state is not None
                detected = d.fetched_at or now
                sid = _write_snapshot(db, key, state, run_id, detected)
                if before is not None:
                    change = _change(key, title, before, state, run_id, detected, sid)
                    record_change(db, change, alert=False)
                    count += 1
                before = state.key
            _sync_disputes(db, key, ledger, run_id, now)
    return count
