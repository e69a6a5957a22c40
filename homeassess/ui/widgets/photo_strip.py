"""A room's photos: import (dialog, folder, drag and drop, camera), caption, mark up, reorder, delete.

Decoding runs on the task runner; rows are written on the UI thread through undo commands. On a
locked visit the photos can still be looked at, mark-up included, but not changed.
"""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QGridLayout, QInputDialog, QLabel, QListView, QPushButton, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError, ValidationError
from homeassess.services import photos as P
from homeassess.services.changes import Changes
from homeassess.services.visit_lock import VisitLock
from homeassess.ui import undo
from homeassess.ui.models.photos import PHOTO_ROLE, THUMB, PhotoListModel
from homeassess.ui.session import Session
from homeassess.ui.tasks import Job
from homeassess.ui.widgets.lock import ALWAYS, RECORD, apply_lock, mark, refuses
from homeassess.ui.widgets.style import moved

IMAGE_FILTER = "Photos (*.jpg *.jpeg *.png *.webp *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC)"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
DROP_HEADING = "<b>Photos</b> — drop files here"


def files_from_drop(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    """Local files in a drop; folders are expanded to the photos inside them."""
    out: list[Path] = []
    for url in event.mimeData().urls():
        path = Path(url.toLocalFile())
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        elif url.isLocalFile():
            out.append(path)
    return out


class PhotoImporter:
    """Runs an import in the background and attaches the results to a room (undoable)."""

    def __init__(self, session: Session, status: QLabel) -> None:
        self.session, self.status = session, status
        self.finished_callbacks: list = []

    def start(self, room_id: str, paths: list[Path], stack: QUndoStack, item_id: str | None = None, *,
              job: Job | None = None) -> bool:
        """Import ``paths`` (with ``job``, if given, instead of the plain import); False if refused."""
        if not paths:
            return False
        if (refusal := self.session.read(P.import_refusal, room_id=room_id)) is not None:  # no photo consent
            self.status.setText(escape(refusal))
            self.status.setStyleSheet("color: #B91C1C;")
            return False
        self.status.setText(f"Importing {len(paths)} photo(s)…")
        job = job or partial(P.import_job, self.session.ctx, paths)
        self.session.tasks.submit(job, on_success=partial(self._done, room_id, stack, item_id),
                                  on_error=self._failed,
                                  on_progress=lambda f, msg: self.status.setText(f"Importing… {int(f * 100)} % {msg}"))
        return True

    def _done(self, room_id: str, stack: QUndoStack, item_id: str | None, results: list) -> None:
        good, bad = P.split_results(results)
        if good:
            try:
                stack.push(undo.AttachPhotosCommand(self.session, room_id, good, item_id))
            except HomeAssessError as exc:   # e.g. the visit was checked out or signed off meanwhile
                self.status.setText(escape(str(exc)))
                self.status.setStyleSheet("color: #B91C1C;")
                return
        lines = [f"{len(good)} photo(s) added."] + [escape(str(e)) for e in bad]
        self.status.setText("<br>".join(lines) if bad else lines[0])
        self.status.setStyleSheet("color: #B91C1C;" if bad else "color: #52606D;")
        for callback in self.finished_callbacks:
            callback(good, bad)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Import stopped: {escape(str(error))}")


class PhotoStrip(QWidget):
    photos_changed = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("photoStrip")
        self.session = session
        self.room_id: str | None = None
        self.assessment_id: str | None = None
        self.stack: QUndoStack | None = None
        self.read_only = False   # the visit is locked: photos are shown, not changed
        self.model = PhotoListModel(session, self)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(DROP_HEADING)
        self.heading.setObjectName("photoHeading")
        layout.addWidget(self.heading)
        self.view = QListView()
        self.view.setObjectName("photoList")
        self.view.setAccessibleName("Photos of this room")
        self.view.setModel(self.model)
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(THUMB)
        self.view.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 36))
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setMinimumHeight(THUMB.height() + 44)
        self.view.setAcceptDrops(False)
        self.view.doubleClicked.connect(lambda _i: self.mark_up())
        layout.addWidget(self.view, 1)
        layout.addLayout(self._build_buttons())
        self.status = QLabel()
        self.status.setObjectName("photoStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.importer = PhotoImporter(session, self.status)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_buttons(self) -> QGridLayout:
        from homeassess.ui.widgets.camera import camera_available

        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (("add", "Add…", self.add_files), ("folder", "Folder…", self.add_folder),
                                 ("camera", "Camera…", self.capture), ("markup", "Mark up", self.mark_up),
                                 ("caption", "Caption", self.edit_caption), ("link", "Shows…", self.link),
                                 ("left", "◀", lambda: self.move(-1)),
                                 ("right", "▶", lambda: self.move(1)), ("delete", "Delete", self.delete)):
            button = QPushButton(label)
            button.setObjectName(f"photo_{key}")
            button.setAccessibleName({"left": "Move photo earlier", "right": "Move photo later"}.get(key, label))
            button.setMinimumHeight(40)
            button.clicked.connect(slot)
            self.buttons[key] = button
            # Two rows keep the panel narrow enough for the checklist beside it at 1366 px.
            index = len(self.buttons) - 1
            grid.addWidget(button, index // 4, index % 4)
        mark(ALWAYS, self.buttons["markup"])   # on a locked visit it shows the photo and its mark-up
        available, why = camera_available()
        self.buttons["camera"].setEnabled(available)
        self.buttons["camera"].setToolTip("Take a photo with this computer's camera" if available else why)
        return grid

    def open_room(self, assessment_id: str, room_id: str, stack: QUndoStack) -> None:
        self.assessment_id, self.room_id, self.stack = assessment_id, room_id, stack
        self.status.clear()
        self.refresh()

    def set_locked(self, lock: VisitLock | None) -> None:
        self.read_only = refuses(lock, RECORD)
        apply_lock(self, lock)
        self.heading.setText("<b>Photos</b>" if self.read_only else DROP_HEADING)
        self.buttons["markup"].setText("View" if self.read_only else "Mark up")
        self.buttons["markup"].setAccessibleName("View the photo" if self.read_only else "Mark up")

    def refresh(self) -> None:
        if self.assessment_id and self.room_id:
            self.model.set_photos(self.session.read(P.list_photos, self.assessment_id, self.room_id) or [])

    def selected(self):  # noqa: ANN201
        index = self.view.currentIndex()
        return index.data(PHOTO_ROLE) if index.isValid() else None

    # -- import -----------------------------------------------------------------------------
    def import_paths(self, paths: list[Path], item_id: str | None = None) -> None:
        if self.room_id and self.stack is not None:
            self.importer.start(self.room_id, paths, self.stack, item_id)

    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add photos", str(Path.home()), IMAGE_FILTER)
        self.import_paths([Path(f) for f in files])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add every photo in a folder", str(Path.home()))
        if folder:
            self.import_paths(sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES))

    def capture(self) -> None:
        from homeassess.ui.widgets.camera import CameraDialog

        ctx = self.session.ctx
        path = CameraDialog.ask(self, partial(P.new_capture, ctx), partial(P.discard_captures, ctx))
        if path is None:
            return
        started = self.room_id is not None and self.stack is not None and self.importer.start(
            self.room_id, [path], self.stack, job=partial(P.import_capture_job, ctx, path))
        if not started:
            P.discard_captures(ctx, [path])   # the capture is only ever kept as an imported photo

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        self.import_paths(files_from_drop(event))
        event.acceptProposedAction()

    # -- edits ------------------------------------------------------------------------------
    def mark_up(self) -> None:
        from homeassess.ui.screens.annotation_editor import AnnotationEditor

        photo = self.selected()
        if photo is None or self.stack is None:
            return

        def edit(image: QImage) -> None:
            if self.read_only:
                AnnotationEditor.view(self, QPixmap.fromImage(image), list(photo.annotations))
                return
            shapes = AnnotationEditor.ask(self, QPixmap.fromImage(image), list(photo.annotations))
            if shapes is not None and shapes != list(photo.annotations):
                self._push(undo.annotate_photo(self.session, photo.id, list(photo.annotations), shapes))

        # Making the 1600 px copy decodes and re-encodes the photo: never on the UI thread.
        self.session.tasks.submit(partial(_markup_image_job, self.session.ctx, photo.sha256), on_success=edit,
                                  on_error=lambda e: self.status.setText(f"Cannot open the photo: {escape(str(e))}"))

    def edit_caption(self) -> None:
        photo = self.selected()
        if photo is None or self.stack is None:
            return
        text, ok = QInputDialog.getText(self, "Caption", "What does the photo show?", text=photo.caption)
        if ok and text.strip() != photo.caption:
            self._push(undo.photo_caption(self.session, photo.id, photo.caption, text.strip()))

    def _push(self, command: object) -> None:
        """Push an edit; one the service refuses (a label or caption too long, a visit locked meanwhile)
        says why under the strip."""
        try:
            self.stack.push(command)
        except HomeAssessError as exc:
            self.status.setText(escape(exc.errors[0].message if isinstance(exc, ValidationError) else str(exc)))
            self.status.setStyleSheet("color: #B91C1C;")

    def link(self) -> None:
        """Say which checklist item or finding the selected photo shows (or just the room)."""
        from homeassess.services import assessments as A
        from homeassess.services import recommendations as R

        photo = self.selected()
        if photo is None or self.stack is None or self.room_id is None:
            return
        data = self.session.read(A.room_editor_data, self.room_id)
        findings = [f for f in self.session.read(R.list_findings, self.assessment_id) or [] if f.room_id == self.room_id]
        choices: list[tuple[str, dict]] = [("The room in general", {"room_id": self.room_id})]
        choices += [(f"Finding: {f.title}", {"room_id": self.room_id, "item_id": f.item_id, "finding_id": f.id})
                    for f in findings]
        choices += [(f"Item: {i.prompt}", {"room_id": self.room_id, "item_id": i.id})
                    for i in (data.checklist.items if data else ())]
        labels = [label for label, _ in choices]
        current = next((n for n, (_l, c) in enumerate(choices) if c.get("finding_id") == photo.finding_id
                        and c.get("item_id") == photo.item_id), 0)
        label, ok = QInputDialog.getItem(self, "What the photo shows", "Photo shows:", labels, current, False)
        if ok:
            new = choices[labels.index(label)][1]
            old = {"room_id": photo.room_id, "item_id": photo.item_id, "finding_id": photo.finding_id}
            if new != {k: v for k, v in old.items() if v is not None}:
                self.stack.push(undo.link_photo(self.session, photo.id, old, new))

    def move(self, step: int) -> None:
        ids, row = [p.id for p in self.model.photos()], self.view.currentIndex().row()
        new = moved(ids, row, step)
        if new is not None and self.stack is not None:
            self.stack.push(undo.reorder_photos(self.session, self.room_id, ids, new))
            self.view.setCurrentIndex(self.model.index(row + step))

    def delete(self) -> None:
        photo = self.selected()
        if photo is not None and self.stack is not None:
            self.stack.push(undo.delete_photo(self.session, photo.id))

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.photos and self.room_id:
            row = self.view.currentIndex().row()
            self.refresh()
            if 0 <= row < self.model.rowCount():
                self.view.setCurrentIndex(self.model.index(row))
            self.photos_changed.emit()


def _markup_image_job(ctx: Any, sha256: str, *, progress: Any, cancel: Any) -> QImage:
    """Worker: the photo to mark up, decoded (QImage, unlike QPixmap, may be made off the UI thread)."""
    image = QImage(str(P.markup_base(ctx, sha256)))
    if image.isNull():
        raise OSError("the stored photo could not be read")
    return image
