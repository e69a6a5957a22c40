"""The demo visit is realistic: nine answered rooms, findings in every tier, goals linked. The tests taking
``any_demo_ctx`` check the demo built on the SQLite file and the one built on a PostgreSQL team server (each
built once per test process: tests/conftest.py)."""

from __future__ import annotations

from homeassess.domain.priority import Tier
from homeassess.services import assessments as A
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.services.demo import create_demo
from homeassess.services.reports import build_report_model


def test_demo_has_answered_rooms_and_findings_in_every_tier(any_demo_ctx: tuple[AppContext, str]) -> None:
    ctx, assessment_id = any_demo_ctx
    rooms = A.list_rooms(ctx, assessment_id)
    assert len(rooms) >= 8 and all(r.answered > 0 for r in rooms)
    findings = R.list_findings(ctx, assessment_id)
    assert {f.tier for f in findings} == set(Tier)
    recs = R.list_recommendations(ctx, assessment_id)
    assert any(r.goal_id for r in recs) and any(r.status == "declined" for r in recs)
    assert any(r.origin == "condition" for r in recs), "hip precautions suggest the hip kit"


def test_report_model_orders_recommendations_by_tier_then_quick_and_cheap(ctx: AppContext) -> None:
    from homeassess.domain.checklist import Cost, Effort
    from homeassess.services.reports import COST_PLAIN

    cost_of = {label: Cost(key) for key, label in COST_PLAIN.items()}
    model = build_report_model(ctx, create_demo(ctx), "family", include_proposed=True)
    tiers = [g.tier for g in model.priorities]
    assert tiers == sorted(tiers) and len(tiers) == 4
    for group in model.priorities:
        keys = [(cost_of[r.cost].rank + Effort(r.effort).rank, cost_of[r.cost].rank, -r.score)
                for r in group.recommendations]
        assert keys == sorted(keys)
    assert model.today and all(r.today for r in model.today)
    assert all(r.reason.startswith(group.tier.lead) or "because" in r.reason
               for group in model.priorities for r in group.recommendations)


def test_demo_equipment_sizing_shows_its_calculation(any_demo_ctx: tuple[AppContext, str]) -> None:
    from homeassess.db import models as m
    from homeassess.services.sizing import visit_sizings

    ctx, assessment_id = any_demo_ctx
    with ctx.uow(read_only=True) as uow:
        sizings = dict((s.what, s) for _room, s in visit_sizings(uow.session, uow.session.get(m.Assessment, assessment_id),
                                                                     ctx.registry))
    toilet = sizings["toilet"]
    assert toilet.value_mm == 150
    assert toilet.calculation == ("knee height 520 mm + 20 mm hip margin − toilet 400 mm → 140 mm raise → "
                                  "choose 150 mm, giving 550 mm")
    assert sizings["door"].feasible
    model = build_report_model(ctx, assessment_id, "clinical")
    assert any("toilet" in f.label and "150 mm" in f.value for f in model.sizings)
