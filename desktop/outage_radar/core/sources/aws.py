"""AWS Health public events (Amazon Bedrock): `/public/currentevents` (or `/public/events`)."""

from __future__ import annotations

import json
from typing import Any

from ..failures import Kind
from ..model import Component, Incident, Level, Snapshot, worst
from .common import (
    MAX_COMPONENTS,
    MAX_INCIDENTS,
    NOT_HTML,
    ParseError,
    body,
    epoch,
    ident,
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
)

DASHBOARD = "https://health.aws.amazon.com/health/status"
# The dashboard's codes, as its legend and live events show them (logs escalate 1 -> 2 -> 3 and
# a service's status moves from "0" to "3"): 0 operating normally, 1 informational message,
# 2 performance issues, 3 service disruption. An open informational event is still news, so it
# reads degraded like an open "impact none" incident elsewhere.
CODE_LEVELS = {
    "0": Level.OPERATIONAL,
    "1": Level.DEGRADED,
    "2": Level.DEGRADED,
    "3": Level.MAJOR_OUTAGE,
}
CODE_WORDS = {"1": "informational", "2": "performance issues", "3": "service disruption"}
MAX_SCAN = 20000  # `/public/events` is every service's history; open events are a handful
MAX_BYTES = 16 * 1024 * 1024


def decode(raw: bytes) -> str:
    """The body as text: AWS serves these documents in UTF-16 (either byte order, with a BOM)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8")
    # Without a BOM, NUL bytes among the first ASCII characters give UTF-16 away.
    if len(raw) >= 4 and raw[0] == 0 and raw[1] != 0:
        return raw.decode("utf-16-be")
    if len(raw) >= 4 and raw[0] != 0 and raw[1] == 0:
        return raw.decode("utf-16-le")
    return raw.decode("utf-8")


@safe
def parse(primary: bytes, *, product: str | None = None, page_url: str = "") -> Snapshot:
    if len(primary) > MAX_BYTES:
        raise ParseError("response too large", Kind.TOO_LARGE)
    try:
        raw_text = decode(primary).strip()
    except UnicodeDecodeError as exc:
        raise ParseError("bad JSON") from exc
    if not raw_text:
        raise ParseError("empty response")
    if raw_text.startswith("<"):
        raise ParseError(NOT_HTML, Kind.NOT_A_STATUS_PAGE)
    try:
        data = json.loads(raw_text)
    except ValueError as exc:
        raise ParseError("bad JSON") from exc
    if isinstance(data, dict):  # tolerate an {"events": [...]} wrapper rather than guess
        data = data.get("events") if isinstance(data.get("events"), list) else None
    if not isinstance(data, list):
        raise ParseError("unexpected JSON shape")
    events = [e for e in data[:MAX_SCAN] if isinstance(e, dict)]
    if events and not any(e.keys() & {"arn", "event_log", "startTime", "typeCode"} for e in events):
        raise ParseError("unexpected JSON shape")  # an array, but not of events: renamed fields?

    want = {p.strip().casefold() for p in (product or "").split(",") if p.strip()}
    url = web_url(page_url) or DASHBOARD
    incidents: list[Incident] = []
    parts: dict[str, Component] = {}
    for event in events:
        if not _open(event) or (want and not _matches(event, want)):
            continue
        incident, components = _read(event, want, url)
        incidents.append(incident)
        for comp in components:
            old = parts.get(comp.id)
            if old is None and len(parts) < MAX_COMPONENTS:
                parts[comp.id] = comp
            elif old is not None and comp.level.rank > old.level.rank:
                parts[comp.id] = comp
        if len(incidents) >= MAX_INCIDENTS:
            break
    components_t = tuple(parts.values())
    # The feed lists every open event, so none (for the wanted service) means all clear.
    level = page_level((), components_t, incidents, (), Level.OPERATIONAL)
    return Snapshot(level=level, components=components_t, incidents=tuple(incidents))


def _open(event: dict[str, Any]) -> bool:
    if "startTime" in event or "endTime" in event:  # `/public/events`: open until it has an end
        return parse_epoch(event.get("endTime"), millis=True) is None
    return text(event.get("status")).strip() != "0"  # `/public/currentevents`: "0" has recovered


def _arn_service(event: dict[str, Any]) -> str:
    """`arn:aws:health:us-east-1::event/BEDROCK/AWS_BEDROCK_OPERATIONAL_ISSUE/...` -> `BEDROCK`."""
    tail = text(event.get("arn")).split(":event/", 1)
    return tail[1].split("/", 1)[0][:64] if len(tail) == 2 else ""


def _region(event: dict[str, Any]) -> str:
    parts = text(event.get("arn")).split(":")
    return parts[3][:32] if len(parts) > 4 else text(event.get("region"))[:32]


def _service_keys(event: dict[str, Any]) -> list[str]:
    """Service codes an event names: its own (`bedrock-us-east-1` or `BEDROCK`) and impacted."""
    keys = [text(event.get("service"))[:80], _arn_service(event)]
    keys += [str(k)[:80] for k in list(obj(event.get("impacted_services")))[:500]]
    return [k for k in keys if k]


def _matches(event: dict[str, Any], want: set[str]) -> bool:
    for key in _service_keys(event):
        low = key.casefold()
        # A product is a service code (BEDROCK, matching bedrock-<region>) or one regional key.
        if low in want or any(low.startswith(w + "-") for w in want):
            return True
    return False


def _log(event: dict[str, Any]) -> list[dict[str, Any]]:
    entries = objs(event.get("event_log"))
    if not entries:  # `/public/events` carries the log as a JSON string in its metadata
        raw = text(obj(event.get("metadata")).get("EVENT_LOG"))[:200_000]
        try:
            entries = objs(json.loads(raw)) if raw else []
        except ValueError:
            entries = []
    return entries[:200]


def _code(value: Any) -> str:
    return text(value).strip()[:4]


def _part(key: str, service_name: Any, region: str, level: Level) -> Component:
    """One service in one region, named "Amazon Bedrock (N. Virginia)" and grouped by service,
    so a name picks one region and the service's name picks them all."""
    service = title(service_name, 150) or key
    return Component(key, f"{service} ({region})" if region else service, level, service)


def _read(event: dict[str, Any], want: set[str], url: str) -> tuple[Incident, list[Component]]:
    log = _log(event)
    latest = newest(log, epoch("timestamp"), later_wins=True)
    region_name = title(event.get("region_name"), 80) or _region(event)
    codes = [_code(event.get("status"))] + [_code(e.get("status")) for e in log[-1:]]
    level = worst([CODE_LEVELS[c] for c in codes if c in CODE_LEVELS], default=Level.DEGRADED)
    impacted = obj(event.get("impacted_services"))
    components: list[Component] = []
    for key, info in list(impacted.items())[:500]:
        low = str(key).casefold()
        if want and not (low in want or any(low.startswith(w + "-") for w in want)):
            continue  # a multi-service event: keep only the wanted service's parts
        item = obj(info)
        part = CODE_LEVELS.get(_code(item.get("current")), Level.DEGRADED)
        components.append(_part(ident(key), item.get("service_name"), region_name, part))
    own = ident(event.get("service"))
    if not components and own:
        components.append(_part(own, event.get("service_name"), region_name, level))
    if any(c.level.is_problem for c in components):
        # The wanted service's own state outranks a multi-service event's overall code.
        level = worst([c.level for c in components])
    if not level.is_problem:  # still open, so still news
        level = Level.DEGRADED
    name = (
        title(event.get("summary"))
        or title(log[0].get("summary") if log else "")
        or title(event.get("typeCode"))
        or "AWS event"
    )
    label = title(event.get("service_name"), 120)
    started = parse_epoch(event.get("date")) or parse_epoch(event.get("startTime"), millis=True)
    # An ARN runs past the id length cap; its region, service and final part identify it.
    arn = text(event.get("arn")).split("/")
    iid = (
        ident("/".join([_region(event), _arn_service(event), arn[-1][:80]]))
        if len(arn) > 2
        else ident(event.get("arn"))
    ) or "-".join(x for x in (own, _region(event), text(event.get("startTime"))[:20]) if x)
    return (
        Incident(
            id=iid or name,
            title=f"{label}: {name}" if label and label.casefold() not in name.casefold() else name,
            level=level,
            impact=CODE_WORDS.get(_code(event.get("status"))) or title(event.get("typeCode"), 64),
            url=url,
            started=started,
            updated=parse_epoch(latest.get("timestamp")) or started,
            latest_update=body(latest.get("message") or latest.get("summary"), html=True),
            components=refs(
                (c.id for c in components),
                (c.name for c in components),
                [own, _arn_service(event), region_name, _region(event)],
            ),
        ),
        components,
    )
