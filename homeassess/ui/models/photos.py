"""Icon-mode list of a room's photos; thumbnails are made in the background and cached."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel, QElapsedTimer, QMimeData, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from homeassess.domain.annotations import parse_shapes
from homeassess.services import photos as P
from homeassess.services.dto import PhotoView
from homeassess.ui.widgets.shapes_qt import paint_shapes

Index = QModelIndex | QPersistentModelIndex
PHOTO_ROLE = Qt.ItemDataRole.UserRole + 1
THUMB = QSize(160, 120)


class PhotoListModel(QAbstractListModel):
    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self._photos: list[PhotoView] = []
        self._icons: dict[tuple[str, str], QIcon] = {}
        self._pending: set[str] = set()
        self._to_load: list[tuple[str, str]] = []  # (sha, thumbnail path) waiting for the UI thread
        self._to_make: list[str] = []  # shas whose thumbnail file must be made in the background
        self._loader = QTimer(self)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_some)

    def set_photos(self, photos: list[PhotoView]) -> None:
        self.beginResetModel()
        self._photos = list(photos)
        self.endResetModel()

    def photos(self) -> list[PhotoView]:
        return list(self._photos)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._photos)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        photo = self._photos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return photo.caption or photo.original_filename
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(photo)
        if role == Qt.ItemDataRole.ToolTipRole:
            taken = f"\nTaken {photo.taken_at:%d %b %Y %H:%M}" if photo.taken_at else ""
            return f"{photo.caption or photo.original_filename}{taken}"
        if role == PHOTO_ROLE:
            return photo
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    def mimeData(self, indexes: list) -> QMimeData:  # noqa: N802 (Qt API)
        data = QMimeData()
        data.setData("application/x-homeassess-photo", json.dumps(
            [self._photos[i.row()].id for i in indexes if i.isValid()]).encode())
        return data

    def mimeTypes(self) -> list[str]:  # noqa: N802 (Qt API)
        return ["application/x-homeassess-photo", "text/uri-list"]

    # -- thumbnails -------------------------------------------------------------------------
    def _key(self, photo: PhotoView) -> tuple[str, str]:
        return photo.sha256, json.dumps(photo.annotations, sort_keys=True)

    def _icon(self, photo: PhotoView) -> QIcon:
        icon = self._icons.get(self._key(photo))
        if icon is not None:
            return icon
        if photo.sha256 not in self._pending:
            self._pending.add(photo.sha256)
            thumb = P.thumbnail_if_made(self.session.ctx, photo.sha256)
            if thumb is not None:
                self._to_load.append((photo.sha256, str(thumb)))
            else:
                self._to_make.append(photo.sha256)
            self._loader.start()
        placeholder = QPixmap(THUMB)
        placeholder.fill(QColor("#D9E2EC"))
        return QIcon(placeholder)

    def _load_some(self) -> None:
        """Load ready thumbnails a few at a time so the UI thread never stalls on a long list."""
        if self._to_make:
            shas, self._to_make = self._to_make, []
            self.session.tasks.submit(partial(_thumbs_job, self.session.ctx, shas), on_success=self._thumbs_made,
                                      on_error=lambda _e, s=shas: self._pending.difference_update(s))
        clock = QElapsedTimer()
        clock.start()
        while self._to_load and clock.elapsed() < 8:
            self._thumb_ready(*self._to_load.pop(0))
        if not self._to_load:
            self._loader.stop()

    def _thumbs_made(self, made: list[tuple[str, str]]) -> None:
        self._to_load.extend(made)
        self._loader.start()

    def _thumb_ready(self, sha256: str, path: str) -> None:
        self._pending.discard(sha256)
        base = QPixmap(path)
        for row, photo in enumerate(self._photos):
            if photo.sha256 != sha256:
                continue
            pixmap = base.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            if photo.annotations:
                painter = QPainter(pixmap)
                paint_shapes(painter, parse_shapes(list(photo.annotations)), pixmap.width(), pixmap.height())
                painter.end()
            self._icons[self._key(photo)] = QIcon(pixmap)
            index = self.index(row)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


def _thumbs_job(ctx: Any, shas: list[str], *, progress: Any, cancel: Any) -> list[tuple[str, str]]:
    return [(sha, str(P.thumbnail(ctx, sha))) for sha in shas]
