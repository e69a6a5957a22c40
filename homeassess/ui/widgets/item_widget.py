"""One checklist item in the room editor: large answer controls, threshold, note, finding badge."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from homeassess.domain.checklist import NOT_APPLICABLE, Item, ItemKind, Quantity
from homeassess.domain.errors import ValidationError
from homeassess.domain.findings import Threshold
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.units import format_both, format_value, parse_measurement
from homeassess.services.dto import AnswerView
from homeassess.ui.widgets.debounce import DebouncedText, PendingEdits
from homeassess.ui.widgets.style import TOUCH, tier_chip

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


class ItemWidget(QFrame):
    """Emits ``answered(item_id, value, number)`` and ``note_changed(item_id, text)``."""

    answered = Signal(str, object, object)
    note_changed = Signal(str, str)
    focused = Signal(str)
    files_dropped = Signal(str, list)  # photos dropped onto this item

    def __init__(self, item: Item, units: DisplayUnits, thresholds: list[Threshold], pending: PendingEdits) -> None:
        super().__init__()
        self.setObjectName("itemCard")
        self.setAcceptDrops(True)
        self.item, self.units, self.thresholds = item, units, thresholds
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.entry: QLineEdit | None = None
        self.text_box: QPlainTextEdit | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        prompt = QLabel(f"<b>{escape(item.prompt)}</b>")
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        if item.help:
            help_label = QLabel(escape(item.help))
            help_label.setWordWrap(True)
            help_label.setStyleSheet("color: #52606D;")
            layout.addWidget(help_label)
        layout.addLayout(self._build_answer(pending))
        self.status = QLabel()
        self.status.setObjectName("itemStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.finding = QLabel()
        self.finding.setObjectName("itemFinding")
        self.finding.setWordWrap(True)
        self.finding.hide()
        layout.addWidget(self.finding)
        self.note = QLineEdit()
        self.note.setObjectName("itemNote")
        self.note.setAccessibleName(f"Note on {item.prompt}")
        self.note.setPlaceholderText("Note (optional)")
        self.note.setMinimumHeight(32)
        self.note_editor = DebouncedText(self.note, lambda t: self.note_changed.emit(self.item.id, t), pending)
        layout.addWidget(self.note)

    # -- building ---------------------------------------------------------------------------
    def _answer_button(self, value: str, label: str, row: QHBoxLayout) -> None:
        button = QPushButton(label)
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

    def _build_answer(self, pending: PendingEdits) -> QHBoxLayout:
        row = QHBoxLayout()
        kind = self.item.kind
        if kind is ItemKind.YES_NO:
            for value, label in (("yes", "Yes (Y)"), ("no", "No (N)"), (NOT_APPLICABLE, "N/A (A)")):
                self._answer_button(value, label, row)
        elif kind is ItemKind.CHOICE:
            labels = [o.label for o in self.item.options]
            if len(labels) > 3 or sum(len(t) for t in labels) > 40:
                return self._choice_grid()
            for option in self.item.options:
                self._answer_button(option.value, option.label, row)
            self._answer_button(NOT_APPLICABLE, "N/A", row)
        elif kind in (ItemKind.MEASURE, ItemKind.COUNT):
            self.entry = QLineEdit()
            self.entry.setObjectName("measureEntry")
            self.entry.setAccessibleName(self.item.prompt)
            self.entry.setMinimumHeight(TOUCH)
            self.entry.setMaximumWidth(200)
            if kind is ItemKind.MEASURE and self.item.quantity:
                metric, imperial = UNIT_HINT[Quantity(self.item.quantity)]
                primary = metric if self.units is DisplayUnits.METRIC else imperial
                self.entry.setPlaceholderText(f"{primary} (or {imperial if primary == metric else metric})")
            else:
                self.entry.setPlaceholderText("number")
            self.entry.editingFinished.connect(self._on_entry)
            row.addWidget(self.entry)
            self._answer_button(NOT_APPLICABLE, "N/A", row)
            hint = QLabel(self._threshold_hint())
            hint.setObjectName("thresholdHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #52606D;")
            row.addWidget(hint, 1)
            return row
        else:
            self.text_box = QPlainTextEdit()
            self.text_box.setObjectName("itemText")
            self.text_box.setAccessibleName(self.item.prompt)
            self.text_box.setTabChangesFocus(True)
            self.text_box.setFixedHeight(70)
            self.text_editor = DebouncedText(self.text_box, lambda t: self.answered.emit(self.item.id, t or None, None),
                                             pending)
            row.addWidget(self.text_box)
            return row
        row.addStretch(1)
        return row

    def _choice_grid(self) -> QHBoxLayout:
        """Long option lists go in two columns so every label stays readable."""
        grid = QGridLayout()
        cells = QHBoxLayout()
        for n, option in enumerate(self.item.options):
            holder = QHBoxLayout()
            self._answer_button(option.value, option.label, holder)
            grid.addLayout(holder, n // 2, n % 2)
        holder = QHBoxLayout()
        self._answer_button(NOT_APPLICABLE, "N/A", holder)
        grid.addLayout(holder, len(self.item.options) // 2, len(self.item.options) % 2)
        cells.addLayout(grid, 1)
        return cells

    def _threshold_hint(self) -> str:
        if not self.thresholds:
            return ""
        quantity = Quantity(self.item.quantity) if self.item.quantity else None
        return "Threshold " + threshold_text(self.thresholds[0], quantity, self.units)

    # -- state ------------------------------------------------------------------------------
    def show_answer(self, answer: AnswerView | None) -> None:
        value = answer.value if answer else None
        for key, button in self.buttons.items():
            button.setChecked(key == value)
        if self.entry is not None:
            number = answer.number if answer else None
            if number is None:
                self.entry.setText("")
            elif self.item.kind is ItemKind.COUNT:
                self.entry.setText(str(int(number)))
            else:
                self.entry.setText(format_value(number, Quantity(self.item.quantity), self.units))
            self.entry.setEnabled(value != NOT_APPLICABLE)
        if self.text_box is not None:
            self.text_editor.set_text(value or "")
        self.note_editor.set_text(answer.note if answer else "")
        self.status.hide()

    def show_finding(self, finding: tuple[Tier, str] | None) -> None:
        self.finding.setVisible(finding is not None)
        if finding is not None:
            self.finding.setText(tier_chip(finding[0], escape(finding[1])))

    def set_current(self, current: bool) -> None:
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    @property
    def is_answered(self) -> bool:
        return any(b.isChecked() for b in self.buttons.values()) or bool(self.entry and self.entry.text().strip())

    # -- input ------------------------------------------------------------------------------
    def answer_key(self, value: str) -> bool:
        """Keyboard answer (Y/N/A); returns True if the item accepted it."""
        if value in self.buttons:
            self.buttons[value].setChecked(True)
            self._on_button(value, True)
            return True
        return False

    def _on_button(self, value: str, checked: bool) -> None:
        for key, button in self.buttons.items():
            if key != value:
                button.setChecked(False)
        self.focused.emit(self.item.id)
        if value == NOT_APPLICABLE and self.entry is not None:
            self.entry.setEnabled(not checked)
        self.answered.emit(self.item.id, value if checked else None, None)

    def _on_entry(self) -> None:
        assert self.entry is not None
        text = self.entry.text().strip()
        if not self.entry.isModified():
            return
        self.entry.setModified(False)
        if not text:
            self.answered.emit(self.item.id, None, None)
            return
        try:
            if self.item.kind is ItemKind.COUNT:
                number = float(int(text))
                if number < 0:
                    raise ValueError
            else:
                number = parse_measurement(text, Quantity(self.item.quantity), self.units, field=self.item.id)
        except ValidationError as exc:
            self.show_error(exc.errors[0].message)
            return
        except ValueError:
            self.show_error(f"“{text}” is not a whole number")
            return
        self.status.hide()
        self.answered.emit(self.item.id, None, number)
        if self.item.kind is ItemKind.MEASURE:
            self.entry.setText(format_value(number, Quantity(self.item.quantity), self.units))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        from homeassess.ui.widgets.photo_strip import files_from_drop

        self.files_dropped.emit(self.item.id, files_from_drop(event))
        event.acceptProposedAction()

    def show_error(self, message: str) -> None:
        self.status.setText(f"<span style='color:#B91C1C'>{escape(message)}</span>")
        self.status.show()

    def focus_input(self) -> None:
        widget: QWidget | None = self.entry or self.text_box
        if widget is not None:
            widget.setFocus()
