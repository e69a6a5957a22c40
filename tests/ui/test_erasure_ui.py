"""Erasing for good from the client list (confirmation, then the work off the UI thread), and the
sweep of interrupted work when the window is first shown."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from homeassess.domain.errors import NotFoundError
from homeassess.services import assessments as A
from homeassess.services import backups
from homeassess.services import clients as C
from homeassess.services import erasure as E
from homeassess.services import photos as P
from homeassess.services.context import AppContext
from homeassess.services.visit_record import record_verbal_consent
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.erasure import EraseClientDialog, erase_photos_box
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner
from tests.integration.test_erasure import FakeBackup
from tests.photo_helpers import make_jpeg


@pytest.fixture(autouse=True)
def one_backup(fixture_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    made = fixture_ctx.clock.now() - timedelta(days=1)
    monkeypatch.setattr(backups, "list_backups", lambda where: [FakeBackup("daily", made, location="/media/usb")])


def client_with_photo(ctx: AppContext, tmp_path: Path) -> tuple[str, P.PhotoView]:
    client, _ = C.create_client(ctx, given_name="Olwen", family_name="Pryce-Erased")
    visit, _ = A.create_assessment(ctx, client.id)
    record_verbal_consent(ctx, visit.id, given_by="Olwen Pryce-Erased")
    room, _ = A.add_room(ctx, visit.id, "demo_room")
    stored = ctx.photo_store.ingest(make_jpeg(tmp_path / "hall.jpg", (800, 600)))
    return client.id, P.attach_photos(ctx, room.id, [stored])[0][0]


def menu_action(window: MainWindow, name: str):  # noqa: ANN201
    [action] = [a for a in window.clients.client_menu().actions() if a.objectName() == name]
    return action


def answer(monkeypatch: pytest.MonkeyPatch, *, typed: str, erase: bool) -> list[EraseClientDialog]:
    """Make the confirmation, when it opens, get ``typed`` and then Erase (or Cancel) pressed."""
    seen: list[EraseClientDialog] = []

    def exec_(dialog: EraseClientDialog) -> int:
        seen.append(dialog)
        dialog.confirm.setText(typed)
        (dialog.erase_button if erase else dialog.cancel_button).click()
        return dialog.result()

    monkeypatch.setattr(EraseClientDialog, "exec", exec_)
    return seen


def test_the_confirmation_says_what_goes_and_needs_the_family_name(qtbot: QtBot, fixture_ctx: AppContext,
                                                                  tmp_path: Path) -> None:
    client_id, _ = client_with_photo(fixture_ctx, tmp_path)
    dialog = EraseClientDialog(None, E.erasure_preview(fixture_ctx, client_id))
    qtbot.addWidget(dialog)
    text = dialog.findChild(object, "erasureText").toPlainText()
    for words in ("Olwen Pryce-Erased", "1 visit", "1 photo", "cannot be undone", "/media/usb"):
        assert words in text
    assert dialog.cancel_button.isDefault() and not dialog.erase_button.isDefault()
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText("Pryce")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm.setText("  pryce-erased ")
    assert dialog.erase_button.isEnabled()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.buttonRole(dialog.erase_button) == QDialogButtonBox.ButtonRole.DestructiveRole


def test_cancel_leaves_everything_and_confirm_erases(window: MainWindow, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = window.session.ctx
    client_id, photo = client_with_photo(ctx, tmp_path)
    window.clients.refresh()
    seen = answer(monkeypatch, typed="Pryce-Erased", erase=False)
    menu_action(window, "eraseClientAction").trigger()
    assert len(seen) == 1 and C.get_client(ctx, client_id).display_name == "Olwen Pryce-Erased"
    assert ctx.photo_store.path_for(photo.sha256).exists() and window.clients.model.rowCount() == 1

    answer(monkeypatch, typed="Pryce-Erased", erase=True)
    menu_action(window, "eraseClientAction").trigger()
    with pytest.raises(NotFoundError):
        C.get_client(ctx, client_id)
    assert not ctx.photo_store.path_for(photo.sha256).exists()
    assert window.clients.model.rowCount() == 0
    assert window.session.last_dialog.text() == "Olwen Pryce-Erased was erased."


def test_erasing_runs_on_the_task_runner_and_refreshes_the_list(fixture_ctx: AppContext, qtbot: QtBot,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    runner = TaskRunner()
    session = Session(fixture_ctx, runner)
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    client_id, _ = client_with_photo(fixture_ctx, tmp_path)
    window.clients.refresh()
    seen = answer(monkeypatch, typed="Pryce-Erased", erase=True)
    try:
        with qtbot.waitSignal(runner.task_finished):   # the preview
            menu_action(window, "eraseClientAction").trigger()
        assert seen and runner.active == 1              # confirmed; the erasure is running in a worker
        qtbot.waitUntil(lambda: window.clients.model.rowCount() == 0)
        assert C.list_clients(fixture_ctx) == [] and E.deleted_clients(fixture_ctx) == []
    finally:
        runner.shutdown()


def test_erase_deleted_photos_of_a_client(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = window.session.ctx
    client_id, photo = client_with_photo(ctx, tmp_path)
    window.clients.refresh()
    menu_action(window, "erasePhotosAction").trigger()
    assert "no deleted photos" in window.session.last_dialog.text()
    P.delete_photo(ctx, photo.id)
    boxes: list[QMessageBox] = []

    def ask(parent, preview) -> bool:  # noqa: ANN001
        box = erase_photos_box(parent, preview)
        boxes.append(box)
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.findChild(object, "erasePhotosConfirm").click()
        return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole

    monkeypatch.setattr(window.clients.eraser, "ask_photos", ask)
    menu_action(window, "erasePhotosAction").trigger()
    assert "1 deleted photo" in boxes[0].text()
    assert not ctx.photo_store.path_for(photo.sha256).exists()
    assert C.get_client(ctx, client_id) is not None   # the client stays


def test_a_deleted_client_is_listed_with_show_deleted_and_can_be_restored(window: MainWindow, tmp_path: Path) -> None:
    ctx = window.session.ctx
    client_id, _ = client_with_photo(ctx, tmp_path)
    screen = window.clients
    screen.refresh()
    screen.delete_client(client_id, "Olwen Pryce-Erased")
    assert screen.model.rowCount() == 0
    screen.show_deleted.setChecked(True)
    assert screen.model.index(0, 0).data() == "Olwen Pryce-Erased (deleted)"
    assert [a.text() for a in screen.client_menu().actions()] == ["Restore", "Erase deleted photos…",
                                                                   "Erase permanently…"]
    screen.client_menu().actions()[0].trigger()
    assert screen.model.index(0, 0).data() == "Olwen Pryce-Erased" and E.deleted_clients(ctx) == []


def test_the_first_show_sweeps_what_interrupted_work_left(window: MainWindow) -> None:
    store = window.session.ctx.photo_store
    orphan = store.path_for(hashlib.sha256(b"killed during import").hexdigest())
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"no row points here")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    window.show_initial()
    assert not orphan.exists()
