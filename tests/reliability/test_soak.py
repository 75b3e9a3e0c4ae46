"""Soak: 5,000 poll cycles over 50 services with 20% random faults, on an accelerated clock.

Each page's true state changes now and then (see world.py). The run must announce exactly the
changes the monitor could confirm (none missed, none invented, none twice), raise no exception,
keep memory flat, and leave a history that tells the same story. One cycle is one pass of the
monitor's loop, one poll interval (60 s of fake time) apart.

Cycles: OUTAGE_RADAR_SOAK_CYCLES (default 5000; about 1.5 min here).
"""

from __future__ import annotations

import gc
import os
import random
import sqlite3
import time
import tracemalloc
from pathlib import Path

import httpx
import pytest

from outage_radar.core.history import History
from outage_radar.core.model import ChangeKind, Level
from tests.reliability.rig import Rig, traced_growth
from tests.reliability.world import FAULT_RATE, Episode, World, knowable

CYCLES = int(os.environ.get("OUTAGE_RADAR_SOAK_CYCLES", "5000"))
SERVICES = 50
HOLD = 60  # cycles a true state lasts at least
STEP = 60.0  # fake seconds per cycle: one poll interval

pytestmark = pytest.mark.timeout(900)


async def test_soak(tmp_path: Path, rigs: list[Rig]) -> None:
    world = World(random.Random(20261121), SERVICES, CYCLES, HOLD)
    history = History(tmp_path / "history.sqlite3")
    rig = Rig(
        {key: f"https://{key}.status.test/{key}" for key in world.episodes},
        transport=httpx.MockTransport(world.handle),
        history=history,
        max_body=1 << 20,
        seed=7,
    )
    rigs.append(rig)
    announced: dict[str, list[tuple[int, Level, Level]]] = {key: [] for key in world.episodes}
    alerted = dict.fromkeys(world.episodes, 0)
    started, growth = time.monotonic(), -1
    try:
        for cycle in range(1, CYCLES + 1):
            if cycle == CYCLES // 5:  # warmed up: pools, caches, the history's last levels
                gc.collect()
                tracemalloc.start()
                before = tracemalloc.take_snapshot()
            elif cycle == CYCLES * 2 // 5:  # a fifth of the run traced: anything kept shows
                gc.collect()
                growth = traced_growth(before, tracemalloc.take_snapshot())
                tracemalloc.stop()
            world.evolve()
            for change in await rig.round():  # an exception escaping here fails the test
                if change.kind is ChangeKind.LEVEL:
                    announced[change.service].append((cycle, change.old, change.new))
            for alert in rig.alerts:
                for key in alert.services:
                    alerted[key] += 1
            rig.changes.clear()  # the harness keeps nothing, so memory measures the app
            rig.alerts.clear()
            rig.clock.advance(STEP)
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    requests = rig.monitor.fetcher.requests
    print(
        f"soak: {CYCLES} cycles, {SERVICES} services, {requests} requests, {world.faults} "
        f"faults, {world.count} true changes, {sum(alerted.values())} alerted, "
        f"{elapsed:.1f} s, memory growth {growth / 1024:.0f} KiB"
    )
    assert world.faults > (FAULT_RATE - 0.02) * requests
    assert 0 <= growth < 1 << 20  # flat: the state is per service, never per poll

    lags: list[int] = []
    missed_unseen = 0
    for key, episodes in world.episodes.items():
        news = announced[key]
        # Exactly what could be confirmed (served fine twice in a row), in order, each once.
        expected = knowable(episodes, seen=lambda e, first=episodes[0]: e.twice or e is first)
        missed_unseen += len(episodes) - len(expected)
        assert [n for _, _, n in news] == [e.level for e in expected[1:]], _story(key, episodes)
        ends = [e.cycle for e in expected[2:]] + [CYCLES + 1]
        for (cycle, old, new), episode, end in zip(news, expected[1:], ends, strict=True):
            assert episode.cycle <= cycle < end, (key, cycle, episode)
            assert old is not new and Level.UNKNOWN not in (old, new)
            lags.append(cycle - episode.cycle)
        assert alerted[key] == len(news), key  # every change told once, nothing else told
        _check_history(history, key, episodes)
    lags.sort()
    print(
        f"soak: cycles from a true change to its alert: median {lags[len(lags) // 2]}, "
        f"p99 {lags[len(lags) * 99 // 100]}, max {lags[-1]}; {missed_unseen} changes never "
        "served twice in a row (hidden by faults), rightly not announced"
    )
    assert lags[len(lags) // 2] <= 2  # seen on the next poll, confirmed on the one after
    history.close()
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


def _story(key: str, episodes: list[Episode]) -> str:
    return f"{key}: " + ", ".join(
        f"{e.cycle}:{e.level.value}{'' if e.twice else '(unseen)'}" for e in episodes
    )


def _check_history(history: History, key: str, episodes: list[Episode]) -> None:
    """Saved samples: every confirmed state, in order, and only states the page really served."""
    rows = history.db.execute(
        "SELECT level FROM samples WHERE service=? AND component='' ORDER BY at", (key,)
    ).fetchall()
    levels = [lv for lv in (Level.parse(r[0]) for r in rows) if lv is not Level.UNKNOWN]
    runs = [lv for i, lv in enumerate(levels) if i == 0 or lv is not levels[i - 1]]
    # A state served once may be on screen (and saved) before it is confirmed, never invented.
    served = knowable(episodes, seen=lambda e: e.served > 0 or e is episodes[0])
    j, last = 0, None
    for episode in served:
        if j < len(runs) and runs[j] is episode.level:
            last, j = runs[j], j + 1
        else:
            assert episode.level is last or not episode.twice, _story(key, episodes)
    assert j == len(runs), (_story(key, episodes), runs)
    saved = history.last_level(key)
    assert saved is not None and saved[0] is runs[-1]
    open_ids = history.db.execute(
        "SELECT COUNT(*) FROM incidents WHERE service=? AND ended IS NULL", (key,)
    ).fetchone()[0]
    assert open_ids == (0 if runs[-1] is Level.OPERATIONAL else 1), key
