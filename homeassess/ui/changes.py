"""Broadcast of what a service call changed, with who initiated it (Anki's operation_did_execute)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from homeassess.services.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object, object)  # (Changes, initiator or None)

    def publish(self, changes: Changes, initiator: object | None = None) -> None:
        self.changed.emit(changes, initiator)
