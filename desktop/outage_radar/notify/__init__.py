"""Notifications: one Alert per poll round, shown natively, or in the tray balloon as a fallback.

`Notifier.show(alert)` tries the native service first; once it proves unavailable, every later
alert goes straight to the fallback (a callable the app supplies: the tray balloon, or the
status window when there is no tray).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..core.alerts import Alert
from .native import IconFor, NativeNotifier, OpenUrl, Unavailable, escape_markup

__all__ = ["Notifier", "NativeNotifier", "Unavailable", "escape_markup"]

log = logging.getLogger(__name__)


class Notifier:
    def __init__(
        self,
        open_url: OpenUrl,
        fallback: Callable[[Alert], None] | None = None,
        *,
        native: NativeNotifier | None = None,
        icon_for: IconFor | None = None,
    ) -> None:
        self.native: NativeNotifier | None = native or NativeNotifier(open_url, icon_for=icon_for)
        self.fallback = fallback

    async def show(self, alert: Alert) -> None:
        if self.native is not None:
            try:
                await self.native.show(alert)
                return
            except Unavailable as exc:
                log.warning("%s: falling back to the tray balloon", exc)
                self.native = None
            except Exception:
                log.exception("native notification failed; using the tray balloon this time")
        if self.fallback is not None:
            self.fallback(alert)

    async def close(self) -> None:
        if self.native is not None:
            await self.native.close()
