"""Every screen fits a 1024 × 600 tablet (and 1024 × 640: a 1280 × 800 tablet at 125 %): nothing out of
reach or clipped, no page scrolling sideways, every button showing its whole label."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QLineEdit,
    QMenuBar, QPushButton, QScrollArea, QTabBar, QToolBar, QTreeWidgetItemIterator, QWidget,
)
from pytestqt.qtbot import QtBot

from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.ui.main_window import MainWindow
from homeassess.ui.session import Session
from homeassess.ui.tasks import SynchronousTaskRunner
from homeassess.ui.widgets.style import APP_STYLE

SIZES = [(1024, 600), (1024, 640)]
PADDING = 2 * 14  # the style sheet's side padding on push buttons (widgets/style.py)


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _controls(top: QWidget) -> list[QWidget]:
    """Buttons, combo boxes and line edits the user can see on ``top`` (not the parts of other controls)."""
    found = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, (QAbstractButton, QComboBox, QLineEdit)) or not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QTabBar, QToolBar, QMenuBar)):
            continue  # the line edit inside a spin box, a tab bar's scroll arrows, toolbar buttons (they fold)
        if any(isinstance(a, QAbstractItemView) for a in _ancestors(widget, top)):
            continue  # cells of a table or list scroll with it
        found.append(widget)
    return found


def _ancestors(widget: QWidget, top: QWidget) -> list[QWidget]:
    chain, parent = [], widget.parentWidget()
    while parent is not None and parent is not top:
        chain.append(parent)
        parent = parent.parentWidget()
    return chain


def _rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def scroll_to(area: QScrollArea, widget: QWidget) -> None:
    """Scroll ``area`` so all of ``widget`` shows, as QScrollArea.ensureWidgetVisible does for a button
    (for a line edit that only brings its text cursor into view)."""
    rect = QRect(widget.mapTo(area.widget(), QPoint(0, 0)), widget.size())
    view = area.viewport().size()
    for bar, start, length, room in ((area.verticalScrollBar(), rect.top(), rect.height(), view.height()),
                                     (area.horizontalScrollBar(), rect.left(), rect.width(), view.width())):
        if start + length > bar.value() + room:
            bar.setValue(start + length - room)
        if start < bar.value():
            bar.setValue(start)


def clipped(top: QWidget) -> list[str]:
    """Controls not wholly visible in ``top``, after scrolling every enclosing area to them."""
    problems = []
    for widget in _controls(top):
        chain = _ancestors(widget, top)
        for area in chain:
            if isinstance(area, QScrollArea):
                scroll_to(area, widget)
        rect, visible = _rect_in(widget, top), top.rect()
        for parent in chain:
            visible &= _rect_in(parent, top)
        if not visible.contains(rect):
            label = widget.text() if hasattr(widget, "text") else ""
            problems.append(f"{type(widget).__name__} {widget.objectName() or label!r} at {rect.getRect()}, "
                            f"visible part {visible.getRect()}")
    return problems


def sideways(top: QWidget) -> list[str]:
    """Pages (scroll areas) showing a horizontal scroll bar; lists and tables may scroll on their own."""
    return [area.objectName() or type(area.widget()).__name__ for area in top.findChildren(QScrollArea)
            if area.isVisible() and area.horizontalScrollBar().isVisible()]


def text_width(button: QPushButton) -> int:
    """The widest line of the button's text (a WrapButton breaks a long label onto more lines), as drawn:
    a mnemonic's "&" is not ("&&" is one "&")."""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return max(button.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))


def labels_cut(buttons: list[QPushButton]) -> list[str]:
    return [f"{b.text()!r}: {text_width(b)} px in {b.contentsRect().width()} px"
            for b in buttons if text_width(b) > b.contentsRect().width() - PADDING
            or b.height() < b.fontMetrics().size(0, b.text()).height()]


def check(top: QWidget, name: str) -> None:
    settle()
    assert sideways(top) == [], f"{name}: scrolls sideways"
    assert clipped(top) == [], f"{name}: out of reach or clipped"
    assert labels_cut([b for b in top.findChildren(QPushButton) if b.isVisible() and b.text()
                       and not any(isinstance(a, QAbstractItemView) for a in _ancestors(b, top))]) == [], name


@pytest.fixture
def tablet(demo_ctx: tuple[AppContext, str], qtbot: QtBot) -> Iterator[tuple[MainWindow, AppContext, str]]:
    """The demo visit open in a main window dressed as the app dresses it (its style sheet sets sizes)."""
    ctx, assessment_id = demo_ctx
    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(APP_STYLE)
    session = Session(ctx, SynchronousTaskRunner())
    session.show_dialogs = False
    win = MainWindow(session)
    qtbot.addWidget(win)
    win.show()
    win.open_visit(assessment_id)
    yield win, ctx, assessment_id
    app.setStyleSheet(before)


def test_main_window_can_be_as_small_as_a_tablet(tablet: tuple[MainWindow, AppContext, str]) -> None:
    window, _ctx, _id = tablet
    for show in (window.show_clients, window.visit.show_overview, window.visit.show_costs):
        show()
        settle()
        hint = window.minimumSizeHint()
        assert hint.width() <= 1000 and hint.height() <= 580, hint


def _select_first_recommendation(window: MainWindow, ctx: AppContext, assessment_id: str) -> None:
    seat = next(r for r in R.list_recommendations(ctx, assessment_id) if r.template_id == "rec.toilet.raised_seat")
    tree = window.visit.recommendations.tree
    it = QTreeWidgetItemIterator(tree)
    while it.value():
        if it.value().data(0, Qt.ItemDataRole.UserRole) == seat.id:
            tree.setCurrentItem(it.value())
        it += 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_a_small_tablet(tablet: tuple[MainWindow, AppContext, str], size: tuple[int, int]) -> None:
    window, ctx, assessment_id = tablet
    window.resize(*size)
    client_id = A.get_assessment(ctx, assessment_id).client_id
    screens: dict[str, Callable[[], object]] = {
        "client list": window.show_clients,
        "client profile": lambda: window.show_client(client_id),
        "visit overview": lambda: window.open_visit(assessment_id),
        "recommendations": lambda: (window.visit.show_recommendations(),
                                    _select_first_recommendation(window, ctx, assessment_id)),
        "costs and order": window.visit.show_costs,
        "reports": window.visit.show_report,
    }
    for name, show in screens.items():
        show()
        check(window, name)
    assert window.visit.sidebar.width() < 270  # the sidebar gives way on a narrow window


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_room_and_its_choice_buttons_fit(tablet: tuple[MainWindow, AppContext, str],
                                               size: tuple[int, int]) -> None:
    window, ctx, assessment_id = tablet
    window.resize(*size)
    for room in A.list_rooms(ctx, assessment_id):
        window.visit.show_room(room.id)
        check(window, room.name)
        editor = window.visit.room_editor
        buttons = [b for w in editor.widgets.values() if not w.isHidden() for b in w.buttons.values()]
        assert buttons
        assert labels_cut(buttons) == [], room.name
        assert all(b.height() >= 44 for b in buttons)
        assert all(" ".join(b.text().split()) == b.label() for b in buttons)  # wrapped, every word kept


def test_follow_up_review_fits(tablet: tuple[MainWindow, AppContext, str]) -> None:
    from homeassess.services.demo_followup import create_follow_up_demo

    window, ctx, _id = tablet
    _first, follow_up_id = create_follow_up_demo(ctx)
    window.resize(1024, 600)
    window.open_visit(follow_up_id)
    window.visit.show_follow_up()
    window.visit.follow_up.table.selectRow(1)
    check(window, "follow-up review")


def _dialogs(window: MainWindow, ctx: AppContext, assessment_id: str) -> dict[str, Callable[[], QWidget]]:
    from homeassess.ui.screens.annotation_editor import AnnotationEditor
    from homeassess.ui.screens.consent import ConsentDialog
    from homeassess.ui.screens.phone_import import RoomAssignmentDialog
    from homeassess.ui.screens.sign_off import FinishVisitDialog

    def annotation() -> QWidget:
        pixmap = QPixmap(1600, 1200)
        pixmap.fill(Qt.GlobalColor.white)
        return AnnotationEditor(window, pixmap, [])

    def phone() -> QWidget:
        photo = SimpleNamespace(original_filename="IMG_2041.HEIC", taken_at=None)
        rooms = [(r.id, r.name) for r in A.list_rooms(ctx, assessment_id)]
        return RoomAssignmentDialog(window, [(photo, None, rooms[0][0])] * 3, rooms, [])

    return {
        "catalogue": window.show_catalogue,
        "overdue": window.show_overdue,
        "settings": window.show_settings,
        "consent": lambda: ConsentDialog(window.session, assessment_id, window),
        "finish visit": lambda: FinishVisitDialog(window.session, assessment_id, window),
        "annotation editor": annotation,
        "phone import": phone,
    }


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_dialog_fits_a_small_tablet(tablet: tuple[MainWindow, AppContext, str], qtbot: QtBot,
                                          size: tuple[int, int]) -> None:
    window, ctx, assessment_id = tablet
    width, height = size[0], size[1] - 40  # a title bar above the dialog
    for name, make in _dialogs(window, ctx, assessment_id).items():
        dialog = make()
        dialog.show()
        settle()
        hint = dialog.minimumSizeHint()
        assert hint.width() <= width and hint.height() <= height, (name, hint)
        dialog.resize(min(dialog.width(), width), min(dialog.height(), height))
        check(dialog, name)
        dialog.close()
