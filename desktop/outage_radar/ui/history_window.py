"""The History window: per service, 90 days of uptime bars, recent incidents and last check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.alerts import format_duration
from ..core.catalog import Service
from ..core.model import Level
from ..core.state import ServiceState
from . import opener
from .icon import level_icon
from .labels import check_line, clock, plain
from .uptime_bars import UptimeBars
from .widgets import plain_label

DAYS = 90
URL_ROLE = Qt.ItemDataRole.UserRole


class Day(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def ratio(self) -> float | None: ...
    @property
    def worst(self) -> Level: ...


class IncidentLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def level(self) -> Level: ...
    @property
    def started(self) -> datetime: ...
    @property
    def ended(self) -> datetime | None: ...


class HistoryReader(Protocol):
    def uptime(self, service: str, days: int = ...) -> Sequence[Day]: ...
    def incidents(self, service: str, limit: int = ...) -> Sequence[IncidentLike]: ...
    def last_check(self, service: str) -> datetime | None: ...
    def leads(self, service: str, limit: int = ...) -> Sequence[tuple[datetime, float, str]]: ...


class HistoryWindow(QWidget):
    def __init__(
        self,
        history: HistoryReader,
        services: Sequence[Service],
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        live: Callable[[str], ServiceState | None] = lambda key: None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Outage Radar — History")
        self.resize(640, 480)
        self.history, self.now, self.live = history, now, live
        self.picker = QComboBox()
        self.bars = UptimeBars()
        self.uptime = plain_label()
        self.last_check = plain_label()
        self.incidents = QTreeWidget()
        self.incidents.setHeaderLabels(["Incident", "Started", "Lasted"])
        self.incidents.setRootIsDecorated(False)
        # The title gets the room; when and how long stay as wide as their text.
        header = self.incidents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.incidents.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        for widget in (self.picker, self.bars, self.uptime, self.last_check):
            layout.addWidget(widget)
        layout.addWidget(plain_label("Recent incidents (double-click to open):"))
        layout.addWidget(self.incidents)
        # Times a probe saw trouble before the status page admitted it (the probes' lead).
        self.leads = plain_label()
        layout.addWidget(self.leads)
        self.picker.currentIndexChanged.connect(self._show_current)
        self.set_services(services)

    def set_services(self, services: Sequence[Service]) -> None:
        current = self.picker.currentData()
        self.picker.blockSignals(True)
        self.picker.clear()
        for service in services:
            self.picker.addItem(plain(service.name, 60), service.id)
        index = max(0, self.picker.findData(current))
        self.picker.setCurrentIndex(index)
        self.picker.blockSignals(False)
        self._show_current()

    def refresh(self) -> None:
        self._show_current()

    @Slot()
    def _show_current(self) -> None:
        key = self.picker.currentData()
        if not isinstance(key, str):
            return
        now = self.now()
        days = list(self.history.uptime(key, DAYS))
        self.bars.set_days([(d.day, d.ratio, d.worst) for d in days])
        known = [d.ratio for d in days if d.ratio is not None]
        self.uptime.setText(
            f"{sum(known) / len(known) * 100:.2f} % uptime over the {len(known)} days with data"
            if known
            else f"No data yet for the last {DAYS} days"
        )
        self.last_check.setText(check_line(self.history.last_check(key), self.live(key), now))
        self.incidents.clear()
        for row in self.history.incidents(key, 20):
            lasted = "ongoing"
            if row.ended is not None:
                lasted = format_duration(row.ended - row.started)
            item = QTreeWidgetItem([plain(row.title, 120), clock(row.started, now), lasted])
            item.setIcon(0, level_icon(row.level))
            item.setData(0, URL_ROLE, row.url)
            self.incidents.addTopLevelItem(item)
        self.incidents.resizeColumnToContents(1)
        leads = [
            f"{when:%d %b %H:%M}: you knew {minutes:.0f} min before the status page"
            + (f" ({plain(detail, 120)})" if detail else "")
            for when, minutes, detail in self.history.leads(key, 5)
        ]
        self.leads.setText("Early warnings:\n" + "\n".join(leads) if leads else "")
        self.leads.setVisible(bool(leads))

    @Slot(QTreeWidgetItem, int)
    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        opener.open_url(item.data(0, URL_ROLE))
