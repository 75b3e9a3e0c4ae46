"""Opening the history database: its schema version, migration, and corrupt told from busy.

`PRAGMA user_version` says which schema a file holds. Version 0 with version 1's tables (or none)
is a file from before versions existed. Version 1, the release before the provider's record was
read, gains version 2's tables and a `until` column on its samples: every row is kept as it is.
A newer version, or a table with columns this code does not know, belongs to another version of
the app: it is left untouched (not even switched to WAL) and the caller runs without history.

Only SQLite's own verdict (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check) makes a file
corrupt; a busy or locked one is someone else's live database and must never be moved aside.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

SCHEMA_VERSION = 2
OLDER_VERSIONS = (0, 1)  # migrated forward by adding what they lack
BUSY_TIMEOUT = 0.2  # seconds a statement waits for another process's lock: never a frozen UI
BUSY_MS = int(BUSY_TIMEOUT * 1000)

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 5, 6, 11, 13, 26

_COLUMNS = {
    "samples": ("service", "component", "at", "level", "until"),
    "incidents": ("service", "id", "title", "url", "level", "started", "updated", "ended"),
    "checks": ("service", "at"),
    "leads": ("service", "at", "minutes", "detail"),
    "past_incidents": ("service", "id", "title", "url", "level", "started", "said", "ended"),
    "past_spans": ("service", "start", "end", "level"),
    "past_cover": ("service", "start", "end"),
    "past_read": ("service", "at"),
    "fetched": ("url", "at", "ok", "etag", "modified"),
    "seen": ("service", "incident", "at"),
    "notices": ("service", "at"),
}
_V1_SAMPLES = _COLUMNS["samples"][:-1]  # version 1 had no `until`: it is added, rows kept

_SCHEMA = f"""
BEGIN;
CREATE TABLE IF NOT EXISTS samples (
    service TEXT NOT NULL, component TEXT NOT NULL, at REAL NOT NULL, level TEXT NOT NULL,
    until REAL);
CREATE INDEX IF NOT EXISTS samples_by_service ON samples (service, component, at);
CREATE TABLE IF NOT EXISTS incidents (
    service TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT,
    level TEXT NOT NULL, started REAL NOT NULL, updated REAL NOT NULL, ended REAL,
    PRIMARY KEY (service, id));
CREATE TABLE IF NOT EXISTS checks (service TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS leads (
    service TEXT NOT NULL, at REAL NOT NULL, minutes REAL NOT NULL, detail TEXT NOT NULL);
-- Version 2: the provider's own record, kept apart from what this app saw itself.
CREATE TABLE IF NOT EXISTS past_incidents (
    service TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT,
    level TEXT NOT NULL, started REAL NOT NULL, said REAL NOT NULL, ended REAL,
    PRIMARY KEY (service, id));
CREATE TABLE IF NOT EXISTS past_spans (
    service TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL, level TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS past_spans_by_service ON past_spans (service, start);
CREATE TABLE IF NOT EXISTS past_cover (
    service TEXT NOT NULL, start REAL NOT NULL, end REAL NOT NULL);
CREATE TABLE IF NOT EXISTS past_read (service TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY, at REAL NOT NULL, ok INTEGER NOT NULL, etag TEXT, modified TEXT);
CREATE TABLE IF NOT EXISTS seen (
    service TEXT NOT NULL, incident TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (service, incident));
CREATE TABLE IF NOT EXISTS notices (service TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS notices_by_service ON notices (service, at);
PRAGMA user_version = {SCHEMA_VERSION};
COMMIT;
"""


class Corrupt(sqlite3.DatabaseError):
    """SQLite read the file and found it damaged."""


class NotOurs(Exception):
    """A schema this code does not know (newer, or unexpected columns): left untouched."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(detail)
        self.title, self.detail = title, detail


def code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an error, if it carries one (raised by SQLite, it does)."""
    raw = getattr(exc, "sqlite_errorcode", None)
    return raw & 0xFF if isinstance(raw, int) else None


def is_corrupt(exc: BaseException) -> bool:
    return isinstance(exc, Corrupt) or code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def is_busy(exc: BaseException) -> bool:
    return code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED)


def is_full(exc: BaseException) -> bool:
    return code(exc) == _SQLITE_FULL


def connect(path: Path) -> sqlite3.Connection:
    """Open, check and (if it is a pre-version file) stamp the database; raises what it found."""
    # Used from a worker thread too (History.flush), always under History's lock.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)
    try:
        _check_schema(db, path)
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise Corrupt("quick_check failed")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            try:
                db.executescript(_migration(db))
            except sqlite3.Error:
                db.rollback()
                raise
    except BaseException:
        db.close()
        raise
    return db


def _migration(db: sqlite3.Connection) -> str:
    """The script that brings an older file (or an empty one) to SCHEMA_VERSION in one go."""
    found = tuple(row[1] for row in db.execute("PRAGMA table_info(samples)"))
    if found != _V1_SAMPLES:
        return _SCHEMA
    # Version 1's samples were points; version 2 lets one row stand for a run of polls.
    return _SCHEMA.replace("BEGIN;", "BEGIN;\nALTER TABLE samples ADD COLUMN until REAL;", 1)


def _check_schema(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version not in (*OLDER_VERSIONS, SCHEMA_VERSION):
        raise NotOurs(
            "History is off: the file is from a newer version",
            f"{path} has schema version {version} (this version uses {SCHEMA_VERSION}); it is "
            "left untouched and alerts keep coming without history.",
        )
    for table, expected in _COLUMNS.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        older = version in OLDER_VERSIONS and table == "samples" and found == _V1_SAMPLES
        if found and found != expected and not older:
            raise NotOurs(
                "History is off: unknown file layout",
                f"{path} has a '{table}' table with columns {', '.join(found)}; it is left "
                "untouched and alerts keep coming without history.",
            )


def move_aside(path: Path) -> Path:
    """Rename a corrupt file and its -wal/-shm together: kept for inspection, never unlinked."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.replace(Path(f"{aside}{suffix}"))
    return aside
