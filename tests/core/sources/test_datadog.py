"""Datadog status pages (OpenRouter): the whole page in `config.json`.

Fixture `datadog_config.json` is our own, modelled on a real capture of status.openrouter.ai's
document: github.com/bentleypark/aiwatch worker/src/parsers/__tests__/fixtures/
openrouter-datadog-2026-09-15.json (captured 2026-09-15: `components[]` of `ComponentGroup` with
child `Component`s carrying `status`, `incidents[]` with `componentsAffected` (each part's status
now), `currentStatus`, `resolved`, `publishedDate`, `resolvedDate`, `timeline[]` newest first with
`startedAt` / `createdAt` / `description` / `status`, and `maintenances: null`). The part status
words are the ones peers read off the page's bundle (operational, degraded, partial_outage,
major_outage, maintenance). No capture had an open incident or any maintenance: the open
incident here is modelled on the resolved ones, and maintenance field names are unverified.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from outage_radar.core import sources
from outage_radar.core.model import Level
from outage_radar.core.scope import scope
from outage_radar.core.sources import datadog

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
CHAT = "Chat (/api/v1/chat/completions)"
WEB = "Web & Application Services"


def load() -> bytes:
    return (FIXTURES / "datadog_config.json").read_bytes()


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(load())
    return loaded


def test_page_with_an_open_incident() -> None:
    snap = datadog.parse(load())
    assert snap.error is None and snap.page_name == "Router"
    assert snap.level is Level.PARTIAL_OUTAGE
    parts = {c.name: (c.level, c.group) for c in snap.components}
    assert parts == {
        CHAT: (Level.PARTIAL_OUTAGE, "API - Gateway"),
        "Image (/api/v1/image)": (Level.OPERATIONAL, "API - Gateway"),
        "Embeddings (/api/v1/embeddings)": (Level.OPERATIONAL, "API - Gateway"),
        WEB: (Level.OPERATIONAL, None),
    }
    (inc,) = snap.incidents  # the resolved one is dropped
    assert inc.title == "Elevated 429s on chat completions"
    assert inc.level is Level.PARTIAL_OUTAGE and inc.stage == "identified"
    assert inc.started == datetime(2026, 9, 20, 8, tzinfo=UTC)
    assert inc.updated == datetime(2026, 9, 20, 8, 40, tzinfo=UTC)
    assert inc.latest_update == "We found the cause and are rolling out a fix."  # newest entry
    assert inc.components == ("a1c0ffee-0000-4000-8000-000000000011", CHAT)
    assert snap.maintenances == ()  # `maintenances: null` on the real page


def test_scoped_to_the_api_group_or_the_website() -> None:
    snap = datadog.parse(load())
    api = scope(snap, ["API - Gateway"])
    assert api.level is Level.PARTIAL_OUTAGE and len(api.incidents) == 1
    web = scope(snap, [WEB])
    assert web.level is Level.OPERATIONAL and web.incidents == ()


def test_all_clear() -> None:
    raw = data()
    raw["incidents"] = [i for i in raw["incidents"] if i["resolved"]]
    raw["components"][0]["components"][0]["status"] = "operational"
    snap = datadog.parse(json.dumps(raw).encode())
    assert snap.level is Level.OPERATIONAL and snap.incidents == ()


def test_open_incident_reads_its_parts_now_or_its_newest_update() -> None:
    raw = data()
    inc = raw["incidents"][0]
    del inc["componentsAffected"]  # falls back to the newest timeline entry
    inc["timeline"][0]["componentsAffected"][0]["status"] = "major_outage"
    assert datadog.parse(json.dumps(raw).encode()).incidents[0].level is Level.MAJOR_OUTAGE
    inc["timeline"] = []  # open with nothing said about its parts: still trouble
    assert datadog.parse(json.dumps(raw).encode()).incidents[0].level is Level.DEGRADED


def test_maintenance() -> None:
    raw = data()
    raw["incidents"] = []
    raw["maintenances"] = [
        {
            "id": "m1",
            "title": "Database upgrade",
            "currentStatus": "in_progress",
            "startDate": "2026-09-22T02:00:00Z",
            "endDate": "2026-09-22T04:00:00Z",
            "componentsAffected": [{"id": "a1c0ffee-0000-4000-8000-000000000002", "name": WEB}],
        },
        {"id": "m0", "title": "Old window", "currentStatus": "completed"},
    ]
    snap = datadog.parse(json.dumps(raw).encode())
    (m,) = snap.maintenances
    assert m.active and m.ends == datetime(2026, 9, 22, 4, tzinfo=UTC)
    assert scope(snap, [WEB]).level is Level.MAINTENANCE


def test_unknown_words_and_nesting() -> None:
    raw = data()
    raw["incidents"] = []
    raw["components"] = [
        {
            "type": "ComponentGroup",
            "name": "Outer",
            "components": [
                {
                    "type": "ComponentGroup",
                    "name": "Inner",
                    "components": [{"id": "x", "name": "X"}],
                }
            ],
        },
        {"id": "y", "name": "Y", "status": "sparkling", "type": "Component"},
    ]
    snap = datadog.parse(json.dumps(raw).encode())
    assert {c.name: (c.level, c.group) for c in snap.components} == {
        "X": (Level.UNKNOWN, "Outer"),
        "Y": (Level.UNKNOWN, None),
    }
    assert snap.level is Level.UNKNOWN and snap.error == "no status information on page"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        (b"<!DOCTYPE html><div id=root></div>", "not a status page (HTML)"),
        (b'{"name": "OpenRouter"}', "unexpected JSON shape"),
        (b'"config"', "unexpected JSON shape"),
        (b"{" * 100000, "bad JSON"),
    ],
)
def test_bad_input_is_unknown_with_a_reason(payload: bytes, reason: str) -> None:
    snap = datadog.parse(payload)
    assert snap.level is Level.UNKNOWN and snap.error == reason


def test_deep_component_tree_is_bounded() -> None:
    node: dict[str, Any] = {"id": "leaf", "name": "Leaf", "status": "major_outage"}
    for _ in range(400):
        node = {"type": "ComponentGroup", "name": "G", "components": [node]}
    snap = datadog.parse(json.dumps({"components": [node], "incidents": []}).encode())
    assert snap.error is None and snap.components == ()  # groups past 8 levels are not walked


def test_registry() -> None:
    page = "https://status.openrouter.ai"
    assert sources.guess_platform(page + "/config.json") is None  # too common a name alone
    assert sources.guess_platform("https://x.statuspage.datadoghq.com/config.json") == "datadog"
    assert sources.endpoints("datadog", page) == (page + "/config.json",)
    assert sources.endpoints("datadog", page + "/config.json") == (page + "/config.json",)
    assert sources.sniff(load()) == "datadog"
    assert sources.parse("datadog", [load()]).level is Level.PARTIAL_OUTAGE
