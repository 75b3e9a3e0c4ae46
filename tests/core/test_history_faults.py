"""History faults (issue 14, items 1-5): a full disk, a schema not ours, a lock held by another
process (during a change and at start) and a clock months ahead or set back.

In each, the alerts keep coming, the user hears once what the history cannot do, nothing that
belongs to someone else is touched, and the history resumes by itself when it can.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pytest

from outage_radar import notices
from outage_radar.core import history_db
from outage_radar.core.history import History
from outage_radar.core.model import ChangeKind, Component, Incident, Level, Snapshot
from tests import payloads
from tests.fakeserver import FakeServer

from .test_monitor import RIGS, Rig

if TYPE_CHECKING:
    from outage_radar.core.history import Problem

# The schema of the history before it carried a version (commit f517f6a), kept here on purpose:
# a file written by that version must open with every row.
UNVERSIONED = """
CREATE TABLE samples (
    service TEXT NOT NULL, component TEXT NOT NULL, at REAL NOT NULL, level TEXT NOT NULL);
CREATE INDEX samples_by_service ON samples (service, component, at);
CREATE TABLE incidents (
    service TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT,
    level TEXT NOT NULL, started REAL NOT NULL, updated REAL NOT NULL, ended REAL,
    PRIMARY KEY (service, id));
CREATE TABLE checks (service TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE leads (
    service TEXT NOT NULL, at REAL NOT NULL, minutes REAL NOT NULL, detail TEXT NOT NULL);
"""


@pytest.fixture(autouse=True)
async def close_rigs() -> AsyncIterator[None]:
    yield
    while RIGS:
        await RIGS.pop().monitor.stop()


@pytest.fixture
def opened() -> Iterator[list[History]]:
    made: list[History] = []
    yield made
    for h in made:
        h.close()


def snap(level: Level, incident: str | None = None) -> Snapshot:
    incidents = (Incident(id="i1", title=incident, level=level),) if incident else ()
    return Snapshot(level=level, components=(Component("c1", "API", level),), incidents=incidents)


def count(path: Path, sql: str = "SELECT COUNT(*) FROM samples") -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class FullDisk:
    """The history's connection, with every write failing as SQLite fails on a full disk."""

    def __init__(self, real: sqlite3.Connection) -> None:
        self.real = real
        self.full = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        if self.full and sql.split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            full = sqlite3.OperationalError("database or disk is full")
            full.sqlite_errorcode = 13  # type: ignore[attr-defined]  # SQLITE_FULL, as SQLite sets it
            raise full
        return self.real.execute(sql, params)

    def __enter__(self) -> sqlite3.Connection:
        return self.real.__enter__()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        return bool(self.real.__exit__(kind, exc, tb))


class LoopLag:
    """The longest time the event loop went without running a 10 ms ticker."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()

    async def _tick(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - before - 0.01)


OUTAGE = payloads.summary("major_outage", incident="API down")


def outage_confirmed(rig: Rig) -> bool:
    return any(c.kind is ChangeKind.LEVEL and c.new is Level.MAJOR_OUTAGE for c in rig.changes)


# -- 1. a full disk ---------------------------------------------------------------------------
async def test_full_disk_alerts_keep_coming_told_once_and_history_resumes(
    server: FakeServer, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path)
    history.retry_after = 0.0  # every round tries again (the app waits RETRY_AFTER)
    told: list[Problem] = []
    history.listen(told.append)
    rig = Rig(server, ["a"], history)
    await rig.run_for(1)
    disk = FullDisk(history.db)  # type: ignore[arg-type]
    history.db = disk  # type: ignore[assignment]
    rig.flip("a", OUTAGE)
    await rig.run_for(5 * 60)
    assert outage_confirmed(rig) and rig.level("a") is Level.MAJOR_OUTAGE
    assert [p.title for p in told] == ["History cannot be written: disk full"]
    assert notices.history(told[0]).title == "History cannot be written: disk full"
    assert count(path, "SELECT COUNT(*) FROM samples WHERE level='major_outage'") == 0
    disk.full = False  # space freed: the next round writes what was queued
    await rig.run_for(20)
    assert count(path, "SELECT COUNT(*) FROM samples WHERE level='major_outage'") >= 2
    assert len(told) == 1
    history.db = disk.real
    history.close()


# -- 2. a schema that is not ours ------------------------------------------------------------
def test_a_newer_schema_is_left_untouched_and_said_once(
    tmp_path: Path, opened: list[History]
) -> None:
    path = tmp_path / "h.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(UNVERSIONED.replace("level TEXT NOT NULL);", "level TEXT NOT NULL, x);", 1))
    con.execute("INSERT INTO samples VALUES ('svc', '', 1.0, 'operational', 'future')")
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    before = digest(path)
    h = History(path)
    opened.append(h)
    h.record("svc", snap(Level.MAJOR_OUTAGE), datetime.now().astimezone())
    h.commit()
    h.close()
    assert digest(path) == before and not Path(f"{path}-wal").exists()
    assert h.last_level("svc") is None and h.summary("svc", 2).days[-1].ratio is None
    told: list[Problem] = []
    h.listen(told.append)
    h.listen(told.append)  # a late listener hears it too, still once per listener
    assert [p.title for p in told] == ["History is off: the file is from a newer version"] * 2
    assert "99" in told[0].detail and "untouched" in told[0].detail


def test_unknown_columns_without_a_version_are_left_untouched(
    tmp_path: Path, opened: list[History]
) -> None:
    path = tmp_path / "h.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(UNVERSIONED.replace("level TEXT NOT NULL);", "level TEXT NOT NULL, x);", 1))
    con.close()
    before = digest(path)
    h = History(path)
    opened.append(h)
    told: list[Problem] = []
    h.listen(told.append)
    assert not h.available and digest(path) == before
    assert [p.title for p in told] == ["History is off: unknown file layout"]


def test_a_file_from_before_versions_is_stamped_with_every_row(
    tmp_path: Path, opened: list[History]
) -> None:
    path = tmp_path / "h.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(UNVERSIONED)
    now = datetime.now().astimezone().timestamp()
    con.executemany(
        "INSERT INTO samples VALUES ('svc', '', ?, 'operational')",
        [(now - 3600 * i,) for i in range(50)],
    )
    con.execute("INSERT INTO checks VALUES ('svc', ?)", (now,))
    con.commit()
    con.close()
    h = History(path)
    opened.append(h)
    assert h.available
    assert count(path, "PRAGMA user_version") == history_db.SCHEMA_VERSION
    assert count(path) == 50 and h.summary("svc").last_check is not None


# -- 3. a lock held by another process during a change ---------------------------------------
async def test_a_locked_database_never_drops_an_alert_nor_blocks_the_loop(
    server: FakeServer, tmp_path: Path
) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path)
    rig = Rig(server, ["a", "b"], history)
    await rig.run_for(1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    rig.flip("a", OUTAGE)
    rig.flip("b", OUTAGE)
    started = time.perf_counter()
    async with LoopLag() as lag:
        await rig.run_for(90)
    took = time.perf_counter() - started
    other.execute("ROLLBACK")
    other.close()
    print(f"locked history: loop blocked {lag.worst * 1000:.0f} ms at most, {took:.2f} s in all")
    assert outage_confirmed(rig) and rig.level("b") is Level.MAJOR_OUTAGE
    # The write waits for the lock (BUSY_TIMEOUT, 0.2 s) in a worker thread, never on the loop.
    assert lag.worst < 0.05
    history.close()  # the lock is gone: what was queued is written, on close at the latest
    assert count(path, "SELECT COUNT(*) FROM samples WHERE level='major_outage'") >= 2


async def test_a_failed_flush_puts_its_rows_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path, retry_after=0.0)
    told: list[Problem] = []
    history.listen(told.append)
    disk = FullDisk(history.db)  # type: ignore[arg-type]
    history.db = disk  # type: ignore[assignment]
    now = datetime.now().astimezone()
    history.record("svc", snap(Level.MAJOR_OUTAGE), now - timedelta(minutes=2))
    await history.flush()
    assert [p.title for p in told] == ["History cannot be written: disk full"]
    history.record("svc", snap(Level.OPERATIONAL), now - timedelta(minutes=1))
    disk.full = False
    await history.flush()  # the failed batch first, then what came after it
    assert count(path) == 4 and len(told) == 1
    assert history.summary("svc").last_check == now - timedelta(minutes=1)
    assert history.last_level("svc") == (Level.OPERATIONAL, now - timedelta(minutes=1))
    history.db = disk.real
    history.close()


async def test_a_batch_whose_flush_was_cancelled_is_written_on_close(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    history.record("svc", snap(Level.MAJOR_OUTAGE), datetime.now().astimezone())
    flush = asyncio.get_running_loop().create_task(history.flush())
    await asyncio.sleep(0.05)  # its worker now waits for the lock
    flush.cancel()  # as Monitor.stop does
    with pytest.raises(asyncio.CancelledError):
        await flush
    other.execute("ROLLBACK")
    other.close()
    history.close()  # waits for the worker, takes its batch back and writes it
    assert count(path) == 2


# -- 4. a lock held by another process at start ----------------------------------------------
@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_locked_at_start_is_not_corrupt(
    tmp_path: Path, opened: list[History], journal: str
) -> None:
    path = tmp_path / "h.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute(f"PRAGMA journal_mode={journal}")
    other.execute("PRAGMA wal_autocheckpoint=0")  # its committed rows stay in its -wal
    other.executescript(UNVERSIONED)
    now = datetime.now().astimezone() - timedelta(minutes=2)
    other.execute("INSERT INTO samples VALUES ('svc', '', ?, 'operational')", (now.timestamp(),))
    other.execute("BEGIN EXCLUSIVE")
    h = History(path, retry_after=0.0)  # neither a crash nor a file moved aside
    opened.append(h)
    told: list[Problem] = []
    h.listen(told.append)
    assert h.moved_aside is None and not list(tmp_path.glob("*.corrupt-*"))
    if journal == "wal":
        assert Path(f"{path}-wal").stat().st_size > 0
    assert len(told) == 1 and "locked by another program" in told[0].title
    h.record("svc", snap(Level.MAJOR_OUTAGE), now + timedelta(minutes=1))
    h.commit()
    other.execute("ROLLBACK")
    other.close()
    h.commit()  # opened (or written) at last, the other process's rows kept
    assert h.available and len(told) == 1
    assert count(path) == 3
    assert h.last_level("svc") == (Level.MAJOR_OUTAGE, now + timedelta(minutes=1))


def test_a_corrupt_file_is_moved_aside_with_its_live_wal(
    tmp_path: Path, opened: list[History]
) -> None:
    path = tmp_path / "h.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=wal")
    other.execute("PRAGMA wal_autocheckpoint=0")
    other.executescript(UNVERSIONED)
    other.executemany("INSERT INTO samples VALUES ('s', '', ?, 'x')", [(i,) for i in range(500)])
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.execute("INSERT INTO leads VALUES ('s', 1.0, 2.0, 'only in the wal')")
    with path.open("r+b") as f:  # the samples table's pages, damaged on disk
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096 * 2)
    h = History(path)
    opened.append(h)
    assert h.moved_aside is not None and h.available
    wal = Path(f"{h.moved_aside}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # renamed with its file, never unlinked
    other.close()
    assert count(h.moved_aside, "SELECT COUNT(*) FROM leads") == 1


# -- 5. the clock ----------------------------------------------------------------------------
def test_a_start_with_the_clock_120_days_ahead_keeps_the_history(
    tmp_path: Path, opened: list[History]
) -> None:
    path = tmp_path / "h.sqlite3"
    h = History(path)
    now = datetime.now().astimezone()
    for hour in range(0, 30 * 24, 6):  # 30 days, a sample every 6 h
        level = (Level.OPERATIONAL, Level.DEGRADED)[hour % 12 == 0]
        h.record(
            "svc",
            snap(level, "x" if level is Level.DEGRADED else None),
            now - timedelta(hours=hour),
        )
    h.close()
    rows = count(path)
    ahead = History(path, clock=lambda: now + timedelta(days=120))
    ahead.close()
    kept = count(path)
    print(f"clock 120 days ahead at start: {kept} of {rows} samples kept")
    assert kept == rows and count(path, "SELECT COUNT(*) FROM incidents") > 0


def test_rows_from_the_future_are_ignored_and_logged_once(
    tmp_path: Path, opened: list[History], caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "h.sqlite3"
    now = datetime.now().astimezone()
    ahead = History(path, clock=lambda: now + timedelta(days=120))
    ahead.record("svc", snap(Level.OPERATIONAL), now + timedelta(days=120))  # a run while ahead
    ahead.close()
    caplog.set_level(logging.WARNING, "outage_radar.core.history")
    h = History(path)  # the clock is right again
    opened.append(h)
    h.prune()
    h.record("svc", snap(Level.OPERATIONAL), now - timedelta(minutes=2))
    h.record("svc", snap(Level.MAJOR_OUTAGE), now - timedelta(minutes=1))
    h.commit()
    assert count(path, f"SELECT COUNT(*) FROM samples WHERE at <= {now.timestamp()}") == 4
    assert h.last_level("svc") == (Level.MAJOR_OUTAGE, now - timedelta(minutes=1))
    assert len([r for r in caplog.records if "in the future" in r.getMessage()]) == 1


def test_a_clock_set_back_never_ends_an_incident_before_it_starts(
    tmp_path: Path, opened: list[History]
) -> None:
    h = History(tmp_path / "h.sqlite3")
    opened.append(h)
    now = datetime.now().astimezone()
    h.record("svc", snap(Level.MAJOR_OUTAGE, "down"), now)
    h.record("svc", snap(Level.OPERATIONAL), now - timedelta(hours=1))  # clock set back 1 h
    h.commit()
    [row] = h.summary("svc").incidents
    assert row.ended is not None and row.ended >= row.started
    raw = h.db.execute("SELECT started, ended FROM incidents").fetchone()  # type: ignore[union-attr]
    assert raw[1] >= raw[0]
