"""Atlassian Statuspage `/api/v2/summary.json` (and incident.io's compatible copy) to a Snapshot."""

from __future__ import annotations

from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    ParseError,
    arr,
    body,
    ident,
    join_url,
    load_json,
    obj,
    objs,
    page_level,
    parse_time,
    refs,
    safe,
    title,
    web_url,
    word,
)

COMPONENT_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degraded_performance": Level.DEGRADED,
    "partial_outage": Level.PARTIAL_OUTAGE,
    "major_outage": Level.MAJOR_OUTAGE,
    "under_maintenance": Level.MAINTENANCE,
}
INDICATOR_LEVELS = {
    "none": Level.OPERATIONAL,
    "minor": Level.DEGRADED,
    "major": Level.PARTIAL_OUTAGE,
    "critical": Level.MAJOR_OUTAGE,
    "maintenance": Level.MAINTENANCE,
}
# An unresolved incident is a problem even when its author picked impact "none" (pages do that
# for "monitoring" or "investigating reports"), so "none" reads as degraded, never operational.
IMPACT_LEVELS = {
    "none": Level.DEGRADED,
    "minor": Level.DEGRADED,
    "major": Level.PARTIAL_OUTAGE,
    "critical": Level.MAJOR_OUTAGE,
    "maintenance": Level.MAINTENANCE,
}
CLOSED_STAGES = frozenset({"resolved", "postmortem", "completed"})
ACTIVE_MAINTENANCE = frozenset({"in_progress", "verifying"})


@safe
def parse(body: bytes, *, page_url: str = "") -> Snapshot:
    return from_summary(load_json(body), page_url=page_url)


def from_summary(data: Any, *, page_url: str = "") -> Snapshot:
    """Read a decoded summary; raises ParseError when it is not one."""
    if not isinstance(data, dict):
        raise ParseError("unexpected JSON shape")
    page = obj(data.get("page"))
    # A missing key means "unknown", not "all good": incident.io's compat layer omits things.
    has_status = isinstance(data.get("status"), dict)
    has_components = isinstance(data.get("components"), list)
    # An incident object also has `components`, but its `status` is a word, not an object.
    if (not has_status and not has_components) or isinstance(data.get("status"), str):
        raise ParseError("unexpected JSON shape")
    base = web_url(page.get("url")) or web_url(page_url) or ""

    status = obj(data.get("status"))
    indicator = INDICATOR_LEVELS.get(word(status.get("indicator")), Level.UNKNOWN)
    components = read_components(data.get("components"))
    incidents = tuple(
        inc
        for raw in objs(data.get("incidents"))[: MAX_INCIDENTS * 2]
        if (inc := read_incident(raw, base)) is not None
    )[:MAX_INCIDENTS]
    maintenances = tuple(
        m
        for raw in objs(data.get("scheduled_maintenances"))[: MAX_MAINTENANCES * 2]
        if (m := read_maintenance(raw, base)) is not None
    )[:MAX_MAINTENANCES]

    # The trap: indicator "none" while an incident is open. Take the worst of everything.
    level = page_level((indicator,), components, incidents, maintenances, Level.UNKNOWN)
    extra = {}
    if description := title(status.get("description"), 120):
        extra["description"] = description
    return Snapshot(
        level=level,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        error=None if level is not Level.UNKNOWN else "no status information on page",
        page_name=title(page.get("name"), 120),
        extra=extra,
    )


def read_components(value: Any) -> tuple[Component, ...]:
    raw = objs(value)[: MAX_COMPONENTS * 2]
    groups: dict[str, str] = {}
    member_of: dict[str, str] = {}
    for item in raw:
        if item.get("group") is True:
            gid = ident(item.get("id"))
            groups[gid] = title(item.get("name"), 200)
            for child in arr(item.get("components"))[:MAX_COMPONENTS]:
                member_of[ident(child)] = gid
    out: list[Component] = []
    for item in raw:
        if item.get("group") is True:
            continue
        cid = ident(item.get("id"))
        name = title(item.get("name"), 200)
        if not cid and not name:
            continue
        gid = ident(item.get("group_id")) or member_of.get(cid, "")
        status = word(item.get("status"))
        # A word we don't know yet says nothing trustworthy, and unknown never hides an outage
        # (the page indicator and incidents still count), so it stays unknown.
        level = COMPONENT_LEVELS.get(status, Level.UNKNOWN)
        out.append(Component(cid or name, name or cid, level, groups.get(gid) or None))
        if len(out) >= MAX_COMPONENTS:
            break
    return tuple(out)


def newest(updates: list[dict[str, Any]], *keys: str) -> dict[str, Any]:
    """The newest update by the first parsable time key; pages usually send newest first."""
    best: dict[str, Any] = updates[0] if updates else {}
    best_at = None
    for upd in updates[:200]:
        when = next((t for k in keys if (t := parse_time(upd.get(k))) is not None), None)
        if when is not None and (best_at is None or when > best_at):
            best, best_at = upd, when
    return best


def read_incident(raw: dict[str, Any], base: str) -> Incident | None:
    stage = word(raw.get("status"))
    if stage in CLOSED_STAGES:
        return None
    iid = ident(raw.get("id"))
    impact = word(raw.get("impact"))
    # An open incident is trouble even with an impact word we don't know.
    level = IMPACT_LEVELS.get(impact, Level.DEGRADED)
    updates = objs(raw.get("incident_updates"))
    latest = newest(updates, "display_at", "created_at", "updated_at")
    comps = objs(raw.get("components"))
    affected = [a for u in updates[:20] for a in objs(u.get("affected_components"))]
    url = web_url(raw.get("shortlink")) or (join_url(base, f"incidents/{iid}") if iid else None)
    return Incident(
        id=iid or title(raw.get("name"), 120),
        title=title(raw.get("name")) or "Untitled incident",
        level=level,
        impact=impact,
        stage=stage,
        url=url,
        started=parse_time(raw.get("started_at")) or parse_time(raw.get("created_at")),
        updated=parse_time(raw.get("updated_at")) or parse_time(latest.get("display_at")),
        latest_update=body(latest.get("body"), html=True),
        components=refs(
            (c.get("id") for c in comps),
            (c.get("name") for c in comps),
            (a.get("code") for a in affected),
            (a.get("name") for a in affected),
        ),
    )


def read_maintenance(raw: dict[str, Any], base: str) -> Maintenance | None:
    stage = word(raw.get("status"))
    if stage in CLOSED_STAGES or stage == "cancelled":
        return None
    mid = ident(raw.get("id"))
    comps = objs(raw.get("components"))
    url = web_url(raw.get("shortlink")) or (join_url(base, f"incidents/{mid}") if mid else None)
    return Maintenance(
        id=mid or title(raw.get("name"), 120),
        title=title(raw.get("name")) or "Scheduled maintenance",
        stage=stage,
        url=url,
        starts=parse_time(raw.get("scheduled_for")),
        ends=parse_time(raw.get("scheduled_until")),
        active=stage in ACTIVE_MAINTENANCE,
        components=refs((c.get("id") for c in comps), (c.get("name") for c in comps)),
    )
