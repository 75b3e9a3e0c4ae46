"""Upgrading a history database written by the release before the provider's record (schema 1).

The file in tests/fixtures/history was written by that release's own code (make_v1.py there
says how), so this is the upgrade a user's machine goes through, not one of our imagining.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from outage_radar.core import history_db
from outage_radar.core.history import History
from outage_radar.core.model import Level, Snapshot

V1 = Path(__file__).parents[1] / "fixtures" / "history" / "history_v1.sqlite3"
TABLES = ("samples", "incidents", "checks", "leads")
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def rows(path: Path, table: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        columns = "service, component, at, level" if table == "samples" else "*"
        return sorted(db.execute(f"SELECT {columns} FROM {table}").fetchall(), key=repr)
    finally:
        db.close()


def version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def test_a_version_1_database_upgrades_keeping_every_row(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(V1, path)
    assert version(path) == 1
    before = {table: rows(path, table) for table in TABLES}
    assert len(before["samples"]) == 17280 and before["incidents"] and before["leads"]
    history = History(path, clock=lambda: NOW)
    history.close()
    assert version(path) == history_db.SCHEMA_VERSION
    for table in TABLES:
        assert rows(path, table) == before[table], table


def test_an_upgraded_database_still_shows_its_past_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(V1, path)
    history = History(path, clock=lambda: NOW)
    summary = history.summary("openai-api", 30, NOW)
    by_day = {d.day: d for d in summary.days}
    # The release polled every 10 minutes from Nov 1 to Nov 30 and saw a 90-minute outage on
    # Nov 6 (UTC): that day is red, the others green, and all 30 count for the uptime.
    outage = [d for d in summary.days if d.level is Level.MAJOR_OUTAGE]
    assert len(outage) in (1, 2)  # the UTC day may straddle two local days
    assert any(d.day in (date(2026, 11, 5), date(2026, 11, 6)) for d in outage)
    assert by_day[date(2026, 11, 20)].level is Level.OPERATIONAL
    assert summary.uptime is not None and 0.99 < summary.uptime < 0.999
    [incident] = summary.incidents
    assert incident.title == "Elevated errors on the API"
    assert incident.timeline.lead == timedelta(minutes=7)
    # New polls are written in the new shape, next to the old rows.
    history.record("openai-api", Snapshot(Level.OPERATIONAL), NOW)
    history.record("openai-api", Snapshot(Level.OPERATIONAL), NOW + timedelta(minutes=6))
    history.close()
    db = sqlite3.connect(path)
    newest = db.execute("SELECT at, until FROM samples ORDER BY at DESC LIMIT 1").fetchone()
    db.close()
    assert newest == (NOW.timestamp(), (NOW + timedelta(minutes=6)).timestamp())


def test_a_database_from_a_newer_release_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    shutil.copy(V1, path)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {history_db.SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    history = History(path)
    told = []
    history.listen(told.append)
    history.close()
    assert not history.available and path.read_bytes() == before
    assert [p.title for p in told] == ["History is off: the file is from a newer version"]
