"""Backups, restores and checks of a data folder, for the app and the command line.

These work from the data folder's path, not an open context: a restore or a check must also run
when the database is damaged and cannot be opened. Where the backups go is kept in a small file
beside the database (``backup-settings.json``), not in the database, so restoring an old copy
never changes it.

A context on a team server (``is_server``) has no database file here: backing up, listing and
restoring are refused with ``ServerBackupsError`` (the server's backups are its administrator's,
made with pg_dump or the like), and ``full_check`` checks the server's photos instead.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from homeassess.db.engine import DB_FILE
from homeassess.domain.errors import NotFoundError, StorageError
from homeassess.storage import backups as store
from homeassess.storage.backups import SECOND_LOCATION_FOLDER, Backup, RestoreResult
from homeassess.storage.integrity import check_database_file, check_photos, foreign_key_problems
from homeassess.storage.private import make_private

if TYPE_CHECKING:
    from homeassess.services.context import AppContext

log = logging.getLogger(__name__)
SETTINGS_FILE = "backup-settings.json"


class HasDataDir(Protocol):
    data_dir: Path


class ServerBackupsError(StorageError):
    """A backup, a list of backups or a restore asked of a context on a team server."""

    def __init__(self, server: str) -> None:
        super().__init__(f"This computer is working on the team server {server}: the server's backups are made by "
                         "its administrator (for example with pg_dump), not by HomeAssess.")
        self.server = server


def _dir(where: HasDataDir | Path) -> Path:
    return where if isinstance(where, Path) else where.data_dir


def _server_of(where: HasDataDir | Path) -> str | None:
    """The team server ``where`` works on (a context's ``server``), else None: a bare path is a data folder."""
    return None if isinstance(where, Path) else getattr(where, "server", None)


def _refuse_server(where: HasDataDir | Path) -> None:
    if (server := _server_of(where)) is not None:
        raise ServerBackupsError(server)


def primary_root(where: HasDataDir | Path) -> Path:
    return _dir(where) / "backups"


def second_location(where: HasDataDir | Path) -> Path | None:
    """The optional second place backups are copied to (USB stick, network folder)."""
    try:
        value = json.loads((_dir(where) / SETTINGS_FILE).read_text(encoding="utf-8")).get("second_location")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value) if isinstance(value, str) and value.strip() else None


def set_second_location(where: HasDataDir | Path, folder: Path | None) -> None:
    """Remember (or, with None, forget) the second location; it must be an existing folder."""
    if folder is not None and not folder.is_dir():
        raise StorageError(f"{folder} is not a folder that exists. Plug in the drive or choose another folder.")
    path = _dir(where) / SETTINGS_FILE
    tmp = path.with_name(f".{SETTINGS_FILE}.new")
    tmp.write_text(json.dumps({"second_location": str(folder) if folder else ""}), encoding="utf-8")
    make_private(tmp)
    tmp.replace(path)


def _roots(where: HasDataDir | Path, extra: Path | None = None) -> list[tuple[Path, str]]:
    roots = [(primary_root(where), "")]
    for folder in (second_location(where), extra):
        if folder is not None and all(r != folder / SECOND_LOCATION_FOLDER for r, _ in roots):
            roots.append((folder / SECOND_LOCATION_FOLDER, str(folder)))
    return roots


@dataclass
class BackupOutcome:
    made: list[Backup] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # one line per location that failed


def create_backups(where: HasDataDir | Path, *, reason: str, now: datetime, to: Path | None = None,
                   protect: frozenset[str] = frozenset()) -> BackupOutcome:
    """Back up into the data folder's backups and the second location (and ``to``). A location that
    fails (drive unplugged, disk full) is reported and does not stop the others."""
    _refuse_server(where)
    data_dir = _dir(where)
    db = data_dir / DB_FILE
    outcome = BackupOutcome()
    if not db.exists():
        outcome.problems.append(f"There is no database in {data_dir} to back up.")
        return outcome
    for root, location in _roots(where, to):
        if location and not Path(location).is_dir():
            outcome.problems.append(f"The backup location {location} is not available (is the drive plugged in?).")
            continue
        try:
            made = store.create_backup(db, data_dir / "photos", root, reason=reason, now=now, location=location,
                                       protect=protect)
        except StorageError as exc:
            log.warning("backup into %s failed: %s", root, exc)
            outcome.problems.append(str(exc))
            continue
        log.info("backup %s made in %s (%d bytes)", made.name, root, made.size_bytes)
        outcome.made.append(made)
    return outcome


def list_backups(where: HasDataDir | Path) -> list[Backup]:
    """Every complete backup in every location, newest first."""
    _refuse_server(where)
    found = [b for root, location in _roots(where) for b in store.list_backups(root, location=location)]
    return sorted(found, key=lambda b: (b.created_at, b.location == ""), reverse=True)


def find_backup(where: HasDataDir | Path, name: str) -> Backup:
    _refuse_server(where)
    matches = [b for b in list_backups(where) if b.name == name.strip()]
    if not matches:
        raise NotFoundError(f"No backup is called {name!r}. `homeassess backup list` shows their names.")
    return next((b for b in matches if b.location == ""), matches[0])


def daily_backup_due(where: HasDataDir | Path, now: datetime) -> bool:
    """True when no backup was made in the data folder today (so the start-up one runs at most daily).
    Never on a team server (its backups are its administrator's)."""
    if _server_of(where) is not None:
        return False
    return not any(b.created_at.date() == now.date() for b in store.list_backups(primary_root(where)))


def newest_good_backup(where: HasDataDir | Path) -> Backup | None:
    """The newest backup whose database passes SQLite's quick check."""
    return next((b for b in list_backups(where) if check_database_file(b.db_path) is None), None)


def restore(where: HasDataDir | Path, name: str, *, now: datetime) -> RestoreResult:
    """Restore the named backup. A sound database in use is backed up first; whatever its state it
    is then set aside (``set-aside/``), never deleted. Nothing may have the database open."""
    _refuse_server(where)
    data_dir = _dir(where)
    backup = find_backup(data_dir, name)
    db = data_dir / DB_FILE
    if db.exists() and db.stat().st_size and check_database_file(db) is None:
        outcome = create_backups(data_dir, reason="before-restore", now=now, protect=frozenset({backup.name}))
        if not any(b.location == "" for b in outcome.made):
            raise StorageError("The database in use could not be backed up before the restore, so nothing was "
                               f"changed: {'; '.join(outcome.problems)}")
    result = store.restore_backup(backup, db, data_dir / "photos", now=now)
    log.info("restored backup %s; the previous database is in %s", backup.name, result.set_aside)
    return result


@dataclass
class CheckReport:
    problems: list[str]
    photos_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems


def full_check(where: HasDataDir | Path) -> CheckReport:
    """Database integrity (every page and index), foreign keys, and every photo the database
    refers to present and matching its hash. On a team server: ``check_server_photos``."""
    if _server_of(where) is not None:
        return check_server_photos(where)  # type: ignore[arg-type]
    data_dir = _dir(where)
    db = data_dir / DB_FILE
    if not db.exists():
        return CheckReport([f"There is no database in {data_dir}."], 0)
    if (problem := check_database_file(db, full=True)) is not None:
        return CheckReport([problem.describe(db)], 0)
    problems = []
    if keys := foreign_key_problems(db):
        problems.append(f"{keys} record(s) refer to records that no longer exist")
    checked, photo_problems = check_photos(db, data_dir / "photos")
    return CheckReport(problems + photo_problems, checked)


def check_server_photos(ctx: AppContext) -> CheckReport:
    """A team server's check: every photo row has its file in ``photo_file``, each file still matches
    its hash, and no file is left that no photo row refers to (an erasure removes them with the rows,
    so one left over holds a picture of someone who should be gone).

    The database's own soundness (pages, indexes, WAL) is the server's: its administrator checks it
    (amcheck, pg_dump); PostgreSQL enforces the foreign keys itself, so there is nothing to count.
    The files are read one at a time, hashed and let go, so a large server needs no large memory."""
    import hashlib

    from sqlalchemy import select

    from homeassess.db import models as m

    problems: list[str] = []
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        names: dict[str, str] = {}
        for sha, name in session.execute(select(m.Photo.sha256, m.Photo.original_filename)
                                         .order_by(m.Photo.created_at, m.Photo.id)):
            names.setdefault(str(sha), str(name or ""))
        stored: set[str] = set()
        files = session.execute(select(m.PhotoFile.sha256, m.PhotoFile.data).order_by(m.PhotoFile.sha256)
                                .execution_options(yield_per=8))
        for sha, data in files:
            stored.add(sha)
            if sha in names and hashlib.sha256(bytes(data)).hexdigest() != sha:
                problems.append(f"{_photo_label(sha, names[sha])}: the file on the team server has changed "
                                "since it was stored")
        orphans = len(stored - set(names))
    for sha, name in names.items():
        if sha not in stored:
            problems.append(f"{_photo_label(sha, name)}: the file is missing from the team server")
    if orphans:
        problems.append(f"{orphans} photo file(s) on the team server belong to no photo (left over from an "
                        "erasure?); they are not shown anywhere")
    return CheckReport(problems, len(names))


def _photo_label(sha: str, name: str) -> str:
    return f"photo {sha[:12]}" + (f" ({name})" if name else "")
