"""Stops PySide6's per-import source scan from keeping every module's source in memory.

After PySide6 is imported, it checks each newly imported module for the text "PySide6" (to
support `from __feature__ import ...`, PYSIDE-2029) with inspect.getsource(). That leaves the
whole source of every later module in linecache for the life of the process: about 9 MiB of a
settled tray app, and 45 ms of its start. Reading the file directly gives the same answer and
keeps nothing. When PySide6 changes that internal, install() does nothing.

WORKAROUND for https://bugreports.qt.io/browse/PYSIDE-2029 (the scan behind `__feature__`);
look again when shiboken6 stops calling inspect.getsource() for every import.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

MARK = "_outage_radar_scan"


def uses_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]) -> bool:
    """The same answer as PySide6's own check, without linecache."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return fallback(module)


def install() -> bool:
    """Replace the check once PySide6 is imported; True when it is in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, MARK, False):
        return True

    def check(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    setattr(check, MARK, True)
    setattr(feature, "_mod_uses_pyside", check)  # noqa: B010 (a private PySide6 name)
    return True
