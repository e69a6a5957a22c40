"""File ▸ Team…: this laptop's visits on the team server (check out, check in), who holds which visit
(a lead releases a stale hold), the team's caseload and what is overdue across the team.

Everything that talks to the server runs in the background (``ServerWork``): on a laptop each job
opens the linked server (``services.team.team_server``) and closes it; on a computer started on the
server (``ctx.is_server``) the jobs use its own context. The server's refusals and an unreachable
server are shown in plain words: the laptop's own records are always there to work on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog,
    QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from homeassess.domain.errors import HomeAssessError
from homeassess.domain.input_rules import NUMBERS
from homeassess.services import followup as F
from homeassess.services import settings as S
from homeassess.services import team as T
from homeassess.services.bundles import ImportConflicts
from homeassess.services.context import AppContext, ServerLoginError
from homeassess.ui.errors import error_dialog
from homeassess.ui.screens.backups import counted
from homeassess.ui.screens.bundle_dialogs import ConflictDialog, ConflictWords
from homeassess.ui.screens.bundles import IMPORTED
from homeassess.ui.screens.overdue import COLUMNS as OVERDUE_COLUMNS
from homeassess.ui.screens.visit import KIND_TITLES
from homeassess.ui.session import Session
from homeassess.ui.widgets.responsive import FlowLayout, fit_to_screen
from homeassess.ui.widgets.style import TOUCH

PAGE = 500   # caseload rows fetched at a time
GREY = "color: #52606D;"
OFFLINE = "You can keep working on this laptop's own records; try again when the network is back."
NOT_LINKED = ("This laptop is not linked to a team server. Link it under File ▸ Settings ▸ Team server, "
              "with the address you were given by whoever runs the server.")
REMOVED_HOLD = "Say why, in a few words: it is recorded in the visit's history."
CHECKIN_WORDS = ConflictWords(
    title="Changed on this laptop and on the team server",
    intro=("{count} changed both on this laptop and on the team server since the visit was checked out. "
           "Choose which to keep for each. Nothing is checked in until every one is chosen; Cancel leaves "
           "both as they are."),
    mine="This laptop", theirs="Team server", all_mine="All from this &laptop",
    all_theirs="All from the team &server", action="&Check in")
CHECKOUT_WORDS = ConflictWords(
    title=CHECKIN_WORDS.title,
    intro=("{count} changed both on this laptop and on the team server. Choose which to keep for each. "
           "Nothing is checked out until every one is chosen; Cancel leaves both as they are."),
    mine="This laptop", theirs="Team server", all_mine=CHECKIN_WORDS.all_mine,
    all_theirs=CHECKIN_WORDS.all_theirs, action="Check &out")


def when(moment: datetime | None) -> str:
    return f"{moment.day} {moment:%b %Y %H:%M} UTC" if moment else ""


def day(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def shown_address(text: str) -> str:
    """The server address as screens and QSettings keep it: never with its password."""
    return T.shown(T.parse(text))


def checkin_text(result: T.CheckinResult) -> str:
    if not result.assessment_ids:
        return "Nothing to check in: no visit is checked out to this laptop or made here."
    parts = [f"{counted(result.updated, 'record')} updated"]
    parts += [f"{result.created} added"] if result.created else []
    parts += [f"{result.removed} removed"] if result.removed else []
    photos = f" {counted(result.photos, 'photo')} sent." if result.photos else ""
    notes = "".join(f" {note}" for note in result.notes)
    return f"{counted(len(result.assessment_ids), 'visit')} checked in; {', '.join(parts)}.{photos}{notes}"


def checkout_text(result: T.CheckoutResult) -> str:
    photos = f", {counted(result.photos, 'photo')}" if result.photos else ""
    return (f"Checked out {result.client_name}: {counted(len(result.assessment_ids), 'visit')}{photos}. "
            "Held for this laptop until you check it in.")


def table(name: str, columns: tuple[str, ...], accessible: str) -> QTableWidget:
    view = QTableWidget(0, len(columns))
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setHorizontalHeaderLabels(list(columns))
    view.verticalHeader().hide()
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return view


def fill(view: QTableWidget, rows: list[tuple[str, ...]], *, right: tuple[int, ...] = (), start: int = 0) -> None:
    """Rows from ``start`` on (earlier rows stay: a caseload page is added under the last)."""
    view.setRowCount(start + len(rows))
    for r, values in enumerate(rows, start):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            view.setItem(r, c, item)
    for c in range(view.columnCount() - 1):   # the last one stretches to the table's edge
        view.resizeColumnToContents(c)
        view.setColumnWidth(c, min(view.columnWidth(c), 280))


def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setMinimumHeight(TOUCH)
    widget.setAutoDefault(False)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget


def wrapped(text: str = "", name: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def ask_password(parent: QWidget | None, server: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "Team server password", f"Password for the team server\n{server}",
                                    QLineEdit.EchoMode.Password)
    return text if ok else None


class ServerWork(QObject):
    """Team-server jobs in the background, on the UI thread's behalf. A job is ``job(password)``; when
    the server refuses the password (or wants one) it is asked for once and kept in memory while the
    app runs, never stored. ``busy_changed(running)`` drives the window's busy line."""

    busy_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.parent_widget = session, parent
        self.password: str | None = None
        self.running = 0
        self.ask_password = ask_password   # tests replace it

    @property
    def ctx(self) -> AppContext:
        return self.session.ctx

    def link(self) -> T.TeamLink | None:
        return self.session.read(T.link_of)

    def available(self) -> bool:
        return self.ctx.is_server or self.link() is not None

    def on_server(self, work: Callable[[AppContext], Any]) -> Callable[[str | None], Any]:
        """``work(server)``: this context when it is the server, else the linked server, opened for the job."""
        ctx = self.ctx

        def job(password: str | None) -> Any:
            if ctx.is_server:
                return work(ctx)
            with T.team_server(ctx, password=password) as server:
                return work(server)

        return job

    def run(self, job: Callable[[str | None], Any], on_success: Callable[[Any], None],
            on_error: Callable[[BaseException], None], *, asked: bool = False) -> None:
        password = self.password
        self.running += 1
        self.busy_changed.emit(self.running)

        def ended() -> None:
            self.running -= 1
            self.busy_changed.emit(self.running)

        def succeeded(result: Any) -> None:
            ended()
            on_success(result)

        def failed(error: BaseException) -> None:
            ended()
            if isinstance(error, ServerLoginError) and not asked and not self.ctx.is_server:
                link = self.link()
                given = self.ask_password(self.parent_widget, link.server if link else "")
                if given is not None:
                    self.password = given
                    self.run(job, on_success, on_error, asked=True)
                    return
            on_error(error)

        self.session.tasks.submit(lambda *, progress, cancel: job(password), on_success=succeeded,
                                  on_error=failed)


def problem_text(error: BaseException) -> str:
    """A refusal or an unreachable server in plain words; anything else is a bug (the crash dialog)."""
    if not isinstance(error, HomeAssessError):
        raise error
    text = str(error)
    away = ("cannot be reached" in text or "did not answer" in text) and "offline" not in text
    return f"{text} {OFFLINE}" if away else text


class Tab(QWidget):
    """A tab with a notice (not linked, working on the server) above its own content."""

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__()
        self.work = work
        layout = QVBoxLayout(self)
        notice_row = QHBoxLayout()
        self.notice = wrapped(name="teamNotice")
        notice_row.addWidget(self.notice, 1)
        self.settings_button = button("Open Settings…", "teamOpenSettings", lambda: open_settings and open_settings())
        self.settings_button.setVisible(False)
        notice_row.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(notice_row)
        self.body = QWidget()
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)
        layout.addStretch(0)   # takes the room when the body is hidden: the notice stays at the top
        self.can_settle = open_settings is not None

    def say(self, notice: str, *, body: bool, settings: bool = False) -> None:
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.settings_button.setVisible(settings and self.can_settle)
        self.body.setVisible(body)


class ServerTab(Tab):
    """A table of what the server says, loaded when first shown and on Refresh."""

    columns: tuple[str, ...] = ()
    right: tuple[int, ...] = ()
    name = ""

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__(work, open_settings)
        self.rows: list[Any] = []
        self.loaded = False
        self.note = ""   # what was just done, said above the reloaded list's summary
        self.asked = 0   # answers of an older load are dropped
        self.top = FlowLayout()
        self.content.addLayout(self.top)
        self.view = table(f"{self.name}Table", self.columns, self.name.capitalize())
        self.content.addWidget(self.view, 1)
        self.state = wrapped(name=f"{self.name}State")
        self.content.addWidget(self.state)
        self.buttons = FlowLayout()
        self.refresh_button = button("Refresh", f"{self.name}Refresh", self.load)
        self.buttons.addWidget(self.refresh_button)
        self.content.addLayout(self.buttons)

    def job(self) -> Callable[[AppContext], list[Any]]:
        """What to ask the server, with the widgets' values read now, on the UI thread (the worker
        never touches a widget)."""
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def empty(self) -> str:
        return "Nothing here."

    def show_state(self) -> bool:
        """The notice for a laptop that is not linked; True when the server can be asked."""
        if not self.work.available():
            self.say(NOT_LINKED, body=False, settings=True)
            return False
        self.say("", body=True)
        return True

    def load(self) -> None:
        if not self.show_state():
            return
        self.asked += 1
        asked = self.asked
        self.state.setText(" ".join(filter(None, (self.note, "Asking the team server…"))))
        self.work.run(self.work.on_server(self.job()), lambda rows: asked == self.asked and self.loaded_rows(rows),
                      lambda error: asked == self.asked and self.failed(error))

    def loaded_rows(self, rows: list[Any], *, more: bool = False) -> None:
        self.loaded = True
        start = len(self.rows) if more else 0
        self.rows = (self.rows if more else []) + list(rows)
        fill(self.view, [self.cells(r) for r in rows], right=self.right, start=start)
        self.state.setText(" ".join(filter(None, (self.note, self.summary() if self.rows else self.empty()))))
        self.note = ""

    def summary(self) -> str:
        return f"{len(self.rows)} shown."

    def failed(self, error: BaseException) -> None:
        self.state.setText(" ".join(filter(None, (self.note, problem_text(error)))))
        self.note = ""

    def selected(self) -> Any | None:
        row = self.view.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.view.selectionModel().hasSelection() else None


# -- this laptop ----------------------------------------------------------------------------------
class CheckoutDialog(QDialog):
    """The server's visits, searched by client name; a visit another laptop holds is greyed with who holds
    it and cannot be chosen. ``chosen`` gives ``{"assessment_id": …}`` or ``{"client_id": …}``."""

    chosen = Signal(dict)
    COLUMNS = ("Client", "Visit date", "Kind", "Status", "Therapist", "Checked out")

    def __init__(self, work: ServerWork, device_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutDialog")
        self.setWindowTitle("Check out from the team server")
        self.work, self.device_id = work, device_id
        self.visits: list[T.ServerVisit] = []
        self.asked = 0
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped("Choose the visit to take out. It is copied to this laptop and held for it: "
                                 "everyone else sees it read-only until you check it in."))
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("checkoutSearch")
        self.search.setAccessibleName("Search clients")
        self.search.setPlaceholderText("Client name…")
        self.search.setMinimumHeight(TOUCH)
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        layout.addLayout(row)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.load)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.view = table("checkoutVisits", self.COLUMNS, "Visits on the team server")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.itemSelectionChanged.connect(self._update)
        self.view.doubleClicked.connect(lambda _index: self.take.isEnabled() and self._take())
        layout.addWidget(self.view, 1)
        self.state = wrapped(name="checkoutState")
        layout.addWidget(self.state)
        self.whole = QCheckBox("Check out every visit of this client")
        self.whole.setObjectName("checkoutWholeClient")
        self.whole.setMinimumHeight(TOUCH)
        layout.addWidget(self.whole)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.take = QPushButton("Check out")
        self.take.setObjectName("checkoutButton")
        self.take.setMinimumHeight(TOUCH)
        buttons.addButton(self.take, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._take)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()
        fit_to_screen(self, 900, 520)
        self.load()

    def load(self) -> None:
        self.asked += 1
        asked, text = self.asked, self.search.text()
        self.state.setText("Asking the team server…")
        device = self.device_id
        work = self.work.on_server(lambda server: T.server_visits(server, search=text, device_id=device))
        self.work.run(work, lambda rows: asked == self.asked and self._show(rows),
                      lambda error: asked == self.asked and self.state.setText(problem_text(error)))

    def _show(self, visits: list[T.ServerVisit]) -> None:
        self.visits = list(visits)
        fill(self.view, [(v.client_name, day(v.visit_date), KIND_TITLES.get(v.kind, v.kind),
                          v.status.replace("_", " ").capitalize(), v.therapist,
                          "On this laptop" if v.held_here else v.held) for v in self.visits])
        for row, visit in enumerate(self.visits):
            if visit.held and not visit.held_here:
                for col in range(self.view.columnCount()):
                    item = self.view.item(row, col)
                    item.setFlags(Qt.ItemFlag.NoItemFlags)   # greyed, cannot be chosen
                    item.setToolTip(f"Checked out to {visit.held}")
        free = sum(1 for v in self.visits if not v.held or v.held_here)
        self.state.setText(f"{counted(len(self.visits), 'visit')}, {free} free to check out." if self.visits
                           else "No visit on the team server matches.")
        self._update()

    def current(self) -> T.ServerVisit | None:
        rows = {i.row() for i in self.view.selectedIndexes()}
        visit = self.visits[rows.pop()] if len(rows) == 1 else None
        return visit if visit is not None and (not visit.held or visit.held_here) else None

    def _update(self) -> None:
        self.take.setEnabled(self.current() is not None)

    def _take(self) -> None:
        visit = self.current()
        if visit is None:
            return
        self.chosen.emit({"client_id": visit.client_id} if self.whole.isChecked()
                         else {"assessment_id": visit.assessment_id})
        self.accept()


class LaptopTab(Tab):
    """The visits held here and those made here: check out more, check them in."""

    COLUMNS = ("Client", "Visit date", "Checked out", "Changes here", "State")
    STATES = {"out": "Checked out to this laptop", "new": "Made here: goes up at check-in"}
    done = Signal(object)   # CheckoutResult or CheckinResult

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__(work, open_settings)
        self.visits: list[T.LocalVisit] = []
        self.dialog: CheckoutDialog | None = None
        self.ask_resolutions = ConflictDialog.ask
        self.view = table("laptopVisits", self.COLUMNS, "Visits on this laptop")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.itemSelectionChanged.connect(self._update)
        self.content.addWidget(self.view, 1)
        self.result = wrapped(name="teamResult")
        self.content.addWidget(self.result)
        buttons = FlowLayout()
        self.checkout_button = button("Check out…", "checkoutOpen", self.start_checkout)
        self.checkin_button = button("Check in all", "checkinButton", self.checkin)
        for widget in (self.checkout_button, self.checkin_button, button("Refresh", "laptopRefresh", self.refresh)):
            buttons.addWidget(widget)
        self.content.addLayout(buttons)
        self.busy = False

    def refresh(self) -> None:
        ctx = self.work.ctx
        if ctx.is_server:
            self.say(f"This computer works on the team server {ctx.server} directly: visits are changed there, "
                     "so nothing is checked out or in here. The other tabs show the team's records.", body=False)
            return
        link = self.work.link()
        if link is None:
            self.say(NOT_LINKED, body=False, settings=True)
            return
        self.say("", body=True)
        self.visits = self.work.session.read(T.local_visits) or []
        fill(self.view, [(v.client_name, day(v.visit_date), when(v.since), str(v.changes), self.STATES.get(v.state, v.state))
                         for v in self.visits], right=(3,))
        if not self.visits and not self.result.text():
            self.result.setText("No visit is checked out to this laptop. Check out the visits you are going to "
                                "before you go.")
        self._update()

    def selected_ids(self) -> list[str]:
        return [self.visits[r].assessment_id for r in sorted({i.row() for i in self.view.selectedIndexes()})
                if r < len(self.visits)]

    def _update(self) -> None:
        chosen = self.selected_ids()
        self.checkin_button.setText(f"Check in {counted(len(chosen), 'visit')}" if chosen else "Check in all")
        self.checkin_button.setEnabled(not self.busy and bool(self.visits))
        self.checkout_button.setEnabled(not self.busy)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update()

    # -- check-out --------------------------------------------------------------------------------
    def start_checkout(self) -> None:
        link = self.work.link()
        if link is None:
            return
        self.work.session.pending.flush_all()
        self.dialog = CheckoutDialog(self.work, link.device_id, self)
        self.dialog.chosen.connect(lambda scope: self.checkout(scope, {}))
        self.dialog.open()

    def checkout(self, scope: dict[str, str], resolutions: dict[str, str]) -> None:
        ctx = self.work.ctx
        self.set_busy(True)
        self.result.setText("Checking out…")
        self.work.run(lambda password: T.checkout(ctx, password=password, resolutions=resolutions or None, **scope),
                      self._finished, lambda error: self._checkout_failed(scope, resolutions, error))

    def _checkout_failed(self, scope: dict[str, str], resolutions: dict[str, str], error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, ImportConflicts):
            chosen = self.ask_resolutions(self, list(error.conflicts), CHECKOUT_WORDS)
            if chosen is not None:
                self.checkout(scope, {**resolutions, **chosen})
                return
            self.result.setText("Check-out cancelled: nothing was checked out.")
            return
        self._refused("Not checked out", error, "Nothing was checked out.")

    # -- check-in ---------------------------------------------------------------------------------
    def checkin(self, resolutions: dict[str, str] | None = None, only: list[str] | None = None) -> None:
        ctx = self.work.ctx
        only = only if resolutions else (self.selected_ids() or None)
        answers = resolutions or {}
        self.work.session.pending.flush_all()   # the last words typed go up too
        self.set_busy(True)
        self.result.setText("Checking in…")
        self.work.run(lambda password: T.checkin(ctx, assessment_ids=only, password=password,
                                                 resolutions=answers or None),
                      self._finished, lambda error: self._checkin_failed(only, answers, error))

    def _checkin_failed(self, only: list[str] | None, resolutions: dict[str, str], error: BaseException) -> None:
        self.set_busy(False)
        if isinstance(error, ImportConflicts):
            chosen = self.ask_resolutions(self, list(error.conflicts), CHECKIN_WORDS)
            if chosen is not None:
                self.checkin({**resolutions, **chosen}, only)
                return
            self.result.setText("Check-in cancelled: nothing was checked in; your copy is kept.")
            return
        self._refused("Not checked in", error, "Nothing was checked in; this laptop's copy is kept.")

    def _finished(self, result: Any) -> None:
        self.set_busy(False)
        self.result.setText(checkin_text(result) if isinstance(result, T.CheckinResult) else checkout_text(result))
        self.done.emit(result)
        self.refresh()

    def _refused(self, title: str, error: BaseException, nothing: str) -> None:
        message = problem_text(error)
        self.result.setText(f"{message} {nothing}")
        self.work.session.show_dialog(error_dialog(self, title, message, nothing))


# -- the server's views ---------------------------------------------------------------------------
class HoldsTab(ServerTab):
    columns = ("Client", "Visit date", "Held by", "On laptop", "Since")
    name = "holds"

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__(work, open_settings)
        self.release_button = button("Release hold…", "releaseHoldButton", self.ask_release)
        self.buttons.addWidget(self.release_button)
        self.dialog: ReleaseHoldDialog | None = None

    def job(self) -> Callable[[AppContext], list[T.HoldView]]:
        link = None if self.work.ctx.is_server else self.work.link()
        device = link.device_id if link else ""
        return lambda server: T.holds(server, device_id=device)

    def cells(self, h: T.HoldView) -> tuple[str, ...]:
        return (h.client_name, day(h.visit_date), h.holder or "another therapist",
                h.device_name + (" (this laptop)" if h.mine else ""), when(h.since))

    def empty(self) -> str:
        return "No visit is checked out: every visit can be changed on the server."

    def summary(self) -> str:
        return f"{counted(len(self.rows), 'visit')} checked out."

    def ask_release(self) -> None:
        hold = self.selected()
        if hold is None:
            self.state.setText("Choose the hold to release in the list first.")
            return
        if hold.mine:
            self.state.setText("This laptop holds that visit: check it in on the “This laptop” tab instead.")
            return
        values = self.work.session.read(S.get_settings)
        self.dialog = ReleaseHoldDialog(hold, values["therapist.name"] if values else "", self)
        self.dialog.released.connect(lambda reason, by: self.release(hold, reason, by))
        self.dialog.open()

    def release(self, hold: T.HoldView, reason: str, by: str) -> None:
        self.state.setText("Releasing the hold…")
        work = self.work.on_server(lambda server: T.release_hold(server, hold.assessment_id, reason=reason, by=by))
        self.work.run(work, lambda _view: self._released(hold), self._release_failed)

    def _released(self, hold: T.HoldView) -> None:
        self.note = (f"Released the hold on {hold.client_name}'s visit of {day(hold.visit_date)} "
                     f"(checked out to {hold.words}). It is recorded in the visit's history.")
        self.load()

    def _release_failed(self, error: BaseException) -> None:
        message = problem_text(error)
        self.state.setText(message)
        self.work.session.show_dialog(error_dialog(self, "The hold was not released", message))


class ReleaseHoldDialog(QDialog):
    """A lead frees a visit held by a laptop that will not check it in: why, and who is doing it."""

    released = Signal(str, str)   # reason, by

    def __init__(self, hold: T.HoldView, by: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("releaseHoldDialog")
        self.setWindowTitle("Release a hold")
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(
            f"<b>{escape(hold.client_name)}</b>, visit of {day(hold.visit_date)}: checked out to "
            f"{escape(hold.words)}."))
        layout.addWidget(wrapped(
            "Releasing lets the office change the visit and another laptop check it out. If the laptop that "
            "held it checks in later, its changes are merged with the server's (or refused, if someone else "
            "has checked the visit out by then). Your reason, your name and the time are recorded in the "
            "visit's history.", style=GREY))
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("releaseReason")
        self.reason.setAccessibleName("Why the hold is released")
        self.reason.setPlaceholderText("e.g. laptop lost; Sam is away until March")
        self.reason.setMaxLength(500)
        self.by = QLineEdit(by)
        self.by.setObjectName("releaseBy")
        self.by.setAccessibleName("Your name")
        self.by.setMaxLength(200)
        for field in (self.reason, self.by):
            field.setMinimumHeight(TOUCH)
            field.textChanged.connect(lambda _text: self.error.hide())
        form.addRow("&Reason", self.reason)
        form.addRow("Your &name", self.by)
        layout.addLayout(form)
        self.error = wrapped(name="releaseError", style="color: #B91C1C;")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.release_button = QPushButton("Release the hold")
        self.release_button.setObjectName("releaseHoldConfirm")
        self.release_button.setMinimumHeight(TOUCH)
        buttons.addButton(self.release_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._release)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason.setFocus()
        fit_to_screen(self, 620, 330)

    def problem(self) -> str:
        if len(" ".join(self.reason.text().split())) < 5:   # the service's own rule (team.release_hold)
            return REMOVED_HOLD
        if not self.by.text().strip():
            return "Say who is releasing the hold (your name): it is recorded in the visit's history."
        return ""

    def _release(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if problem:
            (self.by if self.reason.text().strip() and problem != REMOVED_HOLD else self.reason).setFocus()
            return
        self.released.emit(" ".join(self.reason.text().split()), " ".join(self.by.text().split()))
        self.accept()


class CaseloadTab(ServerTab):
    columns = ("Client", "Visits", "Last visit", "Therapists", "Open recommendations", "Held by")
    right = (1, 4)
    name = "caseload"

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__(work, open_settings)
        self.more_button = button("More", "caseloadMore", self.more)
        self.more_button.hide()
        self.buttons.addWidget(self.more_button)

    def job(self) -> Callable[[AppContext], list[T.CaseloadRow]]:
        return lambda server: T.caseload(server, limit=PAGE, offset=0)

    def cells(self, r: T.CaseloadRow) -> tuple[str, ...]:
        return (r.client_name, str(r.visits), day(r.last_visit), r.therapists, str(r.open_recommendations), r.held_by)

    def empty(self) -> str:
        return "The team server has no clients yet."

    def summary(self) -> str:
        return f"{counted(len(self.rows), 'client')}" + (" so far: More shows the next." if self.more_button.isVisible()
                                                         else ".")

    def loaded_rows(self, rows: list[Any], *, more: bool = False) -> None:
        self.more_button.setVisible(len(rows) == PAGE)
        super().loaded_rows(rows, more=more)

    def more(self) -> None:
        offset = len(self.rows)
        self.asked += 1
        asked = self.asked
        self.state.setText("Asking the team server…")
        work = self.work.on_server(lambda server: T.caseload(server, limit=PAGE, offset=offset))
        self.work.run(work, lambda rows: asked == self.asked and self.loaded_rows(rows, more=True),
                      lambda error: asked == self.asked and self.failed(error))


class OverdueTab(ServerTab):
    columns = OVERDUE_COLUMNS
    right = (5,)
    name = "teamOverdue"

    def __init__(self, work: ServerWork, open_settings: Callable[[], object] | None) -> None:
        super().__init__(work, open_settings)
        self.top.addWidget(QLabel("Agreed or ordered across the team but not installed after"))
        self.weeks = QSpinBox()
        self.weeks.setObjectName("teamOverdueWeeks")
        self.weeks.setAccessibleName("Weeks")
        rule = NUMBERS["overdue_weeks"]
        self.weeks.setRange(int(rule.low), int(rule.high))
        self.weeks.setValue(6)
        self.weeks.setSuffix(" weeks")
        self.weeks.setMinimumHeight(TOUCH)
        self.timer = QTimer(self)   # typing "12" asks once, not for 1 and then 12
        self.timer.setSingleShot(True)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self.load)
        self.weeks.valueChanged.connect(lambda _n: self.timer.start())
        self.top.addWidget(self.weeks)

    def job(self) -> Callable[[AppContext], list[F.OverdueItem]]:
        weeks = self.weeks.value()
        return lambda server: F.overdue(server, weeks=weeks)

    def cells(self, x: F.OverdueItem) -> tuple[str, ...]:
        return (x.client_name, x.title, f"{x.tier.code} {x.tier.label}", x.status.label, day(x.since),
                str(x.weeks), x.who)

    def empty(self) -> str:
        return "Nothing is overdue across the team."

    def summary(self) -> str:
        return f"{len(self.rows)} overdue."


class TeamWindow(QDialog):
    """Not modal, one of its kind (the main window keeps it). ``undo_stacks``: the visits' undo stacks;
    a check-out or check-in empties those of the visits it changed (an undo must not put back a value
    from before the server's)."""

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 open_settings: Callable[[], object] | None = None, undo_stacks: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamWindow")
        self.setWindowTitle("Team")
        self.session = session
        self.undo_stacks = undo_stacks if undo_stacks is not None else {}
        self.work = ServerWork(session, self)
        layout = QVBoxLayout(self)
        self.link_line = wrapped(name="teamLinkLine")
        layout.addWidget(self.link_line)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("teamTabs")
        self.laptop = LaptopTab(self.work, open_settings)
        self.holds = HoldsTab(self.work, open_settings)
        self.caseload = CaseloadTab(self.work, open_settings)
        self.overdue = OverdueTab(self.work, open_settings)
        for tab, title in ((self.laptop, "This laptop"), (self.holds, "Holds"), (self.caseload, "Caseload"),
                           (self.overdue, "Overdue")):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("teamBusy")
        self.busy_bar.setRange(0, 0)   # no steps to count: the server is working
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.busy_text = QLabel()
        self.busy_text.setObjectName("teamBusyText")
        bottom.addWidget(self.busy_bar)
        bottom.addWidget(self.busy_text, 1)
        bottom.addWidget(button("Close", "teamClose", self.close))
        layout.addLayout(bottom)
        self.work.busy_changed.connect(self._on_busy)
        self.laptop.done.connect(self._on_done)
        fit_to_screen(self, 1000, 600)
        self.refresh()

    def refresh(self) -> None:
        """Read the link again (Settings may have changed it) and reload what is on screen."""
        ctx = self.session.ctx
        link = self.work.link()
        if ctx.is_server:
            self.link_line.setText(f"Working on the team server <b>{escape(ctx.server or '')}</b> directly.")
        elif link is not None:
            self.link_line.setText(f"Linked to the team server <b>{escape(link.server)}</b>; this laptop is "
                                   f"<b>{escape(link.device_name)}</b>.")
        else:
            self.link_line.setText("Not linked to a team server.")
        self.laptop.refresh()
        for tab in (self.holds, self.caseload, self.overdue):
            tab.loaded = False
        self._load_current()

    def _load_current(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, ServerTab) and not tab.loaded:
            tab.load()

    def _on_busy(self, running: int) -> None:
        self.busy_bar.setVisible(running > 0)
        self.busy_text.setText("Talking to the team server…" if running else "")

    def _on_done(self, result: Any) -> None:
        self.session.bus.publish(IMPORTED, self)
        for visit_id in result.assessment_ids:
            if (stack := self.undo_stacks.get(visit_id)) is not None:
                stack.clear()
        for tab in (self.holds, self.caseload):
            tab.loaded = False
