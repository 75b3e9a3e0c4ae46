"""Notices: tell the user when a broken settings file or history was set aside, or stopped.

The app never stops for a corrupt file: it moves the file aside and starts with defaults (or an
empty history). A log line alone would go unseen in a tray app, so the user gets one
notification saying what happened and where the old file is. The same goes for a history that
cannot be written or opened (disk full, locked, from a newer version): alerts keep coming, and
the user hears once that the history does not.
"""

from __future__ import annotations

from pathlib import Path

from .core.alerts import Alert
from .core.history import Problem
from .core.model import Level
from .core.settings import save_problem
from .core.text import clean


def startup(
    settings_aside: Path | None, problem: str = "", history_aside: Path | None = None
) -> list[Alert]:
    """The notices for what was moved aside at startup (none when all was well)."""
    notes = []
    if settings_aside is not None:
        why = f" ({clean(problem, 120, single_line=True)})" if problem else ""
        notes.append(
            Alert(
                "Settings could not be read",
                f"Outage Radar started with default settings{why}. The old file was kept as "
                f"{settings_aside}.",
                Level.UNKNOWN,
            )
        )
    if history_aside is not None:
        notes.append(
            Alert(
                "History could not be read",
                f"Outage Radar started a new history. The old one was kept as {history_aside}.",
                Level.UNKNOWN,
            )
        )
    return notes


def history(problem: Problem) -> Alert:
    """The notice for a history problem (told once by the history itself)."""
    return Alert(
        clean(problem.title, 120, single_line=True), clean(problem.detail, 400), Level.UNKNOWN
    )


def settings_unsaved(exc: OSError | str) -> Alert:
    """The notice for settings that cannot be written: the app goes on with them."""
    why = clean(save_problem(exc) if isinstance(exc, OSError) else exc, 120, single_line=True)
    return Alert(
        "Settings cannot be saved",
        f"Outage Radar goes on with the settings it has; changes last until it quits ({why}).",
        Level.UNKNOWN,
    )
