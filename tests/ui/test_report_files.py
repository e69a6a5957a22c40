"""Reports screen: files named after the client, Save as in Documents, printing, and no silent failures
when there is no PDF viewer or no printer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSizeF, QStandardPaths, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QPushButton, QRadioButton
from pytestqt.qtbot import QtBot

from homeassess.domain.filenames import report_filename
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.ui import printing
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens import report as report_module
from homeassess.ui.screens.report import ReportScreen

VISIT_DAY = date(2024, 5, 2)


def new_visit(window: MainWindow, client_id: str | None = None) -> tuple[str, str]:
    ctx = window.session.ctx
    if client_id is None:
        client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez")
        client_id = client.id
    visit, _ = A.create_assessment(ctx, client_id, standard="UK", visit_date=VISIT_DAY)
    room, _ = A.add_room(ctx, visit.id, "demo_room")
    A.set_answer(ctx, room.id, "demo_room.floor", value="loose_rug")
    return client_id, visit.id


def make_report(window: MainWindow, qtbot: QtBot, visit_id: str, kind: str = "clinical") -> ReportScreen:
    window.open_visit(visit_id)
    window.visit.show_report()
    screen = window.visit.report
    with qtbot.waitSignal(screen.report_finished, timeout=30000):
        screen.start(kind)
    return screen


@pytest.fixture
def made(window: MainWindow, qtbot: QtBot) -> ReportScreen:
    _client, visit_id = new_visit(window)
    return make_report(window, qtbot, visit_id)


class Desktop:
    """Stands in for QDesktopServices: no program can open anything."""

    opened: list[str] = []

    @classmethod
    def openUrl(cls, url: QUrl) -> bool:  # noqa: N802 (Qt API)
        cls.opened.append(url.toLocalFile())
        return False


def some_printer(monkeypatch: pytest.MonkeyPatch, printers: list[QPrinterInfo]) -> None:
    monkeypatch.setattr(printing.QPrinterInfo, "availablePrinters", staticmethod(lambda: printers))


def print_to_pdf(screen: ReportScreen, qtbot: QtBot, out: Path, **setup: object) -> int:
    """Press Print…, send the dialog's printer to a PDF file as a user could, and wait until it is done."""
    screen.print_button.click()
    dialog = screen.session.last_dialog
    assert isinstance(dialog, QPrintDialog)
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(72)   # a quick test; the page layout is the same at any resolution
    if "pages" in setup:
        first, last = setup["pages"]
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(first, last)
    if "copies" in setup:
        printer.setCopyCount(setup["copies"])
    with qtbot.waitSignal(screen.printing.finished, timeout=30000) as done:
        dialog.accepted.emit(printer)   # as the dialog does when OK is pressed
    return done.args[0]


# -- file names -------------------------------------------------------------------------------------

def test_the_report_file_is_named_after_the_client_and_the_visit(made: ReportScreen) -> None:
    assert made.path is not None and made.path.is_file()
    assert made.path.name == "Ångström-Nuñez-Zoë-2024-05-02-clinical.pdf"
    assert made.path.parent.parent == made.session.ctx.data_dir / "reports"
    assert made.path.parent.name == made.assessment_id[:8]


@pytest.mark.parametrize("kind", ["family", "orders"])
def test_every_kind_carries_its_name(window: MainWindow, qtbot: QtBot, kind: str) -> None:
    _client, visit_id = new_visit(window)
    screen = make_report(window, qtbot, visit_id, kind)
    assert screen.path.name == report_filename("Ångström-Nuñez", "Zoë", VISIT_DAY, kind)


def test_two_visits_of_one_client_on_one_day_keep_their_own_reports(window: MainWindow, qtbot: QtBot) -> None:
    client_id, first = new_visit(window)
    _same, second = new_visit(window, client_id)
    first_path = make_report(window, qtbot, first).path
    second_path = make_report(window, qtbot, second).path
    assert first_path.name == second_path.name and first_path != second_path
    assert first_path.is_file() and second_path.is_file()


def test_another_visit_does_not_show_the_last_clients_report(window: MainWindow, qtbot: QtBot) -> None:
    _client, first = new_visit(window)
    screen = make_report(window, qtbot, first)
    other, _ = C.create_client(window.session.ctx, given_name="Łukasz", family_name="Wróbel")
    _other, second = new_visit(window, other.id)
    window.open_visit(second)
    assert screen.path is None and screen.document.pageCount() == 0
    assert not screen.save.isEnabled() and not screen.print_button.isEnabled() and not screen.open.isEnabled()


# -- Save as ----------------------------------------------------------------------------------------

def test_save_as_offers_the_report_name_in_documents(made: ReportScreen, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    target = tmp_path / "chosen.pdf"

    def ask(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return str(target), "PDF (*.pdf)"

    monkeypatch.setattr(report_module.QFileDialog, "getSaveFileName", staticmethod(ask))
    made.save.click()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    assert asked == [str(folder / "Ångström-Nuñez-Zoë-2024-05-02-clinical.pdf")]
    assert target.read_bytes() == made.path.read_bytes()


def test_without_a_documents_folder_save_as_starts_at_home(made: ReportScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.QStandardPaths, "writableLocation", staticmethod(lambda _where: ""))
    assert made.save_default() == Path.home() / made.path.name


# -- no PDF viewer ------------------------------------------------------------------------------------

def test_no_pdf_viewer_says_so_and_shows_where_the_file_is(made: ReportScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    Desktop.opened = []
    monkeypatch.setattr(printing, "QDesktopServices", Desktop)
    made.open.click()
    box = made.session.last_dialog
    assert isinstance(box, QMessageBox) and box.objectName() == "notOpenedDialog"
    assert Desktop.opened == [str(made.path)]
    assert "No program" in box.text() and str(made.path) in box.text()
    assert box.textInteractionFlags() & printing.Qt.TextInteractionFlag.TextSelectableByMouse
    buttons = {b.text(): b for b in box.findChildren(QPushButton)}
    closed: list[int] = []
    box.finished.connect(closed.append)
    buttons["Copy path"].click()
    assert QGuiApplication.clipboard().text() == str(made.path)
    buttons["Show in folder"].click()
    assert Desktop.opened[-1] == str(made.path.parent)
    assert "folder either" in box.text() and str(made.path) in box.text()   # still says where it is
    assert closed == []   # neither button closes the message


def test_a_viewer_that_opens_the_report_shows_no_message(made: ReportScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing.QDesktopServices, "openUrl", staticmethod(lambda _url: True))
    made.session.last_dialog = None
    made.open.click()
    assert made.session.last_dialog is None


# -- printing -------------------------------------------------------------------------------------------

def test_without_a_printer_print_says_so_plainly(made: ReportScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    some_printer(monkeypatch, [])
    made.print_button.click()
    box = made.session.last_dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == ("No printer is set up on this computer. Save the report and print it from another "
                          "computer, or set up a printer in your system settings.")


def test_print_sends_every_page(made: ReportScreen, qtbot: QtBot, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    some_printer(monkeypatch, [QPrinterInfo()])
    out = tmp_path / "printed.pdf"
    sheets = print_to_pdf(made, qtbot, out)
    pages = made.document.pageCount()
    assert pages >= 2 and sheets == pages
    assert len(PdfReader(out).pages) == pages
    assert made.print_button.isEnabled() and "Sent" in made.status.text()


def test_print_honours_the_page_range_and_copies(made: ReportScreen, qtbot: QtBot, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    some_printer(monkeypatch, [QPrinterInfo()])
    out = tmp_path / "two-copies-of-page-1.pdf"
    assert print_to_pdf(made, qtbot, out, pages=(1, 1), copies=2) == 2
    assert len(PdfReader(out).pages) == 2


def test_pages_and_copies_follow_the_dialog() -> None:
    printer = QPrinter()
    assert printing.pages_to_print(printer, 4) == [0, 1, 2, 3]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert printing.pages_to_print(printer, 4) == [1, 2]
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert printing.pages_to_print(printer, 4) == [2, 1]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert printing.pages_to_print(printer, 4, current_page=3) == [3]
    assert printing.with_copies([0, 1], 2, collate=True) == [0, 1, 0, 1]
    assert printing.with_copies([0, 1], 2, collate=False) == [0, 0, 1, 1]


def test_pages_are_scaled_to_fit_with_their_shape_kept() -> None:
    a4, area = QSizeF(595, 842), QSizeF(1000, 1000)
    rect = printing.fit(a4, area)
    assert rect.height() == pytest.approx(1000) and rect.width() == pytest.approx(1000 * 595 / 842)
    assert rect.left() == pytest.approx((1000 - rect.width()) / 2) and rect.top() == 0


# -- the kinds of report --------------------------------------------------------------------------------

def test_the_family_progress_summary_is_offered_for_a_follow_up(demo_window: tuple[MainWindow, str], qtbot: QtBot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from homeassess.services.demo_followup import create_follow_up_demo

    window, first_id = demo_window
    screen = window.visit.report
    radio = screen.findChild(QRadioButton, "kind_progress_family")
    assert radio.text() == "Progress summary for the family" and radio.isHidden()
    _first, follow_up_id = create_follow_up_demo(window.session.ctx)
    calls: list[dict] = []
    real = report_module.generate_progress_report

    def spy(*args: object, **kwargs: object) -> Path:
        calls.append({k: v for k, v in kwargs.items() if k == "audience"})
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "generate_progress_report", spy)
    window.open_visit(follow_up_id)
    window.visit.show_report()
    assert not radio.isHidden() and not screen.findChild(QRadioButton, "kind_progress").isHidden()
    with qtbot.waitSignal(screen.report_finished, timeout=30000):
        screen.start("progress-family")
    with qtbot.waitSignal(screen.report_finished, timeout=30000):
        screen.start("progress")
    assert calls == [{"audience": "family"}, {}]
    assert screen.path.name.endswith("-progress.pdf")
    assert (screen.path.parent / screen.path.name.replace("-progress.pdf", "-progress-family.pdf")).is_file()
    window.open_visit(first_id)
    assert radio.isHidden() and screen.kind() == "family"


def test_recommendations_not_yet_agreed_can_go_into_a_family_draft(window: MainWindow, qtbot: QtBot,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _client, visit_id = new_visit(window)
    ctx = window.session.ctx
    proposed = [r for r in R.list_recommendations(ctx, visit_id) if r.status == "proposed"]
    assert proposed
    window.open_visit(visit_id)
    window.visit.show_report()
    screen = window.visit.report
    box = screen.include_proposed
    screen.kinds.button(0).setChecked(True)
    assert not box.isHidden() and not box.isChecked()
    assert box.text().startswith("Include the ") and "not yet agreed" in box.text() and "draft to discuss" in box.text()
    screen.findChild(QRadioButton, "kind_clinical").setChecked(True)
    assert box.isHidden()
    seen: list[bool] = []
    real = report_module.generate_report

    def spy(*args: object, include_proposed: bool = False, **kwargs: object) -> Path:
        seen.append(include_proposed)
        return real(*args, include_proposed=include_proposed, **kwargs)

    monkeypatch.setattr(report_module, "generate_report", spy)
    for include in (False, True):
        screen.kinds.button(0).setChecked(True)
        box.setChecked(include)
        with qtbot.waitSignal(screen.report_finished, timeout=30000):
            screen.start()
    assert seen == [False, True]
    for rec in proposed:   # once everything is agreed there is nothing left to offer
        window.session.call(R.set_status, rec.id, "agreed")
    assert box.isHidden()
