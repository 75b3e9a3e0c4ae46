"""Notifications when the daemon or the bus goes away: the balloon shows them, the log says so.

Issue 14 item 8. A daemon killed mid-run, one that never answers, a bus that dies: each alert
goes to the fallback (the tray balloon in the app) within the send timeout and is logged as
failed, never as "notified"; when a daemon is back the next alert is native again.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from outage_radar.core.alerts import Alert
from outage_radar.core.model import Level
from outage_radar.notify import Notifier
from tests.notify.notification_server import BusDaemon, Silent, serve, serve_recorder, stop

FIRST = Alert(title="ChatGPT: major outage", body="Down.", level=Level.MAJOR_OUTAGE, url=None)
SECOND = Alert(title="Claude: partial outage", body="Slow.", level=Level.PARTIAL_OUTAGE, url=None)
THIRD = Alert(title="ChatGPT: operational", body="Fine.", level=Level.OPERATIONAL, url=None)
# The send timeout the app uses must lie in this range (a late alert is a balloon instead).
TIMEOUT_RANGE = (3.0, 5.0)


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="outage_radar")
    return caplog


def said(log: pytest.LogCaptureFixture, alert: Alert) -> list[str]:
    """What the log says about this alert."""
    return [r.getMessage() for r in log.records if alert.title in r.getMessage()]


def failed(log: pytest.LogCaptureFixture, alert: Alert) -> bool:
    lines = said(log, alert)
    return any("failed" in line for line in lines) and not any("notified" in line for line in lines)


async def test_daemon_killed_mid_run_goes_to_the_balloon_and_is_logged_failed(
    session_bus: str, log: pytest.LogCaptureFixture
) -> None:
    bus, recorder = await serve_recorder(["body", "actions"])
    balloon: list[Alert] = []
    notifier = Notifier(lambda _u: None, balloon.append)
    try:
        await notifier.show(FIRST)
        assert len(recorder.calls) == 1 and not balloon
        await stop(bus)  # the daemon dies; the bus stays
        async with asyncio.timeout(TIMEOUT_RANGE[1] + 1):
            await notifier.show(SECOND)
        assert balloon == [SECOND]
        assert len(recorder.calls) == 1
        assert failed(log, SECOND), said(log, SECOND)
    finally:
        await notifier.close()


@pytest.mark.parametrize("hang_all", [False, True], ids=["hangs-on-notify", "hangs-on-everything"])
async def test_daemon_that_never_answers_times_out_to_the_balloon(
    session_bus: str, log: pytest.LogCaptureFixture, hang_all: bool
) -> None:
    silent = Silent(hang_all)
    bus = await serve(silent)
    balloon: list[Alert] = []
    notifier = Notifier(lambda _u: None, balloon.append)
    start = time.monotonic()
    try:
        async with asyncio.timeout(TIMEOUT_RANGE[1] + 2):
            await notifier.show(FIRST)
        took = time.monotonic() - start
        assert balloon == [FIRST]
        assert TIMEOUT_RANGE[0] <= took <= TIMEOUT_RANGE[1] + 0.5, took
        assert silent.calls == (0 if hang_all else 1)
        assert failed(log, FIRST), said(log, FIRST)
    finally:
        await notifier.close()
        silent.never.set()  # its handlers end before its connection does
        await stop(bus)


async def test_bus_gone_mid_run_goes_to_the_balloon_within_the_timeout(
    bus_daemon: BusDaemon, log: pytest.LogCaptureFixture
) -> None:
    bus, recorder = await serve_recorder(["body", "actions"])
    balloon: list[Alert] = []
    notifier = Notifier(lambda _u: None, balloon.append)
    try:
        await notifier.show(FIRST)
        assert len(recorder.calls) == 1
        bus_daemon.kill()  # the session bus itself goes away
        async with asyncio.timeout(TIMEOUT_RANGE[1] + 1):
            await notifier.show(SECOND)
            await notifier.show(THIRD)  # no bus now at all: straight to the balloon
        assert balloon == [SECOND, THIRD]
        assert failed(log, SECOND), said(log, SECOND)
        assert failed(log, THIRD), said(log, THIRD)
    finally:
        await notifier.close()
        await stop(bus)


async def test_native_notifications_resume_when_the_daemon_is_back(
    session_bus: str, log: pytest.LogCaptureFixture
) -> None:
    balloon: list[Alert] = []
    notifier = Notifier(lambda _u: None, balloon.append)
    try:
        await notifier.show(FIRST)  # no daemon yet (a panel that starts after the app)
        assert balloon == [FIRST]
        bus, recorder = await serve_recorder(["body", "actions"])
        await notifier.show(SECOND)
        assert [call[1] for call in recorder.calls] == [SECOND.title]
        await stop(bus)  # gone again, and back
        await notifier.show(THIRD)
        bus, recorder = await serve_recorder(["body", "actions"])
        await notifier.show(FIRST)
        assert [call[1] for call in recorder.calls] == [FIRST.title]
        assert balloon == [FIRST, THIRD]
        assert any("work again" in r.getMessage() for r in log.records)
        await stop(bus)
    finally:
        await notifier.close()
