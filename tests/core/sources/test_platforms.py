"""The platform registry: URL shape guessing, endpoint derivation, body sniffing, dispatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outage_radar.core import sources
from outage_radar.core.failures import bad_payload
from outage_radar.core.model import Level, Snapshot

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://status.claude.com/api/v2/summary.json", "statuspage"),
        ("https://status.claude.com/api/v2/incidents/unresolved.json", "statuspage"),
        ("https://www.githubstatus.com/api/v2/incidents.json", "statuspage"),
        ("https://discordstatus.com/api/v2/scheduled-maintenances/upcoming.json", "statuspage"),
        ("https://discordstatus.com/api/v2/scheduled-maintenances/active.json", "statuspage"),
        ("https://status.example.com/api/v2/components.json", "statuspage"),
        ("https://status.fal.ai/v2/components.json", "instatus"),
        ("https://status.wistia.com/v3/components.json", "instatus"),
        ("https://status.openai.com/proxy/status.openai.com", "incidentio"),
        ("https://status.example.com/api/v1/summary", "incidentio"),
        ("https://status.huggingface.co/index.json", "betterstack"),
        ("https://status.cloud.google.com/incidents.json", "google"),
        ("https://www.google.com/appsstatus/dashboard/incidents.json", "google"),
        ("https://status.perplexity.com/summary.json", "instatus"),
        ("https://status.wistia.com/v3/summary.json", "instatus"),
        ("https://status.x.ai/feed.xml", "feed"),
        ("https://status.claude.com/history.rss", "feed"),
        ("https://status.claude.com/history.atom", "feed"),
        ("https://status.together.ai/feed", "feed"),
        ("status.x.ai/feed.xml", "feed"),
        ("https://status.openai.com", None),
        ("https://status.openai.com/", None),
        ("https://neonstatus.com/aws-europe-frankfurt", None),
        ("", None),
        ("http://[::1", None),
    ],
)
def test_guess_platform(url: str, platform: str | None) -> None:
    assert sources.guess_platform(url) == platform


def test_endpoints_for_base_urls() -> None:
    base = "https://status.example.com/"
    assert sources.endpoints("statuspage", base) == (
        "https://status.example.com/api/v2/summary.json",
    )
    assert sources.endpoints("incidentio", base) == (
        "https://status.example.com/proxy/status.example.com",
        "https://status.example.com/api/v2/summary.json",
    )
    assert sources.endpoints("instatus", base) == ("https://status.example.com/summary.json",)
    assert sources.endpoints("betterstack", base) == ("https://status.example.com/index.json",)
    assert sources.endpoints("feed", base) == ("https://status.example.com/history.atom",)
    assert sources.endpoints("statuspage", "status.example.com") == (
        "https://status.example.com/api/v2/summary.json",
    )


def test_endpoints_for_direct_urls() -> None:
    proxy = "https://status.openai.com/proxy/status.openai.com"
    assert sources.endpoints("incidentio", proxy) == (
        proxy,
        "https://status.openai.com/api/v2/summary.json",
    )
    compat = "https://status.openai.com/api/v2/summary.json"
    assert sources.endpoints("incidentio", compat) == (compat,)
    google = "https://status.cloud.google.com/incidents.json"
    assert sources.endpoints("google", google) == (google,)
    feed = "https://status.x.ai/feed.xml"
    assert sources.endpoints("feed", feed) == (feed,)
    assert sources.endpoints("statuspage", compat + "#frag") == (compat,)


def test_endpoints_reject_bad_input() -> None:
    with pytest.raises(ValueError):
        sources.endpoints("nope", "https://x.test")
    with pytest.raises(ValueError):
        sources.endpoints("statuspage", "javascript:alert(1)")
    with pytest.raises(ValueError):
        sources.endpoints("statuspage", "file:///etc/passwd")


@pytest.mark.parametrize(
    ("name", "platform"),
    [
        ("statuspage_summary_trap.json", "statuspage"),
        ("statuspage_summary_outage.json", "statuspage"),
        ("incidentio_proxy.json", "incidentio"),
        ("incidentio_compat_summary.json", "incidentio"),  # ULID page id
        ("instatus_summary.json", "instatus"),
        ("betterstack_index.json", "betterstack"),
        ("google_incidents.json", "google"),
        ("statuspage_history.atom", "feed"),
        ("incidentio_history.atom", "feed"),
        ("xai_feed.xml", "feed"),
        ("plain_feed.rss", "feed"),
        ("instatus_components.json", "instatus"),  # a pasted /v2/components.json
        ("instatus_v3_components.json", "instatus"),
        ("statuspage_incidents.json", "statuspage"),
        ("statuspage_scheduled_maintenances.json", "statuspage"),
        ("statuspage_summary_monitoring.json", "statuspage"),
        ("incidentio_compat_summary_monitoring.json", "incidentio"),
    ],
)
def test_sniff(name: str, platform: str | None) -> None:
    assert sources.sniff(load(name)) == platform


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"<html></html>", b"[]", b"null", b'{"page": 1}', b"\xff" * 10, b"[[[[1]]]]"],
)
def test_sniff_unsure(body: bytes) -> None:
    assert sources.sniff(body) is None


def test_parse_dispatch() -> None:
    assert (
        sources.parse("statuspage", [load("statuspage_summary_trap.json")]).level is Level.DEGRADED
    )
    both = [load("incidentio_proxy.json"), load("incidentio_compat_summary.json")]
    assert sources.parse("incidentio", both).level is Level.MAJOR_OUTAGE
    assert sources.parse("incidentio", both[:1]).level is Level.PARTIAL_OUTAGE
    inst = [load("instatus_summary.json"), load("instatus_components.json")]
    assert len(sources.parse("instatus", inst).components) == 5
    assert sources.parse("betterstack", [load("betterstack_index.json")]).level is Level.DEGRADED
    google = sources.parse(
        "google",
        [load("google_incidents.json")],
        product="Z0FZJAMvEB4j3NbCJs6B",
        page_url="https://status.cloud.google.com/incidents.json",
    )
    assert [i.id for i in google.incidents] == ["gOpen1", "gInfo"]
    assert sources.parse("feed", [load("plain_feed.rss")]).error is None


def test_parse_failures() -> None:
    assert sources.parse("slack", [b"{}"]) == Snapshot.failed(bad_payload("unsupported platform"))
    assert sources.parse("statuspage", []).error == "empty response"
    assert sources.parse("statuspage", [json.dumps([1]).encode()]).error == "unexpected JSON shape"
    for platform in set(sources.PLATFORMS) - {"link"}:  # link has no feed to misread
        snap = sources.parse(platform, [b"<!DOCTYPE html><html></html>"])
        assert snap.level is Level.UNKNOWN and snap.error == "not a status page (HTML)"


@pytest.mark.parametrize(
    "body",
    [
        b'{"components": [{"name": "A", "status": "operational"}]}',  # not Instatus's capitals
        b'{"components": [{"status": "OPERATIONAL"}, {"status": "partial_outage"}]}',
        b'{"components": [{"status": ["OPERATIONAL"]}]}',
        b'{"components": []}',
        b'{"page": {"id": "x"}, "incidents": null}',
    ],
)
def test_sniff_list_and_component_bodies_unsure(body: bytes) -> None:
    assert sources.sniff(body) is None


def test_endpoints_for_pasted_list_urls() -> None:
    for url in (
        "https://www.githubstatus.com/api/v2/incidents.json",
        "https://www.githubstatus.com/api/v2/incidents/unresolved.json",
        "https://discordstatus.com/api/v2/scheduled-maintenances/active.json",
    ):
        assert sources.endpoints("statuspage", url) == (url,)
    components = "https://status.fal.ai/v2/components.json"
    assert sources.endpoints("instatus", components) == (components,)


def test_parse_dispatch_of_list_bodies() -> None:
    incidents = sources.parse("statuspage", [load("statuspage_incidents.json")])
    assert incidents.level is Level.PARTIAL_OUTAGE and incidents.error is None
    maint = sources.parse("statuspage", [load("statuspage_scheduled_maintenances.json")])
    assert maint.level is Level.MAINTENANCE
    comps = sources.parse("instatus", [load("instatus_v3_components.json")])
    assert comps.level is Level.PARTIAL_OUTAGE and len(comps.components) == 3
