"""Real alert receivers on 127.0.0.1 for the alert tests, and a shorthand for a flagged change.

`JsonReceiver` is a webhook behind Apprise's `json://` URLs; `SmtpReceiver` is an aiosmtpd
server behind `mailto://` (plain SMTP, no TLS: Apprise's `mailto://` is the insecure mode, and
`mailtos://` the secure one). Both record what they got and stop when their `with` block ends.
"""

import email
import email.policy
import json
import socket
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import sqlite_utils
from aiosmtpd.controller import Controller

from storage.outbox import enqueue


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JsonReceiver:
    """A JSON webhook. `mode`: "ok" answers 200; "fail" answers 500; "hang" records the
    message, then holds the connection until `release()` (a sender stuck mid-delivery)."""

    def __init__(self, port: int | None = None, mode: str = "ok") -> None:
        self.mode = mode
        self.payloads: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.arrived = threading.Event()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port or 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "hook", query: str = "") -> str:
        return f"json://127.0.0.1:{self.port}/{path}" + (f"?{query}" if query else "")

    def alert_ids(self) -> list[str]:
        return [payload.get("alert_id") for payload in self.payloads]

    def release(self) -> None:
        self._release.set()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.payloads.append(json.loads(body))
                receiver.headers.append(dict(self.headers))
                receiver.arrived.set()
                if receiver.mode == "hang":
                    receiver._release.wait(30)
                self.send_response(500 if receiver.mode == "fail" else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class SmtpReceiver:
    """An SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def url(self, to: str = "fan@example.com") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=alerts@example.com&to={to}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._controller.stop()


def add_change(db: sqlite_utils.Database, **fields: Any) -> dict[str, Any]:
    """Write a change row as the ledger does, and enqueue its deliveries (Copper Sky by default)."""
    change = {
        "show_key": "copper sky",
        "show": "Copper Sky",
        "season": 2,
        "from_status": "renewed",
        "from_season": 2,
        "to_status": "cancelled",
        "to_season": 2,
        "network": "Netflix",
        "announced": "2026-06-02",
        "detected_at": "2026-06-03T08:00:00+00:00",
        "run_id": 1,
        "url": "https://gazette.example/2026/06/copper-sky-cancelled/",
        "evidence": "Netflix has cancelled Copper Sky after two seasons.",
        "source": "gazette",
        "snapshot_id": 1,
        **fields,
    }
    with db.atomic():
        change["id"] = db["changes"].insert(change).last_pk
        enqueue(db, change)
    return change
