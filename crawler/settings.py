"""Scrapy settings for renewals.

Polite defaults for the real web; tests, the demo and local benchmarks override them with
`-s NAME=VALUE`, as `scrapy crawl -s` does.
"""

BOT_NAME = "renewals"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify the crawler and say where to complain; override with -s USER_AGENT=... .
USER_AGENT = "renewals/0.1 (TV renewal tracker; +https://github.com/renewals/renewals)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Outputs of one response handled at once. An article page gives one item, and Scrapy starts
# this many tasks for every response: 100 (the default) cost more than storing the article.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024  # news pages are ~100 KB; anything bigger is cut off
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DNS_TIMEOUT = 20
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # a cron crawl needs no HTTP console that runs code
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.ArticleLogFormatter"  # an item is a whole page: log its URL

DOWNLOADER_MIDDLEWARES = {
    # first: a retried request waits before anything else, the address check's DNS lookup
    # included, so a brief DNS outage is waited out rather than retried at once
    "crawler.middlewares.RetryBackoffMiddleware": 40,
    # before robots.txt, so a refused host is not even asked for its robots.txt
    "crawler.middlewares.PrivateAddressMiddleware": 50,
    # before RetryMiddleware (550): sees a request's final failure or response, not each retry
    "pipelines.incremental.ConditionalRequestMiddleware": 540,
    "crawler.middlewares.SourceRequestsMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "pipelines.incremental.SeenArticlesMiddleware": 800,
}

ITEM_PIPELINES = {
    "pipelines.extracting.ExtractClaimsPipeline": 100,
    "pipelines.unsourced.UnsourcedClaimsPipeline": 150,
    "pipelines.storing.StoreArticlePipeline": 200,
    "pipelines.flagging.FlagChangesPipeline": 300,
    "pipelines.alerting.AlertPipeline": 400,
}

# renewals' own settings
RENEWALS_DB = "renewals.db"
RENEWALS_SOURCES = None  # path to a sources TOML file; None means the bundled list
RENEWALS_REFETCH_DAYS = 0  # re-download stored articles published in the last N days
RENEWALS_EXTRACT_WORKERS = None  # processes that parse pages and extract claims; None: one a core
RENEWALS_EXTRACT_TIMEOUT = 60.0  # seconds one page may take; then its worker is replaced
RENEWALS_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled for each next one
