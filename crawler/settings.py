"""Scrapy settings for renewals.

Polite defaults for the real web; tests, the demo and local benchmarks override them with
`-s NAME=VALUE`, as `scrapy crawl -s` does.
"""

BOT_NAME = "renewals"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "renewals/0.1 (TV renewal tracker; +https://github.com/renewals/renewals)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "pipelines.extracting.ExtractClaimsPipeline": 100,
    "pipelines.storing.StoreArticlePipeline": 200,
    "pipelines.flagging.FlagChangesPipeline": 300,
}

# renewals' own settings
RENEWALS_DB = "renewals.db"
RENEWALS_SOURCES = None  # path to a sources TOML file; None means the bundled list
