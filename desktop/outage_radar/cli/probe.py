"""`outage-radar probe`: run the direct API probe of every catalog service that has a stored key.

Exit codes: 0 every probe ok (or no keys stored), 1 a probe failed or the keyring failed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx

from ..core.catalog import Service
from ..core.credentials import CredentialError, Credentials
from ..core.probes import ProbeResult, run_probe
from ..core.text import clean, elide
from .commands import load_catalog


def table(results: Sequence[ProbeResult], names: dict[str, str]) -> str:
    lines = [f"{'SERVICE':<24} {'OUTCOME':<13} {'LATENCY':>8} {'HTTP':>4}  DETAIL"]
    for r in results:
        name = elide(clean(names.get(r.service, r.service), single_line=True), 24)
        latency = f"{r.latency_ms} ms" if r.latency_ms is not None else "-"
        status = str(r.http_status) if r.http_status else "-"
        detail = clean(r.detail, 60, single_line=True)
        lines.append(
            f"{name:<24} {r.outcome.value:<13} {latency:>8} {status:>4}  {detail}".rstrip()
        )
    return "\n".join(lines)


async def probe_all(
    work: Sequence[tuple[Service, str]], transport: httpx.AsyncBaseTransport | None = None
) -> list[ProbeResult]:
    return list(
        await asyncio.gather(
            *(run_probe(s.id, s.probe, key, transport=transport) for s, key in work if s.probe)
        )
    )


def probe(path: Path | None, *, as_json: bool, store: Credentials | None = None) -> int:
    services = [s for s in load_catalog(path) if s.probe is not None]
    store = store or Credentials()
    try:
        keys = {n: store.get(n) for n in {s.probe.key for s in services if s.probe}}
    except CredentialError as exc:
        print(f"outage-radar: cannot read the keyring: {exc}", file=sys.stderr)
        return 1
    work = [(s, key) for s in services if s.probe and (key := keys.get(s.probe.key))]
    results = asyncio.run(probe_all(work)) if work else []
    if not work:
        print(
            "outage-radar: no API keys stored for any probe; add one with: "
            "outage-radar keys set openai",
            file=sys.stderr,
        )
    if as_json:
        print(json.dumps({"probes": [r.to_json() for r in results]}, indent=2))
    elif results:
        print(table(results, {s.id: s.name for s in services}))
    return 0 if all(r.ok for r in results) else 1
