"""Is a recorded number possible, and is it usual? One definition for the screen, the services and imports.

Hard limits (``units.PLAUSIBLE``) are typing mistakes: refused with the reason. Soft limits are what a home
usually measures: outside them the value is kept only once the therapist confirms it ("6600 mm is unusual for
the clear width of the door — keep it?"). An item states its own usual range in the checklist (``typical``,
canonical units); otherwise its quantity's default (``input_rules.USUAL``) applies.
"""

from __future__ import annotations

import math

from homeassess.domain.checklist import Item, ItemKind
from homeassess.domain.input_rules import COUNT_LIMIT, NUMBERS, USUAL, number_text, range_text
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.units import PLAUSIBLE, format_value

# The usual ranges and the count limit are the input rules' (input_rules.py), defined once for every field.
__all__ = ["COUNT_LIMIT", "USUAL", "impossible", "unusual", "usual_range"]


def _shown(value: float, item: Item, units: DisplayUnits) -> str:
    if item.quantity is None or abs(value) >= 1e9:   # an absurd number stays short in the message
        return number_text(value)
    return format_value(value, item.quantity, units)


def impossible(item: Item, number: float, units: DisplayUnits = DisplayUnits.METRIC) -> str | None:
    """Why ``number`` cannot be an answer to ``item`` (refused), or None."""
    if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
        return "the answer must be an ordinary number (not infinite, not “not a number”)"
    if item.kind is ItemKind.COUNT:
        if number < 0 or number != int(number) or number > COUNT_LIMIT:
            return f"{NUMBERS['count'].label} must be {range_text(NUMBERS['count'])}"   # as check_number says
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
