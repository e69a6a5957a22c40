"""The shell: toolbar, a stack of screens, undo/redo and the save indicator. Nothing else."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QToolBar

from homeassess.services import assessments as A
from homeassess.services.demo import create_demo
from homeassess.ui.errors import error_dialog
from homeassess.ui.screens.client_editor import ClientEditorScreen
from homeassess.ui.screens.client_list import ClientListScreen
from homeassess.ui.screens.new_visit import NewVisitDialog
from homeassess.ui.screens.visit import VisitScreen
from homeassess.ui.session import Session


class MainWindow(QMainWindow):
    demo_ready = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("HomeAssess")
        self.session = session
        session.dialog_parent = self
        self.undo_group = QUndoGroup(self)
        self.clients = ClientListScreen(session)
        self.editor = ClientEditorScreen(session)
        self.visit = VisitScreen(session, self.undo_group)
        self.screens = QStackedWidget()
        for screen in (self.clients, self.editor, self.visit):
            self.screens.addWidget(screen)
        self.setCentralWidget(self.screens)
        self._build_toolbar()
        self._build_status()
        self._connect()
        self.resize(1280, 760)
        self.restored = self._restore_geometry()

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        home = QAction("Clients", self)
        home.setObjectName("homeAction")
        home.setShortcut(QKeySequence("Ctrl+H"))
        home.triggered.connect(self.show_clients)
        undo = self.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_action, self.redo_action = undo, redo
        catalogue = QAction("Catalogue", self)
        catalogue.setObjectName("catalogueAction")
        catalogue.triggered.connect(self.show_catalogue)
        overdue = QAction("Overdue", self)
        overdue.setObjectName("overdueAction")
        overdue.triggered.connect(self.show_overdue)
        for action in (home, catalogue, overdue, undo, redo):
            bar.addAction(action)
            self.addAction(action)
        self.addToolBar(bar)

    def _build_status(self) -> None:
        self.saved = QLabel("All changes saved")
        self.saved.setObjectName("saveIndicator")
        self.statusBar().addPermanentWidget(self.saved)

    def _connect(self) -> None:
        self.clients.client_opened.connect(self.show_client)
        self.clients.new_client_requested.connect(self.new_client)
        self.clients.visit_opened.connect(self.open_visit)
        self.clients.new_visit_requested.connect(self.new_visit)
        self.clients.demo_requested.connect(self.open_demo)
        self.editor.new_visit_requested.connect(self.new_visit)
        self.visit.client_requested.connect(self.show_client)
        self.session.save_state_changed.connect(self._on_save_state)
        self.session.tasks.task_started.connect(lambda: self.saved.setText("Working…"))
        self.session.tasks.task_finished.connect(lambda: self.saved.setText("All changes saved"))

    # -- navigation -------------------------------------------------------------------------
    def show_catalogue(self) -> None:
        from homeassess.ui.screens.catalogue import CatalogueDialog

        self.session.pending.flush_all()
        self.session.show_dialog(CatalogueDialog(self.session, self))

    def show_overdue(self) -> None:
        from homeassess.ui.screens.overdue import OverdueDialog

        self.session.pending.flush_all()
        dialog = OverdueDialog(self.session, self)
        dialog.visit_requested.connect(self.open_visit)
        self.session.show_dialog(dialog)

    def show_clients(self) -> None:
        self.session.pending.flush_all()
        self.clients.refresh()
        self.screens.setCurrentWidget(self.clients)

    def show_client(self, client_id: str) -> None:
        self.editor.open_client(client_id)
        self.screens.setCurrentWidget(self.editor)

    def new_client(self) -> None:
        self.editor.start_new()
        self.screens.setCurrentWidget(self.editor)

    def open_visit(self, assessment_id: str) -> None:
        if self.visit.open_visit(assessment_id):
            self.screens.setCurrentWidget(self.visit)

    def new_visit(self, client_id: str) -> None:
        self.session.pending.flush_all()
        previous = (self.session.read(A.list_assessments) or [None])[0]
        defaults = {}
        if previous is not None:
            last = self.session.read(A.get_assessment, previous.id)
            defaults = {k: getattr(last, k) for k in ("therapist_name", "therapist_registration", "organisation",
                                                      "standard", "units")} if last else {}
        values = NewVisitDialog.ask(self, defaults)
        if values:
            view = self.session.call(A.create_assessment, client_id, **values)
            if view is not None:
                self.open_visit(view.id)

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

    def _on_save_state(self, state: str) -> None:
        self.saved.setText("All changes saved" if state == "saved" else "Couldn't save — see message")
        self.saved.setStyleSheet("" if state == "saved" else "color: #B91C1C; font-weight: bold;")

    # -- state ------------------------------------------------------------------------------
    def _restore_geometry(self) -> bool:
        geometry = QSettings().value("mainWindow/geometry")
        return geometry is not None and self.restoreGeometry(geometry)

    def show_initial(self) -> None:
        """First start fills the screen (laptops and tablets are small); later starts restore."""
        if self.restored:
            self.show()
        else:
            self.showMaximized()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.session.pending.flush_all()
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        self.session.tasks.shutdown()
        super().closeEvent(event)


def _demo_job(ctx, *, progress, cancel) -> str:  # noqa: ANN001 (job signature)
    """Bulk demo creation runs off the UI thread; it writes through its own short units of work."""
    progress(0.0, "Creating the demo visit")
    return create_demo(ctx)
