"""API keys: kept only in the keyring, never echoed, and every keyring failure explained."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import keyring.backend
import keyring.core
import pytest
from keyring.errors import KeyringLocked, NoKeyringError, PasswordSetError

from outage_radar.cli import keys as keys_cli
from outage_radar.core import catalog as catalog_mod
from outage_radar.core import credentials as cred
from outage_radar.core.credentials import CredentialError, Credentials
from tests.fakeapi import MemoryKeyring

SECRET = "sk-test-4f8a2c1e9b7d6a5f3e2d1c0b"


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


def test_set_list_delete_round_trip_and_names_only(backend: MemoryKeyring) -> None:
    store = Credentials(backend)
    store.set("openai", SECRET + "\n")  # a piped key ends with a newline
    store.set("my-lab", "key-two")
    assert store.get("openai") == SECRET
    assert store.names() == ["my-lab", "openai"]
    # Catalog names are checked too (a key stored by another tool), unknown ones left out.
    backend.items[(cred.SERVICE, "gemini")] = "g"
    assert store.names(["gemini", "cohere"]) == ["gemini", "my-lab", "openai"]
    assert store.delete("openai") is True
    assert store.delete("openai") is False
    assert store.get("openai") is None
    assert store.names() == ["my-lab"]
    assert store.get(cred.INDEX) is None  # the index of names is never handed out as a key


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("  \n", "empty"),
        ("sk one", "visible ASCII"),
        ("sk-\x1b[2J", "visible ASCII"),
        ("sk-a\r\nX-Evil: 1", "visible ASCII"),
        ("x" * (cred.MAX_KEY + 1), "longer than"),
    ],
)
def test_unusable_keys_are_refused_without_quoting_them(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        Credentials(MemoryKeyring()).set("openai", raw)
    if raw.strip():
        assert raw.strip() not in str(caught.value)


def test_bad_names_are_refused(backend: MemoryKeyring) -> None:
    for name in ("", "Open AI", "../x", ".names", "a" * 65):
        with pytest.raises(ValueError, match="1-64 characters"):
            Credentials(backend).set(name, SECRET)
    assert backend.items == {}


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NoKeyringError("No recommended backend"), ["no OS keyring", "gnome-keyring", "never"]),
        (KeyringLocked("Failed to unlock"), ["locked", "Unlock it"]),
        (PasswordSetError(f"cannot store {SECRET}"), ["PasswordSetError", "running and unlocked"]),
        (OSError("dbus connection reset"), ["OSError", "try again"]),
    ],
)
def test_keyring_failures_say_how_to_fix_them_and_hide_details(
    backend: MemoryKeyring, error: Exception, words: list[str]
) -> None:
    backend.fail = error
    for call in (lambda s: s.get("openai"), lambda s: s.set("openai", SECRET), Credentials.names):
        with pytest.raises(CredentialError) as caught:
            call(Credentials(backend))
        message = str(caught.value)
        assert all(w in message for w in words), message
        assert SECRET not in message and SECRET not in repr(caught.value)
        # `from None`: a traceback would not show the backend's own text either.
        assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_plaintext_backend_is_never_picked_automatically(monkeypatch: pytest.MonkeyPatch) -> None:
    class PlaintextKeyring(MemoryKeyring):
        """Looks like keyrings.alt's file backend: viable, but not an OS keyring."""

    plain = PlaintextKeyring()
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [plain])
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(CredentialError, match="no OS keyring"):
        Credentials().set("openai", SECRET)
    assert plain.items == {}


def _run_cli(*args: str, stdin: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outage_radar", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_without_dbus_keys_set_fails_clearly_with_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTHON_KEYRING"))}
    env |= {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    (tmp_path / "run").mkdir()
    for args in (("keys", "set", "openai"), ("keys", "list"), ("probe", "--json")):
        out = _run_cli(*args, stdin=SECRET + "\n", env=env)
        assert out.returncode == 1, (args, out.stderr)
        assert "no OS keyring is available" in out.stderr and "gnome-keyring" in out.stderr
        assert "Traceback" not in out.stderr
        assert SECRET not in out.stdout + out.stderr
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and SECRET in p.read_text("latin-1")]
    assert leftovers == []


def test_a_key_given_as_an_argument_is_refused_and_not_echoed() -> None:
    out = _run_cli("keys", "set", "openai", SECRET, stdin="", env=dict(os.environ))
    assert out.returncode == 2
    assert "never from an argument" in out.stderr
    assert SECRET not in out.stdout + out.stderr


def test_keys_commands_in_process(
    backend: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    builtin = catalog_mod.load_builtin()
    store = Credentials(backend)
    assert keys_cli.set_key("openai", builtin, store, stdin=io.StringIO(SECRET + "\n")) == 0
    out = capsys.readouterr()
    assert "Stored the key 'openai'" in out.out and "OpenAI API" in out.out
    assert keys_cli.list_keys(builtin, store) == 0
    assert capsys.readouterr().out.split() == ["openai"]
    assert keys_cli.delete_key("openai", store) == 0
    assert keys_cli.delete_key("openai", store) == 1
    out = capsys.readouterr()
    assert "no key named 'openai'" in out.err
    assert SECRET not in json.dumps([out.out, out.err])


def test_on_a_terminal_the_key_comes_from_a_hidden_prompt(
    backend: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []

    def prompt(text: str) -> str:
        prompts.append(text)
        return SECRET

    builtin = catalog_mod.load_builtin()
    code = keys_cli.set_key("gemini", builtin, Credentials(backend), stdin=Tty(), prompt=prompt)
    assert code == 0 and prompts == ["API key for gemini (typing is hidden): "]
    assert backend.items[(cred.SERVICE, "gemini")] == SECRET
    assert SECRET not in capsys.readouterr().out


def test_a_locked_keyring_makes_keys_set_exit_1_with_advice(
    backend: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.fail = KeyringLocked("Failed to unlock the collection!")
    builtin = catalog_mod.load_builtin()
    code = keys_cli.set_key("openai", builtin, Credentials(backend), stdin=io.StringIO(SECRET))
    assert code == 1
    err = capsys.readouterr().err
    assert "keyring is locked" in err and "Unlock it" in err and SECRET not in err


def test_keyring_loads_only_for_commands_that_need_it_and_qt_never() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from outage_radar.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['services', '--json'])\n"
        "before = 'keyring' in sys.modules\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['keys', 'list'])\n"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qasync'))]\n"
        "print(before, 'keyring' in sys.modules, qt)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBUS_")}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.stdout.split("\n")[0] == "False True []", proc.stderr


def test_a_key_read_from_the_keyring_is_masked_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from outage_radar import redact
    from outage_radar.core.credentials import Credentials
    from tests.fakeapi import MemoryKeyring

    shapeless = "Zq8vTn3LkW0pX7rB"  # no provider prefix: only remember() can catch it
    creds = Credentials(backend=MemoryKeyring())
    creds.set("acme", shapeless)
    assert creds.get("acme") == shapeless
    record = logging.LogRecord(
        "outage_radar", logging.ERROR, __file__, 1, "request failed with %s", (shapeless,), None
    )
    text = redact.RedactingFormatter("%(message)s").format(record)
    assert shapeless not in text and redact.MASK in text
