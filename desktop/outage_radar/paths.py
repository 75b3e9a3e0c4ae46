"""Where Outage Radar's files live: shipped resources and the per-user config, data and log dirs.

Shipped resources (the catalog, icons, desktop files) are found the same way from each layout,
tried in this order:

- a PyInstaller bundle (``sys.frozen`` is set): ``<sys._MEIPASS>/outage_radar/resources/``.
  The spec file must collect ``resources/`` to exactly that destination, e.g.
  ``datas=[("resources", "outage_radar/resources")]``;
- an installed wheel: ``outage_radar/resources/`` next to this module (pyproject maps the
  top-level ``resources/`` into the package);
- a source checkout, bare (``PYTHONPATH=desktop``) or editable-installed: ``<repo>/resources/``;
- anything else importlib.resources can find for ``outage_radar.resources``.

A candidate counts only if it holds ``catalog.toml``, so a half-built bundle falls through to the
next layout instead of yielding an empty catalog.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

APP_NAME = "outage-radar"
MARKER = "catalog.toml"
_HERE = Path(__file__).resolve().parent  # resolved once: resources_dir() runs per icon file


def _frozen_dir() -> Path | None:
    if not getattr(sys, "frozen", False):
        return None
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) / "outage_radar" / "resources" if base else None


def _sibling_dir() -> Path:
    # An installed wheel: outage_radar/resources next to this file. Checked before asking
    # importlib.resources, which costs a few milliseconds before the first tray icon.
    return _HERE / "resources"


def _package_dir() -> Path | None:
    import importlib.resources

    try:
        files = importlib.resources.files("outage_radar.resources")
    except ModuleNotFoundError:  # a checkout run with PYTHONPATH=desktop has no such package
        return None
    # Only a real directory is usable by callers that want paths (Qt icons, file dialogs).
    return files if isinstance(files, Path) else None


def _checkout_dir() -> Path:
    # desktop/outage_radar/paths.py -> <repo>/resources
    return _HERE.parent.parent / "resources"


def resources_dir() -> Path:
    """The directory holding the shipped resources; raises FileNotFoundError if none is found."""
    finders: list[Callable[[], Path | None]] = [
        _frozen_dir,
        _sibling_dir,
        _checkout_dir,
        _package_dir,
    ]
    tried: list[str] = []
    for finder in finders:
        candidate = finder()
        if candidate is not None and (candidate / MARKER).is_file():
            return candidate
        if candidate is not None:
            tried.append(str(candidate))
    raise FileNotFoundError(f"Outage Radar resources not found (looked in: {', '.join(tried)})")


def resource(name: str) -> Path:
    """The path of one shipped resource, e.g. ``resource("catalog.toml")``."""
    return resources_dir() / name


def user_config_dir() -> Path:
    """Settings and the user's own catalog (``$XDG_CONFIG_HOME/outage-radar`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """Persistent state such as history (``$XDG_DATA_HOME/outage-radar`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """Log files (``$XDG_STATE_HOME/outage-radar/log`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
