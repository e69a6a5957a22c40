"""Bring a database file to the current schema on every start (STYLE §5.3).

A new file upgrades from base; an older one is backed up first and restored if the upgrade
fails; a file written by a newer HomeAssess is refused rather than damaged.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
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


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("homeassess.db") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _backup(db_path: Path, backups_dir: Path) -> Path:
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups_dir / f"before-upgrade-{stamp}.sqlite3"
    with sqlite3.connect(db_path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def _run_upgrade(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
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
                shutil.copyfile(backup, db_path)
            raise
    except sa_exc.DatabaseError as error:
        raise StorageError(explain_db_error(error)) from error
