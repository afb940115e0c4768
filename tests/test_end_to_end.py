"""The whole loop: crawl two states of a local site, and find the flagged change in SQLite."""

import sqlite_utils

from tests.helpers import TEST_SITE, crawl, json_lines, run_renewals, write_sources


def test_two_crawls_flag_renewed_to_cancelled(tmp_path, local_site, refused_url):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [
            {"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]},
            {"name": "offline", "tier": 2, "start_urls": [refused_url]},
            {"name": "broken-feed", "tier": 3, "start_urls": [site.url("misc/broken.xml")]},
        ],
    )
    db = tmp_path / "renewals.db"

    day1 = crawl(sources, db)
    assert day1.returncode == 0, day1.stderr
    assert "offline" in day1.stderr  # the unreachable source is reported, the others go on
    status = {
        row["show"]: row
        for row in json_lines(run_renewals("status", "--db", str(db), "--json").stdout)
    }
    assert (status["Copper Sky"]["status"], status["Copper Sky"]["season"]) == ("renewed", 2)
    assert (status["Lantern Row"]["status"], status["Lantern Row"]["season"]) == ("renewed", 3)
    assert json_lines(run_renewals("changes", "--db", str(db), "--json").stdout) == []

    site.roots[0] = TEST_SITE / "day2"
    day2 = crawl(sources, db)
    assert day2.returncode == 0, day2.stderr
    changes = json_lines(run_renewals("changes", "--db", str(db), "--json").stdout)
    assert [
        (c["show"], c["from_status"], c["from_season"], c["to_status"], c["to_season"])
        for c in changes
    ] == [("Copper Sky", "renewed", 2, "cancelled", 2)]
    assert changes[0]["url"].endswith("/2026/06/copper-sky-cancelled/")

    # Crawling the same pages again changes nothing and duplicates nothing.
    database = sqlite_utils.Database(db)
    counts = {table: database[table].count for table in ("articles", "claims", "changes")}
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr
    assert {table: database[table].count for table in ("articles", "claims", "changes")} == counts
    assert database["runs"].count == 3


def test_missing_and_non_html_pages_are_skipped_not_stored(tmp_path, local_site):
    site = local_site(TEST_SITE / "day1", TEST_SITE / "articles")
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "gazette", "tier": 1, "start_urls": [site.url("feed.xml")]}],
    )
    db = tmp_path / "renewals.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    assert "/misc/ratings.json" in site.requests  # fetched, found not to be HTML
    assert not any(path.startswith("/x/") for path in site.requests)  # sidebar links not followed
    urls = {row["url"] for row in sqlite_utils.Database(db)["articles"].rows}
    assert not any(url.endswith(("/gone/", ".json")) for url in urls)
    assert any(url.endswith("/misc/lantern-row/") for url in urls)  # no date, no <article>: kept
