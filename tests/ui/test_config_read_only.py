"""The tray app process with a config dir it cannot write: it starts, runs and quits cleanly.

Issue 14 item 6 (the config dir): settings were written before anything was checked, so a
read-only XDG_CONFIG_HOME ended the start with a traceback. A path under a plain file stands in
for the read-only dir (root writes through a chmod); the file system's error is what differs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests import payloads
from tests.fakeserver import FakeServer


def test_the_tray_starts_and_runs_with_a_config_dir_it_cannot_write(
    tmp_path: Path, server: FakeServer
) -> None:
    config = tmp_path / "config"
    config.write_text("a file where the config dir should be")
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(payloads.catalog([("a", "A", server.set("/a.json", payloads.summary()))]))
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(config),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        QT_QPA_PLATFORM="offscreen",
        OUTAGE_RADAR_INSTANCE_NAME=f"read-only-config-{os.getpid()}",
    )
    out = tmp_path / "out.txt"
    with out.open("wb") as sink:
        app = subprocess.Popen(
            [sys.executable, "-m", "outage_radar", "--catalog", str(catalog)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        logs = tmp_path / "state" / "outage-radar" / "log"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and app.poll() is None:
            text = "".join(p.read_text(errors="replace") for p in logs.glob("*.log"))
            if "watching 1 services" in text and "Settings cannot be saved" in text:
                break
            time.sleep(0.2)
        assert app.poll() is None, out.read_text()  # still running
        assert text.count("the settings cannot be saved") == 1, text
        # Told at start (a notification, here the fallback without a notification service),
        # not only at the first change the user makes.
        assert "Settings cannot be saved" in text, text
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=15) == 0, out.read_text()
        assert "Traceback" not in out.read_text()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
