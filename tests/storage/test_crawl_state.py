"""The crawler's memory in SQLite: ages of fetched URLs and robots.txt answers, source health."""

import json

from storage.crawl_state import (
    fetched_urls,
    fresh_robots_txt,
    recently_fetched_urls,
    record_fetched_urls,
    save_robots_txt,
    silent_sources,
    source_health,
)
from storage.db import open_db


def test_fetched_urls_and_their_age(tmp_path):
    db = open_db(tmp_path / "r.db")
    record_fetched_urls(db, ["https://a.example/new/", "https://a.example/old/"])
    db.execute(
        "update fetched_urls set first_fetched_at = '2020-01-01T00:00:00+00:00' where url = ?",
        ["https://a.example/old/"],
    )
    db.conn.commit()
    asked = ["https://a.example/new/", "https://a.example/old/", "https://a.example/never/"]
    assert fetched_urls(db, asked) == {"https://a.example/new/", "https://a.example/old/"}
    assert recently_fetched_urls(db, asked, 2) == {"https://a.example/new/"}
    record_fetched_urls(db, ["https://a.example/old/"])  # fetched again: first fetch stays
    assert recently_fetched_urls(db, asked, 2) == {"https://a.example/new/"}


def test_robots_answers_expire_after_the_given_age(tmp_path):
    db = open_db(tmp_path / "r.db")
    save_robots_txt(db, {"https://a.example/robots.txt": (200, b"User-agent: *\nDisallow: /x/")})
    assert fresh_robots_txt(db, 24) == {
        "https://a.example/robots.txt": (200, b"User-agent: *\nDisallow: /x/")
    }
    db.execute("update robots_cache set fetched_at = '2020-01-01T00:00:00+00:00'")
    db.conn.commit()
    assert fresh_robots_txt(db, 24) == {}


def add_run(db, sources: dict[str, dict]) -> None:
    db["runs"].insert(
        {
            "kind": "crawl",
            "started_at": "2026-11-24T10:00:00+00:00",
            "finished_at": "2026-11-24T10:01:00+00:00",
            "status": "finished",
            "detail": json.dumps({"sources": sources}),
        }
    )


def test_a_source_that_stops_answering_is_silent_after_three_runs(tmp_path):
    db = open_db(tmp_path / "r.db")
    add_run(db, {"a": {"listed": 5, "articles": 3}, "b": {"listed": 0, "errors": 1}})
    add_run(db, {"a": {"not_modified": 1}, "b": {"errors": 1}})  # a 304 is an answer
    for _ in range(2):
        add_run(db, {"a": {"errors": 1}, "b": {"errors": 1}})
    assert silent_sources(db, ["a", "b"], runs=3) == []  # b never worked: nothing went silent
    add_run(db, {"a": {"errors": 1}, "b": {"errors": 1}})
    assert silent_sources(db, ["a", "b"], runs=3) == ["a"]
    health = {row["source"]: row for row in source_health(db)}
    assert health["a"]["articles"] == [0, 0, 0, 0, 3]
    assert health["a"]["silent_runs"] == 3 and health["a"]["errors"] == 3
    assert health["b"]["last_success"] is None
