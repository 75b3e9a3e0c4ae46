"""How the monitor tells its listeners: contained calls, coalesced updates, grouped changes.

A listener that raises (the tray, a notifier, a script's callback) is logged with its traceback
and the others still run: one failure never stops the polling. Changes that come close together
go out as one batch, so four services failing at once make one notification, and a batch waits
(up to GROUP_HOLD) while another page is confirming a change of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from .model import Change
from .state import ServiceState

log = logging.getLogger("outage_radar.core.monitor")

GROUP_WINDOW = 2.0  # changes within this long after the first go out together
GROUP_HOLD = 10.0  # ... held longer while another page is confirming a change of its own
UPDATE_COALESCE = 0.1  # pages finishing a few ms apart (every page at start) make one refresh

UpdateListener = Callable[[Mapping[str, ServiceState]], None]
ChangeListener = Callable[[list[Change]], None]


class Announcer:
    def __init__(
        self,
        states: Callable[[], Mapping[str, ServiceState]],
        confirming: Callable[[], bool],
        group_window: float = GROUP_WINDOW,
    ) -> None:
        self._states = states
        self._confirming = confirming
        self.group_window = group_window
        self.update: list[UpdateListener] = []
        self.changes: list[ChangeListener] = []
        self._batch: list[Change] = []
        self._started = 0.0
        self._flush_handle: asyncio.TimerHandle | None = None
        self._update_handle: asyncio.TimerHandle | None = None

    def states_changed(self, *, at_once: bool) -> None:
        if at_once:
            self.announce_states()
        elif self._update_handle is None:
            loop = asyncio.get_running_loop()
            self._update_handle = loop.call_later(UPDATE_COALESCE, self.announce_states)

    def add_changes(self, changes: list[Change], *, at_once: bool) -> None:
        self._batch.extend(changes)
        if at_once:
            self.flush()
        elif changes and self._flush_handle is None:
            loop = asyncio.get_running_loop()
            self._started = loop.time()
            self._flush_handle = loop.call_later(self.group_window, self._flush_when_settled)

    def announce_states(self) -> None:
        if self._update_handle is not None:
            self._update_handle.cancel()
            self._update_handle = None
        states = self._states()
        for listener in list(self.update):
            _call(listener, states)

    def flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        batch, self._batch = self._batch, []
        if batch:
            for listener in list(self.changes):
                _call(listener, batch)

    def cancel(self) -> None:
        for handle in (self._flush_handle, self._update_handle):
            if handle is not None:
                handle.cancel()
        self._flush_handle = self._update_handle = None

    def _flush_when_settled(self) -> None:
        self._flush_handle = None
        loop = asyncio.get_running_loop()
        if self._confirming() and loop.time() - self._started < GROUP_HOLD:
            self._flush_handle = loop.call_later(0.5, self._flush_when_settled)
            return
        self.flush()


def _call(listener: Callable[[object], None] | Callable[..., None], arg: object) -> None:
    try:
        listener(arg)
    except Exception:
        log.exception("a monitor listener failed: %r", listener)
