"""Visit bundles in the app (issue 15): File ▸ Export visit… / Export client… with a passphrase typed twice
(or a deliberate "don't encrypt"), File ▸ Import… and a bundle dropped on the window, the passphrase of an
encrypted bundle (asked again after a wrong one), refusals that say nothing was changed, and the conflict
screen. The service is replaced by fakes here, except in the last test, which uses the real one."""

from __future__ import annotations

import dataclasses
import importlib
import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from homeassess.domain.errors import ConflictError, HomeAssessError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.context import AppContext, open_context
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens import bundles as screen
from homeassess.ui.screens.bundle_dialogs import ConflictDialog, ExportProtectionDialog, Protection, UnlockDialog
from homeassess.ui.screens.bundles import JobProgress
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner, TaskRunner
from homeassess.ui.widgets.style import APP_STYLE
from tests.ui.test_small_screens import check, settle

API = ("export_bundle", "import_bundle", "is_encrypted", "ExportResult", "ImportResult", "FieldConflict",
       "BundleError", "PassphraseError", "ImportConflicts")
PASSPHRASE = "correct horse battery staple"


def _stand_in() -> types.ModuleType:
    """The service's API as the brief gives it, for when ``services/bundles.py`` is not there (yet)."""
    module = types.ModuleType("homeassess.services.bundles")

    @dataclass(frozen=True)
    class ExportResult:
        path: Path
        clients: int
        visits: int
        photos: int
        size_bytes: int
        encrypted: bool

    @dataclass(frozen=True)
    class FieldConflict:
        key: str
        where: str
        label: str
        mine: str
        theirs: str
        mine_changed: str = ""
        theirs_changed: str = ""

    class BundleError(HomeAssessError):
        pass

    class PassphraseError(BundleError):
        pass

    class ImportConflicts(ConflictError):
        def __init__(self, conflicts: list[FieldConflict]) -> None:
            self.conflicts = conflicts
            super().__init__(f"{len(conflicts)} conflicts")

    @dataclass(frozen=True)
    class ImportResult:
        clients: int
        visits: int
        photos: int
        created: int
        updated: int
        unchanged: bool
        assessment_ids: tuple[str, ...] = field(default=())

    def not_there(*_a: object, **_k: object) -> None:
        raise AssertionError("the stand-in service was called without a fake")

    for value in (ExportResult, FieldConflict, BundleError, PassphraseError, ImportConflicts, ImportResult):
        setattr(module, value.__name__, value)
    module.export_bundle = module.import_bundle = module.is_encrypted = not_there
    return module


@pytest.fixture
def svc(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The bundles service (the real module when it has the whole API, else a stand-in) to fake parts of."""
    try:
        module = importlib.import_module("homeassess.services.bundles")
        if all(hasattr(module, name) for name in API):
            return module
    except ImportError:
        pass
    module = _stand_in()
    monkeypatch.setitem(sys.modules, "homeassess.services.bundles", module)
    return module


def import_result(svc: types.ModuleType, **values: Any) -> Any:
    """An ImportResult with the fields this version of the service has."""
    defaults = {"clients": 1, "visits": 1, "photos": 3, "created": 120, "updated": 0, "unchanged": False}
    names = {f.name for f in dataclasses.fields(svc.ImportResult)}
    return svc.ImportResult(**{k: v for k, v in {**defaults, **values}.items() if k in names})


def make_visit(window: MainWindow) -> tuple[str, str]:
    ctx = window.session.ctx
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    visit, _ = A.create_assessment(ctx, client.id)
    window.show_clients()
    return client.id, visit.id


class Recorder:
    """A fake service function: records each call's arguments, answers with ``answers`` in turn (an
    exception is raised, a callable is called with the arguments)."""

    def __init__(self, *answers: Any) -> None:
        self.answers, self.calls = list(answers), []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer(*args, **kwargs) if callable(answer) else answer


def ask_save(monkeypatch: pytest.MonkeyPatch, chosen: Path, seen: list[str]) -> None:
    def get_save(_parent: object, _title: str, default: str, _filter: str) -> tuple[str, str]:
        seen.append(default)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)


# -- export ------------------------------------------------------------------------------------------
def test_a_short_or_mismatched_passphrase_is_refused_inline(qtbot: QtBot) -> None:
    dialog = ExportProtectionDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.plain.isChecked() and dialog.export_button.isDefault()
    for first, second, words in (("short", "short", "at least 8 characters; this one has 5"),
                                 ("long enough 1", "long enough 2", "not the same")):
        dialog.first.setText(first)
        dialog.second.setText(second)
        dialog.export_button.click()
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.error.isVisible() and words in dialog.error.text()
    dialog.second.setText("long enough 1")
    assert not dialog.error.isVisible()   # typing clears the message
    dialog.export_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.protection() == Protection("long enough 1")


def test_an_unencrypted_export_needs_the_box_ticked(qtbot: QtBot) -> None:
    dialog = ExportProtectionDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "nobody — including the office — can open the file" in dialog.findChild(QLabel, "passphraseAdvice").text()
    dialog.export_button.click()   # nothing typed, box not ticked
    assert dialog.isVisible() and "or tick “Don't encrypt”" in dialog.error.text()
    assert dialog.plain.text() == "Don't encrypt (only for moving between your own devices)"
    dialog.plain.setChecked(True)
    assert not dialog.first.isEnabled() and not dialog.second.isEnabled()
    assert dialog.plain_warning.isVisible() and dialog.export_button.text() == "Export without encryption"
    dialog.export_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.protection() == Protection(None)


def test_escape_cancels_the_export_question(qtbot: QtBot) -> None:
    dialog = ExportProtectionDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.first, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_export_visit_asks_where_and_runs_the_job_with_the_passphrase(window: MainWindow, svc: types.ModuleType,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    _, visit_id = make_visit(window)
    action = window.actions_by_name["exportVisitAction"]
    assert not action.isEnabled()   # no visit open
    window.open_visit(visit_id)
    assert action.isEnabled()
    seen: list[str] = []
    ask_save(monkeypatch, tmp_path / "for the office", seen)   # typed without the suffix
    window.bundles.ask_protection = lambda _parent, what: Protection(PASSPHRASE)
    export = Recorder(lambda ctx, out, **_k: svc.ExportResult(path=out, clients=1, visits=1, photos=3,
                                                               size_bytes=12_345, encrypted=True))
    monkeypatch.setattr(svc, "export_bundle", export)
    action.trigger()
    assert Path(seen[0]).name == "Visit ZÅ 2026-03-10.homeassess"
    (ctx, out), kwargs = export.calls[0]
    assert ctx is window.session.ctx and out == tmp_path / "for the office.homeassess"
    assert kwargs["assessment_id"] == visit_id and kwargs["passphrase"] == PASSPHRASE
    assert {"progress", "cancel"} <= set(kwargs)
    box = window.session.last_dialog
    assert box.objectName() == "bundleExportedBox" and str(out) in box.text()
    assert "12 kB: 1 visit, 3 photos." in box.informativeText() and "Encrypted" in box.informativeText()


def test_export_client_from_the_list_menu_and_the_file_menu(window: MainWindow, svc: types.ModuleType,
                                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    client_id, _ = make_visit(window)
    seen: list[str] = []
    ask_save(monkeypatch, tmp_path / "all.homeassess", seen)
    window.bundles.ask_protection = lambda _parent, what: Protection(None)
    export = Recorder(lambda ctx, out, **_k: svc.ExportResult(path=out, clients=1, visits=2, photos=0,
                                                               size_bytes=4_000, encrypted=False))
    monkeypatch.setattr(svc, "export_bundle", export)
    menu = window.clients.client_menu()
    next(a for a in menu.actions() if a.text() == "Export client…").trigger()
    window.findChild(QMenu, "fileMenu").aboutToShow.emit()
    assert window.actions_by_name["exportClientAction"].isEnabled()   # a client is selected in the list
    window.actions_by_name["exportClientAction"].trigger()
    assert [Path(s).name for s in seen] == ["Client ZÅ all visits 2026-03-10.homeassess"] * 2
    assert [c[1]["client_id"] for c in export.calls] == [client_id, client_id]
    assert all(c[1]["passphrase"] is None and "assessment_id" not in c[1] for c in export.calls)
    assert "Not encrypted" in window.session.last_dialog.informativeText()


def test_a_refused_export_says_no_file_was_saved(window: MainWindow, svc: types.ModuleType,
                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, visit_id = make_visit(window)
    window.open_visit(visit_id)
    ask_save(monkeypatch, tmp_path / "v.homeassess", [])
    window.bundles.ask_protection = lambda _parent, what: Protection(PASSPHRASE)
    monkeypatch.setattr(svc, "export_bundle", Recorder(svc.BundleError("a photo of this visit is missing")))
    window.actions_by_name["exportVisitAction"].trigger()
    box = window.session.last_dialog
    assert (box.objectName(), box.text(), box.informativeText()) == (
        "errorDialog", "a photo of this visit is missing", "No file was saved.")


def test_cancelling_an_export_stops_the_job(fixture_ctx: AppContext, qtbot: QtBot, svc: types.ModuleType,
                                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ensure Cancel in the progress window reaches the job running on the real task runner."""
    session = Session(fixture_ctx, TaskRunner())
    session.show_dialogs = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    _, visit_id = make_visit(window)
    window.open_visit(visit_id)
    ask_save(monkeypatch, tmp_path / "v.homeassess", [])
    window.bundles.ask_protection = lambda _parent, what: Protection(PASSPHRASE)

    def slow_export(_ctx: object, _out: Path, *, progress: Callable, cancel: threading.Event, **_k: object) -> None:
        progress(0.3, "Adding photos")
        if cancel.wait(10):
            raise InterruptedError("export cancelled")

    monkeypatch.setattr(svc, "export_bundle", slow_export)
    window.actions_by_name["exportVisitAction"].trigger()
    progress = window.bundles.running
    qtbot.waitUntil(progress.isVisible)   # shown once the job has taken a while
    qtbot.waitUntil(lambda: progress.bar.value() == 30 and progress.label.text() == "Adding photos")
    with qtbot.waitSignal(window.bundles.stopped, timeout=5000) as stopped:
        progress.cancel_button.click()
    assert stopped.args == ["Export cancelled. No file was saved."]
    assert window.bundles.running is None and window.statusBar().currentMessage() == stopped.args[0]


# -- import ------------------------------------------------------------------------------------------
def test_import_asks_for_the_passphrase_and_again_after_a_wrong_one(window: MainWindow, svc: types.ModuleType,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    bundle = tmp_path / "visit.homeassess"
    monkeypatch.setattr(svc, "is_encrypted", Recorder(True))
    wrong = svc.PassphraseError("The passphrase does not open visit.homeassess (or the file is damaged).")
    imports = Recorder(wrong, import_result(svc, created=120, updated=2))
    monkeypatch.setattr(svc, "import_bundle", imports)
    asked: list[tuple[str, str]] = []
    typed = iter(["not it", PASSPHRASE])
    window.bundles.ask_passphrase = lambda _parent, name, problem: asked.append((name, problem)) or next(typed)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(bundle), ""))
    window.actions_by_name["importAction"].trigger()
    assert asked == [("visit.homeassess", ""), ("visit.homeassess", str(wrong))]
    assert [(c[0][1], c[1]["passphrase"]) for c in imports.calls] == [(bundle, "not it"), (bundle, PASSPHRASE)]
    box = window.session.last_dialog
    assert box.objectName() == "bundleImportedBox" and box.informativeText() == "1 visit, 3 photos. 120 records added, 2 updated."


def test_cancel_at_the_passphrase_stops_the_import(window: MainWindow, svc: types.ModuleType,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(svc, "is_encrypted", Recorder(True))
    imports = Recorder(svc.PassphraseError("wrong"))
    monkeypatch.setattr(svc, "import_bundle", imports)
    typed = iter(["not it", None])
    window.bundles.ask_passphrase = lambda _parent, name, problem: next(typed)
    stopped: list[str] = []
    window.bundles.stopped.connect(stopped.append)
    window.bundles.import_file(tmp_path / "visit.homeassess")
    assert len(imports.calls) == 1 and stopped == ["Import cancelled. Nothing was changed."]
    window.bundles.ask_passphrase = lambda _parent, name, problem: None
    window.bundles.import_file(tmp_path / "visit.homeassess")   # Cancel at the first question
    assert len(imports.calls) == 1


def test_the_passphrase_question_shows_why_it_asks_again(qtbot: QtBot) -> None:
    dialog = UnlockDialog(None, "visit.homeassess", "The passphrase does not open visit.homeassess.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.isVisible() and "does not open" in dialog.error.text()
    assert not dialog.open_button.isEnabled()
    qtbot.keyClicks(dialog.field, PASSPHRASE)
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password and dialog.open_button.isEnabled()
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_refused_bundle_is_shown_with_nothing_was_changed(window: MainWindow, svc: types.ModuleType,
                                                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(svc, "is_encrypted", Recorder(False))
    monkeypatch.setattr(svc, "import_bundle", Recorder(svc.BundleError("visit.homeassess is damaged or incomplete.")))
    changed: list[object] = []
    window.session.bus.changed.connect(lambda changes, _who: changed.append(changes))
    window.bundles.import_file(tmp_path / "visit.homeassess")
    box = window.session.last_dialog
    assert (box.objectName(), box.windowTitle(), box.text(), box.informativeText()) == (
        "errorDialog", "Bundle not imported", "visit.homeassess is damaged or incomplete.", "Nothing was changed.")
    assert changed == []
    monkeypatch.setattr(svc, "is_encrypted", Recorder(FileNotFoundError(2, "No such file or directory",
                                                                       "not there.homeassess")))
    window.bundles.import_file(tmp_path / "not there.homeassess")
    box = window.session.last_dialog
    assert "No such file or directory" in box.text() and box.informativeText() == "Nothing was changed."


def conflicts(svc: types.ModuleType, n: int = 3) -> list[Any]:
    return [svc.FieldConflict(key=f"answer:{k}:value", where="Home visit 10 Mar 2026 — Bathroom",
                              label=f"Is there a grab rail by the toilet? ({k})", mine="Yes", theirs="No",
                              mine_changed="changed 10 Mar 2026 10:30 by Sam Lee",
                              theirs_changed="changed 11 Mar 2026 09:00 by Ann Office") for k in range(n)]


def test_the_conflict_screen_needs_a_choice_on_every_row(qtbot: QtBot, svc: types.ModuleType) -> None:
    dialog = ConflictDialog(None, conflicts(svc))
    qtbot.addWidget(dialog)
    dialog.show()
    assert all(row.choice() is None for row in dialog.rows)   # nothing chosen beforehand
    assert not dialog.import_button.isEnabled() and not dialog.import_button.isDefault()
    dialog.rows[0].buttons["mine"].click()
    dialog.rows[1].buttons["theirs"].setFocus()
    qtbot.keyClick(dialog.rows[1].buttons["theirs"], Qt.Key.Key_Space)   # by keyboard
    assert not dialog.import_button.isEnabled() and dialog.counter.text() == "2 of 3 chosen"
    dialog.rows[2].buttons["mine"].click()
    assert dialog.import_button.isEnabled()
    assert dialog.resolutions() == {"answer:0:value": "mine", "answer:1:value": "theirs", "answer:2:value": "mine"}
    dialog.findChild(QPushButton, "keepAllTheirs").click()
    assert set(dialog.resolutions().values()) == {"theirs"} and len(dialog.resolutions()) == 3
    shown = {label.text() for label in dialog.rows[0].findChildren(QLabel)}
    assert {"Yes", "No", "changed 11 Mar 2026 09:00 by Ann Office"} <= shown
    qtbot.keyClick(dialog, Qt.Key.Key_Return)   # Enter is Cancel, never Import
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_conflicts_are_resolved_then_the_import_runs_again(window: MainWindow, svc: types.ModuleType,
                                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, visit_id = make_visit(window)
    monkeypatch.setattr(svc, "is_encrypted", Recorder(False))
    imports = Recorder(svc.ImportConflicts(conflicts(svc, 2)),
                       import_result(svc, created=0, updated=1, assessment_ids=(visit_id,)))
    monkeypatch.setattr(svc, "import_bundle", imports)

    def choose_all_theirs(dialog: ConflictDialog) -> int:
        assert not dialog.import_button.isEnabled()
        dialog.findChild(QPushButton, "keepAllTheirs").click()
        dialog.import_button.click()
        return dialog.result()

    monkeypatch.setattr(ConflictDialog, "exec", choose_all_theirs)
    changed: list[object] = []
    window.session.bus.changed.connect(lambda changes, _who: changed.append(changes))
    window.bundles.import_file(tmp_path / "visit.homeassess")
    assert [c[1]["resolutions"] for c in imports.calls] == [
        None, {"answer:0:value": "theirs", "answer:1:value": "theirs"}]
    assert changed and changed[0].clients and changed[0].findings and changed[0].recommendations
    assert "1 updated" in window.session.last_dialog.informativeText()
    if "assessment_ids" in {f.name for f in dataclasses.fields(svc.ImportResult)}:
        assert window.screens.currentWidget() is window.visit and window.visit.assessment_id == visit_id
        assert window.session.last_dialog.text() == "Imported Zoë Ångström-Nuñez."


def test_cancel_on_the_conflict_screen_changes_nothing(window: MainWindow, svc: types.ModuleType,
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(svc, "is_encrypted", Recorder(False))
    imports = Recorder(svc.ImportConflicts(conflicts(svc, 1)))
    monkeypatch.setattr(svc, "import_bundle", imports)
    window.bundles.ask_resolutions = lambda _parent, found: None
    stopped: list[str] = []
    window.bundles.stopped.connect(stopped.append)
    window.bundles.import_file(tmp_path / "visit.homeassess")
    assert len(imports.calls) == 1 and stopped == ["Import cancelled. Nothing was changed."]


def test_a_second_import_says_nothing_changed(window: MainWindow, svc: types.ModuleType,
                                              monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(svc, "is_encrypted", Recorder(False))
    monkeypatch.setattr(svc, "import_bundle", Recorder(import_result(svc, created=0, updated=0, unchanged=True)))
    changed: list[object] = []
    window.session.bus.changed.connect(lambda changes, _who: changed.append(changes))
    window.bundles.import_file(tmp_path / "visit.homeassess")
    assert window.session.last_dialog.text() == "This bundle was already imported: nothing changed."
    assert changed == []


def drag_events(*urls: QUrl) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    """The events of dragging ``urls`` onto a widget, and their data (which they do not own: keep it)."""
    mime = QMimeData()
    mime.setUrls(list(urls))
    actions, none = Qt.DropAction.CopyAction, Qt.MouseButton.NoButton
    return (QDragEnterEvent(QPointF(10, 10), actions, mime, none, Qt.KeyboardModifier.NoModifier),
            QDropEvent(QPointF(10, 10), actions, mime, none, Qt.KeyboardModifier.NoModifier), mime)


def test_dropping_a_bundle_on_the_window_imports_it(window: MainWindow, svc: types.ModuleType, qtbot: QtBot,
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert window.acceptDrops()
    monkeypatch.setattr(svc, "is_encrypted", Recorder(False))
    imports = Recorder(import_result(svc))
    monkeypatch.setattr(svc, "import_bundle", imports)
    bundle = tmp_path / "Zoë visit.homeassess"
    for urls in ([QUrl.fromLocalFile(str(tmp_path / "report.pdf"))],
                 [QUrl("https://example.org/visit.homeassess")],
                 [QUrl.fromLocalFile(str(bundle)), QUrl.fromLocalFile(str(tmp_path / "other.homeassess"))]):
        enter, drop, _mime = drag_events(*urls)
        window.dragEnterEvent(enter)
        window.dropEvent(drop)
        assert not enter.isAccepted() and not drop.isAccepted(), urls
    enter, drop, _mime = drag_events(QUrl.fromLocalFile(str(bundle)))
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: len(imports.calls) == 1)
    assert imports.calls[0][0][1] == bundle


def test_the_bundle_file_name_is_safe_and_ends_in_homeassess() -> None:
    from datetime import date

    day = date(2026, 12, 2)
    # Initials only: the name of a file shows even when its contents are encrypted.
    assert screen.bundle_filename("Ångström-Nuñez", "Zoë", day) == "Visit ZÅ 2026-12-02.homeassess"
    assert screen.bundle_filename("O'Brien/Smith", "", day, all_visits=True) == \
        "Client O all visits 2026-12-02.homeassess"
    assert screen.bundle_filename("", "", day) == "Visit 2026-12-02.homeassess"
    assert screen.with_suffix("/x/visit") == Path("/x/visit.homeassess")
    assert screen.with_suffix("/x/visit.HomeAssess") == Path("/x/visit.homeassess")
    assert screen.with_suffix("/x/v2.5") == Path("/x/v2.5.homeassess")


# -- fit and keyboard ----------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["protect", "unlock", "conflicts", "progress"])
def test_every_bundle_dialog_fits_a_small_tablet(window: MainWindow, svc: types.ModuleType, which: str) -> None:
    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(APP_STYLE)
    try:
        long = "A long note about the bathroom: the grab rail is loose, the floor is slippery when wet, " * 3
        dialog: QDialog = {
            "protect": lambda: ExportProtectionDialog(window, "the visit to Zoë Ångström-Nuñez on 10 Mar 2026"),
            "unlock": lambda: UnlockDialog(window, "Ångström-Nuñez-Zoë 2026-03-10.homeassess",
                                           "The passphrase does not open it (or the file is damaged)."),
            "conflicts": lambda: ConflictDialog(window, [dataclasses.replace(c, mine=long) for c in conflicts(svc, 12)]),
            "progress": lambda: JobProgress(window, "Importing", "Importing Ångström-Nuñez-Zoë.homeassess…"),
        }[which]()
        if which == "protect":
            dialog.export_button.click()   # the inline message shows too
            dialog.plain.setChecked(True)
        dialog.show()
        settle()
        hint = dialog.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 560, hint
        dialog.resize(min(dialog.width(), 1024), min(dialog.height(), 560))
        check(dialog, which)
        if isinstance(dialog, JobProgress):
            dialog.end()
        else:
            dialog.reject()
    finally:
        app.setStyleSheet(before)


# -- end to end, with the real service ----------------------------------------------------------------
def _real_service() -> types.ModuleType | None:
    try:
        module = importlib.import_module("homeassess.services.bundles")
    except ImportError:
        return None
    return module if all(hasattr(module, name) for name in API) else None


@pytest.mark.skipif(_real_service() is None, reason="homeassess/services/bundles.py does not implement "
                    "export_bundle and import_bundle yet")
def test_a_visit_exported_in_one_data_folder_imports_in_another(demo_window: tuple[MainWindow, str], tmp_path: Path,
                                                                 registry: object, clock: object, qtbot: QtBot,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    laptop, visit_id = demo_window
    bundle = tmp_path / "demo.homeassess"
    ask_save(monkeypatch, bundle, [])
    laptop.bundles.ask_protection = lambda _parent, what: Protection(PASSPHRASE)
    with qtbot.waitSignal(laptop.bundles.exported) as exported:
        laptop.actions_by_name["exportVisitAction"].trigger()
    assert exported.args[0].path == bundle and exported.args[0].encrypted and bundle.exists()

    office_session = Session(open_context(tmp_path / "office", registry=registry, clock=clock), SynchronousTaskRunner())
    office_session.show_dialogs = False
    office = MainWindow(office_session)
    qtbot.addWidget(office)
    office.show()
    asked: list[str] = []
    typed = iter(["not the passphrase", PASSPHRASE])
    office.bundles.ask_passphrase = lambda _parent, name, problem: asked.append(problem) or next(typed)
    enter, drop, _mime = drag_events(QUrl.fromLocalFile(str(bundle)))
    office.dragEnterEvent(enter)
    with qtbot.waitSignal(office.bundles.imported) as imported:
        office.dropEvent(drop)
    assert asked[0] == "" and "passphrase" in asked[1]
    assert imported.args[0].created > 0 and not imported.args[0].unchanged
    assert office.screens.currentWidget() is office.visit and office.visit.assessment_id == visit_id
    assert office.clients.model.rowCount() == 1
    office.bundles.ask_passphrase = lambda _parent, name, problem: PASSPHRASE
    with qtbot.waitSignal(office.bundles.imported):
        office.bundles.import_file(bundle)
    assert office_session.last_dialog.text() == "This bundle was already imported: nothing changed."
