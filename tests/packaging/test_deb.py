"""The .deb end to end: built from a clean tree, installed with dpkg, run, validated, removed.

Needs root, dpkg-dev and the desktop tools (tests/run.sh installs them). It skips without them,
except under CI=true, where it fails. It installs and removes the real `outage-radar` package.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import payloads
from tests.e2e.desktop import Desktop, missing_tools, wait_for
from tests.fakeserver import FakeServer
from tests.packaging.source import clean_source

pytestmark = [pytest.mark.package, pytest.mark.timeout(1800)]

APP_ID = "io.github.outage_radar.OutageRadar"
DESKTOP_FILE = Path(f"/usr/share/applications/{APP_ID}.desktop")
METAINFO = Path(f"/usr/share/metainfo/{APP_ID}.metainfo.xml")
HICOLOR = Path("/usr/share/icons/hicolor")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
QT_XCB = (
    "libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
    "libxcb-render-util0 libxcb-shape0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
).split()
MAX_INSTALLED_MIB = 120
GREEN = (0x2D, 0xA4, 0x4E)
TOOLS = ("dpkg", "dpkg-deb", "dpkg-shlibdeps", "objdump", "git", "desktop-file-validate")


def _require() -> None:
    problems = [f"{tool} missing" for tool in (*TOOLS, "appstreamcli") if not shutil.which(tool)]
    if os.geteuid() != 0:
        problems.append("not root (dpkg -i needs it)")
    problems += [f"{tool} missing" for tool in missing_tools()]
    if problems:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the package test cannot run under CI: {problems}")
        pytest.skip(f"package test needs: {problems} (run tests/run.sh as root)")


def _run(args: list[str], timeout: float = 120, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def _installed(package: str = "outage-radar") -> bool:
    out = _run(["dpkg-query", "-W", "-f=${Status}", package])
    return out.returncode == 0 and "install ok installed" in out.stdout


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Build the .deb from a clean tree, `dpkg -i` it, and remove it at the end."""
    _require()
    src = tmp_path_factory.mktemp("deb") / "src"
    how = clean_source(src)
    started = time.monotonic()
    built = _run(["bash", "packaging/build-deb.sh"], timeout=1500, cwd=src)
    elapsed = time.monotonic() - started
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (path,) = (src / "dist").glob("outage-radar_*_*.deb")
    report = request.config.pluginmanager.get_plugin("terminalreporter")
    if report is not None:
        report.write_line(f"\n[package] built from a {how} in {elapsed:.0f} s: {path.name}")
        report.write_line(f"[package] {built.stdout.strip().splitlines()[-1]}")
    install = _run(["dpkg", "-i", str(path)], timeout=300)
    if install.returncode != 0 and "dependency problems" in install.stderr:
        # Depends not on this machine yet: let apt fetch them, as `apt install ./x.deb` would.
        install = _run(["apt-get", "install", "-f", "-y", "-qq"], timeout=600)
    assert install.returncode == 0 and _installed(), install.stdout + install.stderr
    yield path
    if _installed():
        _run(["dpkg", "--purge", "outage-radar"], timeout=300)


def _control(deb: Path) -> dict[str, str]:
    text = _run(["dpkg-deb", "-f", str(deb)], check=True).stdout
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1] not in (" ", "") and ":" in line:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def test_deb_declares_qt_libraries_and_stays_small(deb: Path) -> None:
    control = _control(deb)
    assert control["Package"] == "outage-radar"
    assert deb.name == f"outage-radar_{control['Version']}_{control['Architecture']}.deb"
    depends = {dep.split()[0] for dep in control["Depends"].split(",")}
    assert set(QT_XCB) <= depends, set(QT_XCB) - depends
    assert int(control["Installed-Size"]) < MAX_INSTALLED_MIB * 1024
    listing = _run(["dpkg-deb", "-c", str(deb)], check=True).stdout
    for path in ("./opt/outage-radar/outage-radar", f"./usr/share/applications/{APP_ID}.desktop"):
        assert path in listing
    for unwanted in ("/translations/", "libqgtk3", "libQt6Qml", "libQt6Quick", "libgtk-3"):
        assert unwanted not in listing, unwanted


def test_installed_command_line_reads_a_status_page(deb: Path, server: FakeServer) -> None:
    launcher = Path("/usr/bin/outage-radar")
    assert launcher.resolve() == Path("/opt/outage-radar/outage-radar")
    assert shutil.which("outage-radar") == str(launcher)  # what the desktop entry's Exec runs
    version = _run([str(launcher), "--version"])
    assert version.returncode == 0 and version.stdout.startswith("outage-radar "), version
    url = server.set(
        "/api/v2/summary.json",
        payloads.summary("major_outage", name="Alpha", incident="Elevated errors"),
    )
    out = _run([str(launcher), "status", "--json", "--url", url], timeout=60)
    assert out.returncode == 1, out.stderr  # 1: something is degraded or worse
    (service,) = json.loads(out.stdout)["services"]
    assert service["level"] == "major_outage"
    assert service["incidents"][0]["title"] == "Elevated errors"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_installed_desktop_integration_validates(deb: Path) -> None:
    for args in (
        ["desktop-file-validate", str(DESKTOP_FILE)],
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
    ):
        out = _run(args)
        assert out.returncode == 0, out.stdout + out.stderr
    assert "Exec=outage-radar\n" in DESKTOP_FILE.read_text()
    assert (HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in ICON_SIZES:
        assert _png_size(HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)


def _near(colors: dict[tuple[int, int, int], int], target: tuple[int, int, int]) -> int:
    return sum(
        n
        for c, n in colors.items()
        if all(abs(a - b) <= 12 for a, b in zip(c, target, strict=True))
    )


def test_installed_app_starts_into_the_tray(deb: Path, server: FakeServer, tmp_path: Path) -> None:
    url = server.set("/alpha/api/v2/summary.json", payloads.summary(name="Alpha"))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(payloads.catalog([("alpha", "Alpha", url)]))
    desk = Desktop(tmp_path).start()
    log_path = tmp_path / "app.log"
    app: subprocess.Popen[bytes] | None = None
    try:
        panel = desk.tray_colors()
        env = dict(desk.env, OUTAGE_RADAR_INSTANCE_NAME=f"outage-radar-deb-{os.getpid()}")
        with open(log_path, "wb") as log:
            app = subprocess.Popen(
                ["/usr/bin/outage-radar", "--catalog", str(catalog), "--interval", "5"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: desk.tray_colors() != panel, 60, "the installed app's tray icon")
        wait_for(lambda: _near(desk.tray_colors(), GREEN) > 30, 60, "a green (operational) icon")
        assert app.poll() is None, log_path.read_text(errors="replace")
    finally:
        if app is not None:
            app.terminate()
            try:
                app.wait(timeout=15)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        desk.stop()
    assert app.returncode == 0, log_path.read_text(errors="replace")


def test_remove_leaves_nothing_behind(deb: Path) -> None:
    out = _run(["dpkg", "-r", "outage-radar"], timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not _installed()
    for path in (Path("/opt/outage-radar"), Path("/usr/bin/outage-radar"), DESKTOP_FILE, METAINFO):
        assert not os.path.lexists(path), path
    assert not (HICOLOR / "256x256" / "apps" / f"{APP_ID}.png").exists()
    purge = _run(["dpkg", "--purge", "outage-radar"], timeout=300)  # forget the postrm too
    assert purge.returncode == 0, purge.stdout + purge.stderr
