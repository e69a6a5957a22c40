"""Consent dialog with the signature pad, verbal consent, the finish-visit dialog and addenda (issue 12)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import photos as P
from homeassess.services import visit_record as V
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.consent import ConsentDialog
from homeassess.ui.screens.sign_off import AddendumDialog, FinishVisitDialog
from homeassess.ui.session import Session
from homeassess.ui.widgets.signature_pad import SignatureCanvas
from tests.photo_helpers import make_jpeg


def new_visit(session: Session) -> tuple[str, str]:
    ctx = session.ctx
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez",
                                contacts=[{"name": "Ingrid Ångström", "relationship": "daughter"}])
    visit, _ = A.create_assessment(ctx, client.id, therapist_name="Sam Patel", therapist_registration="OT61234")
    room, _ = A.add_room(ctx, visit.id, "demo_room")
    return visit.id, room.id


def sign(qtbot: QtBot, canvas: SignatureCanvas) -> None:
    """Two strokes with the mouse (pens and fingers reach the pad as the same events)."""
    for points in ([QPoint(20, 60), QPoint(60, 40), QPoint(100, 80), QPoint(140, 50)],
                   [QPoint(160, 90), QPoint(220, 70)]):
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0])
        for point in points[1:]:
            qtbot.mouseMove(canvas, point)
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1])


def check_contract(dialog: QWidget) -> None:
    assert dialog.objectName()
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QComboBox)) and widget.isVisibleTo(dialog):
            if type(widget.parent()).__name__ not in ("QComboBox", "QSpinBox"):
                assert widget.accessibleName(), widget.objectName()


def test_signature_pad_records_strokes_and_consent_is_saved_with_it(session: Session, qtbot: QtBot) -> None:
    visit_id, _ = new_visit(session)
    dialog = ConsentDialog(session, visit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    check_contract(dialog)
    assert dialog.people() == (V.SharePerson("Ingrid Ångström", "daughter"),), "offered from the client's contacts"
    assert not dialog.photos_teaching.isChecked(), "teaching and research is off unless asked"
    canvas = dialog.pad.canvas
    sign(qtbot, canvas)
    assert len(canvas.strokes) == 2 and not canvas.is_empty()
    qtbot.mouseClick(dialog.findChild(QWidget, "consentPadUndo"), Qt.MouseButton.LeftButton)
    assert len(canvas.strokes) == 1
    qtbot.mouseClick(dialog.findChild(QWidget, "consentPadClear"), Qt.MouseButton.LeftButton)
    assert canvas.is_empty()
    dialog.save_button.click()
    assert dialog.error.isVisibleTo(dialog) and "sign on the pad" in dialog.error.text()
    assert V.current_consent(session.ctx, visit_id) is None
    sign(qtbot, canvas)
    with qtbot.waitSignal(dialog.consent_recorded):
        dialog.save_button.click()
    consent = V.current_consent(session.ctx, visit_id)
    assert consent is not None and consent.method is V.ConsentMethod.SIGNED and consent.photos_record
    assert consent.given_by == "Zoë Ångström-Nuñez" and consent.recorded_by == "Sam Patel"
    png = V.consent_signature(session.ctx, visit_id)
    assert png is not None and png.startswith(b"\x89PNG")


def test_verbal_consent_is_witnessed_and_a_change_keeps_the_history(session: Session, qtbot: QtBot) -> None:
    visit_id, _ = new_visit(session)
    dialog = ConsentDialog(session, visit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.verbal, Qt.MouseButton.LeftButton)
    assert not dialog.pad.isVisibleTo(dialog) and dialog.witness.isVisibleTo(dialog)
    assert dialog.witness.text() == "Sam Patel"
    dialog.photos_record.setChecked(False)
    with qtbot.waitSignal(dialog.consent_recorded):
        dialog.save_button.click()
    again = ConsentDialog(session, visit_id)
    qtbot.addWidget(again)
    assert again.verbal.isChecked() and not again.photos_record.isChecked()
    assert "Recorded before" in again.history.text()
    again.photos_record.setChecked(True)
    again.save_button.click()
    assert [(c.seq, c.photos_record) for c in V.consent_history(session.ctx, visit_id)] == [(1, False), (2, True)]
    assert V.current_consent(session.ctx, visit_id).how == ("Verbal consent from Zoë Ångström-Nuñez (client), "
                                                           "witnessed by Sam Patel")


def test_photo_strip_says_photo_consent_is_needed(window: MainWindow, tmp_path: Path) -> None:
    visit_id, room_id = new_visit(window.session)
    window.open_visit(visit_id)
    window.visit.show_room(room_id)
    strip = window.visit.room_editor.photos
    strip.import_paths([make_jpeg(tmp_path / "hall.jpg", (800, 600))])
    assert "Record photo consent on the visit overview first" in strip.status.text()
    assert P.list_photos(window.session.ctx, visit_id) == []


def test_overview_finish_visit_resolves_signs_and_locks(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    visit_id, room_id = new_visit(session)
    window.open_visit(visit_id)
    overview = window.visit.overview
    assert "Consent not recorded" in overview.consent_line.text()
    assert "In progress" in overview.status_line.text()
    overview.consent_button.click()
    consent = overview.dialog
    assert isinstance(consent, ConsentDialog)
    consent.verbal.setChecked(True)
    consent.save_button.click()
    qtbot.waitUntil(lambda: "Verbal consent" in overview.consent_line.text())
    overview.finish_button.click()
    finish = overview.dialog
    assert isinstance(finish, FinishVisitDialog)
    check_contract(finish)
    assert not finish.sign_button.isEnabled() and "still unanswered" in finish.problems.text()
    room_item = finish.tree.topLevelItem(0)
    rail = next(room_item.child(i) for i in range(room_item.childCount())
                if room_item.child(i).text(0) == "Rail beside the step")
    finish.tree.setCurrentItem(rail)
    finish.findChild(QWidget, "answerNa").click()
    assert A.room_answers(session.ctx, room_id)["demo_room.rail"].value == "na"
    door = finish.tree.topLevelItem(0).child(0)
    assert door.text(0) == "Clear width of the door"
    finish.tree.setCurrentItem(door)
    finish.findChild(QWidget, "answerYes").click()
    assert "needs its own answer" in finish.outstanding_error.text()
    finish.reason.setText("room locked")
    finish.tree.setCurrentItem(finish.tree.topLevelItem(0))   # the whole room
    finish.findChild(QWidget, "markNotAssessed").click()
    assert finish.tree.topLevelItemCount() == 0 and finish.sign_button.isEnabled()
    assert [x.text for x in V.list_not_assessed(session.ctx, visit_id)] == ["Demo room (whole room) — room locked"]
    finish.typed.setChecked(True)
    assert not finish.pad.isVisibleTo(finish)
    with qtbot.waitSignal(finish.signed_off):
        finish.sign_button.click()
    assert V.visit_status(session.ctx, visit_id).label == "Signed off 10/03/2026 by Sam Patel"
    qtbot.waitUntil(lambda: "Signed off 10/03/2026 by Sam Patel" in overview.status_line.text())
    assert overview.finish_button.text() == "Add addendum…"
    window.show_clients()
    window.clients.refresh()
    texts = [window.clients.visits.item(i).text() for i in range(window.clients.visits.count())]
    assert any("Signed off 10/03/2026 by Sam Patel" in t for t in texts), texts


def test_finish_dialog_signs_on_the_pad(session: Session, qtbot: QtBot) -> None:
    visit_id, room_id = new_visit(session)
    V.record_verbal_consent(session.ctx, visit_id, given_by="Zoë Ångström-Nuñez")
    V.mark_not_assessed(session.ctx, room_id)
    dialog = FinishVisitDialog(session, visit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.sign_button.click()
    assert "Sign on the pad" in dialog.error.text()
    sign(qtbot, dialog.pad.canvas)
    with qtbot.waitSignal(dialog.signed_off):
        dialog.sign_button.click()
    assert V.sign_off_signature(session.ctx, visit_id).startswith(b"\x89PNG")


def test_addendum_dialog_adds_a_dated_note_about_a_finding(session: Session, qtbot: QtBot) -> None:
    visit_id, room_id = new_visit(session)
    A.set_answer(session.ctx, room_id, "demo_room.rail", value="no")
    V.record_verbal_consent(session.ctx, visit_id, given_by="Zoë Ångström-Nuñez")
    V.mark_not_assessed(session.ctx, room_id)
    V.sign_off(session.ctx, visit_id, V.SignOffInput(name="Sam Patel", registration="OT61234",
                                                     signed_on=session.ctx.clock.today()))
    dialog = AddendumDialog(session, visit_id)
    qtbot.addWidget(dialog)
    dialog.show()
    check_contract(dialog)
    dialog.findChild(QWidget, "addendumSave").click()
    assert "Write the addendum" in dialog.error.text()
    dialog.concerns.setCurrentIndex(dialog.concerns.findText("Finding: No rail at the step (Demo room)"))
    dialog.text.setPlainText("Rail fitted on 12/03 by the council.")
    with qtbot.waitSignal(dialog.addendum_added):
        dialog.findChild(QWidget, "addendumSave").click()
    [note] = V.list_addenda(session.ctx, visit_id)
    assert note.line == ("Addendum 10/03/2026 by Sam Patel (about: No rail at the step): "
                         "Rail fitted on 12/03 by the council.")
