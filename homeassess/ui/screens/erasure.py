"""Erasing for good (right to erasure): a client, or the photos deleted from a client's visits.

Each needs a deliberate confirmation that says in plain words what will go, that it cannot be
undone and which backups still hold the client. The preview (it opens the backups) and the
erasure itself run on the task runner; the screens refresh from the change bus afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from html import escape

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFrame, QLabel, QLineEdit, QMessageBox, QPushButton, QTextBrowser, QVBoxLayout,
    QWidget,
)

from homeassess.domain.errors import HomeAssessError
from homeassess.services import erasure as E
from homeassess.services import settings as S
from homeassess.ui.errors import error_dialog
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import fit_to_screen


def _local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=UTC).astimezone()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def what_goes(preview: E.ErasurePreview) -> str:
    """The confirmation's text (HTML): what is erased, that it is final, and the backups."""
    name = escape(preview.display_name)
    visits = _plural(preview.visits, "visit") + (f" ({preview.signed_off} signed off)" if preview.signed_off else "")
    photos = _plural(preview.photos, "photo") + (f", {preview.deleted_photos} of them deleted earlier"
                                                 if preview.deleted_photos else "")
    lines = [f"<p><b>Erase {name} and everything recorded about them?</b></p>",
             f"<p>This removes their details and goals, {visits} with every room, answer, finding, "
             f"recommendation, consent, addendum and saved report, and {photos}.</p>",
             "<p><b>This cannot be undone.</b> HomeAssess keeps only a note that an erasure happened, "
             "without the name.</p>"]
    if preview.backups:
        rows = "".join(f"<li>{_local(b.created_at):%a %d %b %Y, %H:%M} — {escape(b.location or 'this computer')}</li>"
                       for b in preview.backups)
        lines.append(f"<p>These backups were made earlier and still hold {name}'s records. Erasing does not "
                     f"change them; delete them too if the records must go from there as well:</p><ul>{rows}</ul>")
    else:
        lines.append(f"<p>No backup holds {name}'s records.</p>")
    return "".join(lines)


class EraseClientDialog(QDialog):
    """Erase only after the family name is typed; Cancel is the default button."""

    def __init__(self, parent: QWidget | None, preview: E.ErasurePreview) -> None:
        super().__init__(parent)
        self.setObjectName("eraseClientDialog")
        self.setWindowTitle(f"Erase {preview.display_name} permanently")
        self.expected = (preview.family_name.strip() or preview.display_name.strip()).casefold()
        # Scrolls: a year of backups is a long list, and the dialog must fit a 1024 × 600 screen.
        text = QTextBrowser()
        text.setObjectName("erasureText")
        text.setHtml(what_goes(preview))
        text.setOpenLinks(False)
        text.setFrameShape(QFrame.Shape.NoFrame)
        text.setMinimumHeight(220)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("erasureConfirmName")
        self.confirm.setAccessibleName("Family name, typed to confirm")
        self.confirm.setPlaceholderText(preview.family_name.strip() or preview.display_name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton("Erase permanently")
        self.erase_button.setObjectName("erasureConfirm")
        self.erase_button.setAutoDefault(False)
        self.erase_button.setStyleSheet("color: #B91C1C; font-weight: bold;")
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.erase_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.confirm.textChanged.connect(self._on_confirm_changed)
        self._on_confirm_changed(self.confirm.text())
        layout = QVBoxLayout(self)
        layout.addWidget(text, 1)
        layout.addWidget(QLabel(f"To confirm, type the family name: <b>{escape(preview.family_name)}</b>"))
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)
        fit_to_screen(self, 600, 440)

    def _on_confirm_changed(self, typed: str) -> None:
        self.erase_button.setEnabled(typed.strip().casefold() == self.expected)

    @classmethod
    def ask(cls, parent: QWidget | None, preview: E.ErasurePreview) -> bool:
        return cls(parent, preview).exec() == QDialog.DialogCode.Accepted


def erase_photos_box(parent: QWidget | None, preview: E.ErasurePreview) -> QMessageBox:
    """Confirmation for erasing a client's deleted photos (returned unshown)."""
    count = _plural(preview.deleted_photos, "deleted photo")
    box = QMessageBox(QMessageBox.Icon.Warning, "Erase deleted photos",
                      f"Erase {count} of {preview.display_name} for good?", QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("erasePhotosBox")
    box.setInformativeText("They can no longer be restored with Undo afterwards. This cannot be undone. Backups made "
                           "earlier still hold them.")
    erase = box.addButton(f"Erase {count}", QMessageBox.ButtonRole.DestructiveRole)
    erase.setObjectName("erasePhotosConfirm")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    return box


def ask_erase_photos(parent: QWidget | None, preview: E.ErasurePreview) -> bool:
    box = erase_photos_box(parent, preview)
    box.exec()
    return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole


class ClientEraser:
    """Preview in the background, confirm, erase in the background, then say what happened."""

    def __init__(self, session: Session, parent: QWidget, done: Callable[[str, bool], None]) -> None:
        """``done(message, erased)`` is called at the end (erased: something was erased)."""
        self.session, self.parent, self.done = session, parent, done
        self.ask_client = EraseClientDialog.ask
        self.ask_photos = ask_erase_photos

    def erase_client(self, client_id: str) -> None:
        self.session.pending.flush_all()
        self._preview(client_id, self._confirm_client)

    def erase_deleted_photos(self, client_id: str) -> None:
        self.session.pending.flush_all()
        self._preview(client_id, self._confirm_photos)

    def _preview(self, client_id: str, then: Callable[[E.ErasurePreview], None]) -> None:
        self.session.tasks.submit(partial(E.preview_job, self.session.ctx, client_id), on_success=then,
                                  on_error=self._failed)

    def _confirm_client(self, preview: E.ErasurePreview) -> None:
        if self.ask_client(self.parent, preview):
            job = partial(E.erase_client_job, self.session.ctx, preview.client_id, by=self._by())
            self.session.tasks.submit(job, on_success=partial(self._erased, preview), on_error=self._failed)

    def _confirm_photos(self, preview: E.ErasurePreview) -> None:
        if not preview.deleted_photos:
            self.done(f"{preview.display_name} has no deleted photos to erase.", False)
        elif self.ask_photos(self.parent, preview):
            job = partial(E.erase_deleted_photos_job, self.session.ctx, preview.client_id, by=self._by())
            self.session.tasks.submit(job, on_success=partial(self._erased, preview), on_error=self._failed)

    def _erased(self, preview: E.ErasurePreview, report: E.ErasureReport) -> None:
        self.session.bus.publish(report.changes, self)
        if report.what == E.CLIENT:
            self.done(f"{preview.display_name} was erased.", True)
        else:
            self.done(f"{_plural(report.photos, 'deleted photo')} of {preview.display_name} erased.", True)

    def _by(self) -> str:
        settings = self.session.read(S.get_settings)
        return settings["therapist.name"] if settings else ""

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, HomeAssessError):
            raise error   # a bug: the crash dialog and the log
        self.session.show_dialog(error_dialog(self.parent, "Nothing was erased", str(error)))
