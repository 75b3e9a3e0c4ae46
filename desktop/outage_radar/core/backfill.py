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
from .fetch import Fetcher, FetchResult, Validators
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
        """The record URL of a page if it is due for a read now, else None.

        Due when it was read over a day ago (a failed read: an hour), or when a service on it
        has never had it read: one added today gets its past today, not tomorrow."""
        url = history_url(services[0]) if services else None
        if url is None or url in self._busy:
            return None
        now = self.clock().timestamp()
        for service in services:
            last = self._last(url, service)
            if last is None or not 0 <= now - last[0] < (DAILY if last[1] else RETRY):
                return url
        return None

    def _rows(self) -> dict[str, Fetched]:
        if self._fetched is None:
            self._fetched = self.history.fetched()
        return self._fetched

    def _last(self, url: str, service: Service) -> Fetched | None:
        # Kept per page and service, so a service new on a page read today is still due.
        return self._rows().get(f"{url}#{service.id}")

    def _validators(self, url: str, services: Sequence[Service]) -> Validators | None:
        """The page's ETag and Last-Modified when every service has its record stored: a 304
        then says all of them are current (a new service needs the body itself)."""
        rows = [self._last(url, s) for s in services]
        if not all(r is not None and r[1] for r in rows):
            return None
        return (rows[0][2], rows[0][3]) if rows and rows[0] is not None else None

    def _mark(
        self,
        url: str,
        services: Sequence[Service],
        ok: bool,
        etag: str | None = None,
        modified: str | None = None,
    ) -> None:
        when = self.clock()
        for service in services:
            key = f"{url}#{service.id}"
            self._rows()[key] = (when.timestamp(), ok, etag, modified)
            self.history.mark_fetched(key, when, ok, etag, modified)

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
            self._mark(url, services, False)
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
            validators = self._validators(url, services)
            result = await self.fetcher.get(url, validators)
            if result.not_modified and result.body is None and validators is not None:
                # Unchanged since the stored read: what is stored stands, ETag and all.
                self._mark(url, services, True, *validators)
                return False
        now = self.clock()
        if result.status in (404, 410):  # no record on this page: asked again tomorrow
            self._mark(url, services, True)
            return False
        if not result.ok or result.body is None:
            log.info("no record from %s: %s", url, result.error)
            self._mark(url, services, False)
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
            self._mark(url, services, False)
            return False
        self._mark(url, services, True, result.etag, result.modified)
        self.reads += 1
        return True


def _components(service: Service, polled: Sequence[FetchResult]) -> tuple[Component, ...]:
    """The page's parts with their groups, from the poll (incidents may name parts only)."""
    if not polled or not polled[0].ok:
        return ()
    return check.parse_page(service, polled).components
