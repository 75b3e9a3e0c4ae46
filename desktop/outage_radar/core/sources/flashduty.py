"""Flashduty status pages (DeepSeek): `/api/status-page/<page id>/summary/active` to a Snapshot."""

from __future__ import annotations

from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot, worst
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    ParseError,
    body,
    epoch,
    ident,
    load_json,
    newest,
    obj,
    objs,
    page_level,
    parse_epoch,
    refs,
    safe,
    text,
    title,
    web_url,
    word,
)

STATUS_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degraded": Level.DEGRADED,
    "degraded_performance": Level.DEGRADED,
    "partial_outage": Level.PARTIAL_OUTAGE,
    "full_outage": Level.MAJOR_OUTAGE,
    "major_outage": Level.MAJOR_OUTAGE,
    "under_maintenance": Level.MAINTENANCE,
    "maintenance": Level.MAINTENANCE,
}
CLOSED = frozenset({"resolved", "completed", "closed", "canceled", "cancelled", "postmortem"})
# Flashduty's maintenance stages are not in any capture we found; these are the likely words.
ACTIVE_MAINTENANCE = frozenset({"in_progress", "inprogress", "ongoing", "maintaining", "verifying"})
UPCOMING = frozenset({"scheduled", "upcoming", "planned", "not_started", "notstartedyet"})


def affected_level(status: Any) -> Level:
    # Being listed on an open change is itself the signal: a word we don't know reads as degraded.
    return STATUS_LEVELS.get(word(status), Level.DEGRADED)


@safe
def parse(primary: bytes, *, page_url: str = "") -> Snapshot:
    data = load_json(primary)
    if not isinstance(data, dict):
        raise ParseError("unexpected JSON shape")
    # The API wraps its answer as {"request_id", "data": {...}}; a saved `data` object also reads.
    inner = data.get("data") if "page" not in data and "active_changes" not in data else data
    if not isinstance(inner, dict) or not (
        isinstance(inner.get("page"), dict) or isinstance(inner.get("active_changes"), list)
    ):
        if isinstance(data.get("error"), dict):
            raise ParseError("status page answered with an error")
        raise ParseError("unexpected JSON shape")
    page = obj(inner.get("page"))
    domain = text(page.get("custom_domain")).strip()
    base = web_url(page_url) or (web_url(f"https://{domain}") if domain else None) or ""

    changes = [c for c in objs(inner.get("active_changes"))[: MAX_INCIDENTS * 4] if _open(c)]
    live: dict[str, Level] = {}  # component id -> its worst status on an open change
    for change in changes:
        if word(change.get("type")) == "maintenance" and not _running(change):
            continue  # an announced window does not touch its parts until it starts
        for comp in _affected(change):
            level = affected_level(comp.get("status"))
            cid = ident(comp.get("component_id"))
            live[cid] = worst([live.get(cid, Level.OPERATIONAL), level])

    components = _components(page, live)
    names = {c.id: c.name for c in components}
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for change in changes:
        if word(change.get("type")) == "maintenance":
            if len(maintenances) < MAX_MAINTENANCES:
                maintenances.append(_maintenance(change, names))
        elif len(incidents) < MAX_INCIDENTS:
            incidents.append(_incident(change, names, base))

    # Flashduty lists every open change, so a page with none listed is all clear.
    level = page_level((), components, incidents, maintenances, Level.OPERATIONAL)
    return Snapshot(
        level=level,
        components=components,
        incidents=tuple(incidents),
        maintenances=tuple(maintenances),
        page_name=title(page.get("name"), 120),
    )


def _open(change: dict[str, Any]) -> bool:
    return word(change.get("status")) not in CLOSED


def _running(change: dict[str, Any]) -> bool:
    """A maintenance is running when its stage says so or a part it names is under maintenance."""
    stage = word(change.get("status"))
    if stage in ACTIVE_MAINTENANCE or stage in UPCOMING:
        return stage in ACTIVE_MAINTENANCE
    return any(affected_level(c.get("status")) is Level.MAINTENANCE for c in _affected(change))


def _affected(change: dict[str, Any]) -> list[dict[str, Any]]:
    """The change's components with their status now: the change's own list, else its newest
    update's `component_changes` (an update may name parts the change's list left out)."""
    own = objs(change.get("affected_components"))[:MAX_COMPONENTS]
    latest = _newest(change)
    later = objs(latest.get("component_changes"))[:MAX_COMPONENTS]
    seen = {ident(c.get("component_id")) for c in own}
    return own + [c for c in later if ident(c.get("component_id")) not in seen]


def _newest(change: dict[str, Any]) -> dict[str, Any]:
    return newest(objs(change.get("updates"))[:200], epoch("at_seconds"), later_wins=True)


def _components(page: dict[str, Any], live: dict[str, Level]) -> tuple[Component, ...]:
    sections = {
        ident(s.get("section_id")): title(s.get("name"), 200)
        for s in objs(page.get("sections"))[:MAX_COMPONENTS]
    }
    out: list[Component] = []
    for raw in objs(page.get("components"))[: MAX_COMPONENTS * 2]:
        cid, name = ident(raw.get("component_id")), title(raw.get("name"), 200)
        if not cid and not name:
            continue
        # Unlisted on any open change means operational: the page has no per-part status field.
        level = live.get(cid, Level.OPERATIONAL) if cid else Level.OPERATIONAL
        group = sections.get(ident(raw.get("section_id"))) or None
        out.append(Component(cid or name, name or cid, level, group))
        if len(out) >= MAX_COMPONENTS:
            break
    return tuple(out)


def _refs(change: dict[str, Any], names: dict[str, str]) -> tuple[str, ...]:
    comps = _affected(change)
    ids = [ident(c.get("component_id")) for c in comps]
    return refs(
        ids,
        (names.get(i, "") for i in ids),
        (c.get("name") or c.get("component_name") for c in comps),
    )


def _incident(change: dict[str, Any], names: dict[str, str], base: str) -> Incident:
    cid = ident(change.get("change_id"))
    statuses = [c.get("status") for c in _affected(change)]
    level = worst([affected_level(s) for s in statuses], default=Level.DEGRADED)
    if not level.is_problem:  # still open, so still trouble even if every part reads fine now
        level = Level.DEGRADED
    impact = next((word(s) for s in statuses if affected_level(s) is level), "")
    latest = _newest(change)
    name = title(change.get("title")) or "Untitled incident"
    return Incident(
        id=cid or name,
        title=name,
        level=level,
        impact=impact,
        stage=word(change.get("status")),
        url=web_url(change.get("url")),
        started=parse_epoch(change.get("start_at_seconds")),
        updated=parse_epoch(latest.get("at_seconds"))
        or parse_epoch(change.get("start_at_seconds")),
        latest_update=body(latest.get("description")) or body(change.get("description")),
        components=_refs(change, names),
    )


def _maintenance(change: dict[str, Any], names: dict[str, str]) -> Maintenance:
    cid = ident(change.get("change_id"))
    name = title(change.get("title")) or "Scheduled maintenance"
    return Maintenance(
        id=cid or name,
        title=name,
        stage=word(change.get("status")),
        url=web_url(change.get("url")),
        starts=parse_epoch(change.get("start_at_seconds")),
        ends=parse_epoch(change.get("end_at_seconds") or change.get("close_at_seconds")),
        active=_running(change),
        components=_refs(change, names),
    )
