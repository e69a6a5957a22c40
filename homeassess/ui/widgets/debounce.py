"""Free text is saved ~0.7 s after typing stops, and at once on focus-out, screen switch or close."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

DEBOUNCE_MS = 700


class PendingEdits:
    """Registry of debounced editors so the window can flush them all before closing."""

    def __init__(self) -> None:
        self._editors: list[DebouncedText] = []

    def register(self, editor: DebouncedText) -> None:
        self._editors.append(editor)

    def unregister(self, editor: DebouncedText) -> None:
        if editor in self._editors:
            self._editors.remove(editor)

    def flush_all(self) -> None:
        for editor in list(self._editors):
            editor.flush()


class DebouncedText(QObject):
    """Calls ``commit(text)`` when the text has settled and differs from what was last saved."""

    def __init__(self, widget: QLineEdit | QPlainTextEdit | QTextEdit, commit: Callable[[str], None],
                 pending: PendingEdits | None = None) -> None:
        super().__init__(widget)
        self.widget, self._commit, self._pending = widget, commit, pending
        self._saved = self.text()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        widget.textChanged.connect(self._on_text_changed)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(self.flush)
        widget.installEventFilter(self)
        if pending is not None:
            pending.register(self)
            widget.destroyed.connect(lambda *_: pending.unregister(self))

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def set_text(self, text: str) -> None:
        """Show a stored value without treating it as an edit."""
        self._timer.stop()
        self._saved = text
        if self.text() != text:
            w = self.widget
            blocked = w.blockSignals(True)
            if isinstance(w, QLineEdit):
                keep_whole(w, text)
                w.setText(text)
            else:
                w.setPlainText(text)
            w.blockSignals(blocked)

    @property
    def dirty(self) -> bool:
        return self.text() != self._saved

    def flush(self) -> None:
        self._timer.stop()
        if self.dirty:
            text = self.text()
            self._saved = text
            self._commit(text)

    def _on_text_changed(self, *_args: object) -> None:
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


def keep_whole(widget: QLineEdit, text: str) -> None:
    """A stored value longer than the field's limit (saved before the input rules) is shown whole: a line
    edit would cut it silently, and the cut value would be saved on the next focus-out. Typing more is
    still refused by the service, with its message beside the field."""
    if _units(text) > widget.maxLength():
        widget.setMaxLength(_units(text))


def set_max_length(widget: QLineEdit, limit: int) -> None:
    """The domain's limit for a field (text_rules.TEXT_LIMITS), never shorter than what it already shows."""
    widget.setMaxLength(max(limit, _units(widget.text())))


def _units(text: str) -> int:
    """A line edit's maximum length counts UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


def field_error_label(name: str) -> QWidget:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    label.setObjectName(f"error_{name}")
    label.setStyleSheet("color: #B91C1C;")
    label.setWordWrap(True)
    label.hide()
    return label
