"""Big pages: every component of a 1,000-part page counts, and a 10^5-part page stays bounded."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from outage_radar.core.model import Level, Snapshot
from outage_radar.core.scope import scope
from outage_radar.core.sources import cloudflare, datadog, instatus, statuspage
from outage_radar.core.sources.common import MAX_COMPONENTS

BAD = 400  # the 401st component


def parts(count: int, bad: str, good: str = "operational") -> list[dict[str, Any]]:
    return [
        {"id": f"c{i}", "name": f"Part {i}", "status": bad if i == BAD else good}
        for i in range(count)
    ]


def statuspage_body(count: int) -> bytes:
    return json.dumps({"components": parts(count, "major_outage"), "incidents": []}).encode()


PAGES: dict[str, tuple[Callable[[bytes], Snapshot], Callable[[int], bytes]]] = {
    "statuspage": (statuspage.parse, statuspage_body),
    "cloudflare": (
        cloudflare.parse,
        lambda n: json.dumps(
            {"success": True, "result": {"components": parts(n, "major_outage")}}
        ).encode(),
    ),
    "instatus": (
        instatus.parse,
        lambda n: json.dumps({"components": parts(n, "MAJOROUTAGE", "OPERATIONAL")}).encode(),
    ),
    "datadog": (
        datadog.parse,
        lambda n: json.dumps({"components": parts(n, "major_outage"), "incidents": []}).encode(),
    ),
}


@pytest.mark.parametrize("platform", sorted(PAGES))
def test_the_401st_of_1000_components_in_an_outage_is_read(platform: str) -> None:
    parse, body = PAGES[platform]
    snap = parse(body(1000))
    assert snap.error is None
    assert snap.level is Level.MAJOR_OUTAGE
    assert len(snap.components) == 1000


@pytest.mark.parametrize("platform", sorted(PAGES))
def test_a_service_scoped_to_the_401st_component_finds_it(platform: str) -> None:
    parse, body = PAGES[platform]
    mine = scope(parse(body(1000)), ["Part 400"])
    assert mine.note == ""  # not "the status page no longer lists 'Part 400'"
    assert [c.name for c in mine.components] == ["Part 400"]
    assert mine.level is Level.MAJOR_OUTAGE
    other = scope(parse(body(1000)), ["Part 999"])
    assert other.note == "" and other.level is Level.OPERATIONAL


def test_a_page_of_100000_components_stays_bounded() -> None:
    snap = statuspage.parse(statuspage_body(100_000))
    assert snap.error is None and len(snap.components) == MAX_COMPONENTS
    assert snap.level is Level.MAJOR_OUTAGE  # the 401st is within what is read
