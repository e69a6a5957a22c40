"""A whole room of the shipped entrance checklist (steps and rails reveal further questions), answered
once with the keyboard only and once with the mouse only, then every stored answer read back through the
services. Keys go to whatever has the focus; clicks go to whatever is at the point on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from homeassess.domain.checklist import NOT_APPLICABLE, ItemKind
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

# item -> what the therapist enters (an option value, or text typed into the field), and what is stored
BY_KEYBOARD: dict[str, tuple[str, tuple[object, object]]] = {
    "entrance.path_even": ("no", ("no", None)),
    "entrance.path_clear": ("yes", ("yes", None)),
    "entrance.winter_clearing": (NOT_APPLICABLE, (NOT_APPLICABLE, None)),
    "entrance.path_width": ('36"', (None, 914.4)),
    "entrance.path_slope": ("1:12", (None, 100 / 12)),
    "entrance.step_count": ("3", (None, 3.0)),
    "entrance.steps_present": ("yes", ("yes", None)),
    "entrance.total_rise": ("450", (None, 450.0)),
    "entrance.step_height": ("150", (None, 150.0)),
    "entrance.ramp_space": ("5' 3\"", (None, 1600.2)),
    "entrance.steps_even": ("no", ("no", None)),
    "entrance.step_surface": ("yes", ("yes", None)),
    "entrance.step_rail": ("one", ("one", None)),
    "entrance.rail_secure": ("no", ("no", None)),
    "entrance.rail_height": ('27 1/2"', (None, 698.5)),
    "entrance.step_edges": ("no", ("no", None)),
    "entrance.lighting": ("yes", ("yes", None)),
    "entrance.threshold_height": ("20", (None, 20.0)),
    "entrance.door_width": ("810", (None, 810.0)),
    "entrance.landing": ("yes", ("yes", None)),
    "entrance.lock": ("yes", ("yes", None)),
    "entrance.door_heavy": ("no", ("no", None)),
    "entrance.key_safe": (NOT_APPLICABLE, (NOT_APPLICABLE, None)),
    "entrance.house_number": ("yes", ("yes", None)),
    "entrance.see_visitor": ("no", ("no", None)),
    "entrance.parcel_shelf": (NOT_APPLICABLE, (NOT_APPLICABLE, None)),
    "entrance.mailbox": ("yes", ("yes", None)),
    "entrance.door_rail": ("no", ("no", None)),
    "entrance.notes": ("Side gate sticks", ("Side gate sticks", None)),
}
BY_MOUSE = dict(BY_KEYBOARD) | {
    "entrance.path_even": ("yes", ("yes", None)),
    "entrance.path_width": (NOT_APPLICABLE, (NOT_APPLICABLE, None)),   # the N/A button beside the field
    "entrance.step_rail": ("both", ("both", None)),
    "entrance.rail_secure": ("yes", ("yes", None)),
    "entrance.rail_height": ("900", (None, 900.0)),
    "entrance.door_width": ("32 in", (None, 812.8)),
    "entrance.notes": ("Back door used daily", ("Back door used daily", None)),
}
KEY_FOR = {"yes": Qt.Key.Key_Y, "no": Qt.Key.Key_N, NOT_APPLICABLE: Qt.Key.Key_A}


@pytest.fixture
def room_window(ctx: AppContext, qtbot: QtBot) -> MainWindow:
    """The real window (shipped checklists, background task runner) on a new entrance room."""
    session = Session(ctx, TaskRunner())
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1300, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", falls_last_12_months=2)
    visit, _ = A.create_assessment(ctx, client.id, standard="UK")
    room, _ = A.add_room(ctx, visit.id, "entrance")
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    yield window
    session.tasks.shutdown()


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def check_every_answer(window: MainWindow, plan: dict[str, tuple[str, tuple[object, object]]]) -> None:
    editor = window.visit.room_editor
    stored = A.room_answers(window.session.ctx, editor.room_id)
    for item in editor.data.checklist.items:
        answer = stored.get(item.id)
        value, number = plan[item.id][1]
        assert answer is not None, f"{item.id}: nothing stored"
        assert answer.value == value, f"{item.id}: {answer.value!r} stored, {value!r} meant"
        assert answer.number == pytest.approx(number) if number is not None else answer.number is None, item.id
    room = next(r for r in A.list_rooms(window.session.ctx, editor.data.assessment_id) if r.id == editor.room_id)
    assert room.answered == room.total


def test_a_whole_room_with_the_keyboard_only(room_window: MainWindow, qtbot: QtBot) -> None:
    editor = room_window.visit.room_editor
    assert editor.current == "entrance.path_even"  # the first unanswered item is current on opening
    seen: list[str] = []
    while editor.current not in seen:
        item_id = editor.current
        seen.append(item_id)
        widget = editor.widgets[item_id]
        assert widget.property("current") is True
        entered, _ = BY_KEYBOARD[item_id]
        kind = widget.item.kind
        if kind in (ItemKind.YES_NO, ItemKind.CHOICE):
            qtbot.waitUntil(editor.hasFocus)  # buttons: the editor itself has the keyboard
            if entered in KEY_FOR:
                qtbot.keyClick(focus(), KEY_FOR[entered])
            else:
                n = [o.value for o in widget.item.options].index(entered) + 1
                qtbot.keyClick(focus(), getattr(Qt.Key, f"Key_{n}"))
        elif kind is ItemKind.TEXT:
            qtbot.waitUntil(widget.text_box.hasFocus)
            qtbot.keyClicks(focus(), entered)
            break
        else:
            qtbot.waitUntil(widget.entry.hasFocus)  # the highlighted item is the focused one
            qtbot.keyClicks(focus(), entered)
            qtbot.keyClick(focus(), Qt.Key.Key_Return)
        assert not widget.status.isVisible(), f"{item_id}: {widget.status.text()}"
    room_window.session.pending.flush_all()
    assert seen == [i for i in editor.order if not editor.widgets[i].isHidden()]
    check_every_answer(room_window, BY_KEYBOARD)


def click(window: MainWindow, qtbot: QtBot, widget: QWidget) -> None:
    """Scroll to ``widget`` (the wheel), then click the point on the screen where it is."""
    editor = window.visit.room_editor
    for _ in range(3):
        QApplication.sendPostedEvents()  # the layout a person would see by now
    editor.scroll.ensureWidgetVisible(widget, 0, 80)
    point = widget.mapToGlobal(widget.rect().center())
    target = window.childAt(window.mapFromGlobal(point))
    assert target is widget or widget.isAncestorOf(target), f"{target!r} is where {widget.objectName()} should be"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFromGlobal(point))


def test_a_whole_room_with_the_mouse_only(room_window: MainWindow, qtbot: QtBot) -> None:
    editor = room_window.visit.room_editor
    answered: list[str] = []
    for item_id in list(editor.order):
        widget = editor.widgets[item_id]
        if widget.isHidden():
            continue
        answered.append(item_id)
        entered, _ = BY_MOUSE[item_id]
        if entered in widget.buttons:
            click(room_window, qtbot, widget.buttons[entered])
            assert widget.buttons[entered].isChecked()
        else:
            field = widget.entry or widget.text_box
            click(room_window, qtbot, field)  # typing a number needs the keys; getting there does not
            qtbot.waitUntil(field.hasFocus)
            qtbot.keyClicks(field, entered)  # stored when the next click moves on
        reveals = {"entrance.steps_present": "entrance.total_rise", "entrance.step_rail": "entrance.rail_secure"}
        assert editor.current == reveals.get(item_id, item_id), f"clicked {item_id}, {editor.current} is current"
    room_window.session.pending.flush_all()
    assert answered == [i for i in editor.order if not editor.widgets[i].isHidden()]
    check_every_answer(room_window, BY_MOUSE)
