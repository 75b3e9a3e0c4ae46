"""The History window: the watched services with their 90-day uptime, and for the one picked its
day bars, legend, last check and incidents, each with its timeline as you lived it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.alerts import format_duration
from ..core.catalog import Service
from ..core.history_view import BOTH, OWN, PAGE, IncidentView, Summary, uptime_line
from ..core.state import ServiceState
from . import opener
from .icon import level_icon
from .labels import check_line, clock, plain, state_icon
from .uptime_bars import (
    DAYS,
    KEY_ROLE,
    SORT_ROLE,
    Legend,
    ServiceList,
    SortedItem,
    UptimeBars,
    uptime_text,
)
from .widgets import plain_label

URL_ROLE = Qt.ItemDataRole.UserRole
LIST_EVERY = 60.0
SOURCES = {PAGE: "status page", OWN: "you saw it", BOTH: "both"}
SOURCE_TIPS = {
    PAGE: "Only in the status page's own record: your polls did not see it as it happened",
    OWN: "Your polls saw it on the status page as it happened",
    BOTH: "Your polls saw it, and the status page's record has it too",
}


class HistoryReader(Protocol):
    def summary(self, service: str, days: int = ..., now: datetime | None = ...) -> Summary: ...


def _at(when: datetime, day_of: datetime, now: datetime) -> str:
    """A timeline time: the clock alone on the incident's own day, else with its date."""
    local = when.astimezone(now.tzinfo)
    same_day = local.date() == day_of.astimezone(now.tzinfo).date()
    return f"{local:%H:%M}" if same_day else clock(when, now)


def timeline_rows(incident: IncidentView, now: datetime) -> list[str]:
    """What you lived of an incident, in order; only the moments known."""
    line, start = incident.timeline, incident.started
    rows = []
    if line.probe_failed is not None:
        rows.append(f"Your probe first failed {_at(line.probe_failed, start, now)}")
    if line.page_said is not None:
        said = f"The page said it {_at(line.page_said, start, now)}"
        if line.lead is not None:
            said += f" (your probe knew {format_duration(line.lead)} earlier)"
        rows.append(said)
    if line.notified is not None:
        rows.append(f"You were notified {_at(line.notified, start, now)}")
    if line.resolved is not None:
        rows.append(f"Resolved {_at(line.resolved, start, now)}")
    return rows


def incident_item(incident: IncidentView, now: datetime) -> QTreeWidgetItem:
    """An incident's row (title, start, end, length, source) with its timeline under it."""
    start = incident.started
    ended = _at(incident.ended, start, now) if incident.ended is not None else "ongoing"
    lasted = (
        format_duration(incident.duration)
        if incident.duration is not None
        else f"{format_duration(now - start)} so far"
    )
    source = SOURCES.get(incident.source, incident.source)
    item = QTreeWidgetItem([plain(incident.title, 120), clock(start, now), ended, lasted, source])
    item.setIcon(0, level_icon(incident.level))
    item.setToolTip(4, SOURCE_TIPS.get(incident.source, ""))
    item.setData(0, URL_ROLE, incident.url)
    item.setData(0, KEY_ROLE, incident.id)
    for row in timeline_rows(incident, now):
        child = QTreeWidgetItem(item, [row])
        child.setData(0, URL_ROLE, incident.url)
        child.setFirstColumnSpanned(True)
    return item


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
        self.resize(1000, 640)
        self.history, self.now, self.live = history, now, live
        self.summaries: dict[str, Summary] = {}
        self.names: dict[str, str] = {}
        self.listed: datetime | None = None  # when the whole list was last read
        self.shown: str | None = None  # the service whose incidents are listed
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter services")
        self.search.setClearButtonEnabled(True)
        self.picker = ServiceList()
        self.search.textChanged.connect(self.picker.filter)
        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.search)
        side.addWidget(self.picker)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self._detail())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 720])
        QHBoxLayout(self).addWidget(splitter)
        self.picker.currentItemChanged.connect(self._show_current)
        self.set_services(services)

    def _detail(self) -> QWidget:
        self.title = plain_label()
        font = QFont(self.title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.bars = UptimeBars()
        self.legend = Legend()
        self.uptime = plain_label()
        self.last_check = plain_label()
        self.backfilled = plain_label()
        self.incidents = QTreeWidget()
        self.incidents.setHeaderLabels(["Incident", "Started", "Ended", "Lasted", "Source"])
        # The title gets the room; the times stay as wide as their text.
        header = self.incidents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.incidents.itemActivated.connect(self._open)
        detail = QWidget()
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.title, self.bars, self.legend, self.uptime):
            layout.addWidget(widget)
        layout.addWidget(self.last_check)
        layout.addWidget(self.backfilled)
        self.heading = plain_label("Incidents (double-click to open on the status page):")
        layout.addWidget(self.heading)
        layout.addWidget(self.incidents, 1)
        return detail

    def set_services(self, services: Sequence[Service]) -> None:
        self.names = {s.id: plain(s.name, 60) for s in services}
        self.listed = None
        self.refresh()

    def refresh(self) -> None:
        """Read the picked service's summary again, and the list's at most every LIST_EVERY
        seconds (some 2 ms a service: 40 of them at every poll would stall the menu)."""
        current = self.picker.current()
        now = self.now()
        if self.listed is None or abs((now - self.listed).total_seconds()) >= LIST_EVERY:
            self.summaries = {key: self.history.summary(key, DAYS, now) for key in self.names}
            self.listed = now
        elif current is not None:
            self.summaries[current] = self.history.summary(current, DAYS, now)
        self.picker.blockSignals(True)
        self.picker.setSortingEnabled(False)
        self.picker.clear()
        for key, name in self.names.items():
            summary = self.summaries[key]
            item = SortedItem([name, uptime_text(summary)])
            item.setData(0, KEY_ROLE, key)
            item.setData(1, SORT_ROLE, -1.0 if summary.uptime is None else summary.uptime)
            item.setToolTip(1, uptime_line(summary))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            state = self.live(key)
            if state is not None:
                item.setIcon(0, level_icon(state_icon(state)))
            self.picker.addTopLevelItem(item)
        self.picker.setSortingEnabled(True)
        self.picker.filter(self.search.text())
        self.picker.select(current)
        self.picker.blockSignals(False)
        self._show_current()

    @Slot()
    def _show_current(self) -> None:
        key = self.picker.current()
        summary = self.summaries.get(key) if key is not None else None
        if key is None or summary is None:
            return
        now = self.now()
        self.title.setText(self.names.get(key, key))
        self.bars.set_days(summary.days)
        self.uptime.setText(uptime_line(summary))
        self.last_check.setText(check_line(summary.last_check, self.live(key), now))
        read = summary.backfilled
        # A record of whole days (Better Stack) ends at the next midnight: no time to show then.
        when = f" {clock(read, now)}" if read is not None and read <= now else ""
        self.backfilled.setText(f"Provider record read{when}" if read is not None else "")
        self.backfilled.setVisible(read is not None)
        self._fill_incidents(summary, now)

    def _fill_incidents(self, summary: Summary, now: datetime) -> None:
        # A refresh of the same service keeps what the user opened or closed, and the scroll.
        same = summary.service == self.shown
        kept = {self._item_id(i): i.isExpanded() for i in self._incident_items()} if same else {}
        scroll = self.incidents.verticalScrollBar().value() if same else 0
        self.shown = summary.service
        self.incidents.clear()
        for incident in summary.incidents:
            item = incident_item(incident, now)
            self.incidents.addTopLevelItem(item)
            # Open by default where you lived it: your probe or a notification was part of it.
            line = incident.timeline
            lived = line.probe_failed is not None or line.notified is not None
            item.setExpanded(kept.get(incident.id, lived))
        self.incidents.verticalScrollBar().setValue(scroll)
        count = len(summary.incidents)
        self.heading.setText(
            f"Incidents in the last {DAYS} days: {count} (double-click to open on the status page)"
            if count
            else f"No incidents in the last {DAYS} days"
        )

    def _incident_items(self) -> list[QTreeWidgetItem]:
        items = (self.incidents.topLevelItem(i) for i in range(self.incidents.topLevelItemCount()))
        return [item for item in items if item is not None]

    @staticmethod
    def _item_id(item: QTreeWidgetItem) -> str:
        return str(item.data(0, KEY_ROLE))

    @Slot(QTreeWidgetItem, int)
    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        opener.open_url(item.data(0, URL_ROLE))
