"""Issue 4's multi-day scenario: a two-source site crawled on five days, then queried.

Day 1: first statuses (no changes). Day 2: Marble Coast's renewal is reversed, Iron Meadow is
revived by another network, a tier-3 blog contradicts Silver Creek's tier-1 renewal. Day 3:
Paper Kites renewed for its next season. Day 4: Paper Kites' final season; a recap restates
Iron Meadow's old cancellation. Day 5: every page downloaded and stored again.
"""

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewals.localsite import LocalSite
from storage.db import open_db
from tests.helpers import crawl, json_lines, run_renewals, write_sources

SITE = Path(__file__).parent / "ledger_site"
ROOT = Path(__file__).resolve().parents[1]
DAYS = ("day1", "day2", "day3", "day4", "day5")
EXPECTED = {
    "day1": [],
    "day2": [  # one crawl's changes come in show order
        ("Iron Meadow", "cancelled", 3, "renewed", 3),
        ("Marble Coast", "renewed", 3, "cancelled", 3),
    ],
    "day3": [("Paper Kites", "renewed", 2, "renewed", 3)],
    "day4": [("Paper Kites", "renewed", 3, "ending", 3)],
    "day5": [],
}


def moves(changes: list[dict]) -> list[tuple]:
    return [
        (c["show"], c["from_status"], c["from_season"], c["to_status"], c["to_season"])
        for c in changes
    ]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Crawl the five days in turn; keep each day's new changes and table counts."""
    folder = tmp_path_factory.mktemp("scenario")
    db = folder / "renewals.db"
    result: dict = {"db": db, "changes": {}, "counts": {}}
    with LocalSite(SITE / "day1", SITE / "articles") as site:
        sources = write_sources(
            folder / "sources.toml",
            [
                {"name": "trade", "tier": 1, "start_urls": [site.url("trade.xml")],
                 "allow": ["/trade/20\\d\\d/"]},
                {"name": "blog", "tier": 3, "start_urls": [site.url("blog.xml")],
                 "allow": ["/blog/20\\d\\d/"]},
            ],
        )  # fmt: skip
        seen = 0
        for day in DAYS:
            site.roots[0] = SITE / day
            # day 5 downloads every article again: the same pages, stored a second time
            extra = ("--refetch-days", "3650") if day == "day5" else ()
            done = crawl(sources, db, *extra)
            assert done.returncode == 0, done.stderr
            result.setdefault("summaries", {})[day] = done.stderr.strip().splitlines()[-1]
            changes = json_lines(run_renewals("changes", "--db", str(db), "--json").stdout)
            result["changes"][day] = changes[seen:]
            seen = len(changes)
            database = open_db(db)
            result["counts"][day] = {
                t: database[t].count for t in ("articles", "claims", "snapshots", "changes")
            }
            database.close()
        result["base"] = site.base
    yield result


def test_exactly_the_real_changes_are_flagged_day_by_day(crawled: dict) -> None:
    assert {day: moves(crawled["changes"][day]) for day in DAYS} == EXPECTED


def test_each_change_carries_its_record(crawled: dict) -> None:
    revival = next(c for c in crawled["changes"]["day2"] if c["show"] == "Iron Meadow")
    assert revival["network"] == "Peacock"
    assert revival["url"] == crawled["base"] + "/trade/2026/04/iron-meadow-revived/"
    assert "Peacock has picked up Iron Meadow" in revival["evidence"]
    assert revival["source"] == "trade"
    assert revival["announced"] == "2026-04-02"
    assert revival["detected_at"] and revival["run_id"] == 2
    final = crawled["changes"]["day4"][0]
    assert final["announced"] == "2026-06-01"  # "announced on Monday", relative to publication


def test_final_statuses(crawled: dict) -> None:
    rows = json_lines(run_renewals("status", "--db", str(crawled["db"]), "--json").stdout)
    assert [(r["show"], r["status"], r["season"], r["network"]) for r in rows] == [
        ("Iron Meadow", "renewed", 3, "Peacock"),
        ("Marble Coast", "cancelled", 3, "Netflix"),
        ("Night Ferry", "pending", 2, None),
        ("Paper Kites", "ending", 3, "Hulu"),
        ("Silver Creek", "renewed", 5, "NBC"),
        ("Tin Crown", "cancelled", 2, "Netflix"),
    ]


def test_a_lone_tier_3_contradiction_is_a_dispute(crawled: dict) -> None:
    conn = sqlite3.connect(crawled["db"])
    rows = conn.execute(
        "select show, current_status, claimed_status, claimed_season, source from disputes"
    ).fetchall()
    assert rows == [("Silver Creek", "renewed", "cancelled", 5, "blog")]


def test_the_same_pages_seen_again_change_and_duplicate_nothing(crawled: dict) -> None:
    assert "12 articles" in crawled["summaries"]["day5"]  # all of them fetched and stored again
    assert crawled["counts"]["day5"] == crawled["counts"]["day4"]


def test_history_lists_the_timeline_with_sources(crawled: dict) -> None:
    out = run_renewals("history", "--db", str(crawled["db"]), "--json", "iron meadow").stdout
    timeline = json.loads(out)
    assert [(s["status"], s["season"], s["source"]) for s in timeline["snapshots"]] == [
        ("cancelled", 3, "trade"),
        ("renewed", 3, "trade"),
    ]
    assert crawled["base"] + "/trade/2026/06/iron-meadow-recap/" in {
        c["url"] for c in timeline["claims"]
    }


def test_status_as_of_the_first_day(crawled: dict) -> None:
    database = open_db(crawled["db"])
    first_day = database.execute("select min(taken_at) from snapshots").fetchone()[0]
    out = run_renewals(
        "status", "--db", str(crawled["db"]), "--json", "--as-of", first_day, "Marble Coast"
    ).stdout
    assert [(r["status"], r["season"]) for r in json_lines(out)] == [("renewed", 3)]


def _documented_queries() -> list[tuple[str, str]]:
    """(canned query name, SQL) for each question in docs/querying.md."""
    text = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")
    names = re.findall(r"Canned query `(\w+)`", text)
    blocks = re.findall(r"```sql\n(.*?)\n```", text, re.DOTALL)
    assert len(names) == len(blocks) == 10
    return list(zip(names, blocks, strict=True))


def test_documented_queries_are_the_canned_queries() -> None:
    metadata = json.loads((ROOT / "storage" / "datasette-metadata.json").read_text())
    canned = metadata["databases"]["renewals"]["queries"]
    assert {name: sql for name, sql in _documented_queries()} == {
        name: query["sql"] for name, query in canned.items()
    }


QUERY_PARAMS = {
    "reversed_renewals": {"year": "2026"},
    "cancelled_after_one_season": {"network": "netflix"},
    "changes_since": {"since": "2000-01-01"},
    "status_as_of": {"date": "2100-01-01"},
    "search_articles": {"query": "revives"},
}
QUERY_RESULTS = {  # name: (the columns compared, the rows expected)
    "reversed_renewals": (
        ("show", "renewed_for", "cancelled_at", "network"),
        [("Marble Coast", 3, 3, "Netflix")],
    ),
    "cancelled_after_one_season": (("show", "network"), [("Tin Crown", "Netflix")]),
    "open_disputes": (
        ("show", "current_status", "current_season", "claimed_status", "claimed_season", "source"),
        [("Silver Creek", "renewed", 5, "cancelled", 5, "blog")],
    ),
    "saved_by_another_network": (
        ("show", "cancelled_by", "saved_by", "season"),
        [("Iron Meadow", "HBO", "Peacock", 3)],
    ),
    "changes_since": (
        ("show", "from_status", "from_season", "to_status", "to_season"),
        [
            ("Iron Meadow", "cancelled", 3, "renewed", 3),
            ("Marble Coast", "renewed", 3, "cancelled", 3),
            ("Paper Kites", "renewed", 2, "renewed", 3),
            ("Paper Kites", "renewed", 3, "ending", 3),
        ],
    ),
    "final_seasons": (("show", "final_season", "network"), [("Paper Kites", 3, "Hulu")]),
    "awaiting_decision": (("show", "awaiting_season", "network"), [("Night Ferry", 2, None)]),
    "cancellations_by_network_and_year": (
        ("network", "year", "shows_cancelled"),
        [("Netflix", "2026", 2), ("HBO", "2026", 1)],
    ),
    "status_as_of": (
        ("show", "status", "season"),
        [
            ("Iron Meadow", "renewed", 3),
            ("Marble Coast", "cancelled", 3),
            ("Night Ferry", "pending", 2),
            ("Paper Kites", "ending", 3),
            ("Silver Creek", "renewed", 5),
            ("Tin Crown", "cancelled", 2),
        ],
    ),
    "search_articles": (
        ("title", "source"),
        [("Peacock Revives 'Iron Meadow' for Season 3", "trade")],
    ),
}


@pytest.mark.parametrize("name", list(QUERY_RESULTS))
def test_each_documented_query_answers_its_question(crawled: dict, name: str) -> None:
    sql = dict(_documented_queries())[name]
    conn = sqlite3.connect(crawled["db"])
    conn.row_factory = sqlite3.Row
    columns, expected = QUERY_RESULTS[name]
    rows = conn.execute(sql, QUERY_PARAMS.get(name, {})).fetchall()
    assert [tuple(row[c] for c in columns) for row in rows] == expected


def test_reprocess_rebuilds_the_same_history_from_the_stored_articles(crawled: dict) -> None:
    copy = crawled["db"].with_name("reprocessed.db")
    source = sqlite3.connect(crawled["db"])
    with sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    result = run_renewals("reprocess", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert re.search(r"reprocessed 12 articles with \d+ workers", result.stderr)
    first = json_lines(run_renewals("changes", "--db", str(copy), "--json").stdout)
    # The rebuilt timeline has the same moves (a show's first status is never a change).
    assert moves(first) == [m for day in DAYS for m in EXPECTED[day]]
    assert run_renewals("reprocess", "--db", str(copy)).returncode == 0
    again = json_lines(run_renewals("changes", "--db", str(copy), "--json").stdout)
    assert [{k: v for k, v in c.items() if k not in ("id", "run_id")} for c in again] == [
        {k: v for k, v in c.items() if k not in ("id", "run_id")} for c in first
    ]
    database = open_db(copy)
    assert database["alert_deliveries"].count == 0
    assert database["dispute_records"].count == 1
