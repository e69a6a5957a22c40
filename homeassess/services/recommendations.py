"""Findings and recommendations as the therapist reviews them: list, accept, edit, re-tier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.db.uow import retry_on_sequence_conflict
from homeassess.domain.checklist import Cost, Effort, Hazard, ItemKind, Quantity, RecCategory
from homeassess.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from homeassess.domain.input_rules import check_date
from homeassess.domain.lifecycle import DECISIONS, Decider, Status, check_move
from homeassess.domain.priority import TO_CHECK_NOTE, Tier, reason_sentence, split_reason, tier_for
from homeassess.domain.profiles import DisplayUnits
from homeassess.domain.text_rules import TEXT_LIMITS, clean_kind, clean_name, collect, is_blank
from homeassess.domain.units import format_both
from homeassess.services.assessments import editable_assessment, editable_room
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import FindingView, RecOption, RecommendationView
from homeassess.services.findings import finding_reason, finding_tier, pinned_checklist, sync_assessment, use_template
from homeassess.services.lookup import get_live

STATUSES = tuple(s.value for s in Status)
WHY_IT_MATTERS = "Say why it matters (it completes “… because …”)"


@dataclass(frozen=True, slots=True)
class StatusEventView:
    id: str
    from_status: Status
    to_status: Status
    on: date
    by: str
    why: str
    decided_by: str = ""   # Decider value for agree/decline steps; "" = not recorded


WHO = ("family", "handyperson", "builder", "plumber", "electrician", "supplier", "therapist", "doctor", "service")


def _threshold_text(row: m.Finding, units: DisplayUnits) -> str:
    if row.quantity is None or row.limit_low is None:
        return ""
    quantity = Quantity(row.quantity)
    low = format_both(row.limit_low, quantity, units)
    if row.comparator == "below":
        return f"at least {low}"
    if row.comparator == "above":
        return f"at most {low}"
    if row.comparator == "outside" and row.limit_high is not None:
        return f"{low} to {format_both(row.limit_high, quantity, units)}"
    return ""


def _count_text(value: float | None) -> str:
    return "" if value is None else str(int(value))


def finding_views(ctx: AppContext, session: Session, assessment: m.Assessment) -> list[FindingView]:
    """Live findings of live rooms, most urgent first."""
    units = DisplayUnits(assessment.units)
    rooms = {r.id: r for r in assessment.rooms if r.deleted_at is None}
    views = []
    for row in session.scalars(select(m.Finding).where(m.Finding.assessment_id == assessment.id,
                                                        m.Finding.deleted_at.is_(None))):
        room = rooms.get(row.room_id) if row.room_id else None
        if row.room_id and room is None:
            continue
        prompt = answer_text = measured = ""
        if room is not None and row.item_id:
            item = pinned_checklist(ctx.registry, assessment, room.room_type).item(row.item_id)
            prompt = item.prompt
            answer = next((a for a in room.answers if a.item_id == row.item_id), None)
            if item.kind is ItemKind.COUNT:
                measured = _count_text(row.measured)
            elif row.measured is not None and row.quantity:
                measured = format_both(row.measured, Quantity(row.quantity), units)
            elif answer is not None and answer.value:
                answer_text = item.option_label(answer.value)
        views.append(FindingView(
            id=row.id, room_id=row.room_id, room_name=room.name if room else "Whole visit", item_id=row.item_id,
            origin=row.origin, title=row.title, reason=finding_reason(row), hazard=row.hazard,
            likelihood=row.likelihood, consequence=row.consequence, score=row.likelihood * row.consequence,
            tier=finding_tier(row), essential=row.essential, modifiers=tuple(row.modifiers), prompt=prompt,
            answer_text=answer_text or measured, measured_text=measured,
            threshold_text=_threshold_text(row, units), source=row.source, client_specific=row.client_specific,
        ))
    position = {r.id: r.position for r in rooms.values()}
    views.sort(key=lambda f: (f.tier, -f.score, position.get(f.room_id or "", -1), f.title))
    return views


def list_findings(ctx: AppContext, assessment_id: str) -> list[FindingView]:
    with ctx.uow(read_only=True) as uow:
        return finding_views(ctx, uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def sort_key(rec: RecommendationView) -> tuple:
    """Tier, then quick and cheap first, then risk score (DESIGN §2, REFERENCE §5.7): within a tier a
    free two-minute fix is listed before building work, whatever their scores."""
    cost, effort = Cost(rec.cost).rank, Effort(rec.effort).rank
    return (rec.tier, cost + effort, cost, -rec.score, rec.title.lower())


def whole_visit_label(assessment: m.Assessment) -> str:
    return "Whole workplace" if assessment.kind == "workplace" else "Whole home"


def _room_label(row: m.Recommendation, rooms: dict[str, m.Room], finding_rooms: list[str | None],
                assessment: m.Assessment) -> str:
    """A room-wide suggestion names its room; one merged across the visit names the rooms it came from."""
    if row.room_id:
        room = rooms.get(row.room_id)
        return room.name if room else whole_visit_label(assessment)
    named = sorted({r for r in finding_rooms if r in rooms}, key=lambda r: rooms[r].position)
    return ", ".join(rooms[r].name for r in named) if named else whole_visit_label(assessment)


def _options(row: m.Recommendation) -> tuple[RecOption, ...]:
    return tuple(RecOption(template_id=o["id"], title=o.get("title", o["id"]), chosen=o["id"] == row.template_id,
                           suitable=bool(o.get("suitable", True)), note=o.get("note", ""))
                 for o in row.options or ())


def recommendation_views(session: Session, assessment: m.Assessment) -> list[RecommendationView]:
    rooms = {r.id: r for r in assessment.rooms}
    goals = {g.id: g.text for g in assessment.client.goals}
    links: dict[str, list[str]] = {}
    finding_rooms: dict[str, list[str | None]] = {}
    for rec_id, finding_id, room_id in session.execute(
            select(m.RecommendationFinding.recommendation_id, m.RecommendationFinding.finding_id, m.Finding.room_id)
            .join(m.Recommendation).join(m.Finding, m.Finding.id == m.RecommendationFinding.finding_id)
            .where(m.Recommendation.assessment_id == assessment.id)):
        links.setdefault(rec_id, []).append(finding_id)
        finding_rooms.setdefault(rec_id, []).append(room_id)
    views = []
    for row in session.scalars(select(m.Recommendation).where(m.Recommendation.assessment_id == assessment.id,
                                                               m.Recommendation.deleted_at.is_(None))):
        room = rooms.get(row.room_id) if row.room_id else None
        if room is not None and room.deleted_at is not None:
            continue
        tier = Tier(row.tier_override or row.tier)
        reason = row.reason
        if row.tier_override is not None and row.tier_override != row.tier:
            # The family still reads why it matters, led by the new tier; the therapist's reason for the
            # change is an internal note (clinical report only).
            parts = split_reason(row.reason)
            reason = reason_sentence(tier, parts.clause, (parts.factor,) if parts.factor else ())
            reason += TO_CHECK_NOTE if parts.to_check else ""
        views.append(RecommendationView(
            id=row.id, room_id=row.room_id,
            room_name=_room_label(row, rooms, finding_rooms.get(row.id, []), assessment),
            template_id=row.template_id, origin=row.origin, category=row.category, title=row.title,
            family_text=row.family_text, clinical_text=row.clinical_text, who=row.who, cost=row.cost,
            effort=row.effort, today=row.today, status=row.status, tier=tier, score=row.score, reason=reason,
            tier_overridden=row.tier_override is not None, tier_override_reason=row.tier_override_reason,
            finding_ids=tuple(links.get(row.id, ())), goal_id=row.goal_id, goal_text=goals.get(row.goal_id or "", ""),
            options=_options(row), choice_reason=row.choice_reason,
        ))
    views.sort(key=sort_key)
    return views


def list_recommendations(ctx: AppContext, assessment_id: str) -> list[RecommendationView]:
    with ctx.uow(read_only=True) as uow:
        return recommendation_views(uow.session, get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def editable_recommendation(session: Session, rec_id: str) -> m.Recommendation:
    rec = get_live(session, m.Recommendation, rec_id, "recommendation")
    editable_assessment(session, rec.assessment_id)
    return rec


@retry_on_sequence_conflict
def set_status(ctx: AppContext, rec_id: str, status: str, *, on: date | None = None, by: str = "",
               why: str = "", decided_by: str = "") -> tuple[str, Changes]:
    """Move a recommendation along its lifecycle (domain/lifecycle.py); returns the event id for undo.

    ``decided_by`` (client | carer | therapist) says whose decision an agree or decline was.
    Allowed on a finalised visit too: ordering and installing happen after the report is signed."""
    try:
        new = Status(status)
    except ValueError:
        raise ValidationError([FieldError("status", f"must be one of {', '.join(STATUSES)}")]) from None
    try:
        decider = Decider(decided_by).value if decided_by and new in DECISIONS else ""
    except ValueError:
        raise ValidationError([FieldError("decided_by", "must be one of " + ", ".join(Decider))]) from None
    by = clean_kind(by, field="by", kind="name", label="Who made the change")
    why = clean_kind(why, field="why", kind="note", label="The reason")
    if on is not None:
        on = check_date(on, field="on", rule="status_date", today=ctx.clock.today())
    now = ctx.clock.now()
    with ctx.uow() as uow:
        rec = get_live(uow.session, m.Recommendation, rec_id, "recommendation")
        assessment = uow.session.get(m.Assessment, rec.assessment_id)
        on = on or ctx.clock.today()
        check_move(Status(rec.status), new, why=why, on=on, today=ctx.clock.today(), visit_date=assessment.visit_date)
        seq = uow.session.scalar(select(func.coalesce(func.max(m.RecommendationEvent.seq), 0))
                                 .where(m.RecommendationEvent.recommendation_id == rec.id)) + 1
        event = m.RecommendationEvent(recommendation_id=rec.id, seq=seq, from_status=rec.status, to_status=new.value,
                                      on_date=on,
                                      by=by or assessment.therapist_name, why=why,
                                      decided_by=decider, created_at=now)
        uow.session.add(event)
        rec.status, rec.status_changed_at, rec.updated_at = new.value, now, now
        uow.session.flush()
        event_id = event.id
    return event_id, Changes(recommendations=True)


def check_status(ctx: AppContext, rec_id: str, status: str, *, on: date | None = None, why: str = "") -> None:
    """Raise the error ``set_status`` would, without changing anything (the UI asks before pushing undo)."""
    why = clean_kind(why, field="why", kind="note", label="The reason")
    if on is not None:
        on = check_date(on, field="on", rule="status_date", today=ctx.clock.today())
    with ctx.uow(read_only=True) as uow:
        rec = get_live(uow.session, m.Recommendation, rec_id, "recommendation")
        assessment = uow.session.get(m.Assessment, rec.assessment_id)
        check_move(Status(rec.status), Status(status), why=why, on=on or ctx.clock.today(), today=ctx.clock.today(),
                   visit_date=assessment.visit_date)


def revert_status(ctx: AppContext, event_id: str) -> Changes:
    """Undo one lifecycle step: only the latest step of a recommendation can be taken back."""
    with ctx.uow() as uow:
        event = uow.session.get(m.RecommendationEvent, event_id)
        if event is None:
            raise NotFoundError("that status change no longer exists")
        rec = uow.session.get(m.Recommendation, event.recommendation_id)
        latest = uow.session.scalars(select(m.RecommendationEvent)
                                     .where(m.RecommendationEvent.recommendation_id == rec.id)
                                     .order_by(m.RecommendationEvent.seq.desc())).first()
        if latest is None or latest.id != event.id or rec.status != event.to_status:
            raise ConflictError("A later status change has been made; undo that first.")
        rec.status = event.from_status
        uow.session.delete(event)
        uow.session.flush()
        before = uow.session.scalars(select(m.RecommendationEvent.created_at)
                                     .where(m.RecommendationEvent.recommendation_id == rec.id)
                                     .order_by(m.RecommendationEvent.seq.desc())).first()
        rec.status_changed_at, rec.updated_at = before, ctx.clock.now()
    return Changes(recommendations=True)


def _event_view(r: m.RecommendationEvent) -> StatusEventView:
    return StatusEventView(r.id, Status(r.from_status), Status(r.to_status), r.on_date, r.by, r.why, r.decided_by)


def status_history(ctx: AppContext, rec_id: str) -> list[StatusEventView]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(m.RecommendationEvent)
                                   .where(m.RecommendationEvent.recommendation_id == rec_id)
                                   .order_by(m.RecommendationEvent.seq))
        return [_event_view(r) for r in rows]


def latest_status_events(ctx: AppContext, assessment_id: str) -> dict[str, StatusEventView]:
    """Each recommendation's latest lifecycle step in a visit, in one query (for reports)."""
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.scalars(select(m.RecommendationEvent).join(m.Recommendation)
                                   .where(m.Recommendation.assessment_id == assessment_id)
                                   .order_by(m.RecommendationEvent.seq))
        return {r.recommendation_id: _event_view(r) for r in rows}


REC_TITLE = "A recommendation needs a title"


def _title(value: object, message: str) -> str:
    return clean_name(value, field="title", max_len=TEXT_LIMITS["title"], label="The title", empty_message=message)


def edit_recommendation(ctx: AppContext, rec_id: str, *, title: str | None = None, family_text: str | None = None,
                        clinical_text: str | None = None) -> Changes:
    errors: list[FieldError] = []
    values = {"title": None if title is None else collect(errors, _title, title, REC_TITLE),
              "family_text": None if family_text is None else collect(
                  errors, clean_kind, family_text, field="family_text", kind="note", label="The family wording"),
              "clinical_text": None if clinical_text is None else collect(
                  errors, clean_kind, clinical_text, field="clinical_text", kind="note", label="The clinical wording")}
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        for name, value in values.items():
            if value is not None:
                setattr(rec, name, value)
        rec.edited, rec.updated_at = True, ctx.clock.now()
    return Changes(recommendations=True)


def choose_option(ctx: AppContext, rec_id: str, template_id: str | None) -> tuple[tuple[str | None, bool], Changes]:
    """Switch a recommendation to another of its options (``None``: back to the app's preselection).

    Returns the state before, ``(template id, chosen by the therapist)``, for undo."""
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        before = (rec.template_id, rec.option_locked)
        offered = [o["id"] for o in rec.options or ()]
        if not offered:
            raise ValidationError([FieldError("option", "this recommendation has no options to choose from")])
        if template_id is not None and template_id not in offered:
            raise ValidationError([FieldError("option", "is not one of this recommendation's options")])
        if template_id is None:
            rec.option_locked = False
            sync_assessment(ctx, uow.session, uow.session.get(m.Assessment, rec.assessment_id))
        else:
            use_template(rec, ctx.registry.recommendation(template_id))
            rec.option_locked, rec.edited, rec.choice_reason = True, False, "Chosen by the therapist."
            # The chosen option's wording for this client (rating, side, a child's parents).
            sync_assessment(ctx, uow.session, uow.session.get(m.Assessment, rec.assessment_id))
        rec.updated_at = ctx.clock.now()
    return before, Changes(recommendations=True)


def restore_option(ctx: AppContext, rec_id: str, state: tuple[str | None, bool]) -> Changes:
    """Undo ``choose_option``: put back the option and whether the therapist had chosen it."""
    template_id, locked = state
    if locked and template_id is not None:
        return choose_option(ctx, rec_id, template_id)[1]
    return choose_option(ctx, rec_id, None)[1]


def change_tier(ctx: AppContext, rec_id: str, tier: int | None, reason: str = "") -> Changes:
    """Override the derived tier (a reason is required), or clear the override with ``None``."""
    if tier is not None and tier not in (1, 2, 3, 4):
        raise ValidationError([FieldError("tier", "must be 1 (urgent) to 4 (low)")])
    reason = clean_kind(reason, field="reason", kind="note", label="The reason")
    if tier is not None and is_blank(reason):
        raise ValidationError([FieldError("reason", "Say why the priority is changed")])
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        rec.tier_override, rec.tier_override_reason = tier, reason if tier is not None else ""
        rec.updated_at = ctx.clock.now()
    return Changes(recommendations=True)


def link_goal(ctx: AppContext, rec_id: str, goal_id: str | None) -> Changes:
    with ctx.uow() as uow:
        rec = editable_recommendation(uow.session, rec_id)
        if goal_id is not None:
            goal = get_live(uow.session, m.Goal, goal_id, "goal")
            if goal.client_id != uow.session.get(m.Assessment, rec.assessment_id).client_id:
                raise ValidationError([FieldError("goal", "that goal belongs to another client")])
            goal_id = goal.id
        rec.goal_id, rec.updated_at = goal_id, ctx.clock.now()
    return Changes(recommendations=True)


def add_custom_recommendation(ctx: AppContext, assessment_id: str, *, title: str, family_text: str = "",
                              clinical_text: str = "", category: str = "modification", tier: int = 3,
                              reason: str = "", room_id: str | None = None, finding_id: str | None = None,
                              who: str = "therapist", cost: str = "low", effort: str = "days") -> tuple[str, Changes]:
    errors: list[FieldError] = []
    title = collect(errors, _title, title, REC_TITLE) or ""
    family_text = collect(errors, clean_kind, family_text, field="family_text", kind="note",
                          label="The family wording") or ""
    clinical_text = collect(errors, clean_kind, clinical_text, field="clinical_text", kind="note",
                            label="The clinical wording") or ""
    reason = collect(errors, clean_name, reason, field="reason", max_len=TEXT_LIMITS["note"], label="The reason",
                     empty_message=WHY_IT_MATTERS) or ""
    if isinstance(tier, bool) or tier not in (1, 2, 3, 4):
        errors.append(FieldError("tier", "must be 1 (urgent) to 4 (low)"))
    for name, value, allowed in (("category", category, [c.value for c in RecCategory]), ("who", who, WHO),
                                 ("cost", cost, [c.value for c in Cost]), ("effort", effort, [e.value for e in Effort])):
        if value not in allowed:
            errors.append(FieldError(name, f"must be one of {', '.join(allowed)}"))
    if errors:
        raise ValidationError(errors)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        assessment = editable_assessment(uow.session, assessment_id)
        rec = m.Recommendation(
            assessment_id=assessment.id, room_id=room_id, origin="custom", category=category, title=title,
            family_text=family_text, clinical_text=clinical_text, who=who, cost=cost, effort=effort,
            today=False, status="agreed", tier=tier, score=0, reason=reason_sentence(Tier(tier), reason),
            edited=True, created_at=now, updated_at=now)
        uow.session.add(rec)
        uow.session.flush()
        if finding_id is not None:
            finding = get_live(uow.session, m.Finding, finding_id, "finding")
            uow.session.add(m.RecommendationFinding(recommendation_id=rec.id, finding_id=finding.id))
        rec_id = rec.id
    return rec_id, Changes(recommendations=True)


def delete_recommendation(ctx: AppContext, rec_id: str, *, restore: bool = False) -> Changes:
    """Custom recommendations can be removed (and restored by undo); suggested ones are declined instead."""
    with ctx.uow() as uow:
        rec = uow.session.get(m.Recommendation, rec_id)
        if rec is None or rec.origin != "custom":
            raise NotFoundError("only a custom recommendation can be deleted; decline a suggested one")
        editable_assessment(uow.session, rec.assessment_id)
        rec.deleted_at = None if restore else ctx.clock.now()
    return Changes(recommendations=True)


def add_manual_finding(ctx: AppContext, room_id: str, *, title: str, reason: str, hazard: str = "other",
                       likelihood: int = 2, consequence: int = 2, essential: bool = False) -> tuple[str, Changes]:
    errors: list[FieldError] = []
    title = collect(errors, _title, title, "A finding needs a title") or ""
    reason = collect(errors, clean_name, reason, field="reason", max_len=TEXT_LIMITS["note"], label="The reason",
                     empty_message=WHY_IT_MATTERS) or ""
    if hazard not in {h.value for h in Hazard}:
        errors.append(FieldError("hazard", "is not a hazard category"))
    for name, value in (("likelihood", likelihood), ("consequence", consequence)):
        if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
            errors.append(FieldError(name, "must be 1 to 5"))
    if errors:
        raise ValidationError(errors)
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id)
        row = m.Finding(assessment_id=assessment.id, room_id=room.id, origin="manual", title=title,
                        reason_clause=reason, hazard=hazard, base_likelihood=likelihood,
                        base_consequence=consequence, likelihood=likelihood, consequence=consequence,
                        essential=essential, modifiers=[], created_at=ctx.clock.now())
        uow.session.add(row)
        uow.session.flush()
        finding_id = row.id
    return finding_id, Changes(findings=True)


def delete_manual_finding(ctx: AppContext, finding_id: str, *, restore: bool = False) -> Changes:
    with ctx.uow() as uow:
        row = uow.session.get(m.Finding, finding_id)
        if row is None or row.origin != "manual":
            raise NotFoundError("only a finding added by hand can be deleted")
        editable_assessment(uow.session, row.assessment_id)
        row.deleted_at = None if restore else ctx.clock.now()
    return Changes(findings=True)


def manual_tier(likelihood: int, consequence: int, essential: bool = False, hazard: str | None = None) -> Tier:
    return tier_for(likelihood * consequence, essential=essential, hazard=hazard)
