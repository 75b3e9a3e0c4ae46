"""Loopback status pages with a past: 90 days of incidents on each platform we backfill from.

Each `*_incidents` / `*_index` builder returns the body a platform serves for its record, shaped
like the real captures in ../shared/samples (field names, id shapes, newest first), and its
`*_facts` companion returns the same incidents, built from the same arguments, as ground truth:
when each started and ended, how bad it was page-wide and on the watched part, and whether it
touches that part at all. `serve_history` puts the four pages on a FakeServer and returns the
services watching them.

Every page mixes incidents on the watched part (SP_SCOPE, IO_SCOPE, GOOGLE_PRODUCT, BS_SCOPE),
on other parts only, and on both (the watched part hurt less than the page). The Statuspage one
also has one page-wide incident listing no component (its title names no part: out of scope),
one listing none whose title names Copilot (in scope by title), and one backdated impact-`none`
notice (never a colour). One incident (the fifth oldest) crosses midnight UTC. Each incident
lasts at least 80 minutes on every UTC day it touches (over 5 % of a day, so it colours each of
them), when `days / count` leaves room for that; with the defaults it always does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from outage_radar.core import sources
from outage_radar.core.catalog import Service
from outage_radar.core.model import Level
from tests import builders, openai_page
from tests.fakeserver import FakeServer

# The parts each page lists, and the one its service watches.
SP_PARTS = ("Copilot", "Actions", "Pages")
SP_SCOPE = "Copilot"
IO_SCOPE = "ChatGPT"  # a group of openai_page.GROUPS; incident.io incidents match it by title
GOOGLE_PRODUCT = "Z0FZJAMvEB4j3NbCJs6B"  # Gemini API on Vertex (PROVIDERS.md)
GOOGLE_TITLE = "Vertex Gemini API"
BS_PARTS = ("Inference API", "Hub", "Spaces")
BS_SCOPE = "Inference API"

MINUTE = timedelta(minutes=1)
OPEN_AGE = timedelta(minutes=40)  # how long the optional open incident has been going


@dataclass(frozen=True, slots=True)
class Fact:
    """One incident of a built page as the page tells it: what a backfill must show."""

    id: str
    title: str
    started: datetime  # what the record gives as its start (UTC)
    ended: datetime | None  # None: still open
    level: Level  # page-wide: its impact; OPERATIONAL for an impact-`none` notice
    parts: tuple[tuple[str, Level], ...]  # each part it lists, with the worst state given it
    in_scope: bool  # touches the watched part (by its parts, or by title when it lists none)
    scoped: Level  # what it paints on the watched service: its parts' worst, else `level`

    def days(self, tz: tzinfo = UTC, now: datetime | None = None) -> tuple[date, ...]:
        """The local days it covers (an open one until `now`, or its start alone)."""
        end = self.ended or now or self.started
        first = self.started.astimezone(tz).date()
        last = max((end - timedelta(microseconds=1)).astimezone(tz).date(), first)
        return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


def day_levels(
    facts: Sequence[Fact], tz: tzinfo = UTC, now: datetime | None = None
) -> dict[date, Level]:
    """The days the watched service's history must colour, each with its worst scoped level."""
    out: dict[date, Level] = {}
    for fact in facts:
        if not fact.in_scope or not fact.scoped.is_problem:
            continue
        for day in fact.days(tz, now):
            if day not in out or fact.scoped.rank > out[day].rank:
                out[day] = fact.scoped
    return out


# -- shared planning ------------------------------------------------------------------------------
def _spans(
    now: datetime, count: int, days: int, rng: random.Random
) -> Iterator[tuple[int, datetime, datetime]]:
    """(index, start, end) of `count` closed incidents over the `days` before now, oldest first."""
    slot = (timedelta(days=days) - timedelta(hours=8)) / max(count, 1)
    first = now.astimezone(UTC) - timedelta(days=days) + timedelta(hours=1)
    for i in range(count):
        start = first + slot * i + slot * (0.05 + 0.45 * rng.random())
        start = start.replace(microsecond=rng.randrange(1000) * 1000)
        length = min(timedelta(minutes=rng.randint(80, 360)), slot * 0.45)
        length = timedelta(seconds=int(length.total_seconds()))  # stamps carry no finer time
        if i == 4 and slot >= timedelta(days=1):  # one crosses midnight: 90 min on each day
            start = start.replace(hour=22, minute=30)
            length = timedelta(hours=3)
        else:  # any other that crosses it moves before it when a side would be short
            midnight = (start + length).replace(hour=0, minute=0, second=0, microsecond=0)
            if start < midnight and min(midnight - start, start + length - midnight) < 80 * MINUTE:
                start = midnight - length - 10 * MINUTE
        yield i, start, start + length


def _kind(i: int, count: int, cycle: Sequence[str], singles: Sequence[str] = ()) -> str:
    """Kinds cycle; each single sits once, spread over the list (when there are enough)."""
    spots = {(n + 1) * count // (len(singles) + 1): k for n, k in enumerate(singles)}
    if count > len(singles) * 2 and i in spots:
        return spots[i]
    return cycle[i % len(cycle)]


def _id(
    rng: random.Random, n: int = 12, alphabet: str = "0123456789abcdefghijklmnopqrstuvwxyz"
) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _worst(parts: Sequence[tuple[str, Level]], default: Level) -> Level:
    return max((lv for _, lv in parts), key=lambda lv: lv.rank, default=default)


def _scoped(parts: tuple[tuple[str, Level], ...], scope: str, level: Level) -> tuple[bool, Level]:
    mine = tuple(p for p in parts if p[0] == scope)
    return (True, _worst(mine, level)) if mine else (False, Level.OPERATIONAL)


def _iso(when: datetime) -> str:
    """Statuspage's stamp: milliseconds and Z."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, indent=1).encode()


# -- Atlassian Statuspage (githubstatus-like) -----------------------------------------------------
SP_PAGE = {
    "id": "kq8d2vrtw1mx",
    "name": "GitHub",
    "url": "https://www.githubstatus.example",
    "time_zone": "Etc/UTC",
}
SP_COMPONENT_IDS = {"Copilot": "cp4mxz81rkq2", "Actions": "ac7n0t2vhx9r", "Pages": "pg2k9m5wqs7d"}
_SP_STATUS = {
    Level.OPERATIONAL: "operational",
    Level.DEGRADED: "degraded_performance",
    Level.PARTIAL_OUTAGE: "partial_outage",
    Level.MAJOR_OUTAGE: "major_outage",
}
_SP_IMPACT = {
    Level.OPERATIONAL: "none",
    Level.DEGRADED: "minor",
    Level.PARTIAL_OUTAGE: "major",
    Level.MAJOR_OUTAGE: "critical",
}
_BAD = (Level.DEGRADED, Level.DEGRADED, Level.PARTIAL_OUTAGE, Level.MAJOR_OUTAGE)


@dataclass(frozen=True, slots=True)
class _SpIncident:
    fact: Fact
    created: datetime  # differs from the start only for the backdated notice
    resolved: datetime | None


def _sp_plan(
    now: datetime, count: int, days: int, seed: int, open_incident: bool
) -> list[_SpIncident]:
    rng = random.Random(seed)
    out = []
    singles = ("pagewide", "titled", "notice")
    for i, start, end in _spans(now, count, days, rng):
        kind = _kind(i, count, ("scoped", "other", "mixed", "other"), singles)
        level = rng.choice(_BAD)
        parts: tuple[tuple[str, Level], ...] = ()
        created, resolved = start, end
        if kind == "scoped":
            name = rng.choice(
                (
                    "Incident with Copilot",
                    "Copilot Chat is experiencing degraded performance",
                    "Disruption with Copilot code completions",
                )
            )
            parts = ((SP_SCOPE, level),)
        elif kind == "other":
            part = rng.choice(SP_PARTS[1:])
            name = f"Incident with {part}"
            parts = ((part, level),)
        elif kind == "mixed":  # Copilot only slowed while Actions went down
            name = "Disruption with some GitHub services"
            level = rng.choice((Level.PARTIAL_OUTAGE, Level.MAJOR_OUTAGE))
            parts = ((SP_SCOPE, Level.DEGRADED), ("Actions", level))
        elif kind == "pagewide":
            name, level = "Some SSH connections are failing", Level.PARTIAL_OUTAGE
        elif kind == "titled":
            name, level = "Disruption with Copilot next edit suggestions", Level.DEGRADED
        else:  # a notice posted later and backdated: created and resolved before started_at
            name, level = "Incident With Webhooks", Level.OPERATIONAL
            created = resolved = start - timedelta(hours=5)
            end = start  # the record clamps the end to its start
        in_scope, scoped = _scoped(parts, SP_SCOPE, level)
        if kind == "titled":
            in_scope, scoped = True, level
        fact = Fact(_id(rng), name, start, end, level, parts, in_scope, scoped)
        out.append(_SpIncident(fact, created, resolved))
    if open_incident:  # the same whatever `count` and `days`: the summary lists it too
        start = now.astimezone(UTC) - OPEN_AGE
        start = start.replace(microsecond=start.microsecond // 1000 * 1000)
        parts = ((SP_SCOPE, Level.PARTIAL_OUTAGE),)
        name = "Copilot is unavailable for some users"
        iid = _id(random.Random(f"open {seed}"))
        fact = Fact(iid, name, start, None, Level.PARTIAL_OUTAGE, parts, True, parts[0][1])
        out.append(_SpIncident(fact, start, None))
    return out[::-1]


def _sp_component(name: str, status: str, updated: datetime) -> dict[str, Any]:
    return {
        "id": SP_COMPONENT_IDS[name],
        "name": name,
        "status": status,
        "created_at": "2019-06-11T16:41:12.315Z",
        "updated_at": _iso(updated),
        "position": SP_PARTS.index(name) + 1,
        "description": None,
        "showcase": True,
        "start_date": None,
        "group_id": None,
        "page_id": SP_PAGE["id"],
        "group": False,
        "only_show_if_degraded": False,
    }


def _sp_update(
    rng: random.Random,
    iid: str,
    status: str,
    body: str,
    at: datetime,
    moves: Sequence[tuple[str, Level, Level]],
    display: datetime | None = None,
) -> dict[str, Any]:
    affected = [
        {
            "code": SP_COMPONENT_IDS[n],
            "name": n,
            "old_status": _SP_STATUS[a],
            "new_status": _SP_STATUS[b],
        }
        for n, a, b in moves
    ]
    return {
        "id": _id(rng),
        "status": status,
        "body": body,
        "incident_id": iid,
        "created_at": _iso(at),
        "updated_at": _iso(at),
        "display_at": _iso(display or at),
        "affected_components": affected or None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _sp_incident(inc: _SpIncident) -> dict[str, Any]:
    fact = inc.fact
    rng = random.Random(fact.id)  # its update ids are the same in the summary and the list
    first = [(n, min(lv, Level.PARTIAL_OUTAGE, key=lambda x: x.rank)) for n, lv in fact.parts]
    names = ", ".join(n for n, _ in fact.parts) or "some GitHub services"
    mid = fact.started + (((fact.ended or fact.started + OPEN_AGE) - fact.started) * 0.4)
    updates = []
    if fact.level is Level.OPERATIONAL:  # the notice: one update, shown at its backdated time
        text = "This incident has been resolved."
        updates.append(_sp_update(rng, fact.id, "resolved", text, fact.started, (), inc.created))
    else:
        if inc.resolved is not None:
            done = [(n, lv, Level.OPERATIONAL) for n, lv in fact.parts]
            text = "This incident has been resolved. Thank you for your patience."
            updates.append(_sp_update(rng, fact.id, "resolved", text, inc.resolved, done))
        moves = [(n, a, b) for (n, a), (_, b) in zip(first, fact.parts, strict=True)]
        text = "We are continuing to investigate and have identified a mitigation."
        updates.append(_sp_update(rng, fact.id, "investigating", text, mid, moves))
        start = [(n, Level.OPERATIONAL, lv) for n, lv in first]
        text = f"We are investigating reports of degraded performance for {names}"
        updates.append(_sp_update(rng, fact.id, "investigating", text, fact.started, start))
    last = inc.resolved or mid
    now_status = _SP_STATUS[Level.OPERATIONAL] if fact.ended else None
    comps = [_sp_component(n, now_status or _SP_STATUS[lv], last) for n, lv in fact.parts]
    return {
        "id": fact.id,
        "name": fact.title,
        "status": "resolved" if inc.resolved is not None else "investigating",
        "created_at": _iso(inc.created),
        "updated_at": _iso(max(last, fact.started)),
        "monitoring_at": None,
        "resolved_at": _iso(inc.resolved) if inc.resolved is not None else None,
        "impact": _SP_IMPACT[fact.level],
        "shortlink": f"https://stspg.io/{_id(rng)}",
        "started_at": _iso(fact.started),
        "page_id": SP_PAGE["id"],
        "incident_updates": updates,
        "components": comps,
        "reminder_intervals": None,
    }


def _sp_page(now: datetime, url: str) -> dict[str, Any]:
    return {**SP_PAGE, "url": url or SP_PAGE["url"], "updated_at": _iso(now)}


def statuspage_facts(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 1, open_incident: bool = False
) -> tuple[Fact, ...]:
    """The incidents of `statuspage_incidents` with the same arguments, newest first."""
    return tuple(inc.fact for inc in _sp_plan(now, count, days, seed, open_incident))


def statuspage_incidents(
    now: datetime,
    *,
    count: int = 25,
    days: int = 90,
    seed: int = 1,
    open_incident: bool = False,
    url: str = "",
) -> bytes:
    """`/api/v2/incidents.json` of a GitHub-like page (SP_PARTS), newest first.

    `count` resolved incidents over the `days` before `now`, and with `open_incident` one more,
    on Copilot, started OPEN_AGE ago. The real endpoint lists at most 50."""
    plan = _sp_plan(now, count, days, seed, open_incident)
    return _dump({"page": _sp_page(now, url), "incidents": [_sp_incident(i) for i in plan]})


def statuspage_summary(
    now: datetime, *, seed: int = 1, open_incident: bool = False, url: str = ""
) -> bytes:
    """The same page's `/api/v2/summary.json`: its parts, and its open incident when asked."""
    current = _sp_plan(now, 0, 90, seed, open_incident)
    incidents = [_sp_incident(inc) for inc in current]
    hurt = {c["name"]: c["status"] for i in incidents for c in i["components"]}
    level = _worst([("", inc.fact.level) for inc in current], Level.OPERATIONAL)
    words = "All Systems Operational" if level is Level.OPERATIONAL else "Partial System Outage"
    return _dump(
        {
            "page": _sp_page(now, url),
            "status": {"indicator": _SP_IMPACT[level], "description": words},
            "components": [_sp_component(n, hurt.get(n, "operational"), now) for n in SP_PARTS],
            "incidents": incidents,
            "scheduled_maintenances": [],
        }
    )


# -- incident.io (status.openai.com-like, Statuspage-compatible incidents.json) -------------------
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_IO_TITLES = {
    "in": (
        "Elevated error rates for ChatGPT",
        "ChatGPT conversations failing for some users",
        "Degraded performance in ChatGPT voice mode",
        "Increased latency for ChatGPT file uploads",
    ),
    "out": (
        "Sora video generation delayed",
        "Increased latency for the Responses API",
        "Elevated errors on the Chat Completions API",
        "Codex Web tasks failing to start",
        "Fine-tuning jobs delayed",
    ),
}


def _ulid(rng: random.Random, when: datetime) -> str:
    """A ULID: 48 bits of milliseconds, then 80 random bits, in Crockford's base 32."""
    ms = int(when.timestamp() * 1000)
    stamp = "".join(_CROCKFORD[(ms >> (5 * n)) & 31] for n in range(9, -1, -1))
    return stamp + "".join(rng.choice(_CROCKFORD) for _ in range(16))


def _io_stamp(when: datetime) -> str:
    """incident.io's stamp: seconds and Z."""
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _g_stamp(when: datetime) -> str:
    """Google's stamp: seconds and +00:00."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


def incidentio_facts(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 2
) -> tuple[Fact, ...]:
    """The incidents of `incidentio_incidents` with the same arguments, newest first.

    They list no parts: each is in scope when its title names ChatGPT (IO_SCOPE)."""
    rng = random.Random(seed)
    out = []
    for i, start, end in _spans(now, count, days, rng):
        kind = _kind(i, count, ("in", "out", "out"))
        name = rng.choice(_IO_TITLES[kind])
        level = rng.choice(_BAD)
        start = start.replace(microsecond=0)
        end = end.replace(microsecond=0)
        iid = _ulid(rng, start)
        scoped = level if kind == "in" else Level.OPERATIONAL
        out.append(Fact(iid, name, start, end, level, (), kind == "in", scoped))
    return tuple(out[::-1])


def incidentio_incidents(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 2, url: str = ""
) -> bytes:
    """incident.io's compat `/api/v2/incidents.json` (OpenAI-like), newest first.

    ULID ids, `shortlink: null`, no `components` and no `started_at` on incidents, updates with
    body, status and display_at only. The current state of the page is openai_page's."""
    incidents = []
    for fact in incidentio_facts(now, count=count, days=days, seed=seed):
        assert fact.ended is not None
        mid = fact.started + (fact.ended - fact.started) / 3
        updates = [
            ("resolved", fact.ended, "All impacted services have now fully recovered."),
            ("monitoring", mid, "A fix has been implemented and we are monitoring the results."),
            ("investigating", fact.started, f"We are investigating: {fact.title}."),
        ]
        incidents.append(
            {
                "id": fact.id,
                "name": fact.title,
                "status": "resolved",
                "impact": _SP_IMPACT[fact.level],
                "shortlink": None,
                "created_at": _io_stamp(fact.started),
                "updated_at": _io_stamp(fact.ended),
                "resolved_at": _io_stamp(fact.ended),
                "incident_updates": [
                    {"body": body, "status": status, "display_at": _io_stamp(at)}
                    for status, at, body in updates
                ],
            }
        )
    page = {
        "id": openai_page.PAGE_ID,
        "name": "OpenAI",
        "url": url or "https://status.openai.com/",
        "updated_at": _io_stamp(now),
    }
    return _dump({"page": page, "incidents": incidents})


# -- Google Cloud (status.cloud.google.com incidents.json) ----------------------------------------
GOOGLE_OTHERS = (
    ("Cloud Run", "9D7d2iNBQWN24zc1VamE"),
    ("Google Compute Engine", "L3MkQ8rJb5cAXmAPl2Fx"),
    ("Cloud Storage", "UwaYoXQ5bHYHG6EdiPB8"),
)
_GOOGLE_IMPACT = {
    Level.DEGRADED: ("SERVICE_INFORMATION", "low"),
    Level.PARTIAL_OUTAGE: ("SERVICE_DISRUPTION", "medium"),
    Level.MAJOR_OUTAGE: ("SERVICE_OUTAGE", "high"),
}
_GOOGLE_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_LOCATIONS = (
    ("Iowa (us-central1)", "us-central1"),
    ("Belgium (europe-west1)", "europe-west1"),
    ("Tokyo (asia-northeast1)", "asia-northeast1"),
    ("Global", "global"),
)


def google_facts(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 3, open_incident: bool = False
) -> tuple[Fact, ...]:
    """The incidents of `google_incidents` with the same arguments, newest first.

    Their parts are the affected products' titles; in scope when one is GOOGLE_PRODUCT."""
    rng = random.Random(seed)
    out = []
    spans = list(_spans(now, count, days, rng))
    if open_incident:
        start = (now.astimezone(UTC) - OPEN_AGE).replace(microsecond=0)
        spans.append((count, start, start))
    for i, start, end in spans:
        kind = "watched" if i == count else _kind(i, count, ("watched", "other", "both", "other"))
        level = rng.choice(_BAD)
        other = rng.choice(GOOGLE_OTHERS)[0]
        names = {"watched": (GOOGLE_TITLE,), "other": (other,), "both": (GOOGLE_TITLE, other)}
        parts = tuple((n, level) for n in names[kind])
        title = {
            "watched": f"Elevated error rates for {GOOGLE_TITLE} requests",
            "other": f"{other} experienced elevated latency",
            "both": f"Multiple products impacted in {rng.choice(_LOCATIONS)[1]}",
        }[kind]
        in_scope = kind != "other"
        ended = None if i == count else end.replace(microsecond=0)
        iid = _id(rng, 20, _GOOGLE_ALNUM)
        scoped = level if in_scope else Level.OPERATIONAL
        out.append(
            Fact(iid, title, start.replace(microsecond=0), ended, level, parts, in_scope, scoped)
        )
    return tuple(out[::-1])


def google_incidents(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 3, open_incident: bool = False
) -> bytes:
    """Google Cloud's `incidents.json`, newest first: the record and the polled body at once.

    With `open_incident`, one on GOOGLE_PRODUCT without an `end`, begun OPEN_AGE ago."""
    rng = random.Random(seed + 1)
    ids = dict((t, i) for t, i in (*GOOGLE_OTHERS, (GOOGLE_TITLE, GOOGLE_PRODUCT)))
    out = []
    for fact in google_facts(now, count=count, days=days, seed=seed, open_incident=open_incident):
        impact, severity = _GOOGLE_IMPACT[fact.level]
        products = [{"title": n, "id": ids[n]} for n, _ in fact.parts]
        where = [{"title": t, "id": i} for t, i in rng.sample(_LOCATIONS, 2)]
        last = fact.ended or fact.started + OPEN_AGE / 2
        text = (
            f"We experienced an issue with {products[0]['title']}. The issue has been resolved "
            "for all affected users."
            if fact.ended
            else f"We are investigating an issue with {products[0]['title']}."
        )
        item: dict[str, Any] = {
            "id": fact.id,
            "number": str(rng.randrange(10**19, 10**20)),
            "begin": _g_stamp(fact.started),
            "created": _g_stamp(fact.started + 4 * MINUTE),
            "end": _g_stamp(fact.ended) if fact.ended else None,
            "modified": _g_stamp(last + 3 * MINUTE),
            "external_desc": fact.title,
            "most_recent_update": {
                "created": _g_stamp(last),
                "modified": _g_stamp(last),
                "when": _g_stamp(last),
                "text": text,
                "status": "AVAILABLE" if fact.ended else impact,
                "affected_locations": where,
            },
            "status_impact": impact,
            "severity": severity,
            "service_key": products[0]["id"],
            "service_name": products[0]["title"],
            "affected_products": products,
            "uri": f"incidents/{fact.id}",
            "currently_affected_locations": [] if fact.ended else where,
            "previously_affected_locations": where if fact.ended else [],
        }
        if fact.ended is None:
            del item["end"]  # an open incident has no `end` at all
        out.append(item)
    return _dump(out)


# -- Better Stack (index.json, JSON:API) ----------------------------------------------------------
BS_PAGE_ID = "133002"
BS_SECTIONS = {"Inference": 104771, "Platform": 104772}
BS_RESOURCES = {  # name: (id, section)
    "Inference API": ("4018902", "Inference"),
    "Hub": ("4018903", "Platform"),
    "Spaces": ("4188758", "Platform"),
}
_BS_STATE = {Level.DEGRADED: "degraded", Level.MAJOR_OUTAGE: "downtime"}
_BS_BAD = (Level.DEGRADED, Level.DEGRADED, Level.MAJOR_OUTAGE)


def betterstack_facts(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 4, open_incident: bool = False
) -> tuple[Fact, ...]:
    """The incident reports of `betterstack_index` with the same arguments, newest first.

    Better Stack has only two bad states: degraded and downtime (MAJOR_OUTAGE)."""
    rng = random.Random(seed)
    out = []
    for i, start, end in _spans(now, count, days, rng):
        kind = _kind(i, count, ("scoped", "other", "mixed", "other"))
        level = rng.choice(_BS_BAD)
        other = rng.choice(BS_PARTS[1:])
        parts: tuple[tuple[str, Level], ...] = {
            "scoped": ((BS_SCOPE, level),),
            "other": ((other, level),),
            "mixed": ((BS_SCOPE, Level.DEGRADED), (other, Level.MAJOR_OUTAGE)),
        }[kind]
        title = {
            "scoped": "Elevated error rates on the Inference API",
            "other": f"{other} is slow to load",
            "mixed": f"{other} unavailable, Inference API degraded",
        }[kind]
        level = _worst(parts, level)
        in_scope, scoped = _scoped(parts, BS_SCOPE, level)
        start, end = start.replace(microsecond=0), end.replace(microsecond=0)
        iid = str(1050000 + i * 7 + rng.randrange(7))
        out.append(Fact(iid, title, start, end, level, parts, in_scope, scoped))
    if open_incident:
        start = (now.astimezone(UTC) - OPEN_AGE).replace(microsecond=0)
        parts = ((BS_SCOPE, Level.MAJOR_OUTAGE),)
        title = "Inference API is down"
        out.append(
            Fact("1059999", title, start, None, Level.MAJOR_OUTAGE, parts, True, parts[0][1])
        )
    return tuple(out[::-1])


def betterstack_maintenance(now: datetime, *, days: int = 90) -> tuple[datetime, datetime]:
    """The completed maintenance on the Inference API that `betterstack_index` lists: planned
    work, not an incident (the record skips it), marked `maintenance` in its day's history."""
    day = (now.astimezone(UTC) - timedelta(days=days // 3)).date()
    start = datetime(day.year, day.month, day.day, 3, tzinfo=UTC)
    return start, start + timedelta(hours=2)


_Step = tuple[datetime, str, dict[str, str]]  # (published_at, message, status by resource id)


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> float:
    return max((min(b, d) - max(a, c)).total_seconds(), 0.0)


def _bs_history(
    name: str, facts: Sequence[Fact], window: tuple[datetime, datetime], now: datetime, days: int
) -> list[dict[str, Any]]:
    """One entry per UTC day, oldest first, the last being today."""
    now = now.astimezone(UTC)
    today = now.date()
    out = []
    for n in range(days - 1, -1, -1):
        day = today - timedelta(days=n)
        lo = datetime(day.year, day.month, day.day, tzinfo=UTC)
        hi = min(lo + timedelta(days=1), now)
        down, level = 0.0, Level.OPERATIONAL
        for fact in facts:
            for part, lv in fact.parts:
                seconds = _overlap(fact.started, fact.ended or now, lo, hi)
                if part == name and seconds:
                    down += seconds
                    level = max(level, lv, key=lambda x: x.rank)
        planned = _overlap(*window, lo, hi) if name == BS_SCOPE else 0.0
        status = _BS_STATE.get(level) or ("maintenance" if planned else "operational")
        out.append(
            {
                "day": day.isoformat(),
                "status": status,
                "downtime_duration": int(min(down, 86400)),
                "maintenance_duration": int(planned),
            }
        )
    return out


def betterstack_index(
    now: datetime, *, count: int = 25, days: int = 90, seed: int = 4, open_incident: bool = False
) -> bytes:
    """A Better Stack `index.json`: the polled body and the record at once.

    Three resources (BS_PARTS) with `status_history` for the last `days` UTC days, the incident
    reports of `betterstack_facts` (every other resolved one with `ends_at: null`, as real pages
    leave it, closed by its last update) and one completed maintenance report."""
    facts = betterstack_facts(now, count=count, days=days, seed=seed, open_incident=open_incident)
    window = betterstack_maintenance(now, days=days)
    included: list[dict[str, Any]] = [
        {"type": "status_page_section", "id": str(sid), "attributes": {"name": n, "position": p}}
        for p, (n, sid) in enumerate(BS_SECTIONS.items())
    ]
    live = {n: lv for f in facts if f.ended is None for n, lv in f.parts}
    for name, (rid, section) in BS_RESOURCES.items():
        history = _bs_history(name, facts, window, now, days)
        lost = sum(h["downtime_duration"] for h in history)
        attributes = {
            "public_name": name,
            "status": _BS_STATE.get(live.get(name, Level.OPERATIONAL), "operational"),
            "status_page_section_id": BS_SECTIONS[section],
            "availability": round(1 - lost / (days * 86400), 6),
            "status_history": history,
        }
        included.append({"type": "status_page_resource", "id": rid, "attributes": attributes})
    reports: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []

    def report(rid: str, attrs: dict[str, Any], steps: Sequence[_Step]) -> None:
        links = []
        for at, message, statuses in steps:
            uid = str(5709000 + len(updates))
            affected = [{"status_page_resource_id": r, "status": st} for r, st in statuses.items()]
            body = {"message": message, "published_at": _iso(at), "affected_resources": affected}
            updates.append({"type": "status_update", "id": uid, "attributes": body})
            links.append({"id": uid, "type": "status_update"})
        relationships = {"status_updates": {"data": links}}
        reports.append(
            {
                "type": "status_report",
                "id": rid,
                "attributes": attrs,
                "relationships": relationships,
            }
        )

    for n, fact in enumerate(facts):
        state = "resolved" if fact.ended else _BS_STATE[fact.level]
        ids = [(BS_RESOURCES[p][0], lv) for p, lv in fact.parts]
        attrs = {
            "title": fact.title,
            "report_type": "manual",
            "starts_at": _iso(fact.started),
            # Real pages often leave `ends_at` null on resolved reports: the last update ends them.
            "ends_at": _iso(fact.ended) if fact.ended and n % 2 else None,
            "aggregate_state": state,
            "affected_resources": [{"status_page_resource_id": r, "status": state} for r, _ in ids],
        }
        first = {r: "degraded" for r, _ in ids}
        bad = {r: _BS_STATE[lv] for r, lv in ids}
        steps: list[_Step] = [(fact.started, "We are investigating the issue.", first)]
        if fact.ended is None:
            steps.append((fact.started + OPEN_AGE / 2, "We have found the cause.", bad))
        else:
            mid = fact.started + (fact.ended - fact.started) / 2
            done = {r: "resolved" for r, _ in ids}
            steps += [(mid, "We have found the cause.", bad), (fact.ended, "Resolved.", done)]
        report(fact.id, attrs, steps[::-1])  # the newest update first, as the page lists them
    start, end = window
    maintenance = {
        "title": "Scheduled database maintenance",
        "report_type": "maintenance",
        "starts_at": _iso(start),
        "ends_at": _iso(end),
        "aggregate_state": "resolved",
        "affected_resources": [
            {"status_page_resource_id": BS_RESOURCES[BS_SCOPE][0], "status": "resolved"}
        ],
    }
    scope_id = BS_RESOURCES[BS_SCOPE][0]
    steps = [
        (end, "Maintenance completed.", {scope_id: "resolved"}),
        (start, "Maintenance started.", {scope_id: "maintenance"}),
    ]
    report("1049999", maintenance, steps)
    worst = _worst([p for f in facts if f.ended is None for p in f.parts], Level.OPERATIONAL)
    page = {
        "id": BS_PAGE_ID,
        "type": "status_page",
        "attributes": {
            "company_name": "Example AI",
            "aggregate_state": _BS_STATE.get(worst, "operational"),
            "announcement": None,
            "timezone": "UTC",
        },
    }
    return _dump({"data": page, "included": included + reports + updates})


# -- all four on a fake server --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Served:
    """One page on the server: the service watching part of it, its past, where its record is."""

    service: Service
    facts: tuple[Fact, ...]
    record_url: str  # what backfill.history_url(service) must give


@dataclass(frozen=True, slots=True)
class HistoryPages:
    statuspage: Served  # /sp: GitHub-like, the service watches Copilot
    incidentio: Served  # /io (+ /proxy/<host>/io): OpenAI-like, watches the ChatGPT group
    google: Served  # /google/incidents.json: watches GOOGLE_PRODUCT
    betterstack: Served  # /bs/index.json: watches the Inference API

    @property
    def all(self) -> tuple[Served, ...]:
        return (self.statuspage, self.incidentio, self.google, self.betterstack)

    @property
    def services(self) -> tuple[Service, ...]:
        return tuple(s.service for s in self.all)


def _service(sid: str, name: str, url: str, platform: str, components: tuple[str, ...]) -> Service:
    return builders.service(
        sid,
        name,
        url=url,
        platform=platform,
        endpoints=sources.endpoints(platform, url),
        components=components,
        user=True,
    )


def serve_history(
    server: FakeServer,
    now: datetime,
    *,
    count: int = 25,
    days: int = 90,
    open_incident: bool = False,
) -> HistoryPages:
    """Put a page with a past on `server` for each platform we backfill from.

    Statuspage: `/sp/api/v2/summary.json` and `/sp/api/v2/incidents.json`. incident.io:
    `/proxy/<host>/io` and `/io/api/v2/summary.json` (openai_page's, no ongoing incident), and
    `/io/api/v2/incidents.json`. Google: `/google/incidents.json`. Better Stack:
    `/bs/index.json`. `open_incident` adds one on the watched part to every page but incident.io's.
    """
    host = server.base.split("//", 1)[1]
    sp_url, io_url = server.url("/sp"), server.url("/io")
    kw: dict[str, Any] = {"count": count, "days": days}
    opened = {**kw, "open_incident": open_incident}
    summary = statuspage_summary(now, url=sp_url, open_incident=open_incident)
    server.set("/sp/api/v2/summary.json", summary)
    sp_record = server.set(
        "/sp/api/v2/incidents.json", statuspage_incidents(now, url=sp_url, **opened)
    )
    server.set(f"/proxy/{host}/io", openai_page.proxy(incident=False, host=f"{host}/io"))
    server.set("/io/api/v2/summary.json", openai_page.compat(incident=False))
    io_record = server.set("/io/api/v2/incidents.json", incidentio_incidents(now, url=io_url, **kw))
    google_url = server.set("/google/incidents.json", google_incidents(now, **opened))
    bs_url = server.set("/bs/index.json", betterstack_index(now, **opened))
    google = replace(
        _service("gemini-vertex", "Gemini API on Vertex", google_url, "google", ()),
        product=GOOGLE_PRODUCT,
    )
    return HistoryPages(
        statuspage=Served(
            _service("copilot", "GitHub Copilot", sp_url, "statuspage", (SP_SCOPE,)),
            statuspage_facts(now, **opened),
            sp_record,
        ),
        incidentio=Served(
            _service("chatgpt", "ChatGPT", io_url, "incidentio", (IO_SCOPE,)),
            incidentio_facts(now, **kw),
            io_record,
        ),
        google=Served(google, google_facts(now, **opened), google_url),
        betterstack=Served(
            _service(
                "hf-inference", "Inference API", server.url("/bs"), "betterstack", (BS_SCOPE,)
            ),
            betterstack_facts(now, **opened),
            bs_url,
        ),
    )
