"""One app window per data folder: the first copy listens on a local socket; a second copy, refused
by the data folder's lock (storage/lock.py), asks it to come to the front and then quits."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

RAISE = b"raise\n"
log = logging.getLogger(__name__)


def server_name(data_dir: Path) -> str:
    """Per user and data folder (the lock decides who owns it; this only finds the owner)."""
    digest = hashlib.sha256(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:20]
    return f"homeassess-{digest}"


class InstanceServer(QObject):
    """Brings ``window`` forward whenever another copy on the same data folder starts."""

    def __init__(self, data_dir: Path, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        QLocalServer.removeServer(name)   # a socket left by a killed copy (we hold the lock, so it is stale)
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_message(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            self.bring_forward()
        socket.disconnectFromServer()

    def bring_forward(self) -> None:
        log.info("another copy started on this data folder: window brought forward")
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()


def ask_first_copy_to_come_forward(data_dir: Path, *, timeout_ms: int = 1500) -> bool:
    """True when the copy already open on ``data_dir`` got the message."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(RAISE)
    sent = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return sent
