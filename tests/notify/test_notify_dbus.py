"""Notifications over a real private D-Bus session, to a recording notification server.

The server advertises `body-markup` like dunst does, so the hostile title must arrive escaped;
button and click signals must open the right links; with no bus at all the balloon is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from outage_radar.core.alerts import Alert, AlertAction
from outage_radar.core.model import Level
from outage_radar.notify import Notifier
from outage_radar.notify.native import labelled
from tests.notify.notification_server import Recorder, serve_recorder, stop, wait_for

HOSTILE = '<b>x</b> <a href="file:///etc/passwd">pwn</a> & co'


@pytest.fixture
async def markup_server(session_bus: str) -> AsyncIterator[Recorder]:
    bus, recorder = await serve_recorder(["body", "body-markup", "actions"])
    yield recorder
    await stop(bus)


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
    bus, recorder = await serve_recorder(["body", "actions"])
    notifier = Notifier(lambda _u: None)
    try:
        await notifier.show(ALERT)
        await wait_for(lambda: recorder.calls)
        assert recorder.calls[0][2].startswith(HOSTILE)
    finally:
        await notifier.close()
        await stop(bus)


async def test_no_notification_daemon_falls_back_to_the_balloon(session_bus: str) -> None:
    fallback: list[Alert] = []
    notifier = Notifier(lambda _u: None, fallback.append)
    await notifier.show(ALERT)
    await notifier.show(ALERT)
    assert fallback == [ALERT, ALERT]
    # Asked again on the next alert (a daemon may start later: test_notify_failover.py).
    assert notifier.native is not None
    await notifier.close()


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
