"""Layouts that fit small screens (1024 × 600 tablets) as well as large ones.

* ``FlowLayout``: items left to right, wrapping onto another row when the width runs out — for rows of
  buttons (every button keeps its whole label) and, with ``uniform=True``, for choice buttons in as many
  equal columns as the widest label allows.
* ``Columns``: widgets side by side while there is room, stacked one above the other below a width; the
  page around it (a vertically scrolling area) then scrolls as a whole instead of sideways.
* ``FoldingSplitter``: a splitter that turns from side by side to one above the other below a width.
* ``WrapButton``: a push button whose label goes onto two or more lines when the button is too narrow.

Both layouts report their height for a given width (``heightForWidth``), which QScrollArea, box, grid and
form layouts honour, so wrapping and stacking make the page taller rather than clipping it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame, QLayout, QLayoutItem, QPushButton, QScrollArea, QSizePolicy, QSplitter, QWidget, QWidgetItem,
)


def _visible(items: list[QLayoutItem]) -> list[QLayoutItem]:
    return [i for i in items if not i.isEmpty()]


class _ItemsLayout(QLayout):
    """A layout holding a plain list of items (shared by the two layouts below)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self.invalidate()
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        m = self.contentsMargins()
        inner = QRect(0, 0, max(0, width - m.left() - m.right()), 0)
        return self._arrange(inner, apply=False) + m.top() + m.bottom()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(self.contentsRect() if self.parentWidget() else rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.minimumSize()

    def _margins(self) -> QSize:
        m = self.contentsMargins()
        return QSize(m.left() + m.right(), m.top() + m.bottom())

    def _space(self) -> int:
        spacing = self.spacing()
        return spacing if spacing >= 0 else 6

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        raise NotImplementedError


class FlowLayout(_ItemsLayout):
    """Items in rows that wrap. ``uniform``: equal-width cells in as many columns as fit (a grid whose
    column count follows the width); otherwise each item keeps its preferred width. ``justify`` widens
    the items of a row to fill it; ``align`` (left or right) places rows that are not justified."""

    def __init__(self, parent: QWidget | None = None, *, uniform: bool = False, justify: bool = False,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, spacing: int = 6,
                 max_columns: int = 0) -> None:
        super().__init__(parent)
        self.uniform, self.justify, self.align, self.max_columns = uniform, justify, align, max_columns
        self.setSpacing(spacing)
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        """As wide as the widest item may be (a plain button: its whole label; a WrapButton: less)."""
        items = _visible(self._items)
        width = max((i.minimumSize().width() for i in items), default=0)
        height = max((self._hint(i).height() for i in items), default=0)
        return QSize(width, height) + self._margins()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """One row of everything (what the layout would like on a wide window)."""
        items = _visible(self._items)
        if not items:
            return self._margins()
        hints = [self._hint(i) for i in items]
        if self.uniform:
            width = max(h.width() for h in hints) * len(hints)
        else:
            width = sum(h.width() for h in hints)
        return QSize(width + self._space() * (len(hints) - 1), max(h.height() for h in hints)) + self._margins()

    @staticmethod
    def _hint(item: QLayoutItem) -> QSize:
        return item.sizeHint().expandedTo(item.minimumSize())

    def _rows(self, items: list[QLayoutItem], width: int) -> list[list[QLayoutItem]]:
        space = self._space()
        if self.uniform:
            cell = max(self._hint(i).width() for i in items)
            columns = max(1, min(len(items), (width + space) // (cell + space)))
            if self.max_columns:
                columns = min(columns, self.max_columns)
            return [items[n:n + columns] for n in range(0, len(items), columns)]
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in items:
            w = self._hint(item).width()
            if rows[-1] and used + space + w > width:
                rows.append([])
                used = 0
            used += (space if rows[-1] else 0) + w
            rows[-1].append(item)
        return rows

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        items = _visible(self._items)
        if not items:
            return 0
        space, width = self._space(), rect.width()
        rows = self._rows(items, width)
        columns = len(rows[0])
        y = rect.y()
        for row in rows:
            hints = [self._hint(i) for i in row]
            if self.uniform:
                cell = (width - space * (columns - 1)) // columns
                widths = [max(cell, 0)] * len(row)
            else:
                widths = [min(h.width(), width) for h in hints]
                if self.justify:
                    extra = width - sum(widths) - space * (len(row) - 1)
                    widths = [w + extra // len(row) + (1 if n < extra % len(row) else 0)
                              for n, w in enumerate(widths)] if extra > 0 else widths
            height = max(max(i.heightForWidth(w), i.minimumSize().height()) if i.hasHeightForWidth() else h.height()
                         for i, h, w in zip(row, hints, widths))
            if apply:
                total = sum(widths) + space * (len(row) - 1)
                x = rect.x()
                if not self.uniform and not self.justify and self.align & Qt.AlignmentFlag.AlignRight:
                    x = rect.x() + max(0, width - total)
                for item, w in zip(row, widths):
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                    x += w + space
            y += height + space
        return y - space - rect.y()


class ColumnsLayout(_ItemsLayout):
    """Side by side when the width allows ``breakpoint`` (default: all columns at their minimum width),
    otherwise one above the other, each at least its preferred height (or ``stacked_height``)."""

    def __init__(self, parent: QWidget | None = None, *, breakpoint: int = 0, spacing: int = 9) -> None:
        super().__init__(parent)
        self.breakpoint = breakpoint
        self.setSpacing(spacing)
        self._stretch: list[int] = []
        self._stacked_height: list[int] = []
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    def add(self, widget: QWidget, stretch: int = 1, stacked_height: int = 0) -> None:
        self.addChildWidget(widget)
        self._stretch.append(stretch)
        self._stacked_height.append(stacked_height)
        self.addItem(QWidgetItem(widget))

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        if 0 <= index < len(self._stretch):
            del self._stretch[index], self._stacked_height[index]
        return super().takeAt(index)

    def _shown(self) -> list[tuple[QLayoutItem, int, int]]:
        return [(i, s, h) for i, s, h in zip(self._items, self._stretch, self._stacked_height) if not i.isEmpty()]

    def side_by_side_width(self) -> int:
        shown = self._shown()
        if self.breakpoint:
            return self.breakpoint
        return sum(i.minimumSize().width() for i, _s, _h in shown) + self._space() * max(0, len(shown) - 1)

    def is_stacked(self, width: int | None = None) -> bool:
        if width is None:
            width = self.contentsRect().width()
        return width < self.side_by_side_width()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        shown = self._shown()
        width = max((i.minimumSize().width() for i, _s, _h in shown), default=0)
        height = max((i.minimumSize().height() for i, _s, _h in shown), default=0)
        return QSize(width, height) + self._margins()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        shown = self._shown()
        width = sum(i.sizeHint().width() for i, _s, _h in shown) + self._space() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i, _s, _h in shown), default=0)
        return QSize(max(width, self.breakpoint), height) + self._margins()

    @staticmethod
    def _min_height(item: QLayoutItem, width: int) -> int:
        if item.hasHeightForWidth():
            return max(item.heightForWidth(width), item.minimumSize().height())
        return item.minimumSize().height()

    def _widths(self, shown: list[tuple[QLayoutItem, int, int]], width: int) -> list[int]:
        """Share ``width`` by stretch, never giving a column less than its minimum width."""
        avail = width - self._space() * (len(shown) - 1)
        mins = [i.minimumSize().width() for i, _s, _h in shown]
        stretch = [s or 1 for _i, s, _h in shown]
        fixed: dict[int, int] = {}
        while True:
            free = [n for n in range(len(shown)) if n not in fixed]
            left = avail - sum(fixed.values())
            total = sum(stretch[n] for n in free) or 1
            widths = {n: left * stretch[n] // total for n in free}
            short = [n for n in free if widths[n] < mins[n]]
            if not short:
                break
            for n in short:
                fixed[n] = mins[n]
        return [fixed.get(n, widths.get(n, 0)) for n in range(len(shown))]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        shown = self._shown()
        if not shown:
            return 0
        space, width = self._space(), rect.width()
        if not self.is_stacked(width):
            widths = self._widths(shown, width)
            height = max(self._min_height(i, w) for (i, _s, _h), w in zip(shown, widths))
            if apply:
                x = rect.x()
                for (item, _s, _h), w in zip(shown, widths):
                    item.setGeometry(QRect(x, rect.y(), w, max(rect.height(), height)))
                    x += w + space
            return height
        heights = [max(self._min_height(i, width), h, i.sizeHint().height() if not i.hasHeightForWidth() else 0)
                   for i, _s, h in shown]
        needed = sum(heights) + space * (len(shown) - 1)
        if apply:
            extra = max(0, rect.height() - needed)
            total = sum(s for _i, s, _h in shown) or 1
            y = rect.y()
            for (item, s, _h), h in zip(shown, heights):
                h += extra * s // total
                item.setGeometry(QRect(rect.x(), y, width, h))
                y += h + space
        return needed


class Columns(QWidget):
    """Widgets side by side on a wide window, one above the other on a narrow one (see ColumnsLayout)."""

    def __init__(self, *columns: QWidget, breakpoint: int = 0, stretch: tuple[int, ...] = (),
                 stacked_height: tuple[int, ...] = (), margins: int = 0) -> None:
        super().__init__()
        self.columns_layout = ColumnsLayout(self, breakpoint=breakpoint)
        self.columns_layout.setContentsMargins(margins, margins, margins, margins)
        for n, column in enumerate(columns):
            self.add(column, stretch[n] if n < len(stretch) else 1,
                     stacked_height[n] if n < len(stacked_height) else 0)

    def add(self, column: QWidget, stretch: int = 1, stacked_height: int = 0) -> None:
        self.columns_layout.add(column, stretch, stacked_height)

    def is_stacked(self) -> bool:
        return self.columns_layout.is_stacked()


def column(*widgets: QWidget | QLayout, stretch: tuple[int, ...] = ()) -> QWidget:
    """A plain vertical column (for putting several boxes in one of the ``Columns``)."""
    from PySide6.QtWidgets import QVBoxLayout

    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, widget in enumerate(widgets):
        s = stretch[n] if n < len(stretch) else 0
        if isinstance(widget, QLayout):
            layout.addLayout(widget, s)
        else:
            layout.addWidget(widget, s)
    return holder


class FoldingSplitter(QSplitter):
    """A splitter side by side from ``breakpoint`` px wide, one above the other below it. Stacked, each
    pane is at least ``stacked_heights`` tall, so the page around it scrolls as a whole."""

    def __init__(self, breakpoint: int, stacked_heights: tuple[int, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.breakpoint, self.stacked_heights = breakpoint, stacked_heights
        self._wide_sizes: list[int] | None = None
        self.setChildrenCollapsible(False)

    def stacked(self) -> bool:
        return self.orientation() == Qt.Orientation.Vertical

    def fold(self, width: int) -> None:
        vertical = width < self.breakpoint
        if vertical == self.stacked():
            return
        if vertical and self.isVisible() and sum(self.sizes()) > 0:
            self._wide_sizes = self.sizes()  # the user's split, back when the window widens again
        self.setOrientation(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
        for n in range(self.count()):
            pane = self.widget(n)
            height = self.stacked_heights[n] if n < len(self.stacked_heights) else 0
            pane.setMinimumHeight(height if vertical else 0)
        if vertical:
            self.setSizes([max(pane_height, 1) for pane_height in
                           (self.stacked_heights[n] if n < len(self.stacked_heights) else 1
                            for n in range(self.count()))])
        else:
            self.setSizes(self._wide_sizes or [10_000] * self.count())  # else share by stretch factor

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """Width: what the stacked form needs (it folds rather than forcing the page wider)."""
        hint = super().minimumSizeHint()
        if self.stacked():
            return hint
        widest = max((self.widget(n).minimumSizeHint().expandedTo(self.widget(n).minimumSize()).width()
                      for n in range(self.count())), default=0)
        return QSize(min(hint.width(), max(widest, 1)), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self.fold(event.size().width())
        super().resizeEvent(event)



def wrap_text(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` broken between words into lines no wider than ``width`` (a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class WrapButton(QPushButton):
    """A push button that keeps its whole label: on one line when there is room, otherwise broken
    between words onto more lines (the button grows taller). ``label()`` is the unbroken text."""

    MIN_TEXT_WIDTH = 150  # px: narrower than this it wraps no further

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._label = text
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def label(self) -> str:
        return self._label

    def set_label(self, text: str) -> None:
        self._label = text
        self.setText(text)
        self._rewrap(self.width())

    def _padding(self) -> QSize:
        """What the style adds around the text (borders, padding)."""
        text = self.fontMetrics().size(0, self.text())
        hint = super().sizeHint()
        return QSize(max(0, hint.width() - text.width()), max(0, hint.height() - text.height()))

    def _wrapped(self, width: int) -> str:
        room = width - self._padding().width()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self._label) <= room:
            return self._label
        return wrap_text(self._label, metrics, room)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = self.fontMetrics().horizontalAdvance(self._label) + self._padding().width()
        return QSize(max(width, super().sizeHint().width()), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        metrics = self.fontMetrics()
        full = metrics.horizontalAdvance(self._label)
        longest = max((metrics.horizontalAdvance(w) for w in self._label.split()), default=0)
        width = max(longest, min(full, self.MIN_TEXT_WIDTH)) + self._padding().width()
        return QSize(width, self.heightForWidth(width))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        text = self.fontMetrics().size(0, self._wrapped(width))
        return max(text.height() + self._padding().height(), self.minimumHeight())

    def _rewrap(self, width: int) -> None:
        wrapped = self._wrapped(width)
        if wrapped != self.text():
            self.setText(wrapped)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self._rewrap(event.size().width())
        super().resizeEvent(event)


def header_row(title: QWidget, *buttons: QWidget) -> QWidget:
    """A page heading with its buttons at the right; on a narrow window the buttons wrap onto more rows
    (right-aligned) instead of running off the edge."""
    from PySide6.QtWidgets import QHBoxLayout

    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(title, 1, Qt.AlignmentFlag.AlignTop)
    flow = FlowLayout(align=Qt.AlignmentFlag.AlignRight)
    for button in buttons:
        flow.addWidget(button)
    row.addLayout(flow, 0)
    return holder


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize a window to ``width`` × ``height``, or less where its screen is smaller (a 1024 × 600 tablet)."""
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width()), min(height, room.height() - 40)  # a title bar
    window.resize(max(width, window.minimumSizeHint().width()), max(height, window.minimumSizeHint().height()))


class FittingScroll(QScrollArea):
    """A vertically scrolling area that asks for all of its content's height (a dialog opens at full size
    where the screen allows) but can be as short as a few lines on a small screen."""

    def __init__(self, body: QWidget, min_height: int = 160) -> None:
        super().__init__()
        self.min_height = min_height
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidget(body)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        body = self.widget().sizeHint()
        return QSize(body.width() + self.verticalScrollBar().sizeHint().width(), body.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        body = self.widget().minimumSizeHint()
        return QSize(body.width() + self.verticalScrollBar().sizeHint().width(), min(body.height(), self.min_height))


def scrolling(*widgets: QWidget | QLayout, stretch: tuple[int, ...] = ()) -> FittingScroll:
    """``widgets`` one above the other in a FittingScroll (the part of a dialog that may scroll)."""
    return FittingScroll(column(*widgets, stretch=stretch))
