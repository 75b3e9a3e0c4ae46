"""First run: pick the services to watch (ChatGPT and the OpenAI API are preselected)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from ..core.catalog import Service
from ..core.settings import DEFAULT_SERVICES
from .service_picker import ServicePicker


class WelcomeWindow(QDialog):
    chosen = Signal(list)  # the picked service ids

    def __init__(self, services: Iterable[Service], preselected: Iterable[str] = DEFAULT_SERVICES):
        super().__init__()
        self.setWindowTitle("Welcome to Outage Radar")
        self.resize(460, 560)
        intro = QLabel(
            "Outage Radar sits in your tray and tells you when an AI service you rely on "
            "has trouble, and when it is back. Pick the services to watch; you can change "
            "them later in Settings."
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.picker = ServicePicker(services, preselected)
        buttons = QDialogButtonBox()
        self.start = QPushButton("Start watching")
        self.start.setDefault(True)
        buttons.addButton(self.start, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.finish)
        self.picker.changed.connect(self._update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.picker, 1)
        layout.addWidget(buttons)
        self._update_button()

    @Slot()
    def _update_button(self) -> None:
        self.start.setEnabled(bool(self.picker.selected()))

    @Slot()
    def finish(self) -> None:
        self.chosen.emit(self.picker.selected())
        self.accept()
