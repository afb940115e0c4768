"""Status tables and scorecards: one claim per row, read through the header row."""

# ruff: noqa: E501 - pattern tables read better one wording a line

import re

from pipelines.extraction.networks import find_networks
from pipelines.extraction.seasons import find_seasons

STATUS_CELL = [
    ("pending", re.compile(r"\b(?:pending|awaiting|undecided|on the bubble|no decision|not confirmed|tbd|tba|unknown|undetermined|to be determined)\b", re.I)),
    ("ending", re.compile(r"\b(?:final (?:season|series)|last season|ended|ending|concluded|series finale|wrapped)\b", re.I)),
    ("cancelled", re.compile(r"\b(?:cancell?ed|canceled|axed|scrapped|dropped|not renewed)\b", re.I)),
    ("renewed", re.compile(r"\b(?:renewed|picked up|ordered|revived|rescued|saved|greenlit)\b", re.I)),
]  # fmt: skip
BY_COLUMN = [
    ("cancelled", re.compile(r"\b(?:cancell?ed|canceled|axed|dropped)\s+by\b", re.I)),
    ("renewed", re.compile(r"\b(?:renewed|rescued|saved|picked up|revived)\s+by\b", re.I)),
]


def cell_status(text: str) -> str | None:
    """The status a cell or label states; a cancellation named first wins over the final
    season it cut short ("Cancelled, final season currently airing")."""
    found = {status: match.start() for status, p in STATUS_CELL if (match := p.search(text))}
    if "cancelled" in found and found["cancelled"] < found.get("ending", len(text)):
        found.pop("ending", None)
    return next((status for status, _ in STATUS_CELL if status in found), None)


def table_rows(rows: list[list[str]]) -> list[dict]:
    """Raw row claims {show, status, seasons, season_kind, network, cell} from a claim table.

    Only tables whose header names a show column and a status column (or "cancelled by" /
    "rescued by" columns) count; key/value fact boxes are skipped.
    """
    if len(rows) < 2:
        return []
    implied = _implied_header(rows)
    if implied:
        rows = [implied, *rows]
    header = [h.lower() for h in rows[0]]
    show_col = next((i for i, h in enumerate(header) if re.search(r"\b(?:show|series|title|programme|program)\b", h)), None)  # fmt: skip
    if show_col is None:
        return []
    status_col = next((i for i, h in enumerate(header) if re.search(r"\b(?:status|verdict|decision|fate|outcome|result|renewed\?|renewal)\b", h)), None)  # fmt: skip
    network_col = next((i for i, h in enumerate(header) if re.search(r"\b(?:network|channel|platform|streamer|service|broadcaster|where|home|outlet)\b", h)), None)  # fmt: skip
    if status_col is None:  # an unlabelled column whose every cell is a status wording
        status_col = next((i for i in range(len(header)) if i != show_col and all(len(r) == len(header) and cell_status(r[i]) for r in rows[1:])), None)  # fmt: skip
    season_col = next((i for i, h in enumerate(header) if re.search(r"season", h) and not re.search(r"aired|count|number|how many", h)), None)  # fmt: skip
    aired_col = next((i for i, h in enumerate(header) if re.search(r"seasons?\s+(?:aired|made|run)|^seasons$", h)), None)  # fmt: skip
    by_cols = [(i, status) for i, h in enumerate(header) for status, p in BY_COLUMN if p.search(h)]
    if status_col is None and not by_cols:
        return []
    found = []
    for row in rows[1:]:
        if len(row) != len(header) or show_col >= len(row):
            continue
        show = row[show_col]
        season_text = row[season_col] if season_col is not None else ""
        aired = row[aired_col] if aired_col is not None else ""
        if status_col is not None:
            cell = row[status_col]
            status = cell_status(cell)
            if status:
                network = row[network_col] if network_col is not None else None
                networks = find_networks(cell) or find_networks(network or "")
                read = season_text
                if not re.search(r"\d", read) and not find_seasons(read):
                    # "Renewed" | "Season 2 ordered in March"; "Cancelled after one season" | "-"
                    skip = {show_col, status_col, aired_col}
                    read = " | ".join([cell, *(c for i, c in enumerate(row) if i not in skip)])
                found.append(_row(show, status, read, aired, networks, cell))
        for column, status in by_cols:
            networks = find_networks(row[column])
            if networks:
                found.append(_row(show, status, season_text, aired, networks, " | ".join(row)))
    return found


def _implied_header(rows: list[list[str]]) -> list[str] | None:
    """A header for a table without one whose every row is a show, a status and maybe a
    season count: "| X | 2 | Canceled |"."""
    width = len(rows[0])
    if width < 2 or any(len(row) != width for row in rows) or cell_status(" ".join(rows[0][:1])):
        return None
    if any(re.search(r"\b(?:show|series|title|status)\b", cell, re.I) for cell in rows[0]):
        return None
    status_col = next((i for i in range(1, width) if all(cell_status(r[i]) for r in rows)), None)
    if status_col is None:
        return None
    header = ["show", *([""] * (width - 1))]
    header[status_col] = "status"
    for column in range(1, width):
        if column != status_col and all(re.fullmatch(r"\d{1,2}", r[column]) for r in rows):
            header[column] = "seasons"
    return header


def _row(show: str, status: str, season_text: str, aired: str, networks: list, cell: str) -> dict:
    seasons: list[int] = []
    mentions = find_seasons(season_text)
    if not mentions and re.fullmatch(r"\s*\d{1,2}\s*", season_text):
        seasons = [int(season_text)]
    elif mentions:
        mention = mentions[0]
        seasons = list(mention.values)
        if mention.kind in {"after", "count"} and status == "cancelled":
            seasons = [seasons[-1] + 1]
    elif re.fullmatch(r"\s*\d{1,2}\s*", aired):
        count = int(aired)
        seasons = [count if status == "ending" else count + 1]
    return {
        "show": show,
        "status": status,
        "seasons": seasons or [None],
        "network": networks[0][2] if networks else None,
        "evidence": cell,
    }
