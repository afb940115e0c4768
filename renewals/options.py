"""Options and helpers shared by the CLI commands."""

import sqlite3
from pathlib import Path

import click
import sqlite_utils

from storage.db import DatabaseError, open_db

db_option = click.option(
    "--db",
    "db_path",
    default="renewals.db",
    envvar="RENEWALS_DB",
    show_default=True,
    show_envvar=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite database file.",
)

sources_option = click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sources file (TOML). Default: the bundled list of real outlets.",
)


def open_database(db_path: Path, must_exist: bool = False) -> sqlite_utils.Database:
    """Open (creating or migrating) the database, or exit with a one-line error."""
    if must_exist and not db_path.exists():
        raise click.ClickException(f"database not found: {db_path}")
    try:
        return open_db(db_path)
    except DatabaseError as error:
        raise click.ClickException(str(error)) from error


def finish_left_work(db: sqlite_utils.Database, kind: str) -> None:
    """Flag what a killed crawl left before `kind` runs, saying so, or exit with one line."""
    from storage.recovery import finish_left_work as finish

    try:
        changes = finish(db, kind=kind)
    except sqlite3.Error as error:
        raise click.ClickException(
            f"cannot flag the changes an interrupted crawl left: {error}"
        ) from None
    if changes:
        click.echo(f"flagged {len(changes)} changes an interrupted crawl left", err=True)
