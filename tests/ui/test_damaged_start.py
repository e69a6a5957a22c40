"""Starting the app on a damaged database: it says what is wrong and offers the newest good backup;
nothing is replaced unless the person agrees (issue 14)."""

from __future__ import annotations

from datetime import datetime

import pytest

from homeassess.db.engine import DB_FILE
from homeassess.services import backups
from homeassess.services.clients import list_clients
from homeassess.ui import application


@pytest.fixture
def damaged(demo_ctx):
    ctx, _ = demo_ctx
    good = backups.create_backups(ctx, reason="daily", now=datetime(2026, 12, 1, 9)).made[0]
    ctx.close()
    db = ctx.data_dir / DB_FILE
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    db.write_bytes(b"\x00" * 8192)
    return ctx.data_dir, good


def test_declining_the_restore_changes_nothing(qapp, damaged, monkeypatch) -> None:
    data, good = damaged
    asked = []
    monkeypatch.setattr(application, "offer_restore", lambda error: asked.append(error) or False)
    monkeypatch.setattr(application, "run_application", lambda ctx: pytest.fail("must not open"))
    assert application.main(str(data)) == 1
    assert asked[0].newest_backup == good.name and "not a HomeAssess database" in asked[0].problem
    assert (data / DB_FILE).read_bytes() == b"\x00" * 8192


def test_accepting_restores_the_newest_good_backup_and_keeps_the_damaged_file(qapp, damaged, monkeypatch) -> None:
    data, good = damaged
    opened = []
    monkeypatch.setattr(application, "offer_restore", lambda error: True)
    monkeypatch.setattr(application, "run_application", lambda ctx: opened.append(ctx) or 0)
    assert application.main(str(data)) == 0
    [ctx] = opened
    assert len(list_clients(ctx)) == 1
    [aside] = list((data / "set-aside").glob("*-before-restore"))
    assert (aside / DB_FILE).read_bytes() == b"\x00" * 8192


def test_the_offer_names_the_problem_and_the_backup(qapp, damaged, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    data, good = damaged
    seen = {}

    def fake_exec(box: QMessageBox) -> int:
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText(),
                    buttons=[b.text() for b in box.buttons()])
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(application, "run_application", lambda ctx: pytest.fail("must not open"))
    assert application.main(str(data)) == 1
    assert seen["title"] == "The HomeAssess database is damaged"
    assert str(data / DB_FILE) in seen["text"] and "with 1 client and 1 visit" in seen["info"]
    assert seen["buttons"] == ["Restore the backup", "Quit"]


def test_with_no_good_backup_it_says_so_and_changes_nothing(qapp, demo_ctx, monkeypatch) -> None:
    ctx, _ = demo_ctx
    ctx.close()
    db = ctx.data_dir / DB_FILE
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    db.write_bytes(b"")
    shown = []

    class Box:
        def __init__(self, _parent, title: str, message: str, advice: str = "", details: str = "") -> None:
            shown.append((title, message, advice))

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(application, "error_dialog", Box)
    monkeypatch.setattr(application, "run_application", lambda ctx: pytest.fail("must not open"))
    assert application.main(str(ctx.data_dir)) == 1
    [(title, message, advice)] = shown
    assert title == "The HomeAssess database is damaged" and "empty (0 bytes)" in message
    assert "No good backup was found" in message and "has not been changed" in advice
    assert db.read_bytes() == b""
