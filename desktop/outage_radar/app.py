"""Composition root of the tray app: Qt + qasync loop, single instance, wiring, clean shutdown.

Order matters for how fast it feels: the grey tray icon is shown first, then the monitor,
history and notifier are imported and built, and only then does the first poll start.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .core.model import Level
from .quit_signals import QuitSignals

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from .core.alerts import Alert
    from .core.catalog import Catalog, Service
    from .core.credentials import Credentials
    from .core.doctor import Report
    from .core.fetch import Fetcher
    from .core.history import History
    from .core.monitor import Monitor
    from .core.probe_runner import ProbeRunner
    from .core.settings import Settings
    from .core.state import ServiceState
    from .notify import Notifier
    from .ui.controller import Controller
    from .ui.single_instance import SingleInstance
    from .ui.tray import Tray

log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    # An error in a slot must not kill a tray app nobody is watching: log it and go on.
    log.error("unhandled error", exc_info=(kind, exc, tb))


def _loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    exc = context.get("exception")
    log.error("event loop error: %s", context.get("message"), exc_info=exc)


def resolve_services(settings: Settings, builtin: Catalog) -> list[Service]:
    from .core.settings import watched_services

    return watched_services(settings, builtin)


def make_preview(fetcher: Fetcher) -> Any:
    """The settings window's 'Check' button: detect and read one pasted status page URL."""
    from .core import check

    return partial(check.preview, fetcher)


def make_diagnose(
    fetcher: Fetcher,
    credentials: Credentials,
    states: Callable[[], Mapping[str, ServiceState]],
    settings: Callable[[], Settings],
) -> Any:
    """The menu's "Is it just me?": a fresh page read, a probe and a connectivity check."""

    async def run(key: str) -> Report | None:
        from .core.doctor import diagnose  # only when asked

        state = states().get(key)
        if state is None:
            return None
        hosts = settings().neutral_hosts
        _, reports = await diagnose(
            [state.service], fetcher=fetcher, read_key=credentials.get, neutral_hosts=hosts
        )
        return reports[0]

    return run


def alert_fallback(tray: Tray, open_url: Callable[[str | None], object]) -> Callable[[Alert], None]:
    """Where an alert goes without a notification service: the tray balloon, or the window.

    The tray may get a new icon when a panel comes after the start: the balloon follows it.
    """
    from .notify.fallback import BalloonNotifier

    balloons: list[BalloonNotifier] = []

    def show(alert: Alert) -> None:
        """One alert, where it can be seen now."""
        if not tray.in_tray:
            tray.status_window().show_alert(alert)
            return
        if not balloons or balloons[0].parent() is not tray.icon:
            balloons[:] = [BalloonNotifier(tray.icon, open_url)]
        balloons[0].show(alert)

    return show


_QT_LEVELS = {0: logging.DEBUG, 4: logging.INFO, 1: logging.WARNING, 2: logging.ERROR}
# Qt speaks before the log file is set up (the platform plugin, the portal, while the
# QApplication is made): those messages wait here for logs.setup, then go to the file too.
_early: list[tuple[int, str]] = []


def qt_message(kind: object, context: object, message: str) -> None:
    """Qt's own messages (a failed popup, the portal, D-Bus errors) in the app's log."""
    value = getattr(kind, "value", kind)
    level = _QT_LEVELS.get(value if isinstance(value, int) else -1, logging.CRITICAL)
    category = getattr(context, "category", None)
    category = category if isinstance(category, str) and category != "default" else "qt"
    if not logging.getLogger("outage_radar").handlers and len(_early) < 50:
        _early.append((level, f"{category}: {message}"))
    logging.getLogger("outage_radar.qt").log(level, "%s: %s", category, message)


def log_early_qt_messages() -> None:
    """Write what Qt said before the log was set up."""
    for level, text in _early:
        logging.getLogger("outage_radar.qt").log(level, "%s (at start)", text)
    _early.clear()


def install_qt_messages() -> object:
    """Route Qt's messages to the log; returns the handler it replaced (for tests)."""
    from PySide6.QtCore import qInstallMessageHandler

    return qInstallMessageHandler(qt_message)


@dataclass
class Launch:
    """What run_tray prepared before the event loop: the tray on screen, catalogs, settings."""

    tray: Tray
    single: SingleInstance
    builtin: Catalog
    fixed: Catalog | None  # --catalog: exactly these services
    settings: Settings
    interval: float | None  # --interval
    settings_aside: tuple[Path, str] | None
    signals: QuitSignals  # INT, HUP, TERM: quit; installed by the command line
    settings_unsaved: str = ""  # why the settings file cannot be written, told at start

    def watched(self, settings: Settings) -> list[Service]:
        """The services some settings watch: the catalog file's, else the settings' choice."""
        if self.fixed is not None:
            return list(self.fixed)
        return resolve_services(settings, self.builtin)


@dataclass
class Running:
    """What polls, probes and notifies until quit."""

    monitor: Monitor
    probes: ProbeRunner
    notifier: Notifier
    history: History
    credentials: Credentials


def _running(launch: Launch) -> Running:
    """Build what polls and notifies (imported here, after the first paint)."""
    from .core.credentials import Credentials
    from .core.history import History
    from .core.monitor import Monitor
    from .core.probe_runner import ProbeRunner
    from .notify import Notifier
    from .ui import opener
    from .ui.icon import icon_file

    settings = launch.settings
    services = launch.watched(settings)
    history = History()
    if history.moved_aside is not None:
        log.warning("history unreadable; moved aside to %s", history.moved_aside)
    monitor = Monitor(services, history=history, interval=launch.interval or settings.interval)
    fallback = alert_fallback(launch.tray, opener.open_url)
    # Notifications show the shipped 128 px level icon.
    notifier = Notifier(opener.open_url, fallback, icon_for=partial(icon_file, size=128))
    # API probes with the user's keys (OS keyring only, read in a worker thread).
    credentials = Credentials()
    probes = ProbeRunner(services, credentials.get, interval=settings.probe_interval)
    return Running(monitor, probes, notifier, history, credentials)


class NotedNotifier:
    """The notifier, writing down when you were told about each service (incident timelines)."""

    def __init__(self, notifier: Notifier, history: History) -> None:
        self.notifier, self.history = notifier, history

    async def show(self, alert: Alert) -> None:
        if alert.services and not alert.recovery:
            self.history.record_notice(alert.services, datetime.now().astimezone())
        await self.notifier.show(alert)


def _controller(launch: Launch, run: Running) -> Controller:
    """The presenter and the controller, handed every part they use."""
    from .core.early_warning import Lead
    from .core.presenter import Presenter
    from .ui.controller import Controller
    from .ui.parts import Parts

    lookup, history, fetcher = launch.fixed or launch.builtin, run.history, run.monitor.fetcher
    # The lead of an incident still going on shows after a restart.
    services = launch.watched(launch.settings)
    leads = {s.id: Lead(s.id, *rows[0]) for s in services if (rows := history.leads(s.id, 1))}
    presenter = Presenter(
        launch.settings,
        lookup,
        fixed_services=launch.fixed is not None,
        fixed_interval=launch.interval,
        leads=leads,
    )

    def record_lead(lead: Lead) -> None:
        history.record_lead(lead.service, lead.at, lead.minutes, lead.detail)
        history.commit()

    def states() -> Mapping[str, ServiceState]:
        return run.monitor.states

    parts = Parts(
        monitor=run.monitor,
        notifier=NotedNotifier(run.notifier, history),
        services=launch.watched,
        all_services=lambda: list(lookup),
        probes=run.probes,
        history=history,
        credentials=run.credentials,
        diagnose=make_diagnose(fetcher, run.credentials, states, lambda: presenter.settings),
        preview=make_preview(fetcher),
        record_lead=record_lead,
    )
    return Controller(presenter, parts, launch.tray)


async def _main(launch: Launch) -> int:
    import asyncio

    from . import notices

    await asyncio.sleep(0)  # let Qt paint the tray icon before the heavier imports run
    run = _running(launch)
    ctl = _controller(launch, run)
    # A file set aside must not go unnoticed in a tray app: say so once, in a notification.
    aside, problem = launch.settings_aside or (None, "")
    for notice in notices.startup(aside, problem, run.history.moved_aside):
        ctl.tasks.spawn(run.notifier.show(notice))
    if launch.settings_unsaved:  # a read-only config dir: said now, not at the first change
        ctl.cannot_save(launch.settings_unsaved)
    # A history that cannot be written (disk full, locked, newer file) is told once; alerts go on.
    run.history.listen(lambda p: ctl.tasks.spawn(run.notifier.show(notices.history(p))))
    run.monitor.add_listener(update=ctl.on_update, changes=ctl.on_changes)
    run.probes.add_listener(ctl.on_probe)
    launch.single.show_requested.connect(ctl.bring_to_front)
    ctl.render()
    loop = asyncio.get_running_loop()
    launch.signals.attach(loop, ctl.quit)  # one that came while starting quits now
    try:
        await run.monitor.start()
        await run.probes.start()
        if launch.fixed is None and not ctl.settings.first_run_done:
            ctl.show_welcome()
        log.info("watching %d services every %.0f s", len(run.monitor.states), run.monitor.interval)
        await ctl.quit_event.wait()
    finally:
        log.info("quitting")
        await run.probes.stop()
        await run.monitor.stop()
        await ctl.drain()
        await run.notifier.close()
        run.history.close()
        ctl.close_windows()
        launch.signals.detach(loop)
    return 0


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    from .ui import pyside_scan

    pyside_scan.install()  # before anything else is imported
    install_qt_messages()  # before the QApplication: its platform plugin warns while starting
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Outage Radar")
    app.setOrganizationName("outage-radar")
    app.setDesktopFileName("io.github.outage_radar.OutageRadar")  # the installed .desktop id
    app.setQuitOnLastWindowClosed(False)  # closing a window must not end a tray app
    return app


def _first_icon(app: QApplication) -> QSystemTrayIcon | None:
    """The grey icon, shown before the catalog, settings and the rest are even imported."""
    from PySide6.QtWidgets import QSystemTrayIcon

    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    from .ui.icon import level_icon

    icon = QSystemTrayIcon(level_icon(Level.UNKNOWN))
    icon.setToolTip("Outage Radar: starting…")
    icon.show()
    app.processEvents()
    return icon


def _catalogs(catalog_file: Path | None) -> tuple[Catalog, Catalog | None]:
    """The built-in catalog, and the --catalog file's (raises CatalogError or OSError)."""
    from .core import catalog as catalog_mod

    builtin = catalog_mod.load_builtin()
    return builtin, catalog_mod.load_file(catalog_file) if catalog_file is not None else None


def _settings() -> tuple[Settings, tuple[Path, str] | None, str]:
    """The user's settings, the file set aside (with why) when it could not be read, and why
    the settings cannot be written ("" when they can)."""
    from .core import settings as settings_store

    loaded = settings_store.load()
    if loaded.moved_aside is None:
        return loaded.settings, None, loaded.unsaved
    log.warning("settings unreadable (%s); moved aside to %s", loaded.problem, loaded.moved_aside)
    return loaded.settings, (loaded.moved_aside, loaded.problem), loaded.unsaved


def run_tray(
    catalog_file: Path | None, interval: float | None, debug: bool, signals: QuitSignals
) -> int:
    """Start the tray app; returns the process exit code (0 also on SIGINT, SIGHUP, SIGTERM).

    `signals` are installed by the command line before it imports this module: a signal in the
    middle of that import, or of Qt's, is noted and the start stops cleanly."""
    try:
        return _run_tray(signals, catalog_file, interval, debug)
    finally:
        signals.restore()


def _run_tray(
    signals: QuitSignals, catalog_file: Path | None, interval: float | None, debug: bool
) -> int:
    """PySide6 and the single-instance socket; a quit signal noted so far ends it here."""
    app = _application()
    from .ui.single_instance import SingleInstance

    single = SingleInstance()
    if signals.stopping():
        return 0
    if single.notify_running():
        print("outage-radar: already running; asked it to show itself", file=sys.stderr)
        return 0
    single.listen()
    try:
        return _start(app, single, signals, catalog_file, interval, debug)
    finally:
        single.close()  # whatever ended the start: no stale socket stops the next launch


def _start(
    app: QApplication,
    single: SingleInstance,
    signals: QuitSignals,
    catalog_file: Path | None,
    interval: float | None,
    debug: bool,
) -> int:
    """The first icon, the log, catalogs, settings and the tray, then the event loop."""
    first = _first_icon(app)
    if not logging.getLogger("outage_radar").handlers:
        from . import logs

        logs.setup(debug=debug)
    log_early_qt_messages()
    from .core.catalog import CatalogError

    try:
        builtin, fixed = _catalogs(catalog_file)
    except (CatalogError, OSError) as exc:
        print(f"outage-radar: {exc}", file=sys.stderr)
        return _gone(first, 2)
    settings, aside, unsaved = _settings()
    if signals.stopping():
        return _gone(first, 0)
    from .ui.tray import Tray

    # Always a tray object: without a tray now it shows the status window, and puts the icon
    # up by itself when a panel comes later (a login where the panel starts after the app).
    tray = Tray(fixed or builtin, icon=first)
    tray.start()
    app.processEvents()  # the first paint, before the monitor is even imported
    launch = Launch(tray, single, builtin, fixed, settings, interval, aside, signals, unsaved)
    return _run_loop(app, launch)


def _gone(first: QSystemTrayIcon | None, code: int) -> int:
    """An end before the tray exists: the first icon leaves the panel."""
    if first is not None:
        first.hide()
    return code


def _run_loop(app: QApplication, launch: Launch) -> int:
    """The event loop until quit; the tray is closed however it ends."""
    import asyncio

    from .ui.loop import QuietEventLoop

    old_hook = sys.excepthook
    sys.excepthook = _excepthook
    try:
        if launch.signals.stopping():
            return 0
        with asyncio.Runner(loop_factory=lambda: QuietEventLoop(app)) as runner:
            runner.get_loop().set_exception_handler(_loop_exception)
            return runner.run(_main(launch))
    finally:
        sys.excepthook = old_hook
        launch.tray.close()
