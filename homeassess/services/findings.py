"""Keep stored findings and suggested recommendations in step with answers and the client.

Derived findings are recomputed after every answer or profile change and upserted by
(room, item), so ids stay stable and a recommendation the therapist has touched (agreed,
declined, edited, re-tiered) keeps its state. Rows of soft-deleted rooms are left alone so
undoing a room removal restores everything exactly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.checklists.registry import Registry
from homeassess.db import models as m
from homeassess.domain.checklist import Checklist, RecommendationTemplate
from homeassess.domain.client import client_tags
from homeassess.domain.findings import Answer, Context, DerivedFinding, derive_findings
from homeassess.domain.priority import Tier, reason_sentence, tier_for
from homeassess.domain.profiles import StandardProfile
from homeassess.services.clients import profile_of
from homeassess.services.context import AppContext


def pinned_checklist(registry: Registry, assessment: m.Assessment, room_type: str) -> Checklist:
    version = assessment.checklist_versions.get(room_type)
    return registry.get(room_type, version) if version else registry.latest(room_type)


def answers_of(room: m.Room) -> dict[str, Answer]:
    return {a.item_id: Answer(a.item_id, a.value, a.number, a.note) for a in room.answers}


def context_for(assessment: m.Assessment) -> Context:
    profile = profile_of(assessment.client)
    return Context(tags=client_tags(profile, assessment.visit_date), measures=profile.measures(),
                   standard=StandardProfile(assessment.standard))


def finding_tier(row: m.Finding) -> Tier:
    return tier_for(row.likelihood * row.consequence, essential=row.essential)


def finding_reason(row: m.Finding) -> str:
    return reason_sentence(finding_tier(row), row.reason_clause, tuple(row.modifiers))


def _apply(row: m.Finding, f: DerivedFinding) -> None:
    row.title, row.reason_clause, row.hazard = f.title, f.reason_clause, f.hazard.value
    row.base_likelihood, row.base_consequence = f.base_likelihood, f.base_consequence
    row.likelihood, row.consequence, row.essential = f.likelihood, f.consequence, f.essential
    row.modifiers = list(f.modifiers)
    row.measured, row.quantity = f.measured, f.quantity.value if f.quantity else None
    row.comparator, row.limit_low, row.limit_high = f.comparator, f.limit_low, f.limit_high
    row.source, row.client_specific = f.source, f.client_specific


def _sync_findings(session: Session, registry: Registry, assessment: m.Assessment,
                   now: datetime) -> dict[tuple[str, str], tuple[m.Finding, DerivedFinding]]:
    ctx = context_for(assessment)
    existing = {(f.room_id, f.item_id): f for f in session.scalars(
        select(m.Finding).where(m.Finding.assessment_id == assessment.id, m.Finding.origin == "rule"))}
    live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]] = {}
    for room in assessment.rooms:
        if room.deleted_at is not None:
            existing = {k: v for k, v in existing.items() if k[0] != room.id}
            continue
        checklist = pinned_checklist(registry, assessment, room.room_type)
        for derived in derive_findings(checklist, answers_of(room), ctx):
            row = existing.pop((room.id, derived.item_id), None)
            if row is None:
                row = m.Finding(assessment_id=assessment.id, room_id=room.id, item_id=derived.item_id,
                                origin="rule", created_at=now)
                session.add(row)
            _apply(row, derived)
            live[(room.id, derived.item_id)] = (row, derived)
    for stale in existing.values():
        session.delete(stale)
    session.flush()
    return live


def _new_recommendation(assessment: m.Assessment, room_id: str | None, template: RecommendationTemplate,
                        origin: str, now: datetime) -> m.Recommendation:
    return m.Recommendation(
        assessment_id=assessment.id, room_id=room_id, template_id=template.id, origin=origin,
        category=template.category.value, title=template.title, family_text=template.family_text,
        clinical_text=template.clinical_text, who=template.who, cost=template.cost.value,
        effort=template.effort.value, today=template.today, status="proposed", created_at=now, updated_at=now,
    )


def _is_untouched(rec: m.Recommendation) -> bool:
    return rec.status == "proposed" and not rec.edited and rec.tier_override is None and rec.goal_id is None


def _sync_recommendations(session: Session, registry: Registry, assessment: m.Assessment,
                          live: dict[tuple[str, str], tuple[m.Finding, DerivedFinding]], now: datetime) -> None:
    wanted: dict[tuple[str | None, str], list[m.Finding]] = defaultdict(list)
    for (room_id, _item), (row, derived) in live.items():
        for rec_id in derived.recommendations:
            wanted[(room_id, rec_id)].append(row)
    tags = context_for(assessment).tags
    # A follow-up reviews the first visit's condition advice rather than suggesting it again.
    for template in registry.recommendations() if assessment.kind != "follow_up" else ():
        if template.for_conditions & tags:
            wanted.setdefault((None, template.id), [])
    deleted_rooms = {r.id for r in assessment.rooms if r.deleted_at is not None}
    existing = {(r.room_id, r.template_id): r for r in session.scalars(
        select(m.Recommendation).where(m.Recommendation.assessment_id == assessment.id,
                                       m.Recommendation.origin.in_(("finding", "condition")),
                                       m.Recommendation.deleted_at.is_(None)))
        if r.room_id not in deleted_rooms}
    for (room_id, template_id), findings in wanted.items():
        template = registry.recommendation(template_id)
        rec = existing.pop((room_id, template_id), None)
        if rec is None:
            rec = _new_recommendation(assessment, room_id, template, "finding" if findings else "condition", now)
            session.add(rec)
            session.flush()
        _link(session, rec, findings)
        if findings:
            top = min(findings, key=lambda f: (finding_tier(f), -f.likelihood * f.consequence))
            rec.tier, rec.score, rec.reason = finding_tier(top), top.likelihood * top.consequence, finding_reason(top)
        else:
            tier = Tier(template.condition_tier or 4)
            rec.tier, rec.score, rec.reason = tier, 0, reason_sentence(tier, template.condition_reason)
    for rec in existing.values():
        if _is_untouched(rec):
            session.delete(rec)
        else:
            _link(session, rec, [])


def _link(session: Session, rec: m.Recommendation, findings: list[m.Finding]) -> None:
    current = set(session.scalars(select(m.RecommendationFinding.finding_id)
                                  .where(m.RecommendationFinding.recommendation_id == rec.id)))
    wanted = {f.id for f in findings}
    for finding_id in wanted - current:
        session.add(m.RecommendationFinding(recommendation_id=rec.id, finding_id=finding_id))
    for finding_id in current - wanted:
        link = session.get(m.RecommendationFinding, (rec.id, finding_id))
        if link is not None:
            session.delete(link)


def sync_assessment(ctx: AppContext, session: Session, assessment: m.Assessment) -> None:
    """Re-derive findings and suggested recommendations for one assessment (same transaction)."""
    if assessment.status == "finalised":
        return
    now = ctx.clock.now()
    live = _sync_findings(session, ctx.registry, assessment, now)
    _sync_recommendations(session, ctx.registry, assessment, live, now)
    session.flush()


def resync_client_assessments(ctx: AppContext, session: Session, client_id: str) -> None:
    for assessment in session.scalars(select(m.Assessment).where(
            m.Assessment.client_id == client_id, m.Assessment.deleted_at.is_(None))):
        sync_assessment(ctx, session, assessment)
