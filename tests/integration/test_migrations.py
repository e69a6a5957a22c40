"""Migrations: fresh files upgrade from base, no drift from the models, one head, newer refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from homeassess.db.engine import DB_FILE, make_engine
from homeassess.db.migrate import alembic_config, current_revision, head_revision, migrate, upgrade_to_head
from homeassess.db.models import Base
from homeassess.domain.errors import StorageError
from homeassess.services.context import open_context


def test_fresh_database_upgrades_to_head_with_no_drift(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / DB_FILE)
    upgrade_to_head(engine, tmp_path / DB_FILE, tmp_path / "backups")
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_there_is_exactly_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_upgrade_at_head_is_a_no_op(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / DB_FILE)
    upgrade_to_head(engine, tmp_path / DB_FILE, tmp_path / "backups")
    upgrade_to_head(engine, tmp_path / DB_FILE, tmp_path / "backups")
    assert not (tmp_path / "backups").exists()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / DB_FILE
    engine = make_engine(db)
    upgrade_to_head(engine, db, tmp_path / "backups")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    with pytest.raises(StorageError, match="newer version of HomeAssess"):
        upgrade_to_head(engine, db, tmp_path / "backups")
    assert current_revision(engine) == "ffff9999"


def test_engine_turns_on_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / DB_FILE)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_data_dir_is_created_private(tmp_path: Path) -> None:
    ctx = open_context(tmp_path / "new" / "data")
    assert (ctx.data_dir.stat().st_mode & 0o777) == 0o700
    assert (ctx.data_dir / DB_FILE).exists()


def test_a_damaged_database_file_gives_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / DB_FILE).write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="damaged|could not be used"):
        open_context(tmp_path)


def test_integrity_check_passes_after_upgrade(tmp_path: Path) -> None:
    open_context(tmp_path)
    with sqlite3.connect(tmp_path / DB_FILE) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_version_1_database_with_a_visit_upgrades_keeping_its_data(tmp_path: Path) -> None:
    """A file written before 0002: agreed work keeps its status (renamed), new columns get defaults."""
    from homeassess.services import recommendations as R
    from homeassess.services.demo import create_demo

    ctx = open_context(tmp_path / "data")
    assessment_id = create_demo(ctx)
    agreed = {r.id for r in R.list_recommendations(ctx, assessment_id) if r.status == "agreed"}
    db = tmp_path / "data" / DB_FILE
    engine = make_engine(db)
    migrate(engine, "0001", down=True)   # foreign keys off, as the app migrates
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM recommendation WHERE status = 'accepted'")).scalar() == len(agreed)
    upgrade_to_head(engine, db, tmp_path / "data" / "backups")
    assert list((tmp_path / "data" / "backups").glob("*-before-upgrade/homeassess.sqlite3"))
    again = open_context(tmp_path / "data")
    recs = R.list_recommendations(again, assessment_id)
    assert {r.id for r in recs if r.status == "agreed"} == agreed
    with engine.connect() as conn:
        assert conn.execute(text("SELECT DISTINCT quantity, order_urgency FROM recommendation "
                                 "JOIN assessment ON assessment.id = recommendation.assessment_id")).all() == [(1, "routine")]
