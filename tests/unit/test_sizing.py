"""Sizing rules with worked numbers in all three standard profiles (REFERENCE §2.14, §3.3, §3.10)."""

from __future__ import annotations

import pytest

from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.profiles import StandardProfile as SP
from homeassess.domain.sizing import door_fit, ramp, safe_working_load, seat_raise
from homeassess.domain.units import MM_PER_INCH


@pytest.mark.parametrize(("profile", "expected"), [(SP.UK, 100), (SP.AU, 100), (SP.US, 102)])
def test_raised_toilet_seat_from_knee_height(profile: SP, expected: int) -> None:
    result = seat_raise(what="toilet", knee_height_mm=520, current_height_mm=430, profile=profile)
    assert result.value_mm == expected
    assert result.calculation.startswith("knee height 520 mm − toilet 430 mm → 90 mm raise")


def test_hip_precautions_add_a_margin() -> None:
    result = seat_raise(what="toilet", knee_height_mm=520, current_height_mm=400, profile=SP.UK, hip_precautions=True)
    assert result.value_mm == 150 and "+ 20 mm hip margin" in result.calculation


def test_imperial_measurements_size_the_same_seat() -> None:
    result = seat_raise(what="toilet", knee_height_mm=20.5 * MM_PER_INCH, current_height_mm=15.5 * MM_PER_INCH,
                        profile=SP.US)
    assert result.value_mm == 152  # 5 in needed → the 6 in seat


def test_no_raise_and_too_much_raise() -> None:
    assert seat_raise(what="bed", knee_height_mm=500, current_height_mm=560, profile=SP.UK).value_mm == 0
    too_low = seat_raise(what="chair", knee_height_mm=560, current_height_mm=350, profile=SP.UK)
    assert not too_low.feasible and "high-seat chair" in too_low.alternative


@pytest.mark.parametrize(("profile", "rise", "length"), [
    # Slope plus the top and bottom landings of the profile: ADA 2 × 1525 mm, ADM 2 × 1200 mm, AS 2 × 1200 mm.
    # UK: gradient interpolated on the going, 1:12 at 2 m to 1:15 at 5 m, so 300 mm needs about 1:14.3.
    (SP.US, 300, 3600 + 3050), (SP.AU, 300, 4200 + 2400), (SP.UK, 150, 1800 + 2400), (SP.UK, 300, 4290 + 2400),
    (SP.UK, 500, 10000 + 2400),
])
def test_ramp_run_from_rise_and_gradient_with_landings(profile: SP, rise: float, length: float) -> None:
    result = ramp(rise_mm=rise, available_run_mm=20000, profile=profile)
    assert result.feasible and result.outcome == "fits"
    assert result.value_mm == pytest.approx(length, rel=0.03) and "landings" in result.calculation


def test_ramp_that_only_fits_without_its_landings_does_not_fit() -> None:
    # 540 mm at 1:12 is 6480 mm of slope; with two 1525 mm landings 9530 mm against 5000 mm measured.
    result = ramp(rise_mm=540, available_run_mm=5000, profile=SP.US, units=DisplayUnits.IMPERIAL)
    assert not result.feasible and result.outcome == "no_fit" and result.value_mm == 9530
    assert "31 ft 3 in (9530 mm)" in result.calculation and "16 ft 5 in (5000 mm)" in result.calculation
    assert "does not fit" in result.calculation and "lift" in result.alternative


def test_ramp_that_does_not_fit_offers_a_lift() -> None:
    result = ramp(rise_mm=600, available_run_mm=4000, profile=SP.US)
    assert not result.feasible and "lift" in result.alternative and "does not fit" in result.calculation


def test_us_ramp_over_760_mm_needs_a_landing() -> None:
    result = ramp(rise_mm=900, available_run_mm=30000, profile=SP.US)
    assert result.value_mm == 900 * 12 + 3 * 1525 and "1 intermediate landing" in result.calculation


def test_uk_rise_over_two_metres_needs_a_lift() -> None:
    assert not ramp(rise_mm=2100, available_run_mm=99000, profile=SP.UK).feasible


def test_door_fit_for_frame_and_wheelchair() -> None:
    assert door_fit(clear_width_mm=760, aid_width_mm=560, aid="walking frame").feasible
    short = door_fit(clear_width_mm=720, aid_width_mm=640, aid="wheelchair")
    assert not short.feasible and "20 mm short" in short.calculation and "offset" in short.alternative
    assert short.outcome == "short_minor" and "about 770 mm, which is enough" in short.calculation
    far = door_fit(clear_width_mm=650, aid_width_mm=640, aid="wheelchair")
    assert "widening" in far.alternative and far.outcome == "short_major"
    fits = door_fit(clear_width_mm=810, aid_width_mm=700, aid="powered wheelchair")
    assert fits.feasible and fits.outcome == "fits" and "10 mm spare" in fits.calculation


def test_sizing_text_follows_imperial_display_units() -> None:
    door = door_fit(clear_width_mm=762, aid_width_mm=635, aid="rollator", units=DisplayUnits.IMPERIAL)
    assert door.calculation.startswith("rollator 25 in (635 mm) + 2 × 2 in (50 mm) clearance = 28.9 in (735 mm)")
    seat = seat_raise(what="toilet", knee_height_mm=483, current_height_mm=381, profile=SP.US,
                      units=DisplayUnits.IMPERIAL)
    assert seat.setting == "4 in (102 mm) raise" and " mm " not in seat.calculation.split("(")[0]


@pytest.mark.parametrize(("knee", "seat", "raise_mm"), [(460, 400, 50), (520, 410, 100), (450, 300, 150)])
def test_raise_is_the_nearest_standard_height_without_hip_precautions(knee: float, seat: float, raise_mm: int) -> None:
    assert seat_raise(what="toilet", knee_height_mm=knee, current_height_mm=seat, profile=SP.UK).value_mm == raise_mm


def test_seat_within_twenty_millimetres_of_knee_height_needs_no_raise() -> None:
    assert seat_raise(what="toilet", knee_height_mm=450, current_height_mm=440, profile=SP.AU).outcome == "none"


def test_safe_working_load_warnings() -> None:
    assert safe_working_load(client_weight_kg=68, swl_kg=150, product="bath board") == ()
    assert "exceeds" in safe_working_load(client_weight_kg=160, swl_kg=150, product="bath board")[0]
    assert "within 10 %" in safe_working_load(client_weight_kg=140, swl_kg=150, product="bath board")[0]


@pytest.mark.parametrize(("profile", "length", "heights"), [
    (SP.UK, 13 * 235 + 600, "900–1000 mm"), (SP.US, 13 * 235 + 610, "865–965 mm"), (SP.AU, 13 * 235 + 600, "865–1000 mm"),
])
def test_second_stair_rail_runs_the_flight_plus_extensions(profile: SP, length: float, heights: str) -> None:
    from homeassess.domain.sizing import stair_rail

    result = stair_rail(steps=13, going_mm=235, profile=profile, existing="one")
    assert result.what == "stair second rail" and result.value_mm == length and heights in result.calculation


@pytest.mark.parametrize(("profile", "text"), [(SP.US, "840–915 mm"), (SP.UK, "680 mm"), (SP.AU, "800–810 mm")])
def test_toilet_grab_rail_height_per_profile(profile: SP, text: str) -> None:
    from homeassess.domain.sizing import toilet_grab_rail

    assert f"fix at {text} above the finished floor" in toilet_grab_rail(profile=profile).calculation


def test_bath_board_length_from_inside_width() -> None:
    from homeassess.domain.sizing import bath_board

    assert bath_board(inner_width_mm=560).value_mm == 660
    assert bath_board(inner_width_mm=22 * MM_PER_INCH).value_mm == 660  # 559 mm measured in inches
    assert bath_board(inner_width_mm=640).value_mm == 710
    too_wide = bath_board(inner_width_mm=700)
    assert not too_wide.feasible and "transfer bench" in too_wide.alternative


def test_bathing_seat_choice_follows_set_up_and_transfers() -> None:
    from homeassess.domain.sizing import bathing_seat

    bench = bathing_seat(setup="bath_only", transfer="with_difficulty", can_stand=True, hip_precautions=True,
                         uses_frame_or_chair=True, falls=True)
    assert bench is not None and "tub transfer bench" in bench.calculation
    board = bathing_seat(setup="shower_over_bath", transfer="with_difficulty", can_stand=True, hip_precautions=False,
                         uses_frame_or_chair=False, falls=False)
    assert board is not None and "bath board" in board.calculation
    chair = bathing_seat(setup="shower_tray", transfer=None, can_stand=False, hip_precautions=False,
                         uses_frame_or_chair=False, falls=True)
    assert chair is not None and "shower chair with back and arms" in chair.calculation
    stool = bathing_seat(setup="level_access", transfer=None, can_stand=False, hip_precautions=False,
                         uses_frame_or_chair=False, falls=False)
    assert stool is not None and "shower stool" in stool.calculation
    assert bathing_seat(setup="level_access", transfer=None, can_stand=True, hip_precautions=False,
                        uses_frame_or_chair=False, falls=False) is None
