"""The line under an item's answer: its finding, or why a value was refused, or a "Keep it?" question.

The line always takes the same height, empty when there is nothing to say, so nothing on the page moves
under the pointer when a finding or an error appears.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from homeassess.domain.priority import Tier
from homeassess.ui.widgets.style import tier_chip

ERROR_COLOUR = "#B91C1C"
QUESTION_COLOUR = "#92400E"


class ItemLine(QWidget):
    """Fixed-height line; ``keep`` is emitted when the therapist keeps an unusual value."""

    keep = Signal()

    def __init__(self, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemLine")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.status = self._label("itemStatus")
        self.finding = self._label("itemFinding")
        self.keep_button = QPushButton("Keep it (Enter)")
        self.keep_button.setObjectName("keepUnusual")
        self.keep_button.setAccessibleName(f"Keep the unusual value for {prompt}")
        self.keep_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click must not take focus from the field
        self.keep_button.clicked.connect(self.keep.emit)
        self.keep_button.hide()
        layout.addWidget(self.status, 1)
        layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.finding, 1)
        lines = 2 * self.fontMetrics().lineSpacing() + 4
        self.setFixedHeight(max(lines, self.keep_button.sizeHint().height()))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._finding_text = ""

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)  # never grows the line
        label.hide()
        return label

    @property
    def has_message(self) -> bool:
        return not self.status.isHidden()

    @property
    def asking(self) -> bool:
        return not self.keep_button.isHidden()

    def show_finding(self, finding: tuple[Tier, str] | None) -> None:
        self._finding_text = tier_chip(finding[0], escape(finding[1])) if finding is not None else ""
        self.finding.setText(self._finding_text)
        self.finding.setToolTip(finding[1] if finding is not None else "")
        self.finding.setVisible(bool(self._finding_text) and not self.has_message)

    def show_error(self, message: str) -> None:
        self._message(message, ERROR_COLOUR)
        self.keep_button.hide()

    def ask(self, question: str) -> None:
        self._message(question, QUESTION_COLOUR)
        self.keep_button.show()

    def clear_message(self) -> None:
        self.status.clear()
        self.status.setToolTip("")
        self.status.hide()
        self.keep_button.hide()
        self.finding.setVisible(bool(self._finding_text))

    def _message(self, text: str, colour: str) -> None:
        self.status.setText(f"<span style='color:{colour}'>{escape(text)}</span>")
        self.status.setToolTip(text)
        self.status.show()
        self.finding.hide()
