"""First screen: find a client (search as you type), their visits, or start afresh."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.changes import Changes
from homeassess.ui.models.client_list import ID_ROLE, ClientFilterProxy, ClientListModel
from homeassess.ui.session import Session

KIND_LABELS = {"home": "Home visit", "workplace": "Workplace visit", "follow_up": "Follow-up visit"}


class ClientListScreen(QWidget):
    client_opened = Signal(str)
    new_client_requested = Signal()
    visit_opened = Signal(str)
    new_visit_requested = Signal(str)
    demo_requested = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("clientListScreen")
        self.session = session
        self.model = ClientListModel(self)
        self.proxy = ClientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
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
        self.search.textChanged.connect(self.proxy.set_search)
        new = QPushButton("New client")
        new.setObjectName("newClientButton")
        new.setMinimumHeight(40)
        new.clicked.connect(self.new_client_requested)
        top.addWidget(self.search, 1)
        top.addWidget(new)
        self.table = QTableView()
        self.table.setObjectName("clientTable")
        self.table.setAccessibleName("Clients")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 120)
        self.table.doubleClicked.connect(lambda _i: self._open_selected())
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

    def _open_selected(self) -> None:
        if client_id := self.selected_id():
            self.client_opened.emit(client_id)

    def _open_visit(self) -> None:
        item = self.visits.currentItem() or self.visits.item(0)
        if item is not None:
            self.visit_opened.emit(item.data(ID_ROLE))

    def refresh(self) -> None:
        clients = self.session.read(C.list_clients) or []
        current = self.selected_id()
        self.model.set_clients(clients)
        self.stack.setCurrentIndex(1 if clients else 0)
        row = self.model.row_of(current) if current else 0
        if clients:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(max(row, 0), 0)).row())
        self._refresh_visits()

    def _refresh_visits(self) -> None:
        self.visits.clear()
        client_id = self.selected_id()
        if client_id is None:
            self.client_heading.setText("<b>Select a client</b>")
            return
        self.client_heading.setText(f"<b>{self.table.currentIndex().siblingAtColumn(0).data()}</b>")
        for visit in self.session.read(A.list_assessments, client_id) or []:
            label = f"{visit.visit_date:%d %b %Y} — {KIND_LABELS.get(visit.kind, visit.kind)}"
            item = QListWidgetItem(label + ("" if visit.status == "in_progress" else f" ({visit.status})"))
            item.setData(ID_ROLE, visit.id)
            self.visits.addItem(item)

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.clients or changes.assessment_meta:
            self.refresh()
