"""Better Stack index.json parsing: aggregate state, sections as groups, reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import betterstack

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_index() -> None:
    snap = betterstack.parse(load("betterstack_index.json"))
    assert snap.error is None and snap.page_name == "Hugging Things"
    assert snap.level is Level.DEGRADED  # aggregate_state is trusted over the resources
    comps = {c.name: (c.level, c.group) for c in snap.components}
    assert comps == {
        "Website": (Level.OPERATIONAL, "Hub"),
        "Git LFS": (Level.DEGRADED, "Hub"),
        "Serverless API": (Level.MAJOR_OUTAGE, "Inference"),
        "Spaces": (Level.UNKNOWN, None),
    }
    (inc,) = snap.incidents  # the resolved report with a null ends_at is not open
    assert inc.title == "Slow LFS uploads" and inc.level is Level.DEGRADED
    assert inc.latest_update == "Uploads recovering."
    assert inc.updated == datetime(2026, 3, 3, 8, 5, tzinfo=UTC)
    assert inc.components == ("102", "Git LFS")
    (m,) = snap.maintenances
    assert m.active and m.title == "Inference cluster upgrade"
    assert m.components == ("103", "Serverless API")


def test_states() -> None:
    for state, level in (
        ("operational", Level.OPERATIONAL),
        ("degraded", Level.DEGRADED),
        ("downtime", Level.MAJOR_OUTAGE),
        ("maintenance", Level.MAINTENANCE),
    ):
        body = {"data": {"type": "status_page", "attributes": {"aggregate_state": state}}}
        assert betterstack.parse(json.dumps(body).encode()).level is level


def test_missing_aggregate_falls_back_to_resources() -> None:
    body = {
        "data": {"type": "status_page", "attributes": {}},
        "included": [
            {
                "type": "status_page_resource",
                "id": "1",
                "attributes": {"public_name": "A", "status": "downtime"},
            }
        ],
    }
    assert betterstack.parse(json.dumps(body).encode()).level is Level.MAJOR_OUTAGE
    bare = betterstack.parse(b'{"data": {"type": "status_page", "attributes": {}}}')
    assert bare.level is Level.UNKNOWN and bare.error


def test_shape_errors() -> None:
    for body in (b"{}", b"[]", b'{"data": []}', b'{"data": {"type": "monitor", "attributes": {}}}'):
        snap = betterstack.parse(body)
        assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape"
