"""Team screens (issue 16) against a real PostgreSQL server: Settings ▸ Team server links a laptop; the
Team window checks a visit out and in (background work, waited for by condition), shows a visit held by
another laptop greyed, releases a hold with a required reason, resolves a check-in conflict with the
conflict screen; the visit overview says when a visit is read-only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.services import team as T
from homeassess.services.context import AppContext, Clock, open_context
from homeassess.services.history import visit_history
from homeassess.ui.main_window import MainWindow
from homeassess.ui.screens.bundle_dialogs import ConflictDialog
from homeassess.ui.screens.settings import SettingsWindow
from homeassess.ui.screens.team import TeamWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import TaskRunner
from homeassess.ui.widgets.style import APP_STYLE
from tests.ui.test_small_screens import check

pytestmark = pytest.mark.gui
WAIT = 10_000   # ms: a job on the local test server takes well under a second


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()   # real worker threads, as in the app
    yield tasks
    tasks.shutdown()


def make_session(ctx: AppContext, runner: TaskRunner) -> Session:
    session = Session(ctx, runner)
    session.show_dialogs = False
    return session


def laptop(tmp_path: Path, name: str, registry, clock: Clock, therapist: str, url: str = "") -> AppContext:  # type: ignore[no-untyped-def]
    ctx = open_context(tmp_path / name, registry=registry, clock=clock)
    S.set_setting(ctx, "therapist.name", therapist)
    if url:
        T.connect(ctx, url)
    return ctx


def seed(server: AppContext, family: str = "Okafor") -> tuple[str, str, str]:
    client, _ = C.create_client(server, given_name="Ada", family_name=family)
    visit, _ = A.create_assessment(server, client.id, standard="UK", therapist_name="Office")
    room, _ = A.add_room(server, visit.id, "bathroom")
    return client.id, visit.id, room.id


def team_window(session: Session, qtbot: QtBot) -> TeamWindow:
    window = TeamWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def idle(qtbot: QtBot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.active == 0, timeout=WAIT)


@contextmanager
def dressed() -> Iterator[None]:
    """The app's style sheet (it sets the buttons' padding), as ``check`` expects."""
    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(APP_STYLE)
    try:
        yield
    finally:
        app.setStyleSheet(before)


def fits_a_tablet(window: QWidget, name: str) -> None:
    with dressed():
        window.resize(1024, 600)
        check(window, name)


def test_settings_links_a_laptop_in_the_background(tmp_path: Path, pg_url: str, registry, clock: Clock,  # type: ignore[no-untyped-def]
                                                   runner: TaskRunner, qtbot: QtBot) -> None:
    ctx = laptop(tmp_path, "laptop", registry, clock, "Sam Patel")
    window = SettingsWindow(make_session(ctx, runner))
    qtbot.addWidget(window)
    window.show()
    group = window.team
    assert "Not linked" in group.state.text() and not group.disconnect_button.isEnabled()
    assert group.password.echoMode() == group.password.EchoMode.Password
    assert group.url.placeholderText() == "postgresql://user@server/homeassess?sslmode=verify-full"
    # A wrong address is said at once; an unreachable server says to work offline.
    group.url.setText("mysql://me@server/homeassess")
    qtbot.mouseClick(group.connect_button, Qt.MouseButton.LeftButton)
    assert "PostgreSQL" in group.message.text()
    group.url.setText(f"postgresql://me@/homeassess?host={tmp_path / 'no-server-here'}")
    qtbot.mouseClick(group.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: group.connect_button.isEnabled(), timeout=WAIT)
    assert "work offline" in group.message.text() and T.link_of(ctx) is None

    group.url.setText(pg_url)
    qtbot.mouseClick(group.connect_button, Qt.MouseButton.LeftButton)
    assert not group.connect_button.isEnabled()   # while the worker connects
    qtbot.waitUntil(lambda: "Linked to" in group.message.text(), timeout=WAIT)
    link = T.link_of(ctx)
    assert link is not None and link.device_name in group.state.text()
    assert group.url.text() == link.server and group.password.text() == ""
    assert group.disconnect_button.isEnabled()
    # An office computer opens the server at start: the address is stored without a password.
    group.at_start.setChecked(True)
    stored = QSettings()
    assert stored.value("team/open_at_start", False, type=bool) is True
    assert stored.value("team/server_url") == link.server
    group.at_start.setChecked(False)
    assert stored.value("team/open_at_start", True, type=bool) is False

    qtbot.mouseClick(group.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no longer linked" in group.message.text(), timeout=WAIT)
    assert T.link_of(ctx) is None and "Not linked" in group.state.text()


def test_check_out_a_visit_then_check_it_in(tmp_path: Path, pg_url: str, pg_ctx: AppContext, registry,  # type: ignore[no-untyped-def]
                                            clock: Clock, runner: TaskRunner, qtbot: QtBot) -> None:
    server = pg_ctx
    _, visit, room = seed(server, "Okafor")
    _, held_elsewhere, _ = seed(server, "Nowak")
    other = laptop(tmp_path, "laptop-b", registry, clock, "Lee Chan", pg_url)
    T.checkout(other, assessment_id=held_elsewhere)
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    window = team_window(make_session(ctx, runner), qtbot)
    tab = window.laptop
    assert tab.visits == [] and "No visit is checked out" in tab.result.text()

    qtbot.mouseClick(tab.checkout_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: len(dialog.visits) == 2, timeout=WAIT)
    rows = {v.assessment_id: n for n, v in enumerate(dialog.visits)}
    # Held by another laptop: greyed, says who, cannot be chosen.
    held = rows[held_elsewhere]
    assert "Lee Chan" in dialog.view.item(held, 5).text()
    assert not dialog.view.item(held, 0).flags() & Qt.ItemFlag.ItemIsEnabled
    dialog.view.selectRow(held)
    assert dialog.current() is None and not dialog.take.isEnabled()
    # The search goes to the server too.
    dialog.search.setText("Okafor")
    qtbot.waitUntil(lambda: [v.assessment_id for v in dialog.visits] == [visit], timeout=WAIT)
    dialog.view.selectRow(0)
    assert dialog.take.isEnabled()
    qtbot.mouseClick(dialog.take, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.result.text().startswith("Checked out Ada Okafor"), timeout=WAIT)
    assert [v.assessment_id for v in tab.visits] == [visit] and tab.view.rowCount() == 1
    assert {h.holder for h in T.holds(server)} == {"Sam Patel", "Lee Chan"}

    A.set_answer(ctx, room, "bathroom.rim_height", number=560)   # offline, on the laptop
    tab.refresh()
    assert tab.view.item(0, 3).text() != "0"
    assert tab.checkin_button.text() == "Check in all"
    qtbot.mouseClick(tab.checkin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "checked in;" in tab.result.text(), timeout=WAIT)
    assert tab.result.text().startswith("1 visit checked in;")
    assert A.room_answers(server, room)["bathroom.rim_height"].number == 560
    assert [h.assessment_id for h in T.holds(server)] == [held_elsewhere]
    assert tab.visits == []
    idle(qtbot, runner)
    fits_a_tablet(window, "Team window")
    qtbot.mouseClick(tab.checkout_button, Qt.MouseButton.LeftButton)
    idle(qtbot, runner)
    fits_a_tablet(tab.dialog, "Check-out dialog")
    tab.dialog.reject()


def test_a_lead_releases_a_hold_with_a_reason(tmp_path: Path, pg_url: str, pg_ctx: AppContext, registry,  # type: ignore[no-untyped-def]
                                              clock: Clock, runner: TaskRunner, qtbot: QtBot) -> None:
    server = pg_ctx
    _, visit, _ = seed(server)
    T.checkout(laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url), assessment_id=visit)
    S.set_setting(server, "therapist.name", "Jo Lead")
    window = team_window(make_session(server, runner), qtbot)   # an office computer on the server
    assert "works on the team server" in window.laptop.notice.text() and window.laptop.body.isHidden()
    window.tabs.setCurrentWidget(window.holds)
    holds = window.holds
    qtbot.waitUntil(lambda: len(holds.rows) == 1, timeout=WAIT)
    assert holds.view.item(0, 2).text() == "Sam Patel"
    holds.view.selectRow(0)
    qtbot.mouseClick(holds.release_button, Qt.MouseButton.LeftButton)
    dialog = holds.dialog
    assert dialog is not None and dialog.by.text() == "Jo Lead"
    assert "history" in " ".join(label.text() for label in dialog.findChildren(type(holds.state)))
    fits_a_tablet(dialog, "Release a hold")
    qtbot.mouseClick(dialog.release_button, Qt.MouseButton.LeftButton)   # no reason: refused in the dialog
    assert dialog.isVisible() and "few words" in dialog.error.text()
    assert T.holds(server)
    dialog.reason.setText("Laptop left at the client's home")
    qtbot.mouseClick(dialog.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: holds.state.text().endswith("every visit can be changed on the server."), timeout=WAIT)
    assert holds.state.text().startswith("Released the hold on Ada Okafor's visit") and holds.view.rowCount() == 0
    assert T.holds(server) == []
    words = [e.what for e in visit_history(server, visit)]
    assert any("released the hold of" in w and "Laptop left at the client's home" in w for w in words)
    idle(qtbot, runner)
    # The team's caseload and overdue list, on the server itself.
    window.tabs.setCurrentWidget(window.caseload)
    qtbot.waitUntil(lambda: window.caseload.loaded, timeout=WAIT)
    assert window.caseload.view.item(0, 0).text() == "Ada Okafor" and window.caseload.more_button.isHidden()
    window.tabs.setCurrentWidget(window.overdue)
    qtbot.waitUntil(lambda: window.overdue.loaded, timeout=WAIT)
    assert window.overdue.state.text() == "Nothing is overdue across the team."
    idle(qtbot, runner)
    fits_a_tablet(window, "Team window on the server")


def test_a_check_in_conflict_is_resolved_on_the_conflict_screen(tmp_path: Path, pg_url: str, pg_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                registry, clock: Clock, runner: TaskRunner,
                                                                qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    server = pg_ctx
    client, visit, _ = seed(server)
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    T.checkout(ctx, assessment_id=visit)
    C.update_client(ctx, client, address="1 Mill Lane")      # on the laptop
    C.update_client(server, client, address="2 Mill Lane")   # in the office meanwhile
    shown: list[tuple[str, ...]] = []

    def keep_this_laptop(dialog: ConflictDialog) -> int:
        shown.append(tuple(b.text() for b in dialog.findChildren(QRadioButton)))
        dialog.show()
        fits_a_tablet(dialog, "Check-in conflicts")
        dialog.findChild(QRadioButton, "keepMine_0").click()
        assert dialog.import_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConflictDialog, "exec", keep_this_laptop)
    window = team_window(make_session(ctx, runner), qtbot)
    qtbot.mouseClick(window.laptop.checkin_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "checked in;" in window.laptop.result.text(), timeout=WAIT)
    assert shown == [("This laptop", "Team server")]
    assert C.get_client(server, client).address == "1 Mill Lane" and T.holds(server) == []
    idle(qtbot, runner)


def test_the_overview_says_a_visit_is_read_only(tmp_path: Path, pg_url: str, pg_ctx: AppContext, registry,  # type: ignore[no-untyped-def]
                                                clock: Clock, runner: TaskRunner, qtbot: QtBot) -> None:
    server = pg_ctx
    _, visit, room = seed(server)
    ctx = laptop(tmp_path, "laptop-a", registry, clock, "Sam Patel", pg_url)
    T.checkout(ctx, assessment_id=visit)
    office = MainWindow(make_session(server, runner))
    qtbot.addWidget(office)
    office.show()
    assert office.open_visit(visit)
    banner = office.visit.lock_banner
    assert banner.isVisible()
    assert banner.text().startswith("Checked out to Sam Patel on ") and "read-only until it is checked in" in banner.text()
    # Edits are refused by the database with a plain message, on the overview and in the room.
    office.visit.overview._save("property_type", "Flat")
    assert "read-only here" in banner.text()
    office.visit.show_room(room)
    editor = office.visit.room_editor
    editor._on_item_answered("bathroom.handheld_shower", "yes", None)
    line = editor.widgets["bathroom.handheld_shower"].line
    assert line.has_message and not editor.widgets["bathroom.handheld_shower"].buttons["yes"].isChecked()
    editor._on_item_note_changed("bathroom.handheld_shower", "a note")
    assert A.room_answers(server, room).get("bathroom.handheld_shower") is None
    # Checked in, the laptop keeps a read-only copy, and says so.
    T.checkin(ctx)
    window = MainWindow(make_session(ctx, runner))
    qtbot.addWidget(window)
    window.show()
    assert window.open_visit(visit)
    assert window.visit.lock_banner.text() == ("A read-only copy of the team server's record. "
                                               "Check it out (File ▸ Team) to change it.")
    assert window.actions_by_name["teamAction"].text() == "&Team…"
    team = window.show_team()
    assert isinstance(team, TeamWindow) and window.show_team() is team
    idle(qtbot, runner)


def test_a_password_the_server_wants_is_asked_once_and_kept_in_memory(tmp_path: Path, registry, clock: Clock,  # type: ignore[no-untyped-def]
                                                                      qtbot: QtBot) -> None:
    from homeassess.services.context import ServerLoginError
    from homeassess.ui.screens.team import ServerWork
    from homeassess.ui.tasks import SynchronousTaskRunner

    ctx = laptop(tmp_path, "laptop", registry, clock, "Sam Patel")
    parent = QWidget()
    qtbot.addWidget(parent)
    work = ServerWork(make_session(ctx, SynchronousTaskRunner()), parent)  # type: ignore[arg-type]
    asked: list[str] = []
    work.ask_password = lambda _parent, server: asked.append(server) or "s3cret"
    tried: list[str | None] = []

    def job(password: str | None) -> str:
        tried.append(password)
        if password != "s3cret":
            raise ServerLoginError("The team server x did not accept the user name or password.")
        return "done"

    results: list[object] = []
    work.run(job, results.append, results.append)
    assert tried == [None, "s3cret"] and results == ["done"] and len(asked) == 1
    work.run(job, results.append, results.append)   # kept for the next job, never stored
    assert tried[-1] == "s3cret" and len(asked) == 1
    # A wrong password again is said, not asked for in a loop.
    work.password, tried[:] = None, []
    work.ask_password = lambda _parent, _server: "wrong"
    work.run(job, results.append, results.append)
    assert tried == [None, "wrong"] and isinstance(results[-1], ServerLoginError)
