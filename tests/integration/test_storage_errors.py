"""Environmental database failures become StorageError with advice, and nothing is half-written."""

from __future__ import annotations

import sqlite3
import pytest
from sqlalchemy import create_engine

from homeassess.db.engine import DB_FILE, make_engine, make_session_factory
from homeassess.db.uow import UnitOfWorkFactory
from homeassess.domain.errors import StorageError
from homeassess.services import clients as C
from homeassess.services.context import AppContext


def test_locked_database_gives_a_plain_storage_error(fixture_ctx: AppContext) -> None:
    C.create_client(fixture_ctx, given_name="A", family_name="B")
    engine = make_engine(fixture_ctx.data_dir / DB_FILE, busy_timeout_ms=50)
    fixture_ctx.uow = UnitOfWorkFactory(make_session_factory(engine))
    blocker = sqlite3.connect(fixture_ctx.data_dir / DB_FILE)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="in use by another program"):
            C.create_client(fixture_ctx, given_name="C", family_name="D")
    finally:
        blocker.rollback()
        blocker.close()
    assert [c.display_name for c in C.list_clients(fixture_ctx)] == ["A B"]


def test_read_only_database_explains_itself(fixture_ctx: AppContext) -> None:
    C.create_client(fixture_ctx, given_name="A", family_name="B")
    # A read-only connection stands in for a read-only folder (root ignores file permissions).
    url = f"sqlite:///file:{fixture_ctx.data_dir / DB_FILE}?mode=ro&uri=true"
    fixture_ctx.uow = UnitOfWorkFactory(make_session_factory(create_engine(url)))
    with pytest.raises(StorageError, match="read-only"):
        C.create_client(fixture_ctx, given_name="C", family_name="D")
