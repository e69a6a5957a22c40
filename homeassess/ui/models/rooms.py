"""List model of the visit's rooms: name, progress and findings by tier."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from homeassess.domain.priority import Tier
from homeassess.services.dto import RoomView
from homeassess.ui.widgets.style import TIER_COLOURS

Index = QModelIndex | QPersistentModelIndex
ROOM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROOM_ROLE = Qt.ItemDataRole.UserRole + 2


def room_summary(room: RoomView, *, short: bool = False) -> str:
    if short:
        counts = " ".join(f"{t.code}×{n}" for t, n in room.findings_by_tier.items() if n)
        return f"{room.answered}/{room.total}" + (f" · {counts}" if counts else " · no findings")
    counts = ", ".join(f"{n} {t.label.lower()}" for t, n in room.findings_by_tier.items() if n)
    return f"{room.answered} of {room.total} answered" + (f"; findings: {counts}" if counts else "")


class RoomListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rooms: list[RoomView] = []

    def set_rooms(self, rooms: list[RoomView]) -> None:
        self.beginResetModel()
        self._rooms = list(rooms)
        self.endResetModel()

    def rooms(self) -> list[RoomView]:
        return list(self._rooms)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rooms)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        room = self._rooms[index.row()]
        shortcut = f"Ctrl+{index.row() + 1}  " if index.row() < 9 else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{room.name}\n{room_summary(room, short=True)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{shortcut}{room.name}: {room_summary(room)}"
        if role == Qt.ItemDataRole.DecorationRole:
            worst = next((t for t in Tier if room.findings_by_tier.get(t)), None)
            return QColor(TIER_COLOURS[worst]) if worst else QColor("#CBD2D9")
        if role == ROOM_ID_ROLE:
            return room.id
        if role == ROOM_ROLE:
            return room
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{room.name}, {room_summary(room)}"
        return None

    def row_of(self, room_id: str) -> int:
        return next((n for n, r in enumerate(self._rooms) if r.id == room_id), -1)
