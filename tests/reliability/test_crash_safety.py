"""Crash safety: settings written atomically under kill -9, corrupt files moved aside and told.

History under kill -9 at the database layer is tests/core/test_history.py; here the whole
`watch` process is killed while it polls and writes, and a corrupt history and settings file go
through the real start-up paths. The tray's notification is checked on a real desktop in
test_tray_process.py; `notices.startup` is what it shows.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from outage_radar import notices
from outage_radar.core import settings as store
from tests import payloads
from tests.fakeserver import FakeServer

pytestmark = pytest.mark.timeout(120)

SAVER = """
import sys, itertools
from pathlib import Path
from outage_radar.core.settings import Settings, save
path = Path(sys.argv[1])
a = Settings(services=[f"a{i}" for i in range(400)], interval=60.0)
b = Settings(services=[f"b{i}" for i in range(400)], interval=120.0)
print("ready", flush=True)
for i in itertools.count():
    save((a, b)[i % 2], path)
"""


def test_settings_survive_kill_9_at_any_moment(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    rng = random.Random(9)
    seen = set()
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        loaded = store.load(path)
        assert loaded.moved_aside is None and loaded.problem == "", loaded.problem
        assert loaded.settings.interval in (60.0, 120.0)
        assert len(loaded.settings.services) == 400  # the old file or the new, never half
        seen.add(loaded.settings.interval)
    assert seen == {60.0, 120.0}  # killed mid-stream of both versions
    leftovers = list(tmp_path.glob(".settings-*"))
    print(f"settings: 20 kill -9 survived; {len(leftovers)} temporary files left behind")


def test_corrupt_settings_are_moved_aside_and_the_tray_notice_says_where(
    isolated_home: Path,
) -> None:
    path = store.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\xff garbage \xfe services = [[[")
    loaded = store.load()
    assert loaded.moved_aside is not None and loaded.moved_aside.exists()
    assert loaded.settings == store.Settings() and store.load().moved_aside is None
    [notice] = notices.startup(loaded.moved_aside, loaded.problem)
    assert notice.title == "Settings could not be read"
    assert str(loaded.moved_aside) in notice.body and "default settings" in notice.body
    assert not notice.level.is_problem  # a notice, never an outage
    assert notices.startup(None) == []
    [history] = notices.startup(None, "", Path("/data/history.sqlite3.corrupt-1"))
    assert history.title == "History could not be read" and "corrupt-1" in history.body


def watch(catalog: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "outage_radar", "watch", "--json", "--catalog", str(catalog)]
        + ["--interval", "5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def make_catalog(server: FakeServer, tmp_path: Path) -> Path:
    entries = [
        (k, k.upper(), server.set(f"/{k}/api/v2/summary.json", payloads.summary(name=k)))
        for k in ("a", "b", "c")
    ]
    catalog = tmp_path / "c.toml"
    catalog.write_text(payloads.catalog(entries))
    return catalog


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return err


def test_corrupt_history_is_moved_aside_once_and_watch_runs(
    server: FakeServer, tmp_path: Path, isolated_home: Path
) -> None:
    db = isolated_home / "data" / "outage-radar" / "history.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    catalog = make_catalog(server, tmp_path)
    for _ in range(2):  # the second start finds a good database: no crash loop
        proc = watch(catalog)
        time.sleep(3)
        assert proc.poll() is None
        stop(proc)
    aside = list(db.parent.glob("history.sqlite3.corrupt-*"))
    assert len(aside) == 1
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT COUNT(DISTINCT service) FROM samples").fetchone()[0] == 3
    finally:
        con.close()


def test_watch_killed_mid_poll_loses_nothing(
    server: FakeServer, tmp_path: Path, isolated_home: Path
) -> None:
    db = isolated_home / "data" / "outage-radar" / "history.sqlite3"
    catalog = make_catalog(server, tmp_path)
    rng = random.Random(4)
    counts = [0]
    for n in range(5):
        level = ("major_outage", "operational")[n % 2]
        server.set("/a/api/v2/summary.json", payloads.summary(level, name="a", incident="x"))
        proc = watch(catalog)
        time.sleep(rng.uniform(1.5, 3.5))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=20)
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            counts.append(con.execute("SELECT COUNT(*) FROM samples").fetchone()[0])
        finally:
            con.close()
        assert counts[-1] >= counts[-2]  # what was committed before a kill is still there
    assert counts[-1] > 0
    assert not list(db.parent.glob("*.corrupt-*"))  # never needed to set one aside
