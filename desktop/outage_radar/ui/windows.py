"""The windows the app opens on demand: About, History, Settings, "Is it just me?" and Welcome.

Each window class is imported when first opened, so the first paint of the tray does not wait
for them. One of each kind is kept (by name in `open`), so a window shown is never collected.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from . import opener

if TYPE_CHECKING:
    from ..core.catalog import Service
    from ..core.credentials import Credentials
    from ..core.settings import Settings
    from ..core.state import ServiceState
    from .doctor_box import Diagnose
    from .history_window import HistoryReader
    from .keys_section import KeysSection

Spawn = Callable[[Coroutine[Any, Any, None]], None]
# pyproject.toml's [project.urls] Source plus /releases (a test keeps the two in step).
RELEASE_NOTES = "https://github.com/outage-radar/outage-radar/releases"
ABOUT = (
    "Outage Radar\nVersion {version}\n\nWatches the status pages of the AI services you use "
    "and tells you when one has trouble, and when it is back."
)


def about_box() -> QMessageBox:
    """About: the version, and a button to the release notes (opened under the link policy)."""
    box = QMessageBox(
        QMessageBox.Icon.Information, "About Outage Radar", ABOUT.format(version=__version__)
    )
    # A message box is application-modal even when shown with show(): while it is open no other
    # window takes a click, the tray icon's (XEmbed) and the status window's included.
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setTextFormat(Qt.TextFormat.PlainText)
    notes = box.addButton("Release notes", QMessageBox.ButtonRole.ActionRole)
    notes.clicked.connect(lambda: opener.open_url(RELEASE_NOTES))
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Close))
    return box


def raise_window(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()


class Windows:
    def __init__(self, spawn: Spawn) -> None:
        self.spawn = spawn
        self.open: dict[str, QWidget] = {}

    def _show(self, name: str, window: QWidget) -> QWidget:
        self.open[name] = window
        raise_window(window)
        return window

    def visible(self, name: str) -> QWidget | None:
        window = self.open.get(name)
        return window if window is not None and window.isVisible() else None

    def about(self) -> None:
        """The About box; while it is open, a second click brings it to the front."""
        box = self.open.get("about")
        self._show("about", box if box is not None else about_box())

    def history(
        self,
        history: HistoryReader,
        services: Sequence[Service],
        now: Callable[[], datetime],
        live: Callable[[str], ServiceState | None],
    ) -> None:
        from .history_window import HistoryWindow

        window = self.open.get("history")
        if isinstance(window, HistoryWindow):
            window.set_services(services)
            raise_window(window)
        else:
            self._show("history", HistoryWindow(history, services, now, live))

    def refresh_history(self) -> None:
        window = self.visible("history")
        if window is not None and hasattr(window, "refresh"):
            window.refresh()

    def keys(
        self, services: Iterable[Service], credentials: Credentials, changed: Callable[[], None]
    ) -> KeysSection:
        from .keys_section import KeysSection

        keys = KeysSection(services, credentials)
        keys.changed.connect(changed)
        self.spawn(keys.refresh())
        return keys

    def settings(
        self,
        current: Settings,
        services: Sequence[Service],
        components: Mapping[str, Sequence[str]],
        saved: Callable[[Settings], None],
        **options: Any,
    ) -> None:
        """The Settings window; `options` go to SettingsWindow (preview, path, keys, ...)."""
        from .settings_window import SettingsWindow

        window = SettingsWindow(current, services, components=components, **options)
        window.saved.connect(saved)
        self._show("settings", window)

    def doctor(self, diagnose: Diagnose, service: str) -> None:
        """ "Is it just me?" for one service, in one window that fills in when the checks end.

        Asked again for the service it shows, it comes to the front; for another service, or
        once closed, the same window checks anew.
        """
        from .doctor_box import DoctorBox

        box = self.open.get("doctor")
        if isinstance(box, DoctorBox) and box.isVisible() and box.service == service:
            raise_window(box)
            return
        box = box if isinstance(box, DoctorBox) else DoctorBox()
        self.spawn(box.check(diagnose, service))
        self._show("doctor", box)

    def welcome(
        self,
        services: Sequence[Service],
        selected: Sequence[str],
        chosen: Callable[[list[str]], None],
    ) -> None:
        from .welcome_window import WelcomeWindow

        window = WelcomeWindow(services, selected)
        window.chosen.connect(chosen)
        self._show("welcome", window)

    def close_all(self) -> None:
        for window in self.open.values():
            window.close()
