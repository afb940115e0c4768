"""What a crawl killed with SIGKILL leaves behind, and what the next run makes of it.

Generates a local site of N shows (day 1: each renewed for season 2; day 2: each cancelled
after two seasons), crawls day 1, then crawls day 2 and kills it

  (a) mid-crawl, once half of the day-2 articles are stored, and
  (b) 0.3 s after Scrapy logs "Closing spider" (while it consolidates),

each on its own copy of the day-1 database; then runs `renewals crawl` once more on each and
counts statuses, changes, queued shows and run rows left `running`, with the time the
recovering crawl took. An uninterrupted day-2 crawl is the reference.

    python benchmarks/crash_recovery.py [--shows 2000]
"""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from renewals.localsite import LocalSite

ADJECTIVES = ["Amber", "Copper", "Silent", "Velvet", "Hollow", "Crimson", "Distant", "Iron"]
NOUNS = ["Lantern", "Harbor", "Meadow", "Orchard", "Canyon", "Beacon", "Garden", "Ridge"]
PLACES = ["Falls", "Point", "Bay", "Hill", "Creek", "Park", "Cove", "Row"]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0"]
FAST += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "--quiet"]


def show_names(count: int) -> list[str]:
    names = [f"{a} {n} {p}" for a in ADJECTIVES for n in NOUNS for p in PLACES]
    names += [f"{a} {n} {p} {q}" for a in ADJECTIVES for n in NOUNS for p in PLACES for q in NOUNS]
    return names[:count]


def write_site(root: Path, shows: list[str]) -> None:
    for day, (verb, published) in {
        "day1": ("has renewed {} for a second season", "2026-05-01"),
        "day2": ("has cancelled {} after two seasons", "2026-06-02"),
    }.items():
        items = []
        for show in shows:
            path = f"{day}/{show.lower().replace(' ', '-')}/"
            sentence = "Netflix " + verb.format(show) + ", the streamer said."
            page = root / "articles" / path / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(
                f"<html><head><title>{show}: Netflix decides</title><meta"
                f' property="article:published_time" content="{published}T09:00:00+00:00">'
                f"</head><body><article><h1>{show}</h1><p>{sentence}</p></article></body></html>"
            )
            title = f"{show} {verb.split()[1]}"  # "renewed", "cancelled": relevant
            items.append(f"<item><title>{title}</title><link>{{{{BASE}}}}/{path}</link></item>")
        (root / day).mkdir(exist_ok=True)
        (root / day / "feed.xml").write_text(
            f'<rss version="2.0"><channel>{"".join(items)}</channel></rss>'
        )


def renewals(*args: str) -> list[str]:
    return [sys.executable, "-m", "renewals", *args]


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db, timeout=30)
    sql = {
        "statuses": "select count(*) from shows where status is not null",
        "cancelled": "select count(*) from shows where status = 'cancelled'",
        "changes": "select count(*) from changes",
        "queued": "select count(*) from consolidation_queue",
        "running": "select count(*) from runs where status = 'running'",
    }
    try:
        return {name: conn.execute(query).fetchone()[0] for name, query in sql.items()}
    finally:
        conn.close()


def copy(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shows", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renewals-crash-") as folder:
        root = Path(folder)
        write_site(root / "site", show_names(args.shows))
        with LocalSite(root / "site" / "day1", root / "site" / "articles") as site:
            sources = root / "sources.toml"
            sources.write_text(
                f'[[source]]\nname = "gazette"\ntier = 1\nallow_private = true\n'
                f'start_urls = ["{site.url("feed.xml")}"]\n'
            )
            day1 = root / "day1.db"
            subprocess.run(
                renewals("crawl", "--sources", str(sources), "--db", str(day1), *FAST), check=True
            )
            site.roots[0] = root / "site" / "day2"
            crawl = ["crawl", "--sources", str(sources), *FAST]

            reference = copy(day1, root / "reference.db")
            started = time.monotonic()
            subprocess.run(renewals(*crawl, "--db", str(reference)), check=True)
            print(f"uninterrupted day 2: {counts(reference)} in {time.monotonic() - started:.1f} s")

            for kill_point in ("mid-crawl", "0.3 s after Closing spider"):
                db = copy(day1, root / f"{kill_point[:3]}.db")
                log = root / f"{kill_point[:3]}.log"
                process = subprocess.Popen(
                    renewals(*crawl, "--db", str(db), "--log-file", str(log)),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                while process.poll() is None:  # it may end before the kill point
                    time.sleep(0.01)
                    if kill_point == "mid-crawl":
                        conn = sqlite3.connect(db, timeout=30)
                        stored = conn.execute(
                            "select count(*) from articles where url like '%/day2/%'"
                        ).fetchone()[0]
                        conn.close()
                        if stored >= args.shows // 2:
                            break
                    elif log.exists() and "Closing spider" in log.read_text():
                        time.sleep(0.3)
                        break
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                print(f"killed {kill_point}: {counts(db)}")
                started = time.monotonic()
                subprocess.run(renewals(*crawl, "--db", str(db)), check=True)
                print(f"  after the next crawl: {counts(db)} in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
