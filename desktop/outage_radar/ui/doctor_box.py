"""The "Is it just me?" window: opens at once saying it is checking, fills in the verdict after."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from .labels import plain

if TYPE_CHECKING:
    from ..core.doctor import Report

log = logging.getLogger(__name__)
Diagnose = Callable[[str], Awaitable["Report | None"]]
CHECKING = "Checking the status page, your API key and your connection…"


class DoctorBox(QMessageBox):
    """One box for every "Is it just me?" check; a newer check's verdict replaces an older one."""

    def __init__(self) -> None:
        super().__init__(QMessageBox.Icon.Information, "Is it just me?", CHECKING)
        # A message box is application-modal even when shown with show(): while it is open no
        # other window takes a click, the tray icon's (XEmbed) and the status window's included.
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setTextFormat(Qt.TextFormat.PlainText)  # page and probe details are network text
        self.service = ""
        self.runs = 0

    def check(self, diagnose: Diagnose, service: str) -> Coroutine[Any, Any, None]:
        """Say at once that `service` is being checked; the job returned fills in the verdict."""
        self.service, self.runs = service, self.runs + 1
        self.setWindowTitle("Is it just me?")
        self.setText(CHECKING)
        return self._fill(diagnose, service, self.runs)

    async def _fill(self, diagnose: Diagnose, service: str, run: int) -> None:
        try:
            report = await diagnose(service)
        except Exception:  # the check must never take the app down
            log.exception("the Is it just me? check failed")
            report = None
        if run != self.runs:
            return  # the box was reused for a newer check meanwhile: its words win
        if report is None:
            self.setText("The check could not run; see the log for details.")
            return
        self.setWindowTitle(f"Is it just me? — {plain(report.service.name, 60)}")
        self.setText(f"{report.summary}\n\n" + "\n".join(report.lines()))
