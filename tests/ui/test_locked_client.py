"""A locked client record on screen (services/visit_lock.client_lock): on a laptop linked to a team
server, a client none of whose visits is checked out here is the server's read-only copy, and the
client editor says so in a banner and leaves only viewing and navigation usable. Unlinked, or on the
server itself, the client's record is always editable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from homeassess.checklists.registry import Registry
from homeassess.services import clients as C
from homeassess.services import team as T
from homeassess.services.context import AppContext, Clock
from homeassess.services.visit_lock import CLIENT_SENTENCE, LockReason, client_lock
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.bundles import IMPORTED
from homeassess.ui.screens.client_editor import ClientEditorScreen
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner
from tests.ui.test_locked_visit import usable
from tests.ui.test_team_ui import laptop, seed

pytestmark = pytest.mark.gui

ALWAYS = {"clientHistoryButton", "startVisitButton"}   # viewing the history; a new visit is the laptop's own
# The client's own record: every input the editor has, with one goal shown.
CLIENT_RECORD = {
    "field_given_name", "field_family_name", "field_preferred_name", "field_date_of_birth", "field_address",
    "field_phone", "field_identifier", "field_other_conditions", "field_precaution_notes", "field_cognition",
    "field_vision", "field_hearing", "field_home_oxygen", "field_mobility_aid", "field_second_aid",
    "field_second_aid_use", "field_transfers", "field_weak_side", "field_aid_width_mm", "field_aid_length_mm",
    "field_aid_swl_kg", "field_knee_height_mm", "field_height_mm", "field_weight_kg", "field_falls_last_12_months",
    "addEquipmentButton", "removeEquipmentButton", "field_lives_alone", "field_has_carers",
    "field_household_smoker", "addContactButton", "removeContactButton", "field_notes",
    "goalText", "goalActivity", "goalScaleButton", "goalRemoveButton", "newGoal", "addGoalButton",
}
TABLES = ("contacts", "equipment")
CHECKLISTS = ("conditions", "precautions", "behaviours", "symptoms")


def open_client(ctx: AppContext, qtbot: QtBot, client_id: str) -> MainWindow:
    session = Session(ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.show_client(client_id)
    return window


def statements(ctx: AppContext, client_id: str) -> list[str]:
    """What ``client_lock`` asks the database (the read-only unit of work's own BEGIN aside)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", note)
    try:
        client_lock(ctx, client_id)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", note)
    return [statement for statement in seen if statement != "BEGIN"]


def tables_editable(editor: ClientEditorScreen) -> set[str]:
    """The tables that can be edited and the checklists that can be ticked, by name."""
    out = {name for name in TABLES
           if getattr(editor, name).editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers}
    for name in CHECKLISTS:
        widget = getattr(editor, name)
        if all(widget.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable for i in range(widget.count())):
            out.add(name)
    return out


def test_an_unlinked_laptop_edits_its_clients(tmp_path: Path, registry: Registry, clock: Clock,
                                              qtbot: QtBot) -> None:
    ctx = laptop(tmp_path, "solo", registry, clock, "Sam Patel")
    client, _ = C.create_client(ctx, given_name="Ada", family_name="Okafor")
    C.add_goal(ctx, client.id, "Shower on my own")
    assert client_lock(ctx, client.id) is None   # an ordinary data folder: nothing is a copy
    [query] = statements(ctx, client.id)          # one short, indexed query
    assert "FROM team_checkout" in query
    editor = open_client(ctx, qtbot, client.id).editor
    assert editor.lock is None and not editor.lock_banner.isVisible()
    assert usable(editor) == CLIENT_RECORD | ALWAYS
    assert tables_editable(editor) == set(TABLES) | set(CHECKLISTS)


# -- team (a PostgreSQL server; skipped without HOMEASSESS_TEST_DATABASE_URL) --------------------------------
def test_a_client_with_no_visit_out_is_read_only_until_one_is_checked_out(tmp_path: Path, pg_url: str,
                                                                          pg_ctx: AppContext, registry: Registry,
                                                                          clock: Clock, qtbot: QtBot) -> None:
    client_id, visit_id, _ = seed(pg_ctx)
    C.add_goal(pg_ctx, client_id, "Shower on my own")
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    T.checkout(ctx, assessment_id=visit_id)
    T.checkin(ctx)
    lock = client_lock(ctx, client_id)
    assert lock is not None and lock.reason is LockReason.READ_ONLY_COPY and lock.client_record_locked
    assert len(statements(ctx, client_id)) == 1
    window = open_client(ctx, qtbot, client_id)
    editor = window.editor
    assert editor.lock_banner.isVisibleTo(window) and editor.lock_banner.text() == CLIENT_SENTENCE
    assert usable(editor) == ALWAYS
    assert tables_editable(editor) == set()
    cognition = editor.findChild(QComboBox, "field_cognition")
    assert cognition is not None and not cognition.isEnabled() and editor.texts["phone"].widget.isReadOnly()

    # A refusal that still arrives (typed before the lock was known) is said in the banner.
    editor._save("phone", "0123 456")
    assert "read-only on this laptop" in editor.lock_banner.text()
    editor.goals.new_goal.setText("Get to the shops")
    editor.goals._add()
    assert "read-only on this laptop" in editor.lock_banner.text()
    assert [g.text for g in C.get_client(ctx, client_id).goals] == ["Shower on my own"]

    # Checked out again, as the Team window does it (it then tells every screen): editable at once.
    T.checkout(ctx, assessment_id=visit_id)
    window.session.bus.publish(IMPORTED, None)
    assert client_lock(ctx, client_id) is None and editor.lock is None and not editor.lock_banner.isVisible()
    assert usable(editor) == CLIENT_RECORD | ALWAYS
    assert tables_editable(editor) == set(TABLES) | set(CHECKLISTS)
    phone = editor.texts["phone"].widget
    assert isinstance(phone, QLineEdit)
    phone.setText("0123 456")
    editor.session.pending.flush_all()
    assert C.get_client(ctx, client_id).phone == "0123 456"

    # Checked in elsewhere (no bus here): coming back to the window locks it again.
    T.checkin(ctx)
    QApplication.sendEvent(editor, QEvent(QEvent.Type.WindowActivate))
    assert editor.lock is not None and editor.lock_banner.text() == CLIENT_SENTENCE
    assert usable(editor) == ALWAYS


def test_the_server_leaves_a_client_editable_while_their_visit_is_out(tmp_path: Path, pg_url: str,
                                                                      pg_ctx: AppContext, registry: Registry,
                                                                      clock: Clock, qtbot: QtBot) -> None:
    client_id, visit_id, _ = seed(pg_ctx)
    C.add_goal(pg_ctx, client_id, "Shower on my own")
    T.checkout(laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url), assessment_id=visit_id)
    assert client_lock(pg_ctx, client_id) is None   # check-in merges the client's record field by field
    assert statements(pg_ctx, client_id) == []
    editor = open_client(pg_ctx, qtbot, client_id).editor
    assert editor.lock is None and usable(editor) == CLIENT_RECORD | ALWAYS
