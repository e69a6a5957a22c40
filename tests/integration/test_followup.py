"""Lifecycle events, follow-up visits, goal scores and the overdue list through the services. The tests taking
``both`` run on the demo on the SQLite file and on a PostgreSQL team server (``any_demo_ctx``)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.services import clients as C
from homeassess.services import followup as F
from homeassess.services import recommendations as R
from homeassess.services.assessments import get_assessment, list_rooms
from homeassess.services.context import AppContext


@pytest.fixture
def ctx(demo_ctx: tuple[AppContext, str]) -> AppContext:
    return demo_ctx[0]


@pytest.fixture
def demo(demo_ctx: tuple[AppContext, str]) -> str:
    return demo_ctx[1]


@pytest.fixture
def both(any_demo_ctx: tuple[AppContext, str]) -> tuple[AppContext, str]:
    return any_demo_ctx


def rec_for(ctx: AppContext, assessment_id: str, template_id: str):
    return next(r for r in R.list_recommendations(ctx, assessment_id) if r.template_id == template_id)


def test_lifecycle_is_dated_with_who_and_why_and_undone_step_by_step(both: tuple[AppContext, str]) -> None:
    ctx, demo = both
    seat = rec_for(ctx, demo, "rec.toilet.raised_seat")
    assert seat.status == "agreed"
    today = ctx.clock.today()
    ordered, _ = R.set_status(ctx, seat.id, "ordered", on=today, by="Sam")
    installed, _ = R.set_status(ctx, seat.id, "installed")
    history = R.status_history(ctx, seat.id)
    assert [(e.from_status.value, e.to_status.value) for e in history][-2:] == [("agreed", "ordered"),
                                                                                 ("ordered", "installed")]
    assert history[-2].by == "Sam" and history[-1].by == "Sam Patel" and history[-1].on == today
    with pytest.raises(ConflictError, match="undo that first"):
        R.revert_status(ctx, ordered)
    R.revert_status(ctx, installed)
    R.revert_status(ctx, ordered)
    assert rec_for(ctx, demo, "rec.toilet.raised_seat").status == "agreed"
    with pytest.raises(ConflictError, match="cannot become in use"):
        R.set_status(ctx, seat.id, "in_use")
    with pytest.raises(ValidationError, match="Say why"):
        R.set_status(ctx, seat.id, "declined")
    assert rec_for(ctx, demo, "rec.toilet.raised_seat").status == "agreed"


def test_follow_up_reopens_rooms_and_findings_and_records_outcomes(both: tuple[AppContext, str]) -> None:
    ctx, demo = both
    view, _ = F.start_follow_up(ctx, demo)
    assert view.kind == "follow_up"
    assert [r.name for r in list_rooms(ctx, view.id)] == [r.name for r in list_rooms(ctx, demo)]
    assert R.list_recommendations(ctx, view.id) == []  # nothing re-suggested before anything is re-checked
    review = F.follow_up_view(ctx, view.id)
    assert len(review.findings) == len(R.list_findings(ctx, demo)) and review.recommendations
    finding = review.findings[0].finding
    F.set_finding_outcome(ctx, view.id, finding.id, "improved", "Rail fitted, seat still low")
    again = F.follow_up_view(ctx, view.id).findings[0]
    assert again.outcome.value == "improved" and again.note == "Rail fitted, seat still low"
    F.set_finding_outcome(ctx, view.id, finding.id, None, "")
    assert F.follow_up_view(ctx, view.id).findings[0].outcome is None
    with pytest.raises(ValidationError):
        F.set_finding_outcome(ctx, view.id, finding.id, "magic")
    with pytest.raises(ConflictError, match="not a follow-up"):
        F.set_finding_outcome(ctx, demo, finding.id, "resolved")


def test_goal_attainment_and_t_score(ctx: AppContext, demo: str) -> None:
    client_id = get_assessment(ctx, demo).client_id
    goals = C.get_client(ctx, client_id).goals
    C.update_goal(ctx, goals[0].id, gas_levels={"0": "Showers on the board with help nearby"}, weight=2)
    with pytest.raises(ValidationError):
        C.update_goal(ctx, goals[1].id, weight=0)
    view, _ = F.start_follow_up(ctx, demo)
    for goal, level in zip(goals, (-1, 0, 1), strict=True):
        F.set_goal_score(ctx, view.id, goal.id, level)
    review = F.follow_up_view(ctx, view.id)
    assert review.goals[0].levels[0] == "Showers on the board with help nearby"
    assert review.baseline_t is not None and review.baseline_t < 50
    assert review.follow_up_t == 46.67  # the REFERENCE §6.1 third worked example: x = (−1, 0, +1), w = (2, 1, 1)
    with pytest.raises(ValidationError):
        F.set_goal_score(ctx, view.id, goals[0].id, 3)


def test_falls_and_fes_i(ctx: AppContext, demo: str) -> None:
    view, _ = F.start_follow_up(ctx, demo)
    F.set_outcome_measures(ctx, view.id, falls=1, fes_i=30)
    review = F.follow_up_view(ctx, view.id)
    assert (review.falls_since, review.fes_i_now) == (1, 30)
    with pytest.raises(ValidationError):
        F.set_outcome_measures(ctx, view.id, fes_i=70)


def test_overdue_lists_agreed_equipment_not_installed_after_the_chosen_weeks(both: tuple[AppContext, str]) -> None:
    from dataclasses import replace

    from homeassess.services.context import Clock

    ctx, demo = both
    later = replace(ctx, clock=Clock(now=lambda: ctx.clock.now() + timedelta(weeks=8)))
    items = F.overdue(later, weeks=6)
    titles = {x.title for x in items}
    assert "Fit a raised toilet seat to the right height" in titles and all(x.weeks >= 6 for x in items)
    assert not F.overdue(later, weeks=10)
    seat = rec_for(ctx, demo, "rec.toilet.raised_seat")
    R.set_status(ctx, seat.id, "installed")
    assert "Fit a raised toilet seat to the right height" not in {x.title for x in F.overdue(later, weeks=6)}
