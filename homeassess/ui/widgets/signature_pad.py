"""A signature pad: records strokes drawn with a mouse, pen or finger and gives them back as PNG bytes."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

INK = QColor("#1F2933")
PAD_SIZE = QSize(420, 140)


class SignatureCanvas(QWidget):
    """The drawing surface. Pens and fingers arrive as mouse events: Qt synthesises them from tablet
    and touch input nobody handles, so one set of handlers serves all three."""

    strokes_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureCanvas")
        self.setAccessibleName("Signature pad: sign here")
        self.setMinimumSize(PAD_SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.strokes: list[list[QPointF]] = []
        self._drawing = False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return PAD_SIZE

    def is_empty(self) -> bool:
        return not any(len(s) > 1 for s in self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self.update()
        self.strokes_changed.emit()

    def undo_stroke(self) -> None:
        if self.strokes:
            self.strokes.pop()
            self.update()
            self.strokes_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self.strokes.append([event.position()])
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # Track our own flag, not event.buttons(): synthesised touch moves do not always carry buttons.
        if self._drawing and self.strokes:
            self.strokes[-1].append(event.position())
            self.update()
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drawing:
            self._drawing = False
            if self.strokes and len(self.strokes[-1]) == 1:   # a tap is a dot: keep it visible
                self.strokes[-1].append(self.strokes[-1][0] + QPointF(0.5, 0.5))
            self.strokes_changed.emit()
            event.accept()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            painter.drawPolyline(QPolygonF(stroke))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#CBD2D9"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() - 28
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        self._draw(painter)
        painter.end()

    def to_png(self) -> bytes | None:
        """The strokes on white at the pad's size, as PNG; None when nothing was drawn."""
        if self.is_empty():
            return None
        image = QImage(self.size().expandedTo(PAD_SIZE), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._draw(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


class SignaturePad(QWidget):
    """The canvas with Clear and Undo stroke buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, name: str = "signaturePad") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.canvas = SignatureCanvas(self)
        self.canvas.strokes_changed.connect(self.changed)
        clear = QPushButton("Clear")
        clear.setObjectName(f"{name}Clear")
        clear.clicked.connect(self.canvas.clear)
        undo = QPushButton("Undo stroke")
        undo.setObjectName(f"{name}Undo")
        undo.clicked.connect(self.canvas.undo_stroke)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(undo)
        buttons.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        layout.addLayout(buttons)

    def is_empty(self) -> bool:
        return self.canvas.is_empty()

    def clear(self) -> None:
        self.canvas.clear()

    def to_png(self) -> bytes | None:
        return self.canvas.to_png()
