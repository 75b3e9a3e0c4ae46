"""RSS and Atom incident feeds (Statuspage, incident.io, xAI and plain ones) to a Snapshot."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from ..model import Incident, Level, Maintenance, Snapshot, worst
from ..text import clean, strip_html
from .common import (
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
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


def _time(entry: dict[str, Any], key: str) -> datetime | None:
    value = dict.get(entry, key)  # FeedParserDict.get warns when it aliases missing keys
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
        raise ParseError("not a status page (HTML)")
    if len(primary) > MAX_BYTES:
        raise ParseError("response too large")
    # Status feeds never declare entities; refusing them sidesteps entity-expansion bombs.
    if b"<!entity" in primary[:65536].lower():
        raise ParseError("not a status page (XML entities)")
    import feedparser  # imported on first use: it costs ~20 ms at start for pages without feeds

    # A stream, never bytes: feedparser.parse() treats a string it can open as a file path.
    parsed = feedparser.parse(io.BytesIO(primary), sanitize_html=False, resolve_relative_uris=False)
    entries = [e for e in dict.get(parsed, "entries", [])[:MAX_ENTRIES] if isinstance(e, dict)]
    if not dict.get(parsed, "version") and not entries:
        raise ParseError("not a status page")
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
    matches = sorted(
        [(m.start(), m.group(1).lower()) for m in _STATUS.finditer(plain)]
        + [(m.start(), m.group(1).lower()) for m in _DASH.finditer(plain)]
    )
    words = [w for _, w in matches]
    tags = [text(t.get("term")).strip().lower()[:64] for t in _tags(entry)]
    latest = words[0] if words else ""
    closed = latest in CLOSED or any(t in CLOSED for t in tags)
    stage = next((w for w in words if w != "update"), "")
    name = title(strip_html(text(dict.get(entry, "title")))) or "Untitled"
    link = text(dict.get(entry, "link")).strip()
    url = web_url(link) or (join_url(page_url, link) if link.startswith("/") else None)
    eid = ident(dict.get(entry, "id")) or url or name
    published = _time(entry, "published_parsed")
    updated = _time(entry, "updated_parsed") or published
    # The newest update is the text between the first status marker and the next one.
    cut = [p for p, _ in matches[1:]]
    start = matches[0][0] if matches else 0
    section = plain[start : cut[0] if cut else None].rstrip().split("\n")
    if len(section) > 1 and _DATE_LINE.search(section[-1]):
        section.pop()  # Statuspage puts each update's date line just before its marker
    latest_text = clean("\n".join(section), 1000)
    found = [(m.group(1), m.group(2)) for m in _COMPONENT_LI.finditer(raw[:20000])][:50]
    comps = [c for c, _ in found]
    if (bracket := _BRACKET.match(name)) and "maintenance" not in bracket.group(1).lower():
        comps.append(bracket.group(1))

    if MAINT_WORDS & set(words) or "maintenance" in tags:
        if closed or len(maintenances) >= MAX_MAINTENANCES:
            return
        ends = parse_time(dict.get(entry, "maintenanceenddate"))
        starts = published if ends else None
        horizon = ends or (updated + MAINTENANCE_HORIZON if updated else None)
        if horizon is None or horizon < now:
            return
        running = starts is not None and ends is not None and starts <= now < ends
        maintenances.append(
            Maintenance(
                id=eid,
                title=name,
                stage=stage,
                url=url,
                starts=starts,
                ends=ends,
                active=stage in ("in progress", "verifying") or running,
                components=refs(comps),
            )
        )
        return
    if closed or updated is None or not (now - RECENT <= updated <= now + RECENT):
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
                updated=updated,
                latest_update=latest_text,
                components=refs(comps),
            )
        )


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
