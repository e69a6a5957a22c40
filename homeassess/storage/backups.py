"""Verified backups of the database and photos, kept 7 daily / 4 weekly / 12 monthly.

Layout under a backup root (``<data>/backups`` and, optionally, a second location)::

    2026-12-02T153012Z-daily/homeassess.sqlite3   a consistent copy made by SQLite's backup API
    2026-12-02T153012Z-daily/manifest.json        when, why, counts, the photos it needs
    photos/ab/<sha256>.jpg                          photo files, shared by every backup

A live database is never copied as a file (a copy taken mid-write is torn): the online backup
API reads it through SQLite's own locking. Photo files are immutable and named by their hash, so
each is copied once, checked against its hash, and shared. A backup is written into a hidden
``.incomplete-*`` folder and renamed only once its copy passes ``integrity_check``, so a crash or
full disk never leaves something that looks like a backup. Pure file and ``sqlite3`` work.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from homeassess.domain.backup_reasons import BackupReason
from homeassess.domain.errors import StorageError
from homeassess.storage.durable import fsync_path
from homeassess.storage.integrity import check_database_file, count_records, file_sha256, photo_path, \
    referenced_photos
from homeassess.storage.private import make_private, make_private_dir

DB_NAME = "homeassess.sqlite3"
MANIFEST = "manifest.json"
PHOTO_POOL = "photos"
INCOMPLETE = ".incomplete-"
SECOND_LOCATION_FOLDER = "HomeAssess backups"
STAMP = "%Y-%m-%dT%H%M%SZ"
REASONS = tuple(BackupReason)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# Pinned backups (BackupReason.pinned) are kept this long whatever the schedule says (the schedule
# keeps one a day, so it would prune a manual backup by the evening).
KEEP_SAFETY_COPIES = timedelta(days=30)
PINNED = frozenset(r.value for r in BackupReason if r.pinned)


@dataclass(frozen=True)
class Backup:
    name: str
    folder: Path
    created_at: datetime          # naive UTC
    reason: str
    db_bytes: int
    photo_bytes: int
    clients: int
    visits: int
    photos: int
    missing_photos: int = 0       # photos the database named but whose files were already gone
    location: str = ""            # "" = the data folder's own backups; else the second location

    @property
    def size_bytes(self) -> int:
        return self.db_bytes + self.photo_bytes

    @property
    def db_path(self) -> Path:
        return self.folder / DB_NAME

    @property
    def path(self) -> Path:
        return self.folder

    @property
    def root(self) -> Path:
        return self.folder.parent


@dataclass
class RestoreResult:
    restored: Backup
    set_aside: Path | None                  # where the database that was in use now is
    photos_restored: int = 0
    photos_missing: list[str] = field(default_factory=list)


def backup_name(now: datetime, reason: str) -> str:
    return f"{now.strftime(STAMP)}-{reason}"


def _copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # One self-contained file: no WAL beside the copy.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _copy_photo(source: Path, target: Path, sha: str) -> int:
    """Copy one photo into a pool through a temporary name; returns its size. The copy is read
    back and hashed, so a failing disk is found now rather than on the day of a restore."""
    make_private_dir(target.parent)
    tmp = target.with_name(f"{INCOMPLETE}{target.name}")
    try:
        shutil.copyfile(source, tmp)
        if file_sha256(tmp) != sha:
            raise StorageError(f"the copy of photo {sha[:12]} does not match the original")
        make_private(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def create_backup(db: Path, photos_dir: Path, root: Path, *, reason: str, now: datetime,
                  location: str = "", protect: frozenset[str] = frozenset()) -> Backup:
    """Back up ``db`` and the photos it refers to into ``root``; verified, then pruned (never the
    backups named in ``protect``)."""
    if reason not in REASONS:
        raise ValueError(reason)
    name = backup_name(now, reason)
    work = root / f"{INCOMPLETE}{name}"
    try:
        make_private_dir(root)
        shutil.rmtree(work, ignore_errors=True)
        make_private_dir(work)
        copy = work / DB_NAME
        _copy_database(db, copy)
        make_private(copy)
        if (problem := check_database_file(copy, full=True)) is not None:
            raise StorageError(f"the backup copy failed its check: {problem.detail}")
        clients, visits = count_records(copy)
        shas = sorted({sha for sha, _ in referenced_photos(copy)})
        photo_bytes, missing = 0, 0
        for sha in shas:
            pooled = photo_path(root / PHOTO_POOL, sha)
            if pooled.exists():
                photo_bytes += pooled.stat().st_size
                continue
            source = photo_path(photos_dir, sha)
            if not source.exists():
                missing += 1  # reported by `homeassess check`; the backup is still worth having
                continue
            photo_bytes += _copy_photo(source, pooled, sha)
        manifest = {"name": name, "created_at": now.strftime(STAMP), "reason": reason, "clients": clients,
                    "visits": visits, "photos": shas, "missing_photos": missing,
                    "db_bytes": copy.stat().st_size, "photo_bytes": photo_bytes, "db_sha256": file_sha256(copy)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        make_private(work / MANIFEST)
        fsync_path(copy)
        final = root / name
        if final.exists():  # two backups in the same second: the newer replaces the older
            shutil.rmtree(final)
        os.replace(work, final)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(work, ignore_errors=True)
        detail = getattr(exc, "strerror", None) or str(exc)
        raise StorageError(f"The backup to {root} could not be made ({detail}).") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    prune(root, now, protect=protect | {name})   # never the backup just made
    backup = read_backup(final, location=location)
    assert backup is not None
    return backup


def read_backup(folder: Path, *, location: str = "") -> Backup | None:
    """The backup in ``folder``, or None when it is not a complete backup."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        created = datetime.strptime(data["created_at"], STAMP)
        if not (folder / DB_NAME).is_file():
            return None
        return Backup(name=folder.name, folder=folder, created_at=created, reason=str(data["reason"]),
                      db_bytes=int(data["db_bytes"]), photo_bytes=int(data["photo_bytes"]),
                      clients=int(data["clients"]), visits=int(data["visits"]), photos=len(data["photos"]),
                      missing_photos=int(data.get("missing_photos", 0)), location=location)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def list_backups(root: Path, *, location: str = "") -> list[Backup]:
    """Complete backups in ``root``, newest first."""
    if not root.is_dir():
        return []
    found = [read_backup(p, location=location) for p in root.iterdir()
             if p.is_dir() and not p.name.startswith(".") and p.name != PHOTO_POOL]
    return sorted((b for b in found if b is not None), key=lambda b: (b.created_at, b.name), reverse=True)


def to_keep(backups: Iterable[Backup], now: datetime) -> set[str]:
    """Grandfather-father-son: the newest backup of each of the last 7 days, 4 weeks and 12 months
    that have one, plus manual backups and safety copies younger than 30 days."""
    ordered = sorted(backups, key=lambda b: b.created_at, reverse=True)
    keep: set[str] = set()
    for period, count in ((lambda d: d.date(), KEEP_DAILY),
                          (lambda d: tuple(d.isocalendar())[:2], KEEP_WEEKLY),
                          (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen: list[object] = []
        for b in ordered:
            key = period(b.created_at)
            if key not in seen:
                if len(seen) == count:
                    break
                seen.append(key)
                keep.add(b.name)
    keep.update(b.name for b in ordered
                if b.reason in PINNED and now - b.created_at < KEEP_SAFETY_COPIES)
    return keep


def prune(root: Path, now: datetime, *, protect: frozenset[str] = frozenset()) -> list[str]:
    """Delete backups outside the schedule, photo files no remaining backup needs, and debris
    of interrupted backups; returns the names of the backups deleted."""
    backups = list_backups(root)
    keep = to_keep(backups, now) | protect
    removed = []
    for b in backups:
        if b.name not in keep:
            shutil.rmtree(b.folder, ignore_errors=True)
            removed.append(b.name)
    needed: set[str] = set()
    for b in backups:
        if b.name in keep:
            try:
                needed.update(json.loads((b.folder / MANIFEST).read_text(encoding="utf-8"))["photos"])
            except (OSError, ValueError, KeyError):
                return removed  # cannot tell which photos are needed: delete none
    pool = root / PHOTO_POOL
    for path in pool.glob("??/*"):
        sha = path.name.removeprefix(INCOMPLETE).removesuffix(".jpg")
        if sha not in needed or path.name.startswith(INCOMPLETE):
            path.unlink(missing_ok=True)
    for debris in root.glob(f"{INCOMPLETE}*"):
        if debris.is_dir() and now.timestamp() - debris.stat().st_mtime > 3600:
            shutil.rmtree(debris, ignore_errors=True)
    return removed


def verify_backup(backup: Backup) -> list[str]:
    """Problems that would make a restore from ``backup`` incomplete (empty when it is sound)."""
    problems = []
    if (problem := check_database_file(backup.db_path, full=True)) is not None:
        problems.append(problem.describe(backup.db_path))
        return problems
    for sha, name in referenced_photos(backup.db_path):
        pooled = photo_path(backup.root / PHOTO_POOL, sha)
        if not pooled.exists():
            continue  # the live photo store may still have it; restore says which are missing
        if file_sha256(pooled) != sha:
            problems.append(f"the backed-up photo {name or sha[:12]} has changed since it was copied")
    return problems


def set_aside(db: Path, now: datetime, why: str) -> Path | None:
    """Move the database (and its WAL and shared-memory files) into ``set-aside/<stamp>-<why>/``
    beside it; never deleted. Returns the folder, or None when there was no database."""
    parts = [db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
    if not any(p.exists() for p in parts):
        return None
    folder = db.parent / "set-aside" / f"{now.strftime(STAMP)}-{why}"
    make_private_dir(folder)
    for part in parts:
        if part.exists():
            os.replace(part, folder / part.name)
    return folder


def restore_backup(backup: Backup, db: Path, photos_dir: Path, *, now: datetime) -> RestoreResult:
    """Put ``backup`` in place of ``db``. The database in use is set aside first (never deleted);
    photo files the backup needs and the photo store lacks are copied back. Nothing may have the
    database open."""
    if problems := verify_backup(backup):
        raise StorageError(f"The backup {backup.name} cannot be restored: {problems[0]}")
    staged = db.with_name(f"{INCOMPLETE}{DB_NAME}")
    try:
        shutil.copyfile(backup.db_path, staged)
        make_private(staged)
        fsync_path(staged)
        aside = set_aside(db, now, "before-restore")
        os.replace(staged, db)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise StorageError(f"The backup {backup.name} could not be restored ({exc.strerror or exc}).") from exc
    result = RestoreResult(restored=backup, set_aside=aside)
    for sha, name in referenced_photos(db):
        target = photo_path(photos_dir, sha)
        if target.exists():
            continue
        pooled = photo_path(backup.root / PHOTO_POOL, sha)
        if pooled.exists():
            _copy_photo(pooled, target, sha)
            result.photos_restored += 1
        elif name not in result.photos_missing:
            result.photos_missing.append(name or sha[:12])
    return result


def newest(backups: Iterable[Backup]) -> Backup | None:
    return max(backups, key=lambda b: b.created_at, default=None)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
