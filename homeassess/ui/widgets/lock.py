"""A locked visit on screen (services/visit_lock.py): every input whose edit the lock refuses is made
read-only (text, numbers and dates stay selectable and copyable) or disabled (buttons, choices), and
takes no dropped files. Navigation, scrolling, viewing and reports are not inputs, or are marked
``ALWAYS``, and are left alone.

An input says which kind of edit it makes with ``mark``; a mark on a container holds for what is
inside it, and unmarked inputs take the screen's ``default``. Only what the lock turned off is turned
back on when the lock goes, so a control a screen disabled for its own reasons stays disabled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox, QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QTextEdit,
    QWidget,
)

from homeassess.services.visit_lock import VisitLock
from homeassess.ui.widgets.style import BANNER_STYLE

RECORD = "record"                  # the visit's record (answers, rooms, photos, wording …): every lock refuses it
AFTER_SIGN_OFF = "after_sign_off"  # status steps, consent, follow-up outcomes, addenda: only team locks refuse
CLIENT_RECORD = "client_record"    # the client's own record (goals): when the lock says so
ALWAYS = "always"                  # navigation, viewing, reports, starting a new visit: never locked

KIND = "lockKind"          # dynamic property holding the kind
_OFF = "lockTurnedOff"     # set on what the lock made read-only or disabled
_NO_DROPS = "lockNoDrops"  # set on what the lock stopped taking dropped files
TEXT = (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)   # QAbstractSpinBox: numbers and dates
CONTROLS = (QPushButton, QCheckBox, QRadioButton, QComboBox)


def lock_banner(object_name: str) -> QLabel:
    """The banner that says why a screen is locked (hidden until there is something to say)."""
    banner = QLabel()
    banner.setObjectName(object_name)
    banner.setWordWrap(True)
    banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    banner.setStyleSheet(BANNER_STYLE)
    banner.hide()
    return banner


def mark(kind: str, *widgets: QWidget) -> None:
    for widget in widgets:
        widget.setProperty(KIND, kind)


def refuses(lock: VisitLock | None, kind: str) -> bool:
    """Whether ``lock`` refuses an edit of this kind."""
    if lock is None or kind == ALWAYS:
        return False
    if kind == AFTER_SIGN_OFF:
        return not lock.after_sign_off_open
    if kind == CLIENT_RECORD:
        return lock.client_record_locked
    return True


def apply_lock(root: QWidget, lock: VisitLock | None, *, default: str = RECORD) -> None:
    """Turn off (or back on) every input under ``root`` as ``lock`` says. Idempotent: screens call it
    again after they rebuild or re-enable their inputs."""
    for widget, kind in _walk(root, root.property(KIND) or default):
        off = refuses(lock, kind)
        if isinstance(widget, TEXT):
            _flag(widget, off, _OFF, widget.isReadOnly, lambda read_only, w=widget: _set_read_only(w, read_only))
        elif isinstance(widget, CONTROLS):
            _flag(widget, off, _OFF, lambda w=widget: w.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled),
                  lambda disabled, w=widget: w.setEnabled(not disabled))
        if not isinstance(widget, TEXT):   # a read-only text field refuses drops itself
            _flag(widget, off, _NO_DROPS, lambda w=widget: not w.acceptDrops(),
                  lambda no, w=widget: w.setAcceptDrops(not no))


def _set_read_only(widget: QWidget, read_only: bool) -> None:
    """Read-only, and drawn so (the style's ``[readOnly="true"]`` rule is applied when polished)."""
    widget.setReadOnly(read_only)   # type: ignore[attr-defined]
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _walk(widget: QWidget, kind: str) -> Iterator[tuple[QWidget, str]]:
    """Each widget with its kind; not inside inputs (a spin box's line edit, a combo's list are its own)
    and not into dialogs the page opened (each window decides for itself)."""
    yield widget, kind
    if isinstance(widget, TEXT + CONTROLS):
        return
    for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not child.isWindow():
            yield from _walk(child, child.property(KIND) or kind)


def _flag(widget: QWidget, off: bool, name: str, is_off: Callable[[], bool], set_off: Callable[[bool], None]) -> None:
    """Turn one state off, remembering it under ``name``; turn back on only what was remembered."""
    if off and not is_off():
        set_off(True)
        widget.setProperty(name, True)
    elif not off and widget.property(name):
        set_off(False)
        widget.setProperty(name, False)
