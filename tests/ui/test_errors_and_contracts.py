"""Error dialogs, crash handling and per-screen contracts (objectName, accessible inputs)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from homeassess.domain.errors import StorageError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.ui.application import _install_excepthook
from homeassess.ui.main_window import MainWindow


def test_storage_error_shows_a_plain_dialog_and_status(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(*_a: object, **_k: object) -> None:
        raise StorageError("The disk is full, so changes cannot be saved. Free some space and try again.")

    client, _ = C.create_client(window.session.ctx, given_name="A", family_name="B")
    window.show_client(client.id)
    monkeypatch.setattr(C, "update_client", full_disk)
    window.editor.texts["phone"].widget.setText("0123")
    window.editor.texts["phone"].flush()
    box = window.session.last_dialog
    assert box.windowTitle() == "Couldn't save" and "disk is full" in box.text()
    assert "still on screen" in box.informativeText()
    assert window.saved.text().startswith("Couldn't save")
    assert window.editor.texts["phone"].widget.text() == "0123"


def test_unexpected_error_shows_crash_dialog_and_writes_the_log(window: MainWindow, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shown = []
    monkeypatch.setattr("homeassess.ui.application.crash_dialog",
                        lambda parent, exc, log_dir: type("Box", (), {"open": lambda self: shown.append(exc)})())
    old = sys.excepthook
    try:
        _install_excepthook(window, tmp_path)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert [str(e) for e in shown] == ["boom"]


def test_crash_dialog_offers_details_and_log_folder(window: MainWindow, tmp_path: Path) -> None:
    from homeassess.ui.errors import crash_dialog

    try:
        raise ValueError("bad thing")
    except ValueError as exc:
        box = crash_dialog(window, exc, tmp_path)
    assert "ValueError: bad thing" in box.detailedText()
    labels = {b.text() for b in box.buttons()}
    assert {"Copy details", "Open log folder"} <= labels


def screens(window: MainWindow) -> list[QWidget]:
    return [window.clients, window.editor, window.visit, window.visit.overview, window.visit.room_editor,
            window.visit.recommendations, window.visit.costs, window.visit.follow_up, window.visit.report]


def test_every_screen_has_a_name_and_accessible_inputs(window: MainWindow) -> None:
    client, _ = C.create_client(window.session.ctx, given_name="A", family_name="B")
    visit, _ = A.create_assessment(window.session.ctx, client.id)
    room, _ = A.add_room(window.session.ctx, visit.id, "demo_room")
    window.show_client(client.id)
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    window.visit.start_follow_up()  # a follow-up visit shows the follow-up review as well
    for screen in screens(window):
        assert screen.objectName(), f"{type(screen).__name__} has no objectName"
        for widget in screen.findChildren(QWidget):
            if isinstance(widget, (QLineEdit, QPlainTextEdit, QComboBox)) and widget.isVisibleTo(screen):
                if widget.parent() is not None and type(widget.parent()).__name__ in ("QComboBox", "QSpinBox", "QDateEdit", "QDoubleSpinBox"):
                    continue
                assert widget.accessibleName(), f"{type(screen).__name__}: {widget.objectName()} unnamed"


def test_touch_targets_are_at_least_40px(window: MainWindow) -> None:
    client, _ = C.create_client(window.session.ctx, given_name="A", family_name="B")
    visit, _ = A.create_assessment(window.session.ctx, client.id)
    room, _ = A.add_room(window.session.ctx, visit.id, "demo_room")
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    for widget in window.visit.room_editor.findChildren(QAbstractButton):
        if widget.isVisibleTo(window.visit.room_editor) and widget.property("answer"):
            assert widget.minimumHeight() >= 40
