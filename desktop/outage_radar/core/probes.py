"""Direct API probes: one cheap authenticated read per service, classified into a few outcomes.

A probe carries the user's key, so it is careful where the key goes: exactly one request to the
probe URL, never a redirect (httpx keeps custom auth headers such as `x-api-key` across a
cross-origin redirect), its own short-lived client (no cookies or connections shared with the
status fetcher), an overall deadline and a small read cap. Results never hold the key.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from . import fetch
from .catalog import Probe
from .failures import label
from .urls import url_problem

DEADLINE = 10.0
PEEK = 64 << 10  # enough to see whether a 2xx body is JSON; the rest is never read


class Outcome(enum.Enum):
    OK = "ok"
    AUTH_FAILED = "auth_failed"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    REDIRECTED = "redirected"
    BAD_RESPONSE = "bad_response"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One probe of one service: what happened, how fast, and when. Never the key."""

    service: str
    outcome: Outcome
    checked_at: datetime
    latency_ms: int | None = None  # time to the response headers; None without a response
    http_status: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def describe(self) -> str:
        """'ok · 142 ms', 'key refused (HTTP 401)', 'unreachable (connection refused)'."""
        if self.ok:
            return f"ok · {self.latency_ms} ms"
        extra = self.detail or (f"HTTP {self.http_status}" if self.http_status else "")
        return f"{self.outcome.label} ({extra})" if extra else self.outcome.label

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "outcome": self.outcome.value,
            "latency_ms": self.latency_ms,
            "http_status": self.http_status,
            "checked_at": self.checked_at.isoformat(),
            "detail": self.detail,
        }


def may_carry_key(url: str) -> bool:
    """https anywhere, or plain http to this machine only (a user's fake API, e.g. in tests)."""
    return url_problem(url, loopback_http=True) is None


def auth_headers(probe: Probe, secret: str) -> dict[str, str]:
    headers = {"User-Agent": fetch.USER_AGENT, "Accept": "application/json"}
    headers["Accept-Encoding"] = "identity"  # we peek at raw bytes; nothing to decompress
    headers.update(probe.headers)
    if probe.auth == "bearer":
        headers["Authorization"] = f"Bearer {secret}"
    else:
        headers[probe.auth.removeprefix("header:")] = secret
    return headers


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The OS trust store (as the status fetcher uses), built once per process."""
    return fetch.ssl_context()


def _origin(base: str, location: str) -> str:
    try:
        parts = urlsplit(urljoin(base, location))
        host = parts.netloc.rpartition("@")[2]  # never repeat credentials from a Location
        return f"{parts.scheme}://{host}" if host else "elsewhere"
    except ValueError:
        return "elsewhere"


def classify(status: int, content_type: str, head: bytes) -> tuple[Outcome, str]:
    """The outcome of a response, from its status, content type and first bytes."""
    if 200 <= status < 300:
        if "json" in content_type.lower() or head.lstrip()[:1] in (b"{", b"["):
            return Outcome.OK, ""
        kind = content_type.split(";")[0].strip() or "no content type"
        return Outcome.BAD_RESPONSE, f"not JSON ({kind[:40]})"
    if 300 <= status < 400:
        return Outcome.REDIRECTED, ""
    if status in (401, 403):
        return Outcome.AUTH_FAILED, f"HTTP {status}"
    if status == 429:
        return Outcome.RATE_LIMITED, "HTTP 429"
    if status >= 500:
        return Outcome.SERVER_ERROR, f"HTTP {status}"
    return Outcome.BAD_RESPONSE, f"HTTP {status}"


async def run_probe(
    service: str,
    probe: Probe,
    secret: str,
    *,
    deadline: float = DEADLINE,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ProbeResult:
    """Probe once; every failure is an outcome, never an exception."""
    checked_at = datetime.now().astimezone()
    if not may_carry_key(probe.url):
        return ProbeResult(service, Outcome.BAD_RESPONSE, checked_at, detail="probe URL not https")
    secure = urlsplit(probe.url).scheme == "https"
    fetch.checked_proxy_env()  # a proxy setting httpx cannot use would raise below
    start = time.perf_counter()
    latency: int | None = None
    try:
        async with (
            asyncio.timeout(deadline),
            httpx.AsyncClient(
                transport=transport,
                verify=ssl_context() if secure else False,
                trust_env=secure,  # plain http only goes to loopback: never through a proxy
                follow_redirects=False,
                timeout=httpx.Timeout(deadline),
            ) as client,
        ):
            request = client.build_request("GET", probe.url, headers=auth_headers(probe, secret))
            response = await client.send(request, stream=True)
            latency = round((time.perf_counter() - start) * 1000)
            try:
                head = b""
                ctype = response.headers.get("content-type", "")
                if 200 <= response.status_code < 300 and "json" not in ctype.lower():
                    async for chunk in response.aiter_raw():
                        head += chunk
                        if len(head) >= PEEK:
                            break
            finally:
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        return ProbeResult(
            service, Outcome.TIMEOUT, checked_at, detail=f"no answer in {deadline:g} s"
        )
    except httpx.HTTPError as exc:
        reason = label(fetch.failure_of(exc))
        if latency is not None:  # the connection broke while we peeked at the body
            return ProbeResult(service, Outcome.BAD_RESPONSE, checked_at, latency, detail=reason)
        return ProbeResult(service, Outcome.UNREACHABLE, checked_at, detail=reason)
    except OSError as exc:
        detail = label(fetch.failure_of(exc))
        return ProbeResult(service, Outcome.UNREACHABLE, checked_at, detail=detail)
    outcome, detail = classify(response.status_code, ctype, head)
    if outcome is Outcome.REDIRECTED:
        detail = f"to {_origin(probe.url, response.headers.get('location', ''))}; not followed"
    return ProbeResult(service, outcome, checked_at, latency, response.status_code, detail)


BARS = "▁▂▃▄▅▆▇█"


def sparkline(results: list[ProbeResult]) -> str:
    """Latency of recent probes, oldest first; a failed probe is an ×."""
    times = [r.latency_ms for r in results if r.ok and r.latency_ms is not None]
    low, high = (min(times), max(times)) if times else (0, 0)
    out = []
    for r in results:
        if not r.ok or r.latency_ms is None:
            out.append("×")
        elif high == low:
            out.append(BARS[len(BARS) // 2])
        else:
            out.append(BARS[round((r.latency_ms - low) / (high - low) * (len(BARS) - 1))])
    return "".join(out)
