"""Fixtures for the reliability suite: rigs closed after each test, a TLS server, tool checks.

Under CI=true a missing tool fails the test instead of skipping it (as in tests/e2e).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.reliability.rig import Rig
from tests.reliability.tlsserver import TLSFakeServer


def require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"tools missing under CI: {missing}")
    pytest.skip(f"tools missing: {missing} (run tests/run.sh as root)")


@pytest.fixture
async def rigs() -> AsyncIterator[list[Rig]]:
    """Rigs made by a test; their HTTP clients are closed so no socket outlives it."""
    made: list[Rig] = []
    yield made
    for rig in made:
        await rig.close()


@pytest.fixture
def tls_server() -> Iterator[TLSFakeServer]:
    srv = TLSFakeServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL that reached the OS: QDesktopServices.openUrl, behind the one open path."""
    from PySide6.QtGui import QDesktopServices

    urls: list[str] = []

    def record(url: object) -> bool:
        # The encoded form is what the browser is handed (toString() shows %20 as a space).
        urls.append(bytes(url.toEncoded()).decode())  # type: ignore[attr-defined]
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(record))
    return urls
