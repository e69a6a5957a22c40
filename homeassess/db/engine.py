"""Engine creation with the SQLite pragmas the app relies on (WAL, foreign keys, busy timeout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DB_FILE = "homeassess.sqlite3"


def _pragmas(busy_timeout_ms: int) -> Any:
    def apply(dbapi_conn: Any, _record: Any) -> None:
        _sqlite_pragmas(dbapi_conn, busy_timeout_ms)
    return apply


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
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
