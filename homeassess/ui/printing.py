"""Printing a PDF and handing files to other programs, for any screen that makes one.

``PdfPrinting`` asks with the system print dialog, then draws the document page by page on the UI
thread: one page per turn of the event loop, so the window stays responsive and the screen can show
progress. Pages are rendered as images by QPdfDocument (Qt has no vector path from PDF to printer),
at the printer's resolution up to ``MAX_DPI``, scaled to fit the printable area with their shape kept.

``open_externally`` opens a file in the program the system has for it, and when there is none says
so, shows where the file is and offers "Show in folder" and "Copy path" instead of failing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, QSizeF, QStandardPaths, Qt, QTimer, QUrl, Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QWidget

from homeassess.ui.errors import error_dialog

ShowDialog = Callable[[Any], None]

NO_PRINTER_TITLE = "No printer"
NO_PRINTER = ("No printer is set up on this computer. Save the report and print it from another computer, "
              "or set up a printer in your system settings.")
# A page image at 300 dpi is about 35 MB (A4 or Letter) and renders in a fraction of a second; at a
# laser printer's 1200 dpi it would be over 500 MB. 300 dpi is what print shops ask for.
MAX_DPI = 300


def printer_available() -> bool:
    return bool(QPrinterInfo.availablePrinters())


def documents_folder() -> Path:
    """The user's Documents folder (where "Save as…" starts), or their home folder if there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


# -- what to print ---------------------------------------------------------------------------------

def pages_to_print(printer: QPrinter, page_count: int, current_page: int = 0) -> list[int]:
    """0-based page numbers in the range chosen in the print dialog, in the order asked for."""
    every = list(range(page_count))
    chosen = printer.printRange()
    if chosen == QPrinter.PrintRange.CurrentPage:
        pages = [current_page] if 0 <= current_page < page_count else []
    elif chosen == QPrinter.PrintRange.PageRange and not printer.pageRanges().isEmpty():
        wanted = printer.pageRanges()
        pages = [p for p in every if wanted.contains(p + 1)]
    elif chosen == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = every[printer.fromPage() - 1:printer.toPage() or page_count]
    else:
        pages = every
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def with_copies(pages: list[int], copies: int, collate: bool) -> list[int]:
    """The pages the application itself must send: 1 2 3 1 2 3 collated, 1 1 2 2 3 3 not."""
    copies = max(1, copies)
    return pages * copies if collate else [p for p in pages for _ in range(copies)]


def fit(page: QSizeF, area: QSizeF) -> QRectF:
    """``page`` scaled to fit ``area`` with its proportions kept, centred in it."""
    if page.width() <= 0 or page.height() <= 0:
        return QRectF(0, 0, area.width(), area.height())
    scale = min(area.width() / page.width(), area.height() / page.height())
    width, height = page.width() * scale, page.height() * scale
    return QRectF((area.width() - width) / 2, (area.height() - height) / 2, width, height)


# -- printing ---------------------------------------------------------------------------------------

def load_pdf(document: QPdfDocument, path: Path, owner: QObject) -> QBuffer | None:
    """Load ``path`` into ``document`` from memory, so the file is not held open (on Windows an open
    file cannot be replaced by a newer report). Keep the returned buffer while the document is used;
    None (and an empty document) if the file cannot be read or is not a PDF."""
    document.close()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    buffer = QBuffer(owner)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        document.close()
        return None
    return buffer


class PdfPrinting(QObject):
    """Print a PDF file. It keeps its own copy of the document, so the screen may make a new report or
    show another visit while the pages go out. Dialogs go through ``show_dialog`` (Session.show_dialog)."""

    started = Signal(int)          # sheets to print (pages × copies the application makes)
    progressed = Signal(int, int)  # printed so far, of
    finished = Signal(int)         # sheets printed
    failed = Signal(str)

    def __init__(self, show_dialog: ShowDialog, parent: QWidget) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.show_dialog = show_dialog
        self.parent_widget = parent
        self.printer: QPrinter | None = None
        self.dialog: QPrintDialog | None = None
        self._buffer: QBuffer | None = None
        self._painter: QPainter | None = None
        self._queue: list[int] = []
        self._done = 0

    def busy(self) -> bool:
        return self._painter is not None

    def load(self, path: Path) -> bool:
        """Take a copy of the PDF at ``path`` to print (done by ``ask``; tests may call it directly)."""
        if self.busy():
            return False
        self._buffer = load_pdf(self.document, path, self)
        return self._buffer is not None

    def ask(self, path: Path, title: str = "", current_page: int = 0) -> QPrintDialog | None:
        """Show the print dialog for ``path`` (printing starts when it is accepted); without a printer, say so."""
        if self.busy():
            return None
        if not printer_available():
            self.show_dialog(error_dialog(self.parent_widget, NO_PRINTER_TITLE, NO_PRINTER))
            return None
        if not self.load(path):
            self.show_dialog(error_dialog(self.parent_widget, "The report was not printed",
                                          f"The file could not be read: {path}", "Create the report again."))
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title or path.stem)
        dialog = QPrintDialog(printer, self.parent_widget)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle("Print")
        dialog.setMinMax(1, self.document.pageCount())
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(option.PrintPageRange | option.PrintCurrentPage | option.PrintCollateCopies
                          | option.PrintShowPageSize | option.PrintToFile)
        dialog.accepted.connect(lambda *_: self.print_to(printer, current_page))   # accepted(QPrinter*)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.printer, self.dialog = printer, dialog   # the dialog refers to the printer: keep both alive
        self.show_dialog(dialog)
        return dialog

    def print_to(self, printer: QPrinter, current_page: int = 0) -> None:
        """Start printing on ``printer`` as the print dialog left it; one page per event-loop turn."""
        if self.busy():
            return
        pages = pages_to_print(printer, self.document.pageCount(), current_page)
        if not printer.supportsMultipleCopies():   # otherwise the printer makes the copies itself
            pages = with_copies(pages, printer.copyCount(), printer.collateCopies())
        if not pages:
            self._fail("There are no pages in the range chosen.")
            return
        self.printer = printer
        painter = QPainter()
        if not painter.begin(printer):
            self._fail("The printer could not be started. Check that it is switched on and connected.")
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._painter, self._queue, self._done = painter, pages, 0
        self.started.emit(len(pages))
        QTimer.singleShot(0, self._next)

    def cancel(self) -> None:
        if self.busy() and self.printer is not None:
            self.printer.abort()
            self._finish()

    def _next(self) -> None:
        if not self.busy() or self.printer is None:
            return
        if self._done and not self.printer.newPage():
            self._fail("The printer stopped accepting pages.")
            return
        if not self._draw(self._queue[self._done]):
            self._fail("A page could not be prepared for printing (the computer may be short of memory).")
            return
        self._done += 1
        self.progressed.emit(self._done, len(self._queue))
        if self._done < len(self._queue):
            QTimer.singleShot(0, self._next)
        else:
            self._finish()
            self.finished.emit(self._done)

    def _draw(self, page: int) -> bool:
        assert self.printer is not None and self._painter is not None
        printer_dpi = self.printer.resolution()
        area = self.printer.pageLayout().paintRectPixels(printer_dpi)   # painter (0, 0) is its top left
        target = fit(self.document.pagePointSize(page), QSizeF(area.size()))
        dpi = min(printer_dpi, MAX_DPI)
        size = QSize(max(1, round(target.width() * dpi / printer_dpi)), max(1, round(target.height() * dpi / printer_dpi)))
        options = QPdfDocumentRenderOptions()
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
        image = self.document.render(page, size, options)
        if image.isNull():
            return False
        self._painter.drawImage(target, image)
        return True

    def _finish(self) -> None:
        if self._painter is not None:
            self._painter.end()
        self._painter, self._queue = None, []

    def _fail(self, message: str) -> None:
        if self._painter is not None and self.printer is not None:
            self.printer.abort()
        self._finish()
        self.failed.emit(message)
        self.show_dialog(error_dialog(self.parent_widget, "The report was not printed", message))


# -- opening files in other programs ------------------------------------------------------------------

def open_externally(parent: QWidget, path: Path, show_dialog: ShowDialog, what: str = "file",
                    advice: str = "") -> bool:
    """Open ``path`` in the system's program for it; if none could, explain and show where it is."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    show_dialog(not_opened_dialog(parent, path, what, advice))
    return False


def not_opened_dialog(parent: QWidget | None, path: Path, what: str = "file", advice: str = "") -> QMessageBox:
    """No program could open ``path``: its full path (selectable), "Show in folder", "Copy path"."""
    box = QMessageBox(QMessageBox.Icon.Information, f"Couldn't open the {what}",
                      f"No program on this computer could open the {what}. It is saved here:\n\n{path}",
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("notOpenedDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)   # a path is shown as it is, never read as markup
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if advice:
        box.setInformativeText(advice)
    folder = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
    folder.setObjectName("showInFolderButton")
    copy = box.addButton("Copy path", QMessageBox.ButtonRole.ActionRole)
    copy.setObjectName("copyPathButton")
    for button in (folder, copy):
        button.clicked.disconnect()   # an action button would close the box; these keep it open
    folder.clicked.connect(lambda: _show_folder(box, path))
    copy.clicked.connect(lambda: (QGuiApplication.clipboard().setText(str(path)), copy.setText("Path copied")))
    return box


def _show_folder(box: QMessageBox, path: Path) -> None:
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
        box.setText(f"No program could open the folder either. Copy the path to find the file yourself:\n\n{path}")
