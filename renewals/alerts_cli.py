"""`renewals alerts`: send what the outbox holds, list it, and check a target."""

from pathlib import Path

import click

from renewals.options import db_option, finish_left_work, open_database


@click.group()
def alerts() -> None:
    """Alert deliveries: send pending ones, list them, purge failed ones, test a target."""


@alerts.command()
@db_option
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    metavar="SECONDS",
    help="If a crawl is running (it sends pending alerts as it ends), wait this long for it.",
)
def send(db_path: Path, wait: float) -> None:
    """Try every pending delivery now, whatever its backoff says.

    Takes the crawl lock, so a crawl ending meanwhile cannot send the same alert twice, and
    first flags the changes a killed crawl left unconsolidated (their alerts go too).
    """
    from pipelines.notify import deliver_pending
    from renewals.crawling import CrawlLocked, crawl_lock

    db = open_database(db_path, must_exist=True)
    try:
        with crawl_lock(db_path, wait):
            finish_left_work(db, kind="alerts send")
            report = deliver_pending(db, due_only=False)
    except CrawlLocked as locked:
        raise click.ClickException(
            f"a crawl is running ({locked}); it sends the pending alerts as it ends"
        ) from None
    click.echo(
        f"alerts: {report.sent} sent, {report.retrying} pending, {report.failed} given up",
        err=True,
    )
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} message(s) not delivered; first: {report.errors[0]}"
        )


@alerts.command(name="list")
@db_option
def list_(db_path: Path) -> None:
    """Every delivery, oldest first, one a line: status, alert id, change, target (passwords
    and tokens masked), attempts."""
    from pipelines.notify import change_title, mask_url
    from storage.outbox import list_deliveries

    when = {"sent": "sent_at", "pending": "next_attempt_at", "failed": "first_failed_at"}
    rows = list_deliveries(open_database(db_path, must_exist=True))
    if not rows:
        click.echo(
            "no deliveries (alerts are queued when a crawl with --notify flags a change)",
            err=True,
        )
    for row in rows:
        line = (
            f"{row['status']:<7}  {row['alert_id']}  {change_title(row['message'])}"
            f"  to {mask_url(row['url'])}  attempts={row['attempts']}"
            f"  {when[row['status']]}={row[when[row['status']]]}"
        )
        if row["last_error"]:
            line += f"  error={row['last_error']}"
        click.echo(line)


@alerts.command()
@db_option
def purge(db_path: Path) -> None:
    """Delete the deliveries given up on (failed); their changes stay in the database."""
    from storage.outbox import purge_failed

    removed = purge_failed(open_database(db_path, must_exist=True))
    click.echo(f"removed {removed} failed deliver{'y' if removed == 1 else 'ies'}", err=True)


@alerts.command()
@click.argument("url")
def test(url: str) -> None:
    """Send a test message to an Apprise URL, to check a target works."""
    from pipelines.notify import render_test, send

    error = send(url, render_test)
    if error is not None:
        raise click.ClickException(f"test alert not delivered: {error}")
    click.echo("test alert sent", err=True)
