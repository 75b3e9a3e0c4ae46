"""Instatus summary parsing, with and without the optional components body.

instatus_v3_components.json follows status.wistia.com's live `/v3/components.json` (in
../shared/samples: `id`, `name`, `description`, `status` in capitals, `group` null), our values.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import instatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_summary_incidents_and_maintenances() -> None:
    snap = instatus.parse(load("instatus_summary.json"))
    assert snap.error is None and snap.page_name == "Vector Labs"
    assert snap.level is Level.PARTIAL_OUTAGE
    first, second = snap.incidents  # the RESOLVED one is dropped
    assert first.level is Level.PARTIAL_OUTAGE and first.stage == "identified"
    assert first.impact == "PARTIALOUTAGE"
    assert first.started == datetime(2026, 3, 3, 8, tzinfo=UTC)  # JavaScript date string
    assert first.url == "https://status.vector.test/incident/ckinc1"
    assert second.level is Level.DEGRADED and second.url is None  # file: URL dropped
    running, planned = snap.maintenances
    assert running.active and running.ends == datetime(2026, 3, 3, 9, tzinfo=UTC)
    assert not planned.active and planned.ends == datetime(2026, 3, 9, 7, 30, tzinfo=UTC)


def test_components_body_adds_components() -> None:
    snap = instatus.parse(load("instatus_summary.json"), load("instatus_components.json"))
    comps = {c.name: (c.level, c.group) for c in snap.components}
    assert comps == {
        "Embeddings API": (Level.PARTIAL_OUTAGE, "API"),
        "Chat API": (Level.PARTIAL_OUTAGE, "API"),
        "Dashboard": (Level.DEGRADED, None),
        "Docs": (Level.OPERATIONAL, None),
        "Search index": (Level.MAINTENANCE, None),
    }
    assert instatus.parse(load("instatus_summary.json"), b"<html>").components == ()


def test_page_status_words() -> None:
    for word, level in (
        ("UP", Level.OPERATIONAL),
        ("HASISSUES", Level.DEGRADED),
        ("UNDERMAINTENANCE", Level.MAINTENANCE),
    ):
        body = json.dumps({"page": {"name": "P", "status": word}}).encode()
        assert instatus.parse(body).level is level
    unknown = instatus.parse(b'{"page": {"name": "P", "status": "WHAT"}}')
    assert unknown.level is Level.UNKNOWN and unknown.error


def test_components_body_alone() -> None:
    # A pasted /v2/components.json (or /v3/): the parts' levels are all it says.
    snap = instatus.parse(load("instatus_v3_components.json"))
    assert snap.error is None and snap.level is Level.PARTIAL_OUTAGE
    assert [(c.name, c.level, c.group) for c in snap.components] == [
        ("Embeddings", Level.PARTIAL_OUTAGE, None),
        ("Chat", Level.DEGRADED, None),
        ("Dashboard", Level.OPERATIONAL, None),
    ]
    grouped = instatus.parse(load("instatus_components.json"))
    assert grouped.level is Level.PARTIAL_OUTAGE  # MINOROUTAGE and PARTIALOUTAGE, no major
    assert {c.group for c in grouped.components} == {"API", None}
    odd = instatus.parse(b'{"components": [{"id": "a", "name": "A", "status": "WEIRD"}]}')
    assert odd.level is Level.UNKNOWN and odd.error == "no status information on page"


def test_shape_errors() -> None:
    for body in (b"{}", b"[]", b'{"page": "x"}', b'{"components": []}'):
        snap = instatus.parse(body)
        assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape"


def test_bad_duration_is_harmless() -> None:
    body = {
        "page": {"status": "UP"},
        "activeMaintenances": [
            {
                "name": "a",
                "start": "2026-03-03T00:00:00Z",
                "duration": "nan",
                "status": "INPROGRESS",
            },
            {"name": "b", "start": "2026-03-03T00:00:00Z", "duration": "-1e308"},
            {"name": "c", "start": "2026-03-03T00:00:00Z", "duration": [1]},
        ],
    }
    snap = instatus.parse(json.dumps(body).encode())
    assert snap.level is Level.MAINTENANCE
    assert len(snap.maintenances) == 3
