"""The shell: menus (the complete set of commands), a toolbar, a stack of screens, undo/redo, the
window title and the save indicator. Screens do the work; this file only wires them."""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QStackedWidget, QToolBar, QWidget

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.services.changes import Changes
from homeassess.services.demo import create_demo
from homeassess.services.housekeeping import sweep_job
from homeassess.ui.errors import error_dialog
from homeassess.ui.screens.bundles import BundleTransfer
from homeassess.ui.screens.client_editor import ClientEditorScreen
from homeassess.ui.screens.client_list import ClientListScreen
from homeassess.ui.screens.new_visit import NewVisitDialog
from homeassess.ui.screens.visit import KIND_TITLES, VisitScreen
from homeassess.ui.session import Session

APP_TITLE = "HomeAssess"
log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    demo_ready = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.session = session
        session.dialog_parent = self
        self.undo_group = QUndoGroup(self)
        self.clients = ClientListScreen(session)
        self.undo_group.addStack(self.clients.undo_stack)
        self.editor = ClientEditorScreen(session)
        self.visit = VisitScreen(session, self.undo_group)
        self.screens = QStackedWidget()
        for screen in (self.clients, self.editor, self.visit):
            self.screens.addWidget(screen)
        self.setCentralWidget(self.screens)
        self.windows: dict[str, QWidget] = {}   # the non-modal windows, one of each
        self.country_dialog: QWidget | None = None
        self.restore_requested: str | None = None   # a backup to restore once this window has closed
        self.actions_by_name: dict[str, QAction] = {}
        self.bundles = BundleTransfer(session, self, open_visit=self.open_visit, undo_stacks=self.visit.stacks,
                                      say=lambda text: self.statusBar().showMessage(text, 15000))
        self.setAcceptDrops(True)   # a .homeassess file dropped on the window is imported
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status()
        self._connect()
        self.undo_group.setActiveStack(self.clients.undo_stack)
        self._on_screen_changed()
        self.resize(1280, 760)
        self.restored = self._restore_geometry()

    # -- actions and menus ------------------------------------------------------------------
    def _action(self, name: str, text: str, slot: object, shortcut: str | QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        a = self._action
        a("newClientAction", "&New client", self.new_client, "Ctrl+N")
        a("settingsAction", "&Settings…", self.show_settings, QKeySequence.StandardKey.Preferences)
        a("backupsAction", "&Backups…", self.show_backups)
        a("quitAction", "&Quit", self.close, "Ctrl+Q")
        a("importAction", "&Import…", self.bundles.import_file)
        a("exportVisitAction", "&Export visit…", lambda: self.bundles.export_visit(self.visit.assessment_id))
        a("exportClientAction", "Export &client…", lambda: self.bundles.export_client(self.current_client_id()))
        a("findClientAction", "&Find client", self.find_client, "Ctrl+F")
        a("homeAction", "Clients", self.show_clients, "Ctrl+H")
        a("catalogueAction", "Equipment &catalogue…", self.show_catalogue)
        a("overdueAction", "O&verdue…", self.show_overdue)
        a("teamAction", "&Team…", self.show_team)
        a("guideAction", "HomeAssess &guide", self.show_guide, "F1")
        a("aboutAction", "&About HomeAssess", self.show_about)
        for name, text, slot in (("visitOverviewAction", "&Overview", self.visit.show_overview),
                                 ("visitFollowUpAction", "&Follow-up review", self.visit.show_follow_up),
                                 ("visitRecommendationsAction", "&Recommendations", self.visit.show_recommendations),
                                 ("visitCostsAction", "&Costs and order", self.visit.show_costs),
                                 ("visitReportAction", "R&eports", self.visit.show_report),
                                 ("visitClientAction", "Client &profile",
                                  lambda: self.visit.client_id and self.show_client(self.visit.client_id)),
                                 ("visitHistoryAction", "&History…",
                                  lambda: self.show_history("visit", self.visit.assessment_id))):
            a(name, text, slot)
        undo = self.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo

    def _build_menus(self) -> None:
        get = self.actions_by_name
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.setObjectName("fileMenu")
        file.addAction(get["newClientAction"])
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        file.addSeparator()
        file.addActions([get["importAction"], get["exportVisitAction"], get["exportClientAction"], get["teamAction"]])
        file.aboutToShow.connect(self._update_export_actions)
        file.addSeparator()
        file.addActions([get["settingsAction"], get["backupsAction"]])
        file.addSeparator()
        file.addAction(get["quitAction"])
        edit = bar.addMenu("&Edit")
        edit.setObjectName("editMenu")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addAction(get["findClientAction"])
        edit.addAction(get["homeAction"])
        visit = bar.addMenu("&Visit")
        visit.setObjectName("visitMenu")
        visit.addActions([get[n] for n in self._visit_action_names()])
        visit.addSeparator()
        visit.addActions([get["overdueAction"], get["catalogueAction"]])
        help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("helpMenu")
        help_menu.addActions([get["guideAction"], get["aboutAction"]])
        self.fill_recent_menu()

    @staticmethod
    def _visit_action_names() -> tuple[str, ...]:
        return ("visitOverviewAction", "visitFollowUpAction", "visitRecommendationsAction", "visitCostsAction",
                "visitReportAction", "visitClientAction", "visitHistoryAction")

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        get = self.actions_by_name
        for action in (get["homeAction"], get["catalogueAction"], get["overdueAction"], self.undo_action,
                       self.redo_action):
            bar.addAction(action)
        self.addToolBar(bar)

    def _build_status(self) -> None:
        self.saved = QLabel("All changes saved")
        self.saved.setObjectName("saveIndicator")
        self.undo_delete = QPushButton("Undo")
        self.undo_delete.setObjectName("statusUndo")
        self.undo_delete.hide()
        self.undo_delete.clicked.connect(self._undo_from_status)
        self.statusBar().addWidget(self.undo_delete)
        self.statusBar().messageChanged.connect(lambda text: text or self.undo_delete.hide())
        self.statusBar().addPermanentWidget(self.saved)

    def _connect(self) -> None:
        self.clients.client_opened.connect(self.show_client)
        self.clients.new_client_requested.connect(self.new_client)
        self.clients.visit_opened.connect(self.open_visit)
        self.clients.new_visit_requested.connect(self.new_visit)
        self.clients.demo_requested.connect(self.open_demo)
        self.clients.undoable.connect(self._offer_undo)
        self.clients.export_requested.connect(self.bundles.export_client)
        self.editor.new_visit_requested.connect(self.new_visit)
        self.clients.history_requested.connect(self.show_history)
        self.editor.history_requested.connect(self.show_history)
        self.visit.client_requested.connect(self.show_client)
        self.screens.currentChanged.connect(lambda _i: self._on_screen_changed())
        self.session.bus.changed.connect(self._on_bus_changed)
        self.session.save_state_changed.connect(self._on_save_state)
        self.session.tasks.task_started.connect(lambda: self.saved.setText("Working…"))
        self.session.tasks.task_finished.connect(lambda: self.saved.setText("All changes saved"))

    # -- windows that stay open beside the work (not modal, one of each) --------------------
    def _window(self, key: str, make: object) -> QWidget:
        window = self.windows.get(key)
        if window is None:
            window = make()
            self.windows[key] = window
        was_visible = window.isVisible()
        window.show()
        if was_visible and QGuiApplication.platformName() != "offscreen":  # offscreen cannot raise a window
            window.raise_()
        window.activateWindow()
        return window

    def show_catalogue(self) -> QWidget:
        from homeassess.ui.screens.catalogue import CatalogueDialog

        self.session.pending.flush_all()
        settings = self.session.read(S.get_settings)
        region = settings.standard if settings else None
        return self._window("catalogue", lambda: CatalogueDialog(self.session, self, **(
            {"region": region} if region else {})))

    def show_overdue(self) -> QWidget:
        from homeassess.ui.screens.overdue import OverdueDialog

        self.session.pending.flush_all()
        fresh = "overdue" not in self.windows

        def make() -> OverdueDialog:
            dialog = OverdueDialog(self.session, self)
            dialog.visit_requested.connect(self.open_visit)
            return dialog

        window = self._window("overdue", make)
        if not fresh:
            window.refresh()
        return window

    def show_team(self) -> QWidget:
        from homeassess.ui.screens.team import TeamWindow

        self.session.pending.flush_all()
        fresh = "team" not in self.windows
        window = self._window("team", lambda: TeamWindow(self.session, self, open_settings=self.show_settings,
                                                         undo_stacks=self.visit.stacks))
        if not fresh:
            window.refresh()
        return window

    def show_settings(self) -> QWidget:
        from homeassess.ui.screens.settings import SettingsWindow

        self.session.pending.flush_all()
        fresh = "settings" not in self.windows
        window = self._window("settings", lambda: SettingsWindow(self.session, self, open_backups=self.show_backups))
        if not fresh:
            window.load()
        return window

    def show_backups(self) -> QWidget:
        from homeassess.ui.screens.backups import BackupsWindow

        fresh = "backups" not in self.windows
        window = self._window("backups", lambda: BackupsWindow(
            self.session, self, restore=lambda name: self.restore_and_reopen(name)))
        if not fresh:
            window.refresh()
        return window

    def show_guide(self) -> QWidget:
        from homeassess.ui.screens.guide import GuideWindow

        return self._window("guide", lambda: GuideWindow(self))

    def show_about(self) -> QWidget:
        from homeassess.ui.screens.guide import about_box

        box = about_box(self, self.session.ctx.data_dir)
        self.session.show_dialog(box)
        return box

    def show_history(self, kind: str, record_id: str | None) -> QWidget | None:
        """History… of a client ("client") or a visit ("visit"), in one window beside the work."""
        from homeassess.ui.screens.history import HistoryWindow, history_title

        if not record_id:
            return None
        self.session.pending.flush_all()
        window = self._window("history", lambda: HistoryWindow(self.session, self))
        window.open_for(kind, record_id, history_title(self.session, kind, record_id))
        return window

    # -- navigation -------------------------------------------------------------------------
    def show_clients(self) -> None:
        self.session.pending.flush_all()
        self.clients.refresh()
        self.screens.setCurrentWidget(self.clients)

    def find_client(self) -> None:
        self.show_clients()
        self.clients.search.setFocus()
        self.clients.search.selectAll()

    def show_client(self, client_id: str) -> None:
        self.editor.open_client(client_id)
        self.screens.setCurrentWidget(self.editor)
        self._update_title()

    def new_client(self) -> None:
        self.editor.start_new()
        self.screens.setCurrentWidget(self.editor)
        self._update_title()

    def open_visit(self, assessment_id: str) -> bool:
        if not self.visit.open_visit(assessment_id):
            return False
        self.screens.setCurrentWidget(self.visit)
        self.session.call(S.remember_visit, self.visit.assessment_id)
        self._on_screen_changed()
        return True

    def reopen_last_visit(self) -> bool:
        """At start: the visit open when the app was last used, unless it (or its client) was deleted."""
        last = self.session.read(S.last_visit_id)
        view = self.session.read(A.get_assessment, last) if last else None
        if view is None or self.session.read(C.get_client, view.client_id) is None:
            return False
        return self.open_visit(view.id)

    def new_visit(self, client_id: str) -> None:
        self.session.pending.flush_all()
        settings = self.session.read(S.get_settings)
        values = NewVisitDialog.ask(self, S.visit_defaults(settings) if settings else {})
        if values:
            view = self.session.call(A.create_assessment, client_id, **values)
            if view is not None:
                self.open_visit(view.id)
                self.visit.overview.open_consent()   # consent is the first thing recorded on a visit

    def fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for view, label in self._recent_visits():
            self.recent_menu.addAction(label).triggered.connect(partial(self._open_recent, view.id))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent visits").setEnabled(False)

    def _open_recent(self, assessment_id: str, _checked: bool = False) -> None:
        self.open_visit(assessment_id)

    def _recent_visits(self) -> list[tuple[object, str]]:
        ids = self.session.read(S.recent_visit_ids) or []
        live = {v.id: v for v in self.session.read(A.list_assessments) or []}
        return [(live[i], f"{live[i].client_name} — {self.visit_label(live[i].kind, live[i].visit_date)}")
                for i in ids if i in live]

    @staticmethod
    def visit_label(kind: str, visit_date: object) -> str:
        return f"{KIND_TITLES.get(kind, kind)} {visit_date:%d/%m/%Y}"

    def open_demo(self) -> None:
        self.statusBar().showMessage("Creating the demo visit…")
        self.session.tasks.submit(partial(_demo_job, self.session.ctx), on_success=self._on_demo_created,
                                  on_error=lambda e: self.session.show_dialog(
                                      error_dialog(self, "Demo not created", str(e))))

    def _on_demo_created(self, assessment_id: str) -> None:
        self.statusBar().clearMessage()
        self.clients.refresh()
        self.open_visit(assessment_id)
        self.demo_ready.emit(assessment_id)

    # -- first run ----------------------------------------------------------------------------
    def ask_country_if_first_run(self) -> QWidget | None:
        """The first start asks where the therapist works; that sets standards, units and paper."""
        from homeassess.ui.screens.settings import CountryDialog

        settings = self.session.read(S.get_settings)
        if settings is None or settings.country_chosen:
            return None
        self.country_dialog = CountryDialog(self.session, self)
        self.session.show_dialog(self.country_dialog)
        return self.country_dialog

    # -- state shown in the chrome ----------------------------------------------------------
    def _on_screen_changed(self) -> None:
        on_visit = self.screens.currentWidget() is self.visit and self.visit.assessment_id is not None
        for name in self._visit_action_names():
            self.actions_by_name[name].setEnabled(on_visit)
        if on_visit:
            self.actions_by_name["visitFollowUpAction"].setEnabled(not self.visit.nav["follow_up"].isHidden())
        else:
            self.undo_group.setActiveStack(self.clients.undo_stack)
        self._update_export_actions()
        self._update_title()

    def current_client_id(self) -> str | None:
        """The client on screen: the visit's, the profile's, or the one selected in the list."""
        current = self.screens.currentWidget()
        if current is self.clients:
            chosen = self.clients.selected_id()
            return chosen if chosen not in self.clients.deleted_ids else None
        return self.visit.client_id if current is self.visit else self.editor.client_id

    def _update_export_actions(self) -> None:
        on_visit = self.screens.currentWidget() is self.visit and self.visit.assessment_id is not None
        self.actions_by_name["exportVisitAction"].setEnabled(on_visit)
        self.actions_by_name["exportClientAction"].setEnabled(self.current_client_id() is not None)

    def _update_title(self) -> None:
        self.setWindowTitle(" — ".join([*self._title_parts(), APP_TITLE]))

    def _title_parts(self) -> list[str]:
        current = self.screens.currentWidget()
        if current is self.visit and self.visit.assessment_id:
            view = self.session.read(A.get_assessment, self.visit.assessment_id)
            client = self.session.read(C.get_client, view.client_id) if view else None
            return [client.display_name, self.visit_label(view.kind, view.visit_date)] if client else []
        if current is self.editor:
            client = self.session.read(C.get_client, self.editor.client_id) if self.editor.client_id else None
            return [client.display_name if client else "New client"]
        return []

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.clients or changes.assessment_meta:
            self._update_title()

    def _offer_undo(self, message: str) -> None:
        self.statusBar().showMessage(message, 20000)
        self.undo_delete.show()

    def _undo_from_status(self) -> None:
        self.clients.undo_stack.undo()
        self.statusBar().clearMessage()

    def _on_save_state(self, state: str) -> None:
        self.saved.setText("All changes saved" if state == "saved" else "Couldn't save — see message")
        self.saved.setStyleSheet("" if state == "saved" else "color: #B91C1C; font-weight: bold;")

    # -- state ------------------------------------------------------------------------------
    def _restore_geometry(self) -> bool:
        geometry = QSettings().value("mainWindow/geometry")
        return geometry is not None and self.restoreGeometry(geometry)

    def show_initial(self) -> None:
        """First start fills the screen (laptops and tablets are small); later starts restore. What
        interrupted work left behind is swept in the background (services/housekeeping.py)."""
        if self.restored:
            self.show()
        else:
            self.showMaximized()
        self.session.tasks.submit(partial(sweep_job, self.session.ctx), on_success=lambda _report: None,
                                  on_error=lambda e: log.warning("the start-up sweep stopped: %s", e))

    def restore_and_reopen(self, backup_name: str) -> None:
        """Close this window so the app can put the backup in place and open it again
        (``ui/application.py``: nothing may hold the database during a restore)."""
        self.restore_requested = backup_name
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible():
                widget.close()
        self.close()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        self.bundles.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        self.bundles.dropped(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.session.pending.flush_all()
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        self.session.tasks.shutdown()
        super().closeEvent(event)


def _demo_job(ctx, *, progress, cancel) -> str:  # noqa: ANN001 (job signature)
    """Bulk demo creation runs off the UI thread; it writes through its own short units of work."""
    progress(0.0, "Creating the demo visit")
    return create_demo(ctx)
