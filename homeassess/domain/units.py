"""Parse measurements typed in either unit system and format canonical values for display.

Canonical units (REFERENCE, "Units convention"): length mm, temperature °C, slope percent
gradient, light lux, force newtons, weight kg, angle degrees. Where the ADA publishes its own
metric figure (32 in = 815 mm) imperial display uses the published inch value (§3.14).
"""

from __future__ import annotations

import math
import re

from homeassess.domain.checklist import Quantity
from homeassess.domain.errors import FieldError, ValidationError
from homeassess.domain.profiles import DisplayUnits

MM_PER_INCH = 25.4
LUX_PER_FOOTCANDLE = 10.764
NEWTONS_PER_LBF = 4.448
KG_PER_LB = 0.45359237

# REFERENCE §3.14: ADA published metric equivalents, mm -> inches.
ADA_PUBLISHED_INCHES = {
    6.4: 0.25, 13: 0.5, 38: 1.5, 100: 4, 150: 6, 180: 7, 230: 9, 280: 11, 305: 12, 380: 15, 430: 17,
    485: 19, 510: 20, 610: 24, 635: 25, 685: 27, 710: 28, 760: 30, 815: 32, 840: 33, 865: 34,
    915: 36, 965: 38, 1065: 42, 1120: 44, 1220: 48, 1370: 54, 1420: 56, 1500: 59, 1525: 60,
}

# Values outside these canonical ranges are typing mistakes, not measurements of a home.
PLAUSIBLE = {
    Quantity.LENGTH: (0.0, 30000.0),
    Quantity.TEMPERATURE: (0.0, 100.0),
    Quantity.SLOPE: (0.0, 100.0),
    Quantity.LIGHT: (0.0, 100000.0),
    Quantity.FORCE: (0.0, 5000.0),
    Quantity.WEIGHT: (0.0, 500.0),
    Quantity.ANGLE: (0.0, 180.0),
    Quantity.INDEX: (0.0, 100.0),
}

# A number may carry a fraction, as tape measures are read: "27 1/2", "1/2" (and "27½", see _FRACTIONS).
_NUMBER = r"(\d+(?:[.,]\d+)?(?:\s+\d+/\d+)?|\d+/\d+|[.,]\d+)"
_FRACTIONS = {"½": " 1/2", "¼": " 1/4", "¾": " 3/4", "⅛": " 1/8", "⅜": " 3/8", "⅝": " 5/8", "⅞": " 7/8",
              "⅓": " 1/3", "⅔": " 2/3", "″": '"', "′": "'", "”": '"', "’": "'"}
_FEET_INCHES = re.compile(rf"^{_NUMBER}\s*(?:ft|feet|foot|')\s*(?:{_NUMBER}\s*(?:in|inch|inches|\")?)?$")
_VALUE_UNIT = re.compile(rf"^{_NUMBER}\s*([a-z°%\"']*)$")
_RATIO = re.compile(r"^1\s*:\s*(\d+(?:\.\d+)?)$")

_UNITS: dict[Quantity, dict[str, float | str]] = {
    Quantity.LENGTH: {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": MM_PER_INCH, "inch": MM_PER_INCH,
                      "inches": MM_PER_INCH, '"': MM_PER_INCH, "ft": 304.8, "'": 304.8},
    Quantity.TEMPERATURE: {"c": "C", "°c": "C", "°": "C", "f": "F", "°f": "F"},
    Quantity.SLOPE: {"%": 1.0, "°": "deg", "deg": "deg", "degrees": "deg"},
    Quantity.LIGHT: {"lx": 1.0, "lux": 1.0, "fc": LUX_PER_FOOTCANDLE},
    Quantity.FORCE: {"n": 1.0, "lbf": NEWTONS_PER_LBF, "lb": NEWTONS_PER_LBF},
    Quantity.WEIGHT: {"kg": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB},
    Quantity.ANGLE: {"°": 1.0, "deg": 1.0, "degrees": 1.0},
    Quantity.INDEX: {"": 1.0},
}
_DEFAULT_UNIT = {
    (Quantity.LENGTH, DisplayUnits.METRIC): "mm", (Quantity.LENGTH, DisplayUnits.IMPERIAL): "in",
    (Quantity.TEMPERATURE, DisplayUnits.METRIC): "c", (Quantity.TEMPERATURE, DisplayUnits.IMPERIAL): "f",
    (Quantity.LIGHT, DisplayUnits.METRIC): "lx", (Quantity.LIGHT, DisplayUnits.IMPERIAL): "fc",
    (Quantity.FORCE, DisplayUnits.METRIC): "n", (Quantity.FORCE, DisplayUnits.IMPERIAL): "lbf",
    (Quantity.WEIGHT, DisplayUnits.METRIC): "kg", (Quantity.WEIGHT, DisplayUnits.IMPERIAL): "lb",
}


def _num(text: str) -> float:
    whole, _, fraction = text.strip().rpartition(" ") if "/" in text else (text, "", "")
    if "/" in (fraction or whole):
        top, _, bottom = (fraction or whole).partition("/")
        if float(bottom) == 0:
            raise ValueError("a fraction cannot have 0 below the line")
        return (float(whole.replace(",", ".")) if fraction and whole else 0.0) + float(top) / float(bottom)
    return float(text.replace(",", "."))


def _convert(quantity: Quantity, value: float, unit: str) -> float:
    factor = _UNITS[quantity].get(unit)
    if factor is None:
        known = ", ".join(sorted({u for u in _UNITS[quantity] if u.isalpha() or u == "%"}))
        raise ValueError(f"unknown unit {unit!r} (use {known})")
    if factor == "C":
        return value
    if factor == "F":
        return (value - 32.0) * 5.0 / 9.0
    if factor == "deg":
        return math.tan(math.radians(value)) * 100.0
    return value * float(factor)


def parse_measurement(text: str, quantity: Quantity, units: DisplayUnits, field: str = "value") -> float:
    """Parse what a therapist typed into a canonical value.

    A bare number is read in the visit's display units (mm or inches, °C or °F, ...).
    Raises ValidationError with a message the form can show beside the field.
    """
    raw = text.strip().lower().replace("º", "°")
    for symbol, plain in _FRACTIONS.items():
        raw = raw.replace(symbol, plain)
    raw = re.sub(r"\s+", " ", raw).strip()
    try:
        value = _parse(raw, quantity, units)
    except ValueError as exc:
        raise ValidationError([FieldError(field, f"“{text.strip()}” is not a measurement: {exc}")]) from None
    low, high = PLAUSIBLE[quantity]
    if not low <= value <= high:
        shown = f"{format_value(low, quantity, units)} to {format_value(high, quantity, units)}"
        raise ValidationError([FieldError(field, f"“{text.strip()}” is outside the possible range ({shown})")])
    return value


def _parse(raw: str, quantity: Quantity, units: DisplayUnits) -> float:
    if not raw:
        raise ValueError("it is empty")
    if quantity is Quantity.SLOPE and (ratio := _RATIO.match(raw)):
        run = float(ratio.group(1))
        if run <= 0:
            raise ValueError("the run must be more than 0")
        return 100.0 / run
    if quantity is Quantity.LENGTH and (fi := _FEET_INCHES.match(raw)):
        return _num(fi.group(1)) * 304.8 + (_num(fi.group(2)) * MM_PER_INCH if fi.group(2) else 0.0)
    match = _VALUE_UNIT.match(raw)
    if not match:
        raise ValueError("type a number, optionally with a unit")
    value, unit = _num(match.group(1)), match.group(2)
    if not unit:
        unit = "" if quantity is Quantity.INDEX else \
            _DEFAULT_UNIT.get((quantity, units), "%" if quantity is Quantity.SLOPE else "°")
    return _convert(quantity, value, unit)


def _trim(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float, quantity: Quantity, units: DisplayUnits) -> str:
    """Display a canonical value, e.g. ``815 mm`` or ``32 in``, ``1:12 (8.3 %)``."""
    imperial = units is DisplayUnits.IMPERIAL
    if quantity is Quantity.LENGTH:
        if not imperial:
            return f"{_trim(value, 1 if value < 100 and value % 1 else 0)} mm"
        inches = ADA_PUBLISHED_INCHES.get(round(value, 1), value / MM_PER_INCH)
        return f"{_trim(inches, 1)} in"
    if quantity is Quantity.TEMPERATURE:
        return f"{_trim(value * 9 / 5 + 32, 0)} °F" if imperial else f"{_trim(value, 1)} °C"
    if quantity is Quantity.SLOPE:
        return f"1:{_trim(100 / value, 1)} ({_trim(value, 1)} %)" if value > 0 else "level (0 %)"
    if quantity is Quantity.LIGHT:
        return f"{_trim(value / LUX_PER_FOOTCANDLE, 0)} fc" if imperial else f"{_trim(value, 0)} lx"
    if quantity is Quantity.FORCE:
        return f"{_trim(value / NEWTONS_PER_LBF, 1)} lbf" if imperial else f"{_trim(value, 1)} N"
    if quantity is Quantity.WEIGHT:
        return f"{_trim(value / KG_PER_LB, 0)} lb" if imperial else f"{_trim(value, 1)} kg"
    if quantity is Quantity.INDEX:
        return _trim(value, 1)
    return f"{_trim(value, 1)}°"


def format_both(value: float, quantity: Quantity, primary: DisplayUnits) -> str:
    """Primary unit first with the other in brackets, e.g. ``760 mm (30 in)``."""
    other = DisplayUnits.IMPERIAL if primary is DisplayUnits.METRIC else DisplayUnits.METRIC
    first, second = format_value(value, quantity, primary), format_value(value, quantity, other)
    return first if quantity in (Quantity.SLOPE, Quantity.ANGLE, Quantity.INDEX) or first == second \
        else f"{first} ({second})"


def length_text(mm: float, units: DisplayUnits) -> str:
    """A length for a calculation in the visit's units: ``740 mm``; imperial inches first, feet for
    long runs, with the millimetres after (``29.1 in (740 mm)``, ``31 ft 3 in (9530 mm)``)."""
    if units is not DisplayUnits.IMPERIAL:
        return f"{mm:.0f} mm"
    inches = mm / MM_PER_INCH
    if inches >= 72:
        feet, rest = divmod(round(inches), 12)
        return f"{feet} ft {rest} in ({mm:.0f} mm)" if rest else f"{feet} ft ({mm:.0f} mm)"
    return f"{_trim(inches, 1)} in ({mm:.0f} mm)"
