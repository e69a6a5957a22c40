"""Report screen: build the family or clinical report in the background, preview it, save or open it."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup, QFileDialog, QLabel, QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from homeassess.services.orders import generate_order_pdf
from homeassess.services.reports import generate_report
from homeassess.ui.errors import error_dialog
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import FlowLayout
from homeassess.ui.widgets.style import TOUCH

KINDS = (("family", "Family report (plain language)"), ("clinical", "Clinical report"),
         ("orders", "Supplier order list"), ("progress", "Progress report"))


class ReportScreen(QWidget):
    report_finished = Signal(str)
    report_failed = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("reportScreen")
        self.session = session
        self.assessment_id: str | None = None
        self.path: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reports</h2>"))
        row = FlowLayout()  # wraps on a narrow window rather than pushing the buttons off the edge
        self.kinds = QButtonGroup(self)
        for n, (kind, label) in enumerate(KINDS):
            radio = QRadioButton(label)
            radio.setObjectName(f"kind_{kind}")
            radio.setMinimumHeight(TOUCH)
            radio.setProperty("kind", kind)
            self.kinds.addButton(radio, n)
            row.addWidget(radio)
        self.kinds.button(0).setChecked(True)
        self.generate = QPushButton("Create report")
        self.generate.setObjectName("generateReportButton")
        self.generate.setMinimumHeight(TOUCH)
        self.generate.clicked.connect(lambda: self.start())
        self.save = QPushButton("Save as…")
        self.save.setObjectName("saveReportButton")
        self.open = QPushButton("Open in PDF viewer")
        self.open.setObjectName("openReportButton")
        for button in (self.save, self.open):
            button.setMinimumHeight(TOUCH)
            button.setEnabled(False)
        self.save.clicked.connect(self._save_as)
        self.open.clicked.connect(lambda: self.path and QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))))
        for widget in (self.generate, self.save, self.open):
            row.addWidget(widget)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.status = QLabel("Choose a report and press Create report. You can keep working while it is made.")
        self.status.setObjectName("reportStatus")
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("reportPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)

    def open_visit(self, assessment_id: str, kind: str = "home") -> None:
        self.assessment_id = assessment_id
        progress = next(b for b in self.kinds.buttons() if b.property("kind") == "progress")
        progress.setVisible(kind == "follow_up")
        if progress.isChecked() and kind != "follow_up":
            self.kinds.button(0).setChecked(True)

    def kind(self) -> str:
        return self.kinds.checkedButton().property("kind")

    def start(self, kind: str | None = None) -> None:
        if self.assessment_id is None:
            return
        self.session.pending.flush_all()
        if kind:
            next(b for b in self.kinds.buttons() if b.property("kind") == kind).setChecked(True)
        kind = self.kind()
        out = self.session.ctx.data_dir / "reports" / f"{self.assessment_id[:8]}-{kind}.pdf"
        self.generate.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Creating the report…")
        if kind == "orders":
            job = partial(generate_order_pdf, self.session.ctx, self.assessment_id, out)
        elif kind == "progress":
            from homeassess.services.progress import generate_progress_report

            job = partial(generate_progress_report, self.session.ctx, self.assessment_id, out)
        else:
            job = partial(generate_report, self.session.ctx, self.assessment_id, kind, out)
        self.session.tasks.submit(job, on_success=self._on_done, on_error=self._on_failed,
                                  on_progress=lambda f, msg: (self.progress.setValue(int(f * 100)),
                                                              self.status.setText(msg)))

    def _on_done(self, path: Path) -> None:
        self.path = Path(path)
        self.document.close()
        self.document.load(str(self.path))
        self.generate.setEnabled(True)
        self.save.setEnabled(True)
        self.open.setEnabled(True)
        self.progress.hide()
        self.status.setText(f"Report ready: {self.document.pageCount()} pages. Save it or open it to print.")
        self.report_finished.emit(str(self.path))

    def _on_failed(self, error: BaseException) -> None:
        self.generate.setEnabled(True)
        self.progress.hide()
        self.status.setText("The report could not be created.")
        self.session.show_dialog(error_dialog(self, "Report not created", str(error)))
        self.report_failed.emit(str(error))

    def _save_as(self) -> None:
        if self.path is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save report", str(Path.home() / self.path.name), "PDF (*.pdf)")
        if target:
            try:
                Path(target).write_bytes(self.path.read_bytes())
                self.status.setText(f"Saved to {target}")
            except OSError as exc:
                self.session.show_dialog(error_dialog(self, "Couldn't save the report", f"{target}: {exc.strerror}"))
