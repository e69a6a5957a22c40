"""Right to erasure: a client, or the photos a therapist deleted, removed for good.

Rows go in one transaction: the client row is deleted and the database's ON DELETE CASCADE
foreign keys take everything hanging from it (goals and their scores, visits with their rooms,
answers, findings, photos, recommendations and their steps, consents, addenda ...). The files go
after the commit: stored photos no remaining row refers to (photos are content-addressed, so two
clients can share one file), their cached copies, cached signatures and the visit's saved reports.
A crash between the commit and the file removal leaves only orphan files, which the start-up sweep
(services/housekeeping.py) removes. An ``Erasure`` row records that an erasure happened, never
what was erased. Deleted text must not survive in the database file either: the deleting
connection runs with ``secure_delete``, then the database is vacuumed and the WAL truncated.

Backups made before the erasure still hold the client; ``erasure_preview`` names them so the
confirmation can say so (they are not changed here).

On a team server (``ctx.is_server``) the erasure deletes the rows, the photos' files kept in the
server's ``photo_file`` table among them, in the same one transaction. What PostgreSQL does with
the space is the server's: its own files, WAL and backups (pg_dump, archives) are its
administrator's, so there is no ``secure_delete``, VACUUM or WAL truncation to run from here, and no
backups this computer can see to name. The data folder's ``photos/`` is then this computer's cache
of the server's photos *and* the laptop's own database's photos (team mode shares the folder), so
only cached copies the local database does not refer to are removed. A visit checked out to a laptop
has a copy there that its check-in would bring back, so erasing waits for the check-in (or for a team
lead to release the hold).

These run in a task-runner worker (a VACUUM can take a moment), like the demo's creation.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.visit_guard import held_words
from homeassess.domain.errors import ConflictError, NotFoundError
from homeassess.domain.text_rules import clean_kind
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import ClientSummary
from homeassess.services.settings import LAST_VISIT, RECENT_VISITS

log = logging.getLogger(__name__)
CLIENT, DELETED_PHOTOS = "client", "deleted photos"
Progress = Callable[[float, str], None]


@dataclass(frozen=True, slots=True)
class BackupRef:
    name: str
    created_at: datetime        # naive UTC
    location: str               # "" = the data folder's own backups, else the second location


@dataclass(frozen=True, slots=True)
class ErasurePreview:
    """What the confirmation lists before a client is erased."""

    client_id: str
    display_name: str
    family_name: str            # what the therapist types to confirm
    visits: int
    signed_off: int
    photos: int                 # photo rows, deleted ones included
    deleted_photos: int
    backups: tuple[BackupRef, ...]   # made before now and holding the client


@dataclass(frozen=True, slots=True)
class ErasureReport:
    what: str                   # CLIENT or DELETED_PHOTOS
    visits: int
    photos: int                 # photo rows removed
    photo_files: int            # stored photo files removed (a file another row uses stays)

    @property
    def changes(self) -> Changes:
        if self.what == CLIENT:
            return Changes(clients=True, goals=True, assessment_meta=True, photos=True)
        return Changes(photos=bool(self.photos))


# -- preview ---------------------------------------------------------------------------------
def erasure_preview(ctx: AppContext, client_id: str) -> ErasurePreview:
    """Counts for the confirmation, and the backups that will still hold the client."""
    with ctx.uow(read_only=True) as uow:
        client = _client(uow.session, client_id)
        visits = select(m.Assessment.id).where(m.Assessment.client_id == client.id)
        count = uow.session.scalar
        preview = ErasurePreview(
            client_id=client.id, display_name=f"{client.given_name} {client.family_name}".strip(),
            family_name=client.family_name,
            visits=count(select(func.count()).select_from(visits.subquery())) or 0,
            signed_off=count(select(func.count()).where(m.Assessment.client_id == client.id,
                                                        m.Assessment.signed_off_at.is_not(None))) or 0,
            photos=count(select(func.count()).where(m.Photo.assessment_id.in_(visits))) or 0,
            deleted_photos=count(select(func.count()).where(m.Photo.assessment_id.in_(visits),
                                                            m.Photo.deleted_at.is_not(None))) or 0,
            backups=())
    return replace(preview, backups=tuple(_backups_holding(ctx, preview.client_id, before=ctx.clock.now())))


def _backups_holding(ctx: AppContext, client_id: str, *, before: datetime) -> list[BackupRef]:
    from homeassess.services.backups import list_backups

    if ctx.is_server:   # the server's backups are its administrator's: none this computer can list
        return []
    return [BackupRef(b.name, b.created_at, b.location) for b in list_backups(ctx)
            if b.created_at < before and _may_hold(getattr(b, "db_path", None), client_id)]


def _may_hold(db: Path | None, client_id: str) -> bool:
    """True unless the backup's database can be read and has no such client (when in doubt, name it)."""
    if db is None:
        return True
    try:
        # immutable: a backup never changes, so no locks and no -shm file beside it
        with closing(sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro&immutable=1", uri=True)) as conn:
            return conn.execute("SELECT 1 FROM client WHERE id = ?", (client_id,)).fetchone() is not None
    except (sqlite3.Error, OSError, ValueError):
        return True


def deleted_clients(ctx: AppContext) -> list[ClientSummary]:
    """Clients deleted (undoably) and not erased, by family name: listed so they can be restored or erased."""
    with ctx.uow(read_only=True) as uow:
        rows = list(uow.session.scalars(select(m.Client).where(m.Client.deleted_at.is_not(None))))
    # Sorted here: SQL lower() folds only ASCII on SQLite but every letter on a server, whose collation
    # orders differently too; casefold gives one order on either.
    rows.sort(key=lambda r: (r.family_name.casefold(), r.given_name.casefold(), r.id))
    return [ClientSummary(r.id, f"{r.given_name} {r.family_name}".strip(), r.date_of_birth, r.address)
            for r in rows]


# -- erasing ---------------------------------------------------------------------------------
def erase_client(ctx: AppContext, client_id: str, *, by: str) -> ErasureReport:
    """Erase a client (live, archived or deleted) and everything recorded about them, for good."""
    by = _who(by)
    started = time.time()
    with ctx.uow() as uow, _secure_delete(ctx, uow.session):
        session = uow.session
        client = _client(session, client_id)
        _refuse_while_held(ctx, session, m.VisitHold.client_id == client.id)
        visit_ids = list(session.scalars(select(m.Assessment.id).where(m.Assessment.client_id == client.id)))
        photos = _photo_files(session, m.Photo.assessment_id.in_(visit_ids))
        signatures = _signature_hashes(session, visit_ids)
        session.execute(delete(m.Client).where(m.Client.id == client.id))   # the foreign keys cascade
        _forget_ids(session, client.id, visit_ids)
        _forget_history(session, (m.Change.client_id == client.id) | m.Change.assessment_id.in_(visit_ids))
        doomed = _unreferenced(session, photos)
        server_files = _drop_server_files(ctx, session, doomed.shas)
        erasure = _record(ctx, session, CLIENT, doomed.shas, by, server_files)
    # Committed. A crash from here on leaves orphan files only; the start-up sweep removes them.
    files = _remove_files(ctx, doomed, started, erasure, server_files)
    _drop_signatures(ctx, signatures)
    for visit_id in visit_ids:
        # Saved reports (ui/screens/report.py keeps them under the visit id's first 8 characters; a
        # visit sharing them loses only files it can make again).
        shutil.rmtree(ctx.data_dir / "reports" / visit_id[:8], ignore_errors=True)
    scrub_database(ctx)
    log.info("erased a client: %d visit(s), %d photo(s), %d photo file(s)", len(visit_ids), len(photos.rows), files)
    return ErasureReport(CLIENT, visits=len(visit_ids), photos=len(photos.rows), photo_files=files)


def erase_deleted_photos(ctx: AppContext, client_id: str | None = None, *, by: str) -> ErasureReport:
    """Erase for good the photos a therapist deleted: one client's, or (``None``) everyone's."""
    by = _who(by)
    started = time.time()
    with ctx.uow() as uow, _secure_delete(ctx, uow.session):
        session = uow.session
        where = [m.Photo.deleted_at.is_not(None)]
        if client_id is not None:
            client = _client(session, client_id)
            where.append(m.Photo.assessment_id.in_(select(m.Assessment.id).where(m.Assessment.client_id == client.id)))
        photos = _photo_files(session, *where)
        if not photos.rows:
            return ErasureReport(DELETED_PHOTOS, visits=0, photos=0, photo_files=0)
        _refuse_while_held(ctx, session, m.VisitHold.assessment_id.in_(
            select(m.Photo.assessment_id).where(m.Photo.id.in_(photos.rows))))
        session.execute(delete(m.Photo).where(m.Photo.id.in_(photos.rows)))
        _forget_history(session, (m.Change.entity == "photo") & m.Change.entity_id.in_(photos.rows))
        doomed = _unreferenced(session, photos)
        server_files = _drop_server_files(ctx, session, doomed.shas)
        erasure = _record(ctx, session, DELETED_PHOTOS, doomed.shas, by, server_files)
    # Committed. A crash from here on leaves orphan files only; the start-up sweep removes them.
    files = _remove_files(ctx, doomed, started, erasure, server_files)
    scrub_database(ctx)
    log.info("erased %d deleted photo(s), %d photo file(s)", len(photos.rows), files)
    return ErasureReport(DELETED_PHOTOS, visits=0, photos=len(photos.rows), photo_files=files)


def erase_client_job(ctx: AppContext, client_id: str, *, by: str, progress: Progress,
                     cancel: threading.Event) -> ErasureReport:
    """Task-runner form of ``erase_client`` (not cancellable: the rows go in one transaction)."""
    progress(0.0, "Erasing")
    return erase_client(ctx, client_id, by=by)


def erase_deleted_photos_job(ctx: AppContext, client_id: str | None = None, *, by: str, progress: Progress,
                             cancel: threading.Event) -> ErasureReport:
    """Task-runner form of ``erase_deleted_photos``."""
    progress(0.0, "Erasing deleted photos")
    return erase_deleted_photos(ctx, client_id, by=by)


def preview_job(ctx: AppContext, client_id: str, *, progress: Progress, cancel: threading.Event) -> ErasurePreview:
    """Task-runner form of ``erasure_preview`` (it opens every backup, which can be on a slow drive)."""
    return erasure_preview(ctx, client_id)


# -- helpers -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Files:
    rows: list[str]                       # photo row ids
    shas: set[str]
    marked: set[tuple[str, str]]          # (sha256, mark-up key) of the rows' mark-up copies


def _who(by: str) -> str:
    """Who is erasing (the therapist's name from Settings), cleaned like every name: one too long for
    its column is refused before anything is deleted (a team server enforces column lengths)."""
    return clean_kind(by, field="by", kind="name", label="Who is erasing")


def _refuse_while_held(ctx: AppContext, session: Session, where: Any) -> None:
    """On a team server, ConflictError while a visit concerned is checked out to a laptop: the copy
    there still holds what is erased, and its check-in would bring it back. (The erasure's deletes are
    Core statements, which the flush-time guard of db/visit_guard.py does not see.)"""
    if not ctx.is_server:
        return
    hold = session.scalars(select(m.VisitHold).where(where).order_by(m.VisitHold.since)).first()
    if hold is not None:
        raise ConflictError(f"A visit of this client is {held_words(hold)}: that laptop has a copy, and its "
                            "check-in would bring back what is erased. Check the visit in, or ask a team lead "
                            "to release the hold, then erase.")


def _client(session: Session, client_id: str) -> m.Client:
    client = session.get(m.Client, client_id)
    if client is None:
        raise NotFoundError(f"no client with id {client_id!r}")
    return client


def _photo_files(session: Session, *where: Any) -> _Files:
    from homeassess.storage.photos import annotation_key

    rows = session.execute(select(m.Photo.id, m.Photo.sha256, m.Photo.annotations).where(*where)).all()
    return _Files([r.id for r in rows], {r.sha256 for r in rows},
                  {(r.sha256, annotation_key(r.annotations)) for r in rows if r.annotations})


def _unreferenced(session: Session, erased: _Files) -> _Files:
    """Of the erased rows' files, those no remaining row (deleted ones included) refers to."""
    from homeassess.storage.photos import annotation_key

    if not erased.shas:
        return erased
    left = session.execute(select(m.Photo.sha256, m.Photo.annotations).where(m.Photo.sha256.in_(erased.shas))).all()
    kept_marks = {(r.sha256, annotation_key(r.annotations)) for r in left if r.annotations}
    return _Files(erased.rows, erased.shas - {r.sha256 for r in left}, erased.marked - kept_marks)


def _signature_hashes(session: Session, visit_ids: list[str]) -> set[str]:
    """The hashes services/reports.py names its cached signature images by."""
    blobs = [*session.scalars(select(m.Assessment.signed_off_signature).where(m.Assessment.id.in_(visit_ids))),
             *session.scalars(select(m.VisitConsent.signature).where(m.VisitConsent.assessment_id.in_(visit_ids)))]
    return {sha256(b).hexdigest() for b in blobs if b}


def _forget_ids(session: Session, client_id: str, visit_ids: list[str]) -> None:
    """Internal settings that name the client or a visit: archived marks, last and recent visits."""
    keys = [f"archived.client.{client_id}", *(f"archived.assessment.{v}" for v in visit_ids)]
    session.execute(delete(m.Setting).where(m.Setting.key.in_(keys)))
    last = session.get(m.Setting, LAST_VISIT)
    if last is not None and last.value in visit_ids:
        session.delete(last)
    recent = session.get(m.Setting, RECENT_VISITS)
    if recent is not None:
        try:
            ids = json.loads(recent.value)
        except ValueError:
            ids = []
        recent.value = json.dumps([v for v in ids if v not in visit_ids] if isinstance(ids, list) else [])


def _forget_history(session: Session, where: Any) -> None:
    """The history of what is erased goes too (it holds the old values: names, captions, notes). Core
    deletes, like the erasure itself, so nothing of it is recorded again."""
    session.flush()
    session.execute(delete(m.Change).where(where))


def _record(ctx: AppContext, session: Session, what: str, shas: set[str], by: str, server_files: int) -> str:
    """The erasure log entry: when, what kind, how many files, by whom; never a name or an id."""
    files = server_files if ctx.is_server else sum(1 for sha in shas if ctx.photo_store.path_for(sha).exists())
    erasure = m.Erasure(erased_at=ctx.clock.now(), what=what, by=by, photo_files=files)
    session.add(erasure)
    session.flush()
    return erasure.id


def _drop_server_files(ctx: AppContext, session: Session, shas: set[str]) -> int:
    """On a team server the photos' files are rows (``photo_file``): those no remaining photo row
    refers to go in the erasing transaction. Returns how many went (0 on the laptop's database)."""
    if not ctx.is_server or not shas:
        return 0
    gone = session.execute(delete(m.PhotoFile).where(m.PhotoFile.sha256.in_(shas)))
    return int(gone.rowcount or 0)


def _kept_locally(ctx: AppContext, shas: set[str]) -> set[str]:
    """On a team server, the hashes of ``shas`` the data folder's own database still refers to: the
    photos folder is shared by the server's cache and the laptop's database (a visit checked out,
    the same picture used in a laptop visit), and a file that database needs must stay. When the
    file cannot be read, every one is kept (a cached copy left over is harmless; a lost photo is not)."""
    from homeassess.db.engine import DB_FILE
    from homeassess.storage.integrity import referenced_photos

    db = ctx.data_dir / DB_FILE
    if not ctx.is_server or not shas or not db.exists():
        return set()
    try:
        return shas & {sha for sha, _name in referenced_photos(db)}
    except (sqlite3.Error, OSError):
        return set(shas)


def _remove_files(ctx: AppContext, doomed: _Files, started: float, erasure_id: str, server_files: int) -> int:
    kept = _kept_locally(ctx, doomed.shas)
    removed = ctx.photo_store.discard(doomed.shas - kept, untouched_since=started)
    ctx.photo_store.discard_annotated({(sha, key) for sha, key in doomed.marked if sha not in kept})
    if ctx.is_server:   # what counts is the server's files, deleted with the rows; these were cached copies
        return server_files
    with ctx.uow() as uow:   # the count written before the commit was what was there to remove
        row = uow.session.get(m.Erasure, erasure_id)
        if row is not None and row.photo_files != removed:
            row.photo_files = removed
    return removed


def _drop_signatures(ctx: AppContext, hashes: Iterable[str]) -> None:
    for digest in hashes:
        (ctx.data_dir / "cache" / "signatures" / f"{digest}.png").unlink(missing_ok=True)


@contextmanager
def _secure_delete(ctx: AppContext, session: Session) -> Iterator[None]:
    """``PRAGMA secure_delete`` on for the erasing transaction: deleted rows are overwritten with
    zeros, not just unlinked; the connection goes back to the pool as it was. SQLite only: a team
    server's storage is its administrator's (see the module's docstring)."""
    if ctx.is_server:
        yield
        return
    was = session.execute(text("PRAGMA secure_delete")).scalar()
    session.execute(text("PRAGMA secure_delete=ON"))
    try:
        yield
        session.flush()   # every DELETE has run (and zeroed its rows) before the flag goes back
    finally:
        session.execute(text(f"PRAGMA secure_delete={int(bool(was))}"))


def scrub_database(ctx: AppContext) -> bool:
    """VACUUM (rewrites every page, so older free space that held the text is gone too, e.g. a name
    as it was before an edit), then fold the WAL into the database and truncate it. False (and a
    log line) if another connection was busy; secure_delete has zeroed the erased rows anyway.

    On a team server nothing is done (False): a VACUUM there only marks space reusable (autovacuum
    does that anyway), VACUUM FULL would lock every table against the whole team, and the server's
    WAL and backups are its administrator's."""
    if ctx.is_server:
        return False
    engine = getattr(ctx, "engine", None)
    if engine is None:
        with ctx.uow(read_only=True) as uow:
            engine = uow.session.get_bind()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.close()
    except sqlite3.OperationalError as exc:
        log.warning("database not compacted after an erasure: %s", exc)
        return False
    finally:
        raw.close()
    if busy:
        log.warning("the WAL was not truncated after an erasure (another connection was reading)")
    return not busy
