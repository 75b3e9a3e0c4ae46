"""Instatus pages: `<page>/summary.json` (and `/v3/summary.json`), optionally with components."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    ParseError,
    body,
    ident,
    load_json,
    obj,
    objs,
    page_level,
    page_snapshot,
    parse_time,
    safe,
    text,
    title,
    web_url,
    word,
)

PAGE_LEVELS = {
    "up": Level.OPERATIONAL,
    # HASISSUES says only "something is wrong"; the incidents and components say how bad.
    "hasissues": Level.DEGRADED,
    "undermaintenance": Level.MAINTENANCE,
}
# Instatus has both "minor" and "partial" outages; both are real outages of part of the
# service, which our scale calls a partial outage.
STATUS_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degradedperformance": Level.DEGRADED,
    "partialoutage": Level.PARTIAL_OUTAGE,
    "minoroutage": Level.PARTIAL_OUTAGE,
    "majoroutage": Level.MAJOR_OUTAGE,
    "undermaintenance": Level.MAINTENANCE,
}
CLOSED = frozenset({"resolved", "completed", "postmortem"})
ACTIVE_MAINTENANCE = frozenset({"inprogress", "in_progress", "verifying"})


def _key(value: Any) -> str:
    return word(value).replace("_", "")


@safe
def parse(primary: bytes, *extras: bytes) -> Snapshot:
    data = load_json(primary)
    if isinstance(data, dict) and "page" not in data and objs(data.get("components")):
        return _from_components(data)
    if not isinstance(data, dict) or not isinstance(data.get("page"), dict):
        raise ParseError("unexpected JSON shape")
    page = data["page"]
    raw_components = objs(data.get("components"))
    for extra in extras:  # an optional `/v2/components.json`; a bad one is just skipped
        try:
            raw_components = raw_components or objs(obj(load_json(extra)).get("components"))
        except ParseError:
            continue
    components = _components(raw_components)
    incidents = tuple(
        i for r in objs(data.get("activeIncidents"))[: MAX_INCIDENTS * 2] if (i := _incident(r))
    )[:MAX_INCIDENTS]
    maintenances = tuple(
        m
        for r in objs(data.get("activeMaintenances"))[: MAX_MAINTENANCES * 2]
        if (m := _maintenance(r))
    )[:MAX_MAINTENANCES]

    said = PAGE_LEVELS.get(_key(page.get("status")), Level.UNKNOWN)
    level = page_level((said,), components, incidents, maintenances, Level.UNKNOWN)
    return page_snapshot(level, components, incidents, maintenances, title(page.get("name"), 120))


def _from_components(data: dict[str, Any]) -> Snapshot:
    """A pasted `/v2/components.json` (or `/v3/`) alone: the levels of the parts are all it has,
    so the page reads as the worst of them, and unknown when none has a status we know."""
    components = _components(objs(data.get("components")))
    level = page_level((), components, (), (), Level.UNKNOWN)
    return page_snapshot(level, components)


def _components(raw: list[dict[str, Any]]) -> tuple[Component, ...]:
    out: list[Component] = []
    for item in raw[:MAX_COMPONENTS]:
        cid, name = ident(item.get("id")), title(item.get("name"), 200)
        if not cid and not name:
            continue
        group = item.get("group")
        gname = title(group.get("name"), 200) if isinstance(group, dict) else title(group, 200)
        # An unknown status word says nothing reliable; unknown never hides an outage.
        level = STATUS_LEVELS.get(_key(item.get("status")), Level.UNKNOWN)
        out.append(Component(cid or name, name or cid, level, gname or None))
    return tuple(out)


def _refs(raw: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for c in objs(raw.get("components"))[:50]:
        out += [r for r in (ident(c.get("id")), title(c.get("name"), 200)) if r]
    return tuple(dict.fromkeys(out))


def _incident(raw: dict[str, Any]) -> Incident | None:
    stage = word(raw.get("status"))
    if stage in CLOSED:
        return None
    impact = text(raw.get("impact")).strip()[:64]
    # An open incident is trouble even with an impact word we don't know.
    level = STATUS_LEVELS.get(_key(impact), Level.DEGRADED)
    if level is Level.OPERATIONAL:
        level = Level.DEGRADED
    url = web_url(raw.get("url"))
    return Incident(
        id=ident(raw.get("id")) or url or title(raw.get("name"), 120),
        title=title(raw.get("name")) or "Untitled incident",
        level=level,
        impact=impact,
        stage=stage,
        url=url,
        started=parse_time(raw.get("started")),
        updated=parse_time(raw.get("updated") or raw.get("started")),
        latest_update=body(raw.get("message") or raw.get("lastUpdate"), html=True),
        components=_refs(raw),
    )


def _maintenance(raw: dict[str, Any]) -> Maintenance | None:
    stage = word(raw.get("status"))
    if _key(stage) in CLOSED:
        return None
    starts = parse_time(raw.get("start"))
    ends = parse_time(raw.get("end"))
    minutes = raw.get("duration")
    try:
        if ends is None and starts is not None and minutes is not None:
            ends = starts + timedelta(minutes=min(float(text(minutes)), 525600.0))
    except (ValueError, OverflowError):
        ends = None
    url = web_url(raw.get("url"))
    return Maintenance(
        id=ident(raw.get("id")) or url or title(raw.get("name"), 120),
        title=title(raw.get("name")) or "Scheduled maintenance",
        stage=stage,
        url=url,
        starts=starts,
        ends=ends,
        active=_key(stage) in ACTIVE_MAINTENANCE,
        components=_refs(raw),
    )
