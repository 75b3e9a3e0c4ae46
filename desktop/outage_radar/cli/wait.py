"""`outage-radar wait`: block until the named services read operational, for scripts and agents.

Exit codes: 0 every service reads operational (maintenance counts), 1 the timeout came first,
2 a usage error, 3 a service cannot be read (two unreadable reads in a row, or no public feed).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..core.catalog import Service
from ..core.check import check_all
from ..core.failures import LINK_ONLY
from ..core.fetch import Fetcher
from ..core.model import Level, Snapshot
from ..core.text import clean
from ..core.watch import FAILS_TO_UNKNOWN
from . import output
from .commands import UsageError, pick

DEFAULT_INTERVAL = 15.0


def wait(
    ids: Sequence[str],
    path: Path | None,
    *,
    timeout: float | None,
    interval: float | None,
    as_json: bool,
) -> int:
    services = pick(path, list(dict.fromkeys(ids)))
    if timeout is not None and timeout < 0:
        raise UsageError("--timeout must not be negative")
    waiter = Waiter(services, interval or DEFAULT_INTERVAL, timeout)
    code = asyncio.run(waiter.run())
    if as_json:
        print(json.dumps(waiter.report(code), ensure_ascii=False, indent=2))
    else:
        print(waiter.summary(code))
    return code


def _fine(snap: Snapshot) -> bool:
    return snap.level in (Level.OPERATIONAL, Level.MAINTENANCE)


class Waiter:
    """Reads the services' pages every `interval` (each page once) until they are all fine."""

    def __init__(
        self,
        services: Sequence[Service],
        interval: float,
        timeout: float | None,
        *,
        fetcher: Fetcher | None = None,
        progress: TextIO | None = None,
    ) -> None:
        self.services = list(services)
        self.interval = interval
        self.timeout = timeout
        self.fetcher = fetcher
        # A progress line only where a person watches: a terminal, never a pipe or a log.
        self.progress = progress if progress is not None else _terminal(sys.stderr)
        self.latest: list[tuple[Service, Snapshot]] = []
        self.waited = 0.0

    async def run(self) -> int:
        own = self.fetcher is None
        fetcher = self.fetcher or Fetcher()
        try:
            return await self._loop(fetcher)
        finally:
            if own:
                await fetcher.aclose()
            if self.progress is not None:
                self.progress.write("\n")
                self.progress.flush()

    async def _loop(self, fetcher: Fetcher) -> int:
        start = time.monotonic()
        unreadable = dict.fromkeys((s.id for s in self.services), 0)
        if any(s.link_only for s in self.services):
            self.latest = [(s, Snapshot.failed(LINK_ONLY)) for s in self.services if s.link_only]
            return 3
        while True:
            self.latest = await check_all(self.services, fetcher)
            self.waited = time.monotonic() - start
            for service, snap in self.latest:
                unreadable[service.id] = unreadable[service.id] + 1 if snap.failure else 0
            if all(_fine(snap) for _, snap in self.latest):
                return 0
            if max(unreadable.values()) >= FAILS_TO_UNKNOWN:
                return 3
            left = None if self.timeout is None else self.timeout - self.waited
            if left is not None and left <= 0:
                return 1
            self._show_progress()
            await asyncio.sleep(self.interval if left is None else min(self.interval, left))

    def _show_progress(self) -> None:
        if self.progress is None:
            return
        waiting = ", ".join(
            f"{s.name} {snap.level.label}" for s, snap in self.latest if not _fine(snap)
        )
        line = f"waiting {int(self.waited)} s: {waiting}"
        self.progress.write("\r\x1b[K" + clean(line, 160, single_line=True))
        self.progress.flush()

    def summary(self, code: int) -> str:
        waited = f"{int(self.waited)} s"
        if code == 0:
            return f"operational after {waited}: " + ", ".join(s.name for s in self.services)
        bad = "; ".join(
            f"{s.name}: {snap.error or snap.level.label}"
            for s, snap in self.latest
            if not _fine(snap)
        )
        if code == 3:
            return f"cannot be read: {clean(bad, 300, single_line=True)}"
        return f"timed out after {waited}: {clean(bad, 300, single_line=True)}"

    def report(self, code: int) -> dict[str, Any]:
        result = {0: "operational", 1: "timeout", 3: "unreadable"}.get(code, "error")
        return {
            "result": result,
            "exit_code": code,
            "waited_s": round(self.waited, 1),
            "services": [output.service_status_json(s, snap) for s, snap in self.latest],
        }


def _terminal(stream: TextIO) -> TextIO | None:
    try:
        return stream if stream.isatty() else None
    except (AttributeError, ValueError):
        return None
