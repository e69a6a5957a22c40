"""A locked visit on screen (services/visit_lock.py): signed off, held by a laptop (seen on the team
server) or a laptop's read-only copy. What the lock refuses cannot be typed or clicked at all; what
stays usable is listed here input by input, and each is something the services still accept."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QWidget,
)
from pytestqt.qtbot import QtBot

from homeassess.checklists.registry import Registry
from homeassess.domain.lifecycle import MOVES, Status
from homeassess.services import assessments as A
from homeassess.services import followup as F
from homeassess.services import photos as P
from homeassess.services import team as T
from homeassess.services import visit_record as V
from homeassess.services.context import AppContext, Clock
from homeassess.services.visit_lock import LockReason, visit_lock
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.annotation_editor import AnnotationEditor
from homeassess.ui.screens.bundles import IMPORTED
from homeassess.ui.screens.sign_off import AddendumDialog, FinishVisitDialog
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner
from homeassess.ui.widgets.camera import camera_available
from tests.photo_helpers import make_jpeg
from tests.ui.test_consent_signoff_ui import new_visit
from tests.ui.test_team_ui import laptop, seed

pytestmark = pytest.mark.gui
INPUTS = (QPushButton, QCheckBox, QRadioButton, QComboBox, QLineEdit, QPlainTextEdit, QAbstractSpinBox)

# What a lock takes away on the overview and the costs page (the visit's own record).
OVERVIEW_RECORD = {
    "field_visit_date", "field_standard", "field_units", "field_therapist_name", "field_therapist_profession",
    "field_therapist_registration", "field_organisation", "field_property_type", "field_tenure",
    "field_referral_reason", "field_people_present", "field_property_notes", "roomTypeCombo", "addRoomButton",
    "renameRoomButton", "moveUpButton", "moveDownButton", "removeRoomButton", "phoneImportButton",
}
# Steps that follow a visit: consent may change, addenda are added, FES-I is an outcome (services allow them).
OVERVIEW_AFTER_SIGN_OFF = {"consentButton", "finishVisitButton", "field_fes_i"}
OVERVIEW_ALWAYS = {"openRoomButton", "startFollowUpButton"}   # navigation; a follow-up is a new visit
COSTS_RECORD = {"budgetCap", "orderUrgency", "requiredBySet", "orderType", "header_therapist_phone",
                "header_therapist_email", "header_delivery_address", "header_delivery_contact", "header_access_notes",
                "header_safety_alerts", "toSpecifyChooseButton"}
COSTS_ALWAYS = {"openCatalogueButton", "orderPdfButton", "orderCsvButton"}
RECS_AFTER_SIGN_OFF_FIELDS = {"statusDate", "statusWhy", "statusDecidedBy"}
PHOTO_RECORD = {"photo_add", "photo_folder", "photo_caption", "photo_link", "photo_left", "photo_right",
                "photo_delete"} | ({"photo_camera"} if camera_available()[0] else set())


def usable(page: QWidget) -> set[str]:
    """The inputs on ``page`` that could change something, by object name (text fields: not read-only)."""
    QApplication.processEvents()   # rows a page has just added are shown by a queued call
    names = set()
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue
        if widget.isVisibleTo(page) and widget.isEnabled() and not getattr(widget, "isReadOnly", lambda: False)():
            names.add(widget.objectName() or f"<{type(widget).__name__} {widget.accessibleName()}>")
    return names


def sign_off_demo(ctx: AppContext, visit_id: str) -> None:
    """The demo visit has consent and one item left: mark that room not assessed, then sign."""
    for room, _items in V.outstanding_items(ctx, visit_id):
        V.mark_not_assessed(ctx, room.id, reason="client tired")
    V.sign_off(ctx, visit_id, V.SignOffInput(name="Sam Patel", registration="OT61234", signed_on=ctx.clock.today()))


def open_window(ctx: AppContext, qtbot: QtBot, visit_id: str) -> MainWindow:
    session = Session(ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.open_visit(visit_id)
    return window


def status_steps(window: MainWindow) -> set[str]:
    """The lifecycle steps the selected recommendation can take (and the one it is at)."""
    rec = window.visit.recommendations.current
    assert rec is not None
    return {f"status_{rec.status}"} | {f"status_{s.value}" for s in MOVES[Status(rec.status)]}


def room_inputs(window: MainWindow) -> dict[str, set[str]]:
    """Each room's usable inputs (its checklist and its photo strip)."""
    out = {}
    for room in A.list_rooms(window.session.ctx, window.visit.assessment_id):
        window.visit.show_room(room.id)
        out[room.name] = usable(window.visit.room_editor)
    return out


def test_a_signed_off_visit_leaves_only_what_can_still_be_done(demo_ctx: tuple[AppContext, str], qtbot: QtBot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, visit_id = demo_ctx
    sign_off_demo(ctx, visit_id)
    window = open_window(ctx, qtbot, visit_id)
    visit = window.visit
    assert visit.lock_banner.isVisible()
    assert visit.lock_banner.text().startswith("Signed off 10/03/2026 by Sam Patel — ")
    assert "add an addendum" in visit.lock_banner.text()
    assert usable(visit.overview) == OVERVIEW_AFTER_SIGN_OFF | OVERVIEW_ALWAYS
    assert visit.overview.finish_button.text() == "Add addendum…"
    visit.overview.finish_button.click()
    addendum = visit.overview.dialog
    assert isinstance(addendum, AddendumDialog)
    visit.overview.set_locked(visit.lock)   # the lock applied again leaves the dialog the page opened alone
    assert {"addendumText", "addendumSave"} <= usable(addendum)
    addendum.reject()
    rooms = room_inputs(window)
    assert len(rooms) == 9 and all(names == {"photo_markup"} for names in rooms.values()), rooms
    editor = visit.room_editor
    assert not editor.photos.acceptDrops() and not any(w.acceptDrops() for w in editor.widgets.values())
    assert editor.photos.buttons["markup"].text() == "View"
    visit.show_recommendations()
    assert usable(visit.recommendations) == status_steps(window) | RECS_AFTER_SIGN_OFF_FIELDS
    visit.show_costs()
    assert usable(visit.costs) == COSTS_ALWAYS
    # Reports and the history stay available.
    visit.show_report()
    with qtbot.waitSignal(visit.report.report_finished, timeout=30000):
        visit.report.generate.click()
    assert window.actions_by_name["visitHistoryAction"].isEnabled()


def test_an_open_visit_has_the_same_inputs_enabled(demo_ctx: tuple[AppContext, str], qtbot: QtBot) -> None:
    ctx, visit_id = demo_ctx
    window = open_window(ctx, qtbot, visit_id)
    visit = window.visit
    assert visit.lock is None and not visit.lock_banner.isVisible()
    assert usable(visit.overview) == OVERVIEW_RECORD | OVERVIEW_AFTER_SIGN_OFF | OVERVIEW_ALWAYS
    for name, names in room_inputs(window).items():
        assert PHOTO_RECORD | {"photo_markup", "itemNote", "answer_na"} <= names, name
    editor = visit.room_editor
    assert editor.photos.acceptDrops() and all(w.acceptDrops() for w in editor.widgets.values())
    visit.show_recommendations()
    assert {"addCustomButton", "rec_title", "rec_family_text", "rec_clinical_text", "recTier", "recTierReason",
            "applyTierButton", "recGoal", "orderCost", "chooseProductDialogButton"} <= usable(visit.recommendations)
    visit.show_costs()
    assert usable(visit.costs) == COSTS_RECORD | COSTS_ALWAYS


def test_a_signed_off_follow_up_review_stays_open(demo_ctx: tuple[AppContext, str], qtbot: QtBot) -> None:
    """Outcomes, goal scores, falls, FES-I and status steps are recorded after sign-off (services/followup.py)."""
    ctx, first = demo_ctx
    follow_up, _ = F.start_follow_up(ctx, first)
    V.record_verbal_consent(ctx, follow_up.id, given_by="Zoë Ångström-Nuñez")
    sign_off_demo(ctx, follow_up.id)
    window = open_window(ctx, qtbot, follow_up.id)
    window.visit.show_follow_up()
    page = window.visit.follow_up
    names = usable(page)
    rows, goals = page.table.rowCount(), len(page.view.goals)
    assert rows and goals
    assert names == ({"progressReportButton", "addAfterPhotoButton", "fallsSince", "fesITotal"}
                     | {f"outcome_{n}" for n in range(rows)} | {f"outcomeNote_{n}" for n in range(rows)}
                     | {f"goalLevel_{n}" for n in range(goals)} | {f"goalScale_{n}" for n in range(goals)}
                     | {f"recStatus_{n}" for n in range(len(page.selected_review().recommendations))})


def test_signing_off_in_the_window_locks_it_at_once(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    session = window.session
    visit_id, room_id = new_visit(session)
    V.record_verbal_consent(session.ctx, visit_id, given_by="Zoë Ångström-Nuñez")
    P.add_photos(session.ctx, visit_id, room_id, [make_jpeg(tmp_path / "hall.jpg", (800, 600))])
    window.open_visit(visit_id)
    visit = window.visit
    visit.show_room(room_id)
    editor = visit.room_editor
    editor.widgets["demo_room.rail"].buttons["no"].click()
    assert visit.stack.count() == 1 and visit.lock is None and not visit.lock_banner.isVisible()
    V.mark_not_assessed(session.ctx, room_id, reason="client tired")
    visit.show_overview()
    visit.overview.finish_button.click()
    finish = visit.overview.dialog
    assert isinstance(finish, FinishVisitDialog)
    finish.typed.setChecked(True)
    with qtbot.waitSignal(finish.signed_off):
        finish.sign_button.click()
    assert visit.lock is not None and visit.lock.reason is LockReason.SIGNED_OFF
    assert visit.lock_banner.isVisible() and visit.lock_banner.text().startswith("Signed off 10/03/2026 by Sam Patel")
    # The answer made before can no longer be undone: the step is gone, not refused with an error.
    assert visit.stack.count() == 0 and not window.undo_action.isEnabled()
    assert usable(visit.overview) == OVERVIEW_AFTER_SIGN_OFF | OVERVIEW_ALWAYS
    visit.show_room(room_id)
    assert usable(editor) == {"photo_markup"}
    rail = editor.widgets["demo_room.rail"]
    # The answer keys do nothing (as a click on a disabled button); nothing is tried, so nothing is refused.
    editor.set_current("demo_room.rail")
    for key in (Qt.Key.Key_Y, Qt.Key.Key_A, Qt.Key.Key_1, Qt.Key.Key_Delete):
        qtbot.keyClick(editor, key)
    assert A.room_answers(session.ctx, room_id)["demo_room.rail"].value == "no" and rail.buttons["no"].isChecked()
    assert not rail.line.has_message and editor.current == "demo_room.rail"
    qtbot.keyClick(editor, Qt.Key.Key_Down)   # moving on still works
    assert editor.current != "demo_room.rail"
    # A photo opens to be looked at, mark-up and all, with nothing to save.
    viewed: list[list] = []
    monkeypatch.setattr(AnnotationEditor, "view",
                        classmethod(lambda cls, _parent, _pixmap, shapes: viewed.append(shapes)))
    monkeypatch.setattr(AnnotationEditor, "ask", classmethod(lambda cls, *args: pytest.fail("opened for editing")))
    strip = editor.photos
    strip.view.setCurrentIndex(strip.model.index(0))
    assert strip.buttons["markup"].text() == "View" and "drop files" not in strip.heading.text()
    strip.buttons["markup"].click()
    assert viewed == [[]]


# -- team locks (a PostgreSQL server; skipped without HOMEASSESS_TEST_DATABASE_URL) --------------------------
def test_a_visit_a_laptop_checks_out_becomes_read_only_in_the_office(tmp_path: Path, pg_url: str,
                                                                     pg_ctx: AppContext, registry: Registry,
                                                                     clock: Clock, qtbot: QtBot) -> None:
    server = pg_ctx
    _, visit_id, room_id = seed(server)
    office = open_window(server, qtbot, visit_id)
    visit = office.visit
    assert visit.lock is None and "addRoomButton" in usable(visit.overview)
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    T.checkout(ctx, assessment_id=visit_id)
    # Nothing tells the office until it tries: the refusal is said in the banner and the visit locks.
    visit.show_room(room_id)
    editor = visit.room_editor
    editor.widgets["bathroom.handheld_shower"].buttons["yes"].click()
    assert "read-only here until it is checked in" in visit.lock_banner.text()
    assert visit.lock is not None and visit.lock.reason is LockReason.HELD
    assert A.room_answers(server, room_id).get("bathroom.handheld_shower") is None
    assert usable(editor) == {"photo_markup"}
    visit.show_overview()
    assert usable(visit.overview) == OVERVIEW_ALWAYS   # no consent, sign-off or FES-I while it is out
    visit.show_recommendations()
    assert usable(visit.recommendations) == set()
    visit.show_costs()
    assert usable(visit.costs) == COSTS_ALWAYS
    assert office.open_visit(visit_id)   # opened again, the banner says who has it and since when
    assert visit.lock_banner.text().startswith("Checked out to Sam Patel on ")
    assert "since 10 Mar 2026 10:30 UTC — read-only until it is checked in." in visit.lock_banner.text()
    # Checked in: coming back to the window is enough.
    T.checkin(ctx)
    QApplication.sendEvent(visit, QEvent(QEvent.Type.WindowActivate))
    assert visit.lock is None and not visit.lock_banner.isVisible()
    assert usable(visit.overview) == OVERVIEW_RECORD | OVERVIEW_AFTER_SIGN_OFF | OVERVIEW_ALWAYS


def test_a_checked_in_copy_is_read_only_until_it_is_checked_out_again(tmp_path: Path, pg_url: str,
                                                                      pg_ctx: AppContext, registry: Registry,
                                                                      clock: Clock, qtbot: QtBot) -> None:
    _, visit_id, room_id = seed(pg_ctx)
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    T.checkout(ctx, assessment_id=visit_id)
    T.checkin(ctx)
    lock = visit_lock(ctx, visit_id)
    assert lock is not None and lock.reason is LockReason.READ_ONLY_COPY
    assert lock.client_record_locked   # none of the client's visits is out: their own record is the server's too
    window = open_window(ctx, qtbot, visit_id)
    visit = window.visit
    assert visit.lock_banner.text() == ("A read-only copy of the team server's record. "
                                        "Check it out (File ▸ Team) to change it.")
    assert usable(visit.overview) == OVERVIEW_ALWAYS
    visit.show_room(room_id)
    assert usable(visit.room_editor) == {"photo_markup"}
    # Checked out again, as the Team window does it (it then tells every screen): editable at once.
    T.checkout(ctx, assessment_id=visit_id)
    window.session.bus.publish(IMPORTED, None)
    assert visit_lock(ctx, visit_id) is None and visit.lock is None and not visit.lock_banner.isVisible()
    assert PHOTO_RECORD | {"photo_markup", "itemNote", "answer_yes"} <= usable(visit.room_editor)
