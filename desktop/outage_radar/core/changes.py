"""Change detection: what differs between two confirmed snapshots of one service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

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
    # Every change of this pair has the same service, levels and time; only its kind and
    # subject differ (a component keeps its own levels).
    change = partial(Change, service, name, old=old.level, new=new.level, at=at)
    changes: list[Change] = []
    attached: set[str] = set()
    if old.level is not new.level:
        incident = _worst_incident(new) if new.level.is_problem else _worst_incident(old)
        if incident is not None:
            attached.add(incident.id)
        changes.append(change(ChangeKind.LEVEL, incident=incident, since=since))
    changes.extend(_components(change, old.components, new.components))
    changes.extend(_incidents(change, old, new, attached))
    changes.extend(_maintenances(change, old, new))
    return changes


def _components(
    change: Callable[..., Change], old: tuple[Component, ...], new: tuple[Component, ...]
) -> list[Change]:
    before = {c.name: c.level for c in old}
    return [
        change(ChangeKind.COMPONENT, old=prev, new=comp.level, component=comp.name)
        for comp in new
        if (prev := before.get(comp.name)) is not None and prev is not comp.level
    ]


def _incidents(
    change: Callable[..., Change], old: Snapshot, new: Snapshot, attached: set[str]
) -> list[Change]:
    before = {i.id: i for i in old.incidents}
    after = {i.id: i for i in new.incidents}
    out = []
    for key, inc in after.items():
        prev = before.get(key)
        if key in attached:
            continue
        if prev is None:
            out.append(change(ChangeKind.INCIDENT_OPENED, incident=inc))
        elif (prev.latest_update, prev.stage, prev.level) != (
            inc.latest_update,
            inc.stage,
            inc.level,
        ):
            out.append(change(ChangeKind.INCIDENT_UPDATED, incident=inc))
    out += [
        change(ChangeKind.INCIDENT_RESOLVED, incident=inc, since=inc.started)
        for key, inc in before.items()
        if key not in after and key not in attached
    ]
    return out


def _maintenances(change: Callable[..., Change], old: Snapshot, new: Snapshot) -> list[Change]:
    was = {m.id: m for m in old.maintenances if m.active}
    now = {m.id: m for m in new.maintenances if m.active}
    started = [
        change(ChangeKind.MAINTENANCE_STARTED, maintenance=m)
        for key, m in now.items()
        if key not in was
    ]
    ended = [
        change(ChangeKind.MAINTENANCE_ENDED, maintenance=m, since=m.starts)
        for key, m in was.items()
        if key not in now
    ]
    return started + ended
