"""Hostile text through every surface: menu labels, tooltips, windows, notifications, the CLI.

The text comes from a real parser reading a hostile payload (hostile.py), then goes to each sink
the way the app sends it. Notifications on a real desktop are checked in test_tray_process.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from outage_radar.cli import output
from outage_radar.core import alerts
from outage_radar.core.catalog import Service
from outage_radar.core.changes import diff
from outage_radar.core.failures import bad_payload
from outage_radar.core.history import History
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.settings import Settings
from outage_radar.core.sources import statuspage
from outage_radar.core.state import ServiceState
from outage_radar.notify.fallback import balloon_title
from outage_radar.notify.native import NativeNotifier
from outage_radar.ui.add_page import describe
from outage_radar.ui.history_window import HistoryWindow
from outage_radar.ui.status_window import StatusWindow
from outage_radar.ui.tray import Tray
from tests.reliability.hostile import AMP, MARKUP, TEXTS, assert_safe, payload

NOW = datetime(2026, 11, 21, 10, 30).astimezone()
NAME = MARKUP + " " + AMP + " \u202e\x00" + "N" * 300  # a user's catalog or custom page name


def hostile_state() -> tuple[ServiceState, Snapshot]:
    snap = statuspage.parse(payload(), page_url="https://status.hostile.example").at(NOW)
    service = Service(
        id="h",
        name=NAME,
        url="https://status.hostile.example",
        platform="statuspage",
        endpoints=("https://status.hostile.example/api/v2/summary.json",),
    )
    return ServiceState(service, snap, NOW - timedelta(minutes=20), NOW), snap


def all_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        found.append(action)
        if action.menu() is not None:
            found += all_actions(action.menu())
    return found


def test_menu_labels_are_literal_elided_and_clean(qtbot: QtBot) -> None:
    state, _ = hostile_state()
    tray = Tray({"h": state.service})
    try:
        tray.render({"h": state}, Settings(), NOW)
        labels = [a.text() for a in all_actions(tray.menu)]
    finally:
        tray.close()
    for label in labels:
        # `&&` is a literal ampersand; a lone `&` would be eaten as a keyboard mnemonic.
        assert "&" not in label.replace("&&", ""), label
        assert_safe(label.replace("&&", "&"), 130)
    joined = "\n".join(labels)
    assert "<b>bold</b>" in joined and "R&&D _under_ && Co" in joined  # literal, not markup
    assert "🔥 outage 🚨" in joined and "invoicegnp.exe" in joined
    long = [label for label in labels if "LLLL" in label]
    assert long and all("…" in label for label in long)  # 5,000 characters, elided


def test_tray_tooltip_is_escaped_rich_text(qtbot: QtBot) -> None:
    state, _ = hostile_state()
    tray = Tray({"h": state.service})
    try:
        tray.render({"h": state}, Settings(), NOW)
        tip = tray.icon.toolTip()
    finally:
        tray.close()
    doc = QTextDocument()
    doc.setHtml(tip)  # how Qt shows a tooltip: always rich text
    shown = doc.toPlainText()
    assert "<b>bold</b>" in shown and '<a href="file:///etc/passwd">' in shown
    assert "<img" not in tip and "<b>" not in tip  # nothing reaches Qt as a tag
    assert_safe(shown, 200, lines=True)


def labels_of(window: QWidget) -> list[QLabel]:
    return [lab for lab in window.findChildren(QLabel) if lab.text()]


def test_status_window_and_its_alert_are_plain_text(qtbot: QtBot) -> None:
    state, snap = hostile_state()
    window = StatusWindow()
    qtbot.addWidget(window)
    window.show_states({"h": state}, NOW)
    changes = diff("h", NAME, Snapshot(Level.OPERATIONAL), snap, NOW)
    decision = alerts.decide(changes, Settings(), NOW, {"h": state}, {"h": state.service})
    assert decision.alert is not None
    window.show_alert(decision.alert)
    for label in labels_of(window):
        if re.search("[<&]", label.text()):
            assert label.textFormat().name == "PlainText", label.text()[:80]
        assert_safe(label.text(), 700, lines=True)
    items = [window.services.item(i).text() for i in range(window.services.count())]
    assert items and all("\u202e" not in t and "\x00" not in t for t in items)
    assert "<b>bold</b>" in window.last_alert.text()


def test_history_window_shows_incident_titles_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    state, snap = hostile_state()
    history = History(tmp_path / "h.sqlite3")
    try:
        history.record("h", snap, NOW)
        history.commit()
        window = HistoryWindow(history, [state.service], lambda: NOW)
        qtbot.addWidget(window)
        titles = [
            window.incidents.topLevelItem(i).text(0)
            for i in range(window.incidents.topLevelItemCount())
        ]
        for label in labels_of(window):
            assert label.textFormat().name == "PlainText"
        picker = window.picker.itemText(0)
    finally:
        history.close()
    assert any("<b>bold</b>" in t for t in titles)
    for text in [*titles, picker]:
        assert_safe(text, 130)


def test_add_page_preview_is_plain(qtbot: QtBot) -> None:
    _, snap = hostile_state()
    text = describe(snap)
    assert_safe(text, 200)
    assert_safe(describe(Snapshot.failed(bad_payload(TEXTS["control"] + TEXTS["long"]))), 200)


@pytest.mark.parametrize("markup", [True, False], ids=["body-markup", "plain-server"])
def test_notification_text(markup: bool) -> None:
    state, snap = hostile_state()
    changes = diff("h", NAME, Snapshot(Level.OPERATIONAL), snap, NOW)
    alert = alerts.decide(changes, Settings(), NOW, {"h": state}, {"h": state.service}).alert
    assert alert is not None
    notifier = NativeNotifier(lambda _url: None)
    notifier._markup = markup  # noqa: SLF001 - what the server advertised
    title, body = notifier._text(alert)  # noqa: SLF001 - exactly what goes to Notify
    assert_safe(title, alerts.TITLE_LIMIT)
    assert_safe(body, alerts.BODY_LIMIT, lines=True)
    if markup:
        assert "<" not in body and ">" not in body  # every tag escaped for the server
        assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<" not in balloon_title(title) and ">" not in balloon_title(title)


def test_cli_table_and_change_lines() -> None:
    state, snap = hostile_state()
    table = output.status_table([(state.service, snap)], color=False)
    for line in table.splitlines():
        assert_safe(line, 24 + 1 + 15 + 1 + 60)
    assert "<b>bold</b>" in table
    for change in diff("h", NAME, Snapshot(Level.OPERATIONAL), snap, NOW):
        assert_safe(output.change_line(change), 260)
