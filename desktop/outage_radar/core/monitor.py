"""The monitor: polls each watched service on a jittered schedule and confirms changes.

Rules that keep it from crying wolf:
- a single failed poll changes nothing; the state turns unknown after FAILS_TO_UNKNOWN in a row;
- a new level must be seen on two polls in a row before it counts (a re-poll comes quickly);
- when every fetch fails for network reasons the state is "offline", never an outage;
- a wall-clock jump (suspend/resume) triggers an immediate re-poll of everything;
- the first poll after a start is compared with the last saved state in the history.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from . import check
from .catalog import Service
from .changes import diff, signature
from .fetch import Fetcher, FetchResult
from .model import Change, Level, Snapshot
from .state import ServiceState

if TYPE_CHECKING:
    from .history import History

log = logging.getLogger(__name__)

FAILS_TO_UNKNOWN = 2
FAST_INTERVAL = 15.0
MAX_BACKOFF = 900.0
WALL_JUMP = 30.0
OFFLINE = "offline (no network)"

UpdateListener = Callable[[Mapping[str, ServiceState]], None]
ChangeListener = Callable[[list[Change]], None]


class Clock(Protocol):
    def now(self) -> datetime: ...
    def monotonic(self) -> float: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()


@dataclass
class _Watch:
    service: Service
    shown: Snapshot = field(default_factory=lambda: Snapshot.failed("not checked yet"))
    baseline: Snapshot | None = None
    pending: Snapshot | None = None
    since: datetime | None = None
    checked_at: datetime | None = None
    failures: int = 0
    network_failure: bool = False
    next_at: float = 0.0
    not_before: float = 0.0
    parsed: Snapshot | None = None


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
    ) -> None:
        self.fetcher = fetcher or Fetcher()
        self.history = history
        self.interval = max(5.0, interval)
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self._watches: dict[str, _Watch] = {}
        self._update: list[UpdateListener] = []
        self._changes: list[ChangeListener] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_wall: datetime | None = None
        self._last_mono = 0.0
        self.offline = False
        self.rounds = 0
        self.set_services(services)

    # -- public API -------------------------------------------------------------------------
    @property
    def states(self) -> Mapping[str, ServiceState]:
        return {
            key: ServiceState(w.service, w.shown, w.since, w.checked_at)
            for key, w in self._watches.items()
        }

    def add_listener(
        self, *, update: UpdateListener | None = None, changes: ChangeListener | None = None
    ) -> None:
        if update is not None:
            self._update.append(update)
        if changes is not None:
            self._changes.append(changes)

    def set_services(self, services: Sequence[Service]) -> None:
        old = self._watches
        fresh: dict[str, _Watch] = {}
        for service in services:
            watch = old.get(service.id)
            same = watch is not None and watch.service.url == service.url
            fresh[service.id] = watch if watch is not None and same else _Watch(service)
        self._watches = fresh
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        self.interval = max(5.0, seconds)
        for watch in self._watches.values():
            watch.next_at = min(watch.next_at, watch.not_before)
        self._wake.set()

    def check_now(self) -> None:
        for watch in self._watches.values():
            watch.next_at = watch.not_before
        self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self.fetcher.aclose()

    async def run(self) -> None:
        """Poll forever: one timer, set to the next service that is due."""
        while True:
            await self.poll_due()
            await self._sleep_until_due()

    # -- one round ----------------------------------------------------------------------------
    async def poll_due(self) -> list[Change]:
        """Poll every service that is due now; returns (and announces) the confirmed changes."""
        mono = self.clock.monotonic()
        if self._wall_jumped(mono):
            for watch in self._watches.values():
                watch.next_at = watch.not_before
        due = [w for w in self._watches.values() if w.next_at <= mono]
        if not due:
            return []
        before = {k: (w.shown, w.since) for k, w in self._watches.items()}
        results = await asyncio.gather(*(self._poll(w) for w in due))
        self.rounds += 1
        changes = [c for batch in results for c in batch]
        self._apply_offline()
        if self.history is not None:
            self.history.commit()
        after = {k: (w.shown, w.since) for k, w in self._watches.items()}
        if after != before:
            states = self.states
            for listener in list(self._update):
                listener(states)
        if changes:
            for listener_c in list(self._changes):
                listener_c(changes)
        return changes

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
        if not self._watches:
            await self._wake.wait()
            return
        delay = min(w.next_at for w in self._watches.values()) - self.clock.monotonic()
        if delay <= 0:
            return
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass

    async def _poll(self, watch: _Watch) -> list[Change]:
        try:
            return await self._poll_once(watch)
        except Exception:
            # A bug tripped by one page (a parser, a header) must not end the polling of all.
            log.exception("checking %s failed", watch.service.id)
            watch.parsed = None  # it describes an older body: a 304 must not bring it back
            now, mono = self.clock.now(), self.clock.monotonic()
            return self._failed(
                watch, FetchResult(watch.service.url, error="internal error"), now, mono
            )

    async def _poll_once(self, watch: _Watch) -> list[Change]:
        service = watch.service = await check.resolve(self.fetcher, watch.service)
        results = await check.fetch_all(self.fetcher, service)
        now = self.clock.now()
        mono = self.clock.monotonic()
        primary = results[0]
        watch.checked_at = now
        if not primary.ok or service.platform == "auto":
            return self._failed(watch, primary, now, mono)
        if watch.parsed is not None and all(r.not_modified for r in results if r.ok):
            snap = watch.parsed
        else:
            snap = check.read(service, results)
            watch.parsed = snap if snap.level is not Level.UNKNOWN else None
        snap = snap.at(now)
        if snap.level is Level.UNKNOWN:
            # An unreadable page counts as a failure too: reset the count only on a good read,
            # or a page stuck on HTML or bad JSON would show its last state forever.
            return self._failed(
                watch, FetchResult(primary.url, error=snap.error), now, mono, parsed=snap
            )
        watch.failures = 0
        watch.network_failure = False
        changes = self._confirm(watch, snap, now)
        self._schedule(watch, mono)
        if self.history is not None:
            self.history.record(service.id, watch.shown, now)
        return changes

    def _failed(
        self,
        watch: _Watch,
        result: FetchResult,
        now: datetime,
        mono: float,
        parsed: Snapshot | None = None,
    ) -> list[Change]:
        watch.failures += 1
        watch.network_failure = result.network
        watch.pending = None
        if watch.failures >= FAILS_TO_UNKNOWN or watch.baseline is None:
            watch.shown = parsed or Snapshot.failed(result.error or "unknown error", now)
        backoff = min(self.interval * 2 ** (watch.failures - 1), max(self.interval, MAX_BACKOFF))
        if watch.failures == 1:
            backoff = min(self.interval, FAST_INTERVAL)
        wait = max(backoff * self.rng.uniform(0.9, 1.1), result.retry_after or 0.0)
        watch.not_before = mono + (result.retry_after or 0.0)
        watch.next_at = mono + wait
        return []

    def _confirm(self, watch: _Watch, snap: Snapshot, now: datetime) -> list[Change]:
        service = watch.service
        if watch.baseline is None:
            saved = self.history.last_level(service.id) if self.history is not None else None
            if saved is None or saved[0] is snap.level:
                watch.baseline, watch.shown = snap, snap
                watch.since = saved[1] if saved is not None else now
                return []
            # A restart during a change: treat the saved level as the confirmed past.
            watch.baseline = Snapshot(level=saved[0])
            watch.since = saved[1]
        base = watch.baseline
        if signature(snap) == signature(base):
            watch.pending = None
            changes = diff(service.id, service.name, base, snap, now, watch.since)
            watch.baseline = watch.shown = snap
            return changes
        if watch.pending is not None and signature(watch.pending) == signature(snap):
            changes = diff(service.id, service.name, base, snap, now, watch.since)
            if base.level is not snap.level:
                watch.since = watch.pending.fetched_at or now
            watch.baseline = watch.shown = snap
            watch.pending = None
            return changes
        watch.pending = snap
        if watch.shown.level is Level.UNKNOWN:
            # Nothing confirmed is on screen yet (first poll after a restart, or after an
            # outage of our own): show what the page says now; only the alert waits.
            watch.shown = snap
        return []

    def _schedule(self, watch: _Watch, mono: float) -> None:
        if watch.pending is not None:
            base = min(self.interval, FAST_INTERVAL) / 2
        elif watch.shown.level is not Level.OPERATIONAL:
            base = min(self.interval, FAST_INTERVAL)
        else:
            base = self.interval
        watch.next_at = max(mono + base * self.rng.uniform(0.9, 1.1), watch.not_before)

    def _apply_offline(self) -> None:
        watches = list(self._watches.values())
        # With a single page we cannot tell its outage from ours; say what failed instead.
        offline = len(watches) > 1 and all(w.failures and w.network_failure for w in watches)
        self.offline = offline
        if offline:
            for watch in watches:
                watch.shown = Snapshot.failed(OFFLINE, watch.checked_at)
