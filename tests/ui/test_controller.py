"""The wiring: monitor events reach the tray and the notifier; intents change the settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from outage_radar.core import settings as settings_store
from outage_radar.core.alerts import Alert
from outage_radar.core.catalog import Service
from outage_radar.core.model import Change, ChangeKind, Level
from outage_radar.core.presenter import Presenter
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from outage_radar.notify.fallback import BalloonNotifier, balloon_title
from outage_radar.ui import opener
from outage_radar.ui.controller import Controller
from outage_radar.ui.parts import Parts
from outage_radar.ui.single_instance import SingleInstance
from outage_radar.ui.tray import Tray

from .helpers import CATALOG, NOW, find, state, submenu, texts


class FakeMonitor:
    def __init__(self, states: dict[str, ServiceState]) -> None:
        self._states = states
        self.checks = 0
        self.services: list[str] = []
        self.interval = 0.0

    @property
    def states(self) -> Mapping[str, ServiceState]:
        return self._states

    def check_now(self) -> None:
        self.checks += 1

    def set_services(self, services: Sequence[Service]) -> None:
        self.services = [s.id for s in services]

    def set_interval(self, seconds: float) -> None:
        self.interval = seconds


class FakeNotifier:
    def __init__(self) -> None:
        self.shown: list[Alert] = []

    async def show(self, alert: Alert) -> None:
        self.shown.append(alert)


@pytest.fixture
def setup(qtbot: QtBot, tmp_path: Path) -> tuple[Controller, Tray, FakeMonitor, FakeNotifier]:
    tray = Tray(CATALOG)
    settings = Settings(services=["chatgpt", "claude"])
    monitor = FakeMonitor(
        {
            "chatgpt": state("chatgpt", Level.MAJOR_OUTAGE),
            "claude": state("claude", Level.OPERATIONAL),
        }
    )
    notifier = FakeNotifier()
    parts = Parts(
        monitor=monitor,
        notifier=notifier,
        services=lambda s: [CATALOG[k] for k in s.services],
        all_services=lambda: list(CATALOG.values()),
        settings_path=tmp_path / "settings.toml",
    )
    ctl = Controller(Presenter(settings, CATALOG, now=lambda: NOW), parts, tray)
    return ctl, tray, monitor, notifier


async def test_changes_become_one_alert_and_updates_repaint(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], qtbot: QtBot
) -> None:
    ctl, tray, monitor, notifier = setup
    ctl.on_update(monitor.states)
    assert tray.level is Level.MAJOR_OUTAGE
    assert texts(tray.menu)[1] == "ChatGPT — major outage"
    ctl.on_changes(
        [Change("chatgpt", "ChatGPT", ChangeKind.LEVEL, Level.OPERATIONAL, Level.MAJOR_OUTAGE, NOW)]
    )
    await ctl.drain()
    assert [a.title for a in notifier.shown] == ["ChatGPT: major outage"]
    assert [a.label for a in notifier.shown[0].actions] == ["Status page", "Use Claude"]


async def test_menu_intents_update_and_save_settings(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], tmp_path: Path
) -> None:
    ctl, tray, monitor, notifier = setup
    ctl.render()
    find(submenu(tray.menu, "ChatGPT"), "Mute until tomorrow").trigger()
    assert ctl.settings.muted == {"chatgpt": "2025-06-03T07:00:00+01:00"}
    assert "ChatGPT — major outage (muted)" in texts(tray.menu)  # the menu was refilled
    find(submenu(tray.menu, "ChatGPT"), "Notify me when it recovers").trigger()
    assert ctl.settings.recover_once == ["chatgpt"]
    find(submenu(tray.menu, "Pause notifications"), "For 1 hour").trigger()
    find(tray.menu, "Check now").trigger()
    assert monitor.checks == 1
    saved = settings_store.load(tmp_path / "settings.toml").settings
    assert saved.muted == ctl.settings.muted and saved.paused_until == "2025-06-02T11:30:00+01:00"
    # Muted, yet the one-shot recovery still notifies, once, and is then forgotten.
    back = Change(
        "chatgpt",
        "ChatGPT",
        ChangeKind.LEVEL,
        Level.MAJOR_OUTAGE,
        Level.OPERATIONAL,
        NOW,
        since=NOW - timedelta(minutes=42),
    )
    ctl.on_changes([back])
    await ctl.drain()
    assert [a.title for a in notifier.shown] == ["ChatGPT is back (down 42 min)"]
    assert ctl.settings.recover_once == []
    ctl.pause(0.0)
    ctl.mute("chatgpt", 0.0)
    assert ctl.settings.paused_until == "" and ctl.settings.muted == {}


async def test_welcome_choice_is_watched_and_shown(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], qtbot: QtBot
) -> None:
    ctl, tray, monitor, _ = setup
    ctl.show_welcome()
    ctl.windows.open["welcome"].picker.set_selected("claude", True)  # type: ignore[attr-defined]
    ctl.windows.open["welcome"].start.click()  # type: ignore[attr-defined]
    assert monitor.services == ["chatgpt", "claude"]
    assert ctl.settings.first_run_done
    for window in ctl.windows.open.values():
        window.close()


async def test_settings_that_cannot_be_saved_are_said_once_and_still_apply(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], tmp_path: Path
) -> None:
    ctl, tray, monitor, notifier = setup
    (tmp_path / "config").write_text("a file where the config dir should be")
    ctl.parts.settings_path = tmp_path / "config" / "outage-radar" / "settings.toml"
    ctl.render()
    find(submenu(tray.menu, "ChatGPT"), "Mute until tomorrow").trigger()  # must not raise
    find(submenu(tray.menu, "Pause notifications"), "For 1 hour").trigger()
    ctl.show_settings()
    window = ctl.windows.open["settings"]
    window.picker.set_selected("claude", False)  # type: ignore[attr-defined]
    window.save()  # type: ignore[attr-defined]
    await ctl.drain()
    assert [a.title for a in notifier.shown] == ["Settings cannot be saved"]  # once
    assert "Not a directory" in notifier.shown[0].body
    assert ctl.settings.muted and ctl.settings.services == ["chatgpt"]  # applied all the same
    assert monitor.services == ["chatgpt"]
    ctl.close_windows()


async def test_quit_from_the_menu_sets_the_quit_event(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier],
) -> None:
    ctl, tray, _, _ = setup
    find(tray.menu, "Quit").trigger()
    assert ctl.quit_event.is_set()


def test_balloon_fallback_defuses_markup_and_opens_on_click(
    qtbot: QtBot, opened: list[str]
) -> None:
    icon = QSystemTrayIcon()
    balloon = BalloonNotifier(icon, opener.open_url)
    balloon.show(
        Alert("<b>x</b>: major outage", "body", Level.MAJOR_OUTAGE, url="https://status.example/i")
    )
    icon.messageClicked.emit()
    assert opened == ["https://status.example/i"]
    assert balloon_title("<b>x</b>") == "\u2039b\u203ax\u2039/b\u203a"


def test_second_instance_asks_the_first_to_show(qtbot: QtBot) -> None:
    first = SingleInstance()
    assert first.listen()
    second = SingleInstance()
    with qtbot.waitSignal(first.show_requested, timeout=3000):
        assert second.notify_running()
    first.close()
    assert not SingleInstance().notify_running()


def click(widget: QWidget, at: QPoint) -> None:
    """A click as the window system delivers it: Qt drops it when a modal window blocks ours."""
    window = widget.window()
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(
        handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.mapTo(window, at)
    )


# The offscreen platform cannot grab the keyboard for the popup; a real display server can.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
@pytest.mark.parametrize(("item", "name"), [("About Outage Radar", "about"), ("ChatGPT", "doctor")])
async def test_the_tray_menu_still_opens_and_works_while_a_box_is_shown(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], qtbot: QtBot, item: str, name: str
) -> None:
    ctl, tray, monitor, _ = setup

    async def diagnose(key: str) -> None:
        return None

    ctl.parts.diagnose = diagnose
    ctl.render()
    menu = tray.menu if name == "about" else submenu(tray.menu, item)
    find(menu, "About Outage Radar" if name == "about" else "Is it just me?").trigger()
    await ctl.drain()
    box = ctl.windows.open[name]
    qtbot.waitExposed(box)
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None
    window = tray.status_window()  # what a tray click opens on an SNI host
    window.present()
    qtbot.waitExposed(window)
    click(window.more, window.more.rect().center())
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QMenu), "the tray menu did not open"
    click(popup, popup.actionGeometry(find(popup, "Check now")).center())
    assert monitor.checks == 1
    assert box.isVisible()
    window.hide()
    ctl.close_windows()


@pytest.mark.parametrize("name", ["about", "doctor"])
async def test_a_second_click_raises_the_one_box(
    setup: tuple[Controller, Tray, FakeMonitor, FakeNotifier], name: str
) -> None:
    ctl, tray, _, _ = setup

    async def diagnose(key: str) -> None:
        return None

    ctl.parts.diagnose = diagnose
    ctl.render()
    menu = tray.menu if name == "about" else submenu(tray.menu, "ChatGPT")
    item = find(menu, "About Outage Radar" if name == "about" else "Is it just me?")
    item.trigger()
    box = ctl.windows.open[name]
    item.trigger()
    await ctl.drain()
    assert ctl.windows.open[name] is box and box.isVisible()
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [w for w in shown if w.isVisible()] == [box]
    ctl.close_windows()
