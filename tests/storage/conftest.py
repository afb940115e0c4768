"""A real SQLite file per test, and a shorthand for storing an article with its claims."""

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils

from storage import open_db, save_article, start_run

SOURCES = [
    {"name": "deadline", "tier": 1, "start_urls": ["https://deadline.example/feed"]},
    {"name": "tvline", "tier": 2, "start_urls": ["https://tvline.example/feed"]},
    {"name": "seoblog", "tier": 3, "start_urls": ["https://seoblog.example/feed"]},
    {"name": "fanpage", "tier": 3, "start_urls": ["https://fanpage.example/feed"]},
]
TIERS = {source["name"]: source["tier"] for source in SOURCES}


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_db(tmp_path / "renewals.db")


@pytest.fixture
def run(db: sqlite_utils.Database) -> int:
    return start_run(db, SOURCES)


def claim(show: str, status: str, season: int | None = None, **more: object) -> dict:
    return {
        "show": show,
        "season": season,
        "status": status,
        "network": more.get("network"),
        "announced": more.get("announced"),
        "confidence": more.get("confidence", 0.9),
        "evidence": more.get("evidence", f"{show} {status} {season}"),
    }


def article(url: str, source: str = "deadline", published: str | None = None, **more) -> dict:
    return {
        "url": url,
        "source": source,
        "tier": TIERS[source],
        "title": more.get("title", f"Article {url}"),
        "published": published,
        "modified": None,
        "body_html": "<p>body</p>",
        "text": more.get("text", "body"),
        "fetched_at": more.get("fetched_at", "2024-06-01T12:00:00+00:00"),
    }


@pytest.fixture
def store(db: sqlite_utils.Database, run: int) -> Callable[..., set[str]]:
    """store(url, claims, source=..., published=..., run_id=...) -> show keys."""

    def save(url: str, claims: list[dict], run_id: int | None = None, **kwargs) -> set[str]:
        return save_article(db, article(url, **kwargs), claims, run_id or run)

    return save
