"""What `renewals crawl` says when it ends, made from the crawl's stats.

Cron mails only what a job prints, so whatever needs a look (a failed source, an alert not
delivered, an article not stored) is one line on stderr even under `--quiet`, and the last
line agrees with the exit status: a summary on success, the reason on failure.
"""

from dataclasses import dataclass, field
from typing import Any

from crawler.sources import Source
from storage.crawl_state import answered

INTERRUPTED_EXIT = {"SIGINT": 130, "SIGTERM": 143}  # 128 + the signal number, as shells report


@dataclass
class CrawlReport:
    problems: list[str] = field(default_factory=list)  # one "warning: ..." line each
    summary: str = ""  # the last line
    exit_code: int = 0


def counts(stats: dict[str, Any]) -> str:
    """Pages, articles, claims, changes; alerts sent this run and pending in the outbox."""
    text = (
        f"{stats.get('response_received_count', 0)} pages, "
        f"{stats.get('renewals/articles', 0)} articles, "
        f"{stats.get('renewals/claims', 0)} claims, "
        f"{stats.get('renewals/changes', 0)} changes"
    )
    if stats.get("renewals/alert_targets") or stats.get("renewals/outbox_pending"):
        text += (
            f"; alerts: {stats.get('renewals/alerts_sent', 0)} sent, "
            f"{stats.get('renewals/outbox_pending', 0)} pending"
        )
        if stats.get("renewals/alerts_failed"):
            text += f", {stats['renewals/alerts_failed']} given up"
    return text


def _source_counts(stats: dict[str, Any], source: Source) -> dict[str, int]:
    prefix = f"renewals/source/{source.name}/"
    return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}


def _failure_problems(stats: dict[str, Any], sources: list[Source]) -> list[str]:
    failures: dict[str, dict[str, list]] = stats.get("renewals/failures") or {}
    lines = []
    for source in sources:
        kinds = failures.get(source.name)
        if not kinds:
            continue
        total = sum(count for count, _ in kinds.values())
        requests = _source_counts(stats, source).get("requests", 0)
        of = f" of {requests}" if requests > total else ""  # a DNS failure is not counted
        reasons = "; ".join(
            f"{kind} ({count}x, first: {example})" for kind, (count, example) in kinds.items()
        )
        lines.append(f"warning: source {source.name!r}: {total}{of} requests failed: {reasons}")
    return lines


def _common_cause(stats: dict[str, Any]) -> str:
    """The one reason every failed request shares, if there is one."""
    kinds = {
        kind
        for per_source in (stats.get("renewals/failures") or {}).values()
        for kind in per_source
    }
    if kinds == {"DNS lookup failed"}:
        return " (every request: DNS lookup failed; is the network or DNS down?)"
    return f" (every request: {kinds.pop()})" if len(kinds) == 1 else ""


def crawl_report(
    stats: dict[str, Any], sources: list[Source], quiet: bool, problems: list[str]
) -> CrawlReport:
    """The problem lines (after `problems` found elsewhere) and final line of a crawl, and the
    exit status they agree with; under `quiet` a clean crawl says nothing."""
    report = CrawlReport(problems=[*problems, *_failure_problems(stats, sources)])
    undelivered = stats.get("renewals/alerts_pending", 0) + stats.get("renewals/alerts_failed", 0)
    errors = stats.get("renewals/alert_errors") or []
    if errors:
        report.problems.append(
            f"warning: {max(undelivered, 1)} alert(s) not delivered, kept for the next crawl"
            f" (`renewals alerts list`): {errors[0]}"
        )
    reason = stats.get("finish_reason")
    interrupted = stats.get("renewals/interrupted_by")
    failed = [s.name for s in sources if not answered(_source_counts(stats, s))]
    if interrupted or reason == "shutdown":
        signal_name = interrupted or "SIGINT"
        report.exit_code = INTERRUPTED_EXIT.get(signal_name, 1)
        report.summary = (
            f"Error: crawl interrupted ({signal_name}) after {counts(stats)};"
            " what was stored is kept, the next crawl carries on"
        )
    elif reason != "finished":
        report.exit_code = 1
        report.summary = f"Error: crawl did not finish ({reason}) after {counts(stats)}"
    elif stats.get("renewals/store_failed"):  # the database did not take what was crawled
        report.exit_code = 1
        report.summary = (
            f"Error: {stats['renewals/store_failed']} articles could not be stored; the next"
            f" crawl fetches them again (each is logged above); {counts(stats)}"
        )
    elif stats.get("renewals/extract_failed"):  # pages fetched but not read: not stored
        report.exit_code = 1
        report.summary = (
            f"Error: {stats['renewals/extract_failed']} articles could not be read (claim"
            f" extraction failed); the next crawl fetches them again (each is logged above);"
            f" {counts(stats)}"
        )
    elif stats.get("renewals/consolidation_failed"):
        report.exit_code = 1
        report.summary = (
            "Error: changes could not be flagged; the next crawl or `renewals alerts send`"
            f" flags them; {counts(stats)}"
        )
    elif sources and len(failed) == len(sources):
        report.exit_code = 1
        cause = _common_cause(stats)
        if cause:  # one cause for all: the per-source lines would say it once per source
            failures = set(_failure_problems(stats, sources))
            report.problems = [line for line in report.problems if line not in failures]
        report.summary = f"Error: every source failed{cause}: {', '.join(failed)}"
    elif not quiet or report.problems:
        report.summary = f"crawl finished: {counts(stats)}"
    return report
