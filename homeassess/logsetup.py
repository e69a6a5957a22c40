"""The log file, shared by the desktop app and the command line: ``<data folder>/logs/homeassess.log``.

It rotates (four files of at most 1 MB) and is private: the folder is created 0700 and every log
file 0600 through ``os.open`` with an explicit mode, whatever the umask, because a log of a
clinical app names record ids and paths (STYLE §5.11: ids, never client names). No Qt here.
"""

from __future__ import annotations

import _thread
import logging
import logging.handlers
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOG_FILE = "homeassess.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _private_opener(path: str, flags: int) -> int:
    fd = os.open(path, flags, 0o600)
    if os.name == "posix":
        os.fchmod(fd, 0o600)  # a log an older version made with the umask's mode
    return fd


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files, the first and each one after a rollover, are 0600."""

    def _open(self):  # noqa: ANN202 - logging's own (untyped) hook
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=_private_opener)

    def handleError(self, record: logging.LogRecord) -> None:
        """A log that cannot be written (disk full) is lost quietly: logging's default prints a
        traceback on stderr, which would reach the terminal or the command line's caller."""


def make_log_dir(log_dir: Path) -> None:
    """Create the logs folder 0700 (its parent, the data folder, exists already)."""
    try:
        os.mkdir(log_dir, 0o700)
    except FileExistsError:
        pass
    if os.name == "posix" and log_dir.is_dir() and not log_dir.is_symlink():
        os.chmod(log_dir, 0o700)  # our own folder inside the data folder, never one the user chose


def open_log_file(log_dir: Path) -> PrivateRotatingFileHandler | None:
    """A handler writing ``log_dir/homeassess.log`` (folder and file made private), or None when
    it cannot be written: the app and the command line carry on without a log rather than fail."""
    try:
        make_log_dir(log_dir)
        handler = PrivateRotatingFileHandler(log_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3,
                                             encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> logging.Handler | None:
    """Send the root logger to ``log_dir/homeassess.log``, replacing a log an earlier call (or a
    command line run, e.g. ``demo --open``) installed. Returns the handler, or None (no log)."""
    handler = open_log_file(log_dir)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, (PrivateRotatingFileHandler, DataFolderLog))]:
        remove_handler(old)
    if handler is not None:
        root.addHandler(handler)
        root.setLevel(level)
    return handler


class DataFolderLog(logging.Handler):
    """The command line's log: records go to ``<data folder>/logs/homeassess.log`` once the data
    folder exists (the command may be the one that creates it) and, before that or when it cannot
    be written, nowhere. Never to the terminal: while installed on the root logger it also keeps
    logging's "last resort" handler from printing records (and tracebacks) on stderr."""

    def __init__(self) -> None:
        super().__init__()
        self.data_dir: Path | None = None
        self._file: logging.Handler | None = None
        self._failed = False

    def point_at(self, data_dir: Path) -> None:
        """Log into this data folder (opened now if it exists, else with the first record after)."""
        self.data_dir = data_dir
        self._open()

    @property
    def path(self) -> Path | None:
        """The log file, once it is open."""
        return None if self._file is None or self.data_dir is None else self.data_dir / "logs" / LOG_FILE

    def _open(self) -> logging.Handler | None:
        if self._file is None and not self._failed and self.data_dir is not None and self.data_dir.is_dir():
            self._file = open_log_file(self.data_dir / "logs")
            self._failed = self._file is None
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        if (file := self._open()) is not None:
            file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def remove_handler(handler: logging.Handler | None) -> None:
    """Detach and close a handler ``setup_logging`` returned (None is ignored)."""
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


class CommandRun:
    """One command line run: its log, and whether a Ctrl-C arrived where Python ignores it."""

    def __init__(self) -> None:
        self.log = DataFolderLog()
        self.interrupted = False
        self._running = threading.Event()
        self._running.set()

    def finish(self) -> None:
        """The command is over (done, failed or interrupted): no Ctrl-C is delivered again."""
        self._running.clear()

    def unraisable(self, unraisable: Any) -> None:
        """``sys.unraisablehook``: what Python would print and ignore goes to the log instead."""
        if not issubclass(unraisable.exc_type, KeyboardInterrupt):
            logging.getLogger(__name__).error("ignored error in %r", unraisable.object, exc_info=(
                unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))
            return
        # Ctrl-C landed in a finaliser or a weakref callback (SQLAlchemy has many), where Python
        # prints it and carries on. Note it, and deliver it again a moment later from another
        # thread (raised in this hook it would be ignored the same way), so it stops the command.
        self.interrupted = True
        timer = threading.Timer(0.05, self._interrupt_again)
        timer.daemon = True
        timer.start()

    def _interrupt_again(self) -> None:
        if self._running.is_set() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            _thread.interrupt_main()


def _log_thread_error(failure: threading.ExceptHookArgs) -> None:
    logging.getLogger(__name__).error("error in thread %s", failure.thread.name if failure.thread else "?",
                                      exc_info=(failure.exc_type, failure.exc_value, failure.exc_traceback))


@contextmanager
def command_logging(*, level: int = logging.INFO) -> Iterator[CommandRun]:
    """For one command line run: the root logger, Python warnings, and the errors Python would
    print itself (in a thread, in a finaliser) go to the run's DataFolderLog, which the caller
    points at the data folder; everything is put back afterwards."""
    run = CommandRun()
    root = logging.getLogger()
    old = root.level, sys.unraisablehook, threading.excepthook
    root.addHandler(run.log)
    root.setLevel(level)
    logging.captureWarnings(True)
    sys.unraisablehook, threading.excepthook = run.unraisable, _log_thread_error
    try:
        yield run
    finally:
        run.finish()
        logging.captureWarnings(False)
        root.setLevel(old[0])
        sys.unraisablehook, threading.excepthook = old[1], old[2]
        remove_handler(run.log)
