"""A monitor on an accelerated fake clock, with the alert policy applied to every round.

The tests here drive `Monitor.poll_due()` the way its run loop would, and pass each round's
confirmed changes through `core.alerts.decide` exactly as the tray's controller does, so "no
notification claims an outage" is checked on the real decision, not on raw changes.
"""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx

from outage_radar.core import alerts
from outage_radar.core.alerts import Alert
from outage_radar.core.catalog import Service
from outage_radar.core.fetch import MAX_BODY, Fetcher
from outage_radar.core.history import History
from outage_radar.core.model import Change, Level
from outage_radar.core.monitor import Monitor
from outage_radar.core.settings import Settings
from tests import builders


class FakeClock:
    """Wall and monotonic time that move only when told; `jump` moves the wall alone."""

    def __init__(self, wall: datetime | None = None) -> None:
        self.mono = 1000.0
        self.wall = wall or datetime(2026, 11, 21, 10, 0).astimezone()

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)

    def jump(self, seconds: float) -> None:
        """A suspend and resume: the wall clock moved, the monotonic clock did not."""
        self.wall += timedelta(seconds=seconds)


def service(key: str, url: str) -> Service:
    return builders.service(key, url=url, endpoints=(url,), category="api", status_link=False)


class Rig:
    """Services on one monitor; every round's changes and the alert they would raise."""

    def __init__(
        self,
        urls: dict[str, str],
        *,
        deadline: float = 3.0,
        interval: float = 60.0,
        history: History | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        seed: int = 5,
        clock: FakeClock | None = None,
        max_body: int = MAX_BODY,
    ) -> None:
        self.clock = clock or FakeClock()
        self.services = {key: service(key, url) for key, url in urls.items()}
        self.monitor = Monitor(
            list(self.services.values()),
            fetcher=Fetcher(deadline=deadline, transport=transport, max_body=max_body),
            interval=interval,
            clock=self.clock,
            history=history,
            rng=random.Random(seed),
        )
        self.settings = Settings()
        self.changes: list[Change] = []
        self.alerts: list[Alert] = []
        self.rounds = 0

    async def round(self) -> list[Change]:
        """One pass of the run loop: poll what is due and decide on the alert."""
        changes = await self.monitor.poll_due()
        self.rounds += 1
        if changes:
            self.changes.extend(changes)
            decision = alerts.decide(
                changes, self.settings, self.clock.now(), self.monitor.states, self.services
            )
            if decision.alert is not None:
                self.alerts.append(decision.alert)
        return changes

    async def run_for(self, seconds: float, step: float = 5.0) -> None:
        end = self.clock.mono + seconds
        while self.clock.mono < end:
            await self.round()
            self.clock.advance(step)

    def level(self, key: str) -> Level:
        return self.monitor.states[key].level

    def error(self, key: str) -> str | None:
        return self.monitor.states[key].snapshot.error

    def checked(self, key: str) -> datetime | None:
        return self.monitor.states[key].checked_at

    def outage_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.level.is_problem and not a.recovery]

    async def close(self) -> None:
        await self.monitor.stop()


def traced_growth(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot) -> int:
    """Bytes still held that were allocated between two snapshots, outside the test harness."""
    ignore = [
        tracemalloc.Filter(False, "*/tests/*"),
        tracemalloc.Filter(False, "*/http/server.py"),
        tracemalloc.Filter(False, "*/socketserver.py"),
        tracemalloc.Filter(False, "*/threading.py"),
        tracemalloc.Filter(False, tracemalloc.__file__),
    ]
    stats = after.filter_traces(ignore).compare_to(before.filter_traces(ignore), "filename")
    return sum(stat.size_diff for stat in stats)


def level_changes(changes: Sequence[Change], key: str) -> list[tuple[Level, Level]]:
    from outage_radar.core.model import ChangeKind

    return [(c.old, c.new) for c in changes if c.service == key and c.kind is ChangeKind.LEVEL]
