"""Change detection: what differs between two confirmed snapshots of one service."""

from __future__ import annotations

from datetime import datetime

from .model import Change, ChangeKind, Component, Incident, Level, Snapshot


def signature(snapshot: Snapshot) -> tuple[Level, tuple[tuple[str, Level], ...]]:
    """What must be seen twice in a row before it counts: the level and each component's level."""
    return snapshot.level, tuple(sorted((c.name, c.level) for c in snapshot.components))


def _worst_incident(snapshot: Snapshot) -> Incident | None:
    if not snapshot.incidents:
        return None
    return max(snapshot.incidents, key=lambda i: (i.level.rank, i.updated or i.started or _EPOCH))


_EPOCH = datetime.fromtimestamp(0).astimezone()


def diff(
    service: str,
    name: str,
    old: Snapshot,
    new: Snapshot,
    at: datetime,
    since: datetime | None = None,
) -> list[Change]:
    """Every change from `old` to `new`; both are known (not unknown) snapshots."""
    changes: list[Change] = []
    attached: set[str] = set()
    if old.level is not new.level:
        incident = _worst_incident(new) if new.level.is_problem else _worst_incident(old)
        if incident is not None:
            attached.add(incident.id)
        changes.append(
            Change(
                service,
                name,
                ChangeKind.LEVEL,
                old.level,
                new.level,
                at,
                incident=incident,
                since=since,
            )
        )
    changes.extend(_components(service, name, old.components, new.components, at))
    changes.extend(_incidents(service, name, old, new, at, attached))
    changes.extend(_maintenances(service, name, old, new, at))
    return changes


def _components(
    service: str, name: str, old: tuple[Component, ...], new: tuple[Component, ...], at: datetime
) -> list[Change]:
    before = {c.name: c.level for c in old}
    out = []
    for comp in new:
        prev = before.get(comp.name)
        if prev is not None and prev is not comp.level:
            out.append(
                Change(
                    service, name, ChangeKind.COMPONENT, prev, comp.level, at, component=comp.name
                )
            )
    return out


def _incidents(
    service: str, name: str, old: Snapshot, new: Snapshot, at: datetime, attached: set[str]
) -> list[Change]:
    before = {i.id: i for i in old.incidents}
    after = {i.id: i for i in new.incidents}
    out = []
    for key, inc in after.items():
        prev = before.get(key)
        if key in attached:
            continue
        if prev is None:
            kind = ChangeKind.INCIDENT_OPENED
        elif (prev.latest_update, prev.stage, prev.level) != (
            inc.latest_update,
            inc.stage,
            inc.level,
        ):
            kind = ChangeKind.INCIDENT_UPDATED
        else:
            continue
        out.append(Change(service, name, kind, old.level, new.level, at, incident=inc))
    for key, inc in before.items():
        if key not in after and key not in attached:
            out.append(
                Change(
                    service,
                    name,
                    ChangeKind.INCIDENT_RESOLVED,
                    old.level,
                    new.level,
                    at,
                    incident=inc,
                    since=inc.started,
                )
            )
    return out


def _maintenances(
    service: str, name: str, old: Snapshot, new: Snapshot, at: datetime
) -> list[Change]:
    was = {m.id: m for m in old.maintenances if m.active}
    now = {m.id: m for m in new.maintenances if m.active}
    out = [
        Change(
            service, name, ChangeKind.MAINTENANCE_STARTED, old.level, new.level, at, maintenance=m
        )
        for key, m in now.items()
        if key not in was
    ]
    out += [
        Change(
            service,
            name,
            ChangeKind.MAINTENANCE_ENDED,
            old.level,
            new.level,
            at,
            maintenance=m,
            since=m.starts,
        )
        for key, m in was.items()
        if key not in now
    ]
    return out
