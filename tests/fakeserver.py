"""A fake status-page server on 127.0.0.1 that can flip pages between states and serve faults.

Beyond the FAULTS served by path: `flap` (a page that changes on every request), `refused_url`
(a closed loopback port) and `unresolvable_url` (a `.invalid` host no resolver may answer, RFC
6761). tests/reliability/tlsserver.py adds the same server behind a self-signed certificate.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = (
    "drip",
    "gzip_bomb",
    "huge",
    "html",
    "bad_json",
    "truncated",
    "wrong_type",
    "empty",
    "rate_limit",
    "rate_limit_date",
    "unavailable",
    "server_error",
    "redirect_loop",
    "redirect_file",
    "reset",
)


@dataclass
class Page:
    body: bytes = b"{}"
    content_type: str = "application/json"
    fault: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: bool = True
    cycle: tuple[bytes, ...] = ()  # served in turn, one per request (a flapping page)


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer
    # Keep-alive like real status pages; faults close the connection themselves.
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        srv = self.server
        with srv.lock:
            srv.hits[self.path] = srv.hits.get(self.path, 0) + 1
            srv.log.append((time.monotonic(), self.path))
            page = srv.pages.get(self.path)
            if page is not None and page.cycle:
                turn = page.cycle[(srv.hits[self.path] - 1) % len(page.cycle)]
                page = Page(turn, page.content_type, etag=page.etag)
        if page is None:
            self._send(404, b"<html>not found</html>", "text/html")
            return
        if page.fault:
            self.close_connection = True
            self._fault(page.fault)
            return
        tag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
        if page.etag and self.headers.get("If-None-Match") == tag:
            with srv.lock:
                srv.not_modified += 1
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return
        extra = dict(page.headers)
        if page.etag:
            extra["ETag"] = tag
        self._send(page.status, page.body, page.content_type, extra)

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        with self.server.lock:
            self.server.bytes_sent += len(body)
        self.wfile.write(body)

    def _fault(self, fault: str) -> None:
        if fault == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                for _ in range(600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                pass
        elif fault == "gzip_bomb":
            self._send(200, _BOMB, "application/json", {"Content-Encoding": "gzip"})
        elif fault == "huge":
            self._send(200, b'{"x": "' + b"a" * (12 << 20) + b'"}', "application/json")
        elif fault == "html":
            self._send(200, b"<!doctype html><html><body>Loading...</body></html>", "text/html")
        elif fault == "bad_json":
            self._send(200, b'{"status": {"indicator": "none"', "application/json")
        elif fault == "truncated":
            self._send(
                200, b'{"page": {"id": "x"}, "components": [{"id": "a", "na', "application/json"
            )
        elif fault == "wrong_type":
            self._send(200, b'["not", "an", "object"]', "application/json")
        elif fault == "empty":
            self._send(200, b"", "application/json")
        elif fault == "rate_limit":
            self._send(429, b"slow down", "text/plain", {"Retry-After": "120"})
        elif fault == "rate_limit_date":
            when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 300))
            self._send(429, b"slow down", "text/plain", {"Retry-After": when})
        elif fault == "unavailable":
            self._send(503, b"maintenance", "text/plain", {"Retry-After": "60"})
        elif fault == "server_error":
            self._send(500, b"oops", "text/plain")
        elif fault == "redirect_loop":
            self._send(302, b"", "text/plain", {"Location": self.path})
        elif fault == "redirect_file":
            self._send(302, b"", "text/plain", {"Location": "file:///etc/passwd"})
        elif fault == "reset":
            self.connection.setsockopt(1, 13, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # SO_LINGER 0
            self.connection.close()


_BOMB = gzip.compress(b"0" * (64 << 20), compresslevel=9)


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops SYNs under 100 concurrent clients (1 s retransmits).
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up mid-response (deadlines, caps) are expected here, not errors."""

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.pages: dict[str, Page] = {}
        self.hits: dict[str, int] = {}
        self.log: list[tuple[float, str]] = []
        self.not_modified = 0
        self.bytes_sent = 0
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: bytes | str = b"{}", **kwargs: Any) -> str:
        data = body.encode() if isinstance(body, str) else body
        with self.lock:
            self.pages[path] = Page(body=data, **kwargs)
        return self.url(path)

    def fault(self, path: str, fault: str) -> str:
        assert fault in FAULTS, fault
        with self.lock:
            self.pages[path] = Page(fault=fault)
        return self.url(path)

    def flap(self, path: str, *bodies: bytes) -> str:
        """A page that serves `bodies` in turn, changing on every request."""
        with self.lock:
            self.pages[path] = Page(body=bodies[0], cycle=bodies)
        return self.url(path)

    def start(self) -> FakeServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def refused_url(path: str = "/api/v2/summary.json") -> str:
    """A loopback URL nobody listens on: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


def unresolvable_url(path: str = "/api/v2/summary.json") -> str:
    """A host under `.invalid`, reserved never to resolve: a DNS failure without the network."""
    return f"http://status.outage-radar.invalid{path}"
