"""One check of a status page and the services on it: find the platform, fetch once, read each.

Services that share a page (ChatGPT, the OpenAI API and Codex on status.openai.com) are read
from one fetch of that page: `page_key` says which services share one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from . import detect, sources
from .catalog import CatalogError, Service, service_from_url
from .failures import INTERNAL, LINK_ONLY, Failure, Kind
from .fetch import TIMED_OUT, Fetcher, FetchResult
from .model import Snapshot
from .scope import missing, scope

# On these platforms the later endpoints stand in for the first when it fails; they are not
# extras to fetch every time (incident.io's /proxy JSON has all the compat summary has).
FALLBACK_PLATFORMS = frozenset({"incidentio"})

PageKey = tuple[str, tuple[str, ...]]


def page_key(service: Service) -> PageKey:
    """What identifies the page a service is read from: its platform and endpoint URLs."""
    if service.platform == "auto":
        return ("auto", (service.url,))
    return (service.platform, service.endpoints)


async def find_platform(fetcher: Fetcher, url: str) -> detect.Found | FetchResult:
    """Detect a page's platform within one deadline; a failure says why (and when to retry)."""
    try:
        async with asyncio.timeout(fetcher.deadline + 3):
            return await detect.detect(fetcher, url)
    except TimeoutError:
        return FetchResult(url, failure=TIMED_OUT)


def with_platform(service: Service, found: detect.Found) -> Service:
    return replace(service, platform=found[0], endpoints=found[1])


async def resolve(fetcher: Fetcher, service: Service) -> Service:
    """Fill in the platform of a service whose catalog entry left it to auto-detection."""
    if service.platform != "auto":
        return service
    found = await find_platform(fetcher, service.url)
    return service if isinstance(found, FetchResult) else with_platform(service, found)


def parse_page(service: Service, results: Sequence[FetchResult]) -> Snapshot:
    """The whole page from fetched bodies (the primary must have succeeded), not yet scoped."""
    bodies = [r.body for r in results if r.ok and r.body is not None]
    return sources.parse(service.platform, bodies, product=service.product, page_url=service.url)


def read(service: Service, results: Sequence[FetchResult]) -> Snapshot:
    """Parse fetched bodies (the primary must have succeeded) and narrow to the service's parts."""
    page = parse_page(service, results)
    snap = scope(page, service.components, host=page_host(service))
    if snap.note:
        _log_gone(service, page)
    return snap


def page_host(service: Service) -> str:
    """The status page's host name, as a note names it (e.g. status.openai.com)."""
    try:
        return urlsplit(service.url).hostname or ""
    except ValueError:
        return ""


# (service id, part) pairs already logged as gone: a page polled every minute must not fill
# the log with the same warning.
_logged_gone: set[tuple[str, str]] = set()


def _log_gone(service: Service, page: Snapshot) -> None:
    for part in missing(page, service.components):
        if (service.id, part) not in _logged_gone:
            _logged_gone.add((service.id, part))
            host = page_host(service) or "its page"
            logging.getLogger(__name__).warning("%s: %s no longer lists %r", service.id, host, part)


async def fetch_page(
    fetcher: Fetcher, platform: str, endpoints: Sequence[str], start: int = 0
) -> list[FetchResult]:
    """Fetch a page's endpoints; the first result is the primary body (or its failure).

    On a fallback platform only one endpoint is asked per poll while it answers; the next one
    is tried only after a failure that is the endpoint's own (not the network, not a Retry-After).
    """
    if platform not in FALLBACK_PLATFORMS:
        return list(await asyncio.gather(*(fetcher.get(url) for url in endpoints)))
    first: FetchResult | None = None
    for url in endpoints[start:]:
        result = await fetcher.get(url)
        if result.ok:
            return [result]
        first = first or result
        if result.network or result.retry_after is not None:
            break
    return [first or FetchResult("", failure=Failure(Kind.INTERNAL, "no endpoint"))]


async def check_page(
    fetcher: Fetcher, services: Sequence[Service]
) -> list[tuple[Service, Snapshot]]:
    """Check services that share one page: one detection, one fetch, one read per service."""
    now = datetime.now().astimezone()
    if services[0].link_only:
        return [(s, Snapshot.failed(LINK_ONLY, now)) for s in services]
    if services[0].platform == "auto":
        found = await find_platform(fetcher, services[0].url)
        if isinstance(found, FetchResult):
            return [(s, Snapshot.failed(found.failure or detect.NOT_FOUND, now)) for s in services]
        services = [with_platform(s, found) for s in services]
    first = services[0]
    results = await fetch_page(fetcher, first.platform, first.endpoints)
    if not results[0].ok:
        return [(s, Snapshot.failed(results[0].failure or INTERNAL, now)) for s in services]
    return [(s, read(s, results).at(now)) for s in services]


async def check(fetcher: Fetcher, service: Service) -> tuple[Service, Snapshot]:
    """Check once; every failure is an unknown snapshot with a short reason."""
    return (await check_page(fetcher, [service]))[0]


@dataclass(frozen=True, slots=True)
class PagePreview:
    """What a pasted status page URL turned out to be: its reading, and where it was found (so
    a page the user adds is not detected again at each start)."""

    snapshot: Snapshot
    platform: str = ""
    endpoint: str = ""


async def preview(fetcher: Fetcher, url: str) -> PagePreview:
    """Detect and read one status page URL, as the settings window's "Check" button does."""
    try:
        service = service_from_url(url)
    except CatalogError as exc:
        return PagePreview(Snapshot.failed(Failure(Kind.BAD_URL, str(exc)[:200])))
    service, snap = await check(fetcher, service)
    return PagePreview(snap, service.platform, service.endpoints[0] if service.endpoints else "")


async def check_all(
    services: Sequence[Service], fetcher: Fetcher | None = None
) -> list[tuple[Service, Snapshot]]:
    """Check many services concurrently with one client, fetching each page once."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    pages: dict[PageKey, list[int]] = {}
    for index, service in enumerate(services):
        pages.setdefault(page_key(service), []).append(index)
    try:
        done = await asyncio.gather(
            *(check_page(fetcher, [services[i] for i in idx]) for idx in pages.values())
        )
    finally:
        if own:
            await fetcher.aclose()
    out: list[tuple[Service, Snapshot] | None] = [None] * len(services)
    for idx, results in zip(pages.values(), done, strict=True):
        for i, result in zip(idx, results, strict=True):
            out[i] = result
    return [r for r in out if r is not None]
