"""Backups that verify themselves, restores that set the current database aside, and damage that is
found at start and never hidden (issue 14)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from homeassess.app import main
from homeassess.db.engine import DB_FILE
from homeassess.domain.errors import DatabaseDamagedError, StorageError
from homeassess.services import backups
from homeassess.services.context import AppContext, open_context
from homeassess.storage import backups as store
from homeassess.storage.integrity import file_sha256
from tests.photo_helpers import make_jpeg

NOW = datetime(2026, 12, 2, 9, 0)


def _with_photos(ctx: AppContext, assessment_id: str, tmp_path: Path, n: int = 2) -> list[str]:
    from homeassess.services.assessments import list_rooms
    from homeassess.services.photos import add_photos
    from homeassess.storage.photos import shutdown_workers

    room = list_rooms(ctx, assessment_id)[0]
    files = [make_jpeg(tmp_path / f"p{i}.jpg", (640 + i * 16, 480)) for i in range(n)]
    views, errors = add_photos(ctx, assessment_id, room.id, files)
    shutdown_workers()
    assert not errors
    return [v.id for v in views]


def _client_names(ctx_dir: Path) -> list[str]:
    with sqlite3.connect(ctx_dir / DB_FILE) as conn:
        return [r[0] for r in conn.execute("SELECT family_name FROM client ORDER BY family_name")]


def test_a_backup_is_a_verified_copy_with_its_photos(demo_ctx, tmp_path: Path) -> None:
    ctx, assessment_id = demo_ctx
    _with_photos(ctx, assessment_id, tmp_path)
    outcome = backups.create_backups(ctx, reason="manual", now=NOW)
    assert not outcome.problems and len(outcome.made) == 1
    made = outcome.made[0]
    assert made.name == "2026-12-02T090000Z-manual"
    assert (made.clients, made.visits, made.photos) == (1, 1, 2)
    with sqlite3.connect(made.db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"   # one self-contained file
    pooled = sorted((made.root / "photos").glob("??/*.jpg"))
    assert len(pooled) == 2 and all(file_sha256(p) == p.stem for p in pooled)
    if os.name == "posix":
        assert made.db_path.stat().st_mode & 0o777 == 0o600
        assert made.folder.stat().st_mode & 0o777 == 0o700
    # A second backup shares the photo files instead of copying them again.
    later = backups.create_backups(ctx, reason="manual", now=NOW + timedelta(hours=1)).made[0]
    assert later.photos == 2 and len(list((made.root / "photos").glob("??/*.jpg"))) == 2
    assert [b.name for b in backups.list_backups(ctx)] == [later.name, made.name]


def test_restore_sets_the_current_database_aside_and_brings_back_photos(demo_ctx, tmp_path: Path) -> None:
    from homeassess.services.clients import create_client

    ctx, assessment_id = demo_ctx
    _with_photos(ctx, assessment_id, tmp_path)
    made = backups.create_backups(ctx, reason="manual", now=NOW).made[0]
    create_client(ctx, given_name="Later", family_name="Addition")
    shutil.rmtree(ctx.data_dir / "photos")
    ctx.close()
    result = backups.restore(ctx.data_dir, made.name, now=NOW + timedelta(hours=2))
    assert result.photos_restored == 2 and not result.photos_missing
    assert "Addition" not in _client_names(ctx.data_dir)
    # Nothing is deleted: the database in use is set aside, and was backed up first.
    assert result.set_aside is not None and (result.set_aside / DB_FILE).exists()
    assert "Addition" in _client_names(result.set_aside)
    assert any(b.reason == "before-restore" for b in backups.list_backups(ctx.data_dir))
    again = open_context(ctx.data_dir, registry=ctx.registry, clock=ctx.clock)
    assert backups.full_check(again).ok


def test_a_backup_that_fails_its_check_is_refused(demo_ctx) -> None:
    ctx, _ = demo_ctx
    made = backups.create_backups(ctx, reason="manual", now=NOW).made[0]
    data = bytearray(made.db_path.read_bytes())
    data[100:] = b"\x00" * (len(data) - 100)
    made.db_path.write_bytes(bytes(data))
    before = (ctx.data_dir / DB_FILE).read_bytes()
    ctx.close()
    with pytest.raises(StorageError, match="cannot be restored"):
        backups.restore(ctx.data_dir, made.name, now=NOW)
    assert (ctx.data_dir / DB_FILE).read_bytes() == before


def _spread(days: int) -> list[store.Backup]:
    start = datetime(2025, 1, 1, 18, 0)
    return [store.Backup(name=f"b{d}", folder=Path(f"b{d}"), created_at=start + timedelta(days=d), reason="daily",
                         db_bytes=1, photo_bytes=0, clients=0, visits=0, photos=0) for d in range(days)]


def test_retention_keeps_seven_daily_four_weekly_and_twelve_monthly() -> None:
    made = _spread(700)
    now = made[-1].created_at
    kept = [b for b in made if b.name in store.to_keep(made, now)]
    dates = sorted((b.created_at for b in kept), reverse=True)
    assert dates[:7] == [now - timedelta(days=d) for d in range(7)]
    assert len({(d.year, d.month) for d in dates}) == 12
    assert dates[-1] > now - timedelta(days=366)
    assert len(kept) <= 7 + 4 + 12
    weeks = {tuple(d.isocalendar())[:2] for d in dates if d > now - timedelta(weeks=4)}
    assert len(weeks) >= 4


def test_pruning_deletes_old_backups_and_the_photos_only_they_needed(demo_ctx, tmp_path: Path) -> None:
    ctx, assessment_id = demo_ctx
    _with_photos(ctx, assessment_id, tmp_path, n=1)
    db, root = ctx.data_dir / DB_FILE, tmp_path / "root"
    first = store.create_backup(db, ctx.photos_dir, root, reason="daily", now=datetime(2025, 1, 1, 18))
    with sqlite3.connect(db) as conn:   # the photo is erased from the records after the first backup
        conn.execute("DELETE FROM photo")
    for day in range(2, 21):
        store.create_backup(db, ctx.photos_dir, root, reason="daily", now=datetime(2025, 1, day, 18))
    names = {b.name for b in store.list_backups(root)}
    assert first.name not in names and "2025-01-05T180000Z-daily" in names   # week 1's newest stays
    assert len(names) == 7 + 2   # 7 days (14-20 Jan) plus the newest of the ISO weeks before (12 and 5 Jan)
    assert not list((root / "photos").glob("??/*"))


@pytest.mark.parametrize("damage", ["flipped bytes", "truncated", "zero bytes", "a text file"])
def test_a_damaged_database_is_never_opened_or_replaced(demo_ctx, damage: str) -> None:
    ctx, _ = demo_ctx
    good = backups.create_backups(ctx, reason="daily", now=NOW).made[0]
    ctx.close()
    db = ctx.data_dir / DB_FILE
    data = db.read_bytes()
    broken = {"flipped bytes": bytes(b ^ 0xFF if 4096 <= i < 16384 else b for i, b in enumerate(data)),
              "truncated": data[: len(data) // 3 // 4096 * 4096 + 1000],
              "zero bytes": b"",
              "a text file": b"Shopping list: milk, bread\n" * 50}[damage]
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    db.write_bytes(broken)
    with pytest.raises(DatabaseDamagedError) as raised:
        open_context(ctx.data_dir, registry=ctx.registry, clock=ctx.clock)
    assert raised.value.newest_backup == good.name
    assert str(db) in str(raised.value) and good.name in str(raised.value)
    assert db.read_bytes() == broken   # kept exactly as found, for whoever investigates


def test_a_missing_database_with_backups_is_not_silently_re_created(demo_ctx) -> None:
    ctx, _ = demo_ctx
    backups.create_backups(ctx, reason="daily", now=NOW)
    ctx.close()
    (ctx.data_dir / DB_FILE).unlink()
    with pytest.raises(DatabaseDamagedError, match="missing"):
        open_context(ctx.data_dir, registry=ctx.registry, clock=ctx.clock)
    assert not (ctx.data_dir / DB_FILE).exists()


def test_the_full_check_names_missing_and_altered_photos(demo_ctx, tmp_path: Path, capsys) -> None:
    ctx, assessment_id = demo_ctx
    _with_photos(ctx, assessment_id, tmp_path)
    assert main(["--data-dir", str(ctx.data_dir), "check"]) == 0
    assert "2 photo(s) present and unchanged" in capsys.readouterr().out
    first, second = sorted((ctx.data_dir / "photos").glob("??/*.jpg"))
    first.unlink()
    second.write_bytes(second.read_bytes()[:-10] + b"0123456789")
    assert main(["--data-dir", str(ctx.data_dir), "check"]) == 1
    out, err = capsys.readouterr()
    assert "the file is missing" in out and "has changed since it was stored" in out
    assert "p0.jpg" in out and "p1.jpg" in out
    assert err.startswith("error: 2 problem(s)")


def test_backup_commands(demo_ctx, tmp_path: Path, capsys) -> None:
    ctx, _ = demo_ctx
    usb = tmp_path / "usb"
    usb.mkdir()
    data = str(ctx.data_dir)
    assert main(["--data-dir", data, "backup", "create", "--to", str(usb)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].endswith(str(usb))
    assert list((usb / store.SECOND_LOCATION_FOLDER).glob("*-manual/homeassess.sqlite3"))
    assert main(["--data-dir", data, "backup", "list"]) == 0
    row = capsys.readouterr().out.splitlines()[0].split("\t")
    assert row[0].endswith("-manual") and row[3:5] == ["1 clients", "1 visits"]
    assert main(["--data-dir", data, "backup", "restore", row[0]]) == 0
    assert capsys.readouterr().out.startswith(f"restored\t{row[0]}\t1 clients")
    assert main(["--data-dir", data, "backup", "restore", "no-such-backup"]) == 1
    assert "No backup is called" in capsys.readouterr().err


def test_a_second_location_that_is_unplugged_does_not_stop_the_backup(demo_ctx, tmp_path: Path) -> None:
    ctx, _ = demo_ctx
    usb = tmp_path / "usb"
    usb.mkdir()
    backups.set_second_location(ctx, usb)
    assert backups.second_location(ctx) == usb
    usb.rmdir()
    outcome = backups.create_backups(ctx, reason="daily", now=NOW)
    assert [b.location for b in outcome.made] == [""]
    assert outcome.problems == [f"The backup location {usb} is not available (is the drive plugged in?)."]
    with pytest.raises(StorageError, match="not a folder that exists"):
        backups.set_second_location(ctx, tmp_path / "nowhere")


def test_a_backup_location_that_cannot_be_written_leaves_no_partial_backup(demo_ctx, tmp_path: Path) -> None:
    ctx, _ = demo_ctx
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / store.SECOND_LOCATION_FOLDER).write_text("a file where the folder should be")
    outcome = backups.create_backups(ctx, reason="manual", now=NOW, to=blocked)
    assert len(outcome.made) == 1 and len(outcome.problems) == 1
    assert "could not be made" in outcome.problems[0]


def test_a_full_disk_fails_the_backup_cleanly(demo_ctx, tmpfs) -> None:
    ctx, _ = demo_ctx
    small = tmpfs("64k")
    outcome = backups.create_backups(ctx, reason="manual", now=NOW, to=small)
    assert [b.location for b in outcome.made] == [""]
    assert "could not be made" in outcome.problems[0]
    assert not [p for p in small.rglob("*") if p.is_file()]   # no partial copy left behind


def test_the_start_up_backup_runs_at_most_once_a_day(demo_ctx) -> None:
    from homeassess.ui.application import _daily_backup

    ctx, _ = demo_ctx
    assert _daily_backup(ctx, progress=None, cancel=None) == []
    assert [b.reason for b in backups.list_backups(ctx)] == ["daily"]
    assert _daily_backup(ctx, progress=None, cancel=None) == []
    assert len(backups.list_backups(ctx)) == 1
    assert backups.daily_backup_due(ctx, ctx.clock.now() + timedelta(days=1))


def test_a_backup_made_in_the_same_second_as_another_is_kept(demo_ctx) -> None:
    ctx, _ = demo_ctx
    backups.create_backups(ctx, reason="daily", now=NOW)
    again = backups.create_backups(ctx, reason="close", now=NOW - timedelta(seconds=5))
    assert not again.problems and again.made[0].name in {b.name for b in backups.list_backups(ctx)}


def test_a_first_start_interrupted_before_the_tables_were_made_starts_again(tmp_path: Path, registry) -> None:
    from homeassess.services.context import CREATING

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / CREATING).touch()
    (data / DB_FILE).write_bytes(b"")   # what a kill between creating the file and the schema leaves
    ctx = open_context(data, registry=registry)
    assert not (data / CREATING).exists() and (data / DB_FILE).stat().st_size > 0
    assert backups.full_check(ctx).ok
