"""The tray menu as a user sees it: labels, order, what each click opens or asks for."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from outage_radar.core import mutes
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.model import Component, Incident, Level
from outage_radar.core.presenter import Presenter
from outage_radar.core.settings import Settings
from outage_radar.ui.icon import level_icon
from outage_radar.ui.menu import UNTIL_TOMORROW
from outage_radar.ui.menu_model import HELP_URL
from outage_radar.ui.tray import Tray
from tests.conftest import repo_root

from .helpers import CATALOG, NOW, find, state, submenu, texts

OUTAGE = Incident(
    "i1",
    "Elevated errors & timeouts",
    Level.MAJOR_OUTAGE,
    url="https://status.chatgpt.example/incidents/i1",
    updated=NOW - timedelta(minutes=12),
    latest_update="We are investigating.",
)


@pytest.fixture
def tray(qtbot: QtBot) -> Tray:
    return Tray(CATALOG)


def outage_states() -> dict[str, object]:
    comps = (
        Component("c1", "Login", Level.MAJOR_OUTAGE),
        Component("c2", "Voice mode", Level.OPERATIONAL),
    )
    return {
        "chatgpt": state(
            "chatgpt",
            Level.MAJOR_OUTAGE,
            since=NOW.replace(hour=10, minute=5),
            incidents=(OUTAGE,),
            components=comps,
        ),
        "claude": state("claude", Level.DEGRADED, since=NOW - timedelta(hours=1)),
        "gemini": state("gemini", Level.OPERATIONAL),
    }


def test_menu_shows_header_services_and_global_items(tray: Tray) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    assert texts(tray.menu) == [
        "Outage Radar — 2 services with problems",
        "ChatGPT — major outage",
        "Claude — degraded",
        "Gemini — operational",
        "Last checked just now",
        "Check now",
        "Pause notifications",
        "History…",
        "Settings…",
        "Help",
        "About Outage Radar",
        "Quit",
    ]
    assert tray.level is Level.MAJOR_OUTAGE
    assert tray.icon.toolTip() == (
        "Outage Radar<br>ChatGPT: major outage since 10:05 · "
        "Claude: degraded since 09:30 · 1 other operational"
    )


def test_service_submenu_lists_everything_the_issue_asks_for(tray: Tray, opened: list[str]) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    sub = submenu(tray.menu, "ChatGPT")
    assert texts(sub) == [
        "Components",
        "Login — major outage",
        "Voice mode — operational",
        "Incidents",
        "Elevated errors && timeouts · 12 min ago",  # && shows a literal & in Qt menus
        "    We are investigating.",
        "Open status page",
        "Is it just me?",
        "Alternatives",
        "Search X",
        "Search Reddit",
        "Downdetector",
        "Contact support",
        "Notify me when it recovers",
        "Mute for 1 h",
        "Mute until tomorrow",
    ]
    find(sub, "Elevated errors").trigger()
    find(sub, "Open status page").trigger()
    find(sub, "Contact support").trigger()
    assert opened == [
        "https://status.chatgpt.example/incidents/i1",
        "https://status.chatgpt.example",
        "https://help.chatgpt.example",
    ]


def test_alternatives_are_ranked_by_live_level_and_open_the_tool(
    tray: Tray, opened: list[str]
) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    alts = submenu(submenu(tray.menu, "ChatGPT"), "Alternatives")
    # Gemini is healthy, Mistral is not watched, Claude is degraded.
    assert texts(alts) == ["Gemini — operational", "Mistral — not watched", "Claude — degraded"]
    find(alts, "Gemini").trigger()
    assert opened == ["https://gemini.example"]


def test_intents_reach_the_app(tray: Tray, qtbot: QtBot) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    sub = submenu(tray.menu, "ChatGPT")
    with qtbot.waitSignal(tray.mute_requested) as muted:
        find(sub, "Mute until tomorrow").trigger()
    assert muted.args == ["chatgpt", UNTIL_TOMORROW]
    with qtbot.waitSignal(tray.recover_once_requested) as once:
        find(sub, "Notify me when it recovers").trigger()
    assert once.args == ["chatgpt", True]
    with qtbot.waitSignal(tray.pause_requested) as paused:
        find(submenu(tray.menu, "Pause notifications"), "For 4 hours").trigger()
    assert paused.args == [4.0]
    for text, signal in [
        ("Check now", tray.check_now_requested),
        ("History…", tray.history_requested),
        ("Settings…", tray.settings_requested),
        ("About Outage Radar", tray.about_requested),
        ("Quit", tray.quit_requested),
    ]:
        with qtbot.waitSignal(signal):
            find(tray.menu, text).trigger()


def test_muted_and_paused_states_show_and_offer_the_way_back(tray: Tray) -> None:
    settings = Settings()
    mutes.mute_for(settings, "claude", 1, NOW)
    mutes.pause_for(settings, 4, NOW)
    tray.render(outage_states(), settings, NOW)  # type: ignore[arg-type]
    assert "Notifications paused until 14:30" in texts(tray.menu)
    assert "Claude — degraded (muted)" in texts(tray.menu)
    assert "Unmute (muted until 11:30)" in texts(submenu(tray.menu, "Claude"))
    assert "Resume notifications" in texts(submenu(tray.menu, "Pause notifications"))


def test_recovery_request_only_offered_while_there_is_a_problem(tray: Tray) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    assert not find(submenu(tray.menu, "Gemini"), "Notify me when it recovers").isEnabled()
    assert find(submenu(tray.menu, "Claude"), "Notify me when it recovers").isEnabled()


def test_hostile_incident_text_is_literal_single_line_and_elided(
    tray: Tray, opened: list[str]
) -> None:
    hostile = Incident(
        "h",
        "<b>x</b> &amp; R&D \u202egnp.exe\x00" + "é🙂" * 2500,
        Level.MAJOR_OUTAGE,
        url="file:///etc/passwd",
        latest_update="line one\nline two <script>",
    )
    states = {"chatgpt": state("chatgpt", Level.MAJOR_OUTAGE, incidents=(hostile,))}
    tray.render(states, Settings(), NOW)  # type: ignore[arg-type]
    sub = submenu(tray.menu, "ChatGPT")
    label = texts(sub)[1]
    assert label.startswith("<b>x</b> &&amp; R&&D gnp.exeé🙂")
    assert "\u202e" not in label and "\x00" not in label
    assert len(label) < 100 and "…" in label
    assert "    line one line two <script>" in texts(sub)
    find(sub, "<b>x</b>").trigger()
    # The file: link is never opened: the click falls back to the status page.
    assert opened == ["https://status.chatgpt.example"]


def test_refill_reuses_the_same_menu_and_frees_old_submenus(tray: Tray, qtbot: QtBot) -> None:
    menu, icon = tray.menu, tray.icon
    for _ in range(3):
        tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    assert tray.menu is menu and tray.icon is icon and tray.icon.contextMenu() is menu
    qtbot.wait(10)  # let deleteLater run
    from PySide6.QtWidgets import QMenu

    live = menu.findChildren(QMenu)
    # 3 service submenus + their alternatives + the pause menu: one fill's worth, not three.
    assert len(live) <= 3 + 2 + 1


def test_unknown_state_shows_the_reason_and_a_grey_icon(tray: Tray) -> None:
    states = {"claude": state("claude", Level.UNKNOWN, failure=Failure(Kind.TIMEOUT))}
    tray.render(states, Settings(), NOW)  # type: ignore[arg-type]
    assert "Claude — unknown (timed out)" in texts(tray.menu)
    assert tray.level is Level.UNKNOWN


def test_an_unticked_part_in_trouble_leaves_the_tray_green(tray: Tray) -> None:
    # Settings → ChatGPT → Image Generation unticked; then only Image Generation degrades.
    parts = (
        Component("c1", "Login", Level.OPERATIONAL),
        Component("c2", "Image Generation", Level.DEGRADED),
    )
    live = {
        "chatgpt": state("chatgpt", Level.DEGRADED, components=parts),
        "claude": state("claude", Level.OPERATIONAL),
    }
    presenter = Presenter(Settings(components={"chatgpt": ["Login"]}), CATALOG, now=lambda: NOW)
    tray.render(presenter.view(live, lambda _key: [], None), presenter.settings, NOW)
    assert tray.level is Level.OPERATIONAL
    assert tray.icon.icon().cacheKey() == level_icon(Level.OPERATIONAL).cacheKey()
    assert tray.icon.toolTip() == "Outage Radar<br>All services operational"
    assert texts(tray.menu)[:3] == [
        "Outage Radar — All services operational",
        "ChatGPT — operational",
        "Claude — operational",
    ]
    # The part is still listed with its own state: unwatched, not hidden.
    assert "Image Generation — degraded" in texts(submenu(tray.menu, "ChatGPT"))


def test_offline_says_so_once_and_rows_keep_their_last_known_state(tray: Tray) -> None:
    offline = Failure(Kind.OFFLINE)
    live = {
        "chatgpt": replace(
            state("chatgpt", Level.UNKNOWN, failure=offline), last_known=Level.OPERATIONAL
        ),
        "claude": replace(
            state("claude", Level.UNKNOWN, failure=offline), last_known=Level.DEGRADED
        ),
        "gemini": state("gemini", Level.UNKNOWN, failure=offline),
    }
    tray.render(live, Settings(), NOW)  # type: ignore[arg-type]
    assert texts(tray.menu)[:4] == [
        "Outage Radar — You are offline",
        "ChatGPT — operational (last known, offline)",
        "Claude — degraded (last known, offline)",
        "Gemini — unknown (offline)",
    ]
    assert tray.icon.toolTip() == "Outage Radar<br>You are offline"
    assert tray.level is Level.UNKNOWN


def test_quiet_hours_say_notifications_are_held(tray: Tray) -> None:
    settings = Settings(quiet_start="22:00", quiet_end="11:00")  # NOW is 10:30
    tray.render(outage_states(), settings, NOW)  # type: ignore[arg-type]
    assert texts(tray.menu)[1] == "Quiet hours until 11:00: notifications held"
    tray.render(outage_states(), Settings(quiet_start="22:00", quiet_end="07:00"), NOW)  # type: ignore[arg-type]
    assert not any(t.startswith("Quiet hours") for t in texts(tray.menu))


def test_last_checked_catches_up_when_the_menu_opens(qtbot: QtBot) -> None:
    clock = [NOW]
    tray = Tray(CATALOG, clock=lambda: clock[0])
    earlier = NOW - timedelta(minutes=5)
    tray.render({"claude": state("claude", Level.OPERATIONAL, checked_at=earlier)}, Settings(), NOW)
    assert "Last checked 5 min ago" in texts(tray.menu)
    # A poll that changes nothing but the check time repaints nothing...
    clock[0] = NOW + timedelta(minutes=3)
    checked = NOW + timedelta(minutes=2)
    tray.render(
        {"claude": state("claude", Level.OPERATIONAL, checked_at=checked)}, Settings(), clock[0]
    )
    # ...and the line is right when the menu opens.
    tray.menu.aboutToShow.emit()
    assert "Last checked 1 min ago" in texts(tray.menu)


def test_help_opens_the_documentation(tray: Tray, opened: list[str]) -> None:
    tray.render(outage_states(), Settings(), NOW)  # type: ignore[arg-type]
    find(tray.menu, "Help").trigger()
    assert opened == [HELP_URL]


def test_help_url_is_the_projects_homepage_readme() -> None:
    project = tomllib.loads((repo_root() / "pyproject.toml").read_text())["project"]
    urls = project["urls"]
    assert HELP_URL == urls.get("Documentation", urls["Homepage"] + "#readme")
