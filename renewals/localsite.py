"""A small static web site on 127.0.0.1, for the offline demo and the tests.

It serves the first of its folders that has the asked-for file (set `roots` to show the site's
next "day"), replaces `{{BASE}}`
in every file with the server's own address so feeds can hold absolute links, and records the
paths it was asked for. It sends an ETag and answers a matching If-None-Match with 304.
"""

import hashlib
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit


class LocalSite:
    def __init__(self, *roots: Path) -> None:
        self.roots = [Path(root) for root in roots]
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + "/" + path.lstrip("/")

    def start(self) -> "LocalSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "LocalSite":
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def resolve(self, path: str) -> Path | None:
        """The file for a request path (`/a/` serves `a/index.html`), never outside the roots."""
        relative = unquote(urlsplit(path).path).lstrip("/")
        for root in (root.resolve() for root in self.roots):
            candidate = (root / relative).resolve()
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if root in candidate.parents and candidate.is_file():
                return candidate
        return None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                site.requests.append(self.path)
                file = site.resolve(self.path)
                if file is None:
                    self.send_error(404)
                    return
                body = file.read_bytes().replace(b"{{BASE}}", site.base.encode())
                etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                if self.headers.get("If-None-Match") == etag:  # conditional re-crawls
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                if content_type.startswith("text/") or content_type.endswith("xml"):
                    content_type += "; charset=utf-8"
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
