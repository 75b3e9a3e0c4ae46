"""The single-instance socket: a second launch raises the first, a crash leaves nothing stuck."""

from __future__ import annotations

import os
import socket
import stat
import uuid

import pytest
from pytestqt.qtbot import QtBot

from outage_radar.ui import single_instance_qt
from outage_radar.ui.single_instance import SingleInstance, socket_path


@pytest.fixture
def name(monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str]) -> str:
    monkeypatch.setenv("XDG_RUNTIME_DIR", os.fspath(tmp_path))
    return f"test-{uuid.uuid4().hex[:8]}"


def test_a_second_launch_raises_the_first_and_nothing_else_does(qtbot: QtBot, name: str) -> None:
    first = SingleInstance(name)
    assert first.listen()
    path = socket_path(name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # other users cannot poke it
    with qtbot.waitSignal(first.show_requested, timeout=3000):
        assert SingleInstance(name).notify_running()
    # Anything but the one line is ignored.
    shown: list[bool] = []
    first.show_requested.connect(lambda: shown.append(True))
    with socket.socket(socket.AF_UNIX) as stranger:
        stranger.connect(os.fspath(path))
        stranger.sendall(b"GET / HTTP/1.1\r\n\r\n")
    qtbot.wait(300)
    assert shown == []
    first.close()
    assert not path.exists()
    assert not SingleInstance(name).notify_running()


def test_a_socket_left_by_a_crash_does_not_block_the_next_start(qtbot: QtBot, name: str) -> None:
    path = socket_path(name)
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(os.fspath(path))
    crashed.close()  # the file stays, nobody listens: what kill -9 leaves
    assert path.exists()
    assert not SingleInstance(name).notify_running()
    again = SingleInstance(name)
    assert again.listen()
    with qtbot.waitSignal(again.show_requested, timeout=3000):
        assert SingleInstance(name).notify_running()
    again.close()


def test_the_qt_fallback_used_on_windows_also_works(qtbot: QtBot, name: str) -> None:
    holder = SingleInstance(name)
    shown: list[bool] = []
    server = single_instance_qt.listen(holder, name, 1000, b"show\n", lambda: shown.append(True))
    assert server is not None
    assert single_instance_qt.notify_running(name, 1000, b"show\n")
    qtbot.waitUntil(lambda: shown == [True], timeout=3000)
    single_instance_qt.close(server)
    assert not single_instance_qt.notify_running(name, 300, b"show\n")


def test_a_socket_planted_by_another_user_is_not_trusted(qtbot: QtBot, name: str) -> None:
    if os.getuid() != 0:
        pytest.skip("handing a file to another user needs root")  # CI runs as root
    planted = socket.socket(socket.AF_UNIX)
    path = socket_path(name)
    planted.bind(os.fspath(path))
    planted.listen(1)
    os.chown(path, 65534, 65534)  # nobody
    try:
        assert not SingleInstance(name).notify_running()  # so this launch starts normally
    finally:
        planted.close()
        path.unlink()
