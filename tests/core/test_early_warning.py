"""Early warning: your probes fail while the page says operational; how much earlier you knew."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from outage_radar.core import mutes
from outage_radar.core.catalog import load_builtin
from outage_radar.core.early_warning import EarlyWarning, decorate, warning_alert
from outage_radar.core.history import History
from outage_radar.core.model import Level, Snapshot
from outage_radar.core.probes import Outcome, ProbeResult
from outage_radar.core.settings import Settings
from outage_radar.core.state import ServiceState
from outage_radar.ui.labels import lead_line, lead_text, probe_line

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=timezone(timedelta(hours=1)))
NAME = "OpenAI API"


def probe(minute: float, outcome: Outcome = Outcome.TIMEOUT, ms: int | None = None) -> ProbeResult:
    return ProbeResult("openai-api", outcome, T0 + timedelta(minutes=minute), ms)


def warned(ew: EarlyWarning, minutes: list[float], **kw: object) -> list[str]:
    page = kw.get("page", Level.OPERATIONAL)
    outcome = kw.get("outcome", Outcome.TIMEOUT)
    found = [ew.on_probe(probe(m, outcome), NAME, page) for m in minutes]  # type: ignore[arg-type]
    return [w.title for w in found if w is not None]


def test_three_timeouts_while_the_page_says_operational_warn_once() -> None:
    ew = EarlyWarning()
    assert warned(ew, [0, 5, 10, 15, 20]) == [
        "OpenAI API failing for you (3 timeouts in 10 min); status page says operational"
    ]
    assert ew.warned("openai-api")


def test_no_warning_when_the_page_already_says_so_or_cannot_be_read() -> None:
    assert warned(EarlyWarning(), [0, 1, 2, 3], page=Level.DEGRADED) == []
    assert warned(EarlyWarning(), [0, 1, 2, 3], page=Level.UNKNOWN) == []


def test_a_success_ends_the_streak() -> None:
    ew = EarlyWarning()
    assert warned(ew, [0, 1]) == []
    assert ew.on_probe(probe(2, Outcome.OK, 120), NAME, Level.OPERATIONAL) is None
    assert warned(ew, [3, 4]) == []
    assert warned(ew, [5]) != []


def test_mixed_failures_are_counted_together() -> None:
    ew = EarlyWarning()
    ew.on_probe(probe(0, Outcome.SERVER_ERROR), NAME, Level.OPERATIONAL)
    ew.on_probe(probe(1, Outcome.TIMEOUT), NAME, Level.OPERATIONAL)
    warning = ew.on_probe(probe(1.5, Outcome.SERVER_ERROR), NAME, Level.OPERATIONAL)
    assert warning is not None and "(3 failures in 2 min)" in warning.title
    assert warned(EarlyWarning(), [0, 1, 2], outcome=Outcome.AUTH_FAILED) == [
        "OpenAI API failing for you (3 auth failures in 2 min); status page says operational"
    ]


def test_the_lead_is_recorded_in_the_history_when_the_page_confirms(tmp_path: Path) -> None:
    ew = EarlyWarning()
    warned(ew, [0, 5, 10])  # warned at 10:10
    confirmed = T0 + timedelta(minutes=19)
    assert ew.on_page("openai-api", NAME, Level.OPERATIONAL, T0) is None
    lead = ew.on_page("openai-api", NAME, Level.PARTIAL_OUTAGE, confirmed)
    assert lead is not None and lead.minutes == 9 and lead_text(lead) == "you knew 9 min earlier"
    assert "3 timeouts" in lead.detail and "partial outage" in lead.detail
    assert ew.on_page("openai-api", NAME, Level.MAJOR_OUTAGE, confirmed) is None  # once
    history = History(tmp_path / "h.sqlite3")
    history.record_lead(lead.service, lead.at, lead.minutes, lead.detail)
    history.close()
    reopened = History(tmp_path / "h.sqlite3")
    ((at, minutes, detail),) = reopened.leads("openai-api")
    reopened.close()
    assert (at, minutes, detail) == (confirmed, 9.0, lead.detail)


def test_no_lead_when_the_page_was_first() -> None:
    ew = EarlyWarning()
    warned(ew, [0, 5, 10])
    assert ew.on_page("openai-api", NAME, Level.DEGRADED, T0 + timedelta(minutes=8)) is None


def test_the_alert_respects_mutes_and_links_the_status_page() -> None:
    service = load_builtin().get("openai-api")
    ew = EarlyWarning()
    warning = None
    for m in (0, 5, 10):
        warning = ew.on_probe(probe(m), NAME, Level.OPERATIONAL) or warning
    assert warning is not None
    alert = warning_alert(warning, service, Settings(), T0)
    assert alert is not None and alert.title == warning.title
    assert alert.level is Level.DEGRADED and alert.services == ("openai-api",)
    assert alert.url and alert.url.startswith("https://") and "Is it just me?" in alert.body
    settings = Settings()
    mutes.mute_for(settings, "openai-api", 1, T0)
    assert warning_alert(warning, service, settings, T0) is None
    paused = Settings()
    mutes.pause_for(paused, 1, T0)
    assert warning_alert(warning, service, paused, T0) is None


def test_menu_lines_show_latency_trend_and_lead() -> None:
    service = load_builtin().get("openai-api")
    assert service is not None
    since = T0 + timedelta(minutes=14)
    states = {"openai-api": ServiceState(service, Snapshot(Level.MAJOR_OUTAGE), since)}
    recent = [probe(0, Outcome.OK, 100), probe(5, Outcome.OK, 300), probe(10, Outcome.TIMEOUT)]
    ew = EarlyWarning(threshold=1)
    ew.on_probe(probe(10), NAME, Level.OPERATIONAL)
    lead = ew.on_page("openai-api", NAME, Level.MAJOR_OUTAGE, since)
    assert lead is not None
    shown = decorate(states, lambda key: recent, {"openai-api": lead})["openai-api"]
    assert probe_line(shown) == "Your API key: timeout · ▁█×"
    assert lead_line(shown) == "You knew 4 min earlier than the status page"
    # Once the page is fine again (or for a later incident), the old lead is not shown.
    later = {"openai-api": ServiceState(service, Snapshot(Level.OPERATIONAL), since)}
    assert not lead_line(decorate(later, lambda key: [], {"openai-api": lead})["openai-api"])
    again = {"openai-api": ServiceState(service, Snapshot(Level.DEGRADED), since + timedelta(1))}
    assert not lead_line(decorate(again, lambda key: [], {"openai-api": lead})["openai-api"])
    # A keyring that stops working replaces the line; someone without keys sees nothing.
    assert not probe_line(decorate(states, lambda key: [], {}, "locked")["openai-api"])
    missing = decorate(states, lambda key: recent, {}, problem="locked")["openai-api"]
    assert "keyring cannot be read" in probe_line(missing)
