"""incident.io parsing: the native proxy JSON, compat enrichment, compat-only and widget bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import incidentio

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
CONVERSATIONS = "01K5AAAAAAAAAAAAAAAAAAAAA1"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_proxy_components_groups_and_hidden() -> None:
    snap = incidentio.parse(load("incidentio_proxy.json"))
    assert snap.error is None
    assert snap.page_name == "Example AI"
    comps = {c.name: (c.level, c.group) for c in snap.components}
    assert comps == {
        "Conversations": (Level.PARTIAL_OUTAGE, "ChatGPT"),
        "Login": (Level.OPERATIONAL, "ChatGPT"),  # name from summary.components, unlisted = ok
        "CLI": (Level.DEGRADED, "Codex"),  # unknown affected status reads as degraded
        "Responses": (Level.OPERATIONAL, None),
    }
    # hidden component and hidden group are skipped, and so is their full outage
    assert snap.level is Level.PARTIAL_OUTAGE


def test_proxy_incidents() -> None:
    snap = incidentio.parse(load("incidentio_proxy.json"))
    assert [i.title for i in snap.incidents] == [
        "Elevated errors in ChatGPT",
        "Codex CLI login failures",
    ]
    first, second = snap.incidents
    assert first.level is Level.PARTIAL_OUTAGE and first.impact == "partial_outage"
    assert first.stage == "identified"
    assert first.latest_update == "We found the cause.\nA fix is rolling out."
    assert first.updated == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
    assert first.started == datetime(2026, 3, 3, 8, tzinfo=UTC)
    assert first.components == (CONVERSATIONS, "Conversations")
    assert first.url == "https://status.example-ai.test/incidents/01KZ9DMQD2GJ8JJWDN7572RH78"
    # null lists everywhere: still an open incident, so at least degraded
    assert second.level is Level.DEGRADED and second.components == () and second.latest_update == ""


def test_proxy_maintenance() -> None:
    snap = incidentio.parse(load("incidentio_proxy.json"))
    (m,) = snap.maintenances
    assert m.title == "Login provider upgrade" and not m.active and m.stage == "scheduled"
    assert m.starts == datetime(2026, 3, 10, 1, tzinfo=UTC)
    assert m.components == ("01K5AAAAAAAAAAAAAAAAAAAAA2", "Login")


def test_compat_body_enriches_impact() -> None:
    snap = incidentio.parse(load("incidentio_proxy.json"), load("incidentio_compat_summary.json"))
    first, second = snap.incidents
    assert first.level is Level.PARTIAL_OUTAGE and first.impact == "major"
    assert second.level is Level.MAJOR_OUTAGE and second.impact == "critical"
    assert second.latest_update == "Logins fail for some CLI users."
    assert snap.level is Level.MAJOR_OUTAGE


def test_bad_compat_body_is_ignored() -> None:
    plain = incidentio.parse(load("incidentio_proxy.json"))
    for extra in (b"", b"<html>404</html>", b"[]", b"{"):
        assert incidentio.parse(load("incidentio_proxy.json"), extra) == plain


def test_compat_summary_as_primary() -> None:
    snap = incidentio.parse(
        load("incidentio_compat_summary.json"), page_url="https://status.example-ai.test"
    )
    # indicator "none" but two open incidents, components null: the trap again
    assert snap.level is Level.MAJOR_OUTAGE
    assert snap.components == ()
    assert snap.maintenances == ()
    assert all(
        i.url and i.url.startswith("https://status.example-ai.test/incidents/01")
        for i in snap.incidents
    )


def test_compat_summary_without_status_or_components_is_unknown() -> None:
    for data in ({"page": {"id": "01JMDK9XYNY6RXSED6SDWW50WY"}, "incidents": None}, {"page": {}}):
        snap = incidentio.parse(json.dumps(data).encode())
        assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape"


def test_compat_incident_list_is_read() -> None:
    # incident.io answers the compat /api/v2/incidents.json too: {page, incidents} and no more.
    # An empty list is what it says when nothing is open.
    page = {"id": "01JMDK9XYNY6RXSED6SDWW50WY", "url": "https://status.example-ai.test/"}
    empty = incidentio.parse(json.dumps({"page": page, "incidents": []}).encode())
    assert empty.level is Level.OPERATIONAL and empty.error is None
    compat = json.loads(load("incidentio_compat_summary.json"))
    listed = {"page": page, "incidents": compat["incidents"]}
    snap = incidentio.parse(json.dumps(listed).encode())
    assert snap.level is Level.MAJOR_OUTAGE and len(snap.incidents) == 2


def test_compat_monitoring_incident_reads_what_the_page_says_now() -> None:
    snap = incidentio.parse(load("incidentio_compat_summary_monitoring.json"))
    (inc,) = snap.incidents
    assert inc.stage == "monitoring" and inc.impact == "major"
    assert inc.level is Level.DEGRADED  # indicator minor, Responses degraded_performance
    assert snap.level is Level.DEGRADED


def test_proxy_monitoring_incident_settles_on_component_statuses() -> None:
    # The proxy has no impact of its own, so the compat copy's "critical" (the worst reached)
    # would be read; once monitoring, the component's status now decides.
    proxy = json.loads(load("incidentio_proxy.json"))
    summary = proxy["summary"]
    summary["ongoing_incidents"] = summary["ongoing_incidents"][:1]
    summary["ongoing_incidents"][0]["status"] = "monitoring"
    summary["affected_components"] = [
        {"component_id": CONVERSATIONS, "status": "degraded_performance"}
    ]
    compat = json.loads(load("incidentio_compat_summary.json"))
    compat["incidents"][0]["impact"] = "critical"
    snap = incidentio.parse(json.dumps(proxy).encode(), json.dumps(compat).encode())
    (inc,) = snap.incidents
    assert inc.impact == "critical" and inc.level is Level.DEGRADED
    assert snap.level is Level.DEGRADED
    # Still identified: the impact is the author's reading of now, and it stands.
    summary["ongoing_incidents"][0]["status"] = "identified"
    snap = incidentio.parse(json.dumps(proxy).encode(), json.dumps(compat).encode())
    assert snap.incidents[0].level is Level.MAJOR_OUTAGE


def test_widget_api() -> None:
    body = {
        "page_title": "Example",
        "ongoing_incidents": [
            {
                "id": "w1",
                "name": "Dashboard down",
                "status": "investigating",
                "current_worst_impact": "full_outage",
                "url": "https://status.example-ai.test/incidents/w1",
                "last_update_at": "2026-03-03T09:00:00Z",
                "last_update_message": "Looking.",
                "affected_components": [{"id": "c1", "name": "Dashboard", "group_name": "Web"}],
            }
        ],
        "in_progress_maintenances": [
            {"id": "m1", "name": "DB work", "started_at": "2026-03-03T08:00:00Z"}
        ],
        "scheduled_maintenances": [],
    }
    snap = incidentio.parse(json.dumps(body).encode())
    assert snap.level is Level.MAJOR_OUTAGE and snap.page_name == "Example"
    (inc,) = snap.incidents
    assert inc.latest_update == "Looking." and inc.components == ("c1", "Dashboard")
    assert snap.maintenances[0].active
    empty = {"page_title": "E", "ongoing_incidents": [], "scheduled_maintenances": []}
    assert incidentio.parse(json.dumps(empty).encode()).level is Level.OPERATIONAL


def test_unexpected_shapes() -> None:
    for body in (
        b"{}",
        b'{"summary": {}}',
        b'{"summary": []}',
        b'{"summary": {"name": "x"}}',
        b"3",
    ):
        snap = incidentio.parse(body)
        assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape", body


def test_proxy_without_structure_uses_flat_components() -> None:
    body = {
        "summary": {
            "components": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "affected_components": [{"component_id": "b", "status": "degraded_performance"}],
        }
    }
    snap = incidentio.parse(json.dumps(body).encode())
    assert [(c.name, c.level) for c in snap.components] == [
        ("A", Level.OPERATIONAL),
        ("B", Level.DEGRADED),
    ]
    assert snap.level is Level.DEGRADED
