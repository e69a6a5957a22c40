"""Equipment sizing from measurements and the client (REFERENCE §2.14, §3.3, §3.10, §3.13).

Pure functions returning a value, the options a product range offers, and the calculation
written out for the app and the clinical report ("knee height 520 mm − toilet 400 mm → 100 mm raise").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from homeassess.domain.profiles import StandardProfile

# Raised toilet seats and raisers come in 2/4/6 in (US) or 50/100/150 mm (UK, AU) (REFERENCE §3.10).
RAISE_STEPS_MM = {StandardProfile.US: (51, 102, 152), StandardProfile.UK: (50, 100, 150),
                  StandardProfile.AU: (50, 100, 150)}
HIP_MARGIN_MM = 20  # seat a little above knee height keeps hips above knees (REFERENCE §4, §3.13 R-WC-01)


@dataclass(frozen=True, slots=True)
class Sizing:
    """A sizing outcome; ``value_mm`` is None when nothing fits (see ``alternative``)."""

    what: str
    value_mm: float | None
    calculation: str
    feasible: bool = True
    alternative: str = ""
    warnings: tuple[str, ...] = field(default=())
    key: str = ""                        # which catalogue sizing rule this is (catalogue SIZING_KEYS)
    fit_height_mm: float | None = None   # fixing height above the finished floor, for rails

    @property
    def setting(self) -> str:
        """Short size/setting for an order line ("150 mm raise", "rail top at 900 mm AFF")."""
        if self.key.startswith("raise_") and self.value_mm:
            return f"{self.value_mm:.0f} mm raise"
        return self.calculation.rsplit("→", 1)[-1].split(";")[0].strip()


def seat_raise(*, what: str, knee_height_mm: float, current_height_mm: float, profile: StandardProfile,
               hip_precautions: bool = False) -> Sizing:
    """Raise needed to bring a toilet, chair or bed to knee height, rounded up to a product step."""
    key = {"toilet": "raise_toilet", "bed": "raise_bed"}.get(what, "raise_chair")
    margin = HIP_MARGIN_MM if hip_precautions else 0
    needed = knee_height_mm + margin - current_height_mm
    margin_text = f" + {margin} mm hip margin" if margin else ""
    if needed <= 0:
        return Sizing(what, 0, f"knee height {knee_height_mm:.0f} mm{margin_text} − {what} {current_height_mm:.0f} mm"
                               f" → no raise needed", key=key)
    steps = RAISE_STEPS_MM[profile]
    chosen = next((s for s in steps if s >= needed), None)
    calc = (f"knee height {knee_height_mm:.0f} mm{margin_text} − {what} {current_height_mm:.0f} mm → "
            f"{needed:.0f} mm raise")
    if chosen is None:
        return Sizing(what, None, calc + f"; more than the largest standard raise ({steps[-1]} mm)", feasible=False,
                      alternative="a height-adjustable frame or replacement (comfort-height toilet, high-seat "
                                  "chair, profiling bed)", key=key)
    return Sizing(what, chosen, calc + f" → choose {chosen} mm", key=key)


def ramp(*, rise_mm: float, available_run_mm: float, profile: StandardProfile) -> Sizing:
    """Ramp length for a rise at the profile's steepest allowed gradient, with landings."""
    if rise_mm <= 0:
        return Sizing("ramp", 0, "no rise → no ramp needed", key="ramp")
    if profile is StandardProfile.UK:
        if rise_mm > 2000:
            return Sizing("ramp", None, f"rise {rise_mm:.0f} mm > 2000 mm", feasible=False,
                          alternative="a platform or step lift (ADM: total rise over 2 m needs a lift)", key="ramp")
        n = _uk_gradient(rise_mm)
        flight_rise, landing, source = 500.0, 1500.0, "ADM-V2 / M4: going 2 m → 1:12 … 10 m → 1:20; flights ≤ 500 mm rise"
    elif profile is StandardProfile.US:
        n, flight_rise, landing, source = 12.0, 760.0, 1525.0, "ADA 405.2 1:12; 405.6 rise ≤ 760 mm per run; 405.7 landings 1525 mm"
    else:
        n, flight_rise, landing, source = 14.0, 9000 / 14, 1200.0, "AS 1428.1 1:14, landings every 9 m"
    run = rise_mm * n
    flights = max(1, math.ceil(rise_mm / flight_rise))
    total = run + (flights - 1) * landing
    calc = (f"rise {rise_mm:.0f} mm × {n:g} (1:{n:g}) = {run:.0f} mm of slope"
            + (f" + {flights - 1} intermediate landing(s) × {landing:.0f} mm" if flights > 1 else "")
            + f" = {total:.0f} mm; space measured {available_run_mm:.0f} mm ({source})")
    if total > available_run_mm:
        return Sizing("ramp", total, calc + " → does not fit", feasible=False,
                      alternative="a step lift or platform lift, or a different entrance", key="ramp")
    return Sizing("ramp", total, calc + " → fits", key="ramp")


def _uk_gradient(rise_mm: float) -> float:
    """UK: 1:12 for a 2 m going up to 1:20 for 10 m, interpolated on the going (REFERENCE §3.3)."""
    points = [(2000.0, 12.0), (5000.0, 15.0), (10000.0, 20.0)]
    for (g1, n1), (g2, n2) in zip(points, points[1:], strict=False):
        # Find the going g at which rise / g equals the allowed gradient 1/n(g).
        for going in range(int(g1), int(g2) + 1, 50):
            n = n1 + (n2 - n1) * (going - g1) / (g2 - g1)
            if rise_mm * n <= going:
                return n
    return 20.0


def door_fit(*, clear_width_mm: float, aid_width_mm: float, aid: str, clearance_mm: float = 50) -> Sizing:
    """Whether a mobility aid passes a door with knuckle clearance each side (REFERENCE §3.13 R-DOOR-02)."""
    needed = aid_width_mm + 2 * clearance_mm
    calc = (f"{aid} {aid_width_mm:.0f} mm + 2 × {clearance_mm:.0f} mm clearance = {needed:.0f} mm; "
            f"door {clear_width_mm:.0f} mm")
    if clear_width_mm >= needed:
        return Sizing("door", clear_width_mm, calc + " → fits", key="door")
    short = needed - clear_width_mm
    options = ("swing-clear (offset) hinges, about +50 mm" if short <= 50 else
               "removing the door stop beading and the door, or widening the opening")
    return Sizing("door", clear_width_mm, calc + f" → {short:.0f} mm short", feasible=False, alternative=options,
                  key="door")


def safe_working_load(*, client_weight_kg: float, swl_kg: float, product: str) -> tuple[str, ...]:
    """Warnings when the client is near or over a product's safe working load."""
    if client_weight_kg > swl_kg:
        return (f"{product}: client weight {client_weight_kg:.0f} kg exceeds the safe working load {swl_kg:.0f} kg",)
    if client_weight_kg > 0.9 * swl_kg:
        return (f"{product}: client weight {client_weight_kg:.0f} kg is within 10 % of the safe working load "
                f"{swl_kg:.0f} kg; allow for weight gain",)
    return ()


# Handrail heights (top of gripping surface) per profile (REFERENCE §3.4) and extensions beyond
# the top and bottom step: 300 mm (ADK, AS 1428.1) or 305 mm / 12 in (ADA 505.10).
STAIR_RAIL_HEIGHT_MM = {StandardProfile.US: (865, 965), StandardProfile.UK: (900, 1000),
                        StandardProfile.AU: (865, 1000)}
RAIL_EXTENSION_MM = {StandardProfile.US: 305, StandardProfile.UK: 300, StandardProfile.AU: 300}
# Toilet grab rail height (REFERENCE §3.5): ADA 609.4 840–915 mm; UK ≈ 680 mm (ADM-V2); AS 1428.1 800–810 mm.
TOILET_RAIL_HEIGHT_MM = {StandardProfile.US: (840, 915), StandardProfile.UK: (680, 680),
                         StandardProfile.AU: (800, 810)}


def stair_rail(*, steps: int, going_mm: float, profile: StandardProfile, existing: str) -> Sizing:
    """Length and fixing height of a (second) stair rail along the whole flight plus extensions."""
    flight = steps * going_mm
    extension = RAIL_EXTENSION_MM[profile]
    length = flight + 2 * extension
    low, high = STAIR_RAIL_HEIGHT_MM[profile]
    which = "second rail" if existing in ("one", "partial") else "rails on both sides"
    calc = (f"{steps} steps × going {going_mm:.0f} mm = {flight:.0f} mm + 2 × {extension} mm extensions = "
            f"{length:.0f} mm per rail; top of rail {low}–{high} mm above the step nosings")
    return Sizing(f"stair {which}", length, calc + f" → {length:.0f} mm rail, top at {low}–{high} mm",
                  key="stair_rail", fit_height_mm=float(low))


def toilet_grab_rail(*, profile: StandardProfile) -> Sizing:
    low, high = TOILET_RAIL_HEIGHT_MM[profile]
    height = f"{low} mm" if low == high else f"{low}–{high} mm"
    return Sizing("toilet grab rail", (low + high) / 2,
                  f"fix at {height} above the finished floor (top of the rail), on the side of the client's "
                  f"stronger hand; 600 mm long for a home toilet (ADA 604.5 asks ≥ 1065 mm in public toilets) "
                  f"→ 600 mm rail, top at {height} AFF", key="toilet_rail", fit_height_mm=float(low))


# Bath boards come in standard lengths of 26–29 in (REFERENCE §2.14 ○: check the supplier's chart).
BATH_BOARD_LENGTHS_MM = (660, 685, 710, 735)
RIM_SUPPORT_MM = 30  # each end of the board must rest on the rim


def bath_board(*, inner_width_mm: float) -> Sizing:
    needed = inner_width_mm + 2 * RIM_SUPPORT_MM
    chosen = next((length for length in BATH_BOARD_LENGTHS_MM if length >= needed), None)
    calc = (f"inside width at the rim {inner_width_mm:.0f} mm + 2 × {RIM_SUPPORT_MM} mm resting on the rims = "
            f"{needed:.0f} mm")
    if chosen is None:
        return Sizing("bath board", None, calc + " → longer than standard boards", feasible=False,
                      alternative="a tub transfer bench, or a bath lift", key="bath_board")
    return Sizing("bath board", chosen, calc + f" → {chosen} mm ({chosen / 25.4:.0f} in) board", key="bath_board")


def bathing_seat(*, setup: str, transfer: str | None, can_stand: bool | None, hip_precautions: bool,
                 uses_frame_or_chair: bool, falls: bool) -> Sizing | None:
    """Which seat suits the bathing set-up and the client's transfers (REFERENCE §2.6, §2.14, §4)."""
    if setup in ("bath_only", "shower_over_bath"):
        if transfer in ("with_difficulty", "cannot") or hip_precautions:
            if uses_frame_or_chair or transfer == "cannot":
                return Sizing("bathing seat", None, "cannot step over the rim safely → tub transfer bench "
                              "(two legs in the bath, two outside, sit then swing the legs over) with a hand-held "
                              "shower; seat 430–485 mm (ADA 610); needs floor space beside the bath",
                              key="bathing_seat")
            return Sizing("bathing seat", None, "stepping over the rim is unsafe → bath board across the rim "
                          "with a hand-held shower (no sitting in the bath)", key="bathing_seat")
        return None
    if can_stand is False:
        kind = "shower chair with back and arms" if (falls or uses_frame_or_chair or hip_precautions) else \
            "shower stool"
        return Sizing("bathing seat", None, f"cannot stand through a shower → {kind}, seat at knee height "
                      "(430–485 mm, ADA 610); check it fits the tray and the door swing", key="bathing_seat")
    return None


# Perching stools: forward-sloping seat set above knee height so the hips stay above the knees and
# the person half-stands at the worktop (REFERENCE §2.14 "worktop height, client leg length", §3.10 ○).
PERCH_ABOVE_KNEE_MM = 100
PERCH_RANGE_MM = (530, 790)          # typical height-adjustable perching stool (○, check the chart)
PERCH_WORKTOP_GAP_MM = (150, 350)    # worktop this far above the seat lets forearms rest at the worktop


def perching_stool(*, knee_height_mm: float, worktop_height_mm: float | None) -> Sizing:
    target = knee_height_mm + PERCH_ABOVE_KNEE_MM
    low, high = PERCH_RANGE_MM
    calc = f"knee height {knee_height_mm:.0f} mm + {PERCH_ABOVE_KNEE_MM} mm perch = seat {target:.0f} mm"
    warnings: tuple[str, ...] = ()
    if worktop_height_mm is not None:
        gap = worktop_height_mm - target
        calc += f"; worktop {worktop_height_mm:.0f} mm is {gap:.0f} mm above the seat"
        if not PERCH_WORKTOP_GAP_MM[0] <= gap <= PERCH_WORKTOP_GAP_MM[1]:
            warnings = (f"worktop {gap:.0f} mm above the seat (aim for {PERCH_WORKTOP_GAP_MM[0]}–"
                        f"{PERCH_WORKTOP_GAP_MM[1]} mm): {'too low to sit under' if gap < PERCH_WORKTOP_GAP_MM[0] else 'a long reach up'}; "
                        "consider a lowered or raised worktop section",)
    if not low <= target <= high:
        return Sizing("perching stool", None, calc + f" → outside the usual {low}–{high} mm range", feasible=False,
                      alternative="a standard-height kitchen chair with arms, or a stool made to measure",
                      warnings=warnings, key="perching_stool")
    return Sizing("perching stool", target, calc + f" → set the seat front edge to {target:.0f} mm",
                  warnings=warnings, key="perching_stool")
