"""RSS/Atom feeds: open vs resolved entries, freshness window, maintenance, severity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from outage_radar.core.model import Level
from outage_radar.core.sources import feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
NOW = datetime(2026, 3, 3, 10, tzinfo=UTC)


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_statuspage_history() -> None:
    snap = feed.parse(load("statuspage_history.atom"), now=NOW)
    assert snap.error is None and snap.page_name == "Acme AI Status - Incident History"
    # open, resolved, stale (older than the freshness window) -> only the open one
    (inc,) = snap.incidents
    assert inc.title == "Major outage of the Chat API"
    assert inc.level is Level.MAJOR_OUTAGE  # from the title's words
    assert inc.stage == "identified"  # "Update" is not a stage: the next marker is
    assert inc.latest_update == "Update - Still working on it."
    assert inc.url == "https://status.acme.test/incidents/open1"
    assert inc.updated == datetime(2026, 3, 3, 9, 40, tzinfo=UTC)
    (m,) = snap.maintenances  # the completed maintenance is dropped
    assert m.title == "Database maintenance" and m.active and m.stage == "in progress"
    assert m.url is None  # javascript: link dropped
    assert snap.level is Level.MAJOR_OUTAGE


def test_everything_ages_out() -> None:
    later = datetime(2026, 3, 20, tzinfo=UTC)
    snap = feed.parse(load("statuspage_history.atom"), now=later)
    assert snap.level is Level.OPERATIONAL and snap.incidents == () and snap.maintenances == ()


def test_incidentio_history() -> None:
    snap = feed.parse(load("incidentio_history.atom"), now=NOW)
    (inc,) = snap.incidents
    assert inc.stage == "identified"
    assert inc.level is Level.MAJOR_OUTAGE  # "(Full outage)" on an affected component
    assert inc.components == ("Conversations", "Login")
    assert "We identified the cause." in inc.latest_update


def test_xai_categories_carry_severity() -> None:
    snap = feed.parse(load("xai_feed.xml"), now=NOW)
    assert [(i.title, i.level) for i in snap.incidents] == [
        ("[Chat (Web)] Responses degraded", Level.DEGRADED),
        ("[API] Models outage", Level.MAJOR_OUTAGE),
    ]
    assert snap.incidents[0].components == ("Chat (Web)",)
    assert snap.incidents[1].impact == "outage"
    assert snap.level is Level.MAJOR_OUTAGE


def test_plain_feed_keywords_and_undated() -> None:
    snap = feed.parse(load("plain_feed.rss"), now=NOW)
    (inc,) = snap.incidents  # the undated item can't be placed in time and is skipped
    assert inc.level is Level.PARTIAL_OUTAGE  # "unavailable" in the title
    assert snap.level is Level.PARTIAL_OUTAGE


def test_empty_feed_is_operational() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    assert feed.parse(body, now=NOW).level is Level.OPERATIONAL


def test_not_feeds() -> None:
    cases = {
        b"": "empty response",
        b"<!doctype html><html><body>hi</body></html>": "not a status page (HTML)",
        b'{"a": 1}': "not a status page",
        b"/etc/passwd": "not a status page",
    }
    for body, reason in cases.items():
        snap = feed.parse(body, now=NOW)
        assert snap.level is Level.UNKNOWN and snap.error == reason, body


def test_entity_bombs_are_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title>'
        b"</channel></rss>"
    )
    snap = feed.parse(body, now=NOW)
    assert snap.level is Level.UNKNOWN and snap.error == "not a status page (XML entities)"


def test_default_now_is_used() -> None:
    # With the real clock the 2026-03 fixture entries are long stale or in the future.
    assert feed.parse(load("xai_feed.xml")).error is None


def test_entry_cap() -> None:
    items = "".join(
        f"<item><title>Outage {i}</title><pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate></item>"
        for i in range(200)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    snap = feed.parse(body, now=NOW)
    assert len(snap.incidents) == 50
