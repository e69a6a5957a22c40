"""File ▸ Export visit…, Export client… and Import… (or a ``.homeassess`` file dropped on the window):
moving a visit, or a client with every visit, between installations as one bundle file.

Export asks where to save and how to protect the file (``bundle_dialogs.py``), then writes it in the
background. Import asks for the passphrase of an encrypted bundle (again after a wrong one), runs in
the background, and when records were changed both here and in the bundle shows the conflict screen
and runs again with the choices. The service (``services/bundles.py``) checks the whole bundle before
it changes anything, so every refusal and every cancel says "Nothing was changed."
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError
from homeassess.domain.filenames import date_part, safe_file_part
from homeassess.services.assessments import get_assessment
from homeassess.services.changes import Changes
from homeassess.services.clients import get_client
from homeassess.ui.errors import error_dialog
from homeassess.ui.printing import documents_folder
from homeassess.ui.screens.backups import counted, size_text
from homeassess.ui.screens.bundle_dialogs import ConflictDialog, ExportProtectionDialog, UnlockDialog
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import fit_to_screen

SUFFIX = ".homeassess"
FILE_FILTER = "HomeAssess bundles (*.homeassess)"
SHOW_PROGRESS_AFTER_MS = 500   # quick jobs finish without a window flashing up (Anki's progress.py)
NOTHING_CHANGED = "Nothing was changed."
NOTHING_SAVED = "No file was saved."
ALREADY_IMPORTED = "This bundle was already imported: nothing changed."
# An import may touch any part of a client's record.
IMPORTED = Changes(clients=True, goals=True, assessment_meta=True, rooms=True, findings=True,
                   recommendations=True, photos=True)


def _service() -> ModuleType:
    """The bundles service, looked up when used (tests replace its functions)."""
    return importlib.import_module("homeassess.services.bundles")


def bundle_filename(family_name: str, given_name: str, day: Any, *, all_visits: bool = False) -> str:
    """``Visit ZÅ YYYY-MM-DD.homeassess`` (``Client ZÅ all visits …`` for a whole client): initials only,
    because a file name is readable on a USB stick or in an email even when the bundle is encrypted."""
    initials = "".join(safe_file_part(n.strip()[:1], fallback="") for n in (given_name, family_name) if n.strip())
    parts = ["Client" if all_visits else "Visit", *([initials] if initials else []),
             *(["all visits"] if all_visits else []), date_part(day)]
    return " ".join(parts) + SUFFIX


def with_suffix(chosen: str) -> Path:
    """The chosen name ending in exactly ``.homeassess`` (added when missing, lower-cased when not)."""
    if chosen.lower().endswith(SUFFIX):
        return Path(chosen[: -len(SUFFIX)] + SUFFIX)
    return Path(chosen + SUFFIX)


def bundle_path(mime: QMimeData) -> Path | None:
    """The one local ``.homeassess`` file being dragged, or None (anything else is not for us)."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.name.lower().endswith(SUFFIX) else None


def replace_box(parent: QWidget | None, path: Path) -> QMessageBox:
    """Asked when ``.homeassess`` was added to a typed name that exists; "Cancel" is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Replace the file?", f"{path.name} already exists. Replace it?",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("replaceBundleBox")
    box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def ask_save_path(parent: QWidget | None, default: Path) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, "Export to a bundle file", str(default), FILE_FILTER)
    if not chosen:
        return None
    path = with_suffix(chosen)
    if path != Path(chosen) and path.exists():   # the save dialog only asked about the name as typed
        box = replace_box(parent, path)
        box.exec()
        if box.buttonRole(box.clickedButton()) != QMessageBox.ButtonRole.DestructiveRole:
            return None
    return path


def ask_open_path(parent: QWidget | None) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, "Import a bundle", str(documents_folder()), FILE_FILTER)
    return Path(chosen) if chosen else None


def info_box(parent: QWidget | None, name: str, title: str, text: str, more: str = "") -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setInformativeText(more)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)   # the path can be copied
    return box


def exported_text(result: Any) -> tuple[str, str]:
    """What an export made: where (headline) and what it holds and how it is protected."""
    holds = f"{size_text(result.size_bytes)}: {counted(result.visits, 'visit')}, {counted(result.photos, 'photo')}."
    how = ("Encrypted with your passphrase. Give the passphrase to the person separately." if result.encrypted
           else "Not encrypted: anyone with the file can read it. Delete it once it has been imported.")
    return f"Saved to {result.path}", f"{holds} {how}"


def imported_text(result: Any, who: str = "") -> tuple[str, str]:
    if result.unchanged:
        return ALREADY_IMPORTED, ""
    headline = f"Imported {who}." if who else "Bundle imported."
    return headline, (f"{counted(result.visits, 'visit')}, {counted(result.photos, 'photo')}. "
                      f"{counted(result.created, 'record')} added, {result.updated} updated.")


class JobProgress(QDialog):
    """Progress of one export or import, shown only if it takes a while. Cancel (or Escape) asks the job
    to stop; the window stays until the job has, so nothing carries on unseen."""

    def __init__(self, parent: QWidget | None, title: str, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("bundleProgress")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.handle: Any = None
        self.cancelled = self.ended = False
        self.label = QLabel(text)
        self.label.setObjectName("bundleProgressText")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("bundleProgressBar")
        self.bar.setRange(0, 100)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.bar, buttons):
            layout.addWidget(widget)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(lambda: self.ended or self.show())
        self.timer.start(SHOW_PROGRESS_AFTER_MS)
        fit_to_screen(self, 480, 150)

    def update_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(max(0.0, min(fraction, 1.0)) * 100))
        if message and not self.cancelled:
            self.label.setText(message)

    def reject(self) -> None:
        if self.cancelled or self.ended:
            return
        self.cancelled = True
        self.label.setText("Stopping…")
        self.cancel_button.setEnabled(False)
        if self.handle is not None:
            self.handle.cancel.set()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if not self.ended:
            event.ignore()
            self.reject()

    def end(self) -> None:
        self.ended = True
        self.timer.stop()
        self.hide()
        self.deleteLater()


class BundleTransfer(QObject):
    """The export and import commands. ``open_visit(id)`` opens an imported visit; ``say(text)`` puts a
    short note in the status bar; ``undo_stacks`` are the visits' undo stacks (an import that changed
    a visit empties its stack: an undo must not put back a value from before the import)."""

    exported = Signal(object)   # ExportResult
    imported = Signal(object)   # ImportResult
    stopped = Signal(str)       # the export or import did not happen; why, as shown

    def __init__(self, session: Session, parent: QWidget, *, open_visit: Callable[[str], object],
                 say: Callable[[str], None] = lambda _text: None, undo_stacks: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.session, self.parent_widget, self.open_visit, self.say = session, parent, open_visit, say
        self.undo_stacks = undo_stacks if undo_stacks is not None else {}
        self.running: JobProgress | None = None
        self.ask_save_path, self.ask_open_path = ask_save_path, ask_open_path
        self.ask_protection, self.ask_passphrase = ExportProtectionDialog.ask, UnlockDialog.ask
        self.ask_resolutions = ConflictDialog.ask

    # -- export -------------------------------------------------------------------------------------
    def export_visit(self, assessment_id: str | None) -> None:
        visit = self.session.read(get_assessment, assessment_id) if assessment_id and not self._busy() else None
        client = self.session.read(get_client, visit.client_id) if visit is not None else None
        if client is not None:
            name = bundle_filename(client.family_name, client.given_name, visit.visit_date)
            self._export(name, f"the visit to {client.display_name} on {visit.visit_date:%d %b %Y}",
                         assessment_id=visit.id)

    def export_client(self, client_id: str | None) -> None:
        client = self.session.read(get_client, client_id) if client_id and not self._busy() else None
        if client is not None:
            name = bundle_filename(client.family_name, client.given_name, self.session.ctx.clock.today(),
                                   all_visits=True)
            self._export(name, f"{client.display_name} with every visit", client_id=client.id)

    def _export(self, name: str, what: str, **scope: str) -> None:
        self.session.pending.flush_all()   # the last words typed go into the file
        path = self.ask_save_path(self.parent_widget, documents_folder() / name)
        protection = self.ask_protection(self.parent_widget, what) if path is not None else None
        if protection is None:
            return
        job = partial(_service().export_bundle, self.session.ctx, path, passphrase=protection.passphrase, **scope)
        self._run(job, "Exporting", f"Exporting to {path.name}…", "Export cancelled. " + NOTHING_SAVED,
                  self._on_exported, self._on_export_failed)

    def _on_exported(self, result: Any) -> None:
        text, more = exported_text(result)
        self.session.show_dialog(info_box(self.parent_widget, "bundleExportedBox", "Bundle exported", text, more))
        self.exported.emit(result)

    def _on_export_failed(self, error: BaseException) -> None:
        self._refuse("Bundle not exported", error, NOTHING_SAVED)

    # -- import -------------------------------------------------------------------------------------
    def import_file(self, path: Path | None = None) -> None:
        if self._busy() or (path := path or self.ask_open_path(self.parent_widget)) is None:
            return
        self.session.pending.flush_all()   # what is compared with the bundle is what is on screen
        try:
            encrypted = _service().is_encrypted(path)
        except OSError as error:
            self._refuse("Bundle not imported", error, NOTHING_CHANGED)
            return
        passphrase = self.ask_passphrase(self.parent_widget, path.name, "") if encrypted else None
        if encrypted and passphrase is None:
            return
        self._import(path, passphrase, {})

    def _import(self, path: Path, passphrase: str | None, resolutions: dict[str, str]) -> None:
        job = partial(_service().import_bundle, self.session.ctx, path, passphrase=passphrase,
                      resolutions=resolutions or None)
        self._run(job, "Importing", f"Importing {path.name}…", "Import cancelled. " + NOTHING_CHANGED,
                  self._on_imported, partial(self._on_import_failed, path, passphrase, resolutions))

    def _on_import_failed(self, path: Path, passphrase: str | None, resolutions: dict[str, str],
                          error: BaseException) -> None:
        service = _service()
        if isinstance(error, service.PassphraseError):   # missing or wrong: ask again; Cancel stops
            again = self.ask_passphrase(self.parent_widget, path.name, str(error))
            self._retry(path, again, resolutions, go=again is not None)
        elif isinstance(error, service.ImportConflicts):   # nothing changed yet: choose, then run again
            chosen = self.ask_resolutions(self.parent_widget, list(error.conflicts))
            self._retry(path, passphrase, {**resolutions, **(chosen or {})}, go=chosen is not None)
        else:
            self._refuse("Bundle not imported", error, NOTHING_CHANGED)

    def _retry(self, path: Path, passphrase: str | None, resolutions: dict[str, str], *, go: bool) -> None:
        if go:
            self._import(path, passphrase, resolutions)
        else:
            self._stop("Import cancelled. " + NOTHING_CHANGED)

    def _on_imported(self, result: Any) -> None:
        visits = tuple(getattr(result, "assessment_ids", ()) or ())
        if not result.unchanged:
            self.session.bus.publish(IMPORTED, self)
            for visit_id in visits or tuple(self.undo_stacks):
                if (stack := self.undo_stacks.get(visit_id)) is not None:
                    stack.clear()
        if len(visits) == 1:
            self.open_visit(visits[0])
        text, more = imported_text(result, self._who(visits))
        self.session.show_dialog(info_box(self.parent_widget, "bundleImportedBox", "Bundle imported", text, more))
        self.imported.emit(result)

    def _who(self, visits: tuple[str, ...]) -> str:
        visit = self.session.read(get_assessment, visits[0]) if visits else None
        client = self.session.read(get_client, visit.client_id) if visit is not None else None
        return client.display_name if client is not None else ""

    # -- dropping a bundle on the window ------------------------------------------------------------
    def drag_entered(self, event: QDragEnterEvent) -> None:
        if bundle_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropped(self, event: QDropEvent) -> None:
        path = bundle_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # After the drop returns: the program the file came from waits until it does.
        QTimer.singleShot(0, lambda: self.import_file(path))

    # -- running ------------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.running is not None:
            self.say("An export or import is still running. Wait for it to finish.")
        return self.running is not None

    def _run(self, job: Callable[..., Any], title: str, text: str, cancelled: str,
             on_success: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        progress = JobProgress(self.parent_widget, title, text)
        self.running = progress

        def succeeded(result: Any) -> None:
            self._end(progress)
            on_success(result)

        def failed(error: BaseException) -> None:
            self._end(progress)
            if progress.cancelled or isinstance(error, InterruptedError):
                self._stop(cancelled)
            else:
                on_error(error)

        progress.handle = self.session.tasks.submit(job, on_success=succeeded, on_error=failed,
                                                    on_progress=progress.update_progress)

    def _end(self, progress: JobProgress) -> None:
        progress.end()
        if self.running is progress:
            self.running = None

    def _stop(self, message: str) -> None:
        self.say(message)
        self.stopped.emit(message)

    def _refuse(self, title: str, error: BaseException, nothing: str) -> None:
        """A refusal the person can act on: the message, and that nothing was changed. Anything else is
        a bug and goes to the crash dialog."""
        if isinstance(error, OSError):
            message = f"{error.filename or 'The file'}: {error.strerror or error}"
        elif isinstance(error, HomeAssessError):
            message = str(error)
        else:
            raise error
        self.session.show_dialog(error_dialog(self.parent_widget, title, message, nothing))
        self.stopped.emit(f"{message} {nothing}")
