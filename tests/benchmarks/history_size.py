"""The history database's size after 90 days of 40 services: own polls and providers' records.

One command: .venv/bin/python -m tests.benchmarks.history_size [--days 90] [--services 40]
Polls are simulated every 5 minutes: the rows are the same as with 1-minute polls, since one row
stands for a run of polls at one level and its `until` moves at most every 5 minutes.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from outage_radar.core.history import History
from outage_radar.core.model import Component, Incident, Level, Snapshot
from outage_radar.core.past import Past, Record

START = datetime(2026, 9, 1, tzinfo=UTC)
COMPONENTS = 10  # parts shown per service (OpenAI's groups have 4 to 15)
STEP = timedelta(minutes=5)


def simulate(path: Path, days: int, services: int) -> dict[str, float]:
    rng = random.Random(7)
    clock_now = START + timedelta(days=days)
    history = History(path, clock=lambda: clock_now)
    outages: dict[str, list[tuple[datetime, datetime, Level]]] = {}
    for s in range(services):
        spans = []
        for _ in range(days // 4):  # an incident every 4 days or so, 10 min to 5 h
            begin = START + timedelta(minutes=rng.randrange(days * 1440))
            level = rng.choice((Level.DEGRADED, Level.PARTIAL_OUTAGE, Level.MAJOR_OUTAGE))
            spans.append((begin, begin + timedelta(minutes=rng.randrange(10, 300)), level))
        outages[f"svc{s}"] = spans
        past = tuple(
            Past(Incident(f"p{s}-{i}", f"Incident {i} of a provider", lv, started=a), a, b)
            for i, (a, b, lv) in enumerate(spans)
        )
        history.store_past(f"svc{s}", Record(past, None), START + timedelta(days=days))
    steps = days * 1440 // 5
    began = time.perf_counter()
    for n in range(steps):
        at = START + n * STEP
        for s in range(services):
            key = f"svc{s}"
            active = [(i, lv) for i, (a, b, lv) in enumerate(outages[key]) if a <= at < b]
            level = max((lv for _, lv in active), key=lambda lv: lv.rank, default=Level.OPERATIONAL)
            parts = tuple(
                Component(f"c{c}", f"Part {c}", level if c == 0 else Level.OPERATIONAL)
                for c in range(COMPONENTS)
            )
            incidents = tuple(Incident(f"p{s}-{i}", "Incident", lv, started=at) for i, lv in active)
            history.record(key, Snapshot(level, parts, incidents), at)
        if n % 12 == 0:  # hourly, as the app writes after every round
            history.commit()
    history.close()
    took = time.perf_counter() - began
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {"bytes": size, "seconds": took, "polls": steps * services}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--services", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = simulate(Path(folder) / "history.sqlite3", args.days, args.services)
    print(
        f"{args.days} days x {args.services} services ({COMPONENTS} parts each, "
        f"{result['polls']:.0f} polls): {result['bytes'] / 2**20:.2f} MiB "
        f"(written in {result['seconds']:.0f} s)"
    )


if __name__ == "__main__":
    main()
