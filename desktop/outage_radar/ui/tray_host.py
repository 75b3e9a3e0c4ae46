"""Which kind of tray shows the icon, what a click on it should do, and when a tray appears.

Qt picks the tray path itself when a QSystemTrayIcon is made: on Linux it exports the icon as a
StatusNotifierItem (SNI, over D-Bus) on Wayland always, and on X11 when the
org.kde.StatusNotifierWatcher service is on the session bus; otherwise it draws an XEmbed icon.
The decisions (`host_kind`, `click_action`, `no_tray_text`) are pure; `TrayWatch` only reports.
"""

from __future__ import annotations

import enum
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
# A panel started with the session comes up seconds after an autostarted app: look every second
# for the first minutes (the icon must appear within 2 s of the panel), then every 10 s.
FAST_CHECK_MS = 1000
SLOW_CHECK_MS = 10_000
FAST_FOR_S = 600.0


class Host(enum.Enum):
    SNI = "sni"  # exported over D-Bus: the host draws the icon, the tooltip and the menu
    XEMBED = "xembed"  # X11: Qt draws the icon, its tooltip and its menu
    NATIVE = "native"  # the Windows shell or the macOS status bar


class Click(enum.Enum):
    MENU = "menu"  # pop the QMenu at the pointer
    WINDOW = "window"  # show (or hide) the status window
    NONE = "none"  # the platform already shows the menu, or nothing is asked


def host_kind(platform: str, qpa: str, watcher: bool) -> Host:
    """The tray path Qt takes for an icon made now (`platform` is sys.platform)."""
    if not platform.startswith("linux") and "bsd" not in platform:
        return Host.NATIVE
    if qpa == "wayland" or qpa.startswith("wayland-"):
        return Host.SNI  # the only tray Qt has on Wayland
    return Host.SNI if watcher and qpa == "xcb" else Host.XEMBED


def click_action(host: Host, reason: str) -> Click:
    """What a click does (`reason` is a QSystemTrayIcon.ActivationReason name).

    On an SNI host a QMenu popped from a tray click fails on native Wayland ("Failed to create
    grabbing popup") and, through Xwayland, opens at the screen centre and cannot be dismissed:
    the host shows the exported menu itself, and both clicks it forwards (Activate, ContextMenu)
    open the status window. On X11 (XEmbed) Qt pops the menu on a right click by itself.
    """
    # WORKAROUND for https://github.com/hluk/CopyQ/issues/3108 (a QMenu popped without a
    # focused parent window fails on Wayland since Qt 6.9.1); look again when Qt can anchor a
    # tray menu to the SNI item (xdg-positioner from the host), or hosts all draw the menu.
    if host is Host.SNI:
        return Click.WINDOW if reason in ("Trigger", "Context") else Click.NONE
    return Click.MENU if reason == "Trigger" else Click.NONE


def no_tray_text(environ: Mapping[str, str], *, bus: bool) -> str:
    """Why there is no tray icon, for the desktop actually running, and what to do about it."""
    desktop = environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":")
    if sys.platform.startswith("linux") and not bus:
        why = (
            "No D-Bus session bus was found, so the panel cannot show Outage Radar's icon. "
            "Start Outage Radar from your desktop session (its menu or autostart)."
        )
    elif "GNOME" in desktop:
        why = (
            "GNOME shows tray icons only with the “AppIndicator and KStatusNotifierItem "
            "Support” extension: install and enable it."
        )
    else:
        why = (
            "Your panel shows no system tray: add a tray (status notifier) area to it, "
            "for example the “Status Tray” plugin in XFCE, the tray module in waybar, or "
            "tray_output in swaybar."
        )
    return (
        f"Outage Radar runs in this window because there is no system tray. {why} The icon "
        "then appears by itself, without a restart, and this window closes. "
        "Closing this window keeps watching; use Quit to stop."
    )


def session_bus() -> bool:
    """Whether this session has a D-Bus session bus (SNI trays need one)."""
    from PySide6.QtDBus import QDBusConnection

    return QDBusConnection.sessionBus().isConnected()


def current_host(icon: QSystemTrayIcon) -> Host:
    """The tray path Qt took for this icon, once it is shown.

    Qt decides when the icon is made, and only its XEmbed path gives the icon a window, so a
    geometry; an SNI item has none. Reading that, rather than asking the session bus ourselves,
    keeps PySide6.QtDBus (1.2 MiB resident) out of an app whose tray is there from the start.
    """
    from PySide6.QtGui import QGuiApplication

    qpa = QGuiApplication.platformName()
    return host_kind(sys.platform, qpa, watcher=icon.geometry().isEmpty())


def is_wayland() -> bool:
    """Whether Qt runs on native Wayland (not Xwayland)."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.platformName().startswith("wayland")


def desktop_environ() -> dict[str, str]:
    """The XDG_* variables that say which desktop is running."""
    return {k: v for k, v in os.environ.items() if k.startswith("XDG_")}


class TrayWatch(QObject):
    """Says when a tray may have come or gone: the SNI watcher on the bus, or a timer.

    The timer is for XEmbed trays (an X selection owner, which sends no D-Bus signal) and for a
    session without QtDBus; it runs only while `fast` is asked for (no icon shown yet), every
    second for the first FAST_FOR_S seconds, then every SLOW_CHECK_MS.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._bus_watch: QObject | None = None

    def _watch_bus(self) -> None:
        from PySide6.QtDBus import QDBusConnection, QDBusServiceWatcher

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            return
        mode = QDBusServiceWatcher.WatchModeFlag
        watch = QDBusServiceWatcher(
            WATCHER, bus, mode.WatchForRegistration | mode.WatchForUnregistration, self
        )
        watch.serviceOwnerChanged.connect(self._owner_changed)
        self._bus_watch = watch

    @property
    def on_bus(self) -> bool:
        """Whether the SNI watcher's arrival is reported without a timer."""
        return self._bus_watch is not None

    def poll(self, on: bool) -> None:
        """Watch for a tray while no icon is shown (`on`), or stop the timer."""
        # The bus watch is made only when it is needed: with an icon shown from the start, the
        # app never loads PySide6.QtDBus (1.2 MiB resident).
        if on and self._bus_watch is None and sys.platform.startswith("linux"):
            self._watch_bus()
        # On Wayland only an SNI host can come, and the bus says when: no timer then.
        if not on or (self.on_bus and is_wayland()):
            self._timer.stop()
        elif not self._timer.isActive():
            self._timer.start(self._interval())

    def _interval(self) -> int:
        fast = time.monotonic() - self._started < FAST_FOR_S
        return FAST_CHECK_MS if fast else SLOW_CHECK_MS

    @Slot()
    def _tick(self) -> None:
        self._timer.setInterval(self._interval())
        self.changed.emit()

    @Slot(str, str, str)
    def _owner_changed(self, name: str, old: str, new: str) -> None:
        log.info("tray host registry %s %s", name, "appeared" if new else "went away")
        self.changed.emit()
