"""A real desktop for end-to-end tests: Xvfb, a tray host, a notification daemon, a private bus."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Self

TOOLS = (
    "Xvfb",
    "dbus-daemon",
    "dbus-monitor",
    "trayer",
    "dunst",
    "xdotool",
    "import",
    "gnome-keyring-daemon",
)


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


class Desktop:
    """Starts the parts in order and stops them all; `env` is what the app process gets."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env = dict(os.environ)
        self.notify_log = workdir / "notify.log"

    def _spawn(
        self, args: list[str], env: dict[str, str] | None = None, **kwargs: object
    ) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{Path(args[0]).name}.log", "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            args, env=env or self.env, stdout=kwargs.pop("stdout", log), stderr=log, **kwargs
        )  # type: ignore[call-overload]
        log.close()
        self.procs.append(proc)
        return proc

    def start(self, tray: bool = True) -> Self:
        """The whole desktop; `tray=False` leaves the tray host for `start_tray()` later."""
        self._prepare_home()
        self._start_bus()
        self._start_display()
        self._start_notifications()
        if tray:
            self.start_tray()
        return self

    def _prepare_home(self) -> None:
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_RUNTIME_DIR", "run"),
        ):
            (home / sub).mkdir(exist_ok=True, mode=0o700)
            self.env[var] = str(home / sub)
        self.env["HOME"] = str(home)
        self.env.pop("QT_QPA_PLATFORM", None)
        self.env["QT_QPA_PLATFORM"] = "xcb"
        self.env["NO_PROXY"] = "127.0.0.1,localhost"

    def _start_bus(self, args: tuple[str, ...] = ("--session",)) -> None:
        bus = subprocess.Popen(
            ["dbus-daemon", *args, "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self.env,
        )
        self.procs.append(bus)  # type: ignore[arg-type]
        assert bus.stdout is not None
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        bus.stdout.close()

    def _start_display(self) -> None:
        for _ in range(3):  # two X servers starting at once can race for the same number
            number = self._start_xvfb()
            if number:
                break
        self.env["DISPLAY"] = f":{number}"
        wait_for(self._display_ready, 20, "the X server")

    def _start_notifications(self, daemon: str = "dunst") -> None:
        # A daemon can lose a race with a display that is still settling (dunst: "cannot open
        # display") and exit; without it the app falls back to balloons and the test waits in vain.
        for attempt in range(3):
            proc = self._spawn([daemon])
            try:
                wait_for(lambda: self.owns("org.freedesktop.Notifications"), 10, daemon)
                break
            except AssertionError:
                proc.kill()
                proc.wait()
                if attempt == 2:
                    raise
        monitor_log = open(self.notify_log, "wb")  # noqa: SIM115
        self._spawn(["dbus-monitor", "interface=org.freedesktop.Notifications"], stdout=monitor_log)
        monitor_log.close()

    def start_tray(self) -> None:
        """trayer, an XEmbed tray host, as a panel at the top right."""
        # trayer sometimes loses a race with the fresh X server and never maps its panel:
        # give it a few tries rather than failing the whole test on a slow start.
        for attempt in range(3):
            tray = self._spawn(
                [
                    "trayer",
                    "--edge",
                    "top",
                    "--align",
                    "right",
                    "--widthtype",
                    "pixel",
                    "--width",
                    "240",
                    "--height",
                    "32",
                    "--tint",
                    "0x202020",
                    "--transparent",
                    "false",
                    "--SetDockType",
                    "true",
                ]
            )
            try:
                wait_for(lambda: self.window_exists("panel"), 15, "trayer panel")
                break
            except AssertionError:
                tray.kill()
                tray.wait()
                if attempt == 2:
                    raise

    def unlock_keyring(self) -> None:
        """A real Secret Service: gnome-keyring with a fresh, unlocked login keyring."""
        out = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
            input=b"test",
            capture_output=True,
            env=self.env,
            timeout=20,
        ).stdout.decode()
        for key, value in re.findall(r"^(\w+)=(.*)$", out, re.M):
            self.env[key] = value

    def _start_xvfb(self) -> str:
        """Start Xvfb on a free display; returns its number, or "" when it gave up."""
        read, write = os.pipe()
        self._spawn(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
            pass_fds=(write,),
        )
        os.close(write)
        number = b""
        while not number.endswith(b"\n"):
            chunk = os.read(read, 16)
            if not chunk:
                break
            number += chunk
        os.close(read)
        return number.decode().strip()

    def _display_ready(self) -> bool:
        out = subprocess.run(
            ["xdotool", "getdisplaygeometry"], capture_output=True, env=self.env, timeout=10
        )
        return out.returncode == 0

    def owns(self, name: str) -> bool:
        """Whether some process owns this name on the desktop's session bus."""
        out = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus"]
            + ["/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
        )
        return "boolean true" in out.stdout

    def window_exists(self, name: str) -> bool:
        out = subprocess.run(
            ["xdotool", "search", "--name", name], capture_output=True, env=self.env, timeout=10
        )
        return out.returncode == 0 and bool(out.stdout.strip())

    def screenshot(self, path: Path, crop: str | None = None, depth8: bool = False) -> Path:
        args = ["import", "-window", "root"]
        if crop:
            args += ["-crop", crop]
        if depth8:
            args += ["-depth", "8"]
        subprocess.run([*args, str(path)], env=self.env, check=True, timeout=30)
        return path

    def tray_colors(self) -> Counter[tuple[int, int, int]]:
        """Pixel colors in the tray panel (top right 240x32), from a real screenshot."""
        shot = self.workdir / "tray.ppm"
        self.screenshot(shot, "240x32+784+0", depth8=True)
        data = shot.read_bytes()
        header = data.split(b"\n", 3)
        pixels = header[3]
        return Counter(
            (pixels[i], pixels[i + 1], pixels[i + 2]) for i in range(0, len(pixels) - 2, 3)
        )

    def notifications(self) -> str:
        return self.notify_log.read_text(errors="replace")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def near(colors: dict[tuple[int, int, int], int], target: tuple[int, int, int]) -> int:
    """How many tray pixels are (close to) a level's color."""
    r, g, b = target
    return sum(n for (x, y, z), n in colors.items() if max(abs(x - r), abs(y - g), abs(z - b)) < 13)


def start_app(
    desk: Desktop, catalog: Path, tmp_path: Path, interval: str = "5"
) -> subprocess.Popen[bytes]:
    """The real app process on this desktop, watching a catalog file; its output in app.log."""
    # Unique per test run too: a stray app from another run must not answer for this one.
    instance = f"outage-radar-{os.getpid()}-{tmp_path.name}"
    env = dict(desk.env, OUTAGE_RADAR_INSTANCE_NAME=instance)
    log = open(tmp_path / "app.log", "wb")  # noqa: SIM115 - handed to the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "outage_radar", "--catalog", str(catalog), "--interval", interval],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return proc


def wait_for(check: Callable[[], bool], timeout: float, what: str, step: float = 0.2) -> float:
    """Poll `check` until it holds; returns the seconds it took, fails with `what` otherwise."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
