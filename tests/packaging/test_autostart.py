"""Start at login launches the installed app: the .deb's /usr/bin launcher, or the venv's script."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from outage_radar import autostart


def _frozen(monkeypatch: pytest.MonkeyPatch, exe: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))


def _bundle(tmp_path: Path) -> tuple[Path, Path]:
    """A .deb-like layout: opt/outage-radar/outage-radar and usr/bin/outage-radar -> it."""
    exe = tmp_path / "opt" / "outage-radar" / "outage-radar"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    link = tmp_path / "usr" / "bin" / "outage-radar"
    link.parent.mkdir(parents=True)
    link.symlink_to(exe)
    return exe, link


def test_frozen_bundle_starts_through_the_launcher_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exe, link = _bundle(tmp_path)
    _frozen(monkeypatch, exe)
    monkeypatch.setenv("PATH", str(link.parent))
    assert autostart.launcher() == [str(link)]


def test_frozen_bundle_ignores_another_outage_radar_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exe, _ = _bundle(tmp_path)
    other = tmp_path / "venv" / "bin" / "outage-radar"
    other.parent.mkdir(parents=True)
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    _frozen(monkeypatch, exe)
    monkeypatch.setenv("PATH", str(other.parent))
    assert autostart.launcher() == [str(exe)]


def test_wheel_install_uses_the_script_beside_its_interpreter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "outage-radar"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", "/nonexistent")
    assert autostart.launcher() == [str(script)]


def test_without_a_script_it_runs_the_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", "/nonexistent")
    assert autostart.launcher() == [str(tmp_path / "python"), "-m", "outage_radar"]


def test_the_module_fallback_really_starts_the_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "outage_radar", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.startswith("outage-radar "), out.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_autostart_entry_for_the_deb_validates(tmp_path: Path) -> None:
    path = autostart.set_linux(True, ["/usr/bin/outage-radar"])
    text = path.read_text()
    assert "Exec=/usr/bin/outage-radar\n" in text
    assert f"Icon={autostart.ICON}\n" in text
    out = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
