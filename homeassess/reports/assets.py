"""The HomeAssess mark for the report band, drawn as vector shapes (resources/icons/draw_mark.py draws the
same mark as the PNG window icon). Vector rather than the PNG: sharp at any zoom, a few hundred bytes, and
not one more image on every page for whoever counts the photos in a report."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

TEAL = Color(11 / 255, 79 / 255, 108 / 255)
AMBER = Color(245 / 255, 158 / 255, 11 / 255)
WHITE = Color(1, 1, 1)
GRID = 1024   # the mark's design grid, y downwards, as in draw_mark.py


def draw_mark(canvas: Canvas, x: float, y: float, size: float) -> None:
    """Draw the mark ``size`` points square with its lower-left corner at (x, y)."""
    k = size / GRID

    def pt(gx: float, gy: float) -> tuple[float, float]:
        return x + gx * k, y + (GRID - gy) * k

    canvas.saveState()
    canvas.setFillColor(WHITE)
    canvas.setStrokeColor(TEAL)
    canvas.setLineWidth(36 * k)
    canvas.roundRect(x + 34 * k, y + 34 * k, (GRID - 68) * k, (GRID - 68) * k, 192 * k, stroke=1, fill=1)
    house = canvas.beginPath()
    corners = [(512, 170), (850, 470), (770, 470), (770, 840), (254, 840), (254, 470), (174, 470)]
    house.moveTo(*pt(*corners[0]))
    for corner in corners[1:]:
        house.lineTo(*pt(*corner))
    house.close()
    canvas.setFillColor(TEAL)
    canvas.drawPath(house, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    canvas.roundRect(x + 440 * k, y + (GRID - 840) * k, 144 * k, 240 * k, 24 * k, stroke=0, fill=1)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    for colour, width in ((WHITE, 120), (AMBER, 70)):
        tick = canvas.beginPath()
        tick.moveTo(*pt(560, 470))
        tick.lineTo(*pt(650, 560))
        tick.lineTo(*pt(860, 330))
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(width * k)
        canvas.drawPath(tick, stroke=1, fill=0)
    canvas.restoreState()
