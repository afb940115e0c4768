"""Scrapy's log messages about items, naming the article's URL instead of printing the item.

An item carries its whole page (~80 KB): printed on every failed store, it grew one crawl's
log to 159 MB. Set as LOG_FORMATTER in `crawler.settings`.
"""

from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


def _url(item: Any) -> str:
    return str(getattr(item, "url", None) or type(item).__name__)


def one_line(exception: BaseException) -> str:
    """The exception's message on one line (a database error may span several)."""
    return " ".join(str(exception).split()) or type(exception).__name__


class ArticleLogFormatter(LogFormatter):
    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        return {**result, "msg": "Scraped %(url)s", "args": {"url": _url(item)}}

    def dropped(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        args = {"url": _url(item), "exception": one_line(exception)}
        return {**result, "msg": "Dropped %(url)s: %(exception)s", "args": args}

    def item_error(
        self, item: Any, exception: BaseException, response: Any, spider: Any
    ) -> LogFormatterResult:
        result = super().item_error(item, exception, response, spider)
        return {**result, "msg": "Error processing %(url)s", "args": {"url": _url(item)}}
