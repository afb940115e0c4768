"""`renewals sources`: each source's recent yield and last success, so a silent breakage
(a feed that moved, a layout that changed) shows before it costs a missed cancellation."""

import json
from pathlib import Path

import click

from renewals.options import db_option, open_database
from storage.crawl_state import source_health

RECENT_RUNS = 10


@click.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def sources(db_path: Path, as_json: bool) -> None:
    """Show each source's articles in recent crawls, errors and last success."""
    health = source_health(open_database(db_path, must_exist=True), runs=RECENT_RUNS)
    if as_json:
        for row in health:
            click.echo(json.dumps(row))
        return
    if not health:
        click.echo("no finished crawl yet")
        return
    width = max(len(row["source"]) for row in health)
    click.echo(f"{'source':<{width}}  {'articles, newest run first':<32}  errors  last success")
    for row in health:
        recent = " ".join(str(count) for count in row["articles"])
        last = row["last_success"] or "never"
        flag = f"  (silent {row['silent_runs']} runs)" if row["silent_runs"] else ""
        click.echo(f"{row['source']:<{width}}  {recent:<32}  {row['errors']:>6}  {last}{flag}")
