"""The tray on every host kind (issue 13): SNI or XEmbed text, clicks, late panel, quiet polls."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QtMsgType, qWarning
from PySide6.QtGui import QAction, QGuiApplication, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from outage_radar import app as app_mod
from outage_radar.core.catalog import Links, Service
from outage_radar.core.model import Incident, Level, Snapshot
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from outage_radar.ui.labels import dbusmenu_shown, menu_label, tray_tooltip
from outage_radar.ui.status_window import window_spot
from outage_radar.ui.tray import Tray
from outage_radar.ui.tray_host import (
    Click,
    Host,
    click_action,
    current_host,
    host_kind,
    no_tray_text,
)

from .helpers import CATALOG, NOW, find, state, submenu, texts

Reason = QSystemTrayIcon.ActivationReason
# The offscreen platform cannot raise or size-hint a window, nor dock a tray icon: it says so.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "systemTrayWindowChanged")


class CountingIcon(QSystemTrayIcon):
    """Counts what the tray sends: each setIcon or setToolTip is a D-Bus signal on SNI hosts."""

    def __init__(self) -> None:
        super().__init__()
        self.icons = 0
        self.tips = 0

    def setIcon(self, icon: QIcon) -> None:  # noqa: N802 (Qt name)
        self.icons += 1
        super().setIcon(icon)

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt name)
        self.tips += 1
        super().setToolTip(tip)


def all_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        found.append(action)
        if action.menu() is not None:
            found += all_actions(action.menu())
    return found


def qt_dbusmenu_export(text: str) -> str:
    """Qt's QDBusMenuItem::convertMnemonic (qtbase, Qt 6.11): the first `&`, unless last, → `_`."""
    index = text.find("&")
    if index < 0 or index == len(text) - 1:
        return text
    return text[:index] + "_" + text[index + 1 :]


# -- 1. the tooltip rule --------------------------------------------------------------------------
def test_tooltip_is_plain_for_sni_hosts_and_escaped_markup_where_qt_draws_it() -> None:
    text = "Outage Radar\nR&D <b>x</b>: major outage"
    assert tray_tooltip(text, markup=False) == text
    assert (
        tray_tooltip(text, markup=True)
        == "Outage Radar<br>R&amp;D &lt;b&gt;x&lt;/b&gt;: major outage"
    )


@pytest.mark.parametrize(
    ("platform", "qpa", "watcher", "host"),
    [
        ("linux", "wayland", False, Host.SNI),  # the only tray Qt has on Wayland
        ("linux", "wayland", True, Host.SNI),
        ("linux", "xcb", True, Host.SNI),  # KDE, XFCE, waybar through Xwayland
        ("linux", "xcb", False, Host.XEMBED),  # trayer, stalonetray
        ("win32", "windows", False, Host.NATIVE),
        ("darwin", "cocoa", False, Host.NATIVE),
    ],
)
def test_host_kind_follows_qts_own_choice(
    platform: str, qpa: str, watcher: bool, host: Host
) -> None:
    assert host_kind(platform, qpa, watcher) is host


class ShownIcon:
    """A shown tray icon as Qt reports it: a window (XEmbed) has a geometry, an SNI item none."""

    def __init__(self, geometry: QRect) -> None:
        self._geometry = geometry

    def geometry(self) -> QRect:
        return self._geometry


@pytest.mark.parametrize(
    ("qpa", "geometry", "host"),
    [
        ("xcb", QRect(1001, 1, 22, 30), Host.XEMBED),  # trayer: Qt made an XEmbed window
        ("xcb", QRect(), Host.SNI),  # xfce4-panel, KDE: exported over D-Bus, no window
        ("wayland", QRect(), Host.SNI),
    ],
)
def test_current_host_reads_the_path_qt_took_for_the_shown_icon(
    monkeypatch: pytest.MonkeyPatch, qpa: str, geometry: QRect, host: Host
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(QGuiApplication, "platformName", staticmethod(lambda: qpa))
    assert current_host(ShownIcon(geometry)) is host  # type: ignore[arg-type]


@pytest.mark.parametrize("host", [Host.SNI, Host.NATIVE])
def test_tray_sends_sni_and_native_hosts_plain_text(qtbot: QtBot, host: Host) -> None:
    tray = Tray(CATALOG, host=host)
    tray.render({"chatgpt": state("chatgpt", Level.MAJOR_OUTAGE)}, Settings(), NOW)
    tip = tray.icon.toolTip()
    assert tip == "Outage Radar\nChatGPT: major outage"
    assert "<" not in tip and "&amp;" not in tip
    tray.close()


def test_tray_sends_xembed_escaped_markup(qtbot: QtBot) -> None:
    tray = Tray(CATALOG, host=Host.XEMBED)
    tray.render({"chatgpt": state("chatgpt", Level.MAJOR_OUTAGE)}, Settings(), NOW)
    assert tray.icon.toolTip() == "Outage Radar<br>ChatGPT: major outage"
    tray.close()


# -- 4. labels read back exactly ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["chat_completions", "R&D", "A&B&C", "x&", "&", "_x", "__", "a_&_b", "plain", "R&D chat_api"],
)
def test_labels_read_back_exactly_on_dbusmenu_and_qt_menus(text: str) -> None:
    exported = qt_dbusmenu_export(menu_label(text, dbusmenu=True))
    assert dbusmenu_shown(exported) == text
    assert menu_label(text).replace("&&", "&") == text  # Qt's own menus: && is a literal &


def test_sni_tray_labels_are_written_for_dbusmenu(qtbot: QtBot) -> None:
    service = Service(
        id="rd",
        name="R&D chat_completions",
        url="https://status.rd.example",
        platform="statuspage",
        endpoints=("https://status.rd.example/api/v2/summary.json",),
        links=Links(status="https://status.rd.example"),
    )
    states = {"rd": ServiceState(service, Snapshot(Level.OPERATIONAL), None, NOW)}
    sni = Tray({"rd": service}, host=Host.SNI)
    sni.render(states, Settings(), NOW)
    label = texts(sni.menu)[1]
    assert label == "R&&D chat__completions — operational"
    assert dbusmenu_shown(qt_dbusmenu_export(label)) == "R&D chat_completions — operational"
    xembed = Tray({"rd": service}, host=Host.XEMBED)
    xembed.render(states, Settings(), NOW)
    assert texts(xembed.menu)[1] == "R&&D chat_completions — operational"
    sni.close()
    xembed.close()


# -- 5. an unchanged poll sends nothing -----------------------------------------------------------
def outage() -> dict[str, ServiceState]:
    incident = Incident(
        "i1",
        "Elevated errors",
        Level.MAJOR_OUTAGE,
        updated=NOW - timedelta(minutes=12),
        latest_update="We are investigating.",
    )
    return {
        "chatgpt": state("chatgpt", Level.MAJOR_OUTAGE, since=NOW, incidents=(incident,)),
        "claude": state("claude", Level.OPERATIONAL),
    }


def test_unchanged_polls_touch_no_icon_tooltip_or_action(qtbot: QtBot) -> None:
    icon = CountingIcon()
    tray = Tray(CATALOG, icon=icon, host=Host.SNI, clock=lambda: NOW)
    tray.render(outage(), Settings(), NOW)
    icons, tips = icon.icons, icon.tips
    before = all_actions(tray.menu)
    changes: list[str] = []
    for action in before:
        action.changed.connect(lambda a=action: changes.append(a.text()))
    for poll in range(1, 11):  # ten polls: later clock, new checked_at, same state
        later = NOW + timedelta(minutes=poll)
        states = {k: replace(s, checked_at=later) for k, s in outage().items()}
        tray.render(states, Settings(), later)
    assert (icon.icons, icon.tips) == (icons, tips)
    assert changes == []
    after = all_actions(tray.menu)
    assert len(after) == len(before) and all(a is b for a, b in zip(after, before, strict=True))
    tray.close()


def test_an_unchanged_poll_does_not_even_build_the_menu(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import outage_radar.ui.tray as tray_mod

    builds: list[object] = []
    build = tray_mod.tray_entries
    monkeypatch.setattr(tray_mod, "tray_entries", lambda m: builds.append(m) or build(m))
    tray = Tray(CATALOG, host=Host.SNI, clock=lambda: NOW)
    tray.render(outage(), Settings(), NOW)
    builds.clear()
    later = NOW + timedelta(minutes=1)
    states = {
        k: replace(s, checked_at=later, snapshot=s.snapshot.at(later)) for k, s in outage().items()
    }
    tray.render(states, Settings(), later)
    assert builds == []  # 100 services: 0.6 ms to compare, 9 ms to build and compare
    settings = Settings()
    settings.paused_until = (NOW + timedelta(hours=1)).isoformat()  # changed in place: seen
    tray.render(states, settings, later)
    assert builds and "Notifications paused until 11:30" in texts(tray.menu)
    tray.close()


def test_a_change_touches_only_what_it_changes(qtbot: QtBot) -> None:
    icon = CountingIcon()
    tray = Tray(CATALOG, icon=icon, host=Host.SNI, clock=lambda: NOW)
    tray.render(outage(), Settings(), NOW)
    icons, tips = icon.icons, icon.tips
    claude = submenu(tray.menu, "Claude")
    kept = all_actions(claude)
    states = outage()
    states["chatgpt"] = state("chatgpt", Level.DEGRADED, since=NOW)
    tray.render(states, Settings(), NOW)
    assert icon.icons == icons + 1 and icon.tips == tips + 1  # red to yellow
    assert submenu(tray.menu, "Claude") is claude
    # Claude's submenu changed only where ChatGPT's level shows: its alternatives line.
    assert [a is b for a, b in zip(all_actions(claude), kept, strict=True)].count(False) == 0
    assert "ChatGPT — degraded" in texts(tray.menu)
    tray.close()


def test_time_texts_wait_for_the_menu_to_open(qtbot: QtBot) -> None:
    clock = [NOW]
    tray = Tray(CATALOG, host=Host.SNI, clock=lambda: clock[0])
    tray.render(outage(), Settings(), NOW)
    assert "Elevated errors · 12 min ago" in texts(submenu(tray.menu, "ChatGPT"))
    clock[0] = NOW + timedelta(minutes=5)
    tray.render(outage(), Settings(), clock[0])
    assert "Elevated errors · 12 min ago" in texts(submenu(tray.menu, "ChatGPT"))
    tray.menu.aboutToShow.emit()  # the host opens the menu: the texts catch up
    assert "Elevated errors · 17 min ago" in texts(submenu(tray.menu, "ChatGPT"))
    tray.close()


# -- 2. clicks ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("host", "reason", "click"),
    [
        (Host.SNI, "Trigger", Click.WINDOW),
        (Host.SNI, "Context", Click.WINDOW),  # swaybar: right click sends ContextMenu
        (Host.SNI, "MiddleClick", Click.NONE),
        (Host.XEMBED, "Trigger", Click.MENU),
        (Host.XEMBED, "Context", Click.NONE),  # Qt pops the menu itself on X11
        (Host.NATIVE, "Trigger", Click.MENU),
        (Host.NATIVE, "Context", Click.NONE),
    ],
)
def test_click_actions(host: Host, reason: str, click: Click) -> None:
    assert click_action(host, reason) is click


@pytest.fixture
def popups(monkeypatch: pytest.MonkeyPatch) -> list[QPoint]:
    """Every QMenu.popup call (a tray click must never pop one on Wayland)."""
    calls: list[QPoint] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, pos, at=None: calls.append(pos))
    return calls


@pytest.mark.parametrize("reason", [Reason.Trigger, Reason.Context])
def test_wayland_clicks_open_the_status_window_never_a_popup(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, popups: list[QPoint], reason: Reason
) -> None:
    monkeypatch.setattr(QGuiApplication, "platformName", staticmethod(lambda: "wayland"))
    tray = Tray(CATALOG, clock=lambda: NOW)
    assert tray.host is Host.SNI
    tray.render(outage(), Settings(), NOW)
    tray.icon.activated.emit(reason)
    window = tray.window
    assert window is not None and window.isVisible() and popups == []
    assert window.services.item(0).text() == "ChatGPT — major outage"
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Escape closes it
    assert not window.isVisible()
    tray.icon.activated.emit(reason)
    assert window.isVisible()
    window.close()  # so does the close button
    assert not window.isVisible()
    tray.close()


def test_even_a_drawn_host_never_pops_a_menu_on_wayland(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, popups: list[QPoint]
) -> None:
    monkeypatch.setattr(QGuiApplication, "platformName", staticmethod(lambda: "wayland"))
    tray = Tray(CATALOG, host=Host.XEMBED)
    tray.icon.activated.emit(Reason.Trigger)
    assert popups == [] and tray.window is not None and tray.window.isVisible()
    tray.close()


def test_x11_left_click_pops_the_menu(qtbot: QtBot, popups: list[QPoint]) -> None:
    tray = Tray(CATALOG, host=Host.XEMBED)
    tray.icon.activated.emit(Reason.Trigger)
    assert len(popups) == 1 and tray.window is None
    tray.close()


def test_status_window_menus_reach_the_app(qtbot: QtBot, popups: list[QPoint]) -> None:
    tray = Tray(CATALOG, host=Host.SNI, clock=lambda: NOW)
    tray.render(outage(), Settings(), NOW)
    window = tray.status_window()
    assert [e.text for e in tray.service_menu("chatgpt")][:2] == [
        "Incidents",
        "Elevated errors · 12 min ago",
    ]
    with qtbot.waitSignal(tray.mute_requested) as muted:
        window._service_menu_of(window.services.item(0))
        popup = window._popup
        assert popup is not None and popups
        find(popup, "Mute for 1 h").trigger()
    assert muted.args == ["chatgpt", 1.0]
    with qtbot.waitSignal(tray.about_requested):
        window._tray_menu()
        assert window._popup is not None
        find(window._popup, "About Outage Radar").trigger()
    with qtbot.waitSignal(tray.quit_requested):
        window.quit_requested.emit()
    tray.close()


def test_window_goes_beside_the_icon_or_to_the_panel_corner_never_the_centre() -> None:
    screen = (0, 0, 1024, 768)
    top_panel = (0, 32, 1024, 736)
    assert window_spot((400, 380), screen, top_panel, None) == (616, 40)
    bottom_panel = (0, 0, 1024, 720)
    assert window_spot((400, 380), screen, bottom_panel, None) == (616, 332)
    assert window_spot((400, 380), screen, top_panel, (1000, 16)) == (616, 40)  # kept on screen
    assert window_spot((400, 380), screen, bottom_panel, (500, 740)) == (300, 332)


# -- 3. a late panel ------------------------------------------------------------------------------
def test_a_late_panel_gets_the_icon_and_the_no_tray_window_goes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    available = [False]
    monkeypatch.setattr(
        QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: available[0])
    )
    monkeypatch.setattr("outage_radar.ui.tray.current_host", lambda icon: Host.SNI)
    tray = Tray(CATALOG, host=Host.XEMBED, clock=lambda: NOW)
    tray.render(outage(), Settings(), NOW)
    tray.start()
    window = tray.window
    assert window is not None and window.isVisible() and window.explanation.isVisible()
    assert not tray.in_tray and tray.watch is not None
    assert tray.watch._timer.isActive() and tray.watch._timer.interval() == 1000
    first = tray.icon
    tray.sync_host()  # still no tray: nothing changes, the window is not shown again
    assert tray.icon is first and not tray.in_tray
    available[0] = True  # the panel comes up
    tray.watch._tick()
    assert tray.in_tray and tray.icon is not first and tray.icon.isVisible()
    assert tray.host is Host.SNI and not window.isVisible()
    assert not window.explanation.isVisible() and not tray.watch._timer.isActive()
    assert (
        tray.icon.toolTip()
        == "Outage Radar\nChatGPT: major outage since 10:30 · 1 other operational"
    )
    assert texts(tray.menu)[1] == "ChatGPT — major outage" and tray.icon.contextMenu() is tray.menu
    tray.close()


@pytest.mark.parametrize(
    ("desktop", "bus", "says", "never"),
    [
        ("ubuntu:GNOME", True, "AppIndicator", "waybar"),
        ("XFCE", True, "Status Tray", "GNOME"),
        ("sway", True, "waybar", "GNOME"),
        ("KDE", False, "D-Bus", "GNOME"),
    ],
)
def test_no_tray_text_names_what_is_missing_here(
    desktop: str, bus: bool, says: str, never: str
) -> None:
    text = no_tray_text({"XDG_CURRENT_DESKTOP": desktop}, bus=bus)
    assert says in text and never not in text


# -- 7. Qt's messages in the log ------------------------------------------------------------------
def test_qt_warnings_reach_the_log_at_their_level(caplog: pytest.LogCaptureFixture) -> None:
    previous = app_mod.install_qt_messages()
    try:
        with caplog.at_level(logging.DEBUG, logger="outage_radar.qt"):
            qWarning("Failed to create grabbing popup")
    finally:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(previous)  # type: ignore[arg-type]
    records = [r for r in caplog.records if r.name == "outage_radar.qt"]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.WARNING, "qt: Failed to create grabbing popup")
    ]


# -- 8. a hundred services ------------------------------------------------------------------------
CATEGORIES = ("chat", "api", "coding", "hosting", "media", "voice", "apps", "search")


def many(count: int, down: int = 2) -> dict[str, ServiceState]:
    states = {}
    for n in range(count):
        sid = f"svc{n:03d}"
        service = Service(
            id=sid,
            name=f"Service {n} chat_api",
            url=f"https://status.{sid}.example",
            platform="statuspage",
            endpoints=(f"https://status.{sid}.example/api/v2/summary.json",),
            category=CATEGORIES[n % len(CATEGORIES)],
            links=Links(status=f"https://status.{sid}.example"),
        )
        level = Level.MAJOR_OUTAGE if n < down else Level.OPERATIONAL
        states[sid] = ServiceState(service, Snapshot(level), NOW if n < down else None, NOW)
    return states


def test_a_hundred_services_are_grouped_and_a_second_render_recreates_nothing(
    qtbot: QtBot,
) -> None:
    states = many(100)
    tray = Tray({k: s.service for k, s in states.items()}, host=Host.SNI, clock=lambda: NOW)
    tray.render(states, Settings(), NOW)
    top = texts(tray.menu)
    assert len(tray.menu.actions()) <= 25 and top[-1] == "Quit"
    assert "Service 0 chat__api — major outage" in top  # problems stay on top (SNI labels)
    chat = submenu(tray.menu, "Chat assistants")
    assert len(chat.actions()) <= 20
    before = all_actions(tray.menu)
    assert len(before) > 1000  # every service's submenu, built once
    tray.render(dict(states), Settings(), NOW + timedelta(minutes=1))
    after = all_actions(tray.menu)
    assert len(after) == len(before) and all(a is b for a, b in zip(after, before, strict=True))
    tray.close()


def test_a_big_category_holds_parts_so_every_menu_fits_the_screen(qtbot: QtBot) -> None:
    states = {
        k: replace(s, service=replace(s.service, category="api")) for k, s in many(45).items()
    }
    tray = Tray({k: s.service for k, s in states.items()}, host=Host.XEMBED, clock=lambda: NOW)
    tray.render(states, Settings(), NOW)
    apis = submenu(tray.menu, "Model APIs — 2 with problems")
    assert texts(apis) == ["1–20 of 45", "21–40 of 45", "41–45 of 45"]
    assert len(submenu(apis, "1–20").actions()) == 20
    assert texts(tray.menu)[-1] == "Quit"
    tray.close()


def test_what_qt_says_before_the_log_is_set_up_reaches_the_log_file_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app_mod._early.clear()
    assert not logging.getLogger("outage_radar").handlers  # as before logs.setup
    app_mod.qt_message(QtMsgType.QtWarningMsg, None, "Failed to register with host portal")
    caplog.clear()  # that went to stderr (Python's last resort): the file gets it next
    with caplog.at_level(logging.DEBUG, logger="outage_radar.qt"):
        app_mod.log_early_qt_messages()
    assert [r.getMessage() for r in caplog.records] == [
        "qt: Failed to register with host portal (at start)"
    ]
    assert app_mod._early == []
