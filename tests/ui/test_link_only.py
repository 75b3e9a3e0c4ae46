"""Link-only services (no public status feed) in the tray: listed with their links and a neutral
icon, never an error, never counted in the tray's overall state."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from outage_radar.core.catalog import Probe, Service
from outage_radar.core.failures import LINK_ONLY
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.probes import Outcome, ProbeResult
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from outage_radar.ui.icon import level_icon
from outage_radar.ui.icon_spec import IconKey, Mark
from outage_radar.ui.status_window import StatusWindow
from outage_radar.ui.tray import Tray

from .helpers import CATALOG, NOW, find, service, state, submenu, texts

MIDJOURNEY = service(
    "midjourney",
    "Midjourney",
    ("chatgpt",),
    url="https://docs.midjourney.example/status",
    platform="link",
    category="media",
    support="https://help.midjourney.example",
    tool="https://midjourney.example",
)
LOOKUP = {**CATALOG, "midjourney": MIDJOURNEY}


def no_feed(service: Service = MIDJOURNEY) -> ServiceState:
    """What the monitor reports for a link-only service: never polled, never checked."""
    return ServiceState(service, Snapshot.failed(LINK_ONLY))


def same_icon(icon: QIcon, key: IconKey) -> bool:
    return icon.cacheKey() == level_icon(key).cacheKey()


@pytest.fixture
def tray(qtbot: QtBot) -> Tray:
    return Tray(LOOKUP)


def test_listed_with_a_neutral_icon_and_no_public_status_feed(tray: Tray) -> None:
    states = {"chatgpt": state("chatgpt", Level.OPERATIONAL), "midjourney": no_feed()}
    tray.render(states, Settings(), NOW)
    entry = find(tray.menu, "Midjourney")
    assert entry.text() == "Midjourney — no public status feed"  # no "unknown (…)" error
    assert same_icon(entry.icon(), Mark.NO_FEED)
    assert not same_icon(entry.icon(), Level.UNKNOWN)
    sub = submenu(tray.menu, "Midjourney")
    assert texts(sub) == [
        "No public status feed: see the provider's pages",
        "Open status page",
        "Alternatives",
        "Search X",
        "Search Reddit",
        "Downdetector",
        "Contact support",
    ]
    assert find(sub, "Open status page").isEnabled()
    # Nothing to diagnose, mute or wait for: there is no feed to change.
    assert not any(t.startswith(("Is it just me", "Mute", "Notify me")) for t in texts(sub))


def test_with_an_api_key_check_it_shows_the_check_and_is_it_just_me(
    tray: Tray, qtbot: QtBot
) -> None:
    mistral = replace(
        MIDJOURNEY, id="mistral", name="Mistral", probe=Probe("https://api.mistral.example", "k")
    )
    checked = (ProbeResult("mistral", Outcome.OK, NOW, 142),)
    state = ServiceState(mistral, Snapshot.failed(LINK_ONLY), probes=checked)
    tray.render({"mistral": state}, Settings(), NOW)
    sub = submenu(tray.menu, "Mistral")
    assert texts(sub)[:4] == [
        "No public status feed: see the provider's pages",
        "Open status page",
        "Your API key: ok · 142 ms · ▅",
        "Is it just me?",
    ]
    with qtbot.waitSignal(tray.doctor_requested) as asked:
        find(sub, "Is it just me?").trigger()
    assert asked.args == ["mistral"]


def test_the_links_open(tray: Tray, opened: list[str]) -> None:
    tray.render({"midjourney": no_feed()}, Settings(), NOW)
    sub = submenu(tray.menu, "Midjourney")
    find(sub, "Open status page").trigger()
    find(sub, "Contact support").trigger()
    assert opened == ["https://docs.midjourney.example/status", "https://help.midjourney.example"]


def test_the_tray_stays_green_when_every_polled_service_is_operational(tray: Tray) -> None:
    states = {
        "chatgpt": state("chatgpt", Level.OPERATIONAL),
        "claude": state("claude", Level.OPERATIONAL),
        "midjourney": no_feed(),
    }
    tray.render(states, Settings(), NOW)
    assert tray.level is Level.OPERATIONAL
    assert same_icon(tray.icon.icon(), Level.OPERATIONAL)
    assert texts(tray.menu)[0] == "Outage Radar — All services operational"
    assert same_icon(find(tray.menu, "Outage Radar").icon(), Level.OPERATIONAL)
    assert tray.icon.toolTip() == (
        "Outage Radar<br>All services operational · 1 with no public status feed"
    )


def test_never_counted_among_problems_or_unknowns(tray: Tray) -> None:
    other = replace(MIDJOURNEY, id="mistral", name="Mistral")
    states = {
        "claude": state("claude", Level.DEGRADED),
        "midjourney": no_feed(),
        "mistral": no_feed(other),
    }
    tray.render(states, Settings(), NOW)
    assert tray.level is Level.DEGRADED
    assert texts(tray.menu)[0] == "Outage Radar — 1 service with problems"
    assert "unknown" not in tray.icon.toolTip()
    assert tray.icon.toolTip().endswith("Claude: degraded · 2 with no public status feed")


def test_only_link_only_services_show_the_neutral_mark_not_unknown(tray: Tray) -> None:
    tray.render({"midjourney": no_feed()}, Settings(), NOW)
    assert texts(tray.menu)[0] == "Outage Radar — No status feeds to check"
    assert same_icon(tray.icon.icon(), Mark.NO_FEED)
    assert tray.icon.toolTip() == "Outage Radar<br>1 with no public status feed"


def test_an_alternative_without_a_feed_says_so(tray: Tray) -> None:
    chatgpt = replace(CATALOG["chatgpt"], alternatives=("midjourney", "claude"))
    states = {
        "chatgpt": ServiceState(chatgpt, Snapshot(Level.MAJOR_OUTAGE)),
        "claude": state("claude", Level.OPERATIONAL),
        "midjourney": no_feed(),
    }
    tray.render(states, Settings(), NOW)
    alternatives = submenu(submenu(tray.menu, "ChatGPT"), "Alternatives")
    assert texts(alternatives) == ["Claude — operational", "Midjourney — no public status feed"]
    assert same_icon(find(alternatives, "Midjourney").icon(), Mark.NO_FEED)


def test_the_no_tray_window_shows_it_the_same_way(qtbot: QtBot) -> None:
    window = StatusWindow()
    qtbot.addWidget(window)
    states = {"gemini": state("gemini", Level.OPERATIONAL), "midjourney": no_feed()}
    window.show_states(states, NOW)
    rows = [window.services.item(i) for i in range(window.services.count())]
    assert [r.text() for r in rows] == [
        "Gemini — operational",
        "Midjourney — no public status feed",
    ]
    assert same_icon(rows[1].icon(), Mark.NO_FEED)
    assert window.headline.text().startswith("All services operational — Gemini: operational")
