"""Small builders shared by the UI tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from outage_radar.core.catalog import Links, Service
from outage_radar.core.failures import Failure
from outage_radar.core.model import Component, Incident, Level, Snapshot
from outage_radar.core.state import ServiceState

TZ = timezone(timedelta(hours=1))
NOW = datetime(2025, 6, 2, 10, 30, tzinfo=TZ)


def service(sid: str, name: str, alts: tuple[str, ...] = (), **links: str) -> Service:
    base = f"https://status.{sid}.example"
    return Service(
        id=sid,
        name=name,
        url=base,
        platform="statuspage",
        endpoints=(f"{base}/api/v2/summary.json",),
        category="chat",
        alternatives=alts,
        links=Links(status=base, **links),
    )


CATALOG = {
    s.id: s
    for s in (
        service(
            "chatgpt",
            "ChatGPT",
            ("claude", "gemini", "mistral"),
            support="https://help.chatgpt.example",
            tool="https://chatgpt.example",
        ),
        service("claude", "Claude", ("chatgpt",), tool="https://claude.example"),
        service("gemini", "Gemini", tool="https://gemini.example"),
        service("mistral", "Mistral", tool="https://mistral.example"),
    )
}


def state(
    sid: str,
    level: Level,
    *,
    since: datetime | None = None,
    incidents: tuple[Incident, ...] = (),
    components: tuple[Component, ...] = (),
    failure: Failure | None = None,
) -> ServiceState:
    snap = Snapshot(level=level, incidents=incidents, components=components, failure=failure)
    return ServiceState(CATALOG[sid], snap, since, NOW)


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
