"""Services against a real database: every write commits, findings follow answers and profile. The tests
taking ``any_fixture_ctx`` run on the SQLite file and on a PostgreSQL team server (tests/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest

from homeassess.domain.errors import AmbiguousIdError, NotFoundError, ValidationError
from homeassess.domain.priority import Tier
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext, open_context


def visit(ctx: AppContext, **profile: object) -> tuple[str, str, str]:
    client, _ = C.create_client(ctx, given_name="Zoë", family_name="Ångström-Nuñez", **profile)
    assessment, _ = A.create_assessment(ctx, client.id, standard="UK", therapist_name="Sam Patel")
    room, _ = A.add_room(ctx, assessment.id, "demo_room")
    return client.id, assessment.id, room.id


def test_each_edit_is_committed_and_visible_to_a_fresh_connection(fixture_ctx: AppContext) -> None:
    client_id, assessment_id, room_id = visit(fixture_ctx)
    A.set_answer(fixture_ctx, room_id, "demo_room.rail", value="no")
    A.set_note(fixture_ctx, room_id, "demo_room.rail", "Loose bracket at the top")
    reopened = open_context(fixture_ctx.data_dir, registry=fixture_ctx.registry, clock=fixture_ctx.clock)
    answers = A.room_answers(reopened, room_id)
    assert answers["demo_room.rail"].value == "no"
    assert answers["demo_room.rail"].note == "Loose bracket at the top"
    assert [f.title for f in R.list_findings(reopened, assessment_id)] == ["No rail at the step"]


def test_assessment_pins_checklist_versions(fixture_ctx: AppContext) -> None:
    _, assessment_id, _ = visit(fixture_ctx)
    assert A.get_assessment(fixture_ctx, assessment_id).checklist_versions == {"demo_room": 1}


def test_changing_the_client_profile_rederives_findings(any_fixture_ctx: AppContext) -> None:
    client_id, assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.door_width", number=760)
    assert R.list_findings(any_fixture_ctx, assessment_id) == []
    C.update_client(any_fixture_ctx, client_id, mobility_aid="manual_wheelchair")
    [finding] = R.list_findings(any_fixture_ctx, assessment_id)
    assert finding.tier is Tier.P1 and finding.threshold_text.startswith("at least 850 mm")
    assert finding.answer_text == "760 mm (30 in)"


def test_untouched_suggestions_go_with_their_finding_but_edited_ones_stay(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="no")
    A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="loose_rug")
    recs = {r.title: r for r in R.list_recommendations(any_fixture_ctx, assessment_id)}
    R.set_status(any_fixture_ctx, recs["Fit a rail"].id, "agreed")
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="yes")
    A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="carpet")
    remaining = R.list_recommendations(any_fixture_ctx, assessment_id)
    assert [r.title for r in remaining] == ["Fit a rail"]
    assert remaining[0].status == "agreed" and remaining[0].finding_ids == ()


def test_recommendations_are_sorted_by_tier_then_score_then_cost(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, room_id = visit(any_fixture_ctx, falls_last_12_months=1, precautions=["hip_posterior"])
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="no")
    A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="loose_rug")
    A.set_answer(any_fixture_ctx, room_id, "demo_room.hot_water", number=60)
    recs = R.list_recommendations(any_fixture_ctx, assessment_id)
    assert [r.tier for r in recs] == sorted(r.tier for r in recs)
    assert recs[0].title == "Fit a rail" and recs[0].reason.startswith("Urgent because")
    condition = next(r for r in recs if r.origin == "condition")
    assert condition.title == "Use a long-handled reacher" and condition.tier is Tier.P2


def test_tier_override_needs_a_reason_which_stays_an_internal_note(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="loose_rug")
    [rec] = R.list_recommendations(any_fixture_ctx, assessment_id)
    with pytest.raises(ValidationError):
        R.change_tier(any_fixture_ctx, rec.id, 1, "")
    why = rec.reason.split(" because ", 1)[1]
    R.change_tier(any_fixture_ctx, rec.id, 1, "the rug is at the top of the stairs")
    [rec] = R.list_recommendations(any_fixture_ctx, assessment_id)
    # The family still reads why it matters, led by the new tier; the therapist's note is kept apart.
    assert rec.tier is Tier.P1 and rec.reason == f"Urgent because {why}"
    assert rec.tier_override_reason == "the rug is at the top of the stairs"


def test_custom_recommendation_and_manual_finding(any_fixture_ctx: AppContext) -> None:
    client_id, assessment_id, room_id = visit(any_fixture_ctx)
    finding_id, _ = R.add_manual_finding(any_fixture_ctx, room_id, title="Dog sleeps across the doorway",
                                         reason="you could trip over the dog at night", hazard="trip",
                                         likelihood=3, consequence=3)
    goal, _ = C.add_goal(any_fixture_ctx, client_id, "Get to the toilet at night safely")
    rec_id, _ = R.add_custom_recommendation(any_fixture_ctx, assessment_id, title="Move the dog bed", tier=2,
                                            reason="the dog sleeps on the route to the toilet",
                                            finding_id=finding_id, room_id=room_id, who="family")
    R.link_goal(any_fixture_ctx, rec_id, goal.id)
    [finding] = R.list_findings(any_fixture_ctx, assessment_id)
    assert finding.origin == "manual" and finding.tier is Tier.P2
    [rec] = R.list_recommendations(any_fixture_ctx, assessment_id)
    assert rec.finding_ids == (finding_id,) and rec.goal_text == "Get to the toilet at night safely"


def test_removing_a_room_hides_its_findings_and_restore_brings_them_back(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="loose_rug")
    [rec] = R.list_recommendations(any_fixture_ctx, assessment_id)
    R.set_status(any_fixture_ctx, rec.id, "agreed")
    A.remove_room(any_fixture_ctx, room_id)
    assert A.list_rooms(any_fixture_ctx, assessment_id) == []
    assert R.list_findings(any_fixture_ctx, assessment_id) == []
    assert R.list_recommendations(any_fixture_ctx, assessment_id) == []
    A.remove_room(any_fixture_ctx, room_id, restore=True)
    [restored] = R.list_recommendations(any_fixture_ctx, assessment_id)
    assert restored.id == rec.id and restored.status == "agreed"


def test_rooms_of_the_same_type_get_distinct_names_and_can_be_reordered(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, first = visit(any_fixture_ctx)
    second, _ = A.add_room(any_fixture_ctx, assessment_id, "demo_room")
    assert second.name == "Demo room 2"
    A.reorder_rooms(any_fixture_ctx, assessment_id, [second.id, first])
    assert [r.id for r in A.list_rooms(any_fixture_ctx, assessment_id)] == [second.id, first]
    A.rename_room(any_fixture_ctx, first, "Upstairs landing")
    assert A.list_rooms(any_fixture_ctx, assessment_id)[1].name == "Upstairs landing"


def test_bad_answers_are_refused_and_leave_data_intact(any_fixture_ctx: AppContext) -> None:
    _, assessment_id, room_id = visit(any_fixture_ctx)
    A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="yes")
    with pytest.raises(ValidationError):
        A.set_answer(any_fixture_ctx, room_id, "demo_room.rail", value="maybe")
    with pytest.raises(ValidationError):
        A.set_answer(any_fixture_ctx, room_id, "demo_room.floor", value="lava")
    with pytest.raises(NotFoundError):
        A.set_answer(any_fixture_ctx, room_id, "demo_room.nothing", value="yes")
    assert A.room_answers(any_fixture_ctx, room_id)["demo_room.rail"].value == "yes"


def test_client_validation_reports_each_field(fixture_ctx: AppContext) -> None:
    with pytest.raises(ValidationError) as info:
        C.create_client(fixture_ctx, given_name="", family_name="Smith", date_of_birth=date(2030, 1, 1),
                        knee_height_mm=5000)
    assert {e.field for e in info.value.errors} == {"given_name", "date_of_birth", "knee_height_mm"}
    assert C.list_clients(fixture_ctx) == []


def test_ids_resolve_by_unique_prefix(any_fixture_ctx: AppContext) -> None:
    client_id, assessment_id, _ = visit(any_fixture_ctx)
    assert A.get_assessment(any_fixture_ctx, assessment_id[:8]).id == assessment_id
    with pytest.raises(NotFoundError, match="at least 6"):
        A.get_assessment(any_fixture_ctx, assessment_id[:3])
    C.create_client(any_fixture_ctx, given_name="B", family_name="B")
    with pytest.raises((AmbiguousIdError, NotFoundError)):
        C.get_client(any_fixture_ctx, "zzzzzz")


def test_client_search_matches_name_parts(any_fixture_ctx: AppContext) -> None:
    visit(any_fixture_ctx)
    C.create_client(any_fixture_ctx, given_name="Łukasz", family_name="Wróbel", address="12 Mill Lane")
    assert [c.display_name for c in C.list_clients(any_fixture_ctx, "mill")] == ["Łukasz Wróbel"]
    assert len(C.list_clients(any_fixture_ctx)) == 2
