"""What the monitor knows about one watched service right now, as the UI and CLI read it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .catalog import Service
from .failures import NO_FEED  # what a link-only service says in place of a level or an error
from .model import Level, Snapshot, overall

__all__ = ["NO_FEED", "ServiceState", "counted", "summary_level"]


@dataclass(frozen=True, slots=True)
class ServiceState:
    service: Service
    snapshot: Snapshot
    since: datetime | None = None
    checked_at: datetime | None = None

    @property
    def level(self) -> Level:
        return self.snapshot.level


def counted(states: Iterable[ServiceState]) -> list[ServiceState]:
    """The states a summary may count: a link-only service has no feed, so no level to count.

    The one rule behind the tray's icon, tooltip and header and the CLI's exit code.
    """
    return [s for s in states if not s.service.link_only]


def summary_level(states: Iterable[ServiceState], default: Level = Level.UNKNOWN) -> Level:
    """The overall level of the counted services; `default` when none has a feed."""
    levels = [s.level for s in counted(states)]
    return overall(levels) if levels else default
