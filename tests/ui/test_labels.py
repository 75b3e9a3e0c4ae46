"""The words of ui/labels.py, as tables: what the Check button, the header and the rows say."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from outage_radar.core import mutes
from outage_radar.core.check import preview
from outage_radar.core.failures import Failure, Kind
from outage_radar.core.fetch import Fetcher
from outage_radar.core.model import Level
from outage_radar.core.settings import Settings
from outage_radar.ui.add_page import describe
from outage_radar.ui.labels import check_line, header, held_line, page_problem, row_status
from tests.builders import NOW, state
from tests.fakeserver import refused_url, unresolvable_url


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (Failure(Kind.REFUSED), "Could not reach this address: connection refused."),
        (Failure(Kind.DNS), "Could not reach this address: DNS lookup failed."),
        (Failure(Kind.TIMEOUT), "Could not reach this address: timed out."),
        (Failure(Kind.TLS), "Could not reach this address: TLS verification failed."),
        (Failure(Kind.UNREACHABLE), "Could not reach this address: network unreachable."),
        (Failure(Kind.NOT_A_STATUS_PAGE), "Not recognised as a status page."),
        (
            Failure(Kind.NOT_A_STATUS_PAGE, "platform not recognised"),
            "Not recognised as a status page: platform not recognised.",
        ),
        (
            Failure(Kind.HTTP_STATUS, status=500),
            "Could not read a status page here: server error (HTTP 500).",
        ),
        (Failure(Kind.BAD_PAYLOAD, "bad JSON"), "Could not read a status page here: bad JSON."),
        (None, "Not recognised as a status page."),
    ],
)
def test_an_unreadable_url_says_what_failed(failure: Failure | None, words: str) -> None:
    assert page_problem(failure) == words


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (refused_url("/"), "Could not reach this address: connection refused."),
        (unresolvable_url("/"), "Could not reach this address: DNS lookup failed."),
    ],
    ids=["refused", "dns"],
)
async def test_check_on_an_unreachable_url_never_says_not_a_status_page(
    url: str, words: str
) -> None:
    fetcher = Fetcher(deadline=5)
    try:
        found = await preview(fetcher, url)
    finally:
        await fetcher.aclose()
    assert describe(found.snapshot) == words


OFFLINE = Failure(Kind.OFFLINE)


@pytest.mark.parametrize(
    ("last_known", "failure", "words"),
    [
        (Level.OPERATIONAL, OFFLINE, "operational (last known, offline)"),
        (Level.MAJOR_OUTAGE, OFFLINE, "major outage (last known, offline)"),
        (None, OFFLINE, "unknown (offline)"),
        (Level.OPERATIONAL, Failure(Kind.TIMEOUT), "unknown (timed out)"),
    ],
)
def test_a_row_offline_keeps_its_last_known_state(
    last_known: Level | None, failure: Failure, words: str
) -> None:
    row = replace(state("chatgpt", Level.UNKNOWN, failure=failure), last_known=last_known)
    assert row_status(row) == words


def test_the_header_says_offline_once() -> None:
    rows = {k: state(k, Level.UNKNOWN, failure=OFFLINE) for k in ("chatgpt", "claude")}
    assert header(rows) == "You are offline"
    rows["claude"] = state("claude", Level.UNKNOWN, failure=Failure(Kind.TIMEOUT))
    assert header(rows) == "Status unknown"  # one page failing is not "offline"


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (Settings(), ""),
        (
            Settings(quiet_start="22:00", quiet_end="11:00"),
            "Quiet hours until 11:00: notifications held",
        ),
        (
            Settings(quiet_start="10:00", quiet_end="10:45"),
            "Quiet hours until 10:45: notifications held",
        ),
        (Settings(quiet_start="11:00", quiet_end="12:00"), ""),
        (
            Settings(
                quiet_start="22:00",
                quiet_end="11:00",
                paused_until=(NOW + timedelta(hours=2)).isoformat(),
            ),
            "Notifications paused until 12:30",
        ),
    ],
    ids=["none", "overnight", "same-day", "not-yet", "paused-wins"],
)
def test_held_notifications_say_why_and_until_when(settings: Settings, words: str) -> None:
    paused = mutes.paused_until(settings, NOW)
    assert held_line(paused, mutes.quiet_until(settings, NOW), NOW) == words


@pytest.mark.parametrize(
    ("last_read", "live", "line"),
    [
        (None, None, "Not checked yet"),
        (NOW - timedelta(minutes=5), None, "Last check: 10:25"),
        (None, "ok", "Last check: 10:30"),
        # Checks ran and failed: say when and why, never "not checked yet".
        (None, "refused", "Last check 10:30 failed: connection refused"),
        (
            NOW - timedelta(minutes=5),
            "timeout",
            "Last check 10:30 failed: timed out (last good read 10:25)",
        ),
    ],
)
def test_the_last_check_line_says_when_a_check_failed(
    last_read: object, live: str | None, line: str
) -> None:
    kinds = {"refused": Kind.REFUSED, "timeout": Kind.TIMEOUT}
    now_state = None
    if live == "ok":
        now_state = state("chatgpt", Level.OPERATIONAL)
    elif live is not None:
        now_state = state("chatgpt", Level.UNKNOWN, failure=Failure(kinds[live]))
    assert check_line(last_read, now_state, NOW) == line  # type: ignore[arg-type]
