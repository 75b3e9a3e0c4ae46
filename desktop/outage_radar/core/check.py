"""One check of a service: resolve its platform, fetch its endpoints, parse and scope."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from . import detect, sources
from .catalog import Service
from .fetch import Fetcher, FetchResult
from .model import Snapshot
from .scope import scope


async def resolve(fetcher: Fetcher, service: Service) -> Service:
    """Fill in the platform of a service whose catalog entry left it to auto-detection."""
    if service.platform != "auto":
        return service
    try:
        async with asyncio.timeout(fetcher.deadline + 3):
            found = await detect.detect(fetcher, service.url)
    except TimeoutError:
        found = None
    if found is None:
        return service
    return replace(service, platform=found[0], endpoints=found[1])


def read(service: Service, results: Sequence[FetchResult]) -> Snapshot:
    """Parse fetched bodies (the primary must have succeeded) and narrow to the service's parts."""
    bodies = [r.body for r in results if r.ok and r.body is not None]
    page = sources.parse(service.platform, bodies, product=service.product, page_url=service.url)
    return scope(page, service.components)


async def fetch_all(fetcher: Fetcher, service: Service) -> list[FetchResult]:
    return list(await asyncio.gather(*(fetcher.get(url) for url in service.endpoints)))


async def check(fetcher: Fetcher, service: Service) -> tuple[Service, Snapshot]:
    """Check once; every failure is an unknown snapshot with a short reason."""
    service = await resolve(fetcher, service)
    now = datetime.now().astimezone()
    if service.platform == "auto":
        return service, Snapshot.failed("not a status page (platform not recognised)", now)
    results = await fetch_all(fetcher, service)
    if not results[0].ok:
        return service, Snapshot.failed(results[0].error or "unknown error", now)
    return service, read(service, results).at(now)


async def check_all(
    services: Sequence[Service], fetcher: Fetcher | None = None
) -> list[tuple[Service, Snapshot]]:
    """Check many services concurrently with one client."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        return list(await asyncio.gather(*(check(fetcher, s) for s in services)))
    finally:
        if own:
            await fetcher.aclose()
