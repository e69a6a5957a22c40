"""One writer per data folder: an operating-system file lock held by the app while it is open and by
a command-line command while it changes data.

The lock is the OS's (``flock`` / ``LockFileEx`` through the ``filelock`` library), so a process
that dies — even by kill -9 or a power cut — holds nothing afterwards: there is no stale lock to
clear by hand. Who holds it is written beside it, only to say so in the message.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from homeassess.domain.errors import DataFolderBusyError, StorageError
from homeassess.storage.private import make_private, make_private_dir

LOCK_FILE = ".homeassess.lock"
HOLDER_FILE = ".homeassess.holder"

_held: dict[Path, tuple[FileLock, int]] = {}   # per process: re-entrant (the CLI's `demo --open` opens the app)
_guard = threading.Lock()


def _key(data_dir: Path) -> Path:
    return data_dir.expanduser().resolve()


def holder(data_dir: Path) -> dict[str, object]:
    try:
        value = json.loads((data_dir / HOLDER_FILE).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def _cannot_write(data_dir: Path, exc: OSError) -> str:
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (f"The data folder {data_dir} is read-only, so changes cannot be saved. Check its permissions, "
                "or whether the drive is write-protected.")
    if exc.errno == errno.ENOSPC:
        return f"The disk holding {data_dir} is full, so changes cannot be saved. Free some space and try again."
    return f"The data folder {data_dir} cannot be used ({exc.strerror or exc})."


def busy_message(data_dir: Path, *, waited: float) -> str:
    who = holder(data_dir)
    what = str(who.get("what") or "another copy of HomeAssess")
    since = str(who.get("since") or "")
    detail = ", ".join(x for x in (f"since {since}" if since else "", f"process {who['pid']}" if who.get("pid") else "")
                       if x)
    waited_text = f" Waited {waited:.0f} s." if waited >= 1 else ""
    return (f"{what[0].upper()}{what[1:]} is using the data folder {data_dir}{f' ({detail})' if detail else ''}."
            f"{waited_text} Only one program can change it at a time: close the other one, or try again when it "
            "has finished.")


def acquire(data_dir: Path, *, wait: float, what: str) -> None:
    """Take the data folder's lock, waiting up to ``wait`` seconds; re-entrant within a process."""
    key = _key(data_dir)
    with _guard:
        if key in _held:
            lock, count = _held[key]
            _held[key] = (lock, count + 1)
            return
    lock = FileLock(str(key / LOCK_FILE), timeout=wait, mode=0o600, thread_local=False)
    started = time.monotonic()
    try:
        make_private_dir(key)
        lock.acquire()
    except Timeout:
        raise DataFolderBusyError(busy_message(key, waited=time.monotonic() - started)) from None
    except OSError as exc:
        raise StorageError(_cannot_write(key, exc)) from exc
    with _guard:
        _held[key] = (lock, 1)
    info = key / HOLDER_FILE
    try:
        info.write_text(json.dumps({"pid": os.getpid(), "what": what,
                                    "since": datetime.now().strftime("%H:%M on %d %b %Y")}), encoding="utf-8")
        make_private(info)
    except OSError:
        pass  # only used to word the message


def release(data_dir: Path) -> None:
    key = _key(data_dir)
    with _guard:
        if key not in _held:
            return
        lock, count = _held[key]
        if count > 1:
            _held[key] = (lock, count - 1)
            return
        del _held[key]
    (key / HOLDER_FILE).unlink(missing_ok=True)
    lock.release()


@contextmanager
def holding(data_dir: Path, *, wait: float, what: str) -> Iterator[None]:
    acquire(data_dir, wait=wait, what=what)
    try:
        yield
    finally:
        release(data_dir)


def is_held_here(data_dir: Path) -> bool:
    with _guard:
        return _key(data_dir) in _held
