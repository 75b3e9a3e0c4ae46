"""Issue 14 item 6: a data folder the app cannot write (a file, or read-only) leaves `watch`
running without history, and saying so; the history itself tells (core/history.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import payloads
from tests.cli.test_cli_environment import catalog, unwritable
from tests.fakeserver import FakeServer


@pytest.mark.parametrize("shape", ["file", "read-only"])
def test_watch_runs_without_history_and_says_so(
    server: FakeServer, tmp_path: Path, shape: str
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    env = {"XDG_DATA_HOME": unwritable(tmp_path, shape)}
    command = [sys.executable, "-m", "outage_radar", "watch", "--catalog"]
    with subprocess.Popen(
        [*command, catalog(tmp_path, ("Lab", page))],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not server.hits.get("/api/v2/summary.json"):
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()  # still watching
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "History" in err and "Traceback" not in err, err
