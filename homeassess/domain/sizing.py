"""Equipment sizing from measurements and the client (REFERENCE §2.14, §3.3, §3.10, §3.13).

Pure functions returning a value, the options a product range offers, and the calculation
written out for the app and the clinical report ("knee height 520 mm − toilet 400 mm → 100 mm raise").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.units import MM_PER_INCH, length_text

METRIC = DisplayUnits.METRIC

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
    outcome: str = ""                    # what the calculation decided (OUTCOMES[key]); options are chosen by it
    item_id: str = ""                    # the checklist item whose answer it sizes (its main input)
    setting_text: str = ""               # short size/setting for an order line, in the visit's units

    @property
    def setting(self) -> str:
        """Short size/setting for an order line ("150 mm raise", "rail top at 900 mm AFF")."""
        if self.setting_text:
            return self.setting_text
        return self.calculation.rsplit("→", 1)[-1].split(";")[0].strip()


# Which answers each calculation reads; checklist items declare ``sizing = "<key>.<input>"``.
INPUTS = {
    "raise_toilet": ("height",), "raise_chair": ("height",), "raise_bed": ("height",),
    "door": ("clear_width",), "stair_rail": ("rails", "count", "going"), "bath_board": ("inner_width",),
    "bathing_seat": ("setup", "transfer", "stand"), "perching_stool": ("worktop",), "toilet_rail": ("support",),
    "ramp": ("steps", "step_height", "rise", "space"),
}

# What each calculation can decide; checklist choices name these to say which option suits.
OUTCOMES = {
    "raise_toilet": ("raise", "none", "too_high"), "raise_chair": ("raise", "none", "too_high"),
    "raise_bed": ("raise", "none", "too_high"), "door": ("fits", "short_minor", "short_major"),
    "ramp": ("fits", "no_fit", "none"), "bath_board": ("fits", "too_long"),
    "bathing_seat": ("bench", "board", "chair", "stool"), "perching_stool": ("fits", "not_feasible"),
    "toilet_rail": ("fit",), "stair_rail": ("fit",),
}


NO_RAISE_WITHIN_MM = 20  # a seat within 20 mm of knee height needs no raise (REFERENCE §3.13 R-WC-01)


def seat_raise(*, what: str, knee_height_mm: float, current_height_mm: float, profile: StandardProfile,
               hip_precautions: bool = False, units: DisplayUnits = METRIC) -> Sizing:
    """Raise needed to bring a toilet, chair or bed to knee height, rounded up to a product step."""
    L = lambda mm: length_text(mm, units)  # noqa: E731 - local shorthand keeps the sentences readable
    key = {"toilet": "raise_toilet", "bed": "raise_bed"}.get(what, "raise_chair")
    margin = HIP_MARGIN_MM if hip_precautions else 0
    needed = knee_height_mm + margin - current_height_mm
    margin_text = f" + {L(margin)} hip margin" if margin else ""
    calc = f"knee height {L(knee_height_mm)}{margin_text} − {what} {L(current_height_mm)}"
    if needed <= (0 if margin else NO_RAISE_WITHIN_MM):
        return Sizing(what, 0, calc + (" → no raise needed" if needed <= 0 else
                                       f" → {L(needed)}, within {L(NO_RAISE_WITHIN_MM)}: no raise needed"),
                      key=key, outcome="none")
    steps = RAISE_STEPS_MM[profile]
    if margin:  # hips must stay above the knees: never round the raise down
        chosen = next((s for s in steps if s >= needed), None)
    else:  # the nearest standard height (ties go up); within 20 mm of knee height is close enough
        chosen = min(steps, key=lambda s: (abs(s - round(needed)), -s))
        chosen = chosen if needed - steps[-1] <= NO_RAISE_WITHIN_MM else None
    calc += f" → {L(needed)} raise"
    if chosen is None:
        return Sizing(what, None, calc + f"; more than the largest standard raise ({L(steps[-1])})", feasible=False,
                      alternative="a height-adjustable frame or replacement (comfort-height toilet, high-seat "
                                  "chair, profiling bed)", key=key, outcome="too_high")
    return Sizing(what, chosen, calc + f" → choose {L(chosen)}, giving {L(current_height_mm + chosen)}", key=key,
                  outcome="raise", setting_text=f"{L(chosen)} raise")


# Ramp landings per profile (REFERENCE §3.3): length at the top and bottom, and between flights.
RAMP_RULES = {
    StandardProfile.US: (12.0, 760.0, 1525.0, 1525.0,
                         "ADA 405.2 1:12; 405.6 rise ≤ 760 mm (30 in) per run; 405.7 landings ≥ 1525 mm (60 in) "
                         "top and bottom"),
    StandardProfile.AU: (14.0, 9000 / 14, 1200.0, 1200.0,
                         "AS 1428.1 1:14 with a landing every 9 m; landings 1200 mm top and bottom (practice)"),
}


def ramp(*, rise_mm: float, available_run_mm: float | None, profile: StandardProfile,
         units: DisplayUnits = METRIC) -> Sizing:
    """Ramp length for a rise at the profile's steepest allowed gradient, with all its landings."""
    L = lambda mm: length_text(mm, units)  # noqa: E731
    if rise_mm <= 0:
        return Sizing("ramp", 0, "no rise → no ramp needed", key="ramp", outcome="none")
    lift = "a step lift or platform lift, or a switchback ramp if the space allows"
    if profile is StandardProfile.UK:
        if rise_mm > 2000:
            return Sizing("ramp", None, f"rise {L(rise_mm)} > {L(2000)} (ADM-V2: a total rise over 2 m needs a lift)",
                          feasible=False, alternative=lift, key="ramp", outcome="no_fit")
        n = _uk_gradient(rise_mm)
        flight_rise, end_landing, mid_landing = 500.0, 1200.0, 1500.0
        source = ("ADM-V2 / M4: going 2 m → 1:12 … 10 m → 1:20; flights ≤ 500 mm rise; landings 1200 mm at head "
                  "and foot, 1500 mm between flights")
    else:
        n, flight_rise, end_landing, mid_landing, source = RAMP_RULES[profile]
    run = rise_mm * n
    flights = max(1, math.ceil(rise_mm / flight_rise - 1e-9))
    total = run + 2 * end_landing + (flights - 1) * mid_landing
    calc = (f"rise {L(rise_mm)} × {n:g} (1:{n:g}) = {L(run)} of slope + top and bottom landings 2 × {L(end_landing)}"
            + (f" + {flights - 1} intermediate landing(s) × {L(mid_landing)}" if flights > 1 else "")
            + f" = {L(total)}; " + (f"space measured {L(available_run_mm)}" if available_run_mm is not None
                                     else "space in front of the steps not measured") + f" ({source})")
    if available_run_mm is None:
        return Sizing("ramp", total, calc + " → measure the space to see whether it fits", key="ramp")
    if total > available_run_mm:
        return Sizing("ramp", total, calc + f" → a straight ramp does not fit ({L(total - available_run_mm)} short)",
                      feasible=False, alternative=lift, key="ramp", outcome="no_fit")
    return Sizing("ramp", total, calc + " → fits", key="ramp", outcome="fits",
                  setting_text=f"1:{n:g}, {L(run)} slope, {L(total)} overall")


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


SWING_CLEAR_GAIN_MM = 50  # swing-clear hinges move the door out of the opening: about 2 in (REFERENCE §2.1, §3.1)


def door_fit(*, clear_width_mm: float, aid_width_mm: float, aid: str, clearance_mm: float | None = None,
             units: DisplayUnits = METRIC) -> Sizing:
    """Whether a mobility aid passes a door with knuckle clearance each side (REFERENCE §3.13 R-DOOR-02).

    A little short (up to what swing-clear hinges gain) is solved at the door; more needs widening."""
    L = lambda mm: length_text(mm, units)  # noqa: E731
    if clearance_mm is None:  # 50 mm a side (shown as 2 in on an imperial visit)
        clearance_mm = 50.0
    needed = aid_width_mm + 2 * clearance_mm
    calc = (f"{aid} {L(aid_width_mm)} + 2 × {L(clearance_mm)} clearance = {L(needed)}; "
            f"door {L(clear_width_mm)}")
    if clear_width_mm >= needed:
        return Sizing("door", clear_width_mm, calc + f" → fits ({L(clear_width_mm - needed)} spare)", key="door",
                      outcome="fits")
    short = needed - clear_width_mm
    if short <= SWING_CLEAR_GAIN_MM:
        return Sizing("door", clear_width_mm,
                      calc + f" → {L(short)} short; swing-clear hinges gain about {L(SWING_CLEAR_GAIN_MM)}, "
                             f"to about {L(clear_width_mm + SWING_CLEAR_GAIN_MM)}, which is enough",
                      feasible=False, alternative="swing-clear (offset) hinges, or taking the door off",
                      key="door", outcome="short_minor")
    return Sizing("door", clear_width_mm,
                  calc + f" → {L(short)} short, more than swing-clear hinges gain (about {L(SWING_CLEAR_GAIN_MM)}): "
                         f"the opening needs widening to at least {L(needed)}",
                  feasible=False, alternative="widening the opening", key="door", outcome="short_major")


def widest_aid(door_mm: float, room: str, units: DisplayUnits = METRIC) -> tuple[str, str]:
    """(family, clinical) sentences: how wide a new walking aid or wheelchair may be to pass the narrowest door
    recorded, with knuckle clearance each side (REFERENCE §3.13 R-DOOR-02), and with swing-clear hinges there."""
    L = lambda mm: length_text(mm, units)  # noqa: E731
    clearance = 2 * MM_PER_INCH if units is DisplayUnits.IMPERIAL else 50.0   # 2 in or 50 mm a side
    gain = 2 * MM_PER_INCH if units is DisplayUnits.IMPERIAL else float(SWING_CLEAR_GAIN_MM)
    widest, hinged = door_mm - 2 * clearance, door_mm + gain - 2 * clearance
    family = (f"Choose one no wider than {L(widest)}, so it passes the narrowest door recorded, the "
              f"{room.lower()} door at {L(door_mm)}, with room for your hands; swing-clear hinges on that door "
              f"would allow up to {L(hinged)}.")
    clinical = (f"Widest aid for the narrowest door recorded ({room}): {L(door_mm)} − 2 × {L(clearance)} = "
                f"{L(widest)}; with swing-clear hinges (+{L(gain)}) {L(hinged)} (REFERENCE §3.13 R-DOOR-02, §2.1).")
    return family, clinical


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
STAIR_RAIL_SOURCE = {StandardProfile.US: "ADA 505.4, 505.10", StandardProfile.UK: "ADK / ADM-V2",
                     StandardProfile.AU: "AS 1428.1"}
RAIL_EXTENSION_MM = {StandardProfile.US: 305, StandardProfile.UK: 300, StandardProfile.AU: 300}
# Toilet grab rail height (REFERENCE §3.5): ADA 609.4 840–915 mm; UK ≈ 680 mm (ADM-V2); AS 1428.1 800–810 mm.
TOILET_RAIL_HEIGHT_MM = {StandardProfile.US: (840, 915), StandardProfile.UK: (680, 680),
                         StandardProfile.AU: (800, 810)}
TOILET_RAIL_SOURCE = {StandardProfile.US: "ADA 609.4", StandardProfile.UK: "ADM-V2", StandardProfile.AU: "AS 1428.1"}


def _range(low: float, high: float, units: DisplayUnits) -> str:
    if low == high:
        return length_text(low, units)
    if units is DisplayUnits.IMPERIAL:
        return f"{low / 25.4:.0f}–{high / 25.4:.0f} in ({low:.0f}–{high:.0f} mm)"
    return f"{low:.0f}–{high:.0f} mm"


def stair_rail(*, steps: int, going_mm: float, profile: StandardProfile, existing: str,
               units: DisplayUnits = METRIC) -> Sizing:
    """Length and fixing height of a (second) stair rail along the whole flight plus extensions."""
    L = lambda mm: length_text(mm, units)  # noqa: E731
    flight = steps * going_mm
    extension = RAIL_EXTENSION_MM[profile]
    length = flight + 2 * extension
    low, high = STAIR_RAIL_HEIGHT_MM[profile]
    heights = _range(low, high, units)
    which = "second rail" if existing in ("one", "partial") else "rails on both sides"
    calc = (f"{steps} steps × going {L(going_mm)} = {L(flight)} + 2 × {L(extension)} extensions = "
            f"{L(length)} per rail; top of rail {heights} above the step nosings ({STAIR_RAIL_SOURCE[profile]})")
    return Sizing(f"stair {which}", length, calc + f" → {L(length)} rail, top at {heights}",
                  key="stair_rail", fit_height_mm=float(low), outcome="fit",
                  setting_text=f"{L(length)} rail, top at {heights}")


def toilet_grab_rail(*, profile: StandardProfile, units: DisplayUnits = METRIC, stronger: str = "") -> Sizing:
    """``stronger``: "left" or "right" when one side is weaker; the rail goes on the stronger side."""
    low, high = TOILET_RAIL_HEIGHT_MM[profile]
    side = f"on the client's {stronger} (stronger) side" if stronger else "on the side of the client's stronger hand"
    height = _range(low, high, units)
    rail = length_text(600, units)
    return Sizing("toilet grab rail", (low + high) / 2,
                  f"fix at {height} above the finished floor (top of the rail, {TOILET_RAIL_SOURCE[profile]}), "
                  f"{side}; {rail} long for a home toilet → {rail} rail, top at {height} AFF"
                  + (f", {stronger} side" if stronger else ""), key="toilet_rail", fit_height_mm=float(low),
                  outcome="fit", setting_text=f"{rail} rail, top at {height} AFF" + (f", {stronger} side" if stronger else ""))


# Bath boards come in standard lengths of 26–29 in (REFERENCE §2.14 ○: check the supplier's chart).
BATH_BOARD_LENGTHS_MM = (660, 685, 710, 735)
RIM_SUPPORT_MM = 30  # each end of the board must rest on the rim


def bath_board(*, inner_width_mm: float, units: DisplayUnits = METRIC) -> Sizing:
    L = lambda mm: length_text(mm, units)  # noqa: E731
    needed = inner_width_mm + 2 * RIM_SUPPORT_MM
    chosen = next((length for length in BATH_BOARD_LENGTHS_MM if length >= needed), None)
    calc = (f"inside width at the rim {L(inner_width_mm)} + 2 × {L(RIM_SUPPORT_MM)} resting on the rims = "
            f"{L(needed)}")
    if chosen is None:
        return Sizing("bath board", None, calc + " → longer than standard boards", feasible=False,
                      alternative="a tub transfer bench, or a bath lift", key="bath_board", outcome="too_long")
    return Sizing("bath board", chosen, calc + f" → {length_text(chosen, units)} board", key="bath_board",
                  outcome="fits", setting_text=f"{length_text(chosen, units)} board")


# Shower and bath seat height per profile (REFERENCE §3.6): ADA 610 430–485 mm; AS 1428.1 folding seat
# 470–480 mm; the UK has no figure, so the seat is set to knee height (§3.10 OT practice).
SEAT_HEIGHT = {StandardProfile.US: ((430, 485), "ADA 610"), StandardProfile.AU: ((470, 480), "AS 1428.1"),
               StandardProfile.UK: (None, "REFERENCE §3.10 OT practice")}


def _seat_height_text(profile: StandardProfile, knee_height_mm: float | None, units: DisplayUnits) -> str:
    band, source = SEAT_HEIGHT[profile]
    if knee_height_mm:
        text = f"seat at knee height, about {length_text(knee_height_mm, units)}"
        return text + (f" ({source}: {_range(*band, units)})" if band else f" ({source})")
    return f"seat {_range(*band, units)} ({source})" if band else f"seat at knee height ({source})"


def bathing_seat(*, setup: str, transfer: str | None, can_stand: bool | None, hip_precautions: bool,
                 uses_frame_or_chair: bool, falls: bool, profile: StandardProfile = StandardProfile.US,
                 knee_height_mm: float | None = None, units: DisplayUnits = METRIC) -> Sizing | None:
    """Which seat suits the bathing set-up and the client's transfers (REFERENCE §2.6, §2.14, §4)."""
    seat = _seat_height_text(profile, knee_height_mm, units)
    value = knee_height_mm
    if setup in ("bath_only", "shower_over_bath"):
        if transfer in ("with_difficulty", "cannot") or hip_precautions:
            if uses_frame_or_chair or transfer == "cannot":
                return Sizing("bathing seat", value, "cannot step over the rim safely → tub transfer bench "
                              "(two legs in the bath, two outside, sit then swing the legs over) with a hand-held "
                              f"shower; {seat}; needs floor space beside the bath", key="bathing_seat",
                              outcome="bench", setting_text=seat)
            return Sizing("bathing seat", value, "stepping over the rim is unsafe → bath board across the rim "
                          "with a hand-held shower (no sitting in the bath)", key="bathing_seat", outcome="board")
        return None
    if can_stand is False:
        kind = "shower chair with back and arms" if (falls or uses_frame_or_chair or hip_precautions) else \
            "shower stool"
        return Sizing("bathing seat", value, f"cannot stand through a shower → {kind}, {seat}; check it fits "
                      "the tray and the door swing", key="bathing_seat",
                      outcome="chair" if kind.startswith("shower chair") else "stool", setting_text=seat)
    return None


# Perching stools: forward-sloping seat set above knee height so the hips stay above the knees and
# the person half-stands at the worktop (REFERENCE §2.14 "worktop height, client leg length", §3.10 ○).
PERCH_ABOVE_KNEE_MM = 100
PERCH_RANGE_MM = (530, 790)          # typical height-adjustable perching stool (○, check the chart)
PERCH_WORKTOP_GAP_MM = (150, 350)    # worktop this far above the seat lets forearms rest at the worktop


def perching_stool(*, knee_height_mm: float, worktop_height_mm: float | None,
                   units: DisplayUnits = METRIC) -> Sizing:
    L = lambda mm: length_text(mm, units)  # noqa: E731
    target = knee_height_mm + PERCH_ABOVE_KNEE_MM
    low, high = PERCH_RANGE_MM
    calc = f"knee height {L(knee_height_mm)} + {L(PERCH_ABOVE_KNEE_MM)} perch = seat {L(target)}"
    warnings: tuple[str, ...] = ()
    if worktop_height_mm is not None:
        gap = worktop_height_mm - target
        calc += f"; worktop {L(worktop_height_mm)} is {L(gap)} above the seat"
        if not PERCH_WORKTOP_GAP_MM[0] <= gap <= PERCH_WORKTOP_GAP_MM[1]:
            warnings = (f"worktop {L(gap)} above the seat (aim for {_range(*PERCH_WORKTOP_GAP_MM, units)}): "
                        f"{'too low to sit under' if gap < PERCH_WORKTOP_GAP_MM[0] else 'a long reach up'}; "
                        "consider a lowered or raised worktop section",)
    if not low <= target <= high:
        return Sizing("perching stool", None, calc + f" → outside the usual {_range(low, high, units)} range",
                      feasible=False, alternative="a standard-height kitchen chair with arms, or a stool made to "
                      "measure", warnings=warnings, key="perching_stool", outcome="not_feasible")
    return Sizing("perching stool", target, calc + f" → set the seat front edge to {L(target)}",
                  warnings=warnings, key="perching_stool", outcome="fits", setting_text=f"seat {L(target)}")


# Many standard aids are rated below heavier clients: grab bars are commonly made to 250 lbf
# (113 kg, REFERENCE §3.5); every device's rating is checked against the client (§2.14, §5.5).
COMMON_LOWEST_RATING_KG = 113


def rating_notes(weight_kg: float | None, units: DisplayUnits = METRIC) -> tuple[str, str]:
    """(family, clinical) sentences naming the load rating to ask for, or empty ones when the
    client's weight is unknown or within what standard equipment carries."""
    if not weight_kg or weight_kg <= COMMON_LOWEST_RATING_KG:
        return "", ""
    kg, lb = f"{weight_kg:.0f} kg", f"{weight_kg / 0.45359237:.0f} lb"
    both = f"{lb} ({kg})" if units is DisplayUnits.IMPERIAL else f"{kg} ({lb})"
    return (f"Choose one rated for at least {both}: many standard models are rated lower, and rails must be "
            "fixed into studs, blocking or masonry.",
            f"Safe working load at least {both} (client weight); bariatric model where the standard range is "
            "rated lower (REFERENCE §2.14, §3.5).")


def side_note(stronger: str, *, child: bool = False, stairs: bool = False) -> str:
    """Which hand a rail is for, when one side is weaker (REFERENCE §4 stroke row, §2.3): rails go on the
    stronger side, and a second stair rail gives that hand a rail both going up and coming down."""
    if not stronger:
        return ""
    whose = "your child's" if child else "your"
    note = f"Place it for {whose} {stronger} hand, the stronger side"
    if stairs:
        note += f"; rails on both sides give that hand a rail going up and coming down"
    return note + "."
