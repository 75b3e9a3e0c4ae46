"""The command line as a user runs it: a real process against the fake server on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outage_radar.cli import output
from outage_radar.cli.commands import exit_code
from outage_radar.core.catalog import Service
from outage_radar.core.failures import LINK_ONLY, Failure, Kind
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.state import NO_FEED
from tests import builders, payloads
from tests.fakeserver import FakeServer


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outage_radar", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("outage-radar ")


def test_status_json_reads_a_page_and_exit_code_says_trouble(server: FakeServer) -> None:
    ok = server.set("/ok/api/v2/summary.json", payloads.summary())
    bad = server.set(
        "/bad/api/v2/summary.json",
        payloads.summary("partial_outage", incident="Elevated errors", update="Fix rolling out"),
    )
    out = run("status", "--json", "--url", ok, "--url", bad)
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert {"checked_at", "services"} <= doc.keys()
    levels = [s["level"] for s in doc["services"]]
    assert levels == ["operational", "partial_outage"]
    incident = doc["services"][1]["incidents"][0]
    assert incident["title"] == "Elevated errors"
    assert incident["latest_update"] == "Fix rolling out"
    assert {"title", "impact", "stage", "url", "started", "updated", "latest_update"} <= set(
        incident
    )
    assert doc["services"][0]["components"][0] == {
        "name": "API",
        "group": None,
        "level": "operational",
    }
    assert doc["services"][0]["error"] is None


def test_status_exit_zero_when_all_operational(server: FakeServer) -> None:
    url = server.set("/api/v2/summary.json", payloads.summary())
    out = run("status", "--url", url)
    assert out.returncode == 0
    assert "operational" in out.stdout and "\x1b[" not in out.stdout  # no color when piped


FAULTS = {
    "drip": "timed out",
    "gzip_bomb": "too large",
    "huge": "too large",
    "html": "not a status page",
    "bad_json": "bad JSON",
    "truncated": "bad JSON",
    "wrong_type": "",
    "empty": "empty response",
    "rate_limit": "rate limited until",
    "server_error": "server error (HTTP 500)",
    "redirect_loop": "too many redirects",
    "redirect_file": "redirect to file:",
    "reset": "connection reset",
}


def test_every_fault_is_unknown_with_a_reason_within_20s(server: FakeServer) -> None:
    urls = [server.fault(f"/{name}/api/v2/summary.json", name) for name in FAULTS]
    good = server.set("/good/api/v2/summary.json", payloads.summary())
    start = time.monotonic()
    out = run("status", "--json", *[a for u in [*urls, good] for a in ("--url", u)])
    elapsed = time.monotonic() - start
    assert elapsed < 20
    assert out.returncode == 3, out.stderr  # unknowns and nothing worse
    services = json.loads(out.stdout)["services"]
    for name, service in zip(FAULTS, services, strict=False):
        assert service["level"] == "unknown", name
        assert service["error"], name
        assert service["error"].startswith(FAULTS[name]), (name, service["error"])
    assert services[-1]["level"] == "operational"


def test_refused_connection_is_unknown() -> None:
    out = run("status", "--json", "--url", "http://127.0.0.1:9/api/v2/summary.json")
    doc = json.loads(out.stdout)
    assert out.returncode == 3
    assert doc["services"][0]["error"] == "connection refused"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("status", "--service", "no-such-id").returncode == 2
    assert run("watch", "--interval", "1").returncode == 2
    broken = tmp_path / "c.toml"
    broken.write_text("[[service]]\nid = 'x'\n")
    assert run("status", "--catalog", str(broken)).returncode == 2


def test_services_lists_the_catalog() -> None:
    out = run("services", "--json")
    ids = [s["id"] for s in json.loads(out.stdout)["services"]]
    assert {"chatgpt", "openai-api", "claude", "copilot"} <= set(ids)


def test_broken_settings_are_moved_aside_with_a_warning(isolated_home: Path) -> None:
    settings = isolated_home / "config" / "outage-radar" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("services = [[[ not toml")
    # `status` with no arguments would reach the real status pages; ask for its service list.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from outage_radar.cli.commands import watched; print([s.id for s in watched(None)])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "moved aside" in proc.stderr and "settings.toml.broken-" in proc.stderr
    assert "'chatgpt', 'openai-api'" in proc.stdout
    assert len(list(settings.parent.glob("settings.toml.broken-*"))) == 1
    assert "[[[ not toml" not in settings.read_text()


def test_importing_the_core_and_running_status_loads_no_qt(
    server: FakeServer, tmp_path: Path
) -> None:
    url = server.set("/api/v2/summary.json", payloads.summary())
    # httpx would import its command-line client's libraries whenever they are installed.
    for name in ("click", "pygments", "rich"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    code = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "import outage_radar.core.monitor, outage_radar.core.history, outage_radar.cli\n"
        "from outage_radar.cli import main\n"
        f"rc = main(['status', '--json', '--url', {url!r}])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qasync'))]\n"
        "print('QT:', bad, file=sys.stderr)\n"
        "cli = [m for m in ('click', 'pygments', 'rich') if m in sys.modules]\n"
        "print('HTTPX CLI:', cli, file=sys.stderr); sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "QT: []" in proc.stderr
    assert "HTTPX CLI: []" in proc.stderr


@pytest.mark.timeout(90)
def test_watch_reports_an_outage_within_three_intervals(server: FakeServer, tmp_path: Path) -> None:
    good = server.set("/a/api/v2/summary.json", payloads.summary(name="A"))
    slow = server.fault("/b/api/v2/summary.json", "drip")
    limited = server.fault("/c/api/v2/summary.json", "rate_limit")
    bad = server.fault("/d/api/v2/summary.json", "bad_json")
    catalog = tmp_path / "c.toml"
    catalog.write_text(
        payloads.catalog(
            [
                ("a", "Alpha", good),
                ("b", "Bravo", slow),
                ("c", "Charlie", limited),
                ("d", "Delta", bad),
            ]
        )
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "outage_radar",
            "watch",
            "--json",
            "--catalog",
            str(catalog),
            "--interval",
            "5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)
        server.set(
            "/a/api/v2/summary.json",
            payloads.summary("major_outage", name="A", incident="Alpha is down"),
        )
        flipped = time.monotonic()
        assert proc.stdout is not None
        line = proc.stdout.readline()
        took = time.monotonic() - flipped
        event = json.loads(line)
        assert event["service"] == "a" and event["to"] == "major_outage"
        assert event["from"] == "operational" and event["title"] == "Alpha is down"
        assert {"service", "name", "from", "to", "at", "url"} <= event.keys()
        assert took < 15, took
        assert server.hits["/c/api/v2/summary.json"] == 1  # Retry-After: 120 honoured
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def _link_only(key: str = "midjourney", name: str = "Midjourney") -> Service:
    return builders.link_only(key, name)


def _polled(key: str, name: str) -> Service:
    return builders.service(key, name, category="api", status_link=False)


def test_a_link_only_service_never_counts_in_the_exit_code() -> None:
    no_feed = (_link_only(), Snapshot.failed(LINK_ONLY))
    ok = (_polled("a", "Alpha"), Snapshot(Level.OPERATIONAL))
    assert exit_code([ok, no_feed]) == 0
    assert exit_code([no_feed]) == 0  # nothing was read, and nothing failed
    assert exit_code([(ok[0], Snapshot(Level.DEGRADED)), no_feed]) == 1
    assert exit_code([(ok[0], Snapshot.failed(Failure(Kind.TIMEOUT))), no_feed]) == 3


def test_status_output_says_no_public_status_feed_never_an_error() -> None:
    results = [
        (_polled("a", "Alpha"), Snapshot(Level.OPERATIONAL)),
        (_link_only(), Snapshot.failed(LINK_ONLY)),
    ]
    doc = output.status_json(results, datetime(2026, 11, 2, tzinfo=UTC))
    polled, link = doc["services"]
    assert polled["link_only"] is False and polled["error"] is None
    assert link["link_only"] is True
    assert (link["level"], link["error"], link["note"]) == ("unknown", None, NO_FEED)
    assert link["url"] == "https://midjourney.example/status"
    table = output.status_table(results, color=False).splitlines()
    assert table[2].split() == ["Midjourney", "—", "no", "public", "status", "feed"]


def test_status_with_a_link_only_service_exits_0(server: FakeServer, tmp_path: Path) -> None:
    good = server.set("/a/api/v2/summary.json", payloads.summary(name="A"))
    catalog = tmp_path / "c.toml"
    catalog.write_text(
        payloads.catalog([("a", "Alpha", good)])
        + payloads.catalog([("mj", "Midjourney", "https://mj.example/status")], platform="link")
    )
    out = run("status", "--json", "--catalog", str(catalog))
    assert out.returncode == 0, out.stderr
    polled, link = json.loads(out.stdout)["services"]
    assert polled["level"] == "operational"
    assert link["link_only"] is True and link["error"] is None and link["note"] == NO_FEED
    assert server.hits.get("/a/api/v2/summary.json") == 1  # the link-only page is never fetched
    text = run("status", "--catalog", str(catalog))
    assert text.returncode == 0 and NO_FEED in text.stdout and "error" not in text.stdout
