"""Run every benchmark, print the table and write docs/benchmarks.md.

One command: .venv/bin/python -m tests.benchmarks.run [--quick]
Needs the desktop tools of tests/run.sh (Xvfb, trayer, xwininfo, strace, ImageMagick).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import tempfile
from datetime import datetime
from pathlib import Path

from tests.benchmarks import bench_core, bench_desktop, bench_status, history_size

ROOT = Path(__file__).resolve().parents[2]
RSS_NOTE = """
Where the RSS went (2026-11-21). The settled app held 92 MiB (1.84x the floor) before these fixes:
- PySide6 looks for the text "PySide6" in every module imported after it (for its `__feature__`
  switch) with inspect.getsource, which keeps every source in linecache: 11 MiB here.
  `ui/pyside_scan.py` gives PySide6 the same answer from a plain file read.
- QtNetwork, for the single-instance socket: 2.5 MiB with Kerberos. A Unix socket now.
- httpx imports its command-line client's click and pygments whenever they are installed:
  2.4 MiB. `outage_radar.core` stops that one import.
- Level icons painted at 11 sizes: 1.2 MiB. Now PNG files, each size read when shown.
- Smaller: html's entity table, the doctor, the parsers and tomli_w imported on first use.

What remains above the floor, measured by importing after a QApplication: ssl and OpenSSL 3.7 MiB,
httpx with its imports 2.6 MiB, asyncio 1.2 MiB, the Qt namespace's 90-odd enums 1.4 MiB
(qasync's timers touch it), sqlite3 0.8 MiB, truststore 0.6 MiB, our own modules about 5 MiB.
"""


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{platform.node()}: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs (for a smoke check)")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    # Bytecode as any install has it (pip compiles on install, the bundle ships it); an editable
    # checkout under PYTHONDONTWRITEBYTECODE would otherwise recompile the app at every spawn.
    compileall.compile_dir(ROOT / "desktop" / "outage_radar", quiet=1)
    desk = bench_desktop.run(runs=runs, idle_seconds=20 if args.quick else 60)
    core = bench_core.run(cycles=200 if args.quick else 1000)
    status = bench_status.run(pages=[100, 1000], runs=runs)
    s100, s1000 = status
    with tempfile.TemporaryDirectory() as folder:
        sized = history_size.simulate(Path(folder) / "history.sqlite3", 90, 40)
    rows = [
        (
            "time from spawn to tray icon embedded (Xvfb + trayer)",
            f"{desk['tray_floor']:.3f} s",
            f"{desk['tray_ours']:.3f} s",
            f"{desk['tray_ours'] / desk['tray_floor']:.2f}×",
            "≤ 1.5×",
        ),
        (
            "time from spawn to first real status, 20 local services",
            "—",
            f"{desk['first_status']:.2f} s",
            "—",
            "report",
        ),
        (
            "RSS after settling, 20 services",
            f"{desk['rss_floor']:.1f} MiB",
            f"{desk['rss_ours']:.1f} MiB",
            f"{desk['rss_ours'] / desk['rss_floor']:.2f}×",
            "≤ 1.5×",
        ),
        (
            f"RSS growth over {1000 if not args.quick else 200} poll cycles × 20 services",
            "—",
            f"{core['rss_after'] - core['rss_before']:+.2f} MiB "
            f"({core['rss_before']:.1f} → {core['rss_after']:.1f})",
            "—",
            "< 2 MiB",
        ),
        (
            "CPU per poll, unchanged page (304, no parse)",
            f"{core['bare_304_ms']:.2f} ms",
            f"{core['cpu_304_ms']:.2f} ms",
            f"{core['cpu_304_ms'] / core['bare_304_ms']:.2f}×",
            "≤ 1 ms",
        ),
        (
            "CPU per poll, changed page (200 + parse)",
            "—",
            f"{core['cpu_changed_ms']:.2f} ms",
            "—",
            "report",
        ),
        (
            "bytes on the wire per hour per service, unchanged page (60 s polls)",
            "—",
            f"{core['bytes_per_hour'] / 1024:.1f} KiB",
            "—",
            "report",
        ),
        (
            "`status --json` over 100 local pages",
            f"{s100['floor']:.3f} s",
            f"{s100['ours']:.3f} s",
            f"{s100['ratio']:.2f}×",
            "≤ 1.5×",
        ),
        (
            "`status --json` over 1,000 local pages",
            f"{s1000['floor']:.3f} s",
            f"{s1000['ours']:.3f} s",
            f"{s1000['ratio']:.2f}×",
            "≤ 1.5×",
        ),
        (
            "idle wake-ups per minute between polls (event-loop waits, all threads)",
            f"{desk['idle_floor']:.1f}",
            f"{desk['idle_ours']:.1f}",
            "—",
            "none beyond the timer",
        ),
        (
            "history database after 90 days × 40 services (10 parts each, 22 incidents each)",
            "—",
            f"{sized['bytes'] / 2**20:.2f} MiB",
            "—",
            "report (kept a year)",
        ),
        (
            "1,000 custom pages in one cycle (bounded concurrency 32)",
            "—",
            f"{core['scale_1000_s']:.2f} s, RSS {core['scale_1000_rss']:.1f} MiB",
            "—",
            "within the interval",
        ),
    ]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {machine()}.",
        f"Medians of {runs} alternating runs (ours, floor) in the same run; "
        "`.venv/bin/python -m tests.benchmarks.run`.",
        "",
        "| metric | floor | Outage Radar | ratio | target |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        "",
        "Floors: `tests/benchmarks/floor_tray.py` (a minimal PySide6 tray app with one icon and "
        "one menu) and `tests/benchmarks/bare_status.py` (a bare httpx script that fetches and "
        "parses the same pages; for the 304 path, httpx alone sending the ETag). "
        "The status server runs in its own process.",
        RSS_NOTE,
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text)


if __name__ == "__main__":
    main()
