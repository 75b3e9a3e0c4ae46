"""`outage-radar keys set|list|delete`: API keys in the OS keyring, never from an argument.

A key comes from standard input, or from a prompt without echo on a terminal; it is never
printed, logged or written anywhere but the keyring. Exit codes: 0 done, 1 the keyring failed
or there was nothing to delete, 2 bad input.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from ..core.catalog import Catalog
from ..core.credentials import MAX_KEY, CredentialError, Credentials, clean_secret, name_problem
from .commands import UsageError, load_catalog


def probe_keys(catalog: Catalog) -> dict[str, list[str]]:
    """Key name -> the names of the services whose probe uses it."""
    found: dict[str, list[str]] = {}
    for service in catalog:
        if service.probe is not None:
            found.setdefault(service.probe.key, []).append(service.name)
    return found


def _fail(message: str) -> int:
    print(f"outage-radar: {message}", file=sys.stderr)
    return 1


def set_key(
    name: str,
    catalog: Catalog,
    store: Credentials,
    *,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> int:
    if problem := name_problem(name):
        raise UsageError(problem)
    # Python sets sys.stdin to None when started with it closed (`keys set NAME 0<&-`).
    stream = stdin if stdin is not None else sys.stdin
    try:
        if stream is None:
            raw = ""
        elif stream.isatty():
            raw = prompt(f"API key for {name} (typing is hidden): ")
        else:
            raw = stream.read(MAX_KEY + 256)  # bounded: anything longer is not a key
    except EOFError:
        raw = ""
    except (OSError, ValueError) as exc:  # unreadable, closed, or not text in its encoding
        raise UsageError(f"cannot read the key from standard input ({exc})") from None
    try:
        secret = clean_secret(raw)
    except ValueError as exc:
        raise UsageError(
            f"{exc}; give the key on standard input, e.g. keys set {name} < file"
        ) from None
    try:
        store.set(name, secret)
        where = store.backend_name()
    except CredentialError as exc:
        return _fail(f"cannot store the key: {exc}")
    print(f"Stored the key {name!r} in the OS keyring ({where}).")
    users = probe_keys(catalog).get(name)
    if users:
        print(f"Used by the probe of: {', '.join(users)}.")
    else:
        print(
            f"No probe in the catalog uses {name!r} yet: a [service.probe] table with "
            f'key = "{name}" will.',
            file=sys.stderr,
        )
    return 0


def list_keys(catalog: Catalog, store: Credentials) -> int:
    try:
        names = store.names(probe_keys(catalog))
    except CredentialError as exc:
        return _fail(f"cannot read the keyring: {exc}")
    for name in names:
        print(name)
    if not names:
        print("No API keys stored. Add one with: outage-radar keys set openai", file=sys.stderr)
    return 0


def delete_key(name: str, store: Credentials) -> int:
    if problem := name_problem(name):
        raise UsageError(problem)
    try:
        removed = store.delete(name)
    except CredentialError as exc:
        return _fail(f"cannot remove the key: {exc}")
    if not removed:
        return _fail(f"no key named {name!r} is stored")
    print(f"Removed the key {name!r} from the OS keyring.")
    return 0


def run(
    action: str,
    name: str | None,
    path: Path | None,
    store: Credentials | None = None,
    *,
    extra: Sequence[str] = (),
) -> int:
    """Dispatch `keys ACTION [NAME]`; the keyring is only touched here, never at import."""
    if extra:
        raise UsageError(
            "the key is read from standard input or a hidden prompt, never from an argument "
            "(arguments end up in shell history and the process list)"
        )
    store = store or Credentials()
    if action == "set":
        return set_key(name or "", load_catalog(path), store)
    if action == "delete":
        return delete_key(name or "", store)
    return list_keys(load_catalog(path), store)
