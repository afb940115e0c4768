"""Incremental middlewares on Scrapy objects: what counts as downloaded, what is conditional."""

from scrapy import Request, signals
from scrapy.http import Response
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from pipelines.incremental import ConditionalRequestMiddleware
from storage.crawl_state import fetched_urls, save_feed_validators
from storage.db import open_db


def make(tmp_path):
    db_path = tmp_path / "r.db"
    crawler = get_crawler(Spider, {"RENEWALS_DB": str(db_path)})
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    return crawler, middleware, db_path


def article_response(url: str, status: int = 200) -> tuple[Request, Response]:
    request = Request(url, meta={"renewals": "article", "source": "s", "listing": "L"})
    return request, Response(url, status=status, request=request)


def test_listing_requests_carry_the_stored_validators(tmp_path):
    crawler, middleware, db_path = make(tmp_path)
    save_feed_validators(
        open_db(db_path),
        {"https://a.example/feed/": {"etag": '"v1"', "last_modified": "Mon, 23 Nov 2026"}},
    )
    middleware.spider_opened(Spider("news"))
    request = Request("https://a.example/feed/", meta={"renewals": "listing"})
    middleware.process_request(request)
    assert request.headers["If-None-Match"] == b'"v1"'
    assert request.headers["If-Modified-Since"] == b"Mon, 23 Nov 2026"
    article = Request("https://a.example/2026/05/a/", meta={"renewals": "article"})
    middleware.process_request(article)
    assert b"If-None-Match" not in article.headers


def test_an_article_that_failed_in_the_pipeline_is_not_marked_downloaded(tmp_path):
    crawler, middleware, db_path = make(tmp_path)
    middleware.spider_opened(Spider("news"))
    for url in ("https://a.example/ok/", "https://a.example/broken/"):
        middleware.process_response(*article_response(url))
    _, broken = article_response("https://a.example/broken/")
    crawler.signals.send_catch_log(
        signals.item_error, item={}, response=broken, spider=None, failure=None
    )
    middleware.spider_closed(Spider("news"), "finished")
    asked = ["https://a.example/ok/", "https://a.example/broken/"]
    assert fetched_urls(open_db(db_path), asked) == {"https://a.example/ok/"}


def test_a_feed_whose_article_timed_out_keeps_its_old_validators(tmp_path):
    crawler, middleware, db_path = make(tmp_path)
    middleware.spider_opened(Spider("news"))
    for url in ("https://a.example/feed/", "https://b.example/feed/"):
        listing = Request(url, meta={"renewals": "listing", "renewals_listing_kind": "rss"})
        middleware.process_response(
            listing, Response(url, headers={"ETag": '"new"'}, request=listing)
        )
    timed_out = Request(
        "https://a.example/x/", meta={"renewals": "article", "listing": "https://a.example/feed/"}
    )
    middleware.process_exception(timed_out, TimeoutError())
    middleware.spider_closed(Spider("news"), "finished")
    stored = open_db(db_path)["feed_validators"].rows
    assert [row["url"] for row in stored] == ["https://b.example/feed/"]
