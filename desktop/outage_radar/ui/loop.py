"""The asyncio loop on Qt: qasync's, minus the wake-ups of timers that were cancelled.

qasync backs every `call_later` with a Qt timer and, when the handle is cancelled, leaves that
timer running: it still fires (and does nothing) later. Each fetch's deadline and each early
wake of the monitor leave one behind, so an idle tray app would wake up for nothing. Here a
cancelled handle kills its Qt timer at once.

WORKAROUND for https://github.com/CabbageDevelopment/qasync/issues/35 (cancelled timers keep
running); look again when qasync kills a handle's Qt timer on cancel(): then drop this module.
"""

from __future__ import annotations

import asyncio
from typing import Any

import qasync


class _QuietHandle(asyncio.Handle):
    __slots__ = ()

    def cancel(self) -> None:
        if not self.cancelled():
            super().cancel()
            loop = self._loop  # type: ignore[attr-defined]
            if isinstance(loop, QuietEventLoop):
                loop.kill_timer(self)

    def _run(self) -> None:
        loop = self._loop  # type: ignore[attr-defined]
        if isinstance(loop, QuietEventLoop):
            loop.timer_ids.pop(self, None)
        super()._run()


class QuietEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timer_ids: dict[asyncio.Handle, int] = {}

    def _pending(self) -> dict[int, asyncio.Handle]:
        # qasync keeps {Qt timer id: handle} in a private dict; without it, behave as qasync.
        found = getattr(self._timer, "_SimpleTimer__callbacks", None)
        return found if isinstance(found, dict) else {}

    def _add_callback(self, handle: asyncio.Handle, delay: float = 0) -> asyncio.Handle:
        handle = super()._add_callback(handle, delay)
        pending = self._pending()
        if delay > 0 and type(handle) is asyncio.Handle and pending:
            self.timer_ids[handle] = next(reversed(pending))  # the timer just started
            handle.__class__ = _QuietHandle
        return handle

    def kill_timer(self, handle: asyncio.Handle) -> None:
        timer_id = self.timer_ids.pop(handle, None)
        if timer_id is not None and self._pending().pop(timer_id, None) is not None:
            self._timer.killTimer(timer_id)

    def pending_timers(self) -> int:
        """Qt timers still armed for asyncio callbacks (for tests and benchmarks)."""
        return len(self._pending())
