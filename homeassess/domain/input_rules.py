"""What may be stored as a number or a date: one table of limits per quantity, used by services and widgets.

A number is finite (never NaN or infinite), a real number (not yes/no, not text that is not a number) and
within its quantity's hard limits, outside which it is a typing mistake and refused. Within them, a value
outside the soft (usual) limits is kept only once the person confirms it (UnusualValueError). Counts are
whole numbers from 0 to ``COUNT_LIMIT``; lengths are never negative; money is never negative. The widgets
take their ranges from ``NUMBERS`` (a spin box's maximum is the rule's ``high``), so a screen cannot accept
what a service refuses. Checklist answers add each item's own usual range (``plausibility.py``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from homeassess.domain.checklist import Quantity
from homeassess.domain.errors import FieldError, UnusualValueError, ValidationError
from homeassess.domain.units import PLAUSIBLE


@dataclass(frozen=True, slots=True)
class NumberRule:
    """Hard limits (refused outside), optional usual limits (asked about outside), a unit for messages."""

    label: str
    low: float
    high: float
    unit: str = ""
    whole: bool = False
    usual: tuple[float, float] | None = None

    def shown(self, value: float) -> str:
        return f"{number_text(value)} {self.unit}".strip()


COUNT_LIMIT = 10000
# What homes and workplaces usually measure, in canonical units (mm, °C, % gradient, lux, N, kg, °, index);
# an item states its own usual range in the checklist (``typical``), else its quantity's applies.
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
MONEY_LIMIT = 1_000_000      # one line of an order, a supplier's price
BUDGET_LIMIT = 10_000_000    # a visit's budget cap

#: Every number a person types outside a checklist answer, by field; checklist measures use ``quantity_rule``.
NUMBERS: dict[str, NumberRule] = {
    "count": NumberRule("A count", 0, COUNT_LIMIT, whole=True, usual=USUAL[None]),
    # The client's body and aids (REFERENCE §3.10 typical heights): outside these it is a typing mistake.
    "knee_height_mm": NumberRule("Knee height", 250, 750, "mm"),
    "weight_kg": NumberRule("Weight", 10, 400, "kg"),
    "height_mm": NumberRule("Height", 500, 2500, "mm"),
    "aid_width_mm": NumberRule("Aid width", 250, 1200, "mm"),
    "aid_length_mm": NumberRule("Aid length", 250, 2000, "mm"),
    "aid_swl_kg": NumberRule("A rated load (safe working load)", 20, 500, "kg"),
    "falls_last_12_months": NumberRule("Falls", 0, 365, whole=True),
    "falls_since_last_visit": NumberRule("Falls since the last visit", 0, 365, whole=True),
    "fes_i_total": NumberRule("The FES-I total", 16, 64, whole=True),
    "gas_weight": NumberRule("A goal's weight", 1, 9, whole=True),
    "order_quantity": NumberRule("Quantity", 1, 99, whole=True),
    "cost_estimate": NumberRule("A cost estimate", 0, MONEY_LIMIT),
    "unit_price": NumberRule("A price", 0, MONEY_LIMIT),
    "budget_cap": NumberRule("A budget cap", 0, BUDGET_LIMIT),
    "product_swl_kg": NumberRule("A safe working load", 10, 1000, "kg"),
    "fit_height_mm": NumberRule("A fixing height above the floor", 0, 3000, "mm"),
    "overdue_weeks": NumberRule("Weeks", 1, 104, whole=True),
}

_UNITS = {Quantity.LENGTH: "mm", Quantity.TEMPERATURE: "°C", Quantity.SLOPE: "%", Quantity.LIGHT: "lux",
          Quantity.FORCE: "N", Quantity.WEIGHT: "kg", Quantity.ANGLE: "°", Quantity.INDEX: ""}


def quantity_rule(quantity: Quantity, label: str = "A measurement") -> NumberRule:
    """A checklist measurement's limits in canonical units: ``units.PLAUSIBLE`` hard, ``USUAL`` soft."""
    low, high = PLAUSIBLE[quantity]
    return NumberRule(label, low, high, _UNITS[quantity], usual=USUAL[quantity])


def number_text(value: float) -> str:
    """A number for a message: ``850``, ``2.5``, ``1,000,000``; an absurd one stays short (``1e+308``)."""
    if abs(value) >= 1e9:
        return f"{value:.3g}"
    if value == int(value):
        return f"{int(value):,}" if abs(value) >= 100_000 else str(int(value))
    return f"{value:g}"


# Plain decimal numbers only: "nan", "inf", "1_000" and "0x10" are not something a person measured.
_NUMERIC = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError([FieldError(field, message)])


def _quoted(text: str) -> str:
    text = text.strip()
    return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”"


def as_number(value: object, *, field: str, label: str = "The value") -> float:
    """``value`` (int, float, Decimal or a numeric string) as a finite float, or ValidationError in plain
    words: never a raw TypeError or ValueError, never NaN or infinity."""
    if isinstance(value, bool):
        raise _refuse(field, f"{label} must be a number, not yes or no")
    if isinstance(value, str):
        if not _NUMERIC.fullmatch(value.strip()):
            raise _refuse(field, f"{_quoted(value)} is not a number")
        value = Decimal(value.strip())
    if not isinstance(value, (int, float, Decimal)):
        raise _refuse(field, f"{label} must be a number")
    try:
        number = float(value)
    except (OverflowError, ValueError, InvalidOperation):   # a huge int, a signalling NaN
        number = math.nan
    if not math.isfinite(number):
        raise _refuse(field, f"{label} must be an ordinary number (not infinite, not “not a number”)")
    return number


def range_text(rule: NumberRule) -> str:
    """"between 10 and 400 kg", or "a whole number from 0 to 365"."""
    low, high = number_text(rule.low), number_text(rule.high)
    unit = f" {rule.unit}" if rule.unit else ""
    return f"a whole number from {low} to {high}{unit}" if rule.whole else f"between {low} and {high}{unit}"


def check_number(value: object, *, field: str, rule: NumberRule | str | None = None,
                 quantity: Quantity | None = None, confirm_unusual: bool = False) -> float:
    """``value`` checked against its rule (a ``NUMBERS`` key, a NumberRule, or a checklist ``quantity``).

    Returns the number (an int when the rule is whole). Refuses (ValidationError) what is not a finite
    number or is outside the hard limits; raises UnusualValueError with the question to ask when it is
    outside the usual limits, unless ``confirm_unusual``."""
    if isinstance(rule, str):
        rule = NUMBERS[rule]
    if rule is None:
        if quantity is None:
            raise TypeError("check_number needs a rule or a quantity")
        rule = quantity_rule(quantity)
    number = as_number(value, field=field, label=rule.label)
    if not rule.low <= number <= rule.high or (rule.whole and number != int(number)):
        raise _refuse(field, f"{rule.label} must be {range_text(rule)}")
    if rule.usual is not None and not confirm_unusual and not rule.usual[0] <= number <= rule.usual[1]:
        low, high = rule.usual
        raise UnusualValueError([FieldError(field, f"{rule.shown(number)} is unusual for {rule.label.lower()} "
                                                   f"(usually {number_text(low)} to {rule.shown(high)}). Keep it?")])
    return int(number) if rule.whole else number


def check_optional(value: object, *, field: str, rule: NumberRule | str) -> float | None:
    """``check_number`` where None (or an empty string) means "not given"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_number(value, field=field, rule=rule, confirm_unusual=True)


_MONEY_SIGNS = re.compile(r"^\s*(?:A\$|AU\$|US\$|[£$€])?\s*|\s*(?:GBP|USD|AUD|EUR)?\s*$", re.IGNORECASE)


def parse_amount(text: str, *, field: str, rule: NumberRule | str) -> float | None:
    """What a person typed for an amount or a length ("£1,250.50", "1250", "900 mm"): the number checked
    against its rule, None for an empty field. Thousands separators and a leading currency sign are allowed."""
    raw = _MONEY_SIGNS.sub("", text).replace(",", "")
    rule = NUMBERS[rule] if isinstance(rule, str) else rule
    if rule.unit and raw.lower().endswith(rule.unit.lower()):
        raw = raw[: -len(rule.unit)]
    if not raw.strip():
        if text.strip():
            raise _refuse(field, f"{_quoted(text)} is not a number")
        return None
    try:
        return check_number(raw, field=field, rule=rule, confirm_unusual=True)
    except ValidationError as exc:
        if "is not a number" in exc.errors[0].message:
            raise _refuse(field, f"{_quoted(text)} is not a number") from None
        raise


# -- dates ------------------------------------------------------------------------------------------------
EARLIEST_DATE = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class DateRule:
    """A date is never before 1900 (or ``years_back`` years ago) nor more than ``days_ahead`` days ahead."""

    label: str
    days_ahead: int
    years_back: int | None = None


DATES: dict[str, DateRule] = {
    "date_of_birth": DateRule("Date of birth", 0, years_back=120),
    "visit_date": DateRule("The visit date", 366),
    "signed_on": DateRule("The sign-off date", 366),
    "status_date": DateRule("The date", 366),   # ordered, installed …: the lifecycle refuses a future one itself
    "order_required_by": DateRule("The required-by date", 3 * 366),
}


def _ahead_text(days: int) -> str:
    years = round(days / 366)
    return "in the future" if days == 0 else ("more than a year ahead" if years <= 1 else
                                             f"more than {years} years ahead")


def check_date(value: object, *, field: str, rule: DateRule | str, today: date) -> date:
    """``value`` (a date, or "YYYY-MM-DD") within its rule's bounds, or ValidationError in plain words."""
    rule = DATES[rule] if isinstance(rule, str) else rule
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise _refuse(field, f"{_quoted(value)} is not a date (write it as 1946-12-31)") from None
    if not isinstance(value, date):
        raise _refuse(field, f"{rule.label} must be a date")
    if (value - today).days > rule.days_ahead:
        raise _refuse(field, f"{rule.label} cannot be {_ahead_text(rule.days_ahead)}")
    if rule.years_back is not None and today.year - value.year > rule.years_back:
        raise _refuse(field, f"{rule.label} is more than {rule.years_back} years ago")
    if value < EARLIEST_DATE:
        raise _refuse(field, f"{rule.label} cannot be before {EARLIEST_DATE.year}")
    return value
