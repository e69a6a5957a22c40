"""The client list as a table model that pages through the services' client search: the first 200 rows
when the list opens or the search changes, 200 more each time the view scrolls to the end
(canFetchMore/fetchMore). A team's 50,000 clients open as quickly as a dozen, and a search is a query,
not a filter over every client held in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from homeassess.services.clients import ClientPage, Cursor
from homeassess.services.dto import ClientSummary

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 2
DELETED_ROLE = Qt.ItemDataRole.UserRole + 3
# fetch(search, include_archived=, deleted=, after=, limit=) -> a page, or None when the read failed
Fetch = Callable[..., ClientPage | None]


@dataclass(frozen=True, slots=True)
class ClientRow:
    client: ClientSummary
    archived: bool = False
    deleted: bool = False

    @property
    def name(self) -> str:
        return self.client.display_name + (" (deleted)" if self.deleted else " (archived)" if self.archived else "")


class ClientListModel(QAbstractTableModel):
    """Live clients matching ``search`` (archived ones too with ``include_archived``), then, with
    ``include_deleted``, the deleted ones, each in list order. Without ``fetch`` it shows the rows given
    to ``set_clients``."""

    HEADERS = ("Name", "Date of birth", "Address")
    PAGE = 200

    def __init__(self, parent: Any = None, fetch: Fetch | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._rows: list[ClientRow] = []
        self.search, self.include_archived, self.include_deleted = "", False, False
        self._parts: list[bool] = []   # still to list, in order: False the live clients, True the deleted
        self._after: Cursor | None = None

    # -- what is listed ------------------------------------------------------------------------
    def set_clients(self, rows: list[ClientSummary]) -> None:
        """Show exactly these clients (no paging)."""
        self.beginResetModel()
        self._rows, self._parts = [ClientRow(c) for c in rows], []
        self.endResetModel()

    def set_query(self, *, search: str | None = None, include_archived: bool | None = None,
                  include_deleted: bool | None = None, keep: int = 0) -> None:
        """List again from the top for the given search and switches (the others as they were), at
        least ``keep`` rows: a refresh keeps the rows the view had, and so its selection."""
        if search is not None:
            self.search = search
        if include_archived is not None:
            self.include_archived = include_archived
        if include_deleted is not None:
            self.include_deleted = include_deleted
        self.beginResetModel()
        self._after, self._parts = None, [False, True] if self.include_deleted else [False]
        self._rows = self._next(max(self.PAGE, keep)) if self._fetch is not None else []
        self.endResetModel()

    def _next(self, wanted: int) -> list[ClientRow]:
        rows: list[ClientRow] = []
        while self._parts and len(rows) < wanted:
            deleted = self._parts[0]
            page = self._fetch(self.search, include_archived=self.include_archived, deleted=deleted,
                               after=self._after, limit=wanted - len(rows)) if self._fetch else None
            if page is None:   # the read failed (the session has said why): the list ends here
                self._parts = []
                break
            rows += [ClientRow(c, c.id in page.archived, deleted) for c in page.clients]
            self._after = page.after
            if page.after is None:
                self._parts.pop(0)
        return rows

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and bool(self._parts)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid() or not self._parts:
            return
        rows = self._next(self.PAGE)
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self.endInsertRows()

    # -- the table -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.client.id
        if role == ARCHIVED_ROLE:
            return row.archived
        if role == DELETED_ROLE:
            return row.deleted
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return row.name
            if index.column() == 1:
                born = row.client.date_of_birth
                return born.strftime("%d %b %Y") if born else ""
            return row.client.address.replace("\n", ", ")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def row_of(self, client_id: str) -> int:
        return next((n for n, r in enumerate(self._rows) if r.client.id == client_id), -1)

    @property
    def deleted_ids(self) -> set[str]:
        """The deleted clients listed so far (shown with "Show deleted")."""
        return {r.client.id for r in self._rows if r.deleted}
