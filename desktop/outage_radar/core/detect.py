"""Find the platform behind a status page URL the user pasted, by URL shape then by content."""

from __future__ import annotations

from urllib.parse import urlsplit

from . import sources
from .failures import Failure, Kind
from .fetch import Fetcher, FetchResult

# Tried in order for a bare base URL; Statuspage's path also answers on incident.io pages.
_CANDIDATES = (
    "/api/v2/summary.json",
    "/summary.json",
    "/index.json",
    "/history.atom",
    "/feed.rss",
    "/feed.xml",
)
NOT_FOUND = Failure(Kind.NOT_A_STATUS_PAGE)

Found = tuple[str, tuple[str, ...]]


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def detect(fetcher: Fetcher, url: str) -> Found | FetchResult:
    """The platform and endpoints for `url`, or the failure that ended the search.

    The search stops at the first answer that asks us to wait (429, 503 with Retry-After) or
    that says the host cannot be reached: asking six more URLs of it would be rude or pointless.
    """
    guessed = sources.guess_platform(url)
    if guessed is not None:
        return guessed, sources.endpoints(guessed, url)
    candidates = [url] if urlsplit(url).path.strip("/") else []
    candidates += [_base(url) + path for path in _CANDIDATES]
    for candidate in candidates:
        result = await fetcher.get(candidate)
        if not result.ok or result.body is None:
            if result.network or result.retry_after is not None or result.status in (429, 503):
                return result
            continue
        platform = sources.sniff(result.body)
        if platform is None:
            continue
        # A found endpoint is used as is: an incident.io page without its /proxy JSON still
        # answers the Statuspage-compatible summary, which its parser reads.
        return platform, (candidate,)
    return FetchResult(url, failure=NOT_FOUND)
