"""Flashduty (DeepSeek) `summary/active`: parts, sections, open changes, scoping, bad input.

Fixture `flashduty_summary.json` is our own, modelled on real DeepSeek captures: the data
object in github.com/bentleypark/aiwatch worker/src/__tests__/fixtures/deepseek-flashduty-v4.json
and deepseek-flashduty.json (captured July-August 2026: `page.components[]` with `section_id`,
`page.sections[]`, `active_changes[]` with `affected_components[].status` and `updates[]` of
`at_seconds` / `component_changes`), wrapped in the API's `{"request_id", "data"}` envelope
as two public DeepSeek clients decode it (a Swift menubar app's ServiceStatusClientTests and a C#
DeepSeekMonitor reading `data.items`, 2026; their repository names did not come through the code
index). No capture had an open change or a maintenance: those shapes, and the maintenance stage
words, are modelled on the resolved changes and are unverified.
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
from outage_radar.core.sources import flashduty
from outage_radar.core.sources.common import MAX_COMPONENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
PAGE = "https://status.deepseek.com"
PRO = "Acme V4 Pro API服务(API Service)"
CHAT = "对话服务(Chat Service)"


def load() -> bytes:
    return (FIXTURES / "flashduty_summary.json").read_bytes()


def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(load())
    return loaded


def test_open_incident_degrades_its_part_and_the_page() -> None:
    snap = flashduty.parse(load(), page_url=PAGE)
    assert snap.error is None and snap.page_name == "Acme Models"
    assert snap.level is Level.PARTIAL_OUTAGE
    parts = {c.name: (c.level, c.group) for c in snap.components}
    assert parts == {
        PRO: (Level.PARTIAL_OUTAGE, None),
        "Acme V4 Flash API服务(API Service)": (Level.OPERATIONAL, None),
        "快速模式(Instant Mode)": (Level.OPERATIONAL, CHAT),
        "搜索服务(Search Service)": (Level.OPERATIONAL, CHAT),  # its maintenance hasn't started
    }
    (inc,) = snap.incidents  # the resolved change is dropped
    assert inc.id == "7300000000101" and inc.stage == "identified"
    assert inc.level is Level.PARTIAL_OUTAGE and inc.impact == "partial_outage"
    assert inc.started == datetime(2026, 9, 20, 8, tzinfo=UTC)
    assert inc.updated == datetime(2026, 9, 20, 8, 12, tzinfo=UTC)
    assert inc.latest_update.endswith("a fix is being implemented.")
    assert inc.components == ("01ACMEAPIPRO000000000000001", PRO)


def test_scheduled_maintenance_listed_not_active() -> None:
    (m,) = flashduty.parse(load()).maintenances
    assert m.id == "7300000000102" and m.stage == "scheduled" and not m.active
    assert m.starts == datetime(2026, 9, 22, 2, tzinfo=UTC)
    assert m.ends == datetime(2026, 9, 22, 4, tzinfo=UTC)
    assert m.components == ("01ACMECHATSEARCH000000000004", "搜索服务(Search Service)")


def test_running_maintenance_puts_its_part_in_maintenance() -> None:
    raw = data()
    raw["data"]["active_changes"] = [dict(raw["data"]["active_changes"][1], status="ongoing")]
    snap = flashduty.parse(json.dumps(raw).encode())
    assert snap.level is Level.MAINTENANCE and snap.maintenances[0].active
    search = next(c for c in snap.components if c.name.startswith("搜索"))
    assert search.level is Level.MAINTENANCE


def test_scoped_to_api_part_and_to_chat_section() -> None:
    snap = flashduty.parse(load(), page_url=PAGE)
    api = scope(snap, [PRO])
    assert api.level is Level.PARTIAL_OUTAGE and [i.id for i in api.incidents] == ["7300000000101"]
    chat = scope(snap, [CHAT])  # a section is a group of parts
    assert chat.level is Level.OPERATIONAL and chat.incidents == ()
    assert [m.id for m in chat.maintenances] == ["7300000000102"]


def test_all_clear_and_unwrapped_data() -> None:
    raw = data()
    raw["data"]["active_changes"] = []
    snap = flashduty.parse(json.dumps(raw["data"]).encode())  # the data object alone reads too
    assert snap.level is Level.OPERATIONAL and snap.error is None and len(snap.components) == 4


def test_open_change_with_unknown_words_still_counts() -> None:
    raw = data()
    change = raw["data"]["active_changes"][0]
    change["affected_components"][0]["status"] = "melting"
    change["updates"] = []
    snap = flashduty.parse(json.dumps(raw).encode())
    assert snap.incidents[0].level is Level.DEGRADED
    change["affected_components"][0]["status"] = "operational"  # open, yet every part reads fine
    assert flashduty.parse(json.dumps(raw).encode()).incidents[0].level is Level.DEGRADED


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        (b"<!DOCTYPE html><html>blocked</html>", "not a status page (HTML)"),
        (b"{oops", "bad JSON"),
        (b"[1, 2]", "unexpected JSON shape"),
        (b'{"request_id": "x", "data": null}', "unexpected JSON shape"),
        (b'{"error": {"code": "NotFound"}}', "status page answered with an error"),
        (json.dumps({"data": {"page": "x" * 5000}}).encode(), "unexpected JSON shape"),
    ],
)
def test_bad_input_is_unknown_with_a_reason(payload: bytes, reason: str) -> None:
    snap = flashduty.parse(payload)
    assert snap.level is Level.UNKNOWN and snap.error == reason


def test_hostile_fields_are_contained() -> None:
    raw = data()
    change = raw["data"]["active_changes"][0]
    change["title"] = "<script>x</script>\u202e" + "A" * 5000
    change["url"] = "javascript:alert(1)"
    change["start_at_seconds"] = 1e300
    change["updates"] = [{"at_seconds": "soon", "description": 7}] * 500
    raw["data"]["page"]["components"] *= MAX_COMPONENTS
    snap = flashduty.parse(json.dumps(raw).encode())
    assert snap.error is None and len(snap.components) == MAX_COMPONENTS
    inc = snap.incidents[0]
    assert inc.url is None and inc.started is None and len(inc.title) <= 300


def test_registry() -> None:
    api = "https://status.deepseek.com/api/status-page/6410630422455/summary/active"
    assert sources.guess_platform(api) == "flashduty"
    assert sources.guess_platform("https://x.test/api/status-page/my-slug") is None  # Uptime Kuma
    assert sources.endpoints("flashduty", api) == (api,)
    prefix = "https://api.flashcat.cloud/status-page/6410630422455"
    assert sources.endpoints("flashduty", prefix) == (prefix + "/summary/active",)
    assert sources.sniff(load()) == "flashduty"
    assert sources.parse("flashduty", [load()], page_url=PAGE).level is Level.PARTIAL_OUTAGE
