"""Item pipeline step 2: store each article with its claims, and book-keep the crawl run.

The run row is started when the spider opens and finished on `spider_closed`, which Scrapy
sends after every pipeline's `close_spider`, so the counts include the flagged changes.

Articles are written in batches, one transaction for up to BATCH_SIZE articles or whatever
arrived within BATCH_SECONDS: a commit per article cost more than the writes themselves. Each
article is a savepoint of its own, so it lands whole or (on an error) not at all, and only that
article fails. An item is handed on only once its batch is committed: the flagging step
consolidates what is stored, and an article whose write failed is dropped with a one-line
error and counted in `renewals/store_failed` (so `pipelines.incremental` neither counts it
as downloaded nor saves its feed's validators, and the crawl command exits non-zero). An
article still waiting when the process is killed is not stored, nor recorded as fetched: the
next run fetches it again.
"""

import logging
import sqlite3
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from crawler.items import ArticleItem
from crawler.sources import Source
from storage import finish_run, open_db, start_run
from storage.articles import ArticleOfAnotherSource, save_articles
from storage.db import checkpoint
from storage.runs import close_dead_runs

logger = logging.getLogger(__name__)

BATCH_SIZE = 32  # articles held back are also responses held: keep well under Scrapy's 5 MB
BATCH_SECONDS = 0.2


class StoreArticlePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")
        self.db = None
        self.run_id: int | None = None
        self.pending: list[tuple[dict, list[dict], defer.Deferred]] = []
        self.timer: Any = None
        crawler.signals.connect(self.finish, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StoreArticlePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)
        sources: list[Source] = getattr(self.crawler.spider, "sources", [])
        self.run_id = start_run(self.db, [_source_row(source) for source in sources])
        self.stats.set_value("renewals/run_id", self.run_id)
        close_dead_runs(self.db, current=self.run_id)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        article = asdict(item)
        claims = article.pop("claims")
        stored: defer.Deferred = defer.Deferred()
        self.pending.append((article, claims, stored))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()
        elif self.timer is None:
            from twisted.internet import reactor  # the one Scrapy installed, not a default

            self.timer = reactor.callLater(BATCH_SECONDS, self.flush)
        try:
            await maybe_deferred_to_future(stored)
        except ArticleOfAnotherSource as error:
            # Both its canonical and its fetched URL are another source's stored articles:
            # fetched and read, so not fetched again, but its claims are not this source's.
            self.stats.inc_value(f"renewals/source/{item.source}/not_own")
            logger.warning("source %s: skipped %s", item.source, error)
            return item
        except Exception as error:
            # Dropped, so neither counted as downloaded nor the feed's validators saved
            # (`pipelines.incremental`): the next run fetches it again.
            self.stats.inc_value("renewals/store_failed")
            self.stats.inc_value(f"renewals/source/{item.source}/store_failed")
            raise DropItem(f"not stored: {error}", log_level="ERROR") from error
        self.stats.inc_value("renewals/articles")
        return item

    def flush(self) -> None:
        """Write the waiting articles in one transaction, then release their items."""
        if self.timer is not None and self.timer.active():
            self.timer.cancel()
        self.timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            results = save_articles(
                self.db, [(article, claims) for article, claims, _ in batch], self.run_id
            )
        except Exception as error:  # the commit failed: nothing of the batch is stored
            results = [error] * len(batch)
        for (_, _, stored), result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                stored.errback(result)
            else:
                stored.callback(None)

    def close_spider(self) -> None:
        self.flush()  # normally empty: Scrapy waits for every item before closing pipelines

    def finish(self, spider: Any, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        stats = self.stats.get_stats()
        if stats.get("renewals/consolidation_failed"):
            reason = "failed"  # its shows stay queued for the next run
        try:
            finish_run(self.db, self.run_id, {"reason": reason, **_run_counts(stats)})
        except sqlite3.Error as error:  # the next run closes the row as failed
            logger.error("could not record the end of run %s: %s", self.run_id, error)
            return
        if checkpoint(self.db):
            logger.warning(
                "the database's write-ahead log keeps growing: another connection holds an "
                "old read transaction (an open sqlite3 shell or notebook?); close it"
            )


def _source_row(source: Source) -> dict:
    return {"name": source.name, "tier": source.tier, "start_urls": list(source.start_urls)}


def _run_counts(stats: dict) -> dict:
    per_source: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith("renewals/source/"):
            name, _, measure = key.removeprefix("renewals/source/").rpartition("/")
            per_source.setdefault(name, {})[measure] = value
    return {
        "pages": stats.get("response_received_count", 0),
        "articles": stats.get("renewals/articles", 0),
        "claims": stats.get("renewals/claims", 0),
        "changes": stats.get("renewals/changes", 0),
        "errors": stats.get("log_count/ERROR", 0),
        "sources": per_source,
    }
