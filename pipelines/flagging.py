"""Item pipeline step 3: consolidate the queued shows and flag changes, first and last.

Which shows need consolidating is stored with their claims (`storage.db`, v7), not held in
memory: when the spider opens, this step finishes what a killed earlier run left queued; when
it closes, it consolidates every show this crawl stored claims about. Changes are computed
against the previous snapshot (SPEC "Change events"), so two decisions about one show in the
same crawl give one change.
"""

import logging
import sqlite3
from typing import Any

from storage import open_db
from storage.db import DatabaseError
from storage.ledger import consolidate_queued

logger = logging.getLogger(__name__)


class FlagChangesPipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")

    @classmethod
    def from_crawler(cls, crawler: Any) -> "FlagChangesPipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        self._consolidate("finishing an earlier run's work")

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        self._consolidate("consolidating this crawl")

    def _consolidate(self, step: str) -> None:
        run_id = self.stats.get_value("renewals/run_id")
        if run_id is None:
            return
        try:
            changes = consolidate_queued(open_db(self.db_path), run_id)
        except (sqlite3.Error, OSError, DatabaseError) as error:
            # The shows stay queued: the next crawl or `alerts send` consolidates them.
            self.stats.inc_value("renewals/consolidation_failed")
            logger.error("%s failed, the shows stay queued: %s", step, _one_line(error))
            return
        self.stats.inc_value("renewals/changes", len(changes))


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__
