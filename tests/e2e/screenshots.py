"""Make the README's screenshots: the real app on Xvfb with a tray host, against local pages,
and on a Wayland desktop (headless sway with waybar and mako, see tests/e2e/sni.py).

Run: .venv/bin/python -m tests.e2e.screenshots [OUTPUT_DIR] [--wayland-only]
(default docs/screenshots)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tests import payloads
from tests.e2e.desktop import Desktop, start_app, wait_for
from tests.fakeserver import FakeServer
from tests.history_pages import incidentio_incidents, statuspage_incidents

PAGES = [
    ("chatgpt", "ChatGPT", "major_outage", "Elevated error rates for ChatGPT conversations"),
    ("claude", "Claude", "operational", None),
    ("gemini", "Gemini", "degraded_performance", "Slow responses in the Gemini app"),
    ("copilot", "GitHub Copilot", "operational", None),
    ("mistral", "Mistral", "operational", None),
]


def serve_record(server: FakeServer, sid: str, now: datetime) -> None:
    """The past the app's own backfill reads on its first poll to fill the History window: an
    OpenAI-like record for ChatGPT, a GitHub-like one for Copilot; the other pages publish
    none (404), so their days fill from the app's own polls only."""
    url = server.url(f"/{sid}")
    if sid == "chatgpt":
        server.set(f"/{sid}/api/v2/incidents.json", incidentio_incidents(now, url=url))
    elif sid == "copilot":
        server.set(f"/{sid}/api/v2/incidents.json", statuspage_incidents(now, url=url))


def tray_icon_center(desk: Desktop) -> tuple[int, int]:
    colors = desk.tray_colors()
    panel = colors.most_common(1)[0][0]
    shot = desk.workdir / "tray.ppm"
    data = shot.read_bytes().split(b"\n", 3)[3]
    xs = [
        i // 3 % 240
        for i in range(0, len(data) - 2, 3)
        if (data[i], data[i + 1], data[i + 2]) != panel
    ]
    return 784 + (min(xs) + max(xs)) // 2, 16


def xdo(desk: Desktop, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=desk.env, check=True, timeout=10)


def window_shot(desk: Desktop, title: str, path: Path) -> None:
    """Capture one window by its title, without what overlaps it."""
    found = subprocess.run(
        ["xdotool", "search", "--name", title],
        env=desk.env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.split()
    subprocess.run(
        ["import", "-window", found[-1], str(path)], env=desk.env, check=True, timeout=30
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    server = FakeServer().start()
    now = datetime.now().astimezone()
    entries: list[tuple[str, str, str]] = []
    for sid, name, status, incident in PAGES:
        url = server.set(
            f"/{sid}/api/v2/summary.json",
            payloads.summary(
                status, name=name, incident=incident, components=("Web", "API", "Mobile")
            ),
        )
        serve_record(server, sid, now)
        entries.append((sid, name, url))
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desktop(Path(tmp)).start()
        try:
            catalog = Path(tmp) / "catalog.toml"
            catalog.write_text(payloads.catalog(entries))
            args = [
                sys.executable,
                "-m",
                "outage_radar",
                "--catalog",
                str(catalog),
                "--interval",
                "30",
            ]
            app = subprocess.Popen(args, env=desk.env)
            wait_for(lambda: len(desk.tray_colors()) > 3, 30, "the tray icon")
            time.sleep(3)
            x, y = tray_icon_center(desk)
            xdo(desk, "mousemove", str(x), str(y), "click", "1")
            time.sleep(1)
            xdo(desk, "key", "Down", "Right")  # open the first service (ChatGPT)
            time.sleep(1)
            desk.screenshot(out / "tray-menu.png", "1024x560+0+0")
            for _ in range(4):  # close the menu: Escape from the submenu and the menu
                xdo(desk, "key", "Escape")
            time.sleep(0.5)
            xdo(desk, "mousemove", str(x), str(y), "click", "1")
            time.sleep(1)
            # From the bottom: Quit, About, Help, Settings, History.
            xdo(desk, "key", "Up", "Up", "Up", "Up", "Up", "Return")
            time.sleep(2)
            window_shot(desk, "Outage Radar — History", out / "history.png")
            subprocess.run(args, env=desk.env, timeout=30)  # a second launch shows Settings
            time.sleep(2)
            window_shot(desk, "Outage Radar — Settings", out / "settings.png")
            desk.screenshot(out / "desktop.png")
            app.terminate()
            app.wait(timeout=20)
        finally:
            desk.stop()
            server.stop()
    for name in ("tray-menu", "history", "settings", "desktop"):
        print(out / f"{name}.png")


def wayland(out: Path) -> None:
    """waybar on headless sway with the app's red icon and mako showing its notification."""
    from tests.e2e.sni import SwayDesktop

    out.mkdir(parents=True, exist_ok=True)
    server = FakeServer().start()
    now = datetime.now().astimezone()
    entries: list[tuple[str, str, str]] = []
    for sid, name, _status, _incident in PAGES:
        url = server.set(f"/{sid}/api/v2/summary.json", payloads.summary(name=name))
        serve_record(server, sid, now)
        entries.append((sid, name, url))
    with tempfile.TemporaryDirectory() as tmp:
        desk = SwayDesktop(Path(tmp), bar="waybar").start()
        try:
            catalog = Path(tmp) / "catalog.toml"
            catalog.write_text(payloads.catalog(entries))
            app = start_app(desk, catalog, Path(tmp), "5")
            bus = desk.reader()
            wait_for(lambda: bus.item_of(app.pid) is not None, 30, "the tray icon")
            time.sleep(3)  # the first poll: all green, and silent
            sid, name, status, incident = PAGES[0]
            server.set(
                f"/{sid}/api/v2/summary.json",
                payloads.summary(
                    status, name=name, incident=incident, components=("Web", "API", "Mobile")
                ),
            )
            wait_for(lambda: "member=Notify" in desk.notifications(), 40, "the notification")
            time.sleep(1)  # mako draws it
            desk.screenshot(out / "wayland.png", "1024x200+0+0")
            app.terminate()
            app.wait(timeout=20)
        finally:
            desk.stop()
            server.stop()
    print(out / "wayland.png")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = Path(args[0]) if args else Path("docs/screenshots")
    if "--wayland-only" not in sys.argv:
        main(target)
    wayland(target)
