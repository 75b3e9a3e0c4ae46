"""PySide6's per-import source scan must not keep every module's source in memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import linecache, sys
sys.path.insert(0, {folder!r})
import PySide6.QtCore
from outage_radar.ui import pyside_scan
installed = {install} and pyside_scan.install()
import qt_user, plain
feature = sys.modules["shibokensupport.feature"]
cached = [f for f in linecache.cache if f.endswith(("qt_user.py", "plain.py"))]
print(installed, feature.pyside_feature_dict.get("qt_user"),
      feature.pyside_feature_dict.get("plain"), len(cached))
"""


def run(tmp_path: Path, install: bool) -> list[str]:
    (tmp_path / "qt_user.py").write_text("from PySide6 import QtCore\n" + "x = 1\n" * 2000)
    (tmp_path / "plain.py").write_text("y = 2\n" * 2000)
    code = SCRIPT.format(folder=str(tmp_path), install=install)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_sources_are_not_kept_and_pyside_users_are_still_found(tmp_path: Path) -> None:
    installed, qt_user, plain, cached = run(tmp_path, install=True)
    assert installed == "True"
    assert (qt_user, plain) == ("0", "-1")  # same answer as PySide6's own check
    assert cached == "0"


def test_without_it_pyside_keeps_every_source(tmp_path: Path) -> None:
    """The reason the module exists; when this fails, PySide6 fixed it and the module can go."""
    _, qt_user, plain, cached = run(tmp_path, install=False)
    assert (qt_user, plain) == ("0", "-1")
    assert cached == "2"
