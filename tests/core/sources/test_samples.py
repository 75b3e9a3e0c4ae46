"""Real and documented payloads from ../shared/samples, parsed with sensible results."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outage_radar.core import sources
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.scope import scope
from outage_radar.core.sources import feed, statuspage

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
if not SAMPLES.is_dir():
    pytest.skip("shared samples are not present", allow_module_level=True)

# Longest prefix first: the feeds' names also start with their platform's name.
PREFIXES = (
    ("statuspage_history_", "feed"),
    ("incidentio_history_", "feed"),
    ("xai_feed", "feed"),
    ("statuspage_", "statuspage"),
    ("incidentio_", "incidentio"),
    ("instatus_", "instatus"),
    ("betterstack_", "betterstack"),
    ("gcp_", "google"),
    ("google_", "google"),
)


def platform_of(name: str) -> str | None:
    return next((p for prefix, p in PREFIXES if name.startswith(prefix)), None)


def sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"{name} missing")
    return path.read_bytes()


def read(name: str, **kw: str) -> Snapshot:
    platform = platform_of(name)
    assert platform is not None
    return sources.parse(platform, [sample(name)], **kw)


def at(name: str) -> datetime:
    """A moment just after each feed sample's newest entry, so its open entries are fresh."""
    return {
        "statuspage_history_atom_claude_trimmed.xml": datetime(2026, 9, 3, 15, tzinfo=UTC),
        "incidentio_history_atom_openai_trimmed.xml": datetime(2026, 9, 3, 15, tzinfo=UTC),
        "xai_feed_rss_trimmed.xml": datetime(2026, 9, 3, 15, tzinfo=UTC),
        "statuspage_history_rss_govuk_2024.xml": datetime(2024, 1, 16, 13, tzinfo=UTC),
    }.get(name, datetime(2021, 2, 24, 20, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".json", ".xml"))
)
def test_every_sample_parses_cleanly(name: str) -> None:
    platform = platform_of(name)
    if platform is None:
        # A format we have no parser for (Slack's API) must read as unknown, never as fine.
        snap = sources.parse("statuspage", [sample(name)])
        assert snap.level is Level.UNKNOWN and snap.error
        return
    snap = sources.parse(platform, [sample(name)])
    assert isinstance(snap.level, Level)
    assert (snap.level is Level.UNKNOWN) == bool(snap.error)


def test_githubstatus_all_operational() -> None:
    snap = read("statuspage_summary_all_operational_githubstatus.json")
    assert snap.level is Level.OPERATIONAL and snap.error is None
    assert len(snap.components) == 12 and snap.page_name == "GitHub"
    assert snap.incidents == () and snap.maintenances == ()
    copilot = scope(snap, ["Copilot"])
    assert copilot.level is Level.OPERATIONAL
    assert [c.name for c in copilot.components] == ["Copilot"]
    assert (
        sources.sniff(sample("statuspage_summary_all_operational_githubstatus.json"))
        == "statuspage"
    )


def test_doc_example() -> None:
    snap = read("statuspage_summary_doc_example_incident_degraded_maintenance.json")
    assert snap.level is Level.MAJOR_OUTAGE
    assert len(snap.maintenances) == 2
    assert [m.active for m in snap.maintenances] == [False, True]
    (inc,) = snap.incidents
    assert inc.title == "Unplanned Database Outage" and inc.stage == "identified"
    assert inc.level is Level.MAJOR_OUTAGE and inc.latest_update.startswith("Our master database")
    assert {c.name: c.level for c in snap.components} == {
        "API": Level.PARTIAL_OUTAGE,
        "Management Portal": Level.MAJOR_OUTAGE,
    }


def test_claude_trimmed() -> None:
    snap = read("statuspage_summary_claude_active_incident_trimmed.json")
    assert snap.level is Level.PARTIAL_OUTAGE
    (inc,) = snap.incidents
    assert inc.title == "Elevated errors on Claude API" and inc.stage == "investigating"
    assert inc.url == "https://stspg.io/abc123"
    (m,) = snap.maintenances
    assert m.title == "Database upgrade" and not m.active
    api = scope(snap, ["Claude API (api.anthropic.com)"])
    assert api.level is Level.PARTIAL_OUTAGE


def test_hashicorp_components_groups() -> None:
    snap = read("statuspage_components_groups_hashicorp_2021_edited.json")
    assert snap.level is Level.DEGRADED
    raw = json.loads(sample("statuspage_components_groups_hashicorp_2021_edited.json"))
    groups = [c for c in raw["components"] if c.get("group")]
    assert len(snap.components) == len(raw["components"]) - len(groups)
    assert all(
        c.group for c in snap.components if c.id in {x for g in groups for x in g["components"]}
    )
    by_name = {c.name: c for c in snap.components}
    assert by_name["HCP Portal"].group == "HashiCorp Cloud Platform (HCP)"
    hcp = scope(snap, ["HashiCorp Cloud Platform (HCP)"])
    assert hcp.components and all(
        c.group == "HashiCorp Cloud Platform (HCP)" for c in hcp.components
    )


def test_githubstatus_incidents_history_in_a_summary() -> None:
    incidents = json.loads(sample("statuspage_incidents_githubstatus.json"))["incidents"]
    body = json.dumps({"status": {"indicator": "none"}, "incidents": incidents}).encode()
    snap = statuspage.parse(body)
    # every incident of that capture is resolved or postmortem, so none is open
    assert snap.level is Level.OPERATIONAL and snap.incidents == ()
    for inc in incidents:
        inc["status"] = "identified"
    reopened = statuspage.parse(
        json.dumps({"status": {"indicator": "none"}, "incidents": incidents}).encode()
    )
    assert len(reopened.incidents) == 50
    assert reopened.level is Level.MAJOR_OUTAGE  # some of them are critical
    assert all(i.url and i.url.startswith("https://stspg.io/") for i in reopened.incidents)
    # Once a fix is in (monitoring), the impact is history: the page's "none" says how it is now,
    # and an open incident still reads as degraded.
    for inc in incidents:
        inc["status"] = "monitoring"
    watching = statuspage.parse(
        json.dumps({"status": {"indicator": "none"}, "incidents": incidents}).encode()
    )
    assert watching.level is Level.DEGRADED
    assert {i.level for i in watching.incidents} == {Level.DEGRADED}


def test_single_critical_incident_reopened() -> None:
    incident = json.loads(sample("statuspage_incident_single_critical_githubstatus.json"))
    assert statuspage.parse(json.dumps(incident).encode()).error == "unexpected JSON shape"
    incident["status"] = "identified"
    snap = statuspage.parse(
        json.dumps({"status": {"indicator": "none"}, "incidents": [incident]}).encode()
    )
    (inc,) = snap.incidents
    assert inc.level is Level.MAJOR_OUTAGE and inc.impact == "critical"
    assert "Actions" in inc.components
    assert inc.latest_update.startswith("Between July 19, 2026")
    assert len(inc.latest_update) <= 1000


def test_pasted_list_endpoints_read_as_they_are() -> None:
    # /api/v2/incidents.json as served: 50 incidents, all resolved -> history, nothing open.
    incidents = sample("statuspage_incidents_githubstatus.json")
    assert sources.sniff(incidents) == "statuspage"
    snap = read("statuspage_incidents_githubstatus.json")
    assert snap.error is None and snap.level is Level.OPERATIONAL and snap.incidents == ()
    assert snap.page_name == "GitHub"
    # /api/v2/scheduled-maintenances.json as served: one completed maintenance -> over.
    maint = sample("statuspage_scheduled_maintenances_discord_docs.json")
    assert sources.sniff(maint) == "statuspage"
    snap = read("statuspage_scheduled_maintenances_discord_docs.json")
    assert snap.error is None and snap.level is Level.OPERATIONAL and snap.maintenances == ()
    data = json.loads(maint)
    data["scheduled_maintenances"][0]["status"] = "in_progress"
    running = statuspage.parse(json.dumps(data).encode())
    assert running.level is Level.MAINTENANCE and running.maintenances[0].active
    # Instatus /v3/components.json alone
    comps = sample("instatus_v3_components_live_wistia.json")
    assert sources.sniff(comps) == "instatus"
    snap = sources.parse("instatus", [comps])
    assert snap.level is Level.OPERATIONAL and [c.name for c in snap.components] == ["Group Record"]


def test_discord_maintenances_in_a_summary() -> None:
    data = json.loads(sample("statuspage_scheduled_maintenances_discord_docs.json"))
    body = json.dumps({"status": {"indicator": "none"}, **data}).encode()
    snap = statuspage.parse(body)
    assert snap.level is Level.OPERATIONAL and snap.maintenances == ()  # completed ones dropped


def test_incidentio_compat_summary() -> None:
    snap = read("incidentio_compat_summary_openai_trimmed.json")
    assert snap.level is Level.DEGRADED and snap.page_name == "OpenAI"
    (inc,) = snap.incidents
    assert inc.stage == "monitoring"
    assert inc.url == "https://status.openai.com/incidents/01KZ9DMQD2GJ8JJWDN7572RH78"
    assert sources.sniff(sample("incidentio_compat_summary_openai_trimmed.json")) == "incidentio"


def test_incidentio_compat_incident_is_not_a_summary() -> None:
    snap = read("incidentio_compat_incident_openai_trimmed.json")
    assert snap.level is Level.UNKNOWN and snap.error == "unexpected JSON shape"


def test_incidentio_proxy_shape() -> None:
    snap = read("incidentio_proxy_summary_shape_codexbar_test.json")
    assert snap.level is Level.MAJOR_OUTAGE
    assert [(c.name, c.group) for c in snap.components] == [
        ("CLI", "Codex"),
        ("Codex Web", "Codex"),
        ("FedRAMP", "FedRAMP"),
        ("Standalone", None),
    ]
    assert scope(snap, ["Codex"]).level is Level.OPERATIONAL
    assert scope(snap, ["FedRAMP"]).level is Level.DEGRADED


def test_incidentio_widget() -> None:
    snap = read("incidentio_widget_api_summary_neon_docs.json")
    assert snap.level is Level.OPERATIONAL and snap.page_name.startswith("AWS - Europe")


def test_instatus() -> None:
    snap = read("instatus_summary_docs_example.json")
    assert snap.level is Level.MAJOR_OUTAGE and snap.page_name == "Instatus"
    assert len(snap.incidents) == 1 and snap.incidents[0].started is not None
    assert len(snap.maintenances) == 1 and not snap.maintenances[0].active
    wistia = sources.parse(
        "instatus",
        [
            sample("instatus_v3_summary_live_wistia.json"),
            sample("instatus_v3_components_live_wistia.json"),
        ],
    )
    assert wistia.level is Level.OPERATIONAL
    assert [c.name for c in wistia.components] == ["Group Record"]


def test_betterstack() -> None:
    snap = read("betterstack_index_json_live_trimmed.json")
    assert snap.level is Level.OPERATIONAL and snap.page_name == "Better Stack"
    assert [(c.name, c.group) for c in snap.components] == [("Better Stack", "Better Stack")]
    assert snap.incidents == ()  # the report is resolved even though ends_at is null


def test_gcp() -> None:
    snap = read(
        "gcp_incidents_json_checkmk_edited.json",
        page_url="https://status.cloud.google.com/incidents.json",
    )
    (inc,) = snap.incidents
    assert inc.level is Level.MAJOR_OUTAGE  # latest update says SERVICE_OUTAGE
    assert inc.url == "https://status.cloud.google.com/incidents/mLBHeCxhRia17anXCSX1"
    assert (
        read("gcp_incidents_json_checkmk_edited.json", product="Google Cloud SQL").level
        is Level.OPERATIONAL
    )
    assert (
        read("gcp_incidents_json_checkmk_edited.json", product="Secret Manager").level
        is Level.MAJOR_OUTAGE
    )


def test_google_workspace_gemini() -> None:
    snap = read(
        "google_workspace_incidents_gemini_codexbar_test.json", product="npdyhgECDJ6tB66MxXyo"
    )
    assert snap.level is Level.MAJOR_OUTAGE and len(snap.incidents) == 2
    assert [i.level for i in snap.incidents] == [Level.DEGRADED, Level.MAJOR_OUTAGE]
    other = read("google_workspace_incidents_gemini_codexbar_test.json", product="Gmail")
    assert other.level is Level.OPERATIONAL


@pytest.mark.parametrize(
    ("name", "level", "open_titles"),
    [
        (
            "statuspage_history_atom_claude_trimmed.xml",
            Level.DEGRADED,
            ["Elevated errors for multiple models"],
        ),
        (
            "incidentio_history_atom_openai_trimmed.xml",
            Level.DEGRADED,
            ["Elevated errors across ChatGPT and Codex"],
        ),
        ("xai_feed_rss_trimmed.xml", Level.MAJOR_OUTAGE, ["[Grok (Web)] Models outage"]),
        ("statuspage_history_atom_githubstatus_2021_trimmed.xml", Level.OPERATIONAL, []),
        ("statuspage_history_atom_redis_2021.xml", Level.OPERATIONAL, []),
        ("statuspage_history_rss_govuk_2024.xml", Level.MAINTENANCE, []),
    ],
)
def test_feeds(name: str, level: Level, open_titles: list[str]) -> None:
    snap = feed.parse(sample(name), now=at(name))
    assert snap.error is None and snap.page_name
    assert snap.level is level
    assert [i.title for i in snap.incidents] == open_titles
    assert sources.sniff(sample(name)) == "feed"


def test_govuk_maintenance_window() -> None:
    name = "statuspage_history_rss_govuk_2024.xml"
    (m,) = feed.parse(sample(name), now=at(name)).maintenances
    assert m.active and m.starts == datetime(2024, 1, 16, 12, tzinfo=UTC)
    assert m.ends == datetime(2024, 1, 16, 16, tzinfo=UTC)
    before = feed.parse(sample(name), now=datetime(2024, 1, 10, tzinfo=UTC))
    assert before.level is Level.OPERATIONAL and not before.maintenances[0].active
