"""`renewals status` and `renewals changes` (and friends) through click's CliRunner."""

import json
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
    assert lines[0].split() == [
        "show", "status", "season", "network", "since", "source", "url", "disputes",
    ]  # fmt: skip
    assert lines[1].split()[:4] == ["Soundtrack", "cancelled", "2", "Netflix"]
    assert lines[1].split()[-1] == "0"
    assert lines[2].split()[:5] == ["The", "Rookie", "renewed", "3", "ABC"]
    assert lines[2].split()[-1] == "1"  # a blog says it was cancelled: see `history`


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
    assert "renewed/2" in result.output and "cancelled/2" in result.output
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
    assert invoke("history", "--db", str(db_path), "Nope").exit_code == 1


def test_export_csv_and_json_with_tmdb_and_tvmaze_values(db_path: Path, tmp_path: Path) -> None:
    result = invoke("export", "--db", str(db_path))
    lines = result.output.splitlines()
    assert lines[0] == "show,status,season,network,since,url,source,tmdb_status,tvmaze_status"
    assert lines[1].startswith("Soundtrack,cancelled,2,Netflix,2020-03-02,https://d/3,deadline,")
    assert lines[1].endswith(",Canceled,Ended")
    out = tmp_path / "statuses.json"
    assert invoke("export", "--db", str(db_path), "--format", "json", "-o", str(out)).exit_code == 0
    rows = json.loads(out.read_text())
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
        entry.findtext(f"{atom}title") == "Soundtrack: renewed season 2 \u2192 cancelled season 2"
    )
    assert entry.find(f"{atom}link").get("href") == "https://d/3"
    assert entry.findtext(f"{atom}id").startswith("urn:uuid:")
    again = CliRunner().invoke(cli, ["feed", "--db", str(db_path)]).stdout_bytes
    assert again == result.stdout_bytes  # entry ids and times are stable: readers see no dupes
    empty = CliRunner().invoke(cli, ["feed", "--db", str(db_path), "--since", "2021"])
    assert ET.fromstring(empty.stdout_bytes).findall(f"{atom}entry") == []


def _fake_extractor(page) -> list:
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
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 1  # Datasette
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert not os.path.exists(f"/proc/{children[0]}")  # stopped with it, not orphaned


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
