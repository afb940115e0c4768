"""The `renewals` command line: crawl, extract, status, changes, demo."""

import click

from renewals.options import db_option, open_database

__all__ = ["cli", "db_option", "open_database"]


@click.group()
@click.version_option(package_name="renewals")
def cli() -> None:
    """Watch entertainment news for TV renewals and cancellations."""
