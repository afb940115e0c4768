"""How long `renewals alerts list` takes over a big outbox, for target URLs of three kinds.

Writes N pending deliveries (default 5000, one change each) for one target into a fresh
database, then times `renewals alerts list` in a subprocess, as a user runs it; the time
includes starting Python and importing Apprise. Best of --repeat runs, wall clock.

    python benchmarks/alerts_list.py [--alerts 5000] [--repeat 3]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alerts_delivery import fill  # benchmarks/, on the path when run as a script

URLS = (
    "json://127.0.0.1:9/hook",
    "mailto://user:secret@mail.example",
    "slack://TOKENA/TOKENB/TOKENC/#tv",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for url in URLS:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "renewals.db"
            fill(db_path, url, args.alerts, one_run=False)
            command = [sys.executable, "-m", "renewals", "alerts", "list", "--db", str(db_path)]
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                listed = subprocess.run(command, capture_output=True, text=True, check=True)
                times.append(time.perf_counter() - start)
            lines = len(listed.stdout.splitlines())
            print(
                f"{url.split(':')[0]}: {lines} lines in {min(times):.2f} s (best of {args.repeat})"
            )


if __name__ == "__main__":
    main()
