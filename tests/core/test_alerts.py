"""Alert policy: what a user would be told (or not) after one poll round."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from outage_radar.core import mutes
from outage_radar.core.alerts import Alert, best_alternatives, decide, format_duration
from outage_radar.core.catalog import Service
from outage_radar.core.model import Change, ChangeKind, Component, Incident, Level
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from tests import builders

TZ = timezone(timedelta(hours=2))
NOON = datetime(2025, 3, 14, 12, 0, tzinfo=TZ)
L = Level


def svc(sid: str, name: str, alts: tuple[str, ...] = (), tool: str | None = None) -> Service:
    return builders.service(sid, name, alts, endpoints=(), category="api", tool=tool)


CATALOG = {
    s.id: s
    for s in (
        svc("chatgpt", "ChatGPT", ("claude", "gemini", "mistral", "nope")),
        svc("claude", "Claude", ("chatgpt",), tool="https://claude.ai"),
        svc("gemini", "Gemini", tool="https://gemini.google.com"),
        svc("mistral", "Mistral", tool="https://chat.mistral.ai"),
        svc("copilot", "Copilot"),
    )
}


def state(sid: str, level: Level, comps: tuple[Component, ...] = ()) -> ServiceState:
    return builders.state(CATALOG[sid], level, components=comps, checked_at=None)


def states(**levels: Level) -> dict[str, ServiceState]:
    return {sid: state(sid, lv) for sid, lv in levels.items()}


def change(
    sid: str, old: Level, new: Level, kind: ChangeKind = ChangeKind.LEVEL, **kw: object
) -> Change:
    return builders.change(sid, old, new, kind, at=NOON, names=CATALOG, **kw)


INCIDENT = Incident(
    "i1",
    "Elevated errors on login",
    L.MAJOR_OUTAGE,
    url="https://status.chatgpt.example/incidents/i1",
    latest_update="We are investigating.",
)


def alert_for(changes: list[Change], settings: Settings | None = None, **lv: Level) -> Alert | None:
    live = states(**lv) if lv else {c.service: state(c.service, c.new) for c in changes}
    return decide(changes, settings or Settings(), NOON, live, CATALOG).alert


def test_outage_title_body_click_and_buttons() -> None:
    alert = alert_for(
        [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE, incident=INCIDENT)],
        chatgpt=L.MAJOR_OUTAGE,
        claude=L.DEGRADED,
        gemini=L.OPERATIONAL,
    )
    assert alert is not None
    assert alert.title == "ChatGPT: major outage"
    assert alert.body == "Elevated errors on login\nWe are investigating."
    assert alert.url == "https://status.chatgpt.example/incidents/i1"
    # Claude is degraded, so the healthy Gemini is offered, not the first-listed alternative.
    assert [(a.label, a.url) for a in alert.actions] == [
        ("Status page", "https://status.chatgpt.example"),
        ("Use Gemini", "https://gemini.google.com"),
    ]
    assert alert.level is L.MAJOR_OUTAGE


def test_recovery_says_how_long_it_lasted_and_offers_no_alternative() -> None:
    since = NOON - timedelta(minutes=42)
    alert = alert_for([change("chatgpt", L.MAJOR_OUTAGE, L.OPERATIONAL, since=since)])
    assert alert is not None
    assert alert.title == "ChatGPT is back (down 42 min)"
    assert alert.recovery
    assert [a.label for a in alert.actions] == ["Status page"]
    assert alert.url == "https://status.chatgpt.example"


def test_several_services_in_one_round_give_one_grouped_alert_worst_first() -> None:
    changes = [
        change("claude", L.OPERATIONAL, L.DEGRADED),
        change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE, incident=INCIDENT),
        change("gemini", L.PARTIAL_OUTAGE, L.OPERATIONAL, since=NOON - timedelta(hours=2)),
    ]
    alert = alert_for(changes)
    assert alert is not None
    assert alert.title == "3 services changed"
    assert alert.body.splitlines() == [
        "ChatGPT: major outage — Elevated errors on login",
        "Claude: degraded",
        "Gemini is back (down 2 h)",
    ]
    assert alert.url == INCIDENT.url  # a click opens the worst service's incident


def test_below_min_level_is_silent_and_raising_min_level_silences_partial() -> None:
    assert alert_for([change("claude", L.OPERATIONAL, L.DEGRADED)]) is not None
    strict = Settings(min_level=L.MAJOR_OUTAGE.value)
    assert alert_for([change("claude", L.OPERATIONAL, L.PARTIAL_OUTAGE)], strict) is None
    # ...and the recovery from a problem the user was never told about stays silent too.
    assert alert_for([change("claude", L.PARTIAL_OUTAGE, L.OPERATIONAL)], strict) is None


def test_unknown_is_never_notified() -> None:
    assert alert_for([change("claude", L.OPERATIONAL, L.UNKNOWN)]) is None
    assert alert_for([change("claude", L.UNKNOWN, L.OPERATIONAL)]) is None
    assert alert_for([change("claude", L.MAJOR_OUTAGE, L.UNKNOWN)]) is None


def test_recoveries_and_maintenance_switches() -> None:
    back = [change("claude", L.MAJOR_OUTAGE, L.OPERATIONAL)]
    assert alert_for(back, Settings(notify_recoveries=False)) is None
    maint = [change("claude", L.OPERATIONAL, L.MAINTENANCE)]
    assert alert_for(maint) is None  # off by default
    assert alert_for(maint, Settings(notify_maintenance=True)) is not None
    started = [change("claude", L.OPERATIONAL, L.OPERATIONAL, ChangeKind.MAINTENANCE_STARTED)]
    assert alert_for(started) is None
    alert = alert_for(started, Settings(notify_maintenance=True))
    assert alert is not None and alert.title == "Claude: maintenance started"


def test_muted_service_is_silent_until_the_mute_ends() -> None:
    settings = Settings()
    mutes.mute_for(settings, "chatgpt", 1, NOON)
    outage = [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)]
    assert decide(outage, settings, NOON, {}, CATALOG).alert is None
    later = NOON + timedelta(hours=1, minutes=1)
    assert decide(outage, settings, later, {}, CATALOG).alert is not None
    # The other services still notify while one is muted.
    assert alert_for([change("claude", L.OPERATIONAL, L.MAJOR_OUTAGE)], settings) is not None


def test_muted_and_unwatched_components() -> None:
    settings = Settings(muted_components={"chatgpt": ["Voice"]})
    voice = change(
        "chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE, ChangeKind.COMPONENT, component="Voice"
    )
    login = change("chatgpt", L.OPERATIONAL, L.DEGRADED, ChangeKind.COMPONENT, component="Login")
    assert alert_for([voice], settings) is None
    alert = alert_for([login], settings)
    assert alert is not None and alert.title == "ChatGPT: Login degraded"
    # Watching only Login: a service-level outage caused by Voice alone stays silent.
    picky = Settings(components={"chatgpt": ["Login"]})
    comps = (Component("1", "Login", L.OPERATIONAL), Component("2", "Voice", L.MAJOR_OUTAGE))
    live = {"chatgpt": state("chatgpt", L.MAJOR_OUTAGE, comps)}
    level = [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)]
    assert decide(level, picky, NOON, live, CATALOG).alert is None
    comps = (Component("1", "Login", L.PARTIAL_OUTAGE), Component("2", "Voice", L.MAJOR_OUTAGE))
    live = {"chatgpt": state("chatgpt", L.MAJOR_OUTAGE, comps)}
    assert decide(level, picky, NOON, live, CATALOG).alert is not None


def test_incident_on_an_unwatched_component_is_silent() -> None:
    inc = Incident("v", "Voice broken", L.MAJOR_OUTAGE, components=("Voice",))
    opened = change("chatgpt", L.DEGRADED, L.DEGRADED, ChangeKind.INCIDENT_OPENED, incident=inc)
    assert alert_for([opened], Settings(components={"chatgpt": ["Login"]})) is None
    alert = alert_for([opened])
    assert alert is not None and alert.title == "ChatGPT: new incident"
    assert alert.body == "Voice broken"


@pytest.mark.parametrize(
    ("start", "end", "clock", "quiet"),
    [
        ("22:00", "07:00", "23:30", True),  # before midnight
        ("22:00", "07:00", "00:10", True),  # after midnight
        ("22:00", "07:00", "06:59", True),
        ("22:00", "07:00", "07:00", False),  # the end is not quiet any more
        ("22:00", "07:00", "12:00", False),
        ("22:00", "07:00", "21:59", False),
        ("13:00", "14:00", "13:30", True),  # a window inside one day
        ("13:00", "14:00", "14:30", False),
        ("", "07:00", "03:00", False),  # half-set means off
        ("08:00", "08:00", "08:00", False),  # an empty window is off
        ("junk", "07:00", "03:00", False),
    ],
)
def test_quiet_hours_cross_midnight(start: str, end: str, clock: str, quiet: bool) -> None:
    settings = Settings(quiet_start=start, quiet_end=end)
    hour, minute = map(int, clock.split(":"))
    now = NOON.replace(hour=hour, minute=minute)
    assert mutes.in_quiet_hours(settings, now) is quiet
    outage = [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)]
    got = decide(outage, settings, now, {}, CATALOG).alert
    assert (got is None) is quiet


def test_pause_silences_everything_until_it_ends() -> None:
    settings = Settings()
    end = mutes.pause_for(settings, 4, NOON)
    outage = [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)]
    assert decide(outage, settings, NOON + timedelta(hours=3), {}, CATALOG).alert is None
    assert decide(outage, settings, end, {}, CATALOG).alert is not None
    assert mutes.prune(settings, end) and settings.paused_until == ""


def test_notify_me_when_it_recovers_beats_mute_quiet_hours_and_switches_once() -> None:
    settings = Settings(notify_recoveries=False, quiet_start="00:00", quiet_end="23:59")
    mutes.mute_for(settings, "chatgpt", 8, NOON)
    mutes.set_recover_once(settings, "chatgpt", True)
    back = [change("chatgpt", L.MAJOR_OUTAGE, L.OPERATIONAL, since=NOON - timedelta(hours=1))]
    decision = decide(back, settings, NOON, {}, CATALOG)
    assert decision.alert is not None and decision.alert.title == "ChatGPT is back (down 1 h)"
    assert decision.fired_once == ("chatgpt",)
    # Other services' changes in the same round still follow the rules.
    both = [*back, change("claude", L.OPERATIONAL, L.MAJOR_OUTAGE)]
    assert decide(both, settings, NOON, {}, CATALOG).alert.services == ("chatgpt",)  # type: ignore[union-attr]


def test_best_alternatives_rank_healthy_then_unwatched_then_problems() -> None:
    live = states(claude=L.MAJOR_OUTAGE, gemini=L.DEGRADED, chatgpt=L.MAJOR_OUTAGE)
    ranked = best_alternatives(CATALOG["chatgpt"], live, CATALOG)
    # "nope" is not in the catalog; Mistral is not watched (unknown) so it beats the problems.
    assert [(s.name, lv) for s, lv in ranked] == [
        ("Mistral", L.UNKNOWN),
        ("Gemini", L.DEGRADED),
        ("Claude", L.MAJOR_OUTAGE),
    ]
    live = states(claude=L.OPERATIONAL, gemini=L.MAINTENANCE)
    assert [s.name for s, _ in best_alternatives(CATALOG["chatgpt"], live, CATALOG)] == [
        "Claude",
        "Gemini",
        "Mistral",
    ]


def test_no_use_alternative_button_when_every_alternative_is_down() -> None:
    alert = alert_for(
        [change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)],
        chatgpt=L.MAJOR_OUTAGE,
        claude=L.MAJOR_OUTAGE,
        gemini=L.PARTIAL_OUTAGE,
        mistral=L.DEGRADED,
    )
    assert alert is not None and [a.label for a in alert.actions] == ["Status page"]


def test_hostile_text_stays_plain_and_short() -> None:
    hostile = Incident(
        "h",
        "<b>x</b> <a href='file:///etc/passwd'>&amp;\u202e\x00" + "A" * 5000,
        L.MAJOR_OUTAGE,
        url="file:///etc/passwd",
        latest_update="line\x07one\n" + "B" * 5000,
    )
    alert = alert_for([change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE, incident=hostile)])
    assert alert is not None
    assert alert.body.startswith("<b>x</b> <a href='file:///etc/passwd'>&amp;A")  # literal text
    assert "\x00" not in alert.body and "\u202e" not in alert.body and "\x07" not in alert.body
    assert len(alert.body) <= 600
    assert alert.url == "https://status.chatgpt.example"  # the file: link is never the target


def test_format_duration() -> None:
    assert [
        format_duration(timedelta(seconds=s)) for s in (5, 60 * 42, 3600, 3600 * 1.5, 86400 * 2.5)
    ] == ["<1 min", "42 min", "1 h", "1 h 30 min", "2 d 12 h"]


@pytest.mark.parametrize(
    ("clock", "expected"),
    [("12:00", (15, 7)), ("23:30", (15, 7)), ("01:30", (14, 7)), ("05:00", (15, 7))],
)
def test_until_tomorrow_is_the_next_morning(clock: str, expected: tuple[int, int]) -> None:
    hour, minute = map(int, clock.split(":"))
    end = mutes.until_tomorrow(NOON.replace(hour=hour, minute=minute))
    assert (end.day, end.hour) == expected and end.tzinfo is TZ


def test_mute_helpers_round_trip_and_prune() -> None:
    settings = Settings()
    mutes.mute_until_tomorrow(settings, "claude", NOON)
    assert mutes.muted_until(settings, "claude", NOON) == datetime(2025, 3, 15, 7, tzinfo=TZ)
    settings.muted["forever"] = ""
    assert mutes.is_muted(settings, "forever", NOON)
    settings.muted["naive"] = "2025-03-14T13:00:00"  # hand-edited, no zone: read as local
    assert mutes.is_muted(settings, "naive", NOON)
    assert not mutes.prune(settings, NOON)
    assert mutes.prune(settings, NOON + timedelta(days=1))
    assert settings.muted == {"forever": ""}
    mutes.unmute(settings, "forever")
    assert not mutes.is_muted(settings, "forever", NOON)
    mutes.set_component_muted(settings, "chatgpt", "Voice", True)
    assert not mutes.component_watched(settings, "chatgpt", "Voice")
    mutes.set_component_muted(settings, "chatgpt", "Voice", False)
    assert settings.muted_components == {}


FIXING = Incident(
    "i2",
    "Image generation errors",
    L.DEGRADED,
    url="https://status.chatgpt.example/incidents/i2",
    latest_update="We are deploying a fix.",
)


@pytest.mark.parametrize(
    ("changes", "title", "body"),
    [
        (
            [change("chatgpt", L.DEGRADED, L.OPERATIONAL, incident=FIXING)],
            "ChatGPT is back",
            "Image generation errors (resolved)",
        ),
        (
            [
                change(
                    "chatgpt", L.DEGRADED, L.DEGRADED, ChangeKind.INCIDENT_RESOLVED, incident=FIXING
                )
            ],
            "ChatGPT: incident resolved",
            "Image generation errors (resolved)",
        ),
        (
            [
                change("chatgpt", L.DEGRADED, L.OPERATIONAL, incident=FIXING),
                change("claude", L.OPERATIONAL, L.DEGRADED),
            ],
            "2 services changed",
            "Claude: degraded\nChatGPT is back — Image generation errors (resolved)",
        ),
    ],
    ids=["recovery", "resolved", "grouped"],
)
def test_a_recovery_says_resolved_never_the_stale_last_update(
    changes: list[Change], title: str, body: str
) -> None:
    alert = alert_for(changes)
    assert alert is not None
    assert (alert.title, alert.body) == (title, body)
    assert "deploying a fix" not in alert.body
