"""Backfill: the provider's record on the first poll, narrowed per service, once a day per page.

Pages are served on loopback by tests/history_pages.py, shaped like the real captures (GitHub's
incidents.json, OpenAI's incident.io compat list, Google Cloud's incidents.json, Better Stack's
index.json), each with 25 past incidents over 90 days, some on parts the service does not watch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outage_radar.core.backfill import history_url
from outage_radar.core.catalog import Service
from outage_radar.core.fetch import Fetcher
from outage_radar.core.history import History
from outage_radar.core.history_view import PAGE
from outage_radar.core.model import Level
from outage_radar.core.monitor import Monitor
from tests.fakeserver import FakeServer
from tests.history_pages import (
    HistoryPages,
    Served,
    betterstack_maintenance,
    day_levels,
    serve_history,
    statuspage_facts,
)
from tests.reliability.rig import FakeClock

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC).astimezone()
LOCAL = NOW.tzinfo
RECORDS = ("/sp/api/v2/incidents.json", "/io/api/v2/incidents.json")


class Run:
    """One start of the app: a monitor over the four pages and the history at `path`."""

    def __init__(
        self,
        pages: HistoryPages,
        path: Path,
        clock: FakeClock,
        services: Sequence[Service] | None = None,
    ) -> None:
        self.history = History(path, clock=clock.now)
        watched = pages.services if services is None else services
        self.monitor = Monitor(
            watched, fetcher=Fetcher(deadline=5.0), history=self.history, clock=clock
        )

    async def poll(self) -> None:
        await self.monitor.poll_due()
        assert self.monitor.backfill is not None
        await self.monitor.backfill.idle()

    async def stop(self) -> None:
        await self.monitor.stop()
        self.history.close()


@pytest.fixture
def pages(server: FakeServer) -> HistoryPages:
    return serve_history(server, NOW)


def record_hits(server: FakeServer) -> list[int]:
    return [server.hits.get(path, 0) for path in RECORDS]


def check_served(history: History, served: Served) -> None:
    summary = history.summary(served.service.id, 90, NOW)
    mine = {f.id for f in served.facts if f.in_scope}
    others = {f.id for f in served.facts if not f.in_scope}
    shown = {i.id for i in summary.incidents}
    assert 20 <= len(served.facts) <= 30
    assert mine and mine <= shown, served.service.id
    assert not shown & others, f"{served.service.id}: out-of-scope incidents listed"
    by_day = {d.day: d for d in summary.days}
    bad = day_levels(served.facts, LOCAL, NOW)
    for day in bad:
        if day in by_day:
            level = by_day[day].level
            assert level is not None and level.is_problem, (served.service.id, day)
    # Days with only out-of-scope incidents stay green: another part never colours the bars.
    for fact in served.facts:
        for day in fact.days(LOCAL, NOW):
            if not fact.in_scope and day not in bad and day in by_day and day < NOW.date():
                assert by_day[day].level is not None, (served.service.id, day)
                assert not by_day[day].level.is_problem, (served.service.id, day, fact.title)
    assert sum(1 for d in summary.days if d.source == PAGE) >= 80
    assert summary.uptime is not None and 0.9 < summary.uptime < 1.0
    assert len(summary.counted) >= 88


async def test_the_first_poll_fills_90_days_from_each_providers_record(
    server: FakeServer, pages: HistoryPages, tmp_path: Path
) -> None:
    run = Run(pages, tmp_path / "h.sqlite3", FakeClock(NOW))
    try:
        await run.poll()
        for served in pages.all:
            assert history_url(served.service) == served.record_url
            check_served(run.history, served)
    finally:
        await run.stop()
    # Google's and Better Stack's record is the polled body: no request of its own.
    assert server.hits["/google/incidents.json"] == 1 and server.hits["/bs/index.json"] == 1
    assert record_hits(server) == [1, 1]


async def test_the_record_is_read_at_most_once_a_day_per_page(
    server: FakeServer, pages: HistoryPages, tmp_path: Path
) -> None:
    path, clock = tmp_path / "h.sqlite3", FakeClock(NOW)
    first = Run(pages, path, clock)
    await first.poll()
    clock.advance(120)
    await first.poll()  # a later round of the same run
    await first.stop()
    assert record_hits(server) == [1, 1]
    clock.advance(3 * 3600)
    again = Run(pages, path, clock)  # a restart later that day
    await again.poll()
    await again.stop()
    assert record_hits(server) == [1, 1]
    clock.advance(86400)
    before = server.not_modified
    tomorrow = Run(pages, path, clock)
    try:
        await tomorrow.poll()
        clock.advance(300)
        await tomorrow.poll()
        # One conditional GET a day: unchanged, it costs a 304 and what was stored stands.
        assert record_hits(server) == [2, 2] and server.not_modified >= before + 2
        check_served(tomorrow.history, pages.statuspage)
    finally:
        await tomorrow.stop()


async def test_a_failed_record_is_tried_again_after_an_hour_and_polling_goes_on(
    server: FakeServer, pages: HistoryPages, tmp_path: Path
) -> None:
    server.fault("/sp/api/v2/incidents.json", "server_error")
    server.set("/io/api/v2/incidents.json", "<html>not here</html>", content_type="text/html")
    clock = FakeClock(NOW)
    run = Run(pages, tmp_path / "h.sqlite3", clock)
    try:
        await run.poll()
        copilot = run.history.summary("copilot", 90, NOW)
        assert copilot.incidents == () and run.monitor.states["copilot"].level.value != "unknown"
        clock.advance(600)
        await run.poll()
        assert record_hits(server) == [1, 1]
        server.set("/sp/api/v2/incidents.json", b'{"incidents": []}')
        clock.advance(3600)
        await run.poll()
        assert record_hits(server) == [2, 2]
    finally:
        await run.stop()


async def test_planned_work_in_better_stacks_history_is_a_maintenance_day(
    pages: HistoryPages, tmp_path: Path
) -> None:
    run = Run(pages, tmp_path / "h.sqlite3", FakeClock(NOW))
    try:
        await run.poll()
        start, end = betterstack_maintenance(NOW)
        summary = run.history.summary(pages.betterstack.service.id, 90, NOW)
    finally:
        await run.stop()
    [day] = [d for d in summary.days if d.day == start.date()]
    busy = day_levels(pages.betterstack.facts, UTC, NOW)
    assert day.level is (busy.get(day.day) or Level.MAINTENANCE)
    assert day.ratio is not None and day.up >= (end - start).total_seconds()


async def test_a_page_without_a_record_is_asked_again_only_the_next_day(
    server: FakeServer, pages: HistoryPages, tmp_path: Path
) -> None:
    with server.lock:
        del server.pages["/sp/api/v2/incidents.json"]  # answers 404, as a page without one
    clock = FakeClock(NOW)
    run = Run(pages, tmp_path / "h.sqlite3", clock)
    try:
        await run.poll()
        clock.advance(3 * 3600)
        await run.poll()
        assert record_hits(server)[0] == 1
        clock.advance(86400)
        await run.poll()
        assert record_hits(server)[0] == 2
        # The others were read again, and say when (not when Better Stack's last day ends).
        summary = run.history.summary(pages.betterstack.service.id, 90, clock.now())
        assert summary.backfilled == clock.now()  # read on this day's first poll
    finally:
        await run.stop()


async def test_a_service_added_on_a_page_read_today_gets_its_past_today(
    server: FakeServer, pages: HistoryPages, tmp_path: Path
) -> None:
    path, clock = tmp_path / "h.sqlite3", FakeClock(NOW)
    copilot = pages.statuspage.service
    actions = replace(copilot, id="gh-actions", name="GitHub Actions", components=("Actions",))
    first = Run(pages, path, clock, [copilot])
    await first.poll()
    await first.stop()
    clock.advance(3600)
    later = Run(pages, path, clock, [copilot, actions])  # Actions ticked in Settings, restarted
    await later.poll()
    shown = {i.id for i in later.history.summary("gh-actions", 90, clock.now()).incidents}
    await later.stop()
    facts = statuspage_facts(NOW)
    assert shown and shown == {f.id for f in facts if any(p == "Actions" for p, _ in f.parts)}
    assert record_hits(server)[0] == 2
    clock.advance(3600)
    again = Run(pages, path, clock, [copilot, actions])
    await again.poll()
    await again.stop()
    assert record_hits(server)[0] == 2  # both are current: not read again today
