"""Write a file the person asked for (a report, an order list) so that it is either complete or absent,
and nothing half-written is left beside it, even after a kill -9 or a power cut.

The file is built in the data folder's private scratch folder, then moved into place. On the same
disk the move is one atomic rename, so nothing ever appears beside the target. Across disks (a USB
stick) it is copied to a hidden ``.name-XXXX.part`` beside the target and renamed; a note naming
that temporary file is written in the scratch folder first, so the sweep at the next start
removes it if the copy was interrupted.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from homeassess.storage.durable import fsync_path
from homeassess.storage.private import make_private, make_private_dir

NOTE_SUFFIX = ".pending"
PART_SUFFIX = ".part"


def _same_disk(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


def is_temporary(path: str | os.PathLike[str], scratch: Path, out: Path) -> bool:
    """Is ``path`` one of the files this module makes on the way to ``out`` (for error messages)?"""
    p = Path(os.fsdecode(path))
    return p.parent == scratch or (p.parent == out.parent and p.name.startswith(f".{out.stem}-")
                                    and p.name.endswith(PART_SUFFIX))


def write_output(out: Path, write: Callable[[Path], None], *, scratch: Path) -> None:
    """Let ``write`` fill a scratch file, then put it at ``out`` (replacing any file there)."""
    make_private_dir(scratch)
    work = scratch / f"{uuid.uuid4().hex}{out.suffix}"
    try:
        write(work)
        if out.resolve().is_relative_to(scratch.resolve().parent):
            make_private(work)   # kept in the data folder: only this user reads it
        # elsewhere (a folder the person chose to share or send from) it gets that folder's usual mode
        fsync_path(work)
        if _same_disk(scratch, out.parent):
            os.replace(work, out)
            return
        beside = out.parent / f".{out.stem}-{uuid.uuid4().hex[:8]}{PART_SUFFIX}"
        note = scratch / f"{beside.name}{NOTE_SUFFIX}"
        note.write_text(str(beside), encoding="utf-8")   # before the file exists: a kill leaves a note
        try:
            shutil.copyfile(work, beside)
            fsync_path(beside)
            os.replace(beside, out)
        finally:
            beside.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
    finally:
        work.unlink(missing_ok=True)


def sweep_outputs(scratch: Path, cutoff: float) -> int:
    """Remove scratch files older than ``cutoff`` (a time.time() value) and the hidden ``.part``
    files their notes name; returns how many files were removed."""
    removed = 0
    if not scratch.is_dir():
        return 0
    for path in scratch.iterdir():
        try:
            if not path.is_file() or path.stat().st_mtime >= cutoff:
                continue
            if path.name.endswith(NOTE_SUFFIX):
                beside = Path(path.read_text(encoding="utf-8").strip())
                if beside.name.startswith(".") and beside.name.endswith(PART_SUFFIX) and beside.is_file():
                    beside.unlink()
                    removed += 1
            path.unlink()
            removed += 1
        except OSError:
            continue
    return removed
