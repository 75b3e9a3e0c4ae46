"""changes.diff as a table: what differs between two confirmed snapshots of one service."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from outage_radar.core.changes import diff, signature
from outage_radar.core.model import ChangeKind, Component, Incident, Level, Maintenance, Snapshot
from tests.builders import NOW

L, K = Level, ChangeKind
SINCE = NOW - timedelta(minutes=30)
LOGIN = Incident("a", "Login errors", L.MAJOR_OUTAGE, started=SINCE)
SLOW = Incident("b", "Slow API", L.DEGRADED, started=SINCE, latest_update="Investigating.")
UPGRADE = Maintenance("m", "Database upgrade", active=True, starts=SINCE)


def parts(*levels: Level) -> tuple[Component, ...]:
    return tuple(
        Component(f"c{i}", name, lv)
        for i, (name, lv) in enumerate(zip(("API", "Web"), levels, strict=False))
    )


def snap(level: Level, **kw: object) -> Snapshot:
    return Snapshot(level, **kw)  # type: ignore[arg-type]


# (what happens, old, new, [(kind, old level, new level, subject, since)])
CASES = [
    ("nothing", snap(L.OPERATIONAL), snap(L.OPERATIONAL), []),
    (
        "an outage brings its worst incident along",
        snap(L.OPERATIONAL),
        snap(L.MAJOR_OUTAGE, incidents=(SLOW, LOGIN)),
        [
            (K.LEVEL, L.OPERATIONAL, L.MAJOR_OUTAGE, "a", SINCE),
            (K.INCIDENT_OPENED, L.OPERATIONAL, L.MAJOR_OUTAGE, "b", None),
        ],
    ),
    (
        "a recovery takes the old worst incident (no separate 'resolved')",
        snap(L.MAJOR_OUTAGE, incidents=(LOGIN,)),
        snap(L.OPERATIONAL),
        [(K.LEVEL, L.MAJOR_OUTAGE, L.OPERATIONAL, "a", SINCE)],
    ),
    (
        "a new incident at the same level",
        snap(L.DEGRADED),
        snap(L.DEGRADED, incidents=(SLOW,)),
        [(K.INCIDENT_OPENED, L.DEGRADED, L.DEGRADED, "b", None)],
    ),
    (
        "an incident's new update",
        snap(L.DEGRADED, incidents=(SLOW,)),
        snap(L.DEGRADED, incidents=(replace(SLOW, latest_update="A fix is rolling out."),)),
        [(K.INCIDENT_UPDATED, L.DEGRADED, L.DEGRADED, "b", None)],
    ),
    (
        "an incident's new stage",
        snap(L.DEGRADED, incidents=(SLOW,)),
        snap(L.DEGRADED, incidents=(replace(SLOW, stage="monitoring"),)),
        [(K.INCIDENT_UPDATED, L.DEGRADED, L.DEGRADED, "b", None)],
    ),
    (
        "an incident read again unchanged",
        snap(L.DEGRADED, incidents=(SLOW,)),
        snap(L.DEGRADED, incidents=(replace(SLOW, title="Renamed"),)),
        [],
    ),
    (
        "an incident resolved while the level stays",
        snap(L.DEGRADED, incidents=(SLOW,)),
        snap(L.DEGRADED),
        [(K.INCIDENT_RESOLVED, L.DEGRADED, L.DEGRADED, "b", SINCE)],
    ),
    (
        "a component changes (with its own levels)",
        snap(L.OPERATIONAL, components=parts(L.OPERATIONAL, L.OPERATIONAL)),
        snap(L.OPERATIONAL, components=parts(L.OPERATIONAL, L.DEGRADED)),
        [(K.COMPONENT, L.OPERATIONAL, L.DEGRADED, "Web", None)],
    ),
    (
        "a component that appears is no change",
        snap(L.OPERATIONAL, components=parts(L.OPERATIONAL)),
        snap(L.OPERATIONAL, components=parts(L.OPERATIONAL, L.DEGRADED)),
        [],
    ),
    (
        "a maintenance starts",
        snap(L.OPERATIONAL),
        snap(L.MAINTENANCE, maintenances=(UPGRADE,)),
        [
            (K.LEVEL, L.OPERATIONAL, L.MAINTENANCE, None, SINCE),
            (K.MAINTENANCE_STARTED, L.OPERATIONAL, L.MAINTENANCE, "m", None),
        ],
    ),
    (
        "a maintenance ends",
        snap(L.OPERATIONAL, maintenances=(UPGRADE,)),
        snap(L.OPERATIONAL),
        [(K.MAINTENANCE_ENDED, L.OPERATIONAL, L.OPERATIONAL, "m", SINCE)],
    ),
    (
        "a scheduled maintenance is no change",
        snap(L.OPERATIONAL),
        snap(L.OPERATIONAL, maintenances=(replace(UPGRADE, active=False),)),
        [],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_diff(old: Snapshot, new: Snapshot, expected: list[tuple[object, ...]]) -> None:
    got = diff("chatgpt", "ChatGPT", old, new, NOW, SINCE)
    assert all((c.service, c.name, c.at) == ("chatgpt", "ChatGPT", NOW) for c in got)
    subject = [
        c.component
        or (c.incident.id if c.incident else None)
        or (c.maintenance.id if c.maintenance else None)
        for c in got
    ]
    assert [
        (c.kind, c.old, c.new, s, c.since) for c, s in zip(got, subject, strict=True)
    ] == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (snap(L.DEGRADED), snap(L.DEGRADED, incidents=(SLOW,)), True),  # incidents don't count
        (snap(L.DEGRADED), snap(L.MAJOR_OUTAGE), False),
        (
            snap(L.OPERATIONAL, components=parts(L.OPERATIONAL)),
            snap(L.OPERATIONAL, components=parts(L.DEGRADED)),
            False,
        ),
    ],
)
def test_what_must_be_read_twice(a: Snapshot, b: Snapshot, same: bool) -> None:
    assert (signature(a) == signature(b)) is same
