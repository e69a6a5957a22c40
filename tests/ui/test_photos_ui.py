"""Photo strip, drag and drop onto items, mark-up editor, thumbnails and phone import."""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QPixmap
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from homeassess.domain.annotations import ShapeKind
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import photos as P
from homeassess.services.visit_record import record_verbal_consent
from homeassess.ui.main_window import MainWindow
from homeassess.ui.models.photos import PhotoListModel
from homeassess.ui.screens.annotation_editor import AnnotationEditor
from tests.photo_helpers import make_jpeg


def open_room(window: MainWindow) -> tuple[str, str]:
    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    visit, _ = A.create_assessment(ctx, client.id)
    record_verbal_consent(ctx, visit.id, given_by="Zoë Ångström-Nuñez")  # photos need photo consent
    room, _ = A.add_room(ctx, visit.id, "demo_room")
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    return visit.id, room.id


def test_import_into_the_room_reports_bad_files_and_undo_removes(window: MainWindow, tmp_path: Path) -> None:
    visit_id, room_id = open_room(window)
    strip = window.visit.room_editor.photos
    good = make_jpeg(tmp_path / "hall.jpg", (1200, 900))
    (tmp_path / "oops.jpg").write_text("text")
    strip.import_paths([good, tmp_path / "oops.jpg"])
    assert strip.model.rowCount() == 1
    assert "oops.jpg: not an image" in strip.status.text()
    window.undo_action.trigger()
    assert strip.model.rowCount() == 0 and P.list_photos(window.session.ctx, visit_id) == []
    window.redo_action.trigger()
    assert strip.model.rowCount() == 1


def test_dropping_files_on_an_item_links_the_photo_to_it(window: MainWindow, tmp_path: Path) -> None:
    visit_id, _ = open_room(window)
    item = window.visit.room_editor.widgets["demo_room.rail"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_jpeg(tmp_path / "rail.jpg", (800, 600))))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    item.dropEvent(event)
    [photo] = P.list_photos(window.session.ctx, visit_id)
    assert photo.item_id == "demo_room.rail"


def test_mark_up_is_saved_as_shapes_and_undoable(window: MainWindow, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    visit_id, _ = open_room(window)
    strip = window.visit.room_editor.photos
    strip.import_paths([make_jpeg(tmp_path / "step.jpg", (1600, 1200))])
    strip.view.setCurrentIndex(strip.model.index(0))
    shapes = [{"kind": "arrow", "points": [[0.1, 0.1], [0.5, 0.5]], "text": "", "colour": "#E11D48", "width": 0.006}]
    monkeypatch.setattr(AnnotationEditor, "ask", classmethod(lambda cls, parent, pixmap, old: shapes))
    strip.mark_up()
    [photo] = P.list_photos(window.session.ctx, visit_id)
    assert photo.annotations[0]["kind"] == "arrow"
    window.undo_action.trigger()
    assert P.list_photos(window.session.ctx, visit_id)[0].annotations == ()


def test_annotation_canvas_turns_drags_into_every_kind_of_shape(qtbot: QtBot) -> None:
    pixmap = QPixmap(400, 300)
    pixmap.fill(Qt.GlobalColor.white)
    editor = AnnotationEditor(None, pixmap, [])
    qtbot.addWidget(editor)
    canvas = editor.canvas
    canvas.ask_text = lambda _title: ("step 190 mm", True)
    for kind in ShapeKind:
        canvas.tool = kind
        canvas.add_shape([(0.2, 0.2), (0.4, 0.3), (0.6, 0.6)])
    assert [s["kind"] for s in editor.shapes()] == [k.value for k in ShapeKind]
    assert editor.shapes()[-1]["text"] == "step 190 mm"
    canvas.undo_last()
    assert len(editor.shapes()) == len(ShapeKind) - 1


def test_thumbnails_load_in_the_background_and_model_is_sound(window: MainWindow, tmp_path: Path, qtbot: QtBot,
                                                            qtmodeltester) -> None:  # noqa: ANN001
    visit_id, room_id = open_room(window)
    stored = window.session.ctx.photo_store.ingest(make_jpeg(tmp_path / "a.jpg", (900, 600)))
    P.attach_photos(window.session.ctx, room_id, [stored])
    model = PhotoListModel(window.session)
    model.set_photos(P.list_photos(window.session.ctx, visit_id))
    model.data(model.index(0), Qt.ItemDataRole.DecorationRole)  # asks for the thumbnail
    qtbot.waitUntil(lambda: bool(model._icons))
    assert not model.data(model.index(0), Qt.ItemDataRole.DecorationRole).isNull()
    qtmodeltester.check(model)


def test_phone_photos_get_rooms_suggested_from_capture_time(window: MainWindow, tmp_path: Path) -> None:
    ctx = window.session.ctx
    visit_id, room_id = open_room(window)
    A.set_answer(ctx, room_id, "demo_room.rail", value="yes")  # the room was assessed "now" (fixed clock)
    when = ctx.clock.now()
    local = when.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)  # what a phone clock shows
    shot = make_jpeg(tmp_path / "IMG_1.jpg", (800, 600), taken=local.strftime("%Y:%m:%d %H:%M:%S"))
    late = make_jpeg(tmp_path / "IMG_2.jpg", (800, 600), taken="2001:01:01 00:00:00")
    seen = {}

    class FakeDialog:
        def __init__(self, parent, rows, rooms, errors) -> None:  # noqa: ANN001
            seen["suggested"] = [s for _p, _t, s in rows]
            self.rows = rows

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

        def choices(self) -> list:
            return [s for _p, _t, s in self.rows]

    importer = window.visit.overview.phone_import
    importer.ask = FakeDialog
    importer.start(visit_id, window.visit.stack, [shot, late])
    assert seen["suggested"] == [room_id, None]
    [photo] = P.list_photos(ctx, visit_id)
    assert photo.original_filename == "IMG_1.jpg" and photo.room_id == room_id
    window.undo_action.trigger()
    assert P.list_photos(ctx, visit_id) == []


def test_photo_can_be_linked_to_a_finding(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    visit_id, room_id = open_room(window)
    A.set_answer(window.session.ctx, room_id, "demo_room.rail", value="no")
    strip = window.visit.room_editor.photos
    strip.import_paths([make_jpeg(tmp_path / "rail.jpg", (800, 600))])
    strip.view.setCurrentIndex(strip.model.index(0))
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda *a, **k: ("Finding: No rail at the step", True)))
    strip.link()
    [photo] = P.list_photos(window.session.ctx, visit_id)
    assert photo.item_id == "demo_room.rail" and photo.finding_id is not None
    window.undo_action.trigger()
    assert P.list_photos(window.session.ctx, visit_id)[0].finding_id is None
