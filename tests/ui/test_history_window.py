"""The History window on a real history: a provider record of 90 days, your polls, a lead and a
notice, read as a user sees them (bars, legend, uptime, incidents and their timelines)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from outage_radar.core import past
from outage_radar.core.catalog import Service
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.fetch import Fetcher
from outage_radar.core.history import History
from outage_radar.core.history_view import BOTH, PAGE, DayView, Summary, uptime_line
from outage_radar.core.model import Component, Incident, Level, Snapshot
from outage_radar.core.monitor import Monitor
from outage_radar.ui.history_window import HistoryWindow
from outage_radar.ui.icon_spec import bar_color
from outage_radar.ui.uptime_bars import MARK_HEIGHT, day_tip
from tests.fakeserver import FakeServer
from tests.history_pages import day_levels, serve_history

from .helpers import NOW, service, state

LOCAL_NOW = NOW.astimezone()  # days are the viewer's local days
COPILOT = service("copilot", "Copilot", components=("Copilot",))
PARTS = {"Copilot": "cp4mxz81rkq2", "Actions": "ac7n0t2vhx9r"}
STATUS = {Level.MAJOR_OUTAGE: "major_outage", Level.DEGRADED: "degraded_performance"}
IMPACT = {Level.MAJOR_OUTAGE: "major", Level.DEGRADED: "minor"}
RECORDED = 22  # incidents in the record; every third (i % 3 == 2) is on Actions only


def at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """A local time `days_ago` days before today."""
    day = LOCAL_NOW.date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute)).astimezone()


def record_level(i: int) -> Level:
    return Level.MAJOR_OUTAGE if i % 2 == 0 else Level.DEGRADED


def sp_incident(
    iid: str, name: str, start: datetime, end: datetime, part: str, level: Level
) -> dict[str, Any]:
    """One incident of a Statuspage incidents.json, as the API gives it."""
    part_ref = {"id": PARTS[part], "name": part}
    change = {"code": PARTS[part], "name": part, "old_status": "operational"}
    return {
        "id": iid,
        "name": name,
        "status": "resolved",
        "impact": IMPACT[level],
        "created_at": _iso(start + timedelta(minutes=3)),
        "started_at": _iso(start),
        "resolved_at": _iso(end),
        "updated_at": _iso(end),
        "shortlink": f"https://stspg.example/{iid}",
        "components": [part_ref],
        "incident_updates": [
            {
                "status": "investigating",
                "body": "Looking into it",
                "display_at": _iso(start),
                "affected_components": [{**change, "new_status": STATUS[level]}],
            }
        ],
    }


def _iso(when: datetime) -> str:
    return when.astimezone().isoformat()


def record_body() -> bytes:
    """22 closed incidents, one every 4 days from 3 days ago, each 2 h from 09:00; plus the
    one your polls saw yesterday."""
    items = [sp_incident("sp-own", "Copilot errors", at(1, 11, 58), at(1, 12, 40), "Copilot",
                         Level.MAJOR_OUTAGE)]  # fmt: skip
    for i in range(RECORDED):
        start = at(3 + 4 * i, 9)
        part = "Actions" if i % 3 == 2 else "Copilot"
        items.append(sp_incident(f"sp{i}", f"{part} issue {i}", start, start + timedelta(hours=2),
                                 part, record_level(i)))  # fmt: skip
    return json.dumps({"incidents": items}).encode()


def own_incident(iid: str, title: str, started: datetime) -> Incident:
    return Incident(iid, title, Level.MAJOR_OUTAGE, url=f"https://status.copilot.example/{iid}",
                    started=started)  # fmt: skip


def fill(history: History) -> None:
    """The record, read now; your polls every 5 min for the last 2 days and today, with two
    incidents; a lead and a notice for the one the record has too."""
    components = [Component(ref, name, Level.OPERATIONAL) for name, ref in PARTS.items()]
    record = past.narrow(past.read("statuspage", record_body()), COPILOT, components)
    history.store_past("copilot", record, LOCAL_NOW)
    both = own_incident("sp-own", "Copilot <b>errors</b> & timeouts", at(1, 11, 58))
    mine = own_incident("own-only", "Copilot slow", at(2, 15))
    troubles = {both: (at(1, 12), at(1, 12, 40)), mine: (at(2, 15), at(2, 15, 30))}
    when = at(2, 0)
    while when <= LOCAL_NOW:
        now = tuple(i for i, (a, b) in troubles.items() if a <= when < b)
        snap = Snapshot(Level.MAJOR_OUTAGE if now else Level.OPERATIONAL, incidents=now)
        history.record("copilot", snap, when)
        when += timedelta(minutes=5)
    history.record_lead("copilot", at(1, 12), 9.0, "3 timeouts in 10 min")
    history.record_notice(["copilot"], at(1, 12, 1))
    history.commit()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    history = History(tmp_path / "history.sqlite3", clock=lambda: LOCAL_NOW)
    fill(history)
    yield history
    history.close()


def window_on(
    qtbot: QtBot, history: History, services: list[Service] | None = None
) -> HistoryWindow:
    window = HistoryWindow(history, services or [COPILOT], lambda: LOCAL_NOW)
    qtbot.addWidget(window)
    return window


def tops(window: HistoryWindow) -> list[QTreeWidgetItem]:
    tree = window.incidents
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]  # type: ignore[misc]


def test_bars_colour_the_days_of_incidents_on_the_service_only(
    qtbot: QtBot, history: History
) -> None:
    window = window_on(qtbot, history)
    colors = window.bars.colors()
    assert len(colors) == 90
    for i in range(RECORDED):
        shown = colors[89 - (3 + 4 * i)]
        if i % 3 == 2:  # on Actions only: the service's day stays green
            assert shown == bar_color(Level.OPERATIONAL), i
        else:
            assert shown == bar_color(record_level(i)), i
    assert colors[89 - 4] == bar_color(Level.OPERATIONAL)  # a quiet day of the record
    # Yesterday: 40 min of major outage in a day of polls is a degraded day, not a red one.
    assert colors[89 - 1] == bar_color(Level.DEGRADED)


def test_own_poll_days_are_marked_under_the_bar(qtbot: QtBot, history: History) -> None:
    window = window_on(qtbot, history)
    assert window.bars.marks() == [False] * 87 + [True] * 3
    days = window.bars.days
    assert {d.source for d in days[:87]} == {PAGE} and days[-1].source != PAGE
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    image = window.bars.grab().toImage()
    ink = window.bars.palette().windowText().color()
    step = window.bars.width() / 90
    y = window.bars.height() - MARK_HEIGHT + 1
    assert QColor(image.pixel(int(88.3 * step), y)) == ink  # under yesterday's bar: the mark
    assert QColor(image.pixel(int(84.3 * step), y)) != ink  # under a day of the record: none


def test_legend_uptime_and_record_lines(qtbot: QtBot, history: History) -> None:
    window = window_on(qtbot, history)
    texts = [label.text() for label in window.findChildren(QLabel)]
    for words in ("operational", "degraded", "partial outage", "major outage", "maintenance"):
        assert words in texts
    assert "not enough data" in texts
    assert any("from your polls" in t for t in texts)
    assert any("from the status page's own record" in t for t in texts)
    summary = window.summaries["copilot"]
    assert window.uptime.text() == uptime_line(summary)
    assert re.fullmatch(
        r"\d+\.\d\d % uptime over \d+ days with data( \(.*\))?", window.uptime.text()
    )
    assert window.backfilled.text() == f"Provider record read {LOCAL_NOW:%H:%M}"
    assert window.last_check.text().startswith("Last check: ")
    tips = [window.picker.topLevelItem(0).toolTip(1)] + [day_tip(d) for d in summary.days]  # type: ignore[union-attr]
    for text in [*texts, *tips, window.picker.itemText(0)]:
        assert not re.search(r"\b1 days\b", text), text
    assert window.picker.topLevelItem(0).text(1) == f"{summary.uptime * 100:.2f} %"  # type: ignore[union-attr, operator]
    assert all(
        label.textFormat() == Qt.TextFormat.PlainText for label in window.findChildren(QLabel)
    )


def test_incidents_list_start_end_duration_and_source(qtbot: QtBot, history: History) -> None:
    window = window_on(qtbot, history)
    rows = tops(window)
    in_scope = sum(1 for i in range(RECORDED) if i % 3 != 2)
    assert len(rows) == in_scope + 2  # the two your polls saw (one of them in the record too)
    assert all("Actions" not in row.text(0) for row in rows)
    first = rows[0]  # newest first: yesterday's
    assert first.text(0) == "Copilot <b>errors</b> & timeouts"
    assert [first.text(c) for c in (1, 2, 3, 4)] == [
        f"{at(1, 11, 58):%b %d 11:58}".replace(" 0", " "),
        "12:40",  # the same day: its clock alone
        "42 min",
        "both",
    ]
    assert rows[1].text(0) == "Copilot slow" and rows[1].text(4) == "you saw it"
    assert rows[1].text(3) == "30 min"
    oldest = rows[-1]
    assert (oldest.text(0), oldest.text(3), oldest.text(4)) == (
        "Copilot issue 21",
        "2 h",
        "status page",
    )


def test_a_timeline_shows_probe_page_lead_notice_and_end(qtbot: QtBot, history: History) -> None:
    window = window_on(qtbot, history)
    first = tops(window)[0]
    assert first.isExpanded()
    lines = [first.child(i).text(0) for i in range(first.childCount())]
    assert lines == [
        "Your probe first failed 11:51",
        "The page said it 12:00 (your probe knew 9 min earlier)",
        "You were notified 12:01",
        "Resolved 12:40",
    ]
    record_only = tops(window)[-1]
    assert not record_only.isExpanded()
    said = [record_only.child(i).text(0) for i in range(record_only.childCount())]
    assert said == ["The page said it 09:03", "Resolved 11:00"]
    first.setExpanded(False)
    record_only.setExpanded(True)
    window.refresh()  # each poll round: what the user opened or closed stays so
    assert not tops(window)[0].isExpanded() and tops(window)[-1].isExpanded()


def test_double_click_opens_the_incident_page(
    qtbot: QtBot, history: History, opened: list[str]
) -> None:
    window = window_on(qtbot, history)
    first = tops(window)[0]
    window.incidents.itemActivated.emit(first, 0)
    window.incidents.itemActivated.emit(first.child(1), 0)
    window.incidents.itemActivated.emit(tops(window)[-1], 0)
    assert opened == [
        "https://status.copilot.example/sp-own",
        "https://status.copilot.example/sp-own",
        "https://stspg.example/sp21",
    ]


def test_the_list_of_services_reads_well_for_many(qtbot: QtBot, history: History) -> None:
    others = [service(f"svc-{n:02}", f"Service {n:02}") for n in range(44)]
    window = window_on(qtbot, history, [*others, COPILOT])
    picker = window.picker
    assert picker.topLevelItemCount() == 45
    assert picker.itemText(0) == "Copilot"  # sorted by name
    assert picker.current() == "svc-00" or picker.current() == "copilot"
    assert {picker.topLevelItem(i).text(1) for i in range(1, 45)} == {"—"}  # type: ignore[union-attr]
    window.search.setText("service 1")
    shown = [r.text(0) for r in picker.rows() if not r.isHidden()]
    assert shown == [f"Service {n}" for n in range(10, 20)]
    window.search.clear()
    picker.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert picker.itemText(0) == "Copilot"  # the only one with an uptime
    picker.select("svc-03")
    assert window.title.text() == "Service 03"
    assert window.uptime.text() == "Not enough data yet for the last 90 days"
    assert window.heading.text() == "No incidents in the last 90 days"
    window.refresh()
    assert picker.current() == "svc-03"


def test_a_refresh_reads_the_whole_list_at_most_once_a_minute(
    qtbot: QtBot, history: History
) -> None:
    asked: list[str] = []

    class Counting:
        def summary(self, key: str, days: int = 90, now: datetime | None = None) -> Summary:
            asked.append(key)
            return history.summary(key, days, now)

    clock = [NOW]
    others = [service(f"svc-{n:02}", f"Service {n:02}") for n in range(39)]
    window = HistoryWindow(Counting(), [COPILOT, *others], lambda: clock[0])
    qtbot.addWidget(window)
    window.picker.select("copilot")
    asked.clear()
    for _ in range(5):  # five poll rounds within the minute: the picked service only
        clock[0] += timedelta(seconds=10)
        window.refresh()
    assert asked == ["copilot"] * 5
    clock[0] += timedelta(seconds=60)
    window.refresh()
    assert len(asked) == 5 + 40 and window.picker.current() == "copilot"


def test_the_last_check_says_when_it_failed(qtbot: QtBot) -> None:
    class Empty:
        def summary(self, service: str, days: int = 90, now: datetime | None = None) -> Summary:
            return Summary(service, (), ())

    failing = state("chatgpt", Level.UNKNOWN, failure=Failure(Kind.DNS))
    chatgpt, claude = service("chatgpt", "ChatGPT"), service("claude", "Claude")
    window = HistoryWindow(Empty(), [chatgpt, claude], lambda: NOW, {"chatgpt": failing}.get)
    qtbot.addWidget(window)
    assert window.last_check.text() == f"Last check {NOW:%H:%M} failed: DNS lookup failed"
    assert window.backfilled.isHidden()
    window.picker.select("claude")
    assert window.last_check.text() == "Not checked yet"


def test_a_day_tip_says_what_was_known_and_from_where() -> None:
    day = datetime(2025, 7, 30).date()
    down = {Level.MAJOR_OUTAGE: 600.0}
    tip = day_tip(DayView(day, 86400.0, 86400.0 - 600, Level.DEGRADED, PAGE, down))
    # 85,800 of 86,400 s is 99.305 %: rounded down, never up
    assert tip == "Jul 30: 99.30 % up over 24 h known (status page record) · 10 min major outage"
    assert day_tip(DayView(day, 0.0, 0.0, None, "none")) == "Jul 30: not enough data"
    short = day_tip(DayView(day, 7200.0, 7200.0, Level.OPERATIONAL, BOTH))
    assert short.endswith("(your polls and the status page record) · not counted in the "
                          "uptime (under 12 h known)")  # fmt: skip


def render(path: Path, workdir: Path) -> Path:
    """The History window as the README shows it, saved as a PNG (offscreen is enough):
    `QT_QPA_PLATFORM=offscreen python -c "from tests.ui.test_history_window import render; ..."`."""
    app = QApplication.instance() or QApplication([])
    history = History(workdir / "history.sqlite3", clock=lambda: LOCAL_NOW)
    fill(history)
    names = ["ChatGPT", "Claude", "Gemini", "Mistral", "Perplexity", "Hugging Face"]
    others = [service(n.lower().replace(" ", "-"), n) for n in names]
    window = HistoryWindow(history, [COPILOT, *others], lambda: LOCAL_NOW)
    window.picker.select("copilot")
    window.resize(1100, 700)
    window.show()
    app.processEvents()
    window.grab().save(str(path))
    window.close()
    history.close()
    return path


def test_the_window_renders_for_a_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    shot = render(tmp_path / "history.png", tmp_path)
    assert shot.stat().st_size > 10_000


async def test_the_first_run_shows_each_platforms_past_in_the_window(
    qtbot: QtBot, server: FakeServer, tmp_path: Path
) -> None:
    """A fresh install watching four loopback pages (Statuspage, incident.io, Google, Better
    Stack), each with 25 past incidents: after the first poll the window shows them all."""
    now = datetime.now().astimezone().replace(microsecond=0)
    pages = serve_history(server, now)
    history = History(tmp_path / "history.sqlite3")
    monitor = Monitor(pages.services, fetcher=Fetcher(deadline=5.0), history=history)
    try:
        await monitor.poll_due()
        assert monitor.backfill is not None
        await monitor.backfill.idle()
        window = HistoryWindow(history, list(pages.services), lambda: now)
        qtbot.addWidget(window)
        for served in pages.all:
            window.picker.select(served.service.id)
            first = now.date() - timedelta(days=89)
            since = datetime.combine(first, time()).astimezone()
            # What the 90 days hold: an incident over before the first of them is not listed.
            mine = [f for f in served.facts if f.in_scope and (f.ended or now) >= since]
            titles = [item.text(0) for item in tops(window)]
            assert len(mine) >= 8 and sorted(titles) == sorted(f.title for f in mine)
            bad = day_levels(served.facts, now.tzinfo, now)
            colors = window.bars.colors()
            for day in bad:
                if day >= first:
                    coloured = colors[(day - first).days]
                    assert coloured not in (bar_color(Level.OPERATIONAL), bar_color(None))
            assert re.fullmatch(
                r"\d+\.\d\d % uptime over (89|90) days with data.*", window.uptime.text()
            )
            assert colors.count(bar_color(None)) <= 1  # at most today, if barely begun
    finally:
        await monitor.stop()
        history.close()
