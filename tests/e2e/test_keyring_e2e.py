"""A real Secret Service (gnome-keyring on a private bus): keys, probes, doctor, early warning.

A known key is stored through `keys set` on standard input, used by `probe`, `doctor` and the
tray app against a fake API on 127.0.0.1 that checks the header, and then searched for in
every file under the test's folder (HOME, config, data, logs, keyring) and in every output.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tests import payloads
from tests.e2e.desktop import Desktop, wait_for
from tests.e2e.test_tray_e2e import fields, notify_calls
from tests.fakeapi import FakeApi
from tests.fakeserver import FakeServer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

KEY = "sk-e2e-5b1d7f3a9c2e4b6d8f0a1c3e5b7d9f1a"


@pytest.fixture
def keyring_desktop(desktop: Desktop) -> Iterator[Desktop]:
    """gnome-keyring in the foreground (so it is stopped with the test), login keyring unlocked."""
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=desktop.env,
    )
    assert daemon.stdin is not None
    daemon.stdin.write(b"test")  # the fresh login keyring's password
    daemon.stdin.close()
    try:
        wait_for(lambda: desktop.owns("org.freedesktop.secrets"), 20, "the Secret Service")
        yield desktop
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    srv = FakeApi(key=KEY).start()
    yield srv
    srv.stop()


class Cli:
    """Runs the real command in the desktop's environment and keeps every output it saw."""

    def __init__(self, desk: Desktop) -> None:
        self.desk = desk
        self.outputs: list[str] = []

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        out = subprocess.run(
            [sys.executable, "-m", "outage_radar", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=self.desk.env,
        )
        self.outputs += [out.stdout, out.stderr]
        assert "Traceback" not in out.stderr, out.stderr
        return out


def write_catalog(tmp_path: Path, page: str, probe: str) -> Path:
    path = tmp_path / "catalog.toml"
    path.write_text(
        f'[[service]]\nid = "lab-api"\nname = "Lab API"\nurl = "{page}"\n'
        f'platform = "statuspage"\n[service.probe]\nurl = "{probe}"\nkey = "lab"\n'
    )
    return path


def files_with_key(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if KEY.encode() in data or KEY.encode("utf-16-le") in data:
                found.append(path)
    return found


def test_keys_probe_doctor_delete_with_a_real_secret_service(
    keyring_desktop: Desktop, server: FakeServer, api: FakeApi, tmp_path: Path
) -> None:
    cli = Cli(keyring_desktop)
    page = server.set("/api/v2/summary.json", payloads.summary(name="Lab"))
    catalog = write_catalog(tmp_path, page, api.url("/ok"))
    neutral = server.set("/", b"ok", content_type="text/plain")
    settings = Path(keyring_desktop.env["XDG_CONFIG_HOME"]) / "outage-radar" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'neutral_hosts = ["{neutral}"]\n')

    stored = cli("keys", "set", "lab", "--catalog", str(catalog), stdin=KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    assert "OS keyring (Secret Service)" in stored.stdout and "Lab API" in stored.stdout
    listed = cli("keys", "list", "--catalog", str(catalog))
    assert listed.returncode == 0 and listed.stdout.split() == ["lab"]

    probed = cli("probe", "--json", "--catalog", str(catalog))
    assert probed.returncode == 0, probed.stderr
    (entry,) = json.loads(probed.stdout)["probes"]
    assert (entry["service"], entry["outcome"], entry["http_status"]) == ("lab-api", "ok", 200)
    # The fake API saw the key in the right header, so the stored key is the one sent.
    assert [h.get("Authorization") for _, h in api.seen()] == [f"Bearer {KEY}"]
    print("probe latency against loopback:", entry["latency_ms"], "ms")

    checked = cli("doctor", "--json", "--catalog", str(catalog))
    doc = json.loads(checked.stdout)
    assert checked.returncode == 0 and doc["services"][0]["verdict"] == "all_good"
    print("doctor took", doc["elapsed_ms"], "ms")

    assert files_with_key(tmp_path) == []  # keyring file included: encrypted, not in the clear
    assert list((tmp_path / "home").rglob("*.keyring"))  # it did go to gnome-keyring
    removed = cli("keys", "delete", "lab")
    assert removed.returncode == 0
    assert cli("keys", "list", "--catalog", str(catalog)).stdout.split() == []
    assert cli("keys", "delete", "lab").returncode == 1
    assert all(KEY not in text for text in cli.outputs)


def test_early_warning_fires_while_the_page_says_operational(
    keyring_desktop: Desktop, server: FakeServer, api: FakeApi, tmp_path: Path
) -> None:
    cli = Cli(keyring_desktop)
    path = "/lab/api/v2/summary.json"
    page = server.set(path, payloads.summary(name="Lab"))
    catalog = write_catalog(tmp_path, page, api.url("/broken"))
    config = Path(keyring_desktop.env["XDG_CONFIG_HOME"]) / "outage-radar"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text("probe_interval = 5.0\nfirst_run_done = true\n")
    assert cli("keys", "set", "lab", stdin=KEY).returncode == 0

    env = dict(
        keyring_desktop.env,
        OUTAGE_RADAR_INSTANCE_NAME=f"outage-radar-kr-{os.getpid()}-{tmp_path.name}",
    )
    log_path = tmp_path / "app.log"
    with open(log_path, "wb") as log:
        app = subprocess.Popen(
            [sys.executable, "-m", "outage_radar", "--catalog", str(catalog), "--interval", "5"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        took = wait_for(lambda: bool(notify_calls(keyring_desktop)), 60, "the early warning")
        print(f"early warning {took:.1f} s after start (probes every 5 s, 3 failures)")
        title, body, actions = fields(notify_calls(keyring_desktop)[0])
        assert title.startswith("Lab API failing for you (3 server errors in ")
        assert title.endswith("); status page says operational")
        assert "Status page" in actions and "Is it just me?" in body
        assert all(h.get("Authorization") == f"Bearer {KEY}" for _, h in api.seen())

        # The page confirms some seconds later: how much earlier we knew is kept in the history.
        time.sleep(5)
        server.set(path, payloads.summary("major_outage", name="Lab", incident="API errors"))
        db = Path(keyring_desktop.env["XDG_DATA_HOME"]) / "outage-radar" / "history.sqlite3"

        def lead_rows() -> list[tuple[str, float, str]]:
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT service, minutes, detail FROM leads").fetchall()

        wait_for(lambda: bool(lead_rows()), 60, "the detection lead in the history")
        ((service, minutes, detail),) = lead_rows()
        assert service == "lab-api" and minutes * 60 >= 5 and "3 server errors" in detail
        print(f"lead recorded: {minutes * 60:.1f} s ({detail})")

        # The incident's timeline as lived, read by `history --json` while the app runs: the
        # probe failed first, you were told, then the page said it.
        shown = cli("history", "lab-api", "--json", "--catalog", str(catalog))
        assert shown.returncode == 0, shown.stderr
        ((entry,),) = [s["incidents"] for s in json.loads(shown.stdout)["services"]]
        assert entry["title"] == "API errors" and entry["source"] == "own"
        line = {k: v for k, v in entry["timeline"].items() if k != "lead_s"}
        when = {k: datetime.fromisoformat(v) for k, v in line.items() if v is not None}
        assert when["probe_failed"] < when["notified"] < when["page_said"]
        assert abs(entry["timeline"]["lead_s"] - minutes * 60) < 1.5
    finally:
        app.terminate()
        app.wait(timeout=20)
    output = log_path.read_text(errors="replace")
    assert "Traceback" not in output and KEY not in output
    assert files_with_key(tmp_path) == []
    assert KEY not in keyring_desktop.notifications()
