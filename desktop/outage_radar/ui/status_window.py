"""The status window: the state and the actions where the tray menu cannot be popped.

Two uses. Without a system tray it is the app's window, saying why and what to do. With a
StatusNotifierItem host (Wayland, swaybar, a left click on waybar or XFCE) a tray click opens
it: a compact window with every service, a menu per service and the tray menu's actions.
Escape and the close button hide it; Quit ends the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.alerts import Alert
from ..core.state import ServiceState
from .icon import level_icon
from .icon_spec import IconKey
from .labels import header, overall_icon, plain, service_name, state_icon, status_label, summary
from .menu import MenuView
from .menu_model import Entry, Intent
from .tray_host import desktop_environ, no_tray_text, session_bus
from .widgets import plain_label

COMPACT = (400, 380)  # a fixed size: sway floats a fixed-size window instead of tiling it
MARGIN = 8
KEY_ROLE = Qt.ItemDataRole.UserRole


class WindowMenus(Protocol):
    """Where the window's menus come from (the tray): the same entries as the tray menu."""

    def menu_entries(self) -> tuple[Entry, ...]: ...
    def service_menu(self, key: str) -> tuple[Entry, ...]: ...
    def run(self, intent: Intent, checked: bool = False) -> None: ...


Rect = tuple[int, int, int, int]  # x, y, width, height


def window_spot(
    size: tuple[int, int], screen: Rect, area: Rect, anchor: tuple[int, int] | None
) -> tuple[int, int]:
    """Where the window goes: beside the tray icon (or the click), else in the panel's corner.

    `area` is the screen minus the panels; without an anchor the window goes to the right end of
    the panel's edge (bottom when a panel reserves the bottom, else top), never the centre.
    """
    w, h = size
    left, top, width, height = area
    right, bottom = left + width, top + height
    if anchor is not None:
        ax, ay = anchor
        x = ax - w // 2
        y = ay + 2 * MARGIN if ay < screen[1] + screen[3] // 2 else ay - h - 2 * MARGIN
    else:
        x = right - w - MARGIN
        panel_below = bottom < screen[1] + screen[3]
        y = bottom - h - MARGIN if panel_below else top + MARGIN
    x = max(left + MARGIN, min(x, right - w - MARGIN))
    y = max(top + MARGIN, min(y, bottom - h - MARGIN))
    return x, y


class StatusWindow(QWidget):
    check_now_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    quit_requested = Signal()

    def __init__(self, menus: WindowMenus | None = None) -> None:
        super().__init__()
        self.menus = menus
        self.setWindowTitle("Outage Radar")
        self.resize(420, 360)
        self.explanation = plain_label(no_tray_text(desktop_environ(), bus=session_bus()))
        self.headline = plain_label("Checking…")
        self.services = QListWidget()
        self.services.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.services.customContextMenuRequested.connect(self._service_menu_at)
        self.services.itemActivated.connect(self._service_menu_of)
        self.last_alert = plain_label()
        self._rows: list[tuple[str, str, IconKey]] = []
        self._popup: QMenu | None = None  # kept while shown: a collected QMenu closes at once
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.headline)
        layout.addWidget(self.services, 1)
        layout.addWidget(self.last_alert)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        for text, signal in (
            ("Check now", self.check_now_requested),
            ("History…", self.history_requested),
            ("Settings…", self.settings_requested),
            ("Quit", self.quit_requested),
        ):
            button = QPushButton(text)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        if self.menus is not None:
            self.more = QPushButton("Menu…")
            self.more.setToolTip("Everything in the tray menu: pause, mutes, links, About")
            self.more.clicked.connect(self._tray_menu)
            buttons.insertWidget(1, self.more)
        return buttons

    def set_no_tray(self, no_tray: bool) -> None:
        """As the app's window (no tray: say why, resizable) or as a tray popup (compact)."""
        self.explanation.setVisible(no_tray)
        if no_tray:
            self.setMinimumSize(0, 0)
            self.setMaximumSize(16_777_215, 16_777_215)  # QWIDGETSIZE_MAX
            self.resize(440, 420)
        else:
            self.setFixedSize(*COMPACT)

    def present(self, anchor: QPoint | None = None) -> None:
        """Show it beside the tray (X11 places it; a Wayland compositor places it itself)."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            g, a = screen.geometry(), screen.availableGeometry()
            spot = window_spot(
                (self.width(), self.height()),
                (g.x(), g.y(), g.width(), g.height()),
                (a.x(), a.y(), a.width(), a.height()),
                (anchor.x(), anchor.y()) if anchor is not None else None,
            )
            self.move(*spot)
        self.show()
        self.raise_()
        self.activateWindow()

    def show_states(self, states: Mapping[str, ServiceState], now: datetime) -> None:
        """Refresh the headline and the rows whose text or icon changed, nothing else."""
        self.setWindowIcon(level_icon(overall_icon(states)))
        title, detail = header(states), summary(states, now)
        self.headline.setText(title if detail == title else f"{title} — {detail}")
        rows = [
            (key, f"{service_name(state)} — {status_label(state)}", state_icon(state))
            for key, state in states.items()
        ]
        if rows == self._rows:
            return
        while self.services.count() > len(rows):
            self.services.takeItem(self.services.count() - 1)
        for index, (key, text, icon) in enumerate(rows):
            item = self.services.item(index)
            if item is None:
                item = QListWidgetItem()
                self.services.addItem(item)
            old = self._rows[index] if index < len(self._rows) else None
            if old is None or old[1] != text:
                item.setText(text)
            if old is None or old[2] != icon:
                item.setIcon(level_icon(icon))
            item.setData(KEY_ROLE, key)
        self._rows = rows

    def show_alert(self, alert: Alert) -> None:
        """The notification fallback when there is neither a tray nor a notification service."""
        self.last_alert.setText(plain(alert.title, 120) + "\n" + alert.body)
        self.show()
        self.raise_()

    def _popup_menu(self, entries: tuple[Entry, ...], at: QPoint) -> None:
        if self.menus is None or not entries:
            return
        # Popped from this window after a click in it: a Wayland compositor allows that grab.
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        MenuView(menu, self.menus.run).show(entries)
        menu.aboutToHide.connect(menu.deleteLater)
        self._popup = menu
        menu.popup(at)

    @Slot(QPoint)
    def _service_menu_at(self, pos: QPoint) -> None:
        item = self.services.itemAt(pos)
        if item is not None:
            self._service_menu(item, self.services.viewport().mapToGlobal(pos))

    @Slot(QListWidgetItem)
    def _service_menu_of(self, item: QListWidgetItem) -> None:
        rect = self.services.visualItemRect(item)
        self._service_menu(item, self.services.viewport().mapToGlobal(rect.bottomLeft()))

    def _service_menu(self, item: QListWidgetItem, at: QPoint) -> None:
        if self.menus is not None:
            self._popup_menu(self.menus.service_menu(str(item.data(KEY_ROLE))), at)

    @Slot()
    def _tray_menu(self) -> None:
        if self.menus is not None:
            self._popup_menu(self.menus.menu_entries(), self.more.mapToGlobal(QPoint(0, 0)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        # Hiding keeps the app (and its alerts) running; Quit is the way out.
        event.ignore()
        self.hide()
