"""Logging: a rotating file in the user log directory, and stderr for the command line.

When the log folder cannot be written (read-only, or a file where the folder should be), the
log goes to stderr only, and the first line there says so.

Both go through a redacting formatter (redact.py): no API key or auth header reaches either.
"""

from __future__ import annotations

import logging
import logging.handlers

from . import paths
from .redact import RedactingFormatter

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(*, debug: bool = False, console: bool = False) -> None:
    """Log to a rotating file (1 MiB × 3); on the command line, warnings also go to stderr."""
    root = logging.getLogger("outage_radar")
    if root.handlers:
        return
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False
    folder = paths.user_log_dir()
    problem: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "outage-radar.log", maxBytes=1 << 20, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(RedactingFormatter(_FORMAT))
        root.addHandler(handler)
    except OSError as exc:  # an unwritable log folder must not stop the app
        problem = f"cannot write the log file in {folder} ({exc.strerror or exc})"
    if console or debug or problem:
        # Without a file, the tray logs to stderr what the file would have had; the command
        # line keeps stderr to warnings, as always.
        stream = logging.StreamHandler()
        quiet = console and not debug
        stream.setLevel(logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO)
        stream.setFormatter(RedactingFormatter("outage-radar: %(message)s"))
        root.addHandler(stream)
    if problem:
        root.warning("%s: logging to stderr only", problem)
