"""Files a person names as input or output: refuse anything that is not a regular file before opening it.

Opening a named pipe for reading waits for a writer that never comes; a device such as /dev/zero
or /dev/urandom never ends; a folder gives odd errors. So services look first (``os.stat`` never
blocks) and name the person's own path in the refusal. ``read_input_bytes`` then opens without
blocking and checks the open file again, so a pipe swapped in after the first look cannot hang it.
Pure standard library, no Qt, no database: the desktop app and the command line share it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from homeassess.domain.errors import HomeAssessError

KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_NONBLOCKING_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class UnusablePathError(HomeAssessError):
    """A path that cannot be used as the input or output file asked for; names the path as given."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path}: {problem}")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a named pipe")."""
    return next((words for test, words in KINDS if test(mode)), "not a regular file")


def special_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, found without opening it: it is a folder, pipe,
    device or socket, or its name holds a NUL character. None for a regular file, and for a path
    that cannot be looked at (missing, no permission): the caller's own open reports those."""
    try:
        mode = os.stat(Path(path).expanduser()).st_mode
    except OSError:
        return None
    except ValueError:
        return "not a valid file name (it holds a NUL character)"
    return None if stat.S_ISREG(mode) else f"not a regular file (it is {kind_of(mode)})"


def check_input_file(path: Path) -> None:
    """Raise UnusablePathError if ``path`` exists and is not a regular file."""
    if (problem := special_file_problem(path)) is not None:
        raise UnusablePathError(path, problem)


def read_input_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The whole of a regular file of at most ``max_bytes``; UnusablePathError (naming ``path``)
    for a special file, one that cannot be read, or one that is too large."""
    check_input_file(path)
    try:
        fd = os.open(Path(path).expanduser(), _NONBLOCKING_READ)
    except OSError as exc:
        raise UnusablePathError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    except ValueError:  # an embedded NUL character
        raise UnusablePathError(path, "not a valid file name (it holds a NUL character)") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnusablePathError(path, f"not a regular file (it is {kind_of(info.st_mode)})")
        too_large = UnusablePathError(path, f"larger than {_size_text(max_bytes)}")
        if info.st_size > max_bytes:
            raise too_large
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise UnusablePathError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > max_bytes:  # it grew while being read
        raise too_large
    return data


def check_output_file(path: Path, *, folder_must_exist: bool = True) -> None:
    """Raise UnusablePathError unless ``path`` can be written as a file: it must not be a folder,
    pipe or device, and (with ``folder_must_exist``, for a path a person typed) its folder must
    exist. Services that make their own folders pass ``folder_must_exist=False``."""
    target = Path(path).expanduser()
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise UnusablePathError(path, f"{_first_non_folder(target)} is not a folder") from None
    except ValueError:
        raise UnusablePathError(path, "not a valid file name (it holds a NUL character)") from None
    except OSError as exc:
        raise UnusablePathError(path, f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise UnusablePathError(path, f"not a regular file (it is {kind_of(mode)})")
    if folder_must_exist and mode is None and not target.parent.is_dir():
        folder = target.parent
        if folder.exists():
            raise UnusablePathError(path, f"{folder} is not a folder")
        raise UnusablePathError(path, f"the folder {folder} does not exist")


def _first_non_folder(path: Path) -> Path:
    """The first part of ``path`` that exists but is not a folder (or ``path`` itself)."""
    for part in reversed(path.parents):
        if part.exists() and not part.is_dir():
            return part
    return path


def shown_name(name: str) -> str:
    """A file name fit to store and show: bytes that are not UTF-8 (which Python carries as lone
    surrogates, and a database cannot store) become U+FFFD."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return name.encode("utf-8", "replace").decode("utf-8")


def _size_text(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"
