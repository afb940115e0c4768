"""Datasette plugin loaded by `renewals serve` (--plugins-dir): the scorecard at /scorecard,
read fresh from the database on each request, and every show name linked to its timeline."""

from urllib.parse import urlencode

import sqlite_utils
from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from renewals.scorecard import render_scorecard

SHOW_TABLES = {"current_status", "recent_changes", "disputes", "changes"}


@hookimpl
def register_routes() -> list:
    return [(r"^/scorecard$", scorecard)]


async def scorecard(datasette) -> Response:
    database = datasette.get_database()
    html = await database.execute_fn(lambda conn: render_scorecard(sqlite_utils.Database(conn)))
    return Response.html(html)


@hookimpl
def render_cell(value, column, table, database, datasette) -> Markup | None:
    """A show's name links to its rows in status_history: the timeline behind its status."""
    if column != "show" or table not in SHOW_TABLES or not isinstance(value, str):
        return None
    path = datasette.urls.table(database, "status_history")
    query = urlencode({"show": value, "_sort": "id"})
    return Markup(f'<a href="{escape(path)}?{escape(query)}">{escape(value)}</a>')
