"""Composition of what services need: paths, engine, unit-of-work factory, registry, clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from homeassess.checklists.registry import Registry
from homeassess.db.engine import DB_FILE, make_engine, make_session_factory
from homeassess.db.migrate import upgrade_to_head
from homeassess.db.uow import UnitOfWorkFactory
from homeassess.domain.errors import StorageError

if TYPE_CHECKING:
    from homeassess.domain.catalogue import Catalogue
    from homeassess.storage.photos import PhotoStore

APP_NAME = "HomeAssess"
ENV_DATA_DIR = "HOMEASSESS_DATA_DIR"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Clock:
    """Injected time source so tests and the demo can pin 'now'."""

    now: Callable[[], datetime] = field(default=utc_now)

    def today(self) -> date:
        return self.now().date()


def resolve_data_dir(cli_value: str | None) -> Path:
    """``--data-dir`` beats ``HOMEASSESS_DATA_DIR`` beats the platform default."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass
class AppContext:
    data_dir: Path
    uow: UnitOfWorkFactory
    registry: Registry
    clock: Clock
    generic_rows_synced: bool = False  # the shipped catalogue has been mirrored into this database

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @cached_property
    def photo_store(self) -> PhotoStore:
        from homeassess.storage.photos import PhotoStore

        return PhotoStore(self.photos_dir, self.data_dir / "cache")

    @cached_property
    def catalogue(self) -> Catalogue:
        """The shipped generic catalogue (schema-checked; its links to recommendations are checked by
        ``python -m homeassess.catalogue validate`` and the tests, so a custom checklist set still loads)."""
        from homeassess.catalogue.loader import load_catalogue

        return load_catalogue()


def open_context(data_dir: Path, *, registry: Registry | None = None, clock: Clock | None = None) -> AppContext:
    """Create the private data folder if needed, migrate the database and load checklists."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.name == "posix":
            data_dir.chmod(0o700)
    except OSError as exc:
        raise StorageError(f"The data folder {data_dir} cannot be created ({exc.strerror}).") from exc
    db_path = data_dir / DB_FILE
    engine = make_engine(db_path)
    upgrade_to_head(engine, db_path, data_dir / "backups")
    return AppContext(data_dir=data_dir, uow=UnitOfWorkFactory(make_session_factory(engine)),
                      registry=registry or Registry.load(), clock=clock or Clock())
