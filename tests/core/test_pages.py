"""The monitor polls pages, not services: shared pages, request counts, detection and offline.

Driven round by round on a fake clock (poll_due), against the loopback server, which sends
ETags like real status pages do.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator

import httpx
import pytest

from outage_radar.core.catalog import Service
from outage_radar.core.failures import OFFLINE
from outage_radar.core.fetch import Fetcher
from outage_radar.core.model import Change, ChangeKind, Level
from outage_radar.core.monitor import FAST_INTERVAL, Monitor
from tests import openai_page, payloads
from tests.fakeserver import FakeServer
from tests.reliability.rig import FakeClock

MONITORS: list[Monitor] = []
INTERVAL = 60.0
# One scheduled poll (the interval is a floor, jitter adds up to 15 %), then the fast re-poll
# that confirms, plus the 1 s step of the loop below.
ONE_CHANGE = INTERVAL * 1.15 + FAST_INTERVAL / 2 * 1.15 + 1


@pytest.fixture(autouse=True)
async def close_monitors() -> AsyncIterator[None]:
    yield
    while MONITORS:
        await MONITORS.pop().stop()


class Driver:
    """A monitor on a fake clock; every announced change with the fake time it came."""

    def __init__(
        self, services: list[Service], transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.clock = FakeClock()
        self.monitor = Monitor(
            services,
            fetcher=Fetcher(deadline=3.0, transport=transport),
            interval=INTERVAL,
            clock=self.clock,
            rng=random.Random(7),
        )
        MONITORS.append(self.monitor)
        self.changes: list[tuple[float, Change]] = []
        self.monitor.add_listener(changes=self._seen)

    def _seen(self, changes: list[Change]) -> None:
        self.changes += [(self.clock.mono, c) for c in changes]

    async def run_for(self, seconds: float) -> None:
        end = self.clock.mono + seconds
        while self.clock.mono < end:
            await self.monitor.poll_due()
            self.clock.advance(1.0)

    def level_changes(self, since: float) -> dict[str, tuple[float, Level]]:
        return {
            c.service: (at - since, c.new)
            for at, c in self.changes
            if at >= since and c.kind is ChangeKind.LEVEL
        }


def scoped(key: str, url: str, part: str, platform: str = "statuspage") -> Service:
    return Service(key, key.upper(), url, platform, (url,), components=(part,))


@pytest.mark.parametrize("count", [2, 4])
async def test_every_service_on_a_shared_page_reports_each_change(
    server: FakeServer, count: int
) -> None:
    parts = ("API", "Web", "Mobile", "Batch")[:count]
    url = server.set("/api/v2/summary.json", payloads.summary(components=parts))
    drive = Driver([scoped(f"s{i}", url, part) for i, part in enumerate(parts)])
    await drive.run_for(90)
    assert {s.level for s in drive.monitor.states.values()} == {Level.OPERATIONAL}
    for status, level in (("major_outage", Level.MAJOR_OUTAGE), ("operational", Level.OPERATIONAL)):
        flipped = drive.clock.mono
        server.set("/api/v2/summary.json", payloads.summary(status, components=parts))
        await drive.run_for(3 * INTERVAL)
        seen = drive.level_changes(flipped)
        assert set(seen) == {f"s{i}" for i in range(count)}, f"{status}: {seen}"
        for key, (after, new) in seen.items():
            assert new is level and after <= ONE_CHANGE, (key, after)
    assert server.not_modified > 0  # the page answered 304s: none of them hid a change


async def test_four_services_on_one_incidentio_page_cost_one_request_per_interval(
    server: FakeServer,
) -> None:
    proxy = server.set(f"/proxy/{server.base.split('//')[1]}", openai_page.proxy(incident=False))
    compat = server.set("/api/v2/summary.json", openai_page.compat(incident=False))
    groups = ("APIs", "ChatGPT", "Codex", "FedRAMP")
    services = [
        Service(f"s{i}", g, server.base, "incidentio", (proxy, compat), components=(g,))
        for i, g in enumerate(groups)
    ]
    drive = Driver(services)
    await drive.run_for(10 * INTERVAL)
    path = proxy.removeprefix(server.base)
    assert server.hits.get(path, 0) <= 10 and server.hits.get("/api/v2/summary.json", 0) == 0
    assert {s.level for s in drive.monitor.states.values()} == {Level.OPERATIONAL}


async def test_the_compat_summary_stands_in_only_when_the_proxy_fails(server: FakeServer) -> None:
    compat = server.set("/api/v2/summary.json", payloads.summary())
    proxy = server.url("/proxy/missing")  # 404: a page without the native JSON
    drive = Driver([Service("a", "A", server.base, "incidentio", (proxy, compat))])
    await drive.run_for(5 * INTERVAL)
    assert drive.monitor.states["a"].level is Level.OPERATIONAL
    # The missing proxy was asked once; after that the page is read from the summary alone.
    assert server.hits.get("/proxy/missing") == 1
    assert 4 <= server.hits["/api/v2/summary.json"] <= 6


async def test_detection_honours_retry_after(server: FakeServer) -> None:
    server.fault("/api/v2/summary.json", "rate_limit")  # 429, Retry-After: 120
    drive = Driver([Service("x", "X", server.base + "/", "auto", (server.base + "/",))])
    await drive.run_for(119)
    assert sum(server.hits.values()) == 1
    assert drive.monitor.states["x"].level is Level.UNKNOWN


class Network(httpx.AsyncBaseTransport):
    """The real loopback transport behind a switch: off, every request fails to connect."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.up = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            raise httpx.ConnectError("[Errno 101] Network is unreachable", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_every_page_is_polled_within_5_s_of_the_network_returning(
    server: FakeServer,
) -> None:
    urls = {k: server.set(f"/{k}.json", payloads.summary()) for k in "abc"}
    net = Network()
    drive = Driver([scoped(k, u, "API") for k, u in urls.items()], transport=net)
    await drive.run_for(30)
    net.up = False
    await drive.run_for(180)
    assert all(s.snapshot.failure == OFFLINE for s in drive.monitor.states.values())
    hits = dict(server.hits)
    net.up = True
    await drive.run_for(5)
    assert all(server.hits[f"/{k}.json"] > hits[f"/{k}.json"] for k in "abc"), server.hits
    assert not any(s.snapshot.failure == OFFLINE for s in drive.monitor.states.values())
    assert {s.level for s in drive.monitor.states.values()} == {Level.OPERATIONAL}


async def test_a_failing_listener_is_logged_and_polling_goes_on(
    server: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.set("/a.json", payloads.summary())
    drive = Driver([scoped("a", url, "API")])
    updates: list[int] = []
    later: list[Change] = []

    def broken(_: object) -> None:
        raise RuntimeError("listener bug")

    drive.monitor.add_listener(update=broken, changes=broken)
    drive.monitor.add_listener(
        update=lambda states: updates.append(len(states)), changes=later.extend
    )
    caplog.set_level(logging.ERROR, "outage_radar.core.monitor")
    await drive.run_for(10)
    flips = ["major_outage", "operational"] * 3
    for status in flips[:5]:
        server.set("/a.json", payloads.summary(status))
        await drive.run_for(2 * INTERVAL)
    assert len(updates) >= 5
    levels = [c.new for c in later if c.kind is ChangeKind.LEVEL]
    assert levels == [Level.MAJOR_OUTAGE, Level.OPERATIONAL] * 2 + [Level.MAJOR_OUTAGE]
    assert "listener bug" in caplog.text and "Traceback" in caplog.text
    await drive.monitor.stop()  # quitting completes
