"""Bring a database file to the current schema on every start (STYLE §5.3).

A new file upgrades from base; an older one is backed up first and restored if the upgrade
fails; a file written by a newer HomeAssess is refused rather than damaged.
"""

from __future__ import annotations

import shutil
import sqlite3
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc

from homeassess.db.uow import explain_db_error
from homeassess.domain.errors import StorageError
from homeassess.storage.backups import create_backup, set_aside, utc_now
from homeassess.storage.private import make_private


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("homeassess.db") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this installation can read (older ones are upgraded)."""
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _backup(db_path: Path, backups_dir: Path) -> Path:
    """A verified backup (with its photos) before the schema changes; kept 30 days at least."""
    made = create_backup(db_path, db_path.parent / "photos", backups_dir, reason="before-upgrade", now=utc_now())
    return made.db_path


def migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    """Run Alembic to ``revision`` (tests also step down to build old databases)."""
    config = alembic_config()
    if engine.dialect.name != "sqlite":
        _migrate_server(engine, config, revision, down)
        return
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # Rebuilding a table must not cascade deletes: foreign keys off, which SQLite honours only
        # outside a transaction, and back on before the connection returns to the pool.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                (command.downgrade if down else command.upgrade)(config, revision)
        finally:
            try:
                raw.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error:  # the connection was closed under us (an interrupt): it is not reused
                pass


def _migrate_server(engine: Engine, config: Config, revision: str, down: bool) -> None:
    """PostgreSQL changes its schema inside one transaction; the advisory lock makes a second
    computer starting at the same moment wait, then find the work done."""
    from homeassess.db.engine import SERVER_WRITE_LOCK

    with engine.connect() as conn, conn.begin():
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SERVER_WRITE_LOCK})")
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def upgrade_server(engine: Engine) -> None:
    """Bring a team server to the newest schema; refuse one a newer HomeAssess has upgraded.
    (The server's own backups are its administrator's: pg_dump, not this app's file copies.)"""
    current = current_revision(engine)
    if current == head_revision():
        return
    if current is not None and current not in known_revisions():
        raise StorageError("The team server was upgraded by a newer version of HomeAssess. "
                           "Install the newer version to use it.")
    migrate(engine, "head")


def _run_upgrade(engine: Engine) -> None:
    migrate(engine, "head")
    with engine.connect() as conn:
        problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        integrity = conn.execute(text("PRAGMA integrity_check")).scalar()
    if problems or integrity != "ok":
        raise StorageError(f"the upgraded database failed its checks ({integrity}, {len(problems)} key problems)")


def upgrade_to_head(engine: Engine, db_path: Path, backups_dir: Path) -> None:
    """Migrate the database at ``db_path`` (opened by ``engine``) to the newest schema."""
    try:
        current = current_revision(engine)
        head = head_revision()
        if current == head:
            return
        known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current is not None and current not in known:
            raise StorageError("This data was created by a newer version of HomeAssess. "
                               "Install the newer version to open it.")
        backup = _backup(db_path, backups_dir) if current is not None else None
        try:
            _run_upgrade(engine)
        except Exception:
            if backup is not None:
                engine.dispose()
                # The failed attempt (with its WAL, whose frames must not be replayed over the
                # copy) is kept aside for diagnosis; the backup goes back in its place.
                set_aside(db_path, utc_now(), "failed-upgrade")
                shutil.copyfile(backup, db_path)
                make_private(db_path)
            raise
    except sa_exc.DatabaseError as error:
        raise StorageError(explain_db_error(error)) from error
