"""The tray icon's look per level, decided without Qt."""

from __future__ import annotations

import subprocess
import sys

from outage_radar.core.model import Level
from outage_radar.core.state import NO_FEED
from outage_radar.ui.icon_spec import ICON_KEYS, NO_DATA, Badge, Glyph, Mark, bar_color, icon_spec


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def test_each_level_has_its_own_color_and_its_own_shape() -> None:
    specs = [icon_spec(key) for key in ICON_KEYS]  # the "no feed" mark included
    assert len({s.color for s in specs}) == len(specs)
    # Readable without color: no two levels share badge and glyph.
    assert len({(s.badge, s.glyph) for s in specs}) == len(specs)


def test_the_issue_s_shapes() -> None:
    assert icon_spec(Level.OPERATIONAL).glyph is Glyph.CHECK
    assert icon_spec(Level.MAINTENANCE).glyph is Glyph.WRENCH
    assert icon_spec(Level.DEGRADED).badge is Badge.TRIANGLE
    assert icon_spec(Level.MAJOR_OUTAGE).glyph is Glyph.CROSS
    assert icon_spec(Level.UNKNOWN).glyph is Glyph.QUESTION


def test_hues_match_what_people_expect() -> None:
    r, g, b = _rgb(icon_spec(Level.OPERATIONAL).color)
    assert g > r and g > b  # green
    r, g, b = _rgb(icon_spec(Level.MAINTENANCE).color)
    assert b > r and b > g  # blue
    r, g, b = _rgb(icon_spec(Level.DEGRADED).color)
    assert r > 200 and g > 150 and b < 80  # yellow
    r, g, b = _rgb(icon_spec(Level.PARTIAL_OUTAGE).color)
    assert r > 200 and 80 < g < 160 and b < 60  # orange
    r, g, b = _rgb(icon_spec(Level.MAJOR_OUTAGE).color)
    assert r > 180 and g < 80 and b < 80  # red
    r, g, b = _rgb(icon_spec(Level.UNKNOWN).color)
    assert max(r, g, b) - min(r, g, b) < 30  # grey


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_glyph_contrasts_with_its_fill_and_the_rim_reads_on_light_panels() -> None:
    white = _luminance("#ffffff")
    for level in ICON_KEYS:
        spec = icon_spec(level)
        fill, ink = _luminance(spec.color), _luminance(spec.glyph_color)
        ratio = (max(fill, ink) + 0.05) / (min(fill, ink) + 0.05)
        assert ratio >= 2.5, level
        rim = (white + 0.05) / (_luminance(spec.outline) + 0.05)
        assert rim >= 7, level  # the dark rim stands out on a white panel


def test_the_no_feed_mark_is_neutral_not_the_unknown_grey() -> None:
    spec = icon_spec(Mark.NO_FEED)
    assert spec.color not in {icon_spec(level).color for level in Level} | {NO_DATA}
    assert spec.glyph is Glyph.ARROW and spec.glyph is not icon_spec(Level.UNKNOWN).glyph
    r, g, b = _rgb(spec.color)
    assert max(r, g, b) - min(r, g, b) < 30 and min(r, g, b) > 200  # pale, no alarm hue
    assert spec.level.label == NO_FEED  # the same words as the menu and the CLI


def test_uptime_bars_use_level_colors_and_a_pale_no_data_grey() -> None:
    assert bar_color(Level.MAJOR_OUTAGE) == icon_spec(Level.MAJOR_OUTAGE).color
    assert bar_color(None) not in {icon_spec(level).color for level in Level}


def test_the_spec_module_does_not_load_qt() -> None:
    code = (
        "import sys, outage_radar.ui.icon_spec, outage_radar.ui.labels, outage_radar.core.alerts;"
        "print([m for m in sys.modules if m.startswith('PySide6')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
