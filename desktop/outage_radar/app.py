"""Composition root of the tray app: Qt + qasync loop, single instance, wiring, clean shutdown.

Order matters for how fast it feels: the grey tray icon is shown first, then the monitor,
history and notifier are imported and built, and only then does the first poll start.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .core.model import Level

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from .core.alerts import Alert
    from .core.catalog import Catalog, Service
    from .core.credentials import Credentials
    from .core.doctor import Report
    from .core.fetch import Fetcher
    from .core.settings import Settings
    from .ui.controller import Controller
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


def make_diagnose(fetcher: Fetcher, credentials: Credentials, ctl: Controller) -> Any:
    """The menu's "Is it just me?": a fresh page read, a probe and a connectivity check."""

    async def run(key: str) -> Report | None:
        from .core.doctor import diagnose  # only when asked

        state = ctl.states().get(key)
        if state is None:
            return None
        hosts = ctl.settings.neutral_hosts
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
        if not tray.in_tray:
            tray.status_window().show_alert(alert)
            return
        if not balloons or balloons[0].parent() is not tray.icon:
            balloons[:] = [BalloonNotifier(tray.icon, open_url)]
        balloons[0].show(alert)

    return show


_QT_LEVELS = {0: logging.DEBUG, 4: logging.INFO, 1: logging.WARNING, 2: logging.ERROR}


def qt_message(kind: object, context: object, message: str) -> None:
    """Qt's own messages (a failed popup, the portal, D-Bus errors) in the app's log."""
    value = getattr(kind, "value", kind)
    level = _QT_LEVELS.get(value if isinstance(value, int) else -1, logging.CRITICAL)
    category = getattr(context, "category", None)
    category = category if isinstance(category, str) and category != "default" else "qt"
    logging.getLogger("outage_radar.qt").log(level, "%s: %s", category, message)


def install_qt_messages() -> object:
    """Route Qt's messages to the log; returns the handler it replaced (for tests)."""
    from PySide6.QtCore import qInstallMessageHandler

    return qInstallMessageHandler(qt_message)


async def _main(
    ctl: Controller,
    builtin: Catalog,
    fixed: Catalog | None,
    interval: float,
    settings_aside: tuple[Path, str] | None = None,
) -> int:
    import asyncio

    from .core.credentials import Credentials
    from .core.early_warning import Lead
    from .core.history import History
    from .core.monitor import Monitor
    from .core.probe_runner import ProbeRunner
    from .notify import Notifier
    from .ui import opener
    from .ui.icon import icon_file

    await asyncio.sleep(0)  # let Qt paint the tray icon before the heavier imports run
    services = list(fixed) if fixed is not None else resolve_services(ctl.settings, builtin)
    history = History()
    monitor = Monitor(services, history=history, interval=interval)
    fallback: Callable[[Alert], None] | None = None
    if ctl.status is not None:
        fallback = ctl.status.show_alert
    if ctl.tray is not None:
        fallback = alert_fallback(ctl.tray, opener.open_url)
    # Notifications show the shipped 128 px level icon.
    notifier = Notifier(opener.open_url, fallback, icon_for=partial(icon_file, size=128))
    if history.moved_aside is not None:
        log.warning("history unreadable; moved aside to %s", history.moved_aside)
    # A file set aside must not go unnoticed in a tray app: say so once, in a notification.
    from . import notices

    aside, problem = settings_aside or (None, "")
    for notice in notices.startup(aside, problem, history.moved_aside):
        ctl.spawn(notifier.show(notice))
    ctl.monitor, ctl.history, ctl.notifier = monitor, history, notifier
    ctl.preview = make_preview(monitor.fetcher)
    monitor.add_listener(update=ctl.on_update, changes=ctl.on_changes)
    # API probes with the user's keys (OS keyring only, read in a worker thread).
    credentials = Credentials()
    probes = ProbeRunner(services, credentials.get, interval=ctl.settings.probe_interval)
    probes.add_listener(ctl.on_probe)
    ctl.probes, ctl.credentials = probes, credentials
    ctl.diagnose = make_diagnose(monitor.fetcher, credentials, ctl)

    def record_lead(lead: Lead) -> None:
        history.record_lead(lead.service, lead.at, lead.minutes, lead.detail)
        history.commit()

    ctl.record_lead = record_lead
    for service in services:  # a lead of an incident still going on shows after a restart
        if rows := history.leads(service.id, 1):
            ctl.leads[service.id] = Lead(service.id, *rows[0])
    ctl.render()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, ctl.quit)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # Windows: Ctrl+C ends the process as usual
    try:
        await monitor.start()
        await probes.start()
        if fixed is None and not ctl.settings.first_run_done:
            ctl.show_welcome()
        log.info("watching %d services every %.0f s", len(services), interval)
        await ctl.quit_event.wait()
    finally:
        log.info("quitting")
        await probes.stop()
        await monitor.stop()
        await ctl.drain()
        await notifier.close()
        history.close()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
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


def _bring_to_front(tray: Tray, ctl: Controller) -> None:
    """A second launch asked us to show ourselves: the status window when there is no tray."""
    if tray.in_tray:
        ctl.bring_to_front()
    else:
        tray.status_window().present()


def run_tray(catalog_file: Path | None, interval: float | None, debug: bool = False) -> int:
    """Start the tray app; returns the process exit code."""
    app = _application()
    from .ui.single_instance import SingleInstance

    single = SingleInstance()
    if single.notify_running():
        print("outage-radar: already running; asked it to show itself", file=sys.stderr)
        return 0
    single.listen()
    first = _first_icon(app)
    if not logging.getLogger("outage_radar").handlers:
        from . import logs

        logs.setup(debug=debug)
    from .core import catalog as catalog_mod
    from .core.catalog import CatalogError

    fixed: Catalog | None = None
    try:
        builtin = catalog_mod.load_builtin()
        if catalog_file is not None:
            fixed = catalog_mod.load_file(catalog_file)
    except (CatalogError, OSError) as exc:
        print(f"outage-radar: {exc}", file=sys.stderr)
        if first is not None:
            first.hide()
        single.close()
        return 2
    from .core import settings as settings_store

    loaded = settings_store.load()
    if loaded.moved_aside is not None:
        log.warning(
            "settings unreadable (%s); moved aside to %s", loaded.problem, loaded.moved_aside
        )
    settings = loaded.settings

    import asyncio

    from .ui.controller import Controller
    from .ui.loop import QuietEventLoop

    lookup = fixed if fixed is not None else builtin
    from .ui.tray import Tray

    # Always a tray object: without a tray now it shows the status window, and puts the icon
    # up by itself when a panel comes later (a login where the panel starts after the app).
    tray = Tray(lookup, icon=first)
    tray.start()
    app.processEvents()  # the first paint, before the monitor is even imported
    ctl = Controller(
        tray=tray,
        status=None,
        catalog=lookup,
        all_services=lambda: list(lookup),
        settings=settings,
        resolve=None if fixed is not None else (lambda s: resolve_services(s, builtin)),
        fixed_interval=interval,
    )
    single.show_requested.connect(partial(_bring_to_front, tray, ctl))
    old_hook = sys.excepthook
    sys.excepthook = _excepthook
    try:
        with asyncio.Runner(loop_factory=lambda: QuietEventLoop(app)) as runner:
            runner.get_loop().set_exception_handler(_loop_exception)
            aside = (loaded.moved_aside, loaded.problem) if loaded.moved_aside else None
            code = runner.run(_main(ctl, builtin, fixed, interval or settings.interval, aside))
    finally:
        sys.excepthook = old_hook
        single.close()
        tray.close()
        for window in ctl.windows.values():
            window.close()
    return code
