"""One running copy per user: a local socket; a second launch asks the first to show itself."""

from __future__ import annotations

import getpass
import hashlib
import logging
import os

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ENV_NAME = "OUTAGE_RADAR_INSTANCE_NAME"
SHOW = b"show\n"
TIMEOUT_MS = 1000


def instance_name() -> str:
    override = os.environ.get(ENV_NAME, "").strip()
    if override:
        return override
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    # Hashed: a user name may hold characters a socket name cannot.
    return "outage-radar-" + hashlib.sha256(user.encode()).hexdigest()[:16]


class SingleInstance(QObject):
    show_requested = Signal()

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name or instance_name()
        self.server: QLocalServer | None = None

    def notify_running(self) -> bool:
        """True when another instance answered (it was asked to show itself)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            return False
        socket.write(SHOW)
        socket.waitForBytesWritten(TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by a crashed run: nobody answered, so it is safe to remove.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance socket unavailable: %s", server.errorString())
                return False
        server.newConnection.connect(self._on_connection)
        self.server = server
        return True

    @Slot()
    def _on_connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            # The client writes one line right after connecting; a short wait is enough and
            # keeps no socket alive across event-loop turns.
            if socket.bytesAvailable() or socket.waitForReadyRead(TIMEOUT_MS):
                if SHOW.strip() in bytes(socket.readAll().data()):
                    self.show_requested.emit()
            socket.abort()
            socket.deleteLater()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None
