"""`python -m build` makes an sdist and a wheel with every resource; the wheel installs and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.packaging.source import clean_source

pytestmark = [pytest.mark.package, pytest.mark.timeout(900)]

APP_ID = "io.github.outage_radar.OutageRadar"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
RESOURCES = [
    "catalog.toml",
    f"{APP_ID}.desktop",
    f"{APP_ID}.metainfo.xml",
    f"icons/hicolor/scalable/apps/{APP_ID}.svg",
    *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES),
]


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    env = dict(os.environ if env is None else env)
    # The user's pip cache, not the test's isolated XDG_CACHE_HOME: PySide6 is a large download.
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


def test_build_ships_resources_and_the_wheel_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    clean_source(src)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)])  # sdist, then wheel

    (wheel,) = dist.glob("outage_radar-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    missing = [r for r in RESOURCES if f"outage_radar/resources/{r}" not in names]
    assert not missing, missing
    assert not any(n.startswith(("resources/", "tests/", "packaging/")) for n in names)
    for field in ("License-Expression: MIT", "Project-URL: Homepage", "Classifier: ", "Summary: "):
        assert field in meta, field

    (sdist,) = dist.glob("outage_radar-*.tar.gz")
    with tarfile.open(sdist) as tf:
        top = tf.getnames()[0].split("/")[0]
        members = set(tf.getnames())
    missing = [r for r in RESOURCES if f"{top}/resources/{r}" not in members]
    assert not missing, missing

    # What `pipx install <wheel>` does: a private venv, the wheel and its dependencies.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)])
    env = dict(os.environ, PATH="/usr/bin:/bin")  # nothing from the test venv on PATH
    exe = venv / "bin" / "outage-radar"
    assert _run([str(exe), "--version"], env=env).startswith("outage-radar ")
    services = json.loads(_run([str(exe), "services", "--json"], env=env))
    assert any(s["id"] == "chatgpt" for s in services["services"])


def test_pipx_installs_the_wheel(tmp_path: Path) -> None:
    # pipx comes with the test extras, next to this interpreter.
    pipx = Path(sys.executable).parent / "pipx"
    assert pipx.exists(), "pipx is in the test extras: run tests/run.sh"
    src = tmp_path / "src"
    clean_source(src)
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(src)])
    (wheel,) = tmp_path.glob("outage_radar-*.whl")
    env = dict(os.environ, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"))
    _run([str(pipx), "install", str(wheel)], env=env)
    assert _run([str(tmp_path / "bin" / "outage-radar"), "--version"]).startswith("outage-radar")
