"""`renewals check`: the sources file, the alert targets and the database, checked without
crawling, so a cron job's configuration can be tried before its first run."""

from pathlib import Path

import click

from crawler.sources import SourcesError, load_sources
from renewals.options import db_option, sources_option


@click.command()
@sources_option
@db_option
@click.option("--notify", multiple=True, metavar="URL", help="An Apprise URL to check too.")
def check(sources_path: Path | None, db_path: Path, notify: tuple[str, ...]) -> None:
    """Check the sources file, alert targets and database without crawling."""
    from pipelines.alerting import load_alert_config
    from storage.db import DatabaseError, open_db

    try:
        sources = load_sources(sources_path)
        config = load_alert_config(sources_path, list(notify))
    except SourcesError as error:
        raise click.ClickException(str(error)) from error
    tiers = ", ".join(f"{source.name} (tier {source.tier})" for source in sources)
    click.echo(f"sources: {len(sources)}: {tiers}")
    click.echo(f"alert targets: {len(config.targets)}")
    existed = db_path.exists()
    try:
        open_db(db_path).close()  # created or migrated, as the crawl would
    except DatabaseError as error:
        raise click.ClickException(str(error)) from error
    if not existed:
        db_path.unlink()  # a check leaves no new file behind
    click.echo(f"database: {db_path} {'is usable' if existed else 'can be created'}")
