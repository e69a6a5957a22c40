"""Paint stored mark-up shapes with QPainter (thumbnails, the editor preview)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF

from homeassess.domain.annotations import Shape, ShapeKind


def paint_shapes(painter: QPainter, shapes: list[Shape], width: float, height: float) -> None:
    long_edge = max(width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for shape in shapes:
        colour = QColor(shape.colour)
        stroke = max(1.5, shape.width * long_edge)
        painter.setPen(QPen(colour, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pts = [QPointF(x * width, y * height) for x, y in shape.points]
        if shape.kind in (ShapeKind.ARROW, ShapeKind.MEASURE):
            painter.drawLine(pts[0], pts[1])
            if shape.kind is ShapeKind.ARROW:
                _arrow_head(painter, pts[0], pts[1], stroke * 5, colour)
        elif shape.kind is ShapeKind.ELLIPSE:
            painter.drawEllipse(QRectF(pts[0], pts[1]).normalized())
        elif shape.kind is ShapeKind.RECT:
            painter.drawRect(QRectF(pts[0], pts[1]).normalized())
        elif shape.kind is ShapeKind.FREEHAND:
            painter.drawPolyline(QPolygonF(pts))
        if shape.kind in (ShapeKind.TEXT, ShapeKind.MEASURE):
            at = pts[0] if shape.kind is ShapeKind.TEXT else (pts[0] + pts[1]) / 2
            _label(painter, at, shape.text, colour, max(7.0, long_edge * 0.028))
    painter.restore()


def _arrow_head(painter: QPainter, a: QPointF, b: QPointF, length: float, colour: QColor) -> None:
    angle = math.atan2(b.y() - a.y(), b.x() - a.x())
    head = QPolygonF([b] + [QPointF(b.x() - length * math.cos(angle + s), b.y() - length * math.sin(angle + s))
                            for s in (0.45, -0.45)])
    painter.setBrush(QBrush(colour))
    painter.drawPolygon(head)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _label(painter: QPainter, at: QPointF, text: str, colour: QColor, size: float) -> None:
    font = QFont()
    font.setPixelSize(max(7, round(size)))
    font.setBold(True)
    painter.setFont(font)
    rect = painter.fontMetrics().boundingRect(text).toRectF()
    rect.moveCenter(at)
    pad = size / 4
    painter.setPen(QPen(colour, max(1.0, size / 10)))
    painter.setBrush(QBrush(QColor("white")))
    painter.drawRect(rect.adjusted(-pad, -pad, pad, pad))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.setBrush(Qt.BrushStyle.NoBrush)
