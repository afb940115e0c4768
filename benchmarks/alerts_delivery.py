"""How long the outbox takes to deliver pending alerts to a local JSON webhook.

Writes N changes (default 100) into a fresh database with one `json://` target, each change
in its own run so none is folded into a digest, and times `deliver_pending` sending them all
as separate Apprise messages to an HTTP receiver on 127.0.0.1. Then the same N changes in a
single run, which the default threshold sends as one digest.

    python benchmarks/alerts_delivery.py [--alerts 100] [--repeat 3]

Times are wall clock (time.perf_counter) around `deliver_pending` only: it includes reading
the outbox, rendering, the HTTP round trips and booking each delivery as sent.
"""

import argparse
import json
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipelines.notify import deliver_pending
from storage import open_db
from storage.outbox import Target, enqueue, sync_targets


class Receiver(BaseHTTPRequestHandler):
    received = 0

    def do_POST(self) -> None:
        json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Receiver.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def fill(db_path: Path, url: str, alerts: int, one_run: bool) -> None:
    db = open_db(db_path)
    sync_targets(db, [Target(url)])
    with db.atomic():
        for n in range(alerts):
            change = {
                "show_key": f"show {n}",
                "show": f"Show {n}",
                "season": 2,
                "from_status": "renewed",
                "from_season": 2,
                "to_status": "cancelled",
                "to_season": 2,
                "network": "Netflix",
                "announced": "2026-06-02",
                "detected_at": "2026-06-03T08:00:00+00:00",
                "run_id": 1 if one_run else n + 1,
                "url": f"https://gazette.example/2026/06/show-{n}-cancelled/",
                "evidence": f"Netflix has cancelled Show {n} after two seasons.",
                "source": "gazette",
            }
            change["id"] = db["changes"].insert(change).last_pk
            enqueue(db, change)


def measure(url: str, alerts: int, one_run: bool) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "renewals.db"
        fill(db_path, url, alerts, one_run)
        db = open_db(db_path)
        before = Receiver.received
        start = time.perf_counter()
        report = deliver_pending(db)
        elapsed = time.perf_counter() - start
        return elapsed, report.sent, Receiver.received - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"json://127.0.0.1:{server.server_address[1]}/hook"
    try:
        for one_run, label in ((False, "separate messages"), (True, "one run -> digest")):
            for attempt in range(1, args.repeat + 1):
                elapsed, sent, received = measure(url, args.alerts, one_run)
                print(
                    f"{label}: {sent} deliveries sent as {received} HTTP messages in "
                    f"{elapsed:.3f} s ({elapsed / args.alerts * 1000:.2f} ms per alert)"
                    f" [run {attempt}]"
                )
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":
    main()
