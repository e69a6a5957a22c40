"""Shared fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app keeps window sizes and recent visits in QSettings (~/.config/HomeAssess): tests, and the
# app processes they start, use a fresh folder so a real session's window size cannot leak in.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="homeassess-test-config-")

import pytest  # noqa: E402

from homeassess.checklists.registry import Registry  # noqa: E402
from homeassess.db.engine import DB_FILE  # noqa: E402
from homeassess.services.context import AppContext, Clock, open_context  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXED_NOW = datetime(2026, 3, 10, 10, 30)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="session")
def fixture_registry() -> Registry:
    good = FIXTURES / "checklists" / "good"
    return Registry.load([good / "demo_room.v1.toml"], [good / "demo.v1.toml"])


@pytest.fixture
def clock() -> Clock:
    return Clock(now=lambda: FIXED_NOW)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> Path:
    """A database file migrated to the newest revision, once per test process: a new data folder
    starts as a copy of it (running the twelve migrations for each of some thousand tests would cost
    about a third of the suite). The migrations themselves are tested from empty in test_migrations."""
    ctx = open_context(tmp_path_factory.mktemp("migrated") / "data", registry=registry, clock=Clock())
    ctx.close()   # the last connection closing folds the WAL into the file
    return ctx.data_dir / DB_FILE


def fresh_data_folder(folder: Path, migrated: Path) -> Path:
    """``folder`` as the app leaves it after its first start: private, holding an up-to-date database."""
    folder.mkdir(mode=0o700, parents=True)
    shutil.copyfile(migrated, folder / DB_FILE)
    os.chmod(folder / DB_FILE, 0o600)
    return folder


@pytest.fixture
def ctx(tmp_path: Path, registry: Registry, clock: Clock, migrated_database: Path) -> AppContext:
    return open_context(fresh_data_folder(tmp_path / "data", migrated_database), registry=registry, clock=clock)


@pytest.fixture
def fixture_ctx(tmp_path: Path, fixture_registry: Registry, clock: Clock, migrated_database: Path) -> AppContext:
    return open_context(fresh_data_folder(tmp_path / "data", migrated_database), registry=fixture_registry,
                        clock=clock)


def older_dob() -> date:
    return date(1946, 5, 2)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, registry: Registry) -> tuple[Path, str]:
    """One demo visit built per test session; ``demo_ctx`` hands each test its own copy."""
    from homeassess.services.demo import create_demo

    data = tmp_path_factory.mktemp("demo-template") / "data"
    ctx = open_context(data, registry=registry, clock=Clock(now=lambda: FIXED_NOW))
    return data, create_demo(ctx)


@pytest.fixture
def demo_ctx(tmp_path: Path, demo_template: tuple[Path, str], registry: Registry,
             clock: Clock) -> tuple[AppContext, str]:
    import shutil
    import sqlite3

    source, assessment_id = demo_template
    target = tmp_path / "data"
    target.mkdir(mode=0o700)
    with sqlite3.connect(source / "homeassess.sqlite3") as src, sqlite3.connect(target / "homeassess.sqlite3") as dst:
        src.backup(dst)
    if (source / "photos").exists():
        shutil.copytree(source / "photos", target / "photos")
    return open_context(target, registry=registry, clock=clock), assessment_id


@pytest.fixture
def tmpfs(tmp_path: Path):
    """``tmpfs(size)`` mounts a small RAM disk (a full disk, or one to remount read-only) and unmounts
    it afterwards; skips where mounting is not allowed (not root, no tmpfs)."""
    import shutil
    import subprocess

    mounted: list[Path] = []

    def mount(size: str) -> Path:
        path = tmp_path / f"disk{len(mounted)}"
        path.mkdir()
        if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                capture_output=True).returncode != 0:
            pytest.skip("needs root and tmpfs to make a small or read-only disk")
        mounted.append(path)
        return path

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture(autouse=True)
def app_wide_qt_state_restored():
    """A test that starts the app in-process (``ui.application.main``) sets the application's style
    sheet and names; later tests must see the state they were written against."""
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    before = app.styleSheet() if app is not None else None
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    if app is not None and app.styleSheet() != (before or ""):
        app.setStyleSheet(before or "")


# -- a real PostgreSQL server (issue 16) --------------------------------------------------------
ENV_TEST_DATABASE_URL = "HOMEASSESS_TEST_DATABASE_URL"
NO_SERVER = ("no PostgreSQL server for the team tests: run `scripts/test-postgres start` and set "
             f"{ENV_TEST_DATABASE_URL} to the URL it prints (.ci/run does this)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[str, str]]:
    """(server URL, name of a template database already migrated to the newest schema). Without a
    server the team tests skip, except in CI (CI=true), where a missing server is a failure."""
    import sqlalchemy as sa

    url = os.environ.get(ENV_TEST_DATABASE_URL, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the team tests against a server: {NO_SERVER}")
        pytest.skip(NO_SERVER)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"homeassess_template_{os.getpid()}"   # one per test process (pytest-xdist workers)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"{ENV_TEST_DATABASE_URL} is set but the server cannot be used: {exc}")
    template = sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
    from homeassess.db.engine import make_server_engine
    from homeassess.db.migrate import upgrade_server

    engine = make_server_engine(template)
    upgrade_server(engine)
    engine.dispose()
    yield url, name
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


_databases = iter(range(1, 10**9))


@pytest.fixture
def pg_url(pg_server: tuple[str, str]) -> Iterator[str]:
    """A fresh, migrated database on the test server for one test (copied from the template)."""
    url, template = pg_server
    name = _pg_database_from(url, template)
    yield _pg_url_of(url, name)
    _pg_drop(url, name)


@pytest.fixture
def pg_ctx(tmp_path: Path, pg_url: str, registry: Registry, clock: Clock) -> Iterator[AppContext]:
    ctx = open_context(tmp_path / "server-cache", registry=registry, clock=clock, database_url=pg_url)
    yield ctx
    ctx.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_ctx(request: pytest.FixtureRequest, tmp_path: Path, registry: Registry, clock: Clock) -> AppContext:
    """The same test on the laptop's SQLite file and on a team's PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("ctx")
    return request.getfixturevalue("pg_ctx")


# -- service tests on both databases (issue 16) ----------------------------------------------------
def _pg_database_from(url: str, template: str) -> str:
    """A new database on the test server copied from ``template``; its name."""
    import sqlalchemy as sa

    name = f"homeassess_t{os.getpid()}_{next(_databases)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
    admin.dispose()
    return name


def _pg_drop(url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


def _pg_url_of(url: str, name: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_fixture_ctx(tmp_path: Path, pg_url: str, fixture_registry: Registry, clock: Clock) -> Iterator[AppContext]:
    """``fixture_ctx`` (the small test checklists) on a fresh database on the test server."""
    ctx = open_context(tmp_path / "server-cache", registry=fixture_registry, clock=clock, database_url=pg_url)
    yield ctx
    ctx.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_fixture_ctx(request: pytest.FixtureRequest) -> AppContext:
    """``fixture_ctx`` on the laptop's SQLite file and on a team's PostgreSQL server."""
    return request.getfixturevalue("fixture_ctx" if request.param == "sqlite" else "pg_fixture_ctx")


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory,
                     registry: Registry) -> Iterator[tuple[str, str]]:
    """(database name, demo visit id): the demo built once per test process on the test server (a
    demo takes some 15 s there), kept as a template each ``pg_demo_ctx`` is copied from with CREATE
    DATABASE … TEMPLATE. Its photos are in the copy's ``photo_file`` table, so no folder is copied."""
    from homeassess.services.demo import create_demo

    url, template = pg_server
    name = _pg_database_from(url, template)
    ctx = open_context(tmp_path_factory.mktemp("pg-demo-template") / "data", registry=registry,
                       clock=Clock(now=lambda: FIXED_NOW), database_url=_pg_url_of(url, name))
    try:
        assessment_id = create_demo(ctx)
    finally:
        ctx.close()   # a template must have no connections when it is copied
    yield name, assessment_id
    _pg_drop(url, name)


@pytest.fixture
def pg_demo_ctx(tmp_path: Path, pg_server: tuple[str, str], pg_demo_template: tuple[str, str], registry: Registry,
                clock: Clock) -> Iterator[tuple[AppContext, str]]:
    """``demo_ctx`` on the test server: a copy of the demo database, with an empty photo cache."""
    url, _ = pg_server
    template, assessment_id = pg_demo_template
    name = _pg_database_from(url, template)
    ctx = open_context(tmp_path / "server-cache", registry=registry, clock=clock, database_url=_pg_url_of(url, name))
    yield ctx, assessment_id
    ctx.close()
    _pg_drop(url, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_demo_ctx(request: pytest.FixtureRequest) -> tuple[AppContext, str]:
    """``demo_ctx`` on the laptop's SQLite file and on a team's PostgreSQL server."""
    return request.getfixturevalue("demo_ctx" if request.param == "sqlite" else "pg_demo_ctx")
