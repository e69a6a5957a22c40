"""Photos on a team server: the files live in the ``photo_file`` table, so any computer working on
the server (an office desktop, a laptop checking a visit out) can show them; each computer keeps a
local cache in its data folder, filled on first use."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from homeassess.db import models as m
from homeassess.db.uow import UnitOfWorkFactory
from homeassess.storage.photos import PhotoError, PhotoStore, atomic_write

LOCAL_STORE = "photos.local_store"   # session.info: the PhotoStore new photo rows' files are read from


class ServerPhotoStore(PhotoStore):
    """A PhotoStore whose missing files are fetched from the server (and cached locally)."""

    def __init__(self, photos_dir: Path, cache_dir: Path, *, uow: UnitOfWorkFactory) -> None:
        super().__init__(photos_dir, cache_dir)
        self._uow = uow

    def existing(self, sha256: str) -> Path:
        path = self.path_for(sha256)
        if not path.exists():
            with self._uow(read_only=True) as uow:
                data = uow.session.scalar(select(m.PhotoFile.data).where(m.PhotoFile.sha256 == sha256))
            if data is None:
                raise PhotoError(path.name, "the photo is missing from the team server")
            atomic_write(path, bytes(data))
        return path


def stored_on_server(session: Session, shas: Iterable[str]) -> set[str]:
    wanted = set(shas)
    if not wanted:
        return set()
    return set(session.scalars(select(m.PhotoFile.sha256).where(m.PhotoFile.sha256.in_(wanted))))


def install(factory: sessionmaker[Session], photos_dir: Path) -> None:
    """Every new photo row on the server brings its file along, in the same transaction: a photo
    imported in the office and one checked in from a laptop are stored alike."""
    default = PhotoStore(photos_dir, photos_dir.parent / "cache")

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        new = [obj for obj in session.new if isinstance(obj, m.Photo)]
        if not new:
            return
        have = stored_on_server(session, (p.sha256 for p in new))
        store: PhotoStore = session.info.get(LOCAL_STORE) or default
        for photo in new:
            if photo.sha256 in have:
                continue
            path = store.path_for(photo.sha256)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise PhotoError(path.name, f"the photo file could not be read to send to the team server "
                                            f"({exc.strerror or exc})") from exc
            session.add(m.PhotoFile(sha256=photo.sha256, data=data, created_at=photo.created_at))
            have.add(photo.sha256)

    event.listen(factory, "before_flush", before_flush)

