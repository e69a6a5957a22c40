"""Photos of a visit: import (decode in workers, rows written on the main thread), captions,
order, links to items and findings, mark-up, and which room a phone photo probably shows."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from homeassess.db import models as m
from homeassess.domain.annotations import parse_shapes
from homeassess.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from homeassess.domain.input_files import shown_name, special_file_problem
from homeassess.domain.text_rules import clean_kind
from homeassess.services.assessments import editable_assessment, editable_room
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import PhotoView
from homeassess.services.lookup import get_live
from homeassess.services.visit_record import photo_consent_refusal

if TYPE_CHECKING:
    from homeassess.storage.photos import PhotoError, StoredPhoto

Progress = Callable[[float, str], None]


def _view(row: m.Photo, room_name: str) -> PhotoView:
    return PhotoView(id=row.id, room_id=row.room_id, room_name=room_name, item_id=row.item_id,
                     finding_id=row.finding_id, sha256=row.sha256, caption=row.caption, taken_at=row.taken_at,
                     width=row.width, height=row.height, original_filename=row.original_filename,
                     position=row.position, annotations=tuple(row.annotations))


def import_job(ctx: AppContext, sources: list[Path], *, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> list[StoredPhoto | PhotoError]:
    """Worker half of an import: decode, orient, strip and store files. Touches no database.

    Folders, pipes and devices are refused (in input order, each as a PhotoError naming the path
    as given) before anything opens them: reading a named pipe would wait for ever, /dev/zero
    never ends."""
    from homeassess.storage.photos import PhotoError

    refused = {n: PhotoError(str(source), problem) for n, source in enumerate(sources)
               if (problem := special_file_problem(Path(source))) is not None}
    files = [source for n, source in enumerate(sources) if n not in refused]
    stored = iter(ctx.photo_store.ingest_many(files, progress=progress, cancel=cancel) if files else [])
    return [refused[n] if n in refused else next(stored) for n in range(len(sources))]


def attach_photos(ctx: AppContext, room_id: str, stored: list[StoredPhoto], *, item_id: str | None = None,
                  finding_id: str | None = None) -> tuple[list[PhotoView], Changes]:
    """Main-thread half: one row per stored photo, appended to the room in order."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id)
        if (refusal := photo_consent_refusal(uow.session, assessment)) is not None:
            raise ConflictError(refusal)
        start = uow.session.scalar(select(func.coalesce(func.max(m.Photo.position), -1))
                                   .where(m.Photo.room_id == room.id)) + 1
        rows = []
        for n, photo in enumerate(stored):
            row = m.Photo(assessment_id=assessment.id, room_id=room.id, item_id=item_id, finding_id=finding_id,
                          sha256=photo.sha256, caption="", taken_at=photo.taken_at, width=photo.width,
                          height=photo.height, original_filename=shown_name(photo.original_filename), annotations=[],
                          position=start + n, created_at=now)
            uow.session.add(row)
            rows.append(row)
        uow.session.flush()
        views = [_view(r, room.name) for r in rows]
    return views, Changes(photos=True)


def import_refusal(ctx: AppContext, *, room_id: str | None = None, assessment_id: str | None = None) -> str | None:
    """Why photos cannot be imported into this room or visit now (no photo consent), or None.

    Screens ask before decoding files; ``attach_photos`` refuses the same way regardless."""
    with ctx.uow(read_only=True) as uow:
        if room_id is not None:
            assessment_id = get_live(uow.session, m.Room, room_id, "room").assessment_id
        assert assessment_id is not None, "give a room or a visit"
        return photo_consent_refusal(uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def resolve_room(ctx: AppContext, assessment_id: str, room: str) -> str:
    """A room of this visit by id, unique id prefix or (case-insensitive) name."""
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        live = [r for r in assessment.rooms if r.deleted_at is None]
        by_name = [r for r in live if r.name.casefold() == room.strip().casefold()]
        by_id = [r for r in live if r.id.startswith(room.strip().lower()) and len(room.strip()) >= 6]
        matches = by_name or by_id
        if len(matches) != 1:
            names = ", ".join(r.name for r in live)
            raise NotFoundError(f"no single room {room!r} in this visit (rooms: {names})")
        return matches[0].id


def add_photos(ctx: AppContext, assessment_id: str, room: str, sources: list[Path]) -> tuple[
        list[PhotoView], list[PhotoError]]:
    """Import files into a room in one call (command line); bad files are returned, not raised."""
    from homeassess.storage.photos import PhotoError, StoredPhoto

    room_id = resolve_room(ctx, assessment_id, room)
    if (refusal := import_refusal(ctx, room_id=room_id)) is not None:
        raise ConflictError(refusal)  # before decoding anything: not one file is stored
    results = import_job(ctx, sources)
    good = [r for r in results if isinstance(r, StoredPhoto)]
    views = attach_photos(ctx, room_id, good)[0] if good else []
    return views, [r for r in results if isinstance(r, PhotoError)]


def list_photos(ctx: AppContext, assessment_id: str, room_id: str | None = None) -> list[PhotoView]:
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        rooms = {r.id: r for r in assessment.rooms if r.deleted_at is None}
        query = select(m.Photo).where(m.Photo.assessment_id == assessment.id, m.Photo.deleted_at.is_(None))
        if room_id is not None:
            query = query.where(m.Photo.room_id == room_id)
        rows = [r for r in uow.session.scalars(query) if r.room_id in rooms]
        rows.sort(key=lambda r: (rooms[r.room_id].position, r.position, r.created_at))
        return [_view(r, rooms[r.room_id].name) for r in rows]


def _editable_photo(session: Any, photo_id: str, *, deleted_ok: bool = False) -> m.Photo:
    row = session.get(m.Photo, photo_id) if deleted_ok else get_live(session, m.Photo, photo_id, "photo")
    if row is None:
        raise NotFoundError(f"no photo with id {photo_id!r}")
    editable_assessment(session, row.assessment_id)
    return row


def set_caption(ctx: AppContext, photo_id: str, caption: str) -> Changes:
    caption = clean_kind(caption, field="caption", kind="note", label="The caption")
    with ctx.uow() as uow:
        _editable_photo(uow.session, photo_id).caption = caption
    return Changes(photos=True)


def link_photo(ctx: AppContext, photo_id: str, *, room_id: str, item_id: str | None = None,
               finding_id: str | None = None) -> Changes:
    """Move a photo to a room, optionally to one of its items or findings."""
    with ctx.uow() as uow:
        row = _editable_photo(uow.session, photo_id)
        room, _ = editable_room(uow.session, room_id)
        if room.assessment_id != row.assessment_id:
            raise ValidationError([FieldError("room", "that room belongs to another visit")])
        if row.room_id != room.id:
            row.position = uow.session.scalar(select(func.coalesce(func.max(m.Photo.position), -1))
                                              .where(m.Photo.room_id == room.id)) + 1
        row.room_id, row.item_id, row.finding_id = room.id, item_id, finding_id
    return Changes(photos=True)


def reorder_photos(ctx: AppContext, room_id: str, photo_ids: list[str]) -> Changes:
    with ctx.uow() as uow:
        room, _ = editable_room(uow.session, room_id)
        rows = {r.id: r for r in uow.session.scalars(select(m.Photo).where(
            m.Photo.room_id == room.id, m.Photo.deleted_at.is_(None)))}
        if set(photo_ids) != set(rows):
            raise ValidationError([FieldError("photos", "the new order must list every photo of the room once")])
        for position, photo_id in enumerate(photo_ids):
            rows[photo_id].position = position
    return Changes(photos=True)


def delete_photo(ctx: AppContext, photo_id: str, *, restore: bool = False) -> Changes:
    """Soft delete; the stored file stays until garbage collection, so undo is instant."""
    with ctx.uow() as uow:
        row = _editable_photo(uow.session, photo_id, deleted_ok=True)
        row.deleted_at = None if restore else ctx.clock.now()
    return Changes(photos=True)


def set_annotations(ctx: AppContext, photo_id: str, shapes: list[dict[str, Any]]) -> Changes:
    parsed = parse_shapes(shapes)
    with ctx.uow() as uow:
        _editable_photo(uow.session, photo_id).annotations = [s.to_json() for s in parsed]
    return Changes(photos=True)


def annotated_copy(ctx: AppContext, photo: PhotoView, max_px: int) -> Path:
    """The photo at most ``max_px`` on its long edge with its mark-up drawn (cached, no metadata)."""
    return ctx.photo_store.annotated(photo.sha256, photo.annotations, max_px)


def markup_base(ctx: AppContext, sha256: str, max_px: int = 1600) -> Path:
    """Worker: the photo to draw mark-up on, at most ``max_px`` (made and cached on first use)."""
    return ctx.photo_store.fitted(sha256, max_px)


def thumbnail(ctx: AppContext, sha256: str, size: int = 256) -> Path:
    """Worker: the cached thumbnail file, made if needed (a decode and an encode)."""
    return ctx.photo_store.thumbnail(sha256, size)


def thumbnail_if_made(ctx: AppContext, sha256: str, size: int = 256) -> Path | None:
    """The cached thumbnail if it exists already (cheap: safe on the UI thread), else None."""
    path = ctx.photo_store.thumbnail_path(sha256, size)
    return path if path.exists() else None


def import_with_thumbnails(ctx: AppContext, sources: list[Path], *, progress: Progress | None = None,
                           cancel: threading.Event | None = None) -> tuple[list[tuple[StoredPhoto, str]],
                                                                             list[PhotoError]]:
    """Worker: ``import_job``, then each stored photo with its thumbnail's path, and the bad files."""
    stored, errors = split_results(import_job(ctx, sources, progress=progress, cancel=cancel))
    return [(photo, str(thumbnail(ctx, photo.sha256))) for photo in stored], errors


def split_results(results: list[StoredPhoto | PhotoError]) -> tuple[list[StoredPhoto], list[PhotoError]]:
    """An import's results as (stored photos, files that could not be imported), each in order."""
    from homeassess.storage.photos import PhotoError, StoredPhoto

    return ([r for r in results if isinstance(r, StoredPhoto)], [r for r in results if isinstance(r, PhotoError)])


def new_capture(ctx: AppContext) -> Path:
    """An empty file in the photo store for the camera to write one picture into."""
    return ctx.photo_store.new_capture_path()


def discard_captures(ctx: AppContext, paths: list[Path]) -> None:
    """Remove camera captures that will not be imported (only files ``new_capture`` made)."""
    ctx.photo_store.discard_captures(paths)


def import_capture_job(ctx: AppContext, capture: Path, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> list[StoredPhoto | PhotoError]:
    """Worker: import one camera capture, then remove the capture itself (it may carry metadata;
    the stored, metadata-free copy is all that is kept)."""
    try:
        return import_job(ctx, [capture], progress=progress, cancel=cancel)
    finally:
        discard_captures(ctx, [capture])


def warm_up_workers(workers: int = 2, *, progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> None:
    """Start the photo worker processes now; the app submits this to its task runner after start-up
    (the keywords make it a task-runner job as it is)."""
    from homeassess.storage.photos import warm_up

    warm_up(workers)


def _local_to_utc(taken: datetime) -> datetime:
    """Camera clocks record local time without a zone; the database keeps naive UTC."""
    if taken.tzinfo is None:
        taken = taken.astimezone()  # interpret in this machine's zone
    return taken.astimezone(UTC).replace(tzinfo=None)


def suggest_rooms(ctx: AppContext, assessment_id: str, taken: list[datetime | None]) -> list[str | None]:
    """For photos taken on a phone: the room being assessed when each was taken.

    Each room's window runs from its first answer to its last edit; a photo inside a window gets
    that room, otherwise the room whose window is nearest (within 30 minutes), else None.
    """
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        windows = []
        for room in assessment.rooms:
            times = [a.updated_at for a in room.answers]
            if room.deleted_at is None and room.started_at is not None and times:
                windows.append((room.id, min([room.started_at, *times]), max(times)))
    out: list[str | None] = []
    for moment in taken:
        if moment is None or not windows:
            out.append(None)
            continue
        at = _local_to_utc(moment)

        def distance(window: tuple[str, datetime, datetime]) -> timedelta:
            _, start, end = window
            return timedelta(0) if start <= at <= end else min(abs(at - start), abs(at - end))

        best = min(windows, key=distance)
        out.append(best[0] if distance(best) <= timedelta(minutes=30) else None)
    return out
