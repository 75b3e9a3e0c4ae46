"""Issue 14 items 6 and 7 in the core: one URL rule for hosts httpx refuses, one proxy check.

A host that is not valid IDNA is refused by `url_problem` (so by the catalog) and is a
"bad URL" failure at fetch time, never an exception; a proxy setting httpx would refuse when a
client is built is dropped, with a warning, by `checked_proxy_env`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import httpx
import pytest

from outage_radar.core import fetch
from outage_radar.core.catalog import CatalogError, parse_catalog
from outage_radar.core.failures import Kind
from outage_radar.core.fetch import Fetcher
from outage_radar.core.urls import url_problem

BOOM = "https://💥.invalid/api/v2/summary.json"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (BOOM, "has a host name that is not valid IDNA"),
        ("https://999.1.1.1/", "has an invalid IPv4 address"),
        ("https://Bücher.example/", None),
        ("https://1.2.3.4/", None),
    ],
)
def test_url_problem_refuses_the_hosts_httpx_refuses(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem
    refused = False
    try:
        httpx.URL(url)
    except httpx.InvalidURL:
        refused = True
    assert refused == (problem is not None)


@pytest.mark.parametrize("field", ["url", "endpoint"])
@pytest.mark.parametrize("user", [True, False])
def test_the_catalog_validator_refuses_an_invalid_idna_host(field: str, user: bool) -> None:
    table = {"id": "boom", "name": "Boom", "category": "api", "platform": "statuspage"}
    table |= {"url": "https://status.example.com/", field: BOOM}
    with pytest.raises(CatalogError, match=f"{field} has a host name that is not valid IDNA"):
        parse_catalog({"service": [table]}, user=user, origin="test")


def fetch_once(url: str) -> fetch.FetchResult:
    async def once() -> fetch.FetchResult:
        fetcher = Fetcher()
        try:
            return await fetcher.get(url)
        finally:
            await fetcher.aclose()

    return asyncio.run(once())


def test_fetching_an_invalid_idna_host_is_a_bad_url_failure() -> None:
    result = fetch_once(BOOM)
    assert result.failure is not None and result.failure.kind is Kind.BAD_URL
    assert result.error == "bad URL: has a host name that is not valid IDNA"


REFUSED_BY_HTTPX = [
    ("ALL_PROXY", "socks5://127.0.0.1:1080"),
    ("HTTP_PROXY", "ftp://127.0.0.1:21"),
    ("HTTPS_PROXY", ":::"),
    ("https_proxy", "http://💥.invalid:3128"),
    ("NO_PROXY", "[::1"),
    ("NO_PROXY", "x:abc"),
    ("NO_PROXY", "::1/128"),
]
TAKEN_BY_HTTPX = [
    ("HTTP_PROXY", "127.0.0.1:3128"),
    ("HTTPS_PROXY", "http://user:secret@proxy.example:8080"),
    ("NO_PROXY", "::1,localhost,192.168.0.0/16,.example.com,*.example.org"),
    ("NO_PROXY", "*"),
]


@pytest.fixture
def fresh_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The proxy environment checked anew (it is checked once per process), and restored."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    fetch.checked_proxy_env.cache_clear()
    yield
    fetch.checked_proxy_env.cache_clear()


def httpx_builds_a_client() -> bool:
    try:
        httpx.Client(trust_env=True, verify=False).close()
    except Exception:
        return False
    return True


@pytest.mark.usefixtures("fresh_check")
@pytest.mark.parametrize(("name", "value"), REFUSED_BY_HTTPX + TAKEN_BY_HTTPX)
def test_the_proxy_check_drops_exactly_what_httpx_refuses(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    if name.lower() == "no_proxy":
        monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")  # NO_PROXY is read with one
    refused = not httpx_builds_a_client()
    with caplog.at_level(logging.WARNING, logger="outage_radar"):
        problems = fetch.checked_proxy_env()
        assert fetch.checked_proxy_env() is problems  # once per process
    assert bool(problems) == refused == ((name, value) in REFUSED_BY_HTTPX)
    assert len([r for r in caplog.records if name in r.getMessage()]) == int(refused)
    assert "secret" not in caplog.text
    assert httpx_builds_a_client()
