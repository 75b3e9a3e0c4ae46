"""Tests for outage_radar.paths: resources found in a checkout, a wheel and a frozen bundle."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from outage_radar import paths
from outage_radar.core.catalog import load_builtin, parse_catalog

REPO = Path(__file__).resolve().parent.parent


def test_checkout_resolves_to_repo_resources() -> None:
    assert paths.resources_dir() == REPO / "resources"
    assert paths.resource("catalog.toml") == REPO / "resources" / "catalog.toml"
    assert paths.resource("catalog.toml").is_file()


def test_checkout_without_installed_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # A run with PYTHONPATH=desktop has no outage_radar.resources package to import.
    monkeypatch.setattr(paths, "_package_dir", lambda: None)
    assert paths.resources_dir() == REPO / "resources"


def _freeze(monkeypatch: pytest.MonkeyPatch, meipass: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)


def test_frozen_bundle_layout_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = tmp_path / "outage_radar" / "resources"
    bundled.mkdir(parents=True)
    (bundled / "catalog.toml").write_text("# bundled\n")
    _freeze(monkeypatch, tmp_path)
    assert paths.resources_dir() == bundled
    assert paths.resource("catalog.toml").read_text() == "# bundled\n"


def test_frozen_without_layout_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _freeze(monkeypatch, tmp_path)  # nothing collected into the bundle
    assert paths.resources_dir() == REPO / "resources"


def test_no_resources_anywhere_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(paths, "_package_dir", lambda: None)
    monkeypatch.setattr(paths, "_checkout_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="resources not found"):
        paths.resources_dir()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG dirs are a Linux convention")
def test_user_dirs_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("CONFIG", "DATA", "STATE"):
        monkeypatch.setenv(f"XDG_{var}_HOME", str(tmp_path / var.lower()))
    assert paths.user_config_dir() == tmp_path / "config" / "outage-radar"
    assert paths.user_data_dir() == tmp_path / "data" / "outage-radar"
    assert paths.user_log_dir().is_relative_to(tmp_path / "state" / "outage-radar")


def test_wheel_ships_the_catalog(tmp_path: Path) -> None:
    # Build from a copy so the checkout gets no build/ or egg-info side effects.
    src = tmp_path / "src"
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(REPO / "desktop", src / "desktop", ignore=junk)
    shutil.copytree(REPO / "resources", src / "resources", ignore=junk)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, src / name)
    out = tmp_path / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob("outage_radar-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "outage_radar/resources/catalog.toml" in names
        assert "outage_radar/paths.py" in names
        assert not any(n.startswith("resources/") for n in names)
        shipped = tomllib.loads(zf.read("outage_radar/resources/catalog.toml").decode())
    catalog = parse_catalog(shipped, user=False, origin="wheel")
    assert catalog.ids() == load_builtin().ids()
