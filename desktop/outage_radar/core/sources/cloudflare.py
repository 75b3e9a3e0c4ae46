"""Cloudflare Status v3 (Cloudflare, Replicate, Workers AI): `/api/v3/summary` to a Snapshot."""

from __future__ import annotations

import re
from typing import Any

from ..model import Component, Incident, Level, Maintenance, Snapshot
from . import statuspage
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
    newest,
    obj,
    objs,
    page_level,
    page_snapshot,
    parse_time,
    refs,
    safe,
    stamped,
    text,
    title,
    web_url,
    word,
)

# Cloudflare's v3 API keeps Statuspage's words, and adds "critical" for a part.
COMPONENT_LEVELS = {**statuspage.COMPONENT_LEVELS, "critical": Level.MAJOR_OUTAGE}
INDICATOR_LEVELS = statuspage.INDICATOR_LEVELS
IMPACT_LEVELS = statuspage.IMPACT_LEVELS  # an open incident is trouble even at impact "none"
CLOSED = frozenset({"resolved", "postmortem", "completed", "cancelled", "canceled"})
ACTIVE_MAINTENANCE = frozenset({"in_progress", "verifying", "active"})
# The page lists ~470 parts, most of them data centres ("Lagos, Nigeria - (LOS)"); the product
# parts go first so the component cap never drops Replicate or Workers AI behind the locations.
_LOCATION = re.compile(r"\(\s*[A-Z]{3}\s*\)\s*$")


@safe
def parse(
    primary: bytes, *extras: bytes, product: str | None = None, page_url: str = ""
) -> Snapshot:
    data = load_json(primary)
    if not isinstance(data, dict):
        raise ParseError("unexpected JSON shape")
    if "result" not in data and isinstance(data.get("page"), dict):
        # The Statuspage v2 API this page had before its move in 2026 still reads.
        return statuspage.from_summary(data, page_url=page_url)
    if data.get("success") is False:
        raise ParseError("status page answered with an error")
    result = data.get("result")
    if isinstance(result, list):  # a pasted `/api/v3/components`
        result = {"components": result}
    if not isinstance(result, dict) or not (
        result.keys() & {"components", "active_incidents", "incidents", "status"}
    ):
        raise ParseError("unexpected JSON shape")
    raw_components = arr(result.get("components"))
    for extra in extras:  # an optional `/api/v3/components`, used when the summary has none
        if raw_components:
            break
        try:
            found = obj(load_json(extra)).get("result")
        except ParseError:
            continue
        raw_components = arr(obj(found).get("components") if isinstance(found, dict) else found)
    base = web_url(page_url) or "https://www.cloudflarestatus.com"

    components = _components(raw_components, product)
    names = {c.id: c.name for c in components}
    raws = objs(result.get("active_incidents")) or objs(result.get("incidents"))
    incidents = tuple(
        i for r in raws[: MAX_INCIDENTS * 2] if (i := _incident(r, names, base)) is not None
    )[:MAX_INCIDENTS]
    maint: list[Maintenance] = []
    for key in ("active_maintenances", "scheduled_maintenances", "upcoming_maintenances"):
        for r in objs(result.get(key))[:MAX_MAINTENANCES]:
            if (m := _maintenance(r, key == "active_maintenances", names)) is not None:
                if m.id not in {x.id for x in maint}:
                    maint.append(m)
    maintenances = tuple(maint)[:MAX_MAINTENANCES]

    status = result.get("status")
    said = INDICATOR_LEVELS.get(
        word(obj(status).get("indicator") if isinstance(status, dict) else status), Level.UNKNOWN
    )
    # Active incidents are listed in full, so a page whose parts and incidents show nothing
    # wrong is all clear; one that lists no parts at all says nothing.
    page = (said,) if said is not Level.UNKNOWN else ()
    default = Level.OPERATIONAL if components else Level.UNKNOWN
    level = page_level(page, components, incidents, maintenances, default)
    return page_snapshot(
        level, components, incidents, maintenances, title(obj(result.get("page")).get("name"), 120)
    )


def _wanted(product: str | None) -> set[str]:
    return {p.strip().casefold() for p in (product or "").split(",") if p.strip()}


def _components(raw: list[Any], product: str | None) -> tuple[Component, ...]:
    items = [c for c in raw[: MAX_COMPONENTS * 2] if isinstance(c, dict)]
    groups = {
        ident(c.get("id")): title(c.get("name"), 200)
        for c in items
        if c.get("group") is True or isinstance(c.get("components"), list)
    }
    leaves: list[tuple[dict[str, Any], str | None]] = []
    for item in items:
        if item.get("group") is True or isinstance(item.get("components"), list):
            gname = groups.get(ident(item.get("id"))) or None
            # Children given inline (objects) are read here; ids alone point at listed parts.
            leaves += [(child, gname) for child in objs(item.get("components"))[:MAX_COMPONENTS]]
            continue
        group = item.get("group")
        gname = (
            title(obj(group).get("name"), 200)
            if isinstance(group, dict)
            else title(group, 200)
            or groups.get(ident(item.get("group_id") or item.get("parent_id")))
        )
        leaves.append((item, gname or None))
    member_of = {
        ident(child): groups.get(ident(g.get("id")), "")
        for g in items
        if isinstance(g.get("components"), list)
        for child in arr(g.get("components"))[:MAX_COMPONENTS]
        if not isinstance(child, dict)
    }
    want = _wanted(product)

    def rank(entry: tuple[dict[str, Any], str | None]) -> int:
        item = entry[0]
        if (
            want
            and {ident(item.get("id")).casefold(), title(item.get("name"), 200).casefold()} & want
        ):
            return 0
        return 2 if _LOCATION.search(text(item.get("name"))[:300]) else 1

    out: list[Component] = []
    seen: set[str] = set()
    for item, gname in sorted(leaves, key=rank):  # sorted() is stable: page order within a rank
        cid, name = ident(item.get("id")), title(item.get("name"), 200)
        if not (cid or name) or (cid or name) in seen:
            continue
        seen.add(cid or name)
        # A word we don't know says nothing trustworthy; unknown never hides an outage.
        level = COMPONENT_LEVELS.get(word(item.get("status")), Level.UNKNOWN)
        out.append(Component(cid or name, name or cid, level, gname or member_of.get(cid) or None))
        if len(out) >= MAX_COMPONENTS:
            break
    return tuple(out)


def _latest(raw: dict[str, Any]) -> dict[str, Any]:
    """The newest update: `last_update`, else the newest of an update list."""
    if isinstance(raw.get("last_update"), dict):
        return obj(raw.get("last_update"))
    updates = objs(raw.get("updates")) or objs(raw.get("incident_updates"))
    return newest(updates, stamped("display_at", "created_at"))


def _refs(raw: dict[str, Any], names: dict[str, str]) -> tuple[str, ...]:
    comps = objs(raw.get("components"))[:MAX_COMPONENTS]
    ids = [ident(c.get("id")) for c in comps] + [
        ident(c) for c in arr(raw.get("component_ids"))[:MAX_COMPONENTS] if not isinstance(c, dict)
    ]
    return refs(ids, (names.get(i, "") for i in ids), (c.get("name") for c in comps))


def _incident(raw: dict[str, Any], names: dict[str, str], base: str) -> Incident | None:
    stage = word(raw.get("status"))
    if stage in CLOSED or parse_time(raw.get("resolved_at")) is not None:
        return None
    iid = ident(raw.get("id"))
    impact = word(raw.get("impact"))
    latest = _latest(raw)
    name = title(raw.get("name") or raw.get("title")) or "Untitled incident"
    url = web_url(raw.get("shortlink") or raw.get("url"))
    return Incident(
        id=iid or name,
        title=name,
        # An open incident is trouble even with an impact word we don't know.
        level=IMPACT_LEVELS.get(impact, Level.DEGRADED),
        impact=impact,
        stage=stage,
        url=url or (join_url(base, f"incidents/{iid}") if iid else None),
        started=parse_time(raw.get("starts_at")) or parse_time(raw.get("created_at")),
        updated=parse_time(latest.get("display_at") or latest.get("created_at"))
        or parse_time(raw.get("updated_at")),
        latest_update=body(latest.get("message") or latest.get("body"), html=True),
        components=_refs(raw, names),
    )


def _maintenance(
    raw: dict[str, Any], listed_active: bool, names: dict[str, str]
) -> Maintenance | None:
    stage = word(raw.get("status"))
    if stage in CLOSED:
        return None
    mid = ident(raw.get("id"))
    name = title(raw.get("name") or raw.get("title")) or "Scheduled maintenance"
    url = web_url(raw.get("shortlink") or raw.get("url"))
    return Maintenance(
        id=mid or name,
        title=name,
        stage=stage or ("in_progress" if listed_active else "scheduled"),
        url=url,
        starts=parse_time(raw.get("starts_at") or raw.get("scheduled_for")),
        ends=parse_time(raw.get("ends_at") or raw.get("scheduled_until")),
        active=listed_active or stage in ACTIVE_MAINTENANCE,
        components=_refs(raw, names),
    )
