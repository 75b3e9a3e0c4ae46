"""What the Outage Radar bundle leaves out: unused Qt plugins, translations, system libraries.

The app imports QtCore, QtGui and QtWidgets only (and QtNetwork on Windows). PyInstaller's
stock Qt hooks collect every plugin of the types those modules use, and then the system libraries
those plugins link (the GTK3 platform theme alone pulls in GTK, cairo and pango). The hooks in
this folder replace the stock ones and drop unwanted plugins before their dependencies are
analysed.
"""

from __future__ import annotations

from pathlib import Path, PurePath

# Plugin folders and the plugins kept from each (None: the whole folder); others are dropped.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    "platforms": {"qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"},
    "platformthemes": {"qxdgdesktopportal"},  # qgtk3 would drag in the system's GTK
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "imageformats": {"qsvg", "qico"},
    "iconengines": {"qsvgicon"},
    "xcbglintegrations": None,
    "wayland-shell-integration": {"xdg-shell"},
    "wayland-decoration-client": None,
    # No wayland-graphics-integration-client: widgets draw to shm buffers; the EGL plugins
    # would bring libQt6OpenGL for nothing.
    "styles": None,  # the native Windows and macOS styles
}


def keep(dest: str) -> bool:
    """False for a bundle path that is a Qt translation or a plugin not in KEEP_PLUGINS."""
    parts = PurePath(dest).parts
    if not {"Qt", "PySide6", "Qt6"} & set(parts):
        return True
    if "translations" in parts:
        return False  # the UI is English only and installs no QTranslator
    if "plugins" not in parts:
        return True
    at = parts.index("plugins")
    if at + 2 >= len(parts):
        return True
    folder, name = parts[at + 1], parts[-1]
    if folder not in KEEP_PLUGINS:
        return False
    wanted = KEEP_PLUGINS[folder]
    stem = name.split(".")[0].removeprefix("lib")
    return wanted is None or stem in wanted


def collect(hook_file: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """The stock Qt hook's (hiddenimports, binaries, datas) for `hook_file`, trimmed."""
    from PyInstaller.utils.hooks.qt import add_qt6_dependencies

    hidden, binaries, datas = add_qt6_dependencies(hook_file)
    binaries = [(src, dst) for src, dst in binaries if keep(str(Path(dst) / Path(src).name))]
    datas = [(src, dst) for src, dst in datas if keep(str(Path(dst) / Path(src).name))]
    return hidden, binaries, datas


SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def system_library(src: str | None) -> bool:
    """True for a shared library from the Linux distribution (not Python's own libpython)."""
    if not src:
        return False
    path = str(Path(src).resolve())
    if not path.startswith(SYSTEM_DIRS) or "/python3" in path:
        return False  # /usr/lib/python3.x/lib-dynload holds Python's extension modules
    return ".so" in Path(path).name and not Path(path).name.startswith("libpython")
