"""The command line through its entry point: demo, extract, and one-line errors."""

import subprocess
import sys
from pathlib import Path

from tests.helpers import TEST_SITE, json_lines, run_renewals, write_sources

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_demo_flags_a_renewed_to_cancelled_change(tmp_path):
    result = run_renewals("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "The Glass Orchard" in result.stdout
    change_lines = result.stdout.split("flagged changes", 1)[1]
    assert "renewed" in change_lines and "cancelled" in change_lines
    assert "demo.db" in result.stdout


def test_extract_prints_claims_and_reports_unreadable_paths(tmp_path):
    page = TEST_SITE / "articles" / "2026" / "05" / "copper-sky-renewed" / "index.html"
    result = run_renewals("extract", str(tmp_path / "missing.html"), str(page))
    assert result.returncode == 1
    error_lines = result.stderr.strip().splitlines()
    assert len(error_lines) == 1 and "missing.html" in error_lines[0]
    claims = json_lines(result.stdout)
    assert [(c["show"], c["season"], c["status"]) for c in claims] == [("Copper Sky", 2, "renewed")]
    assert claims[0]["file"] == str(page)
    assert claims[0]["published"] == "2026-05-01"


def test_sources_file_with_a_typo_is_a_one_line_error(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "x"\ntier = 1\nstart_url = ["http://127.0.0.1/"]\n')
    result = run_renewals("crawl", "--sources", str(sources), "--db", str(tmp_path / "r.db"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "start_url" in result.stderr


def test_missing_sources_file_and_unusable_database_are_one_line_errors(tmp_path):
    missing = run_renewals("crawl", "--sources", str(tmp_path / "nope.toml"))
    assert missing.returncode != 0 and "nope.toml" in missing.stderr
    assert missing.stderr.strip().count("\n") == 0

    sources = write_sources(
        tmp_path / "s.toml", [{"name": "a", "tier": 1, "start_urls": ["http://127.0.0.1:9/"]}]
    )
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is not a database\n" * 100)
    for db in (tmp_path, not_a_db):  # a directory, and a file that is not SQLite
        result = run_renewals("crawl", "--sources", str(sources), "--db", str(db))
        assert result.returncode != 0
        assert result.stderr.strip().count("\n") == 0, result.stderr


def test_bad_setting_override_is_rejected(tmp_path):
    result = run_renewals("crawl", "-s", "DOWNLOAD_DELAY", "--db", str(tmp_path / "r.db"))
    assert result.returncode == 2
    assert "NAME=VALUE" in result.stderr


def test_scrapy_list_names_the_spider():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "news" in result.stdout.split()
