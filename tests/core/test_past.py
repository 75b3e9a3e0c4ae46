"""The provider's own record of its past (core/past.py): where it is, what it says, whose it is.

Against the real captures in ../shared/samples (each test skips when its file is absent), the
pages of tests/history_pages.py (whose facts are the ground truth), and hostile bodies: a body
that is not a record raises ParseError, a broken item is skipped, nothing else escapes.
"""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from outage_radar.core import backfill, past, sources
from outage_radar.core.catalog import Service
from outage_radar.core.model import Component, Level
from outage_radar.core.sources.common import ParseError
from tests import builders, history_pages, openai_page
from tests.fakeserver import FakeServer

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
GITHUB = "https://www.githubstatus.com"


def sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"../shared/samples/{name} is not present")
    return path.read_bytes()


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def by_id(record: past.Record) -> dict[str, past.Past]:
    return {p.incident.id: p for p in record.incidents}


def github_parts() -> tuple[Component, ...]:
    snap = sources.parse(
        "statuspage", [sample("statuspage_summary_all_operational_githubstatus.json")]
    )
    return snap.components


def github_record() -> past.Record:
    body = sample("statuspage_incidents_githubstatus.json")
    return past.read("statuspage", body, page_url=GITHUB)


# -- the real captures ----------------------------------------------------------------------------
def test_githubstatus_record_has_all_50_incidents_with_their_times_levels_and_links() -> None:
    record = github_record()
    assert len(record.incidents) == 50
    first = by_id(record)["9tpgqq1h4bs7"]
    assert first.incident.title == "Copilot model Claude Fable 5 experiencing elevated errors"
    assert first.incident.started == at("2026-07-30T09:07:42.413Z")
    assert first.ended == at("2026-07-30T10:12:15.489Z")
    assert first.incident.level is Level.DEGRADED  # impact minor
    assert first.incident.url == "https://stspg.io/45g8r57kv3n9"
    assert [(p.name, p.level) for p in first.parts] == [
        ("Copilot AI Model Providers", Level.DEGRADED)
    ]
    levels = {p.incident.id: p.incident.level for p in record.incidents}
    assert levels["pz7g535gbs6p"] is Level.MAJOR_OUTAGE  # critical
    assert levels["75g5xmzptjqb"] is Level.PARTIAL_OUTAGE  # major
    assert all(p.ended is not None for p in record.incidents)  # every one is resolved


def test_githubstatus_full_list_is_complete_only_since_its_oldest_incident() -> None:
    # 50 is all the endpoint lists: before the oldest of them the page may have had others.
    assert github_record().complete_since == at("2026-05-28T19:01:00.362Z")


def test_githubstatus_backdated_notice_never_colours_and_never_ends_before_it_starts() -> None:
    # Impact "none", resolved_at (11:00) before started_at (15:56): a notice posted afterwards.
    notice = by_id(github_record())["594m87r8sw13"]
    assert notice.incident.level is Level.OPERATIONAL
    assert notice.ended == notice.incident.started == at("2026-07-24T15:56:48.829Z")


def test_githubstatus_copilot_keeps_only_incidents_touching_copilot_at_copilots_own_level() -> None:
    copilot = builders.service("copilot", url=GITHUB, components=("Copilot",))
    record = github_record()
    mine = past.narrow(record, copilot, github_parts())
    levels = {p.incident.id: p.incident.level for p in mine.incidents}
    assert levels == {
        # The page said major (Actions partly out); Copilot itself was only degraded.
        "yjysg0xrl67m": Level.DEGRADED,
        "rl7f90w0n0gq": Level.DEGRADED,
        # No component listed: matched because the title names Copilot.
        "5t81zk0vrk3z": Level.DEGRADED,
        "rfmjwng33vjf": Level.MAJOR_OUTAGE,
        "5h5lmbffp07c": Level.MAJOR_OUTAGE,
        # Impact critical, but the only change Copilot got was degraded_performance.
        "rhqcgg8lg6mm": Level.DEGRADED,
    }
    # Scoping says nothing new about how far back the list reaches.
    assert mine.complete_since == record.complete_since


def test_githubstatus_catalog_copilot_also_takes_the_model_providers_part() -> None:
    copilot = builders.service(
        "copilot", url=GITHUB, components=("Copilot", "Copilot AI Model Providers")
    )
    mine = by_id(past.narrow(github_record(), copilot, github_parts()))
    assert len(mine) == 13
    assert mine["9tpgqq1h4bs7"].incident.level is Level.DEGRADED
    assert mine["vv9vvksmj4s9"].incident.level is Level.PARTIAL_OUTAGE
    assert "75g5xmzptjqb" not in mine  # Actions only
    assert "g40zcbvchny4" not in mine  # no part, a title about SSH


def test_githubstatus_critical_incident_keeps_each_parts_worst_state() -> None:
    raw = json.loads(sample("statuspage_incident_single_critical_githubstatus.json"))
    record = past.read("statuspage", json.dumps({"incidents": [raw]}).encode())
    (only,) = record.incidents
    assert only.incident.level is Level.MAJOR_OUTAGE  # impact critical
    assert (only.incident.started, only.ended) == (
        at("2026-07-19T23:34:03.450Z"),
        at("2026-07-20T04:44:03.085Z"),
    )
    # No part was ever set to major_outage: Pages watchers must not see the page's critical.
    assert {p.name: p.level for p in only.parts} == {
        "API Requests": Level.PARTIAL_OUTAGE,
        "Issues": Level.DEGRADED,
        "Pages": Level.DEGRADED,
        "Actions": Level.PARTIAL_OUTAGE,
    }
    pages = builders.service("pages", url=GITHUB, components=("Pages",))
    (mine,) = past.narrow(record, pages, github_parts()).incidents
    assert mine.incident.level is Level.DEGRADED
    assert record.complete_since is None  # one incident: the whole list


def test_gcp_sample_record_with_open_and_closed_incidents() -> None:
    body = sample("gcp_incidents_json_checkmk_edited.json")
    record = past.read("google", body, product="kzGfErQK3HzkFhptoeHH")
    assert record.complete_since is None  # Google lists its whole history
    open_, closed, short = record.incidents
    assert open_.ended is None  # no `end`: still open
    assert open_.incident.started == at("2022-07-19T14:17:00+00:00")
    assert open_.said == at("2022-07-20T13:39:01+00:00")  # published a day after it began
    assert closed.ended == at("2022-07-10T15:47:00+00:00")
    assert short.ended == at("2022-07-19T15:47:00+00:00")
    assert {p.incident.level for p in record.incidents} == {Level.PARTIAL_OUTAGE}  # DISRUPTION
    sql = past.read("google", body, product="hV87iK5DcEXKgWU2kDri")
    assert [p.ended for p in sql.incidents] == [closed.ended]  # only the one naming Cloud SQL


def test_betterstack_sample_resolved_report_with_null_end_ends_at_its_last_update() -> None:
    record = past.read("betterstack", sample("betterstack_index_json_live_trimmed.json"))
    (report,) = record.incidents
    assert report.incident.title == "Delayed data processing in the Europe region"
    assert report.incident.started == at("2026-09-04T13:50:00.000Z")
    assert report.ended == at("2026-09-04T19:53:00.000Z")  # ends_at null, state resolved
    assert report.incident.level is Level.DEGRADED
    assert [c.name for c in record.components] == ["Better Stack"]
    assert record.days == (("Better Stack", at("2026-06-26T00:00:00Z"), Level.OPERATIONAL, 0.0),)


def test_incidentio_compat_sample_starts_at_creation_and_links_to_the_page() -> None:
    raw = json.loads(sample("incidentio_compat_incident_openai_trimmed.json"))
    body = json.dumps({"incidents": [raw]}).encode()
    (inc,) = past.read("incidentio", body, page_url="https://status.openai.com").incidents
    assert inc.incident.started == at("2026-09-23T09:13:00Z")  # no started_at: created_at
    assert inc.ended == at("2026-09-23T09:54:16Z")
    assert inc.incident.level is Level.DEGRADED
    assert inc.incident.url == "https://status.openai.com/incidents/01M36RMC01ZFWQ861WYJKC4XE1"
    chatgpt = builders.service("chatgpt", platform="incidentio", components=("ChatGPT",))
    codex = builders.service("codex", platform="incidentio", components=("Codex",))
    record = past.read("incidentio", body)
    assert len(past.narrow(record, chatgpt, ()).incidents) == 1  # its title names ChatGPT
    assert past.narrow(record, codex, ()).incidents == ()


# -- history_url ----------------------------------------------------------------------------------
def test_history_url_of_each_platform() -> None:
    sp = builders.service("claude", url="https://status.claude.com")
    assert backfill.history_url(sp) == "https://status.claude.com/api/v2/incidents.json"
    io_url = "https://status.openai.com"
    io = builders.service(
        "chatgpt",
        url=io_url,
        platform="incidentio",
        endpoints=sources.endpoints("incidentio", io_url),
    )
    assert backfill.history_url(io) == "https://status.openai.com/api/v2/incidents.json"
    sub = "https://global.status.example.com/gcp-us"
    at_sub = builders.service(
        "smith", url=sub, platform="incidentio", endpoints=sources.endpoints("incidentio", sub)
    )
    assert backfill.history_url(at_sub) == f"{sub}/api/v2/incidents.json"
    google_json = "https://status.cloud.google.com/incidents.json"
    google = builders.service("g", platform="google", endpoints=(google_json,))
    assert backfill.history_url(google) == google_json  # the polled body is the record
    bs = builders.service("hf", platform="betterstack", endpoints=("https://s.example/index.json",))
    assert backfill.history_url(bs) == "https://s.example/index.json"


def test_history_url_is_none_where_there_is_no_record_we_read() -> None:
    assert backfill.history_url(builders.service("x", platform="feed")) is None
    assert backfill.history_url(builders.service("y", platform="instatus")) is None
    assert backfill.history_url(builders.link_only()) is None
    assert backfill.history_url(builders.service("z", endpoints=())) is None


# -- our pages with a past ------------------------------------------------------------------------
def same(record: past.Record, facts: tuple[history_pages.Fact, ...]) -> None:
    """The record says what the page's facts say: ids, titles, times and page-wide levels."""
    got = [
        (p.incident.id, p.incident.title, p.incident.started, p.ended, p.incident.level)
        for p in record.incidents
    ]
    assert got == [(f.id, f.title, f.started, f.ended, f.level) for f in facts]


def test_statuspage_record_says_what_happened_over_90_days() -> None:
    facts = history_pages.statuspage_facts(NOW, open_incident=True)
    body = history_pages.statuspage_incidents(NOW, open_incident=True)
    record = past.read("statuspage", body)
    same(record, facts)
    assert 20 <= len(record.incidents) <= 30
    assert min(f.started for f in facts) > NOW - timedelta(days=90)
    assert record.incidents[0].ended is None  # the open one, newest first
    assert record.complete_since is None  # fewer than 50: the page's whole list


def test_statuspage_full_list_of_50_is_complete_since_its_oldest() -> None:
    body = history_pages.statuspage_incidents(NOW, count=50, days=60)
    record = past.read("statuspage", body)
    oldest = min(f.started for f in history_pages.statuspage_facts(NOW, count=50, days=60))
    assert record.complete_since == oldest
    assert oldest > NOW - timedelta(days=60)


def test_statuspage_copilot_keeps_its_incidents_at_its_own_level() -> None:
    facts = history_pages.statuspage_facts(NOW, open_incident=True)
    summary = history_pages.statuspage_summary(NOW, open_incident=True)
    parts = sources.parse("statuspage", [summary]).components
    copilot = builders.service("copilot", components=(history_pages.SP_SCOPE,))
    body = history_pages.statuspage_incidents(NOW, open_incident=True)
    mine = past.narrow(past.read("statuspage", body), copilot, parts)
    got = {p.incident.id: p.incident.level for p in mine.incidents}
    assert got == {f.id: f.scoped for f in facts if f.in_scope}
    # Some stay out because they touched only Actions or Pages, or named no part at all.
    assert any(not f.in_scope and f.parts for f in facts)
    assert any(not f.in_scope and not f.parts and f.level.is_problem for f in facts)
    # Some were worse on the page than on Copilot: the page's impact must not paint Copilot.
    assert any(f.in_scope and f.scoped.rank < f.level.rank for f in facts)


def test_incidentio_record_is_matched_to_a_group_by_title() -> None:
    facts = history_pages.incidentio_facts(NOW)
    body = history_pages.incidentio_incidents(NOW)
    page = "https://status.openai.com"
    record = past.read("incidentio", body, page_url=page)
    same(record, facts)
    assert all(p.incident.url == f"{page}/incidents/{p.incident.id}" for p in record.incidents)
    assert all(len(p.incident.id) == 26 for p in record.incidents)
    parts = sources.parse("incidentio", [openai_page.proxy(incident=False)]).components
    chatgpt = builders.service("chatgpt", platform="incidentio", components=("ChatGPT",))
    mine = past.narrow(record, chatgpt, parts)
    assert [p.incident.id for p in mine.incidents] == [f.id for f in facts if f.in_scope]
    assert 0 < len(mine.incidents) < len(facts)


def test_google_record_keeps_the_watched_product_only() -> None:
    body = history_pages.google_incidents(NOW, open_incident=True)
    facts = history_pages.google_facts(NOW, open_incident=True)
    same(past.read("google", body), facts)
    mine = past.read("google", body, product=history_pages.GOOGLE_PRODUCT)
    same(mine, tuple(f for f in facts if f.in_scope))
    assert mine.incidents[0].ended is None  # the open one
    assert len(mine.incidents) < len(facts)


def test_betterstack_record_has_reports_and_90_days_per_resource() -> None:
    body = history_pages.betterstack_index(NOW)
    facts = history_pages.betterstack_facts(NOW)
    record = past.read("betterstack", body)
    same(record, facts)  # ends_at null on half of them: their last update ends them
    assert len({(d[0], d[1]) for d in record.days}) == 90 * len(history_pages.BS_PARTS)
    planned = [d for d in record.days if d[2] is Level.MAINTENANCE and d[3] > 0]
    assert [d[3] for d in planned] == [7200.0]  # its two hours of planned work
    start, _ = history_pages.betterstack_maintenance(NOW)
    assert all(p.incident.started != start for p in record.incidents)  # maintenance: skipped
    scope = history_pages.BS_SCOPE
    bad = {d[1].date(): d[2] for d in record.days if d[0] == scope and d[2].is_problem}
    assert bad == history_pages.day_levels(facts)
    assert all(d[3] >= 80 * 60 for d in record.days if d[0] == scope and d[2].is_problem)


def inference_api() -> tuple[tuple[history_pages.Fact, ...], past.Record]:
    """The Better Stack page's facts, and its record narrowed to the Inference API."""
    body = history_pages.betterstack_index(NOW)
    parts = sources.parse("betterstack", [body]).components
    inference = builders.service("hf", platform="betterstack", components=(history_pages.BS_SCOPE,))
    return history_pages.betterstack_facts(NOW), past.narrow(
        past.read("betterstack", body), inference, parts
    )


def test_betterstack_narrow_keeps_the_watched_resources_days_and_reports() -> None:
    facts, mine = inference_api()
    assert [p.incident.id for p in mine.incidents] == [f.id for f in facts if f.in_scope]
    assert {d[0] for d in mine.days} == {history_pages.BS_SCOPE}
    assert len({d[1] for d in mine.days}) == 90


def test_betterstack_report_takes_the_watched_resources_own_level() -> None:
    facts, mine = inference_api()
    assert any(f.in_scope and f.scoped.rank < f.level.rank for f in facts)
    got = {p.incident.id: p.incident.level for p in mine.incidents}
    assert got == {f.id: f.scoped for f in facts if f.in_scope}


def test_google_record_links_each_incident_on_the_dashboard() -> None:
    body = sample("gcp_incidents_json_checkmk_edited.json")
    page = "https://status.cloud.google.com/"
    record = past.read("google", body, page_url=page)
    assert [p.incident.url for p in record.incidents] == [
        "https://status.cloud.google.com/incidents/mLBHeCxhRia17anXCSX1"
    ] * 3


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as reply:
        body: bytes = reply.read()
        return body


def test_served_pages_backfill_each_service_with_its_own_incidents(server: FakeServer) -> None:
    pages = history_pages.serve_history(server, NOW, open_incident=True)
    for served in pages.all:
        svc: Service = served.service
        url = backfill.history_url(svc)
        assert url == served.record_url, svc.platform
        polled = [get(u) for u in svc.endpoints]
        snap = sources.parse(svc.platform, polled, product=svc.product, page_url=svc.url)
        assert snap.failure is None, (svc.platform, snap.failure)
        record = past.read(svc.platform, get(url), product=svc.product, page_url=svc.url)
        mine = past.narrow(record, svc, snap.components)
        want = [f.id for f in served.facts if f.in_scope]
        assert [p.incident.id for p in mine.incidents] == want, svc.platform
        assert 0 < len(want) < len(served.facts)
    # The open incident is on every polled page but incident.io's (openai_page has none then).
    now = sources.parse("statuspage", [get(pages.statuspage.service.endpoints[0])])
    assert now.level is Level.PARTIAL_OUTAGE
    assert [i.id for i in now.incidents] == [pages.statuspage.facts[0].id]
    assert pages.statuspage.facts[0].ended is None


def test_facts_colour_the_days_the_incidents_cover() -> None:
    facts = history_pages.statuspage_facts(NOW)
    days = history_pages.day_levels(facts)
    crossing = [f for f in facts if f.in_scope and len(f.days()) == 2]
    assert crossing  # one crosses midnight: both days are coloured
    assert all(days[d].rank >= f.scoped.rank for f in crossing for d in f.days())
    assert all(f.days()[0] in days for f in facts if f.in_scope and f.scoped.is_problem)
    # Out-of-scope incidents alone colour nothing.
    quiet = {d for f in facts if not f.in_scope for d in f.days()} - {
        d for f in facts if f.in_scope for d in f.days()
    }
    assert quiet and not quiet & days.keys()


def test_builders_are_deterministic_and_seeded() -> None:
    assert history_pages.statuspage_incidents(NOW) == history_pages.statuspage_incidents(NOW)
    assert history_pages.google_incidents(NOW, seed=9) != history_pages.google_incidents(NOW)
    assert history_pages.betterstack_index(NOW) == history_pages.betterstack_index(NOW)
    assert history_pages.incidentio_facts(NOW) == history_pages.incidentio_facts(NOW)


# -- hostile bodies -------------------------------------------------------------------------------
@pytest.mark.parametrize("platform", ["statuspage", "incidentio", "google", "betterstack"])
@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<!doctype html><html>Loading</html>", b"{not json", b"\xff\xfe\x00", b"null"],
)
def test_a_body_that_is_no_json_record_is_a_parse_error(platform: str, body: bytes) -> None:
    with pytest.raises(ParseError):
        past.read(platform, body)


@pytest.mark.parametrize(
    ("platform", "body"),
    [
        ("statuspage", b'["not", "an", "object"]'),
        ("statuspage", b'{"incidents": {"id": "x"}}'),
        ("statuspage", b'{"page": {}, "components": []}'),  # a summary, not the record
        ("incidentio", b'"incidents"'),
        ("google", b'{"incidents": []}'),
        ("google", b"42"),
        ("betterstack", b"[]"),
        ("betterstack", b'{"data": [], "included": []}'),
        ("betterstack", b'{"data": {"attributes": "x"}}'),
    ],
)
def test_the_wrong_json_type_is_a_parse_error(platform: str, body: bytes) -> None:
    with pytest.raises(ParseError):
        past.read(platform, body)


def sp(*incidents: Any) -> bytes:
    return json.dumps({"incidents": list(incidents)}).encode()


GARBAGE_TIMES = [
    None,
    "",
    "yesterday",
    "2026-13-45T99:99:99Z",
    12345,
    ["2026-07-01T00:00:00Z"],
    {"at": "2026-07-01T00:00:00Z"},
    "x" * 5000,
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
]


@pytest.mark.parametrize("when", GARBAGE_TIMES)
def test_an_incident_without_a_readable_start_is_skipped(when: Any) -> None:
    good = {"id": "good", "name": "Fine", "started_at": "2026-07-01T10:00:00Z"}
    bad = {"id": "bad", "name": "Broken", "started_at": when, "created_at": when}
    record = past.read("statuspage", sp(bad, good, "text", 7, None, []))
    assert [p.incident.id for p in record.incidents] == ["good"]
    google = json.dumps([{"id": "g", "begin": when, "affected_products": []}, "x"]).encode()
    assert past.read("google", google).incidents == ()


@pytest.mark.parametrize("when", GARBAGE_TIMES)
def test_a_garbage_end_leaves_a_resolved_incident_closed_and_an_open_one_open(when: Any) -> None:
    base = {"started_at": "2026-07-01T10:00:00Z", "updated_at": "2026-07-01T12:00:00Z"}
    closed = {**base, "id": "a", "status": "resolved", "resolved_at": when}
    still = {**base, "id": "b", "status": "investigating", "resolved_at": when}
    found = by_id(past.read("statuspage", sp(closed, still)))
    assert found["a"].ended == at("2026-07-01T12:00:00Z")  # closed: its last update
    assert found["b"].ended is None


def test_fields_of_the_wrong_type_never_crash_the_reader() -> None:
    weird = {
        "id": ["x"],
        "name": {"en": "Outage"},
        "status": 3,
        "impact": ["critical"],
        "started_at": "2026-07-01T10:00:00Z",
        "resolved_at": "2026-07-01T09:00:00Z",  # before its start
        "shortlink": "javascript:alert(1)",
        "components": "Copilot",
        "incident_updates": [
            "text",
            {"affected_components": {"code": "x"}},
            {"affected_components": [{"code": 5, "name": None, "new_status": ["x"]}, 7]},
        ],
    }
    (only,) = past.read("statuspage", sp(weird), page_url="https://s.example").incidents
    assert only.incident.title == "Untitled incident"
    assert only.incident.level is Level.DEGRADED  # an incident of unknown impact is trouble
    assert only.ended == only.incident.started  # never ends before it starts
    assert only.incident.url is None or only.incident.url.startswith("https://s.example/")


def test_wrong_types_inside_google_and_betterstack_records_never_crash() -> None:
    google = [
        {"begin": "2026-07-01T10:00:00+00:00", "affected_products": "Gemini", "end": 5},
        {"begin": "2026-07-02T10:00:00+00:00", "most_recent_update": [], "status_impact": {}},
    ]
    record = past.read("google", json.dumps(google).encode())
    assert len(record.incidents) == 2
    assert all(p.incident.level is Level.DEGRADED for p in record.incidents)
    index: dict[str, Any] = {
        "data": {"type": "status_page", "attributes": {}},
        "included": [
            "x",
            {
                "type": "status_page_resource",
                "id": "1",
                "attributes": {
                    "public_name": "API",
                    "status_history": [
                        {"day": "garbage", "status": "downtime"},
                        {"day": 20260701, "status": "downtime", "downtime_duration": "lots"},
                        {"day": "2026-07-02", "status": "degraded", "downtime_duration": 10**12},
                        "x",
                    ],
                },
            },
            {"type": "status_report", "id": "2", "attributes": {"starts_at": "soon"}},
            {
                "type": "status_report",
                "id": "3",
                "attributes": {"starts_at": "2026-07-02T00:00:00Z", "aggregate_state": "resolved"},
                "relationships": {"status_updates": {"data": "5"}},
            },
        ],
    }
    record = past.read("betterstack", json.dumps(index).encode())
    assert [p.incident.id for p in record.incidents] == ["3"]
    assert record.incidents[0].ended == record.incidents[0].incident.started
    assert [(d[2], d[3]) for d in record.days] == [
        (Level.MAJOR_OUTAGE, 60.0),  # a bad day without a duration: trouble, length unknown
        (Level.DEGRADED, 86400.0),  # never more than the day
    ]


def test_huge_lists_are_capped_and_read_quickly() -> None:
    one = {"id": "x", "name": "n", "started_at": "2026-07-01T10:00:00Z", "status": "resolved"}
    start = time.monotonic()
    record = past.read("statuspage", sp(*[one] * 200_000))
    assert len(record.incidents) == past.MAX_PAST
    google = [{"id": "g", "begin": "2026-07-01T10:00:00+00:00"}] * 200_000
    assert len(past.read("google", json.dumps(google).encode()).incidents) == past.MAX_PAST
    history = [{"day": "2026-07-01", "status": "downtime"}] * 50_000
    index = {
        "data": {"type": "status_page", "attributes": {}},
        "included": [
            {
                "type": "status_page_resource",
                "id": "1",
                "attributes": {"public_name": "API", "status_history": history},
            }
        ],
    }
    assert len(past.read("betterstack", json.dumps(index).encode()).days) == past.MAX_DAYS
    parts = [{"code": f"c{n}", "new_status": "major_outage"} for n in range(200)]
    updates = [{"affected_components": parts}] * 500
    many = {**one, "incident_updates": updates}
    (only,) = past.read("statuspage", sp(many)).incidents
    assert len(only.parts) == 100  # the first 100 parts of each update are read
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("platform", ["statuspage", "google", "betterstack"])
def test_a_deeply_nested_body_is_a_parse_error(platform: str) -> None:
    with pytest.raises(ParseError):
        past.read(platform, b"[" * 100_000 + b"]" * 100_000)
