"""incident.io status pages: the native `/proxy/<host>` JSON, enriched by the compat summary."""

from __future__ import annotations

from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot, worst
from . import statuspage
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    MAX_MAINTENANCES,
    ParseError,
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

STATUS_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degraded_performance": Level.DEGRADED,
    "partial_outage": Level.PARTIAL_OUTAGE,
    "full_outage": Level.MAJOR_OUTAGE,
    "major_outage": Level.MAJOR_OUTAGE,
    "under_maintenance": Level.MAINTENANCE,
}
CLOSED = frozenset({"resolved", "postmortem", "completed", "closed"})
ACTIVE_MAINTENANCE = frozenset({"in_progress", "maintenance_in_progress", "verifying"})


def affected_level(status: Any) -> Level:
    # Being listed as affected is itself the signal, so a status word we don't know yet is
    # read as degraded rather than dropped.
    return STATUS_LEVELS.get(word(status), Level.DEGRADED)


@safe
def parse(primary: bytes, compat: bytes | None = None, *, page_url: str = "") -> Snapshot:
    data = load_json(primary)
    if not isinstance(data, dict):
        raise ParseError("unexpected JSON shape")
    if "summary" not in data:
        if "page" in data or "status" in data:
            return statuspage.from_summary(data, page_url=page_url)
        if isinstance(data.get("ongoing_incidents"), list):  # the widget API
            return _from_proxy(data, {}, page_url)
        raise ParseError("unexpected JSON shape")
    summary = data["summary"]
    if not isinstance(summary, dict) or not (
        summary.keys() & {"structure", "components", "affected_components", "ongoing_incidents"}
    ):
        raise ParseError("unexpected JSON shape")
    return _from_proxy(summary, _compat_incidents(compat), page_url)


def _compat_incidents(compat: bytes | None) -> dict[str, dict[str, Any]]:
    """Open incidents of the optional compat summary by id; any failure just means no extras."""
    if not compat:
        return {}
    try:
        data = load_json(compat)
    except ParseError:
        return {}
    found = {ident(i.get("id")): i for i in objs(obj(data).get("incidents"))[:MAX_INCIDENTS]}
    return {k: v for k, v in found.items() if k}


def _from_proxy(
    summary: dict[str, Any], compat: dict[str, dict[str, Any]], page_url: str
) -> Snapshot:
    base = web_url(summary.get("public_url")) or web_url(page_url) or ""
    affected = {
        ident(a.get("component_id") or a.get("id")): affected_level(
            a.get("status") or a.get("current_status")
        )
        for a in objs(summary.get("affected_components"))[: MAX_COMPONENTS * 2]
    }
    components = _components(summary, affected)
    names = {c.id: c.name for c in components}

    if "ongoing_incidents" in summary or not compat:
        raws = objs(summary.get("ongoing_incidents"))[: MAX_INCIDENTS * 2]
        found = [_incident(r, compat, names, base) for r in raws]
    else:  # the proxy left incidents out entirely: fall back to the compat list
        found = [statuspage.read_incident(r, base) for r in compat.values()]
    # The compat copy's `impact` is the worst the incident reached; the proxy's component
    # statuses are what the page says now, and they settle a monitoring incident's level.
    incidents = tuple(
        statuspage.settle(i, Level.UNKNOWN, components) for i in found if i is not None
    )[:MAX_INCIDENTS]

    maint: list[Maintenance] = []
    for key in ("in_progress_maintenances", "ongoing_maintenances", "scheduled_maintenances"):
        for raw in objs(summary.get(key))[:MAX_MAINTENANCES]:
            if (m := _maintenance(raw, key != "scheduled_maintenances", names, base)) is not None:
                maint.append(m)
    maintenances = tuple(maint)[:MAX_MAINTENANCES]

    # Unlisted components are operational, so a page with no listed trouble is operational;
    # the widget API lists every ongoing incident, so an empty list there means all clear too.
    level = page_level((), components, incidents, maintenances, Level.OPERATIONAL)
    return Snapshot(
        level=level,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        page_name=title(summary.get("name") or summary.get("page_title"), 120),
    )


def _components(summary: dict[str, Any], affected: dict[str, Level]) -> tuple[Component, ...]:
    listed = {ident(c.get("id")): c for c in objs(summary.get("components"))[: MAX_COMPONENTS * 2]}
    out: list[Component] = []

    def add(raw: dict[str, Any], group: str | None) -> None:
        if raw.get("hidden") is True or len(out) >= MAX_COMPONENTS:
            return
        cid = ident(raw.get("component_id") or raw.get("id"))
        name = title(raw.get("name") or obj(listed.get(cid)).get("name"), 200)
        if cid or name:
            level = affected.get(cid, Level.OPERATIONAL)
            out.append(Component(cid or name, name or cid, level, group))

    items = objs(obj(summary.get("structure")).get("items"))[: MAX_COMPONENTS * 2]
    for item in items:
        group = item.get("group")
        if isinstance(group, dict):
            if group.get("hidden") is True:
                continue
            gname = title(group.get("name"), 200) or None
            for child in objs(group.get("components"))[:MAX_COMPONENTS]:
                add(child, gname)
        elif isinstance(item.get("component"), dict):
            add(item["component"], None)
    if not items:
        for raw in listed.values():
            add(raw, None)
    return tuple(out)


def _rich_text(node: Any, budget: int = 4000) -> str:
    """Flatten incident.io's rich-text document (nested `content` lists with `text` leaves)."""
    parts: list[str] = []
    stack, seen, size = [node], 0, 0
    while stack and seen < 2000 and size < budget:
        seen += 1
        cur = stack.pop()
        if isinstance(cur, str):
            parts.append(cur)
            size += len(cur)
        elif isinstance(cur, list):
            stack.extend(reversed(cur[:200]))
        elif isinstance(cur, dict):
            if word(cur.get("type")) in ("paragraph", "heading", "listitem", "list_item"):
                stack.append("\n")
            if isinstance(cur.get("text"), str):
                stack.append(cur["text"])
            stack.append(cur.get("content") or cur.get("text_node"))
    return "".join(parts)


def _update_text(update: dict[str, Any]) -> str:
    message = update.get("message_string") or update.get("message")
    return body(message if isinstance(message, str) else _rich_text(message))


def _incident(
    raw: dict[str, Any], compat: dict[str, dict[str, Any]], names: dict[str, str], base: str
) -> Incident | None:
    iid = ident(raw.get("id"))
    extra = compat.get(iid, {})
    stage = word(raw.get("status")) or word(extra.get("status"))
    if stage in CLOSED:
        return None
    comps = objs(raw.get("affected_components")) + objs(raw.get("component_impacts"))
    statuses = [c.get("status") or c.get("current_status") for c in comps[:MAX_COMPONENTS]]
    impact = word(raw.get("current_worst_impact")) or word(extra.get("impact"))
    if word(raw.get("current_worst_impact")):
        level = affected_level(impact)
    elif impact:
        level = statuspage.IMPACT_LEVELS.get(impact, Level.DEGRADED)
    else:
        level = worst([affected_level(s) for s in statuses if word(s)], default=Level.DEGRADED)
        impact = next((word(s) for s in statuses if affected_level(s) is level), "")
    updates = objs(raw.get("updates"))
    latest = newest(updates, stamped("published_at", "created_at"))
    ids = [ident(c.get("component_id") or c.get("id")) for c in comps]
    url = web_url(raw.get("url") or raw.get("permalink")) or web_url(extra.get("shortlink"))
    return Incident(
        id=iid or title(raw.get("name"), 120),
        title=title(raw.get("name") or extra.get("name")) or "Untitled incident",
        level=level,
        impact=impact,
        stage=stage,
        url=url or (join_url(base, f"incidents/{iid}") if iid else None),
        started=parse_time(raw.get("published_at") or raw.get("started_at"))
        or parse_time(extra.get("created_at")),
        updated=parse_time(latest.get("published_at") or raw.get("last_update_at"))
        or parse_time(extra.get("updated_at")),
        latest_update=_update_text(latest)
        or body(raw.get("last_update_message"))
        or body(_newest_compat_body(extra), html=True),
        components=refs(ids, (names.get(i) or "" for i in ids), (c.get("name") for c in comps)),
    )


def _newest_compat_body(extra: dict[str, Any]) -> Any:
    upd = newest(objs(extra.get("incident_updates")), stamped("display_at", "created_at"))
    return upd.get("body")


def _maintenance(
    raw: dict[str, Any], in_progress: bool, names: dict[str, str], base: str
) -> Maintenance | None:
    stage = word(raw.get("status"))
    if stage in CLOSED:
        return None
    mid = ident(raw.get("id"))
    comps = objs(raw.get("affected_components")) + objs(raw.get("components"))
    ids = [ident(c.get("component_id") or c.get("id")) for c in comps]
    return Maintenance(
        id=mid or title(raw.get("name"), 120),
        title=title(raw.get("name")) or "Scheduled maintenance",
        stage=stage or ("in_progress" if in_progress else "scheduled"),
        url=web_url(raw.get("url")) or (join_url(base, f"incidents/{mid}") if mid else None),
        starts=parse_time(
            raw.get("starts_at") or raw.get("started_at") or raw.get("scheduled_for")
        ),
        ends=parse_time(
            raw.get("ends_at") or raw.get("scheduled_end_at") or raw.get("scheduled_until")
        ),
        active=in_progress or stage in ACTIVE_MAINTENANCE,
        components=refs(ids, (names.get(i) or "" for i in ids), (c.get("name") for c in comps)),
    )
