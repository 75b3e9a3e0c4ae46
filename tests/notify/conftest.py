"""Fixtures for notify tests: a private session bus (killable), set as the process's bus."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.notify.notification_server import BusDaemon


@pytest.fixture
def bus_daemon(monkeypatch: pytest.MonkeyPatch) -> Iterator[BusDaemon]:
    daemon = BusDaemon()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", daemon.address)
    yield daemon
    daemon.kill()


@pytest.fixture
def session_bus(bus_daemon: BusDaemon) -> str:
    return bus_daemon.address


@pytest.fixture(autouse=True)
def collected() -> Iterator[None]:
    """Garbage collected after each test, while nothing else runs.

    A bus that died leaves dbus-fast's write futures failed with EPIPE and never read; collected
    later, asyncio logs them from inside whatever runs then, and inside pytest's own ast.parse
    that trips CPython 3.11's "AST constructor recursion depth mismatch" (a nested parse).
    """
    yield
    gc.collect()
