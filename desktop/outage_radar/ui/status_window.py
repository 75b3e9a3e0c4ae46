"""Shown when the desktop has no system tray: the same status in a small window, and why."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.alerts import Alert
from ..core.state import ServiceState
from .icon import level_icon
from .labels import header, overall_icon, plain, service_name, state_icon, status_label, summary

NO_TRAY = (
    "Your desktop shows no system tray, so Outage Radar runs in this window instead. "
    "On GNOME, install and enable the “AppIndicator and KStatusNotifierItem Support” "
    "extension, then start Outage Radar again to get the tray icon. "
    "Closing this window keeps watching; use Quit to stop."
)


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class StatusWindow(QWidget):
    check_now_requested = Signal()
    settings_requested = Signal()
    history_requested = Signal()
    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Outage Radar")
        self.resize(420, 360)
        self.explanation = _plain(NO_TRAY)
        self.headline = _plain("Checking…")
        self.services = QListWidget()
        self.last_alert = _plain()
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.headline)
        layout.addWidget(self.services, 1)
        layout.addWidget(self.last_alert)
        layout.addLayout(buttons)

    def show_states(self, states: Mapping[str, ServiceState], now: datetime) -> None:
        self.setWindowIcon(level_icon(overall_icon(states)))
        self.headline.setText(f"{header(states)} — {summary(states, now)}")
        self.services.clear()
        for state in states.values():
            item = QListWidgetItem(f"{service_name(state)} — {status_label(state)}")
            item.setIcon(level_icon(state_icon(state)))
            self.services.addItem(item)

    def show_alert(self, alert: Alert) -> None:
        """The notification fallback when there is neither a tray nor a notification service."""
        self.last_alert.setText(plain(alert.title, 120) + "\n" + alert.body)
        self.show()
        self.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        # Hiding keeps the app (and its alerts) running; Quit is the way out.
        event.ignore()
        self.hide()
