"""Local history in SQLite (WAL): level samples, incidents seen, last checks, daily uptime.

The history is a convenience, never a condition of alerting: nothing here raises into the
monitor. Writes are queued by `record` and written in one short transaction, by `flush` in a
worker thread each round (a database locked by another process waits there, never on the event
loop) or by `commit` in the caller's thread (close, CLI, readers). When a write fails (disk full,
a lock held by another process) the rows go back to the front of the queue, the cause is logged
and told once (`listen`), and a later round tries again, so the history resumes by itself.
Statements wait at most BUSY_TIMEOUT for a lock and a failed write is not retried for
`retry_after` seconds.

Threads: the queue, the problems told and the listeners belong to the event loop's thread; the
connection and the batch being written (`_inflight`) belong to whoever holds `_lock`, so the
worker never touches what `record` appends to.

Time: rows stamped after "now" (a clock that was set ahead, then back) are ignored by sampling
and pruning, pruning counts back from the newest row that is not in the future (one start with
the clock months ahead deletes nothing), and an incident never ends before it started.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from . import history_db
from .model import Level, Snapshot

if TYPE_CHECKING:  # loaded when the History window or the backfill first needs them
    from .history_view import Summary
    from .past import Record

log = logging.getLogger(__name__)

KEEP_DAYS = 365  # a year of your own polls and of the provider's record, then pruned
SHOW_DAYS = 90  # what the History window and `history` show by default
# One sample row stands for a run of polls at one level: its `until` is moved on at most every
# EXTEND seconds, and a row vouches for HOLD after its last poll, so a gap means "no data".
EXTEND = 300.0
HOLD = 900.0
PRUNE_EVERY = 86400.0
RETRY_AFTER = 10.0  # seconds before a failed write or open is tried again
MAX_QUEUED = 50_000  # statements kept while writes fail (~10 MB); the oldest go first

Statement = tuple[str, tuple[Any, ...]]
Fetched = tuple[float, bool, str | None, str | None]  # at, ok, ETag, Last-Modified


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the user should hear once: the history stopped (or never started) working."""

    title: str
    detail: str


def history_path() -> Path:
    return paths.user_data_dir() / "history.sqlite3"


class History:
    def __init__(
        self,
        path: Path | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        retry_after: float = RETRY_AFTER,
    ) -> None:
        self.path = path or history_path()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.moved_aside: Path | None = None
        self.db: sqlite3.Connection | None = None
        self.retry_after = retry_after
        self._last: dict[tuple[str, str], tuple[str, float, float]] = {}
        self._seen: set[tuple[str, str]] = set()
        self._pruned_at = 0.0
        self._queue: list[Statement] = []
        self._lock = threading.Lock()  # every use of the connection, from any thread
        self._inflight: list[Statement] | None = None  # taken from the queue, not yet written
        self._flushing = False
        self._retry_at = 0.0
        self._off = False  # a schema not ours, or closed: never written, never opened again
        self._failing = False
        self._said: list[Problem] = []
        self._logged: set[str] = set()
        self._listeners: list[Callable[[Problem], None]] = []
        self._open()
        self.commit()

    # -- health -------------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """Whether the database is open (it may still fail to write)."""
        return self.db is not None

    def listen(self, tell: Callable[[Problem], None]) -> None:
        """Have `tell` hear each problem once, those met before this call included."""
        self._listeners.append(tell)
        for problem in self._said:
            tell(problem)

    def _problem(self, title: str, detail: str, cause: BaseException | None = None) -> None:
        if any(p.title == title for p in self._said):
            log.debug("%s (%s)", title, cause)
            return
        log.warning("%s: %s%s", title, detail, f" (cause: {cause!r})" if cause else "")
        problem = Problem(title, detail)
        self._said.append(problem)
        for tell in self._listeners:
            try:
                tell(problem)
            except Exception:
                log.exception("telling of a history problem failed")

    def _log_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.warning(message, *args)

    # -- opening ------------------------------------------------------------------------------
    def _open(self) -> bool:
        if self._off:
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._connect()
        except history_db.NotOurs as exc:
            self._off = True
            self._queue.clear()
            self._problem(exc.title, exc.detail)
            return False
        except (OSError, sqlite3.Error) as exc:
            self._failing = True
            self._retry_at = time.monotonic() + self.retry_after
            if history_db.is_busy(exc):
                title = "History is not available yet: locked by another program"
                detail = f"{self.path} is in use; opening it is tried again"
            else:
                title, detail = "History cannot be opened", f"{self.path}: {exc}; tried again"
            self._problem(title, f"{detail} later, and alerts keep coming.", exc)
            return False
        if self._failing:
            log.info("history opened at last: %s", self.path)
        self._pruned_at = self.clock().timestamp()
        self._queue[:0] = self._prunes(self._pruned_at)
        return True

    def _connect(self) -> sqlite3.Connection:
        try:
            return history_db.connect(self.path)
        except sqlite3.Error as exc:
            if not history_db.is_corrupt(exc):
                raise
            cause = exc
        # A corrupt file is kept for inspection and a new one started: never a crash loop.
        self.moved_aside = history_db.move_aside(self.path)
        log.warning("history unreadable (%s); moved aside to %s", cause, self.moved_aside)
        return history_db.connect(self.path)

    def close(self) -> None:
        self._retry_at = 0.0  # one last try, whatever failed before
        self.commit()
        self._off = True  # closed for good: a late round must not open it again
        with self._lock:  # a worker still writing finishes first
            if self.db is not None:
                self.db.close()
                self.db = None

    # -- writing ------------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Whether a write may be tried now: not waiting to retry, and the database open."""
        return time.monotonic() >= self._retry_at and (self.db is not None or self._open())

    def commit(self) -> None:
        """Write what was recorded in one transaction, in this thread; on failure keep it."""
        if not self._ready():
            return
        with self._lock:  # waits for a flush in flight, then writes its batch too
            self._take_back()
            if not self._queue:
                return
            self._inflight, self._queue = self._queue, []
            error = self._write_inflight()
            self._take_back()
        self._written(error)

    async def flush(self) -> None:
        """Write what was recorded in a worker thread: the event loop never waits for a lock.

        One flush at a time; a round that finds one in flight leaves its rows queued for the
        next. Call it from the event loop's thread only."""
        if self._flushing or not self._queue or not self._ready():
            return
        if not self._lock.acquire(blocking=False):
            return  # a worker left by a cancelled flush is still writing: next round
        try:
            self._take_back()
            self._inflight, self._queue = self._queue, []
            # Tried here first, without waiting for any lock: the worker thread (about 0.5 MiB
            # resident for good) starts only once another program holds the database.
            error = self._write_inflight(wait=False)
            locked = error is not None and history_db.is_busy(error)
            if not locked:
                self._take_back()
        finally:
            self._lock.release()
        if not locked:
            self._written(error)
            return
        self._flushing = True
        try:
            error = await asyncio.to_thread(self._write_in_worker)
        finally:
            self._flushing = False
        with self._lock:  # free again: the worker is done
            self._take_back()
        self._written(error)

    def _write_in_worker(self) -> sqlite3.Error | None:
        with self._lock:
            return self._write_inflight()

    def _write_inflight(self, wait: bool = True) -> sqlite3.Error | None:
        """Write `_inflight` in one transaction (lock held); on failure it stays for take back.

        `wait=False`: a lock held by another program fails at once instead of after
        BUSY_TIMEOUT."""
        batch, db = self._inflight, self.db
        if not batch or db is None:
            return None  # taken back by a commit meanwhile, or closed: nothing of ours to do
        try:
            db.execute(f"PRAGMA busy_timeout = {0 if not wait else history_db.BUSY_MS}")
            with db:  # commits, or rolls back what failed half way
                for sql, params in batch:
                    db.execute(sql, params)
        except sqlite3.Error as exc:
            return exc
        self._inflight = None
        return None

    def _take_back(self) -> None:
        """An unwritten batch goes back to the front of the queue (lock held, loop thread)."""
        if self._inflight:
            self._queue[:0] = self._inflight
            self._trim()
        self._inflight = None

    def _written(self, error: sqlite3.Error | None) -> None:
        if error is not None:
            self._write_failed(error)
        elif self._failing:
            self._failing = False
            log.info("history written again")

    def _write_failed(self, exc: sqlite3.Error) -> None:
        self._failing = True
        self._retry_at = time.monotonic() + self.retry_after
        later = f"Alerts keep coming; writing is tried again every {self.retry_after:.0f} s."
        if history_db.is_full(exc):
            title = "History cannot be written: disk full"
            later = "Alerts keep coming; the history is written again once space is freed."
        elif history_db.is_busy(exc):
            title = "History cannot be written: locked by another program"
        else:
            title, later = "History cannot be written", f"{exc}. {later}"
        self._problem(title, f"{self.path}: {later}", exc)

    def _write(self, sql: str, params: tuple[Any, ...]) -> None:
        if self._off:
            return
        self._queue.append((sql, params))
        self._trim()

    def _trim(self) -> None:
        if len(self._queue) > MAX_QUEUED:
            del self._queue[: len(self._queue) - MAX_QUEUED]
            self._log_once("dropped", "history: writes failing for long; oldest rows dropped")

    def record(self, service: str, snapshot: Snapshot, when: datetime) -> None:
        at = when.timestamp()
        if at - self._pruned_at >= PRUNE_EVERY:  # a tray app runs for months: prune as it goes
            self._pruned_at = at
            self._queue[:0] = self._prunes(at, wait=False)
        self._write("INSERT OR REPLACE INTO checks VALUES (?, ?)", (service, at))
        self._sample(service, "", snapshot.level, at)
        for comp in snapshot.components:
            self._sample(service, comp.name, comp.level, at)
        seen = []
        for inc in snapshot.incidents:
            seen.append(inc.id)
            if (service, inc.id) not in self._seen:  # when the page first showed it to you
                self._seen.add((service, inc.id))
                self._write("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (service, inc.id, at))
            started = (inc.started or when).timestamp()
            self._write(
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
        # MAX: with the clock set back, an incident still ends no earlier than it started.
        self._write(
            f"UPDATE incidents SET ended=MAX(?, started) WHERE service=? AND ended IS NULL "
            f"AND id NOT IN ({marks})",
            (at, service, *seen),
        )

    def _sample(self, service: str, component: str, level: Level, at: float) -> None:
        key = (service, component)
        last = self._last.get(key)
        if last is None or last[1] > at:
            # Rows after `at` are from a clock that was ahead: they must not hold back samples.
            # Not waiting for a flush in flight (the loop must not block): unread, a sample is
            # written, one row more than needed.
            rows = self._query(
                "SELECT level, at, COALESCE(until, at) FROM samples WHERE service=? "
                "AND component=? AND at <= ? ORDER BY at DESC LIMIT 1",
                (*key, at),
                wait=False,
            )
            last = (rows[0][0], rows[0][1], rows[0][2]) if rows else ("", 0.0, 0.0)
        raw, start, until = last
        if raw == level.value and 0 <= at - until < HOLD:
            if at - until >= EXTEND:  # the same run goes on: its row says so, no new row
                self._write(
                    "UPDATE samples SET until=? WHERE service=? AND component=? AND at=?",
                    (at, *key, start),
                )
                self._last[key] = (raw, start, at)
            return
        self._write(
            "INSERT INTO samples (service, component, at, level, until) VALUES (?, ?, ?, ?, ?)",
            (*key, at, level.value, at),
        )
        self._last[key] = (level.value, at, at)

    def record_lead(self, service: str, when: datetime, minutes: float, detail: str) -> None:
        self._write(
            "INSERT INTO leads VALUES (?, ?, ?, ?)", (service, when.timestamp(), minutes, detail)
        )

    def record_notice(self, services: Sequence[str], when: datetime) -> None:
        """You were notified about these services (for each incident's timeline)."""
        for service in services:
            self._write("INSERT INTO notices VALUES (?, ?)", (service, when.timestamp()))

    def store_past(self, service: str, record: Record, fetched: datetime) -> None:
        """Keep the provider's record of a service (narrowed to its parts), replacing the last."""
        from . import history_past

        for sql, params in history_past.store(service, record, fetched):
            self._write(sql, params)

    def fetched(self) -> dict[str, Fetched]:
        """When each record was last fetched, whether that worked, and its validators."""
        rows = self._read("SELECT url, at, ok, etag, modified FROM fetched", ())
        return {url: (at, bool(ok), etag, modified) for url, at, ok, etag, modified in rows}

    def mark_fetched(
        self, url: str, when: datetime, ok: bool, etag: str | None, modified: str | None
    ) -> None:
        self._write(
            "INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?)",
            (url, when.timestamp(), int(ok), etag, modified),
        )

    def prune(self, now: datetime | None = None) -> None:
        self._queue[:0] = self._prunes((now or self.clock()).timestamp())
        self.commit()

    def _prunes(self, now: float, wait: bool = True) -> list[Statement]:
        """Deletes of what is older than KEEP_DAYS before the newest row that is not ahead."""
        ahead = self._query("SELECT COUNT(*) FROM samples WHERE at > ?", (now,), wait=wait)
        if ahead and ahead[0][0]:
            self._log_once(
                "ahead", "history: %d rows are dated in the future; ignored", ahead[0][0]
            )
        newest = self._query("SELECT MAX(at) FROM samples WHERE at <= ?", (now,), wait=wait)
        if not newest or newest[0][0] is None:
            return []  # nothing to count back from (or unreadable): delete nothing
        # From the newest row, not from now: one start with a clock months ahead deletes nothing.
        cutoff = min(now, newest[0][0]) - KEEP_DAYS * 86400.0
        return [
            ("DELETE FROM samples WHERE COALESCE(until, at) < ?", (cutoff,)),
            ("DELETE FROM incidents WHERE updated < ?", (cutoff,)),
            ("DELETE FROM leads WHERE at < ?", (cutoff,)),
            ("DELETE FROM past_incidents WHERE COALESCE(ended, started) < ?", (cutoff,)),
            ("DELETE FROM past_spans WHERE end < ?", (cutoff,)),
            ("DELETE FROM past_cover WHERE end < ?", (cutoff,)),
            ("DELETE FROM past_read WHERE at < ?", (cutoff,)),
            ("DELETE FROM seen WHERE at < ?", (cutoff,)),
            ("DELETE FROM notices WHERE at < ?", (cutoff,)),
        ]

    # -- reading ------------------------------------------------------------------------------
    def _query(self, sql: str, params: tuple[Any, ...], *, wait: bool = True) -> list[Any]:
        if self.db is None or not self._lock.acquire(blocking=wait):
            return []
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            error: sqlite3.Error | None = exc
        finally:
            self._lock.release()
        self._problem("History cannot be read", f"{self.path}: {error}.", error)
        return []

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        """A query that sees what was recorded: queued rows are written first (if they can be)."""
        if (self._queue or self._inflight) and self.db is not None:
            self.commit()
        return self._query(sql, params)

    def last_level(self, service: str) -> tuple[Level, datetime] | None:
        """The last known level of a service and since when, to resume after a restart."""
        now = self.clock().timestamp()
        rows = self._read(
            "SELECT level, at FROM samples WHERE service=? AND component='' AND level != ? "
            "AND at <= ? ORDER BY at DESC LIMIT 1",
            (service, Level.UNKNOWN.value, now),
        )
        if not rows:
            return None
        raw, at = rows[0]
        start = self._query(
            "SELECT at FROM samples WHERE service=? AND component='' AND level NOT IN (?, ?) "
            "AND at <= ? ORDER BY at DESC LIMIT 1",
            (service, raw, Level.UNKNOWN.value, now),
        )
        since = self._query(
            "SELECT MIN(at) FROM samples WHERE service=? AND component='' AND at > ?",
            (service, start[0][0] if start else 0.0),
        )
        first = since[0][0] if since else None
        return Level.parse(raw), datetime.fromtimestamp(first or at).astimezone()

    def leads(self, service: str, limit: int = 20) -> list[tuple[datetime, float, str]]:
        rows = self._read(
            "SELECT at, minutes, detail FROM leads WHERE service=? ORDER BY at DESC LIMIT ?",
            (service, limit),
        )
        return [(_local(at), minutes, detail) for at, minutes, detail in rows]

    def summary(self, service: str, days: int = SHOW_DAYS, now: datetime | None = None) -> Summary:
        """Days, uptime, incidents and timelines: your polls first, the provider's record after."""
        from . import history_past

        when = (now or self.clock()).astimezone()
        return history_past.summarize(self._read, service, days, when, HOLD)


def _local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts).astimezone()
