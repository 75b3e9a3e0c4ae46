"""Local history in SQLite (WAL): level samples, incidents seen, last checks, daily uptime."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .. import paths
from .model import Level, Snapshot

KEEP_DAYS = 90
HEARTBEAT = 600.0  # a sample at least this often, so a gap means "no data", not "all fine"
HOLD = 900.0  # how long one sample vouches for the state after it

_SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    service TEXT NOT NULL, component TEXT NOT NULL, at REAL NOT NULL, level TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS samples_by_service ON samples (service, component, at);
CREATE TABLE IF NOT EXISTS incidents (
    service TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT,
    level TEXT NOT NULL, started REAL NOT NULL, updated REAL NOT NULL, ended REAL,
    PRIMARY KEY (service, id));
CREATE TABLE IF NOT EXISTS checks (service TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS leads (
    service TEXT NOT NULL, at REAL NOT NULL, minutes REAL NOT NULL, detail TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class DayUptime:
    day: date
    ratio: float | None
    worst: Level


@dataclass(frozen=True, slots=True)
class IncidentRow:
    title: str
    url: str | None
    level: Level
    started: datetime
    ended: datetime | None


def history_path() -> Path:
    return paths.user_data_dir() / "history.sqlite3"


class History:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or history_path()
        self.moved_aside: Path | None = None
        self._last: dict[tuple[str, str], tuple[str, float]] = {}
        self.db = self._open()
        self.prune()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError:
            # A corrupt file is kept for inspection and a new one started: never a crash loop.
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            self.moved_aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            self.path.replace(self.moved_aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("quick_check failed")
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    # -- writing ------------------------------------------------------------------------------
    def record(self, service: str, snapshot: Snapshot, when: datetime) -> None:
        at = when.timestamp()
        self.db.execute("INSERT OR REPLACE INTO checks VALUES (?, ?)", (service, at))
        self._sample(service, "", snapshot.level, at)
        for comp in snapshot.components:
            self._sample(service, comp.name, comp.level, at)
        seen = []
        for inc in snapshot.incidents:
            seen.append(inc.id)
            started = (inc.started or when).timestamp()
            self.db.execute(
                "INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, NULL) "
                "ON CONFLICT (service, id) DO UPDATE SET title=excluded.title, "
                "url=excluded.url, level=excluded.level, updated=excluded.updated, ended=NULL",
                (
                    service,
                    inc.id,
                    inc.title,
                    inc.url,
                    inc.level.value,
                    started,
                    (inc.updated or when).timestamp(),
                ),
            )
        marks = ",".join("?" * len(seen))
        self.db.execute(
            f"UPDATE incidents SET ended=? WHERE service=? AND ended IS NULL "
            f"AND id NOT IN ({marks})",
            (at, service, *seen),
        )

    def _sample(self, service: str, component: str, level: Level, at: float) -> None:
        key = (service, component)
        last = self._last.get(key)
        if last is None:
            row = self.db.execute(
                "SELECT level, at FROM samples WHERE service=? AND component=? "
                "ORDER BY at DESC LIMIT 1",
                key,
            ).fetchone()
            last = (row[0], row[1]) if row else ("", 0.0)
        if last[0] == level.value and at - last[1] < HEARTBEAT:
            return
        self.db.execute(
            "INSERT INTO samples VALUES (?, ?, ?, ?)", (service, component, at, level.value)
        )
        self._last[key] = (level.value, at)

    def record_lead(self, service: str, when: datetime, minutes: float, detail: str) -> None:
        self.db.execute(
            "INSERT INTO leads VALUES (?, ?, ?, ?)", (service, when.timestamp(), minutes, detail)
        )

    def prune(self, now: datetime | None = None) -> None:
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=KEEP_DAYS)).timestamp()
        self.db.execute("DELETE FROM samples WHERE at < ?", (cutoff,))
        self.db.execute("DELETE FROM incidents WHERE updated < ?", (cutoff,))
        self.db.execute("DELETE FROM leads WHERE at < ?", (cutoff,))
        self.db.commit()

    # -- reading ------------------------------------------------------------------------------
    def last_level(self, service: str) -> tuple[Level, datetime] | None:
        """The last known level of a service and since when, to resume after a restart."""
        row = self.db.execute(
            "SELECT level, at FROM samples WHERE service=? AND component='' AND level != ? "
            "ORDER BY at DESC LIMIT 1",
            (service, Level.UNKNOWN.value),
        ).fetchone()
        if row is None:
            return None
        level = Level.parse(row[0])
        start = self.db.execute(
            "SELECT at FROM samples WHERE service=? AND component='' AND level NOT IN (?, ?) "
            "ORDER BY at DESC LIMIT 1",
            (service, row[0], Level.UNKNOWN.value),
        ).fetchone()
        since = self.db.execute(
            "SELECT MIN(at) FROM samples WHERE service=? AND component='' AND at > ?",
            (service, start[0] if start else 0.0),
        ).fetchone()[0]
        return level, datetime.fromtimestamp(since or row[1]).astimezone()

    def last_check(self, service: str) -> datetime | None:
        row = self.db.execute("SELECT at FROM checks WHERE service=?", (service,)).fetchone()
        return datetime.fromtimestamp(row[0]).astimezone() if row else None

    def incidents(self, service: str, limit: int = 20) -> list[IncidentRow]:
        rows = self.db.execute(
            "SELECT title, url, level, started, ended FROM incidents WHERE service=? "
            "ORDER BY started DESC LIMIT ?",
            (service, limit),
        ).fetchall()
        return [
            IncidentRow(t, u, Level.parse(lv), _local(s), _local(e) if e else None)
            for t, u, lv, s, e in rows
        ]

    def leads(self, service: str, limit: int = 20) -> list[tuple[datetime, float, str]]:
        rows = self.db.execute(
            "SELECT at, minutes, detail FROM leads WHERE service=? ORDER BY at DESC LIMIT ?",
            (service, limit),
        ).fetchall()
        return [(_local(at), minutes, detail) for at, minutes, detail in rows]

    def uptime(
        self, service: str, days: int = KEEP_DAYS, now: datetime | None = None
    ) -> list[DayUptime]:
        """Per local day, the share of observed time that was operational (or maintenance)."""
        now = (now or datetime.now()).astimezone()
        first = now.date() - timedelta(days=days - 1)
        start = datetime.combine(first, datetime.min.time()).astimezone().timestamp()
        rows = self.db.execute(
            "SELECT at, level FROM samples WHERE service=? AND component='' AND at >= ? "
            "ORDER BY at",
            (service, start - HOLD),
        ).fetchall()
        good: dict[date, float] = {}
        seen: dict[date, float] = {}
        worst: dict[date, Level] = {}
        end_all = now.timestamp()
        for i, (at, raw) in enumerate(rows):
            level = Level.parse(raw)
            until = min(rows[i + 1][0] if i + 1 < len(rows) else end_all, at + HOLD, end_all)
            if level is Level.UNKNOWN:
                continue
            for day, span in _split_by_day(max(at, start), until):
                seen[day] = seen.get(day, 0.0) + span
                if not level.is_problem:
                    good[day] = good.get(day, 0.0) + span
                if level.rank > worst.get(day, Level.UNKNOWN).rank:
                    worst[day] = level
        out = []
        for n in range(days):
            day = first + timedelta(days=n)
            total = seen.get(day, 0.0)
            ratio = good.get(day, 0.0) / total if total > 0 else None
            out.append(DayUptime(day, ratio, worst.get(day, Level.UNKNOWN)))
        return out


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts).astimezone()


def _split_by_day(start: float, end: float) -> list[tuple[date, float]]:
    spans = []
    while start < end:
        moment = datetime.fromtimestamp(start).astimezone()
        next_day = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time())
        boundary = min(next_day.astimezone().timestamp(), end)
        spans.append((moment.date(), boundary - start))
        start = boundary
    return spans
