"""The start-up sweep: debris older than the grace period goes, anything a row points to stays."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import timedelta
from pathlib import Path

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import housekeeping as H
from homeassess.services import photos as P
from homeassess.checklists.registry import Registry
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.visit_record import record_verbal_consent
from tests.photo_helpers import make_jpeg

ARROW = [{"kind": "arrow", "points": [[0.1, 0.1], [0.5, 0.5]], "text": "", "colour": "#E11D48", "width": 0.006}]
CIRCLE = [{**ARROW[0], "kind": "ellipse"}]


def age(*paths: Path, hours: float = 3) -> None:
    old = time.time() - hours * 3600
    for path in paths:
        os.utime(path, (old, old))


def loose_photo(ctx: AppContext, name: str) -> Path:
    """A stored photo file with no row, as a killed import leaves it."""
    sha = hashlib.sha256(name.encode()).hexdigest()
    path = ctx.photo_store.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8 not decoded by the sweep")
    return path


def room_of_new_visit(ctx: AppContext) -> tuple[str, str]:
    client, _ = C.create_client(ctx, given_name="Ada", family_name="Sweep")
    visit, _ = A.create_assessment(ctx, client.id)
    record_verbal_consent(ctx, visit.id, given_by="Ada Sweep")
    return visit.id, A.add_room(ctx, visit.id, "demo_room")[0].id


def test_sweep_removes_old_debris_and_keeps_whatever_a_row_points_to(fixture_ctx: AppContext, tmp_path: Path) -> None:
    ctx, store = fixture_ctx, fixture_ctx.photo_store
    visit_id, room_id = room_of_new_visit(ctx)
    live, deleted, marked = (P.attach_photos(ctx, room_id, [store.ingest(make_jpeg(tmp_path / f"{n}.jpg", (600, 400),
                                                                                   colour=c))])[0][0]
                             for n, c in (("live", "#111111"), ("deleted", "#222222"), ("marked", "#333333")))
    P.delete_photo(ctx, deleted.id)
    P.set_annotations(ctx, marked.id, ARROW)
    unused_copy = P.annotated_copy(ctx, next(p for p in P.list_photos(ctx, visit_id) if p.id == marked.id), 300)
    P.set_annotations(ctx, marked.id, CIRCLE)   # the arrow's copy is no longer used by any row
    used_copy = P.annotated_copy(ctx, next(p for p in P.list_photos(ctx, visit_id) if p.id == marked.id), 300)
    orphan, fresh_orphan = loose_photo(ctx, "killed import"), loose_photo(ctx, "import in progress")
    orphan_thumb = store.thumbnail_path(orphan.stem)
    orphan_thumb.parent.mkdir(parents=True, exist_ok=True)
    orphan_thumb.write_bytes(b"thumb")
    half_written = orphan.parent / ".tmp-abc.part"
    half_written.write_bytes(b"half")
    cache_tmp = store.cache_dir / "thumbs" / ".tmp-def.part"
    cache_tmp.write_bytes(b"half")
    capture = P.new_capture(ctx)   # a camera capture never imported
    fresh_tmp = orphan.parent / ".tmp-now.part"
    fresh_tmp.write_bytes(b"being written")
    referenced = [store.path_for(p.sha256) for p in (live, deleted, marked)] + [used_copy]
    age(*referenced, orphan, orphan_thumb, half_written, cache_tmp, capture, unused_copy)
    kept = [*referenced, fresh_orphan, fresh_tmp]

    report = H.sweep_debris(ctx)

    assert report == H.SweepReport(orphan_photos=1, temp_files=3, derivatives=2)
    assert not [p for p in (orphan, orphan_thumb, half_written, cache_tmp, capture, unused_copy) if p.exists()]
    assert [p for p in kept if p.exists()] == kept
    assert H.sweep_debris(ctx) == H.SweepReport(0, 0, 0)


def test_nothing_younger_than_the_grace_period_is_swept(fixture_ctx: AppContext) -> None:
    orphan = loose_photo(fixture_ctx, "an import a moment ago")
    age(orphan, hours=0.5)
    assert H.sweep_debris(fixture_ctx) == H.SweepReport(0, 0, 0) and orphan.exists()
    assert H.sweep_debris(fixture_ctx, grace=timedelta(minutes=10)).orphan_photos == 1 and not orphan.exists()


def test_a_camera_capture_is_removed_once_imported(fixture_ctx: AppContext, tmp_path: Path) -> None:
    capture = P.new_capture(fixture_ctx)
    make_jpeg(capture, (640, 480), gps=True)   # what the camera wrote (metadata and all)
    [stored] = P.import_capture_job(fixture_ctx, capture)
    assert not capture.exists() and fixture_ctx.photo_store.path_for(stored.sha256).exists()
    elsewhere = make_jpeg(tmp_path / "mine.jpg", (640, 480))
    P.discard_captures(fixture_ctx, [elsewhere])   # only the store's own captures are ever removed
    assert elsewhere.exists()


def test_on_a_team_server_the_photo_folders_are_left_alone(tmp_path: Path, pg_url: str, fixture_registry: Registry,
                                                           clock: Clock) -> None:
    """Team mode opens the server on the laptop's own data folder: the server's rows do not list the
    laptop database's photos, so a sweep judged by them must not touch the photo folders."""
    data = tmp_path / "data"
    laptop = open_context(data, registry=fixture_registry, clock=clock)
    _, room_id = room_of_new_visit(laptop)
    stored = laptop.photo_store.ingest(make_jpeg(tmp_path / "own.jpg", (600, 400)))
    own = P.attach_photos(laptop, room_id, [stored])[0][0]
    laptop.close()
    server = open_context(data, registry=fixture_registry, clock=clock, database_url=pg_url)
    try:
        photos = [server.photo_store.path_for(own.sha256), loose_photo(server, "a cached copy")]
        stale = server.scratch_dir / "report-abc.pdf"
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.write_bytes(b"%PDF half")
        age(*photos, stale)

        assert H.sweep_debris(server) == H.SweepReport(orphan_photos=0, temp_files=1, derivatives=0)
        assert [p for p in photos if p.exists()] == photos and not stale.exists()
    finally:
        server.close()
