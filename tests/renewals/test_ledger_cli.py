"""`renewals status` and `renewals changes` (and friends) through click's CliRunner."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from renewals.cli import cli
from storage import consolidate, open_db, save_article, start_run
from tests.storage.conftest import SOURCES, article, claim


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Two crawls: Soundtrack renewed then cancelled; The Rookie renewed; a dispute."""
    path = tmp_path / "renewals.db"
    db = open_db(path)
    run1 = start_run(db, SOURCES)
    for url, source, published, claims in [
        (
            "https://d/1",
            "deadline",
            "2020-01-10",
            [claim("Soundtrack", "renewed", 2, network="Netflix")],
        ),
        (
            "https://d/2",
            "deadline",
            "2020-02-01",
            [claim("The Rookie", "renewed", 3, network="ABC")],
        ),
    ]:
        keys = save_article(db, article(url, source, published), claims, run1)
        consolidate(db, run1, keys)
    run2 = start_run(db, SOURCES)
    keys = save_article(
        db,
        article("https://d/3", "deadline", "2020-03-03"),
        [claim("Soundtrack", "cancelled", 2, network="Netflix", announced="2020-03-02")],
        run2,
    )
    keys |= save_article(
        db,
        article("https://seo/1", "seoblog", "2020-03-04"),
        [claim("Rookie", "cancelled", 3)],
        run2,
    )
    consolidate(db, run2, keys)
    db.execute("update changes set detected_at = '2020-03-05T08:00:00+00:00'")
    db.conn.commit()
    return path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_status_table(db_path: Path) -> None:
    result = invoke("status", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["show", "status", "network", "since", "source", "url", "disputes"]
    # the season as a reader says it: cancelled at season 2 is "after season 1"
    assert lines[1].split()[:6] == ["Soundtrack", "cancelled", "after", "season", "1", "Netflix"]
    assert lines[1].split()[-1] == "0"
    assert lines[2].split()[:7] == ["The", "Rookie", "renewed", "for", "season", "3", "ABC"]
    assert lines[2].split()[-1] == "1"  # a blog says it was cancelled: see `history`
    csv_lines = invoke("status", "--db", str(db_path), "--csv").output.splitlines()
    assert csv_lines[0] == "show,status,season,network,since,source,url,disputes"
    assert csv_lines[1] == "Soundtrack,cancelled,2,Netflix,2020-03-02,deadline,https://d/3,0"


def test_status_json_lines_carry_the_spec_fields(db_path: Path) -> None:
    result = invoke("status", "--db", str(db_path), "--json")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert {"show", "status", "season", "network", "since", "url"} <= set(records[0])
    assert [(r["show"], r["status"]) for r in records] == [
        ("Soundtrack", "cancelled"),
        ("The Rookie", "renewed"),
    ]


def test_status_of_one_show_by_any_spelling(db_path: Path) -> None:
    result = invoke("status", "--db", str(db_path), "--json", "rookie")
    assert [json.loads(line)["show"] for line in result.output.splitlines()] == ["The Rookie"]


def test_status_filters(db_path: Path) -> None:
    result = invoke("status", "--db", str(db_path), "--json", "--status", "cancelled")
    assert [json.loads(line)["show"] for line in result.output.splitlines()] == ["Soundtrack"]
    result = invoke("status", "--db", str(db_path), "--json", "--network", "abc")
    assert [json.loads(line)["show"] for line in result.output.splitlines()] == ["The Rookie"]


def test_status_of_an_unknown_show_is_an_error(db_path: Path) -> None:
    result = invoke("status", "--db", str(db_path), "Nope")
    assert result.exit_code == 1
    assert "no status known for 'Nope'" in result.output


def test_changes_json(db_path: Path) -> None:
    result = invoke("changes", "--db", str(db_path), "--json")
    assert result.exit_code == 0, result.output
    (change,) = [json.loads(line) for line in result.output.splitlines()]
    assert {
        k: change[k]
        for k in ("show", "season", "from_status", "from_season", "to_status", "to_season", "url")
    } == {
        "show": "Soundtrack",
        "season": 2,
        "from_status": "renewed",
        "from_season": 2,
        "to_status": "cancelled",
        "to_season": 2,
        "url": "https://d/3",
    }
    assert change["detected_at"] == "2020-03-05T08:00:00+00:00"


def test_changes_table_and_since(db_path: Path) -> None:
    result = invoke("changes", "--db", str(db_path))
    assert "renewed for season 2" in result.output and "cancelled after season 1" in result.output
    csv_lines = invoke("changes", "--db", str(db_path), "--csv").output.splitlines()
    assert csv_lines[0].startswith("show,season,from_status,from_season,to_status,to_season,")
    assert csv_lines[1].startswith("Soundtrack,2,renewed,2,cancelled,2,Netflix,2020-03-02,")
    assert (
        invoke("changes", "--db", str(db_path), "--since", "2020-03-05").output.count("Soundtrack")
        == 1
    )
    assert invoke("changes", "--db", str(db_path), "--since", "2020-03-06").output == "no changes\n"


@pytest.mark.parametrize("bad", ["yesterday", "2020-13-01", "20200101"])
def test_a_bad_date_is_a_one_line_usage_error(db_path: Path, bad: str) -> None:
    result = invoke("changes", "--db", str(db_path), "--since", bad)
    assert result.exit_code == 2
    assert "expected a date" in result.output


def test_a_missing_database_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    result = invoke("status", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: database not found: {tmp_path / 'none.db'}"
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n" * 100)
    result = invoke("changes", "--db", str(path))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "file is not a database" in result.output


def test_status_as_of_a_date_before_anything_was_seen(db_path: Path) -> None:
    assert invoke("status", "--db", str(db_path), "--as-of", "2001-01-01").output == "no statuses\n"


def test_status_as_of_reads_the_snapshots(db_path: Path) -> None:
    db = open_db(db_path)
    db.execute(
        "update snapshots set taken_at = '2020-01-11T09:00:00+00:00' where status = 'renewed'"
    )
    db.execute(
        "update snapshots set taken_at = '2020-03-05T08:00:00+00:00' where status = 'cancelled'"
    )
    db.conn.commit()
    result = invoke("status", "--db", str(db_path), "--json", "--as-of", "2020-02-01")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["show"], r["status"]) for r in rows] == [
        ("Soundtrack", "renewed"),
        ("The Rookie", "renewed"),
    ]
    result = invoke("status", "--db", str(db_path), "--json", "--as-of", "2020-03-05", "soundtrack")
    assert [json.loads(line)["status"] for line in result.output.splitlines()] == ["cancelled"]


def test_history_shows_the_timeline_with_sources_and_disputes(db_path: Path) -> None:
    result = invoke("history", "--db", str(db_path), "The Rookie")
    assert result.exit_code == 0, result.output
    assert "open disputes" in result.output and "seoblog" in result.output
    timeline = json.loads(invoke("history", "--db", str(db_path), "--json", "soundtrack").output)
    assert [(s["status"], s["season"]) for s in timeline["snapshots"]] == [
        ("renewed", 2),
        ("cancelled", 2),
    ]
    assert [c["url"] for c in timeline["claims"]] == ["https://d/1", "https://d/3"]
    assert [c["verdict"] for c in timeline["claims"]] == ["superseded", "used"]
    assert invoke("history", "--db", str(db_path), "Nope").exit_code == 1


def test_history_says_which_claims_were_set_aside_and_why(db_path: Path) -> None:
    db = open_db(db_path)
    run = start_run(db, SOURCES)
    keys = save_article(
        db,
        article("https://d/4", "deadline", "2020-04-01"),
        [claim("The Rookie", "renewed", 3, network="ABC"), claim("The Rookie", "renewed", 2)],
        run,
    )
    keys |= save_article(
        db,
        article("https://d/5", "deadline", "2020-04-02"),
        [claim("The Rookie", "cancelled", 4, confidence=0.3)],
        run,
    )
    consolidate(db, run, keys)
    timeline = json.loads(invoke("history", "--db", str(db_path), "--json", "The Rookie").output)
    verdicts = {(c["url"], c["status"], c["season"]): c["verdict"] for c in timeline["claims"]}
    assert verdicts == {
        ("https://d/2", "renewed", 3): "used",
        ("https://seo/1", "cancelled", 3): "disputed",  # a lone tier-3 source
        ("https://d/4", "renewed", 3): "confirms",
        ("https://d/4", "renewed", 2): "confirms",
        ("https://d/5", "cancelled", 4): "hedged",
    }
    table = invoke("history", "--db", str(db_path), "The Rookie").output
    assert "disputed  a tier-3 source against a tier-1 status" in table


def test_export_csv_and_json_with_tmdb_and_tvmaze_values(db_path: Path, tmp_path: Path) -> None:
    result = invoke("export", "--db", str(db_path))
    lines = result.output.splitlines()
    assert lines[0] == "show,status,season,network,since,url,source,tmdb_status,tvmaze_status"
    assert lines[1].startswith("Soundtrack,cancelled,2,Netflix,2020-03-02,https://d/3,deadline,")
    assert lines[1].endswith(",Canceled,Ended")
    out = tmp_path / "statuses.json"
    assert invoke("export", "--db", str(db_path), "--format", "json", "-o", str(out)).exit_code == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]  # JSON lines
    assert [(r["show"], r["tmdb_status"], r["tvmaze_status"]) for r in rows] == [
        ("Soundtrack", "Canceled", "Ended"),
        ("The Rookie", "Returning Series", "Running"),
    ]
    assert invoke("export", "--db", str(db_path), "--format", "xml").exit_code == 2


def test_feed_is_atom_with_one_entry_per_change(db_path: Path) -> None:
    import xml.etree.ElementTree as ET

    result = CliRunner().invoke(cli, ["feed", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(result.stdout_bytes)
    assert root.tag == f"{atom}feed"
    assert root.findtext(f"{atom}updated") == "2020-03-05T08:00:00Z"
    (entry,) = root.findall(f"{atom}entry")
    assert (
        entry.findtext(f"{atom}title")
        == "Soundtrack: renewed for season 2 \u2192 cancelled after season 1"
    )
    assert entry.find(f"{atom}link").get("href") == "https://d/3"
    assert entry.findtext(f"{atom}id").startswith("urn:uuid:")
    again = CliRunner().invoke(cli, ["feed", "--db", str(db_path)]).stdout_bytes
    assert again == result.stdout_bytes  # entry ids and times are stable: readers see no dupes
    empty = CliRunner().invoke(cli, ["feed", "--db", str(db_path), "--since", "2021"])
    assert ET.fromstring(empty.stdout_bytes).findall(f"{atom}entry") == []


def _fake_extractor(page, known_titles=()) -> list:
    """Stands in for pipelines.extract: one claim per article, read from its text."""
    from dataclasses import make_dataclass

    claim = make_dataclass(
        "Claim",
        ["show", "season", "status", "network", "announced", "confidence", "evidence"],
    )
    if page.text == "boom":
        raise RuntimeError("the extractor choked")
    show, status, season = page.text.split("|")
    return [claim(show, int(season), status, None, None, 0.9, page.text)]


def test_reprocess_rebuilds_claims_and_history_without_alerts(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    from storage.outbox import Target, sync_targets

    db = open_db(db_path)
    texts = {
        "https://d/1": "Soundtrack|renewed|2",
        "https://d/2": "The Rookie|renewed|3",
        "https://d/3": "Soundtrack|renewed|3",  # the improved extractor reads d/3 differently
        "https://seo/1": "The Rookie|renewed|3",
    }
    for url, text in texts.items():
        db["articles"].update(url, {"text": text})
    sync_targets(db, [Target("json://127.0.0.1:9/hook")])
    fake = types.ModuleType("pipelines.extract")
    fake.extract_claims = _fake_extractor
    monkeypatch.setitem(sys.modules, "pipelines.extract", fake)  # workers are forked
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db_path), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "reprocessed 4 articles with 2 workers: 4 claims" in result.stderr
    rows = [
        json.loads(line)
        for line in invoke("changes", "--db", str(db_path), "--json").output.splitlines()
    ]
    assert [
        (r["show"], r["from_status"], r["from_season"], r["to_status"], r["to_season"])
        for r in rows
    ] == [("Soundtrack", "renewed", 2, "renewed", 3)]
    assert db["dispute_records"].count == 0
    assert db["alert_deliveries"].count == 0
    run = db.execute(
        "select kind, status, articles, claims, changes from runs order by id desc"
    ).fetchone()
    assert run == ("reprocess", "finished", 4, 4, 1)


def test_serve_without_datasette_says_how_to_install_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    result = invoke("serve", "--db", str(db_path))
    assert result.exit_code == 1
    assert "pip install -e '.[ui]'" in result.output


def test_metadata_names_only_tables_and_views_that_exist(tmp_path: Path) -> None:
    from renewals.ledger_cli import datasette_metadata

    db = open_db(tmp_path / "anything.db")
    metadata = datasette_metadata("anything")
    (database,) = metadata["databases"].values()
    assert set(database["tables"]) <= set(db.table_names()) | set(db.view_names())
    for query in database["queries"].values():
        db.execute(
            "explain " + query["sql"],
            {p: "x" for p in ("year", "network", "since", "date", "query")},
        )


@pytest.mark.skipif(sys.platform != "linux", reason="finds Datasette with procps and /proc")
def test_serve_starts_datasette_with_the_metadata(db_path: Path) -> None:
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("datasette")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "renewals", "serve", "--db", str(db_path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/renewals/open_disputes.json?_shape=array"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    rows = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        assert [(r["show"], r["claimed_status"], r["source"]) for r in rows] == [
            ("The Rookie", "cancelled", "seoblog")
        ]
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/scorecard", timeout=5) as response:
            scorecard = response.read().decode()
        assert 'data-show="Soundtrack"' in scorecard and "cancelled after season 1" in scorecard
        with urllib.request.urlopen(f"{base}/renewals/current_status", timeout=5) as response:
            table = response.read().decode()
        assert 'href="/renewals/status_history?show=The+Rookie&amp;_sort=id"' in table
        assert ">key<" not in table  # the internal show key is not shown
        with urllib.request.urlopen(f"{base}/renewals", timeout=5) as response:
            database_page = response.read().decode()
        assert "alert_deliveries" not in database_page and "robots_cache" not in database_page
        assert 'href="/scorecard"' in database_page
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 1  # Datasette
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert not os.path.exists(f"/proc/{children[0]}")  # stopped with it, not orphaned


def test_reprocess_passes_the_stored_shows_to_the_real_extractor(db_path: Path) -> None:
    db = open_db(db_path)
    body = "<p>Netflix is done with Soundtrack, the streamer confirmed.</p>"
    db["articles"].update("https://d/3", {"body_html": body})
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    claims = db.execute(
        "select show, status from claims where article_url = 'https://d/3'"
    ).fetchall()
    assert claims == [("Soundtrack", "cancelled")]


def test_reprocess_keeps_the_claims_of_an_article_it_cannot_re_extract(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    db = open_db(db_path)
    texts = {
        "https://d/1": "Soundtrack|renewed|2",
        "https://d/2": "boom",
        "https://d/3": "Soundtrack|wobbly|3",  # a status outside the vocabulary
        "https://seo/1": "The Rookie|cancelled|3",
    }
    for url, text in texts.items():
        db["articles"].update(url, {"text": text})
    fake = types.ModuleType("pipelines.extract")
    fake.extract_claims = _fake_extractor
    monkeypatch.setitem(sys.modules, "pipelines.extract", fake)
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(db_path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "2 articles could not be re-extracted" in result.stderr
    assert "https://d/2: RuntimeError: the extractor choked" in result.stderr
    assert "https://d/3: claim status must be one of" in result.stderr
    kept = db.execute("select status, season from claims where article_url = 'https://d/3'")
    assert kept.fetchall() == [("cancelled", 2)]  # as the crawl stored it
    assert db.execute("select errors from runs order by id desc").fetchone() == (2,)


def statuses(result) -> list[tuple[str, str]]:
    assert result.exit_code == 0, result.output
    return [(row["show"], row["status"]) for row in map(json.loads, result.output.splitlines())]


def test_announced_by_and_believed_on_answer_different_questions(db_path: Path) -> None:
    # The decisions date from 2020; the crawls that saw them ran today.
    announced = invoke("status", "--db", str(db_path), "--json", "--announced-by", "2020-02-15")
    assert statuses(announced) == [("Soundtrack", "renewed"), ("The Rookie", "renewed")]
    later = invoke("status", "--db", str(db_path), "--json", "--announced-by", "2020-03-02")
    assert statuses(later) == [("Soundtrack", "cancelled"), ("The Rookie", "renewed")]
    believed = invoke("status", "--db", str(db_path), "--json", "--believed-on", "2020-02-15")
    assert statuses(believed) == []  # nothing had been crawled in 2020
    day = datetime.now(UTC).date().isoformat()
    today = invoke("status", "--db", str(db_path), "--json", "--believed-on", day)
    assert statuses(today) == statuses(later)
    both = invoke("status", "--db", str(db_path), "--announced-by", "2020", "--as-of", "2020")
    assert both.exit_code == 2 and "pick one" in both.output


def test_a_space_for_the_t_and_a_span_back_from_now_are_dates(db_path: Path) -> None:
    spaced = invoke("changes", "--db", str(db_path), "--json", "--since", "2020-03-05 07:59")
    assert len(spaced.output.splitlines()) == 1  # detected 2020-03-05T08:00
    assert invoke("changes", "--db", str(db_path), "--since", "7d").output == "no changes\n"


def test_changes_limit_keeps_the_latest(db_path: Path) -> None:
    db = open_db(db_path)
    db.execute("update changes set detected_at = '2020-01-01T00:00:00+00:00' where id = 1")
    add = "insert into changes (show_key, show, to_status, to_season, detected_at)"
    db.execute(add + " values ('x', 'X', 'renewed', 2, '2020-04-01T00:00:00+00:00')")
    db.conn.commit()
    result = invoke("changes", "--db", str(db_path), "--json", "--limit", "1")
    assert [json.loads(line)["show"] for line in result.output.splitlines()] == ["X"]


def test_status_canceled_is_cancelled_and_the_database_can_come_from_the_environment(
    db_path: Path,
) -> None:
    result = CliRunner(env={"RENEWALS_DB": str(db_path)}).invoke(
        cli, ["status", "--json", "--status", "Canceled"]
    )
    assert statuses(result) == [("Soundtrack", "cancelled")]
    bad = invoke("status", "--db", str(db_path), "--status", "axed")
    assert bad.exit_code == 2 and "'axed' is not one of renewed, cancelled" in bad.output


@pytest.mark.parametrize(
    "since, found",
    [
        ("2020-03-05T08:00:00+00:00", 1),  # a time copied from a table
        ("2020-03-05T08:00:01Z", 0),
        ("2020-03-05T09:00:00+01:00", 1),  # 08:00 UTC
        ("2020-03-05 08:00", 1),
    ],
)
def test_times_with_a_zone_compare_in_utc(db_path: Path, since: str, found: int) -> None:
    result = invoke("changes", "--db", str(db_path), "--json", "--since", since)
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == found


def test_changes_since_is_when_detected_and_announced_since_when_decided(db_path: Path) -> None:
    # Soundtrack's cancellation: announced 2020-03-02, detected by a crawl 2020-03-05.
    def shows(*options: str) -> list[str]:
        result = invoke("changes", "--db", str(db_path), "--json", *options)
        assert result.exit_code == 0, result.output
        return [json.loads(line)["show"] for line in result.output.splitlines()]

    assert shows("--announced-since", "2020-03-02") == ["Soundtrack"]
    assert shows("--announced-since", "2020-03-03") == []
    assert shows("--since", "2020-03-03") == ["Soundtrack"]
