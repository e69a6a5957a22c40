"""Room editor input: every answer lands on the item the therapist meant, by mouse or keyboard.

Clicks are made at a point on the screen (the widget found there is the one clicked), so a page
that moved under the pointer shows up as an answer on the wrong item. No fixed waits.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.room_editor import RoomEditorScreen
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner


class Room:
    """The main window on one room of the shipped checklist, and what the services stored."""

    def __init__(self, window: MainWindow, room_id: str) -> None:
        self.window, self.room_id = window, room_id
        self.editor: RoomEditorScreen = window.visit.room_editor

    def stored(self, item_id: str) -> tuple[object, object]:
        answer = A.room_answers(self.window.session.ctx, self.room_id).get(item_id)
        return (answer.value, answer.number) if answer else (None, None)

    def button(self, item_id: str, value: str) -> QAbstractButton:
        return self.editor.widgets[item_id].buttons[value]


def open_room(ctx: AppContext, qtbot: QtBot, room_type: str, **profile: object) -> Room:
    window = MainWindow(Session(ctx, SynchronousTaskRunner()))
    window.session.show_dialogs = False
    qtbot.addWidget(window)
    window.resize(1300, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", **profile)
    visit, _ = A.create_assessment(ctx, client.id, standard="UK")
    room, _ = A.add_room(ctx, visit.id, room_type)
    window.open_visit(visit.id)
    window.visit.show_room(room.id)
    return Room(window, room.id)


@pytest.fixture
def entrance(ctx: AppContext, qtbot: QtBot) -> Room:
    return open_room(ctx, qtbot, "entrance", falls_last_12_months=1)


def settle() -> None:
    """Let pending layout requests run (what has happened on screen before a person could look)."""
    for _ in range(3):
        QApplication.sendPostedEvents()


def on_screen(widget: QWidget) -> QPoint:
    settle()
    return widget.mapToGlobal(widget.rect().center())


def widget_at(window: QWidget, point: QPoint) -> QWidget | None:
    settle()
    return window.childAt(window.mapFromGlobal(point))


def click_at(qtbot: QtBot, window: QWidget, point: QPoint) -> QWidget:
    """A mouse click at a screen point: whatever widget is there now gets it."""
    target = widget_at(window, point)
    assert target is not None
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFromGlobal(point))
    return target


def scroll_into_view(room: Room, qtbot: QtBot, widget: QWidget) -> None:
    """What the therapist does with the scroll wheel before clicking something further down."""
    settle()
    room.editor.scroll.ensureWidgetVisible(widget, 0, 80)
    viewport = room.editor.scroll.viewport()
    qtbot.waitUntil(lambda: viewport.rect().contains(viewport.mapFromGlobal(on_screen(widget))))


def click(room: Room, qtbot: QtBot, widget: QWidget) -> None:
    """Scroll to ``widget`` as a person would, then click the point where it is on the screen."""
    scroll_into_view(room, qtbot, widget)
    assert click_at(qtbot, room.window, on_screen(widget)) is widget


def press(qtbot: QtBot, key: Qt.Key, text: str = "") -> None:
    """A key as the keyboard sends it: to whatever has the focus now."""
    focus = QApplication.focusWidget()
    assert focus is not None, "nothing has the keyboard focus"
    qtbot.keyClick(focus, key)


def test_revealed_items_come_after_the_answer_and_the_next_click_lands_on_the_next_item(
        entrance: Room, qtbot: QtBot) -> None:
    editor, window = entrance.editor, entrance.window
    steps = entrance.editor.widgets["entrance.steps_present"]
    yes = entrance.button("entrance.steps_present", "yes")
    settle()
    editor.scroll.verticalScrollBar().setValue(steps.y() - 20)  # the wheel brings the steps to the top
    before = on_screen(yes)
    assert click_at(qtbot, window, before) is yes
    assert entrance.stored("entrance.steps_present") == ("yes", None)
    revealed = ["entrance.total_rise", "entrance.step_height", "entrance.steps_even"]
    qtbot.waitUntil(lambda: all(editor.widgets[i].isVisible() for i in revealed))
    for item_id in revealed:  # never above the item that revealed them
        assert editor.widgets[item_id].mapTo(editor, QPoint(0, 0)).y() > steps.mapTo(editor, QPoint(0, 0)).y()
    assert on_screen(yes) == before, "the answered item moved under the pointer"
    assert editor.current == "entrance.total_rise"
    qtbot.waitUntil(lambda: editor.widgets["entrance.total_rise"].entry.hasFocus())

    next_na = entrance.button("entrance.total_rise", "na")
    assert click_at(qtbot, window, on_screen(next_na)) is next_na
    assert entrance.stored("entrance.total_rise") == ("na", None)
    assert entrance.stored("entrance.steps_present") == ("yes", None)
    assert entrance.stored("entrance.step_height") == (None, None)


def test_revealed_items_follow_the_answer_by_keyboard_and_take_the_focus(entrance: Room, qtbot: QtBot) -> None:
    editor = entrance.editor
    editor.set_current("entrance.steps_present")
    qtbot.waitUntil(editor.hasFocus)
    press(qtbot, Qt.Key.Key_Y)
    assert entrance.stored("entrance.steps_present") == ("yes", None)
    assert editor.current == "entrance.total_rise"
    assert editor.order.index("entrance.total_rise") == editor.order.index("entrance.steps_present") + 1
    qtbot.waitUntil(lambda: editor.widgets["entrance.total_rise"].entry.hasFocus())


def test_a_finding_line_never_moves_what_is_under_the_pointer(entrance: Room, qtbot: QtBot) -> None:
    window = entrance.window
    below = entrance.button("entrance.path_clear", "yes")
    fixed = on_screen(below)
    assert widget_at(window, fixed) is below
    click(entrance, qtbot, entrance.button("entrance.path_even", "no"))
    finding = entrance.editor.widgets["entrance.path_even"].finding
    qtbot.waitUntil(finding.isVisible)
    assert "P" in finding.text()
    assert widget_at(window, fixed) is below
    assert click_at(qtbot, window, fixed) is below
    assert entrance.stored("entrance.path_clear") == ("yes", None)


def test_an_error_line_never_moves_what_is_under_the_pointer(entrance: Room, qtbot: QtBot) -> None:
    window, editor = entrance.window, entrance.editor
    below = entrance.button("entrance.path_slope", "na")
    fixed = on_screen(below)
    width = editor.widgets["entrance.path_width"]
    editor.set_current("entrance.path_width")
    qtbot.waitUntil(width.entry.hasFocus)
    qtbot.keyClicks(width.entry, "ninety")
    press(qtbot, Qt.Key.Key_Return)
    assert width.status.isVisible() and "not a measurement" in width.status.text()
    assert widget_at(window, fixed) is below


def test_clicking_the_selected_choice_keeps_it(entrance: Room, qtbot: QtBot) -> None:
    window = entrance.window
    no = entrance.button("entrance.path_even", "no")
    click(entrance, qtbot, no)
    click(entrance, qtbot, no)
    assert no.isChecked()
    assert entrance.stored("entrance.path_even") == ("no", None)


def test_delete_and_the_clear_control_clear_and_undo_restores(entrance: Room, qtbot: QtBot) -> None:
    editor, window = entrance.editor, entrance.window
    editor.set_current("entrance.path_even")
    qtbot.waitUntil(editor.hasFocus)
    press(qtbot, Qt.Key.Key_N)
    press(qtbot, Qt.Key.Key_Up)
    assert editor.current == "entrance.path_even"
    press(qtbot, Qt.Key.Key_Delete)
    assert entrance.stored("entrance.path_even") == (None, None)
    assert not entrance.button("entrance.path_even", "no").isChecked()
    window.undo_action.trigger()
    assert entrance.stored("entrance.path_even") == ("no", None)
    assert entrance.button("entrance.path_even", "no").isChecked()

    clear = editor.widgets["entrance.path_even"].clear_button
    assert clear.isVisible()
    click(entrance, qtbot, clear)
    assert entrance.stored("entrance.path_even") == (None, None)
    window.undo_action.trigger()
    assert entrance.stored("entrance.path_even") == ("no", None)


def test_after_a_mouse_click_y_n_and_digits_act_on_the_current_item(entrance: Room, qtbot: QtBot) -> None:
    editor, window = entrance.editor, entrance.window
    width = editor.widgets["entrance.path_width"]
    editor.set_current("entrance.path_width")  # the keyboard was in a number field before the click
    qtbot.waitUntil(width.entry.hasFocus)
    click(entrance, qtbot, entrance.button("entrance.path_clear", "yes"))
    assert editor.current == "entrance.path_clear"
    assert editor.widgets["entrance.path_clear"].property("current") is True
    press(qtbot, Qt.Key.Key_N)
    assert entrance.stored("entrance.path_clear") == ("no", None)
    assert width.entry.text() == ""
    assert editor.current == "entrance.winter_clearing"

    click(entrance, qtbot, entrance.button("entrance.steps_present", "yes"))
    step_rail = editor.widgets["entrance.step_rail"]
    qtbot.waitUntil(step_rail.isVisible)
    click(entrance, qtbot, step_rail.buttons["none"])
    assert editor.current == "entrance.step_rail"
    press(qtbot, Qt.Key.Key_2)
    assert entrance.stored("entrance.step_rail") == ("one", None)
    assert editor.current == "entrance.rail_secure"  # revealed by "one", right after the rail
    press(qtbot, Qt.Key.Key_Y)
    assert entrance.stored("entrance.rail_secure") == ("yes", None)


def test_up_down_and_enter_move_through_visible_items_with_the_focus(entrance: Room, qtbot: QtBot) -> None:
    editor = entrance.editor
    editor.set_current("entrance.path_even")
    qtbot.waitUntil(editor.hasFocus)
    press(qtbot, Qt.Key.Key_Down)
    assert editor.current == "entrance.path_clear"
    press(qtbot, Qt.Key.Key_Return)
    assert editor.current == "entrance.winter_clearing"
    press(qtbot, Qt.Key.Key_Down)
    assert editor.current == "entrance.path_width"
    qtbot.waitUntil(editor.widgets["entrance.path_width"].entry.hasFocus)
    press(qtbot, Qt.Key.Key_Up)  # from inside the number field
    assert editor.current == "entrance.winter_clearing"
    qtbot.waitUntil(editor.hasFocus)
    editor.set_current("entrance.steps_present")
    press(qtbot, Qt.Key.Key_Down)  # the steps' own questions are hidden until there are steps
    assert editor.current == "entrance.lighting"
    for item_id, widget in editor.widgets.items():
        assert (widget.property("current") is True) == (item_id == "entrance.lighting")


def test_fractions_and_feet_and_inches_store_millimetres(entrance: Room, qtbot: QtBot) -> None:
    editor = entrance.editor
    width = editor.widgets["entrance.path_width"]
    editor.set_current("entrance.path_width")
    qtbot.waitUntil(width.entry.hasFocus)
    qtbot.keyClicks(width.entry, '27 1/2"')
    press(qtbot, Qt.Key.Key_Return)
    assert entrance.stored("entrance.path_width")[1] == pytest.approx(698.5)
    assert editor.current == "entrance.path_slope"  # Enter stored it and moved on

    editor.set_current("entrance.path_width")
    qtbot.waitUntil(width.entry.hasFocus)
    width.entry.selectAll()
    qtbot.keyClicks(width.entry, "5' 3\"")
    press(qtbot, Qt.Key.Key_Return)
    assert entrance.stored("entrance.path_width")[1] == pytest.approx(1600.2)

    editor.set_current("entrance.path_width")
    qtbot.waitUntil(width.entry.hasFocus)
    width.entry.selectAll()
    width.entry.insert('27½"')  # keyClicks cannot type non-ASCII
    press(qtbot, Qt.Key.Key_Return)
    assert entrance.stored("entrance.path_width")[1] == pytest.approx(698.5)


def type_door(entrance: Room, qtbot: QtBot, text: str) -> QWidget:
    door = entrance.editor.widgets["entrance.door_width"]
    entrance.editor.set_current("entrance.door_width")
    qtbot.waitUntil(door.entry.hasFocus)
    door.entry.selectAll()
    qtbot.keyClicks(door.entry, text)
    press(qtbot, Qt.Key.Key_Return)
    return door


def test_an_unusual_value_is_asked_about_and_kept_only_on_keep_or_enter(entrance: Room, qtbot: QtBot) -> None:
    editor = entrance.editor
    type_door(entrance, qtbot, "900")
    assert entrance.stored("entrance.door_width") == (None, 900.0)

    door = type_door(entrance, qtbot, "6600")
    assert "6600 mm is unusual" in door.status.text() and "Keep it?" in door.status.text()
    assert door.line.keep_button.isVisible()
    assert entrance.stored("entrance.door_width") == (None, 900.0)
    assert editor.current == "entrance.door_width"
    press(qtbot, Qt.Key.Key_Escape)  # Esc: the earlier answer stays
    assert entrance.stored("entrance.door_width") == (None, 900.0)
    assert not door.status.isVisible() and door.entry.text() == "900 mm"

    type_door(entrance, qtbot, "6600")
    qtbot.keyClicks(door.entry, "0")  # editing the field withdraws the question
    assert not door.line.keep_button.isVisible()
    assert entrance.stored("entrance.door_width") == (None, 900.0)

    type_door(entrance, qtbot, "6600")
    press(qtbot, Qt.Key.Key_Return)  # one key keeps it
    assert entrance.stored("entrance.door_width") == (None, 6600.0)
    assert not door.status.isVisible()
    entrance.window.undo_action.trigger()
    assert entrance.stored("entrance.door_width") == (None, 900.0)

    type_door(entrance, qtbot, "7000")
    click(entrance, qtbot, door.line.keep_button)
    assert entrance.stored("entrance.door_width") == (None, 7000.0)


def test_an_impossible_value_shows_why_and_stores_nothing(entrance: Room, qtbot: QtBot) -> None:
    door = type_door(entrance, qtbot, "900")
    door = type_door(entrance, qtbot, "99999")
    assert door.status.isVisible() and "possible range" in door.status.text()
    assert not door.line.keep_button.isVisible()
    assert entrance.stored("entrance.door_width") == (None, 900.0)

    steps = entrance.editor.widgets["entrance.step_count"]
    entrance.editor.set_current("entrance.step_count")
    qtbot.waitUntil(steps.entry.hasFocus)
    qtbot.keyClicks(steps.entry, "2.5")
    press(qtbot, Qt.Key.Key_Return)
    assert steps.status.isVisible() and "whole number" in steps.status.text()
    assert entrance.stored("entrance.step_count") == (None, None)
    assert entrance.editor.current == "entrance.step_count"
