"""How each level looks: color plus a distinct badge and glyph, so it reads without color.

Pure data, no Qt: `icon_spec(level)` is tested on its own and `ui.icon` only paints it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

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


# A dark rim keeps light fills visible on light panels; the fills themselves stand out on dark.
OUTLINE = "#1b1b1b"
LIGHT = "#ffffff"
DARK = "#1b1b1b"
NO_DATA = "#c9ccd1"


@dataclass(frozen=True, slots=True)
class IconSpec:
    level: Level
    color: str
    badge: Badge
    glyph: Glyph
    glyph_color: str
    outline: str = OUTLINE

    @property
    def description(self) -> str:
        """What the icon says, for screen readers and tooltips."""
        return self.level.label


_SPECS = {
    Level.OPERATIONAL: ("#2da44e", Badge.CIRCLE, Glyph.CHECK, LIGHT),
    Level.MAINTENANCE: ("#2f74d0", Badge.CIRCLE, Glyph.WRENCH, LIGHT),
    # Yellow is too light for a white glyph: its glyph is dark.
    Level.DEGRADED: ("#f5c518", Badge.TRIANGLE, Glyph.DOT, DARK),
    Level.PARTIAL_OUTAGE: ("#f07800", Badge.CIRCLE, Glyph.EXCLAMATION, LIGHT),
    Level.MAJOR_OUTAGE: ("#d1242f", Badge.CIRCLE, Glyph.CROSS, LIGHT),
    Level.UNKNOWN: ("#8c959f", Badge.CIRCLE, Glyph.QUESTION, LIGHT),
}


def icon_spec(level: Level) -> IconSpec:
    color, badge, glyph, glyph_color = _SPECS[level]
    return IconSpec(level, color, badge, glyph, glyph_color)


def bar_color(level: Level | None) -> str:
    """An uptime bar's color: the day's worst level, or a pale grey for a day without data."""
    return NO_DATA if level is None else icon_spec(level).color
