"""Alert policy: which confirmed changes of one poll round deserve a notification, and its text.

`decide` turns one round's changes into at most ONE `Alert` (several services => one grouped
alert), after the user's rules: minimum level, per-service and per-component mutes, watched
components, maintenance and recovery switches, then pause and quiet hours. A "notify me when it
recovers" request is an explicit ask made after those rules, so its recovery gets through all of
them once. Alert text is plain (cleaned, not escaped): escaping is the notifier's job.

Flapping: a service whose level turns back FLAP_TURNS times within FLAP_WINDOW (worse, better,
worse again) is flapping. Its first changes are notified as usual (nothing tells them from a
short outage yet); from then on it gets at most one notification per FLAP_WINDOW, saying
"flapping" and its level now, until it settles (fewer turns within the window). A level worse
than any it flapped between gets through at once. `Flapping` keeps that memory between rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from . import mutes
from .catalog import Service
from .links import safe_url, status_url, tool_url
from .model import Change, ChangeKind, Incident, Level, worst
from .settings import Settings
from .state import ServiceState
from .text import clean

MAX_LINES = 5
FLAP_WINDOW = timedelta(minutes=30)
FLAP_TURNS = 2
TITLE_LIMIT = 120
BODY_LIMIT = 600
_MAINT = (ChangeKind.MAINTENANCE_STARTED, ChangeKind.MAINTENANCE_ENDED)
# Which change of a service speaks for it when it has several in one round.
_PRIORITY = {
    ChangeKind.LEVEL: 0,
    ChangeKind.INCIDENT_OPENED: 1,
    ChangeKind.COMPONENT: 2,
    ChangeKind.INCIDENT_UPDATED: 3,
    ChangeKind.INCIDENT_RESOLVED: 4,
    ChangeKind.MAINTENANCE_STARTED: 5,
    ChangeKind.MAINTENANCE_ENDED: 6,
}


class ServiceLookup(Protocol):
    def get(self, key: str, /) -> Service | None: ...


@dataclass(frozen=True, slots=True)
class AlertAction:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Alert:
    title: str
    body: str
    level: Level
    url: str | None = None
    actions: tuple[AlertAction, ...] = ()
    services: tuple[str, ...] = ()
    recovery: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    alert: Alert | None
    # "Notify me when it recovers" requests that fired: the caller drops them and saves.
    fired_once: tuple[str, ...] = ()


@dataclass
class _Moves:
    # (when, old rank, new rank) of each level change within the window, oldest first
    moves: list[tuple[datetime, int, int]] = field(default_factory=list)
    noticed: datetime | None = None  # the last flapping notification

    def turns(self) -> int:
        ups = [new > old for _, old, new in self.moves]
        return sum(1 for a, b in zip(ups, ups[1:], strict=False) if a != b)


class Flapping:
    """Which services flap, and whether one may be told about now (see the module's rule)."""

    def __init__(self, window: timedelta = FLAP_WINDOW) -> None:
        self.window = window
        self._services: dict[str, _Moves] = {}

    def observe(self, changes: Sequence[Change], now: datetime) -> dict[str, bool]:
        """Count one round's level changes; the flapping services, each with "may notify now"."""
        for change in changes:
            if change.kind is ChangeKind.LEVEL and Level.UNKNOWN not in (change.old, change.new):
                track = self._services.setdefault(change.service, _Moves())
                track.moves.append((now, change.old.rank, change.new.rank))
        found: dict[str, bool] = {}
        for key, track in list(self._services.items()):
            track.moves = [m for m in track.moves if now - m[0] < self.window]
            if track.turns() >= FLAP_TURNS:
                found[key] = self._may_notify(track, now)
            elif not track.moves and (track.noticed is None or now - track.noticed >= self.window):
                del self._services[key]  # settled long enough: forgotten
        return found

    def notified(self, services: Iterable[str], now: datetime) -> None:
        for key in services:
            if key in self._services:
                self._services[key].noticed = now

    def _may_notify(self, track: _Moves, now: datetime) -> bool:
        if track.noticed is None or now - track.noticed >= self.window:
            return True
        *before, (at, _, new) = track.moves
        return at == now and new > max((max(old, was) for _, old, was in before), default=new)


def format_duration(span: timedelta) -> str:
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def _lookup(catalog: ServiceLookup, key: str) -> Service | None:
    try:
        return catalog.get(key)
    except KeyError:
        return None


def _rank_key(level: Level) -> int:
    # Healthy first, then not watched (unknown), then the least broken problems.
    if level is Level.UNKNOWN:
        return 2
    return level.rank if not level.is_problem else level.rank + 1


def best_alternatives(
    service: Service, states: Mapping[str, ServiceState], catalog: ServiceLookup
) -> list[tuple[Service, Level]]:
    """The service's alternatives with their live level, best first (unknown after healthy)."""
    found: list[tuple[Service, Level]] = []
    for key in dict.fromkeys(service.alternatives):
        alt = _lookup(catalog, key)
        if alt is None or alt.id == service.id:
            continue
        state = states.get(key)
        found.append((alt, state.level if state is not None else Level.UNKNOWN))
    return sorted(found, key=lambda pair: _rank_key(pair[1]))


def _level_worth(old: Level, new: Level, settings: Settings) -> bool:
    floor = settings.min_level_value.rank
    if new is Level.UNKNOWN or (old is Level.UNKNOWN and not new.is_problem):
        return False  # "we could not tell" is shown in the tray, never notified
    if Level.MAINTENANCE in (old, new) and not (old.is_problem or new.is_problem):
        return settings.notify_maintenance
    if new.rank > old.rank:
        return new.rank >= floor
    if not new.is_problem:
        return settings.notify_recoveries and old.rank >= floor
    return old.rank >= floor


def _incident_watched(incident: Incident, settings: Settings, key: str) -> bool:
    refs = incident.components
    return not refs or any(mutes.component_watched(settings, key, ref) for ref in refs)


def _wanted(change: Change, settings: Settings, state: ServiceState | None) -> bool:
    kind, key = change.kind, change.service
    if kind in _MAINT:
        return settings.notify_maintenance
    if kind is ChangeKind.COMPONENT:
        watched = change.component is not None and mutes.component_watched(
            settings, key, change.component
        )
        return watched and _level_worth(change.old, change.new, settings)
    if kind is ChangeKind.LEVEL:
        if state is not None and change.new.is_problem:
            as_watched = mutes.watched_level(settings, key, state.snapshot, change.new)
            if not as_watched.is_problem:
                return False  # the trouble is in components the user does not watch
        return _level_worth(change.old, change.new, settings)
    incident = change.incident
    if incident is not None and not _incident_watched(incident, settings, key):
        return False
    level = worst([incident.level, change.new]) if incident else change.new
    if kind is ChangeKind.INCIDENT_RESOLVED:
        return settings.notify_recoveries and level.rank >= settings.min_level_value.rank
    return level.is_problem and level.rank >= settings.min_level_value.rank


def decide(
    changes: Sequence[Change],
    settings: Settings,
    now: datetime,
    states: Mapping[str, ServiceState],
    catalog: ServiceLookup,
    flaps: Flapping | None = None,
) -> Decision:
    """The one alert (or none) for one poll round's confirmed changes.

    With `flaps` (kept by the caller between rounds) a flapping service is told about at most
    once per FLAP_WINDOW; without it every change stands alone."""
    fired = tuple(
        dict.fromkeys(
            c.service for c in changes if c.is_recovery and c.service in settings.recover_once
        )
    )
    kept = [
        c
        for c in changes
        if c.service in fired
        or (
            not mutes.silenced(settings, c.service, now)
            and _wanted(c, settings, states.get(c.service))
        )
    ]
    flapping = flaps.observe(changes, now) if flaps is not None else {}
    kept = [c for c in kept if c.service in fired or flapping.get(c.service, True)]
    if not kept:
        return Decision(None, fired)
    told = frozenset(c.service for c in kept if c.service in flapping)
    if flaps is not None:
        flaps.notified(told, now)
    return Decision(_compose(kept, states, catalog, told), fired)


# -- text ----------------------------------------------------------------------------------------
def _line(change: Change) -> str:
    """What happened to one service, e.g. 'ChatGPT: major outage' or 'ChatGPT is back (...)'."""
    name = clean(change.name, 80, single_line=True) or change.service
    kind, new = change.kind, change.new
    if change.is_recovery:
        if change.since is None:
            return f"{name} is back"
        return f"{name} is back (down {format_duration(change.at - change.since)})"
    if kind is ChangeKind.LEVEL:
        return f"{name}: {new.label}"
    if kind is ChangeKind.COMPONENT:
        part = clean(change.component, 80, single_line=True)
        return f"{name}: {part} is back" if not new.is_problem else f"{name}: {part} {new.label}"
    return (
        f"{name}: "
        + {
            ChangeKind.INCIDENT_OPENED: "new incident",
            ChangeKind.INCIDENT_UPDATED: "incident update",
            ChangeKind.INCIDENT_RESOLVED: "incident resolved",
            ChangeKind.MAINTENANCE_STARTED: "maintenance started",
            ChangeKind.MAINTENANCE_ENDED: "maintenance finished",
        }[kind]
    )


def _detail(group: list[Change]) -> tuple[str, str]:
    """The incident (or maintenance) title and its latest update for one service's changes.

    A recovery or a resolved incident carries the incident as last seen while it was open:
    its update ("We are deploying a fix") is no longer true, so it says it is resolved instead.
    """
    for change in group:
        if change.incident is not None:
            inc = change.incident
            title = clean(inc.title, 200, single_line=True)
            if change.is_recovery or change.kind is ChangeKind.INCIDENT_RESOLVED:
                return f"{title} (resolved)", ""
            return title, clean(inc.latest_update, 400)
    for change in group:
        if change.maintenance is not None:
            return clean(change.maintenance.title, 200, single_line=True), ""
    parts = [
        f"{clean(c.component, 60, single_line=True)}: {c.new.label}"
        for c in group
        if c.kind is ChangeKind.COMPONENT
    ]
    return " · ".join(parts), ""


def _said(group: list[Change], level: Level, flapping: bool) -> tuple[str, str, str]:
    """One service's line, its detail and its latest update; a flapping one says so instead."""
    if not flapping:
        return (_line(group[0]), *_detail(group))
    name = clean(group[0].name, 80, single_line=True) or group[0].service
    minutes = int(FLAP_WINDOW.total_seconds() // 60)
    note = f"Its status keeps changing: at most one notification per {minutes} min until it settles"
    detail, update = _detail(group)  # what the page says now still leads
    body = f"{detail}\n{note}" if detail else note
    return f"{name} is flapping ({level.label} now)", body, update


def _click_url(group: list[Change], service: Service | None) -> str | None:
    for change in group:
        owner = change.incident or change.maintenance
        url = safe_url(owner.url) if owner is not None else None
        if url:
            return url
    return status_url(service) if service is not None else None


def _actions(
    service: Service | None,
    level: Level,
    states: Mapping[str, ServiceState],
    catalog: ServiceLookup,
    failing: frozenset[str] = frozenset(),
) -> tuple[AlertAction, ...]:
    """The status page, and the best alternative that is healthy and not failing right now."""
    if service is None:
        return ()
    actions = []
    page = status_url(service)
    if page:
        actions.append(AlertAction("Status page", page))
    if level.is_problem:
        for alt, alt_level in best_alternatives(service, states, catalog):
            url = tool_url(alt)
            # An alternative in trouble in this same alert is no alternative, whatever the
            # state it showed a moment before.
            if url and not alt_level.is_problem and alt.id not in failing:
                actions.append(AlertAction(f"Use {clean(alt.name, 40, single_line=True)}", url))
                break
    return tuple(actions)


def _compose(
    kept: list[Change],
    states: Mapping[str, ServiceState],
    catalog: ServiceLookup,
    flapping: frozenset[str] = frozenset(),
) -> Alert:
    groups: dict[str, list[Change]] = {}
    for change in kept:
        groups.setdefault(change.service, []).append(change)
    for group in groups.values():
        group.sort(key=lambda c: _PRIORITY[c.kind])

    def level_of(key: str) -> Level:
        state = states.get(key)
        return state.level if state is not None else groups[key][0].new

    # The worst service leads: its links are the ones a click or a button opens.
    order = sorted(groups, key=lambda k: -level_of(k).rank)
    lead = order[0]
    service = _lookup(catalog, lead) or (states[lead].service if lead in states else None)
    recovery = all(g[0].is_recovery and k not in flapping for k, g in groups.items())
    level = Level.OPERATIONAL if recovery else worst([level_of(k) for k in order])
    url = _click_url(groups[lead], service)
    failing = frozenset(k for k, g in groups.items() if any(c.new.is_problem for c in g))
    actions = _actions(service, level_of(lead), states, catalog, failing)
    said = {k: _said(groups[k], level_of(k), k in flapping) for k in order[:MAX_LINES]}
    if len(order) == 1:
        line, title, update = said[lead]
        body = "\n".join(part for part in (title, update) if part)
        return Alert(
            clean(line, TITLE_LIMIT, single_line=True),
            clean(body, BODY_LIMIT),
            level,
            url,
            actions,
            (lead,),
            recovery,
        )
    lines = []
    for line, detail, _ in said.values():
        lines.append(line + (f" — {detail}" if detail else ""))
    if len(order) > MAX_LINES:
        lines.append(f"+{len(order) - MAX_LINES} more")
    return Alert(
        f"{len(order)} services changed",
        clean("\n".join(lines), BODY_LIMIT),
        level,
        url,
        actions,
        tuple(order),
        recovery,
    )
