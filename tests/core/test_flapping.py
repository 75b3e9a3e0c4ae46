"""Alerting under hostile pages, over a simulated hour: outages between 503s, and flapping.

The monitor runs on a fake clock against a scripted page (one answer per request), and every
round's changes go through the presenter, as in the tray, so what is counted is notifications.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest

from outage_radar.core import alerts
from outage_radar.core.alerts import Alert
from outage_radar.core.catalog import Service
from outage_radar.core.fetch import Fetcher
from outage_radar.core.model import ChangeKind, Level
from outage_radar.core.monitor import Monitor
from outage_radar.core.presenter import Presenter
from outage_radar.core.settings import Settings
from outage_radar.core.watch import FAILS_TO_UNKNOWN
from tests import payloads
from tests.builders import CATALOG, NOW, change, states
from tests.reliability.rig import FakeClock

URL = "https://status.example.com/api/v2/summary.json"
HOUR = 3600.0
WINDOW = 30 * 60.0  # the flap window the README states
OK = payloads.summary()
DOWN = payloads.summary("major_outage", incident="API down")
BUSY = 503
L = Level
Script = Callable[[int], bytes | int]  # request number -> body, or an HTTP error status

RUNS: list[Run] = []


@pytest.fixture(autouse=True)
async def close_runs() -> AsyncIterator[None]:
    yield
    while RUNS:
        await RUNS.pop().monitor.stop()


class Run:
    """One service on a scripted page; the notifications the tray would show, with their time."""

    def __init__(self, script: Script) -> None:
        RUNS.append(self)
        self.script = script
        self.requests = 0
        self.clock = FakeClock()
        self.service = Service("a", "Alpha", URL, "statuspage", (URL,))
        transport = httpx.MockTransport(self._answer)
        self.monitor = Monitor(
            [self.service],
            fetcher=Fetcher(deadline=3.0, transport=transport),
            interval=60.0,
            clock=self.clock,
            rng=random.Random(7),
        )
        self.presenter = Presenter(Settings(), {"a": self.service}, now=self.clock.now)
        self.alerts: list[tuple[float, Alert]] = []
        self.levels: list[tuple[float, Level]] = []  # each confirmed level change
        self.first_request: dict[bytes | int, float] = {}

    def _answer(self, request: httpx.Request) -> httpx.Response:
        answer = self.script(self.requests)
        self.requests += 1
        self.first_request.setdefault(answer, self.clock.mono)
        # A stream, as from a socket: the fetcher reads raw bytes under its own caps.
        if isinstance(answer, int):
            return httpx.Response(answer, stream=httpx.ByteStream(b"busy"))
        json = {"Content-Type": "application/json"}
        return httpx.Response(200, headers=json, stream=httpx.ByteStream(answer))

    async def run_for(self, seconds: float) -> None:
        end = self.clock.mono + seconds
        while self.clock.mono < end:
            changes = await self.monitor.poll_due()
            if changes:
                at = self.clock.mono
                effects = self.presenter.on_changes(changes, self.monitor.states)
                self.alerts += [(at, alert) for alert in effects.alerts]
                self.levels += [(at, c.new) for c in changes if c.kind is ChangeKind.LEVEL]
            self.clock.advance(1.0)

    @property
    def level(self) -> Level:
        return self.monitor.states["a"].level


def after(healthy: int, cycle: tuple[bytes | int, ...]) -> Script:
    """`healthy` operational answers, then `cycle` over and over."""
    return lambda n: OK if n < healthy else cycle[(n - healthy) % len(cycle)]


async def test_an_outage_answered_between_503s_is_reported() -> None:
    run = Run(after(3, (DOWN, BUSY)))
    await run.run_for(HOUR)
    started = run.first_request[DOWN]
    assert run.levels and run.levels[0][1] is Level.MAJOR_OUTAGE
    assert run.levels[0][0] - started <= 60.0  # two good reads, one 503 between them
    assert [a.title for _, a in run.alerts] == ["Alpha: major outage"]
    assert run.level is Level.MAJOR_OUTAGE


async def test_a_pending_change_kept_through_errors_still_turns_unknown_when_they_go_on() -> None:
    run = Run(lambda n: OK if n < 3 else DOWN if n == 3 else BUSY)
    await run.run_for(10 * 60)
    assert run.monitor.states["a"].snapshot.error == "server error (HTTP 503)"
    assert run.level is Level.UNKNOWN and FAILS_TO_UNKNOWN == 2
    assert run.alerts == []  # one read of an outage, then nothing good: never notified


async def test_a_page_flapping_every_two_polls_is_notified_once_per_flap_window() -> None:
    run = Run(after(3, (DOWN, DOWN, OK, OK)))
    await run.run_for(HOUR)
    assert len(run.levels) > 40  # it did flap: a confirmed change every two polls
    first, second, *flapping = run.alerts
    assert first[1].title == "Alpha: major outage" and second[1].title.startswith("Alpha is back")
    assert flapping and all("flapping" in a.title for _, a in flapping)
    # What the page says now still leads a flapping notification during the outage.
    down = [a for _, a in flapping if "major outage now" in a.title]
    assert down and all(a.body.startswith("API down") for a in down)
    times = [at for at, _ in flapping]
    assert all(b - a >= WINDOW for a, b in zip(times, times[1:], strict=False))
    assert len(run.alerts) <= 2 + HOUR // WINDOW + 1


async def test_a_page_that_settles_after_flapping_alerts_as_usual_again() -> None:
    flapping = after(3, (DOWN, DOWN, OK, OK))
    run = Run(lambda n: flapping(n) if n < 60 else OK if n < 120 else DOWN)
    while run.requests < 120:
        await run.run_for(60)
    assert run.level is Level.OPERATIONAL
    told = len(run.alerts)
    assert any("flapping" in a.title for _, a in run.alerts)
    await run.run_for(WINDOW + 60)  # the page goes down for good
    assert [a.title for _, a in run.alerts[told:]] == ["Alpha: major outage"]


def test_a_flapping_service_getting_worse_than_it_flapped_between_is_told_at_once() -> None:
    flaps, said = alerts.Flapping(), []
    steps = [
        (L.OPERATIONAL, L.DEGRADED),
        (L.DEGRADED, L.OPERATIONAL),
        (L.OPERATIONAL, L.DEGRADED),  # the second turn: flapping, told once
        (L.DEGRADED, L.OPERATIONAL),  # silent: within the window
        (L.OPERATIONAL, L.MAJOR_OUTAGE),  # worse than anything it flapped between
        (L.MAJOR_OUTAGE, L.OPERATIONAL),  # silent again
    ]
    for minute, (old, new) in enumerate(steps):
        now = NOW + timedelta(minutes=minute)
        found = [change("chatgpt", old, new, at=now)]
        decision = alerts.decide(found, Settings(), now, states(chatgpt=new), CATALOG, flaps)
        said.append(decision.alert.title if decision.alert is not None else None)
    assert said == [
        "ChatGPT: degraded",
        "ChatGPT is back",
        "ChatGPT is flapping (degraded now)",
        None,
        "ChatGPT is flapping (major outage now)",
        None,
    ]
