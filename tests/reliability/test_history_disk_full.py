"""A real full disk under `watch` (issue 14 item 1): the history's folder is a small tmpfs.

The disk fills while `watch` runs and the page then turns to an outage: the change is printed,
stderr says once, in one line with its cause (the log's warning), that the history cannot be
written, and once space is freed the history
catches up, the rows of the full spell included. Needs root for the mount; under CI=true a
missing mount fails instead of skipping.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import payloads
from tests.fakeserver import FakeServer

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def small_disk(isolated_home: Path) -> Iterator[Path]:
    """The app's data folder on a 1 MiB tmpfs, unmounted after the test."""
    folder = isolated_home / "data" / "outage-radar"
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs under CI: {mounted.stderr}")
        pytest.skip(f"cannot mount a tmpfs (run tests/run.sh as root): {mounted.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Take every free byte of the file system; the file is returned to free it later."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # ENOSPC: full
    finally:
        os.close(fd)
    return filler


def rows(db: Path, level: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(
            con.execute("SELECT COUNT(*) FROM samples WHERE level=?", (level,)).fetchone()[0]
        )
    finally:
        con.close()


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_watch_on_a_full_disk_alerts_tells_once_and_catches_up(
    server: FakeServer, tmp_path: Path, small_disk: Path
) -> None:
    url = server.set("/a/api/v2/summary.json", payloads.summary(name="a"))
    catalog = tmp_path / "c.toml"
    catalog.write_text(payloads.catalog([("a", "A", url)]))
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    db = small_disk / "history.sqlite3"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "outage_radar", "watch", "--json", "--catalog", str(catalog)]
            + ["--interval", "5"],
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
    try:
        assert wait_for(lambda: db.exists() and rows(db, "operational") > 0, 20)
        filler = fill(small_disk)
        server.set("/a/api/v2/summary.json", payloads.summary("major_outage", name="a"))
        assert wait_for(lambda: "major_outage" in out.read_text(), 40), err.read_text()
        assert wait_for(lambda: "disk full" in err.read_text(), 30), err.read_text()
        assert proc.poll() is None
        assert rows(db, "major_outage") == 0
        filler.unlink()  # space freed: the next try writes what waited
        assert wait_for(lambda: rows(db, "major_outage") > 0, 30), err.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    told = [line for line in err.read_text().splitlines() if "History cannot" in line]
    assert told == [told[0]] and "History cannot be written: disk full" in told[0]
    assert "Traceback" not in err.read_text() and proc.returncode == 0
