"""Statuspage summary parsing: levels, groups, incidents, maintenances and the known traps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import statuspage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_indicator_none_with_open_incident_is_not_operational() -> None:
    snap = statuspage.parse(load("statuspage_summary_trap.json"))
    assert snap.error is None
    assert snap.level is Level.DEGRADED
    assert snap.page_name == "Acme AI"
    assert [i.id for i in snap.incidents] == ["inc-open"]  # resolved and postmortem dropped
    inc = snap.incidents[0]
    assert inc.level is Level.DEGRADED and inc.impact == "none" and inc.stage == "monitoring"
    assert inc.latest_update == "A fix has been deployed.\nWe are monitoring."
    assert inc.started == datetime(2026, 3, 1, 8, 55, tzinfo=UTC)
    assert inc.updated == datetime(2026, 3, 1, 9, 45, tzinfo=UTC)
    assert inc.components == ()
    # A javascript: shortlink is dropped and replaced by the page's own incident URL.
    assert inc.url == "https://status.acme.test/incidents/inc-open"


def test_groups_are_not_components_and_children_carry_group_name() -> None:
    snap = statuspage.parse(load("statuspage_summary_trap.json"))
    by_name = {c.name: c for c in snap.components}
    assert set(by_name) == {"Chat", "Voice", "API"}
    assert by_name["Chat"].group == "Assistant"
    assert by_name["Voice"].group == "Assistant"  # listed only in the group's components
    assert by_name["API"].group is None
    assert all(c.level is Level.OPERATIONAL for c in snap.components)


def test_maintenances_listed_completed_dropped() -> None:
    snap = statuspage.parse(load("statuspage_summary_trap.json"))
    assert [m.id for m in snap.maintenances] == ["m-sched"]
    m = snap.maintenances[0]
    assert not m.active and m.stage == "scheduled" and m.url == "https://stspg.io/m1"
    assert m.starts == datetime(2026, 3, 5, 2, tzinfo=UTC)
    assert m.ends == datetime(2026, 3, 5, 4, tzinfo=UTC)
    assert m.components == ("cmp3", "API")


def test_outage_page() -> None:
    snap = statuspage.parse(load("statuspage_summary_outage.json"))
    assert snap.level is Level.MAJOR_OUTAGE
    assert snap.page_name == "Widget Cloud"  # bidi override stripped
    assert snap.extra["description"] == "Partial System Outage"
    levels = {c.name: (c.level, c.group) for c in snap.components}
    assert levels == {
        "API": (Level.MAJOR_OUTAGE, "Core"),
        "Web app": (Level.DEGRADED, "Core"),
        "Batch jobs": (Level.MAINTENANCE, None),
        "Realtime": (Level.UNKNOWN, None),
        "Search": (Level.PARTIAL_OUTAGE, None),
    }
    first, overran, mystery = snap.incidents
    assert first.title == "API is down for everyone"
    assert first.level is Level.MAJOR_OUTAGE and first.stage == "identified"
    assert first.latest_update == "Cause found & fix underway."  # newest by display_at
    assert first.components == ("c-api", "API", "c-web", "Web app")
    assert first.url == "https://stspg.io/inc1"
    assert overran.level is Level.MAINTENANCE and overran.components == ()
    assert mystery.level is Level.DEGRADED and mystery.impact == "catastrophic"
    assert [(m.id, m.active) for m in snap.maintenances] == [("m-run", True), ("m-ver", True)]
    assert snap.maintenances[0].url == "https://status.widget.test/incidents/m-run"


def test_indicator_alone_and_components_alone() -> None:
    only_status = {"status": {"indicator": "critical"}}
    assert statuspage.parse(json.dumps(only_status).encode()).level is Level.MAJOR_OUTAGE
    only_components = {"components": [{"id": "a", "name": "A", "status": "partial_outage"}]}
    assert statuspage.parse(json.dumps(only_components).encode()).level is Level.PARTIAL_OUTAGE
    maint = {"status": {"indicator": "maintenance"}, "components": []}
    assert statuspage.parse(json.dumps(maint).encode()).level is Level.MAINTENANCE


def test_missing_keys_are_unknown_not_operational() -> None:
    for payload in (
        {"page": {"name": "x"}},
        {"page": {"name": "x"}, "incidents": []},
        {"id": "inc", "status": "resolved", "components": []},  # an incident, not a summary
    ):
        snap = statuspage.parse(json.dumps(payload).encode())
        assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape"
    empty_status = statuspage.parse(b'{"status": {}, "components": []}')
    assert empty_status.level is Level.UNKNOWN and empty_status.error


def test_bad_bodies_have_short_reasons() -> None:
    cases = {
        b"": "empty response",
        b"   \n": "empty response",
        b"<!DOCTYPE html><html></html>": "not a status page (HTML)",
        b"{nope": "bad JSON",
        b"[1, 2]": "unexpected JSON shape",
        b"\xff\xfe\x00": "bad JSON",
    }
    for body, reason in cases.items():
        snap = statuspage.parse(body)
        assert snap.level is Level.UNKNOWN
        assert snap.error == reason


def test_caps_and_text_limits() -> None:
    comps = [{"id": f"c{i}", "name": f"C{i}", "status": "operational"} for i in range(500)]
    incs = [
        {"id": f"i{i}", "name": "x" * 5000, "status": "investigating", "impact": "minor"}
        for i in range(300)
    ]
    snap = statuspage.parse(json.dumps({"components": comps, "incidents": incs}).encode())
    assert len(snap.components) == 200
    assert len(snap.incidents) == 50
    assert len(snap.incidents[0].title) <= 300
