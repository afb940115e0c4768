"""The news spider: fetch feeds and listing pages, then the articles they link to.

It only crawls: feed reading lives in `crawler.feeds`; an article page is handed on as
downloaded, and the item pipelines parse it (`crawler.page`, in worker processes) and do
everything after. Requests carry `meta["renewals"]` = "listing" or "article" so that the
incremental middlewares (`pipelines.incremental`) know which to make conditional and which
to check against the database.
"""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.feeds import parse_listing
from crawler.items import ArticleItem
from crawler.relevance import is_relevant
from crawler.sources import Source, load_sources

LISTING_MAXSIZE = 50 * 1024 * 1024  # the sitemap protocol's own limit (uncompressed)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, *args: Any, sources: list[Source] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources or []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "NewsSpider":
        kwargs.setdefault("sources", load_sources(crawler.settings.get("RENEWALS_SOURCES")))
        return super().from_crawler(crawler, *args, **kwargs)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            for measure in ("requests", "errors", "listed", "skipped", "articles", "claims"):
                self.crawler.stats.set_value(f"renewals/source/{source.name}/{measure}", 0)
            for url in source.start_urls:
                yield self._listing_request(url, source)

    def _listing_request(self, url: str, source: Source) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"source": source},
            # a 304 answers a conditional request: the listing is unchanged, not an error
            meta={
                "source": source.name,
                "renewals": "listing",
                "handle_httpstatus_list": [304],
                # a big outlet's feed or sitemap outgrows the article limit (DOWNLOAD_MAXSIZE)
                "download_maxsize": LISTING_MAXSIZE,
            },
            dont_filter=True,
        )

    def parse_listing(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        prefix = f"renewals/source/{source.name}"
        if response.status == 304:
            stats.inc_value(f"{prefix}/not_modified")
            return
        listing = parse_listing(response.body, response.url)
        response.meta["renewals_listing_kind"] = listing.kind
        if listing.kind == "unknown":
            self.logger.warning("skipped %s: not a feed, sitemap or HTML page", response.url)
            stats.inc_value(f"{prefix}/errors")
            return
        for url in listing.listings:
            if source.on_domains(url):
                yield self._listing_request(url, source)
        listing_url = response.meta.get("redirect_urls", [response.url])[0]
        for entry in listing.entries:
            if not source.allows(entry.url):
                continue
            stats.inc_value(f"{prefix}/listed")
            if not is_relevant(entry.title, entry.summary, entry.url):
                stats.inc_value(f"{prefix}/skipped")
                continue
            yield scrapy.Request(
                entry.url,
                callback=self.parse_article_page,
                errback=self.on_error,
                cb_kwargs={"source": source},
                meta={"source": source.name, "renewals": "article", "listing": listing_url},
            )

    def parse_article_page(self, response: Response, source: Source) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse) or b"html" not in (
            response.headers.get("Content-Type") or b"text/html"
        ):
            self.logger.warning("skipped %s: not an HTML page", response.url)
            return
        self.crawler.stats.inc_value(f"renewals/source/{source.name}/articles")
        yield ArticleItem(
            url=response.url,
            fetched_url=response.url,
            source=source.name,
            tier=source.tier,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            html=response.body,
        )

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta.get("source", "?")
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # robots.txt or a refused address: a decision, not a failure
            self.crawler.stats.inc_value(f"renewals/source/{source}/blocked")
            self.logger.warning(
                "source %s: skipped %s: %s", source, request.url, failure.getErrorMessage()
            )
            return
        stats = self.crawler.stats
        stats.inc_value(f"renewals/source/{source}/errors")
        kind, message = failure_kind(failure), failure.getErrorMessage()
        # {source: {kind: [count, first message]}}: the crawl command's one line per source
        failures = stats.get_value("renewals/failures") or {}
        failures.setdefault(source, {}).setdefault(kind, [0, f"{request.url}: {message}"])[0] += 1
        stats.set_value("renewals/failures", failures)
        # INFO: the crawl command sums failures up per source; the full list is in --verbose
        self.logger.info("source %s: %s failed: %s", source, request.url, message)


# By class name: Twisted's, and the Scrapy exceptions that wrap them since Scrapy 2.14.
FAILURE_KINDS = {
    "DNSLookupError": "DNS lookup failed",
    "CannotResolveHostError": "DNS lookup failed",
    "ConnectionRefusedError": "connection refused",
    "DownloadConnectionRefusedError": "connection refused",
    "TimeoutError": "timed out",
    "TCPTimedOutError": "timed out",
    "DownloadTimeoutError": "timed out",
    "DownloadCancelledError": "cut off",
    "ResponseDataLossError": "connection lost",
}


def failure_kind(failure: Failure) -> str:
    """A request failure in a few words, the same for every URL that failed the same way."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    name = failure.type.__name__ if failure.type else "failed"
    return FAILURE_KINDS.get(name, name)
