"""detect as a table: what a pasted URL turns out to be, and when the search stops."""

from __future__ import annotations

from typing import Any

import pytest

from outage_radar.core import detect
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.fetch import FetchResult
from tests import payloads

BASE = "https://status.acme.example"
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Acme</title></channel></rss>'
HTML = b"<!doctype html><html><body>Acme status</body></html>"


class Pages:
    """A fetcher that answers from a table; anything else is a 404. It records what was asked."""

    def __init__(self, answers: dict[str, FetchResult | bytes]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def get(self, url: str) -> FetchResult:
        self.asked.append(url)
        found = self.answers.get(url)
        if isinstance(found, bytes):
            return FetchResult(url, found, 200)
        return found or FetchResult(url, status=404, failure=Failure(Kind.HTTP_STATUS, status=404))


def failed(kind: Kind, status: int = 0, retry_after: float | None = None) -> FetchResult:
    return FetchResult(
        "", status=status, failure=Failure(kind, status=status), retry_after=retry_after
    )


SUMMARY = f"{BASE}/api/v2/summary.json"
# (what, pasted URL, answers, found (platform, endpoints) or failure kind, URLs asked)
CASES: list[tuple[str, str, dict[str, Any], object, list[str]]] = [
    ("the URL's shape says it", SUMMARY, {}, ("statuspage", (SUMMARY,)), []),
    (
        "a bare page: its Statuspage summary",
        BASE,
        {SUMMARY: payloads.summary()},
        ("statuspage", (SUMMARY,)),
        [SUMMARY],
    ),
    (
        "a bare page: a feed further down the list",
        BASE + "/",
        {f"{BASE}/feed.rss": RSS},
        ("feed", (f"{BASE}/feed.rss",)),
        [
            SUMMARY,
            f"{BASE}/summary.json",
            f"{BASE}/index.json",
            f"{BASE}/history.atom",
            f"{BASE}/feed.rss",
        ],
    ),
    (
        "a page with a path is asked first",
        f"{BASE}/status",
        {f"{BASE}/status": RSS},
        ("feed", (f"{BASE}/status",)),
        [f"{BASE}/status"],
    ),
    (
        "a web page, not a feed, anywhere",
        BASE,
        {SUMMARY: HTML},
        Kind.NOT_A_STATUS_PAGE,
        [
            SUMMARY,
            *(
                BASE + p
                for p in ("/summary.json", "/index.json", "/history.atom", "/feed.rss", "/feed.xml")
            ),
        ],
    ),
    (
        "a rate limit stops the search",
        BASE,
        {SUMMARY: failed(Kind.RATE_LIMITED, 429, 60.0)},
        Kind.RATE_LIMITED,
        [SUMMARY],
    ),
    (
        "a 503 stops it too",
        BASE,
        {SUMMARY: failed(Kind.HTTP_STATUS, 503)},
        Kind.HTTP_STATUS,
        [SUMMARY],
    ),
    ("so does our own network", BASE, {SUMMARY: failed(Kind.DNS)}, Kind.DNS, [SUMMARY]),
]


@pytest.mark.parametrize(
    ("url", "answers", "found", "asked"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
async def test_detect(url: str, answers: dict[str, Any], found: object, asked: list[str]) -> None:
    pages = Pages(answers)
    got = await detect.detect(pages, url)  # type: ignore[arg-type]
    if isinstance(found, Kind):
        assert (
            isinstance(got, FetchResult) and got.failure is not None and got.failure.kind is found
        )
    else:
        assert got == found
    assert pages.asked == asked
