"""What the History window and `history` command show: days, uptime, incidents and timelines.

Pure: built from rows the history database hands over, no SQLite and no Qt here.

Where the app's own polls and the provider's record both cover a moment, the polls win. A day is
coloured by what was known of it: a level paints the day only when it lasted at least
SIGNIFICANT of the known time (a few minutes of one outage make a day "degraded", not red), and a
day known for less than MIN_KNOWN is grey. Uptime counts only days known for at least ENOUGH.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .model import Level

DAY = 86400.0
MIN_KNOWN = 3600.0  # a day known for less than this is grey: not enough to colour it
ENOUGH = DAY / 2  # a day counts in the uptime only when known for at least this
SIGNIFICANT = 0.05  # a level paints the day when it lasted this share of the known time
OWN, PAGE, BOTH, NONE = "own", "page", "both", "none"

Span = tuple[float, float, Level]  # (start, end, level), epoch seconds


@dataclass(frozen=True, slots=True)
class DayView:
    """One local day: how long it was known, how long it was up, and its colour."""

    day: date
    known: float  # seconds of the day covered by your polls or the provider's record
    up: float  # of which operational (or maintenance)
    level: Level | None  # the colour; None: too little known (grey)
    source: str  # OWN, PAGE, BOTH or NONE: where what is known came from
    down: dict[Level, float] = field(default_factory=dict)  # seconds at each problem level

    @property
    def ratio(self) -> float | None:
        return self.up / self.known if self.known >= MIN_KNOWN else None

    @property
    def counted(self) -> bool:
        return self.known >= ENOUGH


@dataclass(frozen=True, slots=True)
class Timeline:
    """An incident as you lived it; every time is None when it was not seen."""

    probe_failed: datetime | None = None  # your own API probe first failed
    page_said: datetime | None = None  # the page first showed it (to you, or by its record)
    notified: datetime | None = None  # you got a notification
    resolved: datetime | None = None

    @property
    def lead(self) -> timedelta | None:
        """How much earlier your probe knew than the page (only when it did)."""
        if self.probe_failed is None or self.page_said is None:
            return None
        lead = self.page_said - self.probe_failed
        return lead if lead > timedelta(0) else None


@dataclass(frozen=True, slots=True)
class IncidentView:
    id: str
    title: str
    url: str | None
    level: Level
    started: datetime
    ended: datetime | None
    source: str  # OWN (you saw it on the page), PAGE (only in the provider's record), BOTH
    timeline: Timeline = Timeline()

    @property
    def duration(self) -> timedelta | None:
        return self.ended - self.started if self.ended is not None else None


@dataclass(frozen=True, slots=True)
class Summary:
    service: str
    days: tuple[DayView, ...]
    incidents: tuple[IncidentView, ...]
    last_check: datetime | None = None
    backfilled: datetime | None = None  # when the provider's record was last read

    @property
    def counted(self) -> tuple[DayView, ...]:
        return tuple(d for d in self.days if d.counted)

    @property
    def uptime(self) -> float | None:
        """Time-weighted uptime over the days known well enough; None without any."""
        known = sum(d.known for d in self.counted)
        return sum(d.up for d in self.counted) / known if known else None


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def uptime_line(summary: Summary) -> str:
    """'99.87 % uptime over 88 days with enough data (2 days with too little)'."""
    total, counted = len(summary.days), len(summary.counted)
    if summary.uptime is None:
        return f"Not enough data yet for the last {plural(total, 'day')}"
    rest = total - counted
    tail = f" ({plural(rest, 'day')} with too little)" if rest else ""
    return f"{percent(summary.uptime)} uptime over {plural(counted, 'day')} with data{tail}"


def percent(share: float) -> str:
    """'99.99 %', rounded down: 99.996 % of uptime is not "100.00 %"."""
    return f"{math.floor(share * 10000 + 1e-6) / 100:.2f} %"  # 1e-6: 0.9931 is 99.31


def day_level(known: float, down: dict[Level, float], maintenance: float) -> Level | None:
    """The colour of a day from how long each level lasted (see the module's rule)."""
    if known < MIN_KNOWN:
        return None
    bar = max(SIGNIFICANT * known, 60.0)
    for level in (Level.MAJOR_OUTAGE, Level.PARTIAL_OUTAGE):
        # Time at this level or worse: 3 h of partial and major together make a partial day.
        if sum(s for lv, s in down.items() if lv.rank >= level.rank) >= bar:
            return level
    if any(down.values()):
        return Level.DEGRADED  # trouble, but brief or mild
    return Level.MAINTENANCE if maintenance >= bar else Level.OPERATIONAL


def own_spans(samples: Sequence[Span], hold: float, end: float) -> list[Span]:
    """What your polls saw, from (first poll, last poll, level) rows: each vouches until the next
    row, for at most `hold` after its last poll."""
    spans: list[Span] = []
    for i, (at, last, level) in enumerate(samples):
        nxt = samples[i + 1][0] if i + 1 < len(samples) else end
        until = min(nxt, max(last, at) + hold, end)
        if level is not Level.UNKNOWN and until > at:
            spans.append((at, until, level))
    return spans


def build_days(
    first: date,
    count: int,
    own: Sequence[Span],
    cover: Sequence[tuple[float, float]],
    page: Sequence[Span],
    now: float,
) -> tuple[DayView, ...]:
    """Per local day from `first`: your spans win; elsewhere in `cover`, the page's spans."""
    out = []
    for n in range(count):
        day = first + timedelta(days=n)
        start = _midnight(day)
        end = min(_midnight(day + timedelta(days=1)), now)
        out.append(_one_day(day, start, end, own, cover, page))
    return tuple(out)


def _one_day(
    day: date,
    start: float,
    end: float,
    own: Sequence[Span],
    cover: Sequence[tuple[float, float]],
    page: Sequence[Span],
) -> DayView:
    own_here = [s for s in own if s[1] > start and s[0] < end]
    cover_here = [c for c in cover if c[1] > start and c[0] < end]
    page_here = [s for s in page if s[1] > start and s[0] < end]
    cuts = {start, end}
    edges = [(s[0], s[1]) for s in (*own_here, *page_here)] + cover_here
    cuts.update(x for edge in edges for x in edge if start < x < end)
    times = sorted(cuts)
    known = up = maintenance = 0.0
    down: dict[Level, float] = {}
    sources: set[str] = set()
    for a, b in zip(times, times[1:], strict=False):
        mid = (a + b) / 2
        level = _at(own_here, mid)
        if level is not None:
            sources.add(OWN)
        elif any(c0 <= mid < c1 for c0, c1 in cover_here):
            level = _at(page_here, mid) or Level.OPERATIONAL
            sources.add(PAGE)
        else:
            continue
        span = b - a
        known += span
        if level.is_problem:
            down[level] = down.get(level, 0.0) + span
        else:
            up += span
            if level is Level.MAINTENANCE:
                maintenance += span
    source = BOTH if len(sources) == 2 else (sources.pop() if sources else NONE)
    return DayView(day, known, up, day_level(known, down, maintenance), source, down)


def _at(spans: Sequence[Span], moment: float) -> Level | None:
    """The worst level of the spans covering `moment`, or None when none does."""
    levels = [lv for a, b, lv in spans if a <= moment < b]
    return max(levels, key=lambda lv: lv.rank) if levels else None


def _midnight(day: date) -> float:
    return datetime.combine(day, datetime.min.time()).astimezone().timestamp()
