"""Widget tests for each screen, against real services on a temporary database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.ui.main_window import MainWindow
from homeassess.ui.models.client_list import ClientListModel
from homeassess.ui.models.rooms import RoomListModel


def make_visit(window: MainWindow, **profile: object) -> tuple[str, str]:
    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", **profile)
    visit, _ = A.create_assessment(ctx, client.id, standard="UK")
    return client.id, visit.id


def test_first_run_shows_a_clear_start(window: MainWindow) -> None:
    first = window.findChild(QWidget, "firstRun")
    assert first.isVisible()
    assert window.findChild(QPushButton, "firstRunNewClient").isVisible()
    assert window.findChild(QPushButton, "firstRunDemo").isVisible()


def test_client_search_filters_as_you_type(window: MainWindow, qtbot: QtBot) -> None:
    ctx = window.session.ctx
    C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", address="14 Larch Grove")
    C.create_client(ctx, given_name="Łukasz", family_name="Wróbel", address="2 Mill Lane")
    window.show_clients()
    search = window.findChild(QLineEdit, "clientSearch")
    qtbot.keyClicks(search, "mill")
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 1)   # the search runs once typing pauses
    assert window.clients.model.index(0, 0).data() == "Łukasz Wróbel"


def test_new_client_is_created_once_named_and_fields_save_as_typed(window: MainWindow, qtbot: QtBot) -> None:
    window.new_client()
    editor = window.editor
    assert editor.message.isVisible()
    editor.texts["given_name"].widget.setText("Zoë")  # keyClicks cannot type non-ASCII
    editor.texts["given_name"].flush()
    assert C.list_clients(window.session.ctx) == []
    editor.texts["family_name"].widget.setText("Ångström-Nuñez")
    editor.texts["family_name"].flush()
    [client] = C.list_clients(window.session.ctx)
    qtbot.keyClicks(editor.texts["knee_height_mm"].widget, "20.5 in")
    editor.texts["knee_height_mm"].flush()
    assert C.get_client(window.session.ctx, client.id).profile.knee_height_mm == pytest.approx(520.7)


def test_client_field_errors_are_shown_inline(window: MainWindow, qtbot: QtBot) -> None:
    client_id, _ = make_visit(window)
    window.show_client(client_id)
    editor = window.editor
    qtbot.keyClicks(editor.texts["knee_height_mm"].widget, "9000")
    editor.texts["knee_height_mm"].flush()
    assert editor.errors["knee_height_mm"].isVisible()
    qtbot.keyClicks(editor.texts["date_of_birth"].widget, "31st of May")
    editor.texts["date_of_birth"].flush()
    assert "31/12/1946" in editor.errors["date_of_birth"].text()
    assert C.get_client(window.session.ctx, client_id).profile.knee_height_mm is None


def test_room_editor_keyboard_answers_make_findings_and_undo_reverts(window: MainWindow, qtbot: QtBot) -> None:
    _, visit_id = make_visit(window, falls_last_12_months=1)
    window.open_visit(visit_id)
    window.visit.overview._add_room()
    room_id = A.list_rooms(window.session.ctx, visit_id)[0].id
    window.visit.show_room(room_id)
    editor = window.visit.room_editor
    editor.set_current("demo_room.rail")
    qtbot.keyClick(editor, Qt.Key.Key_N)
    assert A.room_answers(window.session.ctx, room_id)["demo_room.rail"].value == "no"
    assert editor.widgets["demo_room.rail"].finding.isVisible()
    assert "P1" in editor.widgets["demo_room.rail"].finding.text()
    assert editor.current == "demo_room.hot_water"
    window.undo_action.trigger()
    assert A.room_answers(window.session.ctx, room_id)["demo_room.rail"].value is None
    assert R.list_findings(window.session.ctx, visit_id) == []
    window.redo_action.trigger()
    assert A.room_answers(window.session.ctx, room_id)["demo_room.rail"].value == "no"


def test_measurement_in_inches_shows_threshold_and_rejects_nonsense(window: MainWindow, qtbot: QtBot) -> None:
    _, visit_id = make_visit(window, mobility_aid="manual_wheelchair")
    window.open_visit(visit_id)
    window.visit.overview._add_room()
    room_id = A.list_rooms(window.session.ctx, visit_id)[0].id
    window.visit.show_room(room_id)
    door = window.visit.room_editor.widgets["demo_room.door_width"]
    hint = door.findChild(QWidget, "thresholdHint")
    assert "at least 850 mm" in hint.text() and "for this client" in hint.text()
    qtbot.keyClicks(door.entry, "30 in")
    qtbot.keyClick(door.entry, Qt.Key.Key_Return)
    assert A.room_answers(window.session.ctx, room_id)["demo_room.door_width"].number == 762.0
    assert "P1" in door.finding.text()
    door.entry.clear()
    qtbot.keyClicks(door.entry, "ninety")
    qtbot.keyClick(door.entry, Qt.Key.Key_Return)
    assert door.status.isVisible() and "not a measurement" in door.status.text()
    assert A.room_answers(window.session.ctx, room_id)["demo_room.door_width"].number == 762.0


def test_rooms_can_be_added_renamed_reordered_and_removed_with_undo(window: MainWindow) -> None:
    _, visit_id = make_visit(window)
    window.open_visit(visit_id)
    overview = window.visit.overview
    overview._add_room()
    overview._add_room()
    names = [r.name for r in A.list_rooms(window.session.ctx, visit_id)]
    assert names == ["Demo room", "Demo room 2"]
    overview.list.setCurrentIndex(window.visit.rooms.index(1))
    overview._move(-1)
    assert [r.name for r in A.list_rooms(window.session.ctx, visit_id)] == ["Demo room 2", "Demo room"]
    overview.list.setCurrentIndex(window.visit.rooms.index(0))
    overview._remove()
    assert [r.name for r in A.list_rooms(window.session.ctx, visit_id)] == ["Demo room"]
    window.undo_action.trigger()
    assert len(A.list_rooms(window.session.ctx, visit_id)) == 2
    assert window.visit.rooms.rowCount() == 2


def test_recommendations_accept_retier_and_undo(window: MainWindow) -> None:
    _, visit_id = make_visit(window)
    room, _ = A.add_room(window.session.ctx, visit_id, "demo_room")
    A.set_answer(window.session.ctx, room.id, "demo_room.floor", value="loose_rug")
    window.open_visit(visit_id)
    window.visit.show_recommendations()
    screen = window.visit.recommendations
    assert screen.current is not None and screen.current.title == "Take up the rug"
    screen.status_buttons["agreed"].click()
    assert R.list_recommendations(window.session.ctx, visit_id)[0].status == "agreed"
    screen.tier.setCurrentIndex(screen.tier.findData(1))
    screen._change_tier()
    assert screen.tier_error.isVisible()
    screen.tier_reason.setText("rug is at the top of the stairs")
    screen._change_tier()
    rec = R.list_recommendations(window.session.ctx, visit_id)[0]
    assert rec.tier.value == 1 and rec.reason.startswith("Urgent because") and "stairs" not in rec.reason
    assert rec.tier_override_reason == "rug is at the top of the stairs"
    window.undo_action.trigger()
    window.undo_action.trigger()
    rec = R.list_recommendations(window.session.ctx, visit_id)[0]
    assert rec.status == "proposed" and not rec.tier_overridden


def test_report_is_generated_and_previewed(window: MainWindow, qtbot: QtBot) -> None:
    _, visit_id = make_visit(window)
    room, _ = A.add_room(window.session.ctx, visit_id, "demo_room")
    A.set_answer(window.session.ctx, room.id, "demo_room.floor", value="loose_rug")
    window.open_visit(visit_id)
    window.visit.show_report()
    report = window.visit.report
    with qtbot.waitSignal(report.report_finished, timeout=30000):
        report.start()
    assert report.document.pageCount() >= 1 and report.save.isEnabled()


def test_models_pass_the_model_tester(qtmodeltester, window: MainWindow) -> None:  # noqa: ANN001
    ctx = window.session.ctx
    client_id, visit_id = make_visit(window)
    A.add_room(ctx, visit_id, "demo_room")
    clients = ClientListModel()
    clients.set_clients(C.list_clients(ctx))
    qtmodeltester.check(clients)
    rooms = RoomListModel()
    rooms.set_rooms(A.list_rooms(ctx, visit_id))
    qtmodeltester.check(rooms)


def test_room_editor_shows_equipment_sizing_with_its_calculation(ctx, qtbot: QtBot) -> None:  # noqa: ANN001
    from homeassess.ui.session import Session
    from homeassess.ui.tasks import SynchronousTaskRunner

    window = MainWindow(Session(ctx, SynchronousTaskRunner()))
    qtbot.addWidget(window)
    client, _ = C.create_client(ctx, given_name="A", family_name="B", knee_height_mm=520)
    visit, _ = A.create_assessment(ctx, client.id, standard="UK")
    room, _ = A.add_room(ctx, visit.id, "toilet")
    A.set_answer(ctx, room.id, "toilet.seat_height", number=400)
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    texts = [window.visit.room_editor.findings.item(i).text() for i in range(window.visit.room_editor.findings.count())]
    assert "Sizing — toilet: knee height 520 mm − toilet 400 mm → 120 mm raise → choose 100 mm, giving 500 mm" in texts


def test_profile_records_the_facts_rules_need_and_shows_them_again(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QCheckBox, QComboBox

    from homeassess.domain.client import Behaviour, Transfers, WeakSide

    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Margaret", family_name="Ellis")
    window.show_client(client.id)
    editor = window.editor
    editor.findChild(QCheckBox, "field_home_oxygen").click()
    editor.findChild(QCheckBox, "field_household_smoker").click()
    transfers = editor.findChild(QComboBox, "field_transfers")
    transfers.setCurrentIndex(transfers.findData("hoist"))
    side = editor.findChild(QComboBox, "field_weak_side")
    side.setCurrentIndex(side.findData("left"))
    behaviours = editor.behaviours
    for i in range(behaviours.count()):
        if behaviours.item(i).data(Qt.ItemDataRole.UserRole) == "leaves_home":
            behaviours.item(i).setCheckState(Qt.CheckState.Checked)
    profile = C.get_client(ctx, client.id).profile
    assert profile.home_oxygen and profile.household_smoker
    assert profile.transfers is Transfers.HOIST and profile.weak_side is WeakSide.LEFT
    assert profile.behaviours == frozenset({Behaviour.LEAVES_HOME})
    window.show_clients()
    window.show_client(client.id)   # reloaded from the database
    assert editor.findChild(QCheckBox, "field_home_oxygen").isChecked()
    assert editor.findChild(QComboBox, "field_transfers").currentData() == "hoist"


def test_profile_records_symptoms_a_second_aid_and_rated_equipment(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QComboBox, QTableWidgetItem

    from homeassess.domain.client import AidUse, Equipment, MobilityAid, Symptom

    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Ken", family_name="Obi", weight_kg=160)
    window.show_client(client.id)
    editor = window.editor
    aid = editor.findChild(QComboBox, "field_second_aid")
    aid.setCurrentIndex(aid.findData("scooter"))
    symptoms = editor.symptoms
    for i in range(symptoms.count()):
        if symptoms.item(i).data(Qt.ItemDataRole.UserRole) in ("freezing", "fatigue"):
            symptoms.item(i).setCheckState(Qt.CheckState.Checked)
    editor._add_equipment()
    editor.equipment.setItem(0, 0, QTableWidgetItem("Profiling bed"))
    editor.equipment.setItem(0, 1, QTableWidgetItem("150 kg"))
    profile = C.get_client(ctx, client.id).profile
    assert profile.second_aid is MobilityAid.SCOOTER and profile.second_aid_use is AidUse.OUTDOORS
    assert profile.symptoms == frozenset({Symptom.FREEZING, Symptom.FATIGUE})
    assert profile.equipment == (Equipment("Profiling bed", 150.0),)
    editor.equipment.setItem(0, 1, QTableWidgetItem("lots"))        # a typing mistake is shown, not saved
    assert not editor.errors["equipment"].isHidden()
    assert C.get_client(ctx, client.id).profile.equipment == (Equipment("Profiling bed", 150.0),)
    window.show_clients()
    window.show_client(client.id)
    assert editor.equipment.item(0, 0).text() == "Profiling bed" and editor.equipment.item(0, 1).text() == "150 kg"


def test_a_workplace_visit_offers_workplace_rooms_first(window: MainWindow, qtbot: QtBot) -> None:
    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Dana", family_name="Ode")
    work, _ = A.create_assessment(ctx, client.id, standard="UK", kind="workplace")
    home, _ = A.create_assessment(ctx, client.id, standard="UK", kind="home")
    combo = window.visit.overview.room_type
    for visit, kind in ((work, "workplace"), (home, "home")):
        window.open_visit(visit.id)
        assert [combo.itemData(i) for i in range(combo.count())] == [c.id for c in ctx.registry.room_types_for(kind)]
