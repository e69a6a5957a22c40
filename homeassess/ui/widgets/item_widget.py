"""One checklist item in the room editor: large answer controls, threshold, note, and a reserved line
for its finding, error or "keep this unusual value?" question (widgets/item_line.py).

The item never decides what is stored: it reports what the therapist did (``answered``, ``confirmed``,
``cleared``) and the room editor calls the services and tells it the outcome (``show_error``/``ask``).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QHBoxLayout, QLabel, QLayout, QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy,
    QVBoxLayout, QWidget,
)

from homeassess.domain.checklist import NOT_APPLICABLE, Item, ItemKind, Quantity
from homeassess.domain.errors import ValidationError
from homeassess.domain.findings import Threshold
from homeassess.domain.input_rules import check_number
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.text_rules import NOTE_LIMIT
from homeassess.domain.units import format_both, format_value, parse_measurement
from homeassess.services.dto import AnswerView
from homeassess.ui.widgets.debounce import DebouncedText, PendingEdits
from homeassess.ui.widgets.item_line import ItemLine
from homeassess.ui.widgets.responsive import FlowLayout, WrapButton
from homeassess.ui.widgets.style import TOUCH

UNIT_HINT = {Quantity.LENGTH: ("mm", "in"), Quantity.TEMPERATURE: ("°C", "°F"), Quantity.SLOPE: ("1:N or %", "1:N or %"),
             Quantity.LIGHT: ("lux", "fc"), Quantity.FORCE: ("N", "lbf"), Quantity.WEIGHT: ("kg", "lb"),
             Quantity.ANGLE: ("°", "°"), Quantity.INDEX: ("number", "number")}


def threshold_text(t: Threshold, quantity: Quantity | None, units: DisplayUnits) -> str:
    def fmt(v: float) -> str:
        return format_both(v, quantity, units) if quantity else str(int(v))

    who = "for this client" if t.client_specific else "benchmark"
    if t.comparator == "below":
        text = f"at least {fmt(t.low)}"
    elif t.comparator == "above":
        text = f"at most {fmt(t.low)}"
    else:
        text = f"{fmt(t.low)} to {fmt(t.high or t.low)}"
    return f"{text} ({who}; {t.source.removeprefix('REFERENCE ')})"


# The card keeps the same border width when it becomes current, so its contents never shift by a pixel.
CARD_STYLE = """
QFrame#itemCard { border: 2px solid #D9E2EC; border-radius: 6px; background: palette(base); }
QFrame#itemCard[current="true"] { border: 2px solid #0B4F6C; }
"""
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
STEP_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
IGNORED_FOCUS_OUT = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)


class ItemWidget(QFrame):
    """Signals what the therapist did; the room editor stores it and reports back.

    ``answered(item_id, value, number)``: a button, a typed number or text (both None: cleared).
    ``confirmed(item_id, number)``: keep an unusual number. ``cleared(item_id)``: the Clear control.
    ``picked(item_id)``: the item was clicked (make it current and give it the keyboard).
    ``focused(item_id)``: one of its fields got keyboard focus. ``advance(item_id)``: Enter in its field
    stored the value; move on. ``navigate(item_id, step)``: ↑ / ↓ in one of its one-line fields.
    """

    answered = Signal(str, object, object)
    confirmed = Signal(str, float)
    cleared = Signal(str)
    note_changed = Signal(str, str)
    picked = Signal(str)
    focused = Signal(str)
    advance = Signal(str)
    navigate = Signal(str, int)
    files_dropped = Signal(str, list)  # photos dropped onto this item

    def __init__(self, item: Item, units: DisplayUnits, thresholds: list[Threshold], pending: PendingEdits) -> None:
        super().__init__()
        self.setObjectName("itemCard")
        self.setStyleSheet(CARD_STYLE)
        self.setAcceptDrops(True)
        self.item, self.units, self.thresholds = item, units, thresholds
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.entry: QLineEdit | None = None
        self.text_box: QPlainTextEdit | None = None
        self.stored: AnswerView | None = None
        self._unusual: float | None = None  # the number the line is asking about
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(self._build_prompt())
        if item.help:
            help_label = QLabel(escape(item.help))
            help_label.setWordWrap(True)
            help_label.setStyleSheet("color: #52606D;")
            layout.addWidget(help_label)
        layout.addLayout(self._build_answer(pending))
        self.line = ItemLine(item.prompt)
        self.line.keep.connect(self._keep)
        self.status, self.finding = self.line.status, self.line.finding
        layout.addWidget(self.line)
        self.note = QLineEdit()
        self.note.setObjectName("itemNote")
        self.note.setAccessibleName(f"Note on {item.prompt}")
        self.note.setPlaceholderText("Note (optional)")
        self.note.setMaxLength(NOTE_LIMIT)
        self.note.setMinimumHeight(32)
        self.note_editor = DebouncedText(self.note, lambda t: self.note_changed.emit(self.item.id, t), pending)
        self.note.installEventFilter(self)
        layout.addWidget(self.note)

    # -- building ---------------------------------------------------------------------------
    def _build_prompt(self) -> QHBoxLayout:
        row = QHBoxLayout()
        prompt = QLabel(f"<b>{escape(self.item.prompt)}</b>")
        prompt.setWordWrap(True)
        row.addWidget(prompt, 1)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearAnswer")
        self.clear_button.setAccessibleName(f"Clear the answer to {self.item.prompt}")
        self.clear_button.setToolTip("Clear this answer (Delete); Undo brings it back")
        self.clear_button.setFlat(True)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = self.clear_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # appearing or going never reflows the prompt
        self.clear_button.setSizePolicy(policy)
        self.clear_button.clicked.connect(self._on_clear)
        self.clear_button.setVisible(False)
        if self.item.kind is not ItemKind.TEXT:
            row.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _answer_button(self, value: str, label: str, row: QLayout) -> None:
        button = WrapButton(label)  # a long option label goes onto two lines rather than being cut
        button.setCheckable(True)
        button.setProperty("answer", True)
        button.setMinimumHeight(TOUCH)
        button.setAccessibleName(f"{self.item.prompt}: {label}")
        button.setObjectName(f"answer_{value}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda checked, v=value: self._on_button(v, checked))
        self.group.addButton(button)
        self.buttons[value] = button
        row.addWidget(button)

    def _option_label(self, n: int, label: str) -> str:
        return f"{label} ({n + 1})" if n < 9 else label

    def _build_answer(self, pending: PendingEdits) -> QLayout:
        row = QHBoxLayout()
        kind = self.item.kind
        if kind is ItemKind.YES_NO:
            for value, label in (("yes", "Yes (Y)"), ("no", "No (N)"), (NOT_APPLICABLE, "N/A (A)")):
                self._answer_button(value, label, row)
        elif kind is ItemKind.CHOICE:
            return self._choices()
        elif kind in (ItemKind.MEASURE, ItemKind.COUNT):
            self._build_entry(row)
            return row
        else:
            self.text_box = QPlainTextEdit()
            self.text_box.setObjectName("itemText")
            self.text_box.setAccessibleName(self.item.prompt)
            self.text_box.setTabChangesFocus(True)
            self.text_box.setFixedHeight(70)
            self.text_editor = DebouncedText(self.text_box, lambda t: self.answered.emit(self.item.id, t or None, None),
                                             pending)
            self.text_box.installEventFilter(self)
            row.addWidget(self.text_box)
            return row
        row.addStretch(1)
        return row

    def _build_entry(self, row: QHBoxLayout) -> None:
        self.entry = QLineEdit()
        self.entry.setObjectName("measureEntry")
        self.entry.setAccessibleName(self.item.prompt)
        self.entry.setMinimumHeight(TOUCH)
        self.entry.setMaximumWidth(200)
        if self.item.kind is ItemKind.MEASURE and self.item.quantity:
            metric, imperial = UNIT_HINT[Quantity(self.item.quantity)]
            primary = metric if self.units is DisplayUnits.METRIC else imperial
            self.entry.setPlaceholderText(f"{primary} (or {imperial if primary == metric else metric})")
        else:
            self.entry.setPlaceholderText("number")
        self.entry.textEdited.connect(self._on_entry_edited)
        self.entry.installEventFilter(self)
        row.addWidget(self.entry)
        self._answer_button(NOT_APPLICABLE, "N/A (A)", row)
        hint = QLabel(self._threshold_hint())
        hint.setObjectName("thresholdHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #52606D;")
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(hint, 1)

    def _choices(self) -> FlowLayout:
        """Options in rows that wrap: a few short ones side by side at their own width; longer lists in
        two equal columns, one when the item is too narrow for two — every label stays whole."""
        labels = [o.label for o in self.item.options]
        grid = len(labels) > 3 or sum(len(t) for t in labels) > 40
        flow = FlowLayout(uniform=grid, max_columns=2 if grid else 0)
        for n, option in enumerate(self.item.options):
            self._answer_button(option.value, self._option_label(n, option.label), flow)
        self._answer_button(NOT_APPLICABLE, "N/A (A)", flow)
        return flow

    def _threshold_hint(self) -> str:
        if not self.thresholds:
            return ""
        quantity = Quantity(self.item.quantity) if self.item.quantity else None
        return "Threshold " + threshold_text(self.thresholds[0], quantity, self.units)

    # -- state ------------------------------------------------------------------------------
    def show_answer(self, answer: AnswerView | None) -> None:
        """Show what is stored; any refusal or question about an unsaved value goes with it."""
        self.stored = answer
        value = answer.value if answer else None
        for key, button in self.buttons.items():
            button.setChecked(key == value)
        if self.entry is not None:
            self._show_stored_number()
            self.entry.setEnabled(value != NOT_APPLICABLE)
        if self.text_box is not None:
            self.text_editor.set_text(value or "")
        self.note_editor.set_text(answer.note if answer else "")
        self.clear_button.setVisible(answer is not None and (answer.value is not None or answer.number is not None))
        self.clear_message()

    def _show_stored_number(self) -> None:
        assert self.entry is not None
        number = self.stored.number if self.stored else None
        if number is None:
            self.entry.setText("")
        elif self.item.kind is ItemKind.COUNT:
            self.entry.setText(f"{number:g}")
        else:
            self.entry.setText(format_value(number, Quantity(self.item.quantity), self.units))

    def show_finding(self, finding: tuple[Tier, str] | None) -> None:
        self.line.show_finding(finding)

    def show_error(self, message: str) -> None:
        """A refused value: the reason in the reserved line; nothing was stored."""
        self._unusual = None
        self.line.show_error(message)

    def ask(self, question: str, number: float) -> None:
        """An unusual value: ask before keeping it (Keep it, or Enter in the unchanged field)."""
        self._unusual = number
        self.line.ask(question)

    def clear_message(self) -> None:
        self._unusual = None
        self.line.clear_message()

    def set_current(self, current: bool) -> None:
        if self.property("current") == current:
            return
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    @property
    def is_answered(self) -> bool:
        return any(b.isChecked() for b in self.buttons.values()) or bool(self.entry and self.entry.text().strip())

    @property
    def has_stored_answer(self) -> bool:
        return self.stored is not None and (self.stored.value is not None or self.stored.number is not None)

    def focus_target(self) -> QWidget | None:
        """The field that takes the keyboard when this item is current (None: the room editor does)."""
        if self.entry is not None and self.entry.isEnabled():
            return self.entry
        return self.text_box

    # -- input ------------------------------------------------------------------------------
    def answer_key(self, value: str) -> bool:
        """Keyboard answer (Y/N/A); returns True if the item accepted it (as a click on its button would:
        not while the button is disabled, e.g. on a locked visit)."""
        if value in self.buttons and self.buttons[value].isEnabled():
            self.buttons[value].setChecked(True)
            self._on_button(value, True)
            return True
        return False

    def answer_nth(self, n: int) -> bool:
        """Keys 1–9: the nth option (yes/no items: 1 yes, 2 no)."""
        values = [o.value for o in self.item.options] if self.item.kind is ItemKind.CHOICE else \
            ["yes", "no"] if self.item.kind is ItemKind.YES_NO else []
        return 0 <= n - 1 < len(values) and self.answer_key(values[n - 1])

    def _on_button(self, value: str, checked: bool) -> None:
        if not checked:  # clicking the selected answer keeps it; clearing is explicit (Clear, Delete)
            self.buttons[value].setChecked(True)
            self.picked.emit(self.item.id)
            return
        for key, button in self.buttons.items():
            if key != value:
                button.setChecked(False)
        if value == NOT_APPLICABLE and self.entry is not None:
            self.clear_message()
            self.entry.setEnabled(False)  # before ``picked``, so the keyboard goes to the editor, not this field
        self.picked.emit(self.item.id)
        self.answered.emit(self.item.id, value, None)

    def _on_clear(self) -> None:
        self.picked.emit(self.item.id)
        self.cleared.emit(self.item.id)

    def _on_entry_edited(self, _text: str) -> None:
        if self.line.has_message:  # editing the field withdraws the question or refusal
            self.clear_message()

    def _submit(self, enter: bool) -> None:
        """Enter or leaving the field: store what was typed (the editor reports a refusal or question)."""
        assert self.entry is not None
        if self._unusual is not None and not self.entry.isModified():
            if enter:
                self._keep()
            return
        if not self.entry.isModified():
            if enter and not self.line.has_message:
                self.advance.emit(self.item.id)
            return
        self.entry.setModified(False)
        text = self.entry.text().strip()
        number = self._parse(text) if text else None
        if text and number is None:
            return
        self.clear_message()
        self.answered.emit(self.item.id, None, number)
        if enter and not self.line.has_message:
            self.advance.emit(self.item.id)

    def _parse(self, text: str) -> float | None:
        """The typed number in canonical units, or None with the reason shown. The rules are the domain's
        (a count: a whole number 0 … COUNT_LIMIT); the item's usual range is the service's question."""
        try:
            if self.item.kind is ItemKind.COUNT:
                return check_number(text, field=self.item.id, rule="count", confirm_unusual=True)
            return parse_measurement(text, Quantity(self.item.quantity), self.units, field=self.item.id)
        except ValidationError as exc:
            self.show_error(exc.errors[0].message)
        except ValueError:
            self.show_error(f"“{text}” is not a whole number")
        return None

    def _keep(self) -> None:
        if self._unusual is not None:
            number = self._unusual
            self.confirmed.emit(self.item.id, number)
            if not self.line.has_message and self.entry is not None and self.entry.hasFocus():
                self.advance.emit(self.item.id)

    def _cancel(self) -> bool:
        """Esc: drop a question or refusal and show the stored answer again."""
        if not self.line.has_message and not (self.entry and self.entry.isModified()):
            return False
        self.clear_message()
        if self.entry is not None:
            self._show_stored_number()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self.focused.emit(self.item.id)
        elif watched is self.entry and kind == QEvent.Type.FocusOut:
            if isinstance(event, QFocusEvent) and event.reason() not in IGNORED_FOCUS_OUT:
                self._submit(enter=False)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and watched in (self.entry, self.note):
            if event.key() in STEP_KEYS and not event.modifiers():  # a one-line field has no use for ↑ / ↓
                self.navigate.emit(self.item.id, STEP_KEYS[Qt.Key(event.key())])
                return True
            if watched is self.note:
                return False
            if event.key() in ENTER_KEYS:
                self._submit(enter=True)
                return True
            if event.key() == Qt.Key.Key_Escape:
                return self._cancel()
        return super().eventFilter(watched, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.picked.emit(self.item.id)
        super().mousePressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        from homeassess.ui.widgets.photo_strip import files_from_drop

        self.files_dropped.emit(self.item.id, files_from_drop(event))
        event.acceptProposedAction()
