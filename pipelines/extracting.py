"""Item pipeline step 1: parse each fetched page and read its claims, in worker processes.

The reactor's thread only hands the downloaded bytes to a pool of worker processes
(`pipelines.workers`, one per core unless RENEWALS_EXTRACT_WORKERS says otherwise) and goes on
downloading and storing while they parse and extract. A page whose worker dies, takes more
than RENEWALS_EXTRACT_TIMEOUT seconds, or cannot be started, is dropped: one line in the log,
not stored, and not recorded as downloaded, so the next run fetches it again. The rest of the
crawl goes on, and counts it in `renewals/extract_failed`.

The shows the database already knows are read once when the spider opens and handed to the
workers as they start, so a show quoted in one article is recognised unquoted in the next.
"""

import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.sources import Source
from pipelines.workers import NoWorker, WorkerDied, WorkerPool, WorkerTimeout, default_size
from storage import open_db
from storage.queries import known_titles

logger = logging.getLogger(__name__)


FAILURES = {WorkerDied: "worker died", WorkerTimeout: "took too long", NoWorker: "had no worker"}


class ExtractClaimsPipeline:
    def __init__(self, crawler: Any, pool: WorkerPool) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = pool
        self.sources: dict[str, Source] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ExtractClaimsPipeline":
        settings = crawler.settings
        workers = settings.getint("RENEWALS_EXTRACT_WORKERS") or default_size()
        return cls(crawler, WorkerPool(workers, settings.getfloat("RENEWALS_EXTRACT_TIMEOUT")))

    def open_spider(self) -> None:
        sources = getattr(self.crawler.spider, "sources", [])
        self.sources = {source.name: source for source in sources}
        db = open_db(self.crawler.settings.get("RENEWALS_DB"))
        try:
            self.pool.known_titles = tuple(known_titles(db))  # before any worker starts
        finally:
            db.close()
        self.stats.set_value("renewals/known_titles", len(self.pool.known_titles))

    async def close_spider(self) -> None:
        await self.pool.stop()

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        html, item.html = item.html, b""  # the item goes on to storage: keep it small
        try:
            page, claims = await self.pool.read_page(html, item.url)
        except (WorkerDied, WorkerTimeout, NoWorker, RuntimeError) as error:
            self.stats.inc_value("renewals/extract_failed")
            kind = FAILURES.get(type(error), "failed")
            raise DropItem(f"extraction {kind} ({error})", log_level="ERROR") from None
        fetched_from = item.url
        for name, value in page.items():
            setattr(item, name, value)
        # The URL is the article's key: a canonical naming another site (or a javascript:
        # or relative one) would let this page replace that site's article.
        canonical, source = page["url"], self.sources.get(item.source)
        item.url = canonical if canonical and source and source.owns(canonical) else fetched_from
        if canonical and item.url != canonical:
            logger.info("%s: ignored canonical URL %r", fetched_from, canonical[:200])
        item.claims = claims
        self.stats.inc_value("renewals/claims", len(claims))
        self.stats.inc_value(f"renewals/source/{item.source}/claims", len(claims))
        return item
