"""The provider's own record of its past: where each platform publishes it, and how to read it.

- Statuspage and incident.io: `/api/v2/incidents.json`, the latest 50 incidents with their
  times, components and updates (incident.io's compat copy often lists no components: its
  incidents are then matched by title, as `scope` does).
- Google: the polled `incidents.json` is the whole record.
- Better Stack: the polled `index.json` has 90 days of `status_history` per resource and the
  recent status reports.

Other platforms have no record we read: they are simply not backfilled. Every reader returns a
`Record`, or raises ParseError on a body that is not the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from .catalog import Service
from .model import Component, Incident, Level, worst
from .scope import find, touching
from .sources import betterstack, google, statuspage
from .sources.common import (
    MAX_INCIDENTS,
    ParseError,
    ident,
    join_url,
    load_json,
    obj,
    objs,
    parse_time,
    refs,
    text,
    title,
    web_url,
    word,
)

MAX_PAST = 5000  # incidents read from one record (Google's holds years of them)
MAX_DAYS = 400  # status_history days read per resource
DAY = timedelta(days=1).total_seconds()
# Statuspage leaves "none" for notices that changed no component: listed, never a colour.
PAST_IMPACT = {**statuspage.IMPACT_LEVELS, "none": Level.OPERATIONAL}


@dataclass(frozen=True, slots=True)
class Part:
    """A component an incident touched, and the worst state the provider gave it then."""

    ref: str
    name: str
    level: Level


@dataclass(frozen=True, slots=True)
class Past:
    """One incident of the provider's record."""

    incident: Incident  # its id, title, url, level (the worst it reached), start and refs
    said: datetime | None  # when the page published it (started may be set earlier)
    ended: datetime | None  # None: still open
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    incidents: tuple[Past, ...]
    complete_since: datetime | None  # the record lists everything after this; None: all of it
    components: tuple[Component, ...] = ()
    days: tuple[tuple[str, datetime, Level, float], ...] = ()  # (resource ref, day, level, s)


def read(platform: str, body: bytes, *, product: str | None = None, page_url: str = "") -> Record:
    """The record in a body; ParseError when it is not one."""
    try:
        if platform == "google":
            return _google(body, product, page_url)
        if platform == "betterstack":
            return _betterstack(body)
        return _incidents_json(body, page_url)
    except RecursionError:  # a hostile, deeply nested body
        raise ParseError("nested too deeply") from None


def narrow(record: Record, service: Service, components: Sequence[Component]) -> Record:
    """The part of the record about the service's parts: other parts never colour its days.

    Unlike `scope`, a part the page does not list never widens to the whole page: its incidents
    are then matched by title only. An incident that touched the service's parts takes the worst
    state the provider gave those parts, not its page-wide impact."""
    names = [n.strip() for n in service.components if n.strip()]
    if not names:
        return record
    known = {c.id: c for c in (*record.components, *components)}.values()
    kept = tuple({c.id: c for n in names for c in find(tuple(known), n)[1]}.values())
    # An incident listing no parts (incident.io's copy) counts when its title names the
    # service's parts too: "Voice mode unavailable" is ChatGPT's.
    touches = touching(kept, [*names, *(c.name for c in kept)])
    incidents = []
    for past in record.incidents:
        inc = past.incident
        if not touches(inc.components, inc.title):
            continue
        mine = [p.level for p in past.parts if touches((p.ref, p.name), "")]
        level = worst(mine, default=Level.UNKNOWN)
        if level is not Level.UNKNOWN and level is not Level.OPERATIONAL:
            past = replace(past, incident=replace(inc, level=level))
        incidents.append(past)
    days = tuple(d for d in record.days if touches((d[0],), ""))
    return replace(record, incidents=tuple(incidents), days=days)


# -- Statuspage and incident.io ------------------------------------------------------------------
def _incidents_json(body: bytes, page_url: str) -> Record:
    data = load_json(body)
    raw = obj(data).get("incidents")
    if not isinstance(raw, list):
        raise ParseError("no incidents list")
    out = [p for item in objs(raw)[:MAX_PAST] if (p := _statuspage_incident(item, page_url))]
    # The list holds the latest MAX_INCIDENTS; a full one says nothing of what came before.
    starts = [p.incident.started for p in out if p.incident.started is not None]
    since = min(starts) if len(raw) >= MAX_INCIDENTS and starts else None
    return Record(tuple(out), since)


def _statuspage_incident(raw: dict[str, Any], page_url: str) -> Past | None:
    started = parse_time(raw.get("started_at")) or parse_time(raw.get("created_at"))
    if started is None:
        return None
    iid = ident(raw.get("id")) or title(raw.get("name"), 120)
    updates = objs(raw.get("incident_updates"))[:100]
    comps = objs(raw.get("components"))[:100]
    parts: dict[str, Part] = {}
    for update in updates:
        for a in objs(update.get("affected_components"))[:100]:
            ref = ident(a.get("code")) or ident(a.get("name"))
            level = statuspage.COMPONENT_LEVELS.get(word(a.get("new_status")), Level.UNKNOWN)
            old = parts.get(ref)
            if ref and (old is None or level.rank > old.level.rank):
                parts[ref] = Part(ref, title(a.get("name"), 200), level)
    stage = word(raw.get("status"))
    ended = parse_time(raw.get("resolved_at"))
    if ended is None and stage in statuspage.CLOSED_STAGES:
        ended = parse_time(raw.get("updated_at")) or started  # closed, time not given
    impact = word(raw.get("impact"))
    url = web_url(raw.get("shortlink")) or (
        join_url(page_url, f"incidents/{iid}") if page_url and iid else None
    )
    incident = Incident(
        id=iid,
        title=title(raw.get("name")) or "Untitled incident",
        level=PAST_IMPACT.get(impact, Level.DEGRADED),
        impact=impact,
        stage=stage,
        url=url,
        started=started,
        updated=parse_time(raw.get("updated_at")),
        components=refs(
            (c.get("id") for c in comps),
            (c.get("name") for c in comps),
            (p.ref for p in parts.values()),
            (p.name for p in parts.values()),
        ),
    )
    said = parse_time(raw.get("created_at")) or started
    return Past(incident, max(said, started), _not_before(ended, started), tuple(parts.values()))


def _not_before(ended: datetime | None, started: datetime) -> datetime | None:
    return None if ended is None else max(ended, started)


# -- Google --------------------------------------------------------------------------------------
def _google(body: bytes, product: str | None, page_url: str) -> Record:
    data = load_json(body)
    if not isinstance(data, list):
        raise ParseError("unexpected JSON shape")
    want = google.wanted(product)
    out = []
    for raw in data[:MAX_PAST]:
        if not isinstance(raw, dict):
            continue
        products = objs(raw.get("affected_products"))[:500]
        if not google.affects(products, want):
            continue
        started = parse_time(raw.get("begin"))
        if started is None:
            continue
        impact = word(raw.get("status_impact"))
        incident = replace(
            google.incident(raw, products, page_url),
            level=google.IMPACT_LEVELS.get(impact, Level.DEGRADED),
            started=started,
        )
        said = parse_time(raw.get("created")) or started
        ended = _not_before(parse_time(raw.get("end")), started)
        out.append(Past(incident, max(said, started), ended))
    return Record(tuple(out), None)  # Google lists its whole history


# -- Better Stack --------------------------------------------------------------------------------
def _betterstack(body: bytes) -> Record:
    by_type = betterstack.by_type(body)
    components = betterstack.components_of(by_type)
    names = {c.id: c.name for c in components}
    updates = betterstack.updates_of(by_type)
    out = []
    for rep in by_type.get("status_report", [])[:MAX_PAST]:
        a = obj(rep.get("attributes"))
        if word(a.get("report_type")) == "maintenance":
            continue
        started = parse_time(a.get("starts_at"))
        if started is None:
            continue
        own = betterstack.own_updates(rep, updates)
        parts: dict[str, Part] = {}
        for update in own:
            for res in objs(update.get("affected_resources"))[:100]:
                ref = ident(res.get("status_page_resource_id"))
                lv = betterstack.STATE_LEVELS.get(word(res.get("status")), Level.UNKNOWN)
                if ref and (ref not in parts or lv.rank > parts[ref].level.rank):
                    parts[ref] = Part(ref, names.get(ref, ""), lv)
        levels = [p.level for p in parts.values()]
        state = word(a.get("aggregate_state"))
        ended = parse_time(a.get("ends_at"))
        if ended is None and state in betterstack.CLOSED:
            # Resolved reports often keep `ends_at` null: their last update closed them.
            times = [t for u in own if (t := parse_time(u.get("published_at")))]
            ended = max(times, default=started)
        level = worst([lv for lv in levels if lv.is_problem], default=Level.DEGRADED)
        incident = Incident(
            id=ident(rep.get("id")) or title(a.get("title"), 120),
            title=title(a.get("title")) or "Untitled report",
            level=level,
            stage=state,
            url=web_url(a.get("url")),
            started=started,
            components=betterstack.report_refs(a, names),
        )
        out.append(Past(incident, started, _not_before(ended, started), tuple(parts.values())))
    return Record(tuple(out), None, tuple(components), _days(by_type, names))


def _days(
    by_type: dict[str, list[dict[str, Any]]], names: dict[str, str]
) -> tuple[tuple[str, datetime, Level, float], ...]:
    """Each resource's status_history: (resource name, day start in UTC, level, seconds down)."""
    out = []
    for res in by_type.get("status_page_resource", []):
        name = names.get(ident(res.get("id")), "")
        history = objs(obj(res.get("attributes")).get("status_history"))[:MAX_DAYS]
        for entry in history:
            start = parse_time(text(entry.get("day"))[:10] + "T00:00:00+00:00")
            if not name or start is None:
                continue
            level = betterstack.STATE_LEVELS.get(word(entry.get("status")), Level.UNKNOWN)
            seconds = _seconds(entry.get("downtime_duration"))
            if level.is_problem and not seconds:
                seconds = 60.0  # a bad day without a duration: trouble, length unknown
            out.append((name, start, level, min(seconds, DAY)))
            planned = _seconds(entry.get("maintenance_duration"))
            if planned:  # planned work is its own span: a blue day when it lasted
                out.append((name, start, Level.MAINTENANCE, min(planned, DAY)))
    return tuple(out)


def _seconds(value: Any) -> float:
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else 0
    return float(number) if number > 0 else 0.0
