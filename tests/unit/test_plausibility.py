"""Measurements as tape measures are read, and numbers that are impossible or only unusual (issue 12)."""

from __future__ import annotations

import pytest

from homeassess.domain.checklist import Item, ItemKind, Quantity
from homeassess.domain.errors import ValidationError
from homeassess.domain.plausibility import impossible, unusual, usual_range
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.units import parse_measurement

DOOR = Item(id="toilet.door_width", section="Door", prompt="Clear width of the door", kind=ItemKind.MEASURE,
            quantity=Quantity.LENGTH, typical=(500.0, 1300.0))
STEPS = Item(id="stairs.count", section="Use", prompt="Number of steps", kind=ItemKind.COUNT)


@pytest.mark.parametrize(("typed", "mm"), [
    ('27 1/2"', 698.5), ("27½", 698.5), ("27 ½ in", 698.5), ("5' 3\"", 1600.2), ("5 ft 3 in", 1600.2),
    ("5′ 3½″", 1612.9), ('1/2"', 12.7), ("760 mm", 760.0), ("0,76 m", 760.0), ("76 cm", 760.0),
])
def test_lengths_are_read_with_fractions_and_feet_and_inches(typed: str, mm: float) -> None:
    assert parse_measurement(typed, Quantity.LENGTH, DisplayUnits.IMPERIAL) == pytest.approx(mm, abs=0.05)


@pytest.mark.parametrize("typed", ["27 1/0", "1/", "five feet", "27 1/2 furlongs"])
def test_what_is_not_a_measurement_is_refused_with_the_reason(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_measurement(typed, Quantity.LENGTH, DisplayUnits.IMPERIAL)
    assert "is not a measurement" in caught.value.errors[0].message


def test_temperatures_in_either_scale() -> None:
    assert parse_measurement("120 °F", Quantity.TEMPERATURE, DisplayUnits.METRIC) == pytest.approx(48.9, abs=0.05)
    assert parse_measurement("49", Quantity.TEMPERATURE, DisplayUnits.METRIC) == 49.0


def test_an_unusual_door_asks_first_and_an_impossible_one_is_refused() -> None:
    assert unusual(DOOR, 800) is None
    question = unusual(DOOR, 6600)
    assert question == ("6600 mm is unusual for clear width of the door (usually 500 mm to 1300 mm). Keep it?")
    assert "in" in unusual(DOOR, 6600, DisplayUnits.IMPERIAL)
    assert impossible(DOOR, 6600) is None and "possible range" in impossible(DOOR, 40000)


def test_counts_are_whole_and_a_default_range_applies_without_a_typical_one() -> None:
    assert impossible(STEPS, 2.5) and impossible(STEPS, -1) and impossible(STEPS, 12) is None
    assert usual_range(STEPS) == (0.0, 50.0) and unusual(STEPS, 80) is not None
