"""Make a write durable: flush a file's (or a folder's, after a rename) data to the disk."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """fsync ``path``, a file or a folder; where the OS cannot (Windows cannot open a folder; NTFS
    journals renames itself) this does nothing."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
