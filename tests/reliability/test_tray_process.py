"""The tray app process on a real desktop (tests/e2e/desktop.py) through faults and hostile text.

One run: a corrupt settings file, then every kind of fault on its own page while another page
stays fine, a hostile incident, recovery. Notifications are read from the dbus-monitor log:
the only ones allowed are the settings notice, the hostile outage and the recovered page's
real outage; none may claim an outage for a fault. A wall-clock jump is not tried here (it
would need the machine's clock); the monitor's handling of it is in test_time.py.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import payloads
from tests.e2e.desktop import TOOLS, Desktop, near, start_app, wait_for
from tests.fakeserver import FakeServer
from tests.reliability.conftest import require
from tests.reliability.hostile import MARKUP, assert_safe, payload
from tests.reliability.test_faults_monitor import inject
from tests.reliability.tlsserver import TLSFakeServer

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

GREEN, GREY = (0x2D, 0xA4, 0x4E), (0x8C, 0x95, 0x9F)
FAULTS = ["html", "bad_json", "server_error", "reset", "redirect_file", "gzip_bomb"]
FAULTS += ["rate_limit", "refused", "dns", "tls"]


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    require(*TOOLS)  # under CI=true a missing tool fails instead of skipping
    desk = Desktop(tmp_path).start()
    yield desk
    desk.stop()


def notify_calls(desk: Desktop) -> list[tuple[str, str]]:
    """(summary, body) of each Notify call dbus-monitor recorded."""
    calls = re.split(r"(?m)^method call .*member=Notify$", desk.notifications())[1:]
    out = []
    for call in calls:
        strings = re.findall(r'(?ms)^\s+string "(.*?)"$', call)
        out.append((strings[2], strings[3]))  # app name, icon, summary, body
    return out


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def test_tray_process_through_faults_hostile_text_and_recovery(
    desktop: Desktop, server: FakeServer, tls_server: TLSFakeServer, tmp_path: Path
) -> None:
    settings = Path(desktop.env["XDG_CONFIG_HOME"]) / "outage-radar" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_bytes(b"services = [[[ \x00 broken")
    pages = {"ok": "/ok/api/v2/summary.json", "hostile": "/h/api/v2/summary.json"}
    pages |= {f"f{n}": f"/f{n}/api/v2/summary.json" for n in range(len(FAULTS))}
    entries = [(k, k.upper(), server.set(p, payloads.summary(name=k))) for k, p in pages.items()]
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(payloads.catalog(entries))
    app = start_app(desktop, catalog, tmp_path)
    try:
        wait_for(lambda: near(desktop.tray_colors(), GREEN) > 30, 30, "a green tray")
        wait_for(lambda: len(notify_calls(desktop)) >= 1, 10, "the settings notice")
        summary, body = notify_calls(desktop)[0]
        assert summary == "Settings could not be read" and "settings.toml.broken-" in body
        start_rss = rss_kib(app.pid)

        for n, fault in enumerate(FAULTS):
            inject(server, tls_server, pages[f"f{n}"], fault)
        # Every faulty page turns unknown (grey) after two failed polls; "ok" stays green.
        wait_for(lambda: near(desktop.tray_colors(), GREY) > 30, 30, "a grey tray")
        assert len(notify_calls(desktop)) == 1  # not one fault claimed an outage

        for n in range(len(FAULTS)):
            server.set(pages[f"f{n}"], payloads.summary(name=f"f{n}"))
        # Recovery is noticed (within the backoff): every page reads fine, the tray is green.
        wait_for(lambda: near(desktop.tray_colors(), GREY) < 30, 60, "the faults to clear")
        wait_for(lambda: near(desktop.tray_colors(), GREEN) > 30, 10, "a green tray again")
        assert len(notify_calls(desktop)) == 1  # and recovering from a fault is not news

        server.set(pages["hostile"], payload(name="Hostile"))
        wait_for(lambda: len(notify_calls(desktop)) >= 2, 20, "the hostile outage")
        summary, body = notify_calls(desktop)[1]
        assert summary.startswith("HOSTILE") and "outage" in summary
        assert_safe(summary, 120)
        assert_safe(body, 600, lines=True)
        assert "<" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body  # dunst reads markup
        assert MARKUP not in body

        # A page that was faulty is watched as before: its real outage is announced.
        server.set(pages["f0"], payloads.summary("major_outage", name="f0", incident="F0 down"))
        wait_for(lambda: len(notify_calls(desktop)) >= 3, 20, "the recovered page's outage")
        assert notify_calls(desktop)[2][0] == "F0: major outage"
        time.sleep(3)
        assert len(notify_calls(desktop)) == 3  # and nothing else, ever
        grown = rss_kib(app.pid) - start_rss
        print(f"tray process RSS growth through faults and recovery: {grown} KiB")
        assert grown < 40 * 1024
        desktop.screenshot(tmp_path / "desktop.png")
    finally:
        app.terminate()
        app.wait(timeout=20)
    output = (tmp_path / "app.log").read_text(errors="replace")
    assert app.returncode == 0, output
    assert "Traceback" not in output
