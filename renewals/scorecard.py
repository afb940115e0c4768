"""`renewals scorecard`: the renewal scorecard trade outlets keep by hand, made from the
database. One self-contained HTML page (inline CSS, no JavaScript), readable on a phone: a
section per network, shows grouped by status, each with its season in words, the date it was
announced, the source and a link to the evidence, disputes marked, last week's changes lit."""

from datetime import UTC, datetime
from itertools import groupby

import jinja2
import sqlite_utils

from storage.scorecard import scorecard_rows
from storage.wording import status_words

STATUS_ORDER = ("renewed", "ending", "pending", "cancelled")
STATUS_HEADINGS = {
    "renewed": "Renewed",
    "ending": "Ending",
    "pending": "Awaiting a decision",
    "cancelled": "Cancelled",
}
RECENT_DAYS = 7
NO_NETWORK = "Network not named"

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("renewals", "templates"),
    autoescape=True,  # titles, evidence and URLs come from the web
    trim_blocks=True,
    lstrip_blocks=True,
)


def _networks(rows: list[dict]) -> list[dict]:
    networks = []
    for network, shows in groupby(rows, key=lambda row: row["network"] or NO_NETWORK):
        shows = list(shows)
        for show in shows:
            show["words"] = status_words(show["status"], show["season"])
            if show["from_status"] is not None:
                show["was"] = status_words(show["from_status"], show["from_season"])
        groups = [
            {"status": status, "heading": STATUS_HEADINGS[status], "shows": members}
            for status in STATUS_ORDER
            if (members := [show for show in shows if show["status"] == status])
        ]
        networks.append({"name": network, "groups": groups, "count": len(shows)})
    return networks


def render_scorecard(db: sqlite_utils.Database, now: datetime | None = None) -> str:
    """The scorecard page for the database's current statuses."""
    now = now or datetime.now(UTC)
    rows = scorecard_rows(db, RECENT_DAYS, now)
    return _templates.get_template("scorecard.html").render(
        networks=_networks(rows),
        shows=len(rows),
        changed=sum(1 for row in rows if row["from_status"] is not None),
        recent_days=RECENT_DAYS,
        generated=now.strftime("%Y-%m-%d %H:%M UTC"),
    )
