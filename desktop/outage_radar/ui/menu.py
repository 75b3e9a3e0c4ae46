"""Fills the tray's one QMenu from state: header, one submenu per service, global items.

It only renders and forwards intents (`MenuIntents`); every link goes through `opener`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ..core import mutes
from ..core.alerts import ServiceLookup, best_alternatives
from ..core.links import safe_url, search_links, status_url, support_url, tool_url
from ..core.model import Incident, Level, Maintenance
from ..core.settings import Settings
from ..core.state import NO_FEED, ServiceState
from . import opener
from .icon import level_icon
from .icon_spec import IconKey, Mark
from .labels import (
    ago,
    clock,
    header,
    lead_line,
    menu_label,
    overall_icon,
    plain,
    probe_line,
    service_name,
    state_icon,
    status_label,
)

MAX_COMPONENTS = 12
MAX_INCIDENTS = 5
MAX_MAINTENANCES = 3
UNTIL_TOMORROW = -1.0  # the hours value of "until tomorrow" in pause and mute intents


class MenuIntents(Protocol):
    """What the menu asks for; the tray turns these into signals."""

    def check_now(self) -> None: ...
    def pause(self, hours: float) -> None: ...  # 0 resumes
    def mute(self, service: str, hours: float) -> None: ...  # 0 unmutes
    def recover_once(self, service: str, on: bool) -> None: ...
    def show_history(self) -> None: ...
    def show_settings(self) -> None: ...
    def show_about(self) -> None: ...
    def doctor(self, service: str) -> None: ...  # "Is it just me?"
    def quit(self) -> None: ...


@dataclass(frozen=True, slots=True)
class MenuModel:
    states: Mapping[str, ServiceState]
    settings: Settings
    now: datetime
    catalog: ServiceLookup


def _link(
    menu: QMenu,
    text: str,
    url: str | None,
    icon_level: IconKey | None = None,
    *,
    user_typed: bool = False,
) -> QAction:
    action = menu.addAction(text)
    if icon_level is not None:
        action.setIcon(level_icon(icon_level))
    target = safe_url(url, user_typed=user_typed)
    action.setEnabled(target is not None)
    action.triggered.connect(partial(_open, target, user_typed))
    return action


def _open(url: str | None, user_typed: bool, _checked: bool = False) -> None:
    opener.open_url(url, user_typed=user_typed)


def _do(menu: QMenu, text: str, slot: Callable[[], None]) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _heading(menu: QMenu, text: str) -> None:
    menu.addAction(text).setEnabled(False)


def _incident_label(incident: Incident, now: datetime) -> str:
    when = ago(incident.updated or incident.started, now)
    return menu_label(incident.title) + (f" · {when}" if when else "")


def _maintenance_label(item: Maintenance, now: datetime) -> str:
    if item.active:
        when = "ongoing"
    elif item.starts is not None:
        when = f"starts {clock(item.starts, now)}"
    else:
        when = "scheduled"
    return f"{menu_label(item.title)} · {when}"


def _status_part(state: ServiceState) -> str:
    text = status_label(state)
    if state.service.link_only:
        return text  # its "failed" snapshot only says there is no feed: never an error
    if state.level is Level.UNKNOWN and state.snapshot.error:
        text += f" ({plain(state.snapshot.error, 40)})"
    return text


def fill_service(sub: QMenu, state: ServiceState, model: MenuModel, intents: MenuIntents) -> None:
    """One service's submenu, in the order the issue lists."""
    service, snap, now = state.service, state.snapshot, model.now
    page = status_url(service)
    if service.link_only:
        _fill_link_only(sub, state, model, intents)
        return
    # A page from the user's own catalog may be plain http: they typed it, the payload did not.
    mine = service.user
    if snap.note:  # a caveat on the reading, e.g. a renamed part: the whole page is shown
        _heading(sub, menu_label(snap.note, 120))
    if snap.components:
        _heading(sub, "Components")
        for comp in snap.components[:MAX_COMPONENTS]:
            label = f"{menu_label(comp.name, 60)} — {comp.level.label}"
            _link(sub, label, page, comp.level, user_typed=mine)
        if len(snap.components) > MAX_COMPONENTS:
            _link(sub, f"… and {len(snap.components) - MAX_COMPONENTS} more", page)
    incidents = sorted(snap.incidents, key=lambda i: -i.level.rank)[:MAX_INCIDENTS]
    if incidents:
        _heading(sub, "Incidents")
        for inc in incidents:
            url = inc.url if safe_url(inc.url) else page
            _link(sub, _incident_label(inc, now), url, inc.level, user_typed=mine and url == page)
            if inc.latest_update:
                _link(
                    sub,
                    "    " + menu_label(inc.latest_update),
                    url,
                    user_typed=mine and url == page,
                )
    upcoming = sorted(snap.maintenances, key=lambda m: (not m.active, m.starts or now))
    if upcoming:
        _heading(sub, "Maintenance")
        for item in upcoming[:MAX_MAINTENANCES]:
            url = item.url if safe_url(item.url) else page
            _link(sub, _maintenance_label(item, now), url, Level.MAINTENANCE)
    sub.addSeparator()
    _link(sub, "Open status page", page, user_typed=mine)
    _extras(sub, state)
    _do(sub, "Is it just me?", partial(intents.doctor, service.id))
    _more_links(sub, state, model)
    sub.addSeparator()
    _notify_items(sub, state, model, intents)


def _notify_items(sub: QMenu, state: ServiceState, model: MenuModel, intents: MenuIntents) -> None:
    """The recovery request and the mutes: only for a service with a feed to watch."""
    key, now = state.service.id, model.now
    wanted = key in model.settings.recover_once
    once = sub.addAction("Notify me when it recovers")
    once.setCheckable(True)
    once.setChecked(wanted)
    once.setEnabled(wanted or state.level.is_problem)
    once.toggled.connect(partial(intents.recover_once, key))
    end = mutes.muted_until(model.settings, key, now)
    if end is False:
        _do(sub, "Mute for 1 h", partial(intents.mute, key, 1.0))
        _do(sub, "Mute until tomorrow", partial(intents.mute, key, UNTIL_TOMORROW))
    else:
        until = f" (muted until {clock(end, now)})" if isinstance(end, datetime) else ""
        _do(sub, f"Unmute{until}", partial(intents.mute, key, 0.0))


def _extras(sub: QMenu, state: ServiceState) -> None:
    # From the user's probes, e.g. "Your API key: ok · 142 ms · ▃▂▅", "You knew …".
    for line in (probe_line(state), lead_line(state)):
        if line:
            _heading(sub, menu_label(line))


def _fill_link_only(
    sub: QMenu, state: ServiceState, model: MenuModel, intents: MenuIntents
) -> None:
    """A service without a public feed: its links, and the user's own key check if it has one.
    No recovery request or mute: there is no feed whose changes could be announced."""
    service = state.service
    _heading(sub, "No public status feed: see the provider's pages")
    _link(sub, "Open status page", status_url(service), user_typed=service.user)
    _extras(sub, state)
    if service.probe is not None:  # the key check is then the only first-hand signal
        _do(sub, "Is it just me?", partial(intents.doctor, service.id))
    _more_links(sub, state, model)


def _more_links(sub: QMenu, state: ServiceState, model: MenuModel) -> None:
    """Alternatives, searches and support: every service has these, with or without a feed."""
    service = state.service
    alternatives = best_alternatives(service, model.states, model.catalog)
    if alternatives:
        alt_menu = sub.addMenu("Alternatives")
        for alt, level in alternatives:
            label = level.label if level is not Level.UNKNOWN else "not watched"
            icon: IconKey = level
            if alt.link_only:
                label, icon = NO_FEED, Mark.NO_FEED
            _link(alt_menu, f"{menu_label(alt.name, 60)} — {label}", tool_url(alt), icon)
    for label, url in search_links(service):
        _link(sub, label, url)
    support = support_url(service)
    if support:
        _link(sub, "Contact support", support)


def fill(menu: QMenu, model: MenuModel, intents: MenuIntents) -> list[QMenu]:
    """Refill `menu` (already cleared); returns the submenus made, for the caller to free."""
    states, now = model.states, model.now
    made: list[QMenu] = []
    top = menu.addAction(f"Outage Radar — {header(states)}")
    top.setIcon(level_icon(overall_icon(states)))
    top.setEnabled(False)
    paused = mutes.paused_until(model.settings, now)
    if paused is not None:
        _heading(menu, f"Notifications paused until {clock(paused, now)}")
    menu.addSeparator()
    for key, state in states.items():
        label = f"{menu_label(service_name(state), 60)} — {_status_part(state)}"
        if mutes.is_muted(model.settings, key, now):
            label += " (muted)"
        sub = QMenu(label, menu)
        sub.setIcon(level_icon(state_icon(state)))
        sub.setToolTipsVisible(True)
        fill_service(sub, state, model, intents)
        menu.addMenu(sub)
        made.append(sub)
    if states:
        menu.addSeparator()
    _do(menu, "Check now", intents.check_now)
    pause = QMenu("Pause notifications", menu)
    _do(pause, "For 1 hour", lambda: intents.pause(1.0))
    _do(pause, "For 4 hours", lambda: intents.pause(4.0))
    _do(pause, "Until tomorrow", lambda: intents.pause(UNTIL_TOMORROW))
    if paused is not None:
        pause.addSeparator()
        _do(pause, "Resume notifications", lambda: intents.pause(0.0))
    menu.addMenu(pause)
    made.append(pause)
    menu.addSeparator()
    _do(menu, "History…", intents.show_history)
    _do(menu, "Settings…", intents.show_settings)
    _do(menu, "About Outage Radar", intents.show_about)
    menu.addSeparator()
    _do(menu, "Quit", intents.quit)
    return made
