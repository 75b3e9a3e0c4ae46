"""API keys in the OS keyring only: a small store over `keyring` with an injectable backend.

Every keyring failure becomes a `CredentialError` whose message says how to fix it; nothing is
ever written anywhere else as a fallback. `keyring` is imported on first use, so commands that
need no key never load it. Every call may block (D-Bus, an unlock prompt): the UI runs them in a
worker thread.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from .. import redact

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE = "outage-radar"  # the keyring's "service" under which every key is filed
INDEX = ".names"  # the names we stored, so `keys list` can show them (a name never starts with .)
MAX_KEY = 8192
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# The backends that are an OS keyring; any other is refused unless the user configured it.
OS_BACKENDS = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
)
_FRIENDLY = {
    "SecretService": "Secret Service",
    "libsecret": "Secret Service (libsecret)",
    "kwallet": "KWallet",
    "macOS": "macOS Keychain",
    "Windows": "Windows Credential Locker",
}

NO_KEYRING = (
    "no OS keyring is available. Outage Radar keeps API keys only in the OS keyring (Secret "
    "Service on Linux, Keychain on macOS, Credential Locker on Windows) and never in a file. "
    "On Linux, run it in a desktop session with D-Bus and a Secret Service provider such as "
    "GNOME Keyring or KWallet (e.g. install gnome-keyring), then try again."
)
LOCKED = (
    "the OS keyring is locked. Unlock it (log in to your desktop session, or unlock the default "
    "keyring in Passwords and Keys / KWallet Manager / Keychain Access), then try again."
)


class CredentialError(Exception):
    """The keyring cannot be used; the message says why and what to do. It never holds a key."""


class Backend(Protocol):
    """What we use of a `keyring.backend.KeyringBackend`."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a key, or None: 1-64 of a-z 0-9 . _ - (like catalog ids)."""
    if _NAME.fullmatch(name):
        return None
    return "a key name is 1-64 characters of a-z 0-9 . _ - starting with a letter or digit"


def clean_secret(raw: str) -> str:
    """The key as typed or piped, without surrounding blanks; ValueError (key-free) if unusable."""
    secret = raw.strip()
    if not secret:
        raise ValueError("the key is empty")
    if len(secret) > MAX_KEY:
        raise ValueError(f"the key is longer than {MAX_KEY} characters")
    # It goes into an HTTP header: one token of visible ASCII, nothing that could split a header.
    if not all(0x21 <= ord(ch) <= 0x7E for ch in secret):
        raise ValueError("the key must be one line of visible ASCII characters, without spaces")
    return secret


def _is_os_backend(backend: object) -> bool:
    return type(backend).__module__.startswith(OS_BACKENDS)


def _os_keyring() -> Backend:
    """keyring's own choice, limited to OS backends so a plaintext one is never picked silently.

    A backend the user named (PYTHON_KEYRING_BACKEND or keyringrc.cfg) is their explicit
    choice and is honoured; that is not a fallback.
    """
    try:
        import keyring
        import keyring.core
    except ImportError:  # a broken install: same advice as no keyring at all
        raise CredentialError(NO_KEYRING) from None
    keyring.core.init_backend(limit=_is_os_backend)
    return keyring.get_keyring()


def _translate(exc: Exception) -> CredentialError:
    """A key-free message for a keyring failure (its own text is not shown: it may quote data)."""
    try:
        from keyring.errors import KeyringLocked, NoKeyringError
    except ImportError:
        return CredentialError(NO_KEYRING)
    if isinstance(exc, NoKeyringError):
        return CredentialError(NO_KEYRING)
    if isinstance(exc, KeyringLocked):
        return CredentialError(LOCKED)
    log.info("keyring call failed: %s", type(exc).__name__)  # the caller shows the advice
    return CredentialError(
        f"the OS keyring failed ({type(exc).__name__}). Check that your keyring service is "
        "running and unlocked (on Linux: gnome-keyring or KWallet in your session), then try again."
    )


def _guarded(fn: Callable[[], T]) -> T:
    """Run one keyring call; any failure becomes a CredentialError that says what to do."""
    try:
        return fn()
    except CredentialError:
        raise
    except Exception as exc:
        # `from None`: the original may carry backend details; the message says what to do.
        raise _translate(exc) from None


class Credentials:
    """Named API keys in the OS keyring (or in an injected backend, for tests)."""

    def __init__(self, backend: Backend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = _guarded(_os_keyring)
        return self._backend

    def backend_name(self) -> str:
        """A user-facing name of where keys go, e.g. 'Secret Service'."""
        module = type(self.backend).__module__
        return next((v for k, v in _FRIENDLY.items() if module.endswith(k)), module)

    def get(self, name: str) -> str | None:
        if name_problem(name):
            return None  # also keeps the index entry from being read as a key
        backend = self.backend
        secret = _guarded(lambda: backend.get_password(SERVICE, name))
        if secret:
            # A key of no recognisable shape is still masked in any log line from now on.
            redact.remember(secret)
        return secret

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    def set(self, name: str, secret: str) -> None:
        if problem := name_problem(name):
            raise ValueError(problem)
        secret = clean_secret(secret)
        backend = self.backend

        def store() -> None:
            backend.set_password(SERVICE, name, secret)
            self._index(add=name)

        _guarded(store)

    def delete(self, name: str) -> bool:
        """Remove a key; False when there was none."""
        if problem := name_problem(name):
            raise ValueError(problem)
        backend = self.backend

        def remove() -> bool:
            found = backend.get_password(SERVICE, name) is not None
            if found:
                backend.delete_password(SERVICE, name)
            self._index(drop=name)
            return found

        return _guarded(remove)

    def names(self, candidates: Iterable[str] = ()) -> list[str]:
        """The names that hold a key: the ones we stored plus `candidates` (catalog probe keys)."""
        backend = self.backend
        wanted = {c for c in candidates if not name_problem(c)}

        def present() -> list[str]:
            known = set(self._read_index()) | wanted
            return sorted(n for n in known if backend.get_password(SERVICE, n) is not None)

        return _guarded(present)

    def _read_index(self) -> list[str]:
        raw = self.backend.get_password(SERVICE, INDEX) or ""
        return [n for n in raw.split(",") if n and not name_problem(n)]

    def _index(self, *, add: str = "", drop: str = "") -> None:
        # Keyrings cannot list their entries portably; the index of names lives in the keyring too.
        names = [n for n in self._read_index() if n != drop]
        if add and add not in names:
            names.append(add)
        value = ",".join(sorted(names))
        if value:
            self.backend.set_password(SERVICE, INDEX, value)
        elif self.backend.get_password(SERVICE, INDEX) is not None:
            self.backend.delete_password(SERVICE, INDEX)
