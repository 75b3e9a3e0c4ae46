"""Core benchmarks: CPU per poll (304 and changed), RSS over 1,000 poll cycles, bytes on the wire,
and 1,000 custom pages in one cycle. The status server runs in its own process."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from datetime import datetime, timedelta

import httpx

from outage_radar.core import check
from outage_radar.core.catalog import Service
from outage_radar.core.fetch import Fetcher
from outage_radar.core.monitor import Monitor
from tests.benchmarks.common import page_urls, rss_mib, served


def _service(i: int, url: str) -> Service:
    return Service(id=f"p{i}", name=f"Page {i}", url=url, platform="statuspage", endpoints=(url,))


async def cpu_per_poll(url: str, n: int = 300) -> tuple[float, float]:
    """Process CPU ms per poll of one page: unchanged (304, no parse) and changed (200 + parse)."""
    service = _service(0, url)
    fetcher = Fetcher()
    try:
        await fetcher.get(url)
        start = time.process_time()
        for _ in range(n):
            result = await fetcher.get(url)
            assert result.not_modified
        unchanged = (time.process_time() - start) / n * 1000
        start = time.process_time()
        for _ in range(n):
            fetcher.forget(url)  # no validators: the server sends the page and we parse it
            result = await fetcher.get(url)
            check.read(service, [result])
        changed = (time.process_time() - start) / n * 1000
    finally:
        await fetcher.aclose()
    return unchanged, changed


async def bare_304(url: str, n: int = 300) -> float:
    """The floor for the 304 path: httpx alone asking with the page's ETag."""
    async with httpx.AsyncClient() as client:
        tag = (await client.get(url)).headers["etag"]
        start = time.process_time()
        for _ in range(n):
            response = await client.get(url, headers={"If-None-Match": tag})
            assert response.status_code == 304
        return (time.process_time() - start) / n * 1000


class Clock:
    def __init__(self) -> None:
        self.mono = 0.0
        self.wall = datetime.now().astimezone()

    def now(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.mono


async def rss_over_cycles(base: str, services: int, cycles: int) -> tuple[float, float, float]:
    """RSS (MiB) after a warm-up and after `cycles` rounds polling every service; wire bytes."""
    urls = page_urls(base, services)
    clock = Clock()
    monitor = Monitor([_service(i, u) for i, u in enumerate(urls)], interval=60, clock=clock)
    async with httpx.AsyncClient() as probe:
        wire0 = int((await probe.get(base + "/_bytes")).text)
        polls = 0
        for n in range(cycles + 50):
            await monitor.poll_due()
            polls += 1
            clock.mono += 66.0  # past the longest jittered interval: every service is due
            clock.wall += timedelta(seconds=66)
            if n == 49:
                gc.collect()
                before = rss_mib_self()
                wire_start = int((await probe.get(base + "/_bytes")).text)
        gc.collect()
        after = rss_mib_self()
        wire = int((await probe.get(base + "/_bytes")).text) - wire_start
    await monitor.stop()
    del wire0
    per_poll = wire / (cycles * services)
    return before, after, per_poll * 60  # one poll a minute: bytes per hour per service


def rss_mib_self() -> float:
    import os

    return rss_mib(os.getpid())


async def scale(base: str, pages: int) -> tuple[float, float]:
    """Seconds for one cycle over `pages` pages at bounded concurrency, and the RSS after."""
    urls = page_urls(base, pages)
    fetcher = Fetcher()
    start = time.perf_counter()
    results = await check.check_all([_service(i, u) for i, u in enumerate(urls)], fetcher)
    took = time.perf_counter() - start
    await fetcher.aclose()
    assert all(s.error is None for _, s in results)
    return took, rss_mib_self()


def run(cycles: int = 1000, services: int = 20) -> dict[str, float]:
    out: dict[str, float] = {}
    with served(services) as base:
        first = page_urls(base, 1)[0]
        out["cpu_304_ms"], out["cpu_changed_ms"] = asyncio.run(cpu_per_poll(first))
        out["bare_304_ms"] = asyncio.run(bare_304(first))
        before, after, per_hour = asyncio.run(rss_over_cycles(base, services, cycles))
        out.update(rss_before=before, rss_after=after, bytes_per_hour=per_hour)
    with served(1000) as base:
        out["scale_1000_s"], out["scale_1000_rss"] = asyncio.run(scale(base, 1000))
    return out


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 200), indent=1))
