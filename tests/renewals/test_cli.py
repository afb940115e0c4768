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
    assert (
        "  The Glass Orchard: renewed for season 2 -> cancelled after season 1"
        " (Netflix, announced 2026-11-19)\n" in result.stdout
    )
    alerts = result.stdout.split("the alert each change would have sent", 1)[1]
    assert alerts.count("Alert id: renewals-change-") == 2
    assert 'Evidence: "In a rare reversal, Netflix has cancelled The Glass Orchard' in alerts
    db = result.stdout.rsplit("renewals status --db ", 1)[1].split()[0]
    assert db.endswith("demo.db")
    assert f"renewals scorecard --db {db} -o scorecard.html" in result.stdout
    assert f"renewals serve --db {db}" in result.stdout


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


def test_extract_with_a_database_recognises_the_shows_it_stores(tmp_path):
    from storage import consolidate, open_db, save_article, start_run
    from tests.storage.conftest import SOURCES, article, claim

    db_path = tmp_path / "renewals.db"
    db = open_db(db_path)
    run_id = start_run(db, SOURCES)
    save_article(db, article("https://d/1"), [claim("Lowlands", "cancelled", 2)], run_id)
    consolidate(db, run_id, {"lowlands"})
    saved = tmp_path / "roundup.html"
    saved.write_text(
        "<html><body><h1>What stays and what goes</h1>"
        "<p>Hulu is done with Lowlands, the streamer confirmed.</p>"
        "</body></html>"
    )
    alone = run_renewals("extract", str(saved))
    known = run_renewals("extract", "--db", str(db_path), str(saved))
    assert alone.returncode == 0 and json_lines(alone.stdout) == []
    assert known.returncode == 0, known.stderr
    assert [(c["show"], c["status"]) for c in json_lines(known.stdout)] == [
        ("Lowlands", "cancelled")
    ]
    missing = run_renewals("extract", "--db", str(tmp_path / "none.db"), str(saved))
    assert missing.returncode != 0 and missing.stderr.strip().count("\n") == 0
    assert "none.db" in missing.stderr


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


def test_extract_says_which_inputs_it_skipped_and_why(tmp_path):
    inputs = {
        "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "data.json": b'{"show": "Copper Sky", "status": "renewed"}\n',
        "empty.html": b"",
        "blob.bin": b"\x00\x01\x02 renewed for season 2",
    }
    for name, data in inputs.items():
        (tmp_path / name).write_bytes(data)
    result = run_renewals("extract", *(str(tmp_path / name) for name in inputs))
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"skipped {tmp_path / 'logo.png'}: a PNG image",
        f"skipped {tmp_path / 'data.json'}: JSON, not HTML",
        f"skipped {tmp_path / 'empty.html'}: empty",
        f"skipped {tmp_path / 'blob.bin'}: a binary file",
    ]


def test_extract_reads_standard_input_for_a_dash():
    page = TEST_SITE / "articles" / "2026" / "05" / "copper-sky-renewed" / "index.html"
    result = subprocess.run(
        [sys.executable, "-m", "renewals", "extract", "--url", "https://x.example/a", "-"],
        input=page.read_bytes(),
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    claims = json_lines(result.stdout.decode())
    assert [(c["file"], c["show"], c["status"]) for c in claims] == [("-", "Copper Sky", "renewed")]


def test_check_reads_the_configuration_without_crawling_or_leaving_a_file(tmp_path):
    sources = write_sources(
        tmp_path / "s.toml", [{"name": "a", "tier": 2, "start_urls": ["http://127.0.0.1:9/"]}]
    )
    db = tmp_path / "renewals.db"
    result = run_renewals(
        "check", "--sources", str(sources), "--db", str(db), "--notify", "json://127.0.0.1:9/x"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "sources: 1: a (tier 2)",
        "alert targets: 1",
        f"database: {db} can be created",
    ]
    assert list(tmp_path.iterdir()) == [sources]

    sources.write_text(sources.read_text() + 'allow = ["("]\n')
    broken = run_renewals("check", "--sources", str(sources), "--db", str(db))
    assert broken.returncode == 1 and len(broken.stderr.splitlines()) == 1
