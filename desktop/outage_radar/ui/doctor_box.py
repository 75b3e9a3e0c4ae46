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


def doctor_box(diagnose: Diagnose, service: str) -> tuple[QMessageBox, Coroutine[Any, Any, None]]:
    """The window (not modal: a nested loop would stall polling) and the job that fills it."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Is it just me?",
        "Checking the status page, your API key and your connection…",
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # page and probe details are network text
    return box, _fill(box, diagnose, service)


async def _fill(box: QMessageBox, diagnose: Diagnose, service: str) -> None:
    try:
        report = await diagnose(service)
    except Exception:  # the check must never take the app down
        log.exception("the Is it just me? check failed")
        report = None
    if report is None:
        box.setText("The check could not run; see the log for details.")
        return
    box.setWindowTitle(f"Is it just me? — {plain(report.service.name, 60)}")
    box.setText(f"{report.summary}\n\n" + "\n".join(report.lines()))
