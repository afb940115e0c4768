"""Item pipeline step 3: after the crawl, consolidate the shows it touched and flag changes.

Changes are computed once per crawl against the previous snapshot (SPEC "Change events"), so
two decisions about one show in the same crawl give one change.
"""

from typing import Any

from crawler.items import ArticleItem
from storage import consolidate, open_db
from storage.queries import show_key


class FlagChangesPipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")
        self.shows: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> "FlagChangesPipeline":
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        self.shows.update(show_key(claim["show"]) for claim in item.claims)
        return item

    def close_spider(self) -> None:
        run_id = self.stats.get_value("renewals/run_id")
        if run_id is None or not self.shows:
            return
        changes = consolidate(open_db(self.db_path), run_id, self.shows)
        self.stats.set_value("renewals/changes", len(changes))
