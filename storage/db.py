"""The SQLite schema, in one place: `open_db` creates it or migrates it to the current version.

The schema version lives in `PRAGMA user_version`; each entry of `MIGRATIONS` takes the file
one version further, so an old database is upgraded in place when any command opens it.
"""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_SECONDS = 30.0  # a crawl and an analyst's export may overlap: wait, don't fail
CACHE_KIB = 32_000  # SQLite's default 2 MB cache makes listing every show re-read pages
# The WAL is truncated back to this size once a checkpoint has emptied it: a reader that held
# an old snapshot (an analyst's open transaction) no longer leaves a huge file behind.
WAL_SIZE_LIMIT = 64 * 1024 * 1024


class DatabaseError(Exception):
    """The database file cannot be used; the message is one line, fit for the command line."""


@contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction that takes the write lock first (BEGIN IMMEDIATE), nesting as a savepoint.

    `db.atomic()` begins a deferred transaction, and sqlite-utils reads the schema before it
    writes; upgrading that read to a write while another process writes fails at once with
    "database is locked", without waiting for the busy timeout. Taking the lock up front waits.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise


def _create_v1(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"name": str, "tier": int, "start_urls": str}, pk="name", if_not_exists=True
    )
    db["runs"].create(
        {
            "id": int,
            "kind": str,  # "crawl" or "reprocess"
            "started_at": str,
            "finished_at": str,
            "status": str,
            "pages": int,
            "articles": int,
            "claims": int,
            "changes": int,
            "errors": int,
            "detail": str,  # JSON: per-source counts
        },
        pk="id",
        not_null={"started_at", "status"},
        defaults={"kind": "crawl"},
        if_not_exists=True,
    )
    db["articles"].create(
        {
            "url": str,
            "source": str,
            "tier": int,
            "title": str,
            "published": str,
            "modified": str,
            "body_html": str,
            "text": str,
            "fetched_at": str,  # the latest fetch
            "first_fetched_at": str,  # never moves: undated claims keep their place in time
            "first_run_id": int,
            "last_run_id": int,
        },
        pk="url",
        if_not_exists=True,
    )
    db["shows"].create(
        {
            "key": str,
            "title": str,
            "first_seen_at": str,
            # the consolidated status, copied from the latest snapshot for fast reads
            "status": str,
            "season": int,
            "network": str,
            "since": str,
            "url": str,
            "snapshot_id": int,
        },
        pk="key",
        if_not_exists=True,
    )
    db["show_aliases"].create(
        {"show_key": str, "alias": str}, pk=("show_key", "alias"), if_not_exists=True
    )
    db["claims"].create(
        {
            "id": int,
            "article_url": str,
            "show_key": str,
            "show": str,
            "season": int,
            "status": str,
            "network": str,
            "announced": str,
            "confidence": float,
            "evidence": str,
            # copied from the article so consolidation reads one table, one index range
            "effective": str,  # announced, else published, else first fetched
            "source": str,
            "tier": int,
            "fetched_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["snapshots"].create(
        {
            "id": int,
            "show_key": str,
            "status": str,
            "season": int,
            "network": str,
            "since": str,
            "announced": str,
            "taken_at": str,
            "run_id": int,
            "url": str,
            "evidence": str,
            "source": str,
            "tier": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["changes"].create(
        {
            "id": int,
            "show_key": str,
            "show": str,
            "season": int,
            "from_status": str,
            "from_season": int,
            "to_status": str,
            "to_season": int,
            "network": str,
            "announced": str,
            "detected_at": str,
            "run_id": int,
            "url": str,
            "evidence": str,
            "source": str,
            "snapshot_id": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["dispute_records"].create(
        {
            "show_key": str,
            "url": str,
            "status": str,
            "season": int,
            "network": str,
            "effective": str,
            "source": str,
            "tier": int,
            "evidence": str,
            "against_status": str,
            "against_season": int,
            "against_url": str,
            "against_tier": int,
            "detected_at": str,
            "run_id": int,
        },
        pk=("show_key", "url", "status"),
        if_not_exists=True,
    )
    indexes = {
        "claims": [["show_key", "effective"], ["article_url"]],
        "articles": [["source"], ["published"]],
        "snapshots": [["show_key", "id"], ["taken_at"]],
        "changes": [["detected_at"], ["show_key", "id"], ["to_status"], ["network"]],
        "shows": [["status"], ["network"]],
        "dispute_records": [["detected_at"]],
    }
    for table, columns_list in indexes.items():
        for columns in columns_list:
            db[table].create_index(columns, if_not_exists=True)
    db["articles"].enable_fts(["title", "text"], create_triggers=True)


VIEWS = {
    "current_status": """
        select title as show, status, season, network, since, url, source, detected_at,
               (select count(*) from dispute_records d where d.show_key = shows.key) as disputes
        from shows where status is not null""",
    "status_history": """
        select shows.title as show, snapshots.status, snapshots.season, snapshots.network,
               snapshots.since, snapshots.taken_at, snapshots.run_id, snapshots.url,
               snapshots.source, snapshots.evidence, snapshots.show_key, snapshots.id
        from snapshots join shows on shows.key = snapshots.show_key""",
    "recent_changes": """
        select detected_at, show, from_status, from_season, to_status, to_season, network,
               announced, url, source, evidence, run_id, id
        from changes
        where detected_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-30 days')""",
    "disputes": """
        select shows.title as show, shows.status as current_status,
               shows.season as current_season, d.status as claimed_status,
               d.season as claimed_season, d.source, d.tier, d.url, d.evidence,
               d.against_url, d.detected_at, d.show_key
        from dispute_records d join shows on shows.key = d.show_key""",
}


def _views_out_of_date(db: sqlite_utils.Database) -> bool:
    """Whether any analysts' view differs from `VIEWS` (a read: cheap on every open)."""
    stored = dict(db.execute("select name, sql from sqlite_master where type = 'view'").fetchall())
    return any(not (stored.get(name) or "").endswith(sql.strip()) for name, sql in VIEWS.items())


def _create_views(db: sqlite_utils.Database) -> None:
    """The analysts' views in their latest form: they hold no data, so they are replaced
    whenever their definition here changes, without a schema version."""
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def _create_v2_crawl_state(db: sqlite_utils.Database) -> None:
    """Tables of `storage.crawl_state`: listing validators, and article URLs downloaded."""
    db["feed_validators"].create(
        {"url": str, "etag": str, "last_modified": str, "checked_at": str},
        pk="url",
        if_not_exists=True,
    )
    db["fetched_urls"].create(
        {"url": str, "first_fetched_at": str, "last_fetched_at": str},
        pk="url",
        if_not_exists=True,
    )


def _create_v3_alert_outbox(db: sqlite_utils.Database) -> None:
    """Tables of `storage.outbox`: alert targets (URLs as configured, `${ENV}` unexpanded) and
    one delivery per change per target, with its own copy of the message."""
    db["alert_targets"].create(
        {
            "id": int,
            "url": str,
            "shows": str,  # JSON lists; empty lets everything through
            "networks": str,
            "transitions": str,
            "digest_after": int,
            "give_up_after": int,  # seconds
            "active": int,  # configured for the latest crawl: new changes are enqueued for it
            "updated_at": str,
        },
        pk="id",
        not_null={"url"},
        if_not_exists=True,
    )
    db["alert_targets"].create_index(["url"], unique=True, if_not_exists=True)
    db["alert_deliveries"].create(
        {
            "id": int,
            "change_id": int,
            "target_id": int,
            "alert_id": str,  # stable per change: receivers dedupe on it
            "message": str,  # JSON
            "status": str,  # pending, sent or failed (given up)
            "attempts": int,
            "last_error": str,
            "next_attempt_at": str,
            "first_failed_at": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        not_null={"change_id", "target_id", "alert_id", "message", "status", "created_at"},
        foreign_keys=[("target_id", "alert_targets", "id")],
        if_not_exists=True,
    )
    db["alert_deliveries"].create_index(["alert_id", "target_id"], unique=True, if_not_exists=True)
    db["alert_deliveries"].create_index(["status", "next_attempt_at"], if_not_exists=True)


def _show_source_v4(db: sqlite_utils.Database) -> None:
    """The current status's source and detection time on `shows`: listing every show's status
    is then one table scan in title order, no join (issue 4: under 50 ms for 10,000 shows)."""
    db["shows"].add_column("source", str)
    db["shows"].add_column("detected_at", str)
    db.execute(
        "update shows set (source, detected_at) = (select source, taken_at from snapshots"
        " where snapshots.id = shows.snapshot_id) where snapshot_id is not null"
    )
    db.execute("create index if not exists idx_shows_title on shows (title collate nocase)")


def _robots_cache_v5(db: sqlite_utils.Database) -> None:
    """robots.txt answers of `storage.crawl_state`, reused for a day instead of refetched."""
    db["robots_cache"].create(
        {"url": str, "status": int, "body": bytes, "fetched_at": str}, pk="url", if_not_exists=True
    )


CLAIM_COLUMNS = (
    "show_key, article_url, ordinal, show, season, status, network, announced, confidence,"
    " evidence, effective, source, tier, fetched_at"
)


def _cluster_claims_v6(db: sqlite_utils.Database) -> None:
    """Claims stored in show order (a WITHOUT ROWID table keyed by show, article, ordinal).

    Consolidation reads every claim of the shows a crawl touched; in a rowid table those rows
    are scattered over the whole file (one page read each), clustered they are contiguous:
    half the read time for 1,000 shows of a 1,000,000-claim database, and `reprocess` reads
    the whole table in show order without an index.
    """
    db.execute(
        """create table claims_clustered (
            show_key text not null, article_url text not null, ordinal integer not null,
            show text, season integer, status text, network text, announced text,
            confidence float, evidence text,
            effective text, -- announced, else published, else first fetched (YYYY-MM-DD)
            source text, tier integer, fetched_at text,
            primary key (show_key, article_url, ordinal)
        ) without rowid"""
    )
    db.execute(
        f"insert into claims_clustered ({CLAIM_COLUMNS}) select show_key, article_url,"
        " row_number() over (partition by show_key, article_url order by id) - 1, show, season,"
        " status, network, announced, confidence, evidence, effective, source, tier, fetched_at"
        " from claims"
    )
    db.execute("drop table claims")
    db.execute("alter table claims_clustered rename to claims")
    db["claims"].create_index(["article_url"], if_not_exists=True)


def _consolidation_queue_v7(db: sqlite_utils.Database) -> None:
    """Shows whose claims changed since they were last consolidated, and the process of a run.

    The queue is written in the same transaction as the claims, and emptied in the one that
    consolidates: a crawl killed in between leaves its work here for the next run, instead of
    in memory. A run's pid tells a run left `running` by a dead process from a live one.
    """
    db["consolidation_queue"].create(
        {"show_key": str, "queued_at": str}, pk="show_key", if_not_exists=True
    )
    db["runs"].add_column("pid", int)


def _fts_by_batch_v8(db: sqlite_utils.Database) -> None:
    """`storage.articles.save_articles` keeps the full-text index, two statements a batch:
    the triggers sqlite-utils made cost a statement per row, and re-indexed an article's text
    whenever any of its columns changed."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f"drop trigger if exists {trigger}")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _create_v1,
    _create_v2_crawl_state,
    _create_v3_alert_outbox,
    _show_source_v4,
    _robots_cache_v5,
    _cluster_claims_v6,
    _consolidation_queue_v7,
    _fts_by_batch_v8,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _schema_version(db: sqlite_utils.Database, path: Path) -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"cannot open database {path}: schema version {version} is newer than "
            f"this program's {SCHEMA_VERSION}"
        )
    return version


def checkpoint(db: sqlite_utils.Database) -> int:
    """Copy the WAL into the database as far as readers allow, without waiting for them.

    Returns how many WAL pages are left behind because a reader still holds an older
    snapshot (0: the WAL can be reused from its start by the next write).
    """
    _, wal_pages, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return max(wal_pages - copied, 0)


def open_db(path: str | Path) -> sqlite_utils.Database:
    """Open the database file, creating or migrating its schema; WAL on, 30 s busy timeout."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"cannot open database {path}: it is a directory")
    if not path.exists() and not path.parent.resolve().is_dir():
        raise DatabaseError(f"cannot open database {path}: no such directory {path.parent}")
    if not os.access(path if path.exists() else path.parent.resolve(), os.W_OK):
        raise DatabaseError(f"cannot open database {path}: permission denied (not writable)")
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS)
        db = sqlite_utils.Database(conn)
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        version = _schema_version(db, path)
        if version < SCHEMA_VERSION:
            db.enable_wal()
        if version < SCHEMA_VERSION or _views_out_of_date(db):
            with write_transaction(db):
                version = _schema_version(db, path)  # another process may have just migrated
                for migrate in MIGRATIONS[version:]:
                    migrate(db)
                _create_views(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.Error as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DatabaseError(f"cannot open database {path}: {message}") from error
    return db
