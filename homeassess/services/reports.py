"""Build report models from a visit (read-only) and render them to PDF files."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import replace
import tempfile
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from homeassess.db import models as m
from homeassess.domain.checklist import ItemKind, Quantity
from homeassess.domain.client import ClientProfile, Cognition, client_tags, Condition, MobilityAid, Precaution, Sense, WeakSide
from homeassess.domain.clinical_wording import clinical_rationale, factor_terms
from homeassess.domain.errors import StorageError
from homeassess.domain.findings import completeness
from homeassess.domain.input_files import check_output_file
from homeassess.domain.lifecycle import Decider, Status
from homeassess.domain.priority import MODIFIER_CLAUSES, Tier, split_reason
from homeassess.domain.profiles import DisplayUnits, StandardProfile
from homeassess.domain.units import format_both
from homeassess.reports.model import (
    Field, FindingLine, GoalLine, PhotoRef, RecommendationLine, ReportKind, ReportModel, RoomSection, TierGroup,
)
from homeassess.services.clients import profile_of
from homeassess.storage.outputs import is_temporary, write_output
from homeassess.storage.private import make_private_dir
from homeassess.services.context import AppContext
from homeassess.services.dto import FindingView, PhotoView, RecommendationView
from homeassess.services.findings import answers_of, pinned_checklist
from homeassess.services.history import last_change_in, when_text
from homeassess.services.lookup import get_live
from homeassess.services.photos import list_photos
from homeassess.services.settings import Settings, letterhead_for, settings_from_session, signatory
from homeassess.services.sizing import visit_sizings
from homeassess.services.recommendations import (
    StatusEventView, finding_views, latest_status_events, recommendation_views,
)
from homeassess.services.visit_record import RecordSummary, SignOffMethod, VisitStatus, record_summary_for

Progress = Callable[[float, str], None]

CONFIDENTIAL = "Confidential: contains personal health information. Share only with people involved in the client's care."
DISCLAIMER = ("Your therapist suggests the changes. Builders and fitters must follow building rules and the maker's "
              "instructions. Please contact us if your health, your walking or the home changes.")
WHO_PLAIN = {"family": "You or your family", "handyperson": "A handyperson", "builder": "A builder",
             "plumber": "A plumber", "electrician": "An electrician", "supplier": "Equipment supplier",
             "therapist": "Your therapist", "doctor": "Your doctor", "service": "A local service"}
WHO_CLINICAL = {"family": "Client / family", "handyperson": "Handyperson", "builder": "Builder", "plumber": "Plumber",
                "electrician": "Electrician", "supplier": "Equipment supplier", "therapist": "OT",
                "doctor": "GP / medical", "service": "Community service"}
TRADE_LABELS = frozenset(who[k] for who in (WHO_PLAIN, WHO_CLINICAL) for k in ("builder", "plumber", "electrician"))
CLINICAL_DISCLAIMER = ("Recommendations are the occupational therapist's; building work and installation remain the "
                       "responsibility of the contractor (building regulations, manufacturer's instructions). "
                       "Re-refer if health, mobility or the home changes.")
COST_PLAIN = {"free": "No cost", "low": "Low cost", "medium": "Moderate cost", "high": "Major cost"}
COGNITION_PLAIN = {Cognition.INTACT: "No concerns", Cognition.MILD: "Mild impairment",
                   Cognition.MODERATE: "Moderate impairment", Cognition.SEVERE: "Severe impairment"}
SENSE_PLAIN = {Sense.NORMAL: "No concerns", Sense.IMPAIRED: "Impaired", Sense.SEVERE: "Severely impaired"}


def _clinical_rec_reason(rec: RecommendationView, findings: dict[str, FindingView], profile: ClientProfile,
                         ctx: AppContext, client_tags_: frozenset[str]) -> str:
    """Third-person rationale: the finding it answers with the measurement and the client factors."""
    linked = sorted((findings[f] for f in rec.finding_ids if f in findings), key=lambda f: (f.tier, -f.score))
    if linked:
        top = linked[0]
        return clinical_rationale(hazard=top.hazard, essential=top.essential, modifiers=top.modifiers,
                                  profile=profile, measured=_measured_against(top)) \
            or f"Risk {top.likelihood}×{top.consequence} = {top.score}."
    tags: tuple[str, ...] = ()
    if rec.template_id:
        try:   # only the conditions this client has: a template may serve several
            tags = tuple(sorted(ctx.registry.recommendation(rec.template_id).for_conditions & client_tags_))
        except KeyError:
            tags = ()
    if not tags:
        return "Added by the therapist." if rec.origin == "manual" else ""
    terms = factor_terms(tags, profile) or [t.replace("_", " ") for t in tags]
    return "Indicated by the client profile: " + "; ".join(terms) + "."


def _measured_against(f: FindingView) -> str:
    if f.measured_text and f.threshold_text:
        return f"{f.measured_text} vs {f.threshold_text}"
    return ""


def _decision(event: StatusEventView | None) -> str:
    if event is None or event.to_status is not Status.DECLINED:
        return ""
    who = Decider(event.decided_by).label if event.decided_by else "not recorded"
    return (f"Declined on {event.on:%d %b %Y}; decision by {who}" + (f": {event.why}" if event.why else "")
            + (f" (recorded by {event.by})" if event.by else ""))


def _rec_line(ctx: AppContext, rec: RecommendationView, findings: dict[str, FindingView], profile: ClientProfile,
              events: dict[str, StatusEventView], tags: frozenset[str], family: bool = True) -> RecommendationLine:
    note = f"Priority set to {rec.tier.code} by the therapist: {rec.tier_override_reason}" if rec.tier_overridden else ""
    parts = split_reason(rec.reason)
    return RecommendationLine(
        tier=rec.tier, title=rec.title, family_text=rec.family_text, clinical_text=rec.clinical_text,
        reason=rec.reason, room=rec.room_name, category=rec.category,
        who=(WHO_PLAIN if family else WHO_CLINICAL).get(rec.who, rec.who),
        cost=COST_PLAIN.get(rec.cost, rec.cost), effort=rec.effort, status=Status(rec.status).label, today=rec.today,
        score=rec.score, goal=rec.goal_text, tier_note=note,
        findings=tuple(findings[f].title for f in rec.finding_ids if f in findings),
        other_options=tuple(o.title for o in rec.options if not o.chosen and o.suitable),
        ruled_out=tuple(o.title for o in rec.options if not o.chosen and not o.suitable),
        choice_note=rec.choice_reason, family_reason=parts.sentence(), factor=parts.factor,
        clinical_reason=_clinical_rec_reason(rec, findings, profile, ctx, tags), proposed=rec.status == Status.PROPOSED,
        decision=_decision(events.get(rec.id)),
    )


def _say_shared_factors_once(lines: list[RecommendationLine]) -> tuple[list[RecommendationLine], tuple[str, ...]]:
    """A client factor named by two or more reasons is said once in the introduction, not on every line."""
    counts = Counter(line.factor for line in lines if line.factor)
    shared = [f for f, n in counts.most_common() if n >= 2]
    out = [replace(line, family_reason=split_reason(line.reason).sentence(with_factor=False))
           if line.factor in shared else line for line in lines]
    return out, tuple(MODIFIER_CLAUSES[f] for f in shared)


def _numbered(lines: list[RecommendationLine], *, refer_back: bool = False) -> list[RecommendationLine]:
    """Number the list; with ``refer_back``, a reason already given points to where it was said."""
    out, said = [], {}
    for n, line in enumerate(lines, start=1):
        line = replace(line, number=n)
        if refer_back and line.family_reason:
            if line.family_reason in said:
                line = replace(line, family_reason=f"The same as for number {said[line.family_reason]}.")
            else:
                said[line.family_reason] = n
        out.append(line)
    return out


# Long edge in pixels for embedded photos: about 200 dpi at the size each report places them.
FAMILY_PHOTO_PX = 560
CLINICAL_PHOTO_PX = 720


def photo_caption(photo: PhotoView, item_prompt: str = "") -> str:
    """The therapist's caption, else the room and the item it shows; never the camera's file name
    (it can carry a name, a date or a place)."""
    if photo.caption.strip():
        return photo.caption.strip()
    return f"{photo.room_name}: {item_prompt}" if item_prompt else photo.room_name


def photo_ref(ctx: AppContext, photo: PhotoView, max_px: int, item_prompt: str = "") -> PhotoRef:
    from homeassess.services.photos import annotated_copy

    path = annotated_copy(ctx, photo, max_px)
    scale = min(1.0, max_px / max(photo.width, photo.height))
    return PhotoRef(str(path), photo_caption(photo, item_prompt), round(photo.width * scale),
                    round(photo.height * scale))


def _finding_line(f: FindingView, profile: ClientProfile, photos: tuple[PhotoRef, ...] = ()) -> FindingLine:
    rationale = clinical_rationale(hazard=f.hazard, essential=f.essential, modifiers=f.modifiers, profile=profile)
    return FindingLine(tier=f.tier, title=f.title, reason=f.reason, prompt=f.prompt, answer=f.answer_text,
                       threshold=f.threshold_text, source=f.source, likelihood=f.likelihood,
                       consequence=f.consequence, score=f.score, modifiers=f.modifiers, origin=f.origin,
                       photos=photos, clinical_reason=rationale)


def _photos_for(finding: FindingView, photos: list[PhotoView]) -> list[PhotoView]:
    return [p for p in photos if p.room_id == finding.room_id and
            (p.finding_id == finding.id or (finding.item_id is not None and p.item_id == finding.item_id))]


def _room_sections(ctx: AppContext, assessment: m.Assessment, findings: list[FindingView], units: DisplayUnits,
                   photos: list[PhotoView], kind: ReportKind, profile: ClientProfile,
                   not_assessed: dict[str, str]) -> tuple[list[RoomSection], int]:
    """Each room: what was found, measured and noted; "not assessed" is said, never left to read as clear."""
    sections, unanswered = [], 0
    for room in assessment.rooms:
        if room.deleted_at is not None:
            continue
        checklist = pinned_checklist(ctx.registry, assessment, room.room_type)
        answers = answers_of(room)
        done = completeness(checklist, answers)
        unanswered += done.total - done.answered
        notes, measures = [], []
        for item in checklist.items:
            answer = answers.get(item.id)
            if answer is None:
                continue
            if answer.note.strip():
                notes.append(Field(item.prompt, answer.note.strip()))
            if item.kind is ItemKind.TEXT and answer.value:
                notes.append(Field(item.prompt, answer.value.strip()))
            if item.kind is ItemKind.MEASURE and answer.number is not None and item.quantity:
                measures.append(Field(item.prompt, format_both(answer.number, Quantity(item.quantity), units)))
            if item.kind is ItemKind.COUNT and answer.number is not None:
                measures.append(Field(item.prompt, str(int(answer.number))))
        prompts = {i.id: i.prompt for i in checklist.items}

        def ref(p: PhotoView, px: int) -> PhotoRef:
            return photo_ref(ctx, p, px, prompts.get(p.item_id or "", ""))

        room_findings = tuple(
            _finding_line(f, profile, tuple(ref(p, FAMILY_PHOTO_PX) for p in _photos_for(f, photos))
                          if kind is ReportKind.FAMILY else ())
            for f in findings if f.room_id == room.id)
        room_photos = tuple(ref(p, CLINICAL_PHOTO_PX) for p in photos
                            if p.room_id == room.id) if kind is ReportKind.CLINICAL else ()
        if room.id in not_assessed:
            gap = "Not assessed" + (f": {not_assessed[room.id]}" if not_assessed[room.id] else "")
        elif done.answered == 0 and not room_findings:
            gap = "Not assessed: no checklist items answered"
        else:
            gap = ""
        sections.append(RoomSection(room.name, room.room_type, done.answered, done.total, room_findings,
                                    tuple(notes), tuple(measures), room_photos, not_assessed=gap,
                                    checklist=f"{checklist.title} checklist v{checklist.version}"))
    return sections, unanswered


def _background(client: m.Client, assessment: m.Assessment) -> list[Field]:
    profile = profile_of(client)
    place = "workplace" if assessment.kind == "workplace" else "home"
    aid = profile.mobility_aid
    aid_text = "None" if aid is MobilityAid.NONE else aid.label
    if aid is not MobilityAid.NONE and profile.aid_width_mm:
        aid_text += f" ({format_both(profile.aid_width_mm, Quantity.LENGTH, DisplayUnits(assessment.units))} wide)"
    if aid is not MobilityAid.NONE and profile.aid_swl_kg:
        aid_text += f", rated for {format_both(profile.aid_swl_kg, Quantity.WEIGHT, DisplayUnits(assessment.units))}"
    if profile.second_aid is not MobilityAid.NONE:
        aid_text += f"; {profile.second_aid.label.lower()} {profile.second_aid_use.label.lower()}"
    units = DisplayUnits(assessment.units)
    equipment = "; ".join(e.name + (f", rated for {format_both(e.swl_kg, Quantity.WEIGHT, units)}" if e.swl_kg else "")
                          for e in profile.equipment)
    conditions = ", ".join(Condition(c).label for c in client.conditions)
    if client.other_conditions.strip():
        conditions = ", ".join(x for x in (conditions, client.other_conditions.strip()) if x)
    rows = [
        Field("Reason for referral", assessment.referral_reason),
        Field("Health conditions", conditions or "None recorded"),
        Field("Walking aid", aid_text),
        Field("Symptoms", "; ".join(s.label for s in sorted(profile.symptoms))),
        Field("Equipment in use", equipment),
        Field("Falls in the last 12 months", str(profile.falls_last_12_months)),
        Field("Memory and thinking", COGNITION_PLAIN[profile.cognition]),
        Field("Vision", SENSE_PLAIN[profile.vision]),
        Field("Hearing", SENSE_PLAIN[profile.hearing]),
        Field("Transfers", profile.transfers.label),
        Field("Weaker side", profile.weak_side.label if profile.weak_side is not WeakSide.NONE else ""),
        Field("Behaviours", "; ".join(b.label for b in sorted(profile.behaviours))),
        Field("Home oxygen", "Yes" if profile.home_oxygen else ""),
        Field("Smoking in the home", "Yes, by someone in the household" if profile.household_smoker else ""),
        Field("Lives alone", "Yes" if profile.lives_alone else "No"),
        Field("Support", "; ".join(f"{c.name} ({c.relationship})" if c.relationship else c.name
                                   for c in profile.contacts) or ("Has carers" if profile.has_carers else "None recorded")),
        Field("Present at the visit", assessment.people_present),
        Field(place.capitalize(), ", ".join(x for x in (assessment.property_type, assessment.tenure) if x)),
        Field(f"About the {place}", assessment.property_notes),
    ]
    if profile.knee_height_mm:
        rows.insert(3, Field("Knee height (floor to back of knee)",
                             format_both(profile.knee_height_mm, Quantity.LENGTH, DisplayUnits(assessment.units))))
    return [r for r in rows if r.value.strip()]


def _next_steps(kind: ReportKind, groups: list[TierGroup], draft: bool) -> list[str]:
    recs = [r for g in groups for r in g.recommendations]
    urgent = sum(1 for r in recs if r.tier is Tier.P1)
    equipment = any(r.category == "equipment" for r in recs)
    trades = any(r.who in TRADE_LABELS for r in recs)
    if kind is ReportKind.CLINICAL:
        steps = [f"Action the {urgent} P1 recommendation{'s' if urgent != 1 else ''} within a week."] if urgent else []
        if equipment:
            steps.append("Order agreed equipment (see the order list); confirm delivery and fitting dates with the client.")
        if trades:
            steps.append("Building, plumbing or electrical work: client or landlord to obtain quotes; "
                         "check funding routes and landlord consent.")
        steps.append("Telephone review at 2–4 weeks (uptake, use); review at 3 months (GAS goals, falls count, "
                     "uptake of recommendations).")
        return steps
    steps = []
    if draft:
        steps.append("Talk over the changes marked “to discuss” with your therapist; they will then tell you "
                     "which ones go ahead.")
    if urgent:
        steps.append(f"Start with the {urgent} urgent change{'s' if urgent != 1 else ''} this week.")
    if equipment:
        steps.append("Your therapist will order the equipment and tell you when it will come.")
    if trades:
        steps.append("For building, plumbing or electrical work, ask a qualified tradesperson for a price. "
                     "If you rent, ask your landlord first.")
    steps.append("Your therapist will call you in 2 to 4 weeks to see what has been done and if it helps, "
                 "and will look at your goals again in about 3 months.")
    return steps


def _disclaimer(kind: ReportKind, visit_kind: str) -> str:
    text = DISCLAIMER if kind is ReportKind.FAMILY else CLINICAL_DISCLAIMER
    return text.replace("the home changes", "the workplace changes") if visit_kind == "workplace" else text


def _contact(settings: Settings, assessment: m.Assessment, therapist: str, organisation: str) -> tuple[Field, ...]:
    """Who the family rings: the visit's own details, else Settings (therapist, then the organisation)."""
    phone = assessment.therapist_phone.strip() or settings["therapist.phone"] or settings["organisation.phone"]
    email = assessment.therapist_email.strip() or settings["therapist.email"] or settings["organisation.email"]
    rows = (Field("Your therapist", therapist), Field("Phone", phone), Field("Email", email),
            Field("Service", organisation))
    return tuple(r for r in rows if r.value.strip())


def _signature_file(ctx: AppContext, png: bytes | None) -> str:
    """The sign-off signature as a file the renderer can place (cached by content)."""
    if not png:
        return ""
    target = ctx.data_dir / "cache" / "signatures" / f"{hashlib.sha256(png).hexdigest()}.png"
    if not target.exists():
        make_private_dir(target.parent)
        write_atomically(target, lambda tmp: tmp.write_bytes(png), scratch=ctx.scratch_dir)
    return str(target)


def _sign_off_fields(record: RecordSummary, therapist: str, today: date) -> tuple[Field, ...]:
    status = record.status
    if status.status is not VisitStatus.FINALISED:
        return Field("Therapist", therapist), Field("Date", today.strftime("%d %B %Y"))
    who = status.signed_off_by + (f" (registration {status.registration})" if status.registration else "")
    how = ("Signed on the signature pad" if status.method == SignOffMethod.SIGNATURE
           else "Typed name and registration number (electronic sign-off)")
    return (Field("Signed off by", who),
            Field("Date", status.signed_off_on.strftime("%d %B %Y") if status.signed_off_on else ""),
            Field("Signature", how))


def _record_fields(ctx: AppContext, record: RecordSummary, kind: ReportKind, therapist: str) -> dict[str, Any]:
    """The visit record's part of a report model: status, consent, not assessed, addenda, sign-off."""
    clinical = kind is ReportKind.CLINICAL
    consent = tuple(Field(label, value) for label, value in record.consent.lines()) if record.consent else ()
    line = record.status.report_line
    if not clinical and record.status.status is not VisitStatus.FINALISED:
        line = "Not final yet: your therapist may still change this report."
    return dict(status_line=line, consent=consent if clinical else (),
                not_assessed=tuple(x.text for x in record.not_assessed) if clinical else (),
                addenda=tuple(a.line for a in record.addenda) if clinical else (),  # clinical notes: never the family's
                sign_off=_sign_off_fields(record, therapist, ctx.clock.today()),
                signature_path=_signature_file(ctx, record.signature_png) if clinical else "")


def _agreed_or_later(status: str) -> bool:
    return status not in (Status.PROPOSED, Status.DECLINED)


def proposed_count(ctx: AppContext, assessment_id: str) -> int:
    """Recommendations still only proposed: the family report leaves them out unless asked."""
    with ctx.uow(read_only=True) as uow:   # a count, not the views: the Reports screen asks on every change
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        return uow.session.scalar(
            select(func.count(m.Recommendation.id)).outerjoin(m.Room, m.Room.id == m.Recommendation.room_id)
            .where(m.Recommendation.assessment_id == assessment.id, m.Recommendation.status == Status.PROPOSED.value,
                   m.Recommendation.deleted_at.is_(None),
                   or_(m.Recommendation.room_id.is_(None), m.Room.deleted_at.is_(None)))) or 0


def build_report_model(ctx: AppContext, assessment_id: str, kind: ReportKind | str, *,
                       include_proposed: bool = False) -> ReportModel:
    """The family report lists agreed recommendations (and, when asked, proposed ones as a draft to
    discuss); the clinical report lists every recommendation with its status."""
    kind = ReportKind(kind)
    family = kind is ReportKind.FAMILY
    photos = list_photos(ctx, assessment_id)
    events = latest_status_events(ctx, assessment_id)
    with ctx.uow(read_only=True) as uow:
        assessment = get_live(uow.session, m.Assessment, assessment_id, "assessment")
        client = assessment.client
        profile = profile_of(client)
        settings = settings_from_session(uow.session)
        units = DisplayUnits(assessment.units)
        findings = finding_views(ctx, uow.session, assessment)
        recs = recommendation_views(uow.session, assessment)
        by_id = {f.id: f for f in findings}
        proposed = sum(1 for r in recs if r.status == Status.PROPOSED)
        if family:
            shown = [r for r in recs if _agreed_or_later(r.status) or (include_proposed and r.status == Status.PROPOSED)]
        else:
            shown = [r for r in recs if r.status != Status.DECLINED]
        tags = client_tags(profile, assessment.visit_date)
        active = [_rec_line(ctx, r, by_id, profile, events, tags, family) for r in shown]
        factors: tuple[str, ...] = ()
        if family:
            active, factors = _say_shared_factors_once(active)
        active = _numbered(active, refer_back=family)
        declined = tuple(_rec_line(ctx, r, by_id, profile, events, tags, family) for r in recs
                         if r.status == Status.DECLINED)
        groups = [TierGroup(t, t.meaning, tuple(r for r in active if r.tier is t)) for t in Tier]
        groups = [g for g in groups if g.recommendations]
        record = record_summary_for(ctx, uow.session, assessment)
        whole_rooms = {x.room_id: x.reason for x in record.not_assessed if x.item_id is None}
        rooms, unanswered = _room_sections(ctx, assessment, findings, units, photos, kind, profile, whole_rooms)
        goals = tuple(GoalLine(g.text, g.activity, tuple(r.title for r in shown if r.goal_id == g.id))
                      for g in client.goals if g.deleted_at is None)
        name = f"{client.given_name} {client.family_name}".strip()
        therapist, organisation = signatory(settings, name=assessment.therapist_name,
                                            profession=assessment.therapist_profession,
                                            registration=assessment.therapist_registration,
                                            organisation=assessment.organisation)
        cover = [Field("Client", name), Field("Address", client.address),
                 Field("Date of birth", client.date_of_birth.strftime("%d %B %Y") if client.date_of_birth else ""),
                 Field("Visit date", assessment.visit_date.strftime("%d %B %Y"))]
        if family:
            cover = [cover[0], cover[3]]   # who to contact follows in its own box; page 1 is for acting on
        else:
            cover += [Field("Therapist", therapist), Field("Organisation", organisation)]
            cover += [Field(k.upper() if len(k) <= 4 else k, str(v)) for k, v in client.identifiers.items()]
            cover.append(Field("Standards applied", StandardProfile(assessment.standard).label))
        precautions = [Precaution(p).label for p in client.precautions]
        if client.precaution_notes.strip():
            precautions.append(client.precaution_notes.strip())
        draft = family and include_proposed and any(r.proposed for r in active)
        if family:   # the family counts what it is given: the changes listed
            counts = {t: sum(1 for r in active if r.tier is t) for t in Tier}
        else:
            counts = {t: sum(1 for f in findings if f.tier is t) for t in Tier}
        title = "Home safety report" if family else "Occupational therapy home assessment"
        if assessment.kind == "workplace":
            title = "Workplace report" if family else "Occupational therapy workplace assessment"
        subtitle = f"for {client.preferred_name or client.given_name}" if family else "Clinical report"
        if draft:
            subtitle += " — draft to discuss"
        return ReportModel(
            kind=kind, title=title, subtitle=subtitle,
            client_name=name, client_initials="".join(p[0] for p in (client.given_name, client.family_name) if p).upper(),
            reference=assessment.id[:8], visit_date=assessment.visit_date, report_date=ctx.clock.today(),
            cover=tuple(f for f in cover if f.value.strip()), background=tuple(_background(client, assessment)),
            precautions=tuple(precautions), priorities=tuple(groups),
            today=tuple(r for r in active if r.today), rooms=tuple(rooms), goals=goals,
            next_steps=tuple(_next_steps(kind, groups, draft)), tier_counts=counts, declined=declined,
            unanswered=unanswered,
            disclaimer=_disclaimer(kind, assessment.kind),
            standard_note=("Measurements are compared with " + StandardProfile(assessment.standard).label +
                           ". For private homes these are accessible-design benchmarks, not legal requirements."),
            sizings=tuple(Field(f"{room}: {s.what}", s.calculation + (f". Alternative: {s.alternative}" if s.alternative else ""))
                          for room, s in visit_sizings(uow.session, assessment, ctx.registry)),
            **_record_fields(ctx, record, kind, therapist),
            letterhead=letterhead_for(uow.session, organisation),
            contact=_contact(settings, assessment, therapist, organisation) if family else (),
            draft=draft, left_out=proposed if family and not include_proposed else 0, factors=factors,
            client_notes=(Field("Notes", client.notes.strip()),) if client.notes.strip() and not family else (),
            checklists=tuple(dict.fromkeys(r.checklist for r in rooms)) if not family else (),
            last_change=_last_change(uow.session, assessment) if not family else "",
        )


def _last_change(session: Session, assessment: m.Assessment) -> str:
    at = last_change_in(session, assessment.id, assessment.client_id)
    return when_text(at) if at else ""


def write_atomically(out: Path, write: Callable[[Path], None], *, scratch: Path | None = None) -> Path:
    """Render so that ``out`` is either complete or absent.

    With ``scratch`` (the data folder's private ``tmp``), the file is built there and moved into place,
    and nothing half-written is left beside ``out`` even by a kill (``storage/outputs.py``); without
    it, a temporary file beside ``out`` is used and removed on failure.
    A folder, pipe or device at ``out`` is refused before anything is written (UnusablePathError);
    a failure to write (disk full, read-only folder) is a StorageError naming ``out`` as given,
    never a temporary file."""
    check_output_file(out, folder_must_exist=False)
    given, out = out, out.expanduser().resolve()
    try:
        make_private_dir(out.parent)   # a folder we create is private; an existing one keeps its mode
    except OSError as exc:
        raise StorageError(f"{given}: cannot be written ({exc.strerror or type(exc).__name__})") from exc
    try:
        if scratch is not None:
            write_output(out, write, scratch=scratch)
        else:
            _write_beside(out, write)
    except OSError as exc:
        ours = exc.filename is None or Path(os.fsdecode(exc.filename)) == out or (
            scratch is not None and is_temporary(exc.filename, scratch, out)) or Path(
            os.fsdecode(exc.filename)).name.startswith(f".{out.stem}-")
        if not ours:
            raise  # about another file (a photo, a font), which the error names itself
        raise StorageError(f"{given}: cannot be written ({exc.strerror or type(exc).__name__})") from exc
    return out


def _write_beside(out: Path, write: Callable[[Path], None]) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def run_report_job(build: Callable[[], Any], render: Callable[[Any, Path], None], out: Path, *,
                   progress: Progress | None = None, cancel: threading.Event | None = None,
                   collecting: str = "Collecting findings", scratch: Path | None = None) -> Path:
    """Build a report's plain data, then render it to ``out`` atomically; safe in a worker thread."""
    check_output_file(out, folder_must_exist=False)  # before any work: not a folder, pipe or device
    report = progress or (lambda *_: None)
    report(0.1, collecting)
    model = build()
    if cancel is not None and cancel.is_set():
        raise InterruptedError("report cancelled")
    report(0.4, "Laying out pages")
    path = write_atomically(out, lambda tmp: render(model, tmp), scratch=scratch)
    report(1.0, "Done")
    return path


def generate_report(ctx: AppContext, assessment_id: str, kind: ReportKind | str, out: Path, *,
                    include_proposed: bool = False, progress: Progress | None = None,
                    cancel: threading.Event | None = None) -> Path:
    """Job: the family or clinical report as PDF (``include_proposed``: a family draft to discuss)."""
    from homeassess.reports.pdf import render_pdf

    return run_report_job(lambda: build_report_model(ctx, assessment_id, kind, include_proposed=include_proposed),
                          render_pdf, out, progress=progress, cancel=cancel, scratch=ctx.scratch_dir)
