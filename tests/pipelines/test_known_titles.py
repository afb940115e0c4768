"""Titles the database knows: recognised where a page names them without quotes or emphasis.

Extraction stays a pure function of (page, known titles): the same page with no known titles
reads as before, and a crawl's extract step hands the stored titles to its workers."""

import sqlite3
from pathlib import Path

from crawler.page import ArticlePage
from pipelines.extract import extract_claims
from storage import consolidate, open_db, save_article, start_run
from tests.helpers import crawl, write_sources
from tests.storage.conftest import SOURCES, article, claim

ROUNDUP = (
    "<h1>What stays and what goes this week</h1>"
    "<p>Hulu is done with Lowlands, the streamer confirmed on Monday.</p>"
    "<p>Elsewhere, the network renewed Bright Lanterns for a fourth season.</p>"
    "<p>Its star, Ada Vey, will next appear in a film.</p>"
)


def page(body_html: str, url: str = "https://news.example/roundup") -> ArticlePage:
    return ArticlePage(url, None, "2025-04-02", None, body_html, "")


def firm(claims) -> set[tuple]:
    return {(c.show, c.status, c.season) for c in claims if c.confidence >= 0.5}


def test_known_titles_are_read_unquoted_and_the_page_alone_reads_as_before():
    alone = firm(extract_claims(page(ROUNDUP)))
    known = firm(extract_claims(page(ROUNDUP), ["Lowlands", "Bright Lanterns", "Harbor Nine"]))
    assert alone == {("Bright Lanterns", "renewed", 4)}  # "the network renewed X": a decider
    assert known == alone | {("Lowlands", "cancelled", None)}
    assert not any(show == "Harbor Nine" for show, _, _ in known)  # known, but not on the page


def test_a_one_word_known_title_opening_a_sentence_is_not_taken_for_the_show():
    html = "<p>Evil plans are afoot at CBS, which renewed the legal drama for a third season.</p>"
    assert not any(c.show == "Evil" for c in extract_claims(page(html), ["Evil"]))


def test_a_crawl_reads_the_shows_its_database_already_knows(tmp_path: Path, local_site) -> None:
    site_root = tmp_path / "site"
    (site_root / "news" / "renewals").mkdir(parents=True)
    (site_root / "news" / "renewals" / "index.html").write_text(
        "<html><head><title>Roundup</title>"
        '<meta property="article:published_time" content="2025-04-02T10:00:00Z"></head>'
        f"<body><article>{ROUNDUP}</article></body></html>",
        encoding="utf-8",
    )
    (site_root / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Renewals</title>'
        "<link>{{BASE}}/news/renewals/</link></item></channel></rss>",
        encoding="utf-8",
    )
    site = local_site(site_root)
    sources = write_sources(
        tmp_path / "sources.toml",
        [{"name": "blog", "tier": 2, "start_urls": [site.url("feed.xml")]}],
    )
    db_path = tmp_path / "renewals.db"
    db = open_db(db_path)
    run_id = start_run(db, SOURCES)
    save_article(db, article("https://d/1"), [claim("Lowlands", "cancelled", 2)], run_id)
    save_article(
        db, article("https://d/2"), [claim("Quiet Ones", "renewed", confidence=0.3)], run_id
    )
    consolidate(db, run_id, {"lowlands", "quiet ones"})
    db.close()
    result = crawl(sources, db_path)
    assert result.returncode == 0, result.stderr
    stored = sqlite3.connect(db_path).execute(
        "select show, status from claims where article_url like '%/news/renewals/'"
    )
    assert ("Lowlands", "cancelled") in set(stored.fetchall())
