"""Why a read failed, typed: a small set of kinds with a detail, and the one table of their words.

Failures are made at the edges (core/fetch.py translates httpx and OS errors, the parsers say
what is wrong with a payload, the monitor says "offline") and carried as values; every layer
that shows one, the tray, the windows and the command line alike, words it with `label()`.
No layer reads another's English: decisions look at the kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class Kind(enum.Enum):
    TIMEOUT = "timeout"
    DNS = "dns"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    CONNECT = "connect"  # the connection failed for another reason
    RESET = "reset"
    NETWORK = "network"  # a socket error outside the cases above
    TLS = "tls"
    TOO_LARGE = "too_large"
    HTTP_STATUS = "http_status"
    RATE_LIMITED = "rate_limited"  # 429, or 503 with a Retry-After
    REDIRECT = "redirect"
    BAD_URL = "bad_url"
    BAD_PAYLOAD = "bad_payload"
    NOT_A_STATUS_PAGE = "not_a_status_page"
    NO_FEED = "no_feed"  # a link-only service: nothing failed, there is nothing to read
    OFFLINE = "offline"
    NOT_CHECKED = "not_checked"
    INTERNAL = "internal"


# The failures that point at our own connectivity rather than at the page.
NETWORK_KINDS = frozenset(
    {
        Kind.TIMEOUT,
        Kind.DNS,
        Kind.REFUSED,
        Kind.UNREACHABLE,
        Kind.CONNECT,
        Kind.RESET,
        Kind.NETWORK,
        Kind.OFFLINE,
    }
)

# The words of each kind; a detail, where one is given, says it more precisely (see label()).
WORDS = {
    Kind.TIMEOUT: "timed out",
    Kind.DNS: "DNS lookup failed",
    Kind.REFUSED: "connection refused",
    Kind.UNREACHABLE: "network unreachable",
    Kind.CONNECT: "cannot connect",
    Kind.RESET: "connection reset",
    Kind.NETWORK: "network error",
    Kind.TLS: "TLS verification failed",
    Kind.TOO_LARGE: "too large",
    Kind.HTTP_STATUS: "HTTP error",
    Kind.RATE_LIMITED: "rate limited",
    Kind.REDIRECT: "too many redirects",
    Kind.BAD_URL: "bad URL",
    Kind.BAD_PAYLOAD: "bad payload",
    Kind.NOT_A_STATUS_PAGE: "not a status page",
    Kind.NO_FEED: "no public status feed",
    Kind.OFFLINE: "offline (no network)",
    Kind.NOT_CHECKED: "not checked yet",
    Kind.INTERNAL: "internal error",
}
NO_FEED = WORDS[Kind.NO_FEED]


@dataclass(frozen=True, slots=True)
class Failure:
    """One failure: its kind, and what makes it precise (a parser's reason, an HTTP status, the
    time a rate limit ends, the scheme a redirect pointed at)."""

    kind: Kind
    detail: str = ""
    status: int = 0
    until: datetime | None = None

    @property
    def network(self) -> bool:
        """The failure suggests we are offline, not that the page is broken."""
        return self.kind in NETWORK_KINDS


def label(failure: Failure) -> str:
    """The failure in a few words, as the tray, the windows and the command line show it."""
    kind, detail = failure.kind, failure.detail
    if kind is Kind.HTTP_STATUS:
        return _http(failure.status)
    if kind is Kind.RATE_LIMITED:
        return _rate_limited(failure)
    if kind is Kind.REDIRECT and detail:
        # Only an https page redirecting to plain http gets here with "http".
        return "redirect to insecure http" if detail == "http" else f"redirect to {detail}:"
    if kind is Kind.NOT_A_STATUS_PAGE and detail:
        return f"{WORDS[kind]} ({detail})"
    return detail or WORDS[kind]


def _http(status: int) -> str:
    if status == 404:
        return "not found (HTTP 404)"
    if status >= 500:
        return f"server error (HTTP {status})"
    return f"HTTP {status}"


def _rate_limited(failure: Failure) -> str:
    if failure.until is None:
        return "rate limited"
    until = failure.until.strftime("%H:%M")
    return f"unavailable until {until}" if failure.status == 503 else f"rate limited until {until}"


def bad_payload(detail: str) -> Failure:
    return Failure(Kind.BAD_PAYLOAD, detail)


NOT_CHECKED = Failure(Kind.NOT_CHECKED)
OFFLINE = Failure(Kind.OFFLINE)
INTERNAL = Failure(Kind.INTERNAL)
LINK_ONLY = Failure(Kind.NO_FEED)
