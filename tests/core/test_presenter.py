"""The presenter's decisions, as tables: what an event or an intent means, without Qt."""

from __future__ import annotations

from datetime import timedelta

import pytest

from outage_radar.core.model import ChangeKind, Component, Level
from outage_radar.core.mutes import UNTIL_TOMORROW
from outage_radar.core.presenter import Effects, Presenter
from outage_radar.core.probes import Outcome, ProbeResult
from outage_radar.core.settings import Settings
from tests.builders import CATALOG, NOW, change, state, states

L = Level


def presenter(settings: Settings | None = None, **kw: object) -> Presenter:
    return Presenter(settings or Settings(), CATALOG, now=lambda: NOW, **kw)  # type: ignore[arg-type]


def muted() -> Settings:
    return Settings(muted={"chatgpt": ""})


def paused() -> Settings:
    return Settings(paused_until=(NOW + timedelta(hours=1)).isoformat())


def quiet() -> Settings:
    return Settings(quiet_start="10:00", quiet_end="11:00")


def asked_back() -> Settings:
    return Settings(muted={"chatgpt": ""}, recover_once=["chatgpt"])


def ended_mute() -> Settings:
    return Settings(muted={"claude": (NOW - timedelta(minutes=1)).isoformat()})


OUTAGE = change("chatgpt", L.OPERATIONAL, L.MAJOR_OUTAGE)
BACK = change("chatgpt", L.MAJOR_OUTAGE, L.OPERATIONAL, since=NOW - timedelta(minutes=42))


@pytest.mark.parametrize(
    ("settings", "changed", "title", "save", "render", "recover_once"),
    [
        (Settings, OUTAGE, "ChatGPT: major outage", False, False, []),
        (muted, OUTAGE, None, False, False, []),
        (paused, OUTAGE, None, False, False, []),
        (quiet, OUTAGE, None, False, False, []),
        # Asked for, so it gets through the mute once, and the request ends (saved, repainted).
        (asked_back, BACK, "ChatGPT is back (down 42 min)", True, True, []),
        (muted, BACK, None, False, False, []),
        # A mute that has ended is forgotten and saved, whatever the round brings.
        (ended_mute, OUTAGE, "ChatGPT: major outage", True, False, []),
    ],
)
def test_what_a_round_of_changes_means(
    settings: type[Settings],
    changed: object,
    title: str | None,
    save: bool,
    render: bool,
    recover_once: list[str],
) -> None:
    p = presenter(settings())
    live = states(chatgpt=changed.new, claude=L.OPERATIONAL)  # type: ignore[attr-defined]
    effects = p.on_changes([changed], live)  # type: ignore[list-item]
    assert [a.title for a in effects.alerts] == ([title] if title else [])
    assert (effects.save, effects.render) == (save, render)
    assert p.settings.recover_once == recover_once
    assert p.settings.muted.get("claude") is None


def probe(minute: int, outcome: Outcome = Outcome.TIMEOUT) -> ProbeResult:
    return ProbeResult("chatgpt", outcome, NOW + timedelta(minutes=minute))


WARNING = "ChatGPT failing for you (3 timeouts in 2 min); status page says operational"


@pytest.mark.parametrize(
    ("settings", "page", "outcomes", "titles"),
    [
        (Settings, L.OPERATIONAL, [Outcome.TIMEOUT] * 3, [WARNING]),
        (Settings, L.OPERATIONAL, [Outcome.TIMEOUT] * 2, []),
        (Settings, L.OPERATIONAL, [Outcome.TIMEOUT, Outcome.OK, Outcome.TIMEOUT], []),
        (Settings, L.MAJOR_OUTAGE, [Outcome.TIMEOUT] * 3, []),  # the page already says so
        (muted, L.OPERATIONAL, [Outcome.TIMEOUT] * 3, []),  # the one silence rule
        (paused, L.OPERATIONAL, [Outcome.TIMEOUT] * 3, []),
        (quiet, L.OPERATIONAL, [Outcome.TIMEOUT] * 3, []),
    ],
)
def test_what_probe_results_mean(
    settings: type[Settings], page: Level, outcomes: list[Outcome], titles: list[str]
) -> None:
    p = presenter(settings())
    live = states(chatgpt=page)
    effects = [p.on_probe(probe(i, o), live) for i, o in enumerate(outcomes)]
    assert [a.title for e in effects for a in e.alerts] == titles
    assert all(e.render for e in effects)  # the probe line changes every time


def test_a_probe_of_a_service_not_watched_means_nothing() -> None:
    assert presenter().on_probe(probe(0), {}) == Effects()


def test_a_page_confirming_a_warning_gives_one_lead_to_keep() -> None:
    p = presenter()
    for minute in (0, 1, 2):
        p.on_probe(probe(minute), states(chatgpt=L.OPERATIONAL))
    assert p.on_update(states(chatgpt=L.OPERATIONAL)).leads == ()
    later = {"chatgpt": state("chatgpt", L.PARTIAL_OUTAGE, since=NOW + timedelta(minutes=11))}
    (lead,) = p.on_update(later).leads
    assert lead.minutes == 9 and p.leads == {"chatgpt": lead}
    assert p.on_update(later).leads == ()  # once
    shown = p.view(later, lambda key: [], None)["chatgpt"]
    assert shown.lead == lead


@pytest.mark.parametrize(
    ("hours", "paused_until"),
    [
        (1.0, "2025-06-02T11:30:00+01:00"),
        (4.0, "2025-06-02T14:30:00+01:00"),
        (UNTIL_TOMORROW, "2025-06-03T07:00:00+01:00"),
        (0.0, ""),
    ],
)
def test_pause_intents(hours: float, paused_until: str) -> None:
    p = presenter(Settings(paused_until="2025-06-02T12:00:00+01:00"))
    assert p.pause(hours) == Effects(save=True)
    assert p.settings.paused_until == paused_until


@pytest.mark.parametrize(
    ("hours", "muted"),
    [
        (1.0, {"chatgpt": "2025-06-02T11:30:00+01:00"}),
        (UNTIL_TOMORROW, {"chatgpt": "2025-06-03T07:00:00+01:00"}),
        (0.0, {}),
    ],
)
def test_mute_intents(hours: float, muted: dict[str, str]) -> None:
    p = presenter(Settings(muted={"chatgpt": ""}))
    assert p.mute("chatgpt", hours) == Effects(save=True)
    assert p.settings.muted == muted


@pytest.mark.parametrize(("on", "ids"), [(True, ["claude", "chatgpt"]), (False, ["claude"])])
def test_recover_once_intents(on: bool, ids: list[str]) -> None:
    p = presenter(Settings(recover_once=["claude"]))
    assert p.recover_once("chatgpt", on) == Effects(save=True)
    assert p.settings.recover_once == ids


@pytest.mark.parametrize(
    ("fixed_services", "fixed_interval", "expected"),
    [
        (False, None, Effects(services=True, interval=120.0, probe_interval=600.0)),
        (True, None, Effects(services=False, interval=120.0, probe_interval=600.0)),
        (False, 30.0, Effects(services=True, interval=None, probe_interval=600.0)),
    ],
)
def test_settings_saved_in_the_window(
    fixed_services: bool, fixed_interval: float | None, expected: Effects
) -> None:
    p = presenter(fixed_services=fixed_services, fixed_interval=fixed_interval)
    new = Settings(interval=120.0, probe_interval=600.0)
    assert p.apply_settings(new) == expected
    assert p.settings is new


def test_the_first_run_choice_is_saved_and_watched() -> None:
    p = presenter(Settings(first_run_done=False))
    effects = p.finish_welcome(["claude", "gemini"])
    assert effects == Effects(save=True, services=True, interval=60.0, probe_interval=300.0)
    assert p.settings.services == ["claude", "gemini"] and p.settings.first_run_done


def test_kinds_other_than_level_go_through_the_alert_policy() -> None:
    p = presenter(Settings(notify_maintenance=True))
    started = change("chatgpt", L.OPERATIONAL, L.OPERATIONAL, ChangeKind.MAINTENANCE_STARTED)
    (alert,) = p.on_changes([started], states(chatgpt=L.OPERATIONAL)).alerts
    assert alert.title == "ChatGPT: maintenance started"


PARTS = (
    Component("c1", "Login", L.OPERATIONAL),
    Component("c2", "Image Generation", L.DEGRADED),
)


@pytest.mark.parametrize(
    ("settings", "level", "shown"),
    [
        (Settings(), L.DEGRADED, L.DEGRADED),
        (Settings(components={"chatgpt": ["Login"]}), L.DEGRADED, L.OPERATIONAL),
        (Settings(muted_components={"chatgpt": ["Image Generation"]}), L.DEGRADED, L.OPERATIONAL),
        (Settings(components={"chatgpt": ["Image Generation"]}), L.DEGRADED, L.DEGRADED),
        (Settings(components={"claude": ["Login"]}), L.DEGRADED, L.DEGRADED),
        # A page that could not be read stays unknown: there is nothing to narrow.
        (Settings(components={"chatgpt": ["Login"]}), L.UNKNOWN, L.UNKNOWN),
    ],
    ids=["all-watched", "unticked", "muted", "ticked", "other-service", "unknown"],
)
def test_the_view_counts_only_the_parts_the_user_watches(
    settings: Settings, level: Level, shown: Level
) -> None:
    live = {"chatgpt": state("chatgpt", level, components=PARTS)}
    view = presenter(settings).view(live, lambda _key: [], None)
    assert view["chatgpt"].level is shown
    assert view["chatgpt"].snapshot.components == PARTS  # the parts are still listed
