"""`outage-radar doctor`, the "Is it just me?" check per service: status page, probe, connection.

Exit codes: 0 all good, 1 a provider is down or calls fail for you, 3 your connection is down
or the answer is unclear.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..core import settings as settings_mod
from ..core.catalog import Service
from ..core.credentials import Credentials
from ..core.doctor import Connectivity, Report, Verdict, diagnose
from ..core.fetch import Fetcher
from ..core.text import clean
from .commands import UsageError, pick, watched

_EXIT = {Verdict.ALL_GOOD: 0, Verdict.PROVIDER_DOWN: 1, Verdict.FAILING_FOR_YOU: 1}


def chosen(path: Path | None, ids: Sequence[str]) -> list[Service]:
    return pick(path, ids) if ids else watched(path)


def text(net: Connectivity, reports: Sequence[Report], elapsed_ms: int) -> str:
    lines = [f"Your connection: {net.describe()}"]
    for host in net.hosts:
        state = "reached" if host.reached else host.detail or "not reached"
        lines.append(f"  {host.url}: {state}")
    for report in reports:
        name = clean(report.service.name, 60, single_line=True)
        lines += ["", f"{name}: {clean(report.summary, 400)}"]
        lines += [f"  {line}" for line in report.lines()[:2]]
    lines += ["", f"(checked in {elapsed_ms} ms)"]
    return "\n".join(lines)


def doctor(
    path: Path | None, ids: Sequence[str], *, as_json: bool, store: Credentials | None = None
) -> int:
    services = chosen(path, ids)
    if not services:
        raise UsageError("no services to check")
    neutral = settings_mod.load().settings.neutral_hosts
    # The keyring is loaded only when a chosen service has a probe to use a key with.
    if store is None and any(s.probe for s in services):
        store = Credentials()
    start = time.perf_counter()
    net, reports = asyncio.run(_run(services, store, neutral))
    elapsed = round((time.perf_counter() - start) * 1000)
    if as_json:
        doc = {
            "checked_at": datetime.now().astimezone().isoformat(),
            "elapsed_ms": elapsed,
            "connection": net.to_json(),
            "services": [r.to_json() for r in reports],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(text(net, reports, elapsed))
    codes = [_EXIT.get(r.verdict, 3) for r in reports]
    return 1 if 1 in codes else max(codes)


async def _run(
    services: list[Service], store: Credentials | None, neutral: Sequence[str]
) -> tuple[Connectivity, list[Report]]:
    fetcher = Fetcher()
    try:
        read_key = store.get if store is not None else None
        return await diagnose(services, fetcher=fetcher, read_key=read_key, neutral_hosts=neutral)
    finally:
        await fetcher.aclose()
