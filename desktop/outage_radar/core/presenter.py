"""What the running app's events mean: the decisions between the monitor, the probes and the UI.

Qt-free and tested as tables. The controller (ui/controller.py) hands it monitor updates,
confirmed changes, probe results and the user's intents; each call changes the settings it holds
where the event says so and returns `Effects`, which the controller only applies: notify, save
the settings, keep a lead in the history, watch other services, repaint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from . import alerts, mutes
from .alerts import Alert, ServiceLookup
from .early_warning import EarlyWarning, Lead, decorate, warning_alert
from .model import Change
from .mutes import UNTIL_TOMORROW
from .settings import Settings
from .state import ServiceState

if TYPE_CHECKING:  # probes loads httpx: not needed to start the tray
    from .probes import ProbeResult

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


def watched(states: Mapping[str, ServiceState], settings: Settings) -> dict[str, ServiceState]:
    """The states with each level as the user watches it (mutes.watched_level)."""
    out = {}
    for key, state in states.items():
        level = mutes.watched_level(settings, key, state.snapshot)
        if level is not state.level:
            state = replace(state, snapshot=replace(state.snapshot, level=level))
        out[key] = state
    return out


@dataclass(frozen=True, slots=True)
class Effects:
    """What the controller does after an event, in this order."""

    alerts: tuple[Alert, ...] = ()  # notify, one by one
    leads: tuple[Lead, ...] = ()  # keep in the history
    save: bool = False  # write the settings
    services: bool = False  # the watched services may have changed: watch the new set
    interval: float | None = None  # the monitor's new poll interval
    probe_interval: float | None = None  # the probes' new interval
    render: bool = True  # repaint the tray and the windows


class Presenter:
    """The settings as the user changes them, the early warning's streaks, the leads, flapping."""

    def __init__(
        self,
        settings: Settings,
        catalog: ServiceLookup,
        *,
        now: Clock = local_now,
        fixed_services: bool = False,
        fixed_interval: float | None = None,
        leads: Mapping[str, Lead] | None = None,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.now = now
        self.fixed_services = fixed_services  # --catalog: the settings never pick the services
        self.fixed_interval = fixed_interval  # --interval: the settings never change it
        self.early = EarlyWarning()
        self.flaps = alerts.Flapping()  # which services flap, across rounds
        self.leads: dict[str, Lead] = dict(leads or {})

    # -- what the app shows ---------------------------------------------------------------------
    def view(
        self,
        states: Mapping[str, ServiceState],
        recent: Callable[[str], list[ProbeResult]],
        problem: str | None,
    ) -> dict[str, ServiceState]:
        """The states as the user watches them, with their probes and the leads that still apply.

        A service whose trouble is only in components the user unticked shows the level of the
        parts they watch, so the tray's icon, tooltip and header count it as alerts do."""
        return decorate(watched(states, self.settings), recent, self.leads, problem)

    # -- monitor and probe events ---------------------------------------------------------------
    def on_update(self, states: Mapping[str, ServiceState]) -> Effects:
        """New states: a page now confirming trouble we warned about gives a lead to keep."""
        found = []
        for key, state in states.items():
            since = state.since or self.now()
            lead = self.early.on_page(key, state.service.name, state.level, since)
            if lead is not None:
                self.leads[key] = lead
                found.append(lead)
        return Effects(leads=tuple(found))

    def on_probe(self, result: ProbeResult, states: Mapping[str, ServiceState]) -> Effects:
        """A probe result: the early warning's notification, when a streak qualifies."""
        state = states.get(result.service)
        if state is None:
            return Effects()
        warning = self.early.on_probe(result, state.service.name, state.level)
        if warning is None:
            return Effects()
        alert = warning_alert(warning, state.service, self.settings, self.now())
        return Effects(alerts=(alert,) if alert is not None else ())

    def on_changes(self, changes: Sequence[Change], states: Mapping[str, ServiceState]) -> Effects:
        """One round's confirmed changes: at most one alert; fired recovery requests end."""
        now = self.now()
        pruned = mutes.prune(self.settings, now)
        decision = alerts.decide(changes, self.settings, now, states, self.catalog, self.flaps)
        for key in decision.fired_once:
            mutes.set_recover_once(self.settings, key, False)
        fired = bool(decision.fired_once)
        found = (decision.alert,) if decision.alert is not None else ()
        return Effects(alerts=found, save=pruned or fired, render=fired)

    # -- the user's intents ---------------------------------------------------------------------
    def pause(self, hours: float) -> Effects:
        """Pause notifications for `hours`, until tomorrow (UNTIL_TOMORROW), or resume (0)."""
        now = self.now()
        if hours == UNTIL_TOMORROW:
            mutes.pause_until_tomorrow(self.settings, now)
        elif hours > 0:
            mutes.pause_for(self.settings, hours, now)
        else:
            mutes.resume(self.settings)
        return Effects(save=True)

    def mute(self, service: str, hours: float) -> Effects:
        """Mute one service for `hours`, until tomorrow (UNTIL_TOMORROW), or unmute it (0)."""
        now = self.now()
        if hours == UNTIL_TOMORROW:
            mutes.mute_until_tomorrow(self.settings, service, now)
        elif hours > 0:
            mutes.mute_for(self.settings, service, hours, now)
        else:
            mutes.unmute(self.settings, service)
        return Effects(save=True)

    def recover_once(self, service: str, on: bool) -> Effects:
        mutes.set_recover_once(self.settings, service, on)
        return Effects(save=True)

    def apply_settings(self, new: Settings) -> Effects:
        """Settings saved in the window: what the monitor and the probes must change."""
        self.settings = new
        return Effects(
            services=not self.fixed_services,
            interval=new.interval if self.fixed_interval is None else None,
            probe_interval=new.probe_interval,
        )

    def finish_welcome(self, chosen: Sequence[str]) -> Effects:
        """The first run's choice: watch these services from now on."""
        self.settings.services = list(chosen)
        self.settings.first_run_done = True
        return replace(self.apply_settings(self.settings), save=True)
