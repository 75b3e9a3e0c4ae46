"""One watched service's confirmed state: the two-reads rule, and failures turning it unknown.

The two reads that confirm a change must agree with each other and be the last two good reads;
failed reads between them neither count nor undo the first one.

A page is fetched once for every service on it (see monitor.py); each service then keeps its own
confirmation here, because the parts it watches may change while the rest of the page does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from .catalog import Service
from .changes import diff, signature
from .failures import NOT_CHECKED, Failure
from .model import Change, Level, Snapshot
from .state import ServiceState

__all__ = ["FAILS_TO_UNKNOWN", "Watch"]

FAILS_TO_UNKNOWN = 2

SavedLevel = Callable[[str], tuple[Level, datetime] | None]


@dataclass
class Watch:
    service: Service
    shown: Snapshot = field(default_factory=lambda: Snapshot.failed(NOT_CHECKED))
    baseline: Snapshot | None = None
    pending: Snapshot | None = None
    since: datetime | None = None
    checked_at: datetime | None = None
    failures: int = 0
    network_failure: bool = False
    # The last good read of the current body: a 304 reuses it instead of parsing again.
    parsed: Snapshot | None = None

    @property
    def state(self) -> ServiceState:
        known = self.baseline.level if self.baseline is not None else None
        last = known if self.shown.level is Level.UNKNOWN else None
        return ServiceState(self.service, self.shown, self.since, self.checked_at, last_known=last)

    def failed(self, failure: Failure, now: datetime, parsed: Snapshot | None) -> None:
        """One failed read: nothing changes until FAILS_TO_UNKNOWN of them in a row.

        A pending change stays pending: a failed read says nothing against it, so a page that
        answers its outage and a 503 in turn still has two good reads that agree confirm it.
        Failures are counted in a row, so a page failing for good still turns unknown."""
        self.failures += 1
        self.network_failure = failure.network
        if self.failures >= FAILS_TO_UNKNOWN or self.baseline is None:
            self.shown = parsed or Snapshot.failed(failure, now)

    def confirm(self, snap: Snapshot, now: datetime, saved: SavedLevel) -> list[Change]:
        """A good read: the changes it confirms (a new state must be read twice in a row)."""
        self.failures = 0
        self.network_failure = False
        service = self.service
        if self.baseline is None:
            last = saved(service.id)
            if last is None or last[0] is snap.level:
                self.baseline = self.shown = snap
                self.since = last[1] if last is not None else now
                return []
            # A restart during a change: treat the saved level as the confirmed past.
            self.baseline = Snapshot(level=last[0])
            self.since = last[1]
        base = self.baseline
        if signature(snap) == signature(base):
            self.pending = None
            changes = diff(service.id, service.name, base, snap, now, self.since)
            self.baseline = self.shown = snap
            return changes
        if self.pending is not None and signature(self.pending) == signature(snap):
            changes = diff(service.id, service.name, base, snap, now, self.since)
            if base.level is not snap.level:
                self.since = self.pending.fetched_at or now
            self.baseline = self.shown = snap
            self.pending = None
            return changes
        self.pending = snap
        if self.shown.level is Level.UNKNOWN:
            # Nothing confirmed is on screen yet (first poll after a restart, or after an
            # outage of our own): show what the page says now; only the alert waits.
            self.shown = snap
        return []
