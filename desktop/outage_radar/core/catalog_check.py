"""Catalog drift for maintainers: does each entry's page answer, on its platform, with its parts?

Pages rename parts and move platforms more often than anything else breaks (PROVIDERS.md), and
a catalog fix needs a release to reach users, so `outage-radar catalog check` runs this weekly
against the live pages. Fetching is here; judging one entry (`assess`) is a pure function.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from . import sources
from .catalog import Service
from .check import parse_page, resolve
from .fetch import Fetcher, FetchResult
from .model import Component, Level
from .scope import Found, find, loose

OK = "ok"
DRIFT = "drift"
LINK_ONLY = "link only"
RETRY_PAUSE = 2.0  # seconds before the one retry of a page that failed on the network


@dataclass(frozen=True, slots=True)
class EntryReport:
    """What one catalog entry looks like against its live page; `problems` say why it drifted."""

    id: str
    name: str
    state: str
    platform: str
    endpoint: str = ""
    platform_seen: str | None = None
    level: Level | None = None
    missing: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (the catalog's name, the page's nearest name)
    problems: tuple[str, ...] = ()

    @property
    def drift(self) -> bool:
        return self.state == DRIFT


def assess(service: Service, results: Sequence[FetchResult]) -> EntryReport:
    """Judge one entry from its endpoints' fetch results (in `service.endpoints` order)."""
    report = EntryReport(service.id, service.name, OK, service.platform)
    if service.link_only:
        return replace(report, state=LINK_ONLY)
    if service.platform == "auto" or not results:
        return replace(report, state=DRIFT, problems=("platform not recognised",))
    primary = results[0]
    report = replace(report, endpoint=primary.url)
    if not primary.ok or primary.body is None:
        return replace(report, state=DRIFT, problems=(f"page does not answer: {primary.error}",))
    seen = sources.sniff(primary.body)
    page = parse_page(service, results)
    problems: list[str] = []
    # Readers newer than sniff() may read a body it cannot place: the reader decides then.
    if seen is not None and seen != service.platform:
        problems.append(f"platform changed: expected {service.platform}, page looks like {seen}")
    elif seen is None and page.level is Level.UNKNOWN:
        problems.append(f"platform not recognised (expected {service.platform})")
    if page.level is Level.UNKNOWN:
        problems.append(f"reader gets nothing: {page.error or 'unknown'}")
    missing, renamed = _parts(service, page.components) if page.components else ((), ())
    problems += [f"missing part '{name}'" for name in missing]
    problems += [f"renamed? '{name}' is now '{found}'" for name, found in renamed]
    return replace(
        report,
        state=DRIFT if problems else OK,
        platform_seen=seen,
        level=page.level,
        missing=missing,
        renamed=renamed,
        problems=tuple(problems),
    )


def _parts(
    service: Service, components: Sequence[Component]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Named parts gone from the page, and parts found only by the loose rule (with the match)."""
    missing: list[str] = []
    renamed: list[tuple[str, str]] = []
    for name in (n.strip() for n in service.components if n.strip()):
        how, found = find(components, name)
        if how is Found.MISSING:
            missing.append(name)
        elif how is Found.LOOSE:
            renamed.append((name, _nearest(found[0], name)))
    return tuple(missing), tuple(renamed)


def _nearest(component: Component, name: str) -> str:
    """The page's spelling a loose match went through: the group's when the name was a group."""
    if component.group and loose(component.name) != loose(name):
        return component.group
    return component.name


async def _fetch_each(fetcher: Fetcher, urls: Iterable[str]) -> dict[str, FetchResult]:
    """Every URL once; a network failure or server error gets one more try after a pause."""
    wanted = list(dict.fromkeys(urls))
    got = dict(zip(wanted, await asyncio.gather(*(fetcher.get(u) for u in wanted)), strict=True))
    again = [u for u, r in got.items() if not r.ok and (r.network or r.status >= 500)]
    if again:
        # A weekly job that fails on one dropped connection teaches people to ignore it.
        await asyncio.sleep(RETRY_PAUSE)
        got |= zip(again, await asyncio.gather(*(fetcher.get(u) for u in again)), strict=True)
    return got


async def check_catalog(
    services: Sequence[Service], fetcher: Fetcher | None = None
) -> list[EntryReport]:
    """Fetch every entry's endpoints once (entries on one page share the fetch) and judge each."""
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        polled = [s for s in services if not s.link_only]
        found = await asyncio.gather(*(resolve(fetcher, s) for s in polled))
        resolved = {s.id: r for s, r in zip(polled, found, strict=True)}
        entries = [resolved.get(s.id, s) for s in services]
        got = await _fetch_each(
            fetcher, (u for s in entries if s.platform != "auto" for u in s.endpoints)
        )
        return [assess(s, [got[u] for u in s.endpoints if u in got]) for s in entries]
    finally:
        if own:
            await fetcher.aclose()
