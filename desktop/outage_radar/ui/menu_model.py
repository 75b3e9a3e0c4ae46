"""What the tray menu shows, as plain data: entries with a text, an icon, a state and an intent.

No Qt here. The tray builds the entries of every render and compares them with what it shows;
ui.menu then touches only the QActions whose entry changed, so a poll that changes nothing the
user can see sends nothing to the tray host (no LayoutUpdated, no new dbusmenu ids).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..core import links, mutes
from ..core.alerts import ServiceLookup, best_alternatives
from ..core.catalog import CATEGORIES, Service
from ..core.model import Incident, Level, Maintenance
from ..core.mutes import UNTIL_TOMORROW
from ..core.settings import Settings
from ..core.state import NO_FEED, ServiceState, counted
from .icon_spec import IconKey, Mark
from .labels import (
    ago,
    clock,
    extra_lines,
    header,
    held_line,
    last_checked,
    overall_icon,
    plain,
    row_status,
    service_name,
    state_icon,
)

MAX_COMPONENTS = 12
MAX_INCIDENTS = 5
MAX_MAINTENANCES = 3
# Up to this many services are listed on the top level; more are grouped by category, so the
# menu fits a 768 px screen and opens fast with 100 services (issue 13).
FLAT_LIMIT = 15
GROUP_LIMIT = 20  # services per submenu: a bigger category holds parts of this many
TOP_PROBLEMS = 5  # in a grouped menu, services with problems are also listed on top
# The project's documentation: pyproject.toml's [project.urls] Homepage, where the README shows
# (a test keeps the two in step); opened like every link, under the link policy.
HELP_URL = "https://github.com/outage-radar/outage-radar#readme"


# A menu of 100 services checks about 1,000 links; each check parses the URL. The answers
# never change for a given URL or service, and the menu is rebuilt on every change it shows.
safe_url = lru_cache(maxsize=4096)(links.safe_url)


@lru_cache(maxsize=1024)
def _service_links(
    service: Service,
) -> tuple[str | None, str | None, tuple[tuple[str, str], ...]]:
    """A service's status page, support page and searches (the same for every render)."""
    searches = tuple(links.search_links(service))
    return links.status_url(service), links.support_url(service), searches


@lru_cache(maxsize=1024)
def _tool_url(service: Service) -> str | None:
    return links.tool_url(service)


def status_url(service: Service) -> str | None:
    return _service_links(service)[0]


class Kind(enum.Enum):
    ACTION = "action"
    HEADING = "heading"  # a disabled line: a title, a component, a note
    CHECK = "check"
    SUBMENU = "submenu"
    SEPARATOR = "separator"


@dataclass(frozen=True, slots=True)
class Intent:
    """What a click asks for: a MenuIntents method and its arguments, or "open" a link."""

    name: str
    args: tuple[str | float | bool | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Kind
    text: str = ""  # as shown: ui.labels.menu_label escapes it for the menu it goes to
    icon: IconKey | None = None
    enabled: bool = True
    checked: bool = False
    intent: Intent | None = None
    children: tuple[Entry, ...] = ()
    key: str = ""  # identity among siblings whose text changes (a service, an incident)


SEPARATOR = Entry(Kind.SEPARATOR)


@dataclass(frozen=True, slots=True)
class MenuModel:
    states: Mapping[str, ServiceState]
    settings: Settings
    now: datetime  # the clock of the time texts ("12 min ago"), refreshed when the menu opens
    catalog: ServiceLookup


def _link(
    text: str, url: str | None, icon: IconKey | None = None, *, user_typed: bool = False
) -> Entry:
    target = safe_url(url, user_typed=user_typed)
    intent = Intent("open", (target, user_typed))
    return Entry(Kind.ACTION, text, icon, enabled=target is not None, intent=intent)


def _do(text: str, name: str, *args: str | float) -> Entry:
    return Entry(Kind.ACTION, text, intent=Intent(name, args))


def _heading(text: str, icon: IconKey | None = None) -> Entry:
    return Entry(Kind.HEADING, text, icon, enabled=False)


def _incident_label(incident: Incident, now: datetime) -> str:
    when = ago(incident.updated or incident.started, now)
    return plain(incident.title) + (f" · {when}" if when else "")


def _maintenance_label(item: Maintenance, now: datetime) -> str:
    if item.active:
        when = "ongoing"
    elif item.starts is not None:
        when = f"starts {clock(item.starts, now)}"
    else:
        when = "scheduled"
    return f"{plain(item.title)} · {when}"


def service_entries(state: ServiceState, model: MenuModel) -> tuple[Entry, ...]:
    """One service's submenu, in the order the issue lists."""
    service, snap = state.service, state.snapshot
    if service.link_only:
        return _link_only(state, model)
    page = status_url(service)
    # A page from the user's own catalog may be plain http: they typed it, the payload did not.
    mine = service.user
    out: list[Entry] = []
    if snap.note:  # a caveat on the reading, e.g. a renamed part: the whole page is shown
        out.append(_heading(plain(snap.note, 120)))
    if snap.components:
        out.append(_heading("Components"))
        for comp in snap.components[:MAX_COMPONENTS]:
            label = f"{plain(comp.name, 60)} — {comp.level.label}"
            out.append(_link(label, page, comp.level, user_typed=mine))
        if len(snap.components) > MAX_COMPONENTS:
            out.append(_link(f"… and {len(snap.components) - MAX_COMPONENTS} more", page))
    out += _incidents(state, model.now, page)
    out += _maintenances(state, model.now, page)
    out += [SEPARATOR, _link("Open status page", page, user_typed=mine), *_extras(state)]
    out.append(_do("Is it just me?", "doctor", service.id))
    out += _more_links(state, model)
    out += [SEPARATOR, *_notify_items(state, model)]
    return tuple(out)


def _incidents(state: ServiceState, now: datetime, page: str | None) -> list[Entry]:
    incidents = sorted(state.snapshot.incidents, key=lambda i: -i.level.rank)[:MAX_INCIDENTS]
    out = [_heading("Incidents")] if incidents else []
    mine = state.service.user
    for inc in incidents:
        url = inc.url if safe_url(inc.url) else page
        typed = mine and url == page
        out.append(_link(_incident_label(inc, now), url, inc.level, user_typed=typed))
        if inc.latest_update:
            out.append(_link("    " + plain(inc.latest_update), url, user_typed=typed))
    return out


def _maintenances(state: ServiceState, now: datetime, page: str | None) -> list[Entry]:
    items = state.snapshot.maintenances
    upcoming = sorted(items, key=lambda m: (not m.active, m.starts or now))
    out = [_heading("Maintenance")] if upcoming else []
    for item in upcoming[:MAX_MAINTENANCES]:
        url = item.url if safe_url(item.url) else page
        out.append(_link(_maintenance_label(item, now), url, Level.MAINTENANCE))
    return out


def _notify_items(state: ServiceState, model: MenuModel) -> list[Entry]:
    """The recovery request and the mutes: only for a service with a feed to watch."""
    key, now = state.service.id, model.now
    wanted = key in model.settings.recover_once
    once = Entry(
        Kind.CHECK,
        "Notify me when it recovers",
        enabled=wanted or state.level.is_problem,
        checked=wanted,
        intent=Intent("recover_once", (key,)),
    )
    end = mutes.muted_until(model.settings, key, now)
    if end is False:
        return [
            once,
            _do("Mute for 1 h", "mute", key, 1.0),
            _do("Mute until tomorrow", "mute", key, UNTIL_TOMORROW),
        ]
    until = f" (muted until {clock(end, now)})" if isinstance(end, datetime) else ""
    return [once, _do(f"Unmute{until}", "mute", key, 0.0)]


def _extras(state: ServiceState) -> list[Entry]:
    # What the user's own key adds, e.g. "Your API key: ok · 142 ms · ▃▂▅", "You knew …".
    return [_heading(line) for line in extra_lines(state)]


def _link_only(state: ServiceState, model: MenuModel) -> tuple[Entry, ...]:
    """A service without a public feed: its links, and the user's own key check if it has one.
    No recovery request or mute: there is no feed whose changes could be announced."""
    service = state.service
    out = [_heading("No public status feed: see the provider's pages")]
    out += [_link("Open status page", status_url(service), user_typed=service.user)]
    out += _extras(state)
    if service.probe is not None:  # the key check is then the only first-hand signal
        out.append(_do("Is it just me?", "doctor", service.id))
    return tuple(out + _more_links(state, model))


def _more_links(state: ServiceState, model: MenuModel) -> list[Entry]:
    """Alternatives, searches and support: every service has these, with or without a feed."""
    service = state.service
    out: list[Entry] = []
    alternatives = best_alternatives(service, model.states, model.catalog)
    if alternatives:
        alts = []
        for alt, level in alternatives:
            label = level.label if level is not Level.UNKNOWN else "not watched"
            icon: IconKey = level
            if alt.link_only:
                label, icon = NO_FEED, Mark.NO_FEED
            alts.append(_link(f"{plain(alt.name, 60)} — {label}", _tool_url(alt), icon))
        out.append(Entry(Kind.SUBMENU, "Alternatives", children=tuple(alts), key="alternatives"))
    _, support, searches = _service_links(service)
    out += [_link(label, url) for label, url in searches]
    if support:
        out.append(_link("Contact support", support))
    return out


def service_entry(state: ServiceState, model: MenuModel) -> Entry:
    """A service's line: its name and state, opening its submenu."""
    key = state.service.id
    label = f"{service_name(state)} — {row_status(state)}"
    if mutes.is_muted(model.settings, key, model.now):
        label += " (muted)"
    children = service_entries(state, model)
    return Entry(Kind.SUBMENU, label, state_icon(state), children=children, key=f"svc:{key}")


def _services(model: MenuModel) -> list[Entry]:
    """Every service on the top level, or, when there are many, grouped by category."""
    states = model.states
    if len(states) <= FLAT_LIMIT:
        return [service_entry(state, model) for state in states.values()]
    problems = sorted(
        (s for s in counted(states.values()) if s.level.is_problem), key=lambda s: -s.level.rank
    )
    out = [service_entry(state, model) for state in problems[:TOP_PROBLEMS]]
    if out:
        out.append(SEPARATOR)
    groups: dict[str, list[ServiceState]] = {c: [] for c in CATEGORIES}
    for state in states.values():
        groups.setdefault(state.service.category, []).append(state)
    return out + [_group(c, members, model) for c, members in groups.items() if members]


def _group(category: str, members: list[ServiceState], model: MenuModel) -> Entry:
    """A category's submenu; a big one holds parts of GROUP_LIMIT services ("21–40 of 63")."""
    title = CATEGORIES.get(category) or plain(category, 40) or "Other"
    problems = sum(1 for s in counted(members) if s.level.is_problem)
    title += f" — {problems} with problems" if problems else f" ({len(members)})"
    icon = overall_icon({s.service.id: s for s in members})
    entries = tuple(service_entry(state, model) for state in members)
    if len(entries) > GROUP_LIMIT:
        entries = tuple(
            _part(entries[start : start + GROUP_LIMIT], start, len(entries))
            for start in range(0, len(entries), GROUP_LIMIT)
        )
    return Entry(Kind.SUBMENU, title, icon, children=entries, key=f"cat:{category}")


def _part(entries: tuple[Entry, ...], start: int, total: int) -> Entry:
    text = f"{start + 1}–{start + len(entries)} of {total}"
    return Entry(Kind.SUBMENU, text, children=entries, key=f"part:{start}")


def pause_entries(model: MenuModel) -> tuple[Entry, ...]:
    """The "Pause notifications" submenu: three lengths, and Resume while paused."""
    out = [
        _do("For 1 hour", "pause", 1.0),
        _do("For 4 hours", "pause", 4.0),
        _do("Until tomorrow", "pause", UNTIL_TOMORROW),
    ]
    if mutes.paused_until(model.settings, model.now) is not None:
        out += [SEPARATOR, _do("Resume notifications", "pause", 0.0)]
    return tuple(out)


def tray_entries(model: MenuModel) -> tuple[Entry, ...]:
    """The whole tray menu: header, services, then the global items with Quit last."""
    states, now = model.states, model.now
    out = [_heading(f"Outage Radar — {header(states)}", overall_icon(states))]
    settings = model.settings
    held = held_line(mutes.paused_until(settings, now), mutes.quiet_until(settings, now), now)
    out += [_heading(held), SEPARATOR] if held else [SEPARATOR]
    services = _services(model)
    out += [*services, SEPARATOR] if services else []
    checked = last_checked(states, now)  # beside the action that checks again
    out += [_heading(checked)] if checked else []
    out.append(_do("Check now", "check_now"))
    pause = pause_entries(model)
    out.append(Entry(Kind.SUBMENU, "Pause notifications", children=pause, key="pause"))
    out += [SEPARATOR, _do("History…", "show_history"), _do("Settings…", "show_settings")]
    out += [_link("Help", HELP_URL), _do("About Outage Radar", "show_about")]
    out += [SEPARATOR, _do("Quit", "quit")]
    return tuple(out)
