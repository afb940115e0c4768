"""Read queries behind the CLI, and the show identity every write and read agrees on."""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlite_utils

_DROPPED = re.compile(r"['’‘`\"“”.\-‐–]")  # joined: "Grey's" = "Greys", "9-1-1" = "911"
_SPACED = re.compile(r"[^\w]+")  # any other punctuation separates words: ":", "/", ","


def show_key(title: str) -> str:
    """The identity of a show: case, accents and punctuation ignored, a leading "The" optional.

    A spin-off keeps its subtitle, so "The Rookie: Feds" is not "The Rookie".
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = _SPACED.sub(" ", _DROPPED.sub("", text)).split()
    if len(text) > 1 and text[0] == "the":
        text = text[1:]
    return " ".join(text)


def _where(filters: dict[str, Any], columns: dict[str, str]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for name, value in filters.items():
        if value is None:
            continue
        if name not in columns:
            raise TypeError(f"unknown filter {name!r}")
        clauses.append(columns[name])
        params.append(value)
    return (" and ".join(clauses) or "1"), params


_STATUS_FILTERS = {
    "status": "status = ?",
    "network": "network = ? collate nocase",
    "since": "since >= ?",
    "season": "season = ?",
}


STATUS_COLUMNS = (
    "show", "status", "season", "network", "since", "url", "source", "detected_at", "disputes",
)  # fmt: skip


def _current_status_sql(select: str, show: str | None, filters: dict) -> tuple[str, list]:
    if show is not None:
        filters = {**filters, "key": show_key(show)}
    where, params = _where(filters, {**_STATUS_FILTERS, "key": "key = ?"})
    return f"select {select} from ({_CURRENT}) where {where} order by show collate nocase", params


# The current_status view with the show key, which analysts need not see (SQLite flattens it).
_CURRENT = (
    "select title as show, status, season, network, since, url, source, detected_at, key,"
    " (select count(*) from dispute_records d where d.show_key = shows.key) as disputes"
    " from shows where status is not null"
)


def current_statuses(
    db: sqlite_utils.Database, show: str | None = None, **filters: Any
) -> list[dict]:
    """SPEC status records (show, status, season, network, since, url, source), by show title.

    Filters: status, network (case-insensitive), since (status decided on or after), season.
    """
    return list(db.query(*_current_status_sql(", ".join(STATUS_COLUMNS), show, filters)))


def current_status_rows(
    db: sqlite_utils.Database, columns: Sequence[str], show: str | None = None, **filters: Any
) -> list[tuple]:
    """Chosen columns of the current statuses as plain tuples: a table of every show without
    building ten thousand dicts."""
    unknown = set(columns) - set(STATUS_COLUMNS)
    if unknown:
        raise ValueError(f"unknown status columns {sorted(unknown)}")
    return db.execute(*_current_status_sql(", ".join(columns), show, filters)).fetchall()


def current_statuses_json(
    db: sqlite_utils.Database, show: str | None = None, **filters: Any
) -> list[str]:
    """The same records as JSON text, serialised by SQLite: twice as fast as Python's json for
    `renewals status --json` over every show."""
    pairs = ", ".join(f"'{c}', {c}" for c in STATUS_COLUMNS)
    return [
        row[0] for row in db.execute(*_current_status_sql(f"json_object({pairs})", show, filters))
    ]


def statuses_as_of(
    db: sqlite_utils.Database, when: str, show: str | None = None, **filters: Any
) -> list[dict]:
    """What the ledger believed at `when`: each show's latest snapshot taken by then."""
    if show is not None:
        filters = {**filters, "key": show_key(show)}
    where, params = _where(filters, {**_STATUS_FILTERS, "key": "show_key = ?"})
    return list(
        db.query(
            f"""select show, status, season, network, since, url, source, taken_at as detected_at
            from status_history where id in (
                select max(id) from snapshots where taken_at <= ? group by show_key
            ) and {where} order by show collate nocase""",
            [_end_of(when), *params],
        )
    )


def _end_of(when: str) -> str:
    """A bare date means the whole of that day: "2020-01-15" covers 2020-01-15T23:59:59."""
    return when + "T99" if len(when) <= 10 else when


_CHANGE_COLUMNS = (
    "id, show, season, from_status, from_season, to_status, to_season, network, announced,"
    " detected_at, run_id, url, evidence, source"
)


def list_changes(db: sqlite_utils.Database, since: str | None = None, **filters: Any) -> list[dict]:
    """SPEC change records, oldest first. `since` compares with when the change was detected.

    Filters: status (the new status), network, show, run_id, announced_since (the decision
    was announced on or after).
    """
    if "show" in filters and filters["show"] is not None:
        filters["show"] = show_key(filters["show"])
    where, params = _where(
        {"since": since, **filters},
        {
            "since": "detected_at >= ?",
            "announced_since": "announced >= ?",
            "status": "to_status = ?",
            "network": "network = ? collate nocase",
            "show": "show_key = ?",
            "run_id": "run_id = ?",
        },
    )
    return list(
        db.query(
            f"select {_CHANGE_COLUMNS} from changes where {where} order by detected_at, id", params
        )
    )


def show_history(db: sqlite_utils.Database, show: str) -> dict[str, Any] | None:
    """A show's timeline: its snapshots, its firm and hedged claims with sources, its disputes."""
    key = show_key(show)
    row = next(db.query("select title from shows where key = ?", [key]), None)
    if row is None:
        return None
    return {
        "show": row["title"],
        "aliases": [
            r["alias"]
            for r in db.query(
                "select alias from show_aliases where show_key = ? order by alias", [key]
            )
        ],  # fmt: skip
        "snapshots": list(
            db.query(
                "select status, season, network, since, taken_at, run_id, url, source, evidence"
                " from snapshots where show_key = ? order by id",
                [key],
            )
        ),
        "claims": list(
            db.query(
                "select effective, status, season, network, announced, confidence, source, tier,"
                " article_url as url, evidence from claims where show_key = ?"
                " order by effective, tier desc, article_url",
                [key],
            )
        ),
        "disputes": list(
            db.query(
                "select claimed_status, claimed_season, source, tier, url, evidence, detected_at"
                " from disputes where show_key = ?",
                [key],
            )
        ),
    }


def statuses_announced_by(
    db: sqlite_utils.Database, when: str, show: str | None = None, **filters: Any
) -> list[dict]:
    """What had been announced by `when`: each show's latest consolidated decision whose
    date (`since`, when it was announced) is on or before it, whenever a crawl saw it."""
    if show is not None:
        filters = {**filters, "key": show_key(show)}
    where, params = _where(filters, {**_STATUS_FILTERS, "key": "show_key = ?"})
    return list(
        db.query(
            f"""select show, status, season, network, since, url, source, taken_at as detected_at
            from status_history where id in (
                select id from (
                    select id, row_number() over (
                        partition by show_key order by since desc, id desc) as newest
                    from snapshots where since <= ?
                ) where newest = 1
            ) and {where} order by show collate nocase""",
            [_end_of(when), *params],
        )
    )


def known_titles(db: sqlite_utils.Database) -> list[str]:
    """The titles and spellings of every show with a consolidated status, for extraction to
    recognise where a later page names them unquoted; a show only ever hedged about is not
    known yet."""
    return [
        row["title"]
        for row in db.query(
            "select title from shows where status is not null"
            " union select alias from show_aliases"
            " join shows on shows.key = show_aliases.show_key where shows.status is not null"
            " order by 1"
        )
    ]
