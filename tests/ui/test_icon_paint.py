"""Level icons: every size present, the level's color in the middle, a dark rim; the shipped PNGs
are what the painter draws, and a damaged install still gets icons."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from outage_radar.core.model import Level
from outage_radar.ui import icon as icons
from outage_radar.ui.icon import SIZES, icon_file, level_icon
from outage_radar.ui.icon_paint import level_image
from outage_radar.ui.icon_spec import ICON_KEYS, IconKey, icon_spec


def test_icon_offers_every_size_for_hidpi(qtbot: QtBot) -> None:
    icon = level_icon(Level.MAJOR_OUTAGE)
    assert [s.width() for s in icon.availableSizes()] == list(SIZES)
    assert level_icon(Level.MAJOR_OUTAGE) is icon  # built once, then cached


@pytest.mark.parametrize("level", ICON_KEYS)
@pytest.mark.parametrize("size", [16, 64])
def test_fill_color_shows_and_the_rim_is_dark(qtbot: QtBot, level: IconKey, size: int) -> None:
    image = level_image(level, size)
    fill = QColor(icon_spec(level).color)
    pixels = [image.pixelColor(x, y) for x in range(size) for y in range(size)]
    near_fill = [
        p
        for p in pixels
        if p.alpha() == 255
        and abs(p.red() - fill.red()) + abs(p.green() - fill.green()) + abs(p.blue() - fill.blue())
        < 30
    ]
    assert len(near_fill) > size * size * 0.15  # the level's color dominates the badge
    dark = [p for p in pixels if p.alpha() > 150 and p.lightness() < 60]
    assert dark, "no rim or glyph dark enough to read on a light panel"
    corner = image.pixelColor(0, 0)
    assert corner.alpha() == 0  # transparent outside the badge


def _differing(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            channels = zip(pa.getRgb(), pb.getRgb(), strict=True)
            count += any(abs(int(u) - int(v)) > 40 for u, v in channels)
    return count


@pytest.mark.parametrize("level", ICON_KEYS)  # the levels and the neutral "no feed" mark
def test_shipped_pngs_are_what_the_painter_draws(qtbot: QtBot, level: IconKey) -> None:
    """After a change to icon_spec: python -m outage_radar.ui.icon_paint resources/icons/levels"""
    for size in SIZES:
        path = icon_file(level, size)
        assert path is not None, f"missing {level.value} at {size} px"
        shipped = QImage(str(path))
        assert (shipped.width(), shipped.height()) == (size, size)
        # Antialiasing may differ by a shade between Qt versions; a changed color, glyph or
        # shape changes far more than 1% of the pixels.
        assert _differing(shipped, level_image(level, size)) <= size * size // 100


def test_the_tray_path_loads_icons_without_painting() -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from outage_radar.core.model import Level\n"
        "from outage_radar.ui.icon import level_icon\n"
        "image = level_icon(Level.OPERATIONAL).pixmap(22, 22).toImage()\n"
        "print(image.pixelColor(11, 5).name(), 'outage_radar.ui.icon_paint' in sys.modules)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [icon_spec(Level.OPERATIONAL).color, "False"]


def test_a_damaged_install_still_gets_painted_icons(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(icons, "_folder", lambda: None)
    monkeypatch.setattr(icons, "_cache", {})
    icon = level_icon(Level.DEGRADED)
    assert [s.width() for s in icon.availableSizes()] == list(SIZES)
    color = icon.pixmap(64, 64).toImage().pixelColor(20, 48)
    assert color.name() == icon_spec(Level.DEGRADED).color
