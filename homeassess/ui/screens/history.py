"""History… (a client's, or a visit's): every change in plain words, newest first, with a text filter.

A non-modal window beside the work (``MainWindow.show_history``), one at a time: opening another
client's or visit's history shows that one in it. The list is read off the UI thread and read again
when something changes while it is open. Changes HomeAssess made itself (findings and suggestions it
re-derived) are hidden until asked for.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QTableView, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import NotFoundError, StorageError
from homeassess.services import history as H
from homeassess.services.changes import Changes
from homeassess.services.history import ChangeView
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import fit_to_screen
from homeassess.ui.widgets.style import TOUCH

COLUMNS = ("When", "Who", "What")
CLIENT, VISIT = "client", "visit"
EMPTY = "No changes recorded yet."
AUTOMATIC_GREY = "#6B7280"   # HomeAssess's own changes, set back from the therapist's


def history_title(session: Session, kind: str, record_id: str) -> str:
    """ "Zoë Ångström-Nuñez", or "Zoë Ångström-Nuñez — Home visit 10/03/2026" for a visit."""
    from homeassess.services import assessments as A
    from homeassess.services import clients as C
    from homeassess.ui.screens.visit import KIND_TITLES

    visit = session.read(A.get_assessment, record_id) if kind == VISIT else None
    client = session.read(C.get_client, visit.client_id if visit else record_id) if kind == CLIENT or visit else None
    name = client.display_name if client else ""
    if visit is None:
        return name
    when = f"{KIND_TITLES.get(visit.kind, visit.kind)} {visit.visit_date:%d/%m/%Y}"
    return f"{name} — {when}" if name else when


def _history_job(ctx: object, kind: str, record_id: str, *, progress: object, cancel: object) -> list[ChangeView]:
    return (H.client_history if kind == CLIENT else H.visit_history)(ctx, record_id)


class ChangeTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changes: list[ChangeView] = []

    def set_changes(self, changes: list[ChangeView]) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        change = self.changes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (change.when, change.who, change.what)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return change.sentence
        if role == Qt.ItemDataRole.ForegroundRole and change.automatic:
            return QBrush(QColor(AUTOMATIC_GREY))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class ChangeFilter(QSortFilterProxyModel):
    """The text filter (any column, any case) and whether HomeAssess's own changes are shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_automatic = False
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_show_automatic(self, show: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10 replaces invalidateFilter()
            self.beginFilterChange()
            self.show_automatic = show
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.show_automatic = show
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        change = self.sourceModel().changes[row]
        return (self.show_automatic or not change.automatic) and super().filterAcceptsRow(row, parent)


class HistoryWindow(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyWindow")
        self.session = session
        self.kind, self.record_id = CLIENT, ""
        self._loading = 0   # only the newest reading is shown when two overlap
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("historyHeading")
        layout.addWidget(self.heading)
        layout.addLayout(self._build_filters())
        layout.addWidget(self._build_table(), 1)
        self.detail = QLabel()
        self.detail.setObjectName("historyDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout.addWidget(close)
        fit_to_screen(self, 960, 600)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("historyFilter")
        self.search.setAccessibleName("Filter the history")
        self.search.setPlaceholderText("Filter: a room, a question, a name, a word…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(TOUCH)
        self.automatic = QCheckBox("Show changes HomeAssess made itself")
        self.automatic.setObjectName("historyShowAutomatic")
        self.automatic.setToolTip("Findings and suggested recommendations HomeAssess worked out from the answers")
        self.count = QLabel()
        self.count.setObjectName("historyCount")
        row.addWidget(self.search, 1)
        row.addWidget(self.automatic)
        row.addWidget(self.count)
        return row

    def _build_table(self) -> QTableView:
        self.model = ChangeTableModel(self)
        self.proxy = ChangeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self._filter)
        self.automatic.toggled.connect(self._show_automatic)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Changes, newest first")
        self.table.setModel(self.proxy)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 130)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_detail(current))
        return self.table

    # -- what is shown ------------------------------------------------------------------------
    def open_for(self, kind: str, record_id: str, title: str) -> None:
        """Show the history of a client (``CLIENT``) or a visit (``VISIT``)."""
        self.kind, self.record_id = kind, record_id
        self.setWindowTitle(f"History — {title}" if title else "History")
        self.heading.setText(f"<b>{'Changes to ' + title if title else 'Changes'}</b>, newest first")
        self.refresh()

    def refresh(self) -> None:
        self._loading += 1
        self.session.tasks.submit(partial(_history_job, self.session.ctx, self.kind, self.record_id),
                                  on_success=partial(self._show, self._loading),
                                  on_error=partial(self._failed, self._loading))

    def _show(self, loading: int, changes: list[ChangeView]) -> None:
        if loading == self._loading:
            self.model.set_changes(changes)
            self._update_count()

    def _failed(self, loading: int, error: BaseException) -> None:
        if not isinstance(error, (StorageError, NotFoundError)):
            raise error
        if loading == self._loading:
            self.model.set_changes([])
            self.count.setText(f"The history could not be read: {error}")

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _show_automatic(self, show: bool) -> None:
        self.proxy.set_show_automatic(show)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(EMPTY if total == 0 else f"{shown} of {total} shown")
        self._show_detail(self.table.currentIndex())

    def _show_detail(self, index: QModelIndex) -> None:
        self.detail.setText(index.siblingAtColumn(0).data(Qt.ItemDataRole.ToolTipRole) or "" if index.isValid() else "")

    def _on_bus_changed(self, _changes: Changes, _initiator: object) -> None:
        if self.isVisible() and self.record_id:
            self.refresh()
