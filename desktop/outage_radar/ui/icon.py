"""Paints a level's IconSpec into a QIcon, drawn at every size from 16 to 96 px for HiDPI."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap

from ..core.model import Level
from .icon_spec import Badge, Glyph, IconSpec, icon_spec

__all__ = ["SIZES", "icon_spec", "level_icon", "level_image", "paint"]

# Drawn per size rather than scaled, so strokes stay crisp at 16 px and at 2x/3x ratios. Tray and
# menu slots stop at 96 px (24 px at 4x); 128 and 256 px cost 0.3 MiB per level and were never
# shown. Notification images are painted on their own, at 128 px.
SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 96)
_cache: dict[Level, QIcon] = {}


def _glyph_path(glyph: Glyph) -> QPainterPath:
    """The glyph's stroke in a unit box (0..1)."""
    path = QPainterPath()
    if glyph is Glyph.CHECK:
        path.moveTo(0.28, 0.52)
        path.lineTo(0.44, 0.68)
        path.lineTo(0.73, 0.35)
    elif glyph is Glyph.CROSS:
        path.moveTo(0.33, 0.33)
        path.lineTo(0.67, 0.67)
        path.moveTo(0.67, 0.33)
        path.lineTo(0.33, 0.67)
    elif glyph is Glyph.EXCLAMATION:
        path.moveTo(0.5, 0.24)
        path.lineTo(0.5, 0.55)
    elif glyph is Glyph.QUESTION:
        path.moveTo(0.36, 0.37)
        path.cubicTo(0.36, 0.19, 0.65, 0.19, 0.65, 0.36)
        path.cubicTo(0.65, 0.47, 0.5, 0.47, 0.5, 0.58)
    elif glyph is Glyph.WRENCH:
        path.moveTo(0.3, 0.7)
        path.lineTo(0.52, 0.48)
        # The jaw: an open ring at the handle's top end.
        path.arcMoveTo(QRectF(0.46, 0.22, 0.3, 0.3), 200)
        path.arcTo(QRectF(0.46, 0.22, 0.3, 0.3), 200, 250)
    return path


def _dot(glyph: Glyph) -> tuple[float, float, float] | None:
    """A filled dot (x, y, radius) in the unit box, for glyphs that have one."""
    if glyph is Glyph.DOT:
        return 0.5, 0.64, 0.12
    if glyph in (Glyph.EXCLAMATION, Glyph.QUESTION):
        return 0.5, 0.73, 0.065
    return None


def paint(painter: QPainter, spec: IconSpec, size: float) -> None:
    """Draw `spec` into the square (0, 0, size, size) of `painter`."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rim = max(1.0, size / 16)
    inset = rim / 2 + max(0.5, size * 0.03)
    fill = QColor(spec.color)
    outline = QColor(spec.outline)
    outline.setAlpha(210)
    painter.setPen(
        QPen(
            outline, rim, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
    )
    painter.setBrush(QBrush(fill))
    box = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    if spec.badge is Badge.TRIANGLE:
        painter.drawPolygon(
            [
                QPointF(box.center().x(), box.top()),
                QPointF(box.right(), box.bottom() - box.height() * 0.06),
                QPointF(box.left(), box.bottom() - box.height() * 0.06),
            ]
        )
    else:
        painter.drawEllipse(box)
    painter.save()
    painter.translate(box.topLeft())
    painter.scale(box.width(), box.height())
    ink = QColor(spec.glyph_color)
    stroke = max(1.6 / box.width(), 0.13)
    painter.setPen(
        QPen(ink, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(_glyph_path(spec.glyph))
    dot = _dot(spec.glyph)
    if dot is not None:
        x, y, radius = dot
        radius = max(radius, stroke * 0.55)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ink))
        painter.drawEllipse(QPointF(x, y), radius, radius)
    painter.restore()


def level_image(level: Level, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        paint(painter, icon_spec(level), float(size))
    finally:
        painter.end()
    return image


def level_icon(level: Level) -> QIcon:
    """The icon for a level, painted once per process (needs a QGuiApplication)."""
    icon = _cache.get(level)
    if icon is None:
        icon = QIcon()
        for size in SIZES:
            pixmap = QPixmap.fromImage(level_image(level, size))
            icon.addPixmap(pixmap)
            # Headings and component rows are disabled menu items; their state must keep its color.
            icon.addPixmap(pixmap, QIcon.Mode.Disabled)
        _cache[level] = icon
    return icon
