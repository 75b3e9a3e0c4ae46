"""The monitor's own run loop on the real clock: pages never wait for each other, alerts group.

Each test runs the monitor as the app does (`start()`, one task per due page) at the 5 s
minimum interval against loopback pages, so each takes 15-40 s of real time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from outage_radar.core import alerts
from outage_radar.core.announce import GROUP_WINDOW
from outage_radar.core.catalog import Links, Service
from outage_radar.core.fetch import Fetcher
from outage_radar.core.model import Change, ChangeKind, Level
from outage_radar.core.monitor import FAST_INTERVAL, Monitor
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from tests import payloads
from tests.fakeserver import FakeServer

INTERVAL = 5.0
# A change is seen at the next poll (at most 1.15 intervals away: jitter only adds) and
# confirmed by the fast re-poll; "1.5 intervals plus the confirmation re-poll" bounds it.
CONFIRM = min(INTERVAL, FAST_INTERVAL) / 2 * 1.15
BOUND = 1.5 * INTERVAL + CONFIRM


class Live:
    """A running monitor; when each update and each batch of changes reached its listeners."""

    def __init__(self, services: list[Service], **kw: float) -> None:
        self.monitor = Monitor(services, fetcher=Fetcher(**kw), interval=INTERVAL)
        self.batches: list[tuple[float, list[Change]]] = []
        self.shown: dict[str, list[tuple[float, Level]]] = {}
        self.monitor.add_listener(update=self._update, changes=self._changes)

    def _update(self, states: dict[str, ServiceState]) -> None:
        for key, state in states.items():
            seen = self.shown.setdefault(key, [])
            if not seen or seen[-1][1] is not state.level:
                seen.append((time.monotonic(), state.level))

    def _changes(self, changes: list[Change]) -> None:
        self.batches.append((time.monotonic(), list(changes)))

    async def until(self, test: object, limit: float) -> float:
        start = time.monotonic()
        while not test():  # type: ignore[operator]
            assert time.monotonic() - start < limit, "timed out waiting"
            await asyncio.sleep(0.05)
        return time.monotonic() - start

    def level(self, key: str) -> Level:
        return self.monitor.states[key].level

    def changed_at(self, key: str, level: Level, after: float) -> float | None:
        for at, batch in self.batches:
            if at >= after and any(
                c.service == key and c.kind is ChangeKind.LEVEL and c.new is level for c in batch
            ):
                return at
        return None


@pytest.fixture
async def lives() -> AsyncIterator[list[Live]]:
    made: list[Live] = []
    yield made
    for live in made:
        await live.monitor.stop()


def page(key: str, url: str, alternatives: tuple[str, ...] = ()) -> Service:
    links = Links(status=url, tool=f"https://{key}.example")
    return Service(
        key, key.upper(), url, "statuspage", (url,), alternatives=alternatives, links=links
    )


async def test_four_pages_failing_together_make_one_alert_without_failing_alternatives(
    server: FakeServer, lives: list[Live]
) -> None:
    keys = "abcd"
    urls = {k: server.set(f"/{k}.json", payloads.summary()) for k in keys + "e"}
    # Each one's first choice is another of the four; only "e" stays healthy.
    services = [page(k, urls[k], tuple(x for x in keys + "e" if x != k)) for k in keys]
    services.append(page("e", urls["e"]))
    live = Live(services, deadline=3.0)
    lives.append(live)
    await live.monitor.start()
    await live.until(lambda: all(live.level(k) is Level.OPERATIONAL for k in keys + "e"), 5)
    await asyncio.sleep(INTERVAL * 1.5)  # a few polls in: the pages' schedules have spread
    for k in keys:  # within one second
        server.set(f"/{k}.json", payloads.summary("major_outage", incident=f"{k} is down"))
    flipped = time.monotonic()
    await live.until(lambda: all(live.changed_at(k, Level.MAJOR_OUTAGE, flipped) for k in keys), 25)
    await asyncio.sleep(1)
    problem = [
        batch
        for at, batch in live.batches
        if at >= flipped and any(c.new.is_problem for c in batch)
    ]
    assert len(problem) == 1, [[c.service for c in b] for b in problem]
    catalog = {s.id: s for s in services}
    decision = alerts.decide(problem[0], Settings(), problem[0][0].at, live.monitor.states, catalog)
    alert = decision.alert
    assert alert is not None and set(alert.services) == set(keys)
    assert all(f"{k.upper()}: major outage" in alert.body for k in keys), alert.body
    uses = [a.label for a in alert.actions if a.label.startswith("Use ")]
    assert uses == ["Use E"], uses


async def test_a_healthy_page_is_never_held_up_by_a_dripping_a_bomb_or_a_429_page(
    server: FakeServer, lives: list[Live]
) -> None:
    bad = [
        page("drip", server.fault("/drip.json", "drip")),
        page("bomb", server.fault("/bomb.json", "gzip_bomb")),
        page("slow", server.fault("/slow.json", "rate_limit")),
    ]
    good = page("good", server.set("/good.json", payloads.summary()))
    live = Live([*bad, good])  # the real 12 s deadline: the dripping page holds its fetch
    lives.append(live)
    await live.monitor.start()
    await live.until(lambda: live.level("good") is Level.OPERATIONAL, 5)
    await asyncio.sleep(INTERVAL * 1.2)  # the dripping page's first fetch is still running
    for status, level in (("major_outage", Level.MAJOR_OUTAGE), ("operational", Level.OPERATIONAL)):
        server.set("/good.json", payloads.summary(status))
        flipped = time.monotonic()
        # The tray shows it at once; the alert may wait for the 2 s group window on top.
        shown = await live.until(lambda lv=level: live.level("good") is lv, BOUND + 3)
        assert shown <= BOUND, (status, shown)
        await live.until(lambda lv=level, t=flipped: live.changed_at("good", lv, t), 3)
        alerted = (live.changed_at("good", level, flipped) or 0) - flipped
        assert alerted <= BOUND + GROUP_WINDOW + 0.5, (status, alerted)
    assert live.monitor.states["drip"].snapshot.error == "timed out"
