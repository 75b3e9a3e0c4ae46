"""Wires the running app: monitor events to the tray and alerts, user intents to settings.

It holds no Qt state of its own beyond the windows it opens on demand (imported lazily, so the
first paint of the tray does not wait for them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from ..core import alerts, mutes
from ..core import settings as settings_store
from ..core.alerts import Alert, ServiceLookup
from ..core.catalog import Service
from ..core.early_warning import EarlyWarning, Lead, decorate, warning_alert
from ..core.model import Change
from ..core.settings import Settings
from ..core.state import ServiceState
from .menu import UNTIL_TOMORROW

if TYPE_CHECKING:
    from ..core.credentials import Credentials
    from ..core.doctor import Report
    from ..core.probe_runner import ProbeRunner
    from ..core.probes import ProbeResult
    from .add_page import Preview
    from .history_window import HistoryReader
    from .status_window import StatusWindow
    from .tray import Tray

log = logging.getLogger(__name__)


class MonitorLike(Protocol):
    @property
    def states(self) -> Mapping[str, ServiceState]: ...
    def check_now(self) -> None: ...
    def set_services(self, services: Sequence[Service]) -> None: ...
    def set_interval(self, seconds: float) -> None: ...


class NotifierLike(Protocol):
    async def show(self, alert: Alert) -> None: ...


class Controller(QObject):
    def __init__(
        self,
        *,
        tray: Tray | None,
        status: StatusWindow | None,
        catalog: ServiceLookup,
        all_services: Callable[[], list[Service]],
        settings: Settings,
        settings_path: Path | None = None,
        resolve: Callable[[Settings], list[Service]] | None = None,
        fixed_interval: float | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        super().__init__()
        self.tray, self.status = tray, status
        self.catalog = catalog
        self.all_services = all_services
        self.settings = settings
        self.settings_path = settings_path
        self.resolve = resolve  # None: the services are fixed (--catalog)
        self.fixed_interval = fixed_interval
        self.now = now
        self.monitor: MonitorLike | None = None
        self.notifier: NotifierLike | None = None
        self.history: HistoryReader | None = None
        self.preview: Preview | None = None
        # API probes (issue 4): set by the app; None in a run without them.
        self.probes: ProbeRunner | None = None
        self.credentials: Credentials | None = None
        self.diagnose: Callable[[str], Awaitable[Report | None]] | None = None
        self.record_lead: Callable[[Lead], None] | None = None
        self.early = EarlyWarning()
        self.leads: dict[str, Lead] = {}
        self.quit_event = asyncio.Event()
        self.windows: dict[str, QWidget] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._connect()

    def _connect(self) -> None:
        for source in (self.tray, self.status):
            if source is None:
                continue
            source.check_now_requested.connect(self.check_now)
            source.history_requested.connect(self.show_history)
            source.settings_requested.connect(self.show_settings)
            source.quit_requested.connect(self.quit)
        if self.tray is not None:
            self.tray.pause_requested.connect(self.pause)
            self.tray.mute_requested.connect(self.mute)
            self.tray.recover_once_requested.connect(self.recover_once)
            self.tray.about_requested.connect(self.show_about)
            self.tray.doctor_requested.connect(self.show_doctor)

    # -- monitor events -------------------------------------------------------------------------
    def states(self) -> Mapping[str, ServiceState]:
        return self.monitor.states if self.monitor is not None else {}

    def render(self, states: Mapping[str, ServiceState] | None = None) -> None:
        states = self.states() if states is None else states
        if self.probes is not None:
            states = decorate(states, self.probes.recent, self.leads, self.probes.problem)
        now = self.now()
        if self.tray is not None:
            self.tray.render(states, self.settings, now)
        if self.status is not None:
            self.status.show_states(states, now)
        history = self.windows.get("history")
        if history is not None and history.isVisible() and hasattr(history, "refresh"):
            history.refresh()

    def on_update(self, states: Mapping[str, ServiceState]) -> None:
        for key, state in states.items():
            # The page now confirms trouble we warned about: keep how much earlier we knew.
            since = state.since or self.now()
            lead = self.early.on_page(key, state.service.name, state.level, since)
            if lead is not None:
                self.leads[key] = lead
                if self.record_lead is not None:
                    self.record_lead(lead)
        self.render(states)

    def on_probe(self, result: ProbeResult) -> None:
        state = self.states().get(result.service)
        if state is not None:
            warning = self.early.on_probe(result, state.service.name, state.level)
            if warning is not None and self.notifier is not None:
                alert = warning_alert(warning, state.service, self.settings, self.now())
                if alert is not None:
                    self.spawn(self.notifier.show(alert))
        self.render()

    def on_changes(self, changes: list[Change]) -> None:
        now = self.now()
        if mutes.prune(self.settings, now):
            self.save()
        decision = alerts.decide(changes, self.settings, now, self.states(), self.catalog)
        if decision.fired_once:
            for key in decision.fired_once:
                mutes.set_recover_once(self.settings, key, False)
            self.save()
            self.render()
        if decision.alert is not None and self.notifier is not None:
            self.spawn(self.notifier.show(decision.alert))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a task the app keeps a reference to (so it is not collected mid-flight)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for notifications still being sent (on quit)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=3)

    def save(self) -> None:
        try:
            settings_store.save(self.settings, self.settings_path)
        except OSError:
            log.exception("could not save the settings")

    # -- intents ----------------------------------------------------------------------------
    @Slot()
    def check_now(self) -> None:
        if self.monitor is not None:
            self.monitor.check_now()
        if self.probes is not None:
            self.probes.check_now()

    @Slot(float)
    def pause(self, hours: float) -> None:
        now = self.now()
        if hours == UNTIL_TOMORROW:
            mutes.pause_until_tomorrow(self.settings, now)
        elif hours > 0:
            mutes.pause_for(self.settings, hours, now)
        else:
            mutes.resume(self.settings)
        self.save()
        self.render()

    @Slot(str, float)
    def mute(self, service: str, hours: float) -> None:
        now = self.now()
        if hours == UNTIL_TOMORROW:
            mutes.mute_until_tomorrow(self.settings, service, now)
        elif hours > 0:
            mutes.mute_for(self.settings, service, hours, now)
        else:
            mutes.unmute(self.settings, service)
        self.save()
        self.render()

    @Slot(str, bool)
    def recover_once(self, service: str, on: bool) -> None:
        mutes.set_recover_once(self.settings, service, on)
        self.save()
        self.render()

    @Slot()
    def quit(self) -> None:
        self.quit_event.set()

    @Slot()
    def show_about(self) -> None:
        # Not modal: a nested event loop would stall polling while the box is open.
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "About Outage Radar",
            f"Outage Radar {__version__}\n\nWatches the status pages of the AI services you "
            "use and tells you when one has trouble, and when it is back.",
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        self.windows["about"] = box
        self._raise(box)

    def _raise(self, window: QWidget) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    @Slot()
    def show_history(self) -> None:
        if self.history is None:
            return
        from .history_window import HistoryWindow

        window = self.windows.get("history")
        services = [s.service for s in self.states().values()]
        if isinstance(window, HistoryWindow):
            window.set_services(services)
        else:
            window = self.windows["history"] = HistoryWindow(self.history, services, self.now)
        self._raise(window)

    @Slot()
    def show_settings(self) -> None:
        from .settings_window import SettingsWindow

        window = self.windows.get("settings")
        if window is not None and window.isVisible():
            self._raise(window)
            return
        components = {
            key: [c.name for c in state.snapshot.components] for key, state in self.states().items()
        }
        keys = None
        if self.credentials is not None:
            from .keys_section import KeysSection

            keys = KeysSection(self.all_services(), self.credentials)
            if self.probes is not None:
                keys.changed.connect(self.probes.check_now)
            self.spawn(keys.refresh())
        window = SettingsWindow(
            self.settings,
            self.all_services(),
            components=components,
            preview=self.preview,
            path=self.settings_path,
            catalog_file=None if self.resolve is not None else Path("--catalog"),
            keys=keys,
        )
        window.saved.connect(self.apply_settings)
        self.windows["settings"] = window
        self._raise(window)

    @Slot(object)
    def apply_settings(self, new: Settings) -> None:
        self.settings = new
        if self.monitor is not None:
            if self.resolve is not None:
                self.monitor.set_services(self.resolve(new))
            if self.fixed_interval is None:
                self.monitor.set_interval(new.interval)
        if self.probes is not None:
            if self.resolve is not None:
                self.probes.set_services(self.resolve(new))
            self.probes.set_interval(new.probe_interval)
        self.render()

    @Slot(str)
    def show_doctor(self, service: str) -> None:
        """ "Is it just me?" for one service, in a window that fills in when the checks end."""
        if self.diagnose is not None:
            from .doctor_box import doctor_box

            box, job = doctor_box(self.diagnose, service)
            self.windows["doctor"] = box
            self._raise(box)
            self.spawn(job)

    def show_welcome(self) -> None:
        from .welcome_window import WelcomeWindow

        window = WelcomeWindow(self.all_services(), self.settings.services)
        window.chosen.connect(self.finish_welcome)
        self.windows["welcome"] = window
        self._raise(window)

    @Slot(list)
    def finish_welcome(self, chosen: list[str]) -> None:
        self.settings.services = list(chosen)
        self.settings.first_run_done = True
        self.save()
        self.apply_settings(self.settings)

    @Slot()
    def bring_to_front(self) -> None:
        """A second launch asked us to show ourselves."""
        welcome = self.windows.get("welcome")
        if welcome is not None and welcome.isVisible():
            self._raise(welcome)
        elif self.status is not None:
            self._raise(self.status)
        else:
            self.show_settings()
