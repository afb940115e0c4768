"""`renewals alerts list` and `send` on an outbox holding sent, pending and given-up deliveries."""

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from renewals.cli import cli
from storage import open_db
from storage.outbox import Target, pending_deliveries, record_attempt, sync_targets, utc_now
from tests.alerts_support import JsonReceiver, add_change, free_port


def test_list_shows_each_delivery_with_its_status_and_send_retries_the_pending(
    tmp_path: Path,
) -> None:
    path = tmp_path / "renewals.db"
    db = open_db(path)
    down = f"json://127.0.0.1:{free_port()}/hook"
    with JsonReceiver() as up:
        sync_targets(db, [Target(up.url()), Target(down)], give_up_after=timedelta(hours=1))
        add_change(db)
        first, second = pending_deliveries(db)
        record_attempt(db, [first["id"]], None)
        record_attempt(db, [second["id"]], "connection refused", now=utc_now() - timedelta(hours=2))
        record_attempt(db, [second["id"]], "connection refused")  # failing for 2 h: given up
        add_change(db, show_key="lantern row", show="Lantern Row")  # pending, never tried

        listed = CliRunner().invoke(cli, ["alerts", "list", "--db", str(path)])
        assert listed.exit_code == 0, listed.output
        lines = listed.output.splitlines()
        assert [line.split()[0] for line in lines] == ["sent", "failed", "pending", "pending"]
        assert "Copper Sky: renewed for season 2 -> cancelled after season 1" in lines[0]
        assert "attempts=2" in lines[1] and "error=connection refused" in lines[1]
        assert f"to {down}" in lines[1]

        sent = CliRunner().invoke(cli, ["alerts", "send", "--db", str(path)])
    assert sent.exit_code == 1  # the down target's new delivery did not go out
    assert "alerts: 1 sent, 1 pending, 0 given up" in sent.output
    assert "1 message(s) not delivered; first: " + down in sent.output
    assert [p["title"].split(":")[0] for p in up.payloads] == ["Lantern Row"]


def test_list_and_send_need_an_existing_database(tmp_path: Path) -> None:
    for command in ("list", "send"):
        result = CliRunner().invoke(cli, ["alerts", command, "--db", str(tmp_path / "no.db")])
        assert result.exit_code == 1
        assert "database not found" in result.output


def test_list_says_when_there_is_nothing_and_purge_drops_only_the_given_up(tmp_path: Path) -> None:
    path = tmp_path / "renewals.db"
    db = open_db(path)
    empty = CliRunner().invoke(cli, ["alerts", "list", "--db", str(path)])
    assert empty.exit_code == 0 and empty.output.startswith("no deliveries")

    down = f"json://127.0.0.1:{free_port()}/hook"
    sync_targets(db, [Target(down)], give_up_after=timedelta(hours=1))
    add_change(db)
    add_change(db, show_key="lantern row", show="Lantern Row")
    given_up, pending = pending_deliveries(db)
    record_attempt(db, [given_up["id"]], "refused", now=utc_now() - timedelta(hours=2))
    record_attempt(db, [given_up["id"]], "refused")

    purged = CliRunner().invoke(cli, ["alerts", "purge", "--db", str(path)])
    assert purged.exit_code == 0 and "removed 1 failed delivery" in purged.output
    listed = CliRunner().invoke(cli, ["alerts", "list", "--db", str(path)]).output.splitlines()
    assert len(listed) == 1 and listed[0].startswith("pending") and "Lantern Row" in listed[0]
    assert db["changes"].count == 2  # the changes themselves stay
