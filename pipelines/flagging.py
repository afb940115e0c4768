"""Item pipeline step 3: consolidate the queued shows and flag changes, first and last.

Which shows need consolidating is stored with their claims (`storage.db`, v7), not held in
memory: when the spider opens, this step finishes what a killed earlier run left queued; when
it closes, it consolidates every show still queued, this crawl's and any the opening step
could not. Changes are computed against the previous snapshot (SPEC "Change events"), so two
decisions about one show in the same crawl give one change. Whether the run failed to flag
changes is decided by what is still queued once the closing step is done
(`renewals/consolidation_failed`, read by `pipelines.storing` and the crawl's report).
"""

import logging
import sqlite3
from typing import Any

from crawler.logformatter import one_line
from storage import open_db
from storage.db import DatabaseError
from storage.ledger import consolidate_queued, queued_shows

logger = logging.getLogger(__name__)

CONSOLIDATION_ERRORS = (sqlite3.Error, OSError, DatabaseError)


class FlagChangesPipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")

    @classmethod
    def from_crawler(cls, crawler: Any) -> "FlagChangesPipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        error = self._consolidate()
        if error is not None:  # the shows stay queued: the closing step tries them again
            logger.warning("finishing an earlier run's work failed, retried at the end: %s", error)

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        if self.stats.get_value("renewals/run_id") is None:
            return  # the run never started: nothing was stored
        error = self._consolidate() or self._still_queued()
        if error is not None:  # the next crawl or `alerts send` consolidates the shows
            self.stats.set_value("renewals/consolidation_failed", 1)
            logger.error("consolidating this crawl failed, the shows stay queued: %s", error)

    def _consolidate(self) -> str | None:
        """Consolidate the queued shows; None when done, else the error, on one line."""
        run_id = self.stats.get_value("renewals/run_id")
        if run_id is None:
            return None
        try:
            changes = consolidate_queued(open_db(self.db_path), run_id)
        except CONSOLIDATION_ERRORS as error:
            return one_line(error)
        self.stats.inc_value("renewals/changes", len(changes))
        return None

    def _still_queued(self) -> str | None:
        try:
            left = len(queued_shows(open_db(self.db_path)))
        except CONSOLIDATION_ERRORS as error:
            return one_line(error)
        return f"{left} shows still queued" if left else None
