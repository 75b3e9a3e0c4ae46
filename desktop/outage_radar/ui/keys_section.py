"""The settings window's API keys: a masked field per provider, with Test and Remove buttons.

Keys go to and come from the OS keyring only, in a worker thread (a keyring call may wait on
D-Bus or an unlock prompt), never on the UI thread. A stored key is never read back into a
field: the field only ever holds what the user pastes, and is cleared once it is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from ..core.catalog import Probe, Service
from ..core.credentials import CredentialError, Credentials, clean_secret
from ..core.probes import ProbeResult, run_probe
from ..core.tasks import TaskSet
from .labels import plain
from .widgets import ReturnField, plain_label

log = logging.getLogger(__name__)
Tester = Callable[[str, Probe, str], Awaitable[ProbeResult]]


@dataclass
class _Row:
    service: str  # the service whose probe a Test runs
    probe: Probe
    field: QLineEdit
    test: QPushButton
    remove: QPushButton
    status: QLabel


class KeysSection(QWidget):
    changed = Signal()  # a key was stored or removed: the app probes again

    def __init__(
        self, services: Iterable[Service], store: Credentials, *, tester: Tester | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.tester: Tester = tester or (lambda sid, probe, key: run_probe(sid, probe, key))
        self.rows: dict[str, _Row] = {}
        self.tasks = TaskSet()  # keyring calls and tests, never on the UI thread
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.note = plain_label(
            "Keys are kept in your OS keyring, never in the settings file. Paste a key and "
            "press Test to save and check it."
        )
        grid.addWidget(self.note, 0, 0, 1, 4)
        users: dict[str, list[tuple[Service, Probe]]] = {}
        for service in services:
            if service.probe is not None:
                users.setdefault(service.probe.key, []).append((service, service.probe))
        for name, group in users.items():
            line = 1 + 2 * len(self.rows)
            field = ReturnField()
            field.setEchoMode(QLineEdit.EchoMode.Password)  # masked, and Qt blocks copying it
            field.setObjectName(f"key-{name}")
            first, probe = group[0]
            row = _Row(
                first.id, probe, field, QPushButton("Test"), QPushButton("Remove"), plain_label()
            )
            title = " / ".join(plain(s.name, 40) for s, _ in group)
            grid.addWidget(plain_label(title), line, 0)
            grid.addWidget(field, line, 1)
            grid.addWidget(row.test, line, 2)
            grid.addWidget(row.remove, line, 3)
            grid.addWidget(row.status, line + 1, 1, 1, 3)
            row.test.clicked.connect(partial(self._spawn_for, self.test_key, name))
            row.remove.clicked.connect(partial(self._spawn_for, self.remove_key, name))
            field.returnPressed.connect(partial(self._spawn_for, self.test_key, name))
            self.rows[name] = row
        self._show_stored(set())

    # -- background work ---------------------------------------------------------------------
    def _spawn_for(
        self, job: Callable[[str], Coroutine[Any, Any, None]], name: str, *_: object
    ) -> None:
        self.spawn(job(name))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self.tasks.spawn(coro)

    async def drain(self) -> None:
        await self.tasks.drain()

    def _show_stored(self, stored: set[str]) -> None:
        for name, row in self.rows.items():
            row.field.setPlaceholderText(
                "Stored in your keyring" if name in stored else "Paste your API key"
            )
            row.remove.setEnabled(name in stored)

    async def refresh(self) -> None:
        """Show which providers have a key (names only; keys are never read back)."""
        try:
            stored = await asyncio.to_thread(self.store.names, list(self.rows))
        except CredentialError as exc:
            self.note.setText(f"The keyring cannot be used: {exc}")
            return
        self._show_stored(set(stored))

    async def test_key(self, name: str) -> None:
        row = self.rows[name]
        typed = row.field.text()
        row.test.setEnabled(False)
        try:
            if typed.strip():
                try:
                    secret = clean_secret(typed)
                except ValueError as exc:
                    row.status.setText(f"Not saved: {exc}.")
                    return
                await asyncio.to_thread(self.store.set, name, secret)
                row.field.clear()
                saved = "Saved in your keyring · "
                self.changed.emit()
            else:
                found = await asyncio.to_thread(self.store.get, name)
                if found is None:
                    row.status.setText("No key stored yet: paste one, then press Test.")
                    return
                secret, saved = found, ""
            row.status.setText(saved + "testing…")
            result = await self.tester(row.service, row.probe, secret)
            verdict = "works" if result.ok else "does not work"
            row.status.setText(f"{saved}the key {verdict}: {result.describe()}")
        except CredentialError as exc:
            row.status.setText(f"The keyring cannot be used: {exc}")
        except ValueError as exc:  # a catalog key name the keyring store refuses
            row.status.setText(f"Not saved: {exc}.")
        finally:
            row.test.setEnabled(True)
        await self.refresh()

    async def remove_key(self, name: str) -> None:
        row = self.rows[name]
        try:
            removed = await asyncio.to_thread(self.store.delete, name)
        except (CredentialError, ValueError) as exc:
            row.status.setText(f"The keyring cannot be used: {exc}")
            return
        row.field.clear()
        row.status.setText("Removed from your keyring." if removed else "No key was stored.")
        self.changed.emit()
        await self.refresh()

    @Slot()
    def save_typed(self) -> None:
        """The dialog's Save: store keys that were pasted but not tested."""
        for name, row in self.rows.items():
            if row.field.text().strip():
                self.spawn(self._store_quietly(name, row.field.text()))
                row.field.clear()

    async def _store_quietly(self, name: str, typed: str) -> None:
        try:
            await asyncio.to_thread(self.store.set, name, typed)
            self.changed.emit()
        except (CredentialError, ValueError) as exc:
            log.warning("could not store the key %s: %s", name, exc)
