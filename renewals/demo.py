"""`renewals demo`: the whole loop offline, on a bundled fictional news site seen on two days.

The site is served on 127.0.0.1 by `LocalSite`; each crawl runs in its own process because
Scrapy's reactor cannot be restarted in one process.
"""

import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import click

from renewals.localsite import LocalSite

DEMO_SITE = Path(str(resources.files("renewals").joinpath("demo_site")))
FAST_LOCAL_CRAWL = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s",
    "ROBOTSTXT_OBEY=False",
]


def demo_sources(base: str) -> str:
    """The sources file for the local site (it opts in to a loopback address)."""
    return f"""[[source]]
name = "screen-ledger"
tier = 1
start_urls = ["{base}/feed.xml"]
allow = ["/20\\\\d\\\\d/"]
allow_private = true
"""


def renewals(*args: str) -> None:
    """Run the `renewals` command line in a fresh process."""
    subprocess.run([sys.executable, "-m", "renewals", *args], check=True)


def run_demo(workdir: Path | None = None) -> Path:
    """Crawl day 1, then day 2, print statuses and changes; return the database path."""
    started = time.monotonic()
    workdir = Path(workdir or tempfile.mkdtemp(prefix="renewals-demo-"))
    db_path = workdir / "demo.db"
    sources_path = workdir / "sources.toml"
    with LocalSite(DEMO_SITE / "day1", DEMO_SITE / "articles") as site:
        sources_path.write_text(demo_sources(site.base), encoding="utf-8")
        for day in ("day1", "day2"):
            site.roots[0] = DEMO_SITE / day
            click.secho(f"== crawling {site.base}/feed.xml as it was on {day} ==", bold=True)
            renewals(
                "crawl", "--sources", str(sources_path), "--db", str(db_path),
                "--quiet", *FAST_LOCAL_CRAWL,
            )  # fmt: skip
    click.secho("\n== current status ==", bold=True)
    renewals("status", "--db", str(db_path))
    click.secho("\n== flagged changes ==", bold=True)
    renewals("changes", "--db", str(db_path))
    click.echo(f"\nDemo finished in {time.monotonic() - started:.1f} s.")
    click.echo(f"The demo database is {db_path}; query it with:")
    click.echo(f'  sqlite-utils {db_path} "select * from recent_changes" --table')
    return db_path
