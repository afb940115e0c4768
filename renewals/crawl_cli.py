"""`renewals crawl`: crawl, extract, store, flag and alert, in one Scrapy run.

Made for cron: a lock keeps overlapping runs apart, `--quiet` prints only what needs a look,
and the exit status is non-zero only when the crawl could not do its job (bad sources file,
unusable database, every source failed, interrupted, articles not read or not stored, changes
not flagged). What it prints: renewals.crawl_report.
"""

import sys
from pathlib import Path

import click

from crawler.sources import Source, SourcesError, load_sources
from renewals.options import db_option, open_database, sources_option
from renewals.setting_overrides import OverrideError, parse_overrides
from storage.crawl_state import silent_sources
from storage.outbox import delivery_counts

SILENT_RUNS = 3  # a source that answered before but not in this many runs is reported


@click.command()
@sources_option
@db_option
@click.option(
    "-s", "setting", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting."
)
@click.option(
    "--source",
    "only",
    multiple=True,
    metavar="NAME",
    help="Crawl only this source of the file (repeatable): try one out, with --db a scratch file.",
)
@click.option("--quiet", is_flag=True, help="Print only what needs a look (for cron).")
@click.option("--verbose", is_flag=True, help="Scrapy's full log (INFO), not only warnings.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="If another crawl is running, wait this long for it before giving up.",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write Scrapy's log to this file instead of the terminal.",
)
@click.option(
    "--refetch-days",
    type=click.FloatRange(min=0),
    default=0,
    metavar="N",
    help="Download again articles first fetched in the last N days (stories that get updates).",
)
@click.option(
    "--notify",
    multiple=True,
    metavar="URL",
    help="Send alerts on status changes to this Apprise URL (repeatable; ${ENV} expanded).",
)
def crawl(
    sources_path: Path | None,
    db_path: Path,
    setting: tuple[str, ...],
    only: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    wait: float,
    log_file: Path | None,
    refetch_days: float,
    notify: tuple[str, ...],
) -> None:
    """Crawl the sources, extract and store claims, and flag status changes."""
    from pipelines.alerting import load_alert_config
    from renewals.crawl_report import crawl_report
    from renewals.crawling import (
        CrawlLocked,
        LockFileError,
        crawl_lock,
        crawl_settings,
        run_crawl,
    )

    try:
        overrides = parse_overrides(setting)
    except OverrideError as error:
        raise click.UsageError(str(error)) from error
    progress = sys.stderr.isatty() and not quiet and not verbose and log_file is None
    if log_file is not None:  # a file is for the full story; the terminal for what matters
        overrides.setdefault("LOG_FILE", str(log_file))
    elif not verbose:
        overrides.setdefault("LOG_LEVEL", "WARNING")
    if refetch_days:
        overrides.setdefault("RENEWALS_REFETCH_DAYS", str(refetch_days))
    try:
        sources = _chosen(load_sources(sources_path), only)
        load_alert_config(sources_path, list(notify))  # fail fast on a bad target
    except SourcesError as error:
        raise click.ClickException(str(error)) from error
    db = open_database(db_path)  # fail fast, with a one-line error, on an unusable database
    try:
        with crawl_lock(db_path, wait):
            settings = crawl_settings(db_path, sources_path, overrides, progress=progress)
            if notify:
                settings.set("RENEWALS_NOTIFY", list(notify), priority="cmdline")
            stats = run_crawl(settings, sources)
    except CrawlLocked as locked:
        click.echo(f"another crawl is running ({locked}); not starting a second one", err=True)
        return
    except LockFileError as error:
        raise click.ClickException(str(error)) from error

    silent = [
        f"warning: source {name!r} has yielded nothing in its last {SILENT_RUNS} runs "
        "(feed moved or layout changed?); see `renewals sources`"
        for name in silent_sources(db, [source.name for source in sources], runs=SILENT_RUNS)
    ]
    outbox = delivery_counts(db)
    stats = {
        **stats,
        "renewals/alert_targets": outbox["targets"],
        "renewals/outbox_pending": outbox["pending"],
    }
    report = crawl_report(stats, sources, quiet, silent)
    for line in [*report.problems, report.summary]:
        if line:
            click.echo(line, err=True)
    if report.exit_code:
        sys.exit(report.exit_code)


def _chosen(sources: list[Source], names: tuple[str, ...]) -> list[Source]:
    """The sources named by --source (all when none is), raising SourcesError for a name the
    file does not have."""
    if not names:
        return sources
    known = {source.name for source in sources}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SourcesError(
            f"no source named {unknown[0]!r}; the sources are: {', '.join(sorted(known))}"
        )
    return [source for source in sources if source.name in names]
