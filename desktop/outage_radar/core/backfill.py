"""Backfill: the provider's record of each page, read when first watched and then once a day.

One read per page, whatever the number of services on it: the record is narrowed to each
service's parts and stored as the provider's (the history keeps it apart from what the app saw).
Google's and Better Stack's record is the polled body itself, so they cost no request at all;
Statuspage and incident.io cost one conditional GET of `incidents.json` a day, with the same
client, caps and deadline as polling. A failed read is tried again after RETRY, never sooner; a
page without a record we read is simply not backfilled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from . import check
from .catalog import Service
from .fetch import Fetcher, FetchResult
from .model import Component

if TYPE_CHECKING:
    from .history import Fetched, History

log = logging.getLogger(__name__)

DAILY = 86400.0
RETRY = 3600.0
HISTORY_PLATFORMS = frozenset({"statuspage", "incidentio", "google", "betterstack"})
FROM_POLL = frozenset({"google", "betterstack"})  # the polled body is the record itself


def history_url(service: Service) -> str | None:
    """Where a service's page publishes its record; None when it has none we read."""
    if service.platform not in HISTORY_PLATFORMS or not service.endpoints:
        return None
    if service.platform in FROM_POLL:
        return service.endpoints[0]
    for url in service.endpoints:
        head, sep, _ = url.partition("/api/v2/")
        if sep:
            return f"{head}/api/v2/incidents.json"
    return service.url.rstrip("/") + "/api/v2/incidents.json"


def _now() -> datetime:
    return datetime.now().astimezone()


class Backfill:
    def __init__(
        self, history: History, fetcher: Fetcher, clock: Callable[[], datetime] = _now
    ) -> None:
        self.history, self.fetcher, self.clock = history, fetcher, clock
        self.reads = 0  # records read and stored (for tests and `doctor`)
        self._busy: set[str] = set()
        # Read once: the loop must never wait for the database (another program may lock it).
        self._fetched: dict[str, Fetched] | None = None
        self._tasks: set[asyncio.Task[bool]] = set()

    def due(self, services: Sequence[Service]) -> str | None:
        """The record URL of a page if it is due for a read now, else None."""
        url = history_url(services[0]) if services else None
        if url is None or url in self._busy:
            return None
        last = self._last(url)
        if last is not None:
            age = self.clock().timestamp() - last[0]
            if 0 <= age < (DAILY if last[1] else RETRY):
                return None
        return url

    def _last(self, url: str) -> Fetched | None:
        if self._fetched is None:
            self._fetched = self.history.fetched()
        return self._fetched.get(url)

    def _mark(
        self, url: str, when: datetime, ok: bool, etag: str | None, modified: str | None
    ) -> None:
        if self._fetched is None:
            self._fetched = self.history.fetched()
        self._fetched[url] = (when.timestamp(), ok, etag, modified)
        self.history.mark_fetched(url, when, ok, etag, modified)

    def spawn(self, services: Sequence[Service], polled: Sequence[FetchResult]) -> None:
        """Read the page's record in the background when due (the monitor calls this per poll)."""
        if self.due(services) is None:
            return
        task = asyncio.get_running_loop().create_task(self.page(services, polled))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait for the reads started so far (tests, and the CLI before it prints)."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def page(self, services: Sequence[Service], polled: Sequence[FetchResult]) -> bool:
        """Read and store one page's record for its services; False when nothing was stored."""
        url = self.due(services)
        if url is None:
            return False
        self._busy.add(url)
        try:
            return await self._page(url, services, polled)
        except Exception:
            log.exception("reading the record of %s failed", url)
            self._mark(url, self.clock(), False, None, None)
            return False
        finally:
            self._busy.discard(url)
            await self.history.flush()

    async def _page(
        self, url: str, services: Sequence[Service], polled: Sequence[FetchResult]
    ) -> bool:
        first = services[0]
        if first.platform in FROM_POLL and polled and polled[0].ok:
            result = polled[0]
        else:
            last = self._last(url)
            result = await self.fetcher.get(url, (last[2], last[3]) if last and last[1] else None)
        now = self.clock()
        if result.not_modified and result.body is None:
            self._mark(url, now, True, result.etag, result.modified)
            return False  # unchanged since the stored read: what is stored stands
        if result.status in (404, 410):  # no record on this page: asked again tomorrow
            self._mark(url, now, True, None, None)
            return False
        if not result.ok or result.body is None:
            log.info("no record from %s: %s", url, result.error)
            self._mark(url, now, False, None, None)
            return False
        from . import past  # the parsers of every platform's record: loaded on a first read
        from .sources.common import ParseError

        components = _components(first, polled)
        try:
            for service in services:
                record = past.read(
                    service.platform, result.body, product=service.product, page_url=service.url
                )
                self.history.store_past(service.id, past.narrow(record, service, components), now)
        except ParseError as exc:
            log.info("no record from %s: %s", url, exc)
            self._mark(url, now, False, None, None)
            return False
        self._mark(url, now, True, result.etag, result.modified)
        self.reads += 1
        return True


def _components(service: Service, polled: Sequence[FetchResult]) -> tuple[Component, ...]:
    """The page's parts with their groups, from the poll (incidents may name parts only)."""
    if not polled or not polled[0].ok:
        return ()
    return check.parse_page(service, polled).components
