"""First screen: find a client (search as you type), their visits, or start afresh. Clients and visits
can be archived (hidden unless "Show archived") or deleted (soft, undoable) from their context menus;
a client, or a client's deleted photos, can be erased for good (deleted clients: "Show deleted").

The list is paged (``ClientListModel``): a page of 200 at a time from the services' search, which runs
once typing has paused for ``SEARCH_DEBOUNCE_MS`` (at once on Enter)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu,
    QMessageBox, QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import visit_record as V
from homeassess.services.changes import Changes
from homeassess.ui.models.client_list import ARCHIVED_ROLE, ID_ROLE, ClientListModel
from homeassess.ui.screens.erasure import ClientEraser
from homeassess.ui.session import Session
from homeassess.ui.undo import ServiceCommand

SEARCH_DEBOUNCE_MS = 150   # one query when typing pauses, not one per key
KIND_LABELS = {"home": "Home visit", "workplace": "Workplace visit", "follow_up": "Follow-up visit"}


def ask_duplicate(parent: QWidget | None, message: str) -> str:
    """"create" (another client), "open" (the existing one) or "cancel"."""
    box = duplicate_box(parent, message)
    box.exec()
    return box.property("answer") or "cancel"


def duplicate_box(parent: QWidget | None, message: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Question, "Client already exists", message, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("duplicateClientBox")
    for answer, text, role in (("create", "Create another", QMessageBox.ButtonRole.AcceptRole),
                               ("open", "Open the existing client", QMessageBox.ButtonRole.ActionRole),
                               ("cancel", "Cancel", QMessageBox.ButtonRole.RejectRole)):
        button = box.addButton(text, role)
        button.setObjectName(f"duplicate_{answer}")
        button.clicked.connect(lambda _c=False, a=answer: box.setProperty("answer", a))
    box.setDefaultButton(box.buttons()[-1])
    return box


def create_client_asking(session: Session, parent: QWidget | None, **fields: Any) -> Any:
    """Create a client; when one with the same name and date of birth exists, ask first. Returns the new
    (or, if the person chose it, the existing) client's detail, or None."""
    try:
        return session.call(C.create_client, initiator=parent, **fields)
    except C.DuplicateClientError as exc:
        existing, answer = exc.existing, ask_duplicate(parent, str(exc))
    if answer == "create":
        return session.call(C.create_client, initiator=parent, allow_duplicate=True, **fields)
    if answer == "open":
        return session.read(C.get_client, existing.id)
    return None


class ClientListScreen(QWidget):
    client_opened = Signal(str)
    new_client_requested = Signal()
    visit_opened = Signal(str)
    new_visit_requested = Signal(str)
    demo_requested = Signal()
    undoable = Signal(str)   # "Deleted …": the window offers Undo in the status bar
    export_requested = Signal(str)   # a client, with every visit, to a bundle file
    history_requested = Signal(str, str)   # ("client" | "visit", id): the History… window

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("clientListScreen")
        self.session = session
        self.undo_stack = QUndoStack(self)   # archive / delete from the list; the window adds it to its undo group
        self.eraser = ClientEraser(session, self, self._on_erased)
        self.model = ClientListModel(self, fetch=lambda *a, **k: session.read(C.search_clients, *a, **k))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty_state())
        self.stack.addWidget(self._build_list())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        session.bus.changed.connect(self._on_bus_changed)
        self.refresh()

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("firstRun")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel("<h1>Welcome to HomeAssess</h1>")
        text = QLabel("Start by adding the client you are visiting. Every answer, measurement and note is saved "
                      "as you go — there is no Save button.<br>Want to look around first? Open the demo: a "
                      "completed home visit for an older adult after a hip replacement.")
        text.setWordWrap(True)
        text.setFixedWidth(620)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        new = QPushButton("New client")
        new.setObjectName("firstRunNewClient")
        demo = QPushButton("Open the demo visit")
        demo.setObjectName("firstRunDemo")
        for button in (new, demo):
            button.setMinimumHeight(44)
            button.setMinimumWidth(220)
        new.setDefault(True)
        new.clicked.connect(self.new_client_requested)
        demo.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(new)
        buttons.addWidget(demo)
        buttons.addStretch(1)
        for widget in (title, text):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _build_list(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addLayout(self._build_search_column(), 3)
        layout.addLayout(self._build_visits_column(), 2)
        return page

    def _build_search_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("clientSearch")
        self.search.setPlaceholderText("Search clients by name or address…")
        self.search.setAccessibleName("Search clients")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(40)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        new = QPushButton("New client")
        new.setObjectName("newClientButton")
        new.setMinimumHeight(40)
        new.clicked.connect(self.new_client_requested)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setObjectName("showArchived")
        self.show_archived.toggled.connect(lambda _on: self.refresh())
        self.show_deleted = QCheckBox("Show deleted")
        self.show_deleted.setObjectName("showDeleted")
        self.show_deleted.setToolTip("Deleted clients can be restored or erased for good")
        self.show_deleted.toggled.connect(lambda _on: self.refresh())
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        top.addWidget(self.show_deleted)
        top.addWidget(new)
        self.table = QTableView()
        self.table.setObjectName("clientTable")
        self.table.setAccessibleName("Clients")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 120)
        self.table.doubleClicked.connect(lambda _i: self._open_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._client_menu_at)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._refresh_visits())
        column.addLayout(top)
        column.addWidget(self.table, 1)
        return column

    def _build_visits_column(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.client_heading = QLabel("<b>Select a client</b>")
        edit = QPushButton("Client profile")
        edit.setObjectName("openProfileButton")
        edit.clicked.connect(self._open_selected)
        self.visits = QListWidget()
        self.visits.setObjectName("visitList")
        self.visits.setAccessibleName("Visits")
        self.visits.itemActivated.connect(lambda item: self.visit_opened.emit(item.data(ID_ROLE)))
        self.visits.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.visits.customContextMenuRequested.connect(self._visit_menu_at)
        new_visit = QPushButton("New visit")
        new_visit.setObjectName("newVisitButton")
        new_visit.clicked.connect(lambda: self.selected_id() and self.new_visit_requested.emit(self.selected_id()))
        open_visit = QPushButton("Open visit")
        open_visit.setObjectName("openVisitButton")
        open_visit.clicked.connect(self._open_visit)
        for b in (edit, new_visit, open_visit):
            b.setMinimumHeight(40)
        buttons = QHBoxLayout()
        buttons.addWidget(edit)
        buttons.addWidget(new_visit)
        buttons.addWidget(open_visit)
        column.addWidget(self.client_heading)
        column.addWidget(QLabel("Visits"))
        column.addWidget(self.visits, 1)
        column.addLayout(buttons)
        return column

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    @property
    def deleted_ids(self) -> set[str]:
        """Deleted clients on the list ("Show deleted"): they open no profile, their menu restores or erases."""
        return self.model.deleted_ids

    def _open_selected(self) -> None:
        if (client_id := self.selected_id()) and client_id not in self.deleted_ids:
            self.client_opened.emit(client_id)

    def _open_visit(self) -> None:
        item = self.visits.currentItem() or self.visits.item(0)
        if item is not None:
            self.visit_opened.emit(item.data(ID_ROLE))

    def refresh(self) -> None:
        """List again (after a change, or a switch): as many rows as were loaded, the selection kept."""
        include, deleted = self.show_archived.isChecked(), self.show_deleted.isChecked()
        current = self.selected_id()
        self.search_timer.stop()
        self.model.set_query(search=self.search.text(), include_archived=include, include_deleted=deleted,
                             keep=self.model.rowCount())
        self._show_page(self.model.rowCount() > 0 or include or deleted)
        self._select(current)

    def apply_search(self) -> None:
        """Search for what is typed (the timer calls this once typing pauses; Enter at once)."""
        self.search_timer.stop()
        if self.search.text() != self.model.search:
            current = self.selected_id()
            self.model.set_query(search=self.search.text())
            self._select(current)

    def _select(self, client_id: str | None) -> None:
        """Select that client if listed, else the first; then show their visits."""
        row = self.model.row_of(client_id) if client_id else 0
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        else:
            self.table.setCurrentIndex(QModelIndex())
        self._refresh_visits()

    def _show_page(self, has_clients: bool) -> None:
        """The welcome page only when there is no client at all (archived and deleted ones count)."""
        if not has_clients:
            has_clients = bool(self.session.read(C.has_clients))
        self.stack.setCurrentIndex(1 if has_clients else 0)

    def _refresh_visits(self) -> None:
        self.visits.clear()
        client_id = self.selected_id()
        if client_id is None:
            self.client_heading.setText("<b>Select a client</b>")
            return
        self.client_heading.setText(f"<b>{self.table.currentIndex().siblingAtColumn(0).data()}</b>")
        archived = self.session.read(A.archived_assessments) or set()
        visits = self.session.read(A.list_assessments, client_id) or []
        statuses = self.session.read(V.visit_statuses, [v.id for v in visits]) or {}
        for visit in visits:
            if visit.id in archived and not self.show_archived.isChecked():
                continue
            label = f"{visit.visit_date:%d %b %Y} — {KIND_LABELS.get(visit.kind, visit.kind)}"
            extra = [statuses[visit.id].label if visit.id in statuses else visit.status]
            extra += ["archived"] if visit.id in archived else []
            item = QListWidgetItem(label + (f" ({', '.join(extra)})" if extra else ""))
            item.setData(ID_ROLE, visit.id)
            item.setData(ARCHIVED_ROLE, visit.id in archived)
            self.visits.addItem(item)

    # -- context menus: open, start a visit, archive, delete ---------------------------------
    def _client_menu_at(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
            self.client_menu().popup(self.table.viewport().mapToGlobal(pos))

    def _visit_menu_at(self, pos: QPoint) -> None:
        item = self.visits.itemAt(pos)
        if item is not None:
            self.visits.setCurrentItem(item)
            self.visit_menu().popup(self.visits.viewport().mapToGlobal(pos))

    def client_menu(self) -> QMenu:
        """The selected client's menu."""
        menu = QMenu(self)
        menu.setObjectName("clientContextMenu")
        client_id = self.selected_id()
        if client_id is None:
            return menu
        if client_id in self.deleted_ids:
            return self._deleted_client_menu(menu, client_id)
        archived = bool(self.table.currentIndex().data(ARCHIVED_ROLE))
        name = self._selected_name().removesuffix(" (archived)")
        for text, slot in (("Open", lambda: self.client_opened.emit(client_id)),
                           ("Start a visit", lambda: self.new_visit_requested.emit(client_id)),
                           ("Unarchive" if archived else "Archive", lambda: self.archive_client(client_id, not archived)),
                           ("Delete", lambda: self.delete_client(client_id, name)),
                           ("History…", lambda: self.history_requested.emit("client", client_id))):
            menu.addAction(text).triggered.connect(slot)
        menu.addSeparator()
        export = menu.addAction("Export client…")
        export.setObjectName("exportClientMenuAction")
        export.triggered.connect(lambda: self.export_requested.emit(client_id))
        menu.addSeparator()
        self._add_erase_actions(menu, client_id)
        return menu

    def _deleted_client_menu(self, menu: QMenu, client_id: str) -> QMenu:
        call = self.session.call
        menu.addAction("Restore").triggered.connect(lambda: self._push(
            "Restore client", lambda: call(C.delete_client, client_id, restore=True),
            lambda: call(C.delete_client, client_id)))
        self._add_erase_actions(menu, client_id)
        return menu

    def _add_erase_actions(self, menu: QMenu, client_id: str) -> None:
        for name, text, slot in (("erasePhotosAction", "Erase deleted photos…", self.eraser.erase_deleted_photos),
                                 ("eraseClientAction", "Erase permanently…", self.eraser.erase_client)):
            action = menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False, s=slot: s(client_id))

    def _on_erased(self, message: str, erased: bool) -> None:
        """After an erasure (the list refreshes from the change bus): undo steps may name what is gone."""
        if erased:
            self.undo_stack.clear()
        box = QMessageBox(QMessageBox.Icon.Information, "Erased", message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("erasedBox")
        self.session.show_dialog(box)

    def visit_menu(self) -> QMenu:
        """The selected visit's menu."""
        menu = QMenu(self)
        menu.setObjectName("visitContextMenu")
        item = self.visits.currentItem()
        if item is None:
            return menu
        visit_id, archived, label = item.data(ID_ROLE), bool(item.data(ARCHIVED_ROLE)), item.text()
        for text, slot in (("Open", lambda: self.visit_opened.emit(visit_id)),
                           ("Unarchive" if archived else "Archive", lambda: self.archive_visit(visit_id, not archived)),
                           ("Delete", lambda: self.delete_visit(visit_id, label)),
                           ("History…", lambda: self.history_requested.emit("visit", visit_id))):
            menu.addAction(text).triggered.connect(slot)
        return menu

    def _selected_name(self) -> str:
        index = self.table.currentIndex()
        return str(index.siblingAtColumn(0).data() or "") if index.isValid() else ""

    def _push(self, text: str, do: Any, undo: Any) -> None:
        self.undo_stack.push(ServiceCommand(text, do, undo))

    def archive_client(self, client_id: str, archive: bool = True) -> None:
        call = self.session.call
        self._push("Archive client" if archive else "Unarchive client",
                   lambda: call(C.archive_client, client_id, restore=not archive),
                   lambda: call(C.archive_client, client_id, restore=archive))

    def delete_client(self, client_id: str, name: str = "") -> None:
        call = self.session.call
        self._push(f"Delete {name or 'client'}", lambda: call(C.delete_client, client_id),
                   lambda: call(C.delete_client, client_id, restore=True))
        self.undoable.emit(f"Deleted {name or 'the client'}")

    def archive_visit(self, visit_id: str, archive: bool = True) -> None:
        call = self.session.call
        self._push("Archive visit" if archive else "Unarchive visit",
                   lambda: call(A.archive_assessment, visit_id, restore=not archive),
                   lambda: call(A.archive_assessment, visit_id, restore=archive))

    def delete_visit(self, visit_id: str, label: str = "") -> None:
        call = self.session.call
        self._push("Delete visit", lambda: call(A.delete_assessment, visit_id),
                   lambda: call(A.delete_assessment, visit_id, restore=True))
        self.undoable.emit(f"Deleted the visit {label}".strip())

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.clients or changes.assessment_meta:
            self.refresh()
