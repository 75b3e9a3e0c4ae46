"""Keeps a QMenu showing menu_model entries, touching only the actions whose entry changed.

A QAction that is left alone keeps its dbusmenu id and sends nothing to the tray host: Qt
exports every change of an action (even setIcon with the same icon) as a LayoutUpdated signal,
which makes hosts re-read the whole menu and collapse an open submenu. Clicks go to the entry's
intent (`run_intent`); every link goes through `opener`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu

from ..core.mutes import UNTIL_TOMORROW
from . import opener
from .icon import level_icon
from .labels import menu_label
from .menu_model import Entry, Intent, Kind

__all__ = ["UNTIL_TOMORROW", "MenuIntents", "MenuView", "run_intent"]

# What a click may ask of MenuIntents (besides "open"): never a name a payload could choose.
_CALLS = frozenset(
    {"check_now", "pause", "mute", "recover_once", "show_history", "show_settings"}
    | {"show_about", "doctor", "quit"}
)


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


def run_intent(intent: Intent, intents: MenuIntents, checked: bool = False) -> None:
    """Do what a clicked entry asks; a checkable entry passes its new state last."""
    if intent.name == "open":
        url, user_typed = intent.args
        opener.open_url(url if isinstance(url, str) else None, user_typed=user_typed is True)
    elif intent.name in _CALLS:
        args = (*intent.args, checked) if intent.name == "recover_once" else intent.args
        getattr(intents, intent.name)(*args)


@dataclass(slots=True)
class _Shown:
    entry: Entry
    action: QAction
    sub: MenuView | None = None  # the view of a submenu entry's QMenu


def _slot(entry: Entry) -> tuple[Kind, str]:
    """Which shown action may be reused for an entry: same kind and key."""
    return (entry.kind, entry.key)


class MenuView:
    """One QMenu and the entries it shows; `show` applies the difference, nothing more."""

    def __init__(
        self, menu: QMenu, on_click: Callable[[Intent, bool], None], *, dbusmenu: bool = False
    ) -> None:
        self.menu = menu
        self.on_click = on_click
        self.dbusmenu = dbusmenu  # labels for a D-Bus tray host (ui.labels.menu_label)
        self.shown: list[_Shown] = []

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(s.entry for s in self.shown)

    def show(self, entries: Sequence[Entry]) -> None:
        """Make the menu show `entries`: reuse matching actions, rebuild only the middle."""
        if tuple(entries) == self.entries:
            return
        old, new = [_slot(s.entry) for s in self.shown], [_slot(e) for e in entries]
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        kept_tail = self.shown[len(self.shown) - tail :]
        for gone in self.shown[head : len(self.shown) - tail]:
            self._drop(gone)
        before = kept_tail[0].action if kept_tail else None
        made = [self._make(entry, before) for entry in entries[head : len(entries) - tail]]
        self.shown = self.shown[:head] + made + kept_tail
        reused = list(range(head)) + list(range(len(entries) - tail, len(entries)))
        for index in reused:
            self._update(self.shown[index], entries[index])

    def _make(self, entry: Entry, before: QAction | None) -> _Shown:
        sub: MenuView | None = None
        if entry.kind is Kind.SUBMENU:
            child = QMenu(self.menu)
            child.setToolTipsVisible(True)
            sub = MenuView(child, self.on_click, dbusmenu=self.dbusmenu)
            action = child.menuAction()
        else:
            action = QAction(self.menu)
            action.setSeparator(entry.kind is Kind.SEPARATOR)
            action.setCheckable(entry.kind is Kind.CHECK)
            action.triggered.connect(lambda checked=False, a=action: self._clicked(a, checked))
        shown = _Shown(Entry(Kind.SEPARATOR), action, sub)  # a blank: _update sets everything
        # Filled before it joins the menu: an action (or a whole submenu) not yet in an exported
        # menu is one LayoutUpdated when added, instead of one per property and per child.
        self._update(shown, entry, fresh=True)
        if before is None:
            self.menu.addAction(action)
        else:
            self.menu.insertAction(before, action)
        return shown

    def _update(self, shown: _Shown, entry: Entry, *, fresh: bool = False) -> None:
        """Set only the properties that differ: each setter is a signal to the tray host."""
        old, action = shown.entry, shown.action
        shown.entry = entry
        if entry.kind is Kind.SEPARATOR:
            return
        if fresh or old.text != entry.text:
            action.setText(menu_label(entry.text, dbusmenu=self.dbusmenu))
        if fresh or old.icon != entry.icon:
            action.setIcon(level_icon(entry.icon) if entry.icon is not None else QIcon())
        if fresh or old.enabled != entry.enabled:
            action.setEnabled(entry.enabled)
        if entry.kind is Kind.CHECK and (fresh or old.checked != entry.checked):
            action.setChecked(entry.checked)
        if shown.sub is not None:
            shown.sub.show(entry.children)

    def _drop(self, shown: _Shown) -> None:
        self.menu.removeAction(shown.action)
        if shown.sub is not None:
            shown.sub.menu.deleteLater()  # its own actions are its children: they go with it
        else:
            shown.action.deleteLater()

    def _clicked(self, action: QAction, checked: bool) -> None:
        for shown in self.shown:
            if shown.action is action and shown.entry.intent is not None:
                self.on_click(shown.entry.intent, checked)
                return
