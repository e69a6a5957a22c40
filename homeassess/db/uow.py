"""Unit of work: one short session per use case; commits on success, rolls back on error.

Environmental database failures (locked, read-only, disk full, corrupt) become
``StorageError`` with a message a person can act on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm import exc as orm_exc

from homeassess.db.engine import WRITE
from homeassess.domain.errors import ConflictError, StorageError

P = ParamSpec("P")
R = TypeVar("R")
STALE_EDIT = ("This record was changed by another program (or another window) after you opened it, so your "
              "change was not saved. The newer version is shown; make your change again if it is still needed.")


def explain_db_error(error: BaseException) -> str:
    text = str(getattr(error, "orig", error)).lower()
    if "locked" in text or "busy" in text:
        return "The database is in use by another program. Close other copies of HomeAssess and try again."
    if "readonly" in text or "read-only" in text:
        return "The data folder is read-only, so changes cannot be saved. Check its permissions."
    if "full" in text:
        return "The disk is full, so changes cannot be saved. Free some space and try again."
    if "malformed" in text or "not a database" in text:
        return "The database file is damaged. Restore it from a backup in the backups folder."
    return f"The database could not be used ({text})."


class UnitOfWork:
    """``with uow_factory() as uow: ...`` — ``uow.session`` is valid inside the block only."""

    def __init__(self, session_factory: sessionmaker[Session], *, read_only: bool = False) -> None:
        self._factory = session_factory
        self.read_only = read_only
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        if not self.read_only:
            try:
                self.session.connection(execution_options={WRITE: True})   # BEGIN IMMEDIATE (db/engine.py)
            except sa_exc.OperationalError as error:
                self.session.close()
                raise StorageError(explain_db_error(error)) from error
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if exc is None and not self.read_only:
                self.session.commit()
            else:
                self.session.rollback()
        except sa_exc.OperationalError as error:
            self.session.rollback()
            raise StorageError(explain_db_error(error)) from error
        except orm_exc.StaleDataError as error:
            self.session.rollback()
            raise ConflictError(STALE_EDIT) from error
        finally:
            self.session.close()
        if isinstance(exc, orm_exc.StaleDataError):
            raise ConflictError(STALE_EDIT) from exc
        if isinstance(exc, (sa_exc.OperationalError, sa_exc.DatabaseError)) and not isinstance(
                exc, sa_exc.IntegrityError):
            raise StorageError(explain_db_error(exc)) from exc


class UnitOfWorkFactory:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self._factory, read_only=read_only)


def retry_on_sequence_conflict(use_case: Callable[P, R], attempts: int = 3) -> Callable[P, R]:
    """Re-run a use case that appends a numbered step (``seq`` = max + 1) when another writer took
    the same number first: the unique constraint refuses the duplicate, and the next attempt reads
    the new maximum. (SQLite writers are already serialised by BEGIN IMMEDIATE; a team server's
    concurrent transactions are not.)"""
    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(attempts):
            try:
                return use_case(*args, **kwargs)
            except sa_exc.IntegrityError as error:
                if "unique" not in str(error.orig).lower():
                    raise   # not a clash of numbers: a bug, reported as one
                if attempt == attempts - 1:
                    raise StorageError("Another program saved a change at the same moment and this one could "
                                       "not be saved. Try again.") from error
        raise AssertionError("unreachable")
    return run
