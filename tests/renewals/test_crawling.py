"""The live progress line and the crawl lock, in process."""

import pytest
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from renewals.crawling import CrawlLocked, ProgressLine, crawl_lock


def test_progress_line_rewrites_one_line_with_the_four_counts(capsys):
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    for key, value in {
        "response_received_count": 12,
        "renewals/articles": 7,
        "renewals/claims": 5,
        "renewals/changes": 1,
    }.items():
        crawler.stats.set_value(key, value)
    ProgressLine.from_crawler(crawler).show()
    line = capsys.readouterr().err
    assert line.startswith("\r\033[K") and "\n" not in line
    assert "12 pages, 7 articles, 5 claims, 1 changes" in line


def test_the_lock_is_exclusive_and_released(tmp_path):
    db = tmp_path / "renewals.db"
    with crawl_lock(db), pytest.raises(CrawlLocked, match="held by process"), crawl_lock(db):
        pass
    with crawl_lock(db):  # released when the first holder left
        pass
