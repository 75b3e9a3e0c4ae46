"""The soak's world: 50 status pages whose true state changes now and then, served with faults.

The world serves each page through an httpx.MockTransport, so 200,000 requests fit in CI time.
One request in five fails at random with one of a dozen faults; the HTTP faults themselves are
covered against a real socket in test_faults_monitor.py. The world also records what the monitor
could know: an episode (one true state) can be confirmed only if it was served fine twice in a
row, and can appear in the history only if it was served fine at least once.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from outage_radar.core.model import Level
from tests import payloads

STATUS = {
    Level.OPERATIONAL: "operational",
    Level.DEGRADED: "degraded_performance",
    Level.PARTIAL_OUTAGE: "partial_outage",
    Level.MAJOR_OUTAGE: "major_outage",
}
BOMB = gzip.compress(b"0" * (2 << 20))  # over the soak's 1 MiB body cap


def _response(
    status: int, *, headers: dict[str, str] | None = None, content: bytes = b""
) -> httpx.Response:
    # A stream, as from a socket: the fetcher reads raw bytes under its own caps.
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(content))


def _raise(kind: type[httpx.TransportError], text: str) -> Callable[[httpx.Request], None]:
    def fail(request: httpx.Request) -> None:
        raise kind(text, request=request)

    return fail


FAULTS: list[Callable[[httpx.Request], httpx.Response | None]] = [
    _raise(httpx.ReadTimeout, "timed out"),
    _raise(httpx.ConnectError, "[Errno 111] Connection refused"),
    _raise(httpx.RemoteProtocolError, "peer closed connection"),
    lambda r: _response(500, content=b"oops"),
    lambda r: _response(503, headers={"Retry-After": "30"}, content=b"busy"),
    lambda r: _response(429, headers={"Retry-After": "90"}, content=b"slow down"),
    lambda r: _response(200, content=b"<!doctype html><p>Loading"),
    lambda r: _response(200, content=b'{"status": {"indicator": "no'),
    lambda r: _response(200, content=b"[1, 2]"),
    lambda r: _response(200, content=b""),
    lambda r: _response(200, headers={"Content-Encoding": "gzip"}, content=BOMB),
    lambda r: _response(302, headers={"Location": "file:///etc/passwd"}),
]


@dataclass
class Episode:
    """One true state of one page: from `cycle` until the next episode."""

    cycle: int
    level: Level
    served: int = 0  # good answers served during it
    twice: bool = False  # served fine twice in a row: the monitor must confirm it


class World:
    def __init__(self, rng: random.Random, services: int, cycles: int, hold: int) -> None:
        self.rng = rng
        self.cycles, self.hold = cycles, hold
        self.cycle = 0
        self.episodes = {f"s{i}": [Episode(0, Level.OPERATIONAL)] for i in range(services)}
        self.streak = dict.fromkeys(self.episodes, 0)
        self.count = 0
        self.bodies = {key: self._body(key) for key in self.episodes}
        self.faults = 0

    def truth(self, key: str) -> Level:
        return self.episodes[key][-1].level

    def _body(self, key: str) -> tuple[bytes, str]:
        level = self.truth(key)
        incident = None if level is Level.OPERATIONAL else f"{key} trouble {self.count}"
        body = payloads.summary(
            STATUS[level], name=key, incident=incident, incident_id=f"i{self.count}"
        )
        return body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    def evolve(self) -> None:
        """Start a new cycle; now and then a page changes (never in the last `hold` cycles)."""
        self.cycle += 1
        if self.cycle > self.cycles - self.hold:
            return
        for key, episodes in self.episodes.items():
            level = episodes[-1].level
            if self.cycle - episodes[-1].cycle < self.hold or self.rng.random() > 0.01:
                continue
            if level is Level.OPERATIONAL or self.rng.random() < 0.2:
                new = self.rng.choice([lv for lv in STATUS if lv not in (level, Level.OPERATIONAL)])
            else:
                new = Level.OPERATIONAL
            self.count += 1
            episodes.append(Episode(self.cycle, new))
            self.streak[key] = 0
            self.bodies[key] = self._body(key)

    def handle(self, request: httpx.Request) -> httpx.Response:
        key = request.url.path.strip("/")
        if key not in self.episodes:  # e.g. the backfill's incidents.json: no record here
            return _response(404, content=b"<html>not found</html>")
        if self.rng.random() < FAULT_RATE:
            self.faults += 1
            self.streak[key] = 0
            response = self.rng.choice(FAULTS)(request)
            assert response is not None
            return response
        episode = self.episodes[key][-1]
        episode.served += 1
        self.streak[key] += 1
        episode.twice = episode.twice or self.streak[key] >= 2
        body, tag = self.bodies[key]
        if request.headers.get("if-none-match") == tag:
            return _response(304, headers={"ETag": tag})
        return _response(200, headers={"ETag": tag}, content=body)


FAULT_RATE = 0.2


def knowable(episodes: list[Episode], *, seen: Callable[[Episode], bool]) -> list[Episode]:
    """The episodes that pass `seen`, with neighbours of the same level merged into one."""
    out: list[Episode] = []
    for episode in episodes:
        if not seen(episode):
            continue
        if out and out[-1].level is episode.level:
            merged = Episode(out[-1].cycle, episode.level, out[-1].served + episode.served)
            merged.twice = out[-1].twice or episode.twice
            out[-1] = merged
        else:
            out.append(episode)
    return out
