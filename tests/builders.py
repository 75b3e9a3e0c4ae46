"""Builders shared by the tests (no Qt): services, a small catalog, states and changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from outage_radar.core.catalog import Links, Probe, Service
from outage_radar.core.failures import Failure
from outage_radar.core.model import (
    Change,
    ChangeKind,
    Component,
    Incident,
    Level,
    Maintenance,
    Snapshot,
)
from outage_radar.core.state import ServiceState

TZ = timezone(timedelta(hours=1))
NOW = datetime(2025, 6, 2, 10, 30, tzinfo=TZ)


def service(
    sid: str,
    name: str = "",
    alts: tuple[str, ...] = (),
    *,
    url: str = "",
    platform: str = "statuspage",
    endpoints: tuple[str, ...] | None = None,
    category: str = "chat",
    components: tuple[str, ...] = (),
    probe: Probe | None = None,
    user: bool = False,
    status_link: bool = True,
    **links: str | None,
) -> Service:
    """A service on `https://status.<sid>.example` (or `url`), read from its summary JSON.

    `links` are Links fields (tool=..., support=...); the status link is the page itself unless
    status_link is false."""
    base = url or f"https://status.{sid}.example"
    if endpoints is None:
        endpoints = (f"{base}/api/v2/summary.json",) if platform != "link" else ()
    return Service(
        id=sid,
        name=name or sid.title(),
        url=base,
        platform=platform,
        endpoints=endpoints,
        category=category,
        components=components,
        alternatives=alts,
        links=Links(**({"status": base} if status_link else {}) | links),
        probe=probe,
        user=user,
    )


def link_only(sid: str = "midjourney", name: str = "Midjourney") -> Service:
    """A service with no public feed: listed with its links, never polled."""
    return Service(sid, name, f"https://{sid}.example/status", "link", (), category="media")


def catalog(*services: Service) -> dict[str, Service]:
    return {s.id: s for s in services}


# ChatGPT with three alternatives (one not watched), each with a tool link.
CATALOG = catalog(
    service(
        "chatgpt",
        "ChatGPT",
        ("claude", "gemini", "mistral"),
        support="https://help.chatgpt.example",
        tool="https://chatgpt.example",
    ),
    service("claude", "Claude", ("chatgpt",), tool="https://claude.example"),
    service("gemini", "Gemini", tool="https://gemini.example"),
    service("mistral", "Mistral", tool="https://mistral.example"),
)


def state(
    of: str | Service,
    level: Level,
    *,
    since: datetime | None = None,
    checked_at: datetime | None = NOW,
    incidents: tuple[Incident, ...] = (),
    components: tuple[Component, ...] = (),
    maintenances: tuple[Maintenance, ...] = (),
    failure: Failure | None = None,
) -> ServiceState:
    """One service's state: `of` is a Service, or an id in CATALOG."""
    svc = CATALOG[of] if isinstance(of, str) else of
    snap = Snapshot(
        level=level,
        components=components,
        incidents=incidents,
        maintenances=maintenances,
        failure=failure,
    )
    return ServiceState(svc, snap, since, checked_at)


def states(**levels: Level) -> dict[str, ServiceState]:
    """CATALOG services at these levels, e.g. states(chatgpt=Level.MAJOR_OUTAGE)."""
    return {sid: state(sid, level) for sid, level in levels.items()}


def change(
    sid: str,
    old: Level,
    new: Level,
    kind: ChangeKind = ChangeKind.LEVEL,
    *,
    at: datetime = NOW,
    names: dict[str, Service] = CATALOG,
    **kw: object,
) -> Change:
    return Change(sid, names[sid].name, kind, old, new, at, **kw)  # type: ignore[arg-type]
