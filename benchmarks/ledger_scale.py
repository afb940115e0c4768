"""How the ledger scales: a synthetic database of 100,000 articles and 1,000,000 claims.

    python benchmarks/ledger_scale.py [--db FILE] [--articles N] [--claims-per-article N]

Builds the database through the real schema (`storage.open_db`), replays every show once
(`storage.ledger.rebuild`) so snapshots and changes exist, then times, as the median of
`--repeat` runs in this process (so Python's start-up is not counted; it is printed once):

- `renewals status` (every show, table and --json), `renewals status SHOW`,
- `renewals changes --since DATE`, and `current_statuses(db, show)`,
- a crawl that adds 1,000 claims: `save_article` for 100 articles, then `consolidate`.

Targets (issue 4): each read under 50 ms; re-consolidation after 1,000 new claims under 2 s.

    python benchmarks/ledger_scale.py --reprocess-pages DIR [--copies N] [--workers N]

instead stores every HTML page under DIR `--copies` times (distinct URLs), as a crawl would,
and times `renewals reprocess` on it, which prints its articles per second.
"""

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from renewals.cli import cli
from storage import consolidate, current_statuses, open_db, save_article, start_run
from storage.ledger import rebuild

STATUSES = ["renewed", "cancelled", "ending", "pending"]
STATUS_WEIGHTS = [50, 25, 10, 15]
NETWORKS = ["Netflix", "HBO", "ABC", "NBC", "CBS", "Fox", "Hulu", "Prime Video", "Peacock", None]
WORDS = ["the", "series", "network", "season", "renewed", "cancelled", "order", "drama"]
SOURCES = [
    {"name": f"source{i}", "tier": 1 + i % 3, "start_urls": [f"https://source{i}.example/feed"]}
    for i in range(20)
]


def build(db_path: Path, articles: int, claims_per_article: int, shows: int, seed: int) -> None:
    rng = random.Random(seed)
    db = open_db(db_path)
    run_id = start_run(db, SOURCES)
    titles = [f"Show {n:05d}" for n in range(shows)]
    keys = [title.lower() for title in titles]
    weights = [1 / (rank + 1) ** 0.6 for rank in range(shows)]  # some shows make more news
    db["shows"].insert_all(
        ({"key": k, "title": t, "first_seen_at": "2010-01-01"} for k, t in zip(keys, titles)),  # noqa: B905
        pk="key",
        batch_size=5000,
    )  # fmt: skip
    start = date(2010, 1, 1)
    article_rows, claim_rows = [], []
    for i in range(articles):
        source = SOURCES[i % len(SOURCES)]
        published = (start + timedelta(days=rng.randrange(365 * 16))).isoformat()
        fetched = f"{published}T{rng.randrange(24):02d}:00:00+00:00"
        url = f"https://{source['name']}.example/{published[:4]}/article-{i}"
        article_rows.append(
            {
                "url": url, "source": source["name"], "tier": source["tier"],
                "title": f"Article {i}", "published": published, "modified": None,
                "body_html": "", "text": " ".join(rng.choices(WORDS, k=60)),
                "fetched_at": fetched, "first_fetched_at": fetched,
                "first_run_id": run_id, "last_run_id": run_id,
            }
        )  # fmt: skip
        picked = rng.choices(range(shows), weights=weights, k=claims_per_article)
        for ordinal, n in enumerate(picked):
            claim_rows.append(
                {
                    "article_url": url, "show_key": keys[n], "ordinal": ordinal,
                    "show": titles[n],
                    "season": rng.randrange(1, 12),
                    "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                    "network": rng.choice(NETWORKS), "announced": None,
                    "confidence": round(rng.uniform(0.3, 1.0), 2), "evidence": "synthetic",
                    "effective": published, "source": source["name"], "tier": source["tier"],
                    "fetched_at": fetched,
                }
            )  # fmt: skip
        if len(article_rows) == 10_000 or i == articles - 1:
            with db.atomic():
                db["articles"].insert_all(article_rows, batch_size=2000)
                db["claims"].insert_all(claim_rows, batch_size=5000)
            article_rows, claim_rows = [], []
    db.close()


def median_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, max) wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def cli_action(*args: str) -> Callable[[], object]:
    runner = CliRunner()

    def run() -> None:
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output

    return run


def crawl_adding_claims(db_path: Path, articles: int, per_article: int, shows: int) -> dict:
    """A crawl of `articles` new articles with `per_article` claims each, then consolidation."""
    db = open_db(db_path)
    run_id = start_run(db, SOURCES)
    rng = random.Random(run_id)
    touched: set[str] = set()
    started = time.perf_counter()
    for i in range(articles):
        published = (date(2026, 1, 1) + timedelta(days=i % 300)).isoformat()
        article = {
            "url": f"https://source0.example/2026/new-{run_id}-{i}", "source": "source0",
            "tier": 1, "title": f"New {i}", "published": published, "modified": None,
            "body_html": "", "text": "new", "fetched_at": f"{published}T12:00:00+00:00",
        }  # fmt: skip
        claims = [
            {
                "show": f"Show {rng.randrange(shows):05d}", "season": rng.randrange(1, 14),
                "status": rng.choice(STATUSES), "network": "Netflix", "announced": None,
                "confidence": 0.9, "evidence": "new",
            }
            for _ in range(per_article)
        ]  # fmt: skip
        touched |= save_article(db, article, claims, run_id)
    saved = time.perf_counter()
    changes = consolidate(db, run_id, touched)
    done = time.perf_counter()
    db.close()
    return {
        "shows": len(touched),
        "changes": len(changes),
        "save_s": saved - started,
        "consolidate_s": done - saved,
    }


def reprocess_benchmark(pages: Path, copies: int, workers: int | None, db_path: Path) -> None:
    """Store saved pages as crawled articles, then run `renewals reprocess` in a new process."""
    from crawler.page import parse_article

    files = sorted(pages.rglob("*.html"))
    if not files:
        sys.exit(f"no .html files under {pages}")
    db = open_db(db_path)
    run_id = start_run(db, SOURCES)
    with db.atomic():
        for path in files:
            page = parse_article(path.read_bytes(), f"https://source1.example/{path.stem}")
            for copy in range(copies):
                article = {
                    "url": f"https://source1.example/{copy}/{path.relative_to(pages)}",
                    "source": "source1", "tier": 2, "title": page.title,
                    "published": page.published, "modified": page.modified,
                    "body_html": page.body_html, "text": page.text,
                    "fetched_at": "2026-01-01T00:00:00+00:00",
                }  # fmt: skip
                save_article(db, article, [], run_id)
    db.close()
    print(f"{len(files)} pages x {copies} copies stored in {db_path}")
    command = [sys.executable, "-m", "renewals", "reprocess", "--db", str(db_path)]
    if workers:
        command += ["--workers", str(workers)]
    print("$ " + " ".join(command[1:]))
    subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="Keep the database here (default: a temp dir).")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims-per-article", type=int, default=10)
    parser.add_argument("--shows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="Time an existing --db without rebuilding it."
    )
    parser.add_argument("--reprocess-pages", type=Path, metavar="DIR")
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.mkdtemp(prefix="ledger-scale-")) / "scale.db"
    if args.reprocess_pages:
        reprocess_benchmark(args.reprocess_pages, args.copies, args.workers, db_path)
        return
    if db_path.exists() and not args.reuse:
        sys.exit(f"{db_path} exists: give a new path, or --reuse it")
    if not args.reuse:
        started = time.perf_counter()
        build(db_path, args.articles, args.claims_per_article, args.shows, args.seed)
        built = time.perf_counter()
        db = open_db(db_path)
        changes = rebuild(db, start_run(db, [], kind="reprocess"))
        replayed = time.perf_counter()
        print(f"build (bulk insert, FTS triggers): {built - started:.1f} s")
        print(f"rebuild (replay every show, {changes:,} changes): {replayed - built:.1f} s")
    db = open_db(db_path)
    counts = {t: db[t].count for t in ("articles", "claims", "shows", "snapshots", "changes")}
    since = db.execute(
        "select detected_at from changes order by detected_at desc limit 1 offset 100"
    ).fetchone()[0][:10]
    one_show = db.execute(
        "select title from shows where status is not null order by key limit 1 offset 500"
    ).fetchone()[0]
    recent = db.execute("select count(*) from changes where detected_at >= ?", [since]).fetchone()
    print(f"database: {db_path} ({db_path.stat().st_size / 1e6:.1f} MB)")
    print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))

    d = str(db_path)
    timings = {
        "renewals status (table, all shows)": cli_action("status", "--db", d),
        "renewals status --json (all shows)": cli_action("status", "--db", d, "--json"),
        f"renewals status {one_show!r}": cli_action("status", "--db", d, one_show),
        f"renewals changes --since {since} ({recent[0]} rows)": cli_action(
            "changes", "--db", d, "--since", since
        ),
        f"renewals changes --json --since {since}": cli_action(
            "changes", "--db", d, "--json", "--since", since
        ),
        f"current_statuses(db, {one_show!r})": lambda: current_statuses(db, one_show),
        "current_statuses(db) (all shows)": lambda: current_statuses(db),
    }
    print(f"\nmedian / max of {args.repeat} runs, in this process:")
    for name, action in timings.items():
        med, worst = median_ms(action, args.repeat)
        print(f"  {name}: {med:.1f} ms / {worst:.1f} ms")

    for attempt in (1, 2):
        result = crawl_adding_claims(db_path, 100, 10, args.shows)
        print(
            f"\ncrawl adding 1,000 claims (#{attempt}): save_article x100 {result['save_s']:.3f} s,"
            f" consolidate {result['shows']} shows {result['consolidate_s']:.3f} s,"
            f" {result['changes']} changes"
        )

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "renewals", "status", "--db", d, one_show],
        check=True,
        capture_output=True,
    )
    print(
        f"\none `renewals status SHOW` as a new process (Python start-up included):"
        f" {(time.perf_counter() - started) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
