"""Photos taken on a phone during the visit: each is matched to the room being assessed when it
was taken; the therapist confirms or changes the room before the photos are added."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from homeassess.services import assessments as A
from homeassess.services import photos as P
from homeassess.ui import undo
from homeassess.ui.session import Session
from homeassess.ui.widgets.photo_strip import IMAGE_FILTER

if TYPE_CHECKING:
    from homeassess.services.photos import PhotoError, StoredPhoto


class RoomAssignmentDialog(QDialog):
    def __init__(self, parent: QWidget | None, rows: list[tuple[StoredPhoto, str | None, str | None]],
                 rooms: list[tuple[str, str]], errors: list[PhotoError]) -> None:
        super().__init__(parent)
        self.setObjectName("roomAssignmentDialog")
        self.setWindowTitle("Which room does each photo show?")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Rooms are suggested from when each photo was taken and when each room was "
                                "being assessed. Change any that are wrong."))
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("assignmentTable")
        self.table.setHorizontalHeaderLabels(["Photo", "Taken", "Room"])
        self.table.setIconSize(QSize(96, 72))
        self.table.verticalHeader().setDefaultSectionSize(80)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 160)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.combos: list[QComboBox] = []
        for row, (photo, thumb, suggested) in enumerate(rows):
            item = QTableWidgetItem(photo.original_filename)
            if thumb:
                item.setIcon(QIcon(QPixmap(thumb)))
            self.table.setItem(row, 0, item)
            taken = photo.taken_at.strftime("%d %b %H:%M") if photo.taken_at else "no time recorded"
            self.table.setItem(row, 1, QTableWidgetItem(taken))
            combo = QComboBox()
            combo.setAccessibleName(f"Room for {photo.original_filename}")
            combo.addItem("— do not add —", None)
            for room_id, name in rooms:
                label = f"{name} (suggested)" if room_id == suggested else name
                combo.addItem(label, room_id)
            combo.setCurrentIndex(max(0, combo.findData(suggested)) if suggested else 0)
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        layout.addWidget(self.table, 1)
        if errors:
            bad = QLabel("<br>".join(str(e) for e in errors))
            bad.setObjectName("importErrors")
            bad.setStyleSheet("color: #B91C1C;")
            bad.setWordWrap(True)
            layout.addWidget(bad)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add photos")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def choices(self) -> list[str | None]:
        return [c.currentData() for c in self.combos]


class PhoneImport:
    """Choose files, store them in the background, ask for rooms, attach (one undo step)."""

    def __init__(self, session: Session, parent: QWidget, status: QLabel) -> None:
        self.session, self.parent, self.status = session, parent, status
        self.ask = RoomAssignmentDialog

    def start(self, assessment_id: str, stack: QUndoStack, paths: list[Path] | None = None) -> None:
        if (refusal := self.session.read(P.import_refusal, assessment_id=assessment_id)) is not None:
            self.status.setText(refusal)  # no photo consent: say so before anything is chosen or read
            return
        if paths is None:
            files, _ = QFileDialog.getOpenFileNames(self.parent, "Photos from the phone", str(Path.home()),
                                                    IMAGE_FILTER)
            paths = [Path(f) for f in files]
        if not paths:
            return
        self.status.setText(f"Reading {len(paths)} photo(s)…")
        self.session.tasks.submit(partial(P.import_with_thumbnails, self.session.ctx, paths),
                                  on_success=partial(self._stored, assessment_id, stack),
                                  on_error=lambda e: self.status.setText(f"Import stopped: {e}"))

    def _stored(self, assessment_id: str, stack: QUndoStack,
                results: tuple[list[tuple[StoredPhoto, str]], list[PhotoError]]) -> None:
        good, errors = results
        suggestions = self.session.read(P.suggest_rooms, assessment_id, [p.taken_at for p, _ in good]) or []
        rooms = [(r.id, r.name) for r in self.session.read(A.list_rooms, assessment_id) or []]
        rows = [(p, thumb, s) for (p, thumb), s in zip(good, suggestions, strict=True)]
        dialog = self.ask(self.parent, rows, rooms, errors)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.status.setText("Photos were not added.")
            return
        by_room: dict[str, list[StoredPhoto]] = {}
        for (photo, _thumb, _s), room_id in zip(rows, dialog.choices(), strict=True):
            if room_id:
                by_room.setdefault(room_id, []).append(photo)
        stack.beginMacro("Add photos from phone")
        for room_id, photos in by_room.items():
            stack.push(undo.AttachPhotosCommand(self.session, room_id, photos))
        stack.endMacro()
        added = sum(len(v) for v in by_room.values())
        self.status.setText(f"{added} photo(s) added to {len(by_room)} room(s)."
                            + (f" {len(errors)} file(s) could not be read." if errors else ""))
