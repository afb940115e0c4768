"""`renewals crawl`: crawl, extract, store, flag and alert, in one Scrapy run."""

from pathlib import Path

import click

from crawler.sources import SourcesError, load_sources
from renewals.options import db_option, open_database


def _parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        overrides[name] = value
    return overrides


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
@click.option("--quiet", is_flag=True, help="Log warnings and errors only (for cron).")
def crawl(sources_path: Path | None, db_path: Path, setting: tuple[str, ...], quiet: bool) -> None:
    """Crawl the sources, extract and store claims, and flag status changes."""
    from renewals.crawling import crawl_settings, run_crawl

    overrides = _parse_overrides(setting)
    if quiet:
        overrides.setdefault("LOG_LEVEL", "WARNING")
    try:
        sources = load_sources(sources_path)
    except SourcesError as error:
        raise click.ClickException(str(error)) from error
    open_database(db_path)  # fail fast, with a one-line error, on an unusable database
    stats = run_crawl(crawl_settings(db_path, sources_path, overrides), sources)
    if not quiet:
        click.echo(
            f"crawl finished: {stats.get('response_received_count', 0)} pages, "
            f"{stats.get('renewals/articles', 0)} articles, "
            f"{stats.get('renewals/claims', 0)} claims, "
            f"{stats.get('renewals/changes', 0)} changes",
            err=True,
        )
