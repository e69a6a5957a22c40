"""Equipment sizing for a visit, from its answers and the client (see domain/sizing.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.client import MobilityAid, Precaution
from homeassess.domain.profiles import StandardProfile
from homeassess.domain.sizing import (
    Sizing, bath_board, bathing_seat, door_fit, perching_stool, ramp, seat_raise, stair_rail, toilet_grab_rail,
)
from homeassess.services.clients import profile_of
from homeassess.services.context import AppContext
from homeassess.services.findings import answers_of
from homeassess.services.lookup import get_live

SEATS = (("toilet.seat_height", "toilet"), ("living_room.chair_height", "armchair"),
         ("bedroom.bed_height", "bed"))
DOORS = ("entrance.door_width", "hallway.door_width", "bathroom.door_width", "toilet.door_width",
         "bedroom.door_width")
# Which recommendations a sizing sets the size or fixing height for (catalogue entries carry the same keys).
SIZING_RECOMMENDATIONS = {
    "raise_toilet": ("rec.toilet.raised_seat",),
    "raise_chair": ("rec.living_room.chair_raisers",),
    "raise_bed": ("rec.bedroom.bed_raisers",),
    "bath_board": ("rec.bathroom.bath_board",),
    "bathing_seat": ("rec.bathroom.shower_seat", "rec.bathroom.bath_board"),
    "perching_stool": ("rec.kitchen.perching_stool",),
    "toilet_rail": ("rec.toilet.grab_rail",),
    "stair_rail": ("rec.stairs.second_rail", "rec.stairs.graspable_rail", "rec.stairs.fix_rail"),
    "ramp": ("rec.entrance.ramp", "rec.outdoor.ramp", "rec.garage.ramp", "rec.workplace_access.ramp"),
    "door": ("rec.entrance.offset_hinges", "rec.hallway.offset_hinges", "rec.living_room.offset_hinges",
             "rec.entrance.widen_door", "rec.workplace_access.door"),
}
AID_NAMES = {MobilityAid.WALKING_FRAME: "walking frame", MobilityAid.ROLLATOR: "rollator",
             MobilityAid.MANUAL_WHEELCHAIR: "wheelchair", MobilityAid.POWERED_WHEELCHAIR: "powered wheelchair",
             MobilityAid.SCOOTER: "scooter"}


def visit_sizings(session: Session, assessment: m.Assessment) -> list[tuple[str, Sizing]]:
    """(room name, sizing) for every calculation the recorded measurements allow."""
    profile = profile_of(assessment.client)
    standard = StandardProfile(assessment.standard)
    out: list[tuple[str, Sizing]] = []
    for room in assessment.rooms:
        if room.deleted_at is not None:
            continue
        answers = answers_of(room)

        def number(item_id: str) -> float | None:
            answer = answers.get(item_id)
            return answer.number if answer is not None else None

        for item_id, what in SEATS:
            if (height := number(item_id)) is not None and profile.knee_height_mm:
                out.append((room.name, seat_raise(
                    what=what, knee_height_mm=profile.knee_height_mm, current_height_mm=height, profile=standard,
                    hip_precautions=Precaution.HIP_POSTERIOR in profile.precautions)))
        for item_id in DOORS:
            if (width := number(item_id)) is not None and profile.aid_width_mm and profile.mobility_aid in AID_NAMES:
                out.append((room.name, door_fit(clear_width_mm=width, aid_width_mm=profile.aid_width_mm,
                                                aid=AID_NAMES[profile.mobility_aid])))
        rails = answers.get("stairs.rails")
        if rails is not None and rails.value in ("none", "one", "partial"):
            count, going = number("stairs.count"), number("stairs.going")
            if count and going:
                out.append((room.name, stair_rail(steps=int(count), going_mm=going, profile=standard,
                                                  existing=rails.value)))
        if (width := number("bathroom.bath_inner_width")) is not None:
            out.append((room.name, bath_board(inner_width_mm=width)))
        if (setup := answers.get("bathroom.setup")) is not None and setup.value:
            transfer = answers.get("bathroom.bath_transfer")
            stand = answers.get("bathroom.stand_to_wash")
            seat = bathing_seat(
                setup=setup.value, transfer=transfer.value if transfer else None,
                can_stand=None if stand is None or stand.value not in ("yes", "no") else stand.value == "yes",
                hip_precautions=Precaution.HIP_POSTERIOR in profile.precautions,
                uses_frame_or_chair=profile.mobility_aid in AID_NAMES, falls=profile.falls_last_12_months > 0)
            if seat is not None:
                out.append((room.name, seat))
        if (worktop := number("kitchen.worktop_height")) is not None and profile.knee_height_mm:
            out.append((room.name, perching_stool(knee_height_mm=profile.knee_height_mm, worktop_height_mm=worktop)))
        support = answers.get("toilet.support")
        if support is not None and support.value == "none":
            out.append((room.name, toilet_grab_rail(profile=standard)))
        steps, riser = number("entrance.step_count"), number("entrance.step_height")
        run = number("entrance.ramp_space")
        if steps and riser and profile.mobility_aid in (MobilityAid.MANUAL_WHEELCHAIR, MobilityAid.POWERED_WHEELCHAIR,
                                                        MobilityAid.SCOOTER):
            out.append((room.name, ramp(rise_mm=steps * riser, available_run_mm=run or 0, profile=standard)))
    return out


def room_sizings(ctx: AppContext, room_id: str) -> list[Sizing]:
    """Sizings for one room, for the room editor."""
    with ctx.uow(read_only=True) as uow:
        room = get_live(uow.session, m.Room, room_id, "room")
        return [s for name, s in visit_sizings(uow.session, room.assessment) if name == room.name]


def sizing_for(sizings: list[tuple[str, Sizing]], template_id: str | None, room_name: str | None,
               standard: StandardProfile | None = None) -> Sizing | None:
    """The sizing that sets a recommendation's size or height: same room first, then anywhere in the visit."""
    if not template_id:
        return None
    matches = [(name, s) for name, s in sizings if template_id in SIZING_RECOMMENDATIONS.get(s.key, ())]
    same_room = [s for name, s in matches if name == room_name]
    found = (same_room or [s for _, s in matches] or [None])[0]
    if found is None and standard is not None and template_id in SIZING_RECOMMENDATIONS["toilet_rail"]:
        return toilet_grab_rail(profile=standard)  # needs no measurement, only the standard
    return found
