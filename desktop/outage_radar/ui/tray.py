"""The tray icon: one QSystemTrayIcon and one QMenu, repainted from state, piece by piece.

Each render works out what the icon, the tooltip and the menu would show and changes only the
pieces that differ (ui.menu keeps the unchanged QActions): on a StatusNotifierItem host every
setIcon, setToolTip or action change is a D-Bus signal, and hosts re-read the menu on each.
A change while the menu Qt draws is open waits until it closes, so the actions under the
pointer stay. Without a tray the status window stands in, until a tray appears (TrayWatch).
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QTimer, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ..core.alerts import ServiceLookup
from ..core.model import Level
from ..core.settings import Settings
from ..core.state import ServiceState
from .icon import level_icon
from .icon_spec import IconKey
from .labels import overall_icon, overall_level, summary, tray_tooltip
from .menu import MenuView, run_intent
from .menu_model import Entry, Intent, MenuModel, service_entries, tray_entries
from .tray_host import (
    Click,
    Host,
    TrayWatch,
    click_action,
    current_host,
    is_wayland,
)

if TYPE_CHECKING:
    from .status_window import StatusWindow

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now().astimezone()


def _shown(state: ServiceState) -> ServiceState:
    """A state without the times of its last check: what the tray shows of it."""
    snapshot = replace(state.snapshot, fetched_at=None)
    return replace(state, snapshot=snapshot, checked_at=None)


class Tray(QObject):
    """Shows state; its signals are the user's intents, handled by the app."""

    check_now_requested = Signal()
    pause_requested = Signal(float)  # hours; 0 resumes; menu_model.UNTIL_TOMORROW
    mute_requested = Signal(str, float)  # service id, hours; 0 unmutes
    recover_once_requested = Signal(str, bool)
    history_requested = Signal()
    settings_requested = Signal()
    about_requested = Signal()
    doctor_requested = Signal(str)  # service id: "Is it just me?"
    quit_requested = Signal()

    def __init__(
        self,
        catalog: ServiceLookup,
        parent: QObject | None = None,
        icon: QSystemTrayIcon | None = None,
        *,
        host: Host | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.clock = clock
        self.level = Level.UNKNOWN
        # The app may already show an icon (painted before the heavy imports): adopt it, so
        # the tray host never sees the icon go away and come back.
        self.in_tray = icon is not None and icon.isVisible()
        self.icon = icon or QSystemTrayIcon(level_icon(Level.UNKNOWN))
        self.host = host if host is not None else current_host(self.icon)
        self.icon.setParent(self)
        self.icon.setToolTip("Outage Radar: starting…")
        self.menu = self._new_menu()
        self.watch: TrayWatch | None = None
        self.window: StatusWindow | None = None
        self._states: dict[str, ServiceState] = {}
        self._settings = Settings(first_run_done=True)
        self._now = self._labels_at = clock()
        self._shown_icon: IconKey | None = None
        self._shown_tip: str | None = None
        self._pending: tuple[Entry, ...] | None = None
        self._inputs: tuple[Any, ...] | None = None
        self._told_no_tray = False
        self.icon.activated.connect(self._on_activated)
        self.render({}, self._settings, self._now)

    def _new_menu(self) -> QMenu:
        # The menu has no parent widget: the tray does not own it, so this object keeps it.
        menu = QMenu()
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(self._menu_opens)
        menu.aboutToHide.connect(self._menu_closes)
        self.view = MenuView(menu, self.run, dbusmenu=self.host is Host.SNI)
        self.icon.setContextMenu(menu)
        return menu

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def close(self) -> None:
        """Take the icon down and free the menu and the window (on quit)."""
        if self.watch is not None:
            self.watch.poll(False)
        self.icon.hide()
        self.icon.setContextMenu(None)  # type: ignore[arg-type]
        self.menu.deleteLater()
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()

    # -- what is shown ----------------------------------------------------------------------------
    def render(self, states: Mapping[str, ServiceState], settings: Settings, now: datetime) -> None:
        """Show the new state: only the icon, tooltip and menu items that differ change."""
        # A poll re-announces states whose only news is the time of the check: with 100
        # services, comparing that input costs far less than building the menu to compare it.
        inputs = ({k: _shown(s) for k, s in states.items()}, copy.deepcopy(settings))
        if inputs == self._inputs:
            # Only check times moved: kept for "Last checked", shown when the menu next opens.
            self._states = dict(states)
            return
        self._inputs = inputs
        self.level = overall_level(states)  # link-only services never count
        self._states, self._settings, self._now = dict(states), settings, now
        self._paint()
        if self.window is not None:
            self.window.show_states(self._states, now)

    def _paint(self, *, refresh_times: bool = False) -> None:
        key = overall_icon(self._states)
        if key != self._shown_icon:
            self.icon.setIcon(level_icon(key))
            self._shown_icon = key
        text = f"Outage Radar\n{summary(self._states, self._now)}"
        tip = tray_tooltip(text, markup=self.host is Host.XEMBED)
        if tip != self._shown_tip:
            self.icon.setToolTip(tip)
            self._shown_tip = tip
        # Time texts ("12 min ago") keep the clock of the last change, so a poll that changes
        # nothing else changes no label; they catch up when something changes or the menu opens.
        if refresh_times:
            self._labels_at = self.clock()
        entries = tray_entries(self._model(self._labels_at))
        if entries != (self._pending or self.view.entries) and not refresh_times:
            self._labels_at = self._now
            entries = tray_entries(self._model(self._now))
        if self.menu.isVisible():
            self._pending = entries
        else:
            self._pending = None
            self.view.show(entries)

    def _model(self, at: datetime) -> MenuModel:
        return MenuModel(self._states, self._settings, at, self.catalog)

    @Slot()
    def _menu_opens(self) -> None:
        self._paint(refresh_times=True)

    @Slot()
    def _menu_closes(self) -> None:
        # A triggered action's handler runs after aboutToHide: apply on the next loop turn.
        if self._pending is not None:
            QTimer.singleShot(0, self._paint)

    # -- the status window, for the menus it pops -----------------------------------------------
    def menu_entries(self) -> tuple[Entry, ...]:
        return tray_entries(self._model(self.clock()))

    def service_menu(self, key: str) -> tuple[Entry, ...]:
        state = self._states.get(key)
        return service_entries(state, self._model(self.clock())) if state is not None else ()

    def run(self, intent: Intent, checked: bool = False) -> None:
        run_intent(intent, self, checked)

    def status_window(self) -> StatusWindow:
        """The window a click opens on an SNI host, and the app's window without a tray."""
        if self.window is None:
            # Imported when first asked for: most trays never need it (0.9 MiB resident).
            from .status_window import StatusWindow

            window = StatusWindow(self)
            window.check_now_requested.connect(self.check_now_requested)
            window.history_requested.connect(self.history_requested)
            window.settings_requested.connect(self.settings_requested)
            window.quit_requested.connect(self.quit_requested)
            window.set_no_tray(not self.in_tray)
            window.show_states(self._states, self._now)
            self.window = window
        return self.window

    def toggle_window(self) -> None:
        """A tray click: show the status window beside the icon, or hide it when in front."""
        window = self.status_window()
        if window.isVisible() and window.isActiveWindow():
            window.hide()
        else:
            window.present(self._anchor())

    def _anchor(self) -> QPoint | None:
        """Where the click was: the icon (XEmbed, Windows) or the pointer on X11; else None."""
        spot = self.icon.geometry()
        if spot.isValid() and not spot.isEmpty():
            return spot.center()
        if is_wayland() or os.environ.get("WAYLAND_DISPLAY"):
            return None  # Xwayland's pointer is stale after a click on a Wayland panel
        return QCursor.pos()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        action = click_action(self.host, reason.name)
        if action is Click.MENU and is_wayland():
            action = Click.WINDOW  # never a QMenu popup from a tray click on native Wayland
        if action is Click.MENU and not self.menu.isVisible():
            self.menu.popup(QCursor.pos())
        elif action is Click.WINDOW:
            self.toggle_window()

    # -- a tray that comes (or changes) after the start ------------------------------------------
    def start(self) -> None:
        """Show the icon in the tray, or the status window until a tray appears."""
        if self.watch is None:
            self.watch = TrayWatch(self)
            self.watch.changed.connect(self.sync_host)
        self.sync_host()

    @Slot()
    def sync_host(self) -> None:
        """Show the icon when a tray is there, on the path Qt takes now; else the window."""
        available = QSystemTrayIcon.isSystemTrayAvailable()
        if available and not self.in_tray:
            self._install()
        elif not available and not self.in_tray and not self._told_no_tray:
            self._told_no_tray = True
            log.warning("no system tray available: showing the status window")
            window = self.status_window()
            window.set_no_tray(True)
            window.present()
        if self.watch is not None:
            self.watch.poll(not self.in_tray)

    def _install(self) -> None:
        """A new QSystemTrayIcon: Qt chooses SNI or XEmbed once, when the icon is made."""
        # WORKAROUND for Qt fixing the tray path when a QSystemTrayIcon is constructed
        # (https://code.qt.io/cgit/qt/qtbase.git/tree/src/gui/platform/unix/qgenericunixtheme.cpp,
        # shouldUseDBusTray): an icon made before the panel stays XEmbed-only; look again when
        # QSystemTrayIcon switches to a StatusNotifierWatcher that appears later by itself.
        old_icon, old_menu = self.icon, self.menu
        self.icon = QSystemTrayIcon(level_icon(overall_icon(self._states)), self)
        self.icon.activated.connect(self._on_activated)
        self.icon.show()
        self.host = current_host(self.icon)  # what Qt chose, seen once the icon is up
        self.menu = self._new_menu()  # labels differ per host: every action is made anew
        self._shown_icon = self._shown_tip = None
        self._pending = None
        self._paint()
        old_icon.hide()
        old_icon.setContextMenu(None)  # type: ignore[arg-type]
        old_icon.deleteLater()
        old_menu.deleteLater()
        log.info("tray icon shown (%s)", self.host.value)
        if not self.in_tray and self.window is not None:
            self.window.hide()  # the no-tray window goes: the icon is there now
        self.in_tray = True
        if self.window is not None:
            self.window.set_no_tray(False)

    # -- MenuIntents --------------------------------------------------------------------------
    def check_now(self) -> None:
        self.check_now_requested.emit()

    def pause(self, hours: float) -> None:
        self.pause_requested.emit(hours)

    def mute(self, service: str, hours: float) -> None:
        self.mute_requested.emit(service, hours)

    def recover_once(self, service: str, on: bool) -> None:
        self.recover_once_requested.emit(service, on)

    def show_history(self) -> None:
        self.history_requested.emit()

    def show_settings(self) -> None:
        self.settings_requested.emit()

    def show_about(self) -> None:
        self.about_requested.emit()

    def doctor(self, service: str) -> None:
        self.doctor_requested.emit(service)

    def quit(self) -> None:
        self.quit_requested.emit()
