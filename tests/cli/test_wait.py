"""`outage-radar wait` as a script runs it: 0 once operational, 1 at the timeout, 3 unreadable."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests import payloads
from tests.fakeserver import FakeServer

INTERVAL = 5.0


def catalog(tmp_path: Path, pages: dict[str, str], platform: str = "statuspage") -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(
        "".join(
            f'[[service]]\nid = "{key}"\nname = "{key.upper()}"\nurl = "{url}"\n'
            f'platform = "{platform}"\n'
            for key, url in pages.items()
        )
    )
    return path


def run_wait(path: Path, *args: str, timeout: float = 60) -> tuple[int, dict[str, object], float]:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "outage_radar", "wait", *args, "--catalog", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), time.monotonic() - start


def test_wait_returns_within_one_interval_of_the_recovery(
    server: FakeServer, tmp_path: Path
) -> None:
    a = server.set("/a/api/v2/summary.json", payloads.summary("major_outage", incident="down"))
    b = server.set("/b/api/v2/summary.json", payloads.summary())
    path = catalog(
        tmp_path,
        {"a": a.removesuffix("/api/v2/summary.json"), "b": b.removesuffix("/api/v2/summary.json")},
    )
    recovered: list[float] = []

    def recover() -> None:
        time.sleep(INTERVAL + 2)
        server.set("/a/api/v2/summary.json", payloads.summary())
        recovered.append(time.monotonic())

    threading.Thread(target=recover, daemon=True).start()
    code, report, _ = run_wait(path, "a", "b", "--interval", str(INTERVAL))
    late = time.monotonic() - recovered[0]
    assert code == 0 and report["result"] == "operational"
    assert late <= INTERVAL + 1.0, late  # the next check, a fetch and the process exit
    levels = {s["id"]: s["level"] for s in report["services"]}  # type: ignore[attr-defined]
    assert levels == {"a": "operational", "b": "operational"}


def test_wait_gives_up_at_its_timeout_with_exit_1(server: FakeServer, tmp_path: Path) -> None:
    url = server.set("/api/v2/summary.json", payloads.summary("partial_outage", incident="slow"))
    path = catalog(tmp_path, {"a": url.removesuffix("/api/v2/summary.json")})
    code, report, took = run_wait(path, "a", "--interval", "5", "--timeout", "6")
    assert code == 1 and report["result"] == "timeout"
    assert 6 <= took < 6 + 5, took
    assert report["services"][0]["level"] == "partial_outage"  # type: ignore[index]


def test_wait_exits_3_when_a_page_cannot_be_read(server: FakeServer, tmp_path: Path) -> None:
    server.fault("/x/api/v2/summary.json", "html")
    path = catalog(tmp_path, {"x": server.url("/x")})
    code, report, _ = run_wait(path, "x", "--interval", "5", "--timeout", "30")
    assert code == 3 and report["result"] == "unreadable"


def test_wait_refuses_an_unknown_service(tmp_path: Path) -> None:
    path = catalog(tmp_path, {"a": "https://status.example.com"})
    done = subprocess.run(
        [sys.executable, "-m", "outage_radar", "wait", "nope", "--catalog", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and "unknown service id" in done.stderr
