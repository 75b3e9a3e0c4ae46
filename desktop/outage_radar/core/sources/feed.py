"""RSS and Atom incident feeds (Statuspage, incident.io, xAI and plain ones) to a Snapshot."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ..failures import Kind
from ..model import Incident, Level, Maintenance, Snapshot, worst
from ..text import clean, strip_html
from .common import (
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    NOT_HTML,
    ParseError,
    ident,
    join_url,
    page_level,
    parse_time,
    refs,
    safe,
    text,
    title,
    web_url,
)

MAX_ENTRIES = 50
MAX_BYTES = 8 * 1024 * 1024
# A feed has no live state: an unresolved entry counts as open only while it is fresh, so an
# incident a page forgot to close doesn't stay red forever.
RECENT = timedelta(hours=24)
MAINTENANCE_HORIZON = timedelta(days=7)

_WORDS = "|".join(
    ("resolved", "completed", "postmortem", "investigating", "identified", "monitoring")
    + ("scheduled", "in progress", "verifying")
)
# incident.io and xAI write "Status: Resolved"; Statuspage writes "<strong>Resolved</strong> - ..."
# per update, newest first, so the first match is the latest status.
_STATUS = re.compile(rf"(?i)\bstatus:\s*({_WORDS}|active|ongoing|closed)\b")
_DASH = re.compile(rf"(?im)^\s*({_WORDS}|update)\s+[-–]\s")
CLOSED = frozenset({"resolved", "completed", "postmortem", "closed"})
MAINT_WORDS = frozenset({"scheduled", "in progress", "verifying", "completed"})
_COMPONENT_LI = re.compile(r"(?i)<li>\s*([^<()]{1,200}?)\s*\(([^()<]{1,60})\)\s*</li>")
_DATE_LINE = re.compile(r"^.{0,30}\b\d{1,2}:\d{2}\b.{0,12}$")
# Statuspage stamps each update on the line before its marker, in the page's own zone, to the
# minute: "Feb 24, 20:01 UTC", or "Jul 29, 2026 - 20:33 UTC" when it spells the year.
_STAMP = re.compile(
    r"(?i)^\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?\s+(\d{1,2}),?\s+"
    r"(?:(\d{4})\s*-?\s*)?(\d{1,2}):(\d{2})\b"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# A yearless stamp after the entry's own time by more than this belongs to the year before.
STAMP_SLACK = timedelta(days=2)
# A stamp is page-local time (zones run from UTC-12 to UTC+14): true UTC is within this of it.
ZONE_SLACK = timedelta(hours=14)
_BRACKET = re.compile(r"^\[([^\]]{1,100})\]")
SEVERITY_TAGS = {
    "outage": Level.MAJOR_OUTAGE,
    "major_outage": Level.MAJOR_OUTAGE,
    "major outage": Level.MAJOR_OUTAGE,
    "full_outage": Level.MAJOR_OUTAGE,
    "partial_outage": Level.PARTIAL_OUTAGE,
    "partial outage": Level.PARTIAL_OUTAGE,
    "degraded": Level.DEGRADED,
    "degraded_performance": Level.DEGRADED,
    "maintenance": Level.MAINTENANCE,
}
# Free text is a weaker signal than a severity tag: a bare "outage" reads as partial. Only the
# title and incident.io's "Component (Status)" lines are read; prose says "narrowed down" too.
_KEYWORDS = (
    (re.compile(r"(?i)\b(major|full|complete|total) outage\b"), Level.MAJOR_OUTAGE),
    (re.compile(r"(?i)\b(partial outage|outage|unavailable|is down)\b"), Level.PARTIAL_OUTAGE),
    (re.compile(r"(?i)\bmaintenance\b"), Level.MAINTENANCE),
)


@dataclass(frozen=True, slots=True)
class _Update:
    """One status marker in an entry's text: where it sits, its word and its stamp if any."""

    at: int
    word: str
    stamp: datetime | None


def _time(entry: dict[str, Any], key: str) -> datetime | None:
    # WORKAROUND for https://github.com/kurtmckee/feedparser/issues/151 (FeedParserDict.get
    # warns when it aliases a missing key); look again when feedparser drops the alias.
    value = dict.get(entry, key)
    try:
        if not value:
            return None
        year, month, day, hour, minute, second = (int(v) for v in value[:6])
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


@safe
def parse(primary: bytes, *, now: datetime | None = None, page_url: str = "") -> Snapshot:
    head = primary[:512].lstrip().lower()
    if not head:
        raise ParseError("empty response")
    if head.startswith((b"<!doctype html", b"<html")):
        raise ParseError(NOT_HTML, Kind.NOT_A_STATUS_PAGE)
    if len(primary) > MAX_BYTES:
        raise ParseError("response too large", Kind.TOO_LARGE)
    # Status feeds never declare entities; refusing them sidesteps entity-expansion bombs.
    if b"<!entity" in primary[:65536].lower():
        raise ParseError("XML entities", Kind.NOT_A_STATUS_PAGE)
    import feedparser  # imported on first use: it costs ~20 ms at start for pages without feeds

    # A stream, never bytes: feedparser.parse() treats a string it can open as a file path.
    parsed = feedparser.parse(io.BytesIO(primary), sanitize_html=False, resolve_relative_uris=False)
    entries = [e for e in dict.get(parsed, "entries", [])[:MAX_ENTRIES] if isinstance(e, dict)]
    if not dict.get(parsed, "version") and not entries:
        raise ParseError("", Kind.NOT_A_STATUS_PAGE)
    now = now or datetime.now(UTC)
    if now.tzinfo is None:  # a naive clock reading is taken as UTC, like feed times
        now = now.replace(tzinfo=UTC)
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for entry in entries:
        _read_entry(entry, now, page_url, incidents, maintenances)
    level = page_level((), (), incidents, maintenances, Level.OPERATIONAL)
    return Snapshot(
        level=level,
        incidents=tuple(incidents[:MAX_INCIDENTS]),
        maintenances=tuple(maintenances[:MAX_MAINTENANCES]),
        page_name=title(dict.get(dict.get(parsed, "feed", {}), "title"), 120),
    )


def _read_entry(
    entry: dict[str, Any],
    now: datetime,
    page_url: str,
    incidents: list[Incident],
    maintenances: list[Maintenance],
) -> None:
    content = dict.get(entry, "content")
    main = text(content[0].get("value")) if isinstance(content, list) and content else ""
    summary = text(dict.get(entry, "summary"))
    main = main or summary
    raw = (main if summary in main else main + "\n" + summary)[:40000]
    plain = clean(strip_html(raw), 6000)
    tags = [text(t.get("term")).strip().lower()[:64] for t in _tags(entry)]
    name = title(strip_html(text(dict.get(entry, "title")))) or "Untitled"
    link = text(dict.get(entry, "link")).strip()
    url = web_url(link) or (join_url(page_url, link) if link.startswith("/") else None)
    eid = ident(dict.get(entry, "id")) or url or name
    published = _time(entry, "published_parsed")
    updated = _time(entry, "updated_parsed") or published
    updates = _updates(plain, max((t for t in (published, updated) if t), default=now))
    ordered, closed = _newest_first(updates)
    closed = closed or any(t in CLOSED for t in tags)
    stage = next((u.word for u in ordered if u.word != "update"), "")
    found = [(m.group(1), m.group(2)) for m in _COMPONENT_LI.finditer(raw[:20000])][:50]
    comps = [c for c, _ in found]
    if (bracket := _BRACKET.match(name)) and "maintenance" not in bracket.group(1).lower():
        comps.append(bracket.group(1))

    if MAINT_WORDS & {u.word for u in updates} or "maintenance" in tags:
        if not closed and len(maintenances) < MAX_MAINTENANCES:
            ends = parse_time(dict.get(entry, "maintenanceenddate"))
            window = _window(now, published, updated, ends, stage)
            if window is not None:
                maint = Maintenance(eid, name, stage, url, *window, components=refs(comps))
                maintenances.append(maint)
        return
    last = _last_update(updated, updates)
    if closed or last is None or not (now - RECENT <= last <= now + RECENT):
        return
    if len(incidents) < MAX_INCIDENTS:
        incidents.append(
            Incident(
                id=eid,
                title=name,
                level=_level(tags, name + "\n" + "\n".join(st for _, st in found)),
                impact=next((t for t in tags if t in SEVERITY_TAGS), ""),
                stage=stage,
                url=url,
                started=published,
                updated=last,
                latest_update=_update_text(plain, ordered[0] if ordered else None, updates),
                components=refs(comps),
            )
        )


def _window(
    now: datetime,
    published: datetime | None,
    updated: datetime | None,
    ends: datetime | None,
    stage: str,
) -> tuple[datetime | None, datetime | None, bool] | None:
    """A maintenance's (starts, ends, active), or None once it is over."""
    starts = published if ends else None
    horizon = ends or (updated + MAINTENANCE_HORIZON if updated else None)
    if horizon is None or horizon < now:
        return None
    running = starts is not None and ends is not None and starts <= now < ends
    return starts, ends, stage in ("in progress", "verifying") or running


def _updates(plain: str, ref: datetime) -> list[_Update]:
    """The status markers of an entry's text in text order, each with its stamp if it has one.

    `ref` is the entry's own time; it gives yearless stamps their year."""
    marks = sorted(
        [(m.start(1), m.group(1).lower()) for m in _STATUS.finditer(plain)]
        + [(m.start(1), m.group(1).lower()) for m in _DASH.finditer(plain)]
    )
    out: list[_Update] = []
    for at, word in marks:
        line_start = plain.rfind("\n", 0, at)
        prev = plain[plain.rfind("\n", 0, max(line_start, 0)) + 1 : line_start]
        out.append(_Update(at, word, _stamp(prev, ref) if line_start > 0 else None))
    return out


def _stamp(line: str, ref: datetime) -> datetime | None:
    m = _STAMP.match(line)
    if m is None:
        return None
    mon, day, year, hour, minute = m.groups()
    try:
        month = _MONTHS.index(mon.lower()) + 1
        when = datetime(int(year or ref.year), month, int(day), int(hour), int(minute), tzinfo=UTC)
        if not year and when > ref + STAMP_SLACK:
            when = when.replace(year=ref.year - 1)  # an incident that began in December
    except ValueError:  # Feb 30, hour 25, year 0: not a stamp after all
        return None
    return when


def _newest_first(updates: list[_Update]) -> tuple[list[_Update], bool]:
    """The updates newest first, and whether the entry is closed.

    Pages list updates stamped with the same minute in any order (and an edited display time
    can move one), so the stamps decide, not the text order: the entry is closed when a closing
    update carries the newest stamp, ties included. Without stamps (incident.io, xAI) the
    first marker is the current state, as those feeds write only that."""
    ordered = sorted(
        updates, key=lambda u: (u.stamp is None, -u.stamp.timestamp() if u.stamp else 0.0, u.at)
    )
    if not ordered:
        return ordered, False
    newest = ordered[0].stamp
    top = [u for u in ordered if newest is not None and u.stamp == newest] or ordered[:1]
    closing = next((u for u in top if u.word in CLOSED), None)
    if closing is None:
        return ordered, False
    return [closing, *(u for u in ordered if u is not closing)], True


def _last_update(updated: datetime | None, updates: list[_Update]) -> datetime | None:
    """When the entry last really changed: its `<updated>`, unless that is later than its newest
    stamp can be, which means the page touched the entry (an edit, a postmortem) long after."""
    stamps = [u.stamp for u in updates if u.stamp is not None]
    if updated is None or not stamps:
        return updated
    return min(updated, max(stamps) + ZONE_SLACK)


def _update_text(plain: str, latest: _Update | None, updates: list[_Update]) -> str:
    """The text of the latest update: from its marker to the next marker in the text."""
    if latest is None:
        return clean(plain, 1000)
    end = min((u.at for u in updates if u.at > latest.at), default=None)
    section = plain[latest.at : end].rstrip().split("\n")
    if len(section) > 1 and _DATE_LINE.search(section[-1]):
        section.pop()  # Statuspage puts each update's date line just before its marker
    return clean("\n".join(section), 1000)


def _tags(entry: dict[str, Any]) -> list[dict[str, Any]]:
    tags = dict.get(entry, "tags")
    return [t for t in tags[:20] if isinstance(t, dict)] if isinstance(tags, list) else []


def _level(tags: list[str], words: str) -> Level:
    tagged = [SEVERITY_TAGS[t] for t in tags if t in SEVERITY_TAGS]
    if tagged:
        return worst(tagged)
    for pattern, level in _KEYWORDS:
        if pattern.search(words):
            return level
    # An open incident with no severity words is still trouble.
    return Level.DEGRADED
