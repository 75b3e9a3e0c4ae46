# ruff: noqa: F821, F722, UP037, N802
"""Notifications over a real private D-Bus session, to a recording notification server.

The server advertises `body-markup` like dunst does, so the hostile title must arrive escaped;
button and click signals must open the right links; with no bus at all the balloon is used.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

from outage_radar.core.alerts import Alert, AlertAction
from outage_radar.core.model import Level
from outage_radar.notify import Notifier
from outage_radar.notify.native import labelled

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")

HOSTILE = '<b>x</b> <a href="file:///etc/passwd">pwn</a> & co'


class Recorder(ServiceInterface):
    def __init__(self, caps: list[str]) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.caps = caps
        self.calls: list[tuple[Any, ...]] = []

    @method()
    def GetCapabilities(self) -> "as":
        return self.caps

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["recorder", "tests", "1", "1.2"]

    @method()
    def Notify(
        self,
        app: "s",
        replaces: "u",
        icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        timeout: "i",
    ) -> "u":
        self.calls.append((app, summary, body, actions))
        return len(self.calls)

    @method()
    def CloseNotification(self, nid: "u"):
        pass

    @signal()
    def ActionInvoked(self, nid: int, key: str) -> "us":
        return [nid, key]

    @signal()
    def NotificationClosed(self, nid: int, why: int) -> "uu":
        return [nid, why]


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    proc.terminate()
    proc.wait(5)
    proc.stdout.close()


async def serve(caps: list[str]) -> tuple[MessageBus, Recorder]:
    bus = await MessageBus(bus_address=os.environ["DBUS_SESSION_BUS_ADDRESS"]).connect()
    recorder = Recorder(caps)
    bus.export("/org/freedesktop/Notifications", recorder)
    await bus.request_name("org.freedesktop.Notifications")
    return bus, recorder


@pytest.fixture
async def markup_server(session_bus: str) -> AsyncIterator[Recorder]:
    bus, recorder = await serve(["body", "body-markup", "actions"])
    yield recorder
    bus.disconnect()
    await bus.wait_for_disconnect()


ALERT = Alert(
    title="ChatGPT: major outage",
    body=HOSTILE + "\nWe are investigating.",
    level=Level.MAJOR_OUTAGE,
    url="https://status.example/incidents/1",
    actions=(
        AlertAction("Status page", "https://status.example"),
        AlertAction("Use Claude", "https://claude.example"),
    ),
)


async def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def test_markup_server_gets_escaped_body_and_buttons(markup_server: Recorder) -> None:
    opened: list[str | None] = []
    fallback: list[Alert] = []
    notifier = Notifier(opened.append, fallback.append)
    await notifier.show(ALERT)
    await wait_for(lambda: markup_server.calls)
    app, summary, body, actions = markup_server.calls[0]
    assert (app, summary) == ("Outage Radar", "ChatGPT: major outage")
    assert body == (
        '&lt;b&gt;x&lt;/b&gt; &lt;a href="file:///etc/passwd"&gt;pwn&lt;/a&gt; &amp; co\n'
        "We are investigating."
    )
    assert "<" not in body
    labels = actions[1::2]
    # The first is the click-on-body action ("default"): dunst lists it by its label.
    assert labels == ["Open status page", "Status page", "Use Claude"]
    keys = actions[0::2]
    markup_server.ActionInvoked(1, keys[2])
    await wait_for(lambda: opened)
    assert opened == ["https://claude.example"]
    assert not fallback
    await notifier.close()


async def test_click_on_the_body_opens_the_incident(markup_server: Recorder) -> None:
    opened: list[str | None] = []
    notifier = Notifier(opened.append)
    await notifier.show(ALERT)
    await wait_for(lambda: markup_server.calls)
    markup_server.ActionInvoked(1, "default")
    await wait_for(lambda: opened)
    assert opened == ["https://status.example/incidents/1"]
    await notifier.close()


async def test_plain_text_server_gets_the_text_as_is(session_bus: str) -> None:
    bus, recorder = await serve(["body", "actions"])
    notifier = Notifier(lambda _u: None)
    try:
        await notifier.show(ALERT)
        await wait_for(lambda: recorder.calls)
        assert recorder.calls[0][2].startswith(HOSTILE)
    finally:
        await notifier.close()
        bus.disconnect()
        await bus.wait_for_disconnect()


async def test_no_notification_daemon_falls_back_to_the_balloon(session_bus: str) -> None:
    fallback: list[Alert] = []
    notifier = Notifier(lambda _u: None, fallback.append)
    await notifier.show(ALERT)
    await notifier.show(ALERT)
    assert fallback == [ALERT, ALERT]
    assert notifier.native is None  # not retried on every alert


async def test_no_session_bus_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    fallback: list[Alert] = []
    await Notifier(lambda _u: None, fallback.append).show(ALERT)
    assert fallback == [ALERT]


@pytest.mark.parametrize(
    ("actions", "sent"),
    [
        (["default", ""], ["default", "Open status page"]),
        (
            ["default", "", "k1", "Status page"],
            ["default", "Open status page", "k1", "Status page"],
        ),
        (["default", "Go"], ["default", "Go"]),
        (["k1", ""], ["k1", ""]),
        ([], []),
    ],
)
def test_the_default_action_always_has_a_label(actions: list[str], sent: list[str]) -> None:
    assert labelled(actions) == sent
