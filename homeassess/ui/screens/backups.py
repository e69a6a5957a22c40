"""File ▸ Backups… (also from Settings): the backups HomeAssess has made, one made now, a restore, and the
optional second location every backup is copied to. Listing and backing up run off the UI thread (a
second location may be a slow network folder); the restore itself is done by the application once the
windows have closed (``MainWindow.restore_and_reopen``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QProgressBar, QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from homeassess.domain.backup_reasons import BackupReason
from homeassess.domain.errors import StorageError
from homeassess.services import backups as B
from homeassess.services.backups import Backup, BackupOutcome
from homeassess.ui.session import Session
from homeassess.ui.widgets.debounce import field_error_label
from homeassess.ui.widgets.responsive import fit_to_screen
from homeassess.ui.widgets.style import TOUCH

COLUMNS = ("Made on", "Kind", "Size", "Clients", "Visits", "Photos", "Where")
NUMBER_COLUMNS = (2, 3, 4, 5)
HERE = "This computer"


def _kind(reason: str) -> str:
    try:
        return BackupReason(reason).label
    except ValueError:   # written by a newer HomeAssess
        return reason.capitalize()
EMPTY = "No backups yet. HomeAssess makes one each day it is opened and whenever it closes."
INTRO = ("HomeAssess backs up your records and photos by itself each day it is opened and whenever it closes, "
         "and keeps one a day for a week, one a week for a month and one a month for a year.")
SECOND_HELP = ("Every backup is also copied to this folder: a USB stick or a network folder, so a lost or broken "
               "laptop does not take the records with it.")
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
RED = "color: #B91C1C;"


def local_time(utc: datetime) -> str:
    """A naive UTC time as local time in words, e.g. "Wed 2 Dec 2026, 15:30"."""
    local = utc.replace(tzinfo=UTC).astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def size_text(size: int) -> str:
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.1f} GB"


def counted(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cells(backup: Backup) -> tuple[str, ...]:
    photos = f"{backup.photos} ({backup.missing_photos} missing)" if backup.missing_photos else str(backup.photos)
    return (local_time(backup.created_at), _kind(backup.reason),
            size_text(backup.size_bytes), str(backup.clients), str(backup.visits), photos, backup.location or HERE)


def outcome_text(outcome: BackupOutcome) -> str:
    """What "Back up now" did, in plain words."""
    places = [b.location or "on this computer" for b in outcome.made]
    places = [p if p == "on this computer" else f"in {p}" for p in places]
    made = f"Backup made {' and '.join(places)}." if places else "No backup was made."
    return " ".join([made, *outcome.problems])


class BackupTableModel(QAbstractTableModel):
    """The backups, newest first (as the service lists them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups: list[Backup] = []

    def set_backups(self, backups: list[Backup]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup = self.backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(backup)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == NAME_ROLE:
            return backup.name
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


def restore_box(parent: QWidget | None, backup: Backup) -> QMessageBox:
    """The confirmation of a restore; "Cancel" is the default, Escape and Enter both cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Restore a backup",
                      f"Restore the backup from {local_time(backup.created_at)}?",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("restoreBox")
    box.setInformativeText(
        f"This backup, with {counted(backup.clients, 'client')} and {counted(backup.visits, 'visit')}, replaces "
        "what you have now. What you have now is backed up first and kept in the set-aside folder inside your data folder, "
        "so nothing is deleted. HomeAssess then closes and opens again with the restored records.")
    restore = box.addButton("Restore and reopen", QMessageBox.ButtonRole.DestructiveRole)
    restore.setObjectName("confirmRestore")
    restore.clicked.connect(lambda: box.setProperty("answer", "restore"))
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancelRestore")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def ask_restore(parent: QWidget | None, backup: Backup) -> bool:
    box = restore_box(parent, backup)
    box.exec()
    return box.property("answer") == "restore"


def _list_job(ctx: object, *, progress: object, cancel: object) -> list[Backup]:
    return B.list_backups(ctx)


def _backup_job(ctx: object, now: datetime, *, progress: object, cancel: object) -> BackupOutcome:
    return B.create_backups(ctx, reason="manual", now=now)


class BackupsWindow(QDialog):
    """Non-modal, one of its kind (``MainWindow.show_backups``); ``restore(name)`` closes the app's
    windows so the application can restore that backup and reopen."""

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 restore: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("backupsWindow")
        self.setWindowTitle("Backups")
        self.session = session
        self.restore = restore
        self.busy = False
        self.second: Path | None = None
        self._listing = 0   # only the newest listing is shown when two overlap
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._build_list(), 1)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self.status)
        layout.addWidget(self._build_second_location())
        layout.addWidget(self._build_folder())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        close.button(QDialogButtonBox.StandardButton.Close).setDefault(True)  # Enter never restores
        layout.addWidget(close)
        fit_to_screen(self, 980, 640)
        self.refresh()

    # -- building ---------------------------------------------------------------------------
    def _build_list(self) -> QStackedWidget:
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("backupsTable")
        self.table.setAccessibleName("Backups, newest first")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)   # Tab moves on to the buttons
        self.table.setMinimumHeight(120)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel(EMPTY)
        self.empty.setObjectName("backupsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        return self.list_stack

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_up = self._button("&Back up now", "backUpNow", self.back_up_now)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("backupBusy")
        self.spinner.setAccessibleName("Backing up")
        self.spinner.setRange(0, 0)   # busy, no percentage
        self.spinner.setTextVisible(False)
        self.spinner.setMaximumWidth(160)
        self.spinner.hide()
        self.restore_button = self._button("&Restore…", "restoreBackup", self.restore_selected)
        row.addWidget(self.back_up)
        row.addWidget(self.spinner)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        return row

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    @staticmethod
    def _path_field(name: str, accessible: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setAccessibleName(accessible)
        field.setReadOnly(True)   # selectable and copyable; a long path scrolls inside it
        field.setMinimumHeight(TOUCH)
        return field

    def _build_second_location(self) -> QGroupBox:
        box = QGroupBox("Second location")
        column = QVBoxLayout(box)
        help_text = QLabel(SECOND_HELP)
        help_text.setWordWrap(True)
        column.addWidget(help_text)
        self.second_field = self._path_field("secondLocation", "Second location")
        self.choose = self._button("C&hoose folder…", "chooseSecondLocation", self.choose_second_location)
        self.stop = self._button("&Stop copying there", "stopSecondLocation", self.stop_second_location)
        column.addLayout(self._row(self.second_field, self.choose, self.stop))
        self.second_error = field_error_label("second_location")
        column.addWidget(self.second_error)
        return box

    def _build_folder(self) -> QGroupBox:
        box = QGroupBox("Backups folder on this computer")
        column = QVBoxLayout(box)
        self.folder_field = self._path_field("backupsFolder", "Backups folder")
        self.folder_field.setText(str(B.primary_root(self.session.ctx)))
        self.open_folder = self._button("&Open folder", "openBackupsFolder", self.open_backups_folder)
        column.addLayout(self._row(self.folder_field, self.open_folder))
        self.folder_error = field_error_label("backups_folder")
        column.addWidget(self.folder_error)
        return box

    @staticmethod
    def _row(field: QLineEdit, *buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field, 1)
        for button in buttons:
            row.addWidget(button)
        return row

    # -- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self._listing += 1
        self.session.tasks.submit(partial(_list_job, self.session.ctx),
                                  on_success=partial(self._show_backups, self._listing),
                                  on_error=partial(self._listing_failed, self._listing))
        self._show_second_location()

    def _show_backups(self, listing: int, backups: list[Backup]) -> None:
        if listing != self._listing:
            return
        chosen = self.selected()
        self.model.set_backups(backups)
        self.list_stack.setCurrentWidget(self.table if backups else self.empty)
        self.table.resizeColumnsToContents()
        keep = next((n for n, b in enumerate(backups) if chosen and (b.name, b.location) == (chosen.name,
                                                                                          chosen.location)), None)
        if keep is not None:
            self.table.selectRow(keep)
        self.open_folder.setEnabled(B.primary_root(self.session.ctx).is_dir())
        self._update_buttons()

    def _listing_failed(self, listing: int, error: BaseException) -> None:
        if not isinstance(error, (StorageError, OSError)):
            raise error
        if listing == self._listing:
            self._say(f"The backups could not be listed: {error}", problem=True)

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.backups[rows[0].row()] if rows and rows[0].row() < len(self.model.backups) else None

    def _update_buttons(self) -> None:
        self.back_up.setEnabled(not self.busy)
        self.restore_button.setEnabled(not self.busy and self.selected() is not None)
        self.stop.setEnabled(self.second is not None)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(RED if problem else "")
        self.status.setVisible(bool(text))

    # -- back up and restore ----------------------------------------------------------------
    def back_up_now(self) -> None:
        self._set_busy(True)
        self._say("Backing up… You can carry on working.")
        self.session.tasks.submit(partial(_backup_job, self.session.ctx, self.session.ctx.clock.now()),
                                  on_success=self._backed_up, on_error=self._backup_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.spinner.setVisible(busy)
        self._update_buttons()

    def _backed_up(self, outcome: BackupOutcome) -> None:
        self._set_busy(False)
        self._say(outcome_text(outcome), problem=bool(outcome.problems))
        self.refresh()

    def _backup_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, (StorageError, OSError)):
            raise error   # a bug: the crash dialog and the log
        self._say(f"No backup was made: {error}", problem=True)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None and ask_restore(self, backup):
            self.restore(backup.name)

    # -- where backups go ---------------------------------------------------------------------
    def _show_second_location(self) -> None:
        self.second = B.second_location(self.session.ctx)
        self.second_field.setText(str(self.second) if self.second else "None")
        self._update_buttons()

    def choose_second_location(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the second location for backups",
                                                  str(self.second or Path.home()))
        if folder:
            self._set_second_location(Path(folder))

    def stop_second_location(self) -> None:
        self._set_second_location(None)

    def _set_second_location(self, folder: Path | None) -> None:
        try:
            B.set_second_location(self.session.ctx, folder)
        except (StorageError, OSError) as exc:
            self.second_error.setText(str(exc))
            self.second_error.show()
            return
        self.second_error.hide()
        self._say(f"From now on every backup is also copied to {folder}. Back up now to put one there today."
                  if folder else "Backups are no longer copied to a second location.")
        self.refresh()

    def open_backups_folder(self) -> None:
        folder = B.primary_root(self.session.ctx)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.folder_error.setText(f"No program could open the folder. The backups are in {folder}")
            self.folder_error.show()
