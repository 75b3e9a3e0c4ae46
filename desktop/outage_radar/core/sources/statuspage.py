"""Atlassian Statuspage `/api/v2/summary.json` (and incident.io's compatible copy) to a Snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot, worst
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    NO_STATUS,
    ParseError,
    arr,
    body,
    ident,
    join_url,
    load_json,
    newest,
    obj,
    objs,
    page_level,
    parse_time,
    refs,
    safe,
    stamped,
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
MAINTENANCE_STAGES = frozenset({"scheduled", "in_progress", "verifying", "completed"})


@safe
def parse(body: bytes, *, page_url: str = "") -> Snapshot:
    return from_summary(load_json(body), page_url=page_url)


def from_summary(data: Any, *, page_url: str = "") -> Snapshot:
    """Read a decoded summary, status, components or list body; ParseError when it is none."""
    if not isinstance(data, dict):
        raise ParseError("unexpected JSON shape")
    page = obj(data.get("page"))
    # A missing key means "unknown", not "all good": incident.io's compat layer omits things.
    has_status = isinstance(data.get("status"), dict)
    has_components = isinstance(data.get("components"), list)
    if not has_status and not has_components and is_list(data):
        return from_list(data, page_url=page_url)
    # An incident object also has `components`, but its `status` is a word, not an object.
    if (not has_status and not has_components) or isinstance(data.get("status"), str):
        raise ParseError("unexpected JSON shape")
    base = web_url(page.get("url")) or web_url(page_url) or ""

    status = obj(data.get("status"))
    indicator = INDICATOR_LEVELS.get(word(status.get("indicator")), Level.UNKNOWN)
    components = read_components(data.get("components"))
    incidents, maintenances = read_lists(data, base)
    incidents = tuple(settle(i, indicator, components) for i in incidents)
    # The trap: indicator "none" while an incident is open. Take the worst of everything.
    level = page_level((indicator,), components, incidents, maintenances, Level.UNKNOWN)
    return Snapshot(
        level=level,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        failure=None if level is not Level.UNKNOWN else NO_STATUS,
        page_name=title(page.get("name"), 120),
        description=title(status.get("description"), 120),
    )


def is_list(data: dict[str, Any]) -> bool:
    """`/api/v2/incidents.json`, `incidents/unresolved.json` or `scheduled-maintenances/*.json`:
    the page and one list, with neither the summary's status nor its components."""
    lists = ("incidents", "scheduled_maintenances")
    return isinstance(data.get("page"), dict) and any(isinstance(data.get(k), list) for k in lists)


def from_list(data: dict[str, Any], *, page_url: str = "") -> Snapshot:
    """Read a list body. Every unresolved incident and every maintenance that is not over is
    in it (incidents.json also lists resolved ones: history, which counts for nothing), so a
    list with nothing open says the page has nothing open."""
    page = obj(data.get("page"))
    base = web_url(page.get("url")) or web_url(page_url) or ""
    incidents, maintenances = read_lists(data, base)
    # Each incident carries its components with their status now; with no indicator, they are
    # what settles a monitoring incident. They are not the page's full list, so not shown.
    raws = objs(data.get("incidents"))[:MAX_INCIDENTS]
    now = read_components([c for raw in raws for c in objs(raw.get("components"))[:50]])
    incidents = tuple(settle(i, Level.UNKNOWN, now) for i in incidents)
    return Snapshot(
        level=page_level((), (), incidents, maintenances, Level.OPERATIONAL),
        incidents=incidents,
        maintenances=maintenances,
        page_name=title(page.get("name"), 120),
    )


def read_lists(
    data: dict[str, Any], base: str
) -> tuple[tuple[Incident, ...], tuple[Maintenance, ...]]:
    """The open incidents and the maintenances not over yet, of a summary or a list body."""
    raw_maint = objs(data.get("scheduled_maintenances"))[: MAX_MAINTENANCES * 2]
    raw_inc: list[dict[str, Any]] = []
    for raw in objs(data.get("incidents"))[: MAX_INCIDENTS * 2]:
        # Statuspage keeps maintenances as incidents with a schedule; should one turn up in an
        # incident list, a planned window must not read as an outage.
        scheduled = bool(raw.get("scheduled_for")) or word(raw.get("status")) in MAINTENANCE_STAGES
        (raw_maint if scheduled else raw_inc).append(raw)
    incidents = tuple(i for raw in raw_inc if (i := read_incident(raw, base)) is not None)
    maintenances = tuple(m for raw in raw_maint if (m := read_maintenance(raw, base)) is not None)
    return incidents[:MAX_INCIDENTS], maintenances[:MAX_MAINTENANCES]


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


def read_incident(raw: dict[str, Any], base: str) -> Incident | None:
    stage = word(raw.get("status"))
    if stage in CLOSED_STAGES:
        return None
    iid = ident(raw.get("id"))
    impact = word(raw.get("impact"))
    # An open incident is trouble even with an impact word we don't know.
    level = IMPACT_LEVELS.get(impact, Level.DEGRADED)
    updates = objs(raw.get("incident_updates"))
    latest = newest(updates, stamped("display_at", "created_at", "updated_at"))
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


def settle(inc: Incident, indicator: Level, components: Sequence[Component]) -> Incident:
    """A monitoring incident read at what the page says now rather than at its `impact`.

    `impact` keeps the worst the incident reached; once a fix is in and the page is watching,
    the page's indicator and the incident's own components say how things stand. It stays at
    least degraded: an open incident is trouble even when the indicator says "none"."""
    if inc.stage != "monitoring":
        return inc
    now: list[Level] = [indicator] if indicator is not Level.UNKNOWN else []
    parts = set(inc.components)
    now += [c.level for c in components if c.id in parts or c.name in parts]
    known = worst(now, default=Level.UNKNOWN)
    if known is Level.UNKNOWN:
        return inc
    level = known if known.rank > Level.DEGRADED.rank else Level.DEGRADED
    return replace(inc, level=level) if level.rank < inc.level.rank else inc


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
