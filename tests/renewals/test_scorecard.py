"""The scorecard of the demo database, rendered by a real headless Chromium (Debian's
`chromium` package; .ci/run installs it): a screenshot, and the rendered page read back."""

import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from renewals.demo import run_demo
from storage import consolidate, open_db, save_article, start_run
from tests.helpers import run_renewals
from tests.storage.conftest import SOURCES, article, claim

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium): not rendered"
)
PHONE = "--window-size=412,915"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("demo"))


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """One headless Chromium run, with its own profile; it exits when the page is done."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += [f"--user-data-dir={tmp_path / 'profile'}", PHONE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@needs_chromium
def test_every_show_is_under_its_network_and_status_in_the_rendered_page(
    demo_db: Path, tmp_path: Path
) -> None:
    page = tmp_path / "scorecard.html"
    written = run_renewals("scorecard", "--db", str(demo_db), "-o", str(page))
    assert written.returncode == 0, written.stderr

    screenshot = tmp_path / "scorecard.png"
    shot = chromium(tmp_path, f"--screenshot={screenshot}", page.as_uri())
    assert shot.returncode == 0, shot.stderr
    assert screenshot.read_bytes().startswith(b"\x89PNG") and screenshot.stat().st_size > 10_000

    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    rendered = lxml.html.fromstring(dom.stdout)
    placed = {
        (
            item.get("data-show"),
            item.xpath("ancestor::section[1]")[0].get("data-network"),
            item.xpath("ancestor::div[@data-status][1]")[0].get("data-status"),
        )
        for item in rendered.xpath("//li[contains(@class, 'show')]")
    }
    statuses = run_renewals("status", "--db", str(demo_db), "--json").stdout.splitlines()
    expected = {(s["show"], s["network"], s["status"]) for s in map(json.loads, statuses)}
    assert placed == expected and len(expected) == 3
    glass = rendered.xpath("//li[@data-show='The Glass Orchard']")[0].text_content()
    assert "cancelled after season 1" in glass and "was renewed for season 2" in glass
    assert "changed" in rendered.xpath("//li[@data-show='The Glass Orchard']")[0].get("class")
    links = rendered.xpath("//li[@data-show='Velvet Circuit']//a/@href")
    assert links and links[0].endswith("/2026/11/velvet-circuit-cancelled-hulu/")


def test_the_scorecard_of_an_empty_database_says_to_crawl_first(tmp_path: Path) -> None:
    db = tmp_path / "renewals.db"
    open_db(db).close()
    result = run_renewals("scorecard", "--db", str(db))
    assert result.returncode == 0 and "No statuses yet" in result.stdout


def test_disputes_are_marked_and_only_last_weeks_changes_are_highlighted(tmp_path: Path) -> None:
    path = tmp_path / "renewals.db"
    db = open_db(path)
    run = start_run(db, SOURCES)
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
        consolidate(db, run, save_article(db, article(url, source, published), claims, run))
    run = start_run(db, SOURCES)
    keys = save_article(
        db,
        article("https://d/3", "deadline", "2020-03-03"),
        [claim("Soundtrack", "cancelled", 2, network="Netflix")],
        run,
    )
    keys |= save_article(
        db,
        article("https://seo/1", "seoblog", "2020-03-04"),
        [claim("Rookie", "cancelled", 3)],
        run,
    )
    consolidate(db, run, keys)
    db.close()

    page = lxml.html.fromstring(run_renewals("scorecard", "--db", str(path)).stdout)
    rookie = page.xpath("//li[@data-show='The Rookie']")[0]
    assert "disputed" in rookie.get("class") and "disputed" in rookie.text_content()
    soundtrack = page.xpath("//li[@data-show='Soundtrack']")[0]
    assert "changed" in soundtrack.get("class")  # renewed -> cancelled, flagged just now
    assert "was renewed for season 2" in soundtrack.text_content()

    db = open_db(path)
    db.execute("update changes set detected_at = '2020-03-05T08:00:00+00:00'")
    db.conn.commit()
    page = lxml.html.fromstring(run_renewals("scorecard", "--db", str(path)).stdout)
    assert page.xpath("//li[contains(@class, 'changed')]") == []  # older than 7 days
