"""Settings, welcome and no-tray windows, driven like a user would."""

from __future__ import annotations

import asyncio
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from outage_radar import __version__, autostart
from outage_radar.core import settings as settings_store
from outage_radar.core.alerts import Alert
from outage_radar.core.check import PagePreview
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.model import Component, Level, Snapshot
from outage_radar.core.settings import Settings
from outage_radar.ui.doctor_box import CHECKING, DoctorBox
from outage_radar.ui.settings_window import SettingsWindow
from outage_radar.ui.status_window import StatusWindow
from outage_radar.ui.welcome_window import WelcomeWindow
from outage_radar.ui.windows import RELEASE_NOTES, Windows
from tests.conftest import repo_root

from .helpers import CATALOG, NOW, state

SERVICES = list(CATALOG.values())


def test_welcome_preselects_defaults_and_reports_the_pick(qtbot: QtBot) -> None:
    services = [*SERVICES, replace(SERVICES[0], id="openai-api", name="OpenAI API", category="api")]
    window = WelcomeWindow(services)
    qtbot.addWidget(window)
    assert sorted(window.picker.selected()) == ["chatgpt", "openai-api"]
    window.picker.set_selected("claude", True)
    window.picker.set_selected("openai-api", False)
    with qtbot.waitSignal(window.chosen) as chosen:
        window.start.click()
    assert chosen.args == [["chatgpt", "claude"]]


def test_welcome_cannot_start_with_nothing_picked(qtbot: QtBot) -> None:
    window = WelcomeWindow(SERVICES, ["chatgpt"])
    qtbot.addWidget(window)
    window.picker.set_selected("chatgpt", False)
    assert not window.start.isEnabled()


def test_settings_search_filters_and_save_persists(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    toggled: list[bool] = []
    window = SettingsWindow(
        Settings(services=["chatgpt"]),
        SERVICES,
        components={"chatgpt": ["Login", "Voice"]},
        path=path,
        set_autostart=toggled.append,
    )
    qtbot.addWidget(window)
    window.picker.search.setText("gem")
    assert window.picker.visible_services() == ["gemini"]
    window.picker.search.setText("voice")  # a component name finds its service
    assert window.picker.visible_services() == ["chatgpt"]
    window.picker.search.clear()
    window.picker.set_selected("claude", True)
    chatgpt = window.picker._items["chatgpt"]
    chatgpt.child(1).setCheckState(0, Qt.CheckState.Unchecked)  # stop watching Voice
    window.interval.setValue(10)  # clamps to the 30 s minimum
    window.quiet.setChecked(True)
    window.min_level.setCurrentIndex(2)
    window.login.setChecked(True)
    with qtbot.waitSignal(window.saved) as saved:
        window.save()
    new = saved.args[0]
    assert new.services == ["chatgpt", "claude"]
    assert new.components == {"chatgpt": ["Login"]}
    assert new.interval == 30.0
    assert (new.quiet_start, new.quiet_end) == ("22:00", "07:00")
    assert new.min_level == "major_outage"
    assert toggled == [True]
    assert settings_store.load(path).settings == new  # written to disk


def test_settings_has_an_api_keys_section_and_a_15_minute_cap(qtbot: QtBot) -> None:
    window = SettingsWindow(Settings(interval=3600), SERVICES, path=None, set_autostart=print)
    qtbot.addWidget(window)
    assert window.api_keys.title() == "API keys"
    assert window.interval.value() == 15 * 60


async def test_add_a_status_page_detects_previews_and_adds(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[str] = []

    async def preview(url: str) -> PagePreview:
        seen.append(url)
        comps = (Component("1", "API", Level.OPERATIONAL),)
        found = Snapshot(Level.OPERATIONAL, comps, page_name="Acme <b>Status</b>")
        return PagePreview(found, platform="statuspage")

    window = SettingsWindow(
        Settings(), SERVICES, preview=preview, path=tmp_path / "s.toml", set_autostart=print
    )
    qtbot.addWidget(window)
    box = window.pages
    box.url.setText("file:///etc/passwd")
    await box.on_check()
    assert "https://" in box.result.text() and not seen and not box.add.isEnabled()
    box.url.setText("https://status.acme.example")
    await box.on_check()
    assert seen == ["https://status.acme.example"]
    assert box.result.text() == "Acme <b>Status</b>: operational · 1 components"
    assert box.result.textFormat() == Qt.TextFormat.PlainText
    box.add.click()
    page = box.pages[0]
    assert (page.id, page.name, page.platform) == (
        "custom-status.acme.example",
        "Acme <b>Status</b>",
        "statuspage",
    )
    assert window.result_settings().custom == [page]


async def test_a_page_that_is_not_a_status_page_cannot_be_added(qtbot: QtBot) -> None:
    async def preview(url: str) -> PagePreview:
        return PagePreview(
            Snapshot.failed(Failure(Kind.NOT_A_STATUS_PAGE, "platform not recognised"))
        )

    window = SettingsWindow(Settings(), SERVICES, preview=preview, set_autostart=print)
    qtbot.addWidget(window)
    window.pages.url.setText("https://example.org")
    await window.pages.on_check()
    assert window.pages.result.text().startswith("Not recognised as a status page")
    assert not window.pages.add.isEnabled()


def test_status_window_explains_the_missing_tray_and_hides_on_close(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    monkeypatch.setattr("outage_radar.ui.status_window.session_bus", lambda: True)
    window = StatusWindow()
    qtbot.addWidget(window)
    window.show()
    assert "AppIndicator" in window.explanation.text()
    window.show_states({"chatgpt": state("chatgpt", Level.MAJOR_OUTAGE)}, NOW)
    assert window.services.item(0).text() == "ChatGPT — major outage"
    window.show_alert(Alert("ChatGPT: major outage", "<b>x</b>", Level.MAJOR_OUTAGE))
    assert window.last_alert.text() == "ChatGPT: major outage\n<b>x</b>"
    assert window.last_alert.textFormat() == Qt.TextFormat.PlainText
    window.close()
    assert not window.isVisible()


def test_autostart_writes_and_removes_the_xdg_entry(tmp_path: Path) -> None:
    path = autostart.set_linux(True, ["/opt/outage radar/bin/outage-radar", "--x=50%"])
    assert path == tmp_path / "xdg" / "xdg_config_home" / "autostart" / "outage-radar.desktop"
    text = path.read_text()
    assert 'Exec="/opt/outage radar/bin/outage-radar" "--x=50%%"\n' in text
    assert "Type=Application\n" in text and autostart.is_enabled()
    autostart.set_linux(False)
    assert not path.exists() and not autostart.is_enabled()


async def test_return_in_the_url_field_checks_and_leaves_settings_open(
    qtbot: QtBot, tmp_path: Path
) -> None:
    seen: list[str] = []

    async def preview(url: str) -> PagePreview:
        seen.append(url)
        found = Snapshot(Level.OPERATIONAL, (Component("1", "API", Level.OPERATIONAL),))
        return PagePreview(replace(found, page_name="Acme"), platform="statuspage")

    path = tmp_path / "settings.toml"
    settings_store.save(Settings(), path)
    before = path.read_bytes(), path.stat().st_mtime_ns
    window = SettingsWindow(Settings(), SERVICES, preview=preview, path=path, set_autostart=print)
    qtbot.addWidget(window)
    saved: list[object] = []
    window.saved.connect(saved.append)
    window.show()
    qtbot.waitExposed(window)
    box = window.pages
    box.url.setText("https://status.acme.example")
    QTest.keyClick(box.url, Qt.Key.Key_Return)
    for _ in range(50):  # the check is an asyncio task: let it run
        if box.add.isEnabled():
            break
        await asyncio.sleep(0.01)
    assert seen == ["https://status.acme.example"]
    assert box.result.text() == "Acme: operational · 1 components"
    QTest.keyClick(box.name, Qt.Key.Key_Return)  # Return in the name field adds the page
    assert [p.url for p in box.pages] == ["https://status.acme.example"]
    assert window.isVisible() and not saved
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    window.close()


def test_about_shows_the_version_and_opens_the_release_notes(
    qtbot: QtBot, opened: list[str]
) -> None:
    windows = Windows(spawn=lambda job: job.close())
    windows.about()
    box = windows.open["about"]
    assert isinstance(box, QMessageBox)
    qtbot.addWidget(box)
    assert f"Version {__version__}" in box.text().splitlines()
    (notes,) = [b for b in box.buttons() if b.text() == "Release notes"]
    notes.click()
    assert opened == [RELEASE_NOTES]
    project = tomllib.loads((repo_root() / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]
    assert RELEASE_NOTES == project["urls"]["Source"] + "/releases"
    windows.close_all()


async def test_only_the_newest_is_it_just_me_check_fills_the_box(qtbot: QtBot) -> None:
    gates = {"chatgpt": asyncio.Event(), "claude": asyncio.Event()}

    async def diagnose(key: str) -> None:
        await gates[key].wait()  # None: the check could not run

    box = DoctorBox()
    qtbot.addWidget(box)
    first = asyncio.ensure_future(box.check(diagnose, "chatgpt"))
    second = asyncio.ensure_future(box.check(diagnose, "claude"))
    gates["chatgpt"].set()
    await first
    assert box.text() == CHECKING and box.service == "claude"
    gates["claude"].set()
    await second
    assert box.text() == "The check could not run; see the log for details."
