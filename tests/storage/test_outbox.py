"""The outbox: one delivery per change per wanting target, backoff, give-up, and no losses."""

from datetime import timedelta

import pytest

from storage.outbox import (
    Target,
    alert_id,
    enqueue,
    list_deliveries,
    parse_transition,
    pending_deliveries,
    record_attempt,
    retry_delay,
    sync_targets,
    utc_now,
)
from tests.alerts_support import add_change


def test_each_change_gets_one_pending_delivery_per_active_target(db) -> None:
    sync_targets(db, [Target("json://old.example/hook")])
    sync_targets(db, [Target("json://a.example/hook"), Target("mailto://b.example")])
    change = add_change(db)
    rows = list_deliveries(db)
    assert sorted(row["url"] for row in rows) == ["json://a.example/hook", "mailto://b.example"]
    assert {row["status"] for row in rows} == {"pending"}
    assert {row["attempts"] for row in rows} == {0}
    assert {row["alert_id"] for row in rows} == {alert_id(change)}
    assert rows[0]["message"]["evidence"] == change["evidence"]
    enqueue(db, change)  # the same change again (a retried transaction): nothing doubles
    assert len(list_deliveries(db)) == 2


def test_a_target_without_filters_gets_every_change_and_filters_narrow_it(db) -> None:
    sync_targets(
        db,
        [
            Target("json://all.example/"),
            Target("json://watchlist.example/", shows=frozenset({"copper sky"})),
            Target("json://netflix.example/", networks=frozenset({"netflix"})),
            Target(
                "json://axed.example/", transitions=frozenset({parse_transition("-> cancelled")})
            ),
            Target(
                "json://revivals.example/",
                transitions=frozenset({parse_transition("cancelled -> renewed")}),
            ),
        ],
    )
    add_change(db)  # Copper Sky on Netflix, renewed -> cancelled
    add_change(
        db,
        show_key="lantern row",
        show="Lantern Row",
        network="NBC",
        from_status="cancelled",
        to_status="renewed",
        from_season=3,
        to_season=3,
    )
    got = {}
    for row in list_deliveries(db):
        got.setdefault(row["url"].split("/")[2], []).append(row["message"]["show"])
    assert got == {
        "all.example": ["Copper Sky", "Lantern Row"],
        "watchlist.example": ["Copper Sky"],
        "netflix.example": ["Copper Sky"],
        "axed.example": ["Copper Sky"],
        "revivals.example": ["Lantern Row"],
    }


def test_no_targets_no_deliveries(db) -> None:
    add_change(db)
    assert list_deliveries(db) == []


def test_deliveries_are_written_in_the_changes_transaction(db) -> None:
    sync_targets(db, [Target("json://a.example/hook")])
    with pytest.raises(RuntimeError), db.atomic():
        add_change(db)
        raise RuntimeError("crash before the ledger's transaction commits")
    assert db["changes"].count == 0
    assert list_deliveries(db) == []


def test_the_ledger_enqueues_what_consolidate_flags_and_not_what_rebuild_replays(
    db, run, store
) -> None:
    from storage import consolidate, rebuild, start_run
    from tests.storage.conftest import SOURCES, claim

    sync_targets(db, [Target("json://a.example/hook")])
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 2)], published="2020-01-01"))
    assert list_deliveries(db) == []  # a first status is not a change
    run2 = start_run(db, SOURCES)
    keys = store("https://d/2", [claim("X", "cancelled", 2)], published="2020-02-01", run_id=run2)
    (change,) = consolidate(db, run2, keys)
    (delivery,) = list_deliveries(db)
    assert delivery["change_id"] == change["id"]
    assert delivery["message"]["to_status"] == "cancelled"
    rebuild(db, start_run(db, SOURCES, kind="reprocess"))  # history replayed: no new alerts
    assert len(list_deliveries(db)) == 1


def test_alert_id_is_stable_and_not_reused_when_change_ids_restart(db) -> None:
    first = add_change(db)
    assert alert_id(first) == alert_id(dict(first))
    db.execute("delete from changes")  # what `renewals reprocess` does before replaying
    later = add_change(db, to_status="ending", detected_at="2026-09-01T08:00:00+00:00")
    assert later["id"] == first["id"]
    assert alert_id(later) != alert_id(first)


def test_failures_back_off_and_are_given_up_only_after_the_give_up_time(db) -> None:
    sync_targets(db, [Target("json://down.example/")], give_up_after=timedelta(days=3))
    add_change(db)
    (delivery,) = pending_deliveries(db)
    start = utc_now()
    moment = start
    for attempt in range(1, 200):
        (row,) = record_attempt(db, [delivery["id"]], "connection refused", now=moment)
        assert row["attempts"] == attempt
        assert row["last_error"] == "connection refused"
        if row["status"] == "failed":
            break
        assert row["status"] == "pending"
        assert row["next_attempt_at"] == (moment + retry_delay(attempt)).isoformat()
        assert pending_deliveries(db, now=moment) == []  # backing off
        assert len(pending_deliveries(db, now=moment, due_only=False)) == 1
        moment += retry_delay(attempt)
    assert row["status"] == "failed"
    assert moment - start >= timedelta(days=3)
    assert moment - start < timedelta(days=3, hours=1)  # not later than one retry past it
    assert pending_deliveries(db, due_only=False) == []


def test_backoff_doubles_up_to_an_hour() -> None:
    assert retry_delay(10_000) == timedelta(hours=1)
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


def test_success_marks_sent_and_is_final(db) -> None:
    sync_targets(db, [Target("json://up.example/")])
    add_change(db)
    (delivery,) = pending_deliveries(db)
    record_attempt(db, [delivery["id"]], "timeout")
    (row,) = record_attempt(db, [delivery["id"]], None)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)
    assert row["sent_at"]
    assert pending_deliveries(db, due_only=False) == []


def test_removing_a_target_stops_new_alerts_but_keeps_promised_ones(db) -> None:
    sync_targets(db, [Target("json://a.example/")])
    add_change(db)
    sync_targets(db, [])
    add_change(db, show_key="other", show="Other")
    assert [row["message"]["show"] for row in pending_deliveries(db)] == ["Copper Sky"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("renewed -> cancelled", ("renewed", "cancelled")),
        ("-> cancelled", (None, "cancelled")),
        ("Renewed->", ("renewed", None)),
    ],
)
def test_transitions(text: str, expected: tuple) -> None:
    assert parse_transition(text) == expected


@pytest.mark.parametrize("text", ["cancelled", "->", "renewed -> axed", "-> cancelled -> renewed"])
def test_bad_transitions(text: str) -> None:
    with pytest.raises(ValueError, match="transition"):
        parse_transition(text)
