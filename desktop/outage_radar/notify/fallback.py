"""The tray balloon, for an alert no notification service took (no D-Bus, no daemon, no answer)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from ..core.alerts import Alert

BALLOON_MS = 15_000


def balloon_title(title: str) -> str:
    """Qt's own balloon reads its title as AutoText (its body is plain): defuse tag brackets."""
    return title.replace("<", "\u2039").replace(">", "\u203a")


class BalloonNotifier(QObject):
    def __init__(self, icon: QSystemTrayIcon, open_url: Callable[[str | None], object]) -> None:
        super().__init__(icon)
        self._icon = icon
        self._open_url = open_url
        self._url: str | None = None
        icon.messageClicked.connect(self._clicked)

    def show(self, alert: Alert) -> None:
        self._url = alert.url
        kind = (
            QSystemTrayIcon.MessageIcon.Information
            if alert.recovery or not alert.level.is_problem
            else QSystemTrayIcon.MessageIcon.Warning
        )
        # The balloon has no buttons; its body says where a click leads.
        body = alert.body + ("\n(Click to open the status page.)" if alert.url else "")
        self._icon.showMessage(balloon_title(alert.title), body, kind, BALLOON_MS)

    @Slot()
    def _clicked(self) -> None:
        self._open_url(self._url)
