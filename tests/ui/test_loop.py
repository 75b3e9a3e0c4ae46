"""The Qt event loop kills the Qt timer of a cancelled asyncio timer, so idle means idle."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from outage_radar.ui.loop import QuietEventLoop


async def _work() -> list[float]:
    ran: list[float] = []
    loop = asyncio.get_running_loop()
    for _ in range(50):  # like 50 fetches finishing well before their 12 s deadline
        async with asyncio.timeout(30):
            await asyncio.sleep(0)
    handle = loop.call_later(0.05, lambda: ran.append(loop.time()))
    await asyncio.sleep(0.2)
    assert not handle.cancelled()
    return ran


def test_cancelled_timers_leave_no_qt_timer_behind(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    with asyncio.Runner(loop_factory=lambda: QuietEventLoop(app)) as runner:
        ran = runner.run(_work())
        loop = runner.get_loop()
        assert isinstance(loop, QuietEventLoop)
        assert loop.pending_timers() == 0  # 50 deadlines cancelled: none still armed
        assert loop.timer_ids == {}
    assert len(ran) == 1  # a timer that was not cancelled still fires
