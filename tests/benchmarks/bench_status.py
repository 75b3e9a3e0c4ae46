"""Benchmark: `outage-radar status --json` over N local pages against the bare httpx floor.

Run: .venv/bin/python -m tests.benchmarks.bench_status [--pages 100 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests import payloads
from tests.fakeserver import FakeServer

HERE = Path(__file__).resolve().parent


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, timeout=600)
    took = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr.decode()[-2000:])
    return took


def measure(server: FakeServer, pages: int, runs: int, folder: Path) -> dict[str, float]:
    urls = [
        server.set(f"/p{pages}-{i}/api/v2/summary.json", payloads.summary(name=f"P{i}"))
        for i in range(pages)
    ]
    catalog = folder / f"catalog-{pages}.toml"
    catalog.write_text(payloads.catalog([(f"p{i}", f"Page {i}", u) for i, u in enumerate(urls)]))
    url_file = folder / f"urls-{pages}.txt"
    url_file.write_text("\n".join(urls))
    ours = [sys.executable, "-m", "outage_radar", "status", "--json", "--catalog", str(catalog)]
    floor = [sys.executable, str(HERE / "bare_status.py"), str(url_file)]
    a: list[float] = []
    b: list[float] = []
    timed(ours)  # warm the file cache once for both
    timed(floor)
    for _ in range(runs):  # alternate so drift hits both sides alike
        b.append(timed(floor))
        a.append(timed(ours))
    med_a, med_b = statistics.median(a), statistics.median(b)
    return {"pages": pages, "ours": med_a, "floor": med_b, "ratio": med_a / med_b}


def run(pages: list[int], runs: int) -> list[dict[str, float]]:
    server = FakeServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return [measure(server, n, runs, Path(tmp)) for n in pages]
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = run(args.pages, args.runs)
    print("| pages | outage-radar status --json (median s) | bare httpx (median s) | ratio |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['pages']} | {r['ours']:.3f} | {r['floor']:.3f} | {r['ratio']:.2f}× |")


if __name__ == "__main__":
    main()
