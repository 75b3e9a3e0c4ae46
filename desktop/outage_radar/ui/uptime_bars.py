"""The History window's uptime parts: 90 day bars painted like a status page (with a mark under
the days your polls saw), the legend saying what colours and mark mean, and the service list
with each service's 90-day uptime."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core.history_view import BOTH, ENOUGH, OWN, PAGE, DayView, Summary, percent
from ..core.model import Level
from .icon_spec import bar_color
from .widgets import plain_label

DAYS = 90
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # a service list row's service id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what a cell sorts by, when not its text
BAR_HEIGHT = 34
MARK_GAP, MARK_HEIGHT = 3, 3
SOURCE_WORDS = {
    OWN: "your polls",
    PAGE: "status page record",
    BOTH: "your polls and the status page record",
}
LEGEND_LEVELS: tuple[tuple[Level | None, str], ...] = (
    (Level.OPERATIONAL, "operational"),
    (Level.DEGRADED, "degraded"),
    (Level.PARTIAL_OUTAGE, "partial outage"),
    (Level.MAJOR_OUTAGE, "major outage"),
    (Level.MAINTENANCE, "maintenance"),
    (None, "not enough data"),
)


def span_text(seconds: float) -> str:
    """'24 h', '3 h 5 min', '10 min': a length within a day, never in days."""
    minutes = max(0, round(seconds / 60))
    if minutes < 1:
        return "<1 min"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def day_tip(day: DayView) -> str:
    """'Jul 30: 99.31 % up over 24 h known (status page record) · 10 min major outage'."""
    head = f"{day.day:%b %d}".replace(" 0", " ")
    if day.ratio is None:
        known = f" (only {span_text(day.known)} known)" if day.known >= 60 else ""
        return f"{head}: not enough data{known}"
    words = SOURCE_WORDS.get(day.source, day.source)
    parts = [f"{head}: {percent(day.ratio)} up over {span_text(day.known)} known ({words})"]
    for level, seconds in sorted(day.down.items(), key=lambda kv: -kv[0].rank):
        parts.append(f"{span_text(seconds)} {level.label}")
    if not day.counted:
        parts.append(f"not counted in the uptime (under {span_text(ENOUGH)} known)")
    return " · ".join(parts)


def polled(day: DayView) -> bool:
    """Whether your own polls saw (part of) the day: those days get the mark."""
    return day.source in (OWN, BOTH)


def uptime_text(summary: Summary) -> str:
    """The list's short form: '99.95 %', or a dash without a day known well enough."""
    return "—" if summary.uptime is None else percent(summary.uptime)


class UptimeBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[DayView] = []
        self.setMinimumHeight(BAR_HEIGHT + MARK_GAP + MARK_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_days(self, days: Sequence[DayView]) -> None:
        self.days = list(days)
        known = sum(1 for d in self.days if d.level is not None)
        own = sum(1 for d in self.days if polled(d))
        self.setAccessibleDescription(
            f"{known} of {len(self.days)} days with data, {own} of them from your polls"
        )
        self.update()

    def colors(self) -> list[str]:
        return [bar_color(d.level) for d in self.days]

    def marks(self) -> list[bool]:
        return [polled(d) for d in self.days]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(max(270, 4 * len(self.days)), self.minimumHeight())

    def bar_at(self, x: float) -> int | None:
        if not self.days or self.width() <= 0:
            return None
        index = int(x / (self.width() / len(self.days)))
        return index if 0 <= index < len(self.days) else None

    def event(self, event: QEvent) -> bool:
        # Asked for when the tooltip is due, not on every mouse move.
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            index = self.bar_at(event.pos().x())
            if index is None:
                QToolTip.hideText()
            else:  # only dates, numbers and fixed words: nothing a page wrote
                QToolTip.showText(event.globalPos(), day_tip(self.days[index]), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self.days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        step = self.width() / len(self.days)
        gap = min(2.0, step * 0.25)
        bar = self.height() - MARK_GAP - MARK_HEIGHT
        ink = self.palette().windowText().color()
        for i, day in enumerate(self.days):
            painter.setBrush(QColor(bar_color(day.level)))
            painter.drawRoundedRect(QRectF(i * step, 0, step - gap, bar), 1.5, 1.5)
            if polled(day):
                painter.setBrush(ink)
                painter.drawRect(QRectF(i * step, bar + MARK_GAP, step - gap, MARK_HEIGHT))
        painter.end()


def _swatch(color: str, mark: QColor | None = None) -> QWidget:
    """A small bar as the window paints it: its colour, and the poll mark under it."""
    pixmap = QPixmap(10, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.fillRect(0, 0, 10, 12, QColor(color))
    if mark is not None:
        painter.fillRect(0, 15, 10, 3, mark)
    painter.end()
    label = plain_label()
    label.setWordWrap(False)
    label.setPixmap(pixmap)
    return label


class Legend(QWidget):
    """What each colour means, and where a day's colour came from (your polls or the record)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        colors = QHBoxLayout()
        for level, words in LEGEND_LEVELS:
            colors.addWidget(_swatch(bar_color(level)))
            colors.addWidget(plain_label(words))
            colors.addSpacing(8)
        colors.addStretch(1)
        grid.addLayout(colors, 0, 0, 1, 2)
        ink = self.palette().windowText().color()
        green = bar_color(Level.OPERATIONAL)
        self.own = plain_label("Marked underneath: from your polls (they win where both exist)")
        self.page = plain_label("No mark: from the status page's own record")
        for row, (mark, label) in enumerate(((ink, self.own), (None, self.page)), start=1):
            grid.addWidget(_swatch(green, mark), row, 0)
            grid.addWidget(label, row, 1)
        grid.setColumnStretch(1, 1)


class SortedItem(QTreeWidgetItem):
    """A row that sorts by SORT_ROLE where it has one (uptime as a number, not as text)."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if isinstance(mine, float) and isinstance(theirs, float):
            return mine < theirs
        return self.text(column).casefold() < other.text(column).casefold()


class ServiceList(QTreeWidget):
    """Every watched service with its 90-day uptime: sortable, filtered by name."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderLabels(["Service", f"{DAYS}-day uptime"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def itemText(self, row: int) -> str:  # noqa: N802 (named like QComboBox's)
        item = self.topLevelItem(row)
        return item.text(0) if item is not None else ""

    def current(self) -> str | None:
        item = self.currentItem()
        key = item.data(0, KEY_ROLE) if item is not None else None
        return key if isinstance(key, str) else None

    def rows(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None]

    def select(self, key: str | None) -> None:
        """Pick the row of `key`, or the first row shown when it is gone."""
        rows = self.rows()
        shown = [r for r in rows if not r.isHidden()] or rows
        found = next((r for r in rows if r.data(0, KEY_ROLE) == key), shown[0] if rows else None)
        if found is not None:
            self.setCurrentItem(found)

    def filter(self, words: str) -> None:
        needle = words.strip().casefold()
        for item in self.rows():
            item.setHidden(needle not in item.text(0).casefold())
