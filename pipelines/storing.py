"""Item pipeline step 2: store each article with its claims, and book-keep the crawl run.

The run row is started when the spider opens and finished on `spider_closed`, which Scrapy
sends after every pipeline's `close_spider`, so the counts include the flagged changes.
"""

from dataclasses import asdict
from typing import Any

from scrapy import signals

from crawler.items import ArticleItem
from crawler.sources import Source
from storage import finish_run, open_db, save_article, start_run


class StoreArticlePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")
        self.db = None
        self.run_id: int | None = None
        crawler.signals.connect(self.finish, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StoreArticlePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)
        sources: list[Source] = getattr(self.crawler.spider, "sources", [])
        self.run_id = start_run(self.db, [_source_row(source) for source in sources])
        self.stats.set_value("renewals/run_id", self.run_id)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article = asdict(item)
        claims = article.pop("claims")
        save_article(self.db, article, claims, self.run_id)
        self.stats.inc_value("renewals/articles")
        return item

    def finish(self, spider: Any, reason: str) -> None:
        if self.db is None or self.run_id is None:
            return
        stats = self.stats.get_stats()
        finish_run(self.db, self.run_id, {"reason": reason, **_run_counts(stats)})


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
