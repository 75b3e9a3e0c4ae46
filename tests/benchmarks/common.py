"""Helpers for the benchmarks: a status server in its own process, RSS, medians."""

from __future__ import annotations

import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served(pages: int) -> Iterator[str]:
    """Serve `pages` operational pages from another process; yields the base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.serve", str(pages)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    base = proc.stdout.readline().strip()
    try:
        yield base
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


def page_urls(base: str, pages: int) -> list[str]:
    return [f"{base}/p{i}/api/v2/summary.json" for i in range(pages)]


def write_catalog(path: Path, urls: list[str]) -> Path:
    from tests import payloads

    path.write_text(payloads.catalog([(f"p{i}", f"Page {i}", u) for i, u in enumerate(urls)]))
    return path


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its threads, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
