"""The real tray app on a real X server, tray host and notification daemon, on a private bus."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests import payloads
from tests.e2e.desktop import Desktop, near, start_app, wait_for
from tests.fakeserver import FakeServer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

GREEN = (0x2D, 0xA4, 0x4E)
RED = (0xD1, 0x24, 0x2F)
HOSTILE = '<b>x</b> <a href="file:///etc/passwd">click</a> & <img src=x>'


def notify_calls(desk: Desktop) -> list[str]:
    """Each Notify method call recorded by dbus-monitor, as its raw text."""
    text = desk.notifications()
    parts = re.split(r"(?=^method call .*member=Notify$)", text, flags=re.M)
    # dbus-monitor writes as it goes: a call counts once its last argument (the timeout) is in.
    return [p for p in parts if re.match(r"method call .*member=Notify", p) and "\n   int32 " in p]


def fields(call: str) -> tuple[str, str, list[str]]:
    """Summary, body and action labels of one recorded Notify call (dbus-monitor's text)."""
    items = re.split(r"\n(?=   \S)", call.rstrip("\n"))[1:]  # top-level arguments only
    strings = [i[len('   string "') : -1] for i in items if i.startswith('   string "')]
    array = next(i for i in items if i.startswith("   array ["))
    labels = re.findall(r'^      string "(.*)"$', array, flags=re.M)
    return strings[2], strings[3], labels[1::2]  # app name, icon, summary, body


def test_flips_notify_natively_escape_markup_and_paint_the_tray(
    desktop: Desktop, server: FakeServer, tmp_path: Path
) -> None:
    path = "/alpha/api/v2/summary.json"
    url = server.set(path, payloads.summary(name="Alpha"))
    other = server.set("/bravo/api/v2/summary.json", payloads.summary(name="Bravo"))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(payloads.catalog([("alpha", "Alpha", url), ("bravo", "Bravo", other)]))
    app = start_app(desktop, catalog, tmp_path)
    try:
        wait_for(lambda: near(desktop.tray_colors(), GREEN) > 30, 60, "a green tray icon")
        assert not notify_calls(desktop)  # the first poll is silent
        # The single instance is a plain Unix socket: QtNetwork (2.5 MiB) stays unloaded.
        maps = Path(f"/proc/{app.pid}/maps").read_text()
        assert "libQt6Network" not in maps

        timings = []
        steps = [
            (
                payloads.summary(
                    "major_outage",
                    name="Alpha",
                    incident="Elevated errors",
                    update="We are investigating.",
                ),
                "Alpha: major outage",
            ),
            (payloads.summary(name="Alpha"), "Alpha is back"),
            (
                payloads.summary(
                    "major_outage",
                    name="Alpha",
                    incident=HOSTILE,
                    update=HOSTILE,
                    incident_id="inc2",
                ),
                # Worse, better, worse again within 30 min: flapping (README, issue 14 item 9).
                "Alpha is flapping (major outage now)",
            ),
        ]
        for n, (body, title) in enumerate(steps, start=1):
            server.set(path, body)
            flipped = time.monotonic()
            wait_for(lambda n=n: len(notify_calls(desktop)) >= n, 40, f"notification {n}")
            timings.append(time.monotonic() - flipped)
            summary, body, actions = fields(notify_calls(desktop)[n - 1])
            if "major outage" in title:
                assert summary == title
                wait_for(lambda: near(desktop.tray_colors(), RED) > 30, 10, "a red tray icon")
                assert "Status page" in actions
            else:
                assert summary.startswith("Alpha is back (down ")
        summary, body, _ = fields(notify_calls(desktop)[0])
        assert "Elevated errors" in body and "We are investigating." in body
        _, hostile, _ = fields(notify_calls(desktop)[2])
        # dunst renders body markup: the title must arrive escaped, shown literally.
        assert hostile.startswith("&lt;b&gt;x&lt;/b&gt; &lt;a href=")
        assert "<" not in hostile and ">" not in hostile
        assert len(notify_calls(desktop)) == 3  # one per flip, no burst, no false alarm
        desktop.screenshot(tmp_path / "desktop.png")
        (tmp_path / "timings.txt").write_text(" ".join(f"{t:.1f}" for t in timings))
        print("flip-to-notification seconds:", [round(t, 1) for t in timings])
        assert max(timings) < 3 * 5 + 5  # within three poll intervals (plus D-Bus slack)
    finally:
        app.terminate()
        app.wait(timeout=20)
    log = (tmp_path / "app.log").read_text(errors="replace")
    assert app.returncode == 0, log
    assert "Traceback" not in log


def test_second_launch_hands_over_and_exits(
    desktop: Desktop, server: FakeServer, tmp_path: Path
) -> None:
    url = server.set("/a/api/v2/summary.json", payloads.summary(name="A"))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(payloads.catalog([("a", "A", url)]))
    first = start_app(desktop, catalog, tmp_path)
    try:
        wait_for(lambda: near(desktop.tray_colors(), GREEN) > 30, 30, "the first instance")
        second = start_app(desktop, catalog, tmp_path)
        assert second.wait(timeout=30) == 0
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=20)
