"""The fetcher against a local server: deadlines, caps, conditional GET, redirects, Retry-After."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from outage_radar.core.fetch import Fetcher, retry_after
from tests.fakeserver import FakeServer


async def fetch(url: str, **kwargs: float) -> tuple[Fetcher, object]:
    fetcher = Fetcher(**kwargs)  # type: ignore[arg-type]
    try:
        return fetcher, await fetcher.get(url)
    finally:
        await fetcher.aclose()


async def test_plain_body(server: FakeServer) -> None:
    url = server.set("/s.json", b'{"ok": true}')
    _, result = await fetch(url)
    assert result.ok and result.body == b'{"ok": true}' and result.status == 200


async def test_conditional_get_answers_304_with_the_cached_body(server: FakeServer) -> None:
    url = server.set("/s.json", b'{"v": 1}')
    fetcher = Fetcher()
    try:
        first = await fetcher.get(url)
        second = await fetcher.get(url)
        server.set("/s.json", b'{"v": 2}')
        third = await fetcher.get(url)
    finally:
        await fetcher.aclose()
    assert not first.not_modified
    assert second.not_modified and second.body == b'{"v": 1}' and second.wire_bytes == 0
    assert not third.not_modified and third.body == b'{"v": 2}'
    assert server.not_modified == 1


async def test_drip_is_cut_by_the_overall_deadline(server: FakeServer) -> None:
    url = server.fault("/drip", "drip")
    start = time.monotonic()
    _, result = await fetch(url, deadline=2.0)
    assert result.error == "timed out"
    assert time.monotonic() - start < 4


async def test_gzip_bomb_is_capped(server: FakeServer) -> None:
    url = server.fault("/bomb", "gzip_bomb")
    _, result = await fetch(url)
    assert result.error == "too large" and result.body is None


async def test_huge_body_is_capped(server: FakeServer) -> None:
    url = server.fault("/huge", "huge")
    _, result = await fetch(url)
    assert result.error == "too large"


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("rate_limit", "rate limited until"),
        ("rate_limit_date", "rate limited until"),
        ("unavailable", "unavailable until"),
        ("server_error", "server error (HTTP 500)"),
        ("redirect_loop", "too many redirects"),
        ("redirect_file", "redirect to file:"),
        ("reset", "connection reset"),
    ],
)
async def test_faults_have_short_reasons(server: FakeServer, fault: str, reason: str) -> None:
    url = server.fault("/f", fault)
    _, result = await fetch(url)
    assert result.error is not None and result.error.startswith(reason)


async def test_retry_after_is_reported_in_seconds(server: FakeServer) -> None:
    _, result = await fetch(server.fault("/r", "rate_limit"))
    assert result.retry_after == 120
    _, dated = await fetch(server.fault("/d", "rate_limit_date"))
    assert dated.retry_after is not None and 290 <= dated.retry_after <= 301


def test_retry_after_is_capped_and_garbage_ignored() -> None:
    assert retry_after("999999") == 3600
    assert retry_after("soon") is None
    assert retry_after("") is None


async def test_refused_connection() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    _, result = await fetch(f"http://127.0.0.1:{port}/x")
    assert result.error == "connection refused" and result.network


async def test_dns_failure_is_named() -> None:
    _, result = await fetch("https://no-such-host.invalid/status.json")
    assert result.error == "DNS lookup failed" and result.network


async def test_many_urls_share_one_client_concurrently(server: FakeServer) -> None:
    urls = [server.set(f"/p{i}", b"{}") for i in range(50)]
    fetcher = Fetcher()
    try:
        results = await asyncio.gather(*(fetcher.get(u) for u in urls))
    finally:
        await fetcher.aclose()
    assert all(r.ok for r in results)
