"""Test doubles for the probes: a fake provider API on 127.0.0.1 and an in-memory keyring.

The API checks the key header and can serve every probe outcome; the keyring records which
thread each call ran on, so tests can prove the UI thread never waits on it.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

MODELS = b'{"object": "list", "data": [{"id": "fake-model"}]}'
# path -> (status, content type, body, extra headers); "/ok" checks the key first.
CANNED: dict[str, tuple[int, str, bytes, dict[str, str]]] = {
    "/unauthorized": (401, "application/json", b'{"error": "bad key"}', {}),
    "/forbidden": (403, "application/json", b'{"error": "no access"}', {}),
    "/limited": (429, "application/json", b'{"error": "slow down"}', {"Retry-After": "30"}),
    "/broken": (500, "text/plain", b"oops", {}),
    "/unavailable": (503, "text/plain", b"down", {}),
    "/portal": (200, "text/html", b"<html>Log in to the hotel wifi</html>", {}),
    "/gone": (404, "application/json", b'{"error": "not found"}', {}),
}


class _Handler(BaseHTTPRequestHandler):
    server: FakeApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        srv = self.server
        with srv.lock:
            srv.requests.append((self.path, dict(self.headers.items())))
        path = self.path.split("?")[0]
        if path == "/ok":
            sent = self.headers.get(srv.header, "")
            expected = f"{srv.prefix}{srv.key}"
            if sent == expected:
                self._send(200, "application/json", MODELS)
            else:
                self._send(401, "application/json", b'{"error": "invalid api key"}')
        elif path == "/slow":
            time.sleep(srv.delay)
            self._send(200, "application/json", MODELS)
        elif path == "/redirect":
            self._send(302, "text/plain", b"", {"Location": srv.redirect_to})
        elif path in CANNED:
            status, ctype, body, headers = CANNED[path]
            self._send(status, ctype, body, headers)
        else:
            self._send(404, "text/plain", b"no such path")

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (deadline): expected in timeout tests


class FakeApi(ThreadingHTTPServer):
    """`key` is what "/ok" accepts in `header` (with `prefix`, e.g. "Bearer ")."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (deadlines) are expected here."""

    def __init__(self, key: str = "", header: str = "Authorization", prefix: str = "Bearer "):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.key, self.header, self.prefix = key, header, prefix
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.redirect_to = ""
        self.delay = 2.0
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> FakeApi:
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def seen(self) -> list[tuple[str, dict[str, str]]]:
        with self.lock:
            return list(self.requests)


class MemoryKeyring(KeyringBackend):
    """A keyring in a dict; `fail` (an exception) makes every call raise it."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.threads: list[str] = []
        self.fail: Exception | None = None

    def _enter(self) -> None:
        self.threads.append(threading.current_thread().name)
        if self.fail is not None:
            raise self.fail

    def get_password(self, service: str, username: str) -> str | None:
        self._enter()
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._enter()
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._enter()
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")
