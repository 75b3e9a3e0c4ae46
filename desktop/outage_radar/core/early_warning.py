"""Early warning: your own API probes fail while the status page still says operational.

Pure logic, fed by the app with probe results and the page's level. After FAILS_TO_WARN failed
probes in a row while the page says operational it returns one warning per streak; when the
page later confirms trouble it returns the detection lead ("you knew 9 min earlier") for the
history. A successful probe ends the streak.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from . import mutes
from .alerts import Alert, AlertAction
from .catalog import Service
from .links import status_url
from .model import Level
from .settings import Settings
from .state import ServiceState
from .text import clean

if TYPE_CHECKING:  # probes loads httpx: not needed to start the tray
    from .probes import ProbeResult

FAILS_TO_WARN = 3
_NOUNS = {  # by Outcome value
    "auth_failed": "auth failures",
    "rate_limited": "rate limits",
    "server_error": "server errors",
    "timeout": "timeouts",
    "unreachable": "connection failures",
    "redirected": "redirects",
    "bad_response": "bad responses",
}


@dataclass(frozen=True, slots=True)
class ProbeWarning:
    service: str
    title: str  # "OpenAI API failing for you (3 timeouts in 10 min); status page says operational"
    last: ProbeResult


@dataclass(frozen=True, slots=True)
class Lead:
    """How much earlier the user knew than the status page, for History.record_lead."""

    service: str
    at: datetime  # when the page first showed the problem
    minutes: float
    detail: str


@dataclass
class _Streak:
    failures: list[ProbeResult] = field(default_factory=list)
    warned_at: datetime | None = None
    what: str = ""
    settled: bool = False  # the page confirmed (or the lead was not positive): no second lead


def failures_text(failures: list[ProbeResult]) -> str:
    """'3 timeouts in 10 min' (mixed outcomes: '3 failures in 10 min')."""
    kinds = Counter(r.outcome.value for r in failures)
    noun = _NOUNS.get(next(iter(kinds)), "failures") if len(kinds) == 1 else "failures"
    if len(failures) == 1:
        noun = noun[:-1]
    span = (failures[-1].checked_at - failures[0].checked_at).total_seconds()
    return f"{len(failures)} {noun} in {max(1, math.ceil(span / 60))} min"


class EarlyWarning:
    def __init__(self, threshold: int = FAILS_TO_WARN) -> None:
        self.threshold = max(1, threshold)
        self._streaks: dict[str, _Streak] = {}

    def on_probe(self, result: ProbeResult, name: str, page: Level) -> ProbeWarning | None:
        """Feed one probe result; a ProbeWarning the first time a streak qualifies."""
        if result.ok:
            self._streaks.pop(result.service, None)
            return None
        streak = self._streaks.setdefault(result.service, _Streak())
        streak.failures.append(result)
        del streak.failures[: -max(self.threshold, 20)]  # bounded, however long it fails
        if streak.warned_at is not None or len(streak.failures) < self.threshold:
            return None
        if page is not Level.OPERATIONAL:
            return None  # the page already says something (or we cannot read it)
        streak.warned_at = result.checked_at
        streak.what = failures_text(streak.failures)
        label = clean(name, 80, single_line=True) or result.service
        title = f"{label} failing for you ({streak.what}); status page says operational"
        return ProbeWarning(result.service, title, result)

    def on_page(self, service: str, name: str, level: Level, since: datetime) -> Lead | None:
        """Feed the page's level (and since when); a Lead once, when it confirms a warning."""
        streak = self._streaks.get(service)
        if streak is None or streak.warned_at is None or streak.settled or not level.is_problem:
            return None
        streak.settled = True
        minutes = (since - streak.warned_at).total_seconds() / 60
        if minutes <= 0:
            return None
        label = clean(name, 80, single_line=True) or service
        detail = (
            f"{label}: failing for you from {streak.warned_at:%H:%M} ({streak.what}); "
            f"status page said {level.label} at {since:%H:%M}"
        )
        return Lead(service, since, minutes, detail)

    def warned(self, service: str) -> bool:
        streak = self._streaks.get(service)
        return streak is not None and streak.warned_at is not None


def warning_alert(
    warning: ProbeWarning, service: Service | None, settings: Settings, now: datetime
) -> Alert | None:
    """The notification for a warning, after the user's mutes, pause and quiet hours."""
    if mutes.silenced(settings, warning.service, now):
        return None
    body = (
        f"Last try: {warning.last.describe()}. The status page shows no problem yet: "
        "it may be your key, quota or network, or an outage not acknowledged yet. "
        "Use “Is it just me?” in the menu to find out."
    )
    page = status_url(service) if service is not None else None
    actions = (AlertAction("Status page", page),) if page else ()
    return Alert(
        clean(warning.title, 160, single_line=True),
        clean(body, 600),
        Level.DEGRADED,
        page,
        actions,
        (warning.service,),
    )


def decorate(
    states: Mapping[str, ServiceState],
    recent: Callable[[str], list[ProbeResult]],
    leads: Mapping[str, Lead],
    problem: str | None = None,
) -> dict[str, ServiceState]:
    """States with their recent probes and the lead that still applies (ui.labels words them)."""
    out = {}
    for key, state in states.items():
        probes = tuple(recent(key))
        lead = leads.get(key)
        # Only while the incident it belongs to lasts; the history keeps it for good.
        if lead and not (
            state.level.is_problem and (state.since is None or lead.at >= state.since)
        ):
            lead = None
        # It worked before: the line says why it stopped (no line for keyless users).
        failed = bool(probes and problem)
        out[key] = replace(state, probes=probes, keyring_failed=failed, lead=lead)
    return out
