"""Run one crawl in this process: settings from the project, the command line and overrides;
the lock that keeps overlapping cron runs apart; the live progress line; the word on Ctrl-C."""

import fcntl
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.sources import Source
from crawler.spiders.news import NewsSpider


def crawl_settings(
    db_path: Path, sources_path: Path | None, overrides: dict[str, str], progress: bool = False
) -> Settings:
    """Project settings, then the CLI's options, then `-s NAME=VALUE`, as `scrapy crawl` does."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("RENEWALS_DB", str(db_path), priority="cmdline")
    if sources_path is not None:
        settings.set("RENEWALS_SOURCES", str(sources_path), priority="cmdline")
    extensions = {
        **settings.getdict("EXTENSIONS"),
        "renewals.crawling.NoRepeats": 0,
    }
    if progress:
        extensions["renewals.crawling.ProgressLine"] = 0
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(settings: Settings, sources: list[Source]) -> dict[str, Any]:
    """Crawl every source once and return Scrapy's final stats (with `finish_reason`)."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=sources)
    from twisted.internet import reactor  # installed by CrawlerProcess

    # Scrapy installs its shutdown handlers as the reactor starts; announce them once it runs
    reactor.callWhenRunning(reactor.callLater, 0, _announce_interrupts, crawler.stats)
    process.start()
    return crawler.stats.get_stats()


def _announce_interrupts(stats: Any) -> None:
    """Say at once that Ctrl-C (or SIGTERM) was heard, before Scrapy's graceful stop, which
    lets in-flight requests finish; the signal's name goes in the stats for the final line."""
    new_line = "\n" if sys.stderr.isatty() else ""  # off the "^C" and the progress line
    for signum in (signal.SIGINT, signal.SIGTERM):
        scrapy_handler = signal.getsignal(signum)
        if not callable(scrapy_handler):
            continue

        def announce(number: int, frame: Any, scrapy_handler: Any = scrapy_handler) -> None:
            name = signal.Signals(number).name
            stats.set_value("renewals/interrupted_by", name)
            # os.write: print() from a signal handler can collide with a write in progress
            os.write(
                sys.stderr.fileno(),
                f"{new_line}interrupted ({name}): finishing in-flight requests;"
                " press Ctrl-C again to stop at once\n".encode(),
            )
            scrapy_handler(number, frame)

        signal.signal(signum, announce)


class NoRepeats:
    """Drop log records that say again what the crawl command's report says once: Scrapy's
    "Gave up retrying" a failure the spider counts, the traceback of a robots.txt that could
    not be fetched (its site's feed fails the same way, and is reported), Apprise's warning on
    each alert not sent (a handler filter: Apprise reads its own warnings back for the error
    message). Kept at LOG_LEVEL=DEBUG."""

    REPEATERS = (
        "scrapy.downloadermiddlewares.retry",
        "scrapy.downloadermiddlewares.robotstxt",
        "apprise",
    )

    def __init__(self, crawler: Any) -> None:
        self.active = crawler.settings.get("LOG_LEVEL") != "DEBUG"
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "NoRepeats":
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        if self.active:  # Scrapy installs its log handler as the crawl starts: now it is there
            for handler in logging.getLogger().handlers:
                handler.addFilter(self.not_a_repeat)

    def not_a_repeat(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.CRITICAL or not record.name.startswith(self.REPEATERS)


class CrawlLocked(Exception):
    """Another crawl holds the database's lock."""


class LockFileError(Exception):
    """The lock file cannot be created (read-only folder...); the message is one line."""


@contextmanager
def crawl_lock(db_path: Path, wait: float = 0) -> Iterator[Path]:
    """Hold `<db>.lock` for the crawl, waiting up to `wait` seconds for another run to end.

    An OS lock (flock) rather than a pid file: it is released when its process dies, so a
    killed cron run never blocks the next one.
    """
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        lock_file = open(lock_path, "a+")  # noqa: SIM115 - closed by the `with` below
    except OSError as error:
        raise LockFileError(f"cannot create lock file {lock_path}: {error.strerror}") from error
    with lock_file:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    lock_file.seek(0)
                    holder = lock_file.read().strip() or "?"
                    raise CrawlLocked(f"{lock_path} is held by process {holder}") from None
                time.sleep(0.2)
        lock_file.seek(0)
        lock_file.truncate()
        lock_file.write(str(os.getpid()))
        lock_file.flush()
        try:
            yield lock_path
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


class ProgressLine:
    """Rewrite one line on the terminal each second: pages, articles, claims, changes.

    The crawl command enables it only when stderr is a terminal.
    """

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.started = time.monotonic()
        self.loop: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ProgressLine":
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet.task import LoopingCall

        for handler in logging.getLogger().handlers:
            handler.addFilter(self.clear_line)
        self.loop = LoopingCall(self.show)
        self.loop.start(1.0)

    def spider_closed(self, spider: Any) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self.clear_line)
        self.show()
        sys.stderr.write("\n")

    def clear_line(self, record: logging.LogRecord) -> bool:
        """A log message starts on a clean line; the next tick redraws the progress."""
        sys.stderr.write("\r\033[K")
        return True

    def show(self) -> None:
        get = self.stats.get_value
        sys.stderr.write(
            f"\r\033[K{time.monotonic() - self.started:5.0f}s  "
            f"{get('response_received_count', 0)} pages, {get('renewals/articles', 0)} articles, "
            f"{get('renewals/claims', 0)} claims, {get('renewals/changes', 0)} changes"
        )
        sys.stderr.flush()
