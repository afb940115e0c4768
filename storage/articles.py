"""Writing fetched articles and their claims; the crawler's seen-set."""

import calendar
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlite_utils

from storage.db import CLAIM_COLUMNS, write_transaction
from storage.ledger import utc_now
from storage.queries import show_key

ARTICLE_FIELDS = (
    "url", "source", "tier", "title", "published", "modified", "body_html", "text", "fetched_at",
)  # fmt: skip


def effective_date(announced: str | None, published: str | None, fetched: str | None) -> str:
    """The day a claim's decision was made, as best we know, as YYYY-MM-DD.

    An exact `announced` day wins. "Announced in March 2026" is the last day of March, or the
    publication day if earlier: the decision was known by then, so it sorts after a decision
    reported on March 2nd, never before it. Without `announced`: published, else first fetched.
    Nothing is announced after the article reporting it: a later date is a misreading.
    """
    known_by = (published or fetched or utc_now())[:10]
    if not announced:
        return known_by
    try:
        if len(announced) >= 10:
            return min(date.fromisoformat(announced[:10]).isoformat(), known_by)
        year, _, month = announced.partition("-")
        last_month = int(month) if month else 12
        end = date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])
    except ValueError:
        return known_by  # an unreadable date cannot place the decision
    return min(end.isoformat(), known_by)


def save_article(
    db: sqlite_utils.Database, article: dict[str, Any], claims: list[dict], run_id: int
) -> set[str]:
    """Store an article with its claims, replacing the claims an earlier fetch produced.

    One transaction (a savepoint inside a caller's batch), so a reader never sees an article
    with half of its claims. The first fetch time and run are kept, so re-crawling never moves
    an undated claim later in time. Returns the keys of the shows the claims are about.

    The key is `url` (the page's canonical URL); when another source stored that URL, the
    article is stored under `fetched_url`, the URL it was fetched from. When another source
    stored that one too, ArticleOfAnotherSource is raised and nothing is stored.
    """
    (stored,) = save_articles(db, [(article, claims)], run_id)
    if isinstance(stored, Exception):
        raise stored
    return stored


def save_articles(
    db: sqlite_utils.Database, batch: list[tuple[dict[str, Any], list[dict]]], run_id: int
) -> list[set[str] | Exception]:
    """Store articles with their claims in one transaction, each as `save_article` says.

    Each article is a savepoint: one that fails is rolled back alone, and its exception takes
    its place in the result (the others' show keys). The full-text index is brought up to date
    in two statements for the whole batch, not by a trigger per row: the batch's stored rows
    leave the index first, and come back (new or, for a failed article, as they were) last.
    """
    keys = (article.get(name) for article, _ in batch for name in ("url", "fetched_url"))
    urls = json.dumps([key for key in dict.fromkeys(keys) if key])
    results: list[set[str] | Exception] = []
    with write_transaction(db):
        db.execute(UNINDEX_ARTICLES, [urls])
        for article, claims in batch:
            try:
                results.append(_store_article(db, article, claims, run_id))
            except Exception as error:  # noqa: BLE001 - that article alone is rolled back
                results.append(error)
        db.execute(INDEX_ARTICLES, [urls])
    return results


def _store_article(
    db: sqlite_utils.Database, article: dict[str, Any], claims: list[dict], run_id: int
) -> set[str]:
    row = {name: article.get(name) for name in ARTICLE_FIELDS}
    row["fetched_at"] = row["fetched_at"] or utc_now()
    row["last_run_id"] = run_id
    keys = dict.fromkeys(key for key in (row["url"], article.get("fetched_url")) if key)
    with write_transaction(db):
        for key in keys:
            # One statement: insert, or update all but the first fetch, returning the first
            # fetch; nothing when another source stored the URL.
            stored = db.execute(UPSERT_ARTICLE, {**row, "url": key}).fetchall()
            if stored:
                ((first_fetched,),) = stored
                article_row = {**row, "url": key, "first_fetched_at": first_fetched}
                return replace_claims(db, article_row, claims)
        (owner,) = db.execute("select source from articles where url = ?", [key]).fetchone()
        raise ArticleOfAnotherSource(f"{key} is an article of source {owner!r}")


class ArticleOfAnotherSource(ValueError):
    """The URL is stored as another source's article: one source never replaces another's."""


_BATCH_ROWS = "from articles where url in (select value from json_each(?))"
# An external-content FTS5 index forgets a row only when told its indexed values.
UNINDEX_ARTICLES = (
    "insert into articles_fts (articles_fts, rowid, title, text)"
    f" select 'delete', rowid, title, text {_BATCH_ROWS}"
)
INDEX_ARTICLES = (
    f"insert into articles_fts (rowid, title, text) select rowid, title, text {_BATCH_ROWS}"
)


_UPDATED = (*ARTICLE_FIELDS[1:], "last_run_id")
UPSERT_ARTICLE = (
    f"insert into articles ({', '.join(ARTICLE_FIELDS)}, last_run_id, first_fetched_at,"
    f" first_run_id) values ({', '.join(':' + name for name in ARTICLE_FIELDS)}, :last_run_id,"
    " :fetched_at, :last_run_id) on conflict(url) do update set "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPDATED)
    + " where articles.source is excluded.source returning first_fetched_at"
)


STATUSES = {"renewed", "cancelled", "ending", "pending"}


def _status(value: object) -> str:
    """SPEC's vocabulary; American spelling in, `cancelled` out. Anything else is a bug upstream."""
    status = str(value or "").strip().lower().replace("canceled", "cancelled")
    if status not in STATUSES:
        raise ValueError(f"claim status must be one of {sorted(STATUSES)}, got {value!r}")
    return status


def _season(value: object) -> int | None:
    """A season is a positive whole number or unknown (None)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"claim season must be a whole number or None, got {value!r}")
    try:
        season = int(value)
    except ValueError:
        raise ValueError(f"claim season must be a whole number or None, got {value!r}") from None
    if season < 1:
        raise ValueError(f"claim season must be 1 or more, got {value!r}")
    return season


def replace_claims(
    db: sqlite_utils.Database, article: dict[str, Any], claims: list[dict], queue: bool = True
) -> set[str]:
    """Put `claims` in place of the stored article's claims; upsert their shows and spellings.

    `article` is the stored row (url, source, tier, published, first_fetched_at). Returns the
    keys of the shows the claims are about; those and the ones the article's earlier claims were
    about are queued for consolidation (unless `queue` is False: `renewals reprocess`, whose
    rebuild consolidates every show and must alert no one). A claim with an unknown status or
    a season that is not a positive whole number raises ValueError (and the caller's
    transaction rolls back).
    """
    url, first_fetched = article["url"], article["first_fetched_at"]
    rows, shows, aliases = [], {}, set()
    for claim in claims:
        title = (claim.get("show") or "").strip()
        key = show_key(title)
        if not key:
            continue
        shows.setdefault(key, title)
        aliases.add((key, title))
        rows.append(
            {
                "article_url": url,
                "show_key": key,
                "ordinal": len(rows),  # with the show and article, the claim's key
                "show": title,
                "season": _season(claim.get("season")),
                "status": _status(claim.get("status")),
                "network": claim.get("network"),
                "announced": claim.get("announced"),
                "confidence": claim.get("confidence"),
                "evidence": claim.get("evidence"),
                "effective": effective_date(
                    claim.get("announced"), article["published"], first_fetched
                ),
                "source": article["source"],
                "tier": article["tier"],
                "fetched_at": first_fetched,
            }
        )
    with write_transaction(db):
        # The shows the article spoke of before, too: a claim withdrawn can move a status.
        touched = set(shows) | {
            row[0]
            for row in db.execute(
                "select distinct show_key from claims where article_url = ?", [url]
            ).fetchall()
        }
        db.execute("delete from claims where article_url = ?", [url])
        db.conn.executemany(INSERT_CLAIM, rows)
        db.conn.executemany(
            "insert or ignore into shows (key, title, first_seen_at) values (?, ?, ?)",
            [(k, t, first_fetched) for k, t in shows.items()],
        )
        db.conn.executemany(
            "insert or ignore into show_aliases (show_key, alias) values (?, ?)", sorted(aliases)
        )
        if queue:
            queue_for_consolidation(db, touched)
    return set(shows)


def queue_for_consolidation(db: sqlite_utils.Database, show_keys: Iterable[str]) -> None:
    """Mark shows as needing consolidation, in the caller's transaction (see storage.db v7)."""
    now = utc_now()
    db.conn.executemany(
        "insert or ignore into consolidation_queue (show_key, queued_at) values (?, ?)",
        [(key, now) for key in sorted(show_keys)],
    )


_CLAIM_FIELDS = [name.strip() for name in CLAIM_COLUMNS.split(",")]
INSERT_CLAIM = (
    f"insert into claims ({CLAIM_COLUMNS})"
    f" values ({', '.join(':' + name for name in _CLAIM_FIELDS)})"
)


def seen_urls(db: sqlite_utils.Database, urls: Iterable[str]) -> set[str]:
    """Which of these article URLs are already stored."""
    return {
        row["url"]
        for row in db.query(
            "select url from articles where url in (select value from json_each(?))",
            [json.dumps(list(urls))],
        )
    }
