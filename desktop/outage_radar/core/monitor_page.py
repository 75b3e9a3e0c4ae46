"""One status page in the monitor: its schedule, its failures, and one poll for all its services."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import check
from .check import PageKey
from .failures import INTERNAL, Failure, bad_payload
from .fetch import FetchResult
from .model import Change, Level, Snapshot
from .watch import Watch

if TYPE_CHECKING:
    from .monitor import Monitor

UNREADABLE = bad_payload("unreadable")


def backoff(failures: int, interval: float, fast: float, cap: float) -> float:
    """Seconds before retrying a page that failed `failures` times in a row."""
    if failures <= 1:
        return min(interval, fast)
    return min(interval * 2.0 ** (failures - 1), max(interval, cap))


@dataclass(eq=False)
class Page:
    platform: str
    endpoints: tuple[str, ...]
    url: str
    watches: list[Watch] = field(default_factory=list)
    failures: int = 0
    network_failure: bool = False
    next_at: float = 0.0
    not_before: float = 0.0
    start: int = 0  # the first endpoint to ask (a fallback platform's page without its best one)
    task: asyncio.Task[None] | None = None

    def forget(self) -> None:
        for watch in self.watches:
            watch.parsed = None

    async def poll(self, monitor: Monitor) -> list[Change]:
        """Fetch the page once and read every service on it; returns the confirmed changes."""
        if self.platform == "auto":
            found = await check.find_platform(monitor.fetcher, self.url)
            if isinstance(found, FetchResult):
                return self._fetch_failed(found, monitor)
            self.platform, self.endpoints = found
            for watch in self.watches:
                watch.service = check.with_platform(watch.service, found)
        results = await check.fetch_page(monitor.fetcher, self.platform, self.endpoints, self.start)
        primary = results[0]
        if not primary.ok:
            return self._fetch_failed(primary, monitor)
        if primary.url in self.endpoints[1:] and self.endpoints[0] != primary.url:
            self.start = self.endpoints.index(primary.url)  # the best one is missing here
        network_back = self.failures > 0 and self.network_failure
        now, mono = monitor.clock.now(), monitor.clock.monotonic()
        unchanged = all(r.not_modified for r in results if r.ok)
        changes: list[Change] = []
        unreadable = 0
        for watch in self.watches:
            watch.checked_at = now
            snap = self._read(watch, results, unchanged).at(now)
            if snap.level is Level.UNKNOWN:
                # An unreadable page counts as a failure too, or a page stuck on HTML or bad
                # JSON would show its last state forever.
                watch.failed(snap.failure or UNREADABLE, now, snap)
                unreadable += 1
                continue
            changes += watch.confirm(snap, now, monitor.saved_level)
            monitor.record(watch, now)
        self.network_failure = False
        monitor.read_page(self.watches, results)
        if unreadable == len(self.watches):
            self.failures += 1
            monitor.schedule(self, mono, failed=True)
        else:
            self.failures = 0
            monitor.schedule(self, mono)
        if network_back:
            monitor.network_back(self)
        return changes

    def _read(self, watch: Watch, results: Sequence[FetchResult], unchanged: bool) -> Snapshot:
        if watch.parsed is not None and unchanged:
            return watch.parsed
        snap = check.read(watch.service, results)
        watch.parsed = snap if snap.level is not Level.UNKNOWN else None
        return snap

    def _fetch_failed(self, result: FetchResult, monitor: Monitor) -> list[Change]:
        self.failed(result.failure or INTERNAL, result.retry_after, monitor)
        return []

    def failed(self, failure: Failure, retry_after: float | None, monitor: Monitor) -> None:
        """A poll that read nothing: every service on the page counts one failure."""
        now, mono = monitor.clock.now(), monitor.clock.monotonic()
        self.failures += 1
        self.network_failure = failure.network
        for watch in self.watches:
            watch.checked_at = now
            watch.failed(failure, now, None)
        self.not_before = mono + (retry_after or 0.0)
        monitor.schedule(self, mono, failed=True)


def pages_for(
    watches: Sequence[tuple[PageKey, Watch]], old: dict[PageKey, Page]
) -> dict[PageKey, Page]:
    """Group watches by page, keeping the schedule and state of pages that stay.

    Keys come from the catalog's services, so a page whose platform was detected keeps its key."""
    pages: dict[PageKey, Page] = {}
    for key, watch in watches:
        page = pages.get(key)
        if page is None:
            page = old.get(key) or Page(key[0], key[1], watch.service.url)
            page.watches = []
            pages[key] = page
        page.watches.append(watch)
    return pages
