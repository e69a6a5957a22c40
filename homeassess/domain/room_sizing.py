"""Which calculations a room's answers allow, from the inputs its checklist declares.

Checklist items say which sizing they feed (``sizing = "door.clear_width"``), so adding a door or
a second toilet to a checklist needs no code here (REFERENCE §2.14, §3.3, §3.10, §3.13).
"""

from __future__ import annotations

from dataclasses import replace

from homeassess.domain.checklist import Checklist
from homeassess.domain.client import ClientProfile, MobilityAid, Precaution
from homeassess.domain.findings import Answer, is_visible
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.sizing import (
    Sizing, bath_board, bathing_seat, door_fit, perching_stool, ramp, seat_raise, stair_rail, toilet_grab_rail,
)

AID_NAMES = {MobilityAid.WALKING_FRAME: "walking frame", MobilityAid.ROLLATOR: "rollator",
             MobilityAid.MANUAL_WHEELCHAIR: "wheelchair", MobilityAid.POWERED_WHEELCHAIR: "powered wheelchair",
             MobilityAid.SCOOTER: "scooter"}
WHEELED = (MobilityAid.MANUAL_WHEELCHAIR, MobilityAid.POWERED_WHEELCHAIR, MobilityAid.SCOOTER)
SEAT_WHAT = {"raise_toilet": "toilet", "raise_chair": "armchair", "raise_bed": "bed"}


def room_sizings(checklist: Checklist, answers: dict[str, Answer], profile: ClientProfile,
                 standard: StandardProfile, units: DisplayUnits = DisplayUnits.METRIC) -> list[Sizing]:
    """Every calculation this room's visible answers and the client allow, in checklist order."""
    inputs: dict[str, dict[str, list[tuple[str, Answer]]]] = {}
    for item in checklist.items:
        answer = answers.get(item.id)
        if not item.sizing or answer is None or not answer.is_answered or not is_visible(item, answers):
            continue
        key, _, role = item.sizing.partition(".")
        inputs.setdefault(key, {}).setdefault(role, []).append((item.id, answer))

    def first(key: str, role: str) -> tuple[str, Answer] | None:
        found = inputs.get(key, {}).get(role)
        return found[0] if found else None

    def number(key: str, role: str) -> float | None:
        found = first(key, role)
        return found[1].number if found else None

    def value(key: str, role: str) -> str | None:
        found = first(key, role)
        return found[1].value if found else None

    hip = Precaution.HIP_POSTERIOR in profile.precautions
    out: list[Sizing] = []
    for key, what in SEAT_WHAT.items():
        for item_id, answer in inputs.get(key, {}).get("height", []):
            if answer.number is not None and profile.knee_height_mm:
                out.append(replace(seat_raise(what=what, knee_height_mm=profile.knee_height_mm,
                                              current_height_mm=answer.number, profile=standard,
                                              hip_precautions=hip, units=units), item_id=item_id))
    if profile.aid_width_mm and profile.mobility_aid in AID_NAMES:
        for item_id, answer in inputs.get("door", {}).get("clear_width", []):
            if answer.number is not None:
                out.append(replace(door_fit(clear_width_mm=answer.number, aid_width_mm=profile.aid_width_mm,
                                            aid=AID_NAMES[profile.mobility_aid], units=units), item_id=item_id))
    rails = first("stair_rail", "rails")
    count, going = number("stair_rail", "count"), number("stair_rail", "going")
    if rails and rails[1].value in ("none", "one", "partial") and count and going:
        out.append(replace(stair_rail(steps=int(count), going_mm=going, profile=standard, existing=rails[1].value,
                                      units=units), item_id=rails[0]))
    if (inner := first("bath_board", "inner_width")) and inner[1].number is not None:
        out.append(replace(bath_board(inner_width_mm=inner[1].number, units=units), item_id=inner[0]))
    if (setup := first("bathing_seat", "setup")) and setup[1].value:
        stand = value("bathing_seat", "stand")
        seat = bathing_seat(
            setup=setup[1].value, transfer=value("bathing_seat", "transfer"),
            can_stand=None if stand not in ("yes", "no") else stand == "yes", hip_precautions=hip,
            uses_frame_or_chair=profile.mobility_aid in AID_NAMES, falls=profile.falls_last_12_months > 0,
            profile=standard, knee_height_mm=profile.knee_height_mm, units=units)
        if seat is not None:
            out.append(replace(seat, item_id=setup[0]))
    if (worktop := first("perching_stool", "worktop")) and worktop[1].number is not None and profile.knee_height_mm:
        out.append(replace(perching_stool(knee_height_mm=profile.knee_height_mm, worktop_height_mm=worktop[1].number,
                                          units=units), item_id=worktop[0]))
    if (support := first("toilet_rail", "support")) and support[1].value == "none":
        out.append(replace(toilet_grab_rail(profile=standard, units=units, stronger=profile.weak_side.stronger),
                           item_id=support[0]))
    out += _ramp(first, number, profile, standard, units)
    return out


def _ramp(first, number, profile: ClientProfile, standard: StandardProfile, units: DisplayUnits) -> list[Sizing]:
    """A ramp is sized for wheeled mobility, from the total rise (or steps × riser) and the space."""
    if profile.mobility_aid not in WHEELED:
        return []
    rise = number("ramp", "rise")
    steps, riser = number("ramp", "steps"), number("ramp", "step_height")
    if rise is None and steps and riser:
        rise = steps * riser
    if not rise:
        return []
    anchor = first("ramp", "steps") or first("ramp", "rise")
    space = number("ramp", "space")
    sizing = ramp(rise_mm=rise, available_run_mm=space, profile=standard, units=units)
    return [replace(sizing, item_id=anchor[0] if anchor else "")]
