"""Logging: a rotating file in the user log directory, and stderr for the command line.

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
    try:
        folder = paths.user_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "outage-radar.log", maxBytes=1 << 20, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(RedactingFormatter(_FORMAT))
        root.addHandler(handler)
    except OSError:
        pass  # an unwritable log folder must not stop the app
    if console or debug:
        stream = logging.StreamHandler()
        stream.setLevel(logging.DEBUG if debug else logging.WARNING)
        stream.setFormatter(RedactingFormatter("outage-radar: %(message)s"))
        root.addHandler(stream)
