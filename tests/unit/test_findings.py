"""Rules make findings from answers *and* the client (fixture checklist, so tests stay exact)."""

from __future__ import annotations

from datetime import date

import pytest

from homeassess.checklists.registry import Registry
from homeassess.domain.client import (
    AidUse, ClientProfile, Cognition, Condition, Equipment, MobilityAid, Precaution, Symptom, client_tags,
)
from homeassess.domain.findings import Answer, Context, completeness, derive_findings
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import StandardProfile

TODAY = date(2026, 3, 10)


def ctx_for(profile: ClientProfile, standard: StandardProfile = StandardProfile.UK) -> Context:
    return Context(client_tags(profile, TODAY), profile.measures(), standard)


def findings(registry: Registry, answers: dict[str, Answer], profile: ClientProfile,
             standard: StandardProfile = StandardProfile.UK) -> dict:
    checklist = registry.latest("demo_room")
    return {f.item_id: f for f in derive_findings(checklist, answers, ctx_for(profile, standard))}


def door(width: float) -> dict[str, Answer]:
    return {"demo_room.door_width": Answer("demo_room.door_width", number=width)}


def test_narrow_door_is_a_finding_for_a_wheelchair_user_only(fixture_registry: Registry) -> None:
    wheelchair = ClientProfile(mobility_aid=MobilityAid.MANUAL_WHEELCHAIR)
    result = findings(fixture_registry, door(760), wheelchair)
    assert result["demo_room.door_width"].tier is Tier.P1
    assert result["demo_room.door_width"].limit_low == 850
    assert findings(fixture_registry, door(760), ClientProfile()) == {}


def test_door_threshold_depends_on_standard_profile(fixture_registry: Registry) -> None:
    wheelchair = ClientProfile(mobility_aid=MobilityAid.POWERED_WHEELCHAIR)
    assert findings(fixture_registry, door(830), wheelchair, StandardProfile.US) == {}
    assert "demo_room.door_width" in findings(fixture_registry, door(830), wheelchair, StandardProfile.AU)


def test_walker_door_limit_is_relative_to_the_frame_width(fixture_registry: Registry) -> None:
    walker = ClientProfile(mobility_aid=MobilityAid.WALKING_FRAME, aid_width_mm=620)
    assert "demo_room.door_width" in findings(fixture_registry, door(700), walker)
    assert findings(fixture_registry, door(730), walker) == {}
    no_width = ClientProfile(mobility_aid=MobilityAid.WALKING_FRAME)
    assert findings(fixture_registry, door(500), no_width) == {}


def test_missing_rail_rises_in_priority_with_falls_history(fixture_registry: Registry) -> None:
    answers = {"demo_room.rail": Answer("demo_room.rail", value="no")}
    plain = findings(fixture_registry, answers, ClientProfile())["demo_room.rail"]
    faller = findings(fixture_registry, answers, ClientProfile(falls_last_12_months=2))["demo_room.rail"]
    assert plain.tier is Tier.P2 and plain.score == 8
    assert faller.tier is Tier.P1 and faller.score == 16
    assert "fall in the last year" in faller.reason


def test_hot_water_over_the_profile_limit(fixture_registry: Registry) -> None:
    answers = {"demo_room.hot_water": Answer("demo_room.hot_water", number=49.0)}
    assert "demo_room.hot_water" in findings(fixture_registry, answers, ClientProfile(), StandardProfile.UK)
    assert findings(fixture_registry, answers, ClientProfile(), StandardProfile.US) == {}


def test_cognitive_impairment_escalates_scald_risk(fixture_registry: Registry) -> None:
    answers = {"demo_room.hot_water": Answer("demo_room.hot_water", number=60.0)}
    plain = findings(fixture_registry, answers, ClientProfile())["demo_room.hot_water"]
    dementia = findings(fixture_registry, answers, ClientProfile(conditions=frozenset({Condition.DEMENTIA}),
                                                                   cognition=Cognition.MODERATE))["demo_room.hot_water"]
    assert dementia.score > plain.score


def test_hidden_items_make_no_findings(fixture_registry: Registry) -> None:
    answers = {"demo_room.rail": Answer("demo_room.rail", value="no"),
               "demo_room.rail_height": Answer("demo_room.rail_height", number=600.0)}
    assert "demo_room.rail_height" not in findings(fixture_registry, answers, ClientProfile())
    answers["demo_room.rail"] = Answer("demo_room.rail", value="yes")
    result = findings(fixture_registry, answers, ClientProfile())
    assert result["demo_room.rail_height"].comparator == "outside"
    assert (result["demo_room.rail_height"].limit_low, result["demo_room.rail_height"].limit_high) == (900, 1000)


def test_not_applicable_is_never_a_finding(fixture_registry: Registry) -> None:
    answers = {"demo_room.rail": Answer("demo_room.rail", value="na")}
    assert findings(fixture_registry, answers, ClientProfile(falls_last_12_months=3)) == {}


def test_completeness_counts_visible_non_text_items(fixture_registry: Registry) -> None:
    checklist = fixture_registry.latest("demo_room")
    assert completeness(checklist, {}).total == 4
    answers = {"demo_room.rail": Answer("demo_room.rail", value="yes")}
    done = completeness(checklist, answers)
    assert (done.answered, done.total) == (1, 5)


@pytest.mark.parametrize(("profile", "expected"), [
    (ClientProfile(precautions=frozenset({Precaution.HIP_POSTERIOR})), {"hip_precautions", "precautions"}),
    (ClientProfile(mobility_aid=MobilityAid.ROLLATOR), {"walker", "walking_aid"}),
    (ClientProfile(mobility_aid=MobilityAid.STICK), {"walking_aid"}),
    (ClientProfile(conditions=frozenset({Condition.MULTIPLE_SCLEROSIS})), {"ms", "sensory_loss", "heat_sensitive",
                                                                           "fatigue"}),
    (ClientProfile(symptoms=frozenset({Symptom.REDUCED_SENSATION, Symptom.FREEZING})), {"sensory_loss", "freezing"}),
    (ClientProfile(conditions=frozenset({Condition.SPINAL_SURGERY, Condition.AUTISM})), {"back_injury", "autism"}),
    (ClientProfile(weight_kg=160, equipment=(Equipment("Bed", 150), Equipment("Chair", None))),
     {"equipment_overloaded"}),
    (ClientProfile(weight_kg=120, equipment=(Equipment("Bed", 150),)), set()),
    (ClientProfile(date_of_birth=date(1950, 3, 11)), {"older_adult"}),
    (ClientProfile(date_of_birth=date(2015, 1, 1)), {"child"}),
    (ClientProfile(lives_alone=True, falls_last_12_months=1), {"lives_alone", "falls_history"}),
])
def test_client_tags(profile: ClientProfile, expected: set[str]) -> None:
    assert client_tags(profile, TODAY) == expected


def test_an_outdoor_aid_is_the_one_that_must_fit_outside_and_only_there() -> None:
    profile = ClientProfile(mobility_aid=MobilityAid.STICK, second_aid=MobilityAid.SCOOTER,
                            second_aid_use=AidUse.OUTDOORS)
    assert "scooter" in client_tags(profile.for_room("entrance"), TODAY)
    assert "walking_aid" not in client_tags(profile.for_room("garage"), TODAY)
    assert client_tags(profile.for_room("bathroom"), TODAY) == {"walking_aid"}
    assert profile.part_time() is None


def test_a_part_time_aid_is_checked_everywhere_as_well() -> None:
    profile = ClientProfile(mobility_aid=MobilityAid.CRUTCHES, second_aid=MobilityAid.MANUAL_WHEELCHAIR,
                            second_aid_use=AidUse.PART_TIME)
    assert profile.for_room("entrance") is profile          # the main aid stays in every room
    part_time = profile.part_time()
    assert part_time is not None and part_time.mobility_aid is MobilityAid.MANUAL_WHEELCHAIR
    assert "wheelchair" in client_tags(part_time, TODAY) and "part_time_aid" in client_tags(profile, TODAY)


def test_the_editor_shows_revealed_items_right_after_the_item_that_reveals_them() -> None:
    from homeassess.checklists.registry import Registry
    from homeassess.domain.item_order import editor_order

    for checklist in Registry.load().room_types():
        order = [i.id for i in editor_order(checklist.items)]
        assert sorted(order) == sorted(i.id for i in checklist.items)
        for item in checklist.items:
            if item.show_if is not None:
                assert order.index(item.id) > order.index(item.show_if.item), item.id
