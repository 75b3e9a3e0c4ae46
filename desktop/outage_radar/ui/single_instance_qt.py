"""The single-instance socket where Python has no Unix sockets (Windows): QLocalServer."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)


def notify_running(name: str, timeout_ms: int, message: bytes) -> bool:
    client = QLocalSocket()
    client.connectToServer(name)
    if not client.waitForConnected(timeout_ms):
        return False
    client.write(message)
    client.waitForBytesWritten(timeout_ms)
    client.disconnectFromServer()
    return True


def listen(
    parent: QObject, name: str, timeout_ms: int, message: bytes, on_show: Callable[[], None]
) -> QLocalServer | None:
    server = QLocalServer(parent)
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(name):
        QLocalServer.removeServer(name)  # left by a crashed run: nobody answered
        if not server.listen(name):
            log.warning("single-instance socket unavailable: %s", server.errorString())
            return None

    def on_connection() -> None:
        while (conn := server.nextPendingConnection()) is not None:
            if conn.bytesAvailable() or conn.waitForReadyRead(timeout_ms):
                if message.strip() in bytes(conn.readAll().data()):
                    on_show()
            conn.abort()
            conn.deleteLater()

    server.newConnection.connect(on_connection)
    return server


def close(server: QObject) -> None:
    if isinstance(server, QLocalServer):
        server.close()
        server.deleteLater()
