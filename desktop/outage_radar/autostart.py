"""Start at login: an XDG autostart entry on Linux; the Windows and macOS ways, written too.

Linux (tested): ~/.config/autostart/outage-radar.desktop whose Exec runs the installed launcher
(`launcher()`: /usr/bin/outage-radar for the .deb, the venv's script for a wheel).
Windows (untested here): a value in HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run,
the per-user Run key that Explorer reads at login (a Startup-folder shortcut works too, but needs
COM to write). macOS (untested here): ~/Library/LaunchAgents/<label>.plist with RunAtLoad, read
by launchd at login. No Qt: this is called from the settings window and could be from the CLI.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import sys
from pathlib import Path

ENTRY = "outage-radar.desktop"
ICON = "io.github.outage_radar.OutageRadar"  # the hicolor icon the packages install
LABEL = "io.github.outage-radar"
RUN_VALUE = "Outage Radar"


def launcher() -> list[str]:
    """The command that starts this installation's tray app, stable across upgrades.

    A frozen bundle (the .deb's /opt/outage-radar/outage-radar) is started through the launcher
    on PATH that points at it (/usr/bin/outage-radar), else directly. A wheel install (venv,
    pipx) uses the script next to its interpreter, not whichever `outage-radar` is first on PATH.
    """
    script = "outage-radar.exe" if sys.platform == "win32" else "outage-radar"
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        gui = exe.with_name("outage-radar.exe")  # not the console twin: no window at login
        if exe.name == "outage-radar-cli.exe" and gui.is_file():
            return [str(gui)]
        found = shutil.which(script)
        if found and Path(found).resolve() == exe.resolve():
            return [found]
        return [str(exe)]
    beside = Path(sys.executable).parent / script
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(script)
    if found:
        return [found]
    return [sys.executable, "-m", "outage_radar"]


def _config_home() -> Path:
    raw = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(raw) if raw and os.path.isabs(raw) else Path.home() / ".config"


def linux_entry_path() -> Path:
    return _config_home() / "autostart" / ENTRY


def exec_arg(arg: str) -> str:
    """One argument quoted as the Desktop Entry spec's Exec key wants (double quotes, not sh)."""
    if arg and re.fullmatch(r"[A-Za-z0-9_@+=:,./-]+", arg):
        return arg
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    # The string-value escape is applied before Exec's quoting: backslashes double again.
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def linux_entry(command: list[str]) -> str:
    exec_line = " ".join(exec_arg(arg) for arg in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Outage Radar\n"
        "Comment=Watch the status of AI services from the tray\n"
        f"Exec={exec_line}\n"
        f"Icon={ICON}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=5\n"
    )


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def set_linux(enabled: bool, command: list[str] | None = None) -> Path:
    path = linux_entry_path()
    if enabled:
        _write_atomic(path, linux_entry(command or launcher()).encode("utf-8"))
    else:
        path.unlink(missing_ok=True)
    return path


def set_windows(enabled: bool, command: list[str] | None = None) -> None:  # pragma: no cover
    if sys.platform != "win32":
        raise OSError("the Run key exists on Windows only")
    import subprocess
    import winreg

    key_path = r"Software\Microsoft\Windows\CurrentVersion\Run"
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_SET_VALUE) as key:
        if enabled:
            value = subprocess.list2cmdline(command or launcher())
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)
        else:
            try:
                winreg.DeleteValue(key, RUN_VALUE)
            except FileNotFoundError:
                pass


def macos_plist_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LABEL}.plist"


def set_macos(enabled: bool, command: list[str] | None = None) -> Path:  # pragma: no cover
    path = macos_plist_path()
    if enabled:
        plist = {"Label": LABEL, "ProgramArguments": command or launcher(), "RunAtLoad": True}
        _write_atomic(path, plistlib.dumps(plist))
    else:
        path.unlink(missing_ok=True)
    return path


def set_enabled(enabled: bool) -> None:
    """Turn start-at-login on or off for this platform."""
    if sys.platform == "win32":  # pragma: no cover
        set_windows(enabled)
    elif sys.platform == "darwin":  # pragma: no cover
        set_macos(enabled)
    else:
        set_linux(enabled)


def is_enabled() -> bool:
    if sys.platform == "darwin":  # pragma: no cover
        return macos_plist_path().exists()
    if sys.platform == "win32":  # pragma: no cover
        import winreg

        key_path = r"Software\Microsoft\Windows\CurrentVersion\Run"
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path) as key:
                winreg.QueryValueEx(key, RUN_VALUE)
        except OSError:
            return False
        return True
    return linux_entry_path().exists()
