"""How each level looks: color plus a distinct badge and glyph, so it reads without color.

Pure data, no Qt: `icon_spec(level)` is tested on its own and `ui.icon` only paints it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..core.failures import NO_FEED
from ..core.model import Level


class Badge(enum.Enum):
    CIRCLE = "circle"
    TRIANGLE = "triangle"


class Glyph(enum.Enum):
    CHECK = "check"
    WRENCH = "wrench"
    DOT = "dot"
    EXCLAMATION = "exclamation"
    CROSS = "cross"
    QUESTION = "question"
    ARROW = "arrow"  # an outward arrow: "see the provider's own pages"


class Mark(enum.Enum):
    """Icons that are not a level: a link-only service, which has no public feed to read."""

    NO_FEED = "no_feed"

    @property
    def label(self) -> str:
        return NO_FEED  # the same words as the menu and the CLI


IconKey = Level | Mark
# Every icon shipped in resources/icons/levels (file names are the keys' values).
ICON_KEYS: tuple[IconKey, ...] = (*Level, *Mark)
# Every size from 16 px to 4x HiDPI; only the ones a screen asks for are ever decoded.
SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 96, 128, 256)


def file_name(level: IconKey, size: int) -> str:
    """The shipped PNG of a level at one size (ui.icon loads it, ui.icon_paint writes it)."""
    return f"{level.value}-{size}.png"


# A dark rim keeps light fills visible on light panels; the fills themselves stand out on dark.
OUTLINE = "#1b1b1b"
LIGHT = "#ffffff"
DARK = "#1b1b1b"
NO_DATA = "#c9ccd1"


@dataclass(frozen=True, slots=True)
class IconSpec:
    level: IconKey
    color: str
    badge: Badge
    glyph: Glyph
    glyph_color: str
    outline: str = OUTLINE


_SPECS: dict[IconKey, tuple[str, Badge, Glyph, str]] = {
    Level.OPERATIONAL: ("#2da44e", Badge.CIRCLE, Glyph.CHECK, LIGHT),
    Level.MAINTENANCE: ("#2f74d0", Badge.CIRCLE, Glyph.WRENCH, LIGHT),
    # Yellow is too light for a white glyph: its glyph is dark.
    Level.DEGRADED: ("#f5c518", Badge.TRIANGLE, Glyph.DOT, DARK),
    Level.PARTIAL_OUTAGE: ("#f07800", Badge.CIRCLE, Glyph.EXCLAMATION, LIGHT),
    Level.MAJOR_OUTAGE: ("#d1242f", Badge.CIRCLE, Glyph.CROSS, LIGHT),
    Level.UNKNOWN: ("#8c959f", Badge.CIRCLE, Glyph.QUESTION, LIGHT),
    # Neutral, not the grey "unknown": nothing is wrong, there is simply no feed to read.
    # Pale so it never competes with a level, with a dark arrow that reads without color.
    Mark.NO_FEED: ("#e4e9f0", Badge.CIRCLE, Glyph.ARROW, DARK),
}


def icon_spec(level: IconKey) -> IconSpec:
    color, badge, glyph, glyph_color = _SPECS[level]
    return IconSpec(level, color, badge, glyph, glyph_color)


def bar_color(level: Level | None) -> str:
    """An uptime bar's color: the day's worst level, or a pale grey for a day without data."""
    return NO_DATA if level is None else icon_spec(level).color
