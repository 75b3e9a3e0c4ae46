"""UI test setup: offscreen Qt, isolated user dirs (from tests/conftest.py), and a link recorder."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, history and autostart files land in tmp_path, never in the real home."""
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = tmp_path / "xdg" / var.lower()
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(
        "OUTAGE_RADAR_INSTANCE_NAME", f"outage-radar-test-{os.getpid()}-{id(tmp_path)}"
    )


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL that reached the OS through the one open function (after the link policy)."""
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []

    def record(url: object) -> bool:
        urls.append(url.toString())  # type: ignore[attr-defined]
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls
