"""Narrow a whole status page's snapshot to one service made of some of its components."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .model import Level, Snapshot, worst


def _norm(value: str) -> str:
    return value.strip().casefold()


def scope(snapshot: Snapshot, names: Sequence[str]) -> Snapshot:
    """Keep the components named (by component or group name) and the incidents touching them.

    Incidents and maintenances are kept when their component refs (ids or names) meet a kept
    component, or, listing none, when their title mentions one of the names."""
    wanted = {_norm(n) for n in names if _norm(n)}
    if not wanted or snapshot.level is Level.UNKNOWN:
        return snapshot
    kept = tuple(
        c for c in snapshot.components if _norm(c.name) in wanted or _norm(c.group or "") in wanted
    )
    # The wanted names count too: feeds and Google list affected parts that aren't components.
    refs = {c.id for c in kept} | {_norm(c.name) for c in kept} | wanted

    def touches(components: tuple[str, ...], title: str) -> bool:
        if components:
            return any(r in refs or _norm(r) in refs for r in components)
        low = title.casefold()
        return any(n in low for n in wanted)

    incidents = tuple(i for i in snapshot.incidents if touches(i.components, i.title))
    maintenances = tuple(m for m in snapshot.maintenances if touches(m.components, m.title))
    label = ", ".join(n.strip() for n in names if n.strip())
    # Pages that list no components at all (feeds, Google) can't say a name is missing:
    # no matching incident there just means that part is fine.
    if not kept and not incidents and snapshot.components:
        return Snapshot.failed(f"component not found on page: {label}", snapshot.fetched_at)
    levels = [c.level for c in kept] + [i.level for i in incidents]
    if any(m.active for m in maintenances):
        levels.append(Level.MAINTENANCE)
    level = worst(levels, default=Level.OPERATIONAL)
    return replace(
        snapshot,
        level=level,
        components=kept,
        incidents=incidents,
        maintenances=maintenances,
        error=None if level is not Level.UNKNOWN else f"no status for: {label}",
    )
