"""90 thin day bars painted like a status page: color by the day's worst level, grey = no data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..core.model import Level
from .icon_spec import bar_color


def day_level(ratio: float | None, worst: Level) -> Level | None:
    """What a day's bar shows: None (grey) without data; a good day stays green."""
    if ratio is None:
        return None
    if worst is Level.UNKNOWN:
        return Level.OPERATIONAL if ratio >= 0.999 else Level.DEGRADED
    return worst


def day_tip(day: date, ratio: float | None, worst: Level) -> str:
    if ratio is None:
        return f"{day:%b %d}: no data"
    return f"{day:%b %d}: {ratio * 100:.2f} % up · worst: {worst.label}"


class UptimeBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[tuple[date, float | None, Level]] = []
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_days(self, days: Sequence[tuple[date, float | None, Level]]) -> None:
        self.days = list(days)
        self.setAccessibleDescription(
            f"{sum(1 for d in self.days if d[1] is not None)} days with data"
        )
        self.update()

    def colors(self) -> list[str]:
        return [bar_color(day_level(ratio, worst)) for _, ratio, worst in self.days]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(max(270, 4 * len(self.days)), 34)

    def _bar_at(self, x: float) -> int | None:
        if not self.days:
            return None
        index = int(x / (self.width() / len(self.days)))
        return index if 0 <= index < len(self.days) else None

    def mouseMoveEvent(self, event: object) -> None:  # noqa: N802 (Qt override)
        pos = event.position()  # type: ignore[attr-defined]
        index = self._bar_at(pos.x())
        # A tooltip is rich text, but this one is built only from dates and numbers.
        self.setToolTip(day_tip(*self.days[index]) if index is not None else "")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self.days:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        step = self.width() / len(self.days)
        gap = min(2.0, step * 0.25)
        for i, color in enumerate(self.colors()):
            painter.setBrush(QColor(color))
            painter.drawRoundedRect(QRectF(i * step, 0, step - gap, self.height()), 1.5, 1.5)
        painter.end()
