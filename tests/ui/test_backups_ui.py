"""Settings ▸ Backups (issue 14): the list of backups, Back up now, restore with a confirmation, the second
location and the backups folder; at the size of a small tablet and by keyboard."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import backups as B
from homeassess.services import clients as C
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens import backups as screen
from homeassess.ui.screens.backups import EMPTY, BackupsWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner
from homeassess.ui.widgets.style import APP_STYLE
from tests.ui.test_small_screens import check, settle

WINTER = datetime(2026, 3, 9, 10, 30)   # GMT in London
SUMMER = datetime(2026, 7, 1, 14, 5)    # 15:05 BST


@pytest.fixture(autouse=True)
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times are shown in local time; pin the zone so the expected words are fixed."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def records(ctx: AppContext, clients: int = 2, first: int = 0) -> None:
    """``clients`` clients, the first of them with a visit."""
    for n in range(first, first + clients):
        client, _ = C.create_client(ctx, given_name=f"Client {n}", family_name="Backup")
        if n == first:
            A.create_assessment(ctx, client.id)


def two_backups(ctx: AppContext) -> None:
    records(ctx, 1)
    assert B.create_backups(ctx, reason="daily", now=WINTER).made
    records(ctx, 2, first=1)
    assert B.create_backups(ctx, reason="close", now=SUMMER).made


def rows(win: BackupsWindow) -> list[tuple[str, ...]]:
    model = win.model
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def answer_restore_box(monkeypatch: pytest.MonkeyPatch, button: str, seen: list[QMessageBox]) -> None:
    """Instead of waiting for a person, click ``button`` of the confirmation as it opens."""
    def exec_(box: QMessageBox) -> int:
        seen.append(box)
        box.findChild(QPushButton, button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_the_table_lists_each_backup_newest_first_with_its_counts(window: MainWindow, qtmodeltester) -> None:  # noqa: ANN001
    two_backups(window.session.ctx)
    win = window.show_backups()
    assert win.isVisible() and not win.isModal()
    assert win.list_stack.currentWidget() is win.table
    assert [r[:2] for r in rows(win)] == [("Wed 1 Jul 2026, 15:05", "When HomeAssess closed"),
                                          ("Mon 9 Mar 2026, 10:30", "Daily")]
    assert [r[3:] for r in rows(win)] == [("3", "2", "0", "This computer"), ("1", "1", "0", "This computer")]
    assert all(r[2].endswith(" kB") for r in rows(win))
    assert win.folder_field.text() == str(window.session.ctx.data_dir / "backups")
    qtmodeltester.check(win.model)
    assert window.show_backups() is win


def test_no_backups_says_when_they_are_made(window: MainWindow) -> None:
    win = window.show_backups()
    assert win.list_stack.currentWidget() is win.empty and win.empty.text() == EMPTY
    assert not win.restore_button.isEnabled() and not win.open_folder.isEnabled()


def test_size_and_kind_words() -> None:
    assert [screen.size_text(n) for n in (300, 48_400, 2_345_678, 3_100_000_000)] == ["1 kB", "48 kB", "2.3 MB",
                                                                                        "3.1 GB"]
    from homeassess.domain.backup_reasons import BackupReason

    assert {screen._kind(r.value) for r in BackupReason} == {"Daily", "When HomeAssess closed", "Made by you",
                                                            "Before an upgrade", "Before a restore"}
    assert screen._kind("from-the-future") == "From-the-future"


def test_back_up_now_runs_in_the_background_and_adds_a_backup(fixture_ctx: AppContext, qtbot: QtBot) -> None:
    records(fixture_ctx)
    tasks = TaskRunner()
    session = Session(fixture_ctx, tasks)
    session.show_dialogs = False
    win = BackupsWindow(session, restore=lambda _name: None)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.list_stack.currentWidget() is win.empty)
    qtbot.mouseClick(win.back_up, Qt.MouseButton.LeftButton)
    assert win.spinner.isVisible() and not win.back_up.isEnabled() and "Backing up" in win.status.text()
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    assert rows(win)[0][1:] == ("Made by you", rows(win)[0][2], "2", "1", "0", "This computer")
    assert win.status.text() == "Backup made on this computer."
    assert not win.spinner.isVisible() and win.back_up.isEnabled() and win.open_folder.isEnabled()
    tasks.shutdown()


def test_back_up_now_names_a_second_location_that_is_missing(window: MainWindow, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    B.set_second_location(window.session.ctx, usb)
    usb.rmdir()   # the stick is unplugged
    win = window.show_backups()
    win.back_up.click()
    assert win.model.rowCount() == 1
    assert win.status.text() == (f"Backup made on this computer. The backup location {usb} is not available "
                                 "(is the drive plugged in?).")
    assert "B91C1C" in win.status.styleSheet()


def test_restore_asks_first_and_cancel_changes_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    two_backups(window.session.ctx)
    asked: list[str] = []
    monkeypatch.setattr(window, "restore_and_reopen", asked.append)
    win = window.show_backups()
    assert not win.restore_button.isEnabled()
    win.table.selectRow(1)
    seen: list[QMessageBox] = []
    answer_restore_box(monkeypatch, "cancelRestore", seen)
    win.restore_button.click()
    box = seen[0]
    assert box.text() == "Restore the backup from Mon 9 Mar 2026, 10:30?"
    for words in ("This backup, with 1 client and 1 visit, replaces what you have now", "backed up first",
                  "set-aside folder", "closes and opens again"):
        assert words in box.informativeText()
    assert box.defaultButton() is box.findChild(QPushButton, "cancelRestore")
    assert box.escapeButton() is box.findChild(QPushButton, "cancelRestore")
    assert asked == [] and window.isVisible()


def test_confirmed_restore_hands_the_selected_backup_to_the_main_window(window: MainWindow,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    two_backups(window.session.ctx)
    asked: list[str] = []
    monkeypatch.setattr(window, "restore_and_reopen", asked.append)
    win = window.show_backups()
    win.table.selectRow(1)
    seen: list[QMessageBox] = []
    answer_restore_box(monkeypatch, "confirmRestore", seen)
    win.restore_button.click()
    assert asked == ["2026-03-09T103000Z-daily"]


def test_second_location_choose_and_stop(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = window.session.ctx
    records(ctx)
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(usb))
    win = window.show_backups()
    assert win.second_field.text() == "None" and not win.stop.isEnabled()
    win.choose.click()
    assert B.second_location(ctx) == usb and win.second_field.text() == str(usb) and win.stop.isEnabled()
    assert win.second_error.isHidden()
    win.back_up.click()
    assert sorted(r[-1] for r in rows(win)) == sorted([str(usb), "This computer"])
    assert win.status.text() == f"Backup made on this computer and in {usb}."
    win.stop.click()
    assert B.second_location(ctx) is None and win.second_field.text() == "None" and not win.stop.isEnabled()
    assert [r[-1] for r in rows(win)] == ["This computer"]


def test_a_folder_that_does_not_exist_is_refused_beside_the_field(window: MainWindow, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tmp_path / "not-plugged-in"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(gone))
    win = window.show_backups()
    win.choose.click()
    assert win.second_error.isVisible() and str(gone) in win.second_error.text()
    assert "is not a folder that exists" in win.second_error.text()
    assert window.session.last_dialog is None and QApplication.activeModalWidget() is None
    assert B.second_location(window.session.ctx) is None and win.second_field.text() == "None"


def test_open_folder_says_where_it_is_when_nothing_can_open_it(window: MainWindow,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    records(window.session.ctx)
    B.create_backups(window.session.ctx, reason="manual", now=WINTER)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) and False)
    win = window.show_backups()
    win.open_folder.click()
    assert opened == [str(window.session.ctx.data_dir / "backups")]
    assert win.folder_error.isVisible() and str(window.session.ctx.data_dir / "backups") in win.folder_error.text()


def test_reached_from_settings_and_from_the_file_menu(window: MainWindow) -> None:
    settings = window.show_settings()
    settings.findChild(QPushButton, "openBackups").click()
    win = window.windows["backups"]
    assert win.isVisible()
    win.close()
    window.actions_by_name["backupsAction"].trigger()
    assert window.windows["backups"] is win and win.isVisible()


def test_a_backup_can_be_chosen_and_restored_by_keyboard(window: MainWindow, qtbot: QtBot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    two_backups(window.session.ctx)
    asked: list[str] = []
    monkeypatch.setattr(window, "restore_and_reopen", asked.append)
    answer_restore_box(monkeypatch, "confirmRestore", [])
    win = window.show_backups()
    win.table.setFocus()
    qtbot.keyClick(win.table, Qt.Key.Key_Down)
    assert win.restore_button.isEnabled()
    order, widget = [], win.table.nextInFocusChain()
    while widget is not win.table and len(order) < 50:
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    named = [n for n in order if n in ("backUpNow", "restoreBackup", "chooseSecondLocation", "stopSecondLocation",
                                       "openBackupsFolder")]
    assert named == ["backUpNow", "restoreBackup", "chooseSecondLocation", "stopSecondLocation", "openBackupsFolder"]
    assert win.findChild(QPushButton, "restoreBackup").text() == "&Restore…"   # Alt+R
    qtbot.keyClick(win.restore_button, Qt.Key.Key_Space)
    assert asked == ["2026-07-01T140500Z-close"]


@pytest.mark.parametrize("size", [(1024, 600), (1024, 640)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_window_fits_a_small_tablet(window: MainWindow, tmp_path: Path, size: tuple[int, int]) -> None:
    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(APP_STYLE)
    try:
        ctx = window.session.ctx
        two_backups(ctx)
        B.set_second_location(ctx, tmp_path)
        win = window.show_backups()
        win.second_error.setText("Some folder is not a folder that exists. Plug in the drive or choose another.")
        win.second_error.show()
        settle()
        width, height = size[0], size[1] - 40
        hint = win.minimumSizeHint()
        assert hint.width() <= width and hint.height() <= height, hint
        win.resize(min(win.width(), width), min(win.height(), height))
        check(win, "backups")
        assert win.table.height() >= 120
    finally:
        app.setStyleSheet(before)
