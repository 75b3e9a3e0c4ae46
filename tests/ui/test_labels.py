"""The words of ui/labels.py, as tables: what the Check button, the header and the rows say."""

from __future__ import annotations

import pytest

from outage_radar.core.check import preview
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.fetch import Fetcher
from outage_radar.ui.add_page import describe
from outage_radar.ui.labels import page_problem
from tests.fakeserver import refused_url, unresolvable_url


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (Failure(Kind.REFUSED), "Could not reach this address: connection refused."),
        (Failure(Kind.DNS), "Could not reach this address: DNS lookup failed."),
        (Failure(Kind.TIMEOUT), "Could not reach this address: timed out."),
        (Failure(Kind.TLS), "Could not reach this address: TLS verification failed."),
        (Failure(Kind.UNREACHABLE), "Could not reach this address: network unreachable."),
        (Failure(Kind.NOT_A_STATUS_PAGE), "Not recognised as a status page."),
        (
            Failure(Kind.NOT_A_STATUS_PAGE, "platform not recognised"),
            "Not recognised as a status page: platform not recognised.",
        ),
        (
            Failure(Kind.HTTP_STATUS, status=500),
            "Could not read a status page here: server error (HTTP 500).",
        ),
        (Failure(Kind.BAD_PAYLOAD, "bad JSON"), "Could not read a status page here: bad JSON."),
        (None, "Not recognised as a status page."),
    ],
)
def test_an_unreadable_url_says_what_failed(failure: Failure | None, words: str) -> None:
    assert page_problem(failure) == words


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (refused_url("/"), "Could not reach this address: connection refused."),
        (unresolvable_url("/"), "Could not reach this address: DNS lookup failed."),
    ],
    ids=["refused", "dns"],
)
async def test_check_on_an_unreachable_url_never_says_not_a_status_page(
    url: str, words: str
) -> None:
    fetcher = Fetcher(deadline=5)
    try:
        found = await preview(fetcher, url)
    finally:
        await fetcher.aclose()
    assert describe(found.snapshot) == words
