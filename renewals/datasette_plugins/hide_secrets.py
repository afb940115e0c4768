"""Datasette plugin, loaded by `renewals serve`: alert target URLs read as NULL.

A target URL may hold a password or token (`--notify 'mailto://user:pass@...'`); the crawl
needs it stored to retry deliveries, but Datasette serves every table and runs any SQL. An
SQLite authorizer on each connection makes the column read as NULL in tables, views and
queries alike.
"""

import sqlite3

from datasette import hookimpl

HIDDEN_COLUMNS = {("alert_targets", "url")}


def _authorize(action: int, table: str | None, column: str | None, *_: object) -> int:
    if action == sqlite3.SQLITE_READ and ((table or "").lower(), (column or "").lower()) in (
        HIDDEN_COLUMNS
    ):
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.set_authorizer(_authorize)
