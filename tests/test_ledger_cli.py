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
    assert lines[0].split() == ["show", "status", "season", "network", "since", "source", "url"]
    assert lines[1].split()[:4] == ["Soundtrack", "cancelled", "2", "Netflix"]
    assert lines[2].split()[:5] == ["The", "Rookie", "renewed", "3", "ABC"]


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
