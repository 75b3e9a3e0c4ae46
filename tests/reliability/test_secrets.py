"""Secrets and logs: a known API key never reaches the log, settings, history, output or errors.

The keyring side (keys stored only there, `keys` commands) is tested with the probes; here the
app's own sinks are: the rotating log with `--debug`, tracebacks in it, the monitor's error
texts (shown in menus and the CLI), the history file and whatever a real CLI run writes.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from outage_radar import logs, paths
from outage_radar.core.history import History
from outage_radar.redact import MASK, remember
from tests import payloads
from tests.fakeserver import FakeServer
from tests.reliability.rig import Rig

OPENAI = "sk-proj-Rel1abilityTestKey0123456789abcdef"
ANTHROPIC = "sk-ant-api03-Rel1abilityTestKey0123456789"
GOOGLE = "AIzaSyRel1abilityTestKey0123456789abcdefg"
SHAPELESS = "correct-horse-battery-staple-4711"
KEYS = (OPENAI, ANTHROPIC, GOOGLE, SHAPELESS)


@pytest.fixture
def fresh_logging() -> Iterator[logging.Logger]:
    """The app's logger as a fresh process has it, restored afterwards."""
    root = logging.getLogger("outage_radar")
    saved = root.handlers[:], root.level, root.propagate
    root.handlers.clear()
    yield root
    for handler in root.handlers:
        handler.close()
    root.handlers[:], root.level, root.propagate = saved


def test_debug_log_and_console_redact_keys_headers_and_tracebacks(
    fresh_logging: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.setup(debug=True, console=True)
    log = logging.getLogger("outage_radar.core.probes")
    remember(SHAPELESS)  # what the credentials store does with a key it reads
    log.debug("request headers %s", {"Authorization": f"Bearer {OPENAI}", "x-api-key": ANTHROPIC})
    log.info("GET https://generativelanguage.example/v1beta/models?key=%s", GOOGLE)
    log.warning("the key is %s", SHAPELESS)
    try:
        raise RuntimeError(f"401 Unauthorized: x-goog-api-key={GOOGLE} Bearer {OPENAI}")
    except RuntimeError:
        log.exception("probe failed")
    for handler in fresh_logging.handlers:
        handler.flush()
    text = (paths.user_log_dir() / "outage-radar.log").read_text()
    console = capsys.readouterr().err
    assert "RuntimeError: 401 Unauthorized" in text and "probe failed" in console
    for key in KEYS:
        assert key not in text and key not in console, key
    assert text.count(MASK) >= 6


async def test_a_key_in_a_page_url_never_reaches_an_error_or_the_history(
    server: FakeServer, rigs: list[Rig], tmp_path: Path, fresh_logging: logging.Logger
) -> None:
    logs.setup(debug=True)
    history = History(tmp_path / "h.sqlite3")
    faults = ["server_error", "redirect_file", "html", "bad_json", "rate_limit", "reset"]
    urls = {f: server.fault(f"/{f}.json", f) + f"?key={GOOGLE}" for f in faults}
    urls["ok"] = server.set("/ok.json", payloads.summary()) + f"?api_key={OPENAI}"
    rig = Rig(urls, history=history)
    rigs.append(rig)
    await rig.run_for(5 * 60)
    history.close()
    shown = [f"{s.level} {s.snapshot.error}" for s in rig.monitor.states.values()]
    assert all(rig.error(f) for f in faults)
    stored = (tmp_path / "h.sqlite3").read_bytes()
    text = (paths.user_log_dir() / "outage-radar.log").read_text()
    for key in (GOOGLE, OPENAI):
        assert not any(key in line for line in shown)
        assert key.encode() not in stored and key not in text


def test_a_real_cli_run_with_keys_in_its_environment_leaks_nothing(
    server: FakeServer, isolated_home: Path
) -> None:
    env = dict(os.environ, OPENAI_API_KEY=OPENAI, ANTHROPIC_API_KEY=ANTHROPIC)
    env["GEMINI_API_KEY"] = GOOGLE
    good = server.set("/a/api/v2/summary.json", payloads.summary())
    bad = server.fault("/b/api/v2/summary.json", "server_error")
    runs = [
        ["--debug", "status", "--json", "--url", good, "--url", bad],
        ["--debug", "status", "--url", good, "--url", bad],
        ["--debug", "services", "--json"],
    ]
    captured = ""
    for args in runs:
        out = subprocess.run(
            [sys.executable, "-m", "outage_radar", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        captured += out.stdout + out.stderr
    assert "operational" in captured
    files = [p for p in isolated_home.rglob("*") if p.is_file()]
    for key in (OPENAI, ANTHROPIC, GOOGLE):
        assert key not in captured
        for path in files:
            assert key.encode() not in path.read_bytes(), path
