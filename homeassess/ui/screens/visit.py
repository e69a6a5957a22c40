"""One open visit: a sidebar of rooms and sections, and the selected screen beside it, under a banner
that says when (and why) the visit cannot be changed here."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QListView, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget,
)

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services.changes import Changes
from homeassess.services.visit_lock import LockReason, VisitLock, visit_lock
from homeassess.ui.models.rooms import ROOM_ID_ROLE, RoomListModel
from homeassess.ui.screens.costs import CostsScreen
from homeassess.ui.screens.follow_up import FollowUpScreen
from homeassess.ui.screens.recommendations import RecommendationsScreen
from homeassess.ui.screens.report import ReportScreen
from homeassess.ui.screens.room_editor import RoomEditorScreen
from homeassess.ui.screens.visit_overview import VisitOverviewScreen
from homeassess.ui.session import Session
from homeassess.ui.widgets.lock import lock_banner
from homeassess.ui.widgets.style import TOUCH

SIDEBAR_WIDE, SIDEBAR_NARROW = 270, 190  # px; narrow below WIDE_FROM px so a 1024 px tablet keeps its page
WIDE_FROM = 1200
KIND_TITLES = {"home": "Home visit", "workplace": "Workplace visit", "follow_up": "Follow-up visit"}


class VisitScreen(QWidget):
    client_requested = Signal(str)

    def __init__(self, session: Session, undo_group: QUndoGroup) -> None:
        super().__init__()
        self.setObjectName("visitScreen")
        self.session, self.undo_group = session, undo_group
        self.assessment_id: str | None = None
        self.client_id: str | None = None
        self.stacks: dict[str, QUndoStack] = {}
        self.lock: VisitLock | None = None
        self._lock_reasons: dict[str, LockReason | None] = {}   # per visit: the lock its undo steps were made under
        self.rooms = RoomListModel(self)
        self.overview = VisitOverviewScreen(session, self.rooms)
        self.room_editor = RoomEditorScreen(session)
        self.recommendations = RecommendationsScreen(session)
        self.costs = CostsScreen(session)
        self.follow_up = FollowUpScreen(session)
        self.report = ReportScreen(session)
        self.pages = QStackedWidget()
        # Each page scrolls rather than forcing its size on the window, so a 1024 × 600 tablet or a
        # laptop with a taskbar shows every page (the overview alone wants about 980 × 670).
        self._holders: dict[QWidget, QScrollArea] = {}
        for page in (self.overview, self.room_editor, self.recommendations, self.costs, self.follow_up, self.report):
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(page)
            self._holders[page] = holder
            self.pages.addWidget(holder)
        layout = QHBoxLayout(self)
        self.sidebar = self._build_sidebar()
        layout.addWidget(self.sidebar)
        layout.addLayout(self._build_main(), 1)
        self.overview.room_opened.connect(self.show_room)
        self.overview.refused.connect(self.show_refusal)
        self.room_editor.refused.connect(self.show_refusal)
        self.costs.order_pdf_requested.connect(lambda: (self.show_report(), self.report.start("orders")))
        self.follow_up.progress_requested.connect(lambda: (self.show_report(), self.report.start("progress")))
        self.follow_up.room_requested.connect(self.show_room)
        self.overview.follow_up_requested.connect(self.start_follow_up)
        for n in range(9):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self)
            shortcut.activated.connect(lambda n=n: self.show_room_at(n))
        session.bus.changed.connect(self._on_bus_changed)

    def _build_sidebar(self) -> QWidget:
        side = QWidget()
        side.setObjectName("visitSidebar")
        side.setFixedWidth(SIDEBAR_NARROW)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("visitTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.nav: dict[str, QPushButton] = {}
        for key, label, slot in (("overview", "Visit overview", self.show_overview),
                                 ("follow_up", "Follow-up review", self.show_follow_up),
                                 ("recommendations", "Recommendations", self.show_recommendations),
                                 ("costs", "Costs and order", self.show_costs),
                                 ("report", "Reports", self.show_report)):
            button = QPushButton(label)
            button.setObjectName(f"nav_{key}")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.clicked.connect(slot)
            self.nav[key] = button
            layout.addWidget(button)
        profile = QPushButton("Client profile")
        profile.setObjectName("nav_client")
        profile.setMinimumHeight(TOUCH)
        profile.clicked.connect(lambda: self.client_id and self.client_requested.emit(self.client_id))
        layout.addWidget(profile)
        layout.addWidget(QLabel("<b>Rooms</b> (Ctrl+1…9)"))
        self.room_list = QListView()
        self.room_list.setObjectName("sidebarRooms")
        self.room_list.setAccessibleName("Rooms")
        self.room_list.setModel(self.rooms)
        self.room_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.room_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.room_list.clicked.connect(lambda index: self.show_room(index.data(ROOM_ID_ROLE)))
        self.room_list.activated.connect(lambda index: self.show_room(index.data(ROOM_ID_ROLE)))
        layout.addWidget(self.room_list, 1)
        return side

    def _build_main(self) -> QVBoxLayout:
        """The banner above every page, so a locked visit says so wherever the therapist is in it."""
        main = QVBoxLayout()
        main.setContentsMargins(0, 0, 0, 0)
        self.lock_banner = lock_banner("visitLockBanner")
        main.addWidget(self.lock_banner)
        main.addWidget(self.pages, 1)
        return main

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self.sidebar.setFixedWidth(SIDEBAR_WIDE if event.size().width() >= WIDE_FROM else SIDEBAR_NARROW)
        super().resizeEvent(event)

    # -- opening ----------------------------------------------------------------------------
    def open_visit(self, assessment_id: str) -> bool:
        view = self.session.read(A.get_assessment, assessment_id)
        if view is None:
            return False
        self.session.pending.flush_all()
        self.assessment_id, self.client_id = view.id, view.client_id
        stack = self.stacks.get(view.id)
        if stack is None:
            stack = QUndoStack(self)
            self.stacks[view.id] = stack
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(stack)
        client = self.session.read(C.get_client, view.client_id)
        name = client.display_name if client else ""
        self.title.setText(f"<b>{escape(name)}</b><br>{KIND_TITLES.get(view.kind, view.kind)}, "
                           f"{view.visit_date:%d %b %Y}")
        self._refresh_rooms()
        self.overview.open_visit(view.id, stack)
        self.recommendations.open_visit(view.id, stack)
        self.costs.open_visit(view.id, stack)
        is_follow_up = view.kind == "follow_up"
        self.nav["follow_up"].setVisible(is_follow_up)
        if is_follow_up:
            self.follow_up.open_visit(view.id, stack)
        self.report.open_visit(view.id, view.kind)
        self.refresh_lock()
        self.show_overview()
        return True

    @property
    def stack(self) -> QUndoStack | None:
        return self.stacks.get(self.assessment_id or "")

    def _refresh_rooms(self) -> None:
        current = self.room_editor.room_id
        self.rooms.set_rooms(self.session.read(A.list_rooms, self.assessment_id) or [])
        if current and self.pages.currentWidget() is self._holders[self.room_editor]:
            row = self.rooms.row_of(current)
            if row < 0:
                self.show_overview()
            else:
                self.room_list.setCurrentIndex(self.rooms.index(row))

    # -- navigation -------------------------------------------------------------------------
    def _select_nav(self, key: str | None) -> None:
        for name, button in self.nav.items():
            button.setChecked(name == key)
        if key is not None:
            self.room_list.clearSelection()

    def _switch(self, page: QWidget, key: str | None) -> None:
        self.session.pending.flush_all()
        self.pages.setCurrentWidget(self._holders[page])
        self._select_nav(key)

    def show_overview(self) -> None:
        self._switch(self.overview, "overview")

    def show_recommendations(self) -> None:
        self._switch(self.recommendations, "recommendations")
        self.recommendations.refresh()

    def show_follow_up(self) -> None:
        self._switch(self.follow_up, "follow_up")
        self.follow_up.refresh()

    def start_follow_up(self) -> None:
        """A review visit for this one, dated today; it opens on the follow-up review."""
        from homeassess.services import followup as F

        if self.assessment_id is None:
            return
        self.session.pending.flush_all()
        view = self.session.call(F.start_follow_up, self.assessment_id)
        if view is not None and self.open_visit(view.id):
            self.show_follow_up()

    def show_costs(self) -> None:
        self._switch(self.costs, "costs")
        self.costs.refresh()

    def show_report(self) -> None:
        self._switch(self.report, "report")

    def show_room(self, room_id: str | None) -> None:
        if not room_id or self.stack is None:
            return
        self._switch(self.room_editor, None)
        self.room_editor.open_room(room_id, self.stack)
        row = self.rooms.row_of(room_id)
        if row >= 0:
            self.room_list.setCurrentIndex(self.rooms.index(row))

    def show_room_at(self, row: int) -> None:
        rooms = self.rooms.rooms()
        if 0 <= row < len(rooms):
            self.show_room(rooms[row].id)

    # -- the lock --------------------------------------------------------------------------
    def refresh_lock(self) -> None:
        """Ask the services whether the visit can be changed here; every page follows the answer."""
        if self.assessment_id is None:
            return
        lock = self.session.read(visit_lock, self.assessment_id)
        reason = lock.reason if lock else None
        if reason is not None and reason != self._lock_reasons.get(self.assessment_id) and self.stack is not None:
            self.stack.clear()   # its steps were made before the lock: undoing them would be refused
        self._lock_reasons[self.assessment_id] = reason
        self.lock_banner.setText(lock.sentence if lock else "")
        self.lock_banner.setVisible(lock is not None)
        if lock != self.lock:   # the pages keep the lock they were given, through reloads and other visits
            for page in (self.overview, self.room_editor, self.recommendations, self.costs, self.follow_up):
                page.set_locked(lock)
        self.lock = lock

    def show_refusal(self, message: str) -> None:
        """An edit the record refused, e.g. a laptop checked the visit out meanwhile: the pages follow the
        lock as it is now, and the banner says what was refused."""
        self.refresh_lock()
        self.lock_banner.setText(message)
        self.lock_banner.show()

    def event(self, event: QEvent) -> bool:
        # A hold taken or released on the server by another computer reaches no change bus here:
        # coming back to the window is when the therapist looks again.
        if event.type() == QEvent.Type.WindowActivate and self.assessment_id is not None:
            self.refresh_lock()
        return super().event(event)

    def _on_bus_changed(self, changes: Changes, _initiator: object) -> None:
        if self.assessment_id and (changes.rooms or changes.findings or changes.answers):
            self._refresh_rooms()
        if self.assessment_id and changes.assessment_meta:   # signed off, checked out or in (File ▸ Team)
            self.refresh_lock()
