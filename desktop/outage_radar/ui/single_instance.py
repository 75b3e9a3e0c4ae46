"""One running copy per user: a local socket; a second launch asks the first to show itself.

Where the OS has Unix sockets, a plain Python socket watched by a QSocketNotifier does it:
QLocalServer would load QtNetwork (and Kerberos with it), about 3 MiB of a tray app that
needs nothing else from it. Windows keeps QLocalServer (single_instance_qt).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from pathlib import Path

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

log = logging.getLogger(__name__)

ENV_NAME = "OUTAGE_RADAR_INSTANCE_NAME"
SHOW = b"show\n"
TIMEOUT_S = 1.0


def instance_name() -> str:
    override = os.environ.get(ENV_NAME, "").strip()
    if override:
        return override
    if hasattr(os, "getuid"):
        return f"outage-radar-{os.getuid()}"
    # Windows: hashed, as a user name may hold characters a pipe name cannot.
    import getpass
    import hashlib

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return "outage-radar-" + hashlib.sha256(user.encode()).hexdigest()[:16]


def socket_path(name: str) -> Path:
    """The per-user runtime dir (private by spec) where there is one, else the temp dir."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    path = Path(runtime) / f"{name}.sock"
    # A socket path may be at most ~100 bytes: a long folder falls back to the temp dir.
    if runtime and path.parent.is_dir() and len(os.fsencode(path)) < 100:
        return path
    import tempfile  # only here: it imports random and shutil, before the first icon is shown

    return Path(tempfile.gettempdir()) / f"{name}.sock"


class SingleInstance(QObject):
    show_requested = Signal()

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name or instance_name()
        self.path = socket_path(self.name) if hasattr(socket, "AF_UNIX") else None
        self._server: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._qt: QObject | None = None  # the QLocalServer fallback, where it is used

    def notify_running(self) -> bool:
        """True when another instance answered (it was asked to show itself)."""
        if self.path is None:
            from . import single_instance_qt

            return single_instance_qt.notify_running(self.name, int(TIMEOUT_S * 1000), SHOW)
        path = self.path
        try:
            # In a shared temp dir another user could plant the socket and so stop us starting.
            if path.stat().st_uid != os.getuid():
                log.warning("ignoring %s: it belongs to another user", path)
                return False
        except OSError:
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(TIMEOUT_S)
            try:
                client.connect(os.fspath(path))
                client.sendall(SHOW)
            except OSError:  # a stale file, or nobody reading: nobody is running
                return False
        return True

    def listen(self) -> bool:
        if self.path is None:
            from . import single_instance_qt

            self._qt = single_instance_qt.listen(
                self, self.name, int(TIMEOUT_S * 1000), SHOW, self.show_requested.emit
            )
            return self._qt is not None
        path = self.path
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                server.bind(os.fspath(path))
            except OSError:
                # A socket file left by a crashed run: nobody answered, so it is safe to remove.
                path.unlink(missing_ok=True)
                server.bind(os.fspath(path))
            os.chmod(path, 0o600)  # only this user may ask us to show ourselves
            server.listen(4)
            server.setblocking(False)
        except OSError as exc:
            server.close()
            log.warning("single-instance socket unavailable: %s", exc)
            return False
        self._server = server
        self._notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_connection)
        return True

    @Slot()
    def _on_connection(self) -> None:
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except OSError:  # BlockingIOError: no more pending connections
                return
            with conn:
                # The client writes one line right after connecting; a short wait is enough and
                # keeps no socket alive across event-loop turns.
                conn.settimeout(TIMEOUT_S)
                try:
                    data = conn.recv(64)
                except OSError:
                    continue
            if SHOW.strip() in data:
                self.show_requested.emit()

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._server is not None:
            self._server.close()
            self._server = None
            if self.path is not None:
                with contextlib.suppress(OSError):
                    self.path.unlink()
        if self._qt is not None:
            from . import single_instance_qt

            single_instance_qt.close(self._qt)
            self._qt = None
