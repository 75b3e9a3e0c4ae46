"""The Settings window: services, added pages, poll interval, notification rules, login start."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from .. import autostart
from ..core import settings as settings_store
from ..core.catalog import Service
from ..core.model import Level
from ..core.settings import Settings
from .add_page import AddPageBox, Preview
from .keys_section import KeysSection
from .service_picker import ServicePicker

MIN_INTERVAL, MAX_INTERVAL = 30, 15 * 60
log = logging.getLogger(__name__)

LEVEL_CHOICES = (Level.DEGRADED, Level.PARTIAL_OUTAGE, Level.MAJOR_OUTAGE)


def _time(raw: str, default: str) -> QTime:
    parsed = QTime.fromString(raw or default, "HH:mm")
    return parsed if parsed.isValid() else QTime.fromString(default, "HH:mm")


class SettingsWindow(QDialog):
    saved = Signal(object)  # the new Settings

    def __init__(
        self,
        current: Settings,
        services: Iterable[Service],
        *,
        components: Mapping[str, Sequence[str]] | None = None,
        preview: Preview | None = None,
        path: Path | None = None,
        set_autostart: Callable[[bool], None] = autostart.set_enabled,
        catalog_file: Path | None = None,
        keys: KeysSection | None = None,
        unsaved: Callable[[OSError], None] | None = None,
    ) -> None:
        super().__init__()
        self.keys = keys
        self.unsaved = unsaved  # told when the file cannot be written
        self.setWindowTitle("Outage Radar — Settings")
        self.resize(560, 620)
        self.current = current
        self.path = path
        self.set_autostart = set_autostart
        catalog = list(services)
        self.picker = ServicePicker(
            catalog, current.services, components=components, watched=current.components
        )
        self.pages = AddPageBox(preview, current.custom, [s.id for s in catalog])
        tabs = QTabWidget()
        tabs.addTab(self._services_tab(catalog_file), "Services")
        tabs.addTab(self._rules_tab(), "Notifications")
        tabs.addTab(self._general_tab(), "General")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)

    def _services_tab(self, catalog_file: Path | None) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        if catalog_file is not None:
            note = QLabel(
                "This run watches the services of a catalog file given with --catalog; "
                "the choices below apply to normal runs."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.pages)
        return tab

    def _rules_tab(self) -> QWidget:
        s = self.current
        tab = QWidget()
        form = QFormLayout(tab)
        self.min_level = QComboBox()
        for level in LEVEL_CHOICES:
            self.min_level.addItem(level.label.capitalize() + " or worse", level.value)
        self.min_level.setCurrentIndex(max(0, self.min_level.findData(s.min_level_value.value)))
        form.addRow("Notify from:", self.min_level)
        self.recoveries = QCheckBox("Tell me when a service recovers")
        self.recoveries.setChecked(s.notify_recoveries)
        self.maintenance = QCheckBox("Tell me about maintenance")
        self.maintenance.setChecked(s.notify_maintenance)
        form.addRow(self.recoveries)
        form.addRow(self.maintenance)
        self.quiet = QCheckBox("Quiet hours")
        self.quiet.setChecked(bool(s.quiet_start and s.quiet_end))
        self.quiet_start = QTimeEdit(_time(s.quiet_start, "22:00"))
        self.quiet_end = QTimeEdit(_time(s.quiet_end, "07:00"))
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
            edit.setEnabled(self.quiet.isChecked())
            self.quiet.toggled.connect(edit.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.quiet_start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.quiet_end)
        form.addRow(self.quiet, row)
        hint = QLabel(
            "Muting one service: use its menu in the tray. To hear nothing about one of its "
            "components, untick the component under the service in the Services tab."
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        return tab

    def _general_tab(self) -> QWidget:
        s = self.current
        tab = QWidget()
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.interval = QSpinBox()
        self.interval.setRange(MIN_INTERVAL, MAX_INTERVAL)
        self.interval.setSingleStep(30)
        self.interval.setSuffix(" s")
        self.interval.setValue(int(min(max(s.interval, MIN_INTERVAL), MAX_INTERVAL)))
        form.addRow("Check every:", self.interval)
        self.login = QCheckBox("Start Outage Radar when I log in")
        self.login.setChecked(s.start_at_login)
        form.addRow(self.login)
        layout.addLayout(form)
        # Keys are kept in the OS keyring, never in settings: the section talks to it directly.
        self.api_keys = QGroupBox("API keys")
        self.api_keys.setObjectName("api_keys")
        keys_layout = QVBoxLayout(self.api_keys)
        self.probe_every = QSpinBox()
        self.probe_every.setRange(60, 3600)
        self.probe_every.setSingleStep(60)
        self.probe_every.setSuffix(" s")
        self.probe_every.setValue(int(min(max(s.probe_interval, 60), 3600)))
        if self.keys is not None:
            keys_layout.addWidget(self.keys)
            every = QFormLayout()
            every.addRow("Test my keys every:", self.probe_every)
            keys_layout.addLayout(every)
        else:
            note = QLabel("Direct API checks with your own keys need the OS keyring.")
            note.setWordWrap(True)
            keys_layout.addWidget(note)
        layout.addWidget(self.api_keys)
        layout.addStretch(1)
        return tab

    def result_settings(self) -> Settings:
        """The settings as edited, without touching the original."""
        new = copy.deepcopy(self.current)
        new.services = self.picker.selected()
        new.components = self.picker.watched_components()
        new.custom = list(self.pages.pages)
        new.interval = float(self.interval.value())
        new.min_level = str(self.min_level.currentData())
        new.notify_recoveries = self.recoveries.isChecked()
        new.notify_maintenance = self.maintenance.isChecked()
        on = self.quiet.isChecked()
        new.quiet_start = self.quiet_start.time().toString("HH:mm") if on else ""
        new.quiet_end = self.quiet_end.time().toString("HH:mm") if on else ""
        new.start_at_login = self.login.isChecked()
        if self.keys is not None:
            new.probe_interval = float(self.probe_every.value())
        return new

    @Slot()
    def save(self) -> None:
        new = self.result_settings()
        if self.keys is not None:
            self.keys.save_typed()  # to the keyring, never into the settings file
        try:
            settings_store.save(new, self.path)
        except OSError as exc:
            # A read-only config dir: the new settings still apply until the app quits.
            if self.unsaved is not None:
                self.unsaved(exc)
            else:
                log.warning("could not save the settings: %s", exc)
        # Written every time, so a launcher that moved (reinstall) is picked up again.
        try:
            self.set_autostart(new.start_at_login)
        except OSError:
            log.exception("could not change start at login")
        self.current = new
        self.saved.emit(new)
        self.accept()
