"""Link policy through the real open path: only https (and http the user typed) reaches the OS.

QDesktopServices.openUrl, behind ui/opener.py, is replaced by a recorder (the `opened` fixture).
Every link a hostile payload offers is clicked: in the menu, in a notification (body and
buttons), in the tray balloon and in the history window.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from outage_radar.core import alerts
from outage_radar.core.catalog import Service
from outage_radar.core.changes import diff
from outage_radar.core.history import History
from outage_radar.core.links import safe_url
from outage_radar.core.model import Incident, Level, Snapshot
from outage_radar.core.settings import Settings
from outage_radar.core.sources import statuspage
from outage_radar.core.state import ServiceState
from outage_radar.notify.fallback import BalloonNotifier
from outage_radar.notify.native import NativeNotifier
from outage_radar.ui import opener
from outage_radar.ui.history_window import HistoryWindow
from outage_radar.ui.tray import Tray
from tests import builders
from tests.reliability.hostile import BAD_LINKS, GOOD_LINK, payload

NOW = datetime(2026, 11, 21, 10, 30).astimezone()
PAGE = "https://status.hostile.example"
FORBIDDEN = ("file:", "javascript:", "smb:", "vscode:", "data:", "http:", "@", "\u202e")


def service(url: str = PAGE, *, user: bool = False) -> Service:
    tool = "javascript:alert(3)"
    return builders.service(
        "h", "Hostile", url=url, category="api", user=user, status_link=not user, tool=tool
    )


def click_everything(menu: QMenu) -> None:
    for action in menu.actions():
        if action.menu() is not None:
            click_everything(action.menu())
        elif action.isEnabled() and not action.isSeparator():
            action.trigger()


def assert_policy(opened: list[str], *, http_ok: str | None = None) -> None:
    assert opened, "nothing was opened at all"
    for url in opened:
        if http_ok is not None and url.startswith(http_ok):
            continue
        assert url.startswith("https://") and safe_url(url) == url, url
        assert not any(bad in url for bad in FORBIDDEN), url


def test_every_menu_link_from_a_hostile_payload(qtbot: QtBot, opened: list[str]) -> None:
    snap = statuspage.parse(payload(), page_url=PAGE)
    state = ServiceState(service(), snap, NOW, NOW)
    tray = Tray({"h": state.service})
    try:
        tray.render({"h": state}, Settings(), NOW)
        click_everything(tray.menu)
    finally:
        tray.close()
    assert_policy(opened)
    assert GOOD_LINK in opened and PAGE in opened  # the good links do work


def test_user_typed_http_page_opens_but_payload_http_links_do_not(
    qtbot: QtBot, opened: list[str]
) -> None:
    mine = "http://127.0.0.1:8080/status"
    links = ["http://plain.example/incident", "file:///etc/passwd"]
    snap = statuspage.parse(payload(links=links), page_url=mine)
    state = ServiceState(service(mine, user=True), snap, NOW, NOW)
    tray = Tray({"h": state.service})
    try:
        tray.render({"h": state}, Settings(), NOW)
        click_everything(tray.menu)
    finally:
        tray.close()
    assert mine in opened
    assert_policy(opened, http_ok=mine)
    assert "http://plain.example/incident" not in opened


class RecordingServer:
    """Stands in for desktop-notifier: keeps what `send` got, to press its buttons."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)
        kwargs["on_dispatched"]()  # taken by the server, as desktop-notifier reports it


async def test_notification_click_and_buttons_and_balloon(qtbot: QtBot, opened: list[str]) -> None:
    for bad in BAD_LINKS:
        incident = Incident("i", "Down", Level.MAJOR_OUTAGE, url=bad)
        new = Snapshot(Level.MAJOR_OUTAGE, incidents=(incident,))
        changes = diff("h", "Hostile", Snapshot(Level.OPERATIONAL), new, NOW)
        state = ServiceState(service(), new, NOW, NOW)
        alert = alerts.decide(changes, Settings(), NOW, {"h": state}, {"h": state.service}).alert
        assert alert is not None
        server = RecordingServer()
        notifier = NativeNotifier(opener.open_url)
        notifier._notifier, notifier._markup = server, True  # noqa: SLF001
        await notifier.show(alert)
        server.sent[0]["on_clicked"]()
        for button in server.sent[0]["buttons"]:
            button.on_pressed()
        balloon = BalloonNotifier(QSystemTrayIcon(), opener.open_url)
        balloon.show(alert)
        balloon._clicked()  # noqa: SLF001 - the balloon's messageClicked slot
    assert_policy(opened)
    assert set(opened) == {PAGE}  # every bad link fell back to the status page


def test_history_window_double_click(qtbot: QtBot, opened: list[str], tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    try:
        incidents = tuple(
            Incident(f"i{n}", f"t{n}", Level.MAJOR_OUTAGE, url=url)
            for n, url in enumerate([*BAD_LINKS, GOOD_LINK])
        )
        history.record("h", Snapshot(Level.MAJOR_OUTAGE, incidents=incidents), NOW)
        window = HistoryWindow(history, [service()], lambda: NOW)
        qtbot.addWidget(window)
        for n in range(window.incidents.topLevelItemCount()):
            window.incidents.itemActivated.emit(window.incidents.topLevelItem(n), 0)
    finally:
        history.close()
    assert opened == [GOOD_LINK]


def test_the_open_function_itself_refuses_every_bad_link(opened: list[str]) -> None:
    for bad in [*BAD_LINKS, None, "", " ", "https://", "ftp://x.example/"]:
        assert opener.open_url(bad) is False
    assert opener.open_url("http://typed.example/", user_typed=True) is True
    assert opened == ["http://typed.example/"]
