"""Property tests: no parser raises, whatever bytes or JSON arrive, and results stay well formed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outage_radar.core import sources
from outage_radar.core.model import Incident, Level, Maintenance, Snapshot
from outage_radar.core.scope import scope
from outage_radar.core.sources import (
    aws,
    betterstack,
    cloudflare,
    datadog,
    feed,
    flashduty,
    google,
    incidentio,
    instatus,
    statuspage,
)
from outage_radar.core.sources.common import MAX_COMPONENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
NOW = datetime(2026, 3, 3, 10, tzinfo=UTC)

# Quick in CI; OUTAGE_RADAR_FUZZ_EXAMPLES=10000 for a long run.
settings.register_profile(
    "outage-radar-fuzz",
    max_examples=int(os.environ.get("OUTAGE_RADAR_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("outage-radar-fuzz")

PARSERS: dict[str, Callable[[bytes], Snapshot]] = {
    "statuspage": lambda b: statuspage.parse(b, page_url="https://status.test"),
    "incidentio": lambda b: incidentio.parse(b, page_url="https://status.test"),
    "incidentio+compat": lambda b: incidentio.parse(b, b, page_url="https://status.test"),
    "instatus": lambda b: instatus.parse(b, b),
    "betterstack": betterstack.parse,
    "google": lambda b: google.parse(b, page_url="https://status.test/incidents.json"),
    "google+product": lambda b: google.parse(b, product="Gemini"),
    "feed": lambda b: feed.parse(b, now=NOW),
    "flashduty": lambda b: flashduty.parse(b, page_url="https://status.test"),
    "cloudflare": lambda b: cloudflare.parse(b, page_url="https://status.test"),
    "cloudflare+extra+product": lambda b: cloudflare.parse(b, b, product="Chat, x1"),
    "datadog": datadog.parse,
    "aws": aws.parse,
    "aws+product": lambda b: aws.parse(b, product="BEDROCK"),
    "aws+utf16": lambda b: aws.parse(b.decode("utf-8", "replace").encode("utf-16")),
}


def _dispatch(platform: str) -> Callable[[bytes], Snapshot]:
    return lambda body: sources.parse(platform, [body, body])


PARSERS.update({f"dispatch:{p}": _dispatch(p) for p in sources.PLATFORMS})

KEYS = [
    "page",
    "status",
    "indicator",
    "components",
    "incidents",
    "scheduled_maintenances",
    "summary",
    "structure",
    "items",
    "group",
    "group_id",
    "component",
    "component_id",
    "hidden",
    "affected_components",
    "ongoing_incidents",
    "updates",
    "message",
    "message_string",
    "text_node",
    "content",
    "text",
    "type",
    "component_impacts",
    "current_worst_impact",
    "incident_updates",
    "body",
    "display_at",
    "impact",
    "id",
    "name",
    "url",
    "shortlink",
    "data",
    "attributes",
    "included",
    "aggregate_state",
    "relationships",
    "status_updates",
    "status_page_resource_id",
    "affected_resources",
    "activeIncidents",
    "activeMaintenances",
    "duration",
    "start",
    "started",
    "end",
    "begin",
    "affected_products",
    "most_recent_update",
    "status_impact",
    "uri",
    "title",
    "public_url",
    "scheduled_for",
    "scheduled_until",
    # Flashduty, Cloudflare v3, Datadog and AWS Health
    "active_changes",
    "component_changes",
    "section_id",
    "sections",
    "change_id",
    "at_seconds",
    "start_at_seconds",
    "description",
    "success",
    "result",
    "active_incidents",
    "active_maintenances",
    "last_update",
    "starts_at",
    "resolved_at",
    "componentsAffected",
    "currentStatus",
    "resolved",
    "publishedDate",
    "timeline",
    "startedAt",
    "maintenances",
    "arn",
    "event_log",
    "impacted_services",
    "current",
    "service",
    "service_name",
    "region_name",
    "timestamp",
    "typeCode",
    "startTime",
    "endTime",
    "metadata",
    "EVENT_LOG",
]
WORDS = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "full_outage",
    "under_maintenance",
    "none",
    "minor",
    "major",
    "critical",
    "maintenance",
    "resolved",
    "monitoring",
    "in_progress",
    "UP",
    "HASISSUES",
    "MAJOROUTAGE",
    "downtime",
    "degraded",
    "status_page",
    "status_report",
    "status_update",
    "status_page_resource",
    "SERVICE_OUTAGE",
    "2026-03-03T09:00:00Z",
    "Sat Jun 11 2022 18:55:50 GMT+0000",
    "javascript:alert(1)",
    "https://x.test/a",
    "<b>x</b>",
    "\u202e",
    "",
    "incident",
    "full_outage",
    "ComponentGroup",
    "Component",
    "identified",
    "3",
    "bedrock-us-east-1",
    "arn:aws:health:us-east-1::event/BEDROCK/T/ID",
    "1789891200",
]
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(WORDS)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


def check(snap: Snapshot) -> None:
    assert isinstance(snap, Snapshot)
    assert isinstance(snap.level, Level)
    if snap.level is Level.UNKNOWN:
        assert snap.error
    assert len(snap.components) <= MAX_COMPONENTS
    assert len(snap.incidents) <= 50 and len(snap.maintenances) <= 50
    items: list[Incident | Maintenance] = [*snap.incidents, *snap.maintenances]
    for item in items:
        assert item.url is None or item.url.startswith(("http://", "https://"))
        assert len(item.title) <= 300
    for inc in snap.incidents:
        assert isinstance(inc.level, Level) and len(inc.latest_update) <= 1000
    narrowed = scope(snap, ["API", "Chat"])
    assert isinstance(narrowed.level, Level)
    assert narrowed.level is not Level.UNKNOWN or narrowed.error


def run_all(body: bytes) -> None:
    for parse in PARSERS.values():
        check(parse(body))


@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes(body: bytes) -> None:
    run_all(body)
    assert sources.sniff(body) in (None, *sources.PLATFORMS)


@FUZZ
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    body = json.dumps(value).encode()
    run_all(body)
    run_all(json.dumps({"summary": value}).encode())
    run_all(json.dumps([value]).encode())
    assert sources.sniff(body) in (None, *sources.PLATFORMS)


JSON_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.json"))
FEED_FIXTURES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".atom", ".xml", ".rss"))


def mutate(value: Any, data: st.DataObject, depth: int = 0) -> Any:
    """Drop keys, swap in wrong types and recurse, at random, through a valid payload."""
    if depth > 12:
        return value
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            action = data.draw(st.integers(0, 9))
            if action == 0:
                continue  # drop the key
            if action == 1:
                out[key] = data.draw(json_values)  # wrong type or garbage
            else:
                out[key] = mutate(child, data, depth + 1)
        return out
    if isinstance(value, list):
        kept = [mutate(v, data, depth + 1) for v in value if data.draw(st.integers(0, 9)) > 0]
        return kept + data.draw(st.lists(json_values, max_size=1))
    if data.draw(st.integers(0, 9)) == 0:
        return data.draw(scalars)
    return value


@FUZZ
@given(st.sampled_from(JSON_FIXTURES), st.data())
def test_mutated_json_fixtures(name: str, data: st.DataObject) -> None:
    original = json.loads((FIXTURES / name).read_bytes())
    run_all(json.dumps(mutate(original, data)).encode())


@FUZZ
@given(st.sampled_from(FEED_FIXTURES), st.data())
def test_mutated_feed_fixtures(name: str, data: st.DataObject) -> None:
    body = (FIXTURES / name).read_bytes()
    cut = data.draw(st.integers(0, len(body)))
    end = data.draw(st.integers(cut, min(len(body), cut + 200)))
    junk = data.draw(st.binary(max_size=50) | st.sampled_from([b"<", b"]]>", b"&amp;", b"\x00"]))
    mutated = body[:cut] + junk + body[end:]
    check(feed.parse(mutated, now=NOW))
    check(sources.parse("feed", [mutated]))
