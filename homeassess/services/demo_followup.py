"""The demo's review visit three months on: equipment delivered and used (mostly), goals scored.

Zoë's first visit is dated 13 weeks back; the raised seat, bath board, toilet rail and night
lights went in and are used, the chair raisers were tried and taken off, the second stair rail
and the pendant alarm are still waiting (so they show as overdue). The before/after pictures are
drawn illustrations, not photos of a real home.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from homeassess.domain.lifecycle import Status
from homeassess.services import clients as C
from homeassess.services import followup as F
from homeassess.services import photos as P
from homeassess.services import recommendations as R
from homeassess.services.assessments import get_assessment, list_rooms
from homeassess.services.context import AppContext
from homeassess.services.demo import create_demo

FIRST_VISIT_WEEKS_AGO = 13
GAS = {  # goal text prefix → (levels -2..+2, weight, follow-up level)
    "I want to have a shower": ({"-2": "Cannot wash at all without help", "-1": "Strip-washes at the basin only",
                                 "0": "Showers on the bath board with her daughter nearby",
                                 "1": "Showers on the bath board on her own, twice a week",
                                 "2": "Showers on her own whenever she wants"}, 2, 1),
    "Get to the toilet at night": ({"-2": "A fall on the way to the toilet", "-1": "Uses a commode at night, afraid to walk",
                                    "0": "Walks to the toilet at night with the lights on, no falls",
                                    "1": "As expected, and no longer worried about it",
                                    "2": "As expected, and stopped using the commode altogether"}, 2, 0),
    "Make a cup of tea": ({"-2": "Stopped making drinks", "-1": "Makes tea but drinks it standing in the kitchen",
                           "0": "Carries tea to her chair on the trolley", "1": "Also carries her lunch on the trolley",
                           "2": "Prepares all her own meals and carries them through"}, 1, -1),
}
# template id → steps after the visit: (status, days after the visit, why)
STEPS: dict[str, list[tuple[str, int, str]]] = {
    "rec.toilet.raised_seat": [("ordered", 2, ""), ("installed", 9, ""), ("in_use", 60, "")],
    "rec.bathroom.bath_board": [("ordered", 2, ""), ("installed", 9, ""), ("in_use", 60, "")],
    "rec.toilet.grab_rail": [("installed", 16, ""), ("in_use", 60, "")],
    "rec.hallway.night_lights": [("installed", 3, ""), ("in_use", 60, "")],
    "rec.hallway.remove_rugs": [("installed", 1, ""), ("in_use", 60, "")],
    "rec.living_room.chair_raisers": [("ordered", 2, ""), ("installed", 12, ""),
                                      ("not_used", 40, "Her feet no longer reached the floor; the raisers were "
                                                       "taken off and a firm cushion used instead")],
    "rec.toilet.frame": [("ordered", 2, ""), ("installed", 9, ""), ("in_use", 60, "")],
    "rec.bedroom.bed_raisers": [("ordered", 2, ""), ("installed", 9, ""), ("in_use", 60, "")],
    "rec.general.hip_kit": [("installed", 1, ""), ("in_use", 60, "")],
    "rec.kitchen.reacher": [("installed", 1, ""), ("in_use", 60, "")],
    "rec.whole_house.smoke_alarms": [("installed", 20, ""), ("in_use", 60, "")],
    "rec.kitchen.trolley": [("ordered", 4, "")],
}


def _illustration(path: Path, *, kind: str, after: bool) -> None:
    """A simple drawn scene so the demo can show before/after pairs without shipping photos of a home."""
    img = Image.new("RGB", (1200, 900), "#F1EDE4")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 640, 1200, 900], fill="#B8A98F")  # floor
    if kind == "toilet":
        d.rectangle([470, 420, 730, 660], fill="white", outline="#555", width=4)       # pan
        d.rectangle([520, 160, 780, 430], fill="white", outline="#555", width=4)       # cistern
        seat_top = 360 if after else 400
        d.rectangle([440, seat_top, 760, 430], fill="#DDD" if after else "white", outline="#555", width=4)
        if after:
            d.rounded_rectangle([840, 330, 880, 620], radius=18, fill="#1F5F8B")         # vertical rail
            d.rounded_rectangle([300, 380, 420, 404], radius=10, fill="#1F5F8B")         # arm of seat
    else:  # hallway
        d.rectangle([80, 180, 300, 640], fill="#C9B79C", outline="#555", width=4)      # door
        if not after:
            d.polygon([(350, 700), (900, 700), (930, 760), (330, 770)], fill="#9B2C2C")  # runner rug
            d.polygon([(900, 700), (960, 680), (930, 760)], fill="#7F1D1D")              # curled corner
        else:
            d.ellipse([1000, 520, 1060, 580], fill="#FDE68A", outline="#92400E", width=3)  # night light
            d.pieslice([880, 400, 1180, 700], 90, 270, fill="#FEF3C7")
    d.rectangle([0, 0, 1200, 70], fill="#0B4F6C")
    d.text((24, 14), f"Illustration (demo) - {'after' if after else 'before'}", fill="white",
           font=ImageFont.load_default(size=40))
    img.save(path, "JPEG", quality=88)


def _add_pictures(ctx: AppContext, assessment_id: str, *, after: bool) -> None:
    rooms = {r.room_type: r for r in list_rooms(ctx, assessment_id)}
    with tempfile.TemporaryDirectory() as tmp:
        for room_type, item_id, kind in (("toilet", "toilet.seat_height", "toilet"), ("hallway", "hallway.rugs", "hall")):
            path = Path(tmp) / f"{kind}-{'after' if after else 'before'}.jpg"
            _illustration(path, kind=kind, after=after)
            views, errors = P.add_photos(ctx, assessment_id, rooms[room_type].id, [path])
            assert not errors, errors
            P.link_photo(ctx, views[0].id, room_id=rooms[room_type].id, item_id=item_id)
            P.set_caption(ctx, views[0].id, f"{rooms[room_type].name}, {'at the review' if after else 'first visit'}"
                                            " (drawn illustration)")


def create_follow_up_demo(ctx: AppContext) -> tuple[str, str]:
    """The demo visit 13 weeks back and its review today; returns (first visit id, follow-up id)."""
    today = ctx.clock.today()
    visit_day = today - timedelta(weeks=FIRST_VISIT_WEEKS_AGO)
    first_id = create_demo(ctx, visit_date=visit_day)
    F.set_outcome_measures(ctx, first_id, fes_i=34)
    _add_pictures(ctx, first_id, after=False)
    client_id = get_assessment(ctx, first_id).client_id
    goals = C.get_client(ctx, client_id).goals
    for goal in goals:
        for prefix, (levels, weight, _) in GAS.items():
            if goal.text.startswith(prefix):
                C.update_goal(ctx, goal.id, gas_levels=levels, weight=weight, baseline_level=-1)
    for rec in R.list_recommendations(ctx, first_id):
        if rec.status != Status.AGREED:
            continue
        for status, days, why in STEPS.get(rec.template_id or "", []):
            R.set_status(ctx, rec.id, status, on=visit_day + timedelta(days=days), by="Sam Patel", why=why)
    follow_up, _ = F.start_follow_up(ctx, first_id, visit_date=today)
    from homeassess.services.visit_record import record_verbal_consent  # each visit records its own consent
    record_verbal_consent(ctx, follow_up.id, given_by=C.get_client(ctx, client_id).display_name)
    view = F.follow_up_view(ctx, follow_up.id)
    for review in view.findings:
        statuses = {r.status for r in review.recommendations}
        outcome = ("resolved" if "in_use" in statuses else "improved" if "installed" in statuses
                   else "unchanged" if statuses else None)
        if outcome:
            note = "Raisers taken off; still low" if "not_used" in statuses and outcome == "unchanged" else ""
            F.set_finding_outcome(ctx, follow_up.id, review.finding.id, outcome, note)
    for goal in goals:
        for prefix, (_, _, level) in GAS.items():
            if goal.text.startswith(prefix):
                F.set_goal_score(ctx, follow_up.id, goal.id, level)
    F.set_outcome_measures(ctx, follow_up.id, falls=0, fes_i=24)
    _add_pictures(ctx, follow_up.id, after=True)
    return first_id, follow_up.id
