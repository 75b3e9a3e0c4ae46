"""Fixtures for desktop end-to-end tests; under CI=true a missing tool fails instead of skipping."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.desktop import Desktop, missing_tools


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    missing = missing_tools()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"desktop tools missing under CI: {missing}")
        pytest.skip(f"desktop tools missing: {missing} (run tests/run.sh as root)")
    desk = Desktop(tmp_path)
    try:
        desk.start()
        yield desk
    finally:
        desk.stop()  # also when start() failed half-way: no X server or daemon left behind
