"""Applies what the presenter decides: events and intents in, effects and windows out.

The decisions (alerts, early warnings, mutes, settings changes) are core.presenter's. This class
connects the tray's and the status window's signals, applies the Effects it gets back (notify,
record a lead, save, watch other services, repaint) and opens windows on demand (ui.windows).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from .. import notices
from ..core import settings as settings_store
from ..core.model import Change
from ..core.presenter import Effects, Presenter
from ..core.settings import Settings
from ..core.state import ServiceState
from ..core.tasks import TaskSet
from .parts import Parts
from .windows import Windows, raise_window

if TYPE_CHECKING:
    from ..core.probes import ProbeResult
    from .tray import Tray

log = logging.getLogger(__name__)


class Controller(QObject):
    def __init__(self, presenter: Presenter, parts: Parts, tray: Tray) -> None:
        super().__init__()
        self.presenter, self.parts, self.tray = presenter, parts, tray
        self.quit_event = asyncio.Event()
        self.tasks = TaskSet()  # notifications being sent
        self.windows = Windows(self.tasks.spawn)
        self._told_unsaved = False
        # The tray's signals carry the status window's intents too (it owns that window).
        tray.check_now_requested.connect(self.check_now)
        tray.history_requested.connect(self.show_history)
        tray.settings_requested.connect(self.show_settings)
        tray.quit_requested.connect(self.quit)
        tray.pause_requested.connect(self.pause)
        tray.mute_requested.connect(self.mute)
        tray.recover_once_requested.connect(self.recover_once)
        tray.about_requested.connect(self.windows.about)
        tray.doctor_requested.connect(self.show_doctor)

    @property
    def settings(self) -> Settings:
        return self.presenter.settings

    def states(self) -> Mapping[str, ServiceState]:
        return self.parts.monitor.states

    # -- events -----------------------------------------------------------------------------
    def on_update(self, states: Mapping[str, ServiceState]) -> None:
        self.apply(self.presenter.on_update(states), states)

    def on_changes(self, changes: list[Change]) -> None:
        self.apply(self.presenter.on_changes(changes, self.states()))

    def on_probe(self, result: ProbeResult) -> None:
        self.apply(self.presenter.on_probe(result, self.states()))

    def apply(self, effects: Effects, states: Mapping[str, ServiceState] | None = None) -> None:
        parts = self.parts
        for alert in effects.alerts:
            self.tasks.spawn(parts.notifier.show(alert))
        for lead in effects.leads:
            parts.record_lead(lead)
        if effects.save:
            self.save()
        if effects.services:
            services = parts.services(self.settings)
            parts.monitor.set_services(services)
            parts.probes.set_services(services)
        if effects.interval is not None:
            parts.monitor.set_interval(effects.interval)
        if effects.probe_interval is not None:
            parts.probes.set_interval(effects.probe_interval)
        if effects.render:
            self.render(states)

    def render(self, states: Mapping[str, ServiceState] | None = None) -> None:
        probes = self.parts.probes
        states = self.states() if states is None else states
        shown = self.presenter.view(states, probes.recent, probes.problem)
        self.tray.render(shown, self.settings, self.presenter.now())
        self.windows.refresh_history()

    async def drain(self) -> None:
        """Wait for notifications still being sent (on quit)."""
        await self.tasks.drain(timeout=3)

    def save(self) -> None:
        try:
            settings_store.save(self.settings, self.parts.settings_path)
        except OSError as exc:
            self.cannot_save(exc)

    def cannot_save(self, exc: OSError | str) -> None:
        """A settings write failed (or cannot be done): logged each time, told once."""
        log.warning("could not save the settings: %s", exc)
        if not self._told_unsaved:
            self._told_unsaved = True
            self.tasks.spawn(self.parts.notifier.show(notices.settings_unsaved(exc)))

    # -- intents ----------------------------------------------------------------------------
    @Slot()
    def check_now(self) -> None:
        self.parts.monitor.check_now()
        self.parts.probes.check_now()

    @Slot(float)
    def pause(self, hours: float) -> None:
        self.apply(self.presenter.pause(hours))

    @Slot(str, float)
    def mute(self, service: str, hours: float) -> None:
        self.apply(self.presenter.mute(service, hours))

    @Slot(str, bool)
    def recover_once(self, service: str, on: bool) -> None:
        self.apply(self.presenter.recover_once(service, on))

    @Slot(object)
    def apply_settings(self, new: Settings) -> None:
        self.apply(self.presenter.apply_settings(new))

    @Slot(list)
    def finish_welcome(self, chosen: list[str]) -> None:
        self.apply(self.presenter.finish_welcome(chosen))

    @Slot()
    def quit(self) -> None:
        self.quit_event.set()

    # -- windows ----------------------------------------------------------------------------
    @Slot()
    def show_history(self) -> None:
        if self.parts.history is not None:
            states = self.states()
            services = [s.service for s in states.values()]
            self.windows.history(self.parts.history, services, self.presenter.now, states.get)

    @Slot()
    def show_settings(self) -> None:
        parts, open_now = self.parts, self.windows.visible("settings")
        if open_now is not None:
            raise_window(open_now)
            return
        services = parts.all_services()
        components = {k: [c.name for c in s.snapshot.components] for k, s in self.states().items()}
        keys = None
        if parts.credentials is not None:
            keys = self.windows.keys(services, parts.credentials, parts.probes.check_now)
        self.windows.settings(
            self.settings,
            services,
            components,
            self.apply_settings,
            preview=parts.preview,
            path=parts.settings_path,
            catalog_file=Path("--catalog") if self.presenter.fixed_services else None,
            keys=keys,
            unsaved=self.cannot_save,
        )

    @Slot(str)
    def show_doctor(self, service: str) -> None:
        if self.parts.diagnose is not None:
            self.windows.doctor(self.parts.diagnose, service)

    def show_welcome(self) -> None:
        services = self.parts.all_services()
        self.windows.welcome(services, self.settings.services, self.finish_welcome)

    @Slot()
    def bring_to_front(self) -> None:
        """A second launch asked us to show ourselves: without a tray, the status window."""
        welcome = self.windows.visible("welcome")
        if not self.tray.in_tray:
            self.tray.status_window().present()
        elif welcome is not None:
            raise_window(welcome)
        else:
            self.show_settings()

    def close_windows(self) -> None:
        self.windows.close_all()
