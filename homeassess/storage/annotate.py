"""Draw mark-up shapes onto a copy of a photo with Pillow (for reports and exports)."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from homeassess.domain.annotations import Shape, ShapeKind


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    path = resources.files("homeassess.resources") / "fonts" / "DejaVuSans-Bold.ttf"
    with resources.as_file(path) as file:
        return ImageFont.truetype(str(file), size)


def _xy(shape: Shape, w: int, h: int) -> list[tuple[float, float]]:
    return [(x * w, y * h) for x, y in shape.points]


def _label(draw: ImageDraw.ImageDraw, at: tuple[float, float], text: str, colour: str, size: int) -> None:
    font = _font(size)
    left, top, right, bottom = draw.textbbox(at, text, font=font, anchor="mm")
    pad = size // 4
    draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill="white", outline=colour, width=max(1, size // 10))
    draw.text(at, text, fill=colour, font=font, anchor="mm")


def _arrow_head(a: tuple[float, float], b: tuple[float, float], length: float) -> list[tuple[float, float]]:
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    return [b] + [(b[0] - length * math.cos(angle + s), b[1] - length * math.sin(angle + s)) for s in (0.45, -0.45)]


def draw_shapes(image: Image.Image, shapes: list[Shape]) -> Image.Image:
    """A new RGB image with the shapes drawn; the input is not modified."""
    out = image.convert("RGB") if image.mode != "RGB" else image.copy()
    w, h = out.size
    long_edge = max(w, h)
    draw = ImageDraw.Draw(out)
    for shape in shapes:
        stroke = max(2, round(shape.width * long_edge))
        pts = _xy(shape, w, h)
        text_size = max(12, round(long_edge * 0.028))
        if shape.kind is ShapeKind.ARROW:
            draw.line(pts, fill=shape.colour, width=stroke)
            draw.polygon(_arrow_head(pts[0], pts[1], stroke * 5), fill=shape.colour)
        elif shape.kind in (ShapeKind.ELLIPSE, ShapeKind.RECT):
            box = (min(pts[0][0], pts[1][0]), min(pts[0][1], pts[1][1]),
                   max(pts[0][0], pts[1][0]), max(pts[0][1], pts[1][1]))
            (draw.ellipse if shape.kind is ShapeKind.ELLIPSE else draw.rectangle)(box, outline=shape.colour,
                                                                                  width=stroke)
        elif shape.kind is ShapeKind.FREEHAND:
            draw.line(pts, fill=shape.colour, width=stroke, joint="curve")
        elif shape.kind is ShapeKind.TEXT:
            _label(draw, pts[0], shape.text, shape.colour, text_size)
        elif shape.kind is ShapeKind.MEASURE:
            draw.line(pts, fill=shape.colour, width=stroke)
            for end, other in ((pts[0], pts[1]), (pts[1], pts[0])):
                angle = math.atan2(other[1] - end[1], other[0] - end[0]) + math.pi / 2
                tick = (math.cos(angle) * stroke * 3, math.sin(angle) * stroke * 3)
                draw.line([(end[0] - tick[0], end[1] - tick[1]), (end[0] + tick[0], end[1] + tick[1])],
                          fill=shape.colour, width=stroke)
            mid = ((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2)
            _label(draw, mid, shape.text, shape.colour, text_size)
    return out
