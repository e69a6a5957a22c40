"""What HomeAssess writes is private from the start (0600 files, 0700 folders), and a folder the
user chose keeps its own mode, with a warning when others can read it (issue 14)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from homeassess.db.engine import DB_FILE
from homeassess.services import backups
from homeassess.services.clients import create_client
from homeassess.services.context import open_context

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_everything_created_is_private(tmp_path: Path, registry) -> None:
    old = os.umask(0o022)   # the usual umask, which would make files 0644
    try:
        ctx = open_context(tmp_path / "new" / "data", registry=registry)
        create_client(ctx, given_name="Ada", family_name="Private")
        made = backups.create_backups(ctx, reason="manual", now=datetime(2026, 12, 2, 9)).made[0]
    finally:
        os.umask(old)
    data = ctx.data_dir
    assert _mode(data) == 0o700 and _mode(data.parent) == 0o700
    for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", ".homeassess.lock"):
        if (data / name).exists():
            assert _mode(data / name) == 0o600, name
    assert _mode(data / DB_FILE) == 0o600
    assert _mode(made.folder) == 0o700 and _mode(made.db_path) == 0o600
    assert _mode(made.folder / "manifest.json") == 0o600
    assert ctx.warnings == []


def test_photos_reports_and_logs_are_private(demo_ctx, tmp_path: Path) -> None:
    from homeassess.app import main
    from homeassess.services.assessments import list_rooms
    from homeassess.services.photos import add_photos
    from homeassess.services.reports import generate_report
    from homeassess.services.visit_record import record_verbal_consent
    from homeassess.storage.photos import shutdown_workers
    from tests.photo_helpers import make_jpeg

    ctx, assessment_id = demo_ctx
    record_verbal_consent(ctx, assessment_id, given_by="the client")
    old = os.umask(0o022)
    try:
        add_photos(ctx, assessment_id, list_rooms(ctx, assessment_id)[0].id, [make_jpeg(tmp_path / "a.jpg", (800, 600))])
        shutdown_workers()
        report = generate_report(ctx, assessment_id, "family", ctx.data_dir / "reports" / "visit" / "family.pdf")
        assert main(["--data-dir", str(ctx.data_dir), "clients"]) == 0   # writes the command's log
    finally:
        os.umask(old)
    [photo] = (ctx.data_dir / "photos").glob("??/*.jpg")
    assert (_mode(photo.parent), _mode(photo.parent.parent), _mode(photo)) == (0o700, 0o700, 0o600)
    assert (_mode(report.parent), _mode(report.parent.parent), _mode(report)) == (0o700, 0o700, 0o600)
    logs = ctx.data_dir / "logs"
    assert _mode(logs) == 0o700 and all(_mode(f) == 0o600 for f in logs.iterdir())


def test_a_chosen_folder_keeps_its_mode_and_a_readable_one_is_warned_about(tmp_path: Path, registry) -> None:
    chosen = tmp_path / "shared"
    chosen.mkdir()
    chosen.chmod(0o755)
    ctx = open_context(chosen, registry=registry)
    assert _mode(chosen) == 0o755
    assert len(ctx.warnings) == 1 and "can be read by other users" in ctx.warnings[0]
    assert _mode(chosen / DB_FILE) == 0o600
    chosen.chmod(0o700)
    assert open_context(chosen, registry=registry).warnings == []
