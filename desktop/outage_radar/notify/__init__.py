"""Notifications: one Alert per poll round, shown natively, or in the tray balloon as a fallback.

`Notifier.show(alert)` tries the native service; an alert it does not take (no daemon, no bus,
no answer in time) goes to the fallback (a callable the app supplies: the tray balloon, or the
status window when there is no tray) and is logged as failed. The next alert tries the native
service again, so notifications come back with the daemon; only a platform without one at all
is given up on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..core.alerts import Alert
from .native import IconFor, NativeNotifier, OpenUrl, Unavailable, Unsupported, escape_markup

__all__ = ["Notifier", "NativeNotifier", "Unavailable", "Unsupported", "escape_markup"]

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
        self.failing = False  # the last native send failed: the next one that works says so

    async def show(self, alert: Alert) -> None:
        native = self.native
        if native is not None:
            try:
                await native.show(alert)
            except Unsupported as exc:
                log.warning("%s: alerts go to the tray balloon", exc)
                self.native = None
            except Exception as exc:
                self._failed(exc, alert)
                self._fall_back(alert)
                await native.close()  # after the balloon: the next alert connects afresh
                return
            else:
                if self.failing:
                    log.info("native notifications work again")
                    self.failing = False
                return
        self._fall_back(alert)

    def _failed(self, exc: Exception, alert: Alert) -> None:
        """Logged as failed: a warning when notifications stop working, then quieter."""
        level = logging.INFO if self.failing else logging.WARNING
        unexpected = not isinstance(exc, Unavailable)
        where = "the tray balloon" if self.fallback is not None else "nowhere"
        log.log(
            level,
            "notification failed (%s); shown in %s instead: %s",
            exc,
            where,
            alert.title,
            exc_info=exc if unexpected else None,
        )
        self.failing = True

    def _fall_back(self, alert: Alert) -> None:
        if self.fallback is not None:
            self.fallback(alert)

    async def close(self) -> None:
        if self.native is not None:
            await self.native.close()
