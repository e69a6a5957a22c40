"""Engine rules that decide the list a therapist signs: options, one fact one finding, one
recommendation per purpose, sizing that decides the finding, and condition advice that only
fills gaps (DESIGN §2, REFERENCE §5.1, §5.7). Real shipped checklists, real services; the tests taking
``any_ctx`` run on the SQLite file and on a PostgreSQL team server."""

from __future__ import annotations

from datetime import date

from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext


def visit(ctx: AppContext, *, standard: str = "UK", units: str = "metric", kind: str = "home", **profile: object) -> str:
    profile.setdefault("date_of_birth", date(1950, 1, 1))
    client, _ = C.create_client(ctx, given_name="Test", family_name="Client", allow_duplicate=True, **profile)
    assessment, _ = A.create_assessment(ctx, client.id, standard=standard, kind=kind)
    if units != "metric":
        A.update_assessment(ctx, assessment.id, units=units)
    return assessment.id


def room(ctx: AppContext, visit_id: str, room_type: str, **answers: object) -> str:
    view, _ = A.add_room(ctx, visit_id, room_type)
    for item, value in answers.items():
        item_id = f"{room_type}.{item}"
        if isinstance(value, (int, float)):
            A.set_answer(ctx, view.id, item_id, number=value)
        else:
            A.set_answer(ctx, view.id, item_id, value=value)
    return view.id


def recs(ctx: AppContext, visit_id: str):  # noqa: ANN201
    return R.list_recommendations(ctx, visit_id)


def test_a_door_the_wheelchair_passes_makes_no_finding_whatever_the_benchmark(ctx: AppContext) -> None:
    v = visit(ctx, standard="UK", mobility_aid="powered_wheelchair", aid_width_mm=700, aid_length_mm=1250)
    room(ctx, v, "bathroom", door_width=810)          # 700 + 2 × 50 = 800: fits, 10 mm spare
    assert not [f for f in R.list_findings(ctx, v) if f.item_id == "bathroom.door_width"]
    assert not [r for r in recs(ctx, v) if "door" in r.title.lower()]


def test_a_door_a_little_short_offers_hinges_before_widening(any_ctx: AppContext) -> None:
    ctx = any_ctx
    v = visit(ctx, standard="US", units="imperial", mobility_aid="manual_wheelchair", aid_width_mm=640,
              aid_length_mm=1050)
    room(ctx, v, "bathroom", door_width=720)
    door = next(r for r in recs(ctx, v) if r.options and any("hinges" in o.title for o in r.options))
    assert door.template_id == "rec.choices.swing_clear_hinges"
    assert [o.template_id for o in door.options][-1] == "rec.choices.widen_doorway"
    assert "0.8 in (20 mm) short" in door.choice_reason and door.choice_reason.startswith("From the measurements")


def test_a_door_far_too_narrow_is_widened_and_hinges_are_ruled_out(ctx: AppContext) -> None:
    v = visit(ctx, mobility_aid="manual_wheelchair", aid_width_mm=640, aid_length_mm=1050)
    room(ctx, v, "bedroom", door_width=650)
    door = next(r for r in recs(ctx, v) if r.options and any("hinges" in o.title for o in r.options))
    assert door.template_id == "rec.choices.widen_doorway"
    hinges = next(o for o in door.options if "hinges" in o.title)
    assert not hinges.suitable and "90 mm short" in hinges.note


def test_a_ramp_that_does_not_fit_with_its_landings_becomes_a_lift(ctx: AppContext) -> None:
    v = visit(ctx, standard="US", units="imperial", mobility_aid="manual_wheelchair", aid_width_mm=640,
              aid_length_mm=1050)
    room(ctx, v, "entrance", steps_present="yes", step_count=3, step_height=180, ramp_space=5000)
    entry = next(r for r in recs(ctx, v) if any(o.template_id == "rec.entrance.ramp" for o in r.options))
    assert entry.template_id == "rec.choices.step_lift"
    ramp = next(o for o in entry.options if o.template_id == "rec.entrance.ramp")
    assert not ramp.suitable and "does not fit" in ramp.note
    assert "31 ft 3 in (9530 mm)" in entry.choice_reason and "fits" not in entry.family_text


def test_a_ramp_that_fits_is_preselected_with_the_lift_as_the_other_option(ctx: AppContext) -> None:
    v = visit(ctx, standard="US", mobility_aid="manual_wheelchair", aid_width_mm=640, aid_length_mm=1050)
    room(ctx, v, "entrance", steps_present="yes", step_count=1, step_height=150, ramp_space=8000)
    entry = next(r for r in recs(ctx, v) if any(o.template_id == "rec.entrance.ramp" for o in r.options))
    assert entry.template_id == "rec.entrance.ramp" and "→ fits" in entry.choice_reason
    assert {o.template_id for o in entry.options if o.suitable} >= {"rec.choices.step_lift"}


def test_toilet_seat_frame_and_rail_are_one_recommendation_sized_by_knee_height(any_ctx: AppContext) -> None:
    ctx = any_ctx
    v = visit(ctx, knee_height_mm=520, mobility_aid="walking_frame", aid_width_mm=560, aid_length_mm=480,
              conditions=["knee_replacement"])
    room(ctx, v, "toilet", seat_height=410, transfer="with_difficulty", support="none")
    toilet = [r for r in recs(ctx, v) if r.template_id in ("rec.toilet.raised_seat", "rec.toilet.frame",
                                                             "rec.toilet.grab_rail")]
    assert len(toilet) == 1 and len(toilet[0].options) == 3
    assert toilet[0].template_id == "rec.toilet.raised_seat" and "choose 100 mm" in toilet[0].choice_reason


def test_a_seat_already_at_knee_height_rules_out_the_raised_seat(ctx: AppContext) -> None:
    v = visit(ctx, knee_height_mm=450, falls_last_12_months=2)
    room(ctx, v, "toilet", seat_height=440, transfer="with_difficulty", support="none")
    toilet = next(r for r in recs(ctx, v) if r.options and any("raised" in o.title.lower() for o in r.options))
    assert toilet.template_id != "rec.toilet.raised_seat"
    assert not next(o for o in toilet.options if o.template_id == "rec.toilet.raised_seat").suitable


def test_one_fact_asked_in_two_rooms_gives_one_finding(any_ctx: AppContext) -> None:
    ctx = any_ctx
    v = visit(ctx, conditions=["stroke"])
    room(ctx, v, "bathroom", water_temp=58)
    room(ctx, v, "whole_house", hot_water=60)
    hot = [f for f in R.list_findings(ctx, v) if f.item_id in ("bathroom.water_temp", "whole_house.hot_water")]
    assert len(hot) == 1
    assert len([r for r in recs(ctx, v) if "mixing valve" in r.title.lower() or "water heater" in r.title.lower()]) == 1


def test_loose_rugs_in_two_rooms_are_one_recommendation_naming_both(any_ctx: AppContext) -> None:
    ctx = any_ctx
    v = visit(ctx, falls_last_12_months=1)
    room(ctx, v, "hallway", rugs="loose")
    room(ctx, v, "living_room", rugs="loose")
    rugs = [r for r in recs(ctx, v) if "rug" in r.title.lower()]
    assert len(rugs) == 1 and rugs[0].room_name == "Hallway and circulation, Living room" and len(rugs[0].finding_ids) == 2


def test_condition_advice_gives_way_to_the_finding_with_the_same_purpose(ctx: AppContext) -> None:
    v = visit(ctx, lives_alone=True, falls_last_12_months=2)
    room(ctx, v, "whole_house", call_for_help="none")
    alarms = [r for r in recs(ctx, v) if "alarm" in r.title.lower() and "smoke" not in r.title.lower()]
    assert len(alarms) == 1 and alarms[0].origin == "finding"


def test_within_a_tier_free_quick_fixes_come_first(ctx: AppContext) -> None:
    v = visit(ctx, falls_last_12_months=1, mobility_aid="walking_frame", aid_width_mm=560, aid_length_mm=480)
    room(ctx, v, "hallway", rugs="loose", clutter="no", night_light="no")
    listed = recs(ctx, v)
    cost = ["free", "low", "medium", "high"]
    effort = ["quick", "days", "weeks", "months"]
    for tier in {r.tier for r in listed}:
        keys = [cost.index(r.cost) + effort.index(r.effort) for r in listed if r.tier is tier]
        assert keys == sorted(keys)


def test_workplace_visits_use_workplace_words_and_no_home_condition_advice(ctx: AppContext) -> None:
    v = visit(ctx, kind="workplace", lives_alone=True, falls_last_12_months=1)
    room(ctx, v, "workstation", breaks="no")
    for rec in recs(ctx, v):
        assert rec.room_name != "Whole home"
        assert rec.origin != "condition" or "workplace" in ctx.registry.recommendation(rec.template_id).condition_visits


def test_a_suggestion_from_before_it_joined_a_choice_is_kept_and_becomes_the_choice(any_ctx: AppContext) -> None:
    ctx = any_ctx
    from homeassess.db import models as m

    v = visit(ctx, knee_height_mm=520, conditions=["knee_replacement"])
    toilet = room(ctx, v, "toilet", seat_height=410)
    seat = next(r for r in recs(ctx, v) if r.template_id == "rec.toilet.raised_seat")
    R.set_status(ctx, seat.id, "agreed")
    with ctx.uow() as uow:  # as an older version stored it: keyed by its own template, no options
        row = uow.session.get(m.Recommendation, seat.id)
        row.group_key, row.options = row.template_id, []
    A.set_answer(ctx, toilet, "toilet.support", value="none")   # any edit re-derives the visit
    toilet_recs = [r for r in recs(ctx, v) if r.room_id == toilet and r.options]
    assert [(r.id, r.status) for r in toilet_recs] == [(seat.id, "agreed")]
    assert len(toilet_recs[0].options) == 3


def test_a_need_the_profile_implies_is_suggested_to_check_until_the_item_is_answered(ctx: AppContext) -> None:
    v = visit(ctx, conditions=["multiple_sclerosis"])
    bathroom = room(ctx, v, "bathroom", setup="shower_over_bath")
    to_check = [f for f in R.list_findings(ctx, v) if f.title.startswith("To check at the visit")]
    assert {f.item_id for f in to_check} == {"bathroom.stand_to_wash", "bathroom.bath_transfer"}
    assert all(f.tier.value >= 3 for f in to_check)
    seat = next(r for r in recs(ctx, v) if r.template_id == "rec.bathroom.shower_seat")
    assert seat.tier.value == 3 and seat.reason.endswith("To check at the visit.")
    A.set_answer(ctx, bathroom, "bathroom.stand_to_wash", value="yes")   # graded: stands safely
    assert not [r for r in recs(ctx, v) if r.template_id == "rec.bathroom.shower_seat"]
    plain = visit(ctx)
    room(ctx, plain, "bathroom", setup="shower_over_bath")
    assert not [f for f in R.list_findings(ctx, plain) if f.title.startswith("To check")]


def test_long_hours_at_the_computer_raise_the_workstation_strain(ctx: AppContext) -> None:
    short_day = visit(ctx, kind="workplace")
    room(ctx, short_day, "workstation", hours="one_to_four", breaks="no")
    long_day = visit(ctx, kind="workplace")
    room(ctx, long_day, "workstation", hours="over_4", breaks="no")
    [short] = [f for f in R.list_findings(ctx, short_day) if f.item_id == "workstation.breaks"]
    [long] = [f for f in R.list_findings(ctx, long_day) if f.item_id == "workstation.breaks"]
    assert long.likelihood == short.likelihood + 1
    assert "more than four hours a day" in long.reason and "hours" not in short.reason


def test_the_measured_total_rise_sizes_the_ramp_rather_than_steps_times_the_tallest(ctx: AppContext) -> None:
    v = visit(ctx, standard="US", mobility_aid="manual_wheelchair", aid_width_mm=640, aid_length_mm=1050)
    room(ctx, v, "entrance", steps_present="yes", step_count=3, step_height=200, total_rise=500, ramp_space=20000)
    entry = next(r for r in recs(ctx, v) if any(o.template_id == "rec.entrance.ramp" for o in r.options))
    assert "rise 500 mm × 12" in entry.choice_reason


def test_climbing_and_leaving_home_are_asked_for_any_age(ctx: AppContext) -> None:
    child = visit(ctx, date_of_birth=date(2020, 5, 1), behaviours=["leaves_home", "climbs"])
    room(ctx, child, "whole_house", window_restrictors="no", outside_doors="no")
    findings = {f.item_id: f for f in R.list_findings(ctx, child)}
    assert findings["whole_house.window_restrictors"].tier.value == 1
    assert "whole_house.outside_doors" in findings
    doors = [r for r in recs(ctx, child) if r.template_id == "rec.general.exit_alert"]
    assert len(doors) == 1 and doors[0].origin == "finding"   # the finding, not the condition advice again


def test_a_wheelchair_used_only_at_night_is_checked_at_the_doors_but_is_not_urgent(ctx: AppContext) -> None:
    v = visit(ctx, mobility_aid="crutches", second_aid="manual_wheelchair", second_aid_use="part_time",
              aid_width_mm=640, aid_length_mm=1050)
    room(ctx, v, "bathroom", door_width=720)          # 640 + 2 × 50 = 740: 20 mm short for the chair
    door = next(r for r in recs(ctx, v) if r.options and any("hinges" in o.title for o in r.options))
    assert door.tier == 2 and "on the days you use the manual wheelchair" in door.reason
    assert "20 mm" in door.choice_reason                  # sized for the chair it has to pass


def test_an_outdoor_scooter_is_checked_outside_and_the_stick_indoors(ctx: AppContext) -> None:
    v = visit(ctx, mobility_aid="stick", second_aid="scooter", second_aid_use="outdoors",
              aid_width_mm=600, aid_length_mm=1200)
    room(ctx, v, "bedroom", door_width=700)               # plenty for someone with a stick
    assert not [f for f in R.list_findings(ctx, v) if f.item_id == "bedroom.door_width"]
    from homeassess.db import models as m
    from homeassess.services.findings import context_for
    with ctx.uow(read_only=True) as uow:
        assessment = uow.session.get(m.Assessment, v)
        assert "scooter" in context_for(assessment, "entrance").tags
        assert "scooter" not in context_for(assessment, "bedroom").tags


def test_equipment_rated_below_the_clients_weight_is_replaced_first(ctx: AppContext) -> None:
    v = visit(ctx, weight_kg=160, equipment=[{"name": "Profiling bed", "swl_kg": 150},
                                             {"name": "Shower chair", "swl_kg": 180}])
    rated = next(r for r in recs(ctx, v) if r.template_id == "rec.general.rated_equipment")
    assert rated.tier == 1
    assert "profiling bed is rated for 150 kg" in rated.reason and "shower chair" not in rated.reason


def test_freezing_raises_clutter_whatever_the_diagnosis(ctx: AppContext) -> None:
    plain, freezing = visit(ctx), visit(ctx, symptoms=["freezing"])
    for v in (plain, freezing):
        room(ctx, v, "hallway", clutter="no")
    found = {v: next(f for f in R.list_findings(ctx, v) if f.item_id == "hallway.clutter") for v in (plain, freezing)}
    assert found[freezing].score > found[plain].score and "freezing" in found[freezing].modifiers
    assert "feet tend to freeze" in found[freezing].reason


def test_an_urgent_hazard_gets_one_urgent_answer_and_the_rest_follow_at_p2(ctx: AppContext) -> None:
    v = visit(ctx, cognition="moderate_impairment")
    room(ctx, v, "kitchen", cooker_left_on="yes")     # 4 × 5: urgent, not essential
    (finding,) = [f for f in R.list_findings(ctx, v) if f.item_id == "kitchen.cooker_left_on"]
    tiers = {r.template_id: r.tier for r in recs(ctx, v) if finding.id in r.finding_ids}
    assert tiers == {"rec.kitchen.auto_shutoff": 1, "rec.kitchen.fire_service_visit": 2}


def test_the_clinical_background_shows_symptoms_the_second_aid_and_equipment_ratings(ctx: AppContext) -> None:
    from homeassess.services.reports import build_report_model

    v = visit(ctx, units="imperial", mobility_aid="crutches", second_aid="manual_wheelchair",
              second_aid_use="part_time", symptoms=["freezing", "fatigue"], weight_kg=88,
              equipment=[{"name": "Profiling bed", "swl_kg": 150}])
    fields = {f.label: f.value for f in build_report_model(ctx, v, "clinical").background}
    assert fields["Walking aid"] == "Crutches; manual wheelchair at night or on bad days"
    assert "Freezing of gait" in fields["Symptoms"] and "Fatigue" in fields["Symptoms"]
    assert fields["Equipment in use"] == "Profiling bed, rated for 331 lb (150 kg)"


def test_an_unusual_measurement_is_kept_only_once_confirmed_and_an_impossible_one_never(any_ctx: AppContext) -> None:
    ctx = any_ctx
    import pytest

    from homeassess.domain.errors import UnusualValueError, ValidationError

    v = visit(ctx)
    view, _ = A.add_room(ctx, v, "toilet")
    with pytest.raises(UnusualValueError) as asked:
        A.set_answer(ctx, view.id, "toilet.door_width", number=6600)
    assert "Keep it?" in asked.value.errors[0].message
    assert A.room_editor_data(ctx, view.id).answers.get("toilet.door_width") is None     # nothing stored
    A.set_answer(ctx, view.id, "toilet.door_width", number=6600, confirm_unusual=True)
    assert A.room_editor_data(ctx, view.id).answers["toilet.door_width"].number == 6600
    with pytest.raises(ValidationError, match="possible range"):
        A.set_answer(ctx, view.id, "toilet.door_width", number=99999, confirm_unusual=True)
    assert A.room_editor_data(ctx, view.id).answers["toilet.door_width"].number == 6600  # left intact
