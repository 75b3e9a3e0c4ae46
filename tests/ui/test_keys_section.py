"""Keys, probes and "Is it just me?" in the tray app, as a user sees them (offscreen Qt)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from outage_radar.core.catalog import Probe, Service, load_builtin
from outage_radar.core.credentials import SERVICE, Credentials
from outage_radar.core.doctor import Connectivity, HostCheck, Report, Verdict
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.presenter import Presenter
from outage_radar.core.probe_runner import ProbeRunner
from outage_radar.core.probes import Outcome, ProbeResult
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from outage_radar.ui.controller import Controller
from outage_radar.ui.keys_section import KeysSection
from outage_radar.ui.parts import Parts
from outage_radar.ui.settings_window import SettingsWindow
from outage_radar.ui.tray import Tray
from tests import builders
from tests.fakeapi import MemoryKeyring

from .helpers import NOW, find, submenu, texts

KEY = "sk-ui-3e4f5a6b7c8d9e0f1a2b"
BUILTIN = load_builtin()
OPENAI = BUILTIN.get("openai-api")
assert OPENAI is not None


class FakeTester:
    def __init__(self, outcome: Outcome = Outcome.OK) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, str, str]] = []

    async def __call__(self, service: str, probe: Probe, secret: str) -> ProbeResult:
        self.calls.append((service, probe.url, secret))
        status = 200 if self.outcome is Outcome.OK else 401
        return ProbeResult(service, self.outcome, NOW, 87, status, "")


def all_text(widget: KeysSection) -> str:
    labels = [w.text() for w in widget.findChildren(QLabel)]
    fields = [f.text() + f.placeholderText() for f in widget.findChildren(QLineEdit)]
    return "\n".join(labels + fields)


async def test_paste_test_save_and_remove_a_key(qtbot: QtBot) -> None:
    keys = MemoryKeyring()
    tester = FakeTester()
    section = KeysSection(BUILTIN, Credentials(keys), tester=tester)
    qtbot.addWidget(section)
    assert {"openai", "anthropic", "gemini", "mistral", "groq", "cohere"} <= set(section.rows)
    row = section.rows["openai"]
    assert row.field.echoMode() is QLineEdit.EchoMode.Password
    await section.refresh()
    assert row.field.placeholderText() == "Paste your API key" and not row.remove.isEnabled()
    row.field.setText(f"  {KEY}\n")
    with qtbot.waitSignal(section.changed):
        await section.test_key("openai")
    assert keys.items[(SERVICE, "openai")] == KEY
    assert tester.calls == [("openai-api", "https://api.openai.com/v1/models", KEY)]
    assert row.status.text() == "Saved in your keyring · the key works: ok · 87 ms"
    assert row.field.text() == "" and row.remove.isEnabled()
    assert row.field.placeholderText().startswith("Stored in your keyring")
    # Test again with the field empty: the stored key is used, never shown.
    tester.outcome = Outcome.AUTH_FAILED
    row.test.click()  # the button, as a user presses it
    await section.drain()
    assert row.status.text() == "the key does not work: auth failed (HTTP 401)"
    assert KEY not in all_text(section)
    await section.remove_key("openai")
    assert (
        SERVICE,
        "openai",
    ) not in keys.items and row.status.text() == "Removed from your keyring."
    # Every keyring call ran on a worker thread, never on the UI thread.
    assert keys.threads and threading.main_thread().name not in keys.threads


async def test_a_locked_keyring_is_explained_in_the_window(qtbot: QtBot) -> None:
    from keyring.errors import KeyringLocked

    keys = MemoryKeyring()
    keys.fail = KeyringLocked("Failed to unlock")
    section = KeysSection(BUILTIN, Credentials(keys), tester=FakeTester())
    qtbot.addWidget(section)
    await section.refresh()
    assert "keyring is locked" in section.note.text()
    section.rows["gemini"].field.setText(KEY)
    await section.test_key("gemini")
    assert "keyring is locked" in section.rows["gemini"].status.text()
    assert KEY not in section.rows["gemini"].status.text()


async def test_settings_save_stores_an_untested_key_not_the_settings_file(
    qtbot: QtBot, tmp_path: Path
) -> None:
    keys = MemoryKeyring()
    section = KeysSection(BUILTIN, Credentials(keys), tester=FakeTester())
    path = tmp_path / "settings.toml"
    window = SettingsWindow(Settings(), list(BUILTIN), path=path, set_autostart=print, keys=section)
    qtbot.addWidget(window)
    assert section.parent() is not None and window.api_keys.isAncestorOf(section)
    section.rows["mistral"].field.setText(KEY)
    window.probe_every.setValue(600)
    with qtbot.waitSignal(window.saved) as saved:
        window.save()
    await section.drain()
    assert keys.items[(SERVICE, "mistral")] == KEY
    assert KEY not in path.read_text()
    assert saved.args[0].probe_interval == 600.0 and "probe_interval = 600.0" in path.read_text()


async def test_return_in_a_key_or_search_field_leaves_settings_open_and_unsaved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Return tests the key (or does nothing in the search box); it never saves and closes."""
    tester = FakeTester()
    section = KeysSection(BUILTIN, Credentials(MemoryKeyring()), tester=tester)
    path = tmp_path / "settings.toml"
    window = SettingsWindow(Settings(), list(BUILTIN), path=path, set_autostart=print, keys=section)
    qtbot.addWidget(window)
    saved: list[object] = []
    window.saved.connect(saved.append)
    window.show()
    qtbot.waitExposed(window)
    field = section.rows["gemini"].field
    field.setText(KEY)
    QTest.keyClick(field, Qt.Key.Key_Return)
    await section.drain()
    assert [c[2] for c in tester.calls] == [KEY]  # Return tested the typed key
    window.picker.search.setText("claude")
    QTest.keyClick(window.picker.search, Qt.Key.Key_Return)
    assert window.isVisible() and not saved and not path.exists()
    window.close()


class FakeMonitor:
    def __init__(self, states: dict[str, ServiceState]) -> None:
        self._states = states

    @property
    def states(self) -> Mapping[str, ServiceState]:
        return self._states

    def check_now(self) -> None: ...
    def set_services(self, services: Sequence[Service]) -> None: ...
    def set_interval(self, seconds: float) -> None: ...


class FakeNotifier:
    def __init__(self) -> None:
        self.shown: list[object] = []

    async def show(self, alert: object) -> None:
        self.shown.append(alert)


def state(level: Level, since_min: int = 0) -> dict[str, ServiceState]:
    since = NOW + timedelta(minutes=since_min)
    return {"openai-api": builders.state(OPENAI, level, since=since)}  # type: ignore[arg-type]


@pytest.fixture
def wired(qtbot: QtBot, tmp_path: Path) -> tuple[Controller, Tray, FakeNotifier, list[object]]:
    tray = Tray(BUILTIN)
    notifier = FakeNotifier()
    leads: list[object] = []
    settings = Settings(services=["openai-api"])
    parts = Parts(
        monitor=FakeMonitor(state(Level.OPERATIONAL)),
        notifier=notifier,  # type: ignore[arg-type]
        services=lambda s: [OPENAI],  # type: ignore[list-item]
        all_services=lambda: list(BUILTIN),
        probes=ProbeRunner([OPENAI], lambda name: None),  # type: ignore[list-item]
        settings_path=tmp_path / "settings.toml",
        record_lead=leads.append,
    )
    presenter = Presenter(settings, BUILTIN, now=lambda: NOW, fixed_services=True)
    return Controller(presenter, parts, tray), tray, notifier, leads


async def test_failing_probes_raise_the_early_warning_and_the_lead_is_kept(
    wired: tuple[Controller, Tray, FakeNotifier, list[object]], qtbot: QtBot
) -> None:
    ctl, tray, notifier, leads = wired
    probes = ctl.parts.probes
    assert isinstance(probes, ProbeRunner)
    for minute in (0, 1, 2):
        result = ProbeResult("openai-api", Outcome.TIMEOUT, NOW + timedelta(minutes=minute))
        probes.history.setdefault("openai-api", deque()).append(result)
        ctl.on_probe(result)
    await ctl.drain()
    (alert,) = notifier.shown
    assert alert.title == (  # type: ignore[attr-defined]
        "OpenAI API failing for you (3 timeouts in 2 min); status page says operational"
    )
    sub = submenu(tray.menu, "OpenAI API")
    assert "Your API key: timeout · ×××" in texts(sub)
    ctl.parts.monitor = FakeMonitor(state(Level.PARTIAL_OUTAGE, since_min=11))
    ctl.on_update(ctl.parts.monitor.states)
    (lead,) = leads
    assert lead.minutes == 9  # type: ignore[attr-defined]
    assert "You knew 9 min earlier than the status page" in texts(submenu(tray.menu, "OpenAI API"))


async def test_is_it_just_me_shows_the_verdict(
    wired: tuple[Controller, Tray, FakeNotifier, list[object]], qtbot: QtBot
) -> None:
    ctl, tray, _, _ = wired
    asked: list[str] = []

    async def diagnose(key: str) -> Report:
        asked.append(key)
        net = Connectivity((HostCheck("https://www.wikipedia.org/", True, True),))
        return Report(
            OPENAI,  # type: ignore[arg-type]
            Verdict.FAILING_FOR_YOU,
            "Failing for you only: check your key, quota or network. <b>x</b>",
            Snapshot(Level.OPERATIONAL),
            None,
            "missing",
            net,
        )

    ctl.parts.diagnose = diagnose
    ctl.render()
    with qtbot.waitSignal(tray.doctor_requested):
        find(submenu(tray.menu, "OpenAI API"), "Is it just me?").trigger()
    await ctl.drain()
    box = ctl.windows.open["doctor"]
    assert isinstance(box, QMessageBox) and asked == ["openai-api"]
    assert box.text().startswith("Failing for you only: check your key, quota or network.")
    assert "<b>x</b>" in box.text()  # shown literally: plain text
    assert "Your API key: no key stored (outage-radar keys set openai)" in box.text()
    box.close()
