"""Incremental crawling: the database, not a job directory, decides what is downloaded again.

- `SeenArticlesMiddleware` (spider middleware) drops article requests for URLs an earlier run
  downloaded or stored (as a canonical URL), except those first fetched within
  RENEWALS_REFETCH_DAYS (stories that get an "UPDATE:").
- `ConditionalRequestMiddleware` (downloader middleware) sends If-None-Match /
  If-Modified-Since on listing requests from validators stored in the database, answers
  robots.txt requests from the database for a day (as RFC 9309 allows), and at the end of the
  run stores the new validators, robots.txt answers and the article URLs it downloaded.

A listing's new validators are stored only when the run finished, the listing parsed, and none
of the articles it led to failed for a reason that may pass (timeout, 5xx, a failed parse or
store): otherwise the next run would get "304 Not Modified" and never retry those articles.
"""

from collections.abc import AsyncIterator, Iterable
from typing import Any

import sqlite_utils
from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from storage.articles import seen_urls
from storage.crawl_state import (
    feed_validators,
    fetched_urls,
    fresh_robots_txt,
    recently_fetched_urls,
    record_fetched_urls,
    save_feed_validators,
    save_robots_txt,
)
from storage.db import open_db

ROBOTS_MAX_AGE_HOURS = 24  # RFC 9309: a cached robots.txt should not be used for longer


def listing_key(request: Request) -> str:
    """The URL a listing is requested by in every run: the one before any redirect."""
    return request.meta.get("redirect_urls", [request.url])[0]


class SeenArticlesMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")
        self.refetch_days = crawler.settings.getfloat("RENEWALS_REFETCH_DAYS")
        self._db: sqlite_utils.Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "SeenArticlesMiddleware":
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        # Both forms, so Scrapy need not convert the spider's plain generators to async ones.
        if response.meta.get("renewals") != "listing":
            return result
        return self._drop_seen(list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        if response.meta.get("renewals") != "listing":
            async for item in result:
                yield item
            return
        for item in self._drop_seen([item async for item in result]):
            yield item

    def _drop_seen(self, output: list[Any]) -> list[Any]:
        urls = [
            r.url for r in output if isinstance(r, Request) and r.meta.get("renewals") == "article"
        ]
        if not urls:
            return output
        if self._db is None:
            self._db = open_db(self.db_path)
        seen = fetched_urls(self._db, urls) | seen_urls(self._db, urls)
        if seen and self.refetch_days > 0:
            seen -= recently_fetched_urls(self._db, seen, self.refetch_days)
        kept = []
        for item in output:
            if isinstance(item, Request) and item.url in seen:
                self.stats.inc_value(f"renewals/source/{item.meta['source']}/seen")
            else:
                kept.append(item)
        return kept


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.db_path = crawler.settings.get("RENEWALS_DB")
        # Re-fetching recent articles needs their URLs, so listings are then fetched in full.
        self.conditional = crawler.settings.getfloat("RENEWALS_REFETCH_DAYS") <= 0
        self.db: sqlite_utils.Database | None = None
        self.validators: dict[str, dict] = {}
        self.new_validators: dict[str, tuple[dict, dict]] = {}  # key -> (validators, meta)
        self.unfinished_listings: set[str] = set()
        self.fetched: set[str] = set()
        self.robots: dict[str, tuple[int, bytes]] = {}
        self.new_robots: dict[str, tuple[int, bytes]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # An article whose parsing or storing failed is not "seen": the next run tries again.
        crawler.signals.connect(self.not_done, signal=signals.spider_error)
        crawler.signals.connect(self.not_done, signal=signals.item_error)
        crawler.signals.connect(self.not_done, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ConditionalRequestMiddleware":
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.db = open_db(self.db_path)
        self.robots = fresh_robots_txt(self.db, ROBOTS_MAX_AGE_HOURS)
        if self.conditional:
            self.validators = feed_validators(self.db)

    def process_request(self, request: Request) -> Response | None:
        if _is_robots(request):
            if request.url in self.robots:
                status, body = self.robots[request.url]
                return Response(request.url, status=status, body=body, flags=["cached"])
            return None
        if request.meta.get("renewals") != "listing":
            return None
        known = self.validators.get(listing_key(request))
        if known:
            if known["etag"]:
                request.headers.setdefault("If-None-Match", known["etag"])
            if known["last_modified"]:
                request.headers.setdefault("If-Modified-Since", known["last_modified"])
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        kind = request.meta.get("renewals")
        if _is_robots(request) and response.status < 500 and "cached" not in response.flags:
            self.new_robots[request.url] = (response.status, response.body)
        elif kind == "listing" and response.status == 200:
            etag = response.headers.get("ETag")
            last_modified = response.headers.get("Last-Modified")
            if etag or last_modified:
                fields = {
                    "etag": etag.decode("latin-1") if etag else None,
                    "last_modified": last_modified.decode("latin-1") if last_modified else None,
                }
                self.new_validators[listing_key(request)] = (fields, request.meta)
        elif kind == "article":
            if response.status == 200:
                self.fetched.add(request.url)
                self.fetched.update(request.meta.get("redirect_urls", []))
            elif response.status >= 500 or response.status == 429:
                self.unfinished_listings.add(request.meta.get("listing", ""))
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if request.meta.get("renewals") == "article" and not isinstance(exception, IgnoreRequest):
            self.unfinished_listings.add(request.meta.get("listing", ""))

    def not_done(self, response: Response) -> None:
        """An article whose parsing or storing failed: neither it nor its listing is done."""
        request = response.request
        if request is not None and request.meta.get("renewals") == "article":
            self.fetched.difference_update([request.url, *request.meta.get("redirect_urls", [])])
            self.unfinished_listings.add(request.meta.get("listing", ""))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.db is None:
            return
        if self.fetched:
            record_fetched_urls(self.db, self.fetched)
        save_robots_txt(self.db, self.new_robots)
        if reason != "finished":
            return
        save_feed_validators(
            self.db,
            {
                key: fields
                for key, (fields, meta) in self.new_validators.items()
                if key not in self.unfinished_listings
                and meta.get("renewals_listing_kind", "unknown") != "unknown"
            },
        )


def _is_robots(request: Request) -> bool:
    """The request RobotsTxtMiddleware makes for a host's robots.txt."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")
