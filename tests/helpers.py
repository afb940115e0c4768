"""Helpers for tests that crawl: sources files and the `renewals` CLI in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

TEST_SITE = Path(__file__).parent / "site"
FAST_LOCAL_CRAWL = (
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s", "RETRY_TIMES=0",
    "-s", "DOWNLOAD_TIMEOUT=10",
)  # fmt: skip


def write_sources(path: Path, sources: list[dict]) -> Path:
    """Write a sources TOML file; every test source opts in to loopback addresses."""
    lines = []
    for source in sources:
        lines.append("[[source]]")
        for key, value in {"allow_private": True, **source}.items():
            lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run_renewals(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed command line in a fresh process (Scrapy's reactor is one-shot)."""
    return subprocess.run(
        [sys.executable, "-m", "renewals", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def crawl(sources: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    """`renewals crawl` against local sites, with delays and retries off."""
    return run_renewals(
        "crawl", "--sources", str(sources), "--db", str(db), *FAST_LOCAL_CRAWL, *extra
    )


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]
