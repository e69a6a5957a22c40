"""Evaluation: follow-up visits that reopen an earlier visit, goal attainment, falls and FES-I,
and what is overdue across all clients (REFERENCE §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.errors import ConflictError, FieldError, ValidationError
from homeassess.domain.input_rules import check_date, check_number
from homeassess.domain.lifecycle import DONE, WAITING, Status, weeks_waiting
from homeassess.domain.outcomes import GAS_LEVELS, GAS_MEANINGS, Outcome, fes_i_concern, gas_t_score
from homeassess.domain.priority import Tier
from homeassess.domain.text_rules import clean_kind, collect
from homeassess.services.assessments import _view
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import AssessmentView, FindingView, PhotoView, RecommendationView
from homeassess.services.findings import sync_assessment
from homeassess.services.lookup import get_live
from homeassess.services.photos import list_photos
from homeassess.services.recommendations import finding_views, recommendation_views

COPIED_META = ("therapist_name", "therapist_profession", "therapist_registration", "organisation", "therapist_phone",
               "therapist_email", "standard", "units", "property_type", "tenure", "property_notes")


def start_follow_up(ctx: AppContext, previous_id: str, *, visit_date: date | None = None) -> tuple[AssessmentView, Changes]:
    """A follow-up visit for an earlier one: the same rooms, checklists and therapist, ready to re-check."""
    if visit_date is not None:
        visit_date = check_date(visit_date, field="visit_date", rule="visit_date", today=ctx.clock.today())
    now = ctx.clock.now()
    with ctx.uow() as uow:
        previous = get_live(uow.session, m.Assessment, previous_id, "assessment")
        if previous.kind == "follow_up" and previous.previous_assessment_id:
            previous = uow.session.get(m.Assessment, previous.previous_assessment_id) or previous
        day = visit_date or ctx.clock.today()
        if day < previous.visit_date:
            raise ValidationError([FieldError("visit_date", "A follow-up cannot be before the first visit.")])
        row = m.Assessment(client_id=previous.client_id, kind="follow_up", visit_date=day,
                           previous_assessment_id=previous.id, checklist_versions=dict(previous.checklist_versions),
                           referral_reason=f"Review of the visit on {previous.visit_date:%d %B %Y}",
                           created_at=now, updated_at=now,
                           **{k: getattr(previous, k) for k in COPIED_META})
        uow.session.add(row)
        uow.session.flush()
        for room in previous.rooms:
            if room.deleted_at is None:
                uow.session.add(m.Room(assessment_id=row.id, room_type=room.room_type, name=room.name,
                                       position=room.position, created_at=now))
        uow.session.flush()
        uow.session.refresh(row)
        sync_assessment(ctx, uow.session, row)
        view = _view(row)
    return view, Changes(assessment_meta=True, rooms=True, recommendations=True)


def _follow_up(session: Session, follow_up_id: str) -> tuple[m.Assessment, m.Assessment]:
    row = get_live(session, m.Assessment, follow_up_id, "assessment")
    if row.kind != "follow_up" or not row.previous_assessment_id:
        raise ConflictError("This is not a follow-up visit; start one from the earlier visit.")
    previous = session.get(m.Assessment, row.previous_assessment_id)
    if previous is None or previous.deleted_at is not None:
        raise ConflictError("The visit this follows up has been deleted.")
    return row, previous


def set_finding_outcome(ctx: AppContext, follow_up_id: str, finding_id: str, outcome: str | None,
                        note: str | None = None) -> Changes:
    """Resolved / improved / unchanged / worse for a finding of the earlier visit; None clears it."""
    if outcome is not None and outcome not in {o.value for o in Outcome}:
        raise ValidationError([FieldError("outcome", "must be resolved, improved, unchanged or worse")])
    if note is not None:
        note = clean_kind(note, field="note", kind="note", label="The note")
    with ctx.uow() as uow:
        row, previous = _follow_up(uow.session, follow_up_id)
        finding = get_live(uow.session, m.Finding, finding_id, "finding")
        if finding.assessment_id != previous.id:
            raise ValidationError([FieldError("finding", "that finding is not from the visit being followed up")])
        existing = uow.session.scalars(select(m.FindingOutcome).where(
            m.FindingOutcome.assessment_id == row.id, m.FindingOutcome.finding_id == finding.id)).first()
        if outcome is None and not note:
            if existing is not None:
                uow.session.delete(existing)
        else:
            if existing is None:
                existing = m.FindingOutcome(assessment_id=row.id, finding_id=finding.id, outcome=outcome or "",
                                            updated_at=ctx.clock.now())
                uow.session.add(existing)
            if outcome is not None:
                existing.outcome = outcome
            if note is not None:
                existing.note = note
            existing.updated_at = ctx.clock.now()
    return Changes(findings=True)


def set_goal_score(ctx: AppContext, assessment_id: str, goal_id: str, level: int | None, note: str = "") -> Changes:
    """The attainment level (−2..+2) a goal reached at this visit; None clears it."""
    if level is not None and (isinstance(level, bool) or level not in GAS_LEVELS):
        raise ValidationError([FieldError("level", "must be −2 to +2")])
    note = clean_kind(note, field="note", kind="note", label="The note")
    with ctx.uow() as uow:
        row = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        goal = get_live(uow.session, m.Goal, goal_id, "goal")
        if goal.client_id != row.client_id:
            raise ValidationError([FieldError("goal", "that goal belongs to another client")])
        score = uow.session.scalars(select(m.GoalScore).where(m.GoalScore.goal_id == goal.id,
                                                              m.GoalScore.assessment_id == row.id)).first()
        if level is None:
            if score is not None:
                uow.session.delete(score)
        else:
            if score is None:
                score = m.GoalScore(goal_id=goal.id, assessment_id=row.id, level=level, updated_at=ctx.clock.now())
                uow.session.add(score)
            score.level, score.note, score.updated_at = int(level), note, ctx.clock.now()
    return Changes(goals=True)


def set_outcome_measures(ctx: AppContext, assessment_id: str, *, falls: int | None | object = ...,
                         fes_i: int | None | object = ...) -> Changes:
    """Falls since the last visit and the FES-I total (16–64) at this visit; None clears."""
    errors: list[FieldError] = []
    if falls is not ... and falls is not None:
        falls = collect(errors, check_number, falls, field="falls", rule="falls_since_last_visit")
    if fes_i is not ... and fes_i is not None:
        fes_i = collect(errors, check_number, fes_i, field="fes_i_total", rule="fes_i_total")
        if fes_i is not None:
            fes_i_concern(fes_i)  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        row = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        if falls is not ...:
            row.falls_since_last_visit = falls  # type: ignore[assignment]
        if fes_i is not ...:
            row.fes_i_total = fes_i  # type: ignore[assignment]
        row.updated_at = ctx.clock.now()
    return Changes(assessment_meta=True)


# -- reading -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FindingReview:
    finding: FindingView
    outcome: Outcome | None
    note: str
    before: tuple[PhotoView, ...]
    after: tuple[PhotoView, ...]
    recommendations: tuple[RecommendationView, ...]


@dataclass(frozen=True, slots=True)
class GoalReview:
    id: str
    text: str
    levels: dict[int, str]      # level → what it means for this goal (falls back to the generic meaning)
    weight: int
    baseline: int
    level: int | None           # at this follow-up
    note: str


@dataclass(frozen=True, slots=True)
class FollowUpView:
    follow_up: AssessmentView
    previous: AssessmentView
    client_name: str
    findings: tuple[FindingReview, ...]
    recommendations: tuple[RecommendationView, ...]
    new_findings: tuple[FindingView, ...]
    goals: tuple[GoalReview, ...]
    falls_before: int | None
    falls_since: int | None
    fes_i_before: int | None
    fes_i_now: int | None

    @property
    def baseline_t(self) -> float | None:
        return _t([g.baseline for g in self.goals], [g.weight for g in self.goals])

    @property
    def follow_up_t(self) -> float | None:
        scored = [g for g in self.goals if g.level is not None]
        return _t([g.level for g in scored], [g.weight for g in scored]) if scored else None  # type: ignore[misc]

    @property
    def done_rate(self) -> tuple[int, int]:
        """(carried out, agreed or further): the app's hazard resolution measure (REFERENCE §6.3)."""
        relevant = [r for r in self.recommendations if r.status not in ("proposed", "declined")]
        return sum(1 for r in relevant if Status(r.status) in DONE), len(relevant)


def _t(levels: list[int], weights: list[int]) -> float | None:
    return round(gas_t_score(levels, weights), 2) if levels else None


def _same_place(photo: PhotoView, finding: FindingView, room_names: dict[str, str]) -> bool:
    return photo.finding_id == finding.id or (
        finding.item_id is not None and photo.item_id == finding.item_id
        and room_names.get(photo.room_id) == finding.room_name)


def follow_up_view(ctx: AppContext, follow_up_id: str) -> FollowUpView:
    with ctx.uow(read_only=True) as uow:
        _, previous = _follow_up(uow.session, follow_up_id)
        previous_id = previous.id
    before_photos = list_photos(ctx, previous_id)
    after_photos = list_photos(ctx, follow_up_id)
    with ctx.uow(read_only=True) as uow:
        row, previous = _follow_up(uow.session, follow_up_id)
        client = row.client
        old_findings = finding_views(ctx, uow.session, previous)
        new_findings = finding_views(ctx, uow.session, row)
        recs = recommendation_views(uow.session, previous)
        outcomes = {o.finding_id: o for o in uow.session.scalars(
            select(m.FindingOutcome).where(m.FindingOutcome.assessment_id == row.id))}
        names_before = {r.id: r.name for r in previous.rooms}
        names_after = {r.id: r.name for r in row.rooms}
        reviews = []
        for f in old_findings:
            outcome = outcomes.get(f.id)
            reviews.append(FindingReview(
                finding=f, outcome=Outcome(outcome.outcome) if outcome and outcome.outcome else None,
                note=outcome.note if outcome else "",
                before=tuple(p for p in before_photos if _same_place(p, f, names_before)),
                after=tuple(p for p in after_photos if _same_place(p, f, names_after)),
                recommendations=tuple(r for r in recs if f.id in r.finding_ids)))
        scores = {s.goal_id: s for s in uow.session.scalars(
            select(m.GoalScore).where(m.GoalScore.assessment_id == row.id))}
        goals = []
        for g in client.goals:
            if g.deleted_at is not None:
                continue
            defined = {int(k): v for k, v in (g.gas_levels or {}).items() if v}
            score = scores.get(g.id)
            goals.append(GoalReview(g.id, g.text, {x: defined.get(x, GAS_MEANINGS[x]) for x in GAS_LEVELS},
                                    g.weight, g.baseline_level, score.level if score else None,
                                    score.note if score else ""))
        return FollowUpView(
            follow_up=_view(row), previous=_view(previous), client_name=f"{client.given_name} {client.family_name}",
            findings=tuple(reviews), recommendations=tuple(recs), new_findings=tuple(new_findings),
            goals=tuple(goals), falls_before=client.falls_last_12_months, falls_since=row.falls_since_last_visit,
            fes_i_before=previous.fes_i_total, fes_i_now=row.fes_i_total)


@dataclass(frozen=True, slots=True)
class OverdueItem:
    client_name: str
    assessment_id: str
    recommendation_id: str
    title: str
    tier: Tier
    status: Status
    since: date
    weeks: int
    who: str


def overdue(ctx: AppContext, *, weeks: int = 6) -> list[OverdueItem]:
    """Equipment and home changes agreed or ordered but not installed after ``weeks``, across all clients."""
    weeks = int(check_number(weeks, field="weeks", rule="overdue_weeks"))
    today = ctx.clock.today()
    cutoff = today - timedelta(weeks=weeks)
    out = []
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(
            select(m.Recommendation, m.Assessment, m.Client)
            .join(m.Assessment, m.Recommendation.assessment_id == m.Assessment.id)
            .join(m.Client, m.Assessment.client_id == m.Client.id)
            .where(m.Recommendation.status.in_([s.value for s in WAITING]), m.Recommendation.deleted_at.is_(None),
                   m.Recommendation.category.in_(("equipment", "modification")),
                   m.Assessment.deleted_at.is_(None), m.Client.deleted_at.is_(None)))
        for rec, assessment, client in rows:
            agreed_on = uow.session.scalars(
                select(m.RecommendationEvent.on_date).where(m.RecommendationEvent.recommendation_id == rec.id,
                                                            m.RecommendationEvent.to_status == "agreed")
                .order_by(m.RecommendationEvent.seq.desc())).first() or assessment.visit_date
            if agreed_on <= cutoff:
                out.append(OverdueItem(f"{client.given_name} {client.family_name}", assessment.id, rec.id, rec.title,
                                       Tier(rec.tier_override or rec.tier), Status(rec.status), agreed_on,
                                       weeks_waiting(agreed_on, today), rec.who))
    return sorted(out, key=lambda x: (x.tier, -x.weeks, x.client_name))
