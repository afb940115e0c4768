"""Alert delivery to real receivers on 127.0.0.1: the message, e-mail, outages, digests,
secrets from the environment, hostile evidence, and the `[alerts]` configuration."""

import html
import time
from pathlib import Path

import pytest
import sqlite_utils

from crawler.sources import SourcesError
from pipelines.alerting import load_alert_config, notify_urls
from pipelines.notify import EVIDENCE_MAX, deliver_pending
from storage import open_db
from storage.outbox import Target, list_deliveries, sync_targets
from tests.alerts_support import JsonReceiver, SmtpReceiver, add_change, free_port

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** [click](javascript:alert(3))"
    " `code` # heading\n\n> quote\u202e\x00 & &amp; " + "very long " * 500
)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_db(tmp_path / "renewals.db")


def statuses(db: sqlite_utils.Database) -> list[str]:
    return [row["status"] for row in list_deliveries(db)]


def test_json_webhook_gets_one_message_with_every_field_and_the_alert_id(db) -> None:
    with JsonReceiver() as receiver:
        sync_targets(db, [Target(receiver.url())])
        change = add_change(db)
        report = deliver_pending(db)
        assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
        assert deliver_pending(db, due_only=False).attempted == 0  # sent means done
    (payload,) = receiver.payloads
    (delivery,) = list_deliveries(db)
    assert delivery["status"] == "sent"
    assert payload["alert_id"] == delivery["alert_id"]
    assert payload["title"] == "Copper Sky: renewed for season 2 -> cancelled after season 1"
    body = payload["message"]
    for text in (
        "Copper Sky: renewed for season 2 -> cancelled after season 1",
        "Network: Netflix",
        "Announced: 2026-06-02",
        "Source: gazette",
        f"Article: {change['url']}",
        f'Evidence: "{change["evidence"]}"',
        f"Alert id: {delivery['alert_id']}",
    ):
        assert text in body


def test_email_arrives_with_subject_and_body(db) -> None:
    with SmtpReceiver() as smtp:
        sync_targets(db, [Target(smtp.url())])
        change = add_change(db)
        assert deliver_pending(db).sent == 1
    (mail,) = smtp.messages
    assert mail["Subject"] == "Copper Sky: renewed for season 2 -> cancelled after season 1"
    assert mail["To"] == "fan@example.com"
    assert mail["X-Renewals-Alert-Id"] == list_deliveries(db)[0]["alert_id"]
    body = mail.get_body(("html",)).get_content()
    assert "<b>Copper Sky: renewed for season 2 -&gt; cancelled after season 1</b>" in body
    assert f'<a href="{change["url"]}">' in body
    assert change["evidence"] in body
    assert list_deliveries(db)[0]["alert_id"] in body


def test_receiver_down_keeps_deliveries_pending_then_delivers_each_exactly_once(db) -> None:
    port = free_port()
    url = f"json://127.0.0.1:{port}/hook"
    sync_targets(db, [Target(url)])
    add_change(db)
    add_change(db, show_key="lantern row", show="Lantern Row")
    report = deliver_pending(db)
    assert (report.sent, report.retrying) == (0, 2)
    rows = list_deliveries(db)
    assert [(r["status"], r["attempts"]) for r in rows] == [("pending", 1), ("pending", 1)]
    assert "127.0.0.1" in rows[0]["last_error"]
    assert deliver_pending(db).attempted == 0  # backing off: a crawl right after waits
    with JsonReceiver(port) as receiver:
        assert deliver_pending(db, due_only=False).sent == 2  # `renewals alerts send`
        assert deliver_pending(db, due_only=False).attempted == 0
    assert sorted(p["title"].split(":")[0] for p in receiver.payloads) == [
        "Copper Sky",
        "Lantern Row",
    ]
    assert statuses(db) == ["sent", "sent"]


def test_a_hung_receiver_costs_one_timeout_per_pass_not_one_per_alert(db) -> None:
    with JsonReceiver(mode="hang") as hung, JsonReceiver() as healthy:
        sync_targets(db, [Target(hung.url(query="rto=0.5")), Target(healthy.url())])
        for n in range(5):
            add_change(db, show_key=f"show {n}", show=f"Show {n}")
        start = time.monotonic()
        report = deliver_pending(db)
        elapsed = time.monotonic() - start
    assert (report.sent, report.retrying) == (5, 5)
    assert len(hung.payloads) == 1  # one try, then the others wait for the next pass
    assert elapsed < 3
    hung_rows = [row for row in list_deliveries(db) if "rto=" in row["url"]]
    assert {(row["status"], row["attempts"]) for row in hung_rows} == {("pending", 1)}
    assert sum("not tried" in row["last_error"] for row in hung_rows) == 4
    assert len(report.errors) == 1


def test_a_receiver_answering_500_is_a_failure_not_a_delivery(db) -> None:
    with JsonReceiver(mode="fail") as receiver:
        sync_targets(db, [Target(receiver.url())])
        add_change(db)
        assert deliver_pending(db).retrying == 1
    assert len(receiver.payloads) == 1
    (row,) = list_deliveries(db)
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "500" in row["last_error"]


def test_more_changes_than_the_digest_threshold_send_one_summary(db) -> None:
    with JsonReceiver() as receiver:
        sync_targets(db, [Target(receiver.url())], digest_after=3)
        for n in range(4):
            add_change(db, show_key=f"show {n}", show=f"Show {n}", run_id=7)
        add_change(db, show_key="next run", show="Next Run", run_id=8)
        assert deliver_pending(db).sent == 5
    digest, single = sorted(receiver.payloads, key=lambda p: p["title"].startswith("Next"))
    assert digest["title"] == "renewals: 4 status changes"
    assert digest["alert_id"].startswith("renewals-digest-")
    for row in list_deliveries(db)[:4]:
        assert row["alert_id"] in digest["message"]
        assert f"{row['message']['show']}: renewed for season 2" in digest["message"]
    assert single["title"].startswith("Next Run:")
    assert statuses(db) == ["sent"] * 5


def test_ten_changes_are_ten_messages(db) -> None:
    with JsonReceiver() as receiver:
        sync_targets(db, [Target(receiver.url())])  # default threshold: more than 10
        for n in range(10):
            add_change(db, show_key=f"show {n}", show=f"Show {n}")
        assert deliver_pending(db).sent == 10
    assert len(receiver.payloads) == 10
    assert len(set(receiver.alert_ids())) == 10


def test_secrets_come_from_the_environment_at_send_time(db, monkeypatch) -> None:
    with JsonReceiver() as receiver:
        url = f"json://alerts:${{HOOK_TOKEN}}@127.0.0.1:{receiver.port}/hook"
        sync_targets(db, [Target(url)])
        add_change(db)
        monkeypatch.delenv("HOOK_TOKEN", raising=False)
        assert deliver_pending(db).retrying == 1
        (row,) = list_deliveries(db)
        assert row["last_error"] == "environment variable HOOK_TOKEN is not set"
        monkeypatch.setenv("HOOK_TOKEN", "s3cret-t0ken")
        assert deliver_pending(db, due_only=False).sent == 1
    assert receiver.headers[0]["Authorization"].startswith("Basic ")
    assert "s3cret-t0ken" not in Path(
        db.conn.execute("pragma database_list").fetchone()[2]
    ).read_text(encoding="latin-1")
    assert list_deliveries(db)[0]["url"] == url


def test_hostile_evidence_is_escaped_and_truncated_for_each_format(db) -> None:
    with JsonReceiver() as receiver, SmtpReceiver() as smtp:
        sync_targets(
            db,
            [
                Target(receiver.url("text")),
                Target(receiver.url("markdown", "format=markdown")),
                Target(receiver.url("html", "format=html")),
                Target(smtp.url()),
            ],
        )
        add_change(
            db,
            show="<b>Copper</b> *Sky*",
            evidence=HOSTILE,
            url="javascript:alert(4)",
            network="[Net](http://evil.example)",
        )
        assert deliver_pending(db).sent == 4
    text, markdown, html_body = (p["message"] for p in receiver.payloads)
    mail = smtp.messages[0].get_body(("html",)).get_content()
    for body in (text, markdown, html_body, mail):
        assert "\x00" not in body and "\u202e" not in body
        assert "very long " * 40 not in body  # truncated ...
        assert "…" in body  # ... and says so
        assert len(body) < EVIDENCE_MAX + 1000
    for body in (html_body, mail):
        assert "<script>" not in body and "<img" not in body and "<b>Copper" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert 'href="javascript' not in body
        assert "&amp;amp;" in body  # "&amp;" in the evidence stays literal text
    assert html.unescape("&lt;b&gt;Copper&lt;/b&gt;") in html.unescape(html_body)
    assert r"\*\*bold\*\*" in markdown
    assert r"\[click\]\(javascript\:alert\(3\)\)" in markdown
    assert r"\[Net\]\(http\:\/\/evil\.example\)" in markdown
    assert r"\<script\>" in markdown
    assert "](javascript" not in markdown and "<javascript" not in markdown
    assert "\n\n> quote" not in markdown  # the evidence cannot open a block of its own
    assert 'Evidence: "<script>alert(1)</script>' in text  # plain text stays literal


def test_a_bad_url_in_the_outbox_fails_that_delivery_only(db) -> None:
    with JsonReceiver() as receiver:
        sync_targets(db, [Target("nosuchscheme://x"), Target(receiver.url())])
        add_change(db)
        report = deliver_pending(db)
    assert (report.sent, report.retrying) == (1, 1)
    assert "not a usable Apprise URL" in report.errors[0]
    assert len(receiver.payloads) == 1


def write_config(tmp_path: Path, alerts: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "gazette"\ntier = 1\nstart_urls = ["http://127.0.0.1:1/feed.xml"]\n\n'
        + alerts,
        encoding="utf-8",
    )
    return path


def test_alerts_table_and_notify_urls_make_the_targets(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
[alerts]
digest_after = 5
give_up_after_hours = 12

[[alerts.target]]
url = "json://127.0.0.1:9/axed"
shows = ["The Copper Sky", "Lantern Row"]
networks = ["Netflix"]
transitions = ["-> cancelled", "renewed -> ending"]
""",
    )
    config = load_alert_config(path, ["json://127.0.0.1:9/all", "json://127.0.0.1:9/axed"])
    assert config.digest_after == 5
    assert config.give_up_after.total_seconds() == 12 * 3600
    axed, everything = config.targets
    assert everything == Target("json://127.0.0.1:9/all")
    assert axed.shows == {"copper sky", "lantern row"}
    assert axed.networks == {"netflix"}
    assert axed.transitions == {(None, "cancelled"), ("renewed", "ending")}


def test_no_alerts_table_means_defaults(tmp_path: Path) -> None:
    config = load_alert_config(write_config(tmp_path, ""), [])
    assert (config.targets, config.digest_after, config.give_up_after.days) == ((), 10, 3)


@pytest.mark.parametrize(
    ("alerts", "notify", "message"),
    [
        ("[alerts]\nretries = 3\n", [], "unknown key 'retries'"),
        ("[alerts]\ndigest_after = 0\n", [], "'digest_after'"),
        ("[alerts]\ngive_up_after_hours = -1\n", [], "'give_up_after_hours'"),
        ('[[alerts.target]]\nurl = "json://h/x"\ntransitions = ["axed"]\n', [], "no '->'"),
        ('[[alerts.target]]\nurl = "json://h/x"\nshow = ["X"]\n', [], "unknown key 'show'"),
        ('[[alerts.target]]\nurl = "json://h/x"\nshows = "X"\n', [], "'shows' must be a list"),
        ("[[alerts.target]]\nshows = []\n", [], "'url'"),
        (
            '[[alerts.target]]\nurl = "json://h/x"\n[[alerts.target]]\nurl = "json://h/x"\n',
            [],
            "twice",
        ),
        ("", ["nosuchscheme://x"], "not a usable Apprise URL"),
        ("", ["json://${RENEWALS_TEST_UNSET}@h/x"], "RENEWALS_TEST_UNSET is not set"),
    ],
)
def test_bad_alert_configuration_is_a_one_line_error(
    tmp_path: Path, alerts: str, notify: list[str], message: str
) -> None:
    with pytest.raises(SourcesError, match=message.replace("(", r"\(")) as error:
        load_alert_config(write_config(tmp_path, alerts), notify)
    assert "\n" not in str(error.value)


def test_notify_setting_from_the_command_line_or_a_list() -> None:
    assert notify_urls(None) == []
    assert notify_urls("json://a/x mailto://b?to=c@d,e@f") == [
        "json://a/x",
        "mailto://b?to=c@d,e@f",
    ]
    assert notify_urls(["json://a/x"]) == ["json://a/x"]
