"""The status model shared by every layer: levels, components, incidents, snapshots."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from .failures import Failure, label


class Level(enum.Enum):
    """How healthy a service or component is; `unknown` sits outside the order."""

    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    DEGRADED = "degraded"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """Severity order; unknown ranks below everything so it never hides an outage."""
        return _RANK[self]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_problem(self) -> bool:
        """Degraded or worse: what the CLI exit code and alerts treat as trouble."""
        return self.rank >= Level.DEGRADED.rank

    @classmethod
    def parse(cls, text: str) -> Level:
        """Read a level from its spelled value, falling back to unknown."""
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN


_RANK = {
    Level.UNKNOWN: -1,
    Level.OPERATIONAL: 0,
    Level.MAINTENANCE: 1,
    Level.DEGRADED: 2,
    Level.PARTIAL_OUTAGE: 3,
    Level.MAJOR_OUTAGE: 4,
}


def worst(levels: list[Level] | tuple[Level, ...], default: Level = Level.OPERATIONAL) -> Level:
    """The most severe known level; unknown only when nothing is known."""
    known = [lv for lv in levels if lv is not Level.UNKNOWN]
    if known:
        return max(known, key=lambda lv: lv.rank)
    return Level.UNKNOWN if levels else default


def overall(levels: list[Level] | tuple[Level, ...]) -> Level:
    """What a summary (tray icon, CLI exit) shows: a problem wins, then unknown, then the rest."""
    top = worst(levels)
    if top.is_problem:
        return top
    if Level.UNKNOWN in levels:
        return Level.UNKNOWN
    return top


@dataclass(frozen=True, slots=True)
class Component:
    id: str
    name: str
    level: Level
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    title: str
    level: Level
    impact: str = ""
    stage: str = ""
    url: str | None = None
    started: datetime | None = None
    updated: datetime | None = None
    latest_update: str = ""
    components: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Maintenance:
    id: str
    title: str
    stage: str = ""
    url: str | None = None
    starts: datetime | None = None
    ends: datetime | None = None
    active: bool = False
    components: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One service at one moment; `failure` says why the level is unknown."""

    level: Level
    components: tuple[Component, ...] = ()
    incidents: tuple[Incident, ...] = ()
    maintenances: tuple[Maintenance, ...] = ()
    fetched_at: datetime | None = None
    failure: Failure | None = None
    page_name: str = ""
    # Shown beside the level when the reading needs a caveat, e.g. a renamed part that made
    # the service fall back to the whole page's level.
    note: str = ""
    description: str = ""  # the page's own words for its state, e.g. "Partial System Outage"

    @classmethod
    def failed(cls, failure: Failure, at: datetime | None = None) -> Snapshot:
        return cls(level=Level.UNKNOWN, failure=failure, fetched_at=at)

    @property
    def error(self) -> str | None:
        """The failure in words (failures.label), or None when the read succeeded."""
        return label(self.failure) if self.failure is not None else None

    def at(self, when: datetime) -> Snapshot:
        return replace(self, fetched_at=when)


class ChangeKind(enum.Enum):
    LEVEL = "level"
    COMPONENT = "component"
    INCIDENT_OPENED = "incident_opened"
    INCIDENT_UPDATED = "incident_updated"
    INCIDENT_RESOLVED = "incident_resolved"
    MAINTENANCE_STARTED = "maintenance_started"
    MAINTENANCE_ENDED = "maintenance_ended"


@dataclass(frozen=True, slots=True)
class Change:
    """A confirmed difference between two snapshots of one service."""

    service: str
    name: str
    kind: ChangeKind
    old: Level
    new: Level
    at: datetime
    component: str | None = None
    incident: Incident | None = None
    maintenance: Maintenance | None = None
    since: datetime | None = None

    @property
    def is_recovery(self) -> bool:
        return self.kind is ChangeKind.LEVEL and self.old.is_problem and not self.new.is_problem
