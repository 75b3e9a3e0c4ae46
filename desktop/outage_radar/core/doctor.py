"""The "Is it just me?" check: the status page, your own API probe and your connectivity, judged.

`verdict()` is pure; `diagnose()` gathers the three facts concurrently: a fresh read of the
status page, a probe with the stored key (read in a worker thread), and DNS plus an https reach
to a few neutral sites (settings.neutral_hosts; tests point them at loopback). Behind a proxy
(HTTPS_PROXY, ALL_PROXY, as httpx reads them) the sites are judged by a request through it:
the proxy resolves the names, so local DNS says nothing about the way out.
"""

from __future__ import annotations

import asyncio
import enum
import urllib.request
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import check, fetch
from .catalog import Service
from .credentials import CredentialError
from .failures import Failure, Kind, label
from .fetch import Fetcher
from .model import Level, Snapshot
from .probes import DEADLINE, Outcome, ProbeResult, may_carry_key, run_probe, ssl_context

NET_DEADLINE = 5.0
Resolver = Callable[[str, int], Awaitable[bool]]
KeyReader = Callable[[str], "str | None"]


class Verdict(enum.Enum):
    CONNECTION_DOWN = "connection_down"
    PROVIDER_DOWN = "provider_down"
    FAILING_FOR_YOU = "failing_for_you"
    ALL_GOOD = "all_good"
    UNCLEAR = "unclear"


HEADLINES = {
    Verdict.CONNECTION_DOWN: "Your connection is down",
    Verdict.PROVIDER_DOWN: "The provider is down for everyone",
    Verdict.FAILING_FOR_YOU: "Failing for you only: check your key, quota or network",
    Verdict.ALL_GOOD: "All good",
    Verdict.UNCLEAR: "Can't tell",
}


@dataclass(frozen=True, slots=True)
class HostCheck:
    url: str
    resolved: bool
    reached: bool
    detail: str = ""
    proxy: str = ""  # the proxy (host:port) the site was asked through; no local DNS then


@dataclass(frozen=True, slots=True)
class Connectivity:
    hosts: tuple[HostCheck, ...]

    @property
    def dns(self) -> bool:
        return any(h.resolved for h in self.hosts)

    @property
    def proxy(self) -> str:
        """The proxy the sites were asked through ("" without one)."""
        return next((h.proxy for h in self.hosts if h.proxy), "")

    @property
    def online(self) -> bool:
        return any(h.reached for h in self.hosts)

    def describe(self) -> str:
        reached = sum(h.reached for h in self.hosts)
        if not self.hosts:
            return "no neutral sites configured"
        if self.proxy:
            if not reached:
                return f"no neutral site answers through your proxy ({self.proxy})"
            return f"{reached} of {len(self.hosts)} neutral sites reachable through your proxy"
        if not self.dns:
            return "DNS lookups fail for every neutral site"
        return f"{reached} of {len(self.hosts)} neutral sites reachable"

    def to_json(self) -> dict[str, Any]:
        hosts = [
            {"url": h.url, "resolved": h.resolved, "reached": h.reached, "proxy": h.proxy or None}
            for h in self.hosts
        ]
        return {"online": self.online, "dns": self.dns, "proxy": self.proxy or None, "hosts": hosts}


@dataclass(frozen=True, slots=True)
class Report:
    service: Service
    verdict: Verdict
    summary: str
    page: Snapshot
    probe: ProbeResult | None
    key: str  # "stored", "missing", "no probe", or why the keyring could not be read
    net: Connectivity

    def lines(self) -> list[str]:
        page = self.page.level.label + (f" ({self.page.error})" if self.page.error else "")
        probe = self.probe.describe() if self.probe else self.key
        if self.key == "missing" and self.service.probe:
            probe = f"no key stored (outage-radar keys set {self.service.probe.key})"
        net = self.net.describe()
        return [f"Status page: {page}", f"Your API key: {probe}", f"Your connection: {net}"]

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service.id,
            "name": self.service.name,
            "verdict": self.verdict.value,
            "summary": self.summary,
            "page": {"level": self.page.level.value, "error": self.page.error},
            "probe": self.probe.to_json() if self.probe else None,
            "key": self.key,
        }


def verdict(page: Level, probe: ProbeResult | None, net: Connectivity) -> Verdict:
    """The plain answer from the three facts (pure)."""
    reached_api = probe is not None and probe.outcome not in (Outcome.TIMEOUT, Outcome.UNREACHABLE)
    if not net.online and page is Level.UNKNOWN and not reached_api:
        return Verdict.CONNECTION_DOWN
    if page.is_problem:
        return Verdict.PROVIDER_DOWN
    if probe is not None and not probe.ok:
        return Verdict.FAILING_FOR_YOU if page is not Level.UNKNOWN else Verdict.UNCLEAR
    if page is not Level.UNKNOWN or (probe is not None and probe.ok):
        return Verdict.ALL_GOOD
    return Verdict.UNCLEAR


_ADVICE = {
    Outcome.AUTH_FAILED: "the API refused your key ({d}): check it, or store a new one",
    Outcome.RATE_LIMITED: "the API says you are over your rate limit or quota ({d})",
    Outcome.SERVER_ERROR: "the API returns errors to you ({d}) while its page says all is well: "
    "an outage not acknowledged yet, or one limited to your account or region",
    Outcome.TIMEOUT: "the API does not answer you ({d}) while other sites do: "
    "check your VPN, proxy or firewall",
    Outcome.UNREACHABLE: "the API cannot be reached from here ({d}) while other sites can: "
    "check your VPN, proxy, firewall or DNS",
    Outcome.REDIRECTED: "the API redirected you ({d}): a proxy or captive portal in the way?",
    Outcome.BAD_RESPONSE: "the API answered oddly ({d}): a proxy or captive portal in the way?",
}


def summarize(
    service: Service, result: Verdict, page: Snapshot, probe: ProbeResult | None, net: Connectivity
) -> str:
    head = HEADLINES[result]
    if result is Verdict.CONNECTION_DOWN:
        return f"{head}: {net.describe()}, and the status page cannot be read."
    if result is Verdict.PROVIDER_DOWN:
        tail = " Your own calls still get through." if probe and probe.ok else ""
        return f"{head}: the {service.name} status page says {page.level.label}.{tail}"
    if result is Verdict.FAILING_FOR_YOU and probe is not None:
        detail = probe.detail or probe.outcome.label
        return f"{head}. For {service.name}, {_ADVICE[probe.outcome].format(d=detail)}."
    if result is Verdict.ALL_GOOD:
        facts = (
            [f"the status page says {page.level.label}"] if page.level is not Level.UNKNOWN else []
        )
        if probe is not None:
            facts.append(f"your key works ({probe.latency_ms} ms)")
        return f"{head}: {' and '.join(facts)}."
    why = page.error or "unknown error"
    if probe is not None:
        return f"{head}: the status page cannot be read ({why}); your probe: {probe.describe()}."
    return f"{head}: the status page cannot be read ({why}) and there is no key to test the API."


def neutral_url(entry: str) -> str | None:
    """A neutral site as an https URL; a bare host name means https://host/."""
    entry = entry.strip()
    url = entry if "://" in entry else f"https://{entry}/"
    return url if may_carry_key(url) else None  # https, or http on loopback (tests)


def proxy_for(url: str) -> str:
    """The proxy a request to `url` goes through, as host:port ("" for none).

    Read from the environment the way httpx reads it (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
    NO_PROXY); never with its credentials, which must not reach a window or a log."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or _bypassed((parts.hostname or "").lower(), proxies.get("no", "")):
        return ""
    where = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    host = where.hostname or ""
    return f"{host}:{where.port}" if where.port else host


def _bypassed(host: str, no_proxy: str) -> bool:
    """NO_PROXY as httpx reads it: `*`, a host or address, `name` (it and its subdomains) or
    `.name` (its subdomains only)."""
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if "://" in entry:
            entry = urlsplit(entry).hostname or ""
        if entry == "*" or (entry and host == entry.strip("[]")):
            return True
        if entry and host.endswith("." + entry.lstrip(".")):
            return True
    return False


async def _resolves(host: str, port: int) -> bool:
    try:
        return bool(await asyncio.get_running_loop().getaddrinfo(host, port))
    except OSError:
        return False


async def connectivity(
    hosts: Sequence[str],
    *,
    resolver: Resolver | None = None,
    deadline: float = NET_DEADLINE,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Connectivity:
    """DNS and an https reach to each neutral site; any HTTP answer counts as reached."""
    urls = [u for h in hosts if (u := neutral_url(h))]
    resolve = resolver or _resolves
    fetch.checked_proxy_env()  # before proxy_for reads the environment, and the client

    async def one(client: httpx.AsyncClient, url: str) -> HostCheck:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        proxy = proxy_for(url)
        try:
            async with asyncio.timeout(deadline):
                if not proxy and not await resolve(host, port):
                    return HostCheck(url, False, False, label(Failure(Kind.DNS)))
                async with client.stream("GET", url) as response:
                    return HostCheck(url, True, True, f"HTTP {response.status_code}", proxy)
        except (TimeoutError, httpx.HTTPError, OSError) as exc:
            return HostCheck(url, not proxy, False, label(fetch.failure_of(exc)), proxy)

    async with httpx.AsyncClient(
        transport=transport,
        verify=ssl_context(),
        follow_redirects=False,  # any answer, a redirect included, proves the way out works
        timeout=httpx.Timeout(deadline),
    ) as client:
        return Connectivity(tuple(await asyncio.gather(*(one(client, u) for u in urls))))


async def _probe(
    service: Service, read_key: KeyReader | None, deadline: float
) -> tuple[ProbeResult | None, str]:
    if service.probe is None or read_key is None:
        return None, "no probe"
    try:
        secret = await asyncio.to_thread(read_key, service.probe.key)
    except CredentialError as exc:
        return None, str(exc)
    if not secret:
        return None, "missing"
    return await run_probe(service.id, service.probe, secret, deadline=deadline), "stored"


async def diagnose(
    services: Sequence[Service],
    *,
    fetcher: Fetcher,
    read_key: KeyReader | None,
    neutral_hosts: Sequence[str],
    resolver: Resolver | None = None,
    probe_deadline: float = DEADLINE,
) -> tuple[Connectivity, list[Report]]:
    """Run every check concurrently; one connectivity check serves all services."""
    net_task = connectivity(neutral_hosts, resolver=resolver)
    pages = asyncio.gather(*(check.check(fetcher, s) for s in services))
    probes = asyncio.gather(*(_probe(s, read_key, probe_deadline) for s in services))
    net, checked, probed = await asyncio.gather(net_task, pages, probes)
    reports = []
    for (service, page), (probe, key) in zip(checked, probed, strict=True):
        result = verdict(page.level, probe, net)
        text = summarize(service, result, page, probe, net)
        reports.append(Report(service, result, text, page, probe, key, net))
    return net, reports
