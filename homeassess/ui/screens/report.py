"""Report screen: build a report in the background, preview it, then save, print or open it.

Reports are written to ``<data dir>/reports/<visit reference>/Surname-Given-YYYY-MM-DD-<kind>.pdf``:
named so a therapist can find and email them, in a folder per visit so two visits of one client on
the same day never overwrite each other's reports (the reference is the one printed in the report).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QBuffer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFileDialog, QLabel, QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from homeassess.domain.filenames import report_filename
from homeassess.services.assessments import get_assessment
from homeassess.services.changes import Changes
from homeassess.services.clients import get_client
from homeassess.services.orders import generate_order_pdf
from homeassess.services.progress import generate_progress_report
from homeassess.services.reports import generate_report, proposed_count
from homeassess.ui.errors import error_dialog
from homeassess.ui.printing import PdfPrinting, documents_folder, load_pdf, open_externally
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import FlowLayout
from homeassess.ui.widgets.style import TOUCH

KINDS = (("family", "Family report (plain language)"), ("clinical", "Clinical report"),
         ("orders", "Supplier order list"), ("progress", "Progress report"),
         ("progress-family", "Progress summary for the family"))
FOLLOW_UP_ONLY = {"progress", "progress-family"}
NO_VIEWER_ADVICE = "You can still use Print… or Save as… here, or install a PDF viewer to open reports."


def pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


def include_proposed_text(count: int) -> str:
    what = "recommendation" if count == 1 else f"{count} recommendations"
    return f"Include the {what} not yet agreed (the report is then marked as a draft to discuss)"


class ReportScreen(QWidget):
    report_finished = Signal(str)
    report_failed = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("reportScreen")
        self.session = session
        self.assessment_id: str | None = None
        self.path: Path | None = None
        self._buffer: QBuffer | None = None
        self._proposed_stale = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reports</h2>"))
        layout.addLayout(self._build_kinds())
        self.include_proposed = QCheckBox()
        self.include_proposed.setObjectName("includeProposed")
        self.include_proposed.setMinimumHeight(TOUCH)
        self.include_proposed.hide()
        layout.addWidget(self.include_proposed)
        layout.addLayout(self._build_buttons())
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel("Choose a report and press Create report. You can keep working while it is made.")
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("reportPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        self.printing = PdfPrinting(session.show_dialog, self)
        self.printing.started.connect(self._on_print_started)
        self.printing.progressed.connect(self._on_print_progress)
        self.printing.finished.connect(self._on_printed)
        self.printing.failed.connect(self._on_print_failed)
        session.bus.changed.connect(self._on_bus_changed)

    def _build_kinds(self) -> FlowLayout:
        row = FlowLayout()  # wraps on a narrow window rather than pushing the choices off the edge
        self.kinds = QButtonGroup(self)
        for n, (kind, label) in enumerate(KINDS):
            radio = QRadioButton(label)
            radio.setObjectName(f"kind_{kind.replace('-', '_')}")
            radio.setMinimumHeight(TOUCH)
            radio.setProperty("kind", kind)
            radio.setVisible(kind not in FOLLOW_UP_ONLY)
            self.kinds.addButton(radio, n)
            row.addWidget(radio)
        self.kinds.button(0).setChecked(True)
        self.kinds.buttonToggled.connect(lambda _button, checked: checked and self._refresh_proposed())
        return row

    def _build_buttons(self) -> FlowLayout:
        row = FlowLayout()
        self.generate = QPushButton("Create report")
        self.generate.setObjectName("generateReportButton")
        self.generate.clicked.connect(lambda: self.start())
        self.save = QPushButton("Save as…")
        self.save.setObjectName("saveReportButton")
        self.save.clicked.connect(self._save_as)
        self.print_button = QPushButton("Print…")
        self.print_button.setObjectName("printReportButton")
        self.print_button.clicked.connect(self._print)
        self.open = QPushButton("Open in PDF viewer")
        self.open.setObjectName("openReportButton")
        self.open.clicked.connect(self._open_in_viewer)
        for button in (self.generate, self.save, self.print_button, self.open):
            button.setMinimumHeight(TOUCH)
            button.setEnabled(button is self.generate)
            row.addWidget(button)
        return row

    # -- which visit, which report ------------------------------------------------------------------
    def open_visit(self, assessment_id: str, kind: str = "home") -> None:
        if assessment_id != self.assessment_id:
            self._clear_preview()   # never leave one client's report on show (or to save) for another
            self.include_proposed.setChecked(False)
        self.assessment_id = assessment_id
        for button in self.kinds.buttons():
            if button.property("kind") in FOLLOW_UP_ONLY:
                button.setVisible(kind == "follow_up")
        if self.kinds.checkedButton().isHidden():
            self.kinds.button(0).setChecked(True)
        self._refresh_proposed()

    def kind(self) -> str:
        return self.kinds.checkedButton().property("kind")

    def _refresh_proposed(self) -> None:
        """Offer the proposed recommendations for the family report, when there are any."""
        self._proposed_stale = False
        count = 0
        if self.assessment_id is not None and self.kind() == "family":
            count = self.session.read(proposed_count, self.assessment_id) or 0
        self.include_proposed.setText(include_proposed_text(count))
        self.include_proposed.setAccessibleName(self.include_proposed.text())
        self.include_proposed.setVisible(count > 0)

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.recommendations:
            if self.isVisible():
                self._refresh_proposed()
            else:
                self._proposed_stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if self._proposed_stale:
            self._refresh_proposed()
        super().showEvent(event)

    def file_name(self, kind: str) -> str:
        """``Surname-Given-YYYY-MM-DD-<kind>.pdf`` for the open visit."""
        assert self.assessment_id is not None
        visit = self.session.read(get_assessment, self.assessment_id)
        client = self.session.read(get_client, visit.client_id) if visit is not None else None
        day = visit.visit_date if visit is not None else self.session.ctx.clock.today()
        return report_filename(client.family_name if client else "", client.given_name if client else "", day, kind)

    def output_path(self, kind: str) -> Path:
        assert self.assessment_id is not None
        return self.session.ctx.data_dir / "reports" / self.assessment_id[:8] / self.file_name(kind)

    # -- making the report ------------------------------------------------------------------------
    def start(self, kind: str | None = None) -> None:
        if self.assessment_id is None:
            return
        self.session.pending.flush_all()
        if kind:
            next(b for b in self.kinds.buttons() if b.property("kind") == kind).setChecked(True)
        kind = self.kind()
        out = self.output_path(kind)
        self.generate.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Creating the report…")
        self.session.tasks.submit(self._job(kind, out), on_success=self._on_done, on_error=self._on_failed,
                                  on_progress=lambda f, msg: (self.progress.setValue(int(f * 100)),
                                                              self.status.setText(msg)))

    def _job(self, kind: str, out: Path) -> partial:
        ctx, visit = self.session.ctx, self.assessment_id
        if kind == "orders":
            return partial(generate_order_pdf, ctx, visit, out)
        if kind == "progress":
            return partial(generate_progress_report, ctx, visit, out)
        if kind == "progress-family":
            return partial(generate_progress_report, ctx, visit, out, audience="family")
        include = kind == "family" and not self.include_proposed.isHidden() and self.include_proposed.isChecked()
        return partial(generate_report, ctx, visit, kind, out, include_proposed=include)

    def _on_done(self, path: Path) -> None:
        self.path = Path(path)
        self._buffer = load_pdf(self.document, self.path, self)
        self.generate.setEnabled(True)
        self.progress.hide()
        for button in (self.save, self.open):
            button.setEnabled(True)
        self.print_button.setEnabled(not self.printing.busy())
        self.status.setText(f"Report ready: {pages(self.document.pageCount())}. Save it, print it or open it.")
        self.report_finished.emit(str(self.path))

    def _on_failed(self, error: BaseException) -> None:
        self.generate.setEnabled(True)
        self.progress.hide()
        self.status.setText("The report could not be created.")
        self.session.show_dialog(error_dialog(self, "Report not created", str(error)))
        self.report_failed.emit(str(error))

    def _clear_preview(self) -> None:
        self.document.close()
        self._buffer = None
        self.path = None
        for button in (self.save, self.print_button, self.open):
            button.setEnabled(False)
        self.status.setText("Choose a report and press Create report. You can keep working while it is made.")

    # -- what to do with it -------------------------------------------------------------------------
    def save_default(self) -> Path:
        """Where "Save as…" starts: the Documents folder, under the report's own name."""
        assert self.path is not None
        return documents_folder() / self.path.name

    def _save_as(self) -> None:
        if self.path is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save report", str(self.save_default()), "PDF (*.pdf)")
        if target:
            try:
                Path(target).write_bytes(self.path.read_bytes())
                self.status.setText(f"Saved to {target}")
            except OSError as exc:
                self.session.show_dialog(error_dialog(self, "Couldn't save the report", f"{target}: {exc.strerror}"))

    def _open_in_viewer(self) -> None:
        if self.path is not None:
            open_externally(self, self.path, self.session.show_dialog, "report", NO_VIEWER_ADVICE)

    def _print(self) -> None:
        if self.path is not None:
            self.printing.ask(self.path, self.path.stem, self.view.pageNavigator().currentPage())

    def _on_print_started(self, sheets: int) -> None:
        self.print_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(f"Printing {pages(sheets)}…")

    def _on_print_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / total))
        self.status.setText(f"Printing page {done} of {total}…")

    def _on_printed(self, sheets: int) -> None:
        self.progress.hide()
        self.print_button.setEnabled(self.path is not None)
        self.status.setText(f"Sent {pages(sheets)} to the printer.")

    def _on_print_failed(self, _message: str) -> None:
        self.progress.hide()
        self.print_button.setEnabled(self.path is not None)
        self.status.setText("The report was not printed.")
