"""The monitor: polls each status page on its own jittered schedule and confirms changes.

The unit of polling is the page, not the service: services sharing a page are read from one
fetch, so none of them can miss a change another one fetched (a 304 then means "unchanged"
for all of them). Each page runs on its own: a page that hangs, drips or backs off never delays
another page's poll, confirmation or alert.

Rules that keep it from crying wolf:
- a single failed poll changes nothing; a service turns unknown after FAILS_TO_UNKNOWN in a row;
- a new level must be seen on two polls in a row before it counts (a re-poll comes quickly);
- when every page fails for network reasons the state is "offline", never an outage; one page
  is then tried every few seconds, and the first answer brings every page back at once;
- a wall-clock jump (suspend/resume) triggers an immediate re-poll of everything;
- the first poll after a start is compared with the last saved state in the history;
- changes that come close together are announced together (GROUP_WINDOW), so four services
  failing at once make one notification.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from .announce import GROUP_WINDOW, Announcer, ChangeListener, UpdateListener
from .backfill import Backfill
from .catalog import Service
from .check import PageKey, page_key
from .failures import INTERNAL, LINK_ONLY, OFFLINE
from .fetch import Fetcher, FetchResult
from .model import Change, Level, Snapshot
from .monitor_page import Page, backoff, pages_for
from .settings import interval_in_range
from .state import ServiceState
from .watch import FAILS_TO_UNKNOWN, Watch

if TYPE_CHECKING:
    from .history import History

log = logging.getLogger(__name__)

__all__ = ["FAILS_TO_UNKNOWN", "FAST_INTERVAL", "MAX_BACKOFF", "OFFLINE", "Monitor"]

FAST_INTERVAL = 15.0
MAX_BACKOFF = 900.0
WALL_JUMP = 30.0
OFFLINE_RECHECK = 4.0  # while offline, one page is tried this often (no server sees it)

Seen = dict[str, tuple[Snapshot, datetime | None]]


class Clock(Protocol):
    def now(self) -> datetime: ...
    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()


class Monitor:
    def __init__(
        self,
        services: Sequence[Service],
        *,
        fetcher: Fetcher | None = None,
        history: History | None = None,
        interval: float = 60.0,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        group_window: float = GROUP_WINDOW,
    ) -> None:
        self.fetcher = fetcher or Fetcher()
        self.history = history
        self.interval = interval_in_range(interval, 60.0)
        self.clock: Clock = clock or SystemClock()
        # The provider's record of each page, read when first polled and then once a day.
        self.backfill = (
            Backfill(history, self.fetcher, self.clock.now) if history is not None else None
        )
        self.rng = rng or random.Random()
        self._watches: dict[str, Watch] = {}
        self._pages: dict[PageKey, Page] = {}
        self._announcer = Announcer(
            lambda: self.states,
            lambda: any(w.pending is not None for w in self._watches.values()),
            group_window,
        )
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_wall: datetime | None = None
        self._last_mono = 0.0
        self._failed_once: set[str] = set()
        self.rounds = 0
        self.set_services(services)

    # -- public API -------------------------------------------------------------------------
    @property
    def states(self) -> Mapping[str, ServiceState]:
        return {key: w.state for key, w in self._watches.items()}

    def add_listener(
        self, *, update: UpdateListener | None = None, changes: ChangeListener | None = None
    ) -> None:
        if update is not None:
            self._announcer.update.append(update)
        if changes is not None:
            self._announcer.changes.append(changes)

    def set_services(self, services: Sequence[Service]) -> None:
        old = self._watches
        fresh: dict[str, Watch] = {}
        keyed: list[tuple[PageKey, Watch]] = []
        for service in services:
            watch = old.get(service.id)
            if watch is None or watch.service.url != service.url:
                watch = Watch(service)
            elif service.platform != "auto" and watch.service != service:
                watch.service, watch.parsed = service, None  # e.g. its parts were renamed
            if service.link_only:
                watch.shown = Snapshot.failed(LINK_ONLY)  # listed with its links, never polled
            else:
                keyed.append((page_key(service), watch))
            fresh[service.id] = watch
        self._watches = fresh
        pages = pages_for(keyed, self._pages)
        for key, page in self._pages.items():
            if key not in pages and page.task is not None:
                page.task.cancel()
        self._pages = pages
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        self.interval = interval_in_range(seconds, self.interval)
        for page in self._pages.values():
            page.next_at = min(page.next_at, page.not_before)
        self._wake.set()

    def check_now(self) -> None:
        self._all_due()
        self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="monitor")

    async def stop(self) -> None:
        """Stop polling and close the client; always completes, whatever a task raised."""
        tasks = [t for t in (self._task, *(p.task for p in self._pages.values())) if t]
        self._task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("the monitor ended with an error")
        self._announcer.cancel()
        if self.backfill is not None:
            await self.backfill.stop()
        try:
            await self.fetcher.aclose()
        except Exception:
            log.exception("closing the HTTP client failed")

    async def run(self) -> None:
        """Poll forever: each due page in its own task, so none waits for another."""
        loop = asyncio.get_running_loop()
        while True:
            mono = self.clock.monotonic()
            if self._wall_jumped(mono):
                self._all_due()
            for page in self._pages.values():
                if page.task is None and page.next_at <= mono:
                    page.task = loop.create_task(self._run_page(page), name="monitor page")
            await self._sleep_until_due()

    async def poll_due(self) -> list[Change]:
        """Poll every page due now, together; announces (and returns) the confirmed changes.

        One call is one round, announced at once: tests and tools drive the monitor with it."""
        mono = self.clock.monotonic()
        if self._wall_jumped(mono):
            self._all_due()
        due = [p for p in self._pages.values() if p.task is None and p.next_at <= mono]
        if not due:
            return []
        before = self._seen()
        results = await asyncio.gather(*(self._poll(p) for p in due))
        changes = [c for batch in results for c in batch]
        await self._after(before, changes, at_once=True)
        return changes

    # -- one page ---------------------------------------------------------------------------
    async def _run_page(self, page: Page) -> None:
        try:
            before = self._seen()
            changes = await self._poll(page)
            await self._after(before, changes, at_once=False)
        finally:
            page.task = None
            self._wake.set()

    async def _poll(self, page: Page) -> list[Change]:
        try:
            return await page.poll(self)
        except Exception:
            # A bug tripped by one page (a parser, a header) must not end the polling of all.
            log.exception("checking %s failed", page.url)
            page.forget()  # its parses describe an older body: a 304 must not bring them back
            page.failed(INTERNAL, retry_after=None, monitor=self)
            return []

    def saved_level(self, service_id: str) -> tuple[Level, datetime] | None:
        if self.history is None:
            return None
        try:
            return self.history.last_level(service_id)
        except Exception:
            self._log_once("history", "reading the history failed")
            return None

    def record(self, watch: Watch, now: datetime) -> None:
        if self.history is not None:
            try:
                self.history.record(watch.service.id, watch.shown, now)
            except Exception:
                self._log_once("history", "writing the history failed; polling goes on")

    def read_page(self, watches: Sequence[Watch], results: Sequence[FetchResult]) -> None:
        """A page was read: its record is due when never read, or read over a day ago."""
        if self.backfill is not None:
            self.backfill.spawn([w.service for w in watches], results)

    def schedule(self, page: Page, mono: float, *, failed: bool = False) -> None:
        """When `page` is next due: sooner while something is unconfirmed or wrong."""
        if failed:
            wait = backoff(page.failures, self.interval, FAST_INTERVAL, MAX_BACKOFF)
        elif any(w.pending is not None for w in page.watches):
            wait = min(self.interval, FAST_INTERVAL) / 2
        elif any(w.shown.level is not Level.OPERATIONAL for w in page.watches):
            wait = min(self.interval, FAST_INTERVAL)
        else:
            wait = self.interval
        # Never sooner than asked: the interval is a floor, and jitter only spreads polls out.
        page.next_at = max(mono + wait * self.rng.uniform(1.0, 1.15), page.not_before)

    def network_back(self, answered: Page) -> None:
        """A page answered after a network failure: everything in network trouble polls now."""
        mono = self.clock.monotonic()
        for page in self._pages.values():
            if page is not answered and page.failures and page.network_failure:
                page.next_at = max(min(page.next_at, mono), page.not_before)
        self._wake.set()

    # -- after a poll -----------------------------------------------------------------------
    def _seen(self) -> Seen:
        return {k: (w.shown, w.since) for k, w in self._watches.items()}

    async def _after(self, before: Seen, changes: list[Change], at_once: bool) -> None:
        self.rounds += 1
        self._apply_offline()
        if self._seen() != before:
            self._announcer.states_changed(at_once=at_once)
        self._announcer.add_changes(changes, at_once=at_once)
        if self.history is not None:
            # Last, and in a worker thread: a locked database delays no alert, blocks no loop.
            try:
                await self.history.flush()
            except Exception:
                self._log_once("history", "writing the history failed; polling goes on")

    def _log_once(self, key: str, message: str) -> None:
        if key not in self._failed_once:
            self._failed_once.add(key)
            log.exception(message)
        else:
            log.warning(message)

    def _all_due(self) -> None:
        for page in self._pages.values():
            page.next_at = page.not_before

    def _wall_jumped(self, mono: float) -> bool:
        wall = self.clock.now()
        jumped = False
        if self._last_wall is not None:
            drift = (wall - self._last_wall).total_seconds() - (mono - self._last_mono)
            jumped = abs(drift) > WALL_JUMP
        self._last_wall, self._last_mono = wall, mono
        return jumped

    async def _sleep_until_due(self) -> None:
        self._wake.clear()
        idle = [p.next_at for p in self._pages.values() if p.task is None]
        if not idle:
            await self._wake.wait()
            return
        delay = min(idle) - self.clock.monotonic()
        if delay <= 0:
            await asyncio.sleep(0)  # let the tasks just started run before the next look
            return
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass

    def _apply_offline(self) -> None:
        pages = list(self._pages.values())
        # With a single page we cannot tell its outage from ours; say what failed instead.
        offline = len(pages) > 1 and all(p.failures and p.network_failure for p in pages)
        if not offline:
            return
        for page in pages:
            for watch in page.watches:
                watch.shown = Snapshot.failed(OFFLINE, watch.checked_at)
        # Try one page soon (the one due first), so the network's return is seen in seconds.
        idle = [p for p in pages if p.task is None]
        if idle:
            mono = self.clock.monotonic()
            first = min(idle, key=lambda p: p.next_at)
            first.next_at = max(min(first.next_at, mono + OFFLINE_RECHECK), first.not_before)
