"""Visits: create, describe, rooms, answers and notes. Every call commits at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.checklist import NOT_APPLICABLE, YES_NO_VALUES, Checklist, Item, ItemKind
from homeassess.domain.errors import ConflictError, FieldError, NotFoundError, UnusualValueError, ValidationError
from homeassess.domain.findings import Context, completeness
from homeassess.domain.input_rules import as_number, check_date
from homeassess.domain.plausibility import impossible, unusual
from homeassess.domain.visit_record import VisitStatus
from homeassess.domain.priority import Tier
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.text_rules import NAME_LIMIT, clean_kind, clean_name, collect
from homeassess.services.changes import Changes
from homeassess.services.context import AppContext
from homeassess.services.dto import AnswerView, AssessmentSummary, AssessmentView, RoomView
from homeassess.services.findings import answers_of, context_for, finding_tier, pinned_checklist, sync_assessment
from homeassess.services.lookup import get_live

KINDS = ("home", "workplace", "follow_up")
META_FIELDS = {"visit_date", "therapist_name", "therapist_profession", "therapist_registration", "organisation",
               "standard", "units", "referral_reason", "people_present", "property_type", "tenure",
               "property_notes", "kind"}
#: Each free-text field of a visit and its kind in ``text_rules.TEXT_LIMITS``.
META_TEXT = {"therapist_name": "name", "therapist_profession": "title", "therapist_registration": "code",
             "organisation": "name", "referral_reason": "note", "people_present": "note", "property_type": "title",
             "tenure": "code", "property_notes": "note"}


def _view(row: m.Assessment) -> AssessmentView:
    return AssessmentView(
        id=row.id, client_id=row.client_id, kind=row.kind, visit_date=row.visit_date, status=row.status,
        therapist_name=row.therapist_name, therapist_profession=row.therapist_profession,
        therapist_registration=row.therapist_registration, organisation=row.organisation,
        standard=row.standard, units=row.units, checklist_versions=dict(row.checklist_versions),
        referral_reason=row.referral_reason, people_present=row.people_present,
        property_type=row.property_type, tenure=row.tenure, property_notes=row.property_notes,
        previous_assessment_id=row.previous_assessment_id, fes_i_total=row.fes_i_total,
        falls_since_last_visit=row.falls_since_last_visit,
    )


def _validate_meta(fields: dict[str, Any], today: date) -> dict[str, Any]:
    """The fields as they will be stored (text cleaned, the date checked), or ValidationError."""
    errors: list[FieldError] = []
    fields = dict(fields)
    for name, kind in META_TEXT.items():
        if name in fields:
            fields[name] = collect(errors, clean_kind, fields[name], field=name, kind=kind)
    unknown = set(fields) - META_FIELDS
    errors += [FieldError(f, "is not an assessment field") for f in sorted(unknown)]
    if "kind" in fields and fields["kind"] not in KINDS:
        errors.append(FieldError("kind", f"must be one of {', '.join(KINDS)}"))
    if "standard" in fields and fields["standard"] not in {s.value for s in StandardProfile}:
        errors.append(FieldError("standard", "must be US, UK or AU"))
    if "units" in fields and fields["units"] not in {u.value for u in DisplayUnits}:
        errors.append(FieldError("units", "must be metric or imperial"))
    if "visit_date" in fields:
        fields["visit_date"] = collect(errors, check_date, fields["visit_date"], field="visit_date",
                                       rule="visit_date", today=today)
    if errors:
        raise ValidationError(errors)
    return fields


def editable_assessment(session: Session, assessment_id: str) -> m.Assessment:
    """An assessment that may still be changed (not signed off)."""
    row = get_live(session, m.Assessment, assessment_id, "assessment")
    if row.status == VisitStatus.FINALISED:
        raise ConflictError("This assessment is signed off and can no longer be changed.")
    return row


def editable_room(session: Session, room_id: str, *, deleted_ok: bool = False) -> tuple[m.Room, m.Assessment]:
    room = session.get(m.Room, room_id) if deleted_ok else get_live(session, m.Room, room_id, "room")
    if room is None:
        raise NotFoundError(f"no room with id {room_id!r}")
    return room, editable_assessment(session, room.assessment_id)


def create_assessment(ctx: AppContext, client_id: str, *, kind: str = "home", visit_date: date | None = None,
                      **meta: Any) -> tuple[AssessmentView, Changes]:
    """Start a visit; pins the current version of every checklist. What is not given (standards, units,
    therapist, organisation) comes from Settings (services/settings.py)."""
    from homeassess.services.settings import settings_from_session, visit_defaults

    now = ctx.clock.now()
    with ctx.uow() as uow:
        fields = _validate_meta({**visit_defaults(settings_from_session(uow.session)), "kind": kind, **meta,
                                 "visit_date": visit_date or ctx.clock.today()}, ctx.clock.today())
        client = get_live(uow.session, m.Client, client_id, "client")
        row = m.Assessment(client_id=client.id,
                           checklist_versions=ctx.registry.latest_versions(), created_at=now, updated_at=now,
                           **fields)
        uow.session.add(row)
        uow.session.flush()
        uow.session.refresh(row)
        sync_assessment(ctx, uow.session, row)
        view = _view(row)
    return view, Changes(assessment_meta=True, recommendations=True)


def update_assessment(ctx: AppContext, assessment_id: str, **fields: Any) -> tuple[AssessmentView, Changes]:
    fields = _validate_meta(fields, ctx.clock.today())
    with ctx.uow() as uow:
        row = editable_assessment(uow.session, assessment_id)
        for key, value in fields.items():
            setattr(row, key, value)
        row.updated_at = ctx.clock.now()
        rederive = {"standard", "visit_date"} & set(fields)
        if rederive:
            uow.session.flush()
            sync_assessment(ctx, uow.session, row)
        view = _view(row)
    return view, Changes(assessment_meta=True, findings=bool(rederive), recommendations=bool(rederive))


def get_assessment(ctx: AppContext, assessment_id: str) -> AssessmentView:
    with ctx.uow(read_only=True) as uow:
        return _view(get_live(uow.session, m.Assessment, assessment_id, "assessment"))


def list_assessments(ctx: AppContext, client_id: str | None = None) -> list[AssessmentSummary]:
    with ctx.uow(read_only=True) as uow:
        query = (select(m.Assessment, m.Client).join(m.Client)
                 .where(m.Assessment.deleted_at.is_(None), m.Client.deleted_at.is_(None)))
        if client_id is not None:
            client = get_live(uow.session, m.Client, client_id, "client")
            query = query.where(m.Assessment.client_id == client.id)
        rows = uow.session.execute(query.order_by(m.Assessment.visit_date.desc(), m.Assessment.created_at.desc()))
        return [AssessmentSummary(a.id, c.id, f"{c.given_name} {c.family_name}", a.visit_date, a.kind, a.status)
                for a, c in rows]


def _room_view(ctx: AppContext, assessment: m.Assessment, room: m.Room, findings: list[m.Finding]) -> RoomView:
    checklist = pinned_checklist(ctx.registry, assessment, room.room_type)
    done = completeness(checklist, answers_of(room))
    by_tier = {t: 0 for t in Tier}
    for f in findings:
        if f.room_id == room.id:
            by_tier[finding_tier(f)] += 1
    return RoomView(room.id, room.room_type, room.name, room.position, done.answered, done.total, by_tier)


def list_rooms(ctx: AppContext, assessment_id: str) -> list[RoomView]:
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        findings = list(uow.session.scalars(select(m.Finding).where(
            m.Finding.assessment_id == assessment.id, m.Finding.deleted_at.is_(None))))
        return [_room_view(ctx, assessment, r, findings) for r in assessment.rooms if r.deleted_at is None]


def _unique_name(assessment: m.Assessment, base: str) -> str:
    taken = {r.name for r in assessment.rooms if r.deleted_at is None}
    if base not in taken:
        return base
    n = 2
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"


def _room_name(name: object, *, required: bool) -> str:
    return clean_name(name, field="name", max_len=NAME_LIMIT, required=required, label="The room's name",
                      empty_message="A room needs a name")


def add_room(ctx: AppContext, assessment_id: str, room_type: str, name: str = "") -> tuple[RoomView, Changes]:
    name = _room_name(name, required=False)
    checklist = ctx.registry.latest(room_type)
    with ctx.uow() as uow:
        assessment = editable_assessment(uow.session, assessment_id)
        if room_type not in assessment.checklist_versions:
            assessment.checklist_versions = {**assessment.checklist_versions, room_type: checklist.version}
        position = max((r.position for r in assessment.rooms), default=-1) + 1
        room = m.Room(assessment_id=assessment.id, room_type=room_type,
                      name=name or _unique_name(assessment, checklist.title), position=position,
                      created_at=ctx.clock.now())
        uow.session.add(room)
        uow.session.flush()
        uow.session.refresh(assessment)
        view = _room_view(ctx, assessment, room, [])
    return view, Changes(rooms=True)


def rename_room(ctx: AppContext, room_id: str, name: str) -> Changes:
    name = _room_name(name, required=True)
    with ctx.uow() as uow:
        room, _ = editable_room(uow.session, room_id)
        room.name = name
    return Changes(rooms=True)


def reorder_rooms(ctx: AppContext, assessment_id: str, room_ids: list[str]) -> Changes:
    with ctx.uow() as uow:
        assessment = editable_assessment(uow.session, assessment_id)
        live = {r.id: r for r in assessment.rooms if r.deleted_at is None}
        if set(room_ids) != set(live):
            raise ValidationError([FieldError("rooms", "the new order must list every room once")])
        for position, room_id in enumerate(room_ids):
            live[room_id].position = position
    return Changes(rooms=True)


def remove_room(ctx: AppContext, room_id: str, *, restore: bool = False) -> Changes:
    """Soft delete: answers, findings and photos stay so ``restore=True`` brings all back."""
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id, deleted_ok=True)
        room.deleted_at = None if restore else ctx.clock.now()
        uow.session.flush()
        uow.session.refresh(assessment)
        sync_assessment(ctx, uow.session, assessment)
    return Changes(rooms=True, findings=True, recommendations=True)


def room_answers(ctx: AppContext, room_id: str) -> dict[str, AnswerView]:
    with ctx.uow(read_only=True) as uow:
        room = get_live(uow.session, m.Room, room_id, "room")
        return {a.item_id: AnswerView(a.item_id, a.value, a.number, a.note) for a in room.answers}


def checklist_item(checklist: Checklist, item_id: str) -> Item:
    try:
        return checklist.item(item_id)
    except KeyError:
        raise NotFoundError(f"{checklist.title} has no item {item_id!r}") from None


def _validate_answer(item: Item, value: str | None, number: object, units: DisplayUnits,
                     confirm_unusual: bool) -> tuple[str | None, float | None]:
    """The answer as it will be stored, ``(value, number)``; refuses what cannot be stored with the reason.
    A number that is not a finite number (NaN, infinity, text) is refused, never stored as "no answer"."""
    def bad(message: str) -> None:
        raise ValidationError([FieldError(item.id, message)])

    if value is not None and not isinstance(value, str):
        bad("the answer must be one of its choices or text")
    if number is not None:
        number = as_number(number, field=item.id, label="The answer")
    if value == NOT_APPLICABLE:
        return value, number
    if item.kind is ItemKind.TEXT and value is not None:
        value = clean_kind(value, field=item.id, kind="note", label="The answer") or None
    if item.kind is ItemKind.YES_NO and value is not None and value not in YES_NO_VALUES:
        bad(f"{value!r} is not yes, no or not applicable")
    if item.kind is ItemKind.CHOICE and value is not None and value not in {o.value for o in item.options}:
        bad(f"{value!r} is not one of the choices")
    if item.kind in (ItemKind.MEASURE, ItemKind.COUNT) and value is not None:
        bad("a measurement is stored as a number")
    if number is not None and item.kind not in (ItemKind.MEASURE, ItemKind.COUNT):
        bad("this item does not take a number")
    if number is None:
        return value, None
    if (problem := impossible(item, number, units)) is not None:
        bad(problem)
    if not confirm_unusual and (question := unusual(item, number, units)) is not None:
        raise UnusualValueError([FieldError(item.id, question)])
    return value, number


def set_answer(ctx: AppContext, room_id: str, item_id: str, *, value: str | None = None,
               number: float | None = None, confirm_unusual: bool = False) -> Changes:
    """Record (or clear, with both None) an answer; findings follow in the same commit.

    An impossible number is refused (ValidationError); an unusual one (outside the item's usual range,
    domain/plausibility.py) raises UnusualValueError with the question to ask, unless ``confirm_unusual``."""
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id)
        item = checklist_item(pinned_checklist(ctx.registry, assessment, room.room_type), item_id)
        value, number = _validate_answer(item, value, number, DisplayUnits(assessment.units), confirm_unusual)
        row = next((a for a in room.answers if a.item_id == item_id), None)
        now = ctx.clock.now()
        if row is None:
            row = m.Answer(room_id=room.id, item_id=item_id, note="", updated_at=now)
            room.answers.append(row)
        row.value, row.number, row.updated_at = value, number, now
        if room.started_at is None:
            room.started_at = now
        uow.session.flush()
        sync_assessment(ctx, uow.session, assessment)
    return Changes(answers=frozenset({item_id}), findings=True, recommendations=True, rooms=True)


def set_note(ctx: AppContext, room_id: str, item_id: str, note: str) -> Changes:
    note = clean_kind(note, field=item_id, kind="note", label="The note")
    with ctx.uow() as uow:
        room, assessment = editable_room(uow.session, room_id)
        checklist_item(pinned_checklist(ctx.registry, assessment, room.room_type), item_id)
        row = next((a for a in room.answers if a.item_id == item_id), None)
        if row is None:
            row = m.Answer(room_id=room.id, item_id=item_id, updated_at=ctx.clock.now())
            room.answers.append(row)
        row.note = note
    return Changes(answers=frozenset({item_id}))


def delete_assessment(ctx: AppContext, assessment_id: str, *, restore: bool = False) -> Changes:
    with ctx.uow() as uow:
        row = uow.session.get(m.Assessment, assessment_id)
        if row is None:
            raise NotFoundError(f"no assessment with id {assessment_id!r}")
        row.deleted_at = None if restore else ctx.clock.now()
    return Changes(assessment_meta=True)


def archive_assessment(ctx: AppContext, assessment_id: str, *, restore: bool = False) -> Changes:
    """Hide a visit from the client's default visit list; ``restore=True`` shows it again."""
    from homeassess.services.settings import set_archived

    with ctx.uow() as uow:
        row = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        set_archived(uow.session, "assessment", row.id, not restore, ctx.clock.now().isoformat())
    return Changes(assessment_meta=True)


def archived_assessments(ctx: AppContext) -> set[str]:
    from homeassess.services.settings import archived_ids

    with ctx.uow(read_only=True) as uow:
        return archived_ids(uow.session, "assessment")


@dataclass(frozen=True)
class RoomEditorData:
    """Everything the room editor shows: the pinned checklist, answers and the client context."""

    room: RoomView
    assessment_id: str
    checklist: Checklist
    answers: dict[str, AnswerView]
    context: Context
    units: DisplayUnits
    findings: dict[str, tuple[Tier, str]]


def room_editor_data(ctx: AppContext, room_id: str) -> RoomEditorData:
    with ctx.uow(read_only=True) as uow:
        room = get_live(uow.session, m.Room, room_id, "room")
        assessment = room.assessment
        rule_findings = list(uow.session.scalars(select(m.Finding).where(
            m.Finding.room_id == room.id, m.Finding.deleted_at.is_(None))))
        view = _room_view(ctx, assessment, room, rule_findings)
        return RoomEditorData(
            room=view, assessment_id=assessment.id,
            checklist=pinned_checklist(ctx.registry, assessment, room.room_type),
            answers={a.item_id: AnswerView(a.item_id, a.value, a.number, a.note) for a in room.answers},
            context=context_for(assessment, room.room_type), units=DisplayUnits(assessment.units),
            findings={f.item_id: (finding_tier(f), f.title) for f in rule_findings if f.item_id},
        )


def unanswered_items(ctx: AppContext, assessment_id: str) -> list[tuple[RoomView, list[Item]]]:
    """Per live room, the visible items still without an answer (visit-wide to-do list)."""
    from homeassess.domain.findings import is_visible

    out = []
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        for room in assessment.rooms:
            if room.deleted_at is not None:
                continue
            checklist = pinned_checklist(ctx.registry, assessment, room.room_type)
            answers = answers_of(room)
            missing = [i for i in checklist.items if i.kind is not ItemKind.TEXT and is_visible(i, answers)
                       and not (i.id in answers and answers[i.id].is_answered)]
            if missing:
                out.append((_room_view(ctx, assessment, room, []), missing))
    return out
