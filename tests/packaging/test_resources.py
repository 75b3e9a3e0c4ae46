"""The shipped desktop files in resources/: icon sizes, desktop entry and metainfo validity."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from outage_radar import autostart

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
APP_ID = "io.github.outage_radar.OutageRadar"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} missing under CI")
        pytest.skip(f"{name} missing (run tests/run.sh as root)")
    return path


@pytest.mark.parametrize("size", ICON_SIZES)
def test_png_icon_has_its_size(size: int) -> None:
    data = (RESOURCES / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (size, size)


def test_scalable_icon_is_square_svg() -> None:
    root = ET.parse(RESOURCES / f"icons/hicolor/scalable/apps/{APP_ID}.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


def test_desktop_entry_validates_and_matches_the_icon() -> None:
    path = RESOURCES / f"{APP_ID}.desktop"
    out = subprocess.run(
        [_tool("desktop-file-validate"), str(path)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr
    text = path.read_text()
    assert f"Icon={APP_ID}\n" in text and f"Icon={autostart.ICON}\n" in text
    assert "Exec=outage-radar\n" in text


def test_metainfo_validates_and_names_the_desktop_entry() -> None:
    path = RESOURCES / f"{APP_ID}.metainfo.xml"
    cmd = [_tool("appstreamcli"), "validate", "--no-net", str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    root = ET.parse(path).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("content_rating").get("type") == "oars-1.1"  # type: ignore[union-attr]
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findall("releases/release") and root.findall("screenshots/screenshot")
    prefix = "https://raw.githubusercontent.com/outage-radar/outage-radar/main/"
    for image in root.iterfind("screenshots/screenshot/image"):
        url = image.text or ""
        assert url.startswith(prefix) and (RESOURCES.parent / url[len(prefix) :]).is_file(), url
