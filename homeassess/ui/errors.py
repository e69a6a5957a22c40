"""Message boxes for the three kinds of error (STYLE §5.11). Factories return the box unshown."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from homeassess.domain.errors import StorageError

log = logging.getLogger(__name__)


def error_dialog(parent: QWidget | None, title: str, message: str, advice: str = "",
                 details: str = "") -> QMessageBox:
    """What happened, what you can do, and (collapsed) technical details with a copy button."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    if advice:
        box.setInformativeText(advice)
    if details:
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
    return box


def storage_error_dialog(parent: QWidget | None, error: StorageError) -> QMessageBox:
    return error_dialog(parent, "Couldn't save", str(error),
                        "Your last change is still on screen. Fix the problem, then change the field again to save it.")


def crash_dialog(parent: QWidget | None, error: BaseException, log_dir: Path) -> QMessageBox:
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    box = error_dialog(parent, "Something went wrong",
                       "HomeAssess hit an unexpected problem. Everything you entered before this was saved.",
                       "Nothing has been sent anywhere. If it keeps happening, copy the details for your IT "
                       "support or the HomeAssess project.", details)
    open_logs = box.addButton("Open log folder", QMessageBox.ButtonRole.ActionRole)
    open_logs.clicked.disconnect()
    open_logs.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir))) or box.setInformativeText(
        f"No program could open the log folder. The logs are in {log_dir}"))
    box.setObjectName("crashDialog")
    return box
