"""The service list of the welcome window and Settings with a catalog of 45: groups and search."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from outage_radar.core.catalog import CATEGORIES, Service
from outage_radar.core.settings import Settings
from outage_radar.ui.service_picker import ID_ROLE, ServicePicker
from outage_radar.ui.settings_window import SettingsWindow
from outage_radar.ui.welcome_window import WelcomeWindow

from .helpers import service

# Categories whose heading cannot itself match "gem" (a search also looks in the heading).
USABLE = [key for key, title in CATEGORIES.items() if "gem" not in title.casefold()]
GEMINI = ["gemini", "gemini-ai-studio", "gemini-api"]  # sorted


def forty_five() -> list[Service]:
    """45 services spread over the categories, listed out of category order, three of them
    Gemini (one link-only)."""
    fillers = [
        replace(service(f"svc-{n:02}", f"Service {n:02}"), category=USABLE[n % len(USABLE)])
        for n in range(42)
    ]
    gemini = [
        replace(service("gemini", "Gemini"), category=USABLE[0]),
        replace(service("gemini-api", "Gemini API"), category=USABLE[-1]),
        replace(
            service("gemini-ai-studio", "Gemini on AI Studio"), platform="link", category=USABLE[1]
        ),
    ]
    return [*reversed(fillers), *gemini]


def tops(picker: ServicePicker) -> list[QTreeWidgetItem]:
    root = picker.tree.invisibleRootItem()
    return [item for i in range(root.childCount()) if (item := root.child(i)) is not None]


def headings(picker: ServicePicker, *, shown_only: bool = False) -> list[str]:
    return [t.text(0) for t in tops(picker) if not (shown_only and t.isHidden())]


def test_45_services_are_grouped_under_headings_in_category_order(qtbot: QtBot) -> None:
    services = forty_five()
    picker = ServicePicker(services, ["svc-03"])
    qtbot.addWidget(picker)
    used = {s.category for s in services}
    assert headings(picker) == [title for key, title in CATEGORIES.items() if key in used]
    for top in tops(picker):
        key = next(k for k, title in CATEGORIES.items() if title == top.text(0))
        ids = [top.child(i).data(0, ID_ROLE) for i in range(top.childCount())]
        assert ids == [s.id for s in services if s.category == key]  # catalog order within
    assert sorted(picker.visible_services()) == sorted(s.id for s in services)
    assert picker.count.text() == "1 of 45 services picked"


def test_search_gem_shows_only_gemini_and_keeps_every_tick(qtbot: QtBot) -> None:
    picker = ServicePicker(forty_five(), ["svc-01", "svc-30", "gemini"])
    qtbot.addWidget(picker)
    qtbot.keyClicks(picker.search, "GeM")  # typed, case-insensitive
    assert sorted(picker.visible_services()) == GEMINI
    shown = {t.text(0) for t in tops(picker) if not t.isHidden()}
    assert shown == {CATEGORIES[USABLE[0]], CATEGORIES[USABLE[1]], CATEGORIES[USABLE[-1]]}
    # Ticking while filtered, and ticks hidden by the filter, both survive.
    with qtbot.waitSignal(picker.changed):
        picker.set_selected("gemini-api", True)
    assert sorted(picker.selected()) == ["gemini", "gemini-api", "svc-01", "svc-30"]
    assert picker.count.text() == "4 of 45 services picked"
    picker.search.clear()
    assert len(picker.visible_services()) == 45
    assert not any(t.isHidden() for t in tops(picker))
    assert sorted(picker.selected()) == ["gemini", "gemini-api", "svc-01", "svc-30"]


def test_search_finds_ids_and_categories_and_says_when_nothing_matches(qtbot: QtBot) -> None:
    picker = ServicePicker(forty_five(), [])
    qtbot.addWidget(picker)
    picker.search.setText("svc-4")
    assert sorted(picker.visible_services()) == ["svc-40", "svc-41"]
    category = CATEGORIES[USABLE[1]]
    picker.search.setText(category.upper())
    visible = picker.visible_services()
    assert visible and headings(picker, shown_only=True) == [category]
    picker.search.setText("no such thing <b>")
    assert picker.visible_services() == [] and not picker.empty.isHidden()
    assert picker.empty.text() == "No service matches “no such thing <b>”."
    picker.search.clear()
    assert picker.empty.isHidden()


def test_a_link_only_service_is_marked_in_the_list(qtbot: QtBot) -> None:
    picker = ServicePicker(forty_five(), [])
    qtbot.addWidget(picker)
    item = picker._items["gemini-ai-studio"]
    assert item.text(0) == "Gemini on AI Studio (no public status feed)"
    assert picker._items["gemini"].text(0) == "Gemini"


def test_welcome_and_settings_share_the_grouped_searchable_list(qtbot: QtBot) -> None:
    services = forty_five()
    welcome = WelcomeWindow(services, ["gemini"])
    settings = SettingsWindow(Settings(services=["gemini"]), services)
    qtbot.addWidget(welcome)
    qtbot.addWidget(settings)
    plain = ServicePicker(services, [])
    qtbot.addWidget(plain)
    for window in (welcome, settings):
        assert headings(window.picker) == headings(plain)
        window.picker.search.setText("gem")
        assert sorted(window.picker.visible_services()) == GEMINI
        window.picker.set_selected("svc-07", True)  # hidden by the search: still settable
    assert welcome.start.isEnabled()
    with qtbot.waitSignal(welcome.chosen) as chosen:
        welcome.start.click()
    assert sorted(chosen.args[0]) == ["gemini", "svc-07"]
    assert sorted(settings.result_settings().services) == ["gemini", "svc-07"]
