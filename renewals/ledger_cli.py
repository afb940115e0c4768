"""Ledger commands: what each show's status is, what changed, and the analysts' tools."""

import csv
import ctypes
import importlib.util
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from crawler.controls import table_cell, without_controls
from pipelines.worker_guard import guard
from pipelines.workers import default_size
from renewals.dates import date_callback
from renewals.options import db_option, finish_left_work, open_database
from storage.articles import replace_claims
from storage.db import write_transaction
from storage.ledger import rebuild
from storage.queries import (
    current_status_rows,
    current_statuses,
    current_statuses_json,
    known_titles,
    list_changes,
    show_history,
    statuses_announced_by,
    statuses_as_of,
)
from storage.runs import finish_run, start_run
from storage.verdicts import with_verdicts
from storage.wording import status_words

STATUSES = ("renewed", "cancelled", "ending", "pending")

json_option = click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
csv_option = click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
CHANGE_FIELDS = (
    "show", "season", "from_status", "from_season", "to_status", "to_season", "network",
    "announced", "detected_at", "source", "url",
)  # fmt: skip
network_option = click.option("--network", help="Only this network (case-insensitive).")


def _status(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """One of STATUSES, in any case; "canceled" (American, TMDB's) is "cancelled"."""
    if value is None:
        return None
    status = value.lower().replace("canceled", "cancelled")
    if status not in STATUSES:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(STATUSES)}")
    return status


status_option = click.option(
    "--status", callback=_status, metavar="|".join(STATUSES), help="Only this status."
)


def since_option(help: str) -> click.Option:
    return click.option("--since", callback=date_callback, metavar="DATE", help=help)


def echo_table(rows: Sequence[dict], columns: Sequence[str], empty: str) -> None:
    """Print these columns of dict rows as a table (see `echo_tuples`)."""
    echo_tuples([tuple(map(row.get, columns)) for row in rows], columns, empty)


def echo_tuples(rows: Sequence[Sequence], columns: Sequence[str], empty: str) -> None:
    """A plain aligned table: readable in a terminal and in a cron mail. Built as one string
    with one format: ten thousand rows take about 17 ms, three times that cell by cell."""
    if not rows:
        click.echo(empty)
        return
    cells = [[table_cell(v) for v in row] for row in rows]  # no escape sequence reaches a tty
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    line = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    click.echo("\n".join(line.format(*r).rstrip() for r in [columns, *cells]))


# One encoder for every row: json.dumps with keyword arguments builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def echo_csv(rows: Sequence[Sequence], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)


def echo_json_lines(rows: Sequence[dict]) -> None:
    if rows:
        click.echo("\n".join(map(_to_json, rows)))


@click.command()
@db_option
@json_option
@csv_option
@status_option
@network_option
@since_option("Only statuses announced on or after DATE.")
@click.option(
    "--announced-by",
    callback=date_callback,
    metavar="DATE",
    help="What had been announced by DATE: each show's latest decision announced by then.",
)
@click.option(
    "--believed-on",
    "--as-of",
    "believed_on",
    callback=date_callback,
    metavar="DATE",
    help="What renewals believed on DATE: the statuses its crawls had seen by then.",
)
@click.argument("show", required=False)
def status(
    db_path: Path,
    as_json: bool,
    as_csv: bool,
    status: str | None,
    network: str | None,
    since: str | None,
    announced_by: str | None,
    believed_on: str | None,
    show: str | None,
) -> None:
    """Each show's current consolidated status (or one SHOW's).

    \b
    DATE is 2026-11-05, 2026-11, 2026, 2026-11-05T09:30 (UTC), or back from now: 12h, 7d, 2w.
    """
    db = open_database(db_path, must_exist=True)
    if announced_by and believed_on:
        raise click.UsageError("--announced-by and --believed-on ask different questions: pick one")
    filters = {"status": status, "network": network, "since": since}
    past = announced_by or believed_on
    if as_json and not past:
        lines = current_statuses_json(db, show, **filters)
        if lines:
            click.echo("\n".join(lines))
        return
    columns = ("show", "status", "season", "network", "since", "source", "url", "disputes")
    if past:
        read = statuses_announced_by if announced_by else statuses_as_of
        rows = read(db, past, show, **filters)
        if as_json:
            echo_json_lines(rows)
            return
        table = [tuple(map(row.get, columns)) for row in rows]
    else:
        table = current_status_rows(db, columns, show, **filters)
    if show is not None and not table:
        raise click.ClickException(f"no status known for {show!r}")
    if as_csv:
        echo_csv(table, columns)
        return
    worded = [(r[0], status_words(r[1], r[2]), *r[3:]) for r in table]
    headers = ("show", "status", "network", "since", "source", "url", "disputes")
    echo_tuples(worded, headers, "no statuses")


@click.command()
@db_option
@json_option
@csv_option
@status_option
@network_option
@since_option("Only changes a crawl detected on or after DATE.")
@click.option(
    "--announced-since",
    callback=date_callback,
    metavar="DATE",
    help="Only changes whose decision was announced on or after DATE.",
)
@click.option("--show", help="Only this show.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="Only the latest N.")
def changes(
    db_path: Path,
    as_json: bool,
    as_csv: bool,
    status: str | None,
    network: str | None,
    since: str | None,
    announced_since: str | None,
    show: str | None,
    limit: int | None,
) -> None:
    """Flagged status changes, oldest first.

    \b
    DATE is 2026-11-05, 2026-11, 2026, 2026-11-05T09:30 (UTC), or back from now: 12h, 7d, 2w.
    """
    db = open_database(db_path, must_exist=True)
    rows = list_changes(
        db, since, status=status, network=network, show=show, announced_since=announced_since
    )
    if limit is not None:
        rows = rows[-limit:]
    if as_json:
        echo_json_lines(rows)
        return
    if as_csv:
        echo_csv([tuple(map(row.get, CHANGE_FIELDS)) for row in rows], CHANGE_FIELDS)
        return
    for row in rows:
        row["from"] = status_words(row["from_status"], row["from_season"])
        row["to"] = status_words(row["to_status"], row["to_season"])
    echo_table(
        rows, ("detected_at", "show", "from", "to", "network", "announced", "url"), "no changes"
    )


@click.command()
@db_option
@json_option
@click.argument("show")
def history(db_path: Path, as_json: bool, show: str) -> None:
    """SHOW's timeline: each status it had, every claim with whether it counted and why, and
    open disputes."""
    db = open_database(db_path, must_exist=True)
    timeline = show_history(db, show)
    if timeline is None:
        raise click.ClickException(f"no show {show!r} in {db_path}")
    with_verdicts(timeline["claims"])  # used, superseded, confirms, disputed, older news...
    if as_json:
        click.echo(json.dumps(timeline, ensure_ascii=False))
        return
    click.secho(timeline["show"], bold=True)
    if len(timeline["aliases"]) > 1:
        click.echo("also written: " + ", ".join(timeline["aliases"]))
    for row in timeline["snapshots"] + timeline["claims"]:
        row["decision"] = status_words(row["status"], row["season"])
    for row in timeline["disputes"]:
        row["claimed"] = status_words(row["claimed_status"], row["claimed_season"])
    click.echo("\nstatus history")
    echo_table(
        timeline["snapshots"],
        ("taken_at", "decision", "network", "since", "source", "url"),
        "no firm status yet",
    )
    click.echo("\nclaims, in the order the decisions were made")
    echo_table(
        timeline["claims"],
        ("effective", "decision", "verdict", "why", "source", "tier", "url"),
        "no claims",
    )
    if timeline["disputes"]:
        click.echo("\nopen disputes (contradictions that did not change the status)")
        echo_table(timeline["disputes"], ("claimed", "source", "tier", "url"), "")


# Our status beside the nearest value of the public TV databases, for users who sync with them.
# TMDB's `status` field and TVmaze's `status` field have no "final season announced" or
# "undecided": an ending show has had its end decided, an undecided one is still returning.
# An ending show is still returning for its final season: TMDB and TVmaze say "Ended" only once
# it has aired, which the news does not tell.
TMDB_STATUS = {
    "renewed": "Returning Series",
    "cancelled": "Canceled",
    "ending": "Returning Series",
    "pending": "Returning Series",
}
TVMAZE_STATUS = {
    "renewed": "Running",
    "cancelled": "Ended",
    "ending": "Running",
    "pending": "To Be Determined",
}
EXPORT_COLUMNS = (
    "show", "status", "season", "network", "since", "url", "source", "tmdb_status", "tvmaze_status",
)  # fmt: skip


@click.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Default: stdout."
)
@status_option
@network_option
def export(
    db_path: Path, fmt: str, output: TextIO, status: str | None, network: str | None
) -> None:
    """Current statuses as CSV or JSON, with the nearest TMDB and TVmaze status values."""
    db = open_database(db_path, must_exist=True)
    rows = [
        {
            **{c: row[c] for c in EXPORT_COLUMNS[:7]},
            "tmdb_status": TMDB_STATUS[row["status"]],
            "tvmaze_status": TVMAZE_STATUS[row["status"]],
        }
        for row in current_statuses(db, status=status, network=network)
    ]
    if fmt == "json":  # JSON lines, as every other command prints
        output.writelines(_to_json(row) + "\n" for row in rows)
        return
    writer = csv.DictWriter(output, EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


ATOM = "http://www.w3.org/2005/Atom"


def _rfc3339(value: str | None) -> str:
    """Atom wants full timestamps with a zone; stored values may be dates or naive times."""
    moment = datetime.fromisoformat(value) if value else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def atom_feed(changes_newest_first: Sequence[dict], title: str) -> bytes:
    """An Atom 1.0 document, one entry per change; entry ids are stable across rebuilds."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        # XML 1.0 has no way to write most control characters: they would make it invalid
        attrs = {name: without_controls(value) for name, value in attrs.items()}
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = None if text is None else without_controls(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", title)
    sub(feed, "id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "renewals:" + title)))
    newest = changes_newest_first[0]["detected_at"] if changes_newest_first else None
    sub(feed, "updated", _rfc3339(newest))
    sub(sub(feed, "author"), "name", "renewals")
    sub(feed, "generator", "renewals")
    for change in changes_newest_first:
        entry = sub(feed, "entry")
        what = (
            f"{change['show']}: {status_words(change['from_status'], change['from_season'])}"
            f" \u2192 {status_words(change['to_status'], change['to_season'])}"
        )
        identity = "|".join(
            str(change[k])
            for k in ("show", "from_status", "from_season", "to_status", "to_season", "url")
        )
        sub(entry, "title", what)
        sub(entry, "id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, identity)))
        sub(entry, "updated", _rfc3339(change["detected_at"]))
        if (change["url"] or "").startswith(("https://", "http://")):  # never javascript:
            sub(entry, "link", href=change["url"])
        details = [
            f"Network: {change['network']}." if change["network"] else "",
            f"Announced: {change['announced']}." if change["announced"] else "",
            f"Source: {change['source']}." if change["source"] else "",
            f"\u201c{change['evidence']}\u201d" if change["evidence"] else "",
        ]
        sub(entry, "summary", " ".join(d for d in details if d) or what)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


@click.command()
@db_option
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Default: stdout.")
@since_option("Only changes detected on or after DATE.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--title", default="TV renewals and cancellations", show_default=True)
def feed(db_path: Path, output: BinaryIO, since: str | None, limit: int, title: str) -> None:
    """Write an Atom feed of the latest flagged changes, for any feed reader."""
    db = open_database(db_path, must_exist=True)
    newest_first = list_changes(db, since)[::-1][:limit]
    output.write(atom_feed(newest_first, title))


@click.command()
@db_option
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Default: stdout."
)
def scorecard(db_path: Path, output: TextIO) -> None:
    """Write the renewal scorecard: one HTML page, a section per network, shows by status."""
    from renewals.scorecard import render_scorecard

    output.write(render_scorecard(open_database(db_path, must_exist=True)))


METADATA = "datasette-metadata.json"


def datasette_metadata(database_name: str) -> dict:
    """The shipped metadata, keyed by this file's name (Datasette names a database by it)."""
    text = resources.files("storage").joinpath(METADATA).read_text("utf-8")
    # links in the descriptions name the database "renewals": make them this file's
    metadata = json.loads(text.replace('href=\\"/renewals', f'href=\\"/{database_name}'))
    metadata["databases"] = {database_name: metadata["databases"]["renewals"]}
    return metadata


@click.command(context_settings={"ignore_unknown_options": True})
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.argument("datasette_args", nargs=-1, type=click.UNPROCESSED)
def serve(db_path: Path, host: str, port: int, datasette_args: tuple[str, ...]) -> None:
    """Open the database in Datasette, with descriptions, canned queries and the scorecard.

    Extra arguments go to `datasette serve`. Needs the `ui` extra: pip install -e '.[ui]'.
    Alert target URLs (which may hold passwords) read as NULL in Datasette.
    """
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install -e '.[ui]'")
    open_database(db_path, must_exist=True)  # migrated, so every view the metadata names exists
    with tempfile.TemporaryDirectory(prefix="renewals-serve-") as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(db_path.stem)), encoding="utf-8")
        plugins = resources.files("renewals").joinpath("datasette_plugins")
        command = [
            sys.executable, "-m", "datasette", "serve", str(db_path), "--metadata", str(metadata),
            "--plugins-dir", str(plugins), "--host", host, "--port", str(port), *datasette_args,
        ]  # fmt: skip
        process = subprocess.Popen(command, preexec_fn=_die_with_parent)
        # Stopping `renewals serve` (SIGTERM from a supervisor, Ctrl-C) stops Datasette too.
        signal.signal(signal.SIGTERM, lambda signum, frame: process.terminate())
        try:
            code = process.wait()
        except KeyboardInterrupt:
            process.terminate()
            code = process.wait()
    sys.exit(code)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when `renewals serve` dies, even by SIGKILL
    (Linux's PR_SET_PDEATHSIG; elsewhere the child outlives a killed parent)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1  # noqa: N806 - the constant's name in <sys/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


REPROCESS_BATCH = 200  # articles a worker extracts per task: big enough to amortise pickling


Extracted = tuple[str, list[dict] | None, str | None]  # url, claims (None: failed), error


PAGE_COLUMNS = ("url", "title", "published", "modified", "body_html", "text")


def _extract_batch(db_path: str, urls: list[str], titles: tuple[str, ...]) -> list[Extracted]:
    """In a worker process: re-extract the claims of stored articles, read from the file,
    and hedge them as the crawl did (`hedge_unsourced`, by the article's stored tier), so a
    rebuild gives what the crawl gave.

    An article the extractor fails on is reported, not fatal: it keeps its previous claims.
    `titles` are the shows the database knew before the rebuild, the same for every batch.
    """
    from crawler.page import ArticlePage
    from pipelines.extract import extract_claims
    from pipelines.unsourced import hedge_unsourced

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        f"select {', '.join(PAGE_COLUMNS)}, tier from articles"
        " where url in (select value from json_each(?))",
        [json.dumps(urls)],
    ).fetchall()
    conn.close()
    results: list[Extracted] = []
    for row in sorted(rows, key=lambda r: r["url"]):
        page = ArticlePage(**{column: row[column] for column in PAGE_COLUMNS})
        try:
            claims = [asdict(claim) for claim in extract_claims(page, titles)]
            results.append((row["url"], hedge_unsourced(claims, row["tier"]), None))
        except Exception as error:  # one odd page must not stop a rebuild of thousands
            results.append((row["url"], None, f"{type(error).__name__}: {error}"))
    return results


@click.command()
@db_option
@click.option(
    "--workers", type=click.IntRange(min=1), help="Processes to extract with. Default: all cores."
)
def reprocess(db_path: Path, workers: int | None) -> None:
    """Re-extract every stored article's claims and rebuild statuses and changes from scratch.

    The rebuilt history depends only on the stored articles, not on the order they were
    crawled in; no alert is sent for the rebuilt past. Takes the crawl lock: a crawl
    consolidating while claims are being replaced would alert on a half-rebuilt history.
    First flags the changes a killed crawl left unconsolidated: their alerts are queued for
    the next crawl or `renewals alerts send`, as the crawl would have queued them.
    """
    from renewals.crawling import CrawlLocked, crawl_lock

    open_database(db_path, must_exist=True)
    try:
        with crawl_lock(db_path):
            _reprocess(db_path, workers)
    except CrawlLocked as locked:
        raise click.ClickException(f"a crawl is running ({locked}); try again after it") from None


def _reprocess(db_path: Path, workers: int | None) -> None:
    db = open_database(db_path, must_exist=True)
    finish_left_work(db, kind="reprocess")
    started = time.monotonic()
    run_id = start_run(db, [], kind="reprocess")
    articles = {
        row["url"]: row
        for row in db.query(
            "select url, source, tier, published, first_fetched_at from articles order by url"
        )
    }
    urls = list(articles)
    titles = tuple(known_titles(db))  # the shows as they stood before this rebuild
    batches = [urls[i : i + REPROCESS_BATCH] for i in range(0, len(urls), REPROCESS_BATCH)]
    workers = workers or default_size()
    claims = 0
    failed: list[tuple[str, str]] = []
    try:
        # forked from this single-threaded process; they end with it, even on SIGKILL
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=guard,
            initargs=(os.getpid(),),
        ) as pool:
            for results in pool.map(_extract_batch, repeat(str(db_path)), batches, repeat(titles)):
                with write_transaction(db):
                    for url, found, error in results:
                        try:
                            if found is None:
                                raise ValueError(error)
                            # a savepoint of its own; not queued: the rebuild consolidates
                            replace_claims(db, articles[url], found, queue=False)
                        except ValueError as problem:
                            failed.append((url, str(problem)))
                            continue
                        claims += len(found)
        extracted = time.monotonic() - started
        changes = rebuild(db, run_id)
    except BaseException:
        finish_run(db, run_id, {"reason": "failed"})
        raise
    finish_run(
        db,
        run_id,
        {
            "reason": "finished",
            "articles": len(urls),
            "claims": claims,
            "changes": changes,
            "errors": len(failed),
            "failed": dict(failed[:100]),
        },
    )
    for url, problem in failed[:10]:
        click.echo(f"warning: kept the previous claims of {url}: {problem}", err=True)
    elapsed = time.monotonic() - started
    rate = len(urls) / extracted if extracted else 0.0
    click.echo(
        f"reprocessed {len(urls)} articles with {workers} workers: {claims} claims,"
        f" {changes} changes in the rebuilt history; extraction {extracted:.2f} s"
        f" ({rate:.1f} articles/s), total {elapsed:.2f} s"
        + (f"; {len(failed)} articles could not be re-extracted" if failed else ""),
        err=True,
    )


LEDGER_COMMANDS = [status, changes, history, export, feed, scorecard, serve, reprocess]
