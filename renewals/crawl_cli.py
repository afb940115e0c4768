"""`renewals crawl`: crawl, extract, store, flag and alert, in one Scrapy run.

Made for cron: a lock keeps overlapping runs apart, `--quiet` prints only what needs a look,
and the exit status is non-zero only when the crawl could not do its job (bad sources file,
unusable database, every source failed, interrupted, articles or changes not stored).
"""

import sys
from pathlib import Path

import click

from crawler.sources import Source, SourcesError, load_sources
from renewals.options import db_option, open_database
from storage.crawl_state import answered, silent_sources

SILENT_RUNS = 3  # a source that answered before but not in this many runs is reported


def _parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name] = value
    return overrides


def _source_counts(stats: dict, source: Source) -> dict[str, int]:
    prefix = f"renewals/source/{source.name}/"
    return {
        key.removeprefix(prefix): value for key, value in stats.items() if key.startswith(prefix)
    }


@click.command()
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sources file (TOML). Default: the bundled list of real outlets.",
)
@db_option
@click.option(
    "-s", "setting", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting."
)
@click.option("--quiet", is_flag=True, help="Print warnings and errors only (for cron).")
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
    quiet: bool,
    wait: float,
    log_file: Path | None,
    refetch_days: float,
    notify: tuple[str, ...],
) -> None:
    """Crawl the sources, extract and store claims, and flag status changes."""
    from pipelines.alerting import load_alert_config
    from renewals.crawling import (
        CrawlLocked,
        LockFileError,
        crawl_lock,
        crawl_settings,
        run_crawl,
    )

    overrides = _parse_overrides(setting)
    progress = sys.stderr.isatty() and not quiet and log_file is None
    if log_file is not None:
        overrides.setdefault("LOG_FILE", str(log_file))
    elif quiet or progress:  # a progress line and a scrolling log do not mix
        overrides.setdefault("LOG_LEVEL", "WARNING")
    if refetch_days:
        overrides.setdefault("RENEWALS_REFETCH_DAYS", str(refetch_days))
    try:
        sources = load_sources(sources_path)
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

    if not quiet:
        click.echo(
            f"crawl finished: {stats.get('response_received_count', 0)} pages, "
            f"{stats.get('renewals/articles', 0)} articles, "
            f"{stats.get('renewals/claims', 0)} claims, "
            f"{stats.get('renewals/changes', 0)} changes",
            err=True,
        )
    for name in silent_sources(db, [source.name for source in sources], runs=SILENT_RUNS):
        click.echo(
            f"warning: source {name!r} has yielded nothing in its last {SILENT_RUNS} runs "
            "(feed moved or layout changed?); see `renewals sources`",
            err=True,
        )
    reason = stats.get("finish_reason")
    if reason != "finished":
        raise click.ClickException(f"crawl did not finish: {reason}")
    not_stored = stats.get("renewals/store_failed", 0)
    if not_stored:
        raise click.ClickException(
            f"{not_stored} articles could not be stored; the next crawl fetches them again"
        )
    if stats.get("renewals/consolidation_failed"):
        raise click.ClickException(
            "changes could not be flagged; the next crawl or `renewals alerts send` flags them"
        )
    failed = [s.name for s in sources if not answered(_source_counts(stats, s))]
    if failed and len(failed) == len(sources):
        raise click.ClickException(f"every source failed: {', '.join(failed)}")
