"""Is the database file sound, and is every photo it refers to present and unchanged?

Pure file and ``sqlite3`` work (no SQLAlchemy, no Qt), so it runs before the app opens its engine
and on a file the app must not touch. The quick check runs at every start; the full check is
``homeassess check``.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FileProblem:
    """What is wrong with a database file, in words a therapist can act on."""

    kind: str      # "empty" | "not-a-database" | "damaged" | "unreadable"
    detail: str

    def describe(self, path: Path) -> str:
        return {
            "empty": f"The database file {path} is empty (0 bytes): its records are missing.",
            "not-a-database": f"The file {path} is not a HomeAssess database ({self.detail}).",
            "damaged": f"The database file {path} is damaged ({self.detail}).",
            "unreadable": f"The database file {path} cannot be read ({self.detail}).",
        }[self.kind]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_database_file(path: Path, *, full: bool = False) -> FileProblem | None:
    """None when ``path`` is a sound SQLite database. ``full`` runs ``integrity_check`` (every
    page and index) instead of ``quick_check``. A missing file is not judged here."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return FileProblem("unreadable", exc.strerror or str(exc))
    if not header:
        return FileProblem("empty", "0 bytes")
    if header != SQLITE_HEADER:
        return FileProblem("not-a-database", "it does not start like an SQLite file")
    try:
        conn = _connect_read_only(path)
        try:
            rows = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "unable to open" in str(exc):   # a read-only folder without the WAL index, or no permission
            return FileProblem("unreadable", str(exc))
        return FileProblem("damaged", str(exc))
    except sqlite3.DatabaseError as exc:
        return FileProblem("damaged", str(exc))
    messages = [str(r[0]) for r in rows]
    if messages != ["ok"]:
        shown = "; ".join(messages[:3]) + (f"; and {len(messages) - 3} more" if len(messages) > 3 else "")
        return FileProblem("damaged", shown)
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def photo_path(photos_dir: Path, sha256: str) -> Path:
    """Where the photo store keeps the file with this hash (``storage/photos.py`` layout)."""
    return photos_dir / sha256[:2] / f"{sha256}.jpg"


def referenced_photos(db: Path) -> list[tuple[str, str]]:
    """(sha256, original file name) of every photo row, deleted ones included: their files are
    kept until erased, so they must be present too."""
    conn = _connect_read_only(db)
    try:
        return [(str(sha), str(name or "")) for sha, name in
                conn.execute("SELECT sha256, original_filename FROM photo ORDER BY created_at")]
    except sqlite3.OperationalError:  # a database older than photos
        return []
    finally:
        conn.close()


def check_photos(db: Path, photos_dir: Path) -> tuple[int, list[str]]:
    """How many distinct photo files were checked, and one line per missing or altered file."""
    problems: list[str] = []
    seen: set[str] = set()
    for sha, name in referenced_photos(db):
        if sha in seen:
            continue
        seen.add(sha)
        label = f"photo {sha[:12]}" + (f" ({name})" if name else "")
        if not _SHA256.fullmatch(sha):
            problems.append(f"{label}: the database holds an invalid photo reference")
            continue
        path = photo_path(photos_dir, sha)
        try:
            actual = file_sha256(path)
        except FileNotFoundError:
            problems.append(f"{label}: the file is missing ({path})")
            continue
        except OSError as exc:
            problems.append(f"{label}: the file cannot be read ({exc.strerror or exc})")
            continue
        if actual != sha:
            problems.append(f"{label}: the file has changed since it was stored ({path})")
    return len(seen), problems


def foreign_key_problems(db: Path) -> int:
    conn = _connect_read_only(db)
    try:
        return len(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()


def count_records(db: Path) -> tuple[int, int]:
    """(clients, visits) not deleted, for backup lists and restore confirmations."""
    conn = _connect_read_only(db)
    try:
        clients = conn.execute("SELECT COUNT(*) FROM client WHERE deleted_at IS NULL").fetchone()[0]
        visits = conn.execute("SELECT COUNT(*) FROM assessment WHERE deleted_at IS NULL").fetchone()[0]
        return int(clients), int(visits)
    except sqlite3.OperationalError:  # no tables yet (a brand-new database)
        return 0, 0
    finally:
        conn.close()
