"""History: samples, incidents, uptime per day, pruning, kill -9 and corruption survival."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from outage_radar.core.history import History
from outage_radar.core.model import Component, Incident, Level, Snapshot


@pytest.fixture
def opened() -> Iterator[list[History]]:
    """Histories opened by a test, closed after it so no connection leaks."""
    made: list[History] = []
    yield made
    for h in made:
        h.close()


def snap(level: Level, incident: str | None = None) -> Snapshot:
    incidents = (Incident(id="i1", title=incident, level=level),) if incident else ()
    return Snapshot(level=level, components=(Component("c1", "API", level),), incidents=incidents)


def test_uptime_per_day_from_samples(tmp_path: Path, opened: list[History]) -> None:
    h = History(tmp_path / "h.db")
    opened.append(h)
    day = datetime.now().astimezone().replace(hour=8, minute=0, second=0, microsecond=0)
    day -= timedelta(days=1)
    t = day
    for minute in range(0, 240, 5):  # 4 h observed, the last hour in outage
        level = Level.MAJOR_OUTAGE if minute >= 180 else Level.OPERATIONAL
        h.record("svc", snap(level), t + timedelta(minutes=minute))
    h.commit()
    bars = h.summary("svc", 3, datetime.now().astimezone()).days
    assert len(bars) == 3
    yesterday = bars[1]
    assert yesterday.day == day.date()
    # 180 min up of 250 observed (the last poll, at 235 min, vouches for 15 min after it)
    assert yesterday.ratio is not None and 0.715 < yesterday.ratio < 0.725
    assert yesterday.level is Level.MAJOR_OUTAGE
    assert bars[0].ratio is None  # no data is not "100% up"


def test_incidents_are_kept_and_closed(tmp_path: Path, opened: list[History]) -> None:
    h = History(tmp_path / "h.db")
    opened.append(h)
    now = datetime.now().astimezone()
    h.record("svc", snap(Level.MAJOR_OUTAGE, "Errors"), now)
    h.record("svc", snap(Level.OPERATIONAL), now + timedelta(minutes=30))
    summary = h.summary("svc")
    rows = summary.incidents
    assert [r.title for r in rows] == ["Errors"]
    assert rows[0].ended is not None
    assert summary.last_check is not None


def test_last_level_resumes_with_its_start(tmp_path: Path, opened: list[History]) -> None:
    h = History(tmp_path / "h.db")
    opened.append(h)
    t0 = datetime.now().astimezone() - timedelta(hours=1)
    h.record("svc", snap(Level.OPERATIONAL), t0)
    h.record("svc", snap(Level.PARTIAL_OUTAGE), t0 + timedelta(minutes=10))
    h.record("svc", snap(Level.PARTIAL_OUTAGE), t0 + timedelta(minutes=30))
    level, since = h.last_level("svc") or (None, None)
    assert level is Level.PARTIAL_OUTAGE
    assert since is not None and abs((since - (t0 + timedelta(minutes=10))).total_seconds()) < 1


def test_pruning_after_a_year(tmp_path: Path, opened: list[History]) -> None:
    h = History(tmp_path / "h.db")
    opened.append(h)
    now = datetime.now().astimezone()
    h.record("svc", snap(Level.OPERATIONAL, "old"), now - timedelta(days=400))
    h.record("new", snap(Level.OPERATIONAL), now)  # pruning counts back from the newest row
    h.commit()
    h.prune()
    assert h.db is not None
    assert h.db.execute("SELECT COUNT(*) FROM samples WHERE service='svc'").fetchone()[0] == 0
    assert h.db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 0


def test_corrupt_database_is_moved_aside(tmp_path: Path, opened: list[History]) -> None:
    path = tmp_path / "h.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    h = History(path)
    opened.append(h)
    assert h.moved_aside is not None and h.moved_aside.exists()
    h.record("svc", snap(Level.OPERATIONAL), datetime.now().astimezone())
    h.commit()
    assert h.last_level("svc") is not None


WRITER = """
import sys, itertools
from datetime import datetime, timedelta
from pathlib import Path
import pytest

from outage_radar.core.history import History
from outage_radar.core.model import Component, Level, Snapshot
h = History(Path(sys.argv[1]))
t = datetime.now().astimezone()
print("ready", flush=True)
for i in itertools.count():
    lv = (Level.OPERATIONAL, Level.MAJOR_OUTAGE)[i % 2]
    comps = tuple(Component(str(c), f"C{c}", lv) for c in range(20))
    h.record("svc", Snapshot(level=lv, components=comps), t + timedelta(seconds=i))
    h.commit()
"""


def test_history_survives_kill_9_during_writes(tmp_path: Path, opened: list[History]) -> None:
    path = tmp_path / "h.db"
    for round_ in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(0.2 + 0.1 * round_)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()
    h = History(path)
    opened.append(h)
    assert h.moved_aside is None
    assert h.db.execute("SELECT COUNT(*) FROM samples").fetchone()[0] > 0


def test_a_run_of_more_than_a_year_prunes_as_it_goes(tmp_path: Path, opened: list[History]) -> None:
    start = datetime(2025, 1, 1, 12).astimezone()
    h = History(tmp_path / "h.db", clock=lambda: start)
    opened.append(h)
    for day in range(400):  # never reopened: a tray app left running
        h.record(
            "svc", snap(Level.OPERATIONAL, "old" if day == 0 else None), start + timedelta(day)
        )
        h.commit()
    assert h.db is not None
    oldest = h.db.execute("SELECT MIN(at) FROM samples").fetchone()[0]
    newest = start + timedelta(days=399)
    assert (newest - datetime.fromtimestamp(oldest).astimezone()).days <= 366
    # the first day's incident went with its day
    assert h.db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 0
