"""Cloudflare Status v3 `/api/v3/summary`: Replicate, Workers AI and AI Gateway on one page.

Fixture `cloudflare_summary.json` is our own. No raw capture of `/api/v3/summary` was found in
public repositories; its shape follows the field names peers read from the live endpoint:
github.com/bentleypark/aiwatch worker/src/parsers/cloudflare-status.ts and
worker/src/__tests__/cloudflare-status.test.ts (September 2026: `{success, result: {components
[{id, name, status}], active_incidents [{id, name, status, impact, created_at, starts_at,
components [{id, name}], last_update {status, message, created_at}}], recent_incidents,
active_maintenances}}`, ~470 components of which one is Replicate `fvgfcmy66tdr`), and the
`/api/v3/history` items a public incident-history scraper reads (`id, name, impact, starts_at,
created_at, resolved_at`). Component ids of Workers AI and AI Gateway are from PROVIDERS.md.
Maintenance field names and any grouping of parts in v3 are unverified.
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
from outage_radar.core.sources import cloudflare
from outage_radar.core.sources.common import MAX_COMPONENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
PAGE = "https://www.cloudflarestatus.com"


def load() -> bytes:
    return (FIXTURES / "cloudflare_summary.json").read_bytes()


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(load())
    return loaded


def test_summary() -> None:
    snap = cloudflare.parse(load(), page_url=PAGE)
    assert snap.error is None
    assert snap.level is Level.DEGRADED
    parts = {c.name: c.level for c in snap.components}
    assert parts["Workers AI"] is Level.DEGRADED and parts["Replicate"] is Level.OPERATIONAL
    assert parts["Lagos, Nigeria - (LOS)"] is Level.MAINTENANCE
    # Data centres go after the product parts, whatever the page order.
    assert [c.name for c in snap.components][-2:] == [
        "Lagos, Nigeria - (LOS)",
        "Frankfurt, Germany - (FRA)",
    ]
    first, second = snap.incidents  # the resolved one in recent_incidents is not open
    assert first.id == "tstinc0workersai" and first.level is Level.DEGRADED
    assert first.stage == "identified" and first.impact == "minor"
    assert first.started == datetime(2026, 9, 20, 7, 55, tzinfo=UTC)
    assert first.updated == datetime(2026, 9, 20, 8, 12, tzinfo=UTC)
    assert first.latest_update.startswith("The issue has been identified")
    assert first.url == "https://www.cloudflarestatus.com/incidents/tstinc0workersai"
    assert first.components == ("zvm7mqn92xzc", "Workers AI")
    assert second.components == ("tst1aa1cdn001", "Cloudflare Sites and Services")
    (m,) = snap.maintenances
    assert m.active and m.stage == "in_progress"
    assert m.ends == datetime(2026, 9, 20, 10, tzinfo=UTC)


def test_scoped_services() -> None:
    snap = cloudflare.parse(load(), page_url=PAGE)
    workers_ai = scope(snap, ["Workers AI"])
    assert workers_ai.level is Level.DEGRADED
    assert [i.id for i in workers_ai.incidents] == ["tstinc0workersai"]
    # An incident that names Replicate in its title but is attached to another part stays out.
    replicate = scope(snap, ["Replicate"])
    assert replicate.level is Level.OPERATIONAL and replicate.incidents == ()
    gateway = scope(snap, ["AI Gateway"])
    assert gateway.level is Level.OPERATIONAL and gateway.maintenances == ()


def test_component_cap_keeps_product_parts() -> None:
    raw = data()
    count = MAX_COMPONENTS + 50
    codes = [chr(65 + i % 26) + chr(65 + i // 26 % 26) + "Q" for i in range(count)]  # like IATA
    locations = [
        {"id": f"loc{i:04d}", "name": f"City {i}, Country - ({code})", "status": "operational"}
        for i, code in enumerate(codes)
    ]
    raw["result"]["components"] = locations + raw["result"]["components"]
    snap = cloudflare.parse(json.dumps(raw).encode())
    assert len(snap.components) == MAX_COMPONENTS
    names = {c.name for c in snap.components}
    assert {"Replicate", "Workers AI", "AI Gateway", "Workers"} <= names
    # A catalog `product` (ids or names) goes first of all.
    pinned = cloudflare.parse(json.dumps(raw).encode(), product="fvgfcmy66tdr, Workers AI")
    assert [c.name for c in pinned.components[:2]] == ["Replicate", "Workers AI"]


def test_groups_when_the_page_has_them() -> None:
    raw = data()
    raw["result"]["components"] = [
        {"id": "g1", "name": "AI", "group": True, "components": ["fvgfcmy66tdr"]},
        {"id": "fvgfcmy66tdr", "name": "Replicate", "status": "partial_outage", "group_id": "g1"},
        {"id": "g2", "name": "Developer Platform", "components": [{"id": "w", "name": "Workers"}]},
    ]
    raw["result"]["active_incidents"] = []
    raw["result"]["active_maintenances"] = []
    snap = cloudflare.parse(json.dumps(raw).encode())
    parts = {c.name: (c.level, c.group) for c in snap.components}
    assert parts == {
        "Replicate": (Level.PARTIAL_OUTAGE, "AI"),
        "Workers": (Level.UNKNOWN, "Developer Platform"),
    }
    assert snap.level is Level.PARTIAL_OUTAGE
    assert scope(snap, ["AI"]).level is Level.PARTIAL_OUTAGE


def test_all_clear_and_components_document() -> None:
    raw = data()
    raw["result"]["active_incidents"] = []
    raw["result"]["active_maintenances"] = []
    for c in raw["result"]["components"]:
        c["status"] = "operational"
    assert cloudflare.parse(json.dumps(raw).encode()).level is Level.OPERATIONAL
    listing = {"success": True, "result": raw["result"]["components"]}  # /api/v3/components
    snap = cloudflare.parse(json.dumps(listing).encode())
    assert snap.level is Level.OPERATIONAL and len(snap.components) == 7
    # A summary without parts borrows them from the optional components document.
    bare = {"success": True, "result": {"active_incidents": []}}
    both = cloudflare.parse(json.dumps(bare).encode(), json.dumps(listing).encode())
    assert len(both.components) == 7


def test_statuspage_v2_summary_still_reads() -> None:
    v2 = {
        "page": {"id": "yh6f0r4529hb", "name": "Cloudflare", "url": PAGE},
        "status": {"indicator": "minor", "description": "Minor Service Outage"},
        "components": [{"id": "fvgfcmy66tdr", "name": "Replicate", "status": "major_outage"}],
        "incidents": [],
    }
    snap = cloudflare.parse(json.dumps(v2).encode())
    assert snap.level is Level.MAJOR_OUTAGE and snap.page_name == "Cloudflare"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        (b"<!doctype html><title>Just a moment...</title>", "not a status page (HTML)"),
        (b"[]", "unexpected JSON shape"),
        (b'{"success": true, "result": {}}', "unexpected JSON shape"),
        (b'{"success": false, "errors": [{"code": 10000}]}', "status page answered with an error"),
        (b'{"success": true, "result": {"status": "sideways"}}', "no status information on page"),
        (b'{"success": true, "result": {"active_incidents": []}}', "no status information on page"),
    ],
)
def test_bad_input_is_unknown_with_a_reason(payload: bytes, reason: str) -> None:
    snap = cloudflare.parse(payload)
    assert snap.level is Level.UNKNOWN and snap.error == reason


def test_hostile_incident_fields() -> None:
    raw = data()
    inc = raw["result"]["active_incidents"][0]
    inc["shortlink"] = "javascript:alert(1)"
    inc["id"] = "../../x"
    inc["name"] = "\u202e" + "B" * 9000
    inc["components"] = [{"id": "zvm7mqn92xzc"}] * 10000
    snap = cloudflare.parse(json.dumps(raw).encode())
    first = snap.incidents[0]
    assert first.url is not None and first.url.startswith("https://")
    assert len(first.title) <= 300 and first.components == ("zvm7mqn92xzc", "Workers AI")


def test_registry() -> None:
    assert sources.guess_platform(PAGE + "/api/v3/summary") == "cloudflare"
    assert sources.guess_platform(PAGE + "/api/v3/incidents.atom") == "feed"
    assert sources.endpoints("cloudflare", PAGE) == (PAGE + "/api/v3/summary",)
    assert sources.endpoints("cloudflare", PAGE + "/api/v3/components") == (
        PAGE + "/api/v3/components",
    )
    assert sources.sniff(load()) == "cloudflare"
    replicate = sources.parse("cloudflare", [load()], product="fvgfcmy66tdr", page_url=PAGE)
    assert replicate.components[0].name == "Replicate"
