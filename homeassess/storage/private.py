"""Files and folders only this user can read: client records show the inside of people's homes.

What HomeAssess creates is private from the start (folders 0700, files 0600) rather than relying on
the folder around it. A folder the user chose (``--data-dir``) keeps the mode it has: we never
change the permissions of something we did not create, we only warn when others can read it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

POSIX = os.name == "posix"


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing folder is left as it is."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if POSIX:
        for created in missing:  # mkdir's mode is reduced by the umask: set it exactly
            created.chmod(0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (SQLite then gives its WAL and
    shared-memory files the same mode as the database file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    if POSIX:
        path.chmod(0o600)


def make_private(path: Path) -> None:
    """Set a file we wrote to 0600 (a folder to 0700)."""
    if POSIX:
        path.chmod(0o700 if path.is_dir() else 0o600)


def readable_by_others(path: Path) -> bool:
    """True when users other than the owner can list or read ``path`` (POSIX group/other bits)."""
    if not POSIX:
        return False
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH))
