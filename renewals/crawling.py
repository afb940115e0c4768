"""Run one crawl in this process: settings from the project, the command line and overrides."""

from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.sources import Source
from crawler.spiders.news import NewsSpider


def crawl_settings(db_path: Path, sources_path: Path | None, overrides: dict[str, str]) -> Settings:
    """Project settings, then the CLI's options, then `-s NAME=VALUE`, as `scrapy crawl` does."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("RENEWALS_DB", str(db_path), priority="cmdline")
    if sources_path is not None:
        settings.set("RENEWALS_SOURCES", str(sources_path), priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(settings: Settings, sources: list[Source]) -> dict[str, Any]:
    """Crawl every source once and return Scrapy's final stats."""
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=sources)
    process.start()
    return crawler.stats.get_stats()
