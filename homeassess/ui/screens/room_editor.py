"""Room editor: the room's checklist with fast answers, thresholds for this client and findings.

Keyboard: Y / N / A answer the current item, Enter or ↓ moves to the next, ↑ to the previous.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QScrollArea, QSplitter, QVBoxLayout, QWidget,
)

from homeassess.domain.checklist import ItemKind
from homeassess.domain.findings import Answer, applicable_thresholds, is_visible
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services.sizing import room_sizings
from homeassess.services.changes import Changes
from homeassess.ui import undo
from homeassess.ui.session import Session
from homeassess.ui.widgets.item_widget import ItemWidget
from homeassess.ui.widgets.photo_strip import PhotoStrip

KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}


class RoomEditorScreen(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setObjectName("roomEditorScreen")
        self.session = session
        self.stack: QUndoStack | None = None
        self.room_id: str | None = None
        self.data: A.RoomEditorData | None = None
        self.widgets: dict[str, ItemWidget] = {}
        self.order: list[str] = []
        self.current: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build()
        session.bus.changed.connect(self._on_bus_changed)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("roomHeading")
        self.progress = QLabel()
        self.progress.setObjectName("roomProgress")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress)
        layout.addLayout(top)
        hint = QLabel("Keys: Y yes · N no · A not applicable · Enter/↓ next · ↑ previous · Ctrl+1…9 jump to a room")
        hint.setStyleSheet("color: #52606D;")
        layout.addWidget(hint)
        splitter = QSplitter()
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setObjectName("itemScroll")
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter.addWidget(self.scroll)
        side = QSplitter(Qt.Orientation.Vertical)
        findings_box = QWidget()
        side_layout = QVBoxLayout(findings_box)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>Findings in this room</b>"))
        self.findings = QListWidget()
        self.findings.setObjectName("roomFindings")
        self.findings.setAccessibleName("Findings in this room")
        self.findings.setWordWrap(True)
        self.findings.setResizeMode(QListView.ResizeMode.Adjust)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings.itemActivated.connect(lambda item: self.set_current(item.data(Qt.ItemDataRole.UserRole)))
        side_layout.addWidget(self.findings, 1)
        side.addWidget(findings_box)
        self.photos = PhotoStrip(self.session)
        side.addWidget(self.photos)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 400])
        side.setSizes([260, 300])
        layout.addWidget(splitter, 1)

    # -- loading ----------------------------------------------------------------------------
    def open_room(self, room_id: str, stack: QUndoStack) -> None:
        self.session.pending.flush_all()
        self.stack, self.room_id = stack, room_id
        self.data = self.session.read(A.room_editor_data, room_id)
        if self.data is None:
            return
        self._build_items()
        self._show_state()
        self.photos.open_room(self.data.assessment_id, room_id, stack)
        askable = [i for i in self.order if self.widgets[i].item.kind is not ItemKind.TEXT]
        first = next((i for i in askable if not self.widgets[i].is_answered and not self.widgets[i].isHidden()),
                     self.order[0] if self.order else None)
        if first:
            self.set_current(first)
        self.setFocus()

    def _build_items(self) -> None:
        assert self.data is not None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.widgets, self.order = {}, []
        section = None
        for item in self.data.checklist.items:
            if item.section != section:
                section = item.section
                heading = QLabel(escape(section))
                heading.setObjectName("sectionHeading")
                layout.addWidget(heading)
            widget = ItemWidget(item, self.data.units, applicable_thresholds(item, self.data.context),
                                self.session.pending)
            widget.answered.connect(self._on_item_answered)
            widget.note_changed.connect(self._on_item_note_changed)
            widget.focused.connect(self.set_current)
            widget.files_dropped.connect(lambda item_id, paths: self.photos.import_paths(paths, item_id))
            self.widgets[item.id] = widget
            self.order.append(item.id)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.scroll.setWidget(body)

    def _show_state(self) -> None:
        """Answers, visibility, badges and progress from ``self.data``."""
        assert self.data is not None
        room = self.data.room
        self.heading.setText(f"<h2>{escape(room.name)}</h2>")
        self.progress.setText(f"{room.answered} of {room.total} answered")
        answers = {k: Answer(k, a.value, a.number, a.note) for k, a in self.data.answers.items()}
        for item in self.data.checklist.items:
            widget = self.widgets[item.id]
            widget.show_answer(self.data.answers.get(item.id))
            widget.show_finding(self.data.findings.get(item.id))
            widget.setVisible(is_visible(item, answers))
        self._show_findings()

    def _show_findings(self) -> None:
        assert self.data is not None
        self.findings.clear()
        findings = [f for f in self.session.read(R.list_findings, self.data.assessment_id) or []
                    if f.room_id == self.room_id]
        for f in findings:
            item = QListWidgetItem(f"{f.tier.code} {f.tier.label}: {f.title}\n{f.reason}")
            item.setData(Qt.ItemDataRole.UserRole, f.item_id)
            item.setToolTip(f.reason)
            item.setForeground(Qt.GlobalColor.black)
            self.findings.addItem(item)
        if not findings:
            self.findings.addItem("No findings yet.")
        for sizing in self.session.read(room_sizings, self.room_id) or []:
            text = f"Sizing — {sizing.what}: {sizing.calculation}"
            item = QListWidgetItem(text + (f"\nAlternative: {sizing.alternative}" if sizing.alternative else ""))
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.findings.addItem(item)

    def reload(self) -> None:
        if self.room_id is None:
            return
        data = self.session.read(A.room_editor_data, self.room_id)
        if data is not None:
            self.data = data
            self._show_state()

    # -- navigation -------------------------------------------------------------------------
    def set_current(self, item_id: str | None) -> None:
        if item_id is None or item_id not in self.widgets:
            return
        if self.current in self.widgets:
            self.widgets[self.current].set_current(False)
        self.current = item_id
        widget = self.widgets[item_id]
        widget.set_current(True)
        QTimer.singleShot(0, lambda: self._scroll_to(item_id, widget))

    def _scroll_to(self, item_id: str, widget: ItemWidget) -> None:
        # Deferred until layout settles; the room may have been switched (and rebuilt) meanwhile.
        if self.widgets.get(item_id) is widget:
            self.scroll.ensureWidgetVisible(widget, 0, 60)
            self.scroll.horizontalScrollBar().setValue(0)

    def move(self, step: int) -> None:
        visible = [i for i in self.order if not self.widgets[i].isHidden()]
        if not visible:
            return
        index = visible.index(self.current) if self.current in visible else -1
        target = visible[max(0, min(len(visible) - 1, index + step))]
        self.set_current(target)
        self.widgets[target].focus_input()
        if not (self.widgets[target].entry or self.widgets[target].text_box):
            self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key = Qt.Key(event.key())
        if key in KEYS and not event.modifiers() and self.current:
            if self.widgets[self.current].answer_key(KEYS[key]):
                self.move(1)
                return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self.move(1)
            return
        if key == Qt.Key.Key_Up:
            self.move(-1)
            return
        super().keyPressEvent(event)

    # -- edits ------------------------------------------------------------------------------
    def _on_item_answered(self, item_id: str, value: object, number: object) -> None:
        if self.data is None or self.stack is None:
            return
        old = self.data.answers.get(item_id)
        previous = (old.value, old.number) if old else (None, None)
        if previous == (value, number):
            return
        prompt = self.widgets[item_id].item.prompt
        self.stack.push(undo.set_answer(self.session, self.room_id, item_id, previous, (value, number), prompt))

    def _on_item_note_changed(self, item_id: str, text: str) -> None:
        if self.data is None or self.stack is None:
            return
        old = self.data.answers.get(item_id)
        prompt = self.widgets[item_id].item.prompt
        self.stack.push(undo.set_note(self.session, self.room_id, item_id, old.note if old else "", text, prompt,
                                      initiator=self))

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self.room_id is None or not self.isVisible():
            return
        if changes.answers or changes.findings or changes.rooms:
            if initiator is self and not changes.findings:
                self.data = self.session.read(A.room_editor_data, self.room_id) or self.data
                return
            self.reload()
