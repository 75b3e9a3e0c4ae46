"""AWS Health public events (Amazon Bedrock): UTF-16 bodies, service codes, open events only.

Fixtures are our own. `aws_currentevents.json` follows a live `/public/currentevents` event
quoted (trimmed) in a public repository's "Feed ingestion guide", fetched 2026-09-23 (code index
file 68951616455; its repository name did not come through the index): `date` (epoch seconds
as a string), `arn`, `region_name`, `status` "0"-"3" as a string, `service`
(`multipleservices-me-central-1`), `service_name`, `summary`, `event_log[]` with numeric
`status` and `timestamp`, `impacted_services{key: {service_name, current, max}}`; the body is
UTF-16 with a BOM, as that guide and github.com/Seeridia/StatusHub's awshealth adapter decode it.
`aws_public_events.json` follows `/public/events` as github.com/bentleypark/aiwatch
worker/src/parsers/aws.ts reads it (2026: `service` "BEDROCK", `region`, `typeCode`, `startTime`
/ `endTime` in ms, `metadata.EVENT_LOG` as a JSON string). The codes' meaning (1 informational,
2 performance issues, 3 disruption, 0 recovered) is inferred by those peers, not documented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outage_radar.core import sources
from outage_radar.core.model import Level
from outage_radar.core.scope import scope
from outage_radar.core.sources import aws
from outage_radar.core.sources.common import MAX_COMPONENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def load(name: str = "aws_currentevents.json", encoding: str = "utf-16") -> bytes:
    """The fixture as AWS serves it: UTF-16 with a byte-order mark by default."""
    return (FIXTURES / name).read_text(encoding="utf-8").encode(encoding)


def test_bedrock_only() -> None:
    snap = aws.parse(load(), product="BEDROCK")
    assert snap.error is None and snap.level is Level.DEGRADED
    uae, virginia = snap.incidents  # EC2-only and recovered events are left out
    assert virginia.title == "Amazon Bedrock: Increased Error Rates"
    assert virginia.level is Level.DEGRADED and virginia.impact == "performance issues"
    assert virginia.started == datetime(2026, 9, 20, 8, tzinfo=UTC)
    assert virginia.updated == datetime(2026, 9, 20, 8, 40, tzinfo=UTC)
    assert virginia.latest_update.startswith("We have identified the cause")
    assert virginia.url == "https://health.aws.amazon.com/health/status"
    assert virginia.id == "us-east-1/BEDROCK/AWS_BEDROCK_OPERATIONAL_ISSUE_TEST2"
    # A region-wide event counts for Bedrock at Bedrock's own status there, not the event's.
    assert uae.title == "Multiple services: Region Availability" and uae.level is Level.DEGRADED
    parts = {(c.id, c.name, c.group, c.level) for c in snap.components}
    assert parts == {
        ("bedrock-me-central-1", "Amazon Bedrock (UAE)", "Amazon Bedrock", Level.DEGRADED),
        ("bedrock-us-east-1", "Amazon Bedrock (N. Virginia)", "Amazon Bedrock", Level.DEGRADED),
    }


def test_one_region_and_all_services() -> None:
    virginia = aws.parse(load(), product="bedrock-us-east-1")
    assert [i.id.split("/")[0] for i in virginia.incidents] == ["us-east-1"]
    everything = aws.parse(load())
    assert everything.level is Level.MAJOR_OUTAGE and len(everything.incidents) == 3
    assert everything.incidents[2].impact == "informational"
    assert everything.incidents[2].level is Level.DEGRADED  # an open informational event


def test_scoped_to_one_region_or_the_whole_service() -> None:
    snap = aws.parse(load(), product="BEDROCK")
    virginia = scope(snap, ["Amazon Bedrock (N. Virginia)"])
    assert virginia.level is Level.DEGRADED
    assert [i.title for i in virginia.incidents] == ["Amazon Bedrock: Increased Error Rates"]
    whole = scope(snap, ["Amazon Bedrock"])  # the service's name is the group of its regions
    assert whole.level is Level.DEGRADED and len(whole.incidents) == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "utf-8-sig"])
def test_any_encoding(encoding: str) -> None:
    snap = aws.parse(load(encoding=encoding), product="BEDROCK")
    assert snap.error is None and len(snap.incidents) == 2


def test_no_open_event_is_all_clear() -> None:
    assert aws.parse("[]".encode("utf-16")).level is Level.OPERATIONAL
    other = aws.parse(load(), product="SAGEMAKER")
    assert other.level is Level.OPERATIONAL and other.incidents == () and other.error is None


def test_public_events_document() -> None:
    snap = aws.parse(load("aws_public_events.json"), product="BEDROCK")
    (inc,) = snap.incidents  # the one with an endTime has ended
    assert inc.level is Level.DEGRADED and inc.latest_update == "Error rates are recovering."
    assert inc.started == datetime(2026, 9, 20, 8, tzinfo=UTC)
    assert inc.components == ("BEDROCK", "BEDROCK (us-east-1)", "us-east-1")
    assert inc.id == "BEDROCK-us-east-1-1789891200000"
    assert scope(snap, ["BEDROCK (us-east-1)"]).level is Level.DEGRADED
    # EC2's open event has a broken log: read anyway, with no update text.
    ec2 = aws.parse(load("aws_public_events.json"), product="EC2")
    assert ec2.incidents[0].latest_update == "" and ec2.incidents[0].title == (
        "AWS_EC2_OPERATIONAL_ISSUE"
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        ("<html>Access denied</html>".encode("utf-16"), "not a status page (HTML)"),
        (b"\xff\xfe\x00", "bad JSON"),
        ('{"message": "Forbidden"}'.encode("utf-16"), "unexpected JSON shape"),
        (
            json.dumps([{"startTimeMillis": 1, "serviceName": "X"}]).encode(),
            "unexpected JSON shape",
        ),
        ("[1, 2, 3".encode("utf-16"), "bad JSON"),
    ],
)
def test_bad_input_is_unknown_with_a_reason(payload: bytes, reason: str) -> None:
    snap = aws.parse(payload, product="BEDROCK")
    assert snap.level is Level.UNKNOWN and snap.error == reason


def test_hostile_values() -> None:
    events = json.loads(load(encoding="utf-8"))
    events[1]["date"] = "-99999999999999999999"
    events[1]["event_log"] = [{"timestamp": True, "message": "<img src=x onerror=1>"}] * 1000
    events[1]["impacted_services"] = {f"bedrock-x{i}": "junk" for i in range(1000)}
    snap = aws.parse(json.dumps(events).encode(), product="BEDROCK")
    assert snap.error is None and len(snap.components) <= MAX_COMPONENTS
    inc = snap.incidents[1]
    assert inc.started is None and "<" not in inc.latest_update


def test_registry() -> None:
    page = "https://health.aws.amazon.com/health/status"
    assert sources.guess_platform("https://health.aws.amazon.com/public/currentevents") == "aws"
    assert sources.guess_platform("https://health.aws.amazon.com/public/events") == "aws"
    assert sources.endpoints("aws", page) == ("https://health.aws.amazon.com/public/currentevents",)
    events = "https://health.aws.amazon.com/public/events"
    assert sources.endpoints("aws", events) == (events,)
    assert sources.sniff(load()) == "aws"
    assert sources.sniff(load("aws_public_events.json")) == "aws"
    snap = sources.parse("aws", [load()], product="BEDROCK", page_url=page)
    assert snap.level is Level.DEGRADED and len(snap.incidents) == 2
