"""Options and helpers shared by the CLI commands."""

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


def open_database(db_path: Path, must_exist: bool = False) -> sqlite_utils.Database:
    """Open (creating or migrating) the database, or exit with a one-line error."""
    if must_exist and not db_path.exists():
        raise click.ClickException(f"database not found: {db_path}")
    try:
        return open_db(db_path)
    except DatabaseError as error:
        raise click.ClickException(str(error)) from error
