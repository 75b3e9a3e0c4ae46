"""Desktop benchmarks on Xvfb + trayer: time to tray icon, time to first status, RSS, wake-ups.

Every figure is measured against the floor (floor_tray.py) in the same run, alternating.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import median, page_urls, rss_mib, served, write_catalog
from tests.e2e.desktop import Desktop

HERE = Path(__file__).resolve().parent
GREEN = (0x2D, 0xA4, 0x4E)


def panel_children(desk: Desktop) -> int:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"], env=desk.env, capture_output=True, text=True, timeout=10
    ).stdout
    match = re.search(r'"panel": \("panel" "trayer"\).*\n\s+(\d+) child', tree)
    return int(match.group(1)) if match else 0


def time_to_tray(desk: Desktop, args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawn until the icon is embedded in the tray host; returns (s, pid)."""
    before = panel_children(desk)
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while panel_children(desk) <= before:
        if time.perf_counter() - start > 30:
            raise RuntimeError("no tray icon after 30 s")
        time.sleep(0.005)
    return time.perf_counter() - start, proc.pid


def green_pixels(desk: Desktop) -> int:
    colors = desk.tray_colors()
    return sum(
        n for c, n in colors.items() if all(abs(a - b) <= 12 for a, b in zip(c, GREEN, strict=True))
    )


def stop(pid: int) -> None:
    subprocess.run(["kill", str(pid)], check=False)
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.05)
    subprocess.run(["kill", "-9", str(pid)], check=False)


def _strace(pid: int, seconds: float) -> float:
    proc = subprocess.Popen(
        [
            "strace",
            "-f",
            "-c",
            "-e",
            "trace=poll,ppoll,epoll_wait,epoll_pwait,select,pselect6",
            "-p",
            str(pid),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(seconds)
    proc.send_signal(2)
    _, err = proc.communicate(timeout=30)
    calls = 0
    for line in err.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[-1] in (
            "poll",
            "ppoll",
            "epoll_wait",
            "epoll_pwait",
            "select",
            "pselect6",
        ):
            calls += int(parts[3])
    return calls * 60.0 / seconds


def run(runs: int = 5, services: int = 20, idle_seconds: float = 30.0) -> dict[str, float]:
    results: dict[str, list[float]] = {
        k: [] for k in ("tray_ours", "tray_floor", "first_status", "rss_ours", "rss_floor")
    }
    with tempfile.TemporaryDirectory() as tmp, served(services) as base:
        desk = Desktop(Path(tmp)).start()
        catalog = write_catalog(Path(tmp) / "catalog.toml", page_urls(base, services))
        ours = [
            sys.executable,
            "-m",
            "outage_radar",
            "--catalog",
            str(catalog),
            "--interval",
            "600",
        ]
        floor = [sys.executable, str(HERE / "floor_tray.py")]
        try:
            for n in range(runs):
                env = dict(desk.env, OUTAGE_RADAR_INSTANCE_NAME=f"bench-{n}")
                took, pid = time_to_tray(desk, floor, desk.env)
                results["tray_floor"].append(took)
                time.sleep(3)
                results["rss_floor"].append(rss_mib(pid))
                stop(pid)
                start = time.perf_counter()
                took, pid = time_to_tray(desk, ours, env)
                results["tray_ours"].append(took)
                while green_pixels(desk) < 30:
                    if time.perf_counter() - start > 60:
                        raise RuntimeError("no status after 60 s")
                    time.sleep(0.02)
                results["first_status"].append(time.perf_counter() - start)
                time.sleep(3)
                results["rss_ours"].append(rss_mib(pid))
                if n == runs - 1:
                    idle_ours = _strace(pid, idle_seconds)
                stop(pid)
            took, pid = time_to_tray(desk, floor, desk.env)
            time.sleep(2)
            idle_floor = _strace(pid, idle_seconds)
            stop(pid)
        finally:
            desk.stop()
    out = {k: median(v) for k, v in results.items()}
    out["idle_ours"], out["idle_floor"] = idle_ours, idle_floor
    return out


if __name__ == "__main__":
    print(run(runs=int(sys.argv[1]) if len(sys.argv) > 1 else 3))
