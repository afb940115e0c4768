"""Item pipeline step 4: alert targets for this crawl, and delivery of its alerts at the end.

Targets come from `--notify` (setting RENEWALS_NOTIFY) and the `[alerts]` table of the sources
file. They are registered when the spider opens, so the changes the flagging step writes get
their deliveries in the same transaction (storage.outbox.enqueue). Delivery waits for the
`spider_closed` signal: Scrapy closes pipelines in reverse order, so this step's close_spider
would run before flagging's, while the signal comes after every pipeline has closed.

The `[alerts]` table:

    [alerts]
    digest_after = 10           # optional: more changes in one run -> one summary message
    give_up_after_hours = 72    # optional: how long a failing delivery is retried

    [[alerts.target]]
    url = "slack://${SLACK_TOKEN}/#tv"    # any Apprise URL; ${NAME} read from the environment
    shows = ["Copper Sky"]                # optional filters; an empty list lets all through
    networks = ["Netflix"]
    transitions = ["-> cancelled"]        # "renewed -> cancelled", "renewed ->", "-> ending"
"""

import logging
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from scrapy import signals

from crawler.items import ArticleItem
from crawler.sources import SourcesError, bundled_sources_path
from storage import open_db, show_key
from storage.outbox import (
    DEFAULT_DIGEST_AFTER,
    DEFAULT_GIVE_UP_AFTER,
    Target,
    parse_transition,
    pending_deliveries,
    sync_targets,
)

logger = logging.getLogger(__name__)

ALERTS_KEYS = {"digest_after", "give_up_after_hours", "target"}
TARGET_KEYS = {"url", "shows", "networks", "transitions"}


@dataclass(frozen=True)
class AlertConfig:
    targets: tuple[Target, ...] = ()
    digest_after: int = DEFAULT_DIGEST_AFTER
    give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER


def notify_urls(value: Any) -> list[str]:
    """RENEWALS_NOTIFY as a list; a string (from `-s`) holds URLs separated by whitespace,
    since Apprise URLs may contain commas."""
    if not value:
        return []
    return value.split() if isinstance(value, str) else [str(url) for url in value]


def load_alert_config(sources_path: str | Path | None, notify: list[str]) -> AlertConfig:
    """The `[alerts]` table of the sources file plus `--notify` URLs, validated; every URL
    must be usable now (environment variables set), raising SourcesError otherwise."""
    path = Path(sources_path) if sources_path else bundled_sources_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("alerts", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourcesError(f"cannot read sources file {path}: {error}") from error
    where = f"{path}: [alerts]"
    if not isinstance(table, dict):
        raise SourcesError(f"{where} must be a table")
    unknown = set(table) - ALERTS_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    digest_after = table.get("digest_after", DEFAULT_DIGEST_AFTER)
    if not isinstance(digest_after, int) or isinstance(digest_after, bool) or digest_after < 1:
        raise SourcesError(f"{where}: 'digest_after' must be a whole number of at least 1")
    hours = table.get("give_up_after_hours", DEFAULT_GIVE_UP_AFTER / timedelta(hours=1))
    if not isinstance(hours, int | float) or isinstance(hours, bool) or hours <= 0:
        raise SourcesError(f"{where}: 'give_up_after_hours' must be a positive number")
    entries = table.get("target", [])
    if not isinstance(entries, list):
        raise SourcesError(f"{where}: 'target' must be an array of tables ([[alerts.target]])")
    targets = [_parse_target(f"{where} target #{n}", e) for n, e in enumerate(entries, 1)]
    configured = {target.url for target in targets}
    targets += [Target(url) for url in dict.fromkeys(notify) if url not in configured]
    urls = [target.url for target in targets]
    if not urls:
        return AlertConfig((), digest_after, timedelta(hours=hours))
    from pipelines.notify import TargetError, instantiate, mask_url  # Apprise: ~0.1 s to import

    duplicate = next((url for url in urls if urls.count(url) > 1), None)
    if duplicate:
        raise SourcesError(f"{where}: target {mask_url(duplicate)!r} is listed twice")
    for url in urls:
        try:
            instantiate(url)
        except TargetError as error:
            raise SourcesError(f"alert target {mask_url(url)!r}: {error}") from error
    return AlertConfig(tuple(targets), digest_after, timedelta(hours=hours))


def _strings(where: str, entry: dict, key: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{where}: '{key}' must be a list of non-empty strings")
    return value


def _parse_target(where: str, entry: Any) -> Target:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: not a table")
    unknown = set(entry) - TARGET_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise SourcesError(f"{where}: 'url' must be a non-empty string")
    try:
        transitions = frozenset(parse_transition(t) for t in _strings(where, entry, "transitions"))
    except ValueError as error:
        raise SourcesError(f"{where}: {error}") from error
    return Target(
        url=url.strip(),
        shows=frozenset(show_key(show) for show in _strings(where, entry, "shows")),
        networks=frozenset(network.casefold() for network in _strings(where, entry, "networks")),
        transitions=transitions,
    )


class AlertPipeline:
    def __init__(self, crawler: Any, config: AlertConfig) -> None:
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("RENEWALS_DB")
        self.config = config
        crawler.signals.connect(self.deliver, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "AlertPipeline":
        config = load_alert_config(
            crawler.settings.get("RENEWALS_SOURCES"),
            notify_urls(crawler.settings.get("RENEWALS_NOTIFY")),
        )
        return cls(crawler, config)

    def open_spider(self) -> None:
        sync_targets(
            open_db(self.db_path),
            self.config.targets,
            self.config.digest_after,
            self.config.give_up_after,
        )

    def process_item(self, item: ArticleItem) -> ArticleItem:
        return item

    async def deliver(self, spider: Any, reason: str) -> None:
        """Send what is due, this run's alerts and earlier ones, in a thread (Apprise blocks);
        Scrapy awaits this handler before it stops."""
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.threads import deferToThread

        await maybe_deferred_to_future(deferToThread(self._deliver))

    def _deliver(self) -> None:
        db = open_db(self.db_path)
        due = pending_deliveries(db, due_only=True)
        if not due:
            return  # nothing to send: Apprise is not even imported
        from pipelines.notify import deliver

        report = deliver(db, due)
        self.stats.set_value("renewals/alerts_sent", report.sent)
        self.stats.set_value("renewals/alerts_pending", report.retrying)
        self.stats.set_value("renewals/alerts_failed", report.failed)
        self.stats.set_value("renewals/alert_errors", list(report.errors))
        for error in report.errors:  # the crawl command's report says it on stderr
            logger.info("alert not delivered: %s", error)
        if report.attempted:
            logger.info(
                "alerts: %d sent, %d pending, %d given up",
                report.sent,
                report.retrying,
                report.failed,
            )
