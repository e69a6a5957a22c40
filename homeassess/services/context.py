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
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from homeassess.checklists.registry import Registry
from homeassess.db import visit_guard as guard
from homeassess.db.engine import DB_FILE, make_engine, make_session_factory
from homeassess.db.migrate import upgrade_to_head
from homeassess.db.uow import UnitOfWorkFactory
from homeassess.domain.errors import DatabaseDamagedError, StorageError
from homeassess.storage.integrity import check_database_file
from homeassess.storage.private import create_private_file, make_private_dir, readable_by_others

if TYPE_CHECKING:
    from homeassess.domain.catalogue import Catalogue
    from homeassess.storage.photos import PhotoStore

APP_NAME = "HomeAssess"
ENV_DATA_DIR = "HOMEASSESS_DATA_DIR"
CREATING = ".homeassess.creating"   # present while a brand-new database is being set up


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
    engine: Engine | None = None
    warnings: list[str] = field(default_factory=list)   # shown once at start (e.g. a folder others can read)
    server: str | None = None   # the team server this context works on (shown without password), else None

    @property
    def is_server(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        """Let go of the database file (before a restore replaces it)."""
        if self.engine is not None:
            self.engine.dispose()

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def scratch_dir(self) -> Path:
        """Private working files (reports being built); swept at start (services/housekeeping.py)."""
        return self.data_dir / "tmp"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @cached_property
    def photo_store(self) -> PhotoStore:
        from homeassess.storage.photos import PhotoStore

        if self.is_server:
            from homeassess.services.server_photos import ServerPhotoStore

            return ServerPhotoStore(self.photos_dir, self.data_dir / "cache", uow=self.uow)
        return PhotoStore(self.photos_dir, self.data_dir / "cache")

    @cached_property
    def catalogue(self) -> Catalogue:
        """The shipped generic catalogue (schema-checked; its links to recommendations are checked by
        ``python -m homeassess.catalogue validate`` and the tests, so a custom checklist set still loads)."""
        from homeassess.catalogue.loader import load_catalogue

        return load_catalogue()


def open_context(data_dir: Path, *, registry: Registry | None = None, clock: Clock | None = None,
                 database_url: str | None = None, password: str | None = None) -> AppContext:
    """Create the private data folder if needed, check and migrate the database, load checklists.

    A damaged, empty or foreign file where the database should be — or no database where backups
    show there was one — raises ``DatabaseDamagedError``: it is never replaced or re-created here.

    With ``database_url`` the records are on a team's PostgreSQL server instead (``open_server``);
    the data folder then holds this computer's photo cache and working files."""
    if database_url:
        return open_server(data_dir, database_url, password=password, registry=registry, clock=clock)
    try:
        make_private_dir(data_dir)   # a folder that exists keeps its mode (the user chose it)
    except OSError as exc:
        raise StorageError(f"The data folder {data_dir} cannot be created ({exc.strerror}).") from exc
    db_path = data_dir / DB_FILE
    inspect_database(data_dir)
    creating = data_dir / CREATING
    try:
        if not db_path.exists():
            create_private_file(creating)   # says "new and still empty" until the schema is in place
        create_private_file(db_path)
    except OSError as exc:
        raise StorageError(f"The database cannot be created in {data_dir} ({exc.strerror}).") from exc
    engine = make_engine(db_path)
    upgrade_to_head(engine, db_path, data_dir / "backups")
    creating.unlink(missing_ok=True)
    warnings = ([f"The data folder {data_dir} can be read by other users of this computer. Client records "
                 "should be private: make the folder readable only by you."] if readable_by_others(data_dir) else [])
    clock = clock or Clock()
    factory = make_session_factory(engine, now=clock.now)
    guard.install(factory, guard.checked_in_copies)
    return AppContext(data_dir=data_dir, uow=UnitOfWorkFactory(factory),
                      registry=registry or Registry.load(), clock=clock, engine=engine, warnings=warnings)


def open_server(data_dir: Path, url_text: str, *, password: str | None = None, registry: Registry | None = None,
                clock: Clock | None = None) -> AppContext:
    """Connect to a team server, bring its schema up to date and hand back a context on it. The
    password: ``password``, else one in the URL, else the keyring's, else libpq's (``~/.pgpass``)."""
    from homeassess.db.engine import make_server_engine
    from homeassess.db.migrate import upgrade_server
    from homeassess.db.server_url import keyring_name, parse, shown
    from homeassess.services import server_photos
    from homeassess.storage.credentials import saved_password

    url = parse(url_text)
    secret = password or url.password or saved_password(keyring_name(url))
    if secret:
        url = url.set(password=secret)
    try:
        make_private_dir(data_dir)
    except OSError as exc:
        raise StorageError(f"The data folder {data_dir} cannot be created ({exc.strerror}).") from exc
    engine = make_server_engine(url.render_as_string(hide_password=False))
    try:
        upgrade_server(engine)
    except sa_exc.DBAPIError as error:
        engine.dispose()
        message = explain_server_error(error, shown(url))
        raise (ServerLoginError if message.endswith(LOGIN_REFUSED) else StorageError)(message) from error
    clock = clock or Clock()
    factory = make_session_factory(engine, now=clock.now)
    server_photos.install(factory, data_dir / "photos")
    guard.install(factory, guard.server_holds)
    return AppContext(data_dir=data_dir, uow=UnitOfWorkFactory(factory), registry=registry or Registry.load(),
                      clock=clock, engine=engine, server=shown(url))


LOGIN_REFUSED = "did not accept the user name or password."


class ServerLoginError(StorageError):
    """The team server wants a (different) password: the app asks for one."""


def explain_server_error(error: BaseException, where: str) -> str:
    text = str(getattr(error, "orig", error)).strip().splitlines()[0] if str(error).strip() else ""
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return f"The team server {where} {LOGIN_REFUSED}"
    if "does not exist" in low and "database" in low:
        return f"The team server has no such database ({where})."
    if "timeout" in low or "timed out" in low:
        return f"The team server {where} did not answer in time. Check the network and try again."
    if "ssl" in low or "certificate" in low:
        return f"A secure connection to the team server {where} could not be made ({text})."
    if "connect" in low or "connection" in low or "resolve" in low or "refused" in low:
        return f"The team server {where} cannot be reached. Check the network, or work offline on this laptop."
    return f"The team server {where} could not be used ({text})."


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def inspect_database(data_dir: Path) -> None:
    """The start-up check: quick, so it runs every time."""
    from homeassess.services.backups import list_backups, newest_good_backup

    db_path = data_dir / DB_FILE
    if db_path.exists():
        problem = check_database_file(db_path)
        if problem is None:
            return
        if problem.kind == "empty" and (data_dir / CREATING).exists():
            db_path.unlink()   # a first start interrupted before the empty file got its tables: nothing lost
            return
        if problem.kind == "unreadable":   # not damage: nothing to restore
            if not os.access(data_dir, os.W_OK):
                raise StorageError(f"The data folder {data_dir} is read-only, so HomeAssess cannot open it. "
                                   "Check its permissions, or whether the drive is write-protected.")
            raise StorageError(problem.describe(db_path))
        message = problem.describe(db_path)
    elif list_backups(data_dir):
        message = (f"The database file {db_path} is missing, but backups of it exist: it may have been moved "
                   "or deleted. HomeAssess will not start an empty one in its place.")
    else:
        return  # a new data folder
    good = newest_good_backup(data_dir)
    described = ""
    if good is not None:
        when = good.created_at.replace(tzinfo=UTC).astimezone()
        described = (f"made {when:%a %d %b %Y at %H:%M}, with {_count(good.clients, 'client')} and "
                     f"{_count(good.visits, 'visit')}"
                     + (f", on {good.location}" if good.location else ""))
    raise DatabaseDamagedError(message, newest_backup=good.name if good else None, described=described)
