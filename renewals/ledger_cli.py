"""Ledger commands: what each show's status is, what changed, and the analysts' tools."""

import json
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click

from renewals.options import db_option, open_database
from storage.queries import current_statuses, list_changes, statuses_as_of

STATUSES = ("renewed", "cancelled", "ending", "pending")

json_option = click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
network_option = click.option("--network", help="Only this network (case-insensitive).")
status_option = click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only this status."
)


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ][\d:.+-]+Z?)?)?)?")


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (optionally with a time): they compare as text."""
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        datetime.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        raise click.BadParameter(f"expected a date such as 2020-01-15, got {value!r}") from None
    return value


def since_option(help: str) -> click.Option:
    return click.option("--since", callback=_iso_date, metavar="DATE", help=help)


def _value(value: object) -> str:
    return "" if value is None else str(value)


def echo_table(rows: Sequence[dict], columns: Sequence[str], empty: str) -> None:
    """A plain aligned table: readable in a terminal and in a cron mail."""
    if not rows:
        click.echo(empty)
        return
    cells = [[_value(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def echo_json_lines(rows: Sequence[dict]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


@click.command()
@db_option
@json_option
@status_option
@network_option
@since_option("Only statuses decided on or after DATE.")
@click.option("--as-of", callback=_iso_date, metavar="DATE", help="What we believed on DATE.")
@click.argument("show", required=False)
def status(
    db_path: Path,
    as_json: bool,
    status: str | None,
    network: str | None,
    since: str | None,
    as_of: str | None,
    show: str | None,
) -> None:
    """Each show's current consolidated status (or one SHOW's)."""
    db = open_database(db_path, must_exist=True)
    filters = {"status": status and status.lower(), "network": network, "since": since}
    if as_of:
        rows = statuses_as_of(db, as_of, show, **filters)
    else:
        rows = current_statuses(db, show, **filters)
    if as_json:
        echo_json_lines(rows)
    elif show is not None and not rows:
        raise click.ClickException(f"no status known for {show!r}")
    else:
        echo_table(
            rows, ("show", "status", "season", "network", "since", "source", "url"), "no statuses"
        )


@click.command()
@db_option
@json_option
@status_option
@network_option
@since_option("Only changes detected on or after DATE.")
@click.option("--show", help="Only this show.")
def changes(
    db_path: Path,
    as_json: bool,
    status: str | None,
    network: str | None,
    since: str | None,
    show: str | None,
) -> None:
    """Flagged status changes, oldest first."""
    db = open_database(db_path, must_exist=True)
    rows = list_changes(db, since, status=status and status.lower(), network=network, show=show)
    if as_json:
        echo_json_lines(rows)
        return
    for row in rows:
        row["from"] = f"{_value(row['from_status'])}/{_value(row['from_season'])}"
        row["to"] = f"{row['to_status']}/{_value(row['to_season'])}"
    echo_table(
        rows, ("detected_at", "show", "from", "to", "network", "announced", "url"), "no changes"
    )


LEDGER_COMMANDS = [status, changes]
