"""Is a recorded number possible, and is it usual? One definition for the screen, the services and imports.

Hard limits (``units.PLAUSIBLE``) are typing mistakes: refused with the reason. Soft limits are what a home
usually measures: outside them the value is kept only once the therapist confirms it ("6600 mm is unusual for
the clear width of the door — keep it?"). An item states its own usual range in the checklist (``typical``,
canonical units); otherwise its quantity's default below applies.
"""

from __future__ import annotations

from homeassess.domain.checklist import Item, ItemKind, Quantity
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.units import PLAUSIBLE, format_value

# What homes and workplaces usually measure, in canonical units (mm, °C, % gradient, lux, N, kg, °, index).
USUAL: dict[Quantity | None, tuple[float, float]] = {
    Quantity.LENGTH: (5.0, 12000.0),   # an item gives its own range (doors, seat heights); this is the fallback
    Quantity.TEMPERATURE: (10.0, 70.0),
    Quantity.SLOPE: (0.0, 35.0),
    Quantity.LIGHT: (1.0, 2000.0),
    Quantity.FORCE: (2.0, 150.0),
    Quantity.WEIGHT: (0.5, 60.0),
    Quantity.ANGLE: (0.0, 90.0),
    Quantity.INDEX: (0.0, 5.0),
    None: (0.0, 50.0),   # counts: steps, lifts, items
}
COUNT_LIMIT = 10000


def _shown(value: float, item: Item, units: DisplayUnits) -> str:
    return format_value(value, item.quantity, units) if item.quantity is not None else f"{value:g}"


def impossible(item: Item, number: float, units: DisplayUnits = DisplayUnits.METRIC) -> str | None:
    """Why ``number`` cannot be an answer to ``item`` (refused), or None."""
    if item.kind is ItemKind.COUNT:
        if number < 0 or number != int(number) or number > COUNT_LIMIT:
            return f"a count must be a whole number from 0 to {COUNT_LIMIT}"
        return None
    low, high = PLAUSIBLE[item.quantity]
    if not low <= number <= high:
        return (f"{_shown(number, item, units)} is outside the possible range "
                f"({_shown(low, item, units)} to {_shown(high, item, units)})")
    return None


def usual_range(item: Item) -> tuple[float, float]:
    return item.typical or USUAL[item.quantity]


def unusual(item: Item, number: float, units: DisplayUnits = DisplayUnits.METRIC) -> str | None:
    """The question to ask before keeping ``number`` for ``item``, or None when it is usual."""
    low, high = usual_range(item)
    if low <= number <= high:
        return None
    what = item.prompt[0].lower() + item.prompt[1:]
    return (f"{_shown(number, item, units)} is unusual for {what} (usually {_shown(low, item, units)} to "
            f"{_shown(high, item, units)}). Keep it?")
