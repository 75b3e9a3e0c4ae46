"""What the monitor knows about one watched service right now, as the UI and CLI read it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .catalog import Service
from .failures import NO_FEED  # what a link-only service says in place of a level or an error
from .model import Level, Snapshot, overall

if TYPE_CHECKING:  # probes loads httpx, early_warning the alert policy: not needed at start
    from .early_warning import Lead
    from .probes import ProbeResult

__all__ = ["NO_FEED", "ServiceState", "counted", "summary_level"]


@dataclass(frozen=True, slots=True)
class ServiceState:
    service: Service
    snapshot: Snapshot
    since: datetime | None = None
    checked_at: datetime | None = None
    # What the user's own API key adds (set by early_warning.decorate, not by the monitor):
    probes: tuple[ProbeResult, ...] = ()  # the recent probes, oldest first
    keyring_failed: bool = False  # the keys can no longer be read: the probes are stale
    lead: Lead | None = None  # how much earlier the probes knew, while that incident lasts
    # The last level read, while the page cannot be read now (offline, failing): shown as such.
    last_known: Level | None = None

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
