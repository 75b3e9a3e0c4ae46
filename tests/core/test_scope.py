"""Narrowing a page snapshot to one service's components and groups."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from outage_radar.core.failures import bad_payload
from outage_radar.core.model import Component, Incident, Level, Maintenance, Snapshot
from outage_radar.core.scope import Found, find, loose, missing, scope

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
    unknown = Snapshot.failed(bad_payload("bad JSON"))
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


def test_not_found_shows_the_whole_page_with_a_note() -> None:
    # Never a silent, permanent unknown: the page still answers, so its level is the best guess.
    snap = scope(PAGE, ["Sora", "DALL-E"], host="status.example.com")
    assert snap.level is Level.MAJOR_OUTAGE and snap.error is None
    assert (
        snap.note == "status.example.com no longer lists 'Sora', 'DALL-E': showing the whole page"
    )
    assert snap.components == PAGE.components and snap.incidents == PAGE.incidents
    assert snap.fetched_at == AT
    assert (
        scope(PAGE, ["Sora"]).note
        == "the status page no longer lists 'Sora': showing the whole page"
    )


def test_some_names_gone_keeps_the_rest_and_says_which() -> None:
    snap = scope(PAGE, ["Codex", "Sora"], host="status.example.com")
    assert [c.id for c in snap.components] == ["c3"]
    assert snap.level is Level.MAINTENANCE
    assert snap.note == "status.example.com no longer lists 'Sora'"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("API", "api"),
        ("APIs", "api"),
        ("  Chat completions ", "chat completion"),
        ("Chat Completions", "chat completion"),
        ("Connectors/Apps", "connector app"),
        ("Grok (Web)", "grok web"),
        ("GPTs", "gpt"),
        ("Codex", "codex"),
        ("s", "s"),  # a lone letter stays itself
        ("---", ""),
        ("Claude Console (platform.claude.com)", "claude console platform claude com"),
    ],
)
def test_loose_key(name: str, key: str) -> None:
    assert loose(name) == key


RENAMED = (
    Component("a1", "Chat Completions", Level.DEGRADED, "APIs"),
    Component("a2", "Responses", Level.OPERATIONAL, "APIs"),
    Component("g1", "Conversations", Level.OPERATIONAL, "ChatGPT"),
    Component("x1", "Codex Web", Level.OPERATIONAL, "Codex"),
)


@pytest.mark.parametrize(
    ("name", "found", "ids"),
    [
        ("APIs", Found.EXACT, ["a1", "a2"]),
        ("API", Found.LOOSE, ["a1", "a2"]),  # the group is `APIs`: what broke OpenAI's entry
        ("apis", Found.LOOSE, ["a1", "a2"]),
        ("Chat Completions", Found.EXACT, ["a1"]),
        ("Chat completions", Found.LOOSE, ["a1"]),
        ("chat-completion", Found.LOOSE, ["a1"]),
        (" Codex ", Found.EXACT, ["x1"]),
        ("Codex-Web", Found.LOOSE, ["x1"]),
        ("ChatGPT", Found.EXACT, ["g1"]),
        ("API Platform", Found.MISSING, []),
        ("Sora", Found.MISSING, []),
        ("", Found.MISSING, []),
    ],
)
def test_find(name: str, found: Found, ids: list[str]) -> None:
    how, comps = find(RENAMED, name)
    assert how is found and [c.id for c in comps] == ids


def test_a_name_written_as_is_wins_over_a_loose_match() -> None:
    both = (Component("p", "API", Level.OPERATIONAL), Component("q", "APIs", Level.MAJOR_OUTAGE))
    assert [c.id for c in find(both, "API")[1]] == ["p"]
    assert [c.id for c in find(both, "api")[1]] == ["p", "q"]  # neither as written: both


def test_scope_through_a_rename_keeps_incidents_by_loose_names() -> None:
    page = Snapshot(
        level=Level.DEGRADED,
        components=RENAMED,
        incidents=(
            Incident("i1", "Slow responses", Level.DEGRADED, components=("Chat-Completions",)),
            Incident("i2", "Login trouble", Level.PARTIAL_OUTAGE, components=("g1",)),
            Incident("i3", "Rapid scaling of the fleet", Level.DEGRADED),
            Incident("i4", "APIs: elevated errors", Level.DEGRADED),
        ),
    )
    snap = scope(page, ["API"])
    assert [c.id for c in snap.components] == ["a1", "a2"]
    # i3 says "rapid", not "API": title mentions match whole words only.
    assert [i.id for i in snap.incidents] == ["i1", "i4"]
    assert snap.level is Level.DEGRADED and snap.note == ""


@pytest.mark.parametrize(
    ("names", "gone"),
    [
        (["API"], ()),
        (["API Platform"], ("API Platform",)),
        (["Codex", "Sora", " "], ("Sora",)),
        ([], ()),
    ],
)
def test_missing(names: list[str], gone: tuple[str, ...]) -> None:
    page = Snapshot(level=Level.OPERATIONAL, components=RENAMED)
    assert missing(page, names) == gone
    assert missing(Snapshot(level=Level.OPERATIONAL), names) == ()  # a feed lists no parts


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
