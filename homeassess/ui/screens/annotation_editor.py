"""Mark up a photo with arrows, circles, boxes, freehand lines, labels and measurement callouts.

Shapes are stored separately from the photo (non-destructive). ``AnnotationEditor.ask`` returns
the new shape list, or None if the therapist cancels; ``AnnotationEditor.view`` shows the photo and
its mark-up on a locked visit, with nothing to change or save.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QHBoxLayout, QInputDialog, QPushButton, QVBoxLayout, QWidget,
)

from homeassess.domain.annotations import Shape, ShapeKind, parse_shapes
from homeassess.ui.widgets.shapes_qt import paint_shapes
from homeassess.ui.widgets.style import TOUCH

TOOLS = ((ShapeKind.ARROW, "Arrow"), (ShapeKind.ELLIPSE, "Circle"), (ShapeKind.RECT, "Box"),
         (ShapeKind.FREEHAND, "Draw"), (ShapeKind.TEXT, "Label"), (ShapeKind.MEASURE, "Measurement"))
COLOURS = (("#E11D48", "Red"), ("#FACC15", "Yellow"), ("#2563EB", "Blue"), ("#FFFFFF", "White"))


class MarkupCanvas(QWidget):
    """Shows the photo fitted to the widget and turns drags into shapes (fractions of the photo)."""

    shapes_changed = Signal()

    def __init__(self, pixmap: QPixmap, shapes: list[Shape]) -> None:
        super().__init__()
        self.setObjectName("markupCanvas")
        self.setMinimumSize(480, 360)
        self.pixmap, self.shapes = pixmap, list(shapes)
        self.tool, self.colour = ShapeKind.ARROW, COLOURS[0][0]
        self._drag: list[tuple[float, float]] = []
        self.ask_text = lambda title: QInputDialog.getText(self, title, "Text:")

    def image_rect(self) -> QRectF:
        size = self.pixmap.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x, y = (self.width() - size.width()) / 2, (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def to_fraction(self, pos: QPointF) -> tuple[float, float]:
        rect = self.image_rect()
        return (min(max((pos.x() - rect.x()) / rect.width(), 0.0), 1.0),
                min(max((pos.y() - rect.y()) / rect.height(), 0.0), 1.0))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1F2933"))
        rect = self.image_rect()
        painter.drawPixmap(rect.toRect(), self.pixmap)
        painter.translate(rect.topLeft())
        preview = self.shapes + ([self._preview()] if len(self._drag) >= 2 else [])
        paint_shapes(painter, preview, rect.width(), rect.height())
        painter.end()

    def _preview(self) -> Shape:
        points = tuple(self._drag) if self.tool is ShapeKind.FREEHAND else (self._drag[0], self._drag[-1])
        kind = ShapeKind.ARROW if self.tool is ShapeKind.MEASURE else self.tool
        return Shape(kind if kind is not ShapeKind.TEXT else ShapeKind.ARROW, points, colour=self.colour)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self._drag = [self.to_fraction(event.position())]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._drag:
            self._drag.append(self.to_fraction(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if not self._drag:
            return
        self._drag.append(self.to_fraction(event.position()))
        drag, self._drag = self._drag, []
        self.add_shape(drag)

    def add_shape(self, drag: list[tuple[float, float]]) -> None:
        """Finish a drag (or click, for a label) as a shape of the current tool."""
        start, end = drag[0], drag[-1]
        text = ""
        if self.tool in (ShapeKind.TEXT, ShapeKind.MEASURE):
            title = "Label" if self.tool is ShapeKind.TEXT else "Measurement (e.g. step 190 mm)"
            text, ok = self.ask_text(title)
            if not ok or not text.strip():
                self.update()
                return
        if self.tool is ShapeKind.TEXT:
            points = (start,)
        elif self.tool is ShapeKind.FREEHAND:
            points = tuple(drag)
        else:
            if abs(start[0] - end[0]) + abs(start[1] - end[1]) < 0.01:
                self.update()
                return
            points = (start, end)
        self.shapes.append(Shape(self.tool, points, text.strip(), self.colour))
        self.shapes_changed.emit()
        self.update()

    def undo_last(self) -> None:
        if self.shapes:
            self.shapes.pop()
            self.shapes_changed.emit()
            self.update()


class AnnotationEditor(QDialog):
    def __init__(self, parent: QWidget | None, pixmap: QPixmap, shapes: list[dict[str, Any]], *,
                 read_only: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("annotationEditor")
        self.setWindowTitle("Photo (read-only)" if read_only else "Mark up photo")
        self.canvas = MarkupCanvas(pixmap, parse_shapes(shapes))
        layout = QVBoxLayout(self)
        if read_only:
            self.canvas.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)   # no drag makes a shape
            layout.addWidget(self.canvas, 1)
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            close.rejected.connect(self.reject)
            layout.addWidget(close)
            self.resize(1000, 720)
            return
        tools = QHBoxLayout()
        group = QButtonGroup(self)
        for kind, label in TOOLS:
            button = QPushButton(label)
            button.setObjectName(f"tool_{kind.value}")
            button.setCheckable(True)
            button.setMinimumHeight(TOUCH)
            button.setChecked(kind is ShapeKind.ARROW)
            button.clicked.connect(lambda _c, k=kind: setattr(self.canvas, "tool", k))
            group.addButton(button)
            tools.addWidget(button)
        tools.addSpacing(16)
        colours = QButtonGroup(self)
        for value, name in COLOURS:
            swatch = QPushButton()
            swatch.setCheckable(True)
            swatch.setAccessibleName(f"{name} colour")
            swatch.setToolTip(name)
            swatch.setFixedSize(TOUCH, TOUCH)
            swatch.setStyleSheet(f"background: {value}; border: 2px solid #52606D;")
            swatch.setChecked(value == COLOURS[0][0])
            swatch.clicked.connect(lambda _c, v=value: setattr(self.canvas, "colour", v))
            colours.addButton(swatch)
            tools.addWidget(swatch)
        tools.addStretch(1)
        undo = QPushButton("Undo shape")
        undo.setObjectName("undoShape")
        undo.setMinimumHeight(TOUCH)
        undo.clicked.connect(self.canvas.undo_last)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.canvas.undo_last)
        tools.addWidget(undo)
        layout.addLayout(tools)
        layout.addWidget(self.canvas, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 720)

    def shapes(self) -> list[dict[str, Any]]:
        return [s.to_json() for s in self.canvas.shapes]

    @classmethod
    def ask(cls, parent: QWidget | None, pixmap: QPixmap, shapes: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        dialog = cls(parent, pixmap, shapes)
        return dialog.shapes() if dialog.exec() == QDialog.DialogCode.Accepted else None

    @classmethod
    def view(cls, parent: QWidget | None, pixmap: QPixmap, shapes: list[dict[str, Any]]) -> None:
        """The photo and its mark-up, to look at only."""
        cls(parent, pixmap, shapes, read_only=True).exec()
