"""The monitor against a local server, on a fake clock: confirmation, offline, backoff, restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from outage_radar.core.catalog import Service
from outage_radar.core.fetch import Fetcher
from outage_radar.core.history import History
from outage_radar.core.model import Change, ChangeKind, Level
from outage_radar.core.monitor import OFFLINE, Monitor
from tests import payloads
from tests.fakeserver import FakeServer
from tests.reliability.rig import FakeClock


def service(key: str, url: str) -> Service:
    return Service(id=key, name=key.title(), url=url, platform="statuspage", endpoints=(url,))


RIGS: list[Rig] = []


@pytest.fixture(autouse=True)
async def close_rigs() -> AsyncIterator[None]:
    """Close every monitor's HTTP client so no keep-alive socket outlives its test."""
    yield
    while RIGS:
        await RIGS.pop().monitor.stop()


class Rig:
    def __init__(self, server: FakeServer, keys: list[str], history: History | None = None):
        RIGS.append(self)
        self.server = server
        self.clock = FakeClock()
        self.urls = {k: server.set(f"/{k}.json", payloads.summary()) for k in keys}
        self.monitor = Monitor(
            [service(k, u) for k, u in self.urls.items()],
            fetcher=Fetcher(deadline=3.0),
            interval=60,
            clock=self.clock,
            history=history,
        )
        self.changes: list[Change] = []
        self.monitor.add_listener(changes=self.changes.extend)

    def flip(self, key: str, body: bytes) -> None:
        self.server.set(f"/{key}.json", body)

    async def run_for(self, seconds: float, step: float = 1.0) -> None:
        """Advance the fake clock, polling whatever is due, like the real loop would."""
        end = self.clock.mono + seconds
        while self.clock.mono < end:
            await self.monitor.poll_due()
            self.clock.advance(step)

    def level(self, key: str) -> Level:
        return self.monitor.states[key].level


async def test_first_poll_is_silent_and_outage_is_confirmed_then_recovered(
    server: FakeServer,
) -> None:
    rig = Rig(server, ["a", "b"])
    await rig.run_for(1)
    assert rig.level("a") is Level.OPERATIONAL and rig.changes == []
    rig.flip("a", payloads.summary("major_outage", incident="API down", update="Looking"))
    await rig.run_for(3 * 60)
    kinds = [(c.service, c.kind, c.new) for c in rig.changes]
    assert kinds[0] == ("a", ChangeKind.LEVEL, Level.MAJOR_OUTAGE)
    assert {(c.component, c.new) for c in rig.changes[1:]} == {
        ("API", Level.MAJOR_OUTAGE),
        ("Web", Level.MAJOR_OUTAGE),
    }
    assert rig.changes[0].incident is not None and rig.changes[0].incident.title == "API down"
    assert rig.level("b") is Level.OPERATIONAL
    rig.changes.clear()
    rig.flip("a", payloads.summary())
    await rig.run_for(2 * 60)
    recovery = [c for c in rig.changes if c.kind is ChangeKind.LEVEL]
    assert len(recovery) == 1 and recovery[0].is_recovery and recovery[0].since is not None


async def test_a_page_that_flaps_every_poll_never_confirms(server: FakeServer) -> None:
    rig = Rig(server, ["a"])
    await rig.run_for(1)
    bodies = [payloads.summary("major_outage", incident="x"), payloads.summary()]
    for i in range(30):
        rig.flip("a", bodies[i % 2])
        await rig.monitor.poll_due()
        rig.clock.advance(60)
    assert [c for c in rig.changes if c.kind is ChangeKind.LEVEL] == []


async def test_single_failure_changes_nothing_then_unknown_with_reason(server: FakeServer) -> None:
    rig = Rig(server, ["a", "b"])
    await rig.run_for(1)
    server.fault("/a.json", "server_error")
    await rig.monitor.poll_due()
    rig.clock.advance(61)
    await rig.monitor.poll_due()
    assert rig.level("a") is Level.OPERATIONAL  # one failure: still the confirmed state
    await rig.run_for(60)
    assert rig.level("a") is Level.UNKNOWN
    assert rig.monitor.states["a"].snapshot.error == "server error (HTTP 500)"
    assert rig.level("b") is Level.OPERATIONAL
    assert rig.changes == []
    rig.flip("a", payloads.summary())
    await rig.run_for(10 * 60)
    assert rig.level("a") is Level.OPERATIONAL and rig.changes == []


async def test_rate_limited_page_is_not_asked_before_retry_after(server: FakeServer) -> None:
    rig = Rig(server, ["a"])
    await rig.run_for(1)
    server.fault("/a.json", "rate_limit")  # Retry-After: 120
    await rig.run_for(70)
    hits_after_429 = server.hits["/a.json"]
    await rig.run_for(100)  # the 429 came at about t=60, so nothing before t=180
    assert server.hits["/a.json"] == hits_after_429
    rig.flip("a", payloads.summary())
    await rig.run_for(30)
    assert server.hits["/a.json"] == hits_after_429 + 1


async def test_everything_failing_for_network_reasons_is_offline(server: FakeServer) -> None:
    rig = Rig(server, ["a", "b"])
    await rig.run_for(1)
    server.fault("/a.json", "reset")
    server.fault("/b.json", "reset")
    await rig.run_for(5 * 60)
    for key in ("a", "b"):
        assert rig.level(key) is Level.UNKNOWN
        assert rig.monitor.states[key].snapshot.failure == OFFLINE
    assert rig.changes == []


async def test_offline_keeps_the_last_known_level_beside_the_unknown(server: FakeServer) -> None:
    rig = Rig(server, ["a", "b"])
    rig.flip("b", payloads.summary("degraded_performance"))
    await rig.run_for(1)
    assert rig.monitor.states["a"].last_known is None  # read: nothing "last known" to say
    server.fault("/a.json", "reset")
    server.fault("/b.json", "reset")
    await rig.run_for(5 * 60)
    assert rig.monitor.states["a"].snapshot.failure == OFFLINE
    assert rig.monitor.states["a"].last_known is Level.OPERATIONAL
    assert rig.monitor.states["b"].last_known is Level.DEGRADED


async def test_unchanged_page_is_mostly_answered_304(server: FakeServer) -> None:
    rig = Rig(server, ["a"])
    await rig.run_for(60 * 60, step=5)
    polls = server.hits["/a.json"]
    assert polls >= 50
    assert server.not_modified / polls >= 0.9


async def test_wall_clock_jump_repolls_at_once(server: FakeServer) -> None:
    rig = Rig(server, ["a"])
    await rig.run_for(1)
    before = server.hits["/a.json"]
    rig.clock.wall += timedelta(hours=3)  # suspended: the wall clock moved, monotonic did not
    await rig.monitor.poll_due()
    assert server.hits["/a.json"] == before + 1
    assert rig.changes == []


async def test_restart_does_not_reannounce_a_known_outage(
    server: FakeServer,
    tmp_path: Path,
) -> None:
    history = History(tmp_path / "h.sqlite3")
    rig = Rig(server, ["a"], history)
    rig.flip("a", payloads.summary("major_outage", incident="down"))
    await rig.run_for(1)
    history.close()
    reopened = History(tmp_path / "h.sqlite3")
    again = Rig(server, ["a"], reopened)
    again.flip("a", payloads.summary("major_outage", incident="down"))
    await again.run_for(5 * 60)
    reopened.close()
    assert again.level("a") is Level.MAJOR_OUTAGE
    assert again.changes == []
