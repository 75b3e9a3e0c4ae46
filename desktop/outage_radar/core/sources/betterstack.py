"""Better Stack status pages: the JSON:API document at `<page>/index.json`."""

from __future__ import annotations

from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot, worst
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    ParseError,
    body,
    ident,
    load_json,
    newest,
    obj,
    objs,
    page_snapshot,
    parse_time,
    refs,
    safe,
    stamped,
    title,
    web_url,
    word,
)

STATE_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degraded": Level.DEGRADED,
    "downtime": Level.MAJOR_OUTAGE,
    "maintenance": Level.MAINTENANCE,
}
CLOSED = frozenset({"resolved", "operational", "completed"})


@safe
def parse(primary: bytes) -> Snapshot:
    data = load_json(primary)
    page = obj(obj(data).get("data"))
    attrs = page.get("attributes")
    if not isinstance(attrs, dict) or word(page.get("type")) not in ("status_page", ""):
        raise ParseError("unexpected JSON shape")
    by_type = _by_type(data)
    components = components_of(by_type)
    incidents, maintenances = _reports(by_type, {c.id: c.name for c in components})
    level = STATE_LEVELS.get(word(attrs.get("aggregate_state")), Level.UNKNOWN)
    if level is Level.UNKNOWN:  # no page verdict: fall back to what the resources say
        level = worst([c.level for c in components], default=Level.UNKNOWN)
    name = title(attrs.get("company_name"), 120)
    return page_snapshot(level, components, incidents, maintenances, name)


def by_type(body: bytes) -> dict[str, list[dict[str, Any]]]:
    """The `included` items of an index.json by type; ParseError when it is not one."""
    data = load_json(body)
    if not isinstance(obj(obj(data).get("data")).get("attributes"), dict):
        raise ParseError("unexpected JSON shape")
    return _by_type(data)


def _by_type(data: Any) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for item in objs(obj(data).get("included"))[: MAX_COMPONENTS * 4]:
        found.setdefault(word(item.get("type")), []).append(item)
    return found


def components_of(by_type: dict[str, list[dict[str, Any]]]) -> list[Component]:
    sections = {
        ident(s.get("id")): title(obj(s.get("attributes")).get("name"), 200)
        for s in by_type.get("status_page_section", [])
    }
    components: list[Component] = []
    for res in by_type.get("status_page_resource", [])[:MAX_COMPONENTS]:
        a = obj(res.get("attributes"))
        rid, name = ident(res.get("id")), title(a.get("public_name") or a.get("name"), 200)
        if rid or name:
            # "not_monitored" and words we don't know say nothing about health.
            level = STATE_LEVELS.get(word(a.get("status")), Level.UNKNOWN)
            group = sections.get(ident(a.get("status_page_section_id"))) or None
            components.append(Component(rid or name, name or rid, level, group))
    return components


def _reports(
    by_type: dict[str, list[dict[str, Any]]], names: dict[str, str]
) -> tuple[list[Incident], list[Maintenance]]:
    """The open status reports: incidents, and maintenances (by report type or state)."""
    updates = updates_of(by_type)
    incidents: list[Incident] = []
    maintenances: list[Maintenance] = []
    for rep in by_type.get("status_report", [])[: MAX_INCIDENTS * 4]:
        a = obj(rep.get("attributes"))
        state = word(a.get("aggregate_state"))
        # `ends_at` stays null on many resolved reports: only the report's own state is reliable.
        if state in CLOSED:
            continue
        if word(a.get("report_type")) == "maintenance" or state == "maintenance":
            if len(maintenances) < MAX_MAINTENANCES:
                maintenances.append(_maintenance(rep, state, names))
        elif len(incidents) < MAX_INCIDENTS:
            incidents.append(_incident(rep, state, names, updates))
    return incidents, maintenances


def updates_of(by_type: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Status updates' attributes by id."""
    return {ident(u.get("id")): obj(u.get("attributes")) for u in by_type.get("status_update", [])}


def own_updates(rep: dict[str, Any], updates: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The updates a status report links to (the index lists them all apart)."""
    rels = objs(obj(obj(rep.get("relationships")).get("status_updates")).get("data"))
    return [updates[i] for r in rels[:200] if (i := ident(r.get("id"))) in updates]


def report_refs(attrs: dict[str, Any], names: dict[str, str]) -> tuple[str, ...]:
    ids = [ident(r.get("status_page_resource_id")) for r in objs(attrs.get("affected_resources"))]
    return refs(ids, (names.get(i, "") for i in ids))


def _maintenance(rep: dict[str, Any], state: str, names: dict[str, str]) -> Maintenance:
    a = obj(rep.get("attributes"))
    name = title(a.get("title")) or "Untitled report"
    return Maintenance(
        id=ident(rep.get("id")) or name,
        title=name,
        stage=state,
        url=web_url(a.get("url")),
        starts=parse_time(a.get("starts_at")),
        ends=parse_time(a.get("ends_at")),
        active=state == "maintenance",
        components=report_refs(a, names),
    )


def _incident(
    rep: dict[str, Any], state: str, names: dict[str, str], updates: dict[str, dict[str, Any]]
) -> Incident:
    a = obj(rep.get("attributes"))
    own = own_updates(rep, updates)
    latest = newest(own, stamped("published_at"))
    name = title(a.get("title")) or "Untitled report"
    return Incident(
        id=ident(rep.get("id")) or name,
        title=name,
        # An open report is trouble even when its state word is new to us.
        level=STATE_LEVELS.get(state, Level.DEGRADED),
        impact=state,
        stage=state,
        url=web_url(a.get("url")),
        started=parse_time(a.get("starts_at")),
        updated=parse_time(latest.get("published_at")),
        latest_update=body(latest.get("message"), html=True),
        components=report_refs(a, names),
    )
