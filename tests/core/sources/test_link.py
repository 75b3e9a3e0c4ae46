"""Link-only services (Gemini on AI Studio, Midjourney, Mistral): no feed, never an error.

A page with no public feed we can read is listed with its links; the platform "link" fetches
nothing and reads as "no public status feed", whatever it is handed."""

from __future__ import annotations

import pytest

from outage_radar.core import sources
from outage_radar.core.catalog import parse_catalog
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.scope import scope


def test_link_fetches_nothing() -> None:
    assert "link" in sources.PLATFORMS
    assert sources.endpoints("link", "https://status.midjourney.com") == ()
    assert sources.endpoints("link", "aistudio.google.com/status") == ()
    with pytest.raises(ValueError):
        sources.endpoints("link", "javascript:alert(1)")  # still only web addresses


@pytest.mark.parametrize(
    "bodies",
    [[], [b""], [b"<html>challenge</html>"], [b'{"page": {}}'], ["text"], [None]],  # type: ignore[list-item]
)
def test_link_reads_as_no_feed(bodies: list[bytes]) -> None:
    snap = sources.parse("link", bodies, product="x", page_url="https://status.mistral.ai")
    assert snap == Snapshot.failed(Failure(Kind.NO_FEED))
    assert snap.level is Level.UNKNOWN and snap.error == sources.NO_FEED
    assert scope(snap, ["API"]) == snap


def test_catalog_accepts_a_link_only_service() -> None:
    table = {
        "id": "midjourney",
        "name": "Midjourney",
        "category": "media",
        "platform": "link",
        "url": "https://status.midjourney.com",
    }
    (builtin,) = parse_catalog({"service": [table]}, user=False, origin="test").services
    assert builtin.link_only and builtin.endpoints == ()
    (user,) = parse_catalog({"service": [table]}, user=True, origin="user").services
    assert user.link_only and user.links.status == "https://status.midjourney.com"
