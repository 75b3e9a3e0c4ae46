"""A new user's first run, for real: the icon, the welcome window, picking ChatGPT and Claude."""

from __future__ import annotations

import os
import socketserver
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

from tests.e2e.desktop import Desktop, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


class RecordingProxy(socketserver.ThreadingTCPServer):
    """Stands in for the internet: records which hosts the app asks for, answers nothing."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.targets: list[str] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(socketserver.StreamRequestHandler):
    server: RecordingProxy

    def handle(self) -> None:
        line = self.rfile.readline(4096).decode("latin-1").split()
        if len(line) >= 2:
            self.server.targets.append(line[1])  # "CONNECT status.claude.com:443 HTTP/1.1"
        self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")


def xdo(desk: Desktop, *args: str) -> str:
    out = subprocess.run(
        ["xdotool", *args], env=desk.env, capture_output=True, text=True, timeout=10
    )
    return out.stdout.strip()


def test_first_run_shows_welcome_and_watches_the_picked_services(
    desktop: Desktop, tmp_path: Path
) -> None:
    # The built-in catalog points at the real status pages: every request goes to a proxy on
    # loopback that only records the host, so the test never touches the internet.
    proxy = RecordingProxy()
    env = dict(
        desktop.env,
        HTTPS_PROXY=proxy.url,
        HTTP_PROXY=proxy.url,
        NO_PROXY="",
        OUTAGE_RADAR_INSTANCE_NAME=f"first-run-{os.getpid()}-{tmp_path.name}",
    )
    log = open(tmp_path / "app.log", "wb")  # noqa: SIM115
    app = subprocess.Popen(
        [sys.executable, "-m", "outage_radar"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    settings = Path(env["XDG_CONFIG_HOME"]) / "outage-radar" / "settings.toml"
    try:
        wait_for(lambda: desktop.window_exists("Welcome to Outage Radar"), 30, "welcome window")
        colors = desktop.tray_colors()
        assert len(colors) > 3  # an icon sits in the tray panel next to the welcome window
        window = xdo(desktop, "search", "--name", "Welcome to Outage Radar").split()[-1]
        xdo(desktop, "windowfocus", "--sync", window)
        # The search field has the focus: find Claude, tick it in the tree, start watching.
        time.sleep(1)  # let the window take the keyboard before typing
        xdo(desktop, "type", "--delay", "30", "Claude")
        time.sleep(0.5)
        # The tree's first row is the "Chat assistants" heading; Claude is right below it.
        xdo(desktop, "key", "Tab", "Down", "space")
        time.sleep(0.3)
        xdo(desktop, "key", "Return")
        wait_for(lambda: "first_run_done = true" in settings.read_text(), 20, "saved choice")
        chosen = tomllib.loads(settings.read_text())["services"]
        assert set(chosen) == {"chatgpt", "openai-api", "claude"}
        # The choice is saved as Start is handled; the window is unmapped a moment later.
        wait_for(lambda: not desktop.window_exists("Welcome to Outage Radar"), 5, "no welcome")
        # The monitor now polls the picked pages (through the proxy): Claude's too.
        wait_for(lambda: any("status.claude.com" in t for t in proxy.targets), 30, "Claude")
        assert any("status.openai.com" in t for t in proxy.targets)
    finally:
        app.terminate()
        app.wait(timeout=20)
        proxy.shutdown()
        proxy.server_close()
    assert app.returncode == 0
    # The second start is quiet: no welcome window again.
    app = subprocess.Popen(
        [sys.executable, "-m", "outage_radar"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: len(desktop.tray_colors()) > 3, 30, "the tray icon")
        time.sleep(2)
        assert not desktop.window_exists("Welcome to Outage Radar")
    finally:
        app.terminate()
        app.wait(timeout=20)
