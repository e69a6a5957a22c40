"""A realistic demo: an older adult home from hospital after a hip replacement.

Zoë (80) had a right total hip replacement by the posterior approach, uses a walking frame,
fell at home last year and lives alone. The visit covers nine rooms; most answers are the safe
ones, and the answers listed in ``HAZARDS`` are what the therapist actually found.
"""

from __future__ import annotations

from datetime import date, timedelta

from homeassess.domain.checklist import Check, Item, ItemKind, NOT_APPLICABLE
from homeassess.domain.client import ClientProfile, client_tags
from homeassess.domain.findings import Context
from homeassess.domain.profiles import StandardProfile
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext

CLIENT = dict(
    given_name="Zoë", family_name="Ångström-Nuñez", preferred_name="Zoë", date_of_birth=date(1946, 5, 2),
    address="14 Larch Grove\nHeadington\nOxford OX3 9QP", phone="01865 555 0142",
    identifiers={"NHS number": "943 476 5919"}, conditions=["hip_replacement", "arthritis"],
    other_conditions="Osteoarthritis of both knees; high blood pressure", precautions=["hip_posterior"],
    precaution_notes="Right total hip replacement, posterior approach, 12 February. Precautions for six weeks.",
    mobility_aid="walking_frame", aid_width_mm=560, aid_length_mm=480, knee_height_mm=520, weight_kg=68,
    height_mm=1620, falls_last_12_months=1, cognition="intact", vision="normal", hearing="normal",
    lives_alone=True, has_carers=False,
    contacts=[{"name": "Ingrid Ångström", "relationship": "daughter", "phone": "07700 900 461"},
              {"name": "Łukasz Wróbel", "relationship": "neighbour, holds a key", "phone": "07700 900 118"}],
    notes="Keen to stay at home. Daughter visits at weekends.",
)
GOALS = [
    ("I want to have a shower on my own again without being frightened of falling", "Showering"),
    ("Get to the toilet at night without falling", "Toileting"),
    ("Make a cup of tea and carry it to my chair", "Kitchen tasks"),
]
VISIT = dict(
    therapist_name="Sam Patel", therapist_profession="Occupational Therapist", therapist_registration="OT61234",
    organisation="Oxford Community Therapy Team", standard="UK", units="metric",
    referral_reason="Home after a right hip replacement; fell at home last August; lives alone.",
    people_present="Zoë; her daughter Ingrid joined by phone", property_type="Two-storey terraced house",
    tenure="Owner-occupier",
    property_notes="Only toilet and bathroom are upstairs. Front door has two steps up from the path. "
                   "Solid brick walls; carpet throughout except kitchen and bathroom (vinyl).",
)
ROOMS = [("entrance", "Front entrance"), ("hallway", "Hallway"), ("stairs", "Stairs"), ("living_room", "Living room"),
         ("kitchen", "Kitchen"), ("bathroom", "Bathroom"), ("toilet", "Toilet"), ("bedroom", "Bedroom"),
         ("whole_house", "Whole house")]

# What the therapist found (item id -> answer); everything else gets the safe answer.
HAZARDS: dict[str, str | float] = {
    "entrance.steps_present": "yes", "entrance.step_count": 2, "entrance.step_height": 185, "entrance.ramp_space": 1500,
    "entrance.step_rail": "one", "entrance.lighting": "no", "entrance.key_safe": "no",
    "entrance.threshold_height": 12, "entrance.house_number": "no", "entrance.see_visitor": "no",
    "hallway.rugs": "loose", "hallway.night_light": "no", "hallway.switch_contrast": "no",
    "hallway.door_width": 740, "hallway.light_level": 160,
    "stairs.used": "yes", "stairs.count": 13, "stairs.manages": "with_difficulty", "stairs.rails": "both",
    "stairs.riser": 205, "stairs.going": 235, "stairs.carrying": "no",
    "living_room.chair_height": 430, "living_room.light_level": 210,
    "kitchen.daily_items_reach": "no", "kitchen.carry_meals": "carried_with_aid", "kitchen.standing_tolerance": "no",
    "kitchen.hand_tasks": "no", "kitchen.gas": "gas", "kitchen.taps": "lever", "kitchen.worktop_height": 900,
    "bathroom.setup": "bath_only", "bathroom.bath_transfer": "with_difficulty", "bathroom.rim_height": 500,
    "bathroom.bath_inner_width": 560, "bathroom.shower_rail": "yes", "bathroom.water_temp": 52,
    "bathroom.door_opens": "inward", "bathroom.handheld_shower": "no",
    "toilet.seat_height": 400, "toilet.support": "frame", "toilet.hygiene": "no", "toilet.paper_reach": "no",
    "toilet.seat_contrast": "no", "toilet.transfer": "with_difficulty",
    "bedroom.bed_height": 480, "bedroom.bed_transfer": "safely", "bedroom.dressing": "yes",
    "whole_house.smoke_alarms": "working", "whole_house.co_alarm": "fitted", "whole_house.call_for_help": "not_worn",
    "whole_house.hot_water": 52, "whole_house.rcd": "no", "whole_house.emergency_contacts": "no",
    "whole_house.medication": "blister", "whole_house.levels": 2,
}
NOTES: dict[str, str] = {
    "entrance.step_rail": "Rail on the left going up only; Zoë's stronger side is the left.",
    "hallway.rugs": "Runner rug by the front door curls at the corner.",
    "stairs.manages": "Step-to pattern, both hands on rails, stops halfway. Toilet and bathroom are upstairs.",
    "living_room.chair_height": "Favourite armchair; cushion compresses to 430 mm.",
    "bathroom.bath_transfer": "Has been strip-washing at the basin since discharge.",
    "toilet.seat_height": "Standard pan, 400 mm to top of seat; no raised seat yet.",
    "whole_house.call_for_help": "Has a pendant from the council but keeps it in a drawer.",
    "whole_house.notes": "Daughter Ingrid visits weekends; neighbour Łukasz holds a spare key.",
}


def _limits(check: Check, ctx: Context) -> tuple[float | None, float | None]:
    """The (minimum, maximum) a value must respect so this check does not fire."""
    if check.below is not None:
        return check.below.resolve(ctx.standard, ctx.measures), None
    if check.above is not None:
        return None, check.above.resolve(ctx.standard, ctx.measures)
    if check.outside is not None:
        return (check.outside[0].resolve(ctx.standard, ctx.measures),
                check.outside[1].resolve(ctx.standard, ctx.measures))
    return None, None


def safe_answer(item: Item, ctx: Context) -> str | float | None:
    """An answer that makes no finding for this client (None: leave unanswered)."""
    triggers = {v for c in item.checks for v in c.when}
    if item.kind is ItemKind.YES_NO:
        return next((v for v in ("yes", "no") if v not in triggers), NOT_APPLICABLE)
    if item.kind is ItemKind.CHOICE:
        return next((o.value for o in item.options if o.value not in triggers), NOT_APPLICABLE)
    if item.kind not in (ItemKind.MEASURE, ItemKind.COUNT) or not item.checks:
        return None
    lows, highs = zip(*(_limits(c, ctx) for c in item.checks))
    low = max((x for x in lows if x is not None), default=None)
    high = min((x for x in highs if x is not None), default=None)
    if low is not None and high is not None:
        value = (low + high) / 2 if low <= high else None
    elif low is not None:
        value = low * 1.08 + 1
    elif high is not None:
        value = high * 0.9
    else:
        value = None
    if value is None:
        return None
    return float(round(value)) if item.kind is ItemKind.COUNT or value > 20 else round(value, 1)


def _answer(ctx: AppContext, room_id: str, item: Item, answer: str | float) -> None:
    if isinstance(answer, str):
        A.set_answer(ctx, room_id, item.id, value=answer, confirm_unusual=True)
    else:
        A.set_answer(ctx, room_id, item.id, number=float(answer), confirm_unusual=True)


def create_demo(ctx: AppContext, *, visit_date: date | None = None) -> str:
    """Create the demo client and a completed home visit; returns the assessment id."""
    client, _ = C.create_client(ctx, allow_duplicate=True, **CLIENT)
    goals = [C.add_goal(ctx, client.id, text, activity)[0] for text, activity in GOALS]
    assessment, _ = A.create_assessment(ctx, client.id, kind="home",
                                        visit_date=visit_date or ctx.clock.today() - timedelta(days=1), **VISIT)
    from homeassess.services.visit_record import SharePerson, record_verbal_consent  # consent before photos
    record_verbal_consent(ctx, assessment.id, given_by=client.display_name, share_with=(
        SharePerson("Ingrid Ångström", "daughter"),))
    profile: ClientProfile = client.profile
    rule_ctx = Context(client_tags(profile, assessment.visit_date), profile.measures(), StandardProfile.UK)
    for room_type, name in ROOMS:
        room, _ = A.add_room(ctx, assessment.id, room_type, name)
        checklist = ctx.registry.get(room_type, assessment.checklist_versions[room_type])
        for item in checklist.items:
            answer = HAZARDS.get(item.id, safe_answer(item, rule_ctx))
            if answer is not None:
                _answer(ctx, room.id, item, answer)
            if item.id in NOTES:
                A.set_note(ctx, room.id, item.id, NOTES[item.id])
    _review_recommendations(ctx, assessment.id, goals)
    _prepare_order(ctx, assessment.id)
    return assessment.id


GOAL_LINKS = ("rec.bathroom.bath_board", "rec.hallway.night_lights", "rec.kitchen.trolley")


def _review_recommendations(ctx: AppContext, assessment_id: str, goals: list) -> None:
    """The therapist agrees the plan with Zoë: all but the low-priority ones agreed (those are still to
    discuss), one declined, goals linked."""
    recs = R.list_recommendations(ctx, assessment_id)
    on = A.get_assessment(ctx, assessment_id).visit_date
    for rec in recs:
        if rec.tier.value <= 3:
            R.set_status(ctx, rec.id, "agreed", on=on, decided_by="client")
    for goal, template_id in zip(goals, GOAL_LINKS, strict=True):
        match = next((r for r in recs if r.template_id == template_id), None)
        if match is not None:
            R.link_goal(ctx, match.id, goal.id)
    declinable = [r for r in recs if r.tier.value >= 3 and r.cost in ("medium", "high")]
    if declinable:
        R.set_status(ctx, declinable[-1].id, "declined", on=on, decided_by="client",
                     why="Zoë would rather wait and see how she manages")


ORDER_HEADER = dict(
    therapist_phone="01865 555 0190", therapist_email="sam.patel@octt.example.nhs.uk", order_urgency="soon",
    delivery_contact="Ingrid Ångström (daughter), 07700 900 461; or Zoë on 01865 555 0142",
    access_notes="Two steps up to the front door, no ramp. Ring and wait: Zoë takes a minute to reach the door. "
                 "Toilet and bathroom are upstairs.",
    safety_alerts="Small dog (friendly); Zoë will shut it in the kitchen. No other alerts.",
)
FIT_LOCATIONS = {"rec.toilet.grab_rail": "Left wall beside the pan (Zoë's stronger side), 200 mm in front of the pan",
                 "rec.entrance.step_rail": "Right-hand side of the front steps going up"}


def _prepare_order(ctx: AppContext, assessment_id: str) -> None:
    """The therapist picks products (some from a local supplier's price list) and fills in the order header."""
    from importlib import resources

    from homeassess.services import catalogue as K
    from homeassess.services import costs as K2

    with resources.as_file(resources.files("homeassess.resources") / "demo_supplier.csv") as path:
        K.import_supplier_csv(ctx, path, region=StandardProfile.UK)
    K2.set_order_header(ctx, assessment_id, **ORDER_HEADER)
    approvals = iter(["CES-24-118734", "CES-24-118735"])
    for rec in R.list_recommendations(ctx, assessment_id):
        if rec.status != "agreed" or rec.category not in ("equipment", "modification"):
            continue
        product = K.suggested_product(ctx, rec.id)
        if product is None:
            continue
        K.choose_product(ctx, rec.id, product.id)
        if rec.template_id in FIT_LOCATIONS:
            K2.set_order_line(ctx, rec.id, fit_location=FIT_LOCATIONS[rec.template_id])
        if product.source == "supplier":
            K2.set_order_line(ctx, rec.id, approval_no=next(approvals, ""))
