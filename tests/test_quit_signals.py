"""QuitSignals: noted before the loop, quit at once while it runs, given back at the end."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from outage_radar.quit_signals import QUIT_SIGNALS, QuitSignals

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def test_a_signal_before_the_loop_is_only_noted() -> None:
    before = {sig: signal.getsignal(sig) for sig in QUIT_SIGNALS}
    signals = QuitSignals()
    signals.install()
    try:
        assert not signals.stopping()
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt: only noted
        os.kill(os.getpid(), signal.SIGHUP)  # and not the default (end the process)
        assert signals.caught == signal.SIGINT  # the first one counts
        assert signals.stopping()
    finally:
        signals.restore()
    assert {sig: signal.getsignal(sig) for sig in QUIT_SIGNALS} == before


async def test_a_signal_while_the_loop_runs_quits_at_once() -> None:
    signals = QuitSignals()
    signals.install()
    quit_asked = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        signals.attach(loop, quit_asked.set)
        assert not quit_asked.is_set()
        os.kill(os.getpid(), signal.SIGHUP)
        async with asyncio.timeout(2):
            await quit_asked.wait()
        assert signals.caught == signal.SIGHUP
        signals.detach(loop)
        os.kill(os.getpid(), signal.SIGTERM)  # during the cleanup: noted, nothing cut short
    finally:
        signals.restore()


async def test_a_signal_noted_while_starting_quits_when_the_loop_runs() -> None:
    signals = QuitSignals()
    signals.install()
    quit_asked: list[bool] = []
    loop = asyncio.get_running_loop()
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        signals.attach(loop, lambda: quit_asked.append(True))
        assert quit_asked == [True]
        signals.detach(loop)
    finally:
        signals.restore()
