"""Item pipeline step 1: read claims out of each fetched article.

Extraction is pure CPU work, so it runs in one worker process while the reactor thread goes
on downloading, parsing and storing (the machine this was measured on has two cores).
"""

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from crawler.items import ArticleItem
from crawler.page import ArticlePage
from pipelines.extract import extract_claims


def claims_of(page: ArticlePage) -> list[dict]:
    return [asdict(claim) for claim in extract_claims(page)]


class ExtractClaimsPipeline:
    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ExtractClaimsPipeline":
        return cls(crawler.stats)

    def open_spider(self) -> None:
        # forkserver: a clean worker, not a copy of a process with a running reactor
        context = multiprocessing.get_context("forkserver")
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=context)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        page = ArticlePage(
            url=item.url,
            title=item.title,
            published=item.published,
            modified=item.modified,
            body_html=item.body_html,
            text=item.text,
        )
        assert self.pool is not None
        item.claims = await maybe_deferred_to_future(_deferred(self.pool.submit(claims_of, page)))
        self.stats.inc_value("renewals/claims", len(item.claims))
        self.stats.inc_value(f"renewals/source/{item.source}/claims", len(item.claims))
        return item


def _deferred(future: Future) -> defer.Deferred:
    """A Deferred fired on the reactor thread when `future` (of another thread) is done."""
    from twisted.internet import reactor  # the one Scrapy installed, not a default

    result: defer.Deferred = defer.Deferred()

    def settle(done: Future) -> None:
        error = done.exception()
        if error is None:
            result.callback(done.result())
        else:
            result.errback(error)

    future.add_done_callback(lambda done: reactor.callFromThread(settle, done))
    return result
