"""Time: suspend/resume (a wall-clock jump), and quiet hours and mutes across midnight and DST.

DST cases use Europe/Berlin: clocks jump 02:00 -> 03:00 on 2026-03-29 and fall back 03:00 ->
02:00 on 2026-10-25. They are checked twice: with zoneinfo-aware times, and the way the app
reads its clock, `datetime.now().astimezone()` (a fixed offset) with the process zone set.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from outage_radar.core import alerts, mutes
from outage_radar.core.model import Change, ChangeKind, Level
from outage_radar.core.settings import Settings
from tests import payloads
from tests.fakeserver import FakeServer
from tests.reliability.rig import Rig, level_changes

BERLIN = ZoneInfo("Europe/Berlin")
SPRING = datetime(2026, 3, 29, tzinfo=BERLIN)
AUTUMN = datetime(2026, 10, 25, tzinfo=BERLIN)


@pytest.fixture
def berlin() -> Iterator[None]:
    """The process time zone set to Europe/Berlin, as on a user's machine there."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def instants(day: datetime) -> list[datetime]:
    """Every quarter hour of real time from 20:00 the evening before to 10:00 on `day`."""
    start = (day - timedelta(hours=4)).astimezone(UTC)
    return [start + timedelta(minutes=15 * n) for n in range(4 * 15)]


@pytest.mark.parametrize("day", [SPRING, AUTUMN], ids=["spring", "autumn"])
@pytest.mark.parametrize(("start", "end"), [("22:00", "07:00"), ("02:00", "03:00")])
def test_quiet_hours_follow_the_wall_clock_through_dst(
    day: datetime, start: str, end: str, berlin: None
) -> None:
    settings = Settings(quiet_start=start, quiet_end=end)
    lo, hi = (datetime.strptime(t, "%H:%M").time() for t in (start, end))
    quiet_minutes = 0
    for moment in instants(day):
        wall = moment.astimezone(BERLIN)
        app_now = datetime.fromtimestamp(moment.timestamp()).astimezone()  # as the app reads it
        assert app_now.time() == wall.time() and app_now.utcoffset() == wall.utcoffset()
        expected = (lo <= wall.time() < hi) if lo < hi else not (hi <= wall.time() < lo)
        assert mutes.in_quiet_hours(settings, wall) is expected, wall
        assert mutes.in_quiet_hours(settings, app_now) is expected, app_now
        quiet_minutes += 15 * expected
    if (start, day) == ("02:00", SPRING):
        assert quiet_minutes == 0  # 02:00-03:00 does not exist that night
    if (start, day) == ("02:00", AUTUMN):
        assert quiet_minutes == 120  # and happens twice in October


@pytest.mark.parametrize(
    ("clicked", "expected_utc"),
    [
        (datetime(2026, 3, 28, 23, 30), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),  # 07:00 CEST
        (datetime(2026, 3, 29, 1, 30), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),
        (datetime(2026, 10, 24, 23, 30), datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),  # 07:00 CET
        (datetime(2026, 10, 25, 3, 30), datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),
    ],
)
def test_until_tomorrow_is_seven_local_across_dst(
    clicked: datetime, expected_utc: datetime, berlin: None
) -> None:
    for now in (clicked.replace(tzinfo=BERLIN), clicked.astimezone()):  # zoneinfo, app-style
        end = mutes.until_tomorrow(now)
        assert end.astimezone(UTC) == expected_utc, (now, end)
        settings = Settings()
        mutes.mute_until_tomorrow(settings, "a", now)
        just_before = expected_utc - timedelta(minutes=1)
        assert mutes.is_muted(settings, "a", just_before.astimezone(now.tzinfo))
        assert not mutes.is_muted(settings, "a", expected_utc.astimezone(now.tzinfo))


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),  # the next hour is skipped
        datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN),  # the first 02:30 of two
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=BERLIN),  # the second 02:30
        datetime(2026, 10, 24, 23, 45, tzinfo=BERLIN),  # across midnight too
    ],
)
@pytest.mark.parametrize("hours", [1.0, 4.0])
def test_mute_and_pause_last_their_real_duration_across_dst(start: datetime, hours: float) -> None:
    settings = Settings()
    mutes.mute_for(settings, "a", hours, start)
    mutes.pause_for(settings, hours, start)
    end = start.astimezone(UTC) + timedelta(hours=hours)
    for offset, silenced in ((-1, True), (1, False)):
        moment = (end + timedelta(minutes=offset)).astimezone(BERLIN)
        assert mutes.is_muted(settings, "a", moment) is silenced, (moment, settings.muted)
        assert (mutes.paused_until(settings, moment) is not None) is silenced, moment


def test_mute_until_tomorrow_silences_the_night_then_lets_an_outage_through() -> None:
    night = datetime(2026, 10, 24, 23, 30, tzinfo=BERLIN)
    settings = Settings()
    mutes.mute_until_tomorrow(settings, "a", night)

    def outage(at: datetime) -> alerts.Decision:
        change = Change("a", "A", ChangeKind.LEVEL, Level.OPERATIONAL, Level.MAJOR_OUTAGE, at)
        return alerts.decide([change], settings, at, {}, {})

    assert outage(datetime(2026, 10, 25, 6, 59, tzinfo=BERLIN)).alert is None
    assert outage(datetime(2026, 10, 25, 7, 0, tzinfo=BERLIN)).alert is not None
    assert mutes.prune(settings, datetime(2026, 10, 25, 7, 0, tzinfo=BERLIN))
    assert settings.muted == {}


# -- suspend and resume -------------------------------------------------------------------------
@pytest.mark.parametrize("jump", [3 * 3600.0, -2 * 3600.0], ids=["resume", "clock-set-back"])
async def test_a_wall_clock_jump_repolls_at_once_and_raises_no_false_alert(
    jump: float, server: FakeServer, rigs: list[Rig]
) -> None:
    urls = {k: server.set(f"/{k}.json", payloads.summary()) for k in "ab"}
    rig = Rig(urls)
    rigs.append(rig)
    await rig.run_for(5)
    # Seen once before the lid closed; by the time it opens the page is fine again.
    server.set("/a.json", payloads.summary("major_outage", incident="brief"))
    for _ in range(20):  # until the next scheduled poll has seen it once
        await rig.run_for(5)
        if rig.monitor._watches["a"].pending is not None:  # noqa: SLF001
            break
    assert rig.monitor._watches["a"].pending is not None  # noqa: SLF001 - pending, not confirmed
    server.set("/a.json", payloads.summary())
    hits = dict(server.hits)
    rig.clock.jump(jump)
    await rig.round()  # no monotonic time passed: only the jump makes these polls due
    assert server.hits["/a.json"] == hits["/a.json"] + 1
    assert server.hits["/b.json"] == hits["/b.json"] + 1
    await rig.run_for(10 * 60)
    assert level_changes(rig.changes, "a") == [] and rig.alerts == []
    assert rig.level("a") is Level.OPERATIONAL


async def test_an_outage_that_ended_during_suspend_is_one_recovery(
    server: FakeServer, rigs: list[Rig]
) -> None:
    rig = Rig({"a": server.set("/a.json", payloads.summary())})
    rigs.append(rig)
    await rig.run_for(5)
    server.set("/a.json", payloads.summary("major_outage", incident="down"))
    await rig.run_for(3 * 60)
    server.set("/a.json", payloads.summary())
    rig.clock.jump(8 * 3600)
    await rig.run_for(3 * 60)
    assert level_changes(rig.changes, "a") == [
        (Level.OPERATIONAL, Level.MAJOR_OUTAGE),
        (Level.MAJOR_OUTAGE, Level.OPERATIONAL),
    ]
    assert [a.recovery for a in rig.alerts] == [False, True]
    assert "is back" in rig.alerts[-1].title
