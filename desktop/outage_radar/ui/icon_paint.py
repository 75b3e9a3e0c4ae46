"""Paints a level's IconSpec: the source of the level icons shipped in resources/icons/levels.

The app loads those PNGs (icon.py) instead of painting at start: painting pulls in QPainter and
its raster engine, about 3 MiB of a settled tray. After changing icon_spec, run
`python -m outage_radar.ui.icon_paint resources/icons/levels`; a test compares the two.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen

from .icon_spec import ICON_KEYS, SIZES, Badge, Glyph, IconKey, IconSpec, file_name, icon_spec


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
    elif glyph is Glyph.ARROW:
        path.moveTo(0.32, 0.68)
        path.lineTo(0.68, 0.32)
        path.moveTo(0.42, 0.32)
        path.lineTo(0.68, 0.32)
        path.lineTo(0.68, 0.58)
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


def level_image(level: IconKey, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        paint(painter, icon_spec(level), float(size))
    finally:
        painter.end()
    return image


def write_files(folder: Path) -> list[Path]:
    """Paint every level and mark at every size into `folder` as PNG files (drawn per size
    rather than scaled, so strokes stay crisp at 16 px and at 2x/3x ratios)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for level in ICON_KEYS:
        for size in SIZES:
            path = folder / file_name(level, size)
            if not level_image(level, size).save(str(path)):
                raise OSError(f"could not write {path}")
            written.append(path)
    return written


if __name__ == "__main__":
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    paths = write_files(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/icons/levels"))
    print(f"wrote {len(paths)} icons")
