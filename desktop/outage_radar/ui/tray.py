"""The tray icon: one QSystemTrayIcon and one QMenu for the whole run, repainted from state.

The menu is refilled (never the tray rebuilt). A refill while the menu is open would delete
the actions under the pointer, so it waits until the menu closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ..core.alerts import ServiceLookup
from ..core.model import Level
from ..core.settings import Settings
from ..core.state import ServiceState
from . import menu as menus
from .icon import level_icon
from .labels import overall_icon, overall_level, summary, tooltip_html


class Tray(QObject):
    """Shows state; its signals are the user's intents, handled by the app."""

    check_now_requested = Signal()
    pause_requested = Signal(float)  # hours; 0 resumes; menus.UNTIL_TOMORROW
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
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.level = Level.UNKNOWN
        # The app may already show an icon (painted before the heavy imports): adopt it, so
        # the tray host never sees the icon go away and come back.
        self.icon = icon or QSystemTrayIcon(level_icon(Level.UNKNOWN))
        self.icon.setParent(self)
        self.icon.setToolTip("Outage Radar: starting…")
        # The menu has no parent widget: the tray does not own it, so this object keeps it.
        self.menu = QMenu()
        self.menu.setToolTipsVisible(True)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.menu.aboutToHide.connect(self._refill_later)
        self._submenus: list[QMenu] = []
        self._model: menus.MenuModel | None = None
        self._stale = False
        self.render({}, Settings(first_run_done=True), datetime.now().astimezone())

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def close(self) -> None:
        self.icon.hide()
        self.icon.setContextMenu(None)  # type: ignore[arg-type]
        self.menu.deleteLater()

    def render(self, states: Mapping[str, ServiceState], settings: Settings, now: datetime) -> None:
        """Repaint icon and tooltip now; refill the menu now or when it closes."""
        self.level = overall_level(states)  # link-only services never count
        self.icon.setIcon(level_icon(overall_icon(states)))
        self.icon.setToolTip(tooltip_html(f"Outage Radar\n{summary(states, now)}"))
        self._model = menus.MenuModel(dict(states), settings, now, self.catalog)
        if self.menu.isVisible():
            self._stale = True
        else:
            self._refill()

    def _refill(self) -> None:
        if self._model is None:
            return
        self._stale = False
        for sub in self._submenus:
            sub.deleteLater()
        self.menu.clear()
        self._submenus = menus.fill(self.menu, self._model, self)

    @Slot()
    def _refill_later(self) -> None:
        # A triggered action's handler runs after aboutToHide: refill on the next loop turn.
        if self._stale:
            QTimer.singleShot(0, self._refill)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # A left click shows the same menu: most Linux panels give no other way to reach it.
        if reason is QSystemTrayIcon.ActivationReason.Trigger and not self.menu.isVisible():
            self.menu.popup(QCursor.pos())

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
