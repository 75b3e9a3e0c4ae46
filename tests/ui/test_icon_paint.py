"""The painted icon: every size present, the level's color in the middle, a dark rim."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from outage_radar.core.model import Level
from outage_radar.ui.icon import SIZES, level_icon, level_image
from outage_radar.ui.icon_spec import icon_spec


def test_icon_offers_every_size_for_hidpi(qtbot: QtBot) -> None:
    icon = level_icon(Level.MAJOR_OUTAGE)
    assert [s.width() for s in icon.availableSizes()] == list(SIZES)
    assert level_icon(Level.MAJOR_OUTAGE) is icon  # painted once, then cached


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("size", [16, 64])
def test_fill_color_shows_and_the_rim_is_dark(qtbot: QtBot, level: Level, size: int) -> None:
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
