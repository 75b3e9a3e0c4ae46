"""What the monitor knows about one watched service right now, as the UI and CLI read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .catalog import Service
from .model import Level, Snapshot


@dataclass(frozen=True, slots=True)
class ServiceState:
    service: Service
    snapshot: Snapshot
    since: datetime | None = None
    checked_at: datetime | None = None

    @property
    def level(self) -> Level:
        return self.snapshot.level
