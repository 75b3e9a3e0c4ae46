"""Statuspage summary parsing: levels, groups, incidents, maintenances and the known traps.

The monitoring and list fixtures keep the field structure of real captures in ../shared/samples
(our own values): statuspage_summary_monitoring.json and statuspage_incidents.json follow
githubstatus.com's `/api/v2/incidents.json` (emmettmccann/gitdown test/fixtures/incidents.json:
incidents with `incident_updates[].affected_components` old/new status and `components[]` that
carry each part's status now) inside the summary layout of status.claude.com's trimmed capture;
statuspage_scheduled_maintenances.json follows discordstatus.com's
`/api/v2/scheduled-maintenances.json` (Dziurwa14/discord-undoc.github.io src/status_api.md:
`scheduled_for`/`scheduled_until`, updates scheduled -> in_progress -> verifying -> completed).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import statuspage
from outage_radar.core.sources.common import MAX_COMPONENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


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
    assert snap.description == "Partial System Outage"
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
        # A list body is read (see test_list_bodies), but null is no list: nothing to go on.
        {"page": {"name": "x"}, "incidents": None},
        {"incidents": []},  # no page: not a body of this API at all
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
    count = MAX_COMPONENTS + 300
    comps = [{"id": f"c{i}", "name": f"C{i}", "status": "operational"} for i in range(count)]
    incs = [
        {"id": f"i{i}", "name": "x" * 5000, "status": "investigating", "impact": "minor"}
        for i in range(300)
    ]
    snap = statuspage.parse(json.dumps({"components": comps, "incidents": incs}).encode())
    assert len(snap.components) == MAX_COMPONENTS
    assert len(snap.incidents) == 50
    assert len(snap.incidents[0].title) <= 300


def test_monitoring_incident_reads_what_the_page_says_now() -> None:
    snap = statuspage.parse(load("statuspage_summary_monitoring.json"))
    (inc,) = snap.incidents
    # impact still says "major" (the worst it reached); the indicator says minor and its
    # component is degraded_performance: degraded, not partial outage.
    assert inc.stage == "monitoring" and inc.impact == "major"
    assert inc.level is Level.DEGRADED
    assert snap.level is Level.DEGRADED
    assert inc.latest_update == "A fix has been implemented and we are monitoring the results."


def test_monitoring_incident_never_below_what_its_parts_say() -> None:
    data = json.loads(load("statuspage_summary_monitoring.json"))
    data["components"][0]["status"] = "partial_outage"
    assert statuspage.parse(json.dumps(data).encode()).incidents[0].level is Level.PARTIAL_OUTAGE
    # Before the fix (identified), the author's impact is today's reading and stands.
    data["components"][0]["status"] = "degraded_performance"
    data["incidents"][0]["status"] = "identified"
    snap = statuspage.parse(json.dumps(data).encode())
    assert snap.incidents[0].level is Level.PARTIAL_OUTAGE
    # No indicator and none of its parts on the page: nothing says otherwise, the impact stands.
    data["incidents"][0]["status"] = "monitoring"
    data["components"] = []
    del data["status"]
    snap = statuspage.parse(json.dumps(data).encode())
    assert snap.incidents[0].level is Level.PARTIAL_OUTAGE


def test_incident_list_counts_only_unresolved() -> None:
    snap = statuspage.parse(load("statuspage_incidents.json"))
    assert snap.error is None and snap.page_name == "Acme AI"
    assert [(i.id, i.level) for i in snap.incidents] == [
        ("a1b2c3d4e5f6", Level.PARTIAL_OUTAGE),
        # monitoring with impact critical, its component degraded_performance now
        ("g7h8j9k0l1m2", Level.DEGRADED),
    ]  # resolved and postmortem ones are history
    assert snap.level is Level.PARTIAL_OUTAGE
    assert snap.incidents[0].url == "https://stspg.io/acmea1b2"
    assert snap.components == ()  # an incident's parts are not the page's list
    data = json.loads(load("statuspage_incidents.json"))
    data["incidents"] = [i for i in data["incidents"] if i["status"] in ("resolved", "postmortem")]
    history = statuspage.parse(json.dumps(data).encode())
    assert history.level is Level.OPERATIONAL and history.incidents == ()


def test_unresolved_list_empty_is_operational() -> None:
    body = {"page": {"id": "q4x7m2vd8kzt", "name": "Acme AI"}, "incidents": []}
    snap = statuspage.parse(json.dumps(body).encode())
    assert snap.level is Level.OPERATIONAL and snap.error is None


def test_scheduled_maintenance_lists() -> None:
    snap = statuspage.parse(load("statuspage_scheduled_maintenances.json"))
    assert snap.level is Level.MAINTENANCE  # one is in progress
    running, planned = snap.maintenances  # the completed one is over
    assert running.active and running.components == ("c7k2p9rx4mwd", "Chat API")
    assert running.ends == datetime(2026, 3, 3, 11, tzinfo=UTC)
    assert not planned.active and planned.starts == datetime(2026, 3, 10, 2, tzinfo=UTC)
    data = json.loads(load("statuspage_scheduled_maintenances.json"))
    data["scheduled_maintenances"] = data["scheduled_maintenances"][1:]  # upcoming.json
    upcoming = statuspage.parse(json.dumps(data).encode())
    assert upcoming.level is Level.OPERATIONAL and len(upcoming.maintenances) == 1


def test_maintenance_in_an_incident_list_is_maintenance() -> None:
    data = json.loads(load("statuspage_scheduled_maintenances.json"))
    body = {"page": data["page"], "incidents": data["scheduled_maintenances"]}
    snap = statuspage.parse(json.dumps(body).encode())
    assert snap.incidents == () and snap.level is Level.MAINTENANCE
    assert [m.id for m in snap.maintenances] == ["k1l2m3n4p5q6", "r7s8t9u0v1w2"]
