"""The worker pool when workers cannot be started: every page gets an answer, none waits for
ever. Run in a process of its own, whose file descriptors are all used up after its first
workers started (as in a crawl that ran into its fd limit), so starting more really fails."""

import subprocess
import sys

import pytest

from tests.helpers import no_process_left

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")

OUT_OF_DESCRIPTORS = """
import asyncio, os, resource, signal
from pipelines.workers import NoWorker, WorkerPool

PAGE = (b"<html><body><article><h1>Night Ferry Renewed</h1>"
        b"<p>Hulu has renewed Night Ferry for season 2.</p></article></body></html>")

def use_up_descriptors():
    highest = max(int(fd) for fd in os.listdir("/proc/self/fd"))
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 8, hard))
    spare = []
    try:
        while True:
            spare.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        return spare

async def main():
    pool = WorkerPool(2, timeout=30)
    page, claims = await pool.read_page(PAGE, "https://example.org/1")
    print("read", len(claims))
    for worker in list(pool.workers):
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join()
    spare = use_up_descriptors()
    results = await asyncio.gather(
        *(pool.read_page(PAGE, f"https://example.org/{n}") for n in range(20)),
        return_exceptions=True,
    )
    print("failed", sum(isinstance(r, NoWorker) for r in results), "of", len(results))
    print("first", results[0])
    try:
        await pool.read_page(PAGE, "https://example.org/late")
    except NoWorker as error:
        print("later", error)
    for fd in spare:
        os.close(fd)
    await pool.stop()

asyncio.run(main())
"""


def test_a_pool_that_cannot_start_workers_fails_every_page_instead_of_hanging() -> None:
    run = subprocess.Popen(
        [sys.executable, "-c", OUT_OF_DESCRIPTORS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = run.communicate(timeout=60)  # a page waiting for ever fails here
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 0, stderr
    lines = stdout.splitlines()
    assert lines[0] == "read 1"
    assert lines[1] == "failed 20 of 20"
    assert lines[2].startswith(
        "first could not start a worker (OSError: [Errno 24] Too many open files"
    )
    assert lines[3].startswith("later no worker could be started (OSError: [Errno 24]")
    assert no_process_left(run.pid) == []
