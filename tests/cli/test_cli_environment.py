"""Issue 14 items 6 and 7: an environment or a URL the app cannot use never crashes a command.

Each test runs the real command line in a subprocess with the environment in question, against
pages on the loopback fake server: proxies it cannot use, a log folder it cannot write (the data
folder: test_cli_data_dir.py), a console that is not UTF-8, a stdout that is closed or full, a
closed stdin, a host that is not valid IDNA.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests import payloads
from tests.fakeserver import FakeServer

BOOM = "http://💥.invalid/api/v2/summary.json"
# The documented exit codes (README) when stdout is gone: as a shell reports a program ended by
# SIGPIPE, and sysexits.h's EX_IOERR for any other write error.
CLOSED_PIPE = 141
OUTPUT_ERROR = 74


def run(
    *args: str, env: dict[str, str] | None = None, **options: Any
) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it, with `env` added to the test's own environment."""
    options.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, "-m", "outage_radar", *args],
        encoding="utf-8",
        errors="replace",  # what a console that is not UTF-8 gets is read all the same
        timeout=60,
        env={**os.environ, **(env or {})},
        **options,
    )


def catalog(tmp_path: Path, *pages: tuple[str, str]) -> str:
    """A catalog file with one service per (name, url)."""
    path = tmp_path / "catalog.toml"
    path.write_text(
        "".join(
            f'[[service]]\nid = "s{n}"\nname = "{name}"\nurl = "{url}"\nplatform = "statuspage"\n'
            for n, (name, url) in enumerate(pages)
        ),
        encoding="utf-8",
    )
    return str(path)


def redirect_to_boom(server: FakeServer) -> str:
    """A page that redirects to a host httpx cannot encode (the header carries its UTF-8)."""
    location = BOOM.encode().decode("latin-1")  # http.server writes header values as latin-1
    return server.set("/boom/api/v2/summary.json", b"", status=302, headers={"Location": location})


# -- proxies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ALL_PROXY", "socks5://127.0.0.1:1080"),  # socksio is not installed
        ("HTTP_PROXY", "ftp://127.0.0.1:21"),
        ("HTTPS_PROXY", ":::"),
        ("http_proxy", "http://💥.invalid:3128"),
    ],
)
def test_an_unusable_proxy_is_reported_once_and_ignored(
    server: FakeServer, variable: str, value: str
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    # No NO_PROXY: were the proxy used, the loopback page would go through it.
    out = run("status", "--json", "--url", page, env={variable: value, "NO_PROXY": ""})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["services"][0]["level"] == "operational"
    said = [line for line in out.stderr.splitlines() if variable in line]
    assert len(said) == 1 and "ignored" in said[0], out.stderr
    assert "Traceback" not in out.stderr and value not in out.stderr  # it may hold a password


def test_a_malformed_no_proxy_entry_is_dropped_and_the_others_kept(server: FakeServer) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    # The proxy is a closed port: the page reads only if 127.0.0.1 still bypasses it.
    env = {"HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": "[::1,127.0.0.1,x:abc"}
    out = run("status", "--json", "--url", page, env=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["services"][0]["level"] == "operational"
    said = [line for line in out.stderr.splitlines() if "NO_PROXY" in line]
    assert len(said) == 1 and "[::1" in said[0] and "x:abc" in said[0], out.stderr


# -- data and log folders --------------------------------------------------------------------


def unwritable(tmp_path: Path, shape: str) -> str:
    """A folder the app cannot create its own folder in: a file, or a read-only directory."""
    if shape == "file":
        (tmp_path / "a-file").write_text("")
        return str(tmp_path / "a-file")
    if os.geteuid() == 0:
        return "/proc"  # root writes through any mode bits; nobody creates folders in /proc
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    return str(folder)


@pytest.mark.parametrize("shape", ["file", "read-only"])
def test_an_unwritable_log_folder_logs_to_stderr_and_says_so(
    server: FakeServer, tmp_path: Path, shape: str
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    out = run("status", "--url", page, env={"XDG_STATE_HOME": unwritable(tmp_path, shape)})
    assert out.returncode == 0, out.stderr
    assert "logging to stderr only" in out.stderr and "Traceback" not in out.stderr


# -- output ----------------------------------------------------------------------------------

NOT_UTF8 = {
    "LC_ALL=C without UTF-8 mode": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "ISO-8859-1": {"PYTHONIOENCODING": "iso-8859-1"},
}


@pytest.mark.parametrize("env", NOT_UTF8.values(), ids=NOT_UTF8.keys())
@pytest.mark.parametrize("command", [["services"], ["status"], ["status", "--json"]])
def test_a_console_that_is_not_utf8_never_crashes_the_output(
    server: FakeServer, tmp_path: Path, env: dict[str, str], command: list[str]
) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    names = catalog(tmp_path, ("Café “Ω” " + "é" * 30 + " …", page))  # elided with "…" too
    out = run(*command, "--catalog", names, env=env)
    assert out.returncode == 0, out.stderr
    assert "Caf" in out.stdout and "Traceback" not in out.stderr


def closed_pipe() -> int:
    """The write end of a pipe whose reader is gone, like `| head -1` once head has exited."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["services"]])
def test_a_closed_pipe_ends_the_command_quietly(server: FakeServer, command: list[str]) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    args = [*command, "--url", page] if command[0] == "status" else command
    write = closed_pipe()
    try:
        out = run(*args, stdout=write, stderr=subprocess.PIPE, capture_output=False)
    finally:
        os.close(write)
    assert out.returncode == CLOSED_PIPE
    assert out.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [["services"], ["services", "--json"]])
def test_a_full_stdout_says_so_once_and_exits_with_the_output_error_code(
    command: list[str],
) -> None:
    with open("/dev/full", "w") as full:
        out = run(*command, stdout=full, stderr=subprocess.PIPE, capture_output=False)
    assert out.returncode == OUTPUT_ERROR
    assert out.stderr.splitlines() == [
        "outage-radar: cannot write the output: No space left on device"
    ]


# -- keys ------------------------------------------------------------------------------------


def close_stdin() -> None:
    os.close(0)


@pytest.mark.parametrize(
    "stdin", [{"preexec_fn": close_stdin}, {"stdin": subprocess.DEVNULL}], ids=["closed", "empty"]
)
def test_keys_set_without_standard_input_is_a_usage_error(stdin: dict[str, Any]) -> None:
    out = run("keys", "set", "openai", **stdin)
    assert out.returncode == 2, out.stderr
    assert "standard input" in out.stderr and "Traceback" not in out.stderr


# -- an invalid host -------------------------------------------------------------------------


def test_a_catalog_with_an_invalid_idna_host_is_refused(tmp_path: Path) -> None:
    out = run("services", "--catalog", catalog(tmp_path, ("Boom", BOOM)))
    assert out.returncode == 2
    assert "url has a host name that is not valid IDNA" in out.stderr, out.stderr


def test_status_refuses_an_invalid_idna_url_as_a_usage_error() -> None:
    out = run("status", "--url", BOOM)
    assert out.returncode == 2
    assert "not valid IDNA" in out.stderr and "Traceback" not in out.stderr, out.stderr


def good_and_boom(server: FakeServer) -> tuple[str, str]:
    return server.set("/api/v2/summary.json", payloads.summary()), redirect_to_boom(server)


def test_status_keeps_the_good_pages_when_one_leads_to_an_invalid_host(
    server: FakeServer,
) -> None:
    good, boom = good_and_boom(server)
    out = run("status", "--json", "--url", good, "--url", boom)
    assert out.returncode == 3, out.stderr
    first, second = json.loads(out.stdout)["services"]
    assert first["level"] == "operational"
    assert second["level"] == "unknown" and second["error"].startswith("bad URL"), second


def test_doctor_keeps_the_good_pages_when_one_leads_to_an_invalid_host(
    server: FakeServer, tmp_path: Path, isolated_home: Path
) -> None:
    good, boom = good_and_boom(server)
    neutral = server.set("/", b"ok", content_type="text/plain")
    settings = isolated_home / "config" / "outage-radar" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(f'neutral_hosts = ["{neutral}"]\n')
    names = catalog(tmp_path, ("Good", good), ("Boom", boom))
    out = run("doctor", "--json", "--catalog", names)
    assert "Traceback" not in out.stderr, out.stderr
    first, second = json.loads(out.stdout)["services"]
    assert first["page"] == {"level": "operational", "error": None}, out.stdout
    assert second["page"]["error"].startswith("bad URL"), out.stdout


def test_watch_ends_quietly_when_its_reader_is_gone(server: FakeServer, tmp_path: Path) -> None:
    page = server.set("/api/v2/summary.json", payloads.summary())
    write = closed_pipe()
    command = ["watch", "--interval", "5", "--catalog", catalog(tmp_path, ("Lab", page))]
    with subprocess.Popen(
        [sys.executable, "-m", "outage_radar", *command],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        os.close(write)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not server.hits.get("/api/v2/summary.json"):
            time.sleep(0.05)
        server.set("/api/v2/summary.json", payloads.summary("major_outage"))
        try:
            _, err = proc.communicate(timeout=40)  # the change is confirmed within 2 polls
        finally:
            proc.kill()
    assert proc.returncode == CLOSED_PIPE, err
    assert err == ""
