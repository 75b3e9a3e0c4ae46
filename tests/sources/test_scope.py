"""Narrowing a page snapshot to one service's components and groups."""

from __future__ import annotations

from datetime import UTC, datetime

from outage_radar.core.model import Component, Incident, Level, Maintenance, Snapshot
from outage_radar.core.scope import scope

AT = datetime(2026, 3, 3, tzinfo=UTC)
PAGE = Snapshot(
    level=Level.MAJOR_OUTAGE,
    components=(
        Component("c1", "Conversations", Level.PARTIAL_OUTAGE, "ChatGPT"),
        Component("c2", "Login", Level.OPERATIONAL, "ChatGPT"),
        Component("c3", "CLI", Level.OPERATIONAL, "Codex"),
        Component("c4", "Copilot", Level.OPERATIONAL),
        Component("c5", "Responses", Level.MAJOR_OUTAGE),
    ),
    incidents=(
        Incident("i1", "Chat errors", Level.PARTIAL_OUTAGE, components=("c1", "Conversations")),
        Incident("i2", "API down", Level.MAJOR_OUTAGE, components=("Responses",)),
        Incident("i3", "Copilot completions slow", Level.DEGRADED),
        Incident("i4", "Something else", Level.DEGRADED),
    ),
    maintenances=(
        Maintenance("m1", "CLI release", active=True, components=("c3",)),
        Maintenance("m2", "Login upgrade", components=("login",)),
    ),
    fetched_at=AT,
    page_name="Example",
)


def test_empty_names_or_unknown_unchanged() -> None:
    assert scope(PAGE, []) is PAGE
    assert scope(PAGE, ["  "]) is PAGE
    unknown = Snapshot.failed("bad JSON")
    assert scope(unknown, ["ChatGPT"]) is unknown


def test_group_name() -> None:
    snap = scope(PAGE, ["chatgpt "])
    assert [c.id for c in snap.components] == ["c1", "c2"]
    assert [i.id for i in snap.incidents] == ["i1"]
    assert [m.id for m in snap.maintenances] == ["m2"]  # matched by name, case-insensitively
    assert snap.level is Level.PARTIAL_OUTAGE
    assert snap.page_name == "Example" and snap.fetched_at == AT and snap.error is None


def test_component_name_and_title_mentions() -> None:
    snap = scope(PAGE, ["Copilot"])
    assert [c.id for c in snap.components] == ["c4"]
    # i3 lists no components but its title names the service
    assert [i.id for i in snap.incidents] == ["i3"]
    assert snap.level is Level.DEGRADED


def test_incident_matched_by_component_name() -> None:
    snap = scope(PAGE, ["responses"])
    assert [i.id for i in snap.incidents] == ["i2"]
    assert snap.level is Level.MAJOR_OUTAGE


def test_active_maintenance_level() -> None:
    snap = scope(PAGE, ["Codex"])
    assert snap.level is Level.MAINTENANCE
    assert [m.id for m in snap.maintenances] == ["m1"]


def test_several_names() -> None:
    snap = scope(PAGE, ["Codex", "Copilot"])
    assert {c.id for c in snap.components} == {"c3", "c4"}
    assert snap.level is Level.DEGRADED


def test_not_found() -> None:
    snap = scope(PAGE, ["Sora", "DALL-E"])
    assert snap.level is Level.UNKNOWN
    assert snap.error == "component not found on page: Sora, DALL-E"
    assert snap.fetched_at == AT


def test_pages_without_components_keep_matching_incidents() -> None:
    feed = Snapshot(
        level=Level.DEGRADED,
        incidents=(
            Incident(
                "x1", "[Grok (Web)] Models outage", Level.MAJOR_OUTAGE, components=("Grok (Web)",)
            ),
            Incident("x2", "[API] Slow", Level.DEGRADED, components=("API",)),
        ),
    )
    assert scope(feed, ["grok (web)"]).level is Level.MAJOR_OUTAGE
    quiet = scope(feed, ["Imagine"])
    assert quiet.level is Level.OPERATIONAL and quiet.incidents == ()


def test_kept_components_with_unknown_levels() -> None:
    page = Snapshot(level=Level.DEGRADED, components=(Component("a", "A", Level.UNKNOWN),))
    snap = scope(page, ["A"])
    assert snap.level is Level.UNKNOWN and snap.error
