"""Desktop conventions (issue 12): menus and shortcuts, the title, reopening the last visit, windows
that are not modal, archive / delete with undo, duplicate clients, Settings and the first-run country."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.ui import application
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens import client_list
from homeassess.ui.screens.new_visit import NewVisitDialog
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner

TITLE = "Zoë Ångström-Nuñez — Home visit 10/03/2026 — HomeAssess"


def make_visit(window: MainWindow) -> tuple[str, str]:
    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    visit, _ = A.create_assessment(ctx, client.id)
    window.show_clients()
    return client.id, visit.id


def menu_texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def press(window: MainWindow, qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.screens.currentWidget(), key, modifier)


def test_menus_hold_every_command_with_the_usual_shortcuts(window: MainWindow) -> None:
    menus = {m.objectName(): m for m in window.menuBar().findChildren(QMenu) if m.objectName().endswith("Menu")}
    assert menu_texts(menus["fileMenu"]) == ["New client", "Open recent", "Import…", "Export visit…", "Export client…",
                                             "Team…", "Settings…", "Backups…", "Quit"]
    assert menu_texts(menus["editMenu"])[:2] == ["Undo", "Redo"] and "Find client" in menu_texts(menus["editMenu"])
    assert {"Overview", "Recommendations", "Reports", "History…", "Overdue…",
            "Equipment catalogue…"} <= set(menu_texts(menus["visitMenu"]))
    assert menu_texts(menus["helpMenu"]) == ["HomeAssess guide", "About HomeAssess"]
    keys = {name: window.actions_by_name[name].shortcut() for name in ("newClientAction", "quitAction",
                                                                       "findClientAction", "guideAction")}
    assert keys == {"newClientAction": QKeySequence("Ctrl+N"), "quitAction": QKeySequence("Ctrl+Q"),
                    "findClientAction": QKeySequence("Ctrl+F"), "guideAction": QKeySequence("F1")}
    assert window.undo_action.shortcut() == QKeySequence("Ctrl+Z")


def test_ctrl_n_opens_a_new_client_and_f1_the_guide(window: MainWindow, qtbot: QtBot) -> None:
    press(window, qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.screens.currentWidget() is window.editor
    assert window.windowTitle() == "New client — HomeAssess"
    press(window, qtbot, Qt.Key.Key_F1)
    guide = window.windows["guide"]
    assert guide.isVisible() and not guide.isModal()
    text = guide.text.toPlainText()
    for words in ("Y / N / A", "1–9", "Delete", "Ctrl+1 … Ctrl+9", "Ctrl+Z"):
        assert words in text
    window.show_guide()
    assert window.windows["guide"] is guide


def test_ctrl_f_goes_to_the_client_search(window: MainWindow, qtbot: QtBot) -> None:
    make_visit(window)
    window.new_client()
    press(window, qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.screens.currentWidget() is window.clients
    qtbot.waitUntil(window.clients.search.hasFocus)


def test_about_names_the_versions_and_the_data_folder(window: MainWindow) -> None:
    import reportlab
    import sqlalchemy

    box = window.show_about()
    text = box.text()
    assert str(window.session.ctx.data_dir) in text
    for words in ("Python", "Qt", f"SQLAlchemy</td><td>{sqlalchemy.__version__}", reportlab.Version, "0.1.0"):
        assert words in text


def test_title_names_the_client_and_visit_and_visit_menu_needs_a_visit(window: MainWindow) -> None:
    _, visit_id = make_visit(window)
    overview = window.actions_by_name["visitOverviewAction"]
    assert window.windowTitle() == "HomeAssess" and not overview.isEnabled()
    window.open_visit(visit_id)
    assert window.windowTitle() == TITLE
    assert overview.isEnabled() and not window.actions_by_name["visitFollowUpAction"].isEnabled()
    window.actions_by_name["visitRecommendationsAction"].trigger()
    assert window.visit.nav["recommendations"].isChecked()
    window.show_clients()
    assert window.windowTitle() == "HomeAssess" and not overview.isEnabled()


def test_the_last_visit_reopens_on_start_but_not_once_deleted(window: MainWindow, qtbot: QtBot) -> None:
    _, visit_id = make_visit(window)
    window.open_visit(visit_id)

    def fresh() -> MainWindow:
        session = Session(window.session.ctx, SynchronousTaskRunner())
        session.show_dialogs = False
        win = MainWindow(session)
        qtbot.addWidget(win)
        return win

    again = fresh()
    assert again.reopen_last_visit() and again.visit.assessment_id == visit_id
    assert again.windowTitle() == TITLE
    recent = again.recent_menu
    again.fill_recent_menu()
    assert [a.text() for a in recent.actions()] == ["Zoë Ångström-Nuñez — Home visit 10/03/2026"]
    A.delete_assessment(window.session.ctx, visit_id)
    later = fresh()
    assert not later.reopen_last_visit() and later.screens.currentWidget() is later.clients
    later.fill_recent_menu()
    assert [a.text() for a in later.recent_menu.actions()] == ["No recent visits"]


def test_overdue_and_catalogue_are_windows_beside_the_work(demo_window: tuple[MainWindow, str]) -> None:
    window, _ = demo_window
    overdue = window.show_overdue()
    catalogue = window.show_catalogue()
    for shown in (overdue, catalogue):
        assert shown.isVisible() and not shown.isModal()
        assert shown.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() not in (overdue, catalogue)
    overdue.close()
    assert window.show_overdue() is overdue and overdue.isVisible()
    assert window.show_catalogue() is catalogue
    assert window.visit.assessment_id is not None   # the visit stayed usable behind them


def test_archive_hides_a_client_until_show_archived(window: MainWindow) -> None:
    client_id, _ = make_visit(window)
    screen = window.clients
    menu = screen.client_menu()
    assert [a.text() for a in menu.actions()] == ["Open", "Start a visit", "Archive", "Delete", "History…", "",
                                                  "Export client…", "", "Erase deleted photos…", "Erase permanently…"]
    menu.actions()[2].trigger()
    assert screen.model.rowCount() == 0
    assert screen.stack.currentIndex() == 1   # still the list (with the toggle), not the welcome page
    screen.show_archived.setChecked(True)
    assert screen.model.index(0, 0).data() == "Zoë Ångström-Nuñez (archived)"
    unarchive = screen.client_menu().actions()[2]
    assert unarchive.text() == "Unarchive"
    unarchive.trigger()
    screen.show_archived.setChecked(False)
    assert screen.model.index(0, 0).data() == "Zoë Ångström-Nuñez"
    window.undo_action.trigger()   # undo the unarchive
    assert C.archived_clients(window.session.ctx) == {client_id}


def test_delete_a_client_and_undo_from_the_status_bar_or_ctrl_z(window: MainWindow) -> None:
    client_id, _ = make_visit(window)
    screen = window.clients
    screen.client_menu().actions()[3].trigger()
    assert C.list_clients(window.session.ctx) == []
    undo = window.findChild(QPushButton, "statusUndo")
    assert undo.isVisible() and "Deleted Zoë Ångström-Nuñez" in window.statusBar().currentMessage()
    undo.click()
    assert [c.id for c in C.list_clients(window.session.ctx)] == [client_id]
    assert not undo.isVisible()
    window.undo_action.setEnabled(True)
    window.redo_action.trigger()
    assert C.list_clients(window.session.ctx) == []
    window.undo_action.trigger()
    assert [c.id for c in C.list_clients(window.session.ctx)] == [client_id]


def test_visit_list_menu_archives_and_deletes_visits(window: MainWindow) -> None:
    _, visit_id = make_visit(window)
    screen = window.clients
    screen.visits.setCurrentRow(0)
    menu = screen.visit_menu()
    assert [a.text() for a in menu.actions()] == ["Open", "Archive", "Delete", "History…"]
    menu.actions()[1].trigger()
    assert screen.visits.count() == 0
    screen.show_archived.setChecked(True)
    assert "archived" in screen.visits.item(0).text()
    screen.visits.setCurrentRow(0)
    screen.visit_menu().actions()[2].trigger()
    assert A.list_assessments(window.session.ctx) == []
    window.undo_action.trigger()
    assert [v.id for v in A.list_assessments(window.session.ctx)] == [visit_id]
    screen.visits.setCurrentRow(0)
    opened = []
    screen.visit_opened.connect(opened.append)
    screen.visit_menu().actions()[0].trigger()
    assert opened == [visit_id]


def test_naming_a_client_who_exists_asks_first(window: MainWindow, monkeypatch) -> None:  # noqa: ANN001
    first, _ = C.create_client(window.session.ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    asked: list[str] = []
    answers = iter(["cancel", "open", "create"])
    monkeypatch.setattr(client_list, "ask_duplicate", lambda parent, message: asked.append(message) or next(answers))
    editor = window.editor

    def name_new_client() -> None:
        window.new_client()
        editor.texts["given_name"].widget.setText("Zoë")
        editor.texts["given_name"].flush()   # as when tabbing to the family name
        editor.texts["family_name"].widget.setText("Ångström-Nuñez")
        editor.texts["family_name"].flush()

    name_new_client()
    assert asked == ["A client named Zoë Ångström-Nuñez already exists. Create another?"]
    assert editor.client_id is None and len(C.list_clients(window.session.ctx)) == 1
    name_new_client()
    assert editor.client_id == first.id and len(C.list_clients(window.session.ctx)) == 1
    name_new_client()
    assert editor.client_id not in (None, first.id) and len(C.list_clients(window.session.ctx)) == 2


def test_the_duplicate_question_itself(window: MainWindow, qtbot: QtBot) -> None:
    C.create_client(window.session.ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)   # the box is not up yet: look again (no fixed wait on success)
            return
        seen.append(box.text())
        box.findChild(QPushButton, "duplicate_create").click()

    QTimer.singleShot(0, answer)
    detail = client_list.create_client_asking(window.session, window, given_name="Zoë", family_name="Ångström-Nuñez")
    assert seen == ["A client named Zoë Ångström-Nuñez already exists. Create another?"]
    assert detail is not None and len(C.list_clients(window.session.ctx)) == 2


def test_a_new_visit_takes_the_settings_and_the_dialog_asks_only_the_kind(window: MainWindow, monkeypatch) -> None:  # noqa: ANN001
    ctx = window.session.ctx
    S.apply_country(ctx, "AU")
    S.set_setting(ctx, "therapist.name", "Sam Patel")
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez",
                                identifiers={"NHS number": "943 476 5919"})
    dialog = NewVisitDialog(window, S.visit_defaults(S.get_settings(ctx)))
    assert dialog.values() == {"kind": "home"}
    assert "Australia" in dialog.summary.text() and "Sam Patel" in dialog.summary.text()
    monkeypatch.setattr(NewVisitDialog, "ask", classmethod(lambda cls, parent, defaults: {"kind": "workplace"}))
    window.new_visit(client.id)
    view = A.get_assessment(ctx, window.visit.assessment_id)
    assert (view.kind, view.standard, view.units, view.therapist_name) == ("workplace", "AU", "metric", "Sam Patel")
    consent = window.visit.overview.dialog          # consent is asked for first
    assert consent.objectName() == "consentDialog" and consent.isVisible()
    consent.reject()


def test_first_run_asks_the_country_once(window: MainWindow) -> None:
    dialog = window.ask_country_if_first_run()
    assert dialog is not None and set(dialog.buttons) == {"UK", "US", "AU"}
    dialog.buttons["US"].click()
    settings = S.get_settings(window.session.ctx)
    assert (settings["defaults.standard"], settings["defaults.units"], settings["defaults.paper"]) == ("US", "imperial", "Letter")
    assert window.ask_country_if_first_run() is None


def test_settings_window_saves_as_you_type_and_shows_errors(window: MainWindow, qtbot: QtBot) -> None:
    settings = window.show_settings()
    assert settings.isVisible() and not settings.isModal()
    email = settings.texts["therapist.email"]
    qtbot.keyClicks(email.widget, "sam.patel")
    email.flush()
    error = settings.findChild(QLabel, "error_therapist.email")
    assert error.isVisible() and "not an email" in error.text()
    qtbot.keyClicks(email.widget, "@nhs.net")
    email.flush()
    assert not error.isVisible()
    settings.texts["therapist.name"].widget.setText("Zoë Ångström-Nuñez")
    settings.texts["therapist.name"].flush()
    units = settings.combos["defaults.units"]
    units.setCurrentIndex(units.findData("imperial"))
    stored = S.get_settings(window.session.ctx)
    assert (stored["therapist.email"], stored["therapist.name"], stored["defaults.units"]) == (
        "sam.patel@nhs.net", "Zoë Ångström-Nuñez", "imperial")
    assert window.show_settings() is settings


def test_missing_desktop_libraries_are_named_before_qt_starts() -> None:
    missing = application.missing_xcb_packages(
        "linux", {"DISPLAY": ":0"}, can_load=lambda lib: lib not in ("libxcb-cursor.so.0", "libxcb-icccm.so.4"))
    assert missing == ["libxcb-cursor0", "libxcb-icccm4"]
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in application.missing_libraries_message(missing)
    assert application.missing_xcb_packages("linux", {"QT_QPA_PLATFORM": "offscreen"}, can_load=lambda lib: False) == []
    assert application.missing_xcb_packages("win32", {}, can_load=lambda lib: False) == []
    assert application.missing_xcb_packages("linux", {"QT_QPA_PLATFORM": "xcb"}, can_load=lambda lib: False)
