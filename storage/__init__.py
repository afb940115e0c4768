"""The SQLite database: schema, writes, consolidation and read queries (no Scrapy here)."""

from storage.articles import save_article, seen_urls
from storage.db import DatabaseError, open_db
from storage.ledger import consolidate, rebuild
from storage.queries import current_statuses, list_changes, show_key
from storage.runs import finish_run, start_run

__all__ = [
    "DatabaseError",
    "consolidate",
    "current_statuses",
    "finish_run",
    "list_changes",
    "open_db",
    "rebuild",
    "save_article",
    "seen_urls",
    "show_key",
    "start_run",
]
