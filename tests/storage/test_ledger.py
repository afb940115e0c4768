"""Consolidation rules (docs/consolidation.md), each on a real database."""

import random

from storage import consolidate, current_statuses, list_changes, rebuild, start_run
from tests.storage.conftest import SOURCES, claim


def moves(changes: list[dict]) -> list[tuple]:
    return [
        (c["show"], c["from_status"], c["from_season"], c["to_status"], c["to_season"])
        for c in changes
    ]


def status_of(db, show: str) -> tuple:
    (row,) = current_statuses(db, show)
    return row["status"], row["season"]


def test_first_status_is_a_snapshot_not_a_change(db, run, store) -> None:
    keys = store("https://d/1", [claim("Soundtrack", "renewed", 2)], published="2020-01-01")
    assert consolidate(db, run, keys) == []
    assert status_of(db, "Soundtrack") == ("renewed", 2)
    assert db["snapshots"].count == 1


def test_renewed_then_cancelled_is_one_change_with_its_record(db, run, store) -> None:
    consolidate(
        db, run, store("https://d/1", [claim("Soundtrack", "renewed", 2)], published="2020-01-01")
    )
    run2 = start_run(db, SOURCES)
    keys = store(
        "https://d/2",
        [claim("Soundtrack", "cancelled", 2, network="Netflix", announced="2020-03-02")],
        published="2020-03-03",
        run_id=run2,
    )
    (change,) = consolidate(db, run2, keys)
    assert moves([change]) == [("Soundtrack", "renewed", 2, "cancelled", 2)]
    assert change["network"] == "Netflix"
    assert change["announced"] == "2020-03-02"
    assert change["run_id"] == run2
    assert change["url"] == "https://d/2"
    assert change["source"] == "deadline"
    assert change["evidence"] == "Soundtrack cancelled 2"
    assert change["detected_at"]
    assert list_changes(db)[0]["id"] == change["id"]


def test_recrawling_the_same_articles_never_changes_anything(db, run, store) -> None:
    store("https://d/1", [claim("X", "renewed", 2)], published="2020-01-01")
    keys = store("https://d/2", [claim("X", "cancelled", 2)], published="2020-02-01")
    consolidate(db, run, keys)
    for _ in range(3):
        again = start_run(db, SOURCES)
        store("https://d/1", [claim("X", "renewed", 2)], published="2020-01-01", run_id=again)
        keys = store(
            "https://d/2", [claim("X", "cancelled", 2)], published="2020-02-01", run_id=again
        )
        assert consolidate(db, again, keys) == []
    assert db["snapshots"].count == 1


def test_two_decisions_in_one_crawl_give_one_change(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 2)], published="2020-01-01"))
    run2 = start_run(db, SOURCES)
    store("https://d/2", [claim("X", "cancelled", 3)], published="2020-02-01", run_id=run2)
    keys = store(
        "https://d/3",
        [claim("X", "renewed", 3, network="Peacock")],
        published="2020-05-01",
        run_id=run2,
    )
    # cancelled, then saved by another network, between two crawls: one change, old -> latest
    assert moves(consolidate(db, run2, keys)) == [("X", "renewed", 2, "renewed", 3)]


def test_order_is_by_announcement_not_by_crawl(db, run, store) -> None:
    store("https://d/new", [claim("X", "cancelled", 3)], published="2021-05-01")
    keys = store("https://d/old", [claim("X", "renewed", 3)], published="2020-05-01")
    consolidate(db, run, keys)
    assert status_of(db, "X") == ("cancelled", 3)


def test_announced_date_beats_publication_date(db, run, store) -> None:
    store("https://d/1", [claim("X", "renewed", 3)], published="2021-01-10")
    keys = store(
        "https://d/2", [claim("X", "cancelled", 3, announced="2020-12")], published="2021-02-01"
    )
    consolidate(db, run, keys)
    assert status_of(db, "X") == ("renewed", 3)


def test_a_month_announcement_sorts_after_a_dated_one_in_that_month(db, run, store) -> None:
    store("https://d/1", [claim("X", "renewed", 3)], published="2026-03-02")
    # "reversing the renewal it announced last month", read as announced in March
    keys = store(
        "https://d/2", [claim("X", "cancelled", 3, announced="2026-03")], published="2026-04-01"
    )
    consolidate(db, run, keys)
    assert status_of(db, "X") == ("cancelled", 3)


def test_several_seasons_give_the_highest_and_a_final_one_is_a_change(db, run, store) -> None:
    claims = [claim("Grey's Anatomy", "renewed", s) for s in (5, 6, 7)]
    consolidate(db, run, store("https://d/1", claims, published="2020-01-01"))
    assert status_of(db, "Greys Anatomy") == ("renewed", 7)
    run2 = start_run(db, SOURCES)
    keys = store(
        "https://d/2", [claim("Grey's Anatomy", "ending", 7)], published="2021-01-01", run_id=run2
    )
    assert moves(consolidate(db, run2, keys)) == [("Grey's Anatomy", "renewed", 7, "ending", 7)]


def test_a_later_article_restating_old_news_does_not_flip(db, run, store) -> None:
    store("https://d/1", [claim("X", "cancelled", 3)], published="2019-01-01")
    keys = store(
        "https://d/2", [claim("X", "renewed", 3, network="Netflix")], published="2020-01-01"
    )
    consolidate(db, run, keys)
    run2 = start_run(db, SOURCES)
    # a recap: "X was cancelled after two seasons" (no date of its own) and a past-season renewal
    keys = store(
        "https://d/3",
        [claim("X", "cancelled", 3), claim("X", "renewed", 2)],
        published="2021-01-01",
        run_id=run2,
    )
    assert consolidate(db, run2, keys) == []
    assert status_of(db, "X") == ("renewed", 3)


def test_a_dated_restatement_sorts_into_the_past(db, run, store) -> None:
    keys = store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01")
    consolidate(db, run, keys)
    keys = store(
        "https://d/2", [claim("X", "cancelled", 3, announced="2018")], published="2021-01-01"
    )
    assert consolidate(db, run, keys) == []


def test_a_lone_lesser_source_is_a_dispute_not_a_flip(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store(
        "https://seo/1", [claim("X", "cancelled", 3)], source="seoblog", published="2020-02-01"
    )
    assert consolidate(db, run, keys) == []
    assert status_of(db, "X") == ("renewed", 3)
    (dispute,) = db.query("select * from disputes")
    assert (dispute["claimed_status"], dispute["source"], dispute["current_status"]) == (
        "cancelled", "seoblog", "renewed",
    )  # fmt: skip
    assert consolidate(db, run, keys) == []
    assert db["dispute_records"].count == 1


def test_a_corroborated_lesser_claim_flips_and_clears_the_dispute(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    consolidate(
        db,
        run,
        store(
            "https://seo/1", [claim("X", "cancelled", 3)], source="seoblog", published="2020-02-01"
        ),
    )
    keys = store(
        "https://fan/1", [claim("X", "cancelled", 3)], source="fanpage", published="2020-02-02"
    )
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "cancelled", 3)]
    assert db["dispute_records"].count == 0


def test_an_equally_trusted_source_flips(db, run, store) -> None:
    consolidate(
        db,
        run,
        store(
            "https://seo/1", [claim("X", "renewed", 3)], source="seoblog", published="2020-01-01"
        ),
    )
    keys = store(
        "https://fan/1", [claim("X", "cancelled", 3)], source="fanpage", published="2020-02-01"
    )
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "cancelled", 3)]


def test_a_lone_tier_3_claim_never_overturns_a_trusted_status_however_much_newer(
    db, run, store
) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store(
        "https://seo/1", [claim("X", "cancelled", 4)], source="seoblog", published="2021-06-01"
    )
    assert consolidate(db, run, keys) == []
    assert [r["claimed_status"] for r in db.query("select * from disputes")] == ["cancelled"]
    keys = store(
        "https://fan/1", [claim("X", "cancelled", 4)], source="fanpage", published="2021-06-09"
    )
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "cancelled", 4)]


def test_a_tier_1_status_long_past_can_be_overturned_by_a_tier_2_source(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store(
        "https://tv/1", [claim("X", "cancelled", 4)], source="tvline", published="2021-06-01"
    )
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "cancelled", 4)]


def test_hedged_claims_never_decide(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store(
        "https://d/2", [claim("X", "cancelled", 3, confidence=0.3)], published="2020-02-01"
    )
    assert consolidate(db, run, keys) == []


def test_undecided_after_a_decision_is_stale(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store("https://d/2", [claim("X", "pending", 3)], published="2020-02-01")
    assert consolidate(db, run, keys) == []
    keys = store("https://d/2b", [claim("X", "pending")], published="2020-02-02")
    assert consolidate(db, run, keys) == []
    keys = store("https://d/3", [claim("X", "pending", 4)], published="2020-06-01")
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "pending", 4)]


def test_an_unknown_season_confirms_rather_than_changes(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "cancelled", 3)], published="2020-01-01"))
    keys = store("https://d/2", [claim("X", "cancelled")], published="2020-02-01")
    assert consolidate(db, run, keys) == []
    assert status_of(db, "X") == ("cancelled", 3)


def test_a_decision_without_a_season_is_about_the_season_in_question(db, run, store) -> None:
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 3)], published="2020-01-01"))
    keys = store("https://d/2", [claim("X", "cancelled")], published="2020-02-01")
    assert moves(consolidate(db, run, keys)) == [("X", "renewed", 3, "cancelled", 3)]
    keys = store("https://d/3", [claim("X", "renewed", network="Peacock")], published="2020-03-01")
    assert moves(consolidate(db, run, keys)) == [("X", "cancelled", 3, "renewed", 3)]
    # a recap retelling the cancellation, undated and without a season, changes nothing
    keys = store("https://d/4", [claim("X", "cancelled")], published="2020-04-01")
    assert consolidate(db, run, keys) == []


def test_only_the_given_shows_are_consolidated(db, run, store) -> None:
    store("https://d/1", [claim("A", "renewed", 2)], published="2020-01-01")
    keys = store("https://d/2", [claim("B", "renewed", 2)], published="2020-01-01")
    consolidate(db, run, keys)
    assert [r["show"] for r in current_statuses(db)] == ["B"]
    assert consolidate(db, run, set()) == []
    assert consolidate(db, run, {"no such show"}) == []


def _history(db) -> list[tuple]:
    return [
        (r["show_key"], r["status"], r["season"], r["since"], r["url"])
        for r in db.query("select * from snapshots order by show_key, id")
    ]


def test_rebuild_is_the_same_whatever_the_crawl_order(tmp_path) -> None:
    from storage import open_db, save_article
    from tests.storage.conftest import article

    pages = [
        ("https://d/1", "deadline", "2019-01-01", [claim("X", "renewed", 2)]),
        ("https://d/2", "deadline", "2019-06-01", [claim("X", "cancelled", 3)]),
        ("https://d/3", "tvline", "2020-01-01", [claim("X", "renewed", 3, network="Peacock")]),
        ("https://seo/1", "seoblog", "2020-02-01", [claim("X", "cancelled", 3)]),
        (
            "https://d/4",
            "deadline",
            "2021-01-01",
            [claim("X", "ending", 4), claim("Y", "renewed", 9)],
        ),
        ("https://d/5", "tvline", "2022-01-01", [claim("X", "cancelled", 3)]),
        ("https://seo/2", "seoblog", "2021-02-01", [claim("Y", "cancelled", 9)]),
    ]
    histories = []
    for seed in range(4):
        db = open_db(tmp_path / f"{seed}.db")
        order = pages[:]
        random.Random(seed).shuffle(order)
        for url, source, published, claims in order:
            run = start_run(db, SOURCES)
            keys = save_article(db, article(url, source, published), claims, run)
            consolidate(db, run, keys)
        rebuild(db, start_run(db, SOURCES, kind="reprocess"))
        histories.append(
            (
                _history(db),
                moves(list_changes(db)),
                list(db.query("select url from dispute_records")),
            )
        )
    assert all(h == histories[0] for h in histories)
    assert histories[0][1] == [
        ("X", "renewed", 2, "cancelled", 3),
        ("X", "cancelled", 3, "renewed", 3),
        ("X", "renewed", 3, "ending", 4),
    ]
    # the tier-3 contradiction of X was overtaken by events; Y's is still open
    assert histories[0][2] == [{"url": "https://seo/2"}]


def test_a_flagged_change_queues_its_alerts_and_a_rebuild_does_not(db, run, store) -> None:
    from storage.outbox import Target, sync_targets

    sync_targets(db, [Target("json://127.0.0.1:9/hook")])
    consolidate(db, run, store("https://d/1", [claim("X", "renewed", 2)], published="2020-01-01"))
    keys = store("https://d/2", [claim("X", "cancelled", 2)], published="2020-02-01")
    (change,) = consolidate(db, run, keys)
    (delivery,) = db["alert_deliveries"].rows
    assert delivery["change_id"] == change["id"]
    rebuild(db, start_run(db, [], kind="reprocess"))
    assert db["changes"].count == 1
    assert db["alert_deliveries"].count == 1


def test_consolidation_reads_only_the_touched_shows_claims(db, run, store) -> None:
    for n in range(50):
        store(f"https://d/{n}", [claim(f"Show {n}", "renewed", 2)], published="2020-01-01")
    keys = store("https://d/x", [claim("Show 7", "cancelled", 2)], published="2020-02-01")
    read: list[tuple[str, object]] = []
    with db.tracer(lambda sql, params: read.append((sql, params))):
        consolidate(db, run, keys)
    claim_reads = [(sql, params) for sql, params in read if "from claims" in sql]
    assert len(claim_reads) == 1
    sql, params = claim_reads[0]
    assert "show_key in (select value from json_each(?))" in sql
    assert params[0] == '["show 7"]'
    plan = db.execute("explain query plan " + sql, params).fetchall()
    assert any("SEARCH claims USING PRIMARY KEY (show_key=?)" in row[-1] for row in plan), plan


def test_the_display_title_is_the_spelling_most_claims_use(db, run, store) -> None:
    store("https://d/1", [claim("THE ROOKIE", "renewed", 7)], published="2024-01-01")
    consolidate(db, run, {"rookie"})
    assert current_statuses(db)[0]["show"] == "THE ROOKIE"
    for n in (2, 3):
        store(f"https://d/{n}", [claim("The Rookie", "renewed", 7)], published="2024-01-0{n}")
    consolidate(db, run, {"rookie"})
    assert current_statuses(db)[0]["show"] == "The Rookie"
