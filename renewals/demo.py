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

import apprise
import click

from pipelines.notify import render_change
from renewals.localsite import LocalSite
from storage import open_db
from storage.outbox import MESSAGE_FIELDS, alert_id
from storage.queries import list_changes, show_key
from storage.wording import status_words

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
    """Crawl day 1, then day 2; print the statuses, the changes, the alerts they would have
    sent and what to try next; return the database path."""
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
    changes = list_changes(open_db(db_path))
    click.secho("\n== flagged changes: what changed between day 1 and day 2 ==", bold=True)
    for change in changes:
        click.echo(f"  {change_line(change)}")
    click.secho("\n== the alert each change would have sent (crawl --notify URL) ==", bold=True)
    for change in changes:
        message = {field: change[field] for field in MESSAGE_FIELDS}
        identity = alert_id({**change, "show_key": show_key(change["show"])})
        _, body = render_change(message, identity, apprise.NotifyFormat.TEXT, False)
        click.echo("".join(f"  {line}\n" for line in body.splitlines()))
    click.echo(f"Demo finished in {time.monotonic() - started:.1f} s. Next, try:")
    click.echo(f"  renewals status --db {db_path}")
    click.echo(f"  renewals scorecard --db {db_path} -o scorecard.html")
    click.echo(f"  renewals serve --db {db_path}    # Datasette: pip install -e '.[ui]'")
    return db_path


def change_line(change: dict) -> str:
    """One change in a line: "X: renewed for season 2 -> cancelled after season 1 (Netflix,
    announced 2026-11-19)"."""
    before = status_words(change["from_status"], change["from_season"])
    after = status_words(change["to_status"], change["to_season"])
    details = ", ".join(
        part
        for part in (change["network"], change["announced"] and f"announced {change['announced']}")
        if part
    )
    return f"{change['show']}: {before} -> {after}" + (f" ({details})" if details else "")
