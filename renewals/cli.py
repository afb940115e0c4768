"""The `renewals` command line; each area's commands live in their own module."""

import json
import sys
from pathlib import Path

import click

from renewals.alerts_cli import alerts
from renewals.check_cli import check
from renewals.crawl_cli import crawl
from renewals.ledger_cli import LEDGER_COMMANDS
from renewals.options import open_database
from renewals.sources_cli import sources


class OneLineErrorGroup(click.Group):
    """A click group whose usage errors are one line on stderr, as scripts and cron expect."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
            if isinstance(result, int):  # click's ctx.exit(code) when not standalone
                sys.exit(result)
            return result
        except click.exceptions.NoArgsIsHelpError as error:  # bare `renewals`: help, not an error
            click.echo(error.ctx.get_help())
            sys.exit(0)
        except click.UsageError as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)


@click.group(cls=OneLineErrorGroup)
@click.version_option(package_name="renewals")
def cli() -> None:
    """Watch entertainment news for TV renewals and cancellations."""


@cli.command()
@click.option("--url", help="Canonical URL to report when the page has none.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also recognise the shows this database stores where a page names them unquoted.",
)
@click.argument("paths", nargs=-1, required=True)
def extract(url: str | None, db_path: Path | None, paths: tuple[str, ...]) -> None:
    """Print the claims in saved HTML pages (- for standard input), one JSON object a line.

    An input that is not HTML (an image, JSON, an empty file) is skipped with a line on stderr.
    """
    from pipelines.extract import extract_page
    from renewals.page_input import not_html
    from storage.queries import known_titles

    titles = tuple(known_titles(open_database(db_path, must_exist=True))) if db_path else ()
    failed = False
    for path in paths:
        try:
            data = sys.stdin.buffer.read() if path == "-" else _read(path)
        except OSError as error:
            click.echo(f"Error: cannot read {path}: {error.strerror or error}", err=True)
            failed = True
            continue
        reason = not_html(data)
        if reason is not None:
            click.echo(f"skipped {path}: {reason}", err=True)
            continue
        for record in extract_page(data, path, url, titles):
            click.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        sys.exit(1)


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


@cli.command()
def demo() -> None:
    """Run the whole loop offline on a bundled two-day news site."""
    from renewals.demo import run_demo

    run_demo()


cli.add_command(crawl)
cli.add_command(check)
cli.add_command(alerts)
cli.add_command(sources)
for command in LEDGER_COMMANDS:
    cli.add_command(command)
