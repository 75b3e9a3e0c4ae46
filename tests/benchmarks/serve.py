"""A fake status server in its own process, so its CPU never counts against the client's.

Prints its base URL, then serves N Statuspage pages at /p<i>/api/v2/summary.json until killed.
It counts every byte read from and written to the wire (headers included) at /_bytes.
"""

from __future__ import annotations

import sys
from typing import Any

from tests import payloads
from tests.fakeserver import FakeServer, _Handler


class _Counting:
    def __init__(self, inner: Any, server: FakeServer) -> None:
        self.inner, self.server = inner, server

    def write(self, data: bytes) -> int:
        with self.server.lock:
            self.server.wire += len(data)
        return int(self.inner.write(data))

    def readline(self, *args: Any) -> bytes:
        line: bytes = self.inner.readline(*args)
        with self.server.lock:
            self.server.wire += len(line)
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class CountingHandler(_Handler):
    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile, self.server)  # type: ignore[assignment]
        self.rfile = _Counting(self.rfile, self.server)  # type: ignore[assignment]

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/_bytes":
            body = str(self.server.wire).encode()  # type: ignore[attr-defined]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    server = FakeServer()
    server.RequestHandlerClass = CountingHandler
    server.wire = 0  # type: ignore[attr-defined]
    for i in range(pages):
        server.set(f"/p{i}/api/v2/summary.json", payloads.summary(name=f"Page {i}"))
    print(server.base, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
