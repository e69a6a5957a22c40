"""Right to erasure: a client's rows and files go for good, an entry says only that it happened,
a photo file another client uses stays, and the name is not left in the database file's bytes.

The tests taking ``any_demo_ctx`` or ``any_fixture_ctx`` run on the SQLite file and on a PostgreSQL team
server, where the photos' files are rows (``photo_file``) that go with the erasure too; the database
file's bytes are SQLite's only (a server's storage and backups are its administrator's)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.domain.errors import NotFoundError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import erasure as E
from homeassess.services import photos as P
from homeassess.services import settings as S
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.dto import PhotoView
from homeassess.services.visit_record import record_verbal_consent
from tests.photo_helpers import make_jpeg

ARROW = [{"kind": "arrow", "points": [[0.1, 0.1], [0.5, 0.5]], "text": "", "colour": "#E11D48", "width": 0.006}]

# How many rows of each table belong to one client (the joins follow the foreign keys).
VISITS = "SELECT id FROM assessment WHERE client_id = :c"
RECS = f"SELECT id FROM recommendation WHERE assessment_id IN ({VISITS})"
OWNED = {
    "client": "SELECT count(*) FROM client WHERE id = :c",
    "goal": "SELECT count(*) FROM goal WHERE client_id = :c",
    "assessment": "SELECT count(*) FROM assessment WHERE client_id = :c",
    "answer": f"SELECT count(*) FROM answer WHERE room_id IN (SELECT id FROM room WHERE assessment_id IN ({VISITS}))",
    "recommendation_event": f"SELECT count(*) FROM recommendation_event WHERE recommendation_id IN ({RECS})",
    "recommendation_finding": f"SELECT count(*) FROM recommendation_finding WHERE recommendation_id IN ({RECS})",
    "goal_score": "SELECT count(*) FROM goal_score WHERE goal_id IN (SELECT id FROM goal WHERE client_id = :c)",
    **{t: f"SELECT count(*) FROM {t} WHERE assessment_id IN ({VISITS})"
       for t in ("room", "finding", "photo", "recommendation", "visit_consent", "not_assessed", "addendum",
                 "finding_outcome")},
}


def db_file(ctx: AppContext) -> Path:
    return ctx.data_dir / "homeassess.sqlite3"


def owned_counts(ctx: AppContext, client_id: str) -> dict[str, int]:
    with ctx.uow(read_only=True) as uow:
        return {t: uow.session.execute(text(q), {"c": client_id}).scalar_one() for t, q in OWNED.items()}


def totals(ctx: AppContext) -> dict[str, int]:
    with ctx.uow(read_only=True) as uow:
        return {t: uow.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in OWNED}


def on_server(ctx: AppContext, sha: str) -> bool:
    """Whether the team server still keeps the photo's file (always False on the laptop's database)."""
    with ctx.uow(read_only=True) as uow:
        return uow.session.get(m.PhotoFile, sha) is not None


def raw_bytes(ctx: AppContext) -> bytes:
    return b"".join(p.read_bytes() for p in (db_file(ctx), db_file(ctx).with_name("homeassess.sqlite3-wal"))
                    if p.exists())


def client_with_photo(ctx: AppContext, folder: Path, family: str, *, room_type: str = "demo_room",
                      colour: str = "#336699") -> tuple[str, str, PhotoView]:
    client, _ = C.create_client(ctx, given_name="Ada", family_name=family)
    visit, _ = A.create_assessment(ctx, client.id)
    record_verbal_consent(ctx, visit.id, given_by=f"Ada {family}")
    room, _ = A.add_room(ctx, visit.id, room_type)
    photo = attach(ctx, folder, room.id, f"{family}.jpg", colour)
    return client.id, visit.id, photo


def attach(ctx: AppContext, folder: Path, room_id: str, name: str, colour: str) -> PhotoView:
    stored = ctx.photo_store.ingest(make_jpeg(folder / name, (800, 600), colour=colour))
    return P.attach_photos(ctx, room_id, [stored])[0][0]


def erasures(ctx: AppContext) -> list[tuple[str, int, str, datetime]]:
    """(what, photo_files, by, erased_at) of every erasure entry; the table has no other columns but id."""
    from sqlalchemy import inspect

    assert {c.key for c in inspect(m.Erasure).columns} == {"id", "what", "photo_files", "by", "erased_at"}
    with ctx.uow(read_only=True) as uow:
        return [(e.what, e.photo_files, e.by, e.erased_at) for e in uow.session.scalars(select(m.Erasure))]


def test_erasing_a_client_removes_every_row_and_file_and_keeps_only_that_it_happened(
        any_demo_ctx: tuple[AppContext, str], tmp_path: Path) -> None:
    ctx, visit_id = any_demo_ctx
    client_id = A.get_assessment(ctx, visit_id).client_id
    C.update_client(ctx, client_id, family_name="Xylophant")          # an older version of the name ...
    C.update_client(ctx, client_id, family_name="Quenby-Zyxwort")     # ... and the one erased
    room = A.list_rooms(ctx, visit_id)[0]
    photo = attach(ctx, tmp_path, room.id, "hall.jpg", "#aa3344")
    P.set_annotations(ctx, photo.id, ARROW)
    marked = P.list_photos(ctx, visit_id)[0]
    files = [ctx.photo_store.path_for(photo.sha256), P.thumbnail(ctx, photo.sha256), P.annotated_copy(ctx, marked, 300)]
    C.archive_client(ctx, client_id)
    S.remember_visit(ctx, visit_id)
    other, other_visit, other_photo = client_with_photo(ctx, tmp_path, "Keeper", room_type=room.room_type)
    S.remember_visit(ctx, other_visit)
    before, theirs, kept = totals(ctx), owned_counts(ctx, client_id), owned_counts(ctx, other)
    assert all(theirs[t] for t in ("client", "goal", "assessment", "room", "answer", "finding", "photo",
                                   "recommendation", "recommendation_event", "visit_consent"))
    assert on_server(ctx, photo.sha256) == ctx.is_server
    if not ctx.is_server:
        with sqlite3.connect(db_file(ctx)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # the name is in the database file itself too
        assert b"Quenby-Zyxwort" in raw_bytes(ctx)

    report = E.erase_client(ctx, client_id, by="Sam Therapist")

    assert (report.what, report.visits, report.photos, report.photo_files) == ("client", 1, 1, 1)
    assert owned_counts(ctx, client_id) == dict.fromkeys(OWNED, 0)
    assert totals(ctx) == {t: before[t] - theirs[t] for t in OWNED}
    assert owned_counts(ctx, other) == kept and P.list_photos(ctx, other_visit)[0].id == other_photo.id
    with ctx.uow(read_only=True) as uow:
        keys = list(uow.session.scalars(select(m.Setting.key)))
    assert not [k for k in keys if client_id in k or visit_id in k]
    assert S.last_visit_id(ctx) == other_visit and S.recent_visit_ids(ctx) == [other_visit]
    assert not [f for f in files if f.exists()] and not on_server(ctx, photo.sha256)
    assert on_server(ctx, other_photo.sha256) == ctx.is_server
    assert erasures(ctx) == [("client", 1, "Sam Therapist", ctx.clock.now())]
    with pytest.raises(NotFoundError):
        C.get_client(ctx, client_id)
    if ctx.is_server:
        return   # the server's files, WAL and backups are its administrator's (services/erasure.py)
    with sqlite3.connect(db_file(ctx)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    data = raw_bytes(ctx)
    for text in ("Quenby-Zyxwort", "Xylophant", "Larch Grove", client_id):
        assert text.encode() not in data, f"{text!r} is still in the database file"


def test_a_photo_file_another_client_uses_is_kept(any_fixture_ctx: AppContext, tmp_path: Path) -> None:
    ctx = any_fixture_ctx
    first, _, photo = client_with_photo(ctx, tmp_path, "Sharer", colour="#123456")
    second, second_visit, same = client_with_photo(ctx, tmp_path, "Other", colour="#123456")
    assert same.sha256 == photo.sha256   # the same picture, stored once
    path = ctx.photo_store.path_for(photo.sha256)

    assert E.erase_client(ctx, first, by="").photo_files == 0
    assert path.exists() and P.list_photos(ctx, second_visit)[0].sha256 == photo.sha256
    assert erasures(ctx)[0][1] == 0 and on_server(ctx, photo.sha256) == ctx.is_server

    assert E.erase_client(ctx, second, by="").photo_files == 1
    assert not path.exists() and not on_server(ctx, photo.sha256)


def test_a_deleted_client_can_be_erased(fixture_ctx: AppContext, tmp_path: Path) -> None:
    client_id, _, photo = client_with_photo(fixture_ctx, tmp_path, "Gone")
    C.delete_client(fixture_ctx, client_id)
    with fixture_ctx.uow(read_only=True) as uow:
        usual = uow.session.execute(text("PRAGMA secure_delete")).scalar()
    E.erase_client(fixture_ctx, client_id, by="")
    assert not fixture_ctx.photo_store.path_for(photo.sha256).exists()
    with fixture_ctx.uow(read_only=True) as uow:   # the pooled connection is handed back as it was
        assert uow.session.execute(text("PRAGMA secure_delete")).scalar() == usual
    with pytest.raises(NotFoundError):
        E.erase_client(fixture_ctx, client_id, by="")


def test_on_a_team_server_a_photo_the_laptops_own_database_uses_stays_in_the_folder(
        tmp_path: Path, pg_url: str, fixture_registry: Registry, clock: Clock) -> None:
    """Team mode opens the server on the laptop's data folder, whose photos/ is also the server's cache:
    an erasure on the server takes the server's file, and the cached copy only if the laptop needs none."""
    data = tmp_path / "data"
    laptop = open_context(data, registry=fixture_registry, clock=clock)
    _, _, mine = client_with_photo(laptop, tmp_path, "Laptop", colour="#0a0a0a")
    laptop.close()
    server = open_context(data, registry=fixture_registry, clock=clock, database_url=pg_url)
    try:
        shared, _, same = client_with_photo(server, tmp_path, "Laptop", colour="#0a0a0a")   # the same picture
        alone, _, own = client_with_photo(server, tmp_path, "Server", colour="#0b0b0b")
        assert same.sha256 == mine.sha256 and on_server(server, same.sha256)
        assert E.erase_client(server, shared, by="Sam").photo_files == 1
        assert E.erase_client(server, alone, by="Sam").photo_files == 1
        assert not on_server(server, same.sha256) and not on_server(server, own.sha256)
        assert server.photo_store.path_for(mine.sha256).exists()        # the laptop's database refers to it
        assert not server.photo_store.path_for(own.sha256).exists()     # a cached copy nothing else needs
        assert E.erasure_preview(server, C.create_client(server, given_name="A", family_name="B")[0].id).backups == ()
    finally:
        server.close()


def test_erasing_deleted_photos_removes_only_those_of_that_client(any_fixture_ctx: AppContext, tmp_path: Path) -> None:
    ctx = any_fixture_ctx
    client_id, visit_id, kept = client_with_photo(ctx, tmp_path, "Photographed", colour="#111111")
    room_id = kept.room_id
    dropped = attach(ctx, tmp_path, room_id, "drop.jpg", "#222222")
    P.set_annotations(ctx, dropped.id, ARROW)
    marked = next(p for p in P.list_photos(ctx, visit_id) if p.id == dropped.id)
    copy = P.annotated_copy(ctx, marked, 300)
    P.delete_photo(ctx, dropped.id)
    _, other_visit, others = client_with_photo(ctx, tmp_path, "Elsewhere", colour="#333333")
    P.delete_photo(ctx, others.id)

    report = E.erase_deleted_photos(ctx, client_id, by="Sam")

    assert (report.what, report.photos, report.photo_files) == ("deleted photos", 1, 1)
    assert not ctx.photo_store.path_for(dropped.sha256).exists() and not copy.exists()
    assert ctx.photo_store.path_for(kept.sha256).exists() and ctx.photo_store.path_for(others.sha256).exists()
    assert not on_server(ctx, dropped.sha256) and on_server(ctx, others.sha256) == ctx.is_server
    assert [p.id for p in P.list_photos(ctx, visit_id)] == [kept.id]
    with pytest.raises(NotFoundError):
        P.delete_photo(ctx, dropped.id, restore=True)    # undo of the delete has nothing to bring back
    P.delete_photo(ctx, others.id, restore=True)         # the other client's is still there to restore
    assert [p.id for p in P.list_photos(ctx, other_visit)] == [others.id]
    assert [e[:3] for e in erasures(ctx)] == [("deleted photos", 1, "Sam")]


def test_erasing_deleted_photos_everywhere_and_nothing_to_erase(any_fixture_ctx: AppContext, tmp_path: Path) -> None:
    ctx = any_fixture_ctx
    assert E.erase_deleted_photos(ctx, by="").photos == 0 and erasures(ctx) == []   # nothing happened: no entry
    photos = [client_with_photo(ctx, tmp_path, name, colour=colour)[2]
              for name, colour in (("One", "#444444"), ("Two", "#555555"))]
    for photo in photos:
        P.delete_photo(ctx, photo.id)
    assert E.erase_deleted_photos(ctx, by="").photo_files == 2
    assert not [p for p in photos if ctx.photo_store.path_for(p.sha256).exists()]


def test_on_a_team_server_a_client_with_a_visit_checked_out_to_a_laptop_is_not_erased(
        pg_fixture_ctx: AppContext, tmp_path: Path) -> None:
    from homeassess.domain.errors import ConflictError

    ctx = pg_fixture_ctx
    client_id, visit_id, photo = client_with_photo(ctx, tmp_path, "Travelling")
    P.delete_photo(ctx, photo.id)
    with ctx.uow() as uow:   # what a check-out records (services/team.py)
        uow.session.add(m.VisitHold(assessment_id=visit_id, client_id=client_id, holder="Sam Lee",
                                    device_id="laptop-1", device_name="sam-laptop", since=ctx.clock.now()))
    for erase in (lambda: E.erase_client(ctx, client_id, by="Ana"), lambda: E.erase_deleted_photos(ctx, by="Ana")):
        with pytest.raises(ConflictError, match=r"checked out to Sam Lee on sam-laptop since .*Check the visit in"):
            erase()
    assert owned_counts(ctx, client_id)["photo"] == 1 and on_server(ctx, photo.sha256) and erasures(ctx) == []
    with ctx.uow() as uow:   # checked in (or the hold released)
        uow.session.execute(delete(m.VisitHold))
    assert E.erase_client(ctx, client_id, by="Ana").photo_files == 1


@dataclass
class FakeBackup:
    name: str
    created_at: datetime
    location: str = ""
    db_path: Path | None = None


def test_the_preview_counts_what_goes_and_names_the_backups_that_still_hold_the_client(
        fixture_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.services import backups

    ctx = fixture_ctx
    client_id, _, photo = client_with_photo(ctx, tmp_path, "Previewed")
    P.delete_photo(ctx, photo.id)
    now = ctx.clock.now()
    without = tmp_path / "without.sqlite3"
    with sqlite3.connect(without) as conn:
        conn.execute("CREATE TABLE client (id TEXT)")
    holding = tmp_path / "holding.sqlite3"   # a backup is a whole copy (the live file's WAL is not in it)
    with closing(sqlite3.connect(db_file(ctx))) as live, closing(sqlite3.connect(holding)) as copy:
        live.backup(copy)
    found = [FakeBackup("yesterday", now - timedelta(days=1), db_path=holding),
             FakeBackup("usb", now - timedelta(days=2), location="/media/usb"),
             FakeBackup("before-the-client", now - timedelta(days=3), db_path=without),
             FakeBackup("later", now + timedelta(minutes=1))]
    monkeypatch.setattr(backups, "list_backups", lambda where: found)

    preview = E.erasure_preview(ctx, client_id)

    assert (preview.display_name, preview.family_name) == ("Ada Previewed", "Previewed")
    assert (preview.visits, preview.signed_off, preview.photos, preview.deleted_photos) == (1, 0, 1, 1)
    assert [(b.name, b.location) for b in preview.backups] == [("yesterday", ""), ("usb", "/media/usb")]
    with pytest.raises(NotFoundError):
        E.erasure_preview(ctx, "no-such-client")
