"""Room editor: the room's checklist with fast answers, thresholds for this client and findings.

One notion of "current": the highlighted item is the one with the keyboard (its number field, or the
editor itself for buttons). Keys on the editor: Y / N / A and 1–9 (the nth option) answer the current
item, Delete / Backspace clear it (undoable), Enter or ↓ move to the next visible item, ↑ to the previous.
Items revealed by an answer sit directly after the item that reveals them (domain/item_order.py), and
the keyboard moves to the first of them. Clicks never scroll the page; only keyboard moves do.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication, QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QScrollArea, QSplitter, QVBoxLayout,
    QWidget,
)

from homeassess.domain.checklist import ItemKind
from homeassess.domain.errors import ConflictError, HomeAssessError, UnusualValueError, ValidationError
from homeassess.domain.findings import Answer, applicable_thresholds, is_visible
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services.sizing import room_sizings
from homeassess.services.changes import Changes
from homeassess.services.visit_lock import VisitLock
from homeassess.ui import undo
from homeassess.ui.session import Session
from homeassess.domain.item_order import editor_order
from homeassess.ui.widgets.item_widget import ItemWidget
from homeassess.ui.widgets.lock import apply_lock
from homeassess.ui.widgets.photo_strip import PhotoStrip

KEYS = {Qt.Key.Key_Y: "yes", Qt.Key.Key_N: "no", Qt.Key.Key_A: "na"}
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
NEXT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
MOVE_HINT = "Enter/↓ next · ↑ previous · Ctrl+1…9 jump to a room"
KEYS_HINT = f"Keys: Y yes · N no · A not applicable · 1–9 option · Delete clear · {MOVE_HINT}"


class RoomEditorScreen(QWidget):
    refused = Signal(str)   # an edit the record refused (said beside the item too)

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
        self.lock: VisitLock | None = None
        self._by_key = False  # the edit being handled came from a key on the editor (keyboard moves may scroll)
        self._scroll_timer = QTimer(self)  # one pending auto-scroll at most; a click cancels it
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(0)
        self._scroll_timer.timeout.connect(self._scroll_to_current)
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
        self.hint = QLabel(KEYS_HINT)
        self.hint.setObjectName("roomKeysHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #52606D;")
        layout.addWidget(self.hint)
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
        focused = QApplication.focusWidget()
        if focused is not None and self.scroll.isAncestorOf(focused):
            focused.clearFocus()  # a number being typed is stored in the room it was typed in
        self.session.pending.flush_all()
        self.stack, self.room_id = stack, room_id
        self.data = self.session.read(A.room_editor_data, room_id)
        if self.data is None:
            return
        self._build_items()
        self._show_state()
        self.photos.open_room(self.data.assessment_id, room_id, stack)
        self.set_locked(self.lock)
        askable = [i for i in self.order if self.widgets[i].item.kind is not ItemKind.TEXT]
        first = next((i for i in askable if not self.widgets[i].is_answered and not self.widgets[i].isHidden()),
                     self.order[0] if self.order else None)
        self.current = None
        if first:
            self.set_current(first)
        else:
            self.setFocus()

    def _build_items(self) -> None:
        assert self.data is not None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.widgets, self.order = {}, []
        section = None
        ids = {item.id for item in self.data.checklist.items}
        for item in editor_order(self.data.checklist.items):
            under_parent = item.show_if is not None and item.show_if.item in ids
            if item.section != section and not under_parent:
                section = item.section
                heading = QLabel(escape(section))
                heading.setObjectName("sectionHeading")
                layout.addWidget(heading)
            widget = ItemWidget(item, self.data.units, applicable_thresholds(item, self.data.context),
                                self.session.pending)
            self._connect(widget)
            self.widgets[item.id] = widget
            self.order.append(item.id)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.scroll.setWidget(body)

    def _connect(self, widget: ItemWidget) -> None:
        widget.answered.connect(self._on_item_answered)
        widget.confirmed.connect(lambda item_id, number: self._answer(item_id, (None, number), confirm=True))
        widget.cleared.connect(self.clear_answer)
        widget.note_changed.connect(self._on_item_note_changed)
        widget.picked.connect(lambda item_id: self.set_current(item_id, scroll=False))
        widget.focused.connect(lambda item_id: self.set_current(item_id, focus=False, scroll=False))
        widget.advance.connect(self._on_advance)
        widget.navigate.connect(lambda item_id, step: self.move(step))
        widget.files_dropped.connect(lambda item_id, paths: self.photos.import_paths(paths, item_id))

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
        if self.current in self.widgets and self.widgets[self.current].isHidden():
            self._step_back_to_visible()

    def _step_back_to_visible(self) -> None:
        """The current item was hidden (its parent's answer changed): the nearest visible one above takes over."""
        index = self.order.index(self.current)
        above = [i for i in self.order[:index] if not self.widgets[i].isHidden()]
        if above:
            self.set_current(above[-1], scroll=False)

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

    def set_locked(self, lock: VisitLock | None) -> None:
        """Answers, notes and photo edits read-only or disabled as the lock says; moving between items,
        scrolling and viewing photos stay."""
        self.lock = lock
        apply_lock(self.scroll, lock)
        self.photos.set_locked(lock)
        self.hint.setText(f"Keys: {MOVE_HINT}" if lock else KEYS_HINT)   # answer keys do nothing while locked

    def reload(self) -> None:
        if self.room_id is None:
            return
        data = self.session.read(A.room_editor_data, self.room_id)
        if data is not None:
            self.data = data
            self._show_state()

    # -- navigation -------------------------------------------------------------------------
    def set_current(self, item_id: str | None, *, focus: bool = True, scroll: bool = True) -> None:
        """Highlight ``item_id`` and (``focus``) give it the keyboard: its field, or this editor for buttons.

        ``scroll`` is for keyboard moves only: a click never scrolls the item under the pointer away."""
        if item_id is None or item_id not in self.widgets:
            return
        if self.current in self.widgets and self.current != item_id:
            self.widgets[self.current].set_current(False)
        self.current = item_id
        widget = self.widgets[item_id]
        widget.set_current(True)
        if focus:
            target = widget.focus_target()
            (target or self).setFocus(Qt.FocusReason.OtherFocusReason)
        if scroll:
            self._scroll_timer.start()  # once the layout has settled
        else:
            self._scroll_timer.stop()

    def _scroll_to_current(self) -> None:
        widget = self.widgets.get(self.current) if self.current else None
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget, 0, 60)
            self.scroll.horizontalScrollBar().setValue(0)

    def move(self, step: int) -> None:
        visible = [i for i in self.order if not self.widgets[i].isHidden()]
        if not visible:
            return
        index = visible.index(self.current) if self.current in visible else -1
        target = visible[max(0, min(len(visible) - 1, index + step))]
        self.set_current(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key, plain = Qt.Key(event.key()), event.modifiers() in PLAIN
        self._by_key = True
        try:
            handled = plain and self._key(key)
        finally:
            self._by_key = False
        if not handled:
            super().keyPressEvent(event)

    def _key(self, key: Qt.Key) -> bool:
        """A key on the editor acts on the current item, whatever was clicked last."""
        widget = self.widgets.get(self.current) if self.current else None
        if widget is not None and (key in KEYS or key in DIGITS):
            before = self.current
            accepted = widget.answer_key(KEYS[key]) if key in KEYS else widget.answer_nth(DIGITS[key])
            if accepted and not widget.line.has_message and self.current == before:
                self.move(1)
            return accepted
        if widget is not None and key in CLEAR_KEYS:
            if widget.clear_button.isEnabled():   # the key does what the item's Clear control would
                self.clear_answer(widget.item.id)
            return True
        if key in NEXT_KEYS:
            self.move(1)
            return True
        if key == Qt.Key.Key_Up:
            self.move(-1)
            return True
        return False

    def _on_advance(self, item_id: str) -> None:
        """Enter in a number field stored it: move on, unless the answer already moved to a revealed item."""
        if self.current == item_id:
            self.move(1)

    # -- edits ------------------------------------------------------------------------------
    def _on_item_answered(self, item_id: str, value: object, number: object) -> None:
        self._answer(item_id, (value, number))

    def clear_answer(self, item_id: str) -> None:
        """Clear an item's answer: an explicit, undoable action (Delete on the item, or its Clear control)."""
        self._answer(item_id, (None, None))

    def _answer(self, item_id: str, new: tuple, confirm: bool = False) -> bool:
        """Store an answer through the undo stack; a refusal or question goes to the item's reserved line.
        When the answer reveals items, the first of them becomes current."""
        widget = self.widgets.get(item_id)
        if self.data is None or self.stack is None or widget is None:
            return False
        old = self.data.answers.get(item_id)
        previous = (old.value, old.number) if old else (None, None)
        if previous == new:
            widget.show_answer(old)
            return True
        hidden = {i for i in self.order if self.widgets[i].isHidden()}
        command = undo.set_answer(self.session, self.room_id, item_id, previous, new, widget.item.prompt,
                                  confirm_unusual=confirm)
        try:
            self.stack.push(command)
        except UnusualValueError as exc:
            widget.ask(exc.errors[0].message, new[1])
            return False
        except ValidationError as exc:
            widget.show_error(exc.errors[0].message)
            return False
        except HomeAssessError as exc:
            if isinstance(exc, ConflictError):   # refused (a read-only visit): show what is stored, and why
                widget.show_answer(old)
                self.refused.emit(str(exc))
            widget.show_error(str(exc))
            return False
        revealed = [i for i in self.order if i in hidden and not self.widgets[i].isHidden()]
        if revealed and widget.item.kind is not ItemKind.TEXT:
            self.set_current(revealed[0], scroll=self._by_key)
        return True

    def _on_item_note_changed(self, item_id: str, text: str) -> None:
        if self.data is None or self.stack is None:
            return
        old = self.data.answers.get(item_id)
        widget = self.widgets[item_id]
        try:
            self.stack.push(undo.set_note(self.session, self.room_id, item_id, old.note if old else "", text,
                                          widget.item.prompt, initiator=self))
        except ValidationError as exc:   # e.g. longer than the domain's note limit: said beside the item
            widget.show_error(exc.errors[0].message)
        except HomeAssessError as exc:   # e.g. a visit held by another laptop: read-only here
            widget.show_error(str(exc))
            self.refused.emit(str(exc))

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self.room_id is None or not self.isVisible():
            return
        if changes.answers or changes.findings or changes.rooms:
            if initiator is self and not changes.findings:
                self.data = self.session.read(A.room_editor_data, self.room_id) or self.data
                return
            self.reload()
