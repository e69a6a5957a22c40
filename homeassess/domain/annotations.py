"""Photo mark-up stored as shapes (non-destructive): the photo file is never changed.

Coordinates are fractions of the image width and height (0..1), so the same shapes draw on
the full photo, a thumbnail or the PDF copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.input_rules import as_number
from homeassess.domain.text_rules import TEXT_LIMITS, clean_text


class ShapeKind(StrEnum):
    ARROW = "arrow"
    ELLIPSE = "ellipse"
    RECT = "rect"
    FREEHAND = "freehand"
    TEXT = "text"
    MEASURE = "measure"  # a line with a label such as "step 190 mm"


POINTS_NEEDED = {ShapeKind.ARROW: 2, ShapeKind.ELLIPSE: 2, ShapeKind.RECT: 2, ShapeKind.TEXT: 1,
                 ShapeKind.MEASURE: 2}
DEFAULT_COLOUR = "#E11D48"


@dataclass(frozen=True, slots=True)
class Shape:
    kind: ShapeKind
    points: tuple[tuple[float, float], ...]
    text: str = ""
    colour: str = DEFAULT_COLOUR
    width: float = 0.006  # stroke width as a fraction of the image's long edge

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "points": [list(p) for p in self.points], "text": self.text,
                "colour": self.colour, "width": self.width}


def _number(value: Any, what: str) -> float:
    try:
        return as_number(value, field="shape", label=what)
    except ValidationError as exc:
        raise ValueError(exc.errors[0].message) from None


def _point(raw: Any) -> tuple[float, float]:
    x, y = raw
    x, y = _number(x, "A point"), _number(y, "A point")
    if not (-0.05 <= x <= 1.05 and -0.05 <= y <= 1.05):
        raise ValueError("point outside the photo")
    return (min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0))


def shape_from_json(raw: dict[str, Any]) -> Shape:
    kind = ShapeKind(raw["kind"])
    points = tuple(_point(p) for p in raw["points"])
    needed = POINTS_NEEDED.get(kind)
    if (needed and len(points) != needed) or (kind is ShapeKind.FREEHAND and len(points) < 2):
        raise ValueError(f"a {kind.value} needs {needed or 'at least 2'} points")
    try:
        text = clean_text(raw.get("text", ""), field="shape", max_len=TEXT_LIMITS["title"], label="The label")
    except ValidationError as exc:
        raise ValueError(exc.errors[0].message) from None
    if kind in (ShapeKind.TEXT, ShapeKind.MEASURE) and not text.strip():
        raise ValueError(f"a {kind.value} needs its label")
    colour = str(raw.get("colour", DEFAULT_COLOUR))
    if not (len(colour) == 7 and colour.startswith("#")):
        raise ValueError("colour must look like #RRGGBB")
    width = _number(raw.get("width", 0.006), "The line width")
    if not 0 < width <= 0.1:
        raise ValueError("the line width must be more than 0 and at most a tenth of the photo")
    return Shape(kind, points, text, colour, width)


def parse_shapes(raw: list[dict[str, Any]]) -> list[Shape]:
    """Validate stored or submitted shapes; raises ValidationError naming the bad shape."""
    shapes, errors = [], []
    for n, item in enumerate(raw):
        try:
            shapes.append(shape_from_json(item))
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(FieldError(f"shape {n + 1}", str(exc)))
    if errors:
        raise ValidationError(errors)
    return shapes
