"""The store pipeline's batches: one transaction, yet each article lands or fails alone."""

from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from twisted.internet import defer

from pipelines.storing import StoreArticlePipeline
from storage.db import open_db


def article(url: str) -> dict:
    return {
        "url": url,
        "source": "s",
        "tier": 1,
        "title": "Copper Sky renewed",
        "published": "2026-05-01",
        "modified": None,
        "body_html": "<p>x</p>",
        "text": "x",
        "fetched_at": "2026-05-02T00:00:00+00:00",
    }


def claim(status: str) -> dict:
    return {
        "show": "Copper Sky",
        "season": 2,
        "status": status,
        "network": None,
        "announced": None,
        "confidence": 0.9,
        "evidence": "Copper Sky renewed",
    }


def test_a_bad_article_fails_alone_and_the_rest_of_its_batch_is_stored(tmp_path):
    crawler = get_crawler(Spider, {"RENEWALS_DB": str(tmp_path / "r.db")})
    pipeline = StoreArticlePipeline.from_crawler(crawler)
    pipeline.open_spider()
    outcomes: dict[str, object] = {}
    for url, status in [("https://a.example/1", "renewed"), ("https://a.example/2", "bogus"),
                        ("https://a.example/3", "cancelled")]:  # fmt: skip
        stored: defer.Deferred = defer.Deferred()
        stored.addBoth(lambda result, url=url: outcomes.__setitem__(url, result))
        pipeline.pending.append((article(url), [claim(status)], stored))
    pipeline.flush()
    assert outcomes["https://a.example/1"] is None
    assert outcomes["https://a.example/3"] is None
    assert "claim status" in str(outcomes["https://a.example/2"].value)  # type: ignore[attr-defined]
    db = open_db(tmp_path / "r.db")
    stored_claims = db.execute("select article_url, status from claims order by 1").fetchall()
    assert stored_claims == [
        ("https://a.example/1", "renewed"),
        ("https://a.example/3", "cancelled"),
    ]
    assert [row[0] for row in db.execute("select url from articles order by 1")] == [
        "https://a.example/1",
        "https://a.example/3",
    ]
    assert pipeline.pending == []
