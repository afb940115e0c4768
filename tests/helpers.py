"""Helpers for tests that crawl: sources files, the `renewals` CLI in a subprocess, and the
processes a run leaves (or must not leave) behind."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


def processes() -> dict[int, tuple[int, int, str]]:
    """Every live process (Linux's /proc): pid -> (parent pid, session id, state)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it ended while we looked
            continue
        state, ppid, _, session = stat[stat.rindex(")") + 2 :].split()[:4]
        if state not in "ZX":
            found[int(entry.name)] = (int(ppid), int(session), state)
    return found


def descendants(pid: int) -> list[int]:
    table = processes()
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, (ppid, _, _) in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def in_session(leader: int) -> list[int]:
    """The live processes of the session `leader` started (start_new_session=True): whatever
    it left behind, even reparented."""
    return [pid for pid, (_, sid, _) in processes().items() if sid == leader]


def no_process_left(leader: int, seconds: float = 10) -> list[int]:
    """Wait until the session of `leader` is empty; the survivors after `seconds`, killed
    so that they cannot outlive the test (an empty list: none survived)."""
    deadline = time.monotonic() + seconds
    while (left := in_session(leader)) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)
