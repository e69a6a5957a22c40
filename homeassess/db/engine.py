"""Engines: the laptop's SQLite file (WAL, foreign keys, busy timeout) or a team's PostgreSQL server.

Both keep one rule: a unit of work that writes is serialised against every other writer before it
reads (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so the services
behave the same on either."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from homeassess.db import history

DB_FILE = "homeassess.sqlite3"


# Execution option a unit of work sets on its connection when it will write (db/uow.py).
WRITE = "homeassess_write"


def _pragmas(busy_timeout_ms: int) -> Any:
    def apply(dbapi_conn: Any, _record: Any) -> None:
        # The driver's own transaction handling begins late and always DEFERRED; we begin ourselves.
        dbapi_conn.isolation_level = None
        _sqlite_pragmas(dbapi_conn, busy_timeout_ms)
    return apply


# Any fixed key: every HomeAssess writer on one server takes the same transaction-scoped lock.
SERVER_WRITE_LOCK = 0x484F4D45   # "HOME"


def is_server(engine: Engine) -> bool:
    return engine.dialect.name != "sqlite"


def _begin(conn: Any) -> None:
    """A writing transaction takes SQLite's write lock at BEGIN (IMMEDIATE). Two writers are then
    serialised before either reads, so "next number = max + 1" cannot be computed twice, and a
    deferred reader is never turned into a writer that fails with SQLITE_BUSY mid-transaction."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def _sqlite_pragmas(dbapi_conn: Any, busy_timeout_ms: int) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives an application crash; FULL also survives power loss at a
    # small cost per commit, which matters more here than write speed (edits are tiny).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()


def make_engine(db_path: Path, *, busy_timeout_ms: int = 5000) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}")
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))
    event.listen(engine, "begin", _begin)
    return engine


def _begin_server(conn: Any) -> None:
    if conn.get_execution_options().get(WRITE):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SERVER_WRITE_LOCK})")


def make_server_engine(url: str, *, connect_timeout_s: int = 10) -> Engine:
    """A PostgreSQL server through psycopg 3. ``url`` is a SQLAlchemy URL whose query passes libpq
    settings through untouched (``sslmode=verify-full&sslrootcert=…``, ``host=/socket/dir``)."""
    given = make_url(url).query
    defaults = {"connect_timeout": connect_timeout_s, "application_name": "HomeAssess"}
    engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                           connect_args={k: v for k, v in defaults.items() if k not in given})   # the URL's win
    event.listen(engine, "begin", _begin_server)
    return engine


def make_session_factory(engine: Engine, *, now: Callable[[], datetime] | None = None) -> sessionmaker[Session]:
    """Sessions that record every change they flush (db/history.py), timed by ``now`` (UTC)."""
    factory = sessionmaker(engine, expire_on_commit=False)
    history.install(factory, now or history.utc_now)
    return factory
