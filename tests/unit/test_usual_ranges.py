"""Usual ranges (``typical``) of the latest checklists: wide enough for every real home, narrow enough for slips.

A number outside an item's usual range is kept only once the therapist confirms it ("6600 mm is unusual for
clear width of the door ... Keep it?"). So every threshold a check uses, every value a scenario or the demo
records, must lie inside the range (a real case is never asked), the range must lie inside the hard limits,
and the common slips (inches typed in a metric visit, an extra zero) must fall outside it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.domain.checklist import Item, ItemKind, Limit
from homeassess.domain.plausibility import COUNT_LIMIT, unusual, usual_range
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.units import MM_PER_INCH, PLAUSIBLE, parse_measurement
from homeassess.services.context import AppContext

REGISTRY = Registry.load()
SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios" / "data").glob("*.toml"))
PROFILES = (StandardProfile.US, StandardProfile.UK, StandardProfile.AU)


def numeric_items() -> list[Item]:
    return [item for checklist in REGISTRY.room_types() for item in checklist.items
            if item.kind in (ItemKind.MEASURE, ItemKind.COUNT)]


ITEMS = {item.id: item for item in numeric_items()}


def _limits(item: Item) -> list[tuple[str, float]]:
    """Every fixed threshold of the item's checks, for each standard (client-relative limits are skipped)."""
    out: list[tuple[str, float]] = []
    for n, check in enumerate(item.checks):
        limits: list[tuple[str, Limit]] = []
        if check.below is not None:
            limits.append(("below", check.below))
        if check.above is not None:
            limits.append(("above", check.above))
        if check.outside is not None:
            limits += [("outside low", check.outside[0]), ("outside high", check.outside[1])]
        for kind, limit in limits:
            if limit.client_measure is not None:
                continue
            values = dict(limit.per_profile)
            for profile in PROFILES:
                value = values.get(profile)
                if value is not None:
                    out.append((f"check {n} {kind} ({profile.value})", value))
    return out


def test_there_are_measure_and_count_items_and_each_states_its_usual_range() -> None:
    assert len(ITEMS) > 50
    missing = sorted(i for i, item in ITEMS.items() if item.typical is None)
    assert not missing, f"measure/count items without a typical range: {missing}"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_every_threshold_of_the_checks_is_a_usual_value(item_id: str) -> None:
    item = ITEMS[item_id]
    low, high = usual_range(item)
    outside = [f"{where}: {value:g}" for where, value in _limits(item) if not low <= value <= high]
    assert not outside, f"{item_id} usual range {low:g}–{high:g} excludes thresholds {outside}"


@pytest.mark.parametrize("item_id", sorted(ITEMS))
def test_the_usual_range_lies_within_the_hard_limits(item_id: str) -> None:
    item = ITEMS[item_id]
    low, high = usual_range(item)
    hard_low, hard_high = (0, COUNT_LIMIT) if item.kind is ItemKind.COUNT else PLAUSIBLE[item.quantity]
    assert hard_low <= low < high <= hard_high
    if item.kind is ItemKind.COUNT:
        assert low == int(low) and high == int(high), "a count's range is whole numbers"


def _scenario_values() -> list[tuple[str, str, str, float]]:
    """(scenario, item id, as written, canonical value) for every measure or count answer of every scenario."""
    out = []
    for path in SCENARIOS:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        units = DisplayUnits(data.get("visit", {}).get("units", "metric"))
        for room in data.get("rooms", []):
            for item_id, raw in room.get("answers", {}).items():
                item = ITEMS.get(item_id)
                if item is None or raw == "na":
                    continue
                if item.kind is ItemKind.COUNT:
                    number = float(raw)
                else:
                    number = parse_measurement(str(raw), item.quantity, units, field=item_id)
                out.append((path.stem, item_id, str(raw), number))
    return out


SCENARIO_VALUES = _scenario_values()


def test_the_scenarios_record_measurements() -> None:
    assert len(SCENARIOS) >= 20 and len(SCENARIO_VALUES) >= 50


@pytest.mark.parametrize(("scenario", "item_id", "written", "number"), SCENARIO_VALUES,
                         ids=[f"{s}:{i}={w}" for s, i, w, _ in SCENARIO_VALUES])
def test_every_scenario_measurement_is_usual(scenario: str, item_id: str, written: str, number: float) -> None:
    assert unusual(ITEMS[item_id], number) is None, f"{scenario}: {item_id} = {written} ({number:g}) would ask"


def test_every_number_the_demo_records_is_usual(demo_ctx: tuple[AppContext, str]) -> None:
    ctx, assessment_id = demo_ctx
    with ctx.uow(read_only=True) as uow:
        rows = list(uow.session.scalars(select(m.Answer).join(m.Room, m.Answer.room_id == m.Room.id).where(
            m.Room.assessment_id == assessment_id, m.Answer.number.is_not(None))))
        recorded = [(row.item_id, row.number) for row in rows]
    assert len(recorded) >= 30
    asked = [f"{item_id} = {number:g}" for item_id, number in recorded
             if item_id in ITEMS and unusual(ITEMS[item_id], number) is not None]
    assert not asked, f"the demo records unusual values: {asked}"


DOORS = sorted(i for i in ITEMS if i.endswith("door_width"))
SEATS = ["living_room.chair_height", "living_room.sofa_height", "toilet.seat_height", "bathroom.shower_seat_height",
         "bedroom.bed_height", "garage.car_seat_height", "workplace_access.toilet_seat_height"]


@pytest.mark.parametrize("item_id", DOORS)
def test_a_6600_mm_door_and_a_door_typed_in_inches_are_unusual(item_id: str) -> None:
    door = ITEMS[item_id]
    assert unusual(door, 6600) is not None
    assert unusual(door, 30) is not None and unusual(door, 36) is not None     # 30 in, 36 in typed as mm
    assert unusual(door, 32 * MM_PER_INCH) is None and unusual(door, 815) is None


@pytest.mark.parametrize("item_id", SEATS)
def test_a_seat_height_typed_in_inches_is_unusual(item_id: str) -> None:
    seat = ITEMS[item_id]
    assert unusual(seat, 17) is not None and unusual(seat, 19) is not None     # 17 in, 19 in typed as mm
    assert unusual(seat, 17 * MM_PER_INCH) is None and unusual(seat, 4600) is not None   # an extra zero


def test_common_slips_are_unusual_for_other_items() -> None:
    slips = {
        "stairs.riser": [7, 1900],                      # 7 in typed as mm; an extra zero
        "stairs.going": [10, 2500],
        "stairs.rail_height": [36, 9000],
        "entrance.step_height": [7, 1800],
        "bathroom.rim_height": [18, 5000],
        "kitchen.worktop_height": [36, 9000],
        "hallway.width": [36, 9000],
        "bathroom.water_temp": [95, 10],                # °F typed as °C; 50 °C typed as °F (10 °C)
        "whole_house.hot_water": [95, 10],
        "workplace_access.lifting_index": [34],         # 3.4 without its point
        "stairs.count": [130],
    }
    for item_id, numbers in slips.items():
        for number in numbers:
            assert unusual(ITEMS[item_id], number) is not None, f"{item_id} = {number:g} should ask"
