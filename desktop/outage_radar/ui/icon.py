"""The level icons of the tray, menus and windows: the PNGs shipped in resources/icons/levels.

Besides the levels there is one neutral mark (icon_spec.Mark): a service with no public feed.

QIcon reads a file only when a screen asks for that size, so a settled tray holds a few small
pixmaps and never loads QPainter's raster engine. Painted instead (icon_paint) only when the
files are missing, as in a damaged install.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from .. import paths
from .icon_spec import SIZES, IconKey, file_name

__all__ = ["SIZES", "file_name", "icon_file", "level_icon"]

FOLDER = "icons/levels"
_cache: dict[IconKey, QIcon] = {}


def _folder() -> Path | None:
    try:
        return paths.resource(FOLDER)
    except FileNotFoundError:
        return None


def icon_file(level: IconKey, size: int) -> Path | None:
    """The shipped PNG of a level at one of SIZES, or None when it is missing."""
    folder = _folder()
    path = folder / file_name(level, size) if folder is not None else None
    return path if path is not None and path.is_file() else None


def level_icon(level: IconKey) -> QIcon:
    """The icon for a level, built once per process (needs a QGuiApplication)."""
    icon = _cache.get(level)
    if icon is None:
        icon = _from_files(level) or _painted(level)
        _cache[level] = icon
    return icon


def _from_files(level: IconKey) -> QIcon | None:
    folder = _folder()
    if folder is None:
        return None
    icon = QIcon()
    for size in SIZES:
        path = folder / file_name(level, size)
        if not path.is_file():
            return None
        # Headings and component rows are disabled menu items; their state must keep its color.
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Disabled):
            icon.addFile(str(path), QSize(size, size), mode)
    return icon


def _painted(level: IconKey) -> QIcon:
    from .icon_paint import level_image

    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap.fromImage(level_image(level, size))
        icon.addPixmap(pixmap)
        icon.addPixmap(pixmap, QIcon.Mode.Disabled)
    return icon
