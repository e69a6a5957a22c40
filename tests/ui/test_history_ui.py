"""History… windows (issue 15): a visit's and a client's changes, newest first, filtered as you type,
beside the work; an undo shows up in it at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.ui import undo
from homeassess.ui.main_window import MainWindow

RAIL = "bathroom.shower_rail"


def shown(window: object) -> list[str]:
    proxy = window.proxy
    return [proxy.index(r, 2).data() for r in range(proxy.rowCount())]


def test_the_visit_history_lists_changes_and_filters_them(demo_window: tuple[MainWindow, str]) -> None:
    window, _ = demo_window
    action = window.actions_by_name["visitHistoryAction"]
    assert action.isEnabled() and action.text() == "&History…"
    action.trigger()
    history = window.windows["history"]
    assert history.isVisible() and history.windowModality() == Qt.WindowModality.NonModal
    assert "Home visit" in history.windowTitle()
    everything = shown(history)
    assert everything and any(w.startswith("answered Bathroom") for w in everything)
    assert not any(history.model.changes[r].automatic for r in range(history.model.rowCount())
                   if history.proxy.filterAcceptsRow(r, history.table.rootIndex()))
    history.search.setText("bathroom")
    filtered = shown(history)
    assert filtered and len(filtered) < len(everything) and all("bathroom" in w.lower() for w in filtered)
    assert history.count.text() == f"{len(filtered)} of {history.model.rowCount()} shown"
    history.search.setText("no such words anywhere")
    assert shown(history) == []
    history.search.clear()
    history.automatic.setChecked(True)
    with_engine = shown(history)
    assert len(with_engine) > len(everything) and any(w.startswith("suggested the recommendation") for w in with_engine)
    size = history.minimumSizeHint()
    assert size.width() <= 1024 and size.height() <= 560   # fits a 1024 × 600 tablet under its title bar


def test_an_undone_answer_shows_in_the_open_history(demo_window: tuple[MainWindow, str]) -> None:
    window, visit_id = demo_window
    bathroom = next(r for r in A.list_rooms(window.session.ctx, visit_id) if r.room_type == "bathroom")
    old = A.room_answers(window.session.ctx, bathroom.id)[RAIL]
    history = window.show_history("visit", visit_id)
    stack = QUndoStack()
    new = ("no" if old.value == "yes" else "yes", None)
    stack.push(undo.set_answer(window.session, bathroom.id, RAIL, (old.value, old.number), new, "Grab rail"))
    label = {"yes": "Yes", "no": "No"}
    assert shown(history)[0].endswith(f"from “{label[old.value]}” to “{label[new[0]]}”")
    stack.undo()
    assert shown(history)[0].endswith(f"from “{label[new[0]]}” to “{label[old.value]}”")


def test_the_client_list_and_profile_open_the_clients_history(demo_window: tuple[MainWindow, str],
                                                              qtbot: QtBot) -> None:
    window, _ = demo_window
    window.show_clients()
    window.clients.table.selectRow(0)
    [action] = [a for a in window.clients.client_menu().actions() if a.text() == "History…"]
    action.trigger()
    history = window.windows["history"]
    assert history.windowTitle() == "History — Zoë Ångström-Nuñez"
    assert shown(history)[-1] == "added the client Zoë Ångström-Nuñez"   # the oldest is last
    history.close()
    window.show_client(window.visit.client_id)
    qtbot.mouseClick(window.editor.history_button, Qt.MouseButton.LeftButton)
    assert window.windows["history"] is history and history.isVisible()
