# ruff: noqa: F821, F722, UP037, N802
"""A recording org.freedesktop.Notifications server on a private dbus-daemon, for notify tests.

`Recorder` answers like dunst and keeps every Notify call; `Silent` takes the call and never
answers (a hung daemon). `BusDaemon` is the private session bus, which a test may kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
from typing import Any

import pytest
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal


class Recorder(ServiceInterface):
    def __init__(self, caps: list[str]) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.caps = caps
        self.calls: list[tuple[Any, ...]] = []

    @method()
    def GetCapabilities(self) -> "as":
        return self.caps

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["recorder", "tests", "1", "1.2"]

    @method()
    def Notify(
        self,
        app: "s",
        replaces: "u",
        icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        timeout: "i",
    ) -> "u":
        self.calls.append((app, summary, body, actions))
        return len(self.calls)

    @method()
    def CloseNotification(self, nid: "u"):
        pass

    @signal()
    def ActionInvoked(self, nid: int, key: str) -> "us":
        return [nid, key]

    @signal()
    def NotificationClosed(self, nid: int, why: int) -> "uu":
        return [nid, why]


class Silent(ServiceInterface):
    """A daemon that hangs: it owns the name, takes calls and answers none of them
    (`hang_all=False`: it still says what it can, and hangs on Notify only)."""

    def __init__(self, hang_all: bool) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.hang_all = hang_all
        self.calls = 0
        self.never = asyncio.Event()

    @method()
    async def GetCapabilities(self) -> "as":
        if self.hang_all:
            await self.never.wait()
        return ["body", "actions"]

    @method()
    async def GetServerInformation(self) -> "ssss":
        if self.hang_all:
            await self.never.wait()
        return ["silent", "tests", "1", "1.2"]

    @method()
    async def Notify(
        self,
        app: "s",
        replaces: "u",
        icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        timeout: "i",
    ) -> "u":
        self.calls += 1
        await self.never.wait()
        return 1


class BusDaemon:
    """A private dbus-daemon session bus; `kill()` takes it away under a running app."""

    def __init__(self) -> None:
        if shutil.which("dbus-daemon") is None:
            if os.environ.get("CI") == "true":
                pytest.fail("dbus-daemon missing under CI")
            pytest.skip("needs dbus-daemon (run tests/run.sh as root)")
        self.proc = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.address = self.proc.stdout.readline().strip()
        self.proc.stdout.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(5)


async def serve(iface: ServiceInterface) -> MessageBus:
    """Own org.freedesktop.Notifications on the session bus with this server object."""
    bus = await MessageBus(bus_address=os.environ["DBUS_SESSION_BUS_ADDRESS"]).connect()
    bus.export("/org/freedesktop/Notifications", iface)
    await bus.request_name("org.freedesktop.Notifications")
    return bus


async def stop(bus: MessageBus) -> None:
    """The daemon goes away: its connection closes and the name is free."""
    if bus.connected:
        bus.disconnect()
    with contextlib.suppress(Exception):  # a bus that died ends with its error: read it
        await bus.wait_for_disconnect()


async def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


async def serve_recorder(caps: list[str]) -> tuple[MessageBus, Recorder]:
    recorder = Recorder(caps)
    return await serve(recorder), recorder
