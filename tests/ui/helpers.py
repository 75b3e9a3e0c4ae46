"""Menu helpers for the UI tests; the Service/catalog/state builders live in tests/builders."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tests.builders import CATALOG, NOW, TZ, service, state

__all__ = ["CATALOG", "NOW", "TZ", "actions", "find", "service", "state", "submenu", "texts"]


def actions(menu: QMenu) -> list[QAction]:
    return [a for a in menu.actions() if not a.isSeparator()]


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in actions(menu)]


def find(menu: QMenu, text: str) -> QAction:
    for action in actions(menu):
        if action.text() == text or action.text().startswith(text):
            return action
    raise AssertionError(f"{text!r} not in {texts(menu)}")


def submenu(menu: QMenu, text: str) -> QMenu:
    sub = find(menu, text).menu()
    assert isinstance(sub, QMenu), text
    return sub
