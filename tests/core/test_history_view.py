"""What a day and an uptime say: coloured by what was known, your polls over the page's record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from outage_radar.core.history_view import (
    OWN,
    PAGE,
    DayView,
    Span,
    Summary,
    build_days,
    day_level,
    own_spans,
    uptime_line,
)
from outage_radar.core.model import Level

DAY0 = date(2026, 11, 10)
START = datetime.combine(DAY0, datetime.min.time()).astimezone().timestamp()
H = 3600.0


def one_day(
    own: Sequence[Span] = (), cover: Sequence[tuple[float, float]] = (), page: Sequence[Span] = ()
) -> DayView:
    [day] = build_days(DAY0, 1, own, cover, page, START + 48 * H)
    return day


def test_a_few_minutes_of_outage_do_not_paint_a_whole_day_red() -> None:
    whole = [(START, START + 24 * H)]
    brief = one_day(cover=whole, page=[(START + H, START + H + 600, Level.MAJOR_OUTAGE)])
    assert brief.level is Level.DEGRADED  # trouble, shown, but not a red day
    long = one_day(cover=whole, page=[(START + H, START + 4 * H, Level.MAJOR_OUTAGE)])
    assert long.level is Level.MAJOR_OUTAGE
    assert long.ratio is not None and abs(long.ratio - 21 / 24) < 1e-9
    quiet = one_day(cover=whole)
    assert quiet.level is Level.OPERATIONAL and quiet.ratio == 1.0 and quiet.source == PAGE


def test_a_day_known_for_minutes_is_grey_and_does_not_count() -> None:
    day = one_day(own=[(START, START + 1200, Level.MAJOR_OUTAGE)])
    assert day.level is None and day.ratio is None and not day.counted
    summary = Summary("svc", (day,), ())
    assert uptime_line(summary) == "Not enough data yet for the last 1 day"


def test_your_polls_win_over_the_page_record_where_both_exist() -> None:
    own = [(START, START + 24 * H, Level.OPERATIONAL)]
    page = [(START + H, START + 10 * H, Level.MAJOR_OUTAGE)]
    day = one_day(own=own, cover=[(START, START + 24 * H)], page=page)
    assert day.level is Level.OPERATIONAL and day.source == OWN and day.ratio == 1.0


def test_the_page_fills_in_where_you_did_not_poll() -> None:
    own = [(START, START + 12 * H, Level.OPERATIONAL)]
    page = [(START + 14 * H, START + 18 * H, Level.PARTIAL_OUTAGE)]
    day = one_day(own=own, cover=[(0.0, START + 24 * H)], page=page)
    assert day.source == "both" and day.known == 24 * H
    assert day.level is Level.PARTIAL_OUTAGE and day.down == {Level.PARTIAL_OUTAGE: 4 * H}


def test_outside_the_record_and_your_polls_nothing_is_known() -> None:
    day = one_day(cover=[(START + 20 * H, START + 24 * H)])
    assert day.known == 4 * H and day.level is Level.OPERATIONAL and not day.counted


def test_uptime_counts_only_days_known_well_enough_and_says_so() -> None:
    days = build_days(
        DAY0,
        3,
        [(START + 24 * H, START + 25 * H, Level.OPERATIONAL)],  # day 2: one hour only
        [(START, START + 24 * H)],  # day 1: the page's record
        [(START, START + 2.4 * H, Level.MAJOR_OUTAGE)],
        START + 72 * H,
    )
    summary = Summary("svc", days, ())
    assert [d.counted for d in days] == [True, False, False]
    assert summary.uptime is not None and abs(summary.uptime - 0.9) < 1e-9
    assert uptime_line(summary) == "90.00 % uptime over 1 day with data (2 days with too little)"


def test_a_run_of_polls_vouches_a_while_after_its_last_poll() -> None:
    spans = own_spans([(0.0, 600.0, Level.OPERATIONAL), (5000.0, 5000.0, Level.UNKNOWN)], 900, 9e9)
    assert spans == [(0.0, 1500.0, Level.OPERATIONAL)]


def test_levels_and_shares() -> None:
    assert day_level(30 * 60, {Level.MAJOR_OUTAGE: 60}, 0) is None
    assert day_level(24 * H, {}, 6 * H) is Level.MAINTENANCE
    mixed = {Level.MAJOR_OUTAGE: 0.5 * H, Level.PARTIAL_OUTAGE: 1 * H}
    assert day_level(24 * H, mixed, 0) is Level.PARTIAL_OUTAGE  # 1.5 h at partial or worse
