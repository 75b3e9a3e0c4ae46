"""The probe schedule: each service with a probe and a stored key, at its own interval."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from .catalog import Service
from .credentials import CredentialError
from .probes import DEADLINE, Outcome, ProbeResult, run_probe
from .settings import interval_in_range

log = logging.getLogger(__name__)
KEEP = 12  # probes remembered per service, for the latency sparkline
FAST_RETRY = 60.0
_SLOW_RETRY = (Outcome.AUTH_FAILED, Outcome.RATE_LIMITED)  # retrying soon changes nothing

KeyReader = Callable[[str], "str | None"]
Listener = Callable[[ProbeResult], None]


@dataclass
class _Slot:
    service: Service
    next_at: float = 0.0


class ProbeRunner:
    """Probes the services that have a probe and a stored key, each at its own interval.

    Keys are read from the keyring at every round (so a key added or removed in the meantime
    counts) in a worker thread: a keyring call may block on D-Bus or an unlock prompt.
    """

    def __init__(
        self,
        services: Sequence[Service],
        read_key: KeyReader,
        *,
        interval: float = 300.0,
        deadline: float = DEADLINE,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.read_key = read_key
        self.interval = interval_in_range(interval, 300.0)
        self.deadline = deadline
        self.transport = transport
        self.problem: str | None = None  # why keys could not be read (a CredentialError text)
        self.history: dict[str, deque[ProbeResult]] = {}
        self._slots: dict[str, _Slot] = {}
        self._listeners: list[Listener] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.set_services(services)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def set_services(self, services: Sequence[Service]) -> None:
        old = self._slots
        self._slots = {
            s.id: _Slot(s, old[s.id].next_at if s.id in old else 0.0)
            for s in services
            if s.probe is not None
        }
        self.history = {k: v for k, v in self.history.items() if k in self._slots}
        self._wake.set()

    def set_interval(self, seconds: float) -> None:
        seconds = interval_in_range(seconds, self.interval)
        if seconds != self.interval:
            self.interval = seconds
            self.check_now()

    def check_now(self) -> None:
        for slot in self._slots.values():
            slot.next_at = 0.0
        self._wake.set()

    def recent(self, service: str) -> list[ProbeResult]:
        return list(self.history.get(service, ()))

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="probes")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.probe_due()
            self._wake.clear()
            wait = min((s.next_at for s in self._slots.values()), default=math.inf)
            timeout = None if wait == math.inf else max(0.0, wait - loop.time())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def probe_due(self) -> list[ProbeResult]:
        """Probe every due service that has a key; returns (and announces) the results."""
        now = asyncio.get_running_loop().time()
        due = [slot for slot in self._slots.values() if slot.next_at <= now]
        if not due:
            return []
        for slot in due:
            slot.next_at = now + self.interval
        names = sorted({slot.service.probe.key for slot in due if slot.service.probe})
        try:
            keys = await asyncio.to_thread(lambda: {n: self.read_key(n) for n in names})
        except CredentialError as exc:
            # No retry on a timer: a locked keyring would show an unlock prompt every round.
            # The next try comes with check_now() (keys changed, "Check now", settings saved).
            self.problem = str(exc)
            for slot in due:
                slot.next_at = math.inf
            return []
        self.problem = None
        work = [
            (slot, probe, secret)
            for slot in due
            if (probe := slot.service.probe) is not None and (secret := keys.get(probe.key))
        ]
        probed = {slot.service.id for slot, _, _ in work}
        for slot in due:
            if slot.service.id not in probed:
                self.history.pop(slot.service.id, None)  # no key (any more): nothing to show
        results = await asyncio.gather(
            *(
                run_probe(s.service.id, p, k, deadline=self.deadline, transport=self.transport)
                for s, p, k in work
            )
        )
        for (slot, _, _), result in zip(work, results, strict=True):
            self.history.setdefault(slot.service.id, deque(maxlen=KEEP)).append(result)
            if not result.ok and result.outcome not in _SLOW_RETRY:
                # Re-probe soon so a real failure is confirmed (or dismissed) quickly.
                slot.next_at = now + min(self.interval, FAST_RETRY)
            for listener in list(self._listeners):
                try:
                    listener(result)
                except Exception:  # one bad listener must not stop the probes
                    log.exception("probe listener failed")
        return list(results)
