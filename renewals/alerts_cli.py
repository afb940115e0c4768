"""`renewals alerts`: send what the outbox holds, list it, and check a target."""

from pathlib import Path

import click

from renewals.options import db_option, open_database


@click.group()
def alerts() -> None:
    """Alert deliveries: send pending ones, list them, test a target."""


@alerts.command()
@db_option
def send(db_path: Path) -> None:
    """Try every pending delivery now, whatever its backoff says."""
    from pipelines.notify import deliver_pending

    report = deliver_pending(open_database(db_path, must_exist=True), due_only=False)
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
    """Every delivery, oldest first, one a line: status, alert id, change, target, attempts."""
    from pipelines.notify import change_title
    from storage.outbox import list_deliveries

    for row in list_deliveries(open_database(db_path, must_exist=True)):
        when = row["sent_at"] if row["status"] == "sent" else row["next_attempt_at"]
        line = (
            f"{row['status']:<7}  {row['alert_id']}  {change_title(row['message'])}"
            f"  -> {row['url']}  attempts={row['attempts']}  "
            f"{'sent_at' if row['status'] == 'sent' else 'next_attempt_at'}={when}"
        )
        if row["last_error"]:
            line += f"  error={row['last_error']}"
        click.echo(line)


@alerts.command()
@click.argument("url")
def test(url: str) -> None:
    """Send a test message to an Apprise URL, to check a target works."""
    from pipelines.notify import render_test, send

    error = send(url, render_test)
    if error is not None:
        raise click.ClickException(f"test alert not delivered: {error}")
    click.echo("test alert sent", err=True)
