"""Native notifications through desktop-notifier (freedesktop D-Bus, macOS, Windows).

desktop-notifier is imported on first use: it pulls in dbus-fast and is not needed to paint
the tray. Its `send` swallows delivery errors, so whether a notification service exists is
learnt from `get_capabilities()` first, and whether a notification was delivered from its
`on_dispatched` callback (called only when the server took it). A failure, or no answer within
`timeout` seconds (a hung daemon, a bus that went away), raises `Unavailable`: the caller shows
the tray balloon instead and closes the connection, so the next alert asks the bus afresh.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..core.alerts import Alert
from ..core.model import Level
from ..core.text import escape

log = logging.getLogger(__name__)

OpenUrl = Callable[[str | None], object]
IconFor = Callable[[Level], Path | None]
# What a click on the notification does, as servers that list actions (dunst's menu) show it.
DEFAULT_LABEL = "Open status page"
# Connecting and sending together: a server answers in milliseconds; past this the alert would
# come late anyway, so the balloon shows it.
SEND_TIMEOUT_S = 4.0


class Unavailable(RuntimeError):
    """No notification service took the alert (no D-Bus session, no daemon, no answer)."""


class Unsupported(Unavailable):
    """The platform has no notification service for this app: asking again would not help."""


def escape_markup(text: str) -> str:
    """Escape for freedesktop body markup: only &, < and > (entities every server decodes)."""
    return escape(text, quote=False)


class NativeNotifier:
    def __init__(
        self,
        open_url: OpenUrl,
        *,
        app_name: str = "Outage Radar",
        icon_for: IconFor | None = None,
        factory: Callable[[str], Any] | None = None,
        timeout: float = SEND_TIMEOUT_S,
    ) -> None:
        self._open_url = open_url
        self._app_name = app_name
        self._icon_for = icon_for
        self._factory = factory
        self.timeout = timeout
        self._notifier: Any = None  # set once its server answered
        self._connecting: Any = None  # asked, no answer yet: close() must end it too
        self._markup: bool | None = None
        self._lock = asyncio.Lock()  # alerts sent at once share one connection

    def _make(self) -> Any:
        if self._factory is not None:
            return self._factory(self._app_name)
        from desktop_notifier import DesktopNotifier

        return DesktopNotifier(app_name=self._app_name, app_icon=None)

    async def _ready(self) -> Any:
        async with self._lock:
            if self._notifier is None:
                await _disconnect(self._connecting)  # a failed try nobody closed
                self._connecting = self._make()
                await self._ask(self._connecting)
                self._notifier, self._connecting = self._connecting, None
        return self._notifier

    async def _ask(self, notifier: Any) -> None:
        """Whether a server answers, and what it renders; raises Unavailable when none does."""
        try:
            capabilities = await notifier.get_capabilities()
        except Exception as exc:
            raise Unavailable(f"no notification service ({exc.__class__.__name__})") from exc
        if not capabilities:
            raise Unsupported("this platform offers no notification service to this app")
        self._markup = await self._body_markup(notifier)
        _label_default_action(notifier)

    @staticmethod
    async def _body_markup(notifier: Any) -> bool:
        """Whether the server renders markup in the body (freedesktop `body-markup`).

        desktop-notifier does not expose it, so ask the server through its D-Bus proxy; when
        that cannot be read on a freedesktop desktop, assume markup (dunst, GNOME, KDE do).
        """
        if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
            return False  # macOS and Windows show text as given
        # WORKAROUND for desktop-notifier reporting no `body-markup` capability (its own
        # Capability set, https://github.com/samschott/desktop-notifier/pull/137, lacks it);
        # look again when it does: then ask get_capabilities() instead of its private backend.
        try:
            interface = notifier._backend.interface
            caps = await interface.call_get_capabilities()
            return "body-markup" in caps
        except Exception:
            return True

    async def close(self) -> None:
        """End the connection (also one still being made); the next show() makes a new one."""
        notifier, self._notifier = self._notifier, None
        connecting, self._connecting = self._connecting, None
        await _disconnect(notifier)
        await _disconnect(connecting)

    def _text(self, alert: Alert) -> tuple[str, str]:
        # The summary is plain text in the freedesktop spec; only the body is markup.
        body = escape_markup(alert.body) if self._markup else alert.body
        return alert.title, body

    async def show(self, alert: Alert) -> None:
        """Send one alert; raises Unavailable when no server took it within the timeout."""
        try:
            async with asyncio.timeout(self.timeout):
                delivered = await self._send(await self._ready(), alert)
        except TimeoutError:
            late = f"no answer from the notification service in {self.timeout:g} s"
            raise Unavailable(late) from None
        if not delivered:
            raise Unavailable("the notification service did not take the notification")
        log.info("notified: %s", alert.title)

    async def _send(self, notifier: Any, alert: Alert) -> bool:
        """Whether the server took the notification (desktop-notifier logs, never raises)."""
        from desktop_notifier import Button, Icon, Urgency

        title, body = self._text(alert)
        buttons = [
            Button(title=action.label, on_pressed=partial(self._open_url, action.url))
            for action in alert.actions
        ]
        icon_path = self._icon_for(alert.level) if self._icon_for is not None else None
        dispatched: list[bool] = []
        await notifier.send(
            title=title,
            message=body,
            urgency=Urgency.Low if alert.recovery else Urgency.Normal,
            icon=Icon(path=icon_path) if icon_path is not None else None,
            buttons=buttons,
            on_clicked=lambda: self._open_url(alert.url),
            on_dispatched=lambda: dispatched.append(True),
        )
        return bool(dispatched)


def labelled(actions: Sequence[str], label: str = DEFAULT_LABEL) -> list[str]:
    """A freedesktop actions list (key, label, key, label...) whose "default" has a label."""
    out = list(actions)
    for i in range(0, len(out) - 1, 2):
        if out[i] == "default" and not out[i + 1]:
            out[i + 1] = label
    return out


def _label_default_action(notifier: Any) -> None:
    """Give the click-on-body action its words on the freedesktop path.

    WORKAROUND for desktop-notifier 6.2 always sending the "default" action with an empty label
    (https://github.com/samschott/desktop-notifier/pull/91, made for xfce4-notifyd, which it no
    longer sends a default action to), shown as an empty entry in dunst's action menu; look
    again when its Notification takes a label for on_clicked: then pass DEFAULT_LABEL there."""
    interface: Any = getattr(getattr(notifier, "_backend", None), "interface", None)
    call = getattr(interface, "call_notify", None)
    if call is None:
        return  # macOS, Windows, or another backend: nothing lists the default action

    async def notify(*args: Any) -> Any:
        if len(args) > 5 and isinstance(args[5], list):
            args = (*args[:5], labelled(args[5]), *args[6:])
        return await call(*args)

    interface.call_notify = notify


async def _disconnect(notifier: Any) -> None:
    """Close desktop-notifier's D-Bus connection (it has no public close; a leak warns).

    WORKAROUND for desktop-notifier 6.2 having no close() (https://github.com/samschott/desktop-notifier);
    look again when DesktopNotifier can be closed: then call that instead."""
    bus = getattr(getattr(notifier, "_backend", None), "bus", None)
    if bus is None:
        return
    try:
        if getattr(bus, "connected", False):
            bus.disconnect()
        # A bus that died (the session bus went away) ends with its error: read it here, or
        # asyncio logs "exception was never retrieved" when it is collected.
        async with asyncio.timeout(2):
            await bus.wait_for_disconnect()
    except Exception:
        log.debug("D-Bus disconnect failed", exc_info=True)
