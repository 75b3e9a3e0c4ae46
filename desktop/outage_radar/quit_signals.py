"""SIGINT, SIGHUP and SIGTERM end the tray app cleanly, at any moment from the start of run_tray.

Before the event loop runs, the handler only notes the signal. Raising from it (Python's own
KeyboardInterrupt) can land inside an import of PySide6, where libshiboken aborts the process
(a core dump), or between creating the single-instance socket and the code that removes it;
so run_tray asks `stopping()` between the steps of its start and quits there. Once the loop
runs, asyncio's signal handling (a wakeup fd the Qt loop watches) calls the quit at once, and
during the shutdown the signals are noted again, so a second one cannot cut the cleanup short.

A quit asked by a signal exits with 0, like the Quit menu. The command line installs this before
it imports the app; only a signal sent before that (the interpreter starting and the command line
being read, the first tens of milliseconds) takes its default effect (exit status -SIG): nothing
exists yet that would need cleaning up.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio  # imported by the app only after its first icon is on screen

log = logging.getLogger(__name__)

# SIGHUP: the terminal or the session went away. Windows has only INT and TERM.
QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGHUP", "SIGTERM") if hasattr(signal, name)
)


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class QuitSignals:
    """The quit signals of one run_tray: noted, then wired to the loop, then given back."""

    def __init__(self) -> None:
        self.caught: int | None = None
        self._old: dict[int, Any] = {}  # the handlers this replaced, put back by restore()
        self._said = False

    def install(self) -> None:
        """Note the quit signals from now on (main thread only: elsewhere nothing changes)."""
        for sig in QUIT_SIGNALS:
            try:
                self._old[sig] = signal.signal(sig, self._note)
            except ValueError:
                return  # not the main thread (an embedding, a test): signals stay as they were

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        # A signal handler: no logging here (its lock may be held by the code it interrupted).
        if self.caught is None:
            self.caught = signum

    def stopping(self) -> bool:
        """Whether a quit signal came (said once in the log)."""
        if self.caught is not None and not self._said:
            self._said = True
            log.info("quitting on %s", signal_name(self.caught))
        return self.caught is not None

    def attach(self, loop: asyncio.AbstractEventLoop, quit_app: Callable[[], None]) -> None:
        """While the loop runs a signal quits at once; one noted before quits now."""
        for sig in list(self._old):
            try:
                loop.add_signal_handler(sig, self._fire, sig, quit_app)
            except (NotImplementedError, RuntimeError, ValueError):
                # Windows: no signal handling in the loop; Ctrl+C ends the process as usual.
                signal.signal(sig, self._old.pop(sig))
        if self.stopping():
            quit_app()

    def _fire(self, signum: int, quit_app: Callable[[], None]) -> None:
        self._note(signum, None)
        self.stopping()
        quit_app()

    def detach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop is ending: signals are noted again while the app cleans up."""
        for sig in self._old:
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass
            signal.signal(sig, self._note)

    def restore(self) -> None:
        """Give the signals back as they were before install()."""
        for sig, old in self._old.items():
            signal.signal(sig, old)
        self._old.clear()
