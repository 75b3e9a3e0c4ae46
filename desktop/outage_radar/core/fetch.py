"""The hardened HTTP fetcher: one client, a deadline, byte caps, conditional GET, Retry-After.

Every failure comes back as a FetchResult holding a typed `Failure` instead of an exception;
this module is the one edge where httpx and OS errors become failure kinds (`failure_of`).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import importlib.util
import ipaddress
import logging
import os
import socket
import ssl
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__
from .failures import Failure, Kind, bad_payload, label
from .urls import url_problem

MAX_RAW = 4 << 20
MAX_BODY = 8 << 20
DEADLINE = 12.0
MAX_REDIRECTS = 3
MAX_RETRY_AFTER = 3600.0
USER_AGENT = f"OutageRadar/{__version__} (+https://github.com/outage-radar/outage-radar)"
TIMED_OUT = Failure(Kind.TIMEOUT)
BAD_COMPRESSION = bad_payload("bad compressed body")
PROXY_VARIABLES = ("all_proxy", "http_proxy", "https_proxy")  # read in either case, as urllib
log = logging.getLogger(__name__)


Validators = tuple[str | None, str | None]  # (ETag, Last-Modified)


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    body: bytes | None = None
    status: int = 0
    not_modified: bool = False
    failure: Failure | None = None
    retry_after: float | None = None
    wire_bytes: int = 0
    etag: str | None = None  # the validators of the body, for a conditional GET later
    modified: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.body is not None

    @property
    def network(self) -> bool:
        """The failure points at our own connectivity (DNS, refused, unreachable, timeout)."""
        return self.failure is not None and self.failure.network

    @property
    def error(self) -> str | None:
        """The failure in words (failures.label)."""
        return label(self.failure) if self.failure is not None else None


class _TooLarge(Exception):
    pass


@dataclass(slots=True)
class _Cached:
    etag: str | None
    modified: str | None
    body: bytes


def ssl_context() -> ssl.SSLContext:
    """The OS trust store where truststore supports it, else the default verified context."""
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except Exception:  # truststore is best effort: fall back to certifi/system CA bundle
        return ssl.create_default_context()


class Fetcher:
    """Fetches status payloads; one long-lived httpx.AsyncClient shared by every service."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deadline: float = DEADLINE,
        max_raw: int = MAX_RAW,
        max_body: int = MAX_BODY,
        concurrency: int = 32,
        verify: ssl.SSLContext | bool | None = None,
    ) -> None:
        self.deadline = deadline
        self.max_raw = max_raw
        self.max_body = max_body
        self._cache: dict[str, _Cached] = {}
        self._gate = asyncio.Semaphore(concurrency)
        self.requests = 0
        self.not_modified = 0
        self.wire_bytes = 0
        checked_proxy_env()
        self._client = httpx.AsyncClient(
            transport=transport,
            verify=ssl_context() if verify is None else verify,
            trust_env=True,
            follow_redirects=False,
            timeout=httpx.Timeout(deadline, connect=min(5.0, deadline)),
            # The semaphore bounds the requests. The pool gets headroom so a freed slot never
            # waits for a connection, and keeps few idle ones: httpcore checks every pooled
            # connection for every queued request (measured: 1,000 pages in 1.9 s with 32/32,
            # 1.0 s with 64/20 on loopback). Twenty still covers the distinct hosts we watch.
            limits=httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=20),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json, application/atom+xml, application/rss+xml;q=0.9, "
                "*/*;q=0.5",
                # We decompress ourselves under a cap; brotli/zstd would bypass it.
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def forget(self, url: str) -> None:
        self._cache.pop(url, None)

    async def get(self, url: str, validators: Validators | None = None) -> FetchResult:
        """Fetch one URL within the overall deadline; never raises for network trouble.

        `validators` (ETag, Last-Modified) saved from an earlier run make the GET conditional
        when this client has no copy of its own: a 304 then comes back without a body."""
        async with self._gate:
            try:
                async with asyncio.timeout(self.deadline):
                    return await self._follow(url, validators)
            except TimeoutError:
                return FetchResult(url, failure=TIMED_OUT)

    async def _follow(self, url: str, validators: Validators | None) -> FetchResult:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            result, location = await self._once(url, current, validators)
            if location is None:
                return result
            target = urljoin(current, location)
            scheme = urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                return FetchResult(url, failure=Failure(Kind.REDIRECT, scheme or "nothing"))
            if urlsplit(current).scheme == "https" and scheme == "http":
                return FetchResult(url, failure=Failure(Kind.REDIRECT, "http"))
            current = target
        return FetchResult(url, failure=Failure(Kind.REDIRECT))

    async def _once(
        self, key: str, url: str, validators: Validators | None = None
    ) -> tuple[FetchResult, str | None]:
        headers: dict[str, str] = {}
        cached = self._cache.get(key)
        etag, modified = (cached.etag, cached.modified) if cached else (validators or (None, None))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        # Every URL we fetch, a redirect's target included, passes the one URL rule first: a
        # host httpx cannot encode would raise InvalidURL, which is no HTTPError.
        if problem := url_problem(url, http=True):
            return FetchResult(key, failure=Failure(Kind.BAD_URL, f"bad URL: {problem}")), None
        self.requests += 1
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = await self._client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError) as exc:
            return FetchResult(key, failure=failure_of(exc)), None
        # Closed explicitly, never left to a finalizer. WORKAROUND for qasync 0.28's run_forever
        # installing no async-generator hooks (https://github.com/CabbageDevelopment/qasync/pull/138
        # moved its examples to asyncio.run, which only shuts them down at the end); look again
        # when QEventLoop.run_forever calls sys.set_asyncgen_hooks.
        async with contextlib.aclosing(response):
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    return FetchResult(key, status=status, failure=_http_failure(status)), None
                return FetchResult(key, status=status), location
            if status == 304 and (cached is not None or validators):
                self.not_modified += 1
                if cached is None:  # the caller's validators: it keeps the body itself
                    return FetchResult(key, None, status, not_modified=True), None
                result = FetchResult(
                    key, cached.body, status, not_modified=True, etag=etag, modified=modified
                )
                return result, None
            if status >= 400:
                wait = retry_after(response.headers.get("retry-after"))
                failure = _http_failure(status, wait)
                return FetchResult(key, status=status, failure=failure, retry_after=wait), None
            try:
                raw = await self._read_raw(response)
                body = _decode(raw, response.headers.get("content-encoding", ""), self.max_body)
            except _TooLarge:
                return FetchResult(key, status=status, failure=Failure(Kind.TOO_LARGE)), None
            except httpx.HTTPError as exc:
                return FetchResult(key, status=status, failure=failure_of(exc)), None
            except (zlib.error, ValueError):
                return FetchResult(key, status=status, failure=BAD_COMPRESSION), None
        self.wire_bytes += len(raw)
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if etag or modified:
            self._cache[key] = _Cached(etag, modified, body)
        else:
            self._cache.pop(key, None)
        result = FetchResult(key, body, status, wire_bytes=len(raw), etag=etag, modified=modified)
        return result, None

    async def _read_raw(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_raw:
            raise _TooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > self.max_raw:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)


def _decode(raw: bytes, encoding: str, limit: int) -> bytes:
    """Decompress under our own cap so a gzip bomb stops at `limit` bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    else:
        raise ValueError(encoding)
    out = decoder.decompress(raw, limit + 1)
    if len(out) > limit or decoder.unconsumed_tail:
        raise _TooLarge
    return out


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    # ASCII only: "²".isdigit() is true and float("²") raises (a latin-1 header byte 0xB2).
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _http_failure(status: int, wait: float | None = None) -> Failure:
    """429, or 503 with a Retry-After, asks us to wait; any other status is the page's trouble."""
    if status == 429 or (status == 503 and wait is not None):
        until = datetime.fromtimestamp(time.time() + wait) if wait is not None else None
        return Failure(Kind.RATE_LIMITED, status=status, until=until)
    return Failure(Kind.HTTP_STATUS, status=status)


def failure_of(exc: BaseException) -> Failure:
    """The failure kind of an httpx, socket or URL error: the one place they are translated.

    Read from the exception types down the chain of causes (anyio hides the errno a few
    levels below httpx, and wraps several failed attempts in an exception group)."""
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return TIMED_OUT
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(list(_causes(exc)))
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | ValueError):
        return Failure(Kind.BAD_URL)
    if any(isinstance(c, httpx.InvalidURL) for c in _causes(exc)):
        # httpx reads a redirect's Location even when it follows none, and reports a host it
        # cannot encode there as a protocol error: the page is not broken, its link is.
        return Failure(Kind.BAD_URL, "bad URL: redirect to an invalid host")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return Failure(Kind.RESET)
    if isinstance(exc, httpx.TooManyRedirects):
        return Failure(Kind.REDIRECT)
    if isinstance(exc, httpx.DecodingError):
        return BAD_COMPRESSION
    return Failure(Kind.NETWORK)


def _connect_failure(causes: list[BaseException]) -> Failure:
    def seen(*types: type[BaseException]) -> bool:
        return any(isinstance(c, types) for c in causes)

    if seen(ssl.SSLError):
        return Failure(Kind.TLS)
    if seen(socket.gaierror):
        return Failure(Kind.DNS)
    if seen(ConnectionRefusedError):
        return Failure(Kind.REFUSED)
    unreachable = (errno.ENETUNREACH, errno.EHOSTUNREACH)
    if any(isinstance(c, OSError) and c.errno in unreachable for c in causes):
        return Failure(Kind.UNREACHABLE)
    return Failure(Kind.CONNECT)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups, bounded."""
    todo, seen = [exc], 0
    while todo and seen < 32:
        current = todo.pop()
        seen += 1
        yield current
        todo += [c for c in (current.__cause__, current.__context__) if c is not None]
        if isinstance(current, BaseExceptionGroup):
            todo += list(current.exceptions)[:8]


@functools.cache
def checked_proxy_env() -> tuple[str, ...]:
    """Check the proxy environment once per process; every place that builds a client calls it.

    httpx reads HTTP(S)_PROXY, ALL_PROXY and NO_PROXY when a client is built and raises on one
    it cannot use (a SOCKS proxy without socksio, an ftp:// proxy, a malformed URL or entry),
    which would end every command and the tray. Such a setting is logged once (a warning: on
    stderr too for the command line) and dropped from this process's environment, so no client
    and no "which proxy" answer (doctor.proxy_for) uses it. Returns the warnings."""
    problems: list[str] = []
    for name in sorted(os.environ):
        value = os.environ[name]
        if name.lower() in PROXY_VARIABLES and (problem := proxy_url_problem(value)):
            del os.environ[name]
            problems.append(f"{name} is ignored: {problem}")
        elif name.lower() == "no_proxy":
            entries = [e for e in (e.strip() for e in value.split(",")) if e]
            if bad := [e for e in entries if not _bypass_entry_ok(e)]:
                os.environ[name] = ",".join(e for e in entries if e not in bad)
                problems.append(f"{name}: ignored {', '.join(bad)} (not a host, address or URL)")
    for problem in problems:
        log.warning("proxy setting %s", problem)
    return tuple(problems)


def proxy_url_problem(value: str) -> str | None:
    """Why httpx could not use this proxy URL, or None (never quoting it: it may hold a password).

    SOCKS works when the optional socksio package is installed (httpx[socks])."""
    url = value.strip()
    if not url:
        return None  # httpx skips an empty setting
    url = url if "://" in url else f"http://{url}"  # a bare host:port means http, for httpx too
    scheme = url.partition("://")[0].lower()
    if scheme not in ("http", "https", "socks5", "socks5h"):
        return f"{scheme}:// proxies are not supported (only http, https and socks5)"
    if scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        return "a SOCKS proxy needs the socksio package (pip install 'httpx[socks]')"
    try:
        if not httpx.Proxy(url).url.host:
            return "the proxy URL has no host"
    except (httpx.InvalidURL, ValueError):
        return "the proxy URL is malformed"
    return None


def _bypass_entry_ok(entry: str) -> bool:
    """Whether httpx can read one NO_PROXY entry: it turns each into a URL pattern
    (httpx/_utils.py `get_environment_proxies`), and a malformed one raises InvalidURL."""
    if entry == "*" or "://" in entry:
        pattern = "all://" if entry == "*" else entry
    else:
        try:
            address = ipaddress.ip_address(entry.split("/")[0])
            pattern = f"all://[{entry}]" if address.version == 6 else f"all://{entry}"
        except ValueError:
            pattern = f"all://*{entry}"
    try:
        httpx.URL(pattern)
    except (httpx.InvalidURL, ValueError):
        return False
    return True
