"""Rendering for the command line: the status table, JSON documents and change lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..core.catalog import Service
from ..core.failures import label
from ..core.model import Change, Incident, Level, Maintenance, Snapshot
from ..core.state import NO_FEED
from ..core.text import clean, elide

_COLORS = {
    Level.OPERATIONAL: "32",
    Level.MAINTENANCE: "34",
    Level.DEGRADED: "33",
    Level.PARTIAL_OUTAGE: "38;5;208",
    Level.MAJOR_OUTAGE: "31",
    Level.UNKNOWN: "90",
}


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def incident_json(inc: Incident) -> dict[str, Any]:
    return {
        "title": inc.title,
        "impact": inc.impact or inc.level.value,
        "stage": inc.stage,
        "url": inc.url,
        "started": _iso(inc.started),
        "updated": _iso(inc.updated),
        "latest_update": inc.latest_update,
    }


def maintenance_json(m: Maintenance) -> dict[str, Any]:
    return {
        "title": m.title,
        "stage": m.stage,
        "url": m.url,
        "starts": _iso(m.starts),
        "ends": _iso(m.ends),
        "active": m.active,
    }


def service_status_json(service: Service, snap: Snapshot) -> dict[str, Any]:
    """One service; a link-only one has level "unknown", "link_only": true, no error, and
    "no public status feed" as its note."""
    doc: dict[str, Any] = {
        "id": service.id,
        "name": service.name,
        "level": snap.level.value,
        "url": service.links.status or service.url,
        "components": [
            {"name": c.name, "group": c.group, "level": c.level.value} for c in snap.components
        ],
        "incidents": [incident_json(i) for i in snap.incidents],
        "maintenances": [maintenance_json(m) for m in snap.maintenances],
        "error": label(snap.failure) if snap.failure is not None else None,
        "note": snap.note or None,
        "link_only": service.link_only,
    }
    if service.link_only:  # nothing was read and nothing failed: never an error
        doc.update(level=Level.UNKNOWN.value, error=None, note=NO_FEED)
    return doc


def status_json(results: Sequence[tuple[Service, Snapshot]], at: datetime) -> dict[str, Any]:
    return {
        "checked_at": at.isoformat(),
        "services": [service_status_json(s, snap) for s, snap in results],
    }


def _paint(text: str, level: Level, color: bool) -> str:
    return f"\x1b[{_COLORS[level]}m{text}\x1b[0m" if color else text


def _cell(text: str, width: int) -> str:
    # Network text: control characters stripped, one line, cut to the column.
    return elide(clean(text, single_line=True), width).ljust(width)


def status_table(results: Sequence[tuple[Service, Snapshot]], *, color: bool) -> str:
    lines = [f"{'SERVICE':<24} {'LEVEL':<15} DETAIL"]
    for service, snap in results:
        if service.link_only:  # never an error: there is no feed to read, only links
            idle = _paint(f"{'—':<15}", Level.UNKNOWN, color)
            lines.append(f"{_cell(service.name, 24)} {idle} {NO_FEED}")
            continue
        level = _paint(f"{snap.level.label:<15}", snap.level, color)
        details = [_detail(snap)] + [inc.title for inc in snap.incidents[1:4]]
        if snap.note:  # the caveat sits beside the level; the usual detail moves below it
            details.insert(0, snap.note)
        first = _cell(details[0], 80 if snap.note else 60).rstrip()
        lines.append(f"{_cell(service.name, 24)} {level} {first}")
        for more in details[1:]:
            if more:
                lines.append(f"{'':<24} {'':<15} {_cell(more, 60).rstrip()}")
    return "\n".join(lines)


def _detail(snap: Snapshot) -> str:
    if snap.failure is not None:
        return label(snap.failure)
    if snap.incidents:
        return snap.incidents[0].title
    bad = [c for c in snap.components if c.level is not Level.OPERATIONAL]
    return ", ".join(f"{c.name}: {c.level.label}" for c in bad)


def services_table(services: Sequence[Service]) -> str:
    lines = [f"{'ID':<16} {'NAME':<22} {'CATEGORY':<8} {'PLATFORM':<12} STATUS PAGE"]
    for s in services:
        lines.append(
            f"{s.id:<16} {_cell(s.name, 22)} {s.category:<8} {s.platform:<12} "
            f"{s.links.status or s.url}"
        )
    return "\n".join(lines)


def service_json(s: Service) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "category": s.category,
        "platform": s.platform,
        "url": s.url,
        "endpoints": list(s.endpoints),
        "components": list(s.components),
        "alternatives": list(s.alternatives),
        "links": {k: getattr(s.links, k) for k in s.links.__slots__},
    }


def change_json(change: Change) -> str:
    doc: dict[str, Any] = {
        "service": change.service,
        "name": change.name,
        "kind": change.kind.value,
        "from": change.old.value,
        "to": change.new.value,
        "at": change.at.isoformat(),
        "component": change.component,
        "since": _iso(change.since),
        "title": change.incident.title if change.incident else None,
        "url": change.incident.url if change.incident else None,
    }
    if change.maintenance is not None:
        doc["title"] = change.maintenance.title
        doc["url"] = change.maintenance.url
    return json.dumps(doc, ensure_ascii=False)


def change_line(change: Change) -> str:
    when = change.at.strftime("%H:%M:%S")
    what = change.kind.value.replace("_", " ")
    target = f"{change.name} / {change.component}" if change.component else change.name
    line = f"{when} {clean(target, 80, single_line=True)}: {what} {change.old.label} → "
    line += change.new.label
    title = (
        change.incident.title
        if change.incident
        else (change.maintenance.title if change.maintenance else "")
    )
    if title:
        line += f" · {clean(title, 120, single_line=True)}"
    return line
