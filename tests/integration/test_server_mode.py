"""A team's PostgreSQL server (issue 16): its schema is the migrations' and the models', computers
working on it share one record, its backups are its administrator's, and its photos are kept on it.

Every test needs the test server (``HOMEASSESS_TEST_DATABASE_URL``, see tests/conftest.py) and skips
without one, except the first, which checks on any machine what the server enforces and SQLite does not.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.db.migrate import current_revision, head_revision
from homeassess.db.models import TRIGRAM_INDEX, Base
from homeassess.domain.errors import StorageError
from homeassess.domain.text_rules import TEXT_LIMITS
from homeassess.services import assessments as A
from homeassess.services import backups as B
from homeassess.services import clients as C
from homeassess.services import photos as P
from homeassess.services import settings as S
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.visit_record import record_verbal_consent
from tests.photo_helpers import make_jpeg


_names = itertools.count(1)


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture
def empty_url(pg_server: tuple[str, str]) -> Iterator[str]:
    """A database on the test server with no tables at all (not copied from the migrated template)."""
    url, _ = pg_server
    name = f"homeassess_empty_{os.getpid()}_{next(_names)}"
    admin = _admin(url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    yield sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


def second_computer(tmp_path: Path, url: str, registry: Registry, clock: Clock, name: str = "office") -> AppContext:
    """Another computer on the same server: its own, empty data folder."""
    return open_context(tmp_path / name, registry=registry, clock=clock, database_url=url)


# -- what a server enforces and SQLite does not -------------------------------------------------------------
def test_every_text_limit_fits_the_column_it_is_stored_in() -> None:
    """PostgreSQL refuses a value longer than its VARCHAR(n) (SQLite keeps it): each text field's limit in
    ``TEXT_LIMITS`` must fit its column, so a value the services accept is one every database stores."""
    from homeassess.catalogue.supplier_csv import TEXT_KINDS
    from homeassess.domain.validation import CLIENT_TEXT
    from homeassess.services.assessments import META_TEXT
    from homeassess.services.costs import ORDER_HEADER_TEXT

    fields = [*((m.Assessment, f, k) for f, k in {**META_TEXT, **ORDER_HEADER_TEXT}.items()),
              *((m.Client, f, k) for f, k in CLIENT_TEXT.items()),
              # currency: a "code" when read, then refused unless three letters (services/catalogue.py)
              *((m.CatalogueItem, f, k) for f, k in TEXT_KINDS.items() if f not in ("generic", "currency")),
              (m.Room, "name", "name"), (m.Recommendation, "title", "title"), (m.Finding, "title", "title"),
              (m.Recommendation, "approval_no", "code"), (m.Goal, "activity", "title"),
              (m.RecommendationEvent, "by", "name"), (m.NotAssessed, "marked_by", "name"), (m.Addendum, "by", "name"),
              (m.VisitConsent, "given_by", "name"), (m.VisitConsent, "given_by_relationship", "code"),
              (m.VisitConsent, "witness", "name"), (m.VisitConsent, "recorded_by", "name"),
              (m.Assessment, "signed_off_by", "name"), (m.Assessment, "signed_off_registration", "code"),
              (m.Erasure, "by", "name")]
    too_short = [f"{model.__tablename__}.{name}: {kind} ({TEXT_LIMITS[kind]}) > {length}"
                 for model, name, kind in fields
                 if (length := getattr(model.__table__.c[name].type, "length", None)) is not None
                 and length < TEXT_LIMITS[kind]]
    assert too_short == []


# -- migrations -----------------------------------------------------------------------------------------------
def test_an_empty_server_database_upgrades_to_head_with_no_drift(empty_url: str) -> None:
    from homeassess.db.engine import make_server_engine
    from homeassess.db.migrate import upgrade_server

    engine = make_server_engine(empty_url)
    try:
        assert current_revision(engine) is None
        upgrade_server(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
        # The client search's trigram index is PostgreSQL's only and deliberately not in the models (see
        # models.ClientSearch); it must be there, and nothing else may differ.
        extra = [d for d in diff if d[0] == "remove_index" and d[1].name == TRIGRAM_INDEX]
        assert extra and [d for d in diff if d not in extra] == []
    finally:
        engine.dispose()


def test_a_second_open_finds_the_server_up_to_date(tmp_path: Path, pg_url: str, pg_ctx: AppContext,
                                                   registry: Registry, clock: Clock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.db import migrate

    def no_migration(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an up-to-date server was migrated again")

    monkeypatch.setattr(migrate, "migrate", no_migration)
    again = second_computer(tmp_path, pg_url, registry, clock)
    try:
        assert again.is_server and again.server is not None and "postgres" in again.server
        assert current_revision(again.engine) == head_revision()
    finally:
        again.close()


def test_a_server_a_newer_version_upgraded_is_refused(tmp_path: Path, pg_url: str, pg_ctx: AppContext,
                                                      registry: Registry, clock: Clock) -> None:
    assert pg_ctx.engine is not None
    with pg_ctx.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    with pytest.raises(StorageError, match="upgraded by a newer version of HomeAssess"):
        second_computer(tmp_path, pg_url, registry, clock)
    assert current_revision(pg_ctx.engine) == "ffff9999"


# -- one record for the team ----------------------------------------------------------------------------------
def test_two_computers_on_one_server_see_each_others_changes(tmp_path: Path, pg_url: str, pg_ctx: AppContext,
                                                             registry: Registry, clock: Clock) -> None:
    office = second_computer(tmp_path, pg_url, registry, clock)
    try:
        client, _ = C.create_client(pg_ctx, given_name="Zoë", family_name="Ångström-Nuñez")
        visit, _ = A.create_assessment(pg_ctx, client.id, therapist_name="Sam Patel")
        assert [c.id for c in C.list_clients(office)] == [client.id]
        room, _ = A.add_room(office, visit.id, "bathroom", "Bathroom")
        A.set_answer(office, room.id, "bathroom.shower_rail", value="no")
        S.set_setting(office, "organisation.name", "Community OT")
        assert [r.name for r in A.list_rooms(pg_ctx, visit.id)] == ["Bathroom"]
        assert A.room_answers(pg_ctx, room.id)["bathroom.shower_rail"].value == "no"
        assert S.get_settings(pg_ctx)["organisation.name"] == "Community OT"
        C.update_client(pg_ctx, client.id, phone="01865 555 0142")
        assert C.get_client(office, client.id).phone == "01865 555 0142"
    finally:
        office.close()


# -- backups and checks ---------------------------------------------------------------------------------------
def test_backups_are_the_servers_administrators(pg_ctx: AppContext) -> None:
    words = (f"This computer is working on the team server {pg_ctx.server}: the server's backups are made by its "
             "administrator (for example with pg_dump), not by HomeAssess.")
    for call in (lambda: B.create_backups(pg_ctx, reason="manual", now=pg_ctx.clock.now()),
                 lambda: B.list_backups(pg_ctx), lambda: B.find_backup(pg_ctx, "any"),
                 lambda: B.restore(pg_ctx, "any", now=pg_ctx.clock.now())):
        with pytest.raises(B.ServerBackupsError) as refused:
            call()
        assert str(refused.value) == words and isinstance(refused.value, StorageError)
    assert "password" not in words.lower() and not B.daily_backup_due(pg_ctx, pg_ctx.clock.now())
    assert not (pg_ctx.data_dir / "backups").exists()
    assert B.full_check(pg_ctx).ok


def photographed_visit(ctx: AppContext, folder: Path, *colours: str) -> tuple[str, list[str]]:
    """A visit with one photo per colour, imported through the services; (visit id, the photos' hashes)."""
    client, _ = C.create_client(ctx, given_name="Ada", family_name="Photographed", allow_duplicate=True)
    visit, _ = A.create_assessment(ctx, client.id, therapist_name="Sam Patel")
    record_verbal_consent(ctx, visit.id, given_by="Ada Photographed")
    A.add_room(ctx, visit.id, "bathroom", "Bathroom")
    files = [make_jpeg(folder / f"photo-{n}.jpg", (640, 480), colour=colour) for n, colour in enumerate(colours)]
    views, errors = P.add_photos(ctx, visit.id, "Bathroom", files)
    assert errors == [] and len(views) == len(colours)
    return visit.id, [v.sha256 for v in views]


def test_a_photo_imported_on_the_server_is_stored_there_and_shown_to_another_computer(
        tmp_path: Path, pg_url: str, pg_ctx: AppContext, registry: Registry, clock: Clock) -> None:
    visit_id, [sha] = photographed_visit(pg_ctx, tmp_path, "#336699")
    with pg_ctx.uow(read_only=True) as uow:
        stored = uow.session.scalar(sa.select(m.PhotoFile.data).where(m.PhotoFile.sha256 == sha))
    assert stored is not None and hashlib.sha256(bytes(stored)).hexdigest() == sha

    laptop = second_computer(tmp_path, pg_url, registry, clock, name="laptop")
    try:
        assert not (laptop.data_dir / "photos").exists() or not any((laptop.data_dir / "photos").rglob("*.jpg"))
        [photo] = P.list_photos(laptop, visit_id)
        assert (photo.sha256, photo.room_name) == (sha, "Bathroom")
        path = laptop.photo_store.existing(sha)   # fetched from the server into this computer's cache
        assert path.is_relative_to(laptop.data_dir) and path.read_bytes() == bytes(stored)
        assert P.thumbnail(laptop, sha).is_file()
    finally:
        laptop.close()


def test_the_full_check_on_a_server_names_missing_altered_and_left_over_photo_files(
        tmp_path: Path, pg_ctx: AppContext) -> None:
    _, shas = photographed_visit(pg_ctx, tmp_path, "#111111", "#222222", "#333333")
    assert B.full_check(pg_ctx) == B.CheckReport([], 3)
    gone, changed, _kept = shas
    with pg_ctx.uow() as uow:
        uow.session.execute(sa.delete(m.PhotoFile).where(m.PhotoFile.sha256 == gone))
        uow.session.execute(sa.update(m.PhotoFile).where(m.PhotoFile.sha256 == changed).values(data=b"not it"))
        uow.session.add(m.PhotoFile(sha256="f" * 64, data=b"left over", created_at=pg_ctx.clock.now()))
    report = B.full_check(pg_ctx)
    assert report.photos_checked == 3 and not report.ok
    assert report.problems == [f"photo {changed[:12]} (photo-1.jpg): the file on the team server has changed since "
                               "it was stored",
                               f"photo {gone[:12]} (photo-0.jpg): the file is missing from the team server",
                               "1 photo file(s) on the team server belong to no photo (left over from an erasure?); "
                               "they are not shown anywhere"]


# -- a demo on the server -------------------------------------------------------------------------------------
def test_a_follow_up_of_the_demo_gives_a_progress_report_on_the_server(pg_demo_ctx: tuple[AppContext, str]) -> None:
    from homeassess.services import followup as F
    from homeassess.services.progress import build_progress_model

    ctx, demo = pg_demo_ctx
    follow_up, _ = F.start_follow_up(ctx, demo)
    goals = C.get_client(ctx, A.get_assessment(ctx, demo).client_id).goals
    for goal, level in zip(goals, (1, 0, -1), strict=False):
        F.set_goal_score(ctx, follow_up.id, goal.id, level)
    F.set_outcome_measures(ctx, follow_up.id, falls=0, fes_i=24)
    referrer = build_progress_model(ctx, follow_up.id, "referrer")
    family = build_progress_model(ctx, follow_up.id, "family")
    assert [g.text for g in referrer.goals] == [g.text for g in goals] and referrer.t_after is not None
    assert [f.label for f in family.goal_words] == [g.text for g in goals]
    assert ("FES-I now", "24 (moderate concern)") in [(f.label, f.value) for f in referrer.measures]
    assert ("GAS T-score now", "50.00") in [(f.label, f.value) for f in referrer.measures] and referrer.next_steps
