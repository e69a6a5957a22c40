from __future__ import annotations

import pytest

from homeassess.domain.checklist import Quantity
from homeassess.domain.errors import ValidationError
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.units import format_both, format_value, parse_measurement

M, I = DisplayUnits.METRIC, DisplayUnits.IMPERIAL


@pytest.mark.parametrize(("text", "units", "expected"), [
    ("760", M, 760.0), ("760 mm", I, 760.0), ("76 cm", M, 760.0), ("30", I, 762.0), ("30 in", M, 762.0),
    ('30"', M, 762.0), ("2 ft 6 in", M, 762.0), ("2'6\"", M, 762.0), ("0,9 m", M, 900.0), ("1.5 m", M, 1500.0),
])
def test_lengths_in_either_unit_are_stored_in_mm(text: str, units: DisplayUnits, expected: float) -> None:
    assert parse_measurement(text, Quantity.LENGTH, units) == pytest.approx(expected)


def test_temperatures_in_fahrenheit_are_stored_in_celsius() -> None:
    assert parse_measurement("120", Quantity.TEMPERATURE, I) == pytest.approx(48.889, abs=1e-3)
    assert parse_measurement("120 °F", Quantity.TEMPERATURE, M) == pytest.approx(48.889, abs=1e-3)
    assert parse_measurement("49", Quantity.TEMPERATURE, M) == 49.0


def test_slope_accepts_ratio_percent_and_degrees() -> None:
    assert parse_measurement("1:12", Quantity.SLOPE, M) == pytest.approx(8.333, abs=1e-3)
    assert parse_measurement("5%", Quantity.SLOPE, M) == 5.0
    assert parse_measurement("4.76°", Quantity.SLOPE, M) == pytest.approx(8.33, abs=0.01)


def test_light_force_weight_conversions() -> None:
    assert parse_measurement("28 fc", Quantity.LIGHT, M) == pytest.approx(301.4, abs=0.1)
    assert parse_measurement("5 lbf", Quantity.FORCE, M) == pytest.approx(22.24, abs=0.01)
    assert parse_measurement("176 lb", Quantity.WEIGHT, M) == pytest.approx(79.8, abs=0.1)


@pytest.mark.parametrize("text", ["", "abc", "12 furlongs", "-5", "1:0"])
def test_unreadable_input_gets_a_message(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_measurement(text, Quantity.LENGTH if text != "1:0" else Quantity.SLOPE, M, field="door")
    assert info.value.errors[0].field == "door"


def test_absurd_measurements_are_rejected() -> None:
    with pytest.raises(ValidationError, match="outside the possible range"):
        parse_measurement("76000", Quantity.LENGTH, M)
    with pytest.raises(ValidationError, match="outside the possible range"):
        parse_measurement("300 F", Quantity.TEMPERATURE, M)


def test_imperial_display_uses_ada_published_inches() -> None:
    assert format_value(815, Quantity.LENGTH, I) == "32 in"
    assert format_value(850, Quantity.LENGTH, I) == "33.5 in"
    assert format_both(760, Quantity.LENGTH, M) == "760 mm (30 in)"
    assert format_both(48, Quantity.TEMPERATURE, I) == "118 °F (48 °C)"
    assert format_value(100 / 12, Quantity.SLOPE, M) == "1:12 (8.3 %)"
