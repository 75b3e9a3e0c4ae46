"""Datadog status pages (OpenRouter): the whole page in one `<page>/config.json` to a Snapshot."""

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
    objs,
    page_level,
    page_snapshot,
    parse_time,
    refs,
    safe,
    title,
    web_url,
    word,
)

# The words the page's own front end accepts for a part (read by peers off its bundle, 2026-09).
STATUS_LEVELS = {
    "operational": Level.OPERATIONAL,
    "degraded": Level.DEGRADED,
    "degraded_performance": Level.DEGRADED,
    "partial_outage": Level.PARTIAL_OUTAGE,
    "major_outage": Level.MAJOR_OUTAGE,
    "maintenance": Level.MAINTENANCE,
    "under_maintenance": Level.MAINTENANCE,
}
CLOSED = frozenset({"resolved", "completed", "postmortem", "cancelled", "canceled"})
# No Datadog page had a maintenance in any capture found; these words are a best guess.
ACTIVE_MAINTENANCE = frozenset({"in_progress", "inprogress", "active", "ongoing", "maintenance"})
MAX_DEPTH = 8


@safe
def parse(primary: bytes, *, page_url: str = "") -> Snapshot:
    data = load_json(primary)
    if not isinstance(data, dict) or not (
        isinstance(data.get("components"), list) or isinstance(data.get("incidents"), list)
    ):
        raise ParseError("unexpected JSON shape")
    components = _components(data.get("components"))
    names = {c.id: c.name for c in components}
    incidents = tuple(
        i for r in objs(data.get("incidents"))[: MAX_INCIDENTS * 4] if (i := _incident(r, names))
    )[:MAX_INCIDENTS]
    maintenances = tuple(
        m for r in objs(data.get("maintenances"))[: MAX_MAINTENANCES * 4] if (m := _maint(r, names))
    )[:MAX_MAINTENANCES]
    # The document is the whole page: with its parts or its incident list present and nothing
    # wrong in them, the page is all clear.
    level = page_level((), components, incidents, maintenances, Level.OPERATIONAL)
    return page_snapshot(level, components, incidents, maintenances, title(data.get("name"), 120))


def _components(raw: Any) -> tuple[Component, ...]:
    """Leaf parts of the component tree; a part's group is the outermost group above it."""
    out: list[Component] = []
    stack: list[tuple[dict[str, Any], str | None, int]] = [
        (item, None, 0) for item in reversed(objs(raw)[: MAX_COMPONENTS * 2])
    ]
    seen = 0
    while stack and len(out) < MAX_COMPONENTS and seen < MAX_COMPONENTS * 10:
        seen += 1
        item, group, depth = stack.pop()
        children = item.get("components")
        if word(item.get("type")) == "componentgroup" or isinstance(children, list):
            if depth < MAX_DEPTH:
                name = group or title(item.get("name"), 200) or None
                stack += [(c, name, depth + 1) for c in reversed(objs(children)[:MAX_COMPONENTS])]
            continue
        cid, name = ident(item.get("id")), title(item.get("name"), 200)
        if cid or name:
            # A word we don't know says nothing trustworthy; unknown never hides an outage.
            level = STATUS_LEVELS.get(word(item.get("status")), Level.UNKNOWN)
            out.append(Component(cid or name, name or cid, level, group))
    return tuple(out)


def _timeline(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Updates oldest first, by when they happened (`startedAt`; `createdAt` is when filed)."""
    entries = objs(raw.get("timeline"))[:200]
    stamped = [
        (
            when.timestamp()
            if (when := parse_time(e.get("startedAt") or e.get("createdAt")))
            else 0.0,
            i,
            e,
        )
        for i, e in enumerate(entries)
    ]
    return [e for _, _, e in sorted(stamped, key=lambda t: (t[0], -t[1]))]


def _affected(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts an entry names with their status now: its own list, else its newest update's."""
    own = objs(raw.get("componentsAffected"))[:MAX_COMPONENTS]
    timeline = _timeline(raw)
    newest = objs(timeline[-1].get("componentsAffected"))[:MAX_COMPONENTS] if timeline else []
    return own or newest


def _refs(raw: dict[str, Any], names: dict[str, str]) -> tuple[str, ...]:
    comps = objs(raw.get("componentsAffected"))[:MAX_COMPONENTS]
    comps += [c for e in _timeline(raw)[-20:] for c in objs(e.get("componentsAffected"))[:50]]
    ids = [ident(c.get("id")) for c in comps]
    return refs(ids, (names.get(i, "") for i in ids), (c.get("name") for c in comps))


def _closed(raw: dict[str, Any]) -> bool:
    return raw.get("resolved") is True or word(raw.get("currentStatus")) in CLOSED


def _incident(raw: dict[str, Any], names: dict[str, str]) -> Incident | None:
    if _closed(raw):
        return None
    statuses = [word(c.get("status")) for c in _affected(raw)]
    # Being named on an open incident is the signal: a word we don't know reads as degraded.
    level = worst([STATUS_LEVELS.get(s, Level.DEGRADED) for s in statuses], default=Level.DEGRADED)
    if not level.is_problem:  # still open, so still trouble even if its parts read fine now
        level = Level.DEGRADED
    timeline = _timeline(raw)
    latest = timeline[-1] if timeline else {}
    iid = ident(raw.get("id"))
    name = title(raw.get("title") or raw.get("name")) or "Untitled incident"
    return Incident(
        id=iid or name,
        title=name,
        level=level,
        impact=next((s for s in statuses if STATUS_LEVELS.get(s, Level.DEGRADED) is level), ""),
        stage=word(raw.get("currentStatus")) or word(latest.get("status")),
        url=web_url(raw.get("url")),
        started=parse_time(raw.get("publishedDate")) or parse_time(raw.get("createdAt")),
        updated=parse_time(latest.get("startedAt")) or parse_time(raw.get("lastModifiedAt")),
        latest_update=body(latest.get("description") or raw.get("description"), html=True),
        components=_refs(raw, names),
    )


def _maint(raw: dict[str, Any], names: dict[str, str]) -> Maintenance | None:
    if _closed(raw) or raw.get("completed") is True:
        return None
    stage = word(raw.get("currentStatus") or raw.get("status"))
    statuses = {word(c.get("status")) for c in _affected(raw)}
    mid = ident(raw.get("id"))
    name = title(raw.get("title") or raw.get("name")) or "Scheduled maintenance"
    return Maintenance(
        id=mid or name,
        title=name,
        stage=stage,
        url=web_url(raw.get("url")),
        starts=parse_time(raw.get("startDate") or raw.get("scheduledStart") or raw.get("startsAt")),
        ends=parse_time(raw.get("endDate") or raw.get("scheduledEnd") or raw.get("endsAt")),
        active=stage in ACTIVE_MAINTENANCE or bool(statuses & {"maintenance", "under_maintenance"}),
        components=_refs(raw, names),
    )
